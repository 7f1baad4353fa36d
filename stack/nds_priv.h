/* SPDX-License-Identifier: GPL-2.0-only */
/* nds_priv.h: stack-private core: the instance (netns-like), sysctls,
 * virtual-time timers, trace, packet buffers and sockets.
 *
 * Nothing outside stack/ includes this. Sequence numbers are host order.
 */
#ifndef NETDRILL_NDS_PRIV_H
#define NETDRILL_NDS_PRIV_H

#include "stack.h"
#include "tcp_fastopen_priv.h"
#include "netdev_priv.h"
#include "tcp_urg.h"

#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>

/* ---------------------------------------------------------------- time */
#define USEC_PER_MSEC 1000LL
#define USEC_PER_SEC 1000000LL

/* A timer on the virtual clock. Registered once with nds_timer_init(); armed
 * with nds_timer_mod(); the instance runs due timers in nds_advance(). */
/* Socket fields the trace reports as deltas (trace.c). */
#define NDS_TRACE_FIELDS 24

struct nds_timer {
	int64_t expires;		/* valid while pending */
	bool pending;
	uint64_t order;			/* arming order, ties fire first-armed */
	/* A timer_list of Linux (wheel): it fires at the end of its timer
	 * wheel bucket, fire, not at expires (nds.c, wheel_bucket); ties
	 * in one bucket fire last-armed first, from the coarser level
	 * down. Otherwise (an hrtimer) at expires. */
	bool wheel;
	int level;
	int64_t fire;
	void (*fn)(struct nds_timer *t);
	void *owner;			/* the socket, NULL for the device's */
	struct nds *owner_ns;		/* the instance */
	const char *name;		/* a device timer's trace name */
	struct nds_timer *next_all;	/* registry of all timers */
};

/* ------------------------------------------------------------- sysctls */
struct nds_sysctls {
	int tcp_rmem[3], tcp_wmem[3];
	int rmem_max, wmem_max, rmem_default, wmem_default;
	int tcp_timestamps, tcp_window_scaling, tcp_sack, tcp_dsack;
	int tcp_syn_retries, tcp_synack_retries, tcp_retries1, tcp_retries2;
	int tcp_orphan_retries, tcp_fin_timeout;
	int tcp_frto, tcp_fack, tcp_reordering, tcp_max_reordering;
	int tcp_slow_start_after_idle, tcp_early_retrans, tcp_recovery;
	int tcp_tso_win_divisor, tcp_min_tso_segs, tcp_tso_rtt_log;
	int tcp_ecn, tcp_ecn_fallback, tcp_ecn_option, tcp_ecn_option_beacon;
	int tcp_pacing_ss_ratio, tcp_pacing_ca_ratio;
	unsigned int tcp_notsent_lowat;
	int tcp_fastopen;
	int tcp_fastopen_blackhole_timeout_sec;
	int tcp_metrics_flushes;	/* bumped by `ip tcp_metrics flush` */
	char tcp_fastopen_key[80];
	int tcp_syncookies, tcp_autocorking, tcp_limit_output_bytes;
	int tcp_retrans_collapse;
	int hz;				/* not Linux: CONFIG_HZ, jiffies a second */
	int timer_wheel;		/* not Linux: 0 fires timers at expiry */
	int tcp_min_rtt_wlen, tcp_moderate_rcvbuf, tcp_no_metrics_save;
	int tcp_mtu_probing, tcp_base_mss, tcp_mtu_probe_floor;
	int tcp_keepalive_time, tcp_keepalive_intvl, tcp_keepalive_probes;
	int tcp_max_syn_backlog, somaxconn, tcp_abort_on_overflow;
	int tcp_challenge_ack_limit, tcp_invalid_ratelimit;
	int tcp_rfc1337, tcp_stdurg, tcp_tw_reuse, tcp_thin_linear_timeouts;
	int tcp_syn_linear_timeouts, tcp_comp_sack_nr;
	int tcp_comp_sack_delay_ns, tcp_comp_sack_slack_ns;
	int tcp_shrink_window, tcp_workaround_signed_windows;
	int tcp_adv_win_scale, tcp_app_win, tcp_min_snd_mss;
	int tcp_rto_min_us, tcp_delack_max_us;
	int tcp_rto_max_ms;		/* 6.15+: new sockets' rto_max */
	int tcp_probe_threshold, tcp_probe_interval;
	int tcp_plb_enabled, tcp_backlog_ack_defer, tcp_migrate_req;
	int ip_default_ttl, ip_no_pmtu_disc, ip_local_port_range[2];
	int ip_nonlocal_bind, ip_forward;
	int tcp_fwmark_accept, tcp_l3mdev_accept, tcp_tso_rtt_log_unused;
	int udp_rmem_min, udp_wmem_min;
	int ipv6_hop_limit, ipv6_auto_flowlabels, ipv6_flowlabel_reflect;
	int cubic_hystart_detect, cubic_fast_convergence, cubic_beta;
	int cubic_initial_ssthresh, cubic_bic_scale, cubic_hystart;
	int cubic_hystart_low_window, cubic_hystart_ack_delta_us;
	char tcp_congestion_control[16];
};

