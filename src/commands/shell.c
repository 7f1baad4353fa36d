/* SPDX-License-Identifier: GPL-2.0-only */
/* shell.c: the POSIX-shell subset of shell.h: words, $(( )) arithmetic,
 * the parser into simple commands, and the evaluator. */
#include "shell.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sh_buf_addn(struct sh_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2 + 32;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void sh_buf_add(struct sh_buf *b, const char *s)
{
	sh_buf_addn(b, s, strlen(s));
}

void sh_buf_addc(struct sh_buf *b, char ch)
{
	sh_buf_addn(b, &ch, 1);
}

char *sh_buf_take(struct sh_buf *b)
{
	char *s = b->s ? b->s : strdup("");

	if (!s)
		abort();
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

static void cmd_free(struct sh_cmd *s)
{
	int j;

	for (j = 0; j < s->argc; j++)
		free(s->argv[j]);
	free(s->argv);
	for (j = 0; j < s->nredir; j++)
		free(s->redir[j].target);
	memset(s, 0, sizeof(*s));
}

void sh_prog_free(struct sh_prog *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		cmd_free(&p->cmds[i]);
	free(p->cmds);
	p->cmds = NULL;
	p->n = 0;
}

struct lex {
	const char *p;
	int ppid;		/* $PPID's value; -1: not in the subset */
};

/* The next character, `\` newline pairs skipped. */
static char lx_peek(struct lex *l)
{
	while (l->p[0] == '\\' && l->p[1] == '\n')
		l->p += 2;
	return *l->p;
}

static char lx_get(struct lex *l)
{
	char ch = lx_peek(l);

	if (ch)
		l->p++;
	return ch;
}

/* $((...)) arithmetic: numbers (decimal, 0x hex, 0 octal), + - * / %,
 * unary + -, parentheses. -1 for anything else or an overflow. */
struct arith {
	const char *p;
};

static void ar_skip(struct arith *a)
{
	while (*a->p == ' ' || *a->p == '\t' || *a->p == '\n')
		a->p++;
}

static int ar_expr(struct arith *a, intmax_t *v);

static int ar_unary(struct arith *a, intmax_t *v)
{
	ar_skip(a);
	if (*a->p == '-' || *a->p == '+') {
		char op = *a->p++;

		if (*a->p == op)	/* -- and ++ */
			return -1;
		if (ar_unary(a, v))
			return -1;
		if (op == '-') {
			if (*v == INTMAX_MIN)
				return -1;
			*v = -*v;
		}
		return 0;
	}
	if (*a->p == '(') {
		a->p++;
		if (ar_expr(a, v))
			return -1;
		ar_skip(a);
		if (*a->p != ')')
			return -1;
		a->p++;
		return 0;
	}
	if (*a->p >= '0' && *a->p <= '9') {
		const char *s = a->p;
		char num[64], *end;

		while ((*a->p >= '0' && *a->p <= '9') ||
		       (*a->p >= 'a' && *a->p <= 'z') ||
		       (*a->p >= 'A' && *a->p <= 'Z'))
			a->p++;
		if ((size_t)(a->p - s) >= sizeof(num))
			return -1;
		memcpy(num, s, (size_t)(a->p - s));
		num[a->p - s] = 0;
		errno = 0;
		*v = strtoimax(num, &end, 0);
		if (errno || *end || end == num)
			return -1;
		return 0;
	}
	return -1;
}

static int ar_term(struct arith *a, intmax_t *v)
{
	if (ar_unary(a, v))
		return -1;
	for (;;) {
		intmax_t r;
		char op;

		ar_skip(a);
		op = *a->p;
		if ((op != '*' && op != '/' && op != '%') || a->p[1] == '=' ||
		    (op == '*' && a->p[1] == '*'))
			return 0;
		a->p++;
		if (ar_unary(a, &r))
			return -1;
		if (op == '*') {
			if (__builtin_mul_overflow(*v, r, v))
				return -1;
		} else {
			if (r == 0 || (*v == INTMAX_MIN && r == -1))
				return -1;
			*v = op == '/' ? *v / r : *v % r;
		}
	}
}

static int ar_expr(struct arith *a, intmax_t *v)
{
	if (ar_term(a, v))
		return -1;
	for (;;) {
		intmax_t r;
		char op;

		ar_skip(a);
		op = *a->p;
		if ((op != '+' && op != '-') || a->p[1] == '=' ||
		    a->p[1] == op)
			return 0;
		a->p++;
		if (ar_term(a, &r))
			return -1;
		if (op == '+' ? __builtin_add_overflow(*v, r, v) :
		    __builtin_sub_overflow(*v, r, v))
			return -1;
	}
}

int sh_arith(const char *expr, intmax_t *value)
{
	struct arith a = { expr };

	if (ar_expr(&a, value))
		return -1;
	ar_skip(&a);
	return *a.p ? -1 : 0;
}

/* After "$": one expansion appended to w. -1 if not understood. */
static int lx_dollar(struct lex *l, struct sh_buf *w)
{
	char num[32];

	if (lx_peek(l) == '(') {
		struct sh_buf e = { 0 };
		intmax_t v;
		int depth = 0;
		char ch;

		lx_get(l);
		if (lx_get(l) != '(')
			return -1;	/* $( command substitution ) */
		for (;;) {
			ch = lx_get(l);
			if (!ch)
				goto bad;
			if (ch == '(') {
				depth++;
			} else if (ch == ')') {
				if (depth == 0) {
					if (lx_get(l) != ')')
						goto bad;
					break;
				}
				depth--;
			} else if (!strchr("0123456789abcdefABCDEFxX+-*/% \t\n",
					   ch)) {
				goto bad;	/* names, other operators */
			}
			sh_buf_addc(&e, ch);
		}
		if (sh_arith(e.s ? e.s : "", &v))
			goto bad;
		free(e.s);
		snprintf(num, sizeof(num), "%jd", v);
		sh_buf_add(w, num);
		return 0;
bad:
		free(e.s);
		return -1;
	}
	if (l->ppid < 0)
		return -1;
	if (lx_peek(l) == '{') {
		lx_get(l);
		if (strncmp(l->p, "PPID}", 5))
			return -1;
		l->p += 5;
	} else {
		if (strncmp(l->p, "PPID", 4))
			return -1;
		l->p += 4;
		{
			char ch = lx_peek(l);

			if ((ch >= 'a' && ch <= 'z') ||
			    (ch >= 'A' && ch <= 'Z') ||
			    (ch >= '0' && ch <= '9') || ch == '_')
				return -1;
		}
	}
	snprintf(num, sizeof(num), "%d", l->ppid);
	sh_buf_add(w, num);
	return 0;
}

/* Is ch a character that ends an unquoted word? */
static bool word_end(char ch)
{
	return !ch || strchr(" \t\n;&|<>()", ch);
}

/* One word into w. *digits: unquoted digits only (a redirection's fd
 * number when > follows). 0, or -1 for what is not understood (globbing,
 * command substitution, other variables, brace and tilde expansion...). */
static int lx_word(struct lex *l, struct sh_buf *w, bool *digits)
{
	*digits = true;
	for (;;) {
		char ch = lx_peek(l);

		if (word_end(ch))
			return 0;
		l->p++;
		if (ch == '\'') {
			const char *e = strchr(l->p, '\'');

			if (!e)
				return -1;
			sh_buf_addn(w, l->p, (size_t)(e - l->p));
			l->p = e + 1;
			*digits = false;
		} else if (ch == '"') {
			*digits = false;
			for (;;) {
				ch = lx_get(l);
				if (!ch || ch == '`')
					return -1;
				if (ch == '"')
					break;
				if (ch == '$') {
					if (lx_dollar(l, w))
						return -1;
				} else if (ch == '\\') {
					ch = *l->p;
					if (!ch)
						return -1;
					l->p++;
					if (!strchr("$`\"\\", ch))
						sh_buf_addc(w, '\\');
					sh_buf_addc(w, ch);
				} else {
					sh_buf_addc(w, ch);
				}
			}
		} else if (ch == '\\') {
			ch = *l->p;
			if (!ch)
				return -1;
			l->p++;
			sh_buf_addc(w, ch);
			*digits = false;
		} else if (ch == '$') {
			if (lx_dollar(l, w))
				return -1;
			*digits = false;
		} else if (strchr("*?[]{}`!~", ch) ||
			   (unsigned char)ch >= 0x80 ||
			   (unsigned char)ch < 0x20) {
			return -1;
		} else {
			if (ch < '0' || ch > '9')
				*digits = false;
			sh_buf_addc(w, ch);
		}
	}
}

static void lx_blanks(struct lex *l)
{
	while (lx_peek(l) == ' ' || lx_peek(l) == '\t')
		l->p++;
}

int sh_parse(const char *text, int ppid, struct sh_prog *p)
{
	struct lex l = { text, ppid };
	struct sh_cmd cur = { 0 };
	int cap = 0, rc = -1;

	for (;;) {
		char ch;

		lx_blanks(&l);
		ch = lx_peek(&l);
		if (ch == '#' ) {
			while (*l.p && *l.p != '\n')
				l.p++;
			continue;
		}
		if (!ch || ch == '\n' || ch == ';') {
			if (cur.argc == 0 && cur.nredir == 0) {
				if (ch == ';')
					goto out;	/* syntax error */
				if (!ch)
					break;
				l.p++;
				continue;
			}
			if (cur.argc == 0)
				goto out;	/* redirections only */
			if (p->n == cap) {
				cap = cap * 2 + 8;
				p->cmds = realloc(p->cmds, (size_t)cap *
						  sizeof(*p->cmds));
				if (!p->cmds)
					abort();
			}
			p->cmds[p->n++] = cur;
			memset(&cur, 0, sizeof(cur));
			if (!ch)
				break;
			l.p++;
			continue;
		}
		if (ch == '>') {
			if (cur.nredir == SH_MAX_REDIR)
				goto out;
			l.p++;
			cur.redir[cur.nredir].fd = 1;
			goto redirect;
		}
		if (strchr("&|<()", ch))
			goto out;
		{
			struct sh_buf w = { 0 };
			bool digits;

			if (lx_word(&l, &w, &digits)) {
				free(w.s);
				goto out;
			}
			if (digits && lx_peek(&l) == '>') {
				int fd = !strcmp(w.s, "1") ? 1 :
					 !strcmp(w.s, "2") ? 2 : -1;

				free(w.s);
				if (fd < 0 || cur.nredir == SH_MAX_REDIR)
					goto out;
				l.p++;
				cur.redir[cur.nredir].fd = fd;
				goto redirect;
			}
			cur.argv = realloc(cur.argv, (size_t)(cur.argc + 2) *
					   sizeof(char *));
			if (!cur.argv)
				abort();
			cur.argv[cur.argc++] = sh_buf_take(&w);
			cur.argv[cur.argc] = NULL;
			continue;
		}
redirect:
		{
			struct sh_buf w = { 0 };
			bool digits;

			cur.redir[cur.nredir].op = '>';
			ch = lx_peek(&l);
			if (ch == '>') {
				l.p++;
				cur.redir[cur.nredir].op = 'a';	/* >> */
			} else if (ch == '&') {
				l.p++;
				cur.redir[cur.nredir].op = '&';
			} else if (ch == '|') {
				goto out;
			}
			lx_blanks(&l);
			if (word_end(lx_peek(&l)) || lx_word(&l, &w, &digits)) {
				free(w.s);
				goto out;
			}
			cur.redir[cur.nredir].target = sh_buf_take(&w);
			cur.nredir++;
			if (cur.redir[cur.nredir - 1].op == '&' &&
			    strcmp(cur.redir[cur.nredir - 1].target, "1") &&
			    strcmp(cur.redir[cur.nredir - 1].target, "2"))
				goto out;
		}
	}
	rc = 0;
out:
	if (rc) {
		cmd_free(&cur);
		sh_prog_free(p);
	}
	return rc;
}

char *sh_join(int argc, char **argv, int from)
{
	struct sh_buf b = { 0 };
	int i;

	for (i = from; i < argc; i++) {
		if (i > from)
			sh_buf_addc(&b, ' ');
		sh_buf_add(&b, argv[i]);
	}
	return sh_buf_take(&b);
}

/* echo without options or backslashes (they differ between shells). */
static int run_echo(const struct sh_cmd *s, const struct sh_fds *m,
		    const struct sh_ops *ops, void *ctx)
{
	char *text;

	if (s->argc > 1 && s->argv[1][0] == '-')
		return -1;
	text = sh_join(s->argc, s->argv, 1);
	if (strchr(text, '\\')) {
		free(text);
		return -1;
	}
	if (m->sink[1] == SH_FILE) {
		if (strpbrk(text, "\n\r")) {
			free(text);
			return -1;
		}
		ops->set_file(ctx, m->file, text);
	} else {
		char *line = malloc(strlen(text) + 2);

		if (!line)
			abort();
		sprintf(line, "%s\n", text);
		ops->out(ctx, m, 1, line);
		free(line);
	}
	free(text);
	return 0;
}

static int run_cmd(const struct sh_cmd *s, const struct sh_fds *base,
		   const struct sh_ops *ops, void *ctx)
{
	const char *cmd = s->argv[0];
	struct sh_fds m = *base;
	bool file = false;
	int i;

	for (i = 0; i < s->nredir; i++) {
		int fd = s->redir[i].fd;
		const char *target = s->redir[i].target;

		if (s->redir[i].op == '&') {
			m.sink[fd] = m.sink[target[0] - '0'];
		} else if (!strcmp(target, "/dev/null")) {
			m.sink[fd] = SH_NULL;
		} else {
			int f;

			/* only echo's one `> file` (a sysctl, in practice) */
			if (s->redir[i].op != '>' || fd != 1 || file ||
			    strcmp(cmd, "echo"))
				return -1;
			f = ops->file(ctx, target);
			if (f < 0)
				return -1;
			ops->set_file(ctx, f, "");	/* the open truncates */
			m.sink[1] = SH_FILE;
			m.file = f;
			file = true;
		}
	}
	if (!strcmp(cmd, "echo"))
		return run_echo(s, &m, ops, ctx);
	return ops->command(ctx, &m, s->argc, s->argv);
}

int sh_run(const struct sh_prog *p, const struct sh_fds *fds,
	   const struct sh_ops *ops, void *ctx)
{
	int i, status = 0;

	for (i = 0; i < p->n; i++) {
		status = run_cmd(&p->cmds[i], fds, ops, ctx);
		if (status < 0)
			return -1;
	}
	return status;
}
