#include "toolbox.h"
int cmd_more(int argc, char **argv) { (void)argc; (void)argv; return 99; }
