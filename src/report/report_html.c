/* SPDX-License-Identifier: GPL-2.0-only */
/* report_html.c: --report=FILE.html (report_html.h). Everything is drawn
 * here as inline SVG from the trace records; the page loads nothing.
 *
 * Elements the browser test (gtests/report/report.test) reads back:
 *   #ladder g.arrow            one per packet (class scripted, unscripted,
 *                              failed; data-dir in/out)
 *   #tsg, .plot svg            each with circle.pt points
 *   #script li.passed/.failed/.notreached
 *   #calls details             the call path folded per event */
#include "report_html.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"
#include "script.h"
#include "trace.h"

static bool before_eq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

void report_html_esc(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++) {
		switch (s[i]) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(s[i], f);
		}
	}
}

static void escs(FILE *f, const char *s)
{
	report_html_esc(f, s ? s : "", s ? strlen(s) : 0);
}

/* The script line a failure names: "path:LINE: ..." on the first line. */
static int failing_line(const char *error)
{
	const char *p;

	if (!error)
		return 0;
	for (p = error; *p && *p != '\n'; p++) {
		if (*p == ':' && p[1] >= '0' && p[1] <= '9') {
			char *end;
			long n = strtol(p + 1, &end, 10);

			if (*end == ':')
				return (int)n;
		}
	}
	return 0;
}

const char *const report_html_css =
	"body{font:14px/1.4 sans-serif;margin:1em 2em;color:#222}"
	"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;"
	"border-bottom:1px solid #ccc}"
	".verdict{display:inline-block;padding:2px 10px;border-radius:4px;"
	"color:#fff;font-weight:bold}.pass{background:#2a7d2a}"
	".fail{background:#b22}pre{background:#f6f6f6;padding:6px;"
	"overflow:auto}"
	"#script ol{font:12px monospace;background:#fafafa;padding-left:4em}"
	"#script li{white-space:pre}#script li.passed{background:#e6f5e6}"
	"#script li.failed{background:#fbdada;font-weight:bold}"
	"#script li.notreached{color:#999}"
	".why{white-space:pre-wrap;font:12px monospace;color:#900;"
	"background:#fff0f0;border-left:3px solid #b22;padding:4px}"
	"svg text{font:11px monospace}"
	".arrow line{stroke-width:1.4}.scripted line{stroke:#246}"
	".unscripted line{stroke:#999;stroke-dasharray:4 3}"
	".failed line{stroke:#d00;stroke-width:3}.failed text{fill:#d00;"
	"font-weight:bold}.arrow:hover text{fill:#06c}"
	".arrow text{paint-order:stroke;stroke:#fff;stroke-width:3px}"
	".plot{display:inline-block;margin:0 1em 1em 0;vertical-align:top}"
	"details{margin:2px 0}summary{cursor:pointer;font:12px monospace}"
	"details pre{margin:2px 0 6px 1.5em;font-size:12px}"
	".legend span{margin-right:1.5em}";

/* zoom(); and once laid out, each drawing's rendered size in data-bbox
 * (what the browser test reads back from the DOM). */
static const char *JS =
	"function zoom(id,f){var s=document.getElementById(id);"
	"var w=parseFloat(s.getAttribute('width'))*f;"
	"s.setAttribute('width',w);"
	"s.setAttribute('height',parseFloat(s.getAttribute('height'))*f);}"
	"window.addEventListener('load',function(){"
	"document.querySelectorAll('svg').forEach(function(s){"
	"var b=s.getBBox();s.setAttribute('data-bbox',"
	"Math.round(b.width)+'x'+Math.round(b.height));});"
	"document.body.setAttribute('data-arrows',"
	"document.querySelectorAll('#ladder g.arrow').length);});";

/* ------------------------------------------------------------ script */

