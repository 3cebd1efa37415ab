/* version.h - the Keel release this tree builds. */
#ifndef KEEL_CORE_VERSION_H
#define KEEL_CORE_VERSION_H

#define KEEL_VERSION "0.1.0"

#endif
