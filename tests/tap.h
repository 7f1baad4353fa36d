/* SPDX-License-Identifier: GPL-2.0-only */
/* tests/tap.h: the one assertion header of netdrill's C unit tests
 * (grammar/tests, src/<room>/tests, stack/tests, tests/config_test.c).
 *
 * Every check prints one TAP line on stdout, "ok 12 - case: what" or
 * "not ok 13 - case: what" followed by "#"-lines saying where and what
 * was seen, so a failure names itself in the test's .log file. A test
 * program is a list of named cases; main ends with "return tap_done();",
 * which prints the plan and gives the exit status (1 if a check failed).
 *
 *   TAP_CASE("name", call);     run call (a test function) as a named case
 *   return TAP_RUN(test_a, ...); main: each function a case named after
 *                               it, then tap_done()
 *   CHECK(cond)                 a check; the run goes on if it fails
 *   CHECK_EQ(a, b)              integers (compared as long long)
 *   CHECK_STREQ(a, b)           strings (NULL is reported, never read)
 *   CHECKF(cond, fmt, ...)      a check described in the test's own words
 *   REQUIRE(cond), REQUIRE_EQ(a, b), REQUIRE_STREQ(a, b), REQUIREF(...)
 *                               the same, but a failure stops the case:
 *                               use them where the next lines would read
 *                               through a NULL pointer or a short buffer
 *   tap_diag(fmt, ...)          "#" comment lines
 *   tap_skip(why)               a check that cannot run here
 *
 * A failed REQUIRE outside TAP_CASE ends the program with "Bail out!".
 * Header only: each test program is one translation unit plus helpers. */
#ifndef NETDRILL_TESTS_TAP_H
#define NETDRILL_TESTS_TAP_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tap_state {
	int count, failed, stopped;
	const char *case_name;
	jmp_buf *stop;		/* where a failed REQUIRE goes, or NULL */
};

/* One state for the whole program, shared by every file of a test (a
 * helper such as stack/tests/tcp_helper.c checks too): a weak definition
 * in each file, which the linker makes one. */
__attribute__((weak)) struct tap_state tap_state_;

static inline struct tap_state *tap_state(void)
{
	return &tap_state_;
}

/* Each line of the message as a "# " comment, so that text which happens
 * to start with "ok" cannot pass for a test line. */
static inline void tap_vdiag(const char *fmt, va_list ap)
{
	char buf[16384];
	const char *p = buf, *nl;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	do {
		nl = strchr(p, '\n');
		printf("# %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		p = nl ? nl + 1 : NULL;
	} while (p && *p);
}

__attribute__((format(printf, 1, 2)))
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vdiag(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Record one check; true if it passed. */
__attribute__((format(printf, 4, 5)))
static inline bool tap_check(bool ok, const char *file, int line,
			     const char *fmt, ...)
{
	struct tap_state *st = tap_state();
	va_list ap;

	st->count++;
	printf("%sok %d - ", ok ? "" : "not ", st->count);
	if (st->case_name)
		printf("%s: ", st->case_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok) {
		st->failed++;
		printf("#   at %s:%d\n", file, line);
	}
	fflush(stdout);
	return ok;
}

/* A failed REQUIRE: leave the case (or the program). */
__attribute__((noreturn))
static inline void tap_stop(void)
{
	struct tap_state *st = tap_state();

	st->stopped++;
	if (st->stop)
		longjmp(*st->stop, 1);
	printf("Bail out! a required check failed outside a case\n");
	fflush(stdout);
	exit(1);
}

static inline bool tap_check_eq(long long a, long long b, const char *as,
				const char *bs, const char *file, int line)
{
	bool ok = tap_check(a == b, file, line, "%s == %s", as, bs);

	if (!ok)
		printf("#   got %lld, expected %lld\n", a, b);
	return ok;
}

static inline bool tap_check_streq(const char *a, const char *b,
				   const char *as, const char *bs,
				   const char *file, int line)
{
	bool ok = a && b && !strcmp(a, b);

	tap_check(ok, file, line, "%s is %s", as, bs);
	if (!ok)
		printf("#   got %s%s%s, expected %s%s%s\n", a ? "\"" : "",
		       a ? a : "NULL", a ? "\"" : "", b ? "\"" : "",
		       b ? b : "NULL", b ? "\"" : "");
	return ok;
}

#define CHECK(cond) tap_check(!!(cond), __FILE__, __LINE__, "%s", #cond)
#define CHECKF(cond, ...) tap_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_EQ(a, b) tap_check_eq((long long)(a), (long long)(b), #a, #b, \
				    __FILE__, __LINE__)
#define CHECK_STREQ(a, b) tap_check_streq((a), (b), #a, #b, __FILE__, __LINE__)
/* (each spelled out, so that #cond is the text as written, NULL and all) */
#define REQUIRE(cond) do { if (!tap_check(!!(cond), __FILE__, __LINE__, \
	"%s", #cond)) tap_stop(); } while (0)
#define REQUIREF(cond, ...) do { if (!tap_check(!!(cond), __FILE__, \
	__LINE__, __VA_ARGS__)) tap_stop(); } while (0)
