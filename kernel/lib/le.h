/*
 * le.h - reading little-endian fields from byte buffers, whatever their
 * alignment: the parsers of firmware tables, boot information and
 * executables all read through these.
 */
#ifndef KEEL_LIB_LE_H
#define KEEL_LIB_LE_H

#include <stdint.h>

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

#endif
