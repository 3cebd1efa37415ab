#include "toolbox.h"
int cmd_head(int argc, char **argv) { (void)argc; (void)argv; return 99; }
