/* SPDX-License-Identifier: GPL-2.0-only */
/* stack.h: public API of netdrill's embedded TCP/IP stack (prefix nds_).
 *
 * One struct nds is one stack instance with its own sysctls, sockets,
 * addresses and virtual clock (like a network namespace on its own host).
 * It mirrors src/sut/sut.h one-for-one so src/sut/sut_embedded.c is a thin adapter.
 *
 * Rules, for every function below:
 *  - Errors are negative errno values (-EAGAIN), like Linux system calls.
 *  - The stack never sleeps, never reads the real clock, never prints and
 *    never exits. Time only moves in nds_advance().
 *  - Pointers passed in are borrowed for the duration of the call.
 *  - Host struct layouts are used for sockaddr, msghdr, iovec, pollfd and
 *    epoll_event; option values follow Linux (int for most options).
 *  - File descriptors start at 3, lowest free first, like a fresh process.
 */
#ifndef NETDRILL_STACK_H
#define NETDRILL_STACK_H

#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Returned (negated) by a blocking call that cannot complete yet; equal to
 * SUT_EBLOCKED. The caller retries with the same struct nds_wait after every
 * nds_input() and nds_advance() until something else comes back. */
#define NDS_EBLOCKED 100000

/* nds_recvmsg flag: read as splice(2) from a TCP socket does
 * (tcp_splice_read / tcp_read_sock): stop at the urgent mark whatever
 * SO_OOBINLINE says, never step over the urgent byte, and return 0 at the
 * mark while data is queued. Equal to SUT_MSG_SPLICE; no MSG_* flag of
 * Linux 6.18 uses this bit. */
#define NDS_MSG_SPLICE 0x10000000

/* Progress of one parked blocking call; same layout as struct sut_wait.
 * The caller zeroes it before the first attempt and passes the same object
 * on every retry. The stack sets deadline (INT64_MAX = none) when a timeout
 * applies (poll, epoll_wait, SO_RCVTIMEO, SO_SNDTIMEO) so that the caller
 * steps the clock there. */
struct nds_wait {
	int started;		/* set by the stack on the first attempt */
	int64_t start_time;	/* virtual time of the first attempt */
	int64_t deadline;	/* give up at this time; INT64_MAX if never */
	size_t progress;	/* bytes already queued by a blocking write */
	long scratch[4];	/* stack private */
};

/* Same fields as struct sut_sock_state. */
struct nds_sock_state {
	char state[16];		/* "ESTABLISHED", "SYN_SENT", ... */
	uint32_t snd_una, snd_nxt, rcv_nxt;	/* absolute sequence numbers */
	uint32_t snd_cwnd, snd_ssthresh;	/* packets */
	uint32_t packets_out, retrans_out, sacked_out, lost_out;
	uint32_t write_queue_bytes;	/* unsent + unacked bytes */
	uint32_t recv_queue_bytes;	/* readable bytes */
	uint32_t rto_us, srtt_us;
};

/* The host's addresses. Either family may be absent (has_v4/has_v6 = 0). */
struct nds_config {
	int mtu;			/* link MTU; 0 means 1500 */
	int has_v4;
	struct in_addr local_v4;	/* our IPv4 address */
	int prefix_v4;			/* on-link prefix length */
	struct in_addr gateway_v4;	/* next hop for off-link peers */
	int has_v6;
	struct in6_addr local_v6;
	int prefix_v6;
	struct in6_addr gateway_v6;
	uint64_t seed;			/* ISN / TS offset / port hash key */
};

/* Linux 6.18 struct tcp_info, 280 bytes including the AccECN tail, as
 * packetdrill reads it with getsockopt(TCP_INFO). Named nds_tcp_info so it
 * does not clash with <netinet/tcp.h>. */
struct nds_tcp_info {
	uint8_t tcpi_state;
	uint8_t tcpi_ca_state;
	uint8_t tcpi_retransmits;
	uint8_t tcpi_probes;
	uint8_t tcpi_backoff;
	uint8_t tcpi_options;
	uint8_t tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4;
	uint8_t tcpi_delivery_rate_app_limited : 1, tcpi_fastopen_client_fail : 2;

	uint32_t tcpi_rto;		/* us */
	uint32_t tcpi_ato;		/* us */
	uint32_t tcpi_snd_mss;
	uint32_t tcpi_rcv_mss;

	uint32_t tcpi_unacked;
	uint32_t tcpi_sacked;
	uint32_t tcpi_lost;
	uint32_t tcpi_retrans;
	uint32_t tcpi_fackets;

	uint32_t tcpi_last_data_sent;	/* ms ago */
	uint32_t tcpi_last_ack_sent;
	uint32_t tcpi_last_data_recv;
	uint32_t tcpi_last_ack_recv;

	uint32_t tcpi_pmtu;
	uint32_t tcpi_rcv_ssthresh;
	uint32_t tcpi_rtt;		/* us */
	uint32_t tcpi_rttvar;		/* us */
	uint32_t tcpi_snd_ssthresh;
	uint32_t tcpi_snd_cwnd;
	uint32_t tcpi_advmss;
	uint32_t tcpi_reordering;

