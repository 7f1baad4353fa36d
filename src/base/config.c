/* SPDX-License-Identifier: GPL-2.0-only */
/* config.c: the run configuration: packetdrill's defaults, option parsing
 * shared by the command line and script option lines, and finalization
 * of the addresses that depend on --ip_version. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util.h"

/* Defaults, as packetdrill documents them: the local side lives in the
 * RFC 1918 space 192.168.0.0/16 and the remote side in TEST-NET-1
 * (RFC 5737); for IPv6 a unique local /48 (RFC 4193) and the
 * documentation prefix 2001:db8::/32 (RFC 3849). packetdrill picks a
 * random local host address in the subnet for its TUN device; netdrill
 * is deterministic and takes the first host address. */
#define V4_LOCAL_IP	"192.168.0.1"
#define V4_REMOTE_IP	"192.0.2.1/24"
#define V4_GATEWAY_IP	"192.168.0.1"
#define V4_NETMASK_IP	"255.255.0.0"
#define V6_LOCAL_IP	"fd3d:fa7b:d17d::1"
#define V6_REMOTE_IP	"2001:db8::1/32"
#define V6_GATEWAY_IP	"fd3d:fa7b:d17d:8888::"
#define V6_PREFIX_LEN	48

#define DEFAULT_PORT		8080
#define DEFAULT_MTU		1500
#define DEFAULT_TOLERANCE_USECS	4000
#define DEFAULT_TOLERANCE_PCT	12.5	/* Linux timer wheel worst case */

const struct config_option_info config_options[] = {
	{ "ip_version", true, "ipv4|ipv4-mapped-ipv6|ipv6",
	  "address family of sockets and packets (ipv4)" },
	{ "local_ip", true, "ADDR", "local address (192.168.0.1)" },
	{ "remote_ip", true, "ADDR[/LEN]", "remote address (192.0.2.1/24)" },
	{ "gateway_ip", true, "ADDR", "gateway address (192.168.0.1)" },
	{ "netmask_ip", true, "MASK", "IPv4 netmask (255.255.0.0)" },
	{ "bind_port", true, "PORT", "local port (8080)" },
	{ "connect_port", true, "PORT", "remote port (8080)" },
	{ "mtu", true, "BYTES", "MTU of the link (1500)" },
	{ "mss", true, "BYTES", "GRO segment size of injected packets (0)" },
	{ "speed", true, "MBPS", "TUN link speed (checked; no effect yet)" },
	{ "tolerance_usecs", true, "USECS", "timing tolerance (4000)" },
	{ "tolerance_percent", true, "PERCENT",
	  "timing tolerance, % of the interval (12.5)" },
	{ "tcp_ts_tick_usecs", true, "USECS",
	  "usecs per TS val tick; 0: unchecked (0)" },
	{ "tcp_ts_ecr_scaled", false, NULL, "scale TS ecr values like TS val" },
	{ "strict_segments", false, NULL, "do not merge outbound segments" },
	{ "non_fatal", true, "packet,syscall",
	  "warn and go on after these failures" },
	{ "init_scripts", true, "FILE[,FILE...]",
	  "shell scripts to run before each script" },
	{ "send_omit_free", false, NULL, "(accepted; no effect yet)" },
	{ "code_command", true, "COMMAND",
	  "interpreter for code blocks (python3)" },
	{ "code_format", true, "FORMAT", "format of code blocks (python)" },
	{ "code_sockopt", true, "SOCKOPT",
	  "socket option for code blocks (TCP_INFO)" },
	{ "define", true, "NAME=VALUE", "define a symbol for the scripts" },
	{ "dry_run", false, NULL, "parse and check the scripts, do not run" },
	{ "dump", false, NULL, "print the scripts in canonical syntax" },
	{ "stack", true, "embedded|kernel|compare",
	  "system under test (embedded)" },
	{ "verbose", false, NULL, "print more; repeat for more" },
	{ "trace", false, NULL,
	  "trace the run; LIST: packets,calls,state,timers,counters (all)" },
	{ "trace-file", true, "FILE", "write the trace to FILE (stdout)" },
	{ "trace-format", true, "text|json", "trace as text or JSON lines (text)" },
	{ "report", true, "FILE.html", "self-contained HTML report of the run" },
	{ "debug", false, NULL, "(accepted; no effect yet)" },
	{ NULL, false, NULL, NULL },
};