/* ------------------------------------------------------------ buffers */
/* One TCP segment or a queue entry (send, rtx or out-of-order queue). */
struct sk_buff {
	struct sk_buff *next, *prev;
	uint32_t seq;		/* first sequence number */
	uint32_t end_seq;	/* seq + len + SYN + FIN */
	uint8_t tcp_flags;	/* TCPHDR_* carried (SYN, FIN, PSH) */
	uint8_t sacked;		/* scoreboard bits: */
#define TCPCB_SACKED_ACKED 0x01	/* SACKed by the peer */
#define TCPCB_SACKED_RETRANS 0x02	/* retransmitted, not yet acked */
#define TCPCB_LOST 0x04		/* marked lost */
#define TCPCB_EVER_RETRANS 0x80	/* was retransmitted at some time */
#define TCPCB_RETRANS (TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS)
	bool eor;		/* MSG_EOR: never append to it */
	bool syn_data;		/* SYN data copy (fast open) */
	uint16_t pcount;	/* tcp_skb_pcount: segments at mss */
	uint16_t pcount_mss;	/* mss pcount was computed for */
	int64_t tstamp;		/* last transmit time (skb_mstamp) */
	int64_t first_tx;	/* first transmit time, 0 if never sent */
	uint64_t tx_order;	/* transmit order: ties of tstamp (RACK) */
	uint32_t tx_delivered;	/* sk->delivered when sent (tcp_rate_skb_sent) */
	bool tx_rate_done;	/* counted in a rate sample (SACKed) */
	uint32_t len;		/* payload bytes */
	uint32_t truesize;	/* memory charged to sk_wmem_queued */
	uint8_t *data;		/* payload */
	uint32_t cap;		/* allocated bytes at data */
	struct skb_zcopy *zcopy;	/* MSG_ZEROCOPY frags (sock_errqueue.c) */
};

struct sk_buff_head {
	struct sk_buff *head, *tail;
	int qlen;
};

/* Per-skb memory overhead charged on top of the payload (see facts §2:
 * SKB_TRUESIZE of an MAX_TCP_HEADER fclone head on x86_64). */
#define SKB_OVERHEAD 1280

/* ------------------------------------------------------------- socket */
struct nds;
struct nds_epoll;

/* An address: always stored as IPv6 (IPv4 as ::ffff:a.b.c.d). */
struct nds_addr {
	struct in6_addr a;
};

/* ca_state values TCP_CA_Open .. TCP_CA_Loss come from <netinet/tcp.h>. */

/* What the retransmit timer is armed for (icsk_pending). */
enum {
	ICSK_TIME_NONE = 0, ICSK_TIME_RETRANS, ICSK_TIME_PROBE0,
	ICSK_TIME_LOSS_PROBE, ICSK_TIME_REO_TIMEOUT,
};

struct tcp_sack_block {
	uint32_t start_seq, end_seq;
};

