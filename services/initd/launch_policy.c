/* launch_policy.c - what a launched app is given (see launch_policy.h). */
#include "launch_policy.h"

status_t launch_manifest_check(const struct manifest *m)
{
	if (m->port_count || m->irq_count || m->mmio_count || m->send_count)
		return STATUS_INVALID;
	return STATUS_OK;
}

status_t launch_name_check(const char *name)
{
	size_t k = 0;
	while (k <= LAUNCH_CAP_NAME_MAX && name[k])
		k++;
	if (k == 0 || k > LAUNCH_CAP_NAME_MAX || name[0] < 'a' || name[0] > 'z')
		return STATUS_INVALID;
	for (size_t i = 1; i < k; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return STATUS_INVALID;
	}
	return STATUS_OK;
}

/* True if the manifest declares name. */
static bool declared(const struct manifest *m, const char *name)
{
	for (uint32_t i = 0; i < m->use_count; i++)
		if (!strcmp(m->uses[i], name))
			return true;
	return false;
}

/* True if name passes a descriptor: "fdN-pr" or "fdN-pw" (a pipe end), or
 * "fdN-fM" (a vfsd file, M its access mode: r, w, b, a or c). */
static bool fd_name(const char *name)
{
	size_t k = 2;
	if (strncmp(name, "fd", 2))
		return false;
	while (name[k] >= '0' && name[k] <= '9')
		k++;
	if (k == 2 || k >= 6 || name[k] != '-')
		return false;
	if (name[k + 1] == 'p')
		return (name[k + 2] == 'r' || name[k + 2] == 'w') && !name[k + 3];
	return name[k + 1] == 'f' && name[k + 2] && strchr("rwbac", name[k + 2]) && !name[k + 3];
}

uint32_t launch_intersect(const struct manifest *m, const launch_name_t *names, uint32_t n,
			  bool keep[])
{
	uint32_t kept = 0;
	for (uint32_t i = 0; i < n; i++) {
		keep[i] = declared(m, names[i]) || (fd_name(names[i]) && declared(m, "fds"));
		kept += keep[i];
	}
	return kept;
}

status_t launch_name_add(launch_name_t *names, uint32_t *n, const char *name)
{
	if (launch_name_check(name))
		return STATUS_INVALID;
	for (uint32_t i = 0; i < *n; i++)
		if (!strcmp(names[i], name))
			return STATUS_EXISTS;
	if (*n >= LAUNCH_CAPS_MAX)
		return STATUS_FULL;
	memcpy(names[*n], name, strlen(name) + 1);
	(*n)++;
	return STATUS_OK;
}
