/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_priv.h: TCP internals shared by tcp*.c (function names as Linux). */
#ifndef NETDRILL_TCP_PRIV_H
#define NETDRILL_TCP_PRIV_H

#include "nds_priv.h"
#include "proto/tcp.h"

static inline bool before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}
#define after(a, b) before(b, a)
static inline uint32_t rounddown_u32(uint32_t x, uint32_t m)
{
	return m ? x / m * m : x;
}
static inline bool between(uint32_t x, uint32_t lo, uint32_t hi)
{
	return hi - lo >= x - lo;
}

#define TCP_TIMEOUT_INIT (1 * USEC_PER_SEC)
#define TCP_TIMEOUT_FALLBACK (3 * USEC_PER_SEC)
#define TCP_RTO_MAX (120 * USEC_PER_SEC)
#define TCP_RTO_MIN (200 * USEC_PER_MSEC)
#define TCP_DELACK_MIN (40 * USEC_PER_MSEC)
#define TCP_DELACK_MAX (200 * USEC_PER_MSEC)
#define TCP_ATO_MIN (40 * USEC_PER_MSEC)
#define TCP_TIMEWAIT_LEN (60 * USEC_PER_SEC)
#define TCP_RESOURCE_PROBE_INTERVAL (500 * USEC_PER_MSEC)
#define TCP_INIT_CWND 10
#define TCP_INFINITE_SSTHRESH 0x7fffffffU
#undef TCP_MSS_DEFAULT
#define TCP_MSS_DEFAULT 536
#define TCP_MIN_MSS 88
#define TCP_MAX_QUICKACKS 16
#define TCP_NUM_SACKS 4
#define TCP_RMEM_TO_WIN_SCALE 8
#define TCP_DEFAULT_SCALING_RATIO 128	/* 50% */
#define MAX_TCP_HEADER 320
#define GSO_MAX_SIZE 65536

/* One inbound segment, parsed. */
struct tcp_seg {
	struct nds_addr saddr, daddr;
	bool v4;
	uint8_t tos;
	uint16_t sport, dport;
	uint32_t seq, end_seq, ack_seq;
	uint8_t flags;
	bool ae;		/* the AE flag (AccECN's ACE field: AE CWR ECE) */
	uint16_t window;	/* raw, unscaled */
	uint16_t urg_ptr;	/* raw urgent pointer (tcp_urg.c) */
	const uint8_t *data;
	uint32_t len;		/* payload bytes */
	uint16_t doff;		/* TCP header bytes (0: not known) */
	uint32_t gso_size;	/* segment size of a GRO packet, else 0 */
	/* options */
	uint16_t mss;		/* 0 if absent */
	bool wscale_ok;
	uint8_t wscale;
	bool sack_ok;
	bool saw_tstamp;
	uint32_t tsval, tsecr;
	int num_sacks;
	struct tcp_sack_block sacks[4];
	bool md5;
	uint8_t accecn[11];	/* the (last) AccECN option, accecn[1] its
				 * length; accecn[0] 0: none */
	int fo_len;		/* -1: no fast open option */
	uint8_t fo_cookie[16];
	bool fo_exp;
};

/* tcp.c */
void tcp_init_sock(struct sock *sk);
void tcp_set_state(struct sock *sk, int state);
const char *tcp_state_name(int state);
void tcp_done(struct sock *sk);
ssize_t tcp_sendmsg(struct sock *sk, const struct msghdr *msg, int flags,
		    struct nds_wait *wait);
ssize_t tcp_recvmsg(struct sock *sk, struct msghdr *msg, int flags,
		    struct nds_wait *wait);
