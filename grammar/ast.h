/* SPDX-License-Identifier: GPL-2.0-only */
/* ast.h: the script model that grammar/parser.y builds from a packetdrill
 * script, and that check.c, dump.c and the interpreter walk.
 *
 * Ownership: a struct script owns its options, commands and the index of
 * its events (struct ast_event_span); script_free() releases them. An
 * event's model (struct ast_event and all below it) is not kept: the
 * parser checks each event and keeps only where it is written, and
 * script_event_load() (script.h) parses it again from the script's text
 * when it is needed, into an object of its own that ast_event_free()
 * releases. So a script of a million events holds its text and 16 bytes
 * per event, not a million models. Nothing in the model points outside
 * its owner except ast_loc.file, which points at the script's own name
 * (load an event only while its script lives). Never free a node on its
 * own, never share a node between two owners.
 *
 * Lists are singly linked through a `next` member, in source order.
 *
 * Numbers: every numeric field is stored as written (int64_t, or the
 * 64-bit pattern for hex literals above INT64_MAX). The parser rejects
 * literals that do not fit 64 bits; range checks (u16 ports, u32
 * sequence numbers, mss <= 65535, ...) are done by check.c, so once
 * script_parse_*() reports 0 errors every field fits its wire width.
 *
 * Locations: every node carries a struct ast_loc with the 1-based line
 * and column of its first character (columns count bytes, tabs count 1).
 */
#ifndef NETDRILL_AST_H
#define NETDRILL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a node starts and ends in the script text. */
struct ast_loc {
	const char *file;	/* the script's name (owned by the script) */
	int line;		/* 1-based line of the first character */
	int column;		/* 1-based byte column of the first character */
	int last_line;		/* line of the last character */
	int last_column;	/* column just after the last character */
};

/* ---------------------------------------------------------------- *
 * Expressions (system call arguments and results)
 * ---------------------------------------------------------------- */

enum ast_expr_kind {
	EXPR_ELLIPSIS = 0,	/* ...  (any value / don't care) */
	EXPR_INTEGER,		/* 42, -1, 0x1f: .integer */
	EXPR_WORD,		/* SOL_SOCKET, NULL, AF_INET: .word */
	EXPR_STRING,		/* "abc\n" (escapes decoded): .string */
	EXPR_BINARY,		/* a | b: .binary (op is '|') */
	EXPR_ASSIGN,		/* name=value, inside {...}: .binary (op '=') */
	EXPR_ARRAY,		/* [a, b, ...]: .list (may be empty) */
	EXPR_STRUCT,		/* {a, b} or {x=1, y=2}: .list */
	EXPR_CALL,		/* name(args): htons(8080), inet_addr("1.2.3.4"),
				 * inet6_addr("::1"), msg_name(...), msg_iov(1),
				 * msg_control(..): .call */
	EXPR_MPLS,		/* {(label 1, tc 0, [S], ttl 64)}: .mpls */
	EXPR_GRE,		/* {flags 0x..., sum 0, off 0, key 0, seq 0}: .gre */
	EXPR_PSP,		/* {spi 12, vc 0x...}: .psp */
};

struct ast_expr;

/* An element of an expression list: arguments, array or struct members. */
struct ast_expr_list {
	struct ast_expr *expr;
	struct ast_expr_list *next;
};

struct ast_integer {
	int64_t value;		/* the value; for hex > INT64_MAX the bit pattern */
	bool hex;		/* written as 0x... (dump keeps the base) */
	bool big;		/* written value exceeds INT64_MAX: read as uint64 */
	char *defined_as;	/* -D name it came from, else NULL */
};

struct ast_word {
	char *name;		/* the word after -D substitution */
	char *defined_as;	/* the -D name written in the script if this
				 * word came from a definition, else NULL */
};

struct ast_string {
	char *bytes;		/* decoded bytes, NUL-terminated */
	size_t len;		/* number of bytes, without the NUL */
	bool ellipsis;		/* written "..."... : a prefix to match */
	char *defined_as;	/* -D name it came from, else NULL */
};

