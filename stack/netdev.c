/* netdev.c: netdrill-private sysctl paths below net/netdrill/ for the
 * device state scripts set with shell commands (see netdev_priv.h):
 * nds_sysctl_write / nds_sysctl_read -> netdev_sysctl_write / _read ->
 * sch_set / sch_show (qdisc), route_set / route_show (route metrics),
 * mib_show / mib_snapshot (nstat).
 */
#include "netdev_priv.h"
#include "nds_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define QDISC_PATH "net/netdrill/qdisc/tun0"
#define NSTAT_PATH "net/netdrill/nstat"
#define ROUTE_PATH "net/netdrill/route"

/* "net/netdrill/x" from "/proc/sys/net/netdrill/x" or "net.netdrill.x";
 * false if it is not below net/netdrill/. */
static bool netdev_path(const char *path, char *norm, size_t size)
{
	size_t i;

	if (!strncmp(path, "/proc/sys/", 10))
		path += 10;
	for (i = 0; path[i] && i + 1 < size; i++)
		norm[i] = path[i] == '.' ? '/' : path[i];
	norm[i] = 0;
	return !path[i] && !strncmp(norm, "net/netdrill/", 13);
}

int netdev_sysctl_write(struct nds *ns, const char *path_in,
			const char *value, int *rc)
{
	char path[128];

	if (!netdev_path(path_in, path, sizeof(path)))
		return 0;
	if (!strcmp(path, QDISC_PATH)) {
		*rc = sch_set(ns, value);
		return 1;
	}
	if (!strcmp(path, ROUTE_PATH)) {
		*rc = route_set(ns, value);
		return 1;
	}
	if (!strcmp(path, NSTAT_PATH)) {
		/* nstat updating its history; the counters are read-only */
		char word[16];

		*rc = sscanf(value, " %15s", word) == 1 &&
		      !strcmp(word, "snapshot") ? 0 : -EINVAL;
		if (!*rc)
			mib_snapshot(ns);
		return 1;
	}
	return 0;
}

int netdev_sysctl_read(struct nds *ns, const char *path_in, char *buf,
		       size_t len, int *rc)
{
	char path[128];

	if (!netdev_path(path_in, path, sizeof(path)))
		return 0;
	if (!strcmp(path, QDISC_PATH)) {
		*rc = sch_show(ns, buf, len);
		return 1;
	}
	if (!strcmp(path, ROUTE_PATH)) {
		*rc = route_show(ns, buf, len);
		return 1;
	}
	if (!strcmp(path, NSTAT_PATH)) {
		*rc = mib_show(ns, buf, len);
		return 1;
	}
	return 0;
}
