/* serial.h - the 16550 UART on COM1, the kernel's console. */
#ifndef KEEL_ARCH_X86_64_SERIAL_H
#define KEEL_ARCH_X86_64_SERIAL_H

#include <stddef.h>

/* Programs COM1 for 115200 baud, 8N1, FIFOs on, interrupts off. */
void serial_init(void);

/* Writes n bytes, translating "\n" to "\r\n"; spins while the FIFO is full. */
void serial_write(const char *s, size_t n);

#endif
