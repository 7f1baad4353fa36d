/* test_code.c: the native evaluator of %{ }% blocks against the Python
 * semantics that packetdrill's blocks rely on. Prints TAP. */
#include "code.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int n, failed;

static void check(const char *what, bool ok)
{
	n++;
	if (!ok)
		failed++;
	printf("%sok %d - ", ok ? "" : "not ", n);
	for (; *what; what++)	/* one line per test */
		putchar(*what == '\n' ? ' ' : *what);
	putchar('\n');
}

/* Run text with cwnd=10, rtt=15000; compare status, error and output. */
static void expect(const char *text, int status, const char *err,
		   const char *out)
{
	struct code_interp *ci = code_interp_new();
	char *error = NULL, *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;
	bool ok;

	code_interp_set(ci, "tcpi_snd_cwnd", 10);
	code_interp_set(ci, "tcpi_rtt", 15000);
	code_interp_set(ci, "tcpi_options", 0x27);
	code_interp_set(ci, "tcpi_pacing_rate", -1);	/* u64 max below */
	rc = code_interp_run(ci, text, f, &error);
	fclose(f);
	ok = rc == status && (!err || (error && !strcmp(error, err))) &&
	     (!out || !strcmp(buf, out));
	if (!ok)
		printf("# text: %s\n# rc %d (want %d) error '%s' (want '%s') "
		       "out '%s' (want '%s')\n", text, rc, status,
		       error ? error : "", err ? err : "", buf,
		       out ? out : "");
	check(text, ok);
	free(error);
	free(buf);
	code_interp_free(ci);
}

int main(void)
{
	expect("assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd", 0, NULL, "");
	expect("assert tcpi_snd_cwnd == 12, tcpi_snd_cwnd", -1,
	       "AssertionError: 10", "");
	expect("assert tcpi_snd_cwnd == 12", -1, "AssertionError", "");
	expect("assert 5000 <= tcpi_rtt <= 20000, 'srtt=%d us' % tcpi_rtt",
	       0, NULL, "");
	expect("assert 5000 <= tcpi_rtt <= 10000, 'srtt=%d us' % tcpi_rtt",
	       -1, "AssertionError: srtt=15000 us", "");
	expect("assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options",
	       0, NULL, "");
	expect("assert (tcpi_options & TCPI_OPT_SYN_DATA) == 0, tcpi_options",
	       -1, "AssertionError: 39", "");
	expect("print(tcpi_snd_cwnd); cwnd = 10; cwnd += 10; "
	       "assert tcpi_snd_cwnd == cwnd, tcpi_snd_cwnd", -1,
	       "AssertionError: 10", "10\n");
	expect("TCP_INFINITE_SSTHRESH = 0x7fffffff\n"
	       "assert TCP_INFINITE_SSTHRESH == 2147483647", 0, NULL, "");
	expect("assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd  # comment\n"
	       "\n# only a comment\nassert not tcpi_snd_cwnd == 11", 0, NULL,
	       "");
	expect("assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd; \\\n"
	       "         assert tcpi_rtt == 15000, tcpi_rtt", 0, NULL, "");
	expect("assert tcpi_snd_cwnd == 1, 'ca: %d rtt: %d' % "
	       "(tcpi_snd_cwnd, tcpi_rtt)", -1,
	       "AssertionError: ca: 10 rtt: 15000", "");
	expect("x = 7 // 2; y = -7 // 2; z = -7 % 3; w = 2 ** 10; "
	       "print(x, y, z, w, 7 / 2, 1 << 4, ~0, 6 ^ 3)", 0, NULL,
	       "3 -4 2 1024 3.5 16 -1 5\n");
	expect("print(1 < 2 and 3 or 4, 0 or 'b', not 0, (1, 'a'))", 0,
	       NULL, "3 b True (1, 'a')\n");
	expect("print('%5d|%-3s|%x|%%' % (42, 'ab', 255))", 0, NULL,
	       "   42|ab |ff|%\n");
	expect("assert undefined_name == 1", -1,
	       "NameError: name 'undefined_name' is not defined", "");
	expect("assert tcpi_snd_cwnd > 1 == True", 0, NULL, "");
	expect("if tcpi_snd_cwnd == 10: pass", -2, NULL, NULL);
	expect("import os", -2, NULL, NULL);
	expect("assert tcpi_snd_cwnd = 3", -1, NULL, NULL);
	expect("x = 1\nx -= 3\nx *= 5\nprint(x)", 0, NULL, "-10\n");
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
