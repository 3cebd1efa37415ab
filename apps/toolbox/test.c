#include "toolbox.h"
int cmd_test(int argc, char **argv) { (void)argc; (void)argv; return 99; }
int cmd_bracket(int argc, char **argv) { (void)argc; (void)argv; return 99; }
