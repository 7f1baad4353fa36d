/* SPDX-License-Identifier: GPL-2.0-only */
/* sandbox.c: the /bin/sh path of backquoted commands (run_command.h):
 * the per-run work folder with the shims and a file per sysctl the back
 * end offers, the user + mount namespace that puts those files over
 * /proc/sys/net and /sys/module (or the rewritten command text and the
 * nobody user when there is none), reading the files back into the back
 * end, and /proc/net/tcp for the back end's sockets. */
#include "commands_priv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "sut.h"
#include "util.h"

char *path_join(const char *a, const char *b)
{
	return strdup_printf("%s/%s", a, b);
}

static int mkdir_p(const char *path)
{
	char *p = strdup(path), *s;

	if (!p)
		abort();
	for (s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			if (mkdir(p, 0755) && errno != EEXIST) {
				free(p);
				return -1;
			}
			*s = '/';
		}
	}
	if (mkdir(p, 0755) && errno != EEXIST) {
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

int write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	size_t len = strlen(text), off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

char *read_file_text(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char buf[4096];
	ssize_t n, len = 0;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return NULL;
	buf[len] = 0;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = 0;
	return strdup(buf);
}

static char *file_path(const struct commands *c, const char *name)
{
	if (!strncmp(name, "module/", 7))
		return path_join(c->sys, name);
	return path_join(c->proc_sys, name);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw);

/* Work directories are named netdrill-PID-XXXXXX; remove those whose
 * netdrill died without cleaning up (killed by a time limit). */
static void remove_stale_dirs(const char *base)
{
	DIR *d = opendir(base);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		int pid;
		char *path;

		if (sscanf(de->d_name, "netdrill-%d-", &pid) != 1 || pid <= 0 ||
		    pid == (int)getpid())
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;	/* alive, or not ours to judge */
		path = path_join(base, de->d_name);
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		free(path);
	}
	closedir(d);
}

/* The work directory and the shims, made by the run's first command. */
static int setup(struct commands *c, char **error)
{
	static const struct {
		const char *name;
		const char *text;
	} shims[] = {
		{ "sysctl", shim_sysctl }, { "ip", shim_ip },
		{ "tc", shim_tc }, { "ethtool", shim_ethtool },
		{ "nstat", shim_nstat },
	};
	/* tmpfs when there is one: the files are small and many */
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	char *tmpl = strdup_printf("%s/netdrill-%d-XXXXXX", base,
				   (int)getpid());
	size_t i;

	remove_stale_dirs(base);
	if (!mkdtemp(tmpl)) {
		*error = strdup_printf("cannot create a temporary "
				       "directory in %s: %s", base,
				       strerror(errno));
		free(tmpl);
		return -1;
	}
	c->dir = tmpl;
	c->bin = path_join(c->dir, "bin");
	c->proc_sys = path_join(c->dir, "proc/sys");
	c->sys = path_join(c->dir, "sys");
	c->tmp = path_join(c->dir, "tmp");
	if (mkdir_p(c->tmp) || chmod(c->tmp, 01777)) {
		*error = strdup_printf("cannot create %s: %s", c->tmp,
				       strerror(errno));
		return -1;
	}
	if (mkdir_p(c->bin)) {
		return fail(error, "cannot create %s: %s", c->bin,
			    strerror(errno));
	}
	{
		char *p = path_join(c->bin, "bash_env");

		if (write_file(p, shim_bash_env, 0644)) {
			*error = strdup_printf("cannot write %s: %s", p,
					       strerror(errno));
			free(p);
			return -1;
		}
		free(p);
	}
	for (i = 0; i < sizeof(shims) / sizeof(shims[0]); i++) {
		char *p = path_join(c->bin, shims[i].name);

		if (write_file(p, shims[i].text, 0755)) {
			*error = strdup_printf("cannot write %s: %s", p,
					       strerror(errno));
			free(p);
			return -1;
		}
		free(p);
	}
	python_link(c->bin, c->config->verbose);
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Write a file for every sysctl the back end knows, with its value. */
/* Write value (plus a newline) to the file and remember it, with the
 * file's mtime and size so that an untouched file need not be read. */
static int set_file(struct sysctl_file *f, const char *path,
		    const char *value)
{
	char *text = strdup_printf("%s\n", value);
	struct stat st;
	int rc = write_file(path, text, 0644);

	free(text);
	free(f->value);
	f->value = strdup(value);
	if (!f->value)
		abort();
	while (*f->value && f->value[strlen(f->value) - 1] == '\n')
		f->value[strlen(f->value) - 1] = 0;
	if (rc == 0 && stat(path, &st) == 0) {
		f->mtime = st.st_mtim;
		f->size = st.st_size;
	} else {
		f->size = -1;
	}
	return rc;
}

static int enter_namespace(struct commands *c);

static int chmod_open(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DP || (st->st_mode & 0100))
		chmod(path, 0777);	/* directories and the shims */
	else
		chmod(path, 0666);
	return 0;
}

