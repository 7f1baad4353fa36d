/* SPDX-License-Identifier: GPL-2.0-only */
/* run_command.c: backquoted shell commands whose sysctls act on the
 * system under test, never on the host (see run_command.h for the
 * mechanism): which path a command takes, its result, the figures. */
#include "commands_priv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "shell.h"
#include "sut.h"
#include "util.h"

int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct commands *commands_new(struct sut *sut, const struct config *config,
			      char **error)
{
	struct commands *c = calloc(1, sizeof(*c));

	if (!c) {
		*error = strdup("out of memory");
		return NULL;
	}
	c->sut = sut;
	c->config = config;
	c->us_start = now_us();
	return c;
}

void commands_set_timed(struct commands *c, bool timed)
{
	c->timed = timed;
}

void commands_set_sockets(struct commands *c, command_sock_fn fn, void *ctx)
{
	c->sockets = fn;
	c->sockets_ctx = ctx;
}

/* NETDRILL_CMD_STATS=FILE: append one line of figures for this run (how
 * many commands ran natively and through /bin/sh, the time each took,
 * netdrill's own and its children's CPU time), for `make
 * bench-conformance`. One write, so that parallel runs do not mix. */
static void write_stats(const struct commands *c)
{
	const char *path = getenv("NETDRILL_CMD_STATS");
	struct rusage self, kids;
	char line[512];
	int fd, n;

	if (!path || !*path)
		return;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	n = snprintf(line, sizeof(line),
		     "native %d %lld shell %d %lld setup %lld run %lld "
		     "self %lld %lld children %lld %lld\n",
		     c->n_native, (long long)c->us_native, c->n_shell,
		     (long long)c->us_shell, (long long)c->us_setup,
		     (long long)(now_us() - c->us_start),
		     (long long)self.ru_utime.tv_sec * 1000000 +
		     self.ru_utime.tv_usec,
		     (long long)self.ru_stime.tv_sec * 1000000 +
		     self.ru_stime.tv_usec,
		     (long long)kids.ru_utime.tv_sec * 1000000 +
		     kids.ru_utime.tv_usec,
		     (long long)kids.ru_stime.tv_sec * 1000000 +
		     kids.ru_stime.tv_usec);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) < 0)
		n = 0;
	close(fd);
}

void commands_free(struct commands *c)
{
	int i;

	if (!c)
		return;
	write_stats(c);
	if (c->dir)
		rm_tree(c->dir);
	if (c->populated || c->restore_written) {
		/* The suite's set_sysctls.py leaves a restore script named
		 * after our pid; it belongs to this run. */
		char *restore = strdup_printf("/tmp/sysctl_restore_%d.sh",
					      (int)getpid());

		unlink(restore);
		free(restore);
	}
	for (i = 0; i < c->nfiles; i++) {
		free(c->files[i].name);
		free(c->files[i].value);
	}
	free(c->files);
	free(c->restore_text);
	free(c->unsupported);
	free(c->dir);
	free(c->bin);
	free(c->proc_sys);
	free(c->sys);
	free(c->tmp);
	free(c);
}

/* How a command ended (a wait status), then the sysctl sync's outcome:
 * command_run's result and *error. */
int command_result(struct commands *c, const char *text, int line,
			  int status, int sync_rc, char *sync_err,
			  char **error)
{
	int rc = 0;

	if (WIFSIGNALED(status)) {
		*error = strdup_printf("got signal %d (%s)", WTERMSIG(status),
				       strsignal(WTERMSIG(status)));
		rc = -1;
	} else if (WEXITSTATUS(status) != 0) {
		*error = strdup_printf("non-zero status %d",
				       WEXITSTATUS(status));
		rc = -1;
	} else if (sync_rc) {
		*error = sync_err;
		sync_err = NULL;
		rc = -1;
	} else if (c->config->verbose > 1) {
		fprintf(stderr, "%s:%d: command `%s` done\n",
			c->config->script_path, line, text);
	}
	free(sync_err);
	return rc;
}

/* Kernel mode: the folder holding the wrappers of sysctl, tc and ethtool
 * (shims/kernel_*.sh) and their notes file, made once per run; NULL when
 * it cannot be made (the command then runs without them). */
