/* SPDX-License-Identifier: GPL-2.0-only */
/* sock_errqueue.c: the socket error queue and its producers.
 *
 * Linux keeps, per socket, a queue of "error" skbs that recvmsg(...,
 * MSG_ERRQUEUE) hands out one at a time with an IP_RECVERR (IPv6:
 * IPV6_RECVERR) cmsg holding a struct sock_extended_err. Two producers are
 * modelled here:
 *
 *  - MSG_ZEROCOPY (net/core/skbuff.c msg_zerocopy_*, net/ipv4/tcp.c
 *    tcp_sendmsg_locked): every zerocopy send takes the next 32-bit
 *    notification ID (sk_zckey). A "ubuf_info" covers a range of IDs and is
 *    referenced by each skb holding its data plus the sendmsg in progress;
 *    when the last reference goes (the data was acknowledged, or purged) it
 *    queues SO_EE_ORIGIN_ZEROCOPY with ee_info..ee_data = first..last ID,
 *    merged into the queue's tail report when the IDs continue it
 *    (skb_zerocopy_notify_extend). A send appending to an unsent tail skb
 *    that already carries the previous range extends that range instead of
 *    starting a new one (msg_zerocopy_realloc). An aborted send gives its ID
 *    back. Each user buffer region becomes a page frag, and an skb holds at
 *    most MAX_SKB_FRAGS (17): a full skb is pushed (PSH) and a new one
 *    started (skb_zerocopy_iter_stream returning -EMSGSIZE).
 *    The embedded stack's "device" copies every frag before sending, as the
 *    tun device packetdrill runs against does (skb_orphan_frags_rx), so
 *    reports always carry SO_EE_CODE_ZEROCOPY_COPIED.
 *
 *  - SO_TIMESTAMPING transmit timestamps (net/core/sock.c
 *    sock_set_timestamping, net/ipv4/tcp.c tcp_tx_timestamp, net/core/
 *    skbuff.c __skb_tstamp_tx, net/ipv4/tcp_input.c tcp_ack_tstamp): a
 *    sendmsg that copied data marks the last byte of the write queue's tail
 *    skb (the "key"; a later send into the same unsent skb moves it). When
 *    a segment carrying the key leaves, SCM_TSTAMP_SCHED and SCM_TSTAMP_SND
 *    are queued (TX_SCHED / TX_SOFTWARE); when the cumulative ACK covers it,
 *    SCM_TSTAMP_ACK (TX_ACK). The reports carry ee_errno ENOMSG, origin
 *    SO_EE_ORIGIN_TIMESTAMPING, ee_info the type, ee_data the key minus
 *    sk_tskey with SOF_TIMESTAMPING_OPT_ID, and the payload of the segment
 *    (none with OPT_TSONLY), so that a short read sets MSG_TRUNC. The time
 *    in the SCM_TIMESTAMPING cmsg (only with SOF_TIMESTAMPING_SOFTWARE) is
 *    the virtual clock. Keys are kept by sequence number, which follows
 *    the key through tcp_fragment just as tcp_fragment_tstamp does. A
 *    SOL_SOCKET SO_TIMESTAMPING cmsg sets one call's recording flags
 *    (sock_cmsg_send). UDP datagrams are stamped (SCHED, SND) as they
 *    leave, keyed by a per-socket datagram counter with OPT_ID.
 *
 *  A user buffer at a bad (NULL) address makes the copy fault: -EFAULT
 *  when nothing was copied, else the bytes before it (sendmsg, recvmsg).
 *
 * Not modelled: SOF_TIMESTAMPING_OPT_STATS payloads, OPT_CMSG/OPT_PKTINFO
 * cmsgs, hardware stamps, the sk_rcvbuf limit on queued reports, the
 * page-granular sk_wmem_queued charge of zerocopy frags, and the loss of a
 * UDP datagram whose copy to user space faults (it stays queued here).
 */
#include "sock_errqueue.h"

#include "tcp_priv.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Flags newer than the host's <linux/net_tstamp.h> may be (Linux 6.18). */
#define NDS_SOF_OPT_ID_TCP (1 << 16)
#define NDS_SOF_MASK ((1 << 19) - 1)	/* up to SOF_TIMESTAMPING_TX_COMPLETION */
#define NDS_SOF_TX_RECORD (SOF_TIMESTAMPING_TX_HARDWARE | \
			   SOF_TIMESTAMPING_TX_SOFTWARE | \
			   SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_TX_ACK)

#define ZC_PAGE 4096u
#define COPY_FRAG_SIZE 32768u		/* sk_page_frag: 32 KB pages */
#define ZC_BYTE_LIMIT (1u << 19)	/* msg_zerocopy_realloc: a few TSO */

/* One MSG_ZEROCOPY notification range (struct ubuf_info_msgzc). */
struct ubuf_info {
	struct sock *sk;
	uint32_t id;		/* first notification ID */
	uint16_t len;		/* IDs covered; 0 after an aborted lone send */
	uint32_t bytelen;	/* bytes sent under it */
	int refcnt;		/* skbs holding it + the sendmsg in progress */
	bool zerocopy;		/* false once the data was copied */
};

