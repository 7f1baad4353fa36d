/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_ecn.c: ECN negotiation and feedback for TCP, classic (RFC 3168) and
 * Accurate ECN (RFC 9768), modelled on Linux mainline (include/net/
 * tcp_ecn.h and the AccECN parts of net/ipv4/tcp_input.c, tcp_output.c,
 * tcp_minisocks.c; Documentation/networking/ip-sysctl.rst for tcp_ecn,
 * tcp_ecn_option, tcp_ecn_option_beacon). Linux 6.18 rejects tcp_ecn=3,
 * so none of the AccECN behaviour here can be checked against the host
 * kernel; the kernel's packetdrill selftests (tcp_accecn_*.pkt) and
 * netdrill's gtests/net/tcp/accecn/ pin it.
 *
 * Modes (sk->ecn_flags): TCP_ECN_OK alone is RFC 3168, TCP_ECN_MODE_ACCECN
 * alone is AccECN, both together is an active open whose SYN asked for
 * AccECN and whose SYN-ACK has not come yet. */
#include "tcp_ecn.h"

#include <string.h>

static void tcp_ecn_mode_set(struct sock *sk, uint8_t mode)
{
	sk->ecn_flags &= (uint8_t)~(TCP_ECN_OK | TCP_ECN_MODE_ACCECN);
	sk->ecn_flags |= mode;
	sk->ecn_ok = tcp_ecn_mode_any(sk);
}

/* tcp_accecn_init_counters */
static void tcp_accecn_init_counters(struct sock *sk)
{
	memset(&sk->acc, 0, sizeof(sk->acc));
}

static uint8_t sk_ecnfield(const struct sock *sk)
{
	return (uint8_t)((sk->tos < 0 ? 0 : sk->tos) & 3);
}

/* tcp_accecn_reflector_flags: the ACE a SYN-ACK (or the third ACK) sends
 * for the ECN field its peer's SYN (SYN-ACK) came with (RFC 9768 Table 2) */
static uint16_t tcp_accecn_reflector_flags(uint8_t ect)
{
	static const uint8_t ace[4] = { 0x2, 0x3, 0x4, 0x6 };
	uint8_t a = ace[ect & 3];

	return (uint16_t)(((a & 1) ? TCPHDR_ECE : 0) |
			  ((a & 2) ? TCPHDR_CWR : 0) |
			  ((a & 4) ? TCPHDR_AE : 0));
}

static uint16_t ace_flags(uint32_t ace)
{
	return (uint16_t)(((ace & 1) ? TCPHDR_ECE : 0) |
			  ((ace & 2) ? TCPHDR_CWR : 0) |
			  ((ace & 4) ? TCPHDR_AE : 0));
}

/* tcp_accecn_extract_syn_ect: the ECN field our SYN (SYN-ACK) arrived
 * with, read back from the ACE the peer echoes */
static uint8_t tcp_accecn_extract_syn_ect(uint8_t ace)
{
	static const uint8_t ecn[8] = {
		INET_ECN_ECT_0, INET_ECN_ECT_1, INET_ECN_NOT_ECT,
		INET_ECN_ECT_1, INET_ECN_ECT_0, INET_ECN_ECT_1, INET_ECN_CE,
		INET_ECN_ECT_1,
	};
	return ecn[ace & 7];
}

/* tcp_ect_transition_valid: could a path have turned snt into rcv? */
static bool tcp_ect_transition_valid(uint8_t snt, uint8_t rcv)
{
	if (rcv == snt)
		return true;
	if (snt == INET_ECN_NOT_ECT || rcv == INET_ECN_NOT_ECT)
		return false;
	return snt != INET_ECN_CE;
}

static bool tcp_accecn_validate_syn_feedback(struct sock *sk, uint8_t ace,
					     uint8_t sent_ect)
{
	if (!sk->ns->sysctl.tcp_ecn_fallback)
		return true;
	if (!tcp_ect_transition_valid(sent_ect,
				      tcp_accecn_extract_syn_ect(ace))) {
		sk->acc.fail_mode |= TCP_ACCECN_ACE_FAIL_RECV;
		return false;
	}
	return true;
}

static uint32_t get_be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* tcp_accecn_option_init: the first option seen; zeroed counters where
 * the first and third field start above zero mean a middlebox cleared
 * them */