struct sock {
	struct nds *ns;
	struct sock *next;		/* in ns->socks */
	int fd;				/* -1 once closed (orphan) */
	int family;			/* AF_INET or AF_INET6 (socket domain) */
	int type;			/* SOCK_STREAM, SOCK_DGRAM */
	int protocol;
	int state;			/* NDS_TCP_* (TCP); UDP uses CLOSE/ESTAB */
	bool wire_v4;			/* packets are IPv4 */
	bool v6only;
	struct nds_addr saddr, daddr;
	uint16_t sport, dport;		/* host order; sport 0 = unbound */
	bool bound;			/* bind() or autobind done */
	bool bound_addr;		/* bound to a specific address */
	int ss_state;			/* struct socket state: */
#define SS_UNCONNECTED 0
#define SS_CONNECTING 1
#define SS_CONNECTED 2

	/* socket layer (struct sock) */
	bool nonblock;			/* O_NONBLOCK */
	bool reuseaddr, reuseport, keepopen, broadcast, oobinline;
	bool sndbuf_lock, rcvbuf_lock;	/* SOCK_SNDBUF_LOCK, RCVBUF_LOCK */
	bool nospace;			/* SOCK_NOSPACE: a writer waited */
	bool orphan;			/* closed by the application */
	bool dead;			/* to be freed */
	bool timestamping;
	struct sock_errq *errq;		/* error queue (sock_errqueue.c) */
	uint32_t wake_seq;		/* bumped by every wake-up (epoll ET) */
	int shutdown;			/* RCV_SHUTDOWN | SEND_SHUTDOWN */
#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2
	int sk_err, sk_err_soft;
	int sk_sndbuf, sk_rcvbuf;	/* bytes */
	int sk_wmem_queued;		/* truesize of write + rtx queues */
	int sk_rmem_alloc;		/* receive memory charged */
	int sk_rcvlowat;
	int64_t sk_rcvtimeo, sk_sndtimeo;	/* us; 0 = forever */
	bool linger;
	int linger_secs;
	int sk_priority, sk_mark, tos, ttl;
	uint64_t sk_max_pacing_rate;	/* SO_MAX_PACING_RATE, ~0: none */
	uint64_t sk_pacing_rate;	/* bytes per second, ~0 until set */
	uint8_t sk_pacing_shift;	/* TSO autosizing, TSQ: 10 (~1 ms) */
	uint8_t sk_pacing_status;	/* SK_PACING_*: who paces */
#define SK_PACING_NONE 0
#define SK_PACING_NEEDED 1		/* TCP itself (tcp_pacing_check) */
#define SK_PACING_FQ 2			/* the fq qdisc (sch_fq.c) */
	int sk_wmem_alloc;		/* truesize of its packets still in
					 * the qdisc (TSQ; Linux's count
					 * less its base of 1) */
	uint32_t sk_gso_max_size;

	/* listener */
	int backlog;
	struct sock *parent;		/* listener of an unaccepted child */
	struct sock *accept_next;	/* in parent's accept or SYN queue */
	struct sock *accept_q;		/* established children, FIFO */
	int accept_qlen;
	int syn_qlen;			/* children in SYN_RECV */
	bool synflood_warned;		/* "Possible SYN flooding" noted */
	bool synq_overflowed;		/* SYN cookies sent (tcp_synq_overflow) */
	int64_t synq_overflow_stamp;	/* ... last at (rx_opt.ts_recent_stamp) */
	bool syncookie;			/* child of a SYN cookie: no request
					 * was kept (cookie_v4_check) */

	/* receive queue: in-order bytes ready for the application */
	uint8_t *rbuf;
	uint32_t rbuf_len, rbuf_cap;
	uint32_t rbuf_off;		/* read offset into rbuf */
	bool rcv_psh;			/* PSH seen since the last read */
	struct sk_buff_head ofo;	/* out-of-order segments, by seq */

	/* UDP datagrams queued for receive */
	struct udp_dgram *udp_q, *udp_q_tail;

