/* SPDX-License-Identifier: GPL-2.0-only */
/* netns.c: the private network namespace and tun0 of kernel mode
 * (packetdrill's netdev.c job, done with unshare(2), ioctls and
 * rtnetlink instead of ifconfig/ip commands on the host). */
#include "netns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "util.h"

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Without CAP_SYS_ADMIN in the initial namespace, a user namespace in
 * which we are root can still own a network namespace (and open
 * /dev/net/tun if its permissions allow). */
static int enter_user_namespace(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER))
		return -1;
	snprintf(map, sizeof(map), "0 %d 1\n", (int)uid);
	if (write_text("/proc/self/uid_map", map))
		return -1;
	write_text("/proc/self/setgroups", "deny\n");
	snprintf(map, sizeof(map), "0 %d 1\n", (int)gid);
	return write_text("/proc/self/gid_map", map);
}

int netns_enter(char **error)
{
	int err;

	if (unshare(CLONE_NEWNET | CLONE_NEWNS) == 0)
		goto entered;
	err = errno;
	if ((err == EPERM || err == EACCES) && geteuid() != 0 &&
	    enter_user_namespace() == 0 &&
	    unshare(CLONE_NEWNET | CLONE_NEWNS) == 0)
		goto entered;
	return fail(error, "kernel mode needs CAP_SYS_ADMIN and "
		    "CAP_NET_ADMIN (run it as root): cannot create a network "
		    "namespace: %s", strerror(err));
entered:
	/* Our mounts stay ours; a sysfs of our own shows our interfaces
	 * under /sys/class/net. Both are conveniences only. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
		mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV |
		      MS_NOEXEC, NULL);
	/* tun0 should say nothing on its own: no DAD, no router
	 * solicitations, no link-local address (hence no MLD reports). */
	write_text("/proc/sys/net/ipv6/conf/default/accept_dad", "0\n");
	write_text("/proc/sys/net/ipv6/conf/default/dad_transmits", "0\n");
	write_text("/proc/sys/net/ipv6/conf/default/router_solicitations",
		   "0\n");
	write_text("/proc/sys/net/ipv6/conf/default/accept_ra", "0\n");
	write_text("/proc/sys/net/ipv6/conf/default/addr_gen_mode", "1\n");
	return 0;
}

/* ---- rtnetlink ---- */

struct nl_req {
	struct nlmsghdr h;
	char body[512];
};

static void nl_put(struct nl_req *r, const void *data, size_t len)
{
	memcpy((char *)&r->h + NLMSG_ALIGN(r->h.nlmsg_len), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + (unsigned)len;
}

static void nl_attr(struct nl_req *r, unsigned short type, const void *data,
		    size_t len)
{
	struct rtattr rta;
	char *at;

	rta.rta_type = type;
	rta.rta_len = (unsigned short)RTA_LENGTH(len);
	at = (char *)&r->h + NLMSG_ALIGN(r->h.nlmsg_len);
	memcpy(at, &rta, sizeof(rta));
	memcpy(at + RTA_LENGTH(0), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(rta.rta_len);
}

/* Send one request and wait for its acknowledgement: 0 or -errno. */
static int nl_talk(struct nl_req *r)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char buf[4096];
	int fd, rc = -EIO;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	r->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	r->h.nlmsg_seq = 1;
	if (sendto(fd, r, r->h.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		rc = -errno;
		goto out;
	}
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		for (; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				rc = e->error;
				goto out;
			}
		}
	}
out:
	close(fd);
	return rc;
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static int add_address(int ifindex, const struct ip_address *ip,
		       int prefix_len)
{
	struct nl_req r;
	struct ifaddrmsg ifa;
	unsigned int flags = ip->family == AF_INET6 ? IFA_F_NODAD : 0;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(0);
	r.h.nlmsg_type = RTM_NEWADDR;
	r.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = (unsigned char)ip->family;
	ifa.ifa_prefixlen = (unsigned char)prefix_len;
	ifa.ifa_flags = (unsigned char)flags;
	ifa.ifa_index = (unsigned)ifindex;
	nl_put(&r, &ifa, sizeof(ifa));
	nl_attr(&r, IFA_LOCAL, &ip->u, addr_len(ip->family));
	nl_attr(&r, IFA_ADDRESS, &ip->u, addr_len(ip->family));
	nl_attr(&r, IFA_FLAGS, &flags, sizeof(flags));
	return nl_talk(&r);
}

/* Route dst/prefix_len via gw out of ifindex (packetdrill's
 * "ip route add REMOTE dev tun0 via GATEWAY"). */
static int add_route(int ifindex, const struct ip_address *dst,
		     int prefix_len, const struct ip_address *gw)
{
	struct nl_req r;
	struct rtmsg rtm;
	int oif = ifindex;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(0);
	r.h.nlmsg_type = RTM_NEWROUTE;
	r.h.nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = (unsigned char)dst->family;
	rtm.rtm_dst_len = (unsigned char)prefix_len;
	rtm.rtm_table = RT_TABLE_MAIN;
	rtm.rtm_protocol = RTPROT_BOOT;
	rtm.rtm_scope = RT_SCOPE_UNIVERSE;
	rtm.rtm_type = RTN_UNICAST;
	nl_put(&r, &rtm, sizeof(rtm));
	nl_attr(&r, RTA_DST, &dst->u, addr_len(dst->family));
	nl_attr(&r, RTA_GATEWAY, &gw->u, addr_len(gw->family));
	nl_attr(&r, RTA_OIF, &oif, sizeof(oif));
	return nl_talk(&r);
}

static int link_up(int ctl, const char *name, int mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (mtu > 0) {
		ifr.ifr_mtu = mtu;
		if (ioctl(ctl, SIOCSIFMTU, &ifr))
			return -errno;
	}
	if (ioctl(ctl, SIOCGIFFLAGS, &ifr))
		return -errno;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(ctl, SIOCSIFFLAGS, &ifr))
		return -errno;
	return 0;
}