static const char *kernel_shims(struct commands *c)
{
	static const struct { const char *name, *text; } shims[] = {
		{ "sysctl", shim_kernel_sysctl },
		{ "ethtool", shim_kernel_ethtool },
		{ "untimed/tc", shim_kernel_tc },
	};
	char tmpl[] = "/tmp/netdrill-k-XXXXXX";
	size_t i;
	int rc = 0;

	if (c->bin)
		return c->bin;
	if (!mkdtemp(tmpl))
		return NULL;
	c->dir = strdup(tmpl);
	if (!c->dir)
		abort();
	{
		char *untimed = path_join(c->dir, "untimed");

		rc |= mkdir(untimed, 0755);
		free(untimed);
	}
	for (i = 0; i < sizeof(shims) / sizeof(shims[0]); i++) {
		char *file = path_join(c->dir, shims[i].name);

		rc |= write_file(file, shims[i].text, 0755);
		free(file);
	}
	if (rc == 0)
		c->bin = strdup(c->dir);
	return c->bin;
}

/* Kernel mode: module parameters (/sys/module/M/parameters/P) belong to
 * the host, whatever the network namespace. A command sees dir/module as
 * /sys/module, in a mount namespace of its own: a copy of the host's
 * parameters, made once per run (a module loaded since is added before
 * the next command), each file dated 0. After the command, a file with
 * another date was written: if its value differs from the host's, the
 * command tried to change a host parameter, and fails naming it; the
 * copy gets the host's value back either way. */
static void modparam_put(const char *from, const char *file)
{
	static const struct timespec zero[2] = { { 0, 0 }, { 0, 0 } };
	char *text = read_file_text(from);
	char *line = strdup_printf("%s\n", text ? text : "");
	struct stat st;

	if (stat(from, &st))
		st.st_mode = 0644;
	unlink(file);
	write_file(file, line, st.st_mode & 0777);
	utimensat(AT_FDCWD, file, zero, 0);
	free(text);
	free(line);
}

/* Copies the parameters of every module not in dst yet. */
static int modparams_copy(const char *dst, char **error)
{
	DIR *d, *p;
	struct dirent *m, *e;
	struct stat st;

	if (mkdir(dst, 0755) && errno != EEXIST)
		return fail(error, "cannot make %s: %s", dst, strerror(errno));
	d = opendir("/sys/module");
	if (!d)
		return 0;
	while ((m = readdir(d))) {
		char *src = strdup_printf("/sys/module/%s/parameters",
					  m->d_name);
		char *mod = path_join(dst, m->d_name);
		char *to = path_join(mod, "parameters");

		p = m->d_name[0] == '.' || !stat(mod, &st) ? NULL :
			opendir(src);
		if (p && (mkdir(mod, 0755) || mkdir(to, 0755))) {
			closedir(p);
			p = NULL;
		}
		while (p && (e = readdir(p))) {
			char *from, *file;

			if (e->d_name[0] == '.')
				continue;
			from = path_join(src, e->d_name);
			file = path_join(to, e->d_name);
			modparam_put(from, file);
			free(from);
			free(file);
		}
		if (p)
			closedir(p);
		free(src);
		free(mod);
		free(to);
	}
	closedir(d);
	return 0;
}

/* One written copy: -1 and *error when its value is not the host's. */
static int modparam_check(const char *mod, const char *name,
			  const char *host_path, const char *copy_path,
			  char **error)
{
	char *host = read_file_text(host_path);
	char *copy = read_file_text(copy_path);
	int rc = 0;

	if (copy && strcmp(copy, host ? host : ""))
		rc = fail(error, "the command would change the host's module "
			  "parameter %s.%s (%s: %s -> %s): module parameters "
			  "are global, not per network namespace, so kernel "
			  "mode cannot isolate it (the write went to a "
			  "private copy; the host is unchanged)", mod, name,
			  host_path, host ? host : "?", copy);
	free(host);
	free(copy);
	modparam_put(host_path, copy_path);
	return rc;
}

/* After a command: the first written parameter whose value is not the
 * host's, as -1 and *error; 0 when there is none. */