	/* tcp_sock: sequence space (RFC 9293 names) */
	uint32_t snd_una;		/* oldest unacknowledged */
	uint32_t snd_nxt;		/* next to send */
	uint32_t write_seq;		/* tail of written data + 1 */
	uint32_t pushed_seq;		/* last pushed seq */
	uint32_t snd_sml;		/* end of last small segment (Nagle) */
	uint32_t snd_wl1;		/* seq of last window update */
	uint32_t snd_wnd;		/* peer's window, bytes */
	uint32_t max_window;		/* largest window the peer offered */
	uint32_t rcv_nxt;		/* next expected */
	uint32_t copied_seq;		/* head of unread data */
	uint32_t rcv_wup;		/* rcv_nxt at the last window update */
	uint32_t rcv_wnd;		/* current offered window */
	uint32_t rcv_ssthresh;		/* window growth threshold */
	uint32_t window_clamp;		/* largest window we offer */
	uint32_t iss, irs;		/* initial sequence numbers */
	uint8_t snd_wscale, rcv_wscale;	/* negotiated shifts */
	bool wscale_ok, sack_ok, tstamp_ok;
	bool ecn_ok;
	uint8_t ecn_flags;		/* RFC 3168 state: */
#define TCP_ECN_OK 1			/* negotiated */
#define TCP_ECN_QUEUE_CWR 2		/* put CWR on the next new data */
#define TCP_ECN_DEMAND_CWR 4		/* echo ECE until the peer's CWR */
#define TCP_ECN_SEEN 8			/* an ECT/CE segment arrived */
#define TCP_ECN_MODE_ACCECN 0x10	/* Accurate ECN (RFC 9768); with
					 * TCP_ECN_OK: SYN sent, mode pending */
	struct tcp_accecn {		/* AccECN state (tcp_ecn.c) */
		uint8_t syn_ect_snt;	/* ECN field of our SYN/SYN-ACK */
		uint8_t syn_ect_rcv;	/* ECN field of the peer's SYN/SYN-ACK */
		uint8_t prev_ecnfield;	/* ECN field of the last segment in */
		uint8_t est_ecnfield;	/* the counter the peer's bytes go to */
		uint8_t fail_mode;	/* TCP_ACCECN_*_FAIL_* */
		uint8_t saw_opt;	/* TCP_ACCECN_OPT_*_SEEN */
		uint8_t opt_demand;	/* options still owed */
		uint8_t minlen;		/* fields the next option needs */
		bool opt_sent_w_dsack;	/* last option went with a DSACK */
		uint16_t ace_next;	/* 0x100 | ACE for the next segment
					 * (a reflector on the third ACK) */
		int synacks;		/* SYN-ACKs sent (the first has the
					 * option) */
		uint32_t received_ce, received_ce_pending;
		uint32_t received_ecn_bytes[3];	/* by ECN field - 1 */
		uint32_t delivered_ecn_bytes[3];
		uint32_t pkts_acked_ewma;
		int64_t opt_tstamp;	/* last option sent */
	} acc;
	uint16_t rx_opt_mss_clamp;	/* MSS the peer offered */
	uint16_t user_mss;		/* TCP_MAXSEG */
	uint16_t advmss;		/* our MSS for receiving */
	uint32_t mss_cache;		/* current sending MSS */
	uint32_t pmtu_cookie;		/* path MTU mss_cache was synced to */
	bool dst_cached;		/* dst_route_mtu holds the socket's route */
	int dst_route_mtu;		/* its route's MTU metric (0: none),
					 * as of the last transmit (__sk_dst_check) */
	struct {			/* packetization-layer PMTU discovery */
		bool enabled;
		int search_high, search_low;	/* MTUs */
		int probe_size;		/* MTU of the probe in flight, 0: none */
		int64_t probe_timestamp;
	} mtup;
	uint32_t mtu_probe_seq_start, mtu_probe_seq_end;
	uint32_t rcv_mss;		/* estimate of peer's segment size */
	int tcp_header_len;		/* 20 or 32 with TS */
	uint32_t ts_recent;		/* peer TSval to echo */
	int64_t ts_recent_stamp;	/* when ts_recent was set (us) */
	uint32_t ts_off;		/* our TSval offset */
	uint32_t rcv_tsecr;		/* last TSecr received */
	bool saw_tstamp;		/* the current segment had TS */
	uint32_t rcv_tsval;		/* TSval of the current segment */