/* Zerocopy state of one skb (skb_shinfo nr_frags and destructor_arg). */
struct skb_zcopy {
	struct ubuf_info *uarg;	/* NULL: only copied data */
	int nr_frags;
	uintptr_t frag_end;	/* user address after the last zerocopy frag */
	bool last_copy;		/* the last frag holds copied data */
};

/* One queued report (an skb on sk_error_queue). */
struct errq_entry {
	struct errq_entry *next;
	struct sock_extended_err ee;
	int64_t tstamp;		/* software timestamp, -1 if none */
	uint32_t len;		/* payload bytes, read like a datagram */
	uint8_t *data;
};

/* A byte whose transmission and acknowledgment are to be stamped. */
struct tx_key {
	struct tx_key *next;	/* ascending seq */
	uint32_t seq;		/* the byte (absolute sequence number) */
	uint32_t flags;		/* SOF_TIMESTAMPING_TX_* recorded for it */
	bool sent;
	uint32_t len;		/* payload of the last segment carrying it */
	uint8_t *data;
};

struct sock_errq {
	struct errq_entry *head, *tail;	/* sk_error_queue */
	bool zerocopy;			/* SOCK_ZEROCOPY */
	uint32_t zckey;			/* sk_zckey: next notification ID */
	struct ubuf_info *cur;		/* range of the sendmsg in progress */
	uint32_t send_start;		/* write_seq when it started */
	bool send_start_ok;		/* false: it started unconnected */
	bool ts_done;			/* tcp_tx_timestamp already ran */
	uint32_t call_tsflags;		/* sockc.tsflags of that sendmsg */
	uint32_t tsflags;		/* sk_tsflags */
	uint32_t tskey;			/* sk_tskey (OPT_ID base) */
	struct tx_key *keys;
};

/* ------------------------------------------------------------ helpers */

/* The socket's error queue state, made on first use; NULL when there is
 * no memory for it. */
static struct sock_errq *errq_get(struct sock *sk)
{
	if (!sk->errq)
		sk->errq = calloc(1, sizeof(*sk->errq));
	return sk->errq;
}

static void errq_entry_free(struct errq_entry *e);

static bool sock_is_dead(const struct sock *sk)
{
	return sk->orphan || sk->dead;
}

/* sk_error_queue tail insert + sk_error_report (wakes EPOLLERR waiters).
 * Without memory the report is lost, as in Linux when sock_queue_err_skb
 * or the skb allocation behind it fails. */
static void errq_queue(struct sock *sk, struct errq_entry *e)
{
	struct sock_errq *q = errq_get(sk);

	if (!q) {
		errq_entry_free(e);
		return;
	}
	if (q->tail)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	sk_wake(sk);
}

/* A report carrying a copy of len bytes of data; NULL without memory. */
static struct errq_entry *errq_entry_new(const void *data, uint32_t len)
{
	struct errq_entry *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->tstamp = -1;
	if (len) {
		e->data = malloc(len);
		if (!e->data) {
			free(e);
			return NULL;
		}
		memcpy(e->data, data, len);
		e->len = len;
	}
	return e;
}

static void errq_entry_free(struct errq_entry *e)
{
	free(e->data);
	free(e);
}

static size_t msg_len(const struct msghdr *msg)
{
	size_t n = 0;

	for (size_t i = 0; i < msg->msg_iovlen; i++)
		n += msg->msg_iov[i].iov_len;
	return n;
}

/* Bytes before the first non-empty buffer at a bad (NULL) address; *bad
 * tells whether there is one. */
static size_t msg_good_prefix(const struct msghdr *msg, bool *bad)
{
	size_t n = 0;

	*bad = false;
	for (size_t i = 0; i < msg->msg_iovlen; i++) {
		if (msg->msg_iov[i].iov_len && !msg->msg_iov[i].iov_base) {
			*bad = true;
			break;
		}
		n += msg->msg_iov[i].iov_len;
	}
	return n;
}

/* *out = msg cut to its first good bytes (a new iovec array). 0, or
 * -ENOMEM with *out = *msg. */
static int msg_cut(const struct msghdr *msg, size_t good, struct msghdr *out)
{
	struct iovec *iov = calloc(msg->msg_iovlen ? msg->msg_iovlen : 1,
				   sizeof(*iov));
	size_t k = 0;

	*out = *msg;
	if (!iov)
		return -ENOMEM;
	for (size_t i = 0; i < msg->msg_iovlen && good; i++, k++) {
		iov[k] = msg->msg_iov[i];
		if (iov[k].iov_len > good)
			iov[k].iov_len = good;
		good -= iov[k].iov_len;
	}
	out->msg_iov = iov;
	out->msg_iovlen = k;
	return 0;
}

/* ------------------------------------------------------------ options */

