/* status.c - names and messages of the shared status codes. */
#include "abi/status.h"

static const char *const names[] = {
#define STATUS(name, num, msg) [num] = #name,
#include "abi/status.def"
#undef STATUS
};

static const char *const messages[] = {
#define STATUS(name, num, msg) [num] = msg,
#include "abi/status.def"
#undef STATUS
};

const char *status_name(status_t st)
{
	if ((unsigned)st >= STATUS_COUNT || !names[st])
		return "?";
	return names[st];
}

const char *status_message(status_t st)
{
	if ((unsigned)st >= STATUS_COUNT || !messages[st])
		return "unknown status";
	return messages[st];
}