const struct config_option_info config_unsupported_options[] = {
	{ "wire_client", false, NULL, "packetdrill's wire client mode" },
	{ "wire_server", false, NULL, "packetdrill's wire server mode" },
	{ "wire_server_ip", true, NULL, "packetdrill's wire mode" },
	{ "wire_server_at", true, NULL, "packetdrill's wire mode" },
	{ "wire_server_port", true, NULL, "packetdrill's wire mode" },
	{ "wire_client_dev", true, NULL, "packetdrill's wire mode" },
	{ "wire_server_dev", true, NULL, "packetdrill's wire mode" },
	{ "so_filename", true, NULL, "stacks loaded from a shared object" },
	{ "so_flags", true, NULL, "stacks loaded from a shared object" },
	{ "is_anyip", false, NULL, "any-IP local addresses" },
	{ NULL, false, NULL, NULL },
};

/* Default strings are not copied: config_init() allocates nothing, so a
 * config that only ever saw config_init() needs no config_free(). A slot
 * holds either one of these or a malloc'd string. */
enum {
	DEF_CODE_COMMAND, DEF_CODE_FORMAT, DEF_CODE_SOCKOPT,
	DEF_V4_LOCAL, DEF_V4_REMOTE, DEF_V4_GATEWAY, DEF_V4_NETMASK,
	DEF_V6_LOCAL, DEF_V6_REMOTE, DEF_V6_GATEWAY, NUM_DEFAULTS
};
static const char *const default_strings[NUM_DEFAULTS] = {
	"python3", "python", "TCP_INFO",
	V4_LOCAL_IP, V4_REMOTE_IP, V4_GATEWAY_IP, V4_NETMASK_IP,
	V6_LOCAL_IP, V6_REMOTE_IP, V6_GATEWAY_IP,
};

static void free_string(char *s)
{
	int i;

	for (i = 0; i < NUM_DEFAULTS; i++)
		if (s == default_strings[i])
			return;
	free(s);
}

static void set_default(char **slot, int which)
{
	free_string(*slot);
	*slot = (char *)default_strings[which];	/* never written to */
}

static void set_string(char **slot, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		abort();
	free_string(*slot);
	*slot = copy;
}

/* Parse an IPv4 or IPv6 address with an optional "/len" suffix (allowed
 * only if prefix_len is not NULL). */
static int parse_ip(const char *text, struct ip_address *ip, int *prefix_len)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;

	if (strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, buf, &ip->u.v4) == 1)
		ip->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, &ip->u.v6) == 1)
		ip->family = AF_INET6;
	else
		return -1;
	if (prefix_len)
		*prefix_len = ip->family == AF_INET ? 32 : 128;
	if (slash) {
		char *end;
		long len;

		if (!prefix_len || !slash[1] || slash[1] == '-' || slash[1] == '+')
			return -1;
		errno = 0;
		len = strtol(slash + 1, &end, 10);
		if (errno || *end || len < 0 ||
		    len > (ip->family == AF_INET ? 32 : 128))
			return -1;
		*prefix_len = (int)len;
	}
	return 0;
}

/* Number of leading one bits of a contiguous IPv4 netmask, or -1. */
static int netmask_to_prefix(const struct ip_address *mask)
{
	uint32_t m = ntohl(mask->u.v4.s_addr);
	int len = 0;

	if (mask->family != AF_INET)
		return -1;
	while (len < 32 && (m & (0x80000000u >> len)))
		len++;
	if (len < 32 && (m << len) != 0)
		return -1;	/* ones after a zero: not a netmask */
	return len;
}

