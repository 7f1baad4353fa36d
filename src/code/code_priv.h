/* SPDX-License-Identifier: GPL-2.0-only */
/* code_priv.h: what the files of src/code/ share (not for use outside
 * this folder).
 *
 *  code.c      the blocks of a run (code.h): collected with their
 *              snapshots, then evaluated in order
 *  tcp_info.c  Linux's tcp_info layout and the names a block sees
 *  pysubset.c  the Python subset, in-process (pysubset.h)
 *  python3.c   packetdrill's way, for blocks outside the subset */
#ifndef NETDRILL_CODE_PRIV_H
#define NETDRILL_CODE_PRIV_H

#include "code.h"
#include "tcp_info.h"

struct code_block {
	int line;
	const char *text;	/* the script's */
	struct tcp_snapshot snap;
	struct code_block *next;
};

struct code_state {
	const struct config *config;
	struct sut *sut;
	struct code_block *head, **tail;
};

/* python3.c: all blocks in one Python file, run with --code_command. 0,
 * or -1 with *error (a full message). */
int code_run_python3(const struct code_state *code, char **error);

#endif /* NETDRILL_CODE_PRIV_H */