struct ast_binary {
	char op;		/* '|' (EXPR_BINARY) or '=' (EXPR_ASSIGN) */
	struct ast_expr *lhs;	/* EXPR_ASSIGN: an EXPR_WORD or EXPR_CALL
				 * (msg_iov(1)=...) naming the field */
	struct ast_expr *rhs;
};

struct ast_call {
	char *name;		/* htons, inet_addr, msg_name, ... */
	struct ast_expr_list *args;	/* NULL for name() */
};

/* One MPLS label stack entry: (label L, tc T, [S], ttl N). */
struct ast_mpls_entry {
	struct ast_loc loc;
	int64_t label;		/* 20 bits */
	int64_t tc;		/* 3 bits (traffic class) */
	bool bottom;		/* [S] given: bottom of stack */
	int64_t ttl;		/* 8 bits */
	struct ast_mpls_entry *next;
};

/* GRE header fields (packetdrill: "gre flags F, sum S, off O, key K, seq Q").
 * With has_fields false it is a bare "gre" with all fields defaulted. */
enum ast_gre_flag_bits {
	AST_GRE_FLAG_C = 0x8000,	/* checksum present */
	AST_GRE_FLAG_K = 0x2000,	/* key present */
	AST_GRE_FLAG_S = 0x1000,	/* sequence# present */
};
struct ast_gre {
	struct ast_loc loc;
	bool has_fields;	/* the field list was written */
	bool flags_as_list;	/* flags [checksum present, key present, ...] */
	int64_t flags;		/* 16-bit flags+version word, host order */
	int64_t sum;		/* checksum (16 bits) */
	int64_t off;		/* offset (16 bits) */
	int64_t key;		/* key (32 bits) */
	int64_t seq;		/* sequence number (32 bits) */
};

/* PSP encapsulation: "psp spi S[, vc V]". */
struct ast_psp {
	struct ast_loc loc;
	int64_t spi;		/* 32 bits */
	bool has_vc;
	int64_t vc;		/* virtualization cookie, 64 bits */
	bool spi_hex, vc_hex;	/* how they were written */
};

struct ast_expr {
	struct ast_loc loc;
	enum ast_expr_kind kind;
	union {
		struct ast_integer integer;
		struct ast_word word;
		struct ast_string string;
		struct ast_binary binary;
		struct ast_expr_list *list;	/* EXPR_ARRAY, EXPR_STRUCT */
		struct ast_call call;
		struct ast_mpls_entry *mpls;	/* EXPR_MPLS (NULL = empty) */
		struct ast_gre gre;
		struct ast_psp psp;
	} u;
};

/* ---------------------------------------------------------------- *
 * Packets
 * ---------------------------------------------------------------- */

enum ast_direction {
	DIR_INBOUND = 0,	/* '<': injected into the system under test */
	DIR_OUTBOUND,		/* '>': expected from the system under test */
};

enum ast_ecn {
	AST_ECN_UNSPEC = 0,	/* no ECN codepoint given */
	AST_ECN_NOECN,		/* noecn: 00 */
	AST_ECN_ECT1,		/* ect1:  01 */
	AST_ECN_ECT0,		/* ect0:  10 */
	AST_ECN_CE,		/* ce:    11 */
	AST_ECN_ECT01,		/* ect01: ECT(0) or ECT(1) (outbound only) */
};

/* The parenthesised IP details: "(ect0)", "[ce]", "(tos 0x10)",
 * "(ttl 64)", "(ect0, flowlabel 0x12345)". The bracket form [..] and
 * paren form (..) mean the same; bracket records which was written. */
struct ast_ip_info {
	struct ast_loc loc;	/* of the opening bracket, if given */
	bool given;		/* any ip info was written */
	bool bracket;		/* written [..] rather than (..) */
	enum ast_ecn ecn;	/* AST_ECN_UNSPEC if not given */
	bool has_tos;		/* tos 0xNN */
	int64_t tos;		/* 8 bits */
	bool has_flowlabel;	/* flowlabel 0xNNNNN */
	int64_t flowlabel;	/* 20 bits */
	bool has_ttl;		/* ttl N (hop limit for IPv6) */
	int64_t ttl;		/* 8 bits */
};