static void write_script(FILE *f, const struct script *sc, int status,
			 const char *error)
{
	int fail = status ? failing_line(error) : 0;
	char *kind;
	int i;

	kind = calloc((size_t)sc->nlines + 2, 1);
	if (!kind)
		abort();
	for (i = 0; i < sc->nevents; i++) {
		const struct ast_event_span *ev = &sc->events[i];
		const struct ast_event *full = script_event_load(sc, i);
		int l, last = full ? full->loc.last_line : ev->line;

		ast_event_free(full);
		for (l = ev->line; l <= last && l <= sc->nlines; l++) {
			if (l < 1)
				continue;
			if (!status || (fail && ev->line < fail))
				kind[l] = 'p';
			else if (fail && ev->line == fail)
				kind[l] = 'f';
			else
				kind[l] = 'n';
		}
	}
	if (fail > 0 && fail <= sc->nlines)
		kind[fail] = 'f';
	fputs("<h2>Script</h2><div id=\"script\"><p class=\"legend\">"
	      "<span style=\"background:#e6f5e6\">passed</span>"
	      "<span style=\"background:#fbdada\">failed</span>"
	      "<span style=\"color:#999\">not reached</span></p><ol>\n", f);
	for (i = 1; i <= sc->nlines; i++) {
		size_t a = sc->line_starts[i - 1];
		size_t b = i < sc->nlines ? sc->line_starts[i] : sc->len;
		const char *cls = kind[i] == 'p' ? " class=\"passed\"" :
				  kind[i] == 'f' ? " class=\"failed\"" :
				  kind[i] == 'n' ? " class=\"notreached\"" : "";

		while (b > a && (sc->text[b - 1] == '\n' ||
				 sc->text[b - 1] == '\r'))
			b--;
		fprintf(f, "<li%s id=\"L%d\">", cls, i);
		report_html_esc(f, sc->text + a, b - a);
		if (b == a)
			fputs(" ", f);
		fputs("</li>\n", f);
		if (kind[i] == 'f' && error) {
			fputs("<div class=\"why\">expected vs actual:\n", f);
			escs(f, error);
			fputs("</div>\n", f);
		}
	}
	fputs("</ol></div>\n", f);
	free(kind);
}

/* ------------------------------------------------------------ packets */

struct pk {
	const struct trace_rec *r;
	bool tcp, inbound;
	uint8_t flags;
	uint32_t seq, ack, rel_seq, rel_ack, len;
	unsigned win;
	int wscale;		/* from a SYN's option, -1 none */
	char opts[160];
	uint32_t sack[8];	/* absolute */
	int nsack;
};

static void pk_fill(struct pk *k, const struct trace_rec *r)
{
	struct packet *p;
	char *err = NULL;

	memset(k, 0, sizeof(*k));
	k->r = r;
	k->inbound = r->inbound;
	k->wscale = -1;
	p = packet_parse(r->pkt, r->len, &err);
	free(err);
	if (!p)
		return;
	if (packet_tcp(p)) {
		const uint8_t *t = packet_tcp(p);
		struct tcp_option_iter it;
		struct tcp_option o;
		char *oerr = NULL;
		size_t n = 0;

		k->tcp = true;
		k->flags = tcph_flags(t);
		k->seq = tcph_seq(t);
		k->ack = tcph_ack_seq(t);
		k->rel_seq = r->rel_seq;
		k->rel_ack = r->rel_ack;
		k->len = (uint32_t)p->payload_len;
		k->win = tcph_window(t);
		int more = tcp_options_begin(p, &it, &o, &oerr);

		for (; more == 1; more = tcp_options_next(&it, &o, &oerr)) {
			{
				const uint8_t *d = p->buf + o.off;

				if (o.kind == 3 && o.len >= 3)
					k->wscale = d[2];
				if (o.kind == 5)
					for (int i = 2; i + 8 <= o.len &&
					     k->nsack < 8; i += 8) {
						k->sack[k->nsack++] =
							get_be32(d + i);
						k->sack[k->nsack++] =
							get_be32(d + i + 4);
					}
				if (n < sizeof(k->opts) - 16) {
					const char *nm =
						o.kind == 1 ? "nop" :
						o.kind == 2 ? "mss" :
						o.kind == 3 ? "wscale" :
						o.kind == 4 ? "sackOK" :
						o.kind == 5 ? "sack" :
						o.kind == 8 ? "TS" :
						o.kind == 34 ? "FO" : "opt";
					n += (size_t)snprintf(k->opts + n,
						sizeof(k->opts) - n, "%s%s",
						n ? "," : "", nm);
				}
			}
		}
		free(oerr);
	}
	packet_free(p);
}

