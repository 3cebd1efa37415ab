#include "toolbox.h"
int cmd_rmdir(int argc, char **argv) { (void)argc; (void)argv; return 99; }
