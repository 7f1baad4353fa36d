/* SPDX-License-Identifier: GPL-2.0-only */
/* test_shell.c: the shell subset (shell.h) on tables of inputs and the
 * results expected: sh_arith, sh_parse (commands and redirections, or
 * "not in the subset"), and sh_run with a recording sh_ops. TAP through
 * tests/tap.h, one named case per table. */
#include "shell.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"

/* One TAP check named "what: input" (on one line: a newline shows as
 * '|'), with what was got and wanted as comments when it fails. */
#define check(ok, what, input, got, want) \
	check_at(__LINE__, ok, what, input, got, want)
static void check_at(int line, bool ok, const char *what, const char *input,
		     const char *got, const char *want)
{
	char name[600];
	size_t i;

	for (i = 0; input[i] && i + 1 < sizeof(name); i++)
		name[i] = input[i] == '\n' ? '|' : input[i];
	name[i] = 0;
	if (!tap_check(ok, __FILE__, line, "%s: %s", what, name))
		tap_diag("  got:  %s\n  want: %s", got, want);
}

/* $(( )) contents: the value, or NULL for "not in the subset". */
static const struct {
	const char *expr;
	const char *value;
} arith[] = {
	{ "1", "1" },
	{ " 2 + 3 * 4 ", "14" },
	{ "(2 + 3) * 4", "20" },
	{ "10 / 3", "3" },
	{ "-10 / 3", "-3" },
	{ "10 % 3", "1" },
	{ "-7 % 3", "-1" },
	{ "0x10 + 010", "24" },
	{ "- -3", "3" },
	{ "+4", "4" },
	{ "1 - 2 - 3", "-4" },
	{ "2 * -3", "-6" },
	{ "9223372036854775807", "9223372036854775807" },
	{ "((1))", "1" },
	/* malformed, or outside the subset */
	{ "", NULL },
	{ "1 +", NULL },
	{ "(1", NULL },
	{ "1)", NULL },
	{ "1 / 0", NULL },
	{ "1 % 0", NULL },
	{ "9223372036854775807 + 1", NULL },
	{ "9223372036854775808", NULL },
	{ "4611686018427387904 * 2", NULL },
	{ "--1", NULL },
	{ "++1", NULL },
	{ "2 ** 3", NULL },
	{ "x + 1", NULL },
	{ "1 += 2", NULL },
	{ "1 << 2", NULL },
	{ "08", NULL },
	{ "1 2", NULL },
};

/* Command text and its parse with $PPID = 4242: each command as
 * [word][word]... then " FD OP TARGET" per redirection, "; " between
 * commands; NULL for "not in the subset". */
static const struct {
	const char *text;
	const char *parse;
} parse[] = {
	{ "sysctl -q net.ipv4.tcp_sack=0",
	  "[sysctl][-q][net.ipv4.tcp_sack=0]" },
	{ "  a   b\tc  ", "[a][b][c]" },
	{ "", "" },
	{ "\n\n# only a comment\n", "" },
	{ "a; b\nc", "[a]; [b]; [c]" },
	{ "a # comment ; b", "[a]" },
	{ "a;", "[a]" },
	{ "echo 'x  y' \"z $PPID\" w\\ v", "[echo][x  y][z 4242][w v]" },
	{ "echo ${PPID}x", "[echo][4242x]" },
	{ "echo \"a\\$b\\\\c\\d\"", "[echo][a$b\\c\\d]" },
	{ "echo $((1 + 2))x", "[echo][3x]" },
	{ "echo \"$(( (1+2)*3 ))\"", "[echo][9]" },
	{ "a \\\nb", "[a][b]" },
	{ "a''b", "[ab]" },
	{ "echo 1 > /proc/sys/x", "[echo][1] 1 > /proc/sys/x" },
	{ "a >/dev/null 2>&1", "[a] 1 > /dev/null 2 & 1" },
	{ "a 2>> /dev/null", "[a] 2 a /dev/null" },
	{ "a 1>&2", "[a] 1 & 2" },
	{ "a 12 b", "[a][12][b]" },
	/* malformed, or outside the subset */
	{ ";", NULL },
	{ "a;;b", NULL },
	{ "a | b", NULL },
	{ "a && b", NULL },
	{ "a &", NULL },
	{ "a < f", NULL },
	{ "(a)", NULL },
	{ "> f", NULL },
	{ "echo 'open", NULL },
	{ "echo \"open", NULL },
	{ "echo \"`x`\"", NULL },
	{ "echo `x`", NULL },
	{ "echo $(x)", NULL },
	{ "echo $HOME", NULL },
	{ "echo $PPIDX", NULL },
	{ "echo $((x))", NULL },
	{ "echo $((1 / 0))", NULL },
	{ "echo $((1)", NULL },
	{ "ls *", NULL },
	{ "ls ~", NULL },
	{ "echo {a,b}", NULL },
	{ "a 3> f", NULL },
	{ "a >| f", NULL },
	{ "a >&3", NULL },
	{ "a >", NULL },
	{ "echo \\", NULL },
	{ "a >1 >2 >3 >4 >5 >6 >7 >8 >9", NULL },
	{ "echo \x01", NULL },
};

static char *show_prog(const struct sh_prog *p)
{
	struct sh_buf b = { 0 };
	int i, j;

	for (i = 0; i < p->n; i++) {
		if (i)
			sh_buf_add(&b, "; ");
		for (j = 0; j < p->cmds[i].argc; j++) {
			sh_buf_addc(&b, '[');
			sh_buf_add(&b, p->cmds[i].argv[j]);
			sh_buf_addc(&b, ']');
		}
		for (j = 0; j < p->cmds[i].nredir; j++) {
			char fd[16];

			snprintf(fd, sizeof(fd), " %d %c ",
				 p->cmds[i].redir[j].fd,
				 p->cmds[i].redir[j].op);
			sh_buf_add(&b, fd);
			sh_buf_add(&b, p->cmds[i].redir[j].target);
		}
	}
	return sh_buf_take(&b);
}