static void flag_str(uint8_t f, char *o)
{
	if (f & TCPH_SYN) *o++ = 'S';
	if (f & TCPH_FIN) *o++ = 'F';
	if (f & TCPH_RST) *o++ = 'R';
	if (f & TCPH_PSH) *o++ = 'P';
	if (f & TCPH_ECE) *o++ = 'E';
	if (f & TCPH_CWR) *o++ = 'W';
	if (f & TCPH_ACK) *o++ = '.';
	*o = 0;
}

static void write_ladder(FILE *f, const struct pk *pks, int n)
{
	const int W = 900, L = 170, R = 730, top = 50, step = 24;
	int h = top + step * (n + 1), i;

	fprintf(f, "<h2>Ladder diagram</h2><p class=\"legend\">%d packets. "
		"<span style=\"color:#246\">&#9472; scripted</span>"
		"<span style=\"color:#999\">- - not in the script</span>"
		"<span style=\"color:#d00\">&#9473; the packet the failing "
		"line was about</span>"
		"<button onclick=\"zoom('ladder',1.25)\">+</button>"
		"<button onclick=\"zoom('ladder',0.8)\">&minus;</button></p>\n",
		n);
	fprintf(f, "<svg id=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n"
		"<defs><marker id=\"ah\" markerWidth=\"8\" markerHeight=\"8\" "
		"refX=\"7\" refY=\"3\" orient=\"auto\"><path d=\"M0,0 L7,3 "
		"L0,6 z\" fill=\"context-stroke\"/></marker></defs>\n"
		"<text x=\"%d\" y=\"20\" text-anchor=\"middle\">remote "
		"(script)</text><text x=\"%d\" y=\"20\" "
		"text-anchor=\"middle\">netdrill (system under test)</text>\n"
		"<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
		"<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
		"\n", W, h, W, h, L, R, L, L, h, R, R, h);
	for (i = 0; i < n; i++) {
		const struct pk *k = &pks[i];
		const struct trace_rec *r = k->r;
		int y = top + step * i;
		int x1 = k->inbound ? L : R, x2 = k->inbound ? R : L;
		const char *cls = r->scripted == 2 ? "failed" :
				  r->scripted ? "scripted" : "unscripted";
		char fl[12], label[320];

		flag_str(k->flags, fl);
		if (k->tcp)
			snprintf(label, sizeof(label), "%s %u:%u(%u) ack %u "
				 "win %u%s%s%s", fl, k->rel_seq,
				 k->rel_seq + k->len, k->len, k->rel_ack,
				 k->win, *k->opts ? " <" : "", k->opts,
				 *k->opts ? ">" : "");
		else
			snprintf(label, sizeof(label), "non-TCP, %zu bytes",
				 r->len);
		fprintf(f, "<g class=\"arrow %s\" data-dir=\"%s\" "
			"data-t=\"%.6f\" data-line=\"%d\"><title>%.6f s %s, "
			"%s%s", cls, k->inbound ? "in" : "out",
			r->t_us / 1e6, r->line, r->t_us / 1e6,
			k->inbound ? "injected" : "sent", r->scripted ?
			"script line " : "not in the script", "");
		if (r->scripted)
			fprintf(f, "%d%s", r->line, r->scripted == 2 ?
				" (failed on it)" : "");
		fprintf(f, "; abs seq %u ack %u</title>", k->seq, k->ack);
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"marker-end=\"url(#ah)\"/>", x1, y, x2,
			y + step - 8);
		fprintf(f, "<text x=\"4\" y=\"%d\">%.6f</text>", y + 10,
			r->t_us / 1e6);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
			(L + R) / 2, y + 6);
		escs(f, label);
		fprintf(f, "</text><text x=\"%d\" y=\"%d\">%s</text></g>\n",
			R + 8, y + 10, r->scripted ? "" : "unscripted");
	}
	fputs("</svg>\n", f);
}

