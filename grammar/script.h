/* SPDX-License-Identifier: GPL-2.0-only */
/* script.h: the public entry points of the script front end: parse a
 * packetdrill script into the model of ast.h, check it, print it back.
 *
 * Ownership: the returned struct script owns everything reachable from
 * it (see ast.h); release it with script_free(). The config is only read.
 *
 * Option lines and the command line. packetdrill applies a script's
 * "--name=value" lines first and then the command line again, so the
 * command line wins over the script (config.c, parse_and_finalize_config).
 * The parser does not change the config: it returns the option lines in
 * script->options (--define lines included) and the caller applies them
 * in that order (script options, then the command line again). The parser itself honours two
 * of them while parsing, because later lines depend on them:
 *   --define=NAME=VALUE   adds a definition, looked up after the
 *                         command line's -D definitions (so -D wins);
 *   --ip_version=...      chooses the ICMP type/code table (v4 or v6)
 *                         that check.c resolves names with, unless the
 *                         config already says ipv6 / ipv4-mapped-ipv6.
 *
 * -D substitution (as packetdrill's lexer does it): every bare word
 * (letters, digits, '_') that is not a keyword of the language and that
 * names a definition is replaced by the definition's value: a value
 * "in quotes" becomes a string, `in backquotes` a command, a decimal or
 * 0x number an integer, anything else a word. So FO TFO_COOKIE,
 * icmp unreachable CODE and setsockopt(3, CMSG_LEVEL_IP, ...) all work.
 * The dumper prints the name as written, not the value.
 *
 * Diagnostics go to the FILE given, in the form
 *     file:line:col: error: message
 *      <the source line>
 *      <spaces>^
 * and the caller decides the exit status (nothing here exits).
 */
#ifndef NETDRILL_SCRIPT_H
#define NETDRILL_SCRIPT_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"	/* src/base/config.h: struct config, struct definition */
#include "ast.h"

struct script;		/* defined in ast.h */

/* Parse a file. -D definitions come from config->defines. Diagnostics go
 * to err. *nerrors = number of errors (0 = valid: parsed and checked).
 * Returns NULL only if the file cannot be read (message already printed);
 * otherwise a script (possibly partial when *nerrors > 0) that the caller
 * frees with script_free(). config may be NULL (no definitions). */
struct script *script_parse_file(const char *path, const struct config *config,
				 FILE *err, int *nerrors);

/* Same for a buffer of len bytes (need not be NUL-terminated); name is
 * used in messages. Never returns NULL except when out of memory. */
struct script *script_parse_buffer(const char *name, const char *text,
				   size_t len, const struct config *config,
				   FILE *err, int *nerrors);

/* Event i (0 <= i < script->nevents) of a script that parsed without
 * errors, parsed again from its text and checked as the whole script was
 * (no messages this time): a model of its own that the caller frees with
 * ast_event_free() while the script lives. NULL only when it cannot be
 * (out of memory, or a script with errors). */
struct ast_event *script_event_load(const struct script *script, int i);
void ast_event_free(const struct ast_event *ev);

/* Print the script in canonical packetdrill syntax: one option, event or
 * command per line, times as seconds with up to 6 decimals. For every
 * valid script, parse(dump(x)) dumps to identical text. */
void script_dump(const struct script *script, FILE *out);

/* Free a script and everything it owns. NULL is fine. */
void script_free(struct script *script);

#endif /* NETDRILL_SCRIPT_H */