	/* congestion control */
	uint32_t snd_cwnd, snd_ssthresh, snd_cwnd_cnt;
	uint32_t prior_cwnd, prior_ssthresh;
	uint32_t packets_out, sacked_out, lost_out, retrans_out;
	uint32_t max_packets_out;	/* for tcp_is_cwnd_limited */
	uint32_t max_packets_seq;
	bool is_cwnd_limited;
	int ca_state;
	uint32_t high_seq;		/* snd_nxt at recovery start */
	uint32_t undo_marker;		/* snd_una at recovery start, 0: no undo */
	int undo_retrans;		/* retransmits not yet DSACKed, -1: none
					 * since tcp_init_undo */
	uint32_t prr_delivered, prr_out;
	uint32_t lost;			/* segments ever marked lost */
	uint32_t reordering;
	uint32_t delivered, delivered_ce;
	int64_t lsndtime;		/* last data send time */
	int64_t lrcvtime;		/* last data receive time */
	int64_t last_ack_recv;		/* last ACK receive time */
	int64_t snd_cwnd_stamp;
	int dupacks;			/* for non-SACK peers */
	bool frto;			/* F-RTO (RFC 5682) running in Loss */
	struct cubic_state {
		uint32_t cnt, last_max_cwnd, last_cwnd, last_time;
		uint32_t bic_origin_point, bic_K, delay_min, epoch_start;
		uint32_t ack_cnt, tcp_cwnd;
		bool found;
		uint32_t round_start, end_seq, last_ack, curr_rtt, sample_cnt;
	} cubic;
	bool cong_reno;			/* "reno" instead of "cubic" */

	/* RTT and RTO */
	uint32_t srtt_us;		/* smoothed RTT << 3 */
	uint32_t mdev_us, mdev_max_us, rttvar_us;	/* << 2 */
	uint32_t rtt_seq;
	uint32_t min_rtt_us;		/* ~0U until a sample */
	int64_t min_rtt_stamp;
	uint32_t rto;			/* icsk_rto, us */
	uint32_t rto_max;		/* icsk_rto_max, us (TCP_RTO_MAX_MS) */
	int backoff;			/* icsk_backoff */
	int retransmits;		/* icsk_retransmits */
	int probes_out;			/* icsk_probes_out */
	int64_t retrans_stamp;		/* first retransmit time */
	uint32_t total_retrans;
	uint16_t total_rto, total_rto_recoveries;
	int64_t rto_stamp;
	uint32_t total_rto_time;	/* ms */
	int syn_retries;		/* TCP_SYNCNT, 0 = sysctl */
	uint32_t user_timeout;		/* TCP_USER_TIMEOUT ms */
	uint32_t tlp_high_seq;
	/* the ACK's rate sample, as far as RACK uses it: tx_delivered of
	 * the most recently sent skb it delivered (tcp_rate_skb_delivered) */
	uint32_t rs_prior_delivered;
	int64_t rs_tstamp;
	uint64_t rs_order;
	bool tlp_retrans;		/* the loss probe was a retransmission */
	struct tcp_rack {		/* RACK-TLP loss detection (RFC 8985) */
		int64_t mstamp;		/* send time of newest (s)acked skb */
		uint32_t rtt_us;	/* its RTT */
		uint32_t end_seq;
		uint64_t tx_order;	/* its transmit order */
		bool advanced;		/* new (s)ack since the last check */
		bool reord;		/* reordering seen */
		bool dsack_seen;	/* a DSACK after reordering: grow */
		uint8_t reo_wnd_steps;	/* reo_wnd in min_rtt/4 (0 = 1) */
		uint8_t reo_wnd_persist; /* recoveries left before reset */
		uint32_t last_delivered; /* delivered at the last growth */
	} rack;

	/* delayed ACK (icsk_ack) */
	uint32_t ato;			/* us */
	int ack_pending;		/* ICSK_ACK_* */
#define ICSK_ACK_SCHED 1
#define ICSK_ACK_TIMER 2
#define ICSK_ACK_PUSHED 4
#define ICSK_ACK_PUSHED2 8
#define ICSK_ACK_NOW 16
	int quick;			/* quick ACKs left */
	int pingpong;
	int64_t lrcv_data;		/* last data arrival (ato) */
	uint32_t last_ack_sent_rcv_nxt;
	struct tcp_sack_block duplicate_sack[1];
	bool dsack;
	int num_sacks;
	struct tcp_sack_block selective_acks[4];
	struct tcp_sack_block recv_sack_cache[4];
	uint32_t rcv_ooopack;
	int64_t last_oow_ack_time;	/* rate limit for dupacks */
	int64_t challenge_stamp;
	uint32_t challenge_count;