/* ------------------------------------------------------------ plots */

struct series {
	const char *name;
	const char *color;
	double *t, *v;
	int n, cap;
	bool step;		/* a state: hold the value until the next */
	bool bars;		/* vertical segments from v to v2 */
	double *v2;
};

static void s_add(struct series *s, double t, double v, double v2)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->t = realloc(s->t, (size_t)s->cap * sizeof(double));
		s->v = realloc(s->v, (size_t)s->cap * sizeof(double));
		s->v2 = realloc(s->v2, (size_t)s->cap * sizeof(double));
		if (!s->t || !s->v || !s->v2)
			abort();
	}
	s->t[s->n] = t;
	s->v[s->n] = v;
	s->v2[s->n] = v2;
	s->n++;
}

static void s_free(struct series *s)
{
	free(s->t);
	free(s->v);
	free(s->v2);
}

/* One SVG plot of several series against time [t0, t1]. */
static void plot(FILE *f, const char *id, const char *title,
		 const char *ylabel, struct series *ss, int nss, double t0,
		 double t1, int W, int H)
{
	const int ml = 70, mr = 30, mt = 25, mb = 35;
	double vmin = 0, vmax = 1;
	int i, j, pw = W - ml - mr, ph = H - mt - mb;

	for (i = 0; i < nss; i++)
		for (j = 0; j < ss[i].n; j++) {
			if (ss[i].v[j] > vmax)
				vmax = ss[i].v[j];
			if (ss[i].bars && ss[i].v2[j] > vmax)
				vmax = ss[i].v2[j];
		}
	if (t1 <= t0)
		t1 = t0 + 1;
	vmax *= 1.05;
#define X(t) (ml + ((t) - t0) / (t1 - t0) * pw)
#define Y(v) (mt + ph - ((v) - vmin) / (vmax - vmin) * ph)
	fprintf(f, "<div class=\"plot\"><svg id=\"%s\" xmlns=\"http://www."
		"w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 "
		"%d %d\"><text x=\"%d\" y=\"15\" font-weight=\"bold\">", id,
		W, H, W, H, ml);
	escs(f, title);
	fprintf(f, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
		" fill=\"none\" stroke=\"#888\"/>", ml, mt, pw, ph);
	for (i = 0; i <= 4; i++) {
		double v = vmin + (vmax - vmin) * i / 4;
		double t = t0 + (t1 - t0) * i / 4;

		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f"
			"</text>", ml - 4, Y(v) + 4, v);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
			"%.3f</text>", X(t), H - mb + 14, t);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time "
		"(s)</text><text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 "
		"%d)\" text-anchor=\"middle\">", ml + pw / 2, H - 4,
		mt + ph / 2, mt + ph / 2);
	escs(f, ylabel);
	fputs("</text>", f);
	for (i = 0; i < nss; i++) {
		struct series *s = &ss[i];

		if (s->bars) {
			for (j = 0; j < s->n; j++)
				fprintf(f, "<line class=\"seg\" x1=\"%.1f\" "
					"y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
					"stroke=\"%s\" stroke-width=\"2\"/>"
					"<circle class=\"pt\" cx=\"%.1f\" "
					"cy=\"%.1f\" r=\"2\" fill=\"%s\">"
					"<title>%s %.6f s: %.0f-%.0f</title>"
					"</circle>",
					X(s->t[j]), Y(s->v[j]), X(s->t[j]),
					Y(s->v2[j]), s->color, X(s->t[j]),
					Y(s->v2[j]), s->color, s->name,
					s->t[j], s->v[j], s->v2[j]);
			continue;
		}
		if (s->n) {
			fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" "
				"stroke-width=\"1.5\" points=\"", s->color);
			for (j = 0; j < s->n; j++) {
				if (s->step && j)
					fprintf(f, "%.1f,%.1f ", X(s->t[j]),
						Y(s->v[j - 1]));
				fprintf(f, "%.1f,%.1f ", X(s->t[j]),
					Y(s->v[j]));
			}
			if (s->step)
				fprintf(f, "%.1f,%.1f", X(t1),
					Y(s->v[s->n - 1]));
			fputs("\"/>", f);
		}
		for (j = 0; j < s->n; j++)
			fprintf(f, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" "
				"r=\"2.5\" fill=\"%s\"><title>%s %.6f s: %.0f"
				"</title></circle>", X(s->t[j]), Y(s->v[j]),
				s->color, s->name, s->t[j], s->v[j]);
	}
	fputs("<g class=\"legend\">", f);
	for (i = 0; i < nss; i++)
		fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>",
			ml + 8 + 170 * i, mt + 14, ss[i].color, ss[i].name);
	fputs("</g></svg></div>\n", f);
