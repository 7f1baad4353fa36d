/* SPDX-License-Identifier: GPL-2.0-only */
/* pysubset.c: the Python subset of pysubset.h.
 *
 * A tokenizer, a recursive-descent parser that follows Python's operator
 * precedence (or < and < not < comparisons, chained < | < ^ < & < shifts
 * < + - < * / // % < unary < **), and a tree walker over a handful of
 * value kinds (int, float, str, bool, None, tuple). Integers are 128-bit
 * so u64 tcp_info fields compare exactly. */
#include "pysubset.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef __int128 bigint;

/* ---------------------------------------------------------------- *
 * values
 * ---------------------------------------------------------------- */

enum vkind { V_NONE, V_BOOL, V_INT, V_FLOAT, V_STR, V_TUPLE };

struct value {
	enum vkind k;
	bigint i;		/* V_INT, V_BOOL */
	double f;		/* V_FLOAT */
	char *s;		/* V_STR (arena) */
	struct value *items;	/* V_TUPLE (arena) */
	int n;
};

struct var {
	char *name;
	struct value v;
	struct var *next;
};

struct arena_block {
	struct arena_block *next;
	_Alignas(16) char data[];
};

struct py {
	struct var *vars;
	struct arena_block *arena;	/* everything else the run made */
	FILE *out;
	char *error;
	int status;		/* 0, -1 runtime error, -2 unsupported */
};

static void *arena_alloc(struct py *ci, size_t n)
{
	struct arena_block *b = calloc(1, sizeof(*b) + n + 1);

	if (!b)
		abort();
	b->next = ci->arena;
	ci->arena = b;
	return b->data;
}

