/* SPDX-License-Identifier: GPL-2.0-only */
/* config_test.c: unit tests of src/base/config.c: defaults per ip_version,
 * value checking, the order of script and command-line options, -D. */
#include "config.h"
#include "tests/tap.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const char *ip_str(const struct ip_address *ip)
{
	static char buf[4][INET6_ADDRSTRLEN];
	static int i;

	i = (i + 1) % 4;
	inet_ntop(ip->family, &ip->u, buf[i], sizeof(buf[i]));
	return buf[i];
}

/* Apply one option; returns 0 or -1, freeing any error message. */
static int set(struct config *c, const char *name, const char *value)
{
	char *error = NULL;
	int rc = config_set_option(c, name, value, &error);

	CHECK((rc == 0) == (error == NULL));
	free(error);
	return rc;
}

static int finalize(struct config *c)
{
	char *error = NULL;
	int rc = config_finalize(c, &error);

	CHECK((rc == 0) == (error == NULL));
	free(error);
	return rc;
}

static void test_defaults_ipv4(void)
{
	struct config c;

	config_init(&c);
	CHECK(finalize(&c) == 0);
	CHECK(c.ip_version == IP_VERSION_4);
	CHECK(c.socket_domain == AF_INET && c.wire_protocol == AF_INET);
	CHECK_STREQ(ip_str(&c.live_local_ip), "192.168.0.1");
	CHECK_STREQ(ip_str(&c.live_remote_ip), "192.0.2.1");
	CHECK(c.live_remote_prefix_len == 24);
	CHECK_STREQ(ip_str(&c.live_gateway_ip), "192.168.0.1");
	CHECK_STREQ(ip_str(&c.live_netmask_ip), "255.255.0.0");
	CHECK(c.live_prefix_len == 16);
	CHECK(c.live_bind_port == 8080 && c.live_connect_port == 8080);
	CHECK(c.mtu == 1500 && c.mss == 0 && c.speed == 0);
	CHECK(c.tolerance_usecs == 4000);
	CHECK(c.tolerance_percent == 12.5);
	CHECK(c.tcp_ts_tick_usecs == 0 && !c.tcp_ts_ecr_scaled);
	CHECK(!c.strict_segments && !c.non_fatal_packet && !c.non_fatal_syscall);
	CHECK_STREQ(c.code_command_line, "python3");
	CHECK_STREQ(c.code_format, "python");
	CHECK_STREQ(c.code_sockopt, "TCP_INFO");
	CHECK(c.stack == STACK_EMBEDDED);
	CHECK(c.local_ip_string && !strcmp(c.local_ip_string, "192.168.0.1"));
	config_free(&c);
}

static void test_defaults_ipv6(void)
{
	struct config c;

	config_init(&c);
	CHECK(set(&c, "ip_version", "ipv6") == 0);
	CHECK(finalize(&c) == 0);
	CHECK(c.socket_domain == AF_INET6 && c.wire_protocol == AF_INET6);
	CHECK_STREQ(ip_str(&c.live_local_ip), "fd3d:fa7b:d17d::1");
	CHECK_STREQ(ip_str(&c.live_remote_ip), "2001:db8::1");
	CHECK(c.live_remote_prefix_len == 32);
	CHECK_STREQ(ip_str(&c.live_gateway_ip), "fd3d:fa7b:d17d:8888::");
	CHECK(c.live_prefix_len == 48);
	config_free(&c);

	config_init(&c);
	CHECK(set(&c, "--ip_version", "ipv4-mapped-ipv6") == 0);
	CHECK(finalize(&c) == 0);
	CHECK(c.socket_domain == AF_INET6 && c.wire_protocol == AF_INET);
	CHECK_STREQ(ip_str(&c.live_local_ip), "192.168.0.1");
	config_free(&c);
}

/* The runner's IPv6 line: netmask absent, addresses given. */
static void test_runner_ipv6(void)
{
	struct config c;

	config_init(&c);
	CHECK(set(&c, "ip_version", "ipv6") == 0);
	CHECK(set(&c, "mtu", "1520") == 0);
	CHECK(set(&c, "local_ip", "fd3d:0a0b:17d6::1") == 0);
	CHECK(set(&c, "gateway_ip", "fd3d:0a0b:17d6:8888::1") == 0);
	CHECK(set(&c, "remote_ip", "fd3d:fa7b:d17d::1") == 0);
	CHECK(finalize(&c) == 0);
	CHECK(c.mtu == 1520);
	CHECK_STREQ(ip_str(&c.live_local_ip), "fd3d:a0b:17d6::1");
	CHECK(c.live_remote_prefix_len == 128);
	config_free(&c);
}