	/* application-controlled */
	int nonagle;			/* TCP_NAGLE_* */
#define TCP_NAGLE_OFF 1
#define TCP_NAGLE_CORK 2
#define TCP_NAGLE_PUSH 4
	bool quickack_opt;
	bool keepalive;
	int keepalive_time, keepalive_intvl, keepalive_probes;	/* s, 0 = sysctl */
	uint32_t notsent_lowat;		/* 0 = sysctl */
	int linger2;
	uint8_t defer_accept;		/* TCP_DEFER_ACCEPT, in SYN-ACK
					 * retransmissions (rskq_defer_accept) */
	bool req_acked;			/* child: a bare ACK was dropped for
					 * TCP_DEFER_ACCEPT (inet_rsk->acked) */
	int window_clamp_opt;
	bool thin_lto;
	bool recvmsg_inq;
	int fastopen_qlen;		/* TCP_FASTOPEN on a listener */
	int fastopen_cnt;		/* TFO children not yet established */
	bool fastopen_connect;
	struct tfo_client tfo;		/* Fast Open client (tcp_fastopen_client.c) */
	bool tfo_child;			/* passive Fast Open child (SYN_RECV) */
	bool simopen;			/* SYN_RECV by simultaneous open */
	int64_t synack_stamp;		/* first SYN-ACK sent (RTT sample) */
	bool syn_data_acked;		/* TCPI_OPT_SYN_DATA */
	bool tfo_key_set;		/* TCP_FASTOPEN_KEY on this listener */
	uint8_t tfo_key[32];		/* primary, backup */
	int tfo_nkeys;
	int synack_fo_len;		/* FO option to put in our SYN-ACK */
	bool synack_fo_exp;		/* ... as the experimental kind 254 */
	uint8_t synack_fo_cookie[16];

	/* queues */
	struct sk_buff_head write_queue;	/* unsent */
	struct sk_buff_head rtx_queue;		/* sent, unacknowledged */

	/* timers */
	struct nds_timer rtx_timer;	/* RTO / probe0 / TLP / REO / SYN-ACK */
	int icsk_pending;		/* ICSK_TIME_* the rtx timer is for */
	int64_t icsk_timeout;
	struct nds_timer delack_timer;
	struct nds_timer keepalive_timer;	/* keepalive, FIN_WAIT2, TW */
	struct nds_timer pacing_timer;	/* internal pacing (tcp_pace_kick) */
	struct nds_timer tsq_timer;	/* TSQ: room in the qdisc, now */
	bool tsq_throttled;		/* TSQ_THROTTLED */
	uint64_t tcp_wstamp_ns;		/* earliest departure of the next */
	uint64_t tcp_prior_wstamp_ns;	/* ... before the last transmit */

	/* statistics for tcp_info */
	uint64_t bytes_acked, bytes_received, bytes_sent, bytes_retrans;
	uint32_t segs_in, segs_out, data_segs_in, data_segs_out;
	uint32_t dsack_dups, reord_seen;
	int64_t chrono_start;		/* when chrono_type became active */
	int chrono_type;		/* TCP_CHRONO_*: */
#define TCP_CHRONO_UNSPEC 0
#define TCP_CHRONO_BUSY 1		/* data queued or in flight */
#define TCP_CHRONO_RWND_LIMITED 2	/* stalled by the peer's window */
#define TCP_CHRONO_SNDBUF_LIMITED 3	/* stalled by the send buffer */
	int64_t chrono_stat[4];		/* us spent in each type */
	uint16_t ip_id;
	int64_t last_oow;
	uint32_t rcvq_space_space;		/* DRS rcv_space */
	uint32_t rcvq_space_seq;		/* copied_seq at the last DRS sample */
	int64_t rcvq_space_time;		/* when that sample started */
	uint32_t rcv_rtt_us;			/* receiver RTT estimate, <<3 */
	uint32_t rcv_rtt_seq;			/* rcv_rtt_est.seq */
	int64_t rcv_rtt_time;			/* rcv_rtt_est.time, 0: none */
	uint32_t rcv_rtt_last_tsecr;
	uint32_t last_seg_size;			/* icsk_ack.last_seg_size */
	/* receive memory (sk_rmem_alloc) is charged by truesize, as Linux
	 * does: one charge per queued segment, released once read past */
#define NDS_RX_CHARGES 64
	struct { uint32_t end_seq, truesize; } rx_charge[NDS_RX_CHARGES];
	int rx_charge_head, rx_charge_n;
	uint32_t rx_charged, ofo_charged;
	uint8_t scaling_ratio;			/* window/memory, <<8 (50%: 128) */
	struct tcp_urg urg;		/* urgent data (tcp_urg.c) */
	/* trace.c: field values at the last nds_trace_sync */
	bool trace_seen;
	int64_t trace_prev[NDS_TRACE_FIELDS];
};