#undef X
#undef Y
}

/* Time-sequence graph of the direction that carried the most data. */
static void write_tsg(FILE *f, const struct pk *pks, int n, double t0,
		      double t1)
{
	struct series ss[5] = {
		{ .name = "data", .color = "#246", .bars = true },
		{ .name = "retransmission", .color = "#d00", .bars = true },
		{ .name = "ACK", .color = "#2a7d2a", .step = true },
		{ .name = "receive window", .color = "#c80", .step = true },
		{ .name = "SACK", .color = "#a0a", .bars = true },
	};
	uint64_t out_bytes = 0, in_bytes = 0;
	bool data_in;
	uint32_t high = 0;
	int wscale = 0, i, k;
	bool have_high = false;

	for (i = 0; i < n; i++)
		if (pks[i].tcp) {
			if (pks[i].inbound)
				in_bytes += pks[i].len;
			else
				out_bytes += pks[i].len;
		}
	data_in = in_bytes > out_bytes;
	for (i = 0; i < n; i++) {
		const struct pk *p = &pks[i];
		double t = p->r->t_us / 1e6;

		if (!p->tcp)
			continue;
		if (p->inbound == data_in) {
			/* the data sender's window scale, as the receiver
			 * offers it: from the receiver's SYN */
			if (p->len) {
				uint32_t s = p->rel_seq, e = s + p->len;
				bool re = have_high && before_eq(e, high);

				s_add(&ss[re ? 1 : 0], t, s, e);
				if (!have_high || e - high < 0x80000000u) {
					high = e;
					have_high = true;
				}
			}
		} else {
			if ((p->flags & TCPH_SYN) && p->wscale >= 0)
				wscale = p->wscale;
			if (p->flags & TCPH_ACK) {
				double a = p->rel_ack;
				double w = (double)p->win *
					   (double)((p->flags & TCPH_SYN) ?
						    1 : 1u << wscale);

				s_add(&ss[2], t, a, 0);
				s_add(&ss[3], t, a + w, 0);
				for (k = 0; k + 1 < p->nsack; k += 2) {
					uint32_t base = p->ack - p->rel_ack;

					s_add(&ss[4], t, p->sack[k] - base,
					      p->sack[k + 1] - base);
				}
			}
		}
	}
	fputs("<h2>Time-sequence graph</h2><p>Relative sequence number "
	      "against time for the ", f);
	fputs(data_in ? "remote's data (netdrill ACKs it)" :
	      "data netdrill sends (the remote ACKs it)", f);
	fputs(", as tcptrace and Wireshark's Stevens graph draw it: "
	      "segments as vertical bars, retransmissions in red, the ACK "
	      "line, the receive-window line (ACK + window), SACK blocks. "
	      "<button onclick=\"zoom('tsg',1.25)\">+</button>"
	      "<button onclick=\"zoom('tsg',0.8)\">&minus;</button></p>\n", f);
	plot(f, "tsg", "sequence", "relative sequence number", ss, 5, t0, t1,
	     900, 420);
	for (i = 0; i < 5; i++)
		s_free(&ss[i]);
}