/* Decide how commands are kept off the host's sysctls, before the first
 * one runs: a private user + mount namespace if the system allows it
 * (probed in a child); otherwise the command text is rewritten, and a
 * root netdrill also runs commands as nobody so that no path it did not
 * rewrite can reach a writable /proc/sys (the work directory is then
 * opened up to nobody). */
static int isolate(struct commands *c, char **error)
{
	pid_t pid;
	int status;

	if (getenv("NETDRILL_NO_NAMESPACE")) {
		c->ns_state = -1;
	} else {
		pid = fork();
		if (pid < 0) {
			return fail(error, "fork: %s", strerror(errno));
		}
		if (pid == 0)
			_exit(enter_namespace(c) == 0 ? 0 : 1);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		c->ns_state = WIFEXITED(status) && WEXITSTATUS(status) == 0 ?
			      1 : -1;
	}
	if (c->ns_state < 0) {
		if (c->config->verbose > 0)
			fprintf(stderr, "netdrill: no user/mount namespace for "
				"commands; rewriting /proc/sys paths%s\n",
				geteuid() == 0 ? " and running them as nobody" :
				"");
		if (geteuid() == 0)
			nftw(c->dir, chmod_open, 16, FTW_PHYS);
	}
	return 0;
}

/* Read every sysctl the back end offers (sut_ops.sysctl_name) into
 * files[] (no disk yet: the native path needs none). */
void sysctls_load(struct commands *c)
{
	struct sut *sut = c->sut;
	const char *name;
	int i, n = 0;

	if (c->loaded)
		return;
	c->loaded = true;
	while (sut->ops->sysctl_name && sut->ops->sysctl_name(sut, n))
		n++;
	c->files = calloc((size_t)n + 1, sizeof(*c->files));
	if (!c->files)
		abort();
	for (i = 0; i < n; i++) {
		char value[4096];	/* net/netdrill/nstat: every counter */
		struct sysctl_file *f;

		name = sut->ops->sysctl_name(sut, i);
		if (sut->ops->sysctl_read(sut, name, value, sizeof(value)) < 0)
			continue;
		value[sizeof(value) - 1] = 0;
		f = &c->files[c->nfiles++];
		f->name = strdup(name);
		f->value = strdup(value);
		if (!f->name || !f->value)
			abort();
		while (*f->value && f->value[strlen(f->value) - 1] == '\n')
			f->value[strlen(f->value) - 1] = 0;
		f->size = -1;
	}
}

/* The work directory, the shims and a file per sysctl holding its
 * current value, made before the first command that runs /bin/sh. */