struct udp_dgram {
	struct udp_dgram *next;
	struct nds_addr from;
	uint16_t port;
	uint32_t len;
	uint8_t data[];
};

/* One open file: a socket or an epoll instance. */
struct nds_file {
	int kind;			/* 0 free, 1 socket, 2 epoll */
	struct sock *sk;
	struct nds_epoll *ep;
	bool cloexec;
};

#define NDS_MAX_FDS 1024

struct nds_epitem {
	struct nds_epitem *next;
	int fd;
	struct epoll_event ev;
	uint32_t last_wake;		/* sk->wake_seq last reported (ET) */
	bool armed;			/* EPOLLONESHOT not yet fired */
};

struct nds_epoll {
	struct nds_epitem *items;
};

/* ------------------------------------------------------------ instance */
struct nds {
	int64_t now;
	uint64_t timer_order;
	struct nds_timer *timers;	/* registry of all timers */
	struct nds_config cfg;
	int mtu;
	struct nds_sysctls sysctl;
	nds_output_fn output;
	void *output_ctx;
	uint32_t rx_gso_size;		/* nds_set_rx_gso_size (--mss) */
	nds_trace_fn trace;
	void *trace_ctx;
	nds_trace_record_fn trace_rec;	/* structured trace (trace.c) */
	void *trace_rec_ctx;
	int trace_calls;		/* CALL and DECISION records too */
	int trace_detail;		/* NDS_TRACE_WANT_DETAIL */
	int trace_depth;		/* current call nesting */
	struct nds_file files[NDS_MAX_FDS];
	struct sock *socks;		/* all sockets, including orphans */
	uint64_t seed;
	uint16_t next_port;
	uint16_t ip_id;
	uint64_t tx_counter;		/* orders transmissions at one instant */
	bool xmit_retrans;		/* sending a retransmission (TcpOutSegs
					 * counts only first transmissions) */
	struct nds_xmit {		/* what ip_queue_xmit sends (the skb's
					 * owner, EDT and truesize, for the
					 * qdisc); zero for a packet of no
					 * socket */
		struct sock *sk;
		uint64_t tstamp_ns;	/* skb->tstamp, 0: none */
		uint32_t truesize;	/* charged to sk_wmem_alloc */
		uint32_t seq;
		uint16_t gso_segs;	/* segments of a GSO packet */
		bool data;
	} xmit;
	int64_t challenge_stamp;
	uint32_t challenge_count;
	struct tfo_cache tfo_cache;	/* Fast Open cookies (tcp_metrics) */
	struct nds_netdev netdev;	/* qdisc, counters (netdev_priv.h) */
};

/* ------------------------------------------------------------ nds.c */
void nds_timer_init(struct nds *ns, struct nds_timer *t,
		    void (*fn)(struct nds_timer *), void *owner);
