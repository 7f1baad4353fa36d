/* SPDX-License-Identifier: GPL-2.0-only */
/* trace_priv.h: how stack code reports to the structured trace (trace.c).
 *
 * TRACE_CALL(sk) at the top of a function records that the event went
 * through it (its Linux name, __func__) and nests what it calls below it;
 * TRACE_CALL_AS(sk, "name") names a Linux function this file folds into
 * the current one. TRACE_VALUES(sk, fmt, ...) records the values a
 * decision took ("size_goal=%u copy=%u"), inside the current function.
 * All of them cost one test of ns->trace_calls when the trace is off. */
#ifndef NETDRILL_TRACE_PRIV_H
#define NETDRILL_TRACE_PRIV_H

#include "nds_priv.h"

struct nds_trace_frame {
	struct nds *ns;
	int on;
};

void nds_trace_call(struct nds *ns, int fd, const char *fn);
void nds_trace_values(struct nds *ns, int fd, const char *fn,
		      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void nds_trace_emit(struct nds *ns, enum nds_trace_kind kind, int fd,
		    const char *name, const char *text, int64_t value,
		    int64_t old);
const char *tcp_timer_name(const struct nds_timer *t);
void nds_trace_sync_detail(struct nds *ns);

static inline struct nds_trace_frame nds_trace_enter(struct nds *ns, int fd,
						     const char *fn)
{
	struct nds_trace_frame f = { ns, 0 };

	if (__builtin_expect(ns->trace_calls, 0)) {
		nds_trace_call(ns, fd, fn);
		ns->trace_depth++;
		f.on = 1;
	}
	return f;
}

static inline void nds_trace_leave(struct nds_trace_frame *f)
{
	if (f->on)
		f->ns->trace_depth--;
}

#define NDS_TRACE_CAT2(a, b) a##b
#define NDS_TRACE_CAT(a, b) NDS_TRACE_CAT2(a, b)
#define TRACE_CALL_NS_AS(ns, fd, name)					\
	struct nds_trace_frame NDS_TRACE_CAT(nds_tf_, __LINE__)		\
	__attribute__((cleanup(nds_trace_leave), unused)) =		\
		nds_trace_enter((ns), (fd), (name))
/* Only when cond holds (a parked call's retry is not a new call). */
#define TRACE_CALL_NS_IF(cond, ns, fd, name)				\
	struct nds_trace_frame NDS_TRACE_CAT(nds_tf_, __LINE__)		\
	__attribute__((cleanup(nds_trace_leave), unused)) =		\
		(cond) ? nds_trace_enter((ns), (fd), (name)) :		\
		(struct nds_trace_frame){ (ns), 0 }
#define TRACE_CALL_AS(sk, name) TRACE_CALL_NS_AS((sk)->ns, (sk)->fd, name)
#define TRACE_CALL(sk) TRACE_CALL_AS(sk, __func__)
#define TRACE_CALL_NS(ns, fd) TRACE_CALL_NS_AS(ns, fd, __func__)

#define TRACE_VALUES(sk, ...)						\
	do {								\
		if (__builtin_expect((sk)->ns->trace_calls, 0))		\
			nds_trace_values((sk)->ns, (sk)->fd, __func__,	\
					 __VA_ARGS__);			\
	} while (0)
#define TRACE_VALUES_IN(sk, fn, ...)					\
	do {								\
		if (__builtin_expect((sk)->ns->trace_calls, 0))		\
			nds_trace_values((sk)->ns, (sk)->fd, fn,	\
					 __VA_ARGS__);			\
	} while (0)

#endif /* NETDRILL_TRACE_PRIV_H */
