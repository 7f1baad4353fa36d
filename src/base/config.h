/* SPDX-License-Identifier: GPL-2.0-only */
/* config.h: the run configuration, built from the command line and a
 * script's option lines (packetdrill's struct config, same flag names).
 *
 * Ownership: a struct config owns every string and list it points to;
 * config_free() releases them. config_init() allocates nothing (defaults
 * are static strings), so a config that only ever saw config_init() needs
 * no config_free(); strings set by options or config_finalize() do. */
#ifndef NETDRILL_CONFIG_H
#define NETDRILL_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

enum ip_version {
	IP_VERSION_4 = 0,		/* AF_INET sockets, IPv4 packets */
	IP_VERSION_4_MAPPED_6,		/* AF_INET6 sockets, IPv4 packets */
	IP_VERSION_6,			/* AF_INET6 sockets, IPv6 packets */
};

enum stack_kind {
	STACK_EMBEDDED = 0,		/* netdrill's own stack, virtual clock */
	STACK_KERNEL,			/* host kernel over TUN, own netns */
	STACK_COMPARE,			/* both, report the first difference */
};

/* An IP address as the script and the wire see it. */
struct ip_address {
	int family;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* One -D NAME=value definition, in a singly linked list in command-line
 * order; a script's own option lines append after them. */
struct definition {
	char *name;
	char *value;
	struct definition *next;
};

struct config {
	enum ip_version ip_version;	/* --ip_version */
	enum stack_kind stack;		/* --stack */
	int socket_domain;		/* AF_INET or AF_INET6, from ip_version */
	int wire_protocol;		/* AF_INET or AF_INET6, from ip_version */

	struct ip_address live_local_ip;	/* --local_ip */
	struct ip_address live_remote_ip;	/* --remote_ip */
	struct ip_address live_gateway_ip;	/* --gateway_ip */
	struct ip_address live_netmask_ip;	/* --netmask_ip */
	int live_prefix_len;			/* from netmask_ip */
	int live_remote_prefix_len;		/* from "/len" on remote_ip */
	char *local_ip_string;		/* as given, or the default */
	char *remote_ip_string;
	char *gateway_ip_string;
	char *netmask_ip_string;

	uint16_t live_bind_port;	/* --bind_port (default 8080) */
	uint16_t live_connect_port;	/* --connect_port (default 8080) */

	int mtu;			/* --mtu (default 1500) */
	int mss;			/* --mss: 0 = derive from mtu */
	uint64_t speed;			/* --speed, bits/s for the TUN link */

	int tolerance_usecs;		/* --tolerance_usecs (default 4000) */
	double tolerance_percent;	/* --tolerance_percent (default 12.5) */
	int tcp_ts_tick_usecs;		/* --tcp_ts_tick_usecs: 0 = unchecked */
	bool tcp_ts_ecr_scaled;		/* --tcp_ts_ecr_scaled */
	bool strict_segments;		/* --strict_segments */
	bool non_fatal_packet;		/* --non_fatal=packet */
	bool non_fatal_syscall;		/* --non_fatal=syscall */
	char *init_scripts;		/* --init_scripts: comma-separated */
	bool send_omit_free;		/* --send_omit_free */
	bool dry_run;			/* --dry_run */
	bool dump;			/* --dump */
	int verbose;			/* --verbose / -v, may repeat */
	bool debug;			/* --debug */

	/* --trace, --trace-file, --trace-format, --report (src/interp/trace.c) */
	bool trace;			/* write the trace */
	unsigned trace_mask;		/* CONFIG_TRACE_* of --trace=LIST */
	char *trace_file;		/* NULL: stdout */
	bool trace_json;		/* --trace-format=json */
	char *report;			/* --report=FILE.html, NULL: none */

	char *code_command_line;	/* --code_command (default "python3") */
	char *code_format;		/* --code_format (default "python") */
	char *code_sockopt;		/* --code_sockopt (default "TCP_INFO") */

	struct definition *defines;	/* -D / --define, in order */

	const char *script_path;	/* the script being run (not owned) */
};

/* --trace=LIST categories (config->trace_mask). Script events (system
 * calls, commands, code blocks) and notes are always in the trace. */
#define CONFIG_TRACE_PACKETS	0x01
#define CONFIG_TRACE_CALLS	0x02	/* call path and decision values */
#define CONFIG_TRACE_STATE	0x04
#define CONFIG_TRACE_TIMERS	0x08
#define CONFIG_TRACE_COUNTERS	0x10
#define CONFIG_TRACE_ALL	0x1f

/* One option accepted on the command line (--name=value, --name value)
 * and on a script's option lines; config_options[] lists them all, ending
 * with a NULL name, in the order --help shows them. */
struct config_option_info {
	const char *name;	/* without the leading "--" */
	bool has_arg;		/* takes a value */
	const char *arg_help;	/* how the value looks, e.g. "MTU"; NULL if none */
	const char *help;	/* one line for --help */
};
extern const struct config_option_info config_options[];

/* packetdrill options netdrill does not offer (wire client/server mode,
 * shared-object stacks, is_anyip), same layout, ending with a NULL name:
 * recognised so that using one says "not supported" rather than
 * "unrecognized"; config_set_option() rejects them. */
extern const struct config_option_info config_unsupported_options[];

/* Fill a config with packetdrill's defaults for ip_version IPv4. */
void config_init(struct config *config);

/* Release everything a config owns; the struct itself is the caller's. */
void config_free(struct config *config);

/* Apply one option "name" with "value" (value NULL for a bare flag) from
 * the command line or a script's option line. On error returns -1 and sets
 * *error to a malloc'd message the caller frees. */
int config_set_option(struct config *config, const char *name,
		      const char *value, char **error);

/* Derive the addresses and families that depend on ip_version once all
 * options are in. On error returns -1 and sets *error (caller frees). */
int config_finalize(struct config *config, char **error);

/* Look up a -D definition; NULL if absent. The string stays owned by
 * the config. */
const char *config_lookup_define(const struct config *config,
				 const char *name);

#endif /* NETDRILL_CONFIG_H */
