/* SPDX-License-Identifier: GPL-2.0-only */
/* util.c: see util.h. */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

char *vstrdup_printf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	return s;
}

char *strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vstrdup_printf(fmt, ap);
	va_end(ap);
	return s;
}

int fail(char **error, const char *fmt, ...)
{
	va_list ap;

	if (!error)
		return -1;
	va_start(ap, fmt);
	*error = vstrdup_printf(fmt, ap);
	va_end(ap);
	return -1;
}
