/* SPDX-License-Identifier: GPL-2.0-only */
/* code.c: %{ }% blocks (see code.h): each block's snapshot taken at its
 * time, then, at the end of the run, the blocks evaluated in order by the
 * Python subset (pysubset.h), or all of them by python3 when one is
 * outside it. */
#include "code_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pysubset.h"
#include "util.h"

struct code_state *code_new(const struct config *config, struct sut *sut)
{
	struct code_state *cs = calloc(1, sizeof(*cs));

	if (cs) {
		cs->config = config;
		cs->sut = sut;
		cs->tail = &cs->head;
	}
	return cs;
}

void code_free(struct code_state *cs)
{
	struct code_block *b, *next;

	if (!cs)
		return;
	for (b = cs->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(cs);
}

int code_collect(struct code_state *code, int fd, const struct ast_event *ev,
		 char **error)
{
	struct code_block *b;
	const char *why;

	if (fd < 0)
		return fail(error, "%s:%d: runtime error in code: no socket to "
			    "use for code", code->config->script_path,
			    ev->loc.line);
	b = calloc(1, sizeof(*b));
	if (!b)
		abort();
	if (tcp_snapshot_take(code->sut, fd, &b->snap, &why)) {
		free(b);
		return fail(error, "%s:%d: runtime error in code: %s",
			    code->config->script_path, ev->loc.line, why);
	}
	b->line = ev->loc.line;
	b->text = ev->u.code->text;
	*code->tail = b;
	code->tail = &b->next;
	return 0;
}

/* "file:line: error in Python code: NameError: ..." for a name that
 * looks like a tcp_info field or SO_MEMINFO counter but is none. */
static int check_symbols(const char *path, int line, const char *text,
			 char **error)
{
	int at = 0;
	char *msg = tcp_symbol_unknown(text, &at);

	if (!msg)
		return 0;
	*error = strdup_printf("%s:%d: error in Python code: %s", path,
			       line + at - 1, msg);
	free(msg);
	return -1;
}

int code_check(const char *path, const struct ast_event *event,
	       char **error)
{
	*error = NULL;
	return check_symbols(path, event->loc.line, event->u.code->text,
			     error);
}

int code_execute(struct code_state *code, char **error)
{
	struct py *ci;
	const struct code_block *b;
	char *why = NULL;
	int rc = 0;

	if (!code->head)
		return 0;
	if (code->config->code_format &&
	    strcmp(code->config->code_format, "python")) {
		return fail(error, "%s: unsupported --code_format "
			    "'%s'", code->config->script_path,
			    code->config->code_format);
	}
	if (code->config->code_sockopt && *code->config->code_sockopt &&
	    strcmp(code->config->code_sockopt, "TCP_INFO")) {
		return fail(error, "%s: unsupported --code_sockopt "
			    "'%s'", code->config->script_path,
			    code->config->code_sockopt);
	}
	/* A tcpi_ or SK_MEMINFO_ name that is not one: say which, at its
	 * own line, before anything runs. */
	for (b = code->head; b; b = b->next)
		if (check_symbols(code->config->script_path, b->line, b->text,
				  error))
			return -1;
	ci = py_new();
	tcp_symbols_bind(ci);
	/* The native subset or Python, for all blocks alike (they share
	 * variables). */
	for (b = code->head; b; b = b->next) {
		int st = py_check(ci, b->text, &why);

		if (st == -2) {
			if (code->config->verbose > 0)
				fprintf(stderr, "%s:%d: code uses %s; running "
					"the blocks with %s\n",
					code->config->script_path, b->line, why,
					code->config->code_command_line);
			free(why);
			py_free(ci);
			return code_run_python3(code, error);
		}
		free(why);
		why = NULL;
	}
	for (b = code->head; b && !rc; b = b->next) {
		tcp_snapshot_bind(ci, &b->snap);
		if (py_run(ci, b->text, stdout, &why)) {
			*error = strdup_printf("%s:%d: error in Python "
					       "code: %s",
					       code->config->script_path,
					       b->line, why);
			free(why);
			rc = -1;
		}
	}
	py_free(ci);
	return rc;
}
