/* SPDX-License-Identifier: GPL-2.0-only */
/* test_code.c: the Python subset of %{ }% blocks (pysubset.h) against the
 * Python semantics that packetdrill's blocks rely on: a table of programs
 * with the status, error and output Python gives. TAP through
 * tests/tap.h. */
#include "pysubset.h"
#include "tcp_info.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"

/* Run text with cwnd=10, rtt=15000; compare status, error and output. */
static void expect(const char *text, int status, const char *err,
		   const char *out)
{
	struct py *ci = py_new();
	char *error = NULL, *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;
	bool ok;

	tcp_symbols_bind(ci);	/* TCPI_OPT_SYN_DATA... */
	py_set_int(ci, "tcpi_snd_cwnd", 10);
	py_set_int(ci, "tcpi_rtt", 15000);
	py_set_int(ci, "tcpi_options", 0x27);
	py_set_uint(ci, "tcpi_pacing_rate", UINT64_MAX);
	rc = py_run(ci, text, f, &error);
	fclose(f);
	ok = rc == status && (!err || (error && !strcmp(error, err))) &&
	     (!out || !strcmp(buf, out));
	{
		char name[600];	/* the program on one line */
		size_t i;

		for (i = 0; text[i] && i + 1 < sizeof(name); i++)
			name[i] = text[i] == '\n' ? ' ' : text[i];
		name[i] = 0;
		if (!CHECKF(ok, "%s", name))
			tap_diag("rc %d (want %d) error '%s' (want '%s') out "
				 "'%s' (want '%s')", rc, status,
				 error ? error : "", err ? err : "", buf,
				 out ? out : "");
	}
	free(error);
	free(buf);
	py_free(ci);
}

/* Programs run with tcpi_snd_cwnd=10, tcpi_rtt=15000,
 * tcpi_options=0x27 and tcpi_pacing_rate=2^64-1 bound: the status
 * (0, -1 Python's error, -2 outside the subset), the error text (NULL:
 * not checked) and print()'s output (NULL: not checked). */
static const struct {
	const char *text;
	int status;
	const char *error;
	const char *out;
} cases[] = {
	{ "assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd", 0, NULL, "" },
	{ "assert tcpi_snd_cwnd == 12, tcpi_snd_cwnd", -1,
	  "AssertionError: 10", "" },
	{ "assert tcpi_snd_cwnd == 12", -1, "AssertionError", "" },
	{ "assert 5000 <= tcpi_rtt <= 20000, 'srtt=%d us' % tcpi_rtt",
	  0, NULL, "" },
	{ "assert 5000 <= tcpi_rtt <= 10000, 'srtt=%d us' % tcpi_rtt",
	  -1, "AssertionError: srtt=15000 us", "" },
	{ "assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options",
	  0, NULL, "" },
	{ "assert (tcpi_options & TCPI_OPT_SYN_DATA) == 0, tcpi_options",
	  -1, "AssertionError: 39", "" },
	{ "print(tcpi_snd_cwnd); cwnd = 10; cwnd += 10; "
	  "assert tcpi_snd_cwnd == cwnd, tcpi_snd_cwnd", -1,
	  "AssertionError: 10", "10\n" },
	{ "TCP_INFINITE_SSTHRESH = 0x7fffffff\n"
	  "assert TCP_INFINITE_SSTHRESH == 2147483647", 0, NULL, "" },
	{ "assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd  # comment\n"
	  "\n# only a comment\nassert not tcpi_snd_cwnd == 11", 0, NULL,
	  "" },
	{ "assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd; \\\n"
	  "         assert tcpi_rtt == 15000, tcpi_rtt", 0, NULL, "" },
	{ "assert tcpi_snd_cwnd == 1, 'ca: %d rtt: %d' % "
	  "(tcpi_snd_cwnd, tcpi_rtt)", -1,
	  "AssertionError: ca: 10 rtt: 15000", "" },
	{ "x = 7 // 2; y = -7 // 2; z = -7 % 3; w = 2 ** 10; "
	  "print(x, y, z, w, 7 / 2, 1 << 4, ~0, 6 ^ 3)", 0, NULL,
	  "3 -4 2 1024 3.5 16 -1 5\n" },
	{ "print(1 < 2 and 3 or 4, 0 or 'b', not 0, (1, 'a'))", 0,
	  NULL, "3 b True (1, 'a')\n" },
	{ "print('%5d|%-3s|%x|%%' % (42, 'ab', 255))", 0, NULL,
	  "   42|ab |ff|%\n" },
	{ "assert undefined_name == 1", -1,
	  "NameError: name 'undefined_name' is not defined", "" },
	{ "assert tcpi_snd_cwnd > 1 == True", 0, NULL, "" },
	{ "if tcpi_snd_cwnd == 10: pass", -2, NULL, NULL },
	{ "import os", -2, NULL, NULL },
	{ "assert tcpi_snd_cwnd = 3", -1, NULL, NULL },
	{ "x = 1\nx -= 3\nx *= 5\nprint(x)", 0, NULL, "-10\n" },
	/* malformed */
	{ "assert", -1, NULL, NULL },
	{ "x = ", -1, NULL, NULL },
	{ "print(1", -2, "call syntax", NULL },	/* python3 will say */
	{ "print(1))", -1, NULL, NULL },
	{ "x = 'open", -1, NULL, NULL },
	{ "1 +* 2", -1, NULL, NULL },
	{ "x = 1 / 0", -1, "ZeroDivisionError: division by zero", "" },
	{ "x = 1 // 0", -1, NULL, "" },
	{ "x = 1 % 0", -1, NULL, "" },
	{ "print('%d' % 'a')", -1, NULL, NULL },
	{ "print(1 + 'a')", -1, NULL, NULL },
	{ "x = [1, 2]", -2, NULL, NULL },
	{ "for i in (1, 2): pass", -2, NULL, NULL },
	{ "print(len('ab'))", -2, NULL, NULL },
	{ "x = y = 1", -2, NULL, NULL },
	{ "print(tcpi_pacing_rate)", 0, NULL, "18446744073709551615\n" },
	{ "print(tcpi_pacing_rate + 1 > tcpi_pacing_rate)", 0, NULL,
	  "True\n" },
};

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect(cases[i].text, cases[i].status, cases[i].error,
		       cases[i].out);
	return tap_done();
}