static uint8_t tcp_accecn_option_init(const uint8_t *opt)
{
	int optlen = opt[1] - 2;

	if (optlen < TCPOLEN_ACCECN_PERFIELD)
		return TCP_ACCECN_OPT_EMPTY_SEEN;
	if (get_be24(opt + 2) == 0)
		return TCP_ACCECN_OPT_FAIL_SEEN;
	if (optlen < TCPOLEN_ACCECN_PERFIELD * 3)
		return TCP_ACCECN_OPT_COUNTER_SEEN;
	if (get_be24(opt + 2 + 2 * TCPOLEN_ACCECN_PERFIELD) == 0)
		return TCP_ACCECN_OPT_FAIL_SEEN;
	return TCP_ACCECN_OPT_COUNTER_SEEN;
}

static void tcp_accecn_saw_opt_fail_recv(struct sock *sk, uint8_t saw)
{
	sk->acc.saw_opt = saw;
	if (saw == TCP_ACCECN_OPT_FAIL_SEEN)
		sk->acc.fail_mode |= TCP_ACCECN_OPT_FAIL_RECV;
}

/* ------------------------------------------------------------ handshake */

/* tcp_ecn_send_syn, and the fallback of a retransmitted SYN
 * (tcp_ecn_clear_syn): classic ECN stops asking on the first
 * retransmission, AccECN asks once more (RFC 9768 3.1.4.1), both only
 * with tcp_ecn_fallback. The mode itself waits for the SYN-ACK. */
void tcp_ecn_send_syn(struct sock *sk, uint16_t *flags)
{
	int tcp_ecn = sk->ns->sysctl.tcp_ecn;
	bool fallback = sk->ns->sysctl.tcp_ecn_fallback != 0;

	if (!sk->retransmits) {
		bool use_accecn = tcp_ecn == TCP_ECN_IN_ACCECN_OUT_ACCECN;
		bool use_ecn = tcp_ecn == TCP_ECN_IN_ECN_OUT_ECN ||
			       tcp_ecn == TCP_ECN_IN_ACCECN_OUT_ECN ||
			       use_accecn;

		sk->ecn_flags = 0;
		tcp_accecn_init_counters(sk);
		if (use_accecn) {
			tcp_ecn_mode_set(sk, TCP_ECN_OK | TCP_ECN_MODE_ACCECN);
			sk->acc.syn_ect_snt = sk_ecnfield(sk);
		} else if (use_ecn) {
			tcp_ecn_mode_set(sk, TCP_ECN_OK);
		} else {
			sk->ecn_ok = false;
		}
	} else if (tcp_ecn_mode_rfc3168(sk) && fallback) {
		/* netdrill keeps 6.18's classic rule: the mode goes too */
		tcp_ecn_mode_set(sk, 0);
	}
	if (tcp_ecn_mode_pending(sk)) {
		if (!fallback || sk->retransmits < 2)
			*flags |= TCPHDR_ACE;
	} else if (tcp_ecn_mode_rfc3168(sk)) {
		*flags |= TCPHDR_ECE | TCPHDR_CWR;
	}
}

/* tcp_ecn_rcv_synack: what the SYN-ACK answers (RFC 9768 Table 2) */
void tcp_ecn_rcv_synack(struct sock *sk, const struct tcp_seg *seg)
{
	uint8_t ace = tcp_seg_ace(seg);

	if (!tcp_ecn_mode_any(sk))
		return;
	if (!tcp_ecn_mode_pending(sk)) {
		/* RFC 3168 6.1.1: ECE and not CWR */
		if (!(seg->flags & TCPHDR_ECE) || (seg->flags & TCPHDR_CWR))
			tcp_ecn_mode_set(sk, 0);
		return;
	}
	switch (ace) {
	case 0x0:	/* no ECN, or a broken server (111): */
	case 0x7:
		tcp_ecn_mode_set(sk, 0);
		break;
	case 0x1:	/* a classic ECN server */
		tcp_ecn_mode_set(sk, TCP_ECN_OK);
		break;
	default:
		/* 0x5 included: the selftests (serverside_accecn_disabled1)
		 * expect AccECN there */
		tcp_ecn_mode_set(sk, TCP_ECN_MODE_ACCECN);
		sk->acc.syn_ect_rcv = seg->tos & 3;
		sk->acc.prev_ecnfield = sk->acc.syn_ect_rcv;
		if (seg->accecn[0] &&
		    sk->acc.saw_opt < TCP_ACCECN_OPT_COUNTER_SEEN) {
			tcp_accecn_saw_opt_fail_recv(sk,
				tcp_accecn_option_init(seg->accecn));
			sk->acc.opt_demand = 2;
		}
		if ((seg->tos & 3) == INET_ECN_CE &&
		    tcp_accecn_validate_syn_feedback(sk, ace,
						     sk->acc.syn_ect_snt)) {
			sk->acc.received_ce++;
			sk->acc.received_ce_pending++;
		}
		/* the third ACK reflects the SYN-ACK's ECN field */
		sk->acc.ace_next = (uint16_t)(0x8000 |
			tcp_accecn_reflector_flags(sk->acc.syn_ect_rcv));
		break;
	}
}

