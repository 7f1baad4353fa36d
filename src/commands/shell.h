/* SPDX-License-Identifier: GPL-2.0-only */
/* shell.h: the POSIX-shell subset that backquoted commands run in
 * without forking /bin/sh (see run_command.h for when it is used).
 *
 * The subset: comments, blank lines, `\` line continuations, `;` and
 * newlines between simple commands; words with '...' and "..." quoting, \
 * escapes, $((arithmetic)) and $PPID / ${PPID}; redirections [n]> FILE,
 * [n]>> FILE, [n]>&m (n, m 1 or 2). Anything else (pipes, &&, globbing,
 * command substitution, other variables...) is "not in the subset": the
 * caller then runs the whole command through /bin/sh instead, so the
 * subset is all or nothing and never guesses.
 *
 * The evaluator knows echo itself (no options, no backslashes) and the
 * redirections; every other command, and what a redirection to a file
 * means, belong to the caller (struct sh_ops). Nothing here touches the
 * system: no fork, no file, no environment.
 *
 * May include: nothing of netdrill's (a leaf module). */
#ifndef NETDRILL_SHELL_H
#define NETDRILL_SHELL_H

#include <stddef.h>
#include <stdint.h>

/* A growing string. Zero-initialise; sh_buf_take hands it over. */
struct sh_buf {
	char *s;
	size_t len, cap;
};

void sh_buf_addn(struct sh_buf *b, const char *s, size_t n);
void sh_buf_add(struct sh_buf *b, const char *s);
void sh_buf_addc(struct sh_buf *b, char ch);
/* The text (malloc'd, "" if none); b is empty again. */
char *sh_buf_take(struct sh_buf *b);

/* argv[from..argc-1] joined by single spaces (malloc'd). */
char *sh_join(int argc, char **argv, int from);

#define SH_MAX_REDIR 8

/* One simple command: words after expansion and quote removal. */
struct sh_cmd {
	char **argv;		/* argc words, NULL-terminated */
	int argc;
	struct {
		int fd;		/* 1 or 2 */
		int op;		/* '>', 'a' (>>) or '&' (dup) */
		char *target;	/* a path, or "1"/"2" for '&' */
	} redir[SH_MAX_REDIR];
	int nredir;
};

struct sh_prog {
	struct sh_cmd *cmds;
	int n;
};

/* Parse text into simple commands. ppid is what $PPID expands to; -1 to
 * leave $PPID out of the subset (a script file, whose shell's parent is
 * not netdrill). 0, or -1 if any of the text is not in the subset (prog is
 * then empty). */
int sh_parse(const char *text, int ppid, struct sh_prog *prog);
void sh_prog_free(struct sh_prog *prog);

/* The inside of $(( )): decimal, 0x hex and 0 octal numbers, + - * / %,
 * unary + -, parentheses. 0 and *value, or -1 for anything else
 * (names, ++, **, assignment operators), a division by zero or an
 * overflow of intmax_t. */
int sh_arith(const char *expr, intmax_t *value);

/* Where fds 1 and 2 of a command go. */
enum { SH_NULL, SH_OUT, SH_ERR, SH_FILE };

struct sh_fds {
	int sink[3];		/* for fds 1 and 2: SH_* */
	int file;		/* the caller's file when a sink is SH_FILE */
};

/* What a command's world is: the caller's. */
struct sh_ops {
	/* The file `> path` opens, as the caller numbers them; -1 if such a
	 * redirection is not in the subset. */
	int (*file)(void *ctx, const char *path);
	/* The file now holds content (truncated by `>`, then echo's text). */
	void (*set_file)(void *ctx, int file, const char *content);
	/* Text written on fd 1 or 2, to go where fds->sink says. */
	void (*out)(void *ctx, const struct sh_fds *fds, int fd,
		    const char *text);
	/* Any command other than echo: its exit status, or -1 if it is not
	 * in the subset. */
	int (*command)(void *ctx, const struct sh_fds *fds, int argc,
		       char **argv);
};

/* Run prog's commands in order with fds as their starting redirections:
 * the last command's exit status, or -1 as soon as one is not in the
 * subset (what ran before is the caller's to discard). */
int sh_run(const struct sh_prog *prog, const struct sh_fds *fds,
	   const struct sh_ops *ops, void *ctx);

#endif /* NETDRILL_SHELL_H */