static int populate(struct commands *c, char **error)
{
	char *last_dir = NULL;
	int64_t t0 = now_us();
	int i, rc;

	if (c->populated)
		return 0;
	c->populated = true;
	sysctls_load(c);
	if (setup(c, error))
		return -1;
	if (mkdir_p(c->proc_sys) || mkdir_p(c->sys)) {
		return fail(error, "cannot create %s: %s", c->dir,
			    strerror(errno));
	}
	{
		/* Mount points must exist even with nothing modelled. */
		char *p = path_join(c->proc_sys, "net/ipv4");
		char *q = path_join(c->sys, "module/tcp_cubic/parameters");

		mkdir_p(p);
		mkdir_p(q);
		free(p);
		free(q);
	}
	for (i = 0; i < c->nfiles; i++) {
		struct sysctl_file *f = &c->files[i];
		char *path = file_path(c, f->name), *slash, *value;

		slash = strrchr(path, '/');
		*slash = 0;
		if (!last_dir || strcmp(last_dir, path)) {
			mkdir_p(path);
			free(last_dir);
			last_dir = strdup(path);
		}
		*slash = '/';
		value = strdup(f->value);
		if (!value)
			abort();
		if (set_file(f, path, value)) {
			*error = strdup_printf("cannot write %s: %s",
					       path, strerror(errno));
			free(value);
			free(path);
			free(last_dir);
			return -1;
		}
		free(value);
		free(path);
	}
	free(last_dir);
	rc = isolate(c, error);
	c->us_setup += now_us() - t0;
	return rc;
}