/* tcp_accecn_syn_requested: a SYN with AE, CWR, ECE other than 000, 011
 * or 111... but 111 is AccECN itself: anything but 000 and 011 */
static bool tcp_accecn_syn_requested(const struct tcp_seg *seg)
{
	uint8_t ace = tcp_seg_ace(seg);

	return ace && ace != 0x3;
}

/* tcp_ecn_rcv_syn: a crossed SYN (simultaneous open) */
void tcp_ecn_rcv_syn(struct sock *sk, const struct tcp_seg *seg)
{
	if (tcp_ecn_mode_pending(sk)) {
		if (!tcp_accecn_syn_requested(seg)) {
			tcp_ecn_mode_set(sk, TCP_ECN_OK);
		} else {
			sk->acc.syn_ect_rcv = seg->tos & 3;
			sk->acc.prev_ecnfield = sk->acc.syn_ect_rcv;
			tcp_ecn_mode_set(sk, TCP_ECN_MODE_ACCECN);
		}
	}
	if (tcp_ecn_mode_rfc3168(sk) &&
	    (seg->flags & (TCPHDR_ECE | TCPHDR_CWR)) !=
		    (TCPHDR_ECE | TCPHDR_CWR))
		tcp_ecn_mode_set(sk, 0);
}

/* tcp_ecn_create_request: a SYN for a listener. AccECN with tcp_ecn 3, 4
 * or 5; classic ECN with any other non-zero mode, for ECE+CWR in a
 * not-ECT SYN (RFC 3168 6.1.1). */
void tcp_ecn_create_request(struct sock *sk, const struct tcp_seg *seg)
{
	int tcp_ecn = sk->ns->sysctl.tcp_ecn;

	sk->ecn_flags = 0;
	sk->ecn_ok = false;
	tcp_accecn_init_counters(sk);
	if (tcp_accecn_syn_requested(seg) &&
	    tcp_ecn >= TCP_ECN_IN_ACCECN_OUT_ACCECN) {
		tcp_ecn_mode_set(sk, TCP_ECN_MODE_ACCECN);
		sk->acc.syn_ect_rcv = seg->tos & 3;
		return;
	}
	if ((seg->flags & (TCPHDR_ECE | TCPHDR_CWR)) ==
		    (TCPHDR_ECE | TCPHDR_CWR) &&
	    tcp_ecn && !(seg->tos & 3))
		tcp_ecn_mode_set(sk, TCP_ECN_OK);
}

/* tcp_ecn_make_synack and tcp_ecn_send_synack: the ECN flags of a
 * SYN-ACK. AccECN reflects the SYN's ECN field; a SYN-ACK retransmitted
 * after its first retransmission also timed out goes without (RFC 9768
 * 3.2.3.2.2). */
uint16_t tcp_ecn_make_synack(struct sock *sk, bool timer_rtx)
{
	sk->acc.syn_ect_snt = sk_ecnfield(sk);
	if (tcp_ecn_mode_accecn(sk)) {
		if (timer_rtx && sk->retransmits >= 1) {
			sk->acc.fail_mode |= TCP_ACCECN_ACE_FAIL_SEND;
			return 0;
		}
		return tcp_accecn_reflector_flags(sk->acc.syn_ect_rcv);
	}
	if (tcp_ecn_mode_rfc3168(sk))
		return TCPHDR_ECE;
	return 0;
}

/* tcp_check_req, a retransmitted SYN: the SYN-ACK sent again reflects
 * its ECN field; a SYN without the ACE flags means the client gave up on
 * them, so ours are not trusted either (TCP_ACCECN_ACE_FAIL_RECV). */
void tcp_ecn_syn_recv_rcv_syn(struct sock *sk, const struct tcp_seg *seg)
{
	if (!tcp_ecn_mode_accecn(sk))
		return;
	sk->acc.syn_ect_rcv = seg->tos & 3;
	if (tcp_seg_ace(seg) == 0)
		sk->acc.fail_mode |= TCP_ACCECN_ACE_FAIL_RECV;
}

/* tcp_accecn_third_ack: what the handshake's last ACK says of the
 * SYN-ACK's ECN field (RFC 9768 Table 4) */