int netns_tun_up(const struct config *config, char **error)
{
	const unsigned offloads = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 |
				  TUN_F_TSO_ECN;
	struct ifreq ifr;
	struct ip_address dst = config->live_remote_ip;
	int fd, ctl, ifindex, rc, i;
	char text[INET6_ADDRSTRLEN + 8];
	unsigned char *b = (unsigned char *)&dst.u;

	/* The kernel wants a route's host bits clear. */
	for (i = 0; i < (int)addr_len(dst.family) * 8; i++)
		if (i >= config->live_remote_prefix_len)
			b[i / 8] &= (unsigned char)~(0x80 >> (i % 8));

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return fail(error, "kernel mode needs /dev/net/tun: %s",
			    strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", NETNS_TUN_NAME);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		rc = errno;
		close(fd);
		return fail(error, "kernel mode needs CAP_NET_ADMIN to create "
			    "%s: %s", NETNS_TUN_NAME, strerror(rc));
	}
	if (ioctl(fd, TUNSETOFFLOAD, offloads)) {
		rc = errno;
		close(fd);
		return fail(error, "cannot set offloads on %s: %s",
			    NETNS_TUN_NAME, strerror(rc));
	}
	ifindex = (int)if_nametoindex(NETNS_TUN_NAME);
	ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl < 0 || !ifindex) {
		rc = errno;
		goto fail;
	}
	if ((rc = -link_up(ctl, "lo", 0)) ||
	    (rc = -link_up(ctl, NETNS_TUN_NAME, config->mtu))) {
		close(ctl);
		goto fail;
	}
	close(ctl);
	rc = -add_address(ifindex, &config->live_local_ip,
			  config->live_prefix_len);
	if (rc) {
		inet_ntop(config->live_local_ip.family,
			  &config->live_local_ip.u, text, sizeof(text));
		close(fd);
		return fail(error, "cannot add address %s/%d to %s: %s", text,
			    config->live_prefix_len, NETNS_TUN_NAME,
			    strerror(rc));
	}
	rc = -add_route(ifindex, &dst, config->live_remote_prefix_len,
			&config->live_gateway_ip);
	if (rc) {
		inet_ntop(dst.family, &dst.u, text, sizeof(text));
		close(fd);
		return fail(error, "cannot route %s/%d via the gateway on %s: "
			    "%s", text, config->live_remote_prefix_len,
			    NETNS_TUN_NAME, strerror(rc));
	}
	return fd;
fail:
	close(fd);
	return fail(error, "cannot bring up %s: %s", NETNS_TUN_NAME,
		    strerror(rc));
}