int sock_set_zerocopy(struct sock *sk, int val)
{
	/* TCP and UDP only (sock_setsockopt SO_ZEROCOPY) */
	if (sk->type != SOCK_STREAM && sk->type != SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (val < 0 || val > 1)
		return -EINVAL;
	if (!errq_get(sk))
		return -ENOMEM;
	sk->errq->zerocopy = val != 0;
	return 0;
}

/* sock_set_timestamping */
int sock_set_timestamping(struct sock *sk, const void *val, socklen_t len)
{
	struct so_timestamping ts = { 0, 0 };
	struct sock_errq *q;
	uint32_t flags;

	if (!val || len < sizeof(int))
		return -EINVAL;
	if (len == sizeof(ts))
		memcpy(&ts, val, sizeof(ts));
	else
		memcpy(&ts.flags, val, sizeof(int));
	flags = (uint32_t)ts.flags;
	if (flags & ~(uint32_t)NDS_SOF_MASK)
		return -EINVAL;
	if ((flags & NDS_SOF_OPT_ID_TCP) && !(flags & SOF_TIMESTAMPING_OPT_ID))
		return -EINVAL;
	q = errq_get(sk);
	if (!q)
		return -ENOMEM;
	if ((flags & SOF_TIMESTAMPING_OPT_ID) &&
	    !(q->tsflags & SOF_TIMESTAMPING_OPT_ID)) {
		if (sk->type == SOCK_STREAM) {
			if (sk->state == NDS_TCP_CLOSE ||
			    sk->state == NDS_TCP_LISTEN)
				return -EINVAL;
			q->tskey = (flags & NDS_SOF_OPT_ID_TCP) ? sk->write_seq
								: sk->snd_una;
		} else {
			q->tskey = 0;
		}
	}
	if ((flags & SOF_TIMESTAMPING_OPT_STATS) &&
	    !(flags & SOF_TIMESTAMPING_OPT_TSONLY))
		return -EINVAL;
	if (flags & SOF_TIMESTAMPING_BIND_PHC)
		return -EOPNOTSUPP;	/* no PTP clock on the virtual link */
	if (flags & SOF_TIMESTAMPING_OPT_STATS)
		nds_unsupported(sk->ns, "SOF_TIMESTAMPING_OPT_STATS "
				"(reports carry no statistics cmsg)");
	q->tsflags = flags;
	sk->timestamping = flags != 0;
	return 0;
}

int sock_errqueue_getsockopt(struct sock *sk, int name, void *val,
			     socklen_t *len)
{
	const struct sock_errq *q = sk->errq;
	struct so_timestamping ts = { 0, 0 };
	socklen_t n;

	if (!len || (int)*len < 0)
		return -EINVAL;
	if (name == SO_ZEROCOPY) {
		int v = q && q->zerocopy;
		n = *len < sizeof(v) ? *len : sizeof(v);
		memcpy(val, &v, n);
		*len = n;
		return 0;
	}
	ts.flags = q ? (int)q->tsflags : 0;
	n = *len < sizeof(ts) ? *len : sizeof(ts);
	memcpy(val, &ts, n);
	*len = n;
	return 0;
}

int sock_errqueue_clone(struct sock *child, const struct sock *parent)
{
	const struct sock_errq *p = parent->errq;
	struct sock_errq *q;

	if (!p)
		return 0;
	q = errq_get(child);
	if (!q)
		return -ENOMEM;
	q->zerocopy = p->zerocopy;
	q->tsflags = p->tsflags;
	q->tskey = p->tskey;
	return 0;
}

/* ------------------------------------------------------------ zerocopy */

/* A new notification range (msg_zerocopy_alloc); NULL without memory. */
static struct ubuf_info *zc_alloc(struct sock *sk, struct sock_errq *q,
				  size_t size)
{
	struct ubuf_info *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->sk = sk;
	u->id = q->zckey++;
	u->len = 1;
	u->bytelen = (uint32_t)size;
	u->refcnt = 1;
	/* the virtual device copies every frag, like tun */
	u->zerocopy = false;
	return u;
}

/* msg_zerocopy_realloc: extend the range on the unsent tail skb when this
 * send's ID continues it, else start a new one. */
static struct ubuf_info *zc_realloc(struct sock *sk, struct sock_errq *q,
				    size_t size, struct ubuf_info *prev)
{
	if (prev && prev->sk == sk) {
		uint64_t bytelen = (uint64_t)prev->bytelen + size;

		if (prev->len < UINT16_MAX - 1 && bytelen <= ZC_BYTE_LIMIT &&
		    prev->id + prev->len == q->zckey) {
			prev->len++;
			prev->bytelen = (uint32_t)bytelen;
			q->zckey++;
			prev->refcnt++;
			return prev;
		}
	}
	return zc_alloc(sk, q, size);
}

/* __msg_zerocopy_callback: the last reference went away. */
static void zc_complete(struct ubuf_info *u)
{
	struct sock *sk = u->sk;
	struct sock_errq *q = sk->errq;
	uint32_t lo = u->id, hi = u->id + u->len - 1;
	struct errq_entry *t, *e;

	if (!u->len || sock_is_dead(sk) || !q) {
		free(u);
		return;
	}
	t = q->tail;
	if (t && t->ee.ee_origin == SO_EE_ORIGIN_ZEROCOPY &&
	    (uint64_t)(t->ee.ee_data - t->ee.ee_info) + 1 + u->len <
		    (1ULL << 32) &&
	    lo == t->ee.ee_data + 1) {
		/* skb_zerocopy_notify_extend */
		t->ee.ee_data += u->len;
		sk_wake(sk);
	} else {
		e = errq_entry_new(NULL, 0);
		if (!e) {
			free(u);	/* no memory: the report is lost */
			return;
		}
		e->ee.ee_errno = 0;
		e->ee.ee_origin = SO_EE_ORIGIN_ZEROCOPY;
		e->ee.ee_info = lo;
		e->ee.ee_data = hi;
		if (!u->zerocopy)
			e->ee.ee_code |= SO_EE_CODE_ZEROCOPY_COPIED;
		errq_queue(sk, e);
	}
	free(u);
}

static void zc_put(struct ubuf_info *u)
{
	if (--u->refcnt == 0)
		zc_complete(u);
}

/* msg_zerocopy_put_abort: the send copied nothing; give its ID back. */
static void zc_abort(struct sock_errq *q, struct ubuf_info *u)
{
	q->zckey--;
	u->len--;
	zc_put(u);
}

/* Frags an skb that so far holds only copied data uses (page frags of
 * sk_page_frag, coalesced while they fit in one 32 KB page). */
static void zc_init_state(const struct sk_buff *skb, struct skb_zcopy *z)
{
	memset(z, 0, sizeof(*z));
	if (skb->len) {
		z->nr_frags = (int)((skb->len + COPY_FRAG_SIZE - 1) /
				    COPY_FRAG_SIZE);
		z->last_copy = true;
	}
}

/* How many of copy bytes at offset off of msg fit in z's frags, each user
 * page piece one frag unless it continues the last one on the same page
 * (__zerocopy_sg_from_iter, skb_can_coalesce). Updates z. */
static uint32_t zc_fit(struct skb_zcopy *z, const struct msghdr *msg,
		       size_t off, uint32_t copy)
{
	uint32_t taken = 0;

	for (size_t i = 0; i < msg->msg_iovlen && taken < copy; i++) {
		size_t l = msg->msg_iov[i].iov_len, n;
		uintptr_t addr;

		if (off >= l) {
			off -= l;
			continue;
		}
		addr = (uintptr_t)msg->msg_iov[i].iov_base + off;
		n = l - off < copy - taken ? l - off : copy - taken;
		off = 0;
		while (n) {
			size_t chunk = ZC_PAGE - addr % ZC_PAGE;

			if (chunk > n)
				chunk = n;
			if (!(z->frag_end && !z->last_copy &&
			      addr == z->frag_end && addr % ZC_PAGE)) {
				if (z->nr_frags >= MAX_SKB_FRAGS)
					return taken;
				z->nr_frags++;
			}
			z->last_copy = false;
			z->frag_end = addr + chunk;
			addr += chunk;
			n -= chunk;
			taken += (uint32_t)chunk;
		}
	}
	return taken;
}

uint32_t skb_zcopy_room(struct sock *sk, struct sk_buff *skb,
			const struct msghdr *msg, size_t off, uint32_t copy)
{
	struct ubuf_info *u = sk->errq ? sk->errq->cur : NULL;
	struct skb_zcopy *z = skb ? skb->zcopy : NULL;
	struct skb_zcopy tmp;

	if (!copy || !skb)
		return copy;
	if (u) {
		/* skb_zerocopy_iter_stream: one range per skb (-EEXIST),
		 * no frag left (-EMSGSIZE) */
		if (z && z->uarg && z->uarg != u)
			goto full;
		if (z)
			tmp = *z;
		else
			zc_init_state(skb, &tmp);
		if (!zc_fit(&tmp, msg, off, 1))
			goto full;
		return copy;
	}
	/* copying after zerocopy frags needs a frag of its own */
	if (z && !z->last_copy && z->nr_frags >= MAX_SKB_FRAGS)
		goto full;
	return copy;
full:
	/* tcp_mark_push, then a new segment */
	skb->tcp_flags |= TCPHDR_PSH;
	sk->pushed_seq = sk->write_seq;
	return 0;
}

uint32_t skb_zcopy_take(struct sock *sk, struct sk_buff *skb,
			const struct msghdr *msg, size_t off, uint32_t copy)
{
	struct ubuf_info *u = sk->errq ? sk->errq->cur : NULL;
	struct skb_zcopy *z = skb->zcopy;
	uint32_t n;

	if (!copy)
		return copy;
	if (!u) {
		if (z && !z->last_copy) {
			z->nr_frags++;
			z->last_copy = true;
			z->frag_end = 0;
		}
		return copy;
	}
	if (!z) {
		z = malloc(sizeof(*z));
		if (!z)
			return copy;	/* no memory: copied, not counted */
		zc_init_state(skb, z);
		skb->zcopy = z;
	}
	if (!z->uarg) {
		z->uarg = u;	/* skb_zcopy_set */
		u->refcnt++;
	}
	n = zc_fit(z, msg, off, copy);
	/* skb_zcopy_room made sure at least one byte fits */
	return n ? n : copy;
}

void skb_zcopy_clear(struct sk_buff *skb)
{
	struct skb_zcopy *z = skb->zcopy;

	if (!z)
		return;
	skb->zcopy = NULL;
	if (z->uarg)
		zc_put(z->uarg);
	free(z);
}

bool skb_zcopy(const struct sk_buff *skb)
{
	return skb->zcopy && skb->zcopy->uarg;
}

int skb_zcopy_split(struct sk_buff *skb, struct sk_buff *buff)
{
	struct skb_zcopy *z = skb->zcopy;

	if (!z || buff->zcopy)
		return 0;
	buff->zcopy = malloc(sizeof(*buff->zcopy));
	if (!buff->zcopy)
		return -ENOMEM;
	*buff->zcopy = *z;	/* frag count: an upper bound for the tail */
	if (z->uarg)
		z->uarg->refcnt++;
	return 0;
}

/* Every skb with bytes of this send holds the range (skb_zcopy_set); the
 * ones tcp_sendmsg's loop did not see, such as Fast Open SYN data, get it
 * here. */
static void zc_attach_range(struct sock *sk, struct sock_errq *q)
{
	uint32_t start = q->send_start_ok ? q->send_start : sk->iss;
	uint32_t end = sk->write_seq;
	struct sk_buff_head *qs[2] = { &sk->rtx_queue, &sk->write_queue };

	for (int i = 0; i < 2; i++) {
		for (struct sk_buff *skb = qs[i]->head; skb; skb = skb->next) {
			struct skb_zcopy *z = skb->zcopy;

			if (!skb->len || !after(skb->end_seq, start) ||
			    !before(skb->seq, end))
				continue;
			if (!z) {
				/* no memory: this skb does not hold the
				 * range, whose report may then come early */
				z = malloc(sizeof(*z));
				if (!z)
					continue;
				zc_init_state(skb, z);
				skb->zcopy = z;
			}
			if (z->uarg)
				continue;
			z->uarg = q->cur;
			q->cur->refcnt++;
		}
	}
}

/* ------------------------------------------------------------ timestamps */

static void tx_key_free(struct tx_key *k)
{
	free(k->data);
	free(k);
}

/* __skb_complete_tx_timestamp */
static void tstamp_report(struct sock *sk, struct sock_errq *q,
			  const struct tx_key *k, uint32_t type)
{
	bool tsonly = q->tsflags & SOF_TIMESTAMPING_OPT_TSONLY;
	struct errq_entry *e = errq_entry_new(k->data, tsonly ? 0 : k->len);

	if (!e)
		return;		/* no memory: __skb_tstamp_tx drops it too */
	e->ee.ee_errno = ENOMSG;
	e->ee.ee_origin = SO_EE_ORIGIN_TIMESTAMPING;
	e->ee.ee_info = type;
	if (q->tsflags & SOF_TIMESTAMPING_OPT_ID)
		e->ee.ee_data = sk->type == SOCK_STREAM ? k->seq - q->tskey
							: k->seq;
	e->tstamp = sk->ns->now;
	errq_queue(sk, e);
}

/* Mark byte seq with flags, replacing a key the same unsent skb carried
 * (one tskey per skb). */
static struct tx_key *tx_key_set(struct sock_errq *q,
				 const struct sk_buff *skb, uint32_t seq,
				 uint32_t flags)
{
	struct tx_key **pp = &q->keys, *k;

	while ((k = *pp)) {
		if (!k->sent && !before(k->seq, skb->seq) &&
		    before(k->seq, skb->end_seq)) {
			flags |= k->flags;
			*pp = k->next;
			tx_key_free(k);
			continue;
		}
		pp = &k->next;
	}
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;	/* no memory: this send is not stamped */
	k->seq = seq;
	k->flags = flags;
	for (pp = &q->keys; *pp && !after((*pp)->seq, seq); pp = &(*pp)->next)
		;
	k->next = *pp;
	*pp = k;
	return k;
}

/* tcp_tx_timestamp: the key goes on the last skb of the write queue or,
 * when a push already sent everything (a write cut short by the send
 * buffer), on the last one sent (the rtx queue's tail): that one is on
 * the wire, so only its ACK is still to report. */
void sock_tx_timestamp(struct sock *sk, size_t copied)
{
	struct sock_errq *q = sk->errq;
	struct sk_buff *skb = sk->write_queue.tail;
	bool sent = false;
	struct tx_key *k;
	uint32_t flags;

	if (!q || !copied)
		return;
	q->ts_done = true;
	flags = q->call_tsflags & NDS_SOF_TX_RECORD;
	if (!skb) {
		skb = sk->rtx_queue.tail;
		sent = true;
	}
	if (!flags || !skb || !skb->len)
		return;
	k = tx_key_set(q, skb, skb->seq + skb->len - 1, flags);
	if (k && sent) {
		/* no memory for the copy: the report goes without payload */
		k->data = malloc(skb->len);
		if (k->data) {
			memcpy(k->data, skb->data, skb->len);
			k->len = skb->len;
		}
		k->sent = true;
	}
}

void sock_tx_tstamp_xmit(struct sock *sk, uint32_t seq, uint8_t flags,
			 const uint8_t *data, uint32_t len)
{
	struct sock_errq *q = sk->errq;
	uint32_t dseq = seq + ((flags & TCPHDR_SYN) ? 1 : 0);

	if (!q || !q->keys || !len)
		return;
	for (struct tx_key *k = q->keys; k; k = k->next) {
		if (k->seq - dseq >= len)
			continue;
		free(k->data);
		k->data = malloc(len);
		k->len = k->data ? len : 0;	/* no memory: no payload */
		if (k->data)
			memcpy(k->data, data, len);
		k->sent = true;
		if (k->flags & SOF_TIMESTAMPING_TX_SCHED)
			tstamp_report(sk, q, k, SCM_TSTAMP_SCHED);
		if (k->flags & SOF_TIMESTAMPING_TX_SOFTWARE)
			tstamp_report(sk, q, k, SCM_TSTAMP_SND);
	}
}

void sock_tx_tstamp_acked(struct sock *sk, uint32_t prior_snd_una)
{
	struct sock_errq *q = sk->errq;
	struct tx_key *k;

	if (!q)
		return;
	while ((k = q->keys) && before(k->seq, sk->snd_una)) {
		q->keys = k->next;
		if ((k->flags & SOF_TIMESTAMPING_TX_ACK) &&
		    !before(k->seq, prior_snd_una))
			tstamp_report(sk, q, k, SCM_TSTAMP_ACK);
		tx_key_free(k);
	}
}

/* ------------------------------------------------------------ sendmsg */

static bool tcp_copies_now(const struct sock *sk)
{
	return (sk->state == NDS_TCP_ESTABLISHED ||
		sk->state == NDS_TCP_CLOSE_WAIT) &&
	       !sk->sk_err && !(sk->shutdown & SEND_SHUTDOWN);
}

/* sock_cmsg_send: a SOL_SOCKET SO_TIMESTAMPING cmsg sets this call's
 * recording flags. 1 if there is one, 0 if not, -EINVAL if malformed. */
static int cmsg_tsflags(const struct msghdr *msg, uint32_t *tsflags)
{
	int found = 0;

	if (!msg->msg_control || msg->msg_controllen < sizeof(struct cmsghdr))
		return 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR((struct msghdr *)msg); c;
	     c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
		uint32_t v;

		if (c->cmsg_len < sizeof(*c) ||
		    (uint8_t *)c + c->cmsg_len >
			    (uint8_t *)msg->msg_control + msg->msg_controllen)
			return -EINVAL;
		if (c->cmsg_level != SOL_SOCKET ||
		    c->cmsg_type != SO_TIMESTAMPING)
			continue;
		if (c->cmsg_len != CMSG_LEN(sizeof(v)))
			return -EINVAL;
		memcpy(&v, CMSG_DATA(c), sizeof(v));
		if (v & ~(uint32_t)NDS_SOF_TX_RECORD)
			return -EINVAL;
		*tsflags = (*tsflags & ~(uint32_t)NDS_SOF_TX_RECORD) | v;
		found = 1;
	}
	return found;
}

