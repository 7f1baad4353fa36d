/* SPDX-License-Identifier: GPL-2.0-only */
/* util.h: the few helpers every room of src/ uses: formatting a message
 * into a new string and handing it to a caller's char **error.
 *
 * May include: nothing of netdrill's (the bottom of src/). */
#ifndef NETDRILL_UTIL_H
#define NETDRILL_UTIL_H

#include <stdarg.h>

/* A new string (malloc'd) from a printf format; aborts when out of
 * memory. */
char *strdup_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

char *vstrdup_printf(const char *fmt, va_list ap);

/* *error = the formatted message (malloc'd; the caller frees it; nothing
 * when error is NULL), and -1, the failure every caller returns:
 *	if (len < 20)
 *		return fail(error, "packet too short (%zu bytes)", len); */
int fail(char **error, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* NETDRILL_UTIL_H */