static void tcp_accecn_third_ack(struct sock *sk, const struct tcp_seg *seg,
				 uint8_t sent_ect)
{
	uint8_t ace = tcp_seg_ace(seg);

	switch (ace) {
	case 0x0:
		sk->acc.fail_mode |= TCP_ACCECN_ACE_FAIL_RECV;
		break;
	case 0x7:
	case 0x5:
	case 0x1:
		break;	/* unused but legal */
	default:
		/* only the first, non-data ACK tells */
		if (seg->seq == seg->end_seq && !seg->num_sacks &&
		    tcp_accecn_validate_syn_feedback(sk, ace, sent_ect) &&
		    tcp_accecn_extract_syn_ect(ace) == INET_ECN_CE &&
		    !sk->delivered_ce)
			sk->delivered_ce++;
		break;
	}
}

static void tcp_ecn_received_counters(struct sock *sk,
				      const struct tcp_seg *seg, uint32_t len);
static void tcp_accecn_opt_demand_min(struct sock *sk, uint8_t min);

/* tcp_ecn_openreq_child: the ACK that ends a passive open */
void tcp_ecn_openreq_child(struct sock *sk, const struct tcp_seg *seg)
{
	if (!tcp_ecn_mode_accecn(sk))
		return;
	tcp_accecn_third_ack(sk, seg, sk->acc.syn_ect_snt);
	if (seg->accecn[0])
		tcp_accecn_saw_opt_fail_recv(sk,
					     tcp_accecn_option_init(seg->accecn));
	sk->acc.prev_ecnfield = sk->acc.syn_ect_rcv;
	sk->acc.opt_demand = 1;
	tcp_ecn_received_counters(sk, seg, seg->len);
}

/* tcp_validate_incoming -> tcp_send_challenge_ack(sk, accecn_reflector):
 * a SYN in a synchronized AccECN state is answered with the reflector of
 * its own ECN field, and an option owed */
void tcp_ecn_challenge_reflect(struct sock *sk, const struct tcp_seg *seg)
{
	if (!tcp_ecn_mode_accecn(sk) || !(seg->flags & TCPHDR_SYN))
		return;
	tcp_accecn_opt_demand_min(sk, 1);
	sk->acc.syn_ect_rcv = seg->tos & 3;
	sk->acc.ace_next = (uint16_t)(0x8000 |
		tcp_accecn_reflector_flags(sk->acc.syn_ect_rcv));
}

/* ------------------------------------------------------------ receive */

/* tcp_ecnfield_to_accecn_optfield: how many fields (in order 1: e1b ceb
 * e0b) an option needs to carry this ECN field's counter */
static uint8_t tcp_ecnfield_to_accecn_optfield(uint8_t ecnfield)
{
	static const uint8_t n[4] = { 0, 1, 3, 2 };

	return n[ecnfield & 3];
}

static void tcp_accecn_opt_demand_min(struct sock *sk, uint8_t min)
{
	if (sk->acc.opt_demand < min)
		sk->acc.opt_demand = min;
}

/* tcp_ecn_received_counters: the CE packet counter (all segments, pure
 * ACKs too) and the byte counters (payload only) */
static void tcp_ecn_received_counters(struct sock *sk,
				      const struct tcp_seg *seg, uint32_t len)
{
	uint8_t ecnfield = seg->tos & 3;
	bool is_ce = ecnfield == INET_ECN_CE;
	bool ecn_edge;

	if (ecnfield != INET_ECN_NOT_ECT) {
		uint32_t pcount = 0;

		if (is_ce) {
			pcount = 1;
			if (seg->gso_size && len > seg->gso_size)
				pcount = (len + seg->gso_size - 1) /
					 seg->gso_size;
		}
		if (!tcp_ecn_mode_rfc3168(sk))
			sk->ecn_flags |= TCP_ECN_SEEN;
		sk->acc.received_ce += pcount;
		sk->acc.received_ce_pending += pcount;
		if (sk->acc.received_ce_pending > 0xf)
			sk->acc.received_ce_pending = 0xf;
		if (len > 0) {
			uint32_t *cnt = &sk->acc.received_ecn_bytes[ecnfield - 1];
			uint32_t old = *cnt;
			uint8_t minlen = tcp_ecnfield_to_accecn_optfield(ecnfield);

			*cnt += len;
			if (sk->acc.minlen < minlen)
				sk->acc.minlen = minlen;
			/* an option at least once per 2^22 bytes */
			if ((*cnt ^ old) & 0xffc00000U)
				tcp_accecn_opt_demand_min(sk, 1);
		}
	}
	ecn_edge = sk->acc.prev_ecnfield != ecnfield;
	if (ecn_edge || is_ce) {
		sk->acc.prev_ecnfield = ecnfield;
		/* change-triggered ACKs: two, so that the second tells the
		 * new field for sure */
		if (tcp_ecn_mode_accecn(sk)) {
			if (ecn_edge)
				sk->ack_pending |= ICSK_ACK_NOW;
			sk->acc.opt_demand = 2;
		}
	}
}