/* UDP: the datagram leaves at once; stamp it (__ip_append_data takes the
 * key from sk_tskey with OPT_ID). */
static void udp_tx_timestamp(struct sock *sk, struct sock_errq *q,
			     const struct msghdr *msg, size_t len)
{
	struct tx_key k;

	if (!(q->call_tsflags & (SOF_TIMESTAMPING_TX_SCHED |
				 SOF_TIMESTAMPING_TX_SOFTWARE |
				 SOF_TIMESTAMPING_TX_HARDWARE)))
		return;
	memset(&k, 0, sizeof(k));
	if (q->tsflags & SOF_TIMESTAMPING_OPT_ID)
		k.seq = q->tskey++;
	k.len = (uint32_t)len;
	k.data = malloc(len ? len : 1);
	if (!k.data)
		return;		/* no memory: this datagram is not stamped */
	for (size_t i = 0, off = 0; i < msg->msg_iovlen && off < len; i++) {
		size_t n = msg->msg_iov[i].iov_len;
		if (n > len - off)
			n = len - off;
		memcpy(k.data + off, msg->msg_iov[i].iov_base, n);
		off += n;
	}
	if (q->call_tsflags & SOF_TIMESTAMPING_TX_SCHED)
		tstamp_report(sk, q, &k, SCM_TSTAMP_SCHED);
	if (q->call_tsflags & SOF_TIMESTAMPING_TX_SOFTWARE)
		tstamp_report(sk, q, &k, SCM_TSTAMP_SND);
	free(k.data);
}