void nds_timer_mod(struct nds *ns, struct nds_timer *t, int64_t expires);
void nds_timer_del(struct nds_timer *t);
void nds_timer_unregister(struct nds *ns, struct nds_timer *t);
int64_t nds_tick_us(const struct nds *ns);
void nds_tracef(struct nds *ns, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Trace "not supported: ..." so the interpreter can name the line. */
void nds_unsupported(struct nds *ns, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
uint64_t nds_hash(struct nds *ns, const void *data, size_t len);

/* ------------------------------------------------------------ sysctl_net.c */
void nds_sysctl_defaults(struct nds_sysctls *s);

/* ------------------------------------------------------------ ip */
/* Checksum helpers (RFC 1071). */
uint32_t csum_partial(const void *buf, size_t len, uint32_t sum);
uint16_t csum_fold(uint32_t sum);
uint32_t csum_pseudo(const struct nds_addr *src, const struct nds_addr *dst,
		     bool v4, uint8_t proto, uint32_t len);
bool nds_addr_is_v4(const struct nds_addr *a);
void nds_addr_from_v4(struct nds_addr *a, uint32_t be_addr);
uint32_t nds_addr_v4(const struct nds_addr *a);	/* network order */
bool nds_addr_any(const struct nds_addr *a);
bool nds_addr_eq(const struct nds_addr *a, const struct nds_addr *b);
bool nds_addr_is_local(struct nds *ns, const struct nds_addr *a);
/* Build and emit an IP datagram around an L4 payload (header already has
 * its checksum). tos/ttl < 0 mean defaults. 0, or NET_XMIT_DROP (> 0)
 * when the device's qdisc drops it (sch.c). */
int ip_queue_xmit(struct nds *ns, const struct nds_addr *src,
		   const struct nds_addr *dst, uint8_t proto, const uint8_t *l4,
		   size_t l4len, int tos, int ttl, uint16_t id, bool df);
int ip_rcv(struct nds *ns, const uint8_t *pkt, size_t len);
int ipv6_rcv(struct nds *ns, const uint8_t *pkt, size_t len);

/* ------------------------------------------------------------ l4 input */
void tcp_v4_rcv(struct nds *ns, const struct nds_addr *src,
		const struct nds_addr *dst, bool v4, const uint8_t *seg,
		size_t len, uint8_t tos);
void udp_rcv(struct nds *ns, const struct nds_addr *src,
	     const struct nds_addr *dst, bool v4, const uint8_t *seg,
	     size_t len);
void icmp_rcv(struct nds *ns, const struct nds_addr *src, bool v4,
	      const uint8_t *msg, size_t len);

/* ------------------------------------------------------------ sock.c */
struct sock *sk_alloc(struct nds *ns, int family, int type, int protocol);
void sk_free(struct sock *sk);
int sk_fd_install(struct nds *ns, struct sock *sk);
struct sock *sockfd_lookup(struct nds *ns, int fd, int *err);
void sk_destroy_if_done(struct sock *sk);
void nds_reap(struct nds *ns);		/* free sockets marked dead */
void sk_wake(struct sock *sk);		/* data ready / write space / state */
void sk_stream_write_space(struct sock *sk);
bool sk_stream_memory_free(const struct sock *sk);
bool sk_stream_is_writeable(const struct sock *sk);
unsigned int sock_poll_mask(struct sock *sk);
void skb_queue_tail(struct sk_buff_head *q, struct sk_buff *skb);
void skb_insert_before(struct sk_buff_head *q, struct sk_buff *at,
		       struct sk_buff *skb);
void skb_insert_after(struct sk_buff_head *q, struct sk_buff *at,
		      struct sk_buff *skb);
void skb_unlink(struct sk_buff_head *q, struct sk_buff *skb);
struct sk_buff *skb_alloc(uint32_t cap);
void skb_free(struct sk_buff *skb);
void skb_queue_purge(struct sk_buff_head *q);
int skb_reserve_more(struct sk_buff *skb, uint32_t cap);

/* ------------------------------------------------------------ inet_hashtables.c */
int inet_bind(struct sock *sk, const struct sockaddr *addr, socklen_t len);
int inet_autobind(struct sock *sk);
struct sock *inet_lookup_established(struct nds *ns,
				     const struct nds_addr *saddr, uint16_t sport,
				     const struct nds_addr *daddr, uint16_t dport,
				     int type);
struct sock *inet_lookup_listener(struct nds *ns, const struct nds_addr *daddr,
				  uint16_t dport, bool v4, int type);
int sockaddr_to_nds(const struct sock *sk, const struct sockaddr *addr,
		    socklen_t len, struct nds_addr *a, uint16_t *port);
void nds_to_sockaddr(const struct sock *sk, const struct nds_addr *a,
		     uint16_t port, struct sockaddr *addr, socklen_t *len);
int inet_select_source(struct nds *ns, struct sock *sk);

#endif /* NETDRILL_NDS_PRIV_H */