static int modparams_check(const char *dir, char **error)
{
	DIR *d = opendir(dir), *p;
	struct dirent *m, *e;
	int rc = 0;

	while (d && (m = readdir(d))) {
		char *to = strdup_printf("%s/%s/parameters", dir, m->d_name);

		p = m->d_name[0] == '.' ? NULL : opendir(to);
		while (p && (e = readdir(p))) {
			char *host_path, *copy_path, *err = NULL;
			struct stat st;

			copy_path = path_join(to, e->d_name);
			if (e->d_name[0] == '.' || stat(copy_path, &st) ||
			    (st.st_mtim.tv_sec == 0 &&
			     st.st_mtim.tv_nsec == 0)) {
				free(copy_path);
				continue;
			}
			host_path = strdup_printf("/sys/module/%s/parameters/%s",
						  m->d_name, e->d_name);
			if (modparam_check(m->d_name, e->d_name, host_path,
					   copy_path, &err) && !rc) {
				*error = err;
				err = NULL;
				rc = -1;
			}
			free(err);
			free(host_path);
			free(copy_path);
		}
		if (p)
			closedir(p);
		free(to);
	}
	if (d)
		closedir(d);
	return rc;
}

/* Kernel mode: the command runs as it is, inside netdrill's own network
 * namespace (which it inherits), like packetdrill runs it, with one
 * difference: `sysctl`, `ethtool` and, in the init and cleanup commands,
 * `tc` are wrappers around the system's own that note what the host
 * refused or lacks (a congestion control the host does not allow in
 * namespaces, no ethtool at all, a qdisc kind its kernel has not), and the
 * command then fails, saying what on the host would allow it, rather than
 * letting the kernel run the script with other settings (a multi-line
 * command would run on past the line). tc is not wrapped on the script's
 * clock: the wrapper's shell takes milliseconds under load, long enough
 * for a timer to fire before the next event (cubic-rack-reo-timeout-*). */
static int command_run_plain(struct commands *c, const char *text,
			     char **error)
{
	const char *bin = kernel_shims(c);
	char *notes = bin ? path_join(bin, "notes") : NULL;
	char *modules = bin ? path_join(bin, "module") : NULL;
	char *refused;
	char pid[32];
	pid_t child;
	int status;

	if (!modules || modparams_copy(modules, error)) {
		if (!modules)
			*error = strdup("cannot make a private copy of "
					"/sys/module's parameters for the "
					"command");
		free(notes);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	child = fork();
	if (child < 0) {
		*error = strdup_printf("%s", strerror(errno));
		free(notes);
		free(modules);
		return -1;
	}
	if (child == 0) {
		const char *path = getenv("PATH");

		/* Die with netdrill: a command left running after a SIGKILL
		 * would keep the run's network namespace alive. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount(modules, "/sys/module", NULL, MS_BIND | MS_REC,
			  NULL)) {
			fprintf(stderr, "netdrill: cannot keep the command "
				"off the host's module parameters "
				"(/sys/module): %s\n", strerror(errno));
			_exit(126);
		}
		setenv("PACKETDRILL_PID", pid, 1);
		if (bin) {
			char *full;

			if (!path)
				path = "/usr/sbin:/usr/bin:/sbin:/bin";
			setenv("NETDRILL_REAL_PATH", path, 1);
			setenv("NETDRILL_ORACLE_NOTES", notes, 1);
			/* tc's wrapper costs a shell's start: not on the
			 * script's clock */
			full = c->timed ? strdup_printf("%s:%s", bin, path) :
			       strdup_printf("%s/untimed:%s:%s", bin, bin,
					     path);
			setenv("PATH", full, 1);
		}
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", resolve_link_placeholders(text),
		      (char *)NULL);
		_exit(127);
	}
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			*error = strdup_printf("%s", strerror(errno));
			free(notes);
			free(modules);
			return -1;
		}
	}
	if (modparams_check(modules, error)) {
		free(notes);
		free(modules);
		return -1;
	}
	free(modules);
	refused = notes ? read_file_text(notes) : NULL;
	if (notes)
		unlink(notes);
	free(notes);
	if (refused && *refused) {
		*error = strdup_printf("the kernel under test cannot run the "
				       "script as written: %s", refused);
		free(refused);
		return -1;
	}
	free(refused);
	if (WIFSIGNALED(status)) {
		return fail(error, "got signal %d (%s)", WTERMSIG(status),
			    strsignal(WTERMSIG(status)));
	}
	if (WEXITSTATUS(status) != 0) {
		return fail(error, "non-zero status %d", WEXITSTATUS(status));
	}
	return 0;
}

