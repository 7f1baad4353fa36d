/* SPDX-License-Identifier: GPL-2.0-only */
/* fuzz_parser.h: the libFuzzer entry point of fuzz_parser.c, declared so
 * that fuzz_replay.c (and -Wmissing-prototypes) see one prototype. */
#ifndef NETDRILL_FUZZ_PARSER_H
#define NETDRILL_FUZZ_PARSER_H

#include <stddef.h>
#include <stdint.h>

/* Run one input through the parser; always returns 0 and aborts on a
 * property violation (see fuzz_parser.c). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* NETDRILL_FUZZ_PARSER_H */