static char *arena_strdup(struct py *ci, const char *s, size_t n)
{
	char *p = arena_alloc(ci, n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

static char *arena_printf(struct py *ci, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static char *arena_printf(struct py *ci, const char *fmt, ...)
{
	va_list ap;
	char *tmp, *p;

	va_start(ap, fmt);
	tmp = vstrdup_printf(fmt, ap);
	va_end(ap);
	p = arena_strdup(ci, tmp, strlen(tmp));
	free(tmp);
	return p;
}

static void py_fail(struct py *ci, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void py_fail(struct py *ci, int status, const char *fmt, ...)
{
	va_list ap;

	if (ci->status)
		return;
	ci->status = status;
	va_start(ap, fmt);
	ci->error = vstrdup_printf(fmt, ap);
	va_end(ap);
}

static struct value v_int(bigint i)
{
	struct value v = { .k = V_INT, .i = i };

	return v;
}

static struct value v_bool(bool b)
{
	struct value v = { .k = V_BOOL, .i = b };

	return v;
}

static char *bigint_str(struct py *ci, bigint x)
{
	char buf[64], *p = buf + sizeof(buf) - 1;
	bool neg = x < 0;
	unsigned __int128 u = neg ? -(unsigned __int128)x :
			      (unsigned __int128)x;

	*p = 0;
	do {
		*--p = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (neg)
		*--p = '-';
	return arena_strdup(ci, p, strlen(p));
}

static char *float_str(struct py *ci, double f)
{
	char buf[64];
	int prec;

	if (isinf(f))
		return arena_strdup(ci, f < 0 ? "-inf" : "inf", f < 0 ? 4 : 3);
	if (isnan(f))
		return arena_strdup(ci, "nan", 3);
	for (prec = 1; prec <= 17; prec++) {	/* shortest round trip */
		snprintf(buf, sizeof(buf), "%.*g", prec, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	if (!strpbrk(buf, ".eni"))
		strcat(buf, ".0");
	return arena_strdup(ci, buf, strlen(buf));
}

static char *value_str(struct py *ci, struct value v, bool repr);

static char *tuple_str(struct py *ci, struct value v)
{
	size_t len = 3;
	int j;
	char **parts = arena_alloc(ci, sizeof(char *) * (size_t)(v.n + 1));
	char *out;

	for (j = 0; j < v.n; j++) {
		parts[j] = value_str(ci, v.items[j], true);
		len += strlen(parts[j]) + 2;
	}
	out = arena_alloc(ci, len + 2);
	strcpy(out, "(");
	for (j = 0; j < v.n; j++) {
		if (j)
			strcat(out, ", ");
		strcat(out, parts[j]);
	}
	if (v.n == 1)
		strcat(out, ",");
	strcat(out, ")");
	return out;
}

static char *value_str(struct py *ci, struct value v, bool repr)
{
	switch (v.k) {
	case V_NONE:
		return "None";
	case V_BOOL:
		return v.i ? "True" : "False";
	case V_INT:
		return bigint_str(ci, v.i);
	case V_FLOAT:
		return float_str(ci, v.f);
	case V_STR:
		return repr ? arena_printf(ci, "'%s'", v.s) : v.s;
	case V_TUPLE:
		return tuple_str(ci, v);
	}
	return "?";
}

static const char *type_name(struct value v)
{
	static const char *const names[] = { "NoneType", "bool", "int",
					     "float", "str", "tuple" };

	return names[v.k];
}

static bool truthy(struct value v)
{
	switch (v.k) {
	case V_NONE:
		return false;
	case V_BOOL:
	case V_INT:
		return v.i != 0;
	case V_FLOAT:
		return v.f != 0;
	case V_STR:
		return v.s[0] != 0;
	case V_TUPLE:
		return v.n != 0;
	}
	return false;
}

static bool is_num(struct value v)
{
	return v.k == V_INT || v.k == V_BOOL || v.k == V_FLOAT;
}

static double as_float(struct value v)
{
	return v.k == V_FLOAT ? v.f : (double)v.i;
}

/* ---------------------------------------------------------------- *
 * tokens
 * ---------------------------------------------------------------- */

enum tok {
	T_END, T_NEWLINE, T_NUM, T_FLOAT, T_STR, T_NAME, T_OP,
};

struct token {
	enum tok t;
	char op[4];		/* T_OP: "+", "**", "//=", ... */
	bigint num;
	double fnum;
	char *text;		/* T_NAME, T_STR (arena) */
};

struct lexer {
	struct py *ci;
	const char *p;
	int depth;		/* inside ( [ { */
	struct token tok;
};

static const char *const ops3[] = { "**=", "//=", ">>=", "<<=", NULL };
static const char *const ops2[] = { "**", "//", "<<", ">>", "<=", ">=",
				    "==", "!=", "+=", "-=", "*=", "/=",
				    "%=", "&=", "|=", "^=", NULL };

/* Blanks, comments, `\` newlines, and newlines inside brackets. */
static const char *skip_space(const struct lexer *lx, const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f')
			p++;
		if (*p == '\\' && (p[1] == '\n' || (p[1] == '\r' &&
						    p[2] == '\n'))) {
			p += p[1] == '\n' ? 2 : 3;
			continue;
		}
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (*p == '\n' && lx->depth > 0) {
			p++;
			continue;
		}
		return p;
	}
}

/* A number at p (0x, 0b, 0o prefixes, _ separators, floats): its end. */
static const char *lex_number(struct token *t, const char *p)
{
	char *end;
	const char *q = p;
	int base = 0;

	if (*p == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16;
	else if (*p == '0' && (p[1] == 'b' || p[1] == 'B'))
		base = 2;
	else if (*p == '0' && (p[1] == 'o' || p[1] == 'O'))
		base = 8;
	if (base) {
		t->t = T_NUM;
		t->num = (bigint)strtoull(base == 16 ? p : p + 2, &end, base);
		return end;
	}
	while ((*q >= '0' && *q <= '9') || *q == '_')
		q++;
	if (*q == '.' || *q == 'e' || *q == 'E') {
		t->t = T_FLOAT;
		t->fnum = strtod(p, &end);
		return end;
	}
	t->t = T_NUM;
	t->num = 0;
	for (q = p; (*q >= '0' && *q <= '9') || *q == '_'; q++)
		if (*q != '_')
			t->num = t->num * 10 + (*q - '0');
	return q;
}

/* A '...' or "..." string at p: its end, or NULL after py_fail. */
static const char *lex_string(struct lexer *lx, struct token *t,
			      const char *p)
{
	char quote = *p++;
	char *buf = arena_alloc(lx->ci, strlen(p) + 1), *o = buf;

	if (p[0] == quote && p[1] == quote) {
		py_fail(lx->ci, -2, "triple-quoted string");
		lx->p = p;
		return NULL;
	}
	while (*p && *p != quote && *p != '\n') {
		if (*p == '\\' && p[1]) {
			p++;
			switch (*p) {
			case 'n': *o++ = '\n'; break;
			case 't': *o++ = '\t'; break;
			case '\\': *o++ = '\\'; break;
			case '\'': *o++ = '\''; break;
			case '"': *o++ = '"'; break;
			default: *o++ = '\\'; *o++ = *p; break;
			}
			p++;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	if (*p != quote) {
		py_fail(lx->ci, -1, "SyntaxError: unterminated string "
			"literal");
		lx->p = p;
		return NULL;
	}
	t->t = T_STR;
	t->text = buf;
	return p + 1;
}

/* An operator or bracket at p: its end (brackets counted in lx->depth);
 * a character that is none sets T_END after py_fail. */
static const char *lex_op(struct lexer *lx, struct token *t, const char *p)
{
	int i;

	t->t = T_OP;
	for (i = 0; ops3[i]; i++)
		if (!strncmp(p, ops3[i], 3)) {
			memcpy(t->op, p, 3);
			return p + 3;
		}
	for (i = 0; ops2[i]; i++)
		if (!strncmp(p, ops2[i], 2)) {
			memcpy(t->op, p, 2);
			return p + 2;
		}
	if (!strchr("+-*/%&|^~<>()=,[]{}:.@!", *p)) {
		py_fail(lx->ci, -1, "SyntaxError: invalid character '%c'", *p);
		t->t = T_END;
		return p;
	}
	t->op[0] = *p++;
	if (strchr("([{", t->op[0]))
		lx->depth++;
	else if (strchr(")]}", t->op[0]) && lx->depth > 0)
		lx->depth--;
	return p;
}

/* The next token into lx->tok. */
static void next(struct lexer *lx)
{
	const char *p = skip_space(lx, lx->p);
	struct token *t = &lx->tok;

	memset(t, 0, sizeof(*t));
	if (!*p) {
		t->t = T_END;
	} else if (*p == '\n' || *p == ';') {
		t->t = T_NEWLINE;
		p++;
	} else if ((*p >= '0' && *p <= '9') ||
		   (*p == '.' && p[1] >= '0' && p[1] <= '9')) {
		p = lex_number(t, p);
	} else if (*p == '_' || (*p >= 'a' && *p <= 'z') ||
		   (*p >= 'A' && *p <= 'Z')) {
		const char *q = p;

		while (*q == '_' || (*q >= 'a' && *q <= 'z') ||
		       (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9'))
			q++;
		if ((*q == '\'' || *q == '"') && q - p <= 2) {
			py_fail(lx->ci, -2, "string prefix %.*s",
				(int)(q - p), p);
			t->t = T_END;
			lx->p = q;
			return;
		}
		t->t = T_NAME;
		t->text = arena_strdup(lx->ci, p, (size_t)(q - p));
		p = q;
	} else if (*p == '\'' || *p == '"') {
		p = lex_string(lx, t, p);
		if (!p) {
			t->t = T_END;
			return;
		}
	} else {
		p = lex_op(lx, t, p);
	}
	lx->p = p;
}

static bool is_op(const struct lexer *lx, const char *op)
{
	return lx->tok.t == T_OP && !strcmp(lx->tok.op, op);
}

static bool is_name(const struct lexer *lx, const char *name)
{
	return lx->tok.t == T_NAME && !strcmp(lx->tok.text, name);
}

/* ---------------------------------------------------------------- *
 * syntax tree
 * ---------------------------------------------------------------- */

enum nkind {
	N_CONST, N_NAME, N_TUPLE, N_CALL, N_UNARY, N_BINARY, N_AND, N_OR,
	N_NOT, N_COMPARE,
	/* statements */
	S_EXPR, S_ASSIGN, S_ASSERT, S_PASS,
};

struct node {
	enum nkind k;
	struct value v;		/* N_CONST */
	char *name;		/* N_NAME, N_CALL, S_ASSIGN target */
	char op[4];		/* N_UNARY, N_BINARY, S_ASSIGN ("=", "+=") */
	struct node **kids;	/* operands / arguments / items */
	char (*cmp_ops)[4];	/* N_COMPARE: ops between kids */
	int n;
};

static const char *const unsupported_words[] = {
	"if", "elif", "else", "for", "while", "def", "class", "import",
	"from", "return", "with", "try", "except", "finally", "raise",
	"lambda", "global", "nonlocal", "del", "yield", "in", "is", "async",
	"await", "break", "continue", NULL,
};

static struct node *new_node(struct py *ci, enum nkind k, int n)
{
	struct node *x = arena_alloc(ci, sizeof(*x));

	x->k = k;
	x->n = n;
	if (n)
		x->kids = arena_alloc(ci, sizeof(struct node *) * (size_t)n);
	return x;
}

static struct node *parse_expr(struct lexer *lx);

static struct node *parse_atom(struct lexer *lx)
{
	struct py *ci = lx->ci;
	struct node *x;
	int i;

	if (ci->status)
		return NULL;
	switch (lx->tok.t) {
	case T_NUM:
		x = new_node(ci, N_CONST, 0);
		x->v = v_int(lx->tok.num);
		next(lx);
		return x;
	case T_FLOAT:
		x = new_node(ci, N_CONST, 0);
		x->v.k = V_FLOAT;
		x->v.f = lx->tok.fnum;
		next(lx);
		return x;
	case T_STR: {
		/* adjacent literals concatenate */
		char *s = lx->tok.text;

		next(lx);
		while (lx->tok.t == T_STR) {
			s = arena_printf(ci, "%s%s", s, lx->tok.text);
			next(lx);
		}
		x = new_node(ci, N_CONST, 0);
		x->v.k = V_STR;
		x->v.s = s;
		return x;
	}
	case T_NAME:
		for (i = 0; unsupported_words[i]; i++) {
			if (!strcmp(lx->tok.text, unsupported_words[i])) {
				py_fail(ci, -2, "'%s'", lx->tok.text);
				return NULL;
			}
		}
		if (!strcmp(lx->tok.text, "True") ||
		    !strcmp(lx->tok.text, "False") ||
		    !strcmp(lx->tok.text, "None")) {
			x = new_node(ci, N_CONST, 0);
			if (lx->tok.text[0] == 'N')
				x->v.k = V_NONE;
			else
				x->v = v_bool(lx->tok.text[0] == 'T');
			next(lx);
			return x;
		}
		x = new_node(ci, N_NAME, 0);
		x->name = lx->tok.text;
		next(lx);
		if (is_op(lx, "(")) {
			struct node *args[16];
			int n = 0;

			next(lx);
			while (!is_op(lx, ")") && !ci->status) {
				if (n == 16) {
					py_fail(ci, -2, "call with many args");
					return NULL;
				}
				args[n++] = parse_expr(lx);
				if (is_op(lx, ","))
					next(lx);
				else if (!is_op(lx, ")"))
					py_fail(ci, -2, "call syntax");
			}
			next(lx);
			x->k = N_CALL;
			x->n = n;
			x->kids = arena_alloc(ci, sizeof(struct node *) *
					      (size_t)(n + 1));
			memcpy(x->kids, args, sizeof(struct node *) *
			       (size_t)n);
		}
		if (is_op(lx, ".") || is_op(lx, "[")) {
			py_fail(ci, -2, "attribute or subscript");
			return NULL;
		}
		return x;
	case T_OP:
		if (is_op(lx, "(")) {
			struct node *items[32];
			int n = 0;
			bool comma = false;

			next(lx);
			while (!is_op(lx, ")") && !ci->status) {
				if (n == 32) {
					py_fail(ci, -2, "long tuple");
					return NULL;
				}
				items[n++] = parse_expr(lx);
				if (is_op(lx, ",")) {
					comma = true;
					next(lx);
				} else if (!is_op(lx, ")")) {
					py_fail(ci, -1, "SyntaxError: invalid "
						"syntax");
				}
			}
			next(lx);
			if (n == 1 && !comma)
				return items[0];
			x = new_node(ci, N_TUPLE, n);
			memcpy(x->kids, items, sizeof(struct node *) *
			       (size_t)n);
			return x;
		}
		if (is_op(lx, "[") || is_op(lx, "{")) {
			py_fail(ci, -2, "lists and dicts");
			return NULL;
		}
		break;
	default:
		break;
	}
	py_fail(ci, -1, "SyntaxError: invalid syntax");
	return NULL;
}

static struct node *binary(struct py *ci, const char *op,
			   struct node *a, struct node *b)
{
	struct node *x = new_node(ci, N_BINARY, 2);

	strcpy(x->op, op);
	x->kids[0] = a;
	x->kids[1] = b;
	return x;
}

static struct node *parse_unary(struct lexer *lx);

static struct node *parse_power(struct lexer *lx)
{
	struct node *a = parse_atom(lx);

	if (is_op(lx, "**")) {
		next(lx);
		return binary(lx->ci, "**", a, parse_unary(lx));
	}
	return a;
}

static struct node *parse_unary(struct lexer *lx)
{
	if (is_op(lx, "-") || is_op(lx, "+") || is_op(lx, "~")) {
		struct node *x = new_node(lx->ci, N_UNARY, 1);

		strcpy(x->op, lx->tok.op);
		next(lx);
		x->kids[0] = parse_unary(lx);
		return x;
	}
	return parse_power(lx);
}

#define LEVEL(fn, sub, ...)						\
static struct node *fn(struct lexer *lx)				\
{									\
	static const char *const ops[] = { __VA_ARGS__, NULL };	\
	struct node *a = sub(lx);					\
	int i;								\
									\
	for (;;) {							\
		for (i = 0; ops[i]; i++)				\
			if (is_op(lx, ops[i]))				\
				break;					\
		if (!ops[i] || lx->ci->status)				\
			return a;					\
		next(lx);						\
		a = binary(lx->ci, ops[i], a, sub(lx));			\
	}								\
}

LEVEL(parse_term, parse_unary, "*", "/", "//", "%", "@")
LEVEL(parse_arith, parse_term, "+", "-")
LEVEL(parse_shift, parse_arith, "<<", ">>")
LEVEL(parse_band, parse_shift, "&")
LEVEL(parse_bxor, parse_band, "^")
LEVEL(parse_bor, parse_bxor, "|")

static struct node *parse_compare(struct lexer *lx)
{
	static const char *const ops[] = { "<", ">", "==", ">=", "<=", "!=",
					   NULL };
	struct node *kids[16];
	char cmp[16][4];
	int n = 0, i;
	struct node *x;

	kids[n++] = parse_bor(lx);
	for (;;) {
		if (is_name(lx, "in") || is_name(lx, "is") ||
		    is_name(lx, "not")) {
			if (is_name(lx, "not"))
				break;
			py_fail(lx->ci, -2, "'%s'", lx->tok.text);
			return NULL;
		}
		for (i = 0; ops[i]; i++)
			if (is_op(lx, ops[i]))
				break;
		if (!ops[i] || lx->ci->status || n == 16)
			break;
		strcpy(cmp[n - 1], ops[i]);
		next(lx);
		kids[n++] = parse_bor(lx);
	}
	if (n == 1)
		return kids[0];
	x = new_node(lx->ci, N_COMPARE, n);
	memcpy(x->kids, kids, sizeof(struct node *) * (size_t)n);
	x->cmp_ops = arena_alloc(lx->ci, sizeof(cmp[0]) * (size_t)n);
	memcpy(x->cmp_ops, cmp, sizeof(cmp[0]) * (size_t)(n - 1));
	return x;
}

static struct node *parse_not(struct lexer *lx)
{
	if (is_name(lx, "not")) {
		struct node *x = new_node(lx->ci, N_NOT, 1);

		next(lx);
		x->kids[0] = parse_not(lx);
		return x;
	}
	return parse_compare(lx);
}

static struct node *parse_and(struct lexer *lx)
{
	struct node *a = parse_not(lx);

	while (is_name(lx, "and") && !lx->ci->status) {
		struct node *x = new_node(lx->ci, N_AND, 2);

		next(lx);
		x->kids[0] = a;
		x->kids[1] = parse_not(lx);
		a = x;
	}
	return a;
}

static struct node *parse_expr(struct lexer *lx)
{
	struct node *a = parse_and(lx);

	while (is_name(lx, "or") && !lx->ci->status) {
		struct node *x = new_node(lx->ci, N_OR, 2);

		next(lx);
		x->kids[0] = a;
		x->kids[1] = parse_and(lx);
		a = x;
	}
	if (is_name(lx, "if")) {
		py_fail(lx->ci, -2, "conditional expression");
		return NULL;
	}
	return a;
}

/* An expression, or a bare tuple "a, b". */
static struct node *parse_exprlist(struct lexer *lx)
{
	struct node *items[32];
	int n = 0;
	struct node *x;

	items[n++] = parse_expr(lx);
	if (!is_op(lx, ","))
		return items[0];
	while (is_op(lx, ",") && n < 32 && !lx->ci->status) {
		next(lx);
		if (lx->tok.t == T_NEWLINE || lx->tok.t == T_END)
			break;
		items[n++] = parse_expr(lx);
	}
	x = new_node(lx->ci, N_TUPLE, n);
	memcpy(x->kids, items, sizeof(struct node *) * (size_t)n);
	return x;
}

static struct node *parse_statement(struct lexer *lx)
{
	struct py *ci = lx->ci;
	struct node *x, *e;

	if (is_name(lx, "assert")) {
		next(lx);
		x = new_node(ci, S_ASSERT, 2);
		x->kids[0] = parse_expr(lx);
		x->kids[1] = NULL;
		if (is_op(lx, ",")) {
			next(lx);
			x->kids[1] = parse_expr(lx);
		}
		return x;
	}
	if (is_name(lx, "pass")) {
		next(lx);
		return new_node(ci, S_PASS, 0);
	}
	e = parse_exprlist(lx);
	if (ci->status)
		return NULL;
	if (lx->tok.t == T_OP && (lx->tok.op[strlen(lx->tok.op) - 1] == '=') &&
	    strcmp(lx->tok.op, "==") && strcmp(lx->tok.op, "<=") &&
	    strcmp(lx->tok.op, ">=") && strcmp(lx->tok.op, "!=")) {
		if (e->k != N_NAME) {
			py_fail(ci, -2, "assignment to something not a name");
			return NULL;
		}
		x = new_node(ci, S_ASSIGN, 1);
		x->name = e->name;
		strcpy(x->op, lx->tok.op);
		next(lx);
		x->kids[0] = parse_exprlist(lx);
		if (is_op(lx, "=")) {
			py_fail(ci, -2, "chained assignment");
			return NULL;
		}
		return x;
	}
	x = new_node(ci, S_EXPR, 1);
	x->kids[0] = e;
	return x;
}

/* The statements of one block; NULL with ci->status set on error. */
static struct node **parse_program(struct py *ci, const char *text,
				   int *count)
{
	struct lexer lx = { .ci = ci, .p = text };
	struct node **stmts = NULL;
	int n = 0, cap = 0;

	next(&lx);
	while (!ci->status) {
		struct node *s;

		while (lx.tok.t == T_NEWLINE)
			next(&lx);
		if (lx.tok.t == T_END)
			break;
		s = parse_statement(&lx);
		if (ci->status)
			break;
		if (lx.tok.t != T_NEWLINE && lx.tok.t != T_END) {
			if (lx.tok.t == T_OP && is_op(&lx, ":"))
				py_fail(ci, -2, "compound statement");
			else
				py_fail(ci, -1, "SyntaxError: invalid syntax");
			break;
		}
		if (n == cap) {
			struct node **bigger;

			cap = cap ? cap * 2 : 8;
			bigger = arena_alloc(ci, sizeof(*bigger) *
					     (size_t)cap);
			if (n)
				memcpy(bigger, stmts, sizeof(*bigger) *
				       (size_t)n);
			stmts = bigger;
		}
		stmts[n++] = s;
	}
	*count = n;
	return ci->status ? NULL : stmts;
}

/* ---------------------------------------------------------------- *
 * evaluation
 * ---------------------------------------------------------------- */

static struct var *lookup(struct py *ci, const char *name)
{
	struct var *v;

	for (v = ci->vars; v; v = v->next)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

static void assign(struct py *ci, const char *name, struct value val)
{
	struct var *v = lookup(ci, name);

	if (!v) {
		v = arena_alloc(ci, sizeof(*v));
		v->name = arena_strdup(ci, name, strlen(name));
		v->next = ci->vars;
		ci->vars = v;
	}
	v->v = val;
}

void py_set_int(struct py *ci, const char *name, long long val)
{
	assign(ci, name, v_int(val));
}

void py_set_uint(struct py *ci, const char *name, unsigned long long val)
{
	assign(ci, name, v_int((bigint)val));
}

static struct value eval(struct py *ci, struct node *x);

/* Python's printf-style str % args. */
static struct value format(struct py *ci, const char *fmt,
			   struct value args)
{
	struct value *items = args.k == V_TUPLE ? args.items : &args;
	int nitems = args.k == V_TUPLE ? args.n : 1, used = 0;
	size_t cap = strlen(fmt) + 64, len = 0;
	char *out = malloc(cap), *piece;
	struct value r = { .k = V_STR };
	const char *p;

	if (!out)
		abort();
	for (p = fmt; *p; p++) {
		char spec[32];
		int sl = 0;
		struct value a;

		if (*p != '%') {
			piece = NULL;
			if (len + 2 > cap) {
				cap *= 2;
				out = realloc(out, cap);
				if (!out)
					abort();
			}
			out[len++] = *p;
			continue;
		}
		p++;
		if (*p == '%') {
			out[len++] = '%';
			continue;
		}
		spec[sl++] = '%';
		while (*p && strchr("-+ #0123456789.", *p) && sl < 20)
			spec[sl++] = *p++;
		if (!*p || !strchr("diouxXeEfFgGsrc", *p)) {
			py_fail(ci, -1, "ValueError: unsupported format "
				"character");
			free(out);
			return r;
		}
		if (used >= nitems) {
			py_fail(ci, -1, "TypeError: not enough arguments for "
				"format string");
			free(out);
			return r;
		}
		a = items[used++];
		if (strchr("diouxX", *p)) {
			if (!is_num(a)) {
				py_fail(ci, -1, "TypeError: %%%c format: a "
					"number is required, not %s", *p,
					type_name(a));
				free(out);
				return r;
			}
			strcpy(spec + sl, "lld");
			if (*p == 'x' || *p == 'X' || *p == 'o')
				spec[sl + 2] = *p;
			piece = arena_printf(ci, spec, a.k == V_FLOAT ?
					     (long long)a.f :
					     (long long)a.i);
		} else if (strchr("eEfFgG", *p)) {
			if (!is_num(a)) {
				py_fail(ci, -1, "TypeError: must be real "
					"number, not %s", type_name(a));
				free(out);
				return r;
			}
			spec[sl] = *p;
			spec[sl + 1] = 0;
			piece = arena_printf(ci, spec, as_float(a));
		} else if (*p == 'c') {
			spec[sl] = 'c';
			spec[sl + 1] = 0;
			piece = arena_printf(ci, spec, (int)a.i);
		} else {
			spec[sl] = 's';
			spec[sl + 1] = 0;
			piece = arena_printf(ci, spec,
					     value_str(ci, a, *p == 'r'));
		}
		while (len + strlen(piece) + 2 > cap) {
			cap *= 2;
			out = realloc(out, cap);
			if (!out)
				abort();
		}
		memcpy(out + len, piece, strlen(piece));
		len += strlen(piece);
	}
	if (used < nitems) {
		py_fail(ci, -1, "TypeError: not all arguments converted during "
			"string formatting");
		free(out);
		return r;
	}
	out[len] = 0;
	r.s = arena_strdup(ci, out, len);
	free(out);
	return r;
}

static bigint floordiv(bigint a, bigint b)
{
	bigint q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static struct value arith(struct py *ci, const char *op,
			  struct value a, struct value b)
{
	if (!strcmp(op, "%") && a.k == V_STR)
		return format(ci, a.s, b);
	if (!strcmp(op, "+") && a.k == V_STR && b.k == V_STR) {
		struct value r = { .k = V_STR };

		r.s = arena_printf(ci, "%s%s", a.s, b.s);
		return r;
	}
	if (!is_num(a) || !is_num(b)) {
		py_fail(ci, -1, "TypeError: unsupported operand type(s) for "
			"%s: '%s' and '%s'", op, type_name(a), type_name(b));
		return v_int(0);
	}
	if (a.k == V_FLOAT || b.k == V_FLOAT || !strcmp(op, "/")) {
		double x = as_float(a), y = as_float(b), r;
		struct value v = { .k = V_FLOAT };

		if (strchr("&|^<>", op[0]) && strcmp(op, "/")) {
			py_fail(ci, -1, "TypeError: unsupported operand "
				"type(s) for %s: '%s' and '%s'", op,
				type_name(a), type_name(b));
			return v_int(0);
		}
		if ((!strcmp(op, "/") || !strcmp(op, "//") ||
		     !strcmp(op, "%")) && y == 0) {
			py_fail(ci, -1, "ZeroDivisionError: division by zero");
			return v_int(0);
		}
		if (!strcmp(op, "+")) r = x + y;
		else if (!strcmp(op, "-")) r = x - y;
		else if (!strcmp(op, "*")) r = x * y;
		else if (!strcmp(op, "/")) r = x / y;
		else if (!strcmp(op, "//")) r = floor(x / y);
		else if (!strcmp(op, "%")) r = x - floor(x / y) * y;
		else r = pow(x, y);
		v.f = r;
		return v;
	}
	{
		bigint x = a.i, y = b.i, r = 0;

		if ((!strcmp(op, "//") || !strcmp(op, "%")) && y == 0) {
			py_fail(ci, -1, "ZeroDivisionError: integer division "
				"or modulo by zero");
			return v_int(0);
		}
		if (!strcmp(op, "+")) r = x + y;
		else if (!strcmp(op, "-")) r = x - y;
		else if (!strcmp(op, "*")) r = x * y;
		else if (!strcmp(op, "//")) r = floordiv(x, y);
		else if (!strcmp(op, "%")) r = x - floordiv(x, y) * y;
		else if (!strcmp(op, "&")) r = x & y;
		else if (!strcmp(op, "|")) r = x | y;
		else if (!strcmp(op, "^")) r = x ^ y;
		else if (!strcmp(op, "<<") || !strcmp(op, ">>")) {
			if (y < 0) {
				py_fail(ci, -1, "ValueError: negative shift "
					"count");
				return v_int(0);
			}
			if (y > 120) {
				py_fail(ci, -2, "shift beyond 120 bits");
				return v_int(0);
			}
			r = op[0] == '<' ? x << (int)y : x >> (int)y;
		} else if (!strcmp(op, "**")) {
			if (y < 0) {
				struct value v = { .k = V_FLOAT };

				v.f = pow((double)x, (double)y);
				return v;
			}
			r = 1;
			while (y-- > 0)
				r *= x;
		} else {
			py_fail(ci, -2, "operator %s", op);
		}
		return v_int(r);
	}
}

static int compare(struct py *ci, const char *op, struct value a,
		   struct value b)
{
	int c;

	if (is_num(a) && is_num(b)) {
		if (a.k == V_FLOAT || b.k == V_FLOAT) {
			double x = as_float(a), y = as_float(b);

			c = x < y ? -1 : x > y ? 1 : 0;
		} else {
			c = a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
		}
	} else if (a.k == V_STR && b.k == V_STR) {
		c = strcmp(a.s, b.s);
	} else if (!strcmp(op, "==") || !strcmp(op, "!=")) {
		bool eq = a.k == V_NONE && b.k == V_NONE;

		return !strcmp(op, "==") ? eq : !eq;
	} else {
		py_fail(ci, -1, "TypeError: '%s' not supported between "
			"instances of '%s' and '%s'", op, type_name(a),
			type_name(b));
		return 0;
	}
	if (!strcmp(op, "<")) return c < 0;
	if (!strcmp(op, ">")) return c > 0;
	if (!strcmp(op, "<=")) return c <= 0;
	if (!strcmp(op, ">=")) return c >= 0;
	if (!strcmp(op, "==")) return c == 0;
	return c != 0;
}

static struct value call(struct py *ci, struct node *x)
{
	struct value args[16], r = { .k = V_NONE };
	int i;

	for (i = 0; i < x->n && !ci->status; i++)
		args[i] = eval(ci, x->kids[i]);
	if (ci->status)
		return r;
	if (!strcmp(x->name, "print")) {
		for (i = 0; i < x->n; i++)
			fprintf(ci->out, "%s%s", i ? " " : "",
				value_str(ci, args[i], false));
		fprintf(ci->out, "\n");
		fflush(ci->out);
		return r;
	}
	if (!strcmp(x->name, "int") && x->n == 1 && is_num(args[0]))
		return v_int(args[0].k == V_FLOAT ? (bigint)args[0].f :
			     args[0].i);
	if (!strcmp(x->name, "float") && x->n == 1 && is_num(args[0])) {
		r.k = V_FLOAT;
		r.f = as_float(args[0]);
		return r;
	}
	if (!strcmp(x->name, "abs") && x->n == 1 && is_num(args[0])) {
		if (args[0].k == V_FLOAT) {
			r = args[0];
			r.f = fabs(r.f);
			return r;
		}
		return v_int(args[0].i < 0 ? -args[0].i : args[0].i);
	}
	if ((!strcmp(x->name, "min") || !strcmp(x->name, "max")) &&
	    x->n >= 2) {
		bool want_min = x->name[1] == 'i';

		r = args[0];
		for (i = 1; i < x->n && !ci->status; i++)
			if (compare(ci, want_min ? "<" : ">", args[i], r))
				r = args[i];
		return r;
	}
	if (!strcmp(x->name, "str") && x->n == 1) {
		r.k = V_STR;
		r.s = value_str(ci, args[0], false);
		return r;
	}
	if (!strcmp(x->name, "hex") && x->n == 1 && args[0].k == V_INT) {
		r.k = V_STR;
		r.s = arena_printf(ci, "%s0x%llx", args[0].i < 0 ? "-" : "",
				   (unsigned long long)(args[0].i < 0 ?
							-args[0].i :
							args[0].i));
		return r;
	}
	py_fail(ci, -2, "function %s()", x->name);
	return r;
}

static struct value eval(struct py *ci, struct node *x)
{
	struct value r = { .k = V_NONE }, a, b;
	struct var *var;
	int i;

	if (ci->status || !x)
		return r;
	switch (x->k) {
	case N_CONST:
		return x->v;
	case N_NAME:
		var = lookup(ci, x->name);
		if (!var) {
			py_fail(ci, -1, "NameError: name '%s' is not defined",
				x->name);
			return r;
		}
		return var->v;
	case N_TUPLE:
		r.k = V_TUPLE;
		r.n = x->n;
		r.items = arena_alloc(ci, sizeof(struct value) *
				      (size_t)(x->n + 1));
		for (i = 0; i < x->n; i++)
			r.items[i] = eval(ci, x->kids[i]);
		return r;
	case N_CALL:
		return call(ci, x);
	case N_UNARY:
		a = eval(ci, x->kids[0]);
		if (!is_num(a)) {
			py_fail(ci, -1, "TypeError: bad operand type for unary "
				"%s: '%s'", x->op, type_name(a));
			return r;
		}
		if (x->op[0] == '+')
			return a.k == V_BOOL ? v_int(a.i) : a;
		if (x->op[0] == '-') {
			if (a.k == V_FLOAT) {
				a.f = -a.f;
				return a;
			}
			return v_int(-a.i);
		}
		if (a.k == V_FLOAT) {
			py_fail(ci, -1, "TypeError: bad operand type for unary "
				"~: 'float'");
			return r;
		}
		return v_int(~a.i);
	case N_BINARY:
		a = eval(ci, x->kids[0]);
		b = eval(ci, x->kids[1]);
		if (ci->status)
			return r;
		return arith(ci, x->op, a, b);
	case N_AND:
		a = eval(ci, x->kids[0]);
		return truthy(a) ? eval(ci, x->kids[1]) : a;
	case N_OR:
		a = eval(ci, x->kids[0]);
		return truthy(a) ? a : eval(ci, x->kids[1]);
	case N_NOT:
		return v_bool(!truthy(eval(ci, x->kids[0])));
	case N_COMPARE:
		a = eval(ci, x->kids[0]);
		for (i = 1; i < x->n && !ci->status; i++) {
			b = eval(ci, x->kids[i]);
			if (!compare(ci, x->cmp_ops[i - 1], a, b))
				return v_bool(false);
			a = b;
		}
		return v_bool(!ci->status);
	default:
		break;
	}
	return r;
}

static void exec_statement(struct py *ci, struct node *s)
{
	struct value v;

	switch (s->k) {
	case S_PASS:
		return;
	case S_EXPR:
		eval(ci, s->kids[0]);
		return;
	case S_ASSIGN:
		v = eval(ci, s->kids[0]);
		if (ci->status)
			return;
		if (strcmp(s->op, "=")) {
			struct var *old = lookup(ci, s->name);
			char op[4];

			if (!old) {
				py_fail(ci, -1, "NameError: name '%s' is not "
					"defined", s->name);
				return;
			}
			strcpy(op, s->op);
			op[strlen(op) - 1] = 0;
			v = arith(ci, op, old->v, v);
			if (ci->status)
				return;
		}
		assign(ci, s->name, v);
		return;
	case S_ASSERT:
		v = eval(ci, s->kids[0]);
		if (ci->status || truthy(v))
			return;
		if (s->kids[1]) {
			struct value m = eval(ci, s->kids[1]);

			if (ci->status)
				return;
			py_fail(ci, -1, "AssertionError: %s",
				value_str(ci, m, false));
		} else {
			py_fail(ci, -1, "AssertionError");
		}
		return;
	default:
		return;
	}
}

struct py *py_new(void)
{
	struct py *ci = calloc(1, sizeof(*ci));

	if (!ci)
		abort();
	ci->out = stdout;
	return ci;
}

void py_free(struct py *ci)
{
	struct arena_block *b, *next;

	if (!ci)
		return;
	for (b = ci->arena; b; b = next) {
		next = b->next;
		free(b);
	}
	free(ci->error);
	free(ci);
}

int py_check(struct py *ci, const char *text, char **error)
{
	int n;

	ci->status = 0;
	parse_program(ci, text, &n);
	if (ci->status) {
		int st = ci->status;

		*error = ci->error;
		ci->error = NULL;
		ci->status = 0;
		return st;
	}
	return 0;
}

int py_run(struct py *ci, const char *text, FILE *out, char **error)
{
	struct node **stmts;
	int n, i;

	if (out)
		ci->out = out;
	ci->status = 0;
	stmts = parse_program(ci, text, &n);
	for (i = 0; stmts && i < n && !ci->status; i++)
		exec_statement(ci, stmts[i]);
	if (ci->status) {
		int st = ci->status;

		*error = ci->error;
		ci->error = NULL;
		ci->status = 0;
		return st;
	}
	return 0;
}