bool tcp_close(struct sock *sk);
bool tcp_close_lingers(const struct sock *sk);
void tcp_close_finish(struct sock *sk);
int tcp_shutdown(struct sock *sk, int how);
int tcp_disconnect(struct sock *sk);
int tcp_setsockopt(struct sock *sk, int name, const void *val, socklen_t len);
int tcp_getsockopt(struct sock *sk, int name, void *val, socklen_t *len);
void tcp_get_info(struct sock *sk, struct nds_tcp_info *info);
int tcp_ioctl(struct sock *sk, unsigned long req, int *out);
uint32_t tcp_inq(const struct sock *sk);
uint32_t tcp_xmit_size_goal(struct sock *sk, uint32_t mss_now);
void tcp_cleanup_rbuf(struct sock *sk, int copied);
uint32_t tcp_notsent_lowat(const struct sock *sk);
bool tcp_stream_memory_free(const struct sock *sk, int wake);
int tcp_connect_sock(struct sock *sk, const struct sockaddr *addr,
		     socklen_t len, struct nds_wait *wait);
int tcp_accept(struct sock *sk, struct sockaddr *addr, socklen_t *len,
	       int flags, struct nds_wait *wait);
int tcp_listen(struct sock *sk, int backlog);

/* tcp_ipv4.c */
void tcp_v4_send_reset(struct nds *ns, const struct tcp_seg *seg);
void tcp_v4_send_synack(struct sock *sk);

/* tcp_input.c */
void tcp_rcv_established(struct sock *sk, struct tcp_seg *seg);
void tcp_rcv_state_process(struct sock *sk, struct tcp_seg *seg);
void tcp_listen_rcv(struct sock *lsk, struct tcp_seg *seg);
struct sock *tcp_openreq_child(struct sock *lsk, const struct tcp_seg *seg);
void tcp_parse_options(const uint8_t *opt, int len, struct tcp_seg *seg);
void tcp_init_transfer(struct sock *sk);
void tcp_enter_quickack_mode(struct sock *sk, int max_quickacks);
void tcp_rcv_space_adjust(struct sock *sk);
void tcp_check_space(struct sock *sk);
void tcp_mark_lost_head(struct sock *sk);
void tcp_mark_skb_lost(struct sock *sk, struct sk_buff *skb);
void tcp_enter_recovery(struct sock *sk, bool ece_ack);
void tcp_enter_loss(struct sock *sk);
void tcp_cwnd_reduction(struct sock *sk, uint32_t newly_acked_sacked,
			uint32_t newly_lost, int flag);

/* syncookies.c: SYN cookies, and the listener's queues they watch */
/* inet_csk_reqsk_queue_is_full: more requests than the backlog */
static inline bool inet_csk_reqsk_queue_is_full(const struct sock *lsk)
{
	return lsk->syn_qlen > lsk->backlog;
}
/* sk_acceptq_is_full: more children to accept than the backlog */
static inline bool sk_acceptq_is_full(const struct sock *lsk)
{
	return lsk->accept_qlen > lsk->backlog;
}
void tcp_listendrop(struct sock *lsk);
/* inet_csk_reqsk_queue_drop: forget a request (SYN_RECV child): out of its
 * listener's SYN queue, closed, and freed once nothing holds it */
static inline void inet_csk_reqsk_queue_drop(struct sock *req)
{
	if (req->parent)
		req->parent->syn_qlen--;
	req->parent = NULL;
	tcp_done(req);
	req->dead = true;
}
bool tcp_syn_flood_action(struct sock *lsk, const struct tcp_seg *seg);
void cookie_send_synack(struct sock *lsk, const struct tcp_seg *seg);
struct sock *tcp_v4_cookie_check(struct sock *lsk, const struct tcp_seg *seg);

/* tcp_recovery.c */
void tcp_rack_advance(struct sock *sk, uint8_t sacked, uint32_t end_seq,
		      int64_t xmit_time, uint64_t order);
bool tcp_rack_mark_lost(struct sock *sk);
void tcp_rack_reo_timeout(struct sock *sk);
void tcp_rack_update_reo_wnd(struct sock *sk);