/* tcp_ecn_received_counters_payload, for every acceptable segment of an
 * AccECN connection */
void tcp_ecn_received_counters_payload(struct sock *sk,
				       const struct tcp_seg *seg)
{
	if (tcp_ecn_mode_accecn(sk))
		tcp_ecn_received_counters(sk, seg, seg->len);
}

/* tcp_accecn_optfield_to_ecnfield */
static uint8_t tcp_accecn_optfield_to_ecnfield(unsigned int i, bool order1)
{
	static const uint8_t f[2][3] = {
		{ INET_ECN_ECT_0, INET_ECN_CE, INET_ECN_ECT_1 },
		{ INET_ECN_ECT_1, INET_ECN_CE, INET_ECN_ECT_0 },
	};
	return f[order1][i % 3];
}

static uint32_t tcp_accecn_field_init_offset(uint8_t ecnfield)
{
	switch (ecnfield & 3) {
	case INET_ECN_ECT_1: return TCP_ACCECN_E1B_INIT_OFFSET;
	case INET_ECN_CE: return TCP_ACCECN_CEB_INIT_OFFSET;
	case INET_ECN_ECT_0: return TCP_ACCECN_E0B_INIT_OFFSET;
	default: return 0;
	}
}

/* tcp_update_ecn_bytes: a 24-bit counter from the option into our 32-bit
 * one, the change sign-extended from 24 bits */
static int32_t tcp_update_ecn_bytes(uint32_t *cnt, const uint8_t *field,
				    uint32_t init_offset)
{
	uint32_t truncated = (get_be24(field) - init_offset) & 0xffffffU;
	uint32_t delta = (truncated - *cnt) & 0xffffffU;
	int32_t d = (delta & 0x800000U) ? (int32_t)(delta | 0xff000000U)
					: (int32_t)delta;

	*cnt += (uint32_t)d;
	return d;
}

/* tcp_accecn_process_option: true if the byte counters can be used */
static bool tcp_accecn_process_option(struct sock *sk,
				      const struct tcp_seg *seg,
				      uint32_t delivered_bytes)
{
	uint8_t estimate = sk->acc.est_ecnfield;
	bool ambiguous = false, first_changed = false, order1, res;
	const uint8_t *ptr;
	int optlen;

	if (sk->acc.fail_mode & TCP_ACCECN_OPT_FAIL_RECV)
		return false;
	if (!seg->accecn[0]) {
		if (!sk->acc.saw_opt) {
			/* too late to start after the counters may wrap */
			if (sk->bytes_sent >= (1U << 23) - 1)
				tcp_accecn_saw_opt_fail_recv(sk,
						TCP_ACCECN_OPT_FAIL_SEEN);
			return false;
		}
		if (estimate) {
			sk->acc.delivered_ecn_bytes[estimate - 1] +=
				delivered_bytes;
			return true;
		}
		return false;
	}
	ptr = seg->accecn;
	optlen = ptr[1] - 2;
	order1 = ptr[0] == TCPOPT_ACCECN1;
	if (sk->acc.saw_opt < TCP_ACCECN_OPT_COUNTER_SEEN)
		tcp_accecn_saw_opt_fail_recv(sk, tcp_accecn_option_init(ptr));
	ptr += 2;
	res = estimate != 0;
	for (unsigned int i = 0; i < 3; i++) {
		uint8_t ecnfield;
		int32_t delta;

		if (optlen < TCPOLEN_ACCECN_PERFIELD)
			break;
		ecnfield = tcp_accecn_optfield_to_ecnfield(i, order1);
		delta = tcp_update_ecn_bytes(
			&sk->acc.delivered_ecn_bytes[ecnfield - 1], ptr,
			tcp_accecn_field_init_offset(ecnfield));
		if (delta < 0) {
			res = false;
			ambiguous = true;
		}
		if (delta && ecnfield != estimate) {
			if (!first_changed) {
				sk->acc.est_ecnfield = ecnfield;
				first_changed = true;
			} else {
				res = false;
				ambiguous = true;
			}
		}
		optlen -= TCPOLEN_ACCECN_PERFIELD;
		ptr += TCPOLEN_ACCECN_PERFIELD;
	}
	if (ambiguous)
		sk->acc.est_ecnfield = 0;
	return res;
}