ssize_t sock_sendmsg_begin(struct sock *sk, const struct msghdr *msg,
			   int flags, struct nds_wait *wait,
			   struct msghdr *out)
{
	struct sock_errq *q = sk->errq;
	bool bad, fresh = !wait || !wait->started;
	size_t good, total;
	uint32_t tsflags = q ? q->tsflags : 0;
	int has_ts;

	if (!msg->msg_iov && msg->msg_iovlen)
		return -EFAULT;		/* import_iovec */
	good = msg_good_prefix(msg, &bad);
	has_ts = fresh ? cmsg_tsflags(msg, &tsflags) : 0;
	if (has_ts < 0)
		return -EINVAL;
	if (has_ts) {
		q = errq_get(sk);
		if (!q)
			return -ENOMEM;
	}

	if (bad) {
		/* copy_from_iter faults: UDP loses the datagram, TCP sends
		 * what came before the bad buffer */
		if (sk->type == SOCK_DGRAM)
			return -EFAULT;
		if (!good && tcp_copies_now(sk))
			return -EFAULT;
	}
	/* Before the connection is up nothing is copied yet, except by a
	 * Fast Open connect, which then sends its SYN without data
	 * (tcp_send_syn_data falls back when the copy faults). */
	sk->tfo.offered = msg_len(msg);
	if (bad) {
		if (msg_cut(msg, good, out))
			return -ENOMEM;
	} else {
		*out = *msg;
	}
	if (!q || !fresh)
		return 0;
	if (q->cur) {		/* left over by a call that never ended */
		zc_abort(q, q->cur);
		q->cur = NULL;
	}
	q->ts_done = false;
	q->call_tsflags = tsflags;
	q->send_start = sk->write_seq;
	q->send_start_ok = sk->state != NDS_TCP_CLOSE;
	total = msg_len(out);
	if ((flags & MSG_ZEROCOPY) && total && q->zerocopy) {
		struct sk_buff *tail = sk->write_queue.tail;

		if (sk->type == SOCK_STREAM)
			q->cur = zc_realloc(sk, q, total,
					    tail && tail->zcopy
						    ? tail->zcopy->uarg : NULL);
		else
			q->cur = zc_alloc(sk, q, total);
		if (!q->cur) {
			/* tcp_sendmsg_locked and __ip_append_data fail
			 * the call when the range cannot be allocated */
			if (out->msg_iov != msg->msg_iov)
				free(out->msg_iov);
			return -ENOBUFS;
		}
	}
	return 0;
}