/* The socket with the most state records: the one the plots follow. */
static int busiest_fd(const struct trace_rec *recs, size_t n)
{
	int best = -1, bestn = 0;
	size_t i, j;

	for (i = 0; i < n; i++) {
		int c = 0;

		if (recs[i].kind != TR_STATE || recs[i].fd == best)
			continue;
		for (j = 0; j < n; j++)
			if (recs[j].kind == TR_STATE &&
			    recs[j].fd == recs[i].fd)
				c++;
		if (c > bestn) {
			bestn = c;
			best = recs[i].fd;
		}
		if (bestn * 2 > (int)n)
			break;
	}
	return best;
}

static void write_plots(FILE *f, const struct trace_rec *recs, size_t n,
			double t0, double t1)
{
	static const struct { const char *field, *alt, *color, *label; }
	map[] = {
		{ "snd_cwnd", "tcpi_snd_cwnd", "#246", "snd_cwnd" },
		{ "snd_ssthresh", "tcpi_snd_ssthresh", "#c80",
		  "snd_ssthresh" },
		{ "packets_in_flight", "tcpi_unacked", "#2a7d2a",
		  "packets in flight" },
		{ "sk_wmem_queued", NULL, "#246", "sk_wmem_queued" },
		{ "sk_sndbuf", NULL, "#d00", "sk_sndbuf" },
		{ "rcv_wnd", NULL, "#a0a", "rcv_wnd" },
	};
	struct series ss[6];
	int fd = busiest_fd(recs, n), i;
	size_t j;

	memset(ss, 0, sizeof(ss));
	for (i = 0; i < 6; i++) {
		ss[i].name = map[i].label;
		ss[i].color = map[i].color;
		ss[i].step = true;
	}
	for (j = 0; j < n; j++) {
		const struct trace_rec *r = &recs[j];

		if (r->kind != TR_STATE || r->fd != fd)
			continue;
		for (i = 0; i < 6; i++) {
			if (strcmp(r->name, map[i].field) &&
			    (!map[i].alt || strcmp(r->name, map[i].alt)))
				continue;
			/* an infinite ssthresh is no point on a plot */
			if (i == 1 && r->value >= 0x7fffffff)
				continue;
			s_add(&ss[i], r->t_us / 1e6, (double)r->value, 0);
		}
	}
	fprintf(f, "<h2>Congestion control and buffers</h2><p>Socket fd %d, "
		"from the trace's state records (values after each "
		"event).</p>\n", fd);
	plot(f, "plot-cwnd", "snd_cwnd and snd_ssthresh", "packets", ss, 2,
	     t0, t1, 440, 260);
	plot(f, "plot-inflight", "packets in flight", "packets", ss + 2, 1,
	     t0, t1, 440, 260);
	plot(f, "plot-wmem", "sk_wmem_queued and sk_sndbuf", "bytes", ss + 3,
	     2, t0, t1, 440, 260);
	plot(f, "plot-rwnd", "receive window (rcv_wnd)", "bytes", ss + 5, 1,
	     t0, t1, 440, 260);
	for (i = 0; i < 6; i++)
		s_free(&ss[i]);
}

/* ------------------------------------------------------------ calls */

static bool starts_group(const struct trace_rec *r)
{
	return r->kind == TR_SYSCALL || r->kind == TR_COMMAND ||
	       r->kind == TR_CODE || (r->kind == TR_PACKET && r->inbound) ||
	       (r->kind == TR_TIMER && !strcmp(r->text, "fired"));
}

