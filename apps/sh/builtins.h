/*
 * builtins.h - the builtin commands, one function each, grouped in
 * builtins.c (shell state), bi_sys.c (directories, jobs, traps, signals,
 * getopts), bi_io.c (echo, printf, read) and bi_test.c (test and [).
 */
#ifndef SH_BUILTINS_H
#define SH_BUILTINS_H

#include "sh.h"

#define BUILTIN(name) int name(struct shell *sh, int argc, char **argv)

BUILTIN(bi_bg);
BUILTIN(bi_break);
BUILTIN(bi_cd);
BUILTIN(bi_command);
BUILTIN(bi_continue);
BUILTIN(bi_dot);
BUILTIN(bi_echo);
BUILTIN(bi_eval);
BUILTIN(bi_exec);
BUILTIN(bi_exit);
BUILTIN(bi_export);
BUILTIN(bi_false);
BUILTIN(bi_fg);
BUILTIN(bi_getopts);
BUILTIN(bi_hash);
BUILTIN(bi_jobs);
BUILTIN(bi_kill);
BUILTIN(bi_local);
BUILTIN(bi_printf);
BUILTIN(bi_pwd);
BUILTIN(bi_read);
BUILTIN(bi_readonly);
BUILTIN(bi_return);
BUILTIN(bi_set);
BUILTIN(bi_shift);
BUILTIN(bi_test);
BUILTIN(bi_times);
BUILTIN(bi_trap);
BUILTIN(bi_true);
BUILTIN(bi_type);
BUILTIN(bi_umask);
BUILTIN(bi_unset);
BUILTIN(bi_wait);

#endif