/* A decimal integer in [min, max], digits only (no sign, no spaces). */
static int parse_long(const char *text, long min, long max, long *out)
{
	char *end;
	long v;

	if (!text || text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* An option's integer value in [min, max] into *n; a message that gives
 * the range otherwise. */
static int number_option(const char *name, const char *value, long min,
			 long max, long *n, char **error)
{
	if (!parse_long(value, min, max, n))
		return 0;
	return fail(error, "bad --%s: '%s' (expected an integer from %ld to "
		    "%ld)", name, value, min, max);
}

void config_init(struct config *config)
{
	memset(config, 0, sizeof(*config));
	config->ip_version = IP_VERSION_4;
	config->stack = STACK_EMBEDDED;
	config->socket_domain = AF_INET;
	config->wire_protocol = AF_INET;

	/* The IPv4 defaults, so a config is usable before finalization; the
	 * strings stay NULL until set or finalized, which tells the user's
	 * choice apart from a default. */
	parse_ip(V4_LOCAL_IP, &config->live_local_ip, NULL);
	parse_ip(V4_REMOTE_IP, &config->live_remote_ip,
		 &config->live_remote_prefix_len);
	parse_ip(V4_GATEWAY_IP, &config->live_gateway_ip, NULL);
	parse_ip(V4_NETMASK_IP, &config->live_netmask_ip, NULL);
	config->live_prefix_len = netmask_to_prefix(&config->live_netmask_ip);

	config->live_bind_port = DEFAULT_PORT;
	config->live_connect_port = DEFAULT_PORT;
	config->mtu = DEFAULT_MTU;
	config->mss = 0;
	config->speed = 0;
	config->tolerance_usecs = DEFAULT_TOLERANCE_USECS;
	config->tolerance_percent = DEFAULT_TOLERANCE_PCT;
	config->tcp_ts_tick_usecs = 0;

	set_default(&config->code_command_line, DEF_CODE_COMMAND);
	set_default(&config->code_format, DEF_CODE_FORMAT);
	set_default(&config->code_sockopt, DEF_CODE_SOCKOPT);
}

void config_free(struct config *config)
{
	struct definition *d, *next;

	free_string(config->local_ip_string);
	free_string(config->remote_ip_string);
	free_string(config->gateway_ip_string);
	free_string(config->netmask_ip_string);
	free_string(config->init_scripts);
	free_string(config->code_command_line);
	free(config->trace_file);
	free(config->report);
	free_string(config->code_format);
	free_string(config->code_sockopt);
	for (d = config->defines; d; d = next) {
		next = d->next;
		free(d->name);
		free(d->value);
		free(d);
	}
	memset(config, 0, sizeof(*config));
}

/* Add NAME=VALUE, replacing an earlier definition of the same name. */
static int define_symbol(struct config *config, const char *arg,
			 char **error)
{
	const char *equals = strchr(arg, '=');
	struct definition *d, **tail;
	char *name;

	if (!equals || equals == arg)
		return fail(error, "bad --define: '%s' (expected NAME=VALUE)",
			    arg);
	name = strndup(arg, equals - arg);
	if (!name)
		abort();
	for (tail = &config->defines; *tail; tail = &(*tail)->next) {
		if (strcmp((*tail)->name, name) == 0) {
			free(name);
			set_string(&(*tail)->value, equals + 1);
			return 0;
		}
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	d->name = name;
	set_string(&d->value, equals + 1);
	*tail = d;
	return 0;
}

/* --non_fatal takes a list of "packet" and "syscall", separated by commas
 * or spaces. packetdrill ignores unknown words; netdrill rejects them. */
static int parse_non_fatal(struct config *config, const char *arg,
			   char **error)
{
	bool packet = false, syscall = false;
	const char *p = arg;

	while (*p) {
		size_t n;

		p += strspn(p, ", ");
		n = strcspn(p, ", ");
		if (n == 0)
			break;
		if (n == 6 && strncmp(p, "packet", n) == 0)
			packet = true;
		else if (n == 7 && strncmp(p, "syscall", n) == 0)
			syscall = true;
		else
			return fail(error, "bad --non_fatal: '%s' "
				    "(expected packet, syscall or both)", arg);
		p += n;
	}
	config->non_fatal_packet |= packet;
	config->non_fatal_syscall |= syscall;
	return 0;
}

/* --trace[=packets,calls,state,timers,counters|all] */
static int set_trace(struct config *config, const char *arg, char **error)
{
	static const char *const names[] = {
		"packets", "calls", "state", "timers", "counters",
	};
	unsigned mask = 0;
	const char *p = arg;

	config->trace = true;
	if (!arg || !*arg) {
		config->trace_mask = CONFIG_TRACE_ALL;
		return 0;
	}
	while (*p) {
		size_t n, i;

		p += strspn(p, ", ");
		n = strcspn(p, ", ");
		if (n == 0)
			break;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i]) == n && !strncmp(p, names[i], n))
				break;
		if (i < sizeof(names) / sizeof(names[0]))
			mask |= 1u << i;
		else if (n == 3 && !strncmp(p, "all", 3))
			mask |= CONFIG_TRACE_ALL;
		else
			return fail(error, "bad --trace: '%s' (expected a list "
				    "of packets, calls, state, timers, "
				    "counters, or all)", arg);
		p += n;
	}
	config->trace_mask = mask;
	return 0;
}

