/* SPDX-License-Identifier: GPL-2.0-only */
/* netdev.c: netdrill-private sysctl paths below net/netdrill/ for the
 * device state scripts set with shell commands (see netdev_priv.h):
 * nds_sysctl_write / nds_sysctl_read -> netdev_sysctl_write / _read ->
 * sch_set / sch_show (qdisc), route_set / route_show (route metrics),
 * mib_show / mib_snapshot (nstat), offload_set / offload_show (tun0's
 * TSO and GSO, as `ethtool -K tun0` sets them), mtu_set / mtu_show
 * (tun0's MTU, as `ip link set dev tun0 mtu N` sets it).
 */
#include "netdev_priv.h"
#include "nds_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define QDISC_PATH "net/netdrill/qdisc/tun0"
#define NSTAT_PATH "net/netdrill/nstat"
#define ROUTE_PATH "net/netdrill/route"
#define OFFLOAD_PATH "net/netdrill/offload/tun0"
#define MTU_PATH "net/netdrill/mtu/tun0"

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

/* offload_set: "feature on|off" pairs (tso, gso), applied in order over
 * the current state; nothing changes unless the whole spec is valid. */
int offload_set(struct nds *ns, const char *spec)
{
	bool tso_off = ns->netdev.tso_off, gso_off = ns->netdev.gso_off;
	char key[16], val[16];
	int n, pairs = 0;

	for (;;) {
		while (*spec == ' ' || *spec == '\t' || *spec == '\n')
			spec++;
		if (!*spec)
			break;
		if (sscanf(spec, "%15s %15s%n", key, val, &n) != 2)
			return -EINVAL;
		spec += n;
		if (strcmp(val, "on") && strcmp(val, "off"))
			return -EINVAL;
		if (!strcmp(key, "tso"))
			tso_off = !strcmp(val, "off");
		else if (!strcmp(key, "gso"))
			gso_off = !strcmp(val, "off");
		else
			return -EINVAL;
		pairs++;
	}
	if (!pairs)
		return -EINVAL;
	ns->netdev.tso_off = tso_off;
	ns->netdev.gso_off = gso_off;
	return 0;
}

int offload_show(struct nds *ns, char *buf, size_t len)
{
	int n = snprintf(buf, len, "tso %s gso %s",
			 ns->netdev.tso_off ? "off" : "on",
			 ns->netdev.gso_off ? "off" : "on");

	return n >= 0 && (size_t)n < len ? 0 : -EINVAL;
}

/* mtu_set: tun0's MTU (dev_set_mtu: tun's range is 68 to 65535). Routes
 * take the device's MTU unless they carry their own (dst_mtu), so new
 * connections size their MSS and segments for it. */
int mtu_set(struct nds *ns, const char *spec)
{
	char extra;
	int mtu;

	if (sscanf(spec, " %d %c", &mtu, &extra) != 1 || mtu < 68 ||
	    mtu > 65535)
		return -EINVAL;
	ns->mtu = mtu;
	return 0;
}

int mtu_show(struct nds *ns, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%d", ns->mtu);

	return n >= 0 && (size_t)n < len ? 0 : -EINVAL;
}

const char *netdev_sysctl_name(int i)
{
	static const char *const paths[] = {
		QDISC_PATH, NSTAT_PATH, ROUTE_PATH, OFFLOAD_PATH, MTU_PATH,
	};

	return i >= 0 && i < (int)(sizeof(paths) / sizeof(paths[0])) ?
	       paths[i] : NULL;
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
	if (!strcmp(path, OFFLOAD_PATH)) {
		*rc = offload_set(ns, value);
		return 1;
	}
	if (!strcmp(path, MTU_PATH)) {
		*rc = mtu_set(ns, value);
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
	if (!strcmp(path, OFFLOAD_PATH)) {
		*rc = offload_show(ns, buf, len);
		return 1;
	}
	if (!strcmp(path, MTU_PATH)) {
		*rc = mtu_show(ns, buf, len);
		return 1;
	}
	if (!strcmp(path, NSTAT_PATH)) {
		*rc = mib_show(ns, buf, len);
		return 1;
	}
	if (!strcmp(path, "net/netdrill/netstat")) {
		*rc = mib_netstat(ns, buf, len);
		return 1;
	}
	if (!strcmp(path, "net/netdrill/snmp")) {
		*rc = mib_snmp(ns, buf, len);
		return 1;
	}
	return 0;
}