/* tcp_output.c */
int tcp_connect(struct sock *sk);
void tcp_send_synack(struct sock *sk);
void tcp_rtx_synack(struct sock *sk);
void tcp_send_ack(struct sock *sk);
void tcp_send_delayed_ack(struct sock *sk);
void tcp_send_fin(struct sock *sk);
void tcp_send_active_reset(struct sock *sk);
void tcp_send_challenge_ack(struct sock *sk);
void tcp_push(struct sock *sk, int flags, uint32_t mss_now, int nonagle,
	      uint32_t size_goal);
void tcp_push_pending_frames(struct sock *sk);
void __tcp_push_pending_frames(struct sock *sk, uint32_t cur_mss,
			       int nonagle);
void tcp_push_one(struct sock *sk, uint32_t mss_now);
bool tcp_write_xmit(struct sock *sk, uint32_t mss_now, int nonagle,
		    int push_one);
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb, int segs);
void tcp_xmit_retransmit_queue(struct sock *sk);
void tcp_init_seq(struct sock *sk);
uint64_t tcp_secure_seq_hash(struct nds *ns, const struct nds_addr *saddr,
			     const struct nds_addr *daddr, uint16_t sport,
			     uint16_t dport);
void tcp_simple_retransmit(struct sock *sk);
void tcp_non_congestion_loss_retransmit(struct sock *sk);
void tcp_send_probe0(struct sock *sk);
/* mib: the counter a bare probe bumps (MIB_TCP_WIN_PROBE,
 * MIB_TCP_KEEP_ALIVE) */
int tcp_write_wakeup(struct sock *sk, int mib);
void tcp_send_keepalive_probe(struct sock *sk);
uint32_t tcp_current_mss(struct sock *sk);
uint32_t tcp_sync_mss(struct sock *sk, uint32_t pmtu);
int tcp_mtu_to_mss(struct sock *sk, int pmtu);
int tcp_mss_to_mtu(const struct sock *sk, int mss);
void tcp_mtup_init(struct sock *sk);
void tcp_mtup_probe_success(struct sock *sk);
void tcp_mtup_probe_failed(struct sock *sk);
void tcp_select_initial_window(struct sock *sk, int space, uint32_t mss,
			       uint32_t *rcv_wnd, uint32_t *clamp,
			       bool wscale_ok, uint8_t *rcv_wscale);
int tcp_full_space(const struct sock *sk);
int tcp_win_from_space(const struct sock *sk, int space);
int tcp_space_from_win(const struct sock *sk, int win);
int tcp_space(const struct sock *sk);
uint32_t tcp_rx_truesize(const struct tcp_seg *seg);
void tcp_rmem_uncharge(struct sock *sk);
void tcp_rcv_space_adjust_read(struct sock *sk, uint32_t from);
uint32_t tcp_select_window(struct sock *sk);
uint32_t __tcp_select_window(struct sock *sk);
uint32_t tcp_receive_window(const struct sock *sk);
void tcp_check_probe_timer(struct sock *sk);
void tcp_rearm_rto(struct sock *sk);
void tcp_reset_xmit_timer(struct sock *sk, int what, int64_t when);
void tcp_clear_xmit_timers(struct sock *sk);
void tcp_schedule_loss_probe(struct sock *sk, bool advancing_rto);
void tcp_send_loss_probe(struct sock *sk);
int tcp_skb_pcount(struct sock *sk, struct sk_buff *skb);
uint32_t tcp_tsval(const struct sock *sk);
int tcp_advertise_mss(struct sock *sk);
struct sk_buff *tcp_stream_alloc_skb(struct sock *sk);
void tcp_adjust_pcount(struct sock *sk, const struct sk_buff *skb, int decr);
int tcp_fragment(struct sock *sk, struct sk_buff_head *q,
		 struct sk_buff *skb, uint32_t len);
void tcp_update_pacing_rate(struct sock *sk);
/* pacing (tcp_output.c): the socket's clock in ns (tcp_clock_cache), the
 * departure time of the packet just built in us, how far pacing pushed
 * the next one (whole ms, as timers add it), the qdisc's transmit
 * completion (tcp_wfree, TSQ), the pacing and TSQ timers */