char *commands_tmp_path(struct commands *c, const char *path)
{
	char *error = NULL;

	if (!(c->sut->ops->caps & SUT_CAP_OWN_SYSCTLS) ||
	    (strcmp(path, "/tmp") && strncmp(path, "/tmp/", 5)))
		return NULL;
	if (sandbox_populate(c, &error)) {
		free(error);
		return NULL;
	}
	if (c->ns_state <= 0 || !c->tmp)
		return NULL;
	return strdup_printf("%s%s", c->tmp, path + 4);
}

/* A command in which a tool was refused (tools.c, or a shim's line in
 * dir/unsupported): COMMAND_UNSUPPORTED naming the first one, whatever
 * the command's status; else rc. */
static int unsupported_result(struct commands *c, int rc, char **error)
{
	char *path = c->dir ? path_join(c->dir, "unsupported") : NULL;
	char *text = path ? read_file_text(path) : NULL;

	if (path)
		unlink(path);
	free(path);
	if (text && !c->unsupported) {
		text[strcspn(text, "\n")] = '\0';
		c->unsupported = text;
		text = NULL;
	}
	free(text);
	if (!c->unsupported)
		return rc;
	free(*error);
	*error = strdup_printf("not supported by the embedded stack: `%s`",
			       c->unsupported);
	free(c->unsupported);
	c->unsupported = NULL;
	return COMMAND_UNSUPPORTED;
}

int command_run(struct commands *c, const char *text, int line, char **error)
{
	int64_t t0 = now_us();
	char *resolved;
	int rc;

	if (!(c->sut->ops->caps & SUT_CAP_OWN_SYSCTLS))
		return command_run_plain(c, text, error);
	sysctls_load(c);
	fflush(stdout);
	fflush(stderr);
	resolved = resolve_link_placeholders(text);
	if (strcmp(resolved, text) && c->config->verbose > 1)
		fprintf(stderr, "netdrill: running `%s` (symlink placeholders "
			"resolved)\n", resolved);
	if (!(getenv("NETDRILL_NO_FASTPATH") &&
	      *getenv("NETDRILL_NO_FASTPATH") &&
	      strcmp(getenv("NETDRILL_NO_FASTPATH"), "0")) &&
	    !strstr(resolved, "/proc/net/")) {
		char *sync_err = NULL;
		int status, sync_rc;

		if (native_run(c, resolved, line, &status, &sync_rc,
			       &sync_err)) {
			rc = command_result(c, resolved, line,
					    (status & 0xff) << 8, sync_rc,
					    sync_err, error);
			c->n_native++;
			c->us_native += now_us() - t0;
			free(resolved);
			return unsupported_result(c, rc, error);
		}
	}
	if (c->config->verbose > 1)
		fprintf(stderr, "%s:%d: command runs through /bin/sh\n",
			c->config->script_path, line);
	rc = shell_run(c, resolved, line, error);
	c->n_shell++;
	c->us_shell += now_us() - t0;
	free(resolved);
	return unsupported_result(c, rc, error);
}

char *commands_sysctl_snapshot(struct commands *c)
{
	struct sut *sut = c->sut;
	struct sh_buf b = { 0 };
	const char *name;
	int i;

	for (i = 0; sut->ops->sysctl_name &&
	     (name = sut->ops->sysctl_name(sut, i)); i++) {
		char value[1024];

		if (sut->ops->sysctl_read(sut, name, value, sizeof(value)) < 0)
			continue;
		value[sizeof(value) - 1] = 0;
		sh_buf_add(&b, name);
		sh_buf_addc(&b, '=');
		sh_buf_add(&b, value);
		sh_buf_addc(&b, '\n');
	}
	return sh_buf_take(&b);
}

void commands_counts(const struct commands *c, int *native, int *shell)
{
	*native = c ? c->n_native : 0;
	*shell = c ? c->n_shell : 0;
}