/* Replace every occurrence of `from` in s with `to` (new string). */
static char *replace_all(const char *s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	const char *p;
	char *out, *o;

	for (p = s; (p = strstr(p, from)); p += fl)
		n++;
	out = malloc(strlen(s) + n * tl + 1);
	if (!out)
		abort();
	for (o = out, p = s; *p;) {
		if (!strncmp(p, from, fl)) {
			memcpy(o, to, tl);
			o += tl;
			p += fl;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return out;
}

/* A checkout made without symlink support (git's core.symlinks=false)
 * leaves each symlink as a small non-executable file holding the link's
 * target, e.g. tcp/common/defaults.sh containing "../../common/defaults.sh".
 * The shell cannot run such a file ("Permission denied"), while on the
 * system the scripts were written for it is a link. For each word of the
 * command that names such a placeholder, use the target's path instead,
 * as the link would. */
char *resolve_link_placeholders(const char *text)
{
	size_t cap = strlen(text) * 2 + 64, len = 0;
	char *out = malloc(cap);
	const char *p = text;

	if (!out)
		abort();
	while (*p) {
		const char *q = p;
		char *word, *target = NULL;
		struct stat st;

		while (*q && (strchr("._/-+", *q) || (*q >= '0' && *q <= '9') ||
			      (*q >= 'a' && *q <= 'z') ||
			      (*q >= 'A' && *q <= 'Z')))
			q++;
		if (q == p)
			q = p + 1;
		word = strndup(p, (size_t)(q - p));
		if (!word)
			abort();
		if (strchr(word, '/') && stat(word, &st) == 0 &&
		    S_ISREG(st.st_mode) && st.st_size > 0 &&
		    st.st_size < 256 && access(word, X_OK) != 0) {
			char *content = read_file_text(word);
			char *slash = strrchr(word, '/');

			if (content && *content && !strpbrk(content, "\n \t") &&
			    content[0] != '#') {
				char *cand = content[0] == '/' ?
					     strdup(content) :
					     strdup_printf("%.*s/%s",
						     (int)(slash - word), word,
						     content);

				if (cand && access(cand, X_OK) == 0)
					target = cand;
				else
					free(cand);
			}
			free(content);
		}
		{
			const char *put = target ? target : word;
			size_t n = strlen(put);

			while (len + n + 1 > cap) {
				cap *= 2;
				out = realloc(out, cap);
				if (!out)
					abort();
			}
			memcpy(out + len, put, n);
			len += n;
		}
		free(target);
		free(word);
		p = q;
	}
	out[len] = 0;
	return out;
}

static int write_proc(const char *path, const char *text)
{
	return write_file(path, text, 0644);
}

/* In the child: a user + mount namespace with the run's directories over
 * /proc/sys/net and /sys/module. 0 if all is in place. */
/* In the namespace: the run's own /tmp (dir/tmp) over /tmp, so that
 * runs never share files there (two versions of a script writing the
 * same /tmp/testfile at once). What the run itself lives in stays where
 * it was when it lies below /tmp: the work directory, and the working
 * directory (the script's folder in suite mode), bound back at their
 * paths. */
static int private_tmp_mount(struct commands *c)
{
	char cwd[4096];
	const char *keep_path[2] = { c->dir, getcwd(cwd, sizeof(cwd)) };
	int keep[2] = { -1, -1 }, i, rc = 0;

	for (i = 0; i < 2; i++)
		if (keep_path[i] && !strncmp(keep_path[i], "/tmp/", 5)) {
			keep[i] = open(keep_path[i],
				       O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (keep[i] < 0)
				rc = -1;
		}
	if (!rc && mount(c->tmp, "/tmp", NULL, MS_BIND, NULL))
		rc = -1;
	for (i = 0; i < 2; i++) {
		char fdpath[64];

		if (keep[i] < 0)
			continue;
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", keep[i]);
		if (!rc && (mkdir_p(keep_path[i]) ||
			    mount(fdpath, keep_path[i], NULL, MS_BIND | MS_REC,
				  NULL)))
			rc = -1;
		close(keep[i]);
	}
	return rc;
}

static int enter_namespace(struct commands *c)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char map[64], *src;
	int rc = 0;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
		return -1;
	snprintf(map, sizeof(map), "%d %d 1\n", (int)uid, (int)uid);
	if (write_proc("/proc/self/uid_map", map))
		return -1;
	write_proc("/proc/self/setgroups", "deny\n");
	snprintf(map, sizeof(map), "%d %d 1\n", (int)gid, (int)gid);
	if (write_proc("/proc/self/gid_map", map))
		return -1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	src = path_join(c->proc_sys, "net");
	if (mount(src, "/proc/sys/net", NULL, MS_BIND | MS_REC, NULL))
		rc = -1;
	free(src);
	if (rc)
		return -1;
	if (access("/sys/module", F_OK) == 0) {
		src = path_join(c->sys, "module");
		if (mount(src, "/sys/module", NULL, MS_BIND | MS_REC, NULL))
			rc = -1;
		free(src);
	}
	return rc ? rc : private_tmp_mount(c);
}

/* A command left `now` in sysctl file i (content without its trailing
 * newline): hand it to the back end, then show the back end's canonical
 * value in the file (when there is a work directory) and in files[]. The
 * first failure sets *rc and *error. */
void sysctl_apply(struct commands *c, int i, const char *now,
			int line, int *rc, char **error)
{
	struct sut *sut = c->sut;
	struct sysctl_file *f = &c->files[i];
	char canon[4096];
	int r;

	if (f->value && !strcmp(now, f->value))
		return;
	r = sut->ops->sysctl_write(sut, f->name, now);
	if (r < 0 && !*rc) {
		*error = strdup_printf(
			r == -ENOENT ?
			"sysctl %s is not modelled by the embedded "
			"stack (value '%s')" :
			"sysctl %s: the embedded stack rejects value "
			"'%s'", f->name, now);
		*rc = -1;
	}
	/* The file shows what the stack now holds; -v says so when the
	 * value (not just its spelling) changed. */
	if (sut->ops->sysctl_read(sut, f->name, canon, sizeof(canon)) >= 0) {
		canon[sizeof(canon) - 1] = 0;
		if (r >= 0 && c->config->verbose > 0 &&
		    (!f->value || strcmp(f->value, canon)) &&
		    strcmp(f->name, "net/netdrill/nstat"))	/* counters */
			fprintf(stderr, "%s:%d: sysctl %s = %s\n",
				c->config->script_path, line,
				f->name, canon);
		if (c->populated) {
			char *path = file_path(c, f->name);

			set_file(f, path, canon);
			free(path);
		} else {
			free(f->value);
			f->value = strdup(canon);
			if (!f->value)
				abort();
			while (*f->value &&
			       f->value[strlen(f->value) - 1] == '\n')
				f->value[strlen(f->value) - 1] = 0;
		}
	}
}

/* Read back the files; hand changed values to the back end. */
static int sync_back(struct commands *c, int line, char **error)
{
	int i, rc = 0;

	for (i = 0; i < c->nfiles; i++) {
		struct sysctl_file *f = &c->files[i];
		char *path = file_path(c, f->name), *now;
		struct stat st;

		if (stat(path, &st) == 0 && st.st_size == f->size &&
		    st.st_mtim.tv_sec == f->mtime.tv_sec &&
		    st.st_mtim.tv_nsec == f->mtime.tv_nsec) {
			free(path);
			continue;	/* untouched */
		}
		now = read_file_text(path);
		if (now)
			sysctl_apply(c, i, now, line, &rc, error);
		free(now);
		free(path);
	}
	return rc;
}

/* Files a command created for sysctls the back end does not model. */
static int find_new_files(struct commands *c, const char *dir,
			  const char *prefix, char **error)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return 0;
	while (!rc && (de = readdir(d))) {
		char *path, *name;
		struct stat st;
		int i;

		if (de->d_name[0] == '.')
			continue;
		path = path_join(dir, de->d_name);
		name = *prefix ? path_join(prefix, de->d_name) :
		       strdup(de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = find_new_files(c, path, name, error);
		} else {
			for (i = 0; i < c->nfiles; i++)
				if (!strcmp(c->files[i].name, name))
					break;
			if (i == c->nfiles) {
				char *v = read_file_text(path);

				*error = strdup_printf(
					"sysctl %s is not modelled by the "
					"embedded stack (value '%s')", name,
					v ? v : "");
				free(v);
				unlink(path);
				rc = -1;
			}
		}
		free(path);
		free(name);
	}
	closedir(d);
	return rc;
}

/* Linux's TCP state numbers, as /proc/net/tcp shows them in hex. */
static int tcp_state_number(const char *name)
{
	static const char *const names[] = { "", "ESTABLISHED", "SYN_SENT",
		"SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
		"CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING" };
	int i;

	for (i = 1; i < 12; i++)
		if (!strcmp(name, names[i]))
			return i;
	return 7;	/* CLOSE */
}

/* One address:port as /proc/net/tcp{,6} prints it: the address's 32-bit
 * words in host byte order, the port in hex. */
static void proc_net_addr(FILE *f, const struct command_addr *e, bool v6)
{
	uint8_t ip[16];
	uint32_t w;
	int i;

	memset(ip, 0, sizeof(ip));
	if (e->family == AF_INET && v6) {
		ip[10] = ip[11] = 0xff;
		memcpy(ip + 12, e->ip, 4);
	} else if (e->family != AF_UNSPEC) {
		memcpy(ip, e->ip, v6 ? 16 : 4);
	}
	for (i = 0; i < (v6 ? 4 : 1); i++) {
		memcpy(&w, ip + 4 * i, 4);
		fprintf(f, "%08X", w);
	}
	fprintf(f, ":%04X", e->port);
}

/* /proc/net/tcp and tcp6 for the embedded stack's sockets, so that a
 * command reading them sees the system under test, not the host. */
static int write_proc_net_tcp(struct commands *c, char **error)
{
	static const char header[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr "
		"tm->when retrnsmt   uid  timeout inode\n";
	char *dir = path_join(c->dir, "proc/net");
	int v6, rc = 0;

	mkdir_p(dir);
	for (v6 = 0; v6 < 2 && !rc; v6++) {
		char *path = path_join(dir, v6 ? "tcp6" : "tcp");
		FILE *f = fopen(path, "w");
		struct command_sock sk;
		int n = 0, i;

		if (!f) {
			*error = strdup_printf("cannot write %s: %s", path,
					       strerror(errno));
			rc = -1;
			free(path);
			break;
		}
		fputs(header, f);
		for (i = 0; c->sockets && c->sockets(c->sockets_ctx, i, &sk);
		     i++) {
			struct sut_sock_state st;

			if (sk.fd < 0 || (sk.domain == AF_INET6) != (v6 == 1) ||
			    sk.protocol == IPPROTO_UDP ||
			    c->sut->ops->sock_state(c->sut, sk.fd, &st) < 0)
				continue;
			fprintf(f, "%4d: ", n++);
			proc_net_addr(f, &sk.local, v6);
			fputc(' ', f);
			proc_net_addr(f, &sk.remote, v6);
			fprintf(f, " %02X %08X:%08X 00:00000000 "
				"00000000     0        0 %d 1 "
				"0000000000000000 100 0 0 10 0\n",
				tcp_state_number(st.state),
				st.write_queue_bytes, st.recv_queue_bytes,
				10000 + sk.fd);
		}
		fclose(f);
		free(path);
	}
	free(dir);
	return rc;
}

/* /proc/net/netstat and /proc/net/snmp from the back end's counters
 * (the embedded stack's net/netdrill/netstat and .../snmp), written under
 * the sandbox and put in the command's text instead of the host's files.
 * A back end without them (the kernel) leaves the text alone. */
static char *redirect_proc_net_mib(struct commands *c, char *text,
				   char **owned, char **error)
{
	static const char *const names[] = { "netstat", "snmp" };
	char value[8192];
	int i;

	for (i = 0; i < 2; i++) {
		char *from = strdup_printf("/proc/net/%s", names[i]);
		char *sys = strdup_printf("net/netdrill/%s", names[i]);
		char *dir, *to, *next;

		if (!strstr(text, from) ||
		    c->sut->ops->sysctl_read(c->sut, sys, value,
					     sizeof(value)) < 0) {
			free(from);
			free(sys);
			continue;
		}
		dir = path_join(c->dir, "proc/net");
		mkdir_p(dir);
		to = path_join(dir, names[i]);
		value[sizeof(value) - 1] = 0;
		if (write_file(to, value, 0644)) {
			*error = strdup_printf("cannot write %s: %s", to,
					       strerror(errno));
			free(from);
			free(sys);
			free(dir);
			free(to);
			return NULL;
		}
		next = replace_all(text, from, to);
		free(*owned);
		*owned = next;
		text = next;
		free(from);
		free(sys);
		free(dir);
		free(to);
	}
	return text;
}

char *restore_path(void)
{
	return strdup_printf("/tmp/sysctl_restore_%d.sh", (int)getpid());
}

char *restore_host_path(struct commands *c)
{
	if (c->populated && c->ns_state > 0 && c->tmp)
		return strdup_printf("%s/sysctl_restore_%d.sh", c->tmp,
				     (int)getpid());
	return restore_path();
}

int sandbox_populate(struct commands *c, char **error)
{
	return populate(c, error);
}

/* Before a /bin/sh command: the restore script the native
 * set_sysctls.py keeps in memory goes to its file, as python writes it
 * (mode u+x), so that whatever the command does with it works. */
static int write_restore(struct commands *c, char **error)
{
	struct stat st;
	char *path;
	int rc = 0;

	if (!c->restore_text)
		return 0;
	path = restore_host_path(c);
	if (write_file(path, c->restore_text, 0666) || stat(path, &st) ||
	    chmod(path, (st.st_mode & 07777) | S_IXUSR)) {
		*error = strdup_printf("cannot write %s: %s", path,
				       strerror(errno));
		rc = -1;
	}
	c->restore_written = true;
	free(c->restore_text);
	c->restore_text = NULL;
	free(path);
	return rc;
}

/* Counters change without any command (stack/mib.c): give nstat's file
 * the back end's current values before a command may read it. */
static void refresh_counters(struct commands *c)
{
	struct sut *sut = c->sut;
	char value[4096];
	int i;

	for (i = 0; i < c->nfiles; i++) {
		char *path;

		if (strcmp(c->files[i].name, "net/netdrill/nstat") ||
		    sut->ops->sysctl_read(sut, c->files[i].name, value,
					  sizeof(value)) < 0)
			continue;
		value[sizeof(value) - 1] = 0;
		path = file_path(c, c->files[i].name);
		set_file(&c->files[i], path, value);
		free(path);
	}
}

/* The command through /bin/sh -c, kept off the host's sysctls. */
int shell_run(struct commands *c, const char *text, int line,
		     char **error)
{
	char *rewritten = NULL, *path_env, *pid, *root_ns, *root_rw;
	char *bash_env, *tcp_text = NULL, *unsupported;
	const char *old_path = getenv("PATH");
	int pipefd[2], status;
	char ns_ok = 0;
	pid_t child;

	if (populate(c, error) || write_restore(c, error))
		return -1;
	refresh_counters(c);
	if (strstr(text, "/proc/net/tcp")) {
		char *dir = strdup_printf("%s/proc/net/tcp", c->dir);

		if (write_proc_net_tcp(c, error)) {
			free(dir);
			return -1;
		}
		text = tcp_text = replace_all(text, "/proc/net/tcp", dir);
		free(dir);
	}
	if (strstr(text, "/proc/net/netstat") || strstr(text, "/proc/net/snmp")) {
		text = redirect_proc_net_mib(c, (char *)text, &tcp_text, error);
		if (!text)
			return -1;
	}
	fflush(stdout);
	fflush(stderr);

	/* Fallback form of the command, for when namespaces are refused. */
	root_ns = strdup_printf("%s/", c->proc_sys);
	{
		char *t = replace_all(text, "/proc/sys/", root_ns);
		char *s = strdup_printf("%s/module/", c->sys);

		rewritten = replace_all(t, "/sys/module/", s);
		free(t);
		free(s);
	}
	free(root_ns);
	path_env = strdup_printf("%s:%s", c->bin, old_path ? old_path :
				 "/usr/local/bin:/usr/bin:/bin");
	pid = strdup_printf("%d", (int)getpid());
	bash_env = path_join(c->bin, "bash_env");
	unsupported = path_join(c->dir, "unsupported");
	root_rw = strdup(c->proc_sys);

	if (pipe2(pipefd, O_CLOEXEC)) {
		*error = strdup_printf("%s", strerror(errno));
		goto fail;
	}
	child = fork();
	if (child < 0) {
		*error = strdup_printf("%s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		goto fail;
	}
	if (child == 0) {
		/* NETDRILL_NO_NAMESPACE=1 forces the fallback (for tests). */
		bool in_ns = c->ns_state > 0 && enter_namespace(c) == 0;
		char ok = in_ns ? 1 : 2;

		if (!in_ns && geteuid() == 0 &&
		    (setgroups(0, NULL) || setgid(65534) || setuid(65534))) {
			fprintf(stderr, "netdrill: cannot keep the command off "
				"the host's sysctls (no user namespace, cannot "
				"drop root): %s\n", strerror(errno));
			_exit(126);
		}

		if (write(pipefd[1], &ok, 1) < 0)
			_exit(127);
		setenv("PATH", path_env, 1);
		setenv("PACKETDRILL_PID", pid, 1);
		setenv("NETDRILL_SYSCTL_ROOT", in_ns ? "/proc/sys" : root_rw,
		       1);
		setenv("BASH_ENV", bash_env, 1);
		setenv("NETDRILL_UNSUPPORTED", unsupported, 1);
		if (c->config->verbose > 0)
			setenv("NETDRILL_VERBOSE", "1", 1);
		else
			unsetenv("NETDRILL_VERBOSE");
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", in_ns ? text : rewritten,
		      (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &ns_ok, 1) != 1)
		ns_ok = 0;
	close(pipefd[0]);
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			*error = strdup_printf("%s", strerror(errno));
			goto fail;
		}
	}
	free(rewritten);
	free(path_env);
	free(pid);
	free(root_rw);
	free(bash_env);
	free(unsupported);

	/* Even a failing command may have changed sysctls first. */
	{
		char *sync_err = NULL;
		char *net = path_join(c->proc_sys, "net");
		int r = sync_back(c, line, &sync_err);

		if (!r)
			r = find_new_files(c, net, "net", &sync_err);
		free(net);
		if (!r) {
			char *mod = path_join(c->sys, "module");

			r = find_new_files(c, mod, "module", &sync_err);
			free(mod);
		}
		r = command_result(c, text, line, status, r, sync_err,
				   error);
		free(tcp_text);
		return r;
	}
fail:
	free(bash_env);
	free(unsupported);
	free(tcp_text);
	free(rewritten);
	free(path_env);
	free(pid);
	free(root_rw);
	return -1;
}

void rm_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
