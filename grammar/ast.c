/* SPDX-License-Identifier: GPL-2.0-only */
/* ast.c: the script object: reading a script, the arena that owns all of
 * its nodes, and the public parse/free entry points of script.h. */
#include "ast.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "parse_priv.h"
#include "script.h"

/* ---- arena ---- */

/* Nodes are small and live exactly as long as their script, so they come
 * from a bump allocator: parsing does one malloc per 64 KiB, and
 * script_free() releases everything at once, even after a failed parse. */
#define ARENA_CHUNK 65536

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

void *arena_alloc(struct arena *arena, size_t size)
{
	size_t chunk = arena->chunk_size ? arena->chunk_size : ARENA_CHUNK;
	size = (size + 15) & ~(size_t)15;
	struct arena_chunk *c = arena->chunks;
	if (c == NULL || c->size - c->used < size) {
		size_t csize = size > chunk / 4 ? size : chunk;
		struct arena_chunk *n = malloc(sizeof(*n) + csize);
		if (n == NULL) {
			fprintf(stderr, "netdrill: out of memory\n");
			abort();
		}
		n->used = 0;
		n->size = csize;
		if (c != NULL && csize != chunk) {
			/* a big block: keep the current chunk on top */
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			arena->chunks = n;
		}
		c = n;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *arena, const char *s, size_t len)
{
	char *p = arena_alloc(arena, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *arena, const char *s)
{
	return arena_strndup(arena, s, strlen(s));
}

char *arena_printf(struct arena *arena, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = arena_alloc(arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_free(struct arena *arena)
{
	struct arena_chunk *c = arena->chunks;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	arena->chunks = NULL;
}

struct arena_mark arena_mark(const struct arena *arena)
{
	struct arena_mark m = { arena->chunks,
				arena->chunks ? arena->chunks->used : 0 };
	return m;
}

/* Chunks newer than the mark's go (a big block allocated while the
 * mark's chunk was on top sits behind it and stays until arena_free). */
void arena_release(struct arena *arena, struct arena_mark mark)
{
	while (arena->chunks && arena->chunks != mark.chunk) {
		struct arena_chunk *c = arena->chunks;
		arena->chunks = c->next;
		free(c);
	}
	if (arena->chunks)
		arena->chunks->used = mark.used;
}

/* ---- names ---- */

const char *ast_direction_name(enum ast_direction direction)
{
	return direction == DIR_INBOUND ? "<" : ">";
}

const char *ast_ecn_name(enum ast_ecn ecn)
{
	switch (ecn) {
	case AST_ECN_NOECN: return "noecn";
	case AST_ECN_ECT1: return "ect1";
	case AST_ECN_ECT0: return "ect0";
	case AST_ECN_CE: return "ce";
	case AST_ECN_ECT01: return "ect01";
	case AST_ECN_UNSPEC: break;
	}
	return "";
}

const char *ast_event_kind_name(enum ast_event_kind kind)
{
	switch (kind) {
	case EVENT_PACKET: return "packet";
	case EVENT_SYSCALL: return "system call";
	case EVENT_COMMAND: return "command";
	case EVENT_CODE: return "code";
	}
	return "event";
}

/* ---- parsing entry points ---- */

const char *parse_lookup_define(const struct parse_ctx *ctx, const char *name)
{
	const struct definition *d;
	for (d = ctx->defines; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d->value;
	for (d = ctx->script_defines; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d->value;
	return NULL;
}

/* Record where each line starts, for diagnostics. */
static void script_index_lines(struct script *script)
{
	struct arena *arena = script_arena(script);
	size_t n = 1;
	const char *p = script->text, *end = script->text + script->len;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	script->line_starts = arena_alloc(arena, n * sizeof(uint32_t));
	script->nlines = (int)n;
	size_t i = 1;
	script->line_starts[0] = 0;
	p = script->text;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p++;
		script->line_starts[i++] = (uint32_t)(p - script->text);
	}
}

/* A control byte that no text script holds (tab, newline, vertical tab,
 * form feed and carriage return are text). */
static bool is_binary_byte(unsigned char c)
{
	return (c < 0x20 && !(c >= '\t' && c <= '\r')) || c == 0x7f;
}

/* Is the buffer binary data rather than a script? More than one control
 * byte, and more than 1% of the bytes: a single stray byte in a text
 * script is left to the lexer, which points at it. *first is the offset
 * of the first one. */
static bool looks_binary(const char *text, size_t len, size_t *first,
			 size_t *count)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (is_binary_byte((unsigned char)text[i]) && n++ == 0)
			*first = i;
	*count = n;
	return n > 1 && n * 100 > len;
}

/* Where byte offset off is, as a location for a diagnostic. */
static struct ast_loc loc_at(const struct script *script, size_t off)
{
	struct ast_loc loc = { .file = script->name, .line = 1 };
	int lo = 0, hi = script->nlines - 1;

	while (lo < hi) {	/* the last line starting at or before off */
		int mid = (lo + hi + 1) / 2;

		if (script->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	loc.line = lo + 1;
	loc.column = (int)(off - script->line_starts[lo]) + 1;
	loc.last_line = loc.line;
	loc.last_column = loc.column + 1;
	return loc;
}

/* The config's -D definitions as they are now, into the script: an
 * event parsed again later sees what the script's parse saw. */
static struct definition *copy_defines(struct arena *arena,
				       const struct definition *d)
{
	struct definition *head = NULL, **tail = &head;

	for (; d; d = d->next) {
		struct definition *c = arena_alloc(arena, sizeof(*c));
		c->name = arena_strdup(arena, d->name);
		c->value = arena_strdup(arena, d->value ? d->value : "");
		*tail = c;
		tail = &c->next;
	}
	return head;
}

/* Parse text, a NUL-terminated buffer of len bytes that the script takes
 * over (owned) or copies. */
static struct script *parse_text(const char *name, char *text, size_t len,
				 bool owned, const struct config *config,
				 FILE *err, int *nerrors)
{
	struct script_impl *impl = calloc(1, sizeof(*impl));
	if (impl == NULL) {
		if (owned)
			free(text);
		if (err)
			fprintf(err, "%s: error: out of memory\n", name);
		if (nerrors)
			*nerrors = 1;
		return NULL;
	}
	struct script *script = &impl->pub;
	struct arena *arena = &impl->arena;
	script->name = arena_strdup(arena, name);
	if (owned) {
		impl->owned_text = text;
		script->text = text;
	} else {
		script->text = arena_strndup(arena, text, len);
	}
	script->len = len;
	script_index_lines(script);
	impl->defines = copy_defines(arena, config ? config->defines : NULL);

	struct diag diag = { .out = err, .script = script };
	struct parse_ctx ctx = {
		.script = script,
		.arena = arena,
		.diag = &diag,
		.defines = impl->defines,
	};
	size_t first = 0, nbinary = 0;
	if (len > (size_t)INT32_MAX) {
		diag_error(&diag, NULL, "script too large");
	} else if (looks_binary(text, len, &first, &nbinary)) {
		struct ast_loc loc = loc_at(script, first);
		diag_error(&diag, &loc, "not a text script: binary data (%zu "
			   "control bytes, the first one, 0x%02x, here)",
			   nbinary, (unsigned char)text[first]);
	} else {
		ctx.checker = script_checker_new(script, config, err);
		parse_run(&ctx);
		impl->script_defines = ctx.script_defines;
		script_checker_finish(ctx.checker, &diag);
	}
	if (diag.nerrors) {
		script->error_line = diag.first_loc.line;
		script->error_message = arena_strdup(arena, diag.first);
	}
	if (nerrors)
		*nerrors = diag.nerrors;
	return script;
}

struct script *script_parse_buffer(const char *name, const char *text,
				   size_t len, const struct config *config,
				   FILE *err, int *nerrors)
{
	return parse_text(name, (char *)text, len, false, config, err,
			  nerrors);
}

struct ast_event *script_event_load(const struct script *script, int i)
{
	const struct script_impl *impl = (const struct script_impl *)script;
	struct diag quiet = { .script = script };
	struct ast_event *ev;

	if (script->error_message || i < 0 || i >= script->nevents)
		return NULL;
	ev = parse_event(script, i, &quiet);
	if (ev)
		check_event_model(ev, impl->family, &quiet);
	return ev;
}

struct script *script_parse_file(const char *path, const struct config *config,
				 FILE *err, int *nerrors)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (err)
			fprintf(err, "%s: error: cannot open script: %s\n", path,
				strerror(errno));
		if (fd >= 0)
			close(fd);
		if (nerrors)
			*nerrors = 1;
		return NULL;
	}
	size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ?
		(size_t)st.st_size + 1 : 65536;
	size_t len = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (buf == NULL)
			break;
		if (len == cap) {
			char *nbuf = realloc(buf, cap * 2);
			if (nbuf == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nbuf;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (err)
				fprintf(err, "%s: error: cannot read script: %s\n",
					path, strerror(errno));
			free(buf);
			close(fd);
			if (nerrors)
				*nerrors = 1;
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf == NULL) {
		if (err)
			fprintf(err, "%s: error: out of memory reading script\n",
				path);
		if (nerrors)
			*nerrors = 1;
		return NULL;
	}
	if (len == cap) {	/* room for the NUL */
		char *nbuf = realloc(buf, cap + 1);
		if (nbuf == NULL) {
			free(buf);
			if (err)
				fprintf(err, "%s: error: out of memory reading "
					"script\n", path);
			if (nerrors)
				*nerrors = 1;
			return NULL;
		}
		buf = nbuf;
	}
	buf[len] = '\0';
	return parse_text(path, buf, len, true, config, err, nerrors);
}

void script_free(struct script *script)
{
	if (script == NULL)
		return;
	struct script_impl *impl = (struct script_impl *)script;
	free(script->events);
	free(impl->owned_text);
	arena_free(&impl->arena);
	free(impl);
}
