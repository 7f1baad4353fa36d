/* SPDX-License-Identifier: GPL-2.0-only */
/* run_command.h: backquoted shell commands (packetdrill's run_command.c),
 * aimed at the system under test instead of the host.
 *
 * A command runs as `/bin/sh -c TEXT`, a child of netdrill, with
 * PACKETDRILL_PID set to netdrill's pid (so the shell's $PPID is the same,
 * as the suite's /tmp/sysctl_restore_${PPID}.sh helpers expect), a private
 * PATH directory of shims first (sysctl, ip, tc, ethtool, nstat), and
 * /proc/sys/net and /sys/module replaced by a per-run directory that
 * holds the embedded stack's sysctl values:
 *  - preferred: a private user + mount namespace in which that directory
 *    is bind-mounted over /proc/sys/net and /sys/module, so every way of
 *    writing them (echo >, python, helper scripts) lands there and the
 *    host's sysctls cannot change;
 *  - if namespaces are unavailable (probed once per run): the command
 *    text's /proc/sys/ and /sys/module/ paths are rewritten to the
 *    directory, and a root netdrill runs the command as nobody, so that a
 *    helper reaching /proc/sys by a path it did not rewrite is refused by
 *    the kernel instead of changing the host.
 * The sysctls are those the back end lists (sut_ops.sysctl_name), for a
 * back end with SUT_CAP_OWN_SYSCTLS; on any other (the host kernel) a
 * command runs as it is, as packetdrill runs it, except that `sysctl` is
 * a wrapper (shims/kernel_sysctl.sh) around the system's own: a write the
 * host's settings refused (a congestion control the host lacks or does
 * not allow in namespaces) makes the command fail, naming the host-side
 * setting that would allow it, rather than the kernel running the script
 * with other settings, and /sys/module is, in a mount namespace of the
 * command's own, a copy of the host's module parameters (global, not per
 * network namespace): a value the command changed there fails the
 * command, naming the parameter, and the host's stays as it was.
 * After the command, changed files are written to the back end
 * (sut->ops->sysctl_write) and refreshed with its canonical value; a file
 * for a sysctl the back end does not model makes the command fail.
 *
 * The shims: sysctl ([-q] [-e] [-n] [-w] name[=value] ..., dots or
 * slashes) acts on the run's files; bash scripts get the same sysctl as a
 * function through $BASH_ENV, so the suite's defaults.sh forks nothing per
 * setting. ip and tc succeed without effect only where the embedded
 * stack already behaves that way (`ip tcp_metrics flush`, a plain pfifo
 * root qdisc) and fail, saying so, for anything that would change
 * behaviour (routes, fq); `ethtool -K tun0 tso|gso on|off` sets tun0's
 * offloads in the stack (net/netdrill/offload/tun0) and `ethtool -k tun0`
 * shows them; nstat prints no counters. -v reports what was ignored and
 * every sysctl that changed.
 *
 * Each run also gets its own empty /tmp in that namespace (dir/tmp bound
 * over /tmp; the script's open() calls are pointed there too, see
 * commands_tmp_path), so that runs at once never share /tmp files; in the
 * fallback without namespaces /tmp is the host's.
 *
 * /proc/net/tcp and /proc/net/tcp6 in a command's text are replaced by
 * files listing the embedded stack's TCP sockets in Linux's format.
 *
 * A command word that names a symlink placeholder (a small file holding a
 * relative path, as a checkout without symlinks leaves them) runs the file
 * it points to, as the symlink would.
 *
 * The native path: a command made only of what the shims and the suite's
 * helpers do (sysctl, echo > /proc/sys/..., ip/tc/ethtool/nstat, ;,
 * comments, quoting, $((...)), $PPID, redirections to /dev/null, script
 * files made of the same, the suite's set_sysctls.py recognised by its
 * exact bytes) runs in-process with the same effects, output and status,
 * without any fork; the work directory and namespace are only set up for
 * the first command that needs /bin/sh. NETDRILL_NO_FASTPATH=1 sends every
 * command through /bin/sh. NETDRILL_CMD_STATS=FILE appends a line of
 * figures per run (commands run each way, their time, CPU time).
 *
 * When python3 on PATH is a pyenv shim, the shims folder gets a python3
 * that runs the interpreter pyenv would pick (plain $PYENV_VERSION,
 * .python-version or $PYENV_ROOT/version) directly, without pyenv's
 * start-up; anything less plain is left to pyenv. */
#ifndef NETDRILL_RUN_COMMAND_H
#define NETDRILL_RUN_COMMAND_H

#include <stdbool.h>
#include <stdint.h>

struct sut;
struct config;
struct commands;

/* One address:port of a socket, as /proc/net/tcp shows it. */
struct command_addr {
	int family;		/* AF_INET, AF_INET6, AF_UNSPEC = not known */
	uint8_t ip[16];		/* IPv4 in the first 4 bytes */
	uint16_t port;
};

/* One socket of the system under test, for /proc/net/tcp{,6}. */
struct command_sock {
	int fd;			/* the back end's; < 0: none */
	int domain, protocol;
	struct command_addr local, remote;
};

/* The i-th socket the run knows (0, 1, ...): true and *sock, false past
 * the last. */
typedef bool (*command_sock_fn)(void *ctx, int i, struct command_sock *sock);

/* Per-run state (temp directory, shims) for commands against sut. NULL
 * and *error on failure. */
struct commands *commands_new(struct sut *sut, const struct config *config,
			      char **error);
/* Where /proc/net/tcp's lines come from (none until this is called). */
void commands_set_sockets(struct commands *commands, command_sock_fn fn,
			  void *ctx);
/* Whether the commands now run on the script's clock (its events) or
 * before or after it (the init and cleanup commands); kernel mode wraps
 * tc only off the clock, where the wrapper's own run time cannot make a
 * timer fire early. */
void commands_set_timed(struct commands *commands, bool timed);
/* Removes the temp directory. NULL is fine. */
void commands_free(struct commands *commands);

/* Run one command (line: its script line, for -v). 0, or -1 with *error
 * in packetdrill's words ("non-zero status 1"), without file:line, or
 * COMMAND_UNSUPPORTED when a tool in it (sysctl aside) asked for what the
 * embedded stack does not model, whatever the command's own status (a
 * later command of a script may hide the tool's), with *error =
 * "not supported by the embedded stack: `tc qdisc replace dev tun0 root
 * fq`". */
#define COMMAND_UNSUPPORTED (-2)
int command_run(struct commands *commands, const char *text, int line,
		char **error);

/* The run's own /tmp: for path "/tmp" or "/tmp/...", where it really is
 * (malloc'd) when commands run in a private mount namespace against a
 * back end with SUT_CAP_OWN_SYSCTLS, so that the script's system calls
 * (open) see what its commands wrote there; NULL: use path as it is. */
char *commands_tmp_path(struct commands *commands, const char *path);

/* For tests: every sysctl offered to commands as the back end holds it
 * now, "name=value" lines (malloc'd). */
char *commands_sysctl_snapshot(struct commands *commands);
/* How many commands ran natively and how many through /bin/sh. */
void commands_counts(const struct commands *commands, int *native,
		     int *shell);

#endif /* NETDRILL_RUN_COMMAND_H */
