/*
 * msi.h - the message sys_irq_msi_create returns, taken apart for a
 * driver to program into its device: an MSI-X table entry (message
 * address low and high, message data, vector control) or an MSI
 * capability (address, upper address when 64-bit capable, data).
 */
#ifndef KEEL_ABI_MSI_H
#define KEEL_ABI_MSI_H

#include <stdint.h>

/* The low 32 bits of the message address (the high 32 bits are 0). */
static inline uint32_t msi_address(uint64_t message)
{
	return (uint32_t)(message >> 32);
}

/* The message data: 16 bits for an MSI capability, 32 for MSI-X. */
static inline uint32_t msi_data(uint64_t message)
{
	return (uint32_t)message;
}

#endif
