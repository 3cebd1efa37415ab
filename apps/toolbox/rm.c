#include "toolbox.h"
int cmd_rm(int argc, char **argv) { (void)argc; (void)argv; return 99; }
int remove_tree(const char *n, const char *p, bool q){(void)n;(void)p;(void)q;return 1;}
