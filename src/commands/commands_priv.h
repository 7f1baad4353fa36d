/* SPDX-License-Identifier: GPL-2.0-only */
/* commands_priv.h: what the files of src/commands/ share (not for use
 * outside this folder): the per-run state and the sysctl files.
 *
 *  run_command.c  the entry points of run_command.h: which path a
 *                 command takes, its result, the figures
 *  shell.c        the POSIX-shell subset (shell.h): parser, evaluator
 *  tools.c        the native path: sysctl, ip, tc, ethtool, nstat and the
 *                 suite's set_sysctls.py in-process, on a transaction
 *  sandbox.c      the /bin/sh path: the work folder with the shims and a
 *                 file per sysctl, the user + mount namespace, reading
 *                 the files back, /proc/net/tcp
 *  python.c       the python3 that pyenv would pick, without pyenv
 *  shims/NAME.sh     the shims, turned into shims.c at build time */
#ifndef NETDRILL_COMMANDS_PRIV_H
#define NETDRILL_COMMANDS_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <sys/types.h>

#include "run_command.h"

struct sut;
struct config;

struct sysctl_file {
	char *name;		/* "net/ipv4/tcp_rmem" */
	char *value;		/* last value, as the back end prints it */
	struct timespec mtime;	/* of the file when value was written */
	off_t size;
};

struct commands {
	struct sut *sut;
	const struct config *config;
	command_sock_fn sockets;	/* for /proc/net/tcp, or NULL */
	void *sockets_ctx;
	char *dir;		/* /tmp/netdrill-XXXXXX */
	char *bin;		/* dir/bin: the shims */
	bool timed;		/* commands_set_timed */
	char *proc_sys;		/* dir/proc/sys */
	char *sys;		/* dir/sys */
	char *tmp;		/* dir/tmp: the run's own /tmp (namespace) */
	bool loaded;		/* files[] hold the back end's values */
	bool populated;		/* work directory and sysctl files written */
	struct sysctl_file *files;
	int nfiles;
	int ns_state;		/* 0 unknown, 1 namespaces work, -1 not */
	/* the first tool call the embedded stack does not model in this
	 * command ("tc qdisc replace dev tun0 root fq"), or NULL; the shims
	 * append theirs to dir/unsupported ($NETDRILL_UNSUPPORTED) */
	char *unsupported;
	/* /tmp/sysctl_restore_PID.sh as the native set_sysctls.py left it
	 * (not on disk until a /bin/sh command needs it), or NULL */
	char *restore_text;
	bool restore_written;	/* we wrote that file: remove it at exit */
	/* figures for NETDRILL_CMD_STATS */
	int n_native, n_shell;
	int64_t us_native, us_shell, us_setup;
	int64_t us_start;
};

/* The shims' texts (shims.c, made from shims/NAME.sh at build time). */
extern const char shim_sysctl[], shim_ip[], shim_tc[], shim_ethtool[],
	shim_nstat[], shim_bash_env[], shim_kernel_sysctl[],
	shim_kernel_tc[], shim_kernel_ethtool[];

/* sandbox.c */
char *path_join(const char *a, const char *b);
int write_file(const char *path, const char *text, mode_t mode);
/* The whole file, trailing newlines removed; NULL if unreadable. */
char *read_file_text(const char *path);
/* /tmp/sysctl_restore_PID.sh, the suite's set_sysctls.py's restore
 * script for this netdrill (malloc'd). */
char *restore_path(void);
/* Where that file really is: in the run's own /tmp when commands run in
 * a namespace (populated c), else restore_path(). */
char *restore_host_path(struct commands *c);
/* Set up the work directory and decide on namespaces (once). */
int sandbox_populate(struct commands *c, char **error);
/* Read every sysctl the back end offers into files[] (once). */
void sysctls_load(struct commands *c);
/* A command left `now` in sysctl file i: hand it to the back end and keep
 * its canonical value; the first failure sets *rc and *error. */
void sysctl_apply(struct commands *c, int i, const char *now, int line,
		  int *rc, char **error);
/* The command through /bin/sh -c, kept off the host's sysctls. */
int shell_run(struct commands *c, const char *text, int line, char **error);
/* Remove the folder and all below it. */
void rm_tree(const char *path);
/* Each word of text naming a symlink placeholder replaced by the path the
 * link would give (malloc'd). */
char *resolve_link_placeholders(const char *text);

/* tools.c: run text natively if it is all in the subset: 1 and *status
 * (the exit status /bin/sh would give), with the output written and the
 * sysctl changes handed to the back end (*rc, *error: the first failure);
 * 0 if not (nothing done). */
int native_run(struct commands *c, const char *text, int line, int *status,
	       int *rc, char **error);

/* python.c: when python3 on PATH is a pyenv shim, put a python3 in
 * bin_dir that runs what pyenv would pick, directly. */
void python_link(const char *bin_dir, int verbose);

/* run_command.c */
int64_t now_us(void);
/* How a command ended (a wait status), then the sysctl sync's outcome
 * (sync_rc, sync_err, which it takes): command_run's result and *error. */
int command_result(struct commands *c, const char *text, int line,
		   int status, int sync_rc, char *sync_err, char **error);

#endif /* NETDRILL_COMMANDS_PRIV_H */
