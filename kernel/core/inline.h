/*
 * inline.h - asking for a function of one file to be inlined into
 * another's caller.
 *
 * The kernel is built with link-time optimisation (docs/kernel-abi.md):
 * the linker inlines across files, and always_inline on a function's
 * definition makes it do so whatever its size - for the few the IPC fast
 * path calls once a message (core/ipc.c). gcc, which builds the host port
 * without it, would warn that it cannot; there the mark means nothing.
 */
#ifndef KEEL_CORE_INLINE_H
#define KEEL_CORE_INLINE_H

#ifdef __clang__
#define LTO_INLINE __attribute__((always_inline))
#else
#define LTO_INLINE
#endif

#endif