#define PKTS_ACKED_WEIGHT 6
#define PKTS_ACKED_PREC 6
#define ACK_COMP_THRESH 4

/* __tcp_accecn_process: how many more segments the peer saw CE-marked.
 * The ACE field counts them modulo 8; an ACK for more than 7 segments
 * may have wrapped it, and the byte counters (or how many segments ACKs
 * usually cover) decide between the smallest and the safe count.
 * netdrill has no fast path for AccECN segments (its header prediction
 * wants ECE and CWR clear), which is Linux's slow path: the result is
 * the same for an ACK whose ACE did not move. */
uint32_t tcp_accecn_process(struct sock *sk, const struct tcp_seg *seg,
			    uint32_t delivered_pkts, uint32_t delivered_bytes,
			    int *flag, int progress, int syn_acked)
{
	uint32_t old_ceb = sk->acc.delivered_ecn_bytes[INET_ECN_CE - 1];
	uint32_t delta, safe_delta, d_ceb, corrected_ace;
	bool opt_valid;

	(void)flag;
	if (!progress)
		return 0;
	opt_valid = tcp_accecn_process_option(sk, seg, delivered_bytes);
	if (delivered_pkts) {
		uint32_t ewma;

		if (!sk->acc.pkts_acked_ewma) {
			ewma = delivered_pkts << PKTS_ACKED_PREC;
		} else {
			ewma = sk->acc.pkts_acked_ewma;
			ewma = (((ewma << PKTS_ACKED_WEIGHT) - ewma) +
				(delivered_pkts << PKTS_ACKED_PREC)) >>
			       PKTS_ACKED_WEIGHT;
		}
		sk->acc.pkts_acked_ewma = ewma < 0xffff ? ewma : 0xffff;
	}
	if (syn_acked)
		return 0;	/* no ACE during the handshake */
	if (sk->acc.received_ce_pending >= TCP_ACCECN_ACE_MAX_DELTA)
		sk->ack_pending |= ICSK_ACK_NOW;
	corrected_ace = (uint32_t)tcp_seg_ace(seg) - TCP_ACCECN_CEP_INIT_OFFSET;
	delta = (corrected_ace - sk->delivered_ce) & TCP_ACCECN_CEP_ACE_MASK;
	if (delivered_pkts <= TCP_ACCECN_CEP_ACE_MASK)
		return delta;
	safe_delta = delivered_pkts -
		     ((delivered_pkts - delta) & TCP_ACCECN_CEP_ACE_MASK);
	if (opt_valid) {
		d_ceb = sk->acc.delivered_ecn_bytes[INET_ECN_CE - 1] - old_ceb;
		if (!d_ceb)
			return delta;
		if (delivered_pkts >= (TCP_ACCECN_CEP_ACE_MASK + 1) * 2 &&
		    (sk->sack_ok || sk->ca_state == TCP_CA_Open ||
		     sk->ca_state == TCP_CA_CWR)) {
			uint32_t est_d_cep;

			if (delivered_bytes <= d_ceb)
				return safe_delta;
			est_d_cep = (uint32_t)(((uint64_t)d_ceb *
						delivered_pkts +
						delivered_bytes - 1) /
					       delivered_bytes);
			delta += est_d_cep & ~(uint32_t)TCP_ACCECN_CEP_ACE_MASK;
			return safe_delta < delta ? safe_delta : delta;
		}
		if (d_ceb > delta * sk->mss_cache)
			return safe_delta;
		if (d_ceb < (safe_delta * sk->mss_cache) >>
				    TCP_ACCECN_SAFETY_SHIFT)
			return delta;
	} else if (sk->acc.pkts_acked_ewma >
		   (ACK_COMP_THRESH << PKTS_ACKED_PREC)) {
		return delta;
	}
	return safe_delta;
}

/* tcp_data_ecn_check (was __tcp_ecn_check_ce): the ECN field of a data
 * segment. In AccECN mode CE is fed back by the counters, not ECE. */