ssize_t sock_sendmsg_end(struct sock *sk, const struct msghdr *msg, int flags,
			 struct nds_wait *wait, struct msghdr *out, ssize_t r)
{
	struct sock_errq *q = sk->errq;

	(void)flags;
	(void)wait;
	if (out->msg_iov != msg->msg_iov)
		free(out->msg_iov);
	if (!q)
		return r;
	if (q->cur && sk->type == SOCK_STREAM)
		zc_attach_range(sk, q);
	if (r == -NDS_EBLOCKED)
		return r;
	if (q->cur) {
		/* net_zcopy_put, or net_zcopy_put_abort if nothing went */
		if (r > 0)
			zc_put(q->cur);
		else
			zc_abort(q, q->cur);
		q->cur = NULL;
	}
	/* tcp_tx_timestamp on the paths that left before the final push */
	if (sk->type == SOCK_STREAM && r > 0 && !q->ts_done)
		sock_tx_timestamp(sk, (size_t)r);
	if (sk->type == SOCK_DGRAM && r >= 0)
		udp_tx_timestamp(sk, q, out, (size_t)r);
	q->ts_done = false;
	return r;
}

/* ------------------------------------------------------------ recvmsg */

ssize_t sock_recvmsg_begin(struct sock *sk, struct msghdr *msg, int flags,
			   struct msghdr *out)
{
	bool bad;
	size_t good;

