/* SPDX-License-Identifier: GPL-2.0-only */
/* parse_priv.h: what the lexer, the parser and the rest of grammar/ share;
 * not for use outside grammar/. */
#ifndef NETDRILL_PARSE_PRIV_H
#define NETDRILL_PARSE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "config.h"
#include "diag.h"

/* ---- memory: every node and string of a script lives in its arena ---- */
struct arena_chunk;
struct arena {
	struct arena_chunk *chunks;
	size_t chunk_size;	/* bytes per chunk; 0: 64 KiB */
};
/* A point in an arena to go back to: arena_release() frees everything
 * allocated after arena_mark() returned it. */
struct arena_mark {
	struct arena_chunk *chunk;
	size_t used;
};
void *arena_alloc(struct arena *arena, size_t size);	/* zeroed; never NULL
							 * (aborts on OOM) */
char *arena_strndup(struct arena *arena, const char *s, size_t len);
char *arena_strdup(struct arena *arena, const char *s);
char *arena_printf(struct arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void arena_free(struct arena *arena);
struct arena_mark arena_mark(const struct arena *arena);
void arena_release(struct arena *arena, struct arena_mark mark);

/* The script object as allocated: public part first. */
struct script_impl {
	struct script pub;
	struct arena arena;
	char *owned_text;		/* text, when not in the arena */
	int events_cap;			/* room in pub.events */
	/* what parsing an event again needs, as it was at the parse */
	struct definition *defines;	/* the config's -D, copied */
	struct definition *script_defines;	/* --define lines */
	int family;			/* the wire family check.c used */
};
static inline struct arena *script_arena(struct script *script)
{
	return &((struct script_impl *)script)->arena;
}

/* A loaded event (parse_event) as allocated: public part first. */
struct event_impl {
	struct ast_event pub;
	struct arena arena;		/* its nodes */
};

/* Maximum nesting of ( [ { in one script. */
#define PARSE_MAX_DEPTH 256

/* A token's value, as the lexer hands it to the parser. */
struct tokval {
	char *str;		/* text: word, string bytes, command, code,
				 * address, option name, number text */
	size_t len;		/* STRING: byte count */
	char *def;		/* the -D name this token came from, or NULL */
	char *value;		/* OPTION: its value, or NULL */
	int64_t num;		/* INTEGER */
	bool hex;		/* INTEGER written 0x... */
	bool big;		/* INTEGER above INT64_MAX */
};

/* The state one parse shares between lexer and parser. */
struct parse_ctx {
	struct script *script;
	struct arena *arena;
	struct diag *diag;
	const struct definition *defines;	/* -D of the command line */
	struct script_checker *checker;	/* a whole script: checks each event */
	struct definition *script_defines;	/* from --define lines */
	struct definition **script_defines_tail;
	void *scanner;			/* the flex scanner (yyscan_t) */

	/* lexer position */
	int line, column;
	int last_token_line;		/* line of the last token returned */
	bool token_first_on_line;	/* the current token starts its line */
	int depth;			/* open ( [ { */
	int pipes;			/* | operators in this event */
	bool depth_error;		/* nesting limit hit: stop */
	bool eof_reported;		/* an unterminated token ran to the end */
	bool at_eof;			/* the scanner returned end of file */

	/* error recovery: after a syntax error the lexer skips to the next
	 * line that starts like an event and hands the parser a SYNC token
	 * first. */
	bool resync;
	bool have_saved;		/* the last token may be replayed */
	int saved_token;
	struct tokval saved_val;
	struct ast_loc saved_loc;
	bool replay;
	int prev_token;			/* the token before the saved one */
	struct ast_loc prev_loc;	/* (0: none), for "missing ... after" */

	/* building the script */
	struct ast_option **options_tail;
	bool seen_event;
	bool seen_cleanup;

	/* a whole script: each event's nodes are released once its span is
	 * recorded (the arena goes back to event_mark) */
	struct arena_mark event_mark;

	/* one event again (parse_event): the lexer's first token is
	 * START_EVENT and the event lands here */
	bool one_event, start_sent;
	struct ast_event *event;
};

/* Look up a -D definition: command line first, then the script's own
 * --define lines. NULL if absent. */
const char *parse_lookup_define(const struct parse_ctx *ctx, const char *name);

/* Semantic checks (check.c), on each event as the parser records it;
 * their messages reach err only if the parse ends without errors (then
 * script_checker_finish adds them to diag, which it frees the checker
 * with). */
struct script_checker;
struct script_checker *script_checker_new(struct script *script,
					  const struct config *config,
					  FILE *err);
void script_checker_event(struct script_checker *sc, struct ast_event *ev);
void script_checker_finish(struct script_checker *sc, struct diag *diag);
/* The checks of one event's own model (not its time), which also fill
 * in what they resolve (ICMP type and code numbers); family is
 * AF_INET or AF_INET6. */
void check_event_model(struct ast_event *ev, int family, struct diag *diag);

/* Parse text (script->text/len already set) into script (parser.y). */
void parse_run(struct parse_ctx *ctx);

/* Event i of script parsed again from its span, unchecked, in an object
 * of its own (ast_event_free()); errors go to diag. NULL if it does not
 * parse to one event. */
struct ast_event *parse_event(const struct script *script, int i,
			      struct diag *diag);

/* The scanner (lexer.l). */
int lexer_create(struct parse_ctx *ctx, const char *text, size_t len,
		 int line, int column);	/* scans a copy of text, whose
					 * first byte is at line:column */
void lexer_destroy(struct parse_ctx *ctx);

#endif /* NETDRILL_PARSE_PRIV_H */
