/*
 * app.h - the editor program: argument parsing and the loop that joins the
 * terminal, the key decoder, the editor core and the renderer.
 */
#ifndef EDIT_APP_H
#define EDIT_APP_H

/* Runs the editor as `edit [-t N] [-n] [FILE...]`; returns the exit code. */
int edit_main(int argc, char **argv);

#endif
