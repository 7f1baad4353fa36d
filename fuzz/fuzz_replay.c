/* SPDX-License-Identifier: GPL-2.0-only */
/* fuzz_replay.c: run fuzz_parser.c's LLVMFuzzerTestOneInput over files
 * without libFuzzer, so `make check` builds the harness with the normal
 * compiler and replays the seed corpus and every saved crash reproducer
 * (fuzz/regressions/). Usage: fuzz_replay [FILE-or-DIRECTORY...]
 * Without arguments (as make check runs it) it replays the default seed
 * set under $top_srcdir (or "."): gtests/syntax, gtests/errors,
 * gtests/example.pkt and fuzz/regressions.
 * Prints the number of inputs run; a property violation aborts. */
#include "fuzz_parser.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		fprintf(stderr, "fuzz_replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			data = realloc(data, cap);
			if (data == NULL) {
				fprintf(stderr, "fuzz_replay: out of memory\n");
				exit(2);
			}
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		fprintf(stderr, "fuzz_replay: %s: read error\n", path);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replay every regular file in a directory, in name order; returns the
 * count, or -1 on error. */
static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t count = 0, i;
	int done = 0;

	if (d == NULL) {
		fprintf(stderr, "fuzz_replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (count + 1) * sizeof(*names));
		if (names == NULL || asprintf(&names[count], "%s/%s", dir,
					      e->d_name) < 0) {
			fprintf(stderr, "fuzz_replay: out of memory\n");
			exit(2);
		}
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof(*names), compare_names);
	for (i = 0; i < count; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(names[i]) < 0)
				done = -1;
			else if (done >= 0)
				done++;
		}
		free(names[i]);
	}
	free(names);
	return done;
}

static const char *const default_seeds[] = {
	"gtests/syntax", "gtests/errors", "gtests/example.pkt",
	"fuzz/regressions",
};

/* Replay one file or directory; returns the count or -1. */
static int replay_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "fuzz_replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return replay_dir(path);
	return replay_file(path) == 0 ? 1 : -1;
}

int main(int argc, char **argv)
{
	int total = 0, n, i;

	if (argc > 1 && argv[1][0] == '-') {
		fprintf(stderr, "usage: fuzz_replay [FILE-or-DIRECTORY...]\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		n = replay_path(argv[i]);
		if (n < 0)
			return 1;
		total += n;
	}
	if (argc == 1) {
		const char *top = getenv("top_srcdir");
		size_t k;

		for (k = 0; k < sizeof(default_seeds) / sizeof(*default_seeds);
		     k++) {
			char *path;

			if (asprintf(&path, "%s/%s", top ? top : ".",
				     default_seeds[k]) < 0)
				return 2;
			n = replay_path(path);
			free(path);
			if (n < 0)
				return 1;
			total += n;
		}
		if (total < 10) {
			fprintf(stderr, "fuzz_replay: only %d seed files found "
				"under %s\n", total, top ? top : ".");
			return 1;
		}
	}
	printf("fuzz_replay: %d inputs replayed, no failure\n", total);
	return 0;
}