#define REQUIRE_EQ(a, b) do { if (!tap_check_eq((long long)(a), \
	(long long)(b), #a, #b, __FILE__, __LINE__)) tap_stop(); } while (0)
#define REQUIRE_STREQ(a, b) do { if (!tap_check_streq((a), (b), #a, #b, \
	__FILE__, __LINE__)) tap_stop(); } while (0)

static inline void tap_case_begin(const char *name, jmp_buf *stop)
{
	struct tap_state *st = tap_state();

	if (st->stop) {
		printf("Bail out! case %s started inside case %s\n", name,
		       st->case_name);
		exit(1);
	}
	st->case_name = name;
	st->stop = stop;
	printf("# %s\n", name);
}

static inline void tap_case_end(bool stopped)
{
	struct tap_state *st = tap_state();

	if (stopped)
		printf("# %s: stopped at a failed requirement\n",
		       st->case_name);
	st->case_name = NULL;
	st->stop = NULL;
	fflush(stdout);
}

/* setjmp in the caller's own frame, which outlives the case */
#define TAP_CASE(name, call) do { \
	jmp_buf tap_jb_; \
	tap_case_begin((name), &tap_jb_); \
	if (!setjmp(tap_jb_)) { \
		call; \
		tap_case_end(false); \
	} else { \
		tap_case_end(true); \
	} \
} while (0)

/* A check that cannot run here, counted as passed ("ok N # SKIP why"). */
static inline void tap_skip(const char *why)
{
	struct tap_state *st = tap_state();

	st->count++;
	printf("ok %d # SKIP %s\n", st->count, why);
	fflush(stdout);
}

/* The plan and the exit status. */
static inline int tap_done(void)
{
	struct tap_state *st = tap_state();

	printf("1..%d\n", st->count);
	if (st->failed)
		printf("# %d of %d checks failed\n", st->failed, st->count);
	fflush(stdout);
	return st->failed ? 1 : 0;
}

typedef void (*tap_fn)(void);

/* Run each function as a case named after it (less a "test_" prefix):
 * TAP_RUN(test_a, test_b, ...) takes the names from its own text, so
 * main lists the cases once and returns tap_done()'s status. */
static inline void tap_run_one(const char *name, tap_fn fn)
{
	TAP_CASE(strncmp(name, "test_", 5) ? name : name + 5, fn());
}

static inline int tap_run_list(const char *names, const tap_fn *fns,
			       size_t n)
{
	const char *p = names;

	for (size_t i = 0; i < n; i++) {
		char name[128];
		size_t len;

		p += strspn(p, ", \t\n");
		len = strcspn(p, ", \t\n");
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		p += len;
		tap_run_one(name, fns[i]);
	}
	return tap_done();
}

#define TAP_RUN(...) tap_run_list(#__VA_ARGS__, \
	(const tap_fn[]){ __VA_ARGS__ }, \
	sizeof((const tap_fn[]){ __VA_ARGS__ }) / sizeof(tap_fn))

#endif /* NETDRILL_TESTS_TAP_H */
