#include "toolbox.h"
int cmd_sort(int argc, char **argv) { (void)argc; (void)argv; return 99; }