	*out = *msg;
	if (!msg->msg_iov && msg->msg_iovlen)
		return -EFAULT;		/* import_iovec */
	good = msg_good_prefix(msg, &bad);
	if (!bad)
		return 0;
	if (sk->type == SOCK_DGRAM)	/* any bad buffer faults the copy */
		return sk->udp_q ? -EFAULT : 0;
	if (flags & MSG_TRUNC)
		return 0;
	if (!good) {
		/* skb_copy_datagram_msg faults once there is data to copy */
		if (sk->state != NDS_TCP_LISTEN && tcp_inq(sk) > 0)
			return -EFAULT;
		return 0;
	}
	return msg_cut(msg, good, out);
}

void sock_recvmsg_end(struct msghdr *msg, struct msghdr *out)
{
	msg->msg_flags = out->msg_flags;
	msg->msg_controllen = out->msg_controllen;
	msg->msg_namelen = out->msg_namelen;
	if (out->msg_iov != msg->msg_iov)
		free(out->msg_iov);
}

/* put_cmsg: append one control message, truncating with MSG_CTRUNC. */
static void put_cmsg(struct msghdr *msg, size_t *used, int level, int type,
		     const void *data, size_t len)
{
	size_t room = msg->msg_control ? msg->msg_controllen - *used : 0;
	struct cmsghdr h;
	size_t cmlen = CMSG_LEN(len), n;
	uint8_t *p;

	if (!msg->msg_control || room < sizeof(h)) {
		msg->msg_flags |= MSG_CTRUNC;
		return;
	}
	if (room < cmlen) {
		msg->msg_flags |= MSG_CTRUNC;
		cmlen = room;
	}
	p = (uint8_t *)msg->msg_control + *used;
	h.cmsg_len = cmlen;
	h.cmsg_level = level;
	h.cmsg_type = type;
	memcpy(p, &h, sizeof(h));
	n = cmlen - CMSG_LEN(0);
	memcpy(CMSG_DATA((struct cmsghdr *)p), data, n);
	n = CMSG_SPACE(len);
	*used += n < room ? n : room;
}