uint64_t tcp_clock_ns(const struct sock *sk);
int64_t tcp_skb_edt_us(const struct sock *sk);
int64_t tcp_pacing_delay(const struct sock *sk);
void tcp_wfree(struct sock *sk, uint32_t truesize);
void tcp_init_pacing_timers(struct sock *sk);
uint32_t tcp_rto_min(const struct sock *sk);
void tcp_chrono_start(struct sock *sk, int type);
void tcp_chrono_stop(struct sock *sk, int type);
bool tcp_is_cwnd_limited(const struct sock *sk);
void tcp_slow_start_after_idle_check(struct sock *sk);

/* tcp_timer.c */
void tcp_init_xmit_timers(struct sock *sk);
void tcp_set_keepalive_timer(struct sock *sk);
void tcp_time_wait(struct sock *sk, int state, int64_t timeo);
int64_t tcp_fin_time(const struct sock *sk);

/* tcp_cong.c */
void tcp_init_congestion_control(struct sock *sk);
void tcp_cong_avoid(struct sock *sk, uint32_t ack, uint32_t acked);
uint32_t tcp_ca_ssthresh(struct sock *sk);
uint32_t tcp_ca_undo_cwnd(struct sock *sk);
void tcp_ca_event_loss(struct sock *sk);
void tcp_ca_event_tx_start(struct sock *sk);
void tcp_ca_acked(struct sock *sk, uint32_t rtt_us);
uint32_t tcp_slow_start(struct sock *sk, uint32_t acked);
void tcp_cong_avoid_ai(struct sock *sk, uint32_t w, uint32_t acked);

static inline uint32_t tcp_packets_in_flight(const struct sock *sk)
{
	return sk->packets_out - (sk->sacked_out + sk->lost_out) +
	       sk->retrans_out;
}

/* tcp_in_cwnd_reduction: CWR or Recovery, where PRR sets cwnd */
static inline bool tcp_in_cwnd_reduction(const struct sock *sk)
{
	return sk->ca_state == TCP_CA_CWR || sk->ca_state == TCP_CA_Recovery;
}

/* tcp_current_ssthresh: ssthresh, or outside a reduction at least 3/4 of
 * cwnd (what an undo may restore) */
static inline uint32_t tcp_current_ssthresh(const struct sock *sk)
{
	uint32_t t = (sk->snd_cwnd >> 1) + (sk->snd_cwnd >> 2);

	if (tcp_in_cwnd_reduction(sk))
		return sk->snd_ssthresh;
	return sk->snd_ssthresh > t ? sk->snd_ssthresh : t;
}

static inline bool tcp_in_slow_start(const struct sock *sk)
{
	return sk->snd_cwnd < sk->snd_ssthresh;
}

static inline uint32_t tcp_wnd_end(const struct sock *sk)
{
	return sk->snd_una + sk->snd_wnd;
}

#define NDS_TCP_RTO_MAX_MS 44	/* TCP_RTO_MAX_MS (linux/tcp.h, 6.15+) */

/* tcp_rto_max: the socket's ceiling for the RTO and every retransmit
 * timer (TCP_RTO_MAX_MS, net.ipv4.tcp_rto_max_ms; 120 s by default) */
static inline int64_t tcp_rto_max(const struct sock *sk)
{
	return sk->rto_max ? (int64_t)sk->rto_max : TCP_RTO_MAX;
}

static inline struct sk_buff *tcp_send_head(const struct sock *sk)
{
	return sk->write_queue.head;
}

static inline bool tcp_write_queue_empty(const struct sock *sk)
{
	return sk->write_seq == sk->snd_nxt;
}

static inline uint32_t tcp_srtt(const struct sock *sk)
{
	return sk->srtt_us >> 3;
}

#define TCP_SKB_CB_TX(skb) ((skb)->first_tx != 0 || (skb)->tstamp != 0)

#endif /* NETDRILL_TCP_PRIV_H */