static void test_bad_values(void)
{
	static const char *const bad[][2] = {
		{ "ip_version", "ipv5" }, { "ip_version", "" },
		{ "local_ip", "1.2.3" }, { "local_ip", "1.2.3.4/8" },
		{ "remote_ip", "1.2.3.4/33" }, { "remote_ip", "1.2.3.4/" },
		{ "remote_ip", "::1/129" }, { "gateway_ip", "gw" },
		{ "netmask_ip", "255.0.255.0" }, { "netmask_ip", "::" },
		{ "bind_port", "0" }, { "bind_port", "65536" },
		{ "connect_port", "-1" }, { "connect_port", "80x" },
		{ "mtu", "-1" }, { "mtu", "67" }, { "mtu", "" },
		{ "mss", "0" }, { "mss", " 1" }, { "mss", "+5" },
		{ "speed", "-1" }, { "speed", "1e3" },
		{ "speed", "99999999999999999999" },
		{ "tolerance_usecs", "0" }, { "tolerance_usecs", "-4" },
		{ "tolerance_percent", "-1" }, { "tolerance_percent", "100.5" },
		{ "tolerance_percent", "nan" }, { "tolerance_percent", "5%" },
		{ "tcp_ts_tick_usecs", "1000001" },
		{ "non_fatal", "packets" }, { "define", "=x" },
		{ "define", "X" }, { "stack", "" },
		{ "no_such_option", "1" }, { "dry_run", "1" }, { "mtu", NULL },
	};
	struct config c;
	size_t i;

	config_init(&c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECKF(set(&c, bad[i][0], bad[i][1]) != 0, "--%s=%s refused",
		       bad[i][0], bad[i][1] ? bad[i][1] : "(none)");
	}
	/* Nothing took effect. */
	CHECK(c.mtu == 1500 && c.mss == 0 && c.live_bind_port == 8080);
	CHECK(c.defines == NULL && c.local_ip_string == NULL);
	config_free(&c);

	/* Family mismatches show at finalization. */
	config_init(&c);
	CHECK(set(&c, "local_ip", "fd00::1") == 0);
	CHECK(finalize(&c) == -1);
	config_free(&c);
	config_init(&c);
	CHECK(set(&c, "ip_version", "ipv6") == 0);
	CHECK(set(&c, "remote_ip", "192.0.2.9") == 0);
	CHECK(finalize(&c) == -1);
	config_free(&c);
}

static void test_good_values(void)
{
	struct config c;

	config_init(&c);
	CHECK(set(&c, "speed", "100") == 0 && c.speed == 100000000ull);
	CHECK(set(&c, "tolerance_percent", "0") == 0 && c.tolerance_percent == 0);
	CHECK(set(&c, "tolerance_percent", "2.5") == 0 &&
	      c.tolerance_percent == 2.5);
	CHECK(set(&c, "tcp_ts_tick_usecs", "1000") == 0 &&
	      c.tcp_ts_tick_usecs == 1000);
	CHECK(set(&c, "non_fatal", "syscall") == 0);
	CHECK(c.non_fatal_syscall && !c.non_fatal_packet);
	CHECK(set(&c, "non_fatal", "packet, syscall") == 0 &&
	      c.non_fatal_packet);
	CHECK(set(&c, "verbose", NULL) == 0 && set(&c, "verbose", NULL) == 0);
	CHECK(c.verbose == 2);
	CHECK(set(&c, "stack", "compare") == 0 && c.stack == STACK_COMPARE);
	CHECK(set(&c, "netmask_ip", "255.255.255.0") == 0);
	CHECK(set(&c, "remote_ip", "192.0.2.7/28") == 0);
	CHECK(set(&c, "init_scripts", "a.sh,b.sh") == 0 &&
	      !strcmp(c.init_scripts, "a.sh,b.sh"));
	CHECK(finalize(&c) == 0);
	CHECK(c.live_prefix_len == 24 && c.live_remote_prefix_len == 28);
	CHECK_STREQ(ip_str(&c.live_remote_ip), "192.0.2.7");
	config_free(&c);
}

/* Definitions: in order, a later one of the same name replaces. */
static void test_defines(void)
{
	struct config c;

	config_init(&c);
	CHECK(config_lookup_define(&c, "A") == NULL);
	CHECK(set(&c, "define", "A=1") == 0);
	CHECK(set(&c, "define", "B=x=y") == 0);
	CHECK(set(&c, "define", "C=") == 0);
	CHECK(set(&c, "define", "A=2") == 0);
	CHECK_STREQ(config_lookup_define(&c, "A"), "2");
	CHECK_STREQ(config_lookup_define(&c, "B"), "x=y");
	CHECK_STREQ(config_lookup_define(&c, "C"), "");
	CHECK(c.defines && !strcmp(c.defines->name, "A") &&
	      c.defines->next && !strcmp(c.defines->next->name, "B"));
	config_free(&c);
}

/* packetdrill applies the script's option lines, then the command line
 * again: the command line wins. main.c does this; here the same order. */
static void test_precedence(void)
{
	struct config c;

	config_init(&c);
	CHECK(set(&c, "tolerance_usecs", "10000") == 0);	/* script */
	CHECK(set(&c, "mtu", "1400") == 0);			/* script */
	CHECK(set(&c, "tolerance_usecs", "20000") == 0);	/* command line */
	CHECK(c.tolerance_usecs == 20000 && c.mtu == 1400);
	config_free(&c);
}

/* config_init() allocates nothing; setting, finalizing and freeing do the
 * right thing with the static defaults (ASan/valgrind runs check this). */
static void test_ownership(void)
{
	struct config c;

	config_init(&c);		/* dropped without config_free() */
	config_init(&c);
	CHECK(set(&c, "code_command", "python3.11") == 0);
	CHECK_STREQ(c.code_command_line, "python3.11");
	CHECK(set(&c, "code_command", "python3") == 0);
	CHECK(finalize(&c) == 0);
	CHECK(set(&c, "local_ip", "192.168.1.1") == 0);
	CHECK(finalize(&c) == 0);
	CHECK_STREQ(c.local_ip_string, "192.168.1.1");
	config_free(&c);
	config_free(&c);		/* a freed config is an empty one */
}

int main(void)
{
	return TAP_RUN(test_defaults_ipv4, test_defaults_ipv6, test_runner_ipv6,
		       test_bad_values, test_good_values, test_defines,
		       test_precedence, test_ownership);
}