void tcp_data_ecn_check(struct sock *sk, const struct tcp_seg *seg)
{
	if (!tcp_ecn_mode_any(sk))
		return;
	switch (seg->tos & 3) {
	case INET_ECN_NOT_ECT:
		/* ECT before, not now: probably a retransmission */
		if (sk->ecn_flags & TCP_ECN_SEEN)
			tcp_enter_quickack_mode(sk, 2);
		break;
	case INET_ECN_CE:
		if (!(sk->ecn_flags & TCP_ECN_DEMAND_CWR) &&
		    tcp_ecn_mode_rfc3168(sk)) {
			tcp_enter_quickack_mode(sk, 2);
			sk->ecn_flags |= TCP_ECN_DEMAND_CWR;
		}
		if (tcp_ecn_mode_rfc3168(sk))
			sk->ecn_flags |= TCP_ECN_SEEN;
		break;
	default:
		if (tcp_ecn_mode_rfc3168(sk))
			sk->ecn_flags |= TCP_ECN_SEEN;
		break;
	}
}

/* tcp_ecn_accept_cwr: RFC 3168 only */
void tcp_ecn_accept_cwr(struct sock *sk, const struct tcp_seg *seg)
{
	if (tcp_ecn_mode_rfc3168(sk) && (seg->flags & TCPHDR_CWR)) {
		sk->ecn_flags &= (uint8_t)~TCP_ECN_DEMAND_CWR;
		if (seg->seq != seg->end_seq)
			sk->ack_pending |= ICSK_ACK_NOW;
	}
}

/* tcp_ecn_rcv_ecn_echo: ECE is an echo only in RFC 3168 mode */
bool tcp_ecn_rcv_ecn_echo(const struct sock *sk, const struct tcp_seg *seg)
{
	return (seg->flags & TCPHDR_ECE) && !(seg->flags & TCPHDR_SYN) &&
	       tcp_ecn_mode_rfc3168(sk);
}

/* tcp_rcv_spurious_retrans, its AccECN part: the same segment again right
 * after an ACK that carried the option with a DSACK suggests the path
 * drops ACKs with the option; stop sending it. */
void tcp_ecn_rcv_spurious_retrans(struct sock *sk, const struct tcp_seg *seg)
{
	if (tcp_ecn_mode_accecn(sk) && sk->acc.opt_sent_w_dsack &&
	    seg->seq == sk->duplicate_sack[0].start_seq)
		sk->acc.fail_mode |= TCP_ACCECN_OPT_FAIL_SEND;
}

/* ------------------------------------------------------------ send */

/* tcp_time_wait: a timewait socket answers with the TOS the socket had
 * (tw_tos: ECT(0) after AccECN's INET_ECN_xmit) and without AccECN, so
 * its ACKs carry no ACE (tcp_v4_timewait_ack) */
int tcp_ecn_tw_tos(const struct sock *sk)
{
	int tos = sk->tos < 0 ? 0 : sk->tos;

	if (tcp_ecn_mode_accecn(sk) &&
	    !(sk->acc.fail_mode & (TCP_ACCECN_ACE_FAIL_RECV |
				   TCP_ACCECN_ACE_FAIL_SEND)))
		return (tos & ~3) | INET_ECN_ECT_0;
	return sk->tos;
}

void tcp_ecn_time_wait(struct sock *sk)
{
	sk->tos = tcp_ecn_tw_tos(sk);
	tcp_ecn_mode_set(sk, 0);
}

/* tcp_ecn_send: ECN on a segment that is not a SYN. AccECN: every
 * segment is ECT(0) (unless the handshake showed ECT bleached) and
 * carries the CE packet counter in ACE, or a reflector owed by the
 * handshake. RFC 3168: new data is ECT(0) and carries a queued CWR;
 * ACKs and retransmissions are not ECT; ECE until the peer's CWR. */
void tcp_ecn_send(struct sock *sk, uint32_t seq, uint32_t len,
		  uint16_t *flags, int *ect)
{
	if (!tcp_ecn_mode_any(sk))
		return;
	if (tcp_ecn_mode_accecn(sk)) {
		/* not ECT once ACE=0 went either way in the handshake */
		if (!(sk->acc.fail_mode & (TCP_ACCECN_ACE_FAIL_RECV |
					   TCP_ACCECN_ACE_FAIL_SEND)))
			*ect = INET_ECN_ECT_0;
		*flags &= (uint16_t)~TCPHDR_ACE;
		if (sk->acc.ace_next) {
			*flags |= sk->acc.ace_next & TCPHDR_ACE;
			sk->acc.ace_next = 0;
		} else {
			*flags |= ace_flags(sk->acc.received_ce +
					    TCP_ACCECN_CEP_INIT_OFFSET);
			sk->acc.received_ce_pending = 0;
		}
		return;
	}
	if (len && !before(seq, sk->snd_nxt)) {
		*ect = INET_ECN_ECT_0;
		if (sk->ecn_flags & TCP_ECN_QUEUE_CWR) {
			sk->ecn_flags &= (uint8_t)~TCP_ECN_QUEUE_CWR;
			*flags |= TCPHDR_CWR;
		}
	}
	if (sk->ecn_flags & TCP_ECN_DEMAND_CWR)
		*flags |= TCPHDR_ECE;
}

