/* SPDX-License-Identifier: GPL-2.0-only */
/* python.c: the python3 that pyenv would pick, run without pyenv's
 * start-up (see python_link). */
#include "commands_priv.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"


/* Is the executable at path a pyenv shim (a script that runs pyenv)? */
static bool is_pyenv_shim(const char *path)
{
	char buf[1024];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 2)
		return false;
	buf[n] = 0;
	return buf[0] == '#' && buf[1] == '!' && strstr(buf, "pyenv");
}

/* The first executable dir/prog on $PATH, skipping pyenv shims when
 * skip_shims; NULL if none. */
static char *path_find(const char *prog, bool skip_shims)
{
	const char *path = getenv("PATH"), *p, *e;

	for (p = path ? path : "/usr/bin:/bin"; *p; p = *e ? e + 1 : e) {
		char *full;

		e = strchrnul(p, ':');
		if (e == p)
			continue;
		full = strdup_printf("%.*s/%s", (int)(e - p), p, prog);
		if (access(full, X_OK) == 0 &&
		    (!skip_shims || !is_pyenv_shim(full)))
			return full;
		free(full);
	}
	return NULL;
}

/* The one word of a pyenv version file, NULL if absent, empty, or more
 * than one version (pyenv then tries each in turn: left to pyenv). */
static char *pyenv_version_file(const char *path)
{
	char *text = read_file_text(path), *s, *end, *word;

	if (!text)
		return NULL;
	for (s = text; *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';)
		s++;
	end = s + strcspn(s, " \t\n\r");
	if (end == s || s[strspn(end, " \t\n\r") + (end - s)]) {
		free(text);
		return NULL;
	}
	word = strndup(s, (size_t)(end - s));
	free(text);
	return word;
}

/* python3 on $PATH may be a pyenv shim, which runs pyenv (a bash
 * program) before the interpreter: 0.1 to 0.3 s per python helper. Find
 * the interpreter pyenv would pick, as pyenv documents it ($PYENV_VERSION,
 * else .python-version in the current folder or a parent, else
 * $PYENV_ROOT/version; "system" is the next python3 on $PATH), and put
 * it first on the commands' PATH. Anything less plain (several versions,
 * a version prefix, a missing version) is left to pyenv. */
void python_link(const char *bin_dir, int verbose)
{
	char *first = path_find("python3", false), *root = NULL;
	char *version = NULL, *real = NULL, *link;

	if (!first || !is_pyenv_shim(first))
		goto out;
	if (getenv("PYENV_ROOT") && *getenv("PYENV_ROOT")) {
		root = strdup(getenv("PYENV_ROOT"));
	} else {
		/* ROOT/shims/python3 */
		char *slash;

		root = strdup(first);
		slash = root ? strrchr(root, '/') : NULL;
		if (slash)
			*slash = 0;
		slash = root ? strrchr(root, '/') : NULL;
		if (!slash || strcmp(slash, "/shims"))
			goto out;
		*slash = 0;
	}
	if (getenv("PYENV_VERSION")) {
		const char *v = getenv("PYENV_VERSION");

		if (!*v || strpbrk(v, " \t:"))
			goto out;
		version = strdup(v);
	} else {
		char cwd[4096], *slash;

		if (!getcwd(cwd, sizeof(cwd)))
			goto out;
		for (;;) {
			char *f = strdup_printf("%s/.python-version", cwd);
			bool exists = access(f, F_OK) == 0;

			if (exists)
				version = pyenv_version_file(f);
			free(f);
			if (exists) {
				if (!version)
					goto out;
				break;
			}
			slash = strrchr(cwd, '/');
			if (!slash || slash == cwd)
				break;
			*slash = 0;
		}
		if (!version) {
			char *f = path_join(root, "version");

			version = access(f, F_OK) == 0 ?
				  pyenv_version_file(f) : strdup("system");
			free(f);
			if (!version)
				goto out;
		}
	}
	if (!strcmp(version, "system")) {
		real = path_find("python3", true);
	} else if (!strchr(version, '/') && strcmp(version, ".") &&
		   strcmp(version, "..")) {
		real = strdup_printf("%s/versions/%s/bin/python3", root,
				     version);
		if (access(real, X_OK)) {
			free(real);
			real = NULL;
		}
	}
	if (!real)
		goto out;
	/* as `pyenv exec` runs it: the version's bin folder first on PATH
	 * (not for "system"), the interpreter by its own path */
	{
		char *dir = strdup(real), *text;

		if (!dir)
			abort();
		*strrchr(dir, '/') = 0;
		text = strcmp(version, "system") ?
		       strdup_printf("#!/bin/sh\nPATH='%s':$PATH\n"
				     "exec '%s' \"$@\"\n", dir, real) :
		       strdup_printf("#!/bin/sh\nexec '%s' \"$@\"\n", real);
		link = path_join(bin_dir, "python3");
		if (!strchr(real, '\'') &&
		    write_file(link, text, 0755) == 0 &&
		    verbose > 1)
			fprintf(stderr, "netdrill: commands run python3 as %s "
				"(what pyenv picks, without pyenv's "
				"start-up)\n", real);
		free(link);
		free(text);
		free(dir);
	}
out:
	free(first);
	free(root);
	free(version);
	free(real);
}
