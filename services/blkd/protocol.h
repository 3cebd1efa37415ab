/*
 * protocol.h - blkd's protocol: the block protocol of keel/block.h, where
 * it is defined once for blkd and its clients (the libsys block client).
 */
#ifndef KEEL_BLKD_PROTOCOL_H
#define KEEL_BLKD_PROTOCOL_H

#include "keel/block.h"

#endif