/* sh_run against a recording world: files "/f0", "/f1" are files 0 and 1;
 * command "true" exits 0, "false" 1, "say X" writes X on its fd 2;
 * anything else is not in the subset. */
struct world {
	struct sh_buf log;
};

static int w_file(void *ctx, const char *path)
{
	(void)ctx;
	return !strcmp(path, "/f0") ? 0 : !strcmp(path, "/f1") ? 1 : -1;
}

static void w_set_file(void *ctx, int file, const char *content)
{
	struct world *w = ctx;
	char head[32];

	snprintf(head, sizeof(head), "{f%d=", file);
	sh_buf_add(&w->log, head);
	sh_buf_add(&w->log, content);
	sh_buf_addc(&w->log, '}');
}

static void w_out(void *ctx, const struct sh_fds *fds, int fd,
		  const char *text)
{
	struct world *w = ctx;
	int sink = fds->sink[fd];

	if (sink == SH_NULL)
		return;
	sh_buf_add(&w->log, sink == SH_OUT ? "{1:" : "{2:");
	sh_buf_add(&w->log, text);
	sh_buf_addc(&w->log, '}');
}

static int w_command(void *ctx, const struct sh_fds *fds, int argc,
		     char **argv)
{
	if (!strcmp(argv[0], "true"))
		return 0;
	if (!strcmp(argv[0], "false"))
		return 1;
	if (!strcmp(argv[0], "say") && argc == 2) {
		w_out(ctx, fds, 2, argv[1]);
		return 0;
	}
	return -1;
}

static const struct sh_ops world_ops = {
	.file = w_file,
	.set_file = w_set_file,
	.out = w_out,
	.command = w_command,
};

/* Text, then the log of what it did and its status ("=N"). */
static const struct {
	const char *text;
	const char *result;
} run[] = {
	{ "echo a b", "{1:a b\n}=0" },
	{ "echo", "{1:\n}=0" },
	{ "echo a > /dev/null", "=0" },
	{ "echo 7 > /f1", "{f1=}{f1=7}=0" },
	{ "say x", "{2:x}=0" },
	{ "say x 2>&1", "{1:x}=0" },
	{ "say x 2>/dev/null", "=0" },
	{ "say x 2>&1 1>/dev/null", "{1:x}=0" },
	{ "false; true", "=0" },
	{ "true; false", "=1" },
	{ "", "=0" },
	/* outside the subset: -1 */
	{ "true; nope; echo x", "=-1" },
	{ "echo -n a", "=-1" },
	{ "echo 'a\\b'", "=-1" },
	{ "echo 7 > /f9", "=-1" },
	{ "echo 7 >> /f1", "=-1" },
	{ "echo 7 2> /f1", "=-1" },
	{ "echo 7 > /f0 > /f1", "{f0=}=-1" },
	{ "true > /f1", "=-1" },
	{ "echo \"a\nb\" > /f0", "{f0=}=-1" },
};

static void test_arith(void)
{
	size_t i;

	for (i = 0; i < sizeof(arith) / sizeof(arith[0]); i++) {
		intmax_t v;
		char got[64];
		int rc = sh_arith(arith[i].expr, &v);

		if (rc)
			snprintf(got, sizeof(got), "(not in the subset)");
		else
			snprintf(got, sizeof(got), "%jd", v);
		check(arith[i].value ? !rc && !strcmp(got, arith[i].value) :
		      rc == -1, "sh_arith", arith[i].expr, got,
		      arith[i].value ? arith[i].value : "(not in the subset)");
	}
}

static void test_parse(void)
{
	size_t i;

	for (i = 0; i < sizeof(parse) / sizeof(parse[0]); i++) {
		struct sh_prog p = { 0 };
		int rc = sh_parse(parse[i].text, 4242, &p);
		char *got = rc ? strdup("(not in the subset)") : show_prog(&p);
		const char *want = parse[i].parse ? parse[i].parse :
				   "(not in the subset)";

		check(!strcmp(got, want) && (rc == 0 || p.n == 0), "sh_parse",
		      parse[i].text, got, want);
		free(got);
		sh_prog_free(&p);
	}
	{
		/* $PPID is outside the subset in a script file */
		struct sh_prog p = { 0 };
		int rc = sh_parse("echo $PPID", -1, &p);

		check(rc == -1, "sh_parse without $PPID", "echo $PPID",
		      rc ? "(not in the subset)" : "parsed",
		      "(not in the subset)");
		sh_prog_free(&p);
	}
}

static void test_run(void)
{
	size_t i;

	for (i = 0; i < sizeof(run) / sizeof(run[0]); i++) {
		struct sh_fds fds = { { SH_NULL, SH_OUT, SH_ERR }, -1 };
		struct world w = { { 0 } };
		struct sh_prog p = { 0 };
		char status[16];
		char *got;
		int rc;

		if (sh_parse(run[i].text, 1, &p)) {
			check(false, "sh_run (parse)", run[i].text, "-",
			      run[i].result);
			continue;
		}
		rc = sh_run(&p, &fds, &world_ops, &w);
		snprintf(status, sizeof(status), "=%d", rc);
		sh_buf_add(&w.log, status);
		got = sh_buf_take(&w.log);
		check(!strcmp(got, run[i].result), "sh_run", run[i].text, got,
		      run[i].result);
		free(got);
		sh_prog_free(&p);
	}
}

int main(void)
{
	return TAP_RUN(test_arith, test_parse, test_run);
}