	uint32_t tcpi_rcv_rtt;
	uint32_t tcpi_rcv_space;

	uint32_t tcpi_total_retrans;

	uint64_t tcpi_pacing_rate;
	uint64_t tcpi_max_pacing_rate;
	uint64_t tcpi_bytes_acked;
	uint64_t tcpi_bytes_received;
	uint32_t tcpi_segs_out;
	uint32_t tcpi_segs_in;

	uint32_t tcpi_notsent_bytes;
	uint32_t tcpi_min_rtt;
	uint32_t tcpi_data_segs_in;
	uint32_t tcpi_data_segs_out;

	uint64_t tcpi_delivery_rate;

	uint64_t tcpi_busy_time;	/* us */
	uint64_t tcpi_rwnd_limited;	/* us */
	uint64_t tcpi_sndbuf_limited;	/* us */

	uint32_t tcpi_delivered;
	uint32_t tcpi_delivered_ce;

	uint64_t tcpi_bytes_sent;
	uint64_t tcpi_bytes_retrans;
	uint32_t tcpi_dsack_dups;
	uint32_t tcpi_reord_seen;

	uint32_t tcpi_rcv_ooopack;

	uint32_t tcpi_snd_wnd;
	uint32_t tcpi_rcv_wnd;

	uint32_t tcpi_rehash;

	uint16_t tcpi_total_rto;
	uint16_t tcpi_total_rto_recoveries;
	uint32_t tcpi_total_rto_time;	/* ms */
	uint32_t tcpi_received_ce;
	uint32_t tcpi_delivered_e1_bytes;
	uint32_t tcpi_delivered_e0_bytes;
	uint32_t tcpi_delivered_ce_bytes;
	uint32_t tcpi_received_e1_bytes;
	uint32_t tcpi_received_e0_bytes;
	uint32_t tcpi_received_ce_bytes;
	uint16_t tcpi_accecn_fail_mode;
	uint16_t tcpi_accecn_opt_seen;
};

_Static_assert(sizeof(struct nds_tcp_info) == 280, "tcp_info is 280 bytes");
_Static_assert(offsetof(struct nds_tcp_info, tcpi_total_rto_time) == 244,
	       "tcpi_total_rto_time at 244");

/* TCP state numbers, as Linux (tcpi_state). */
enum {
	NDS_TCP_ESTABLISHED = 1, NDS_TCP_SYN_SENT, NDS_TCP_SYN_RECV,
	NDS_TCP_FIN_WAIT1, NDS_TCP_FIN_WAIT2, NDS_TCP_TIME_WAIT, NDS_TCP_CLOSE,
	NDS_TCP_CLOSE_WAIT, NDS_TCP_LAST_ACK, NDS_TCP_LISTEN, NDS_TCP_CLOSING,
};

struct nds;

/* --- life cycle --- */
/* Returns NULL if config is unusable (no address) or out of memory. */
struct nds *nds_new(const struct nds_config *config);
void nds_free(struct nds *ns);

/* --- the virtual clock (microseconds, starts at 0) --- */
int64_t nds_now(struct nds *ns);
/* Earliest pending timer, or INT64_MAX if none. */
int64_t nds_next_timer(struct nds *ns);
/* Move the clock to t_us (>= now), running due timers in time order. */
void nds_advance(struct nds *ns, int64_t t_us);

/* --- packets --- */
/* Deliver an inbound IPv4 or IPv6 datagram. 0, or -EINVAL if it could not
 * be parsed at all (bad version, truncated header). Segments dropped by TCP
 * rules still return 0. */
int nds_input(struct nds *ns, const uint8_t *ip_packet, size_t len);
typedef void (*nds_output_fn)(void *ctx, const uint8_t *pkt, size_t len,
			      int64_t t_us);
/* Every outbound IP datagram goes to fn, synchronously, at time t_us. */
void nds_set_output(struct nds *ns, nds_output_fn fn, void *ctx);
/* Inbound TCP segments with more than size payload bytes are GRO/GSO
 * packets of size-byte segments, as packetdrill's --mss makes the tun
 * packets it writes (tcp_measure_rcv_mss then sees size); 0: none. */
void nds_set_rx_gso_size(struct nds *ns, int size);

/* --- system calls ---
 * wait may be NULL: a call that would block then returns -NDS_EBLOCKED
 * without keeping its progress (use a wait to retry). */
int nds_socket(struct nds *ns, int domain, int type, int protocol);
int nds_bind(struct nds *ns, int fd, const struct sockaddr *addr,
	     socklen_t len);
int nds_listen(struct nds *ns, int fd, int backlog);
int nds_accept(struct nds *ns, int fd, struct sockaddr *addr, socklen_t *len,
	       int flags, struct nds_wait *wait);
int nds_connect(struct nds *ns, int fd, const struct sockaddr *addr,
		socklen_t len, struct nds_wait *wait);