/* inet_recv_error -> ip_recv_error / ipv6_recv_error */
ssize_t sock_recv_error(struct sock *sk, struct msghdr *msg, int flags)
{
	struct sock_errq *q = sk->errq;
	struct errq_entry *e = q ? q->head : NULL;
	size_t len, copied, done = 0, used = 0;

	(void)flags;
	if (!msg->msg_iov && msg->msg_iovlen)
		return -EFAULT;		/* import_iovec */
	if (!e)
		return -EAGAIN;
	len = msg_len(msg);
	q->head = e->next;
	if (!q->head)
		q->tail = NULL;
	msg->msg_flags = 0;
	copied = e->len;
	if (copied > len) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}
	for (size_t i = 0; i < msg->msg_iovlen && done < copied; i++) {
		size_t n = msg->msg_iov[i].iov_len;

		if (n > copied - done)
			n = copied - done;
		if (n && !msg->msg_iov[i].iov_base) {
			errq_entry_free(e);	/* the report is lost */
			return -EFAULT;
		}
		memcpy(msg->msg_iov[i].iov_base, e->data + done, n);
		done += n;
	}
	if (msg->msg_name)
		msg->msg_namelen = 0;	/* no address for local reports */
	if (e->tstamp >= 0 && (q->tsflags & SOF_TIMESTAMPING_SOFTWARE)) {
		struct timespec ts[3];

		memset(ts, 0, sizeof(ts));
		ts[0].tv_sec = (time_t)(e->tstamp / USEC_PER_SEC);
		ts[0].tv_nsec = (long)(e->tstamp % USEC_PER_SEC) * 1000;
		put_cmsg(msg, &used, SOL_SOCKET, SCM_TIMESTAMPING, ts,
			 sizeof(ts));
	}
	if (sk->family == AF_INET6) {
		struct {
			struct sock_extended_err ee;
			struct sockaddr_in6 offender;
		} h6;

		memset(&h6, 0, sizeof(h6));
		h6.ee = e->ee;
		put_cmsg(msg, &used, SOL_IPV6, IPV6_RECVERR, &h6, sizeof(h6));
	} else {
		struct {
			struct sock_extended_err ee;
			struct sockaddr_in offender;
		} h4;

		memset(&h4, 0, sizeof(h4));
		h4.ee = e->ee;
		put_cmsg(msg, &used, SOL_IP, IP_RECVERR, &h4, sizeof(h4));
	}
	if (msg->msg_control)
		msg->msg_controllen = used;
	msg->msg_flags |= MSG_ERRQUEUE;
	errq_entry_free(e);
	if (q->head)
		sk_wake(sk);	/* sock_dequeue_err_skb: more to report */
	return (ssize_t)copied;
}

/* ------------------------------------------------------------ life */

unsigned int sock_errqueue_poll(const struct sock *sk)
{
	return sk->errq && sk->errq->head ? POLLERR : 0;
}

void sock_errqueue_destroy(struct sock *sk)
{
	struct sock_errq *q = sk->errq;

	if (!q)
		return;
	if (q->cur) {
		q->cur->len = 0;
		zc_put(q->cur);
		q->cur = NULL;
	}
	while (q->head) {
		struct errq_entry *e = q->head;
		q->head = e->next;
		errq_entry_free(e);
	}
	while (q->keys) {
		struct tx_key *k = q->keys;
		q->keys = k->next;
		tx_key_free(k);
	}
	free(q);
	sk->errq = NULL;
}
