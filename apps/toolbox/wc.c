#include "toolbox.h"
int cmd_wc(int argc, char **argv) { (void)argc; (void)argv; return 99; }