ssize_t nds_sendmsg(struct nds *ns, int fd, const struct msghdr *msg,
		    int flags, struct nds_wait *wait);
ssize_t nds_recvmsg(struct nds *ns, int fd, struct msghdr *msg, int flags,
		    struct nds_wait *wait);
int nds_close(struct nds *ns, int fd, struct nds_wait *wait);
int nds_shutdown(struct nds *ns, int fd, int how);
int nds_setsockopt(struct nds *ns, int fd, int level, int name,
		   const void *val, socklen_t len);
int nds_getsockopt(struct nds *ns, int fd, int level, int name, void *val,
		   socklen_t *len);
/* F_GETFL / F_SETFL (O_NONBLOCK), F_GETFD / F_SETFD. */
int nds_fcntl(struct nds *ns, int fd, int cmd, long arg);
/* FIONREAD/SIOCINQ, SIOCOUTQ, SIOCOUTQNSD, FIONBIO; arg points to an int. */
int nds_ioctl(struct nds *ns, int fd, unsigned long request, void *arg);
int nds_poll(struct nds *ns, struct pollfd *fds, nfds_t nfds, int timeout_ms,
	     struct nds_wait *wait);
int nds_epoll_create(struct nds *ns, int flags);
int nds_epoll_ctl(struct nds *ns, int epfd, int op, int fd,
		  struct epoll_event *event);
int nds_epoll_wait(struct nds *ns, int epfd, struct epoll_event *events,
		   int maxevents, int timeout_ms, struct nds_wait *wait);

/* --- configuration and introspection --- */
/* Sysctls by /proc/sys path ("net/ipv4/tcp_rmem"), values as text
 * ("4096 540000 15728640"). -ENOENT for one the stack does not model,
 * -EINVAL for a value it cannot parse. Defaults are those of packetdrill's
 * common/defaults.sh on a Linux 6.x host. */
int nds_sysctl_write(struct nds *ns, const char *path, const char *value);
int nds_sysctl_read(struct nds *ns, const char *path, char *buf, size_t len);
/* The i-th sysctl path the stack models (0, 1, ...; the table of
 * sysctl_net.c, then netdev.c's net/netdrill/ paths), NULL past the last:
 * the list netdrill's shell commands get a file for. */
const char *nds_sysctl_name(int i);
/* -EBADF if fd is not a socket. */
int nds_sock_state(struct nds *ns, int fd, struct nds_sock_state *st);

/* Trace hook: one line of text per note the stack makes (state change,
 * cwnd/ssthresh change, "not supported: ..." for calls and options the
 * stack does not model). The string is only valid during the call. */
typedef void (*nds_trace_fn)(void *ctx, const char *event);
void nds_set_trace(struct nds *ns, nds_trace_fn fn, void *ctx);

/* Structured trace (stack/trace.c): the stack never prints; it hands
 * records to fn, synchronously, in the order things happen, interleaved
 * with the packets it sends through nds_set_output(). */
enum nds_trace_kind {
	NDS_TRACE_NOTE = 0,	/* text: a note (the text hook's line) */
	NDS_TRACE_CALL,		/* entering function name, nested at depth */
	NDS_TRACE_DECISION,	/* values at a decision point inside name:
				 * text "key=value ... [; reason]" */
	NDS_TRACE_STATE,	/* socket field name went from old to value */
	NDS_TRACE_TIMER,	/* timer name: text "armed" (value = expiry
				 * time, us), "fired" or "cancelled" */
	NDS_TRACE_COUNTER,	/* MIB counter name (nstat's name) went up
				 * from old to value */
};

struct nds_trace_record {
	enum nds_trace_kind kind;
	int64_t t_us;		/* virtual time */
	int fd;			/* socket concerned, -1 if none / not known */
	int depth;		/* call nesting (CALL, DECISION) */
	const char *name;	/* function, field, timer or counter: static
				 * storage, valid as long as the program */
	const char *text;	/* see the kinds; "" if none; valid during
				 * the call only */
	int64_t value, old;
};

typedef void (*nds_trace_record_fn)(void *ctx,
				    const struct nds_trace_record *rec);
/* What to emit besides counters, timers fired and the state deltas of
 * nds_trace_sync() (flags):
 *   NDS_TRACE_WANT_CALLS   CALL and DECISION records (the call path),
 *                          which cost the most;
 *   NDS_TRACE_WANT_DETAIL  notes, timers armed and cancelled, and state
 *                          deltas after every inbound packet and timer
 *                          (not only when the caller syncs).
 * fn NULL turns the structured trace off (the default). */
#define NDS_TRACE_WANT_CALLS	1
#define NDS_TRACE_WANT_DETAIL	2
void nds_set_trace_records(struct nds *ns, nds_trace_record_fn fn,
			   void *ctx, int want);
/* Emit STATE records for every socket field that changed since the last
 * sync (the stack syncs itself after each inbound packet and timer; the
 * caller syncs after each system call). */
void nds_trace_sync(struct nds *ns);

#endif /* NETDRILL_STACK_H */
