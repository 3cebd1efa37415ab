/*
 * app.h - the editor program: argument parsing and the loop that joins the
 * terminal, the key decoder, the editor core and the renderer.
 */
#ifndef EDIT_APP_H
#define EDIT_APP_H

#include "abi/status.h"

/* Runs the editor as `edit [-t N] [-n] [FILE...]`; returns the exit code. */
int edit_main(int argc, char **argv);

/* Draws the editor into s and writes the changes to the terminal. */
struct editor;
struct screen;
status_t app_refresh(struct editor *ed, struct screen *s);

/* `edit --bench FILE` (bench.c): prints the figures as bench: lines. */
int edit_bench(const char *path);

#endif