/* One encapsulation layer, outermost first, before the transport part:
 *   ipv4 A > B:   ipv6 A > B:   gre...:   mpls (...) (...):
 *   psp spi S[, vc V]:   (tunnel mode, after an ipv4/ipv6 layer)
 *   encap psp spi S[, vc V]   (transport mode, no colon) */
enum ast_encap_kind {
	ENCAP_IPV4 = 0,
	ENCAP_IPV6,
	ENCAP_GRE,
	ENCAP_MPLS,
	ENCAP_PSP,		/* tunnel mode "psp ...:" */
	ENCAP_PSP_TRANSPORT,	/* "encap psp ..." */
};
struct ast_encap {
	struct ast_loc loc;
	enum ast_encap_kind kind;
	struct ast_ip_info ip;	/* ENCAP_IPV4/6: its (ip info) if written */
	char *src;		/* ENCAP_IPV4/6: source address as written */
	char *dst;		/* ENCAP_IPV4/6: destination address */
	struct ast_loc src_loc, dst_loc;
	struct ast_gre gre;	/* ENCAP_GRE */
	struct ast_mpls_entry *mpls;	/* ENCAP_MPLS: label stack, top first */
	struct ast_psp psp;	/* ENCAP_PSP, ENCAP_PSP_TRANSPORT */
	struct ast_encap *next;	/* the next inner layer */
};

/* TCP options. */
enum ast_tcpopt_kind {
	TCPOPT_AST_NOP = 0,	/* nop */
	TCPOPT_AST_EOL,		/* eol */
	TCPOPT_AST_MSS,		/* mss N: .value */
	TCPOPT_AST_WSCALE,	/* wscale N or wscale *: .value, .wildcard */
	TCPOPT_AST_SACKOK,	/* sackOK */
	TCPOPT_AST_SACK,	/* sack L:R L:R ...: .sack */
	TCPOPT_AST_TS,		/* TS val V ecr E: .ts_val, .ts_ecr */
	TCPOPT_AST_MD5,		/* md5 HEX: .bytes (digest, up to 16 bytes) */
	TCPOPT_AST_FO,		/* FO [HEX]: .bytes (cookie, may be empty) */
	TCPOPT_AST_FOEXP,	/* FOEXP [HEX]: .bytes (cookie) */
	TCPOPT_AST_ACCECN0,	/* ECN e0b N [ceb N [e1b N]]: kind 172, counters
				 * in wire order e0b ceb e1b: .accecn */
	TCPOPT_AST_ACCECN1,	/* ECN e1b N [ceb N [e0b N]]: kind 174, counters
				 * in wire order e1b ceb e0b: .accecn */
	TCPOPT_AST_RAW,		/* reserved for a raw "kind/len/value" form:
				 * packetdrill has no such syntax and the
				 * parser never produces it */
};

/* One SACK block L:R. */
struct ast_sack_block {
	int64_t left;
	int64_t right;
	struct ast_sack_block *next;
};

struct ast_tcp_option {
	struct ast_loc loc;
	enum ast_tcpopt_kind kind;
	int64_t value;		/* mss, wscale */
	bool wildcard;		/* wscale * : any shift count */
	struct ast_sack_block *sack;	/* TCPOPT_AST_SACK */
	int64_t ts_val, ts_ecr;	/* TCPOPT_AST_TS */
	uint8_t *bytes;		/* md5 digest / FO cookie / raw value */
	size_t nbytes;
	char *hex;		/* the hex text as written (after -D), or NULL */
	char *defined_as;	/* -D name the hex came from (FO TFO_COOKIE) */
	int naccecn;		/* 1..3 AccECN counters given */
	int64_t accecn[3];	/* counters in wire order (24 bits each) */
	int64_t raw_kind;	/* TCPOPT_AST_RAW: option kind (8 bits) */
	int64_t raw_len;	/* TCPOPT_AST_RAW: length, -1 = 2 + nbytes */
	struct ast_tcp_option *next;
};

