/*
 * protocol.h - vfsd's messages. The file protocol is defined once in
 * libsys (keel/vfs.h, with its client library libsys/vfs.c) because every
 * program that uses files speaks it; docs/files.md describes it.
 */
#ifndef KEEL_VFSD_PROTOCOL_H
#define KEEL_VFSD_PROTOCOL_H

#include "keel/vfs.h"

#endif
