/* pipe.h - pipes between tasks, and passing their ends to launched
 * programs (pipe.c). */
#ifndef KEEL_PIPE_H
#define KEEL_PIPE_H

#include "fd.h"

long keel_sys_pipe(const long a[6]);
long keel_sys_pipe2(const long a[6]);

/* The capability of pipe end f, to pass to a launched program, counted as
 * one more open end of its kind (*write says which); CAP_HANDLE_NONE if f
 * is not a pipe. keel_pipe_unpass takes the count back when the launch
 * failed. */
cap_handle_t keel_pipe_pass(struct keel_file *f, int *write);
void keel_pipe_unpass(struct keel_file *f);

/* A launched program takes over a pipe end it was given as descriptor
 * fd (closing what fd was). Returns fd or -errno. */
long keel_pipe_adopt(int fd, cap_handle_t mem, int write);

/* Closes every pipe descriptor: the task is ending, and its peers must
 * see its ends go (proc.c's keel_exit_task). */
void keel_pipe_exit(void);

#endif