static void write_calls(FILE *f, const struct trace *tr,
			const struct trace_rec *recs, size_t n)
{
	size_t i = 0;

	fputs("<h2>Call path</h2><div id=\"calls\">", f);
	if (!trace_has_calls(tr))
		fputs("<p>The call path needs the embedded stack (this run "
		      "shows packets, system calls and TCP_INFO).</p>", f);
	else
		fputs("<p>Each event, folded: open it for the functions it "
		      "went through, in Linux's names, with the values of "
		      "each decision, and the state it left.</p>", f);
	while (i < n) {
		size_t j = i + 1;
		char *head;

		if (!starts_group(&recs[i])) {
			i++;
			continue;
		}
		while (j < n && !starts_group(&recs[j]))
			j++;
		head = trace_rec_text(tr, &recs[i]);
		fputs("<details><summary>", f);
		escs(f, head);
		free(head);
		fputs("</summary><pre>", f);
		for (size_t k = i + 1; k < j; k++) {
			char *line = trace_rec_text(tr, &recs[k]);

			escs(f, line);
			fputc('\n', f);
			free(line);
		}
		fputs("</pre></details>\n", f);
		i = j;
	}
	fputs("</div>\n", f);
}

/* ------------------------------------------------------------ page */

int report_html_write(const char *path, const struct trace *tr,
		      const struct script *script,
		      const struct config *config, int status,
		      const char *error, char **werror)
{
	const struct trace_rec *recs;
	struct pk *pks;
	size_t n, i;
	int npk = 0;
	double t0 = 0, t1 = 0;
	FILE *f;

	*werror = NULL;
	f = fopen(path, "w");
	if (!f) {
		if (asprintf(werror, "cannot write the report to %s: %s", path,
			     strerror(errno)) < 0)
			*werror = NULL;
		return -1;
	}
	recs = trace_records(tr, &n);
	pks = calloc(n ? n : 1, sizeof(*pks));
	if (!pks)
		abort();
	for (i = 0; i < n; i++) {
		if (recs[i].t_us / 1e6 > t1)
			t1 = recs[i].t_us / 1e6;
		if (recs[i].kind == TR_PACKET)
			pk_fill(&pks[npk++], &recs[i]);
	}
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
		"charset=\"utf-8\"><title>netdrill report: ");
	escs(f, config->script_path);
	fprintf(f, "</title><style>%s</style><script>%s</script></head>"
		"<body>\n<h1>netdrill report: ", report_html_css, JS);
	escs(f, config->script_path);
	fprintf(f, "</h1>\n<p><span id=\"verdict\" class=\"verdict %s\">%s"
		"</span> &nbsp; %s stack, %.6f s of %s time, %d packets, "
		"%zu trace records</p>\n", status ? "fail" : "pass",
		status ? "FAILED" : "PASSED",
		config->stack == STACK_KERNEL ? "kernel" :
		config->stack == STACK_COMPARE ? "compare" : "embedded", t1,
		config->stack == STACK_EMBEDDED ? "virtual" : "real", npk, n);
	if (error) {
		fputs("<pre id=\"error\" class=\"why\">", f);
		escs(f, error);
		fputs("</pre>\n", f);
	}
	write_script(f, script, status, error);
	write_ladder(f, pks, npk);
	write_tsg(f, pks, npk, t0, t1);
	write_plots(f, recs, n, t0, t1);
	write_calls(f, tr, recs, n);
	fputs("<p style=\"color:#888\">Made by netdrill; the page loads "
	      "nothing from elsewhere.</p></body></html>\n", f);
	free(pks);
	if (fclose(f)) {
		if (asprintf(werror, "cannot write the report to %s: %s", path,
			     strerror(errno)) < 0)
			*werror = NULL;
		return -1;
	}
	return 0;
}
