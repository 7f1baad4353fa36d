/* SPDX-License-Identifier: GPL-2.0-only */
/* fuzz_parser.c: libFuzzer target for the script front end. Each input is
 * a script: parse it (lexer, parser, checks, diagnostics into a memory
 * stream), and when it is valid dump it, parse the dump again and require
 * the same dump back (the round trip gtests/dump.test checks on the test
 * scripts). Set FUZZ_NO_ROUNDTRIP=1 in the environment to fuzz for memory
 * errors only.
 *
 * Built two ways: with clang -fsanitize=fuzzer for `make fuzz`, and with
 * the normal compiler beside fuzz_replay.c, which replays files through
 * the same function in `make check`. */
#include "fuzz_parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "script.h"

/* Dump a script into a malloc'd buffer; *len gets its length. */
static char *dump_to_buffer(const struct script *script, size_t *len)
{
	char *text = NULL;
	FILE *out = open_memstream(&text, len);

	if (out == NULL)
		abort();
	script_dump(script, out);
	if (fclose(out) != 0)
		abort();
	return text;
}

/* Parse text with a fresh default config; diagnostics are written into a
 * memory stream (so their formatting code runs too) and dropped. */
static struct script *parse(const char *name, const char *text, size_t len,
			    int *nerrors)
{
	struct config config;
	struct script *script;
	char *messages = NULL;
	size_t messages_len = 0;
	FILE *err = open_memstream(&messages, &messages_len);

	if (err == NULL)
		abort();
	config_init(&config);
	*nerrors = 0;
	script = script_parse_buffer(name, text, len, &config, err, nerrors);
	fclose(err);
	/* An invalid script must say why. */
	if (*nerrors > 0 && messages_len == 0) {
		fprintf(stderr, "fuzz_parser: %d errors but no message\n",
			*nerrors);
		abort();
	}
	free(messages);
	config_free(&config);
	return script;
}

static void check_round_trip(const struct script *script)
{
	size_t len1 = 0, len2 = 0;
	char *dump1 = dump_to_buffer(script, &len1);
	int nerrors = 0;
	struct script *again = parse("dump.pkt", dump1, len1, &nerrors);

	if (again == NULL || nerrors != 0) {
		fprintf(stderr, "fuzz_parser: the dump of a valid script does "
			"not parse (%d errors):\n%s\n", nerrors, dump1);
		abort();
	}
	char *dump2 = dump_to_buffer(again, &len2);
	if (len1 != len2 || memcmp(dump1, dump2, len1) != 0) {
		fprintf(stderr, "fuzz_parser: dumping the dump changes it:\n"
			"--- first dump\n%s\n--- second dump\n%s\n",
			dump1, dump2);
		abort();
	}
	free(dump2);
	script_free(again);
	free(dump1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int round_trip = -1;
	int nerrors = 0;
	struct script *script;

	if (round_trip < 0) {
		const char *off = getenv("FUZZ_NO_ROUNDTRIP");

		round_trip = !(off != NULL && off[0] != '\0' &&
			       strcmp(off, "0") != 0);
	}
	script = parse("fuzz.pkt", (const char *)data, size, &nerrors);
	if (script != NULL && nerrors == 0) {
		if (round_trip)
			check_round_trip(script);
		else
			free(dump_to_buffer(script, &(size_t){ 0 }));
	}
	script_free(script);
	return 0;
}