struct ast_tcp {
	char *flags;		/* as written: "S", "S.", "P.", "SEW", "" for
				 * '-'; letters from "FSRP.EWUA" ('.' = ACK,
				 * E = ECE, W = CWR, U = URG, A = AE) */
	int64_t start_seq;	/* s in s:e(len), 32 bits */
	int64_t end_seq;	/* e */
	int64_t payload_len;	/* len, 16 bits; check.c: e - s == len */
	bool has_ack;		/* "ack N" given */
	int64_t ack;		/* 32 bits */
	bool has_win;		/* "win N" given (else not checked/default) */
	int64_t win;		/* 16 bits */
	bool has_urg;		/* "urg N" given */
	int64_t urg;		/* 16 bits */
	bool options_any;	/* <...>: options not checked (outbound only) */
	bool options_given;	/* <...> or <opt, ...> was written */
	struct ast_tcp_option *options;	/* in order; NULL if none */
	/* where each part was written, for messages */
	struct ast_loc flags_loc, seq_loc, ack_loc, win_loc, urg_loc;
};

struct ast_udp {
	int64_t payload_len;	/* udp (N) */
	struct ast_loc len_loc;
};

/* What an ICMP error echoes of the offending packet. */
enum ast_icmp_echoed {
	ICMP_ECHOED_NONE = 0,	/* nothing written: packetdrill echoes TCP 0:0(0) */
	ICMP_ECHOED_TCP,	/* [s:e(len)] */
	ICMP_ECHOED_UDP,	/* [udp (len)] */
	ICMP_ECHOED_RAW,	/* [raw (len)] */
};

struct ast_icmp {
	char *type_name;	/* as written after -D: "unreachable", "echo_request" */
	char *type_defined_as;	/* -D name it came from, else NULL */
	char *code_name;	/* "frag_needed", or NULL if not written */
	char *code_defined_as;	/* -D name it came from (CODE), else NULL */
	int type;		/* numeric type/code, filled by check.c for the */
	int code;		/* wire family in effect; -1 until then */
	bool has_mtu;		/* mtu N */
	int64_t mtu;
	bool has_id;		/* id N (echo id) */
	int64_t id;
	enum ast_icmp_echoed echoed;
	int64_t echoed_start_seq;	/* ICMP_ECHOED_TCP */
	int64_t echoed_end_seq;
	int64_t echoed_len;	/* TCP/UDP/RAW payload length */
	struct ast_loc type_loc, code_loc, mtu_loc, id_loc, echoed_loc;
};

enum ast_packet_proto {
	PKT_TCP = 0,
	PKT_UDP,
	PKT_ICMP,
};

struct ast_packet {
	struct ast_loc loc;		/* at the direction character */
	enum ast_direction direction;
	struct ast_encap *encaps;	/* outer layers, outermost first; NULL
					 * for a plain packet */
	struct ast_ip_info ip;		/* ip info of the packet's own IP header */
	bool has_ports;			/* "SRC > DST" ports written */
	int64_t src_port, dst_port;	/* 16 bits each */
	struct ast_loc src_port_loc, dst_port_loc;
	enum ast_packet_proto proto;
	struct ast_tcp tcp;		/* PKT_TCP */
	struct ast_udp udp;		/* PKT_UDP */
	struct ast_icmp icmp;		/* PKT_ICMP */
};

/* ---------------------------------------------------------------- *
 * System calls, commands, code
 * ---------------------------------------------------------------- */

struct ast_syscall {
	struct ast_loc loc;		/* at the name */
	char *name;			/* "socket", "setsockopt", ... */
	struct ast_expr_list *args;	/* NULL for name() */
	struct ast_expr *result;	/* expected return value */
	char *errno_name;		/* "EINPROGRESS", or NULL */
	struct ast_loc errno_loc;
	char *note;			/* words inside the trailing (...), or NULL */
};

