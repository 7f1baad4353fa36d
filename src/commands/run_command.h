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

struct run;
struct commands;

/* Per-run state (temp directory, shims). NULL and *error on failure. */
struct commands *commands_new(struct run *run, char **error);
/* Removes the temp directory. NULL is fine. */
void commands_free(struct commands *commands);

/* Run one command (line: its script line, for -v). 0, or -1 with *error
 * in packetdrill's words ("non-zero status 1"), without file:line. */
int command_run(struct run *run, const char *text, int line, char **error);

/* For tests: every sysctl offered to commands as the back end holds it
 * now, "name=value" lines (malloc'd). */
char *commands_sysctl_snapshot(struct run *run);
/* How many commands ran natively and how many through /bin/sh. */
void commands_counts(const struct commands *commands, int *native,
		     int *shell);

#endif /* NETDRILL_RUN_COMMAND_H */
