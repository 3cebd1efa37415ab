#include "toolbox.h"
int cmd_cp(int argc, char **argv) { (void)argc; (void)argv; return 99; }
int copy_path(const struct copy_opts *co, const char *s, const char *d){(void)co;(void)s;(void)d;return 1;}
