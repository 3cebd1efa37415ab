#include "toolbox.h"
int cmd_touch(int argc, char **argv) { (void)argc; (void)argv; return 99; }