static const struct config_option_info *find_option(const char *name)
{
	const struct config_option_info *o;

	for (o = config_options; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

/* The options with a value to check: addresses, numbers. 0 or -1 as
 * config_set_option; 1 when name is none of them. */
static int set_value_option(struct config *config, const char *name,
			    const char *value, char **error)
{
	struct ip_address ip;
	int prefix;
	long n;

#define NUMBER(min, max) \
	if (number_option(name, value, min, max, &n, error)) \
		return -1
#define BAD_ADDRESS(what) \
	fail(error, "bad --%s: '%s' (expected %s)", name, value, what)

	if (!strcmp(name, "ip_version")) {
		if (!strcmp(value, "ipv4"))
			config->ip_version = IP_VERSION_4;
		else if (!strcmp(value, "ipv4-mapped-ipv6"))
			config->ip_version = IP_VERSION_4_MAPPED_6;
		else if (!strcmp(value, "ipv6"))
			config->ip_version = IP_VERSION_6;
		else
			return fail(error, "bad --ip_version: '%s' (expected "
				    "ipv4, ipv4-mapped-ipv6 or ipv6)", value);
	} else if (!strcmp(name, "local_ip")) {
		if (parse_ip(value, &ip, NULL))
			return BAD_ADDRESS("an IPv4 or IPv6 address");
		set_string(&config->local_ip_string, value);
	} else if (!strcmp(name, "remote_ip")) {
		if (parse_ip(value, &ip, &prefix))
			return BAD_ADDRESS("an IPv4 or IPv6 address, "
					   "optionally /prefix length");
		set_string(&config->remote_ip_string, value);
	} else if (!strcmp(name, "gateway_ip")) {
		if (parse_ip(value, &ip, NULL))
			return BAD_ADDRESS("an IPv4 or IPv6 address");
		set_string(&config->gateway_ip_string, value);
	} else if (!strcmp(name, "netmask_ip")) {
		if (parse_ip(value, &ip, NULL) || netmask_to_prefix(&ip) < 0)
			return BAD_ADDRESS("an IPv4 netmask of contiguous "
					   "ones, e.g. 255.255.0.0");
		set_string(&config->netmask_ip_string, value);
	} else if (!strcmp(name, "bind_port")) {
		NUMBER(1, 65535);
		config->live_bind_port = (uint16_t)n;
	} else if (!strcmp(name, "connect_port")) {
		NUMBER(1, 65535);
		config->live_connect_port = (uint16_t)n;
	} else if (!strcmp(name, "mtu")) {
		NUMBER(68, 65535);
		config->mtu = (int)n;
	} else if (!strcmp(name, "mss")) {
		NUMBER(1, 65535);
		config->mss = (int)n;
	} else if (!strcmp(name, "speed")) {
		NUMBER(0, UINT32_MAX > LONG_MAX ? LONG_MAX : (long)UINT32_MAX);
		config->speed = (uint64_t)n * 1000000;	/* Mbit/s -> bit/s */
	} else if (!strcmp(name, "tolerance_usecs")) {
		NUMBER(1, INT_MAX);
		config->tolerance_usecs = (int)n;
	} else if (!strcmp(name, "tolerance_percent")) {
		char *end;
		double d;

		errno = 0;
		d = strtod(value, &end);
		if ((value[0] < '0' || value[0] > '9') && value[0] != '.')
			end = (char *)value;
		if (end == value || errno || *end || !(d >= 0.0 && d <= 100.0))
			return fail(error, "bad --%s: '%s' (expected a number "
				    "from 0 to 100)", name, value);
		config->tolerance_percent = d;
	} else if (!strcmp(name, "tcp_ts_tick_usecs")) {
		NUMBER(0, 1000000);
		config->tcp_ts_tick_usecs = (int)n;
	} else {
		return 1;
	}
#undef NUMBER
#undef BAD_ADDRESS
	return 0;
}

int config_set_option(struct config *config, const char *name,
		      const char *value, char **error)
{
	const struct config_option_info *o;
	int r;

	if (error)
		*error = NULL;
	if (strncmp(name, "--", 2) == 0)
		name += 2;
	o = find_option(name);
	if (!o) {
		for (o = config_unsupported_options; o->name; o++)
			if (strcmp(o->name, name) == 0)
				return fail(error, "option '--%s' is not "
					    "supported by netdrill (%s)",
					    name, o->help);
		return fail(error, "unknown option '--%s'", name);
	}
	if (!strcmp(name, "trace"))	/* the one optional argument */
		return set_trace(config, value, error);
	if (o->has_arg && !value)
		return fail(error, "option '--%s' requires an argument", name);
	if (!o->has_arg && value)
		return fail(error, "option '--%s' takes no argument", name);

	r = set_value_option(config, name, value, error);
	if (r <= 0)
		return r;
	if (!strcmp(name, "tcp_ts_ecr_scaled")) {
		config->tcp_ts_ecr_scaled = true;
	} else if (!strcmp(name, "strict_segments")) {
		config->strict_segments = true;
	} else if (!strcmp(name, "non_fatal")) {
		return parse_non_fatal(config, value, error);
	} else if (!strcmp(name, "init_scripts")) {
		set_string(&config->init_scripts, value);
	} else if (!strcmp(name, "send_omit_free")) {
		config->send_omit_free = true;
	} else if (!strcmp(name, "code_command")) {
		set_string(&config->code_command_line, value);
	} else if (!strcmp(name, "code_format")) {
		set_string(&config->code_format, value);
	} else if (!strcmp(name, "code_sockopt")) {
		set_string(&config->code_sockopt, value);
	} else if (!strcmp(name, "define")) {
		return define_symbol(config, value, error);
	} else if (!strcmp(name, "dry_run")) {
		config->dry_run = true;
	} else if (!strcmp(name, "dump")) {
		config->dump = true;
	} else if (!strcmp(name, "stack")) {
		if (!strcmp(value, "embedded"))
			config->stack = STACK_EMBEDDED;
		else if (!strcmp(value, "kernel"))
			config->stack = STACK_KERNEL;
		else if (!strcmp(value, "compare"))
			config->stack = STACK_COMPARE;
		else
			return fail(error, "bad --stack: '%s' (expected "
				    "embedded, kernel or compare)", value);
	} else if (!strcmp(name, "trace-file")) {
		if (!*value)
			return fail(error, "bad --trace-file: empty");
		set_string(&config->trace_file, value);
		if (!config->trace)
			config->trace_mask = CONFIG_TRACE_ALL;
		config->trace = true;
	} else if (!strcmp(name, "trace-format")) {
		if (!strcmp(value, "json"))
			config->trace_json = true;
		else if (!strcmp(value, "text"))
			config->trace_json = false;
		else
			return fail(error, "bad --trace-format: '%s' (expected "
				    "text or json)", value);
		if (!config->trace)
			config->trace_mask = CONFIG_TRACE_ALL;
		config->trace = true;
	} else if (!strcmp(name, "report")) {
		if (!*value)
			return fail(error, "bad --report: empty");
		set_string(&config->report, value);
	} else if (!strcmp(name, "verbose")) {
		config->verbose++;
	} else if (!strcmp(name, "debug")) {
		config->debug = true;
	} else {
		/* In the table but not handled above: a bug here. */
		return fail(error, "option '--%s' is not implemented", name);
	}
	return 0;
}

/* Fill *slot with def if unset, then parse it into *ip, which must be of
 * the given family. */
static int finalize_ip(char **slot, int def, const char *name,
		       int family, struct ip_address *ip, int *prefix_len,
		       char **error)
{
	if (!*slot)
		set_default(slot, def);
	if (parse_ip(*slot, ip, prefix_len))
		return fail(error, "bad --%s: '%s' (expected an %s address)",
			    name, *slot, family == AF_INET ? "IPv4" : "IPv6");
	if (ip->family != family)
		return fail(error, "bad --%s: '%s' is not an %s address",
			    name, *slot, family == AF_INET ? "IPv4" : "IPv6");
	return 0;
}

int config_finalize(struct config *config, char **error)
{
	bool v6 = config->ip_version == IP_VERSION_6;
	int family = v6 ? AF_INET6 : AF_INET;

	if (error)
		*error = NULL;
	if (finalize_ip(&config->local_ip_string,
			v6 ? DEF_V6_LOCAL : DEF_V4_LOCAL, "local_ip", family,
			&config->live_local_ip, NULL, error) ||
	    finalize_ip(&config->remote_ip_string,
			v6 ? DEF_V6_REMOTE : DEF_V4_REMOTE, "remote_ip", family,
			&config->live_remote_ip,
			&config->live_remote_prefix_len, error) ||
	    finalize_ip(&config->gateway_ip_string,
			v6 ? DEF_V6_GATEWAY : DEF_V4_GATEWAY, "gateway_ip",
			family, &config->live_gateway_ip, NULL, error))
		return -1;

	if (v6) {
		/* packetdrill ignores the netmask for IPv6 and uses a /48. */
		config->live_prefix_len = V6_PREFIX_LEN;
	} else {
		if (finalize_ip(&config->netmask_ip_string, DEF_V4_NETMASK,
				"netmask_ip", AF_INET,
				&config->live_netmask_ip, NULL, error))
			return -1;
		config->live_prefix_len =
			netmask_to_prefix(&config->live_netmask_ip);
	}

	switch (config->ip_version) {
	case IP_VERSION_4:
		config->socket_domain = AF_INET;
		config->wire_protocol = AF_INET;
		break;
	case IP_VERSION_4_MAPPED_6:
		config->socket_domain = AF_INET6;
		config->wire_protocol = AF_INET;
		break;
	case IP_VERSION_6:
		config->socket_domain = AF_INET6;
		config->wire_protocol = AF_INET6;
		break;
	}
	return 0;
}

const char *config_lookup_define(const struct config *config,
				 const char *name)
{
	const struct definition *d;

	for (d = config->defines; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d->value;
	return NULL;
}