/* tcp_options_fit_accecn: the most fields (at least required) that fit
 * in remaining bytes, padded to 32 bits unless the padding can be shared
 * with what follows (max_combine_saving bytes: the NOPs before SACK, or
 * before wscale); with SACK blocks, one block may give way so that the
 * required fields fit. Returns the bytes taken, 0 and *nfields -1 if it
 * does not fit. */
static int tcp_options_fit_accecn(int required, int remaining,
				  int max_combine_saving, int *num_sacks,
				  int *nfields)
{
	int size = TCP_ACCECN_MAXSIZE, reduce = 0, rem = remaining;
	int n = TCP_ACCECN_NUMFIELDS;

	while (n >= required) {
		int align = (size & 3) > max_combine_saving ? (size + 3) & ~3
							     : size & ~3;

		if (rem >= align) {
			size = align;
			break;
		} else if (n == required && num_sacks && *num_sacks > 2 &&
			   required > 0) {
			(*num_sacks)--;
			reduce++;
			rem += 8;
			n = TCP_ACCECN_NUMFIELDS;
			size = TCP_ACCECN_MAXSIZE;
			continue;
		}
		n--;
		size -= TCPOLEN_ACCECN_PERFIELD;
	}
	if (reduce > 0) {
		if (n >= required)
			size -= reduce * 8;
		else
			*num_sacks += reduce;
	}
	if (n < required) {
		*nfields = -1;
		return 0;
	}
	*nfields = n;
	return size;
}

/* tcp_accecn_option_beacon_check: with tcp_ecn_option_beacon N, an
 * option at least N times per RTT */
static bool tcp_accecn_option_beacon_check(const struct sock *sk)
{
	int beacon = sk->ns->sysctl.tcp_ecn_option_beacon;

	if (!beacon)
		return false;
	return (sk->ns->now - sk->acc.opt_tstamp) * beacon >=
	       (int64_t)(sk->srtt_us >> 3);
}

/* tcp_established_options, the AccECN part: after the timestamps and the
 * SACK blocks (size bytes so far). Returns the bytes the option takes. */
int tcp_ecn_established_option(struct sock *sk, int size, int *num_sacks,
			       int *nfields)
{
	int ecn_opt = sk->ns->sysctl.tcp_ecn_option;

	*nfields = -1;
	/* tcp_ecn_option 3 (persist) sends it even after a loss was seen */
	if (!tcp_ecn_mode_accecn(sk) || !ecn_opt || !sk->acc.saw_opt ||
	    (ecn_opt < TCP_ACCECN_OPTION_PERSIST &&
	     (sk->acc.fail_mode & TCP_ACCECN_OPT_FAIL_SEND)))
		return 0;
	if (ecn_opt < TCP_ACCECN_OPTION_FULL && !sk->acc.opt_demand &&
	    !tcp_accecn_option_beacon_check(sk))
		return 0;
	return tcp_options_fit_accecn(sk->acc.minlen, 40 - size,
				      *num_sacks > 0 ? 2 : 0, num_sacks,
				      nfields);
}

/* tcp_synack_options, the AccECN part: the first SYN-ACK only, counters
 * at their initial values */
int tcp_ecn_synack_option(const struct sock *sk, int size, bool sack_alone,
			  bool wscale)
{
	int nfields;

	if (!tcp_ecn_mode_accecn(sk) || !sk->ns->sysctl.tcp_ecn_option ||
	    sk->acc.synacks > 0 || 40 - size < TCPOLEN_ACCECN_BASE)
		return -1;
	tcp_options_fit_accecn(0, 40 - size, sack_alone ? 2 : wscale ? 1 : 0,
			       NULL, &nfields);
	return nfields;
}

/* tcp_options_write's bookkeeping for a segment without the option */
void tcp_ecn_option_not_sent(struct sock *sk)
{
	sk->acc.opt_sent_w_dsack = false;
}

/* tcp_options_write's bookkeeping after an option went out */
void tcp_ecn_option_sent(struct sock *sk, bool dsack)
{
	sk->acc.minlen = 0;
	sk->acc.opt_tstamp = sk->ns->now;
	if (sk->acc.opt_demand)
		sk->acc.opt_demand--;
	sk->acc.opt_sent_w_dsack = dsack;
}
