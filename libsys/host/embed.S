/*
 * embed.S - a text file as a NUL-terminated string of a host test, for
 * the host's boot bundle (struct host_bundle, host_kernel.h). The build
 * assembles this once per file with EMBED_FILE set to its path and
 * EMBED_SYMBOL to the C name it gets (extern const char EMBED_SYMBOL[]),
 * so a service's `manifest` reaches its host test from the very file that
 * libsys/manifest.S puts into the service's executable.
 */
	.section .rodata
	.globl EMBED_SYMBOL
	.type EMBED_SYMBOL, @object
EMBED_SYMBOL:
	.incbin EMBED_FILE
	.byte 0
	.size EMBED_SYMBOL, . - EMBED_SYMBOL
	.section .note.GNU-stack, "", @progbits