struct ast_command {
	struct ast_loc loc;
	char *text;			/* between the backquotes, verbatim
					 * (may span lines) */
	char *defined_as;		/* -D name it came from, else NULL */
};

struct ast_code {
	struct ast_loc loc;
	char *text;			/* between %{ and }%, with spaces and
					 * tabs at both ends stripped, as
					 * packetdrill does */
};

/* ---------------------------------------------------------------- *
 * Events and times
 * ---------------------------------------------------------------- */

/* Times are microseconds. */
enum ast_time_kind {
	TIME_ABSOLUTE = 0,	/* 1.5        */
	TIME_RELATIVE,		/* +0.1       */
	TIME_ANY,		/* *          (outbound packets only) */
	TIME_ABSOLUTE_RANGE,	/* 1.0~1.2    (outbound packets only) */
	TIME_RELATIVE_RANGE,	/* +0.1~+0.2  (outbound packets only) */
	TIME_NONE,		/* untimed: init/cleanup commands only */
};

struct ast_time {
	struct ast_loc loc;
	enum ast_time_kind kind;
	int64_t usecs;		/* the (start) time; relative for
				 * TIME_RELATIVE and TIME_RELATIVE_RANGE */
	int64_t end_usecs;	/* range end, same base as usecs; -1 if none */
	bool has_block_end;	/* blocking syscall "T...T2" / "+T...T2" */
	int64_t block_end_usecs;	/* T2 as written. packetdrill reads T2
				 * relative to the script start when the
				 * event time is absolute, and relative to
				 * the previous event when it is relative
				 * (+T...T2), like the start time. */
};

enum ast_event_kind {
	EVENT_PACKET = 0,
	EVENT_SYSCALL,
	EVENT_COMMAND,
	EVENT_CODE,
};

struct ast_event {
	struct ast_loc loc;		/* at the time */
	struct ast_time time;
	enum ast_event_kind kind;
	union {
		struct ast_packet *packet;
		struct ast_syscall *syscall;
		struct ast_command *command;
		struct ast_code *code;
	} u;
};

/* Where one event is written: what a script keeps of each event. Its
 * model comes from script_event_load(). */
struct ast_event_span {
	uint32_t start, end;		/* bytes [start, end) of the script's
					 * text, from its time to its end (a
					 * script is at most 2 GiB) */
	int line;			/* where it starts (ast_event.loc;
					 * its column is start's) */
	enum ast_event_kind kind;
};

/* ---------------------------------------------------------------- *
 * The script
 * ---------------------------------------------------------------- */

/* A "--name=value" or "--name" line at the top of the script. */
struct ast_option {
	struct ast_loc loc;
	char *name;			/* without the leading "--" */
	char *value;			/* NULL for a bare flag; for
					 * --define=X=Y the text "X=Y" */
	struct ast_option *next;
};

struct script {
	char *name;			/* path or buffer name, for messages */
	char *text;			/* the whole source, NUL-terminated
					 * (embedded NULs are kept in len) */
	size_t len;			/* bytes of source */
	uint32_t *line_starts;		/* byte offset of each line's start;
					 * line N (1-based) starts at
					 * line_starts[N - 1] */
	int nlines;

	struct ast_option *options;	/* option lines, in order */
	int noptions;
	struct ast_command *init_command;	/* untimed `cmd` before the
						 * first event, or NULL */
	struct ast_event_span *events;	/* in order (an array) */
	int nevents;
	struct ast_command *cleanup_command;	/* untimed `cmd` after the
						 * last event, or NULL */
	int error_line;			/* line of the first diagnostic (0:
					 * none, or not tied to a line) */
	const char *error_message;	/* its message (no "file:line:"), or
					 * NULL for a valid script */
};

/* Names for kinds, for messages and the dumper. */
const char *ast_direction_name(enum ast_direction direction); /* "<" / ">" */
const char *ast_ecn_name(enum ast_ecn ecn);	/* "ect0", ... or "" */
const char *ast_event_kind_name(enum ast_event_kind kind); /* "packet", ... */

#endif /* NETDRILL_AST_H */
