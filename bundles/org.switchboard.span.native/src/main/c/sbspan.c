/*
 * Switchboard span bridge, see sbspan.h. One sb_span = one E1/T1 span: a libpri controller on its
 * D-channel and the audio of its B-channels. Two back ends share everything above the transport:
 *  - SB_DAHDI: /dev/dahdi/channel opened per timeslot (DAHDI_SPECIFY), HDLC with FCS on the D-channel,
 *    160-byte blocks on the B-channels, alarms from DAHDI events and DAHDI_SPANSTAT;
 *  - SB_SIM: two spans wired back to back in this library: D-channel frames over a SOCK_SEQPACKET
 *    socket pair, B-channel audio through per-channel rings under the pair's mutex, alarms set by hand.
 * Every length is checked against its destination before a copy; nothing here trusts the far end.
 */
#define _GNU_SOURCE
#include "sbspan.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <link.h>
#include <sys/mman.h>
#include <stddef.h>
#include <libpri.h>
#include <dahdi/user.h>
#include <openr2.h>

enum { CH_IDLE = 0, CH_RING_IN = 1, CH_DIALLING = 2, CH_UP = 3, CH_CLEARING = 4 };

typedef struct sb_r2sim sb_r2sim;

typedef struct sb_chan {
    q931_call *call;
    int state;
    int fd;                   /* DAHDI B-channel (or its emulation for R2 in the simulation), -1 if none */
    openr2_chan_t *r2;        /* MFC/R2 spans */
    sb_r2sim *sim;            /* the emulated DAHDI channel under openr2, simulated R2 spans */
    int pending;              /* R2: work to do after openr2 returns (R2_ACCEPT, R2_ANSWER, R2_ACK_CLEAR, R2_RESET) */
    int want_answer;
    int accepted;
    struct sb_span *owner;
    int ts;
} sb_chan;

typedef struct sb_pair {
    pthread_mutex_t mu;
    int refs;
    int sv[2];                /* D-channel: sv[0] side 0, sv[1] side 1 */
    int alarm[2];             /* DAHDI alarm bits each side receives */
    /* audio: ring[dir][ts]: dir 0 carries side 0 -> side 1 */
    uint8_t ring[2][SB_MAXCH][SB_RING][SB_FRAME];
    uint8_t head[2][SB_MAXCH], count[2][SB_MAXCH];
    uint8_t primed[2][SB_MAXCH];          /* the receiver plays out once two blocks wait: the two ends' ticks drift */
    uint8_t cas[2][SB_MAXCH];             /* ABCD bits each side sends (R2) */
    sb_r2sim *r2[2][SB_MAXCH];            /* each side's emulated R2 channel */
} sb_pair;

struct sb_span {
    int kind;
    sb_params p;
    struct pri *pri;
    int dfd;                  /* D-channel: socket (sim) or DAHDI fd */
    int wakefd, tickfd;
    sb_pair *pair;
    int side;
    sb_chan ch[SB_MAXCH];
    uint8_t *io, *ev;
    size_t iocap, evcap;
    int trace;
    int alarms, reported_alarms;
    int dchan_up;
    int got_frame;
    uint64_t ticks, late_ticks, rx_frames, tx_frames, underruns, dframes_in, dframes_out;
    struct timespec next_tick;
    uint8_t idle;             /* silence byte of the law */
    q931_call *lingering[64]; /* calls whose clearing libpri finishes after their channel went idle */
    uint64_t dropped_text;    /* trace or error lines that found the event area full */
    openr2_context_t *r2ctx;  /* MFC/R2 spans: openr2's context (NULL for PRI) */
    openr2_event_interface_t r2events;
    int mangle;               /* simulation: fault to put into the next Q.931 message sent */
    int dahdi_event;          /* the D-channel has a DAHDI event queued (ELAST) */
};

/* libpri's message and error hooks are process-wide: they log for the span whose thread is in libpri. */
static __thread sb_span *current;

enum { R2_ACCEPT = 1, R2_ANSWER = 2, R2_ACK_CLEAR = 4, R2_RESET = 8 };
static void r2_alarm_events(sb_span *s, int on);
static int q850_to_r2(int cause);

/* ---------------------------------------------------------------- events */

static int ev_used(sb_span *s) {
    uint32_t used;
    memcpy(&used, s->ev, 4);
    return (int) used;
}

static void put16(uint8_t *p, size_t *off, uint16_t v) { memcpy(p + *off, &v, 2); *off += 2; }
static void put32(uint8_t *p, size_t *off, int32_t v) { memcpy(p + *off, &v, 4); *off += 4; }

static void emit(sb_span *s, int type, int chan, int a, int b, int c, int d,
                 const char *s1, const char *s2, const char *s3) {
    const char *strs[3] = {s1, s2, s3};
    size_t lens[3];
    size_t size = 2 + 2 + 5 * 4;
    for (int i = 0; i < 3; i++) {
        lens[i] = strs[i] ? strnlen(strs[i], 1024) : 0;
        size += 2 + lens[i];
    }
    size_t used = (size_t) ev_used(s);
    if (used < 4) used = 4;
    /* the last quarter is kept for call events: a trace that fills the area loses trace lines, never a call */
    size_t limit = (type == SB_EV_TRACE || type == SB_EV_ERROR) ? s->evcap - s->evcap / 4 : s->evcap;
    if (used + size > limit) {
        if (type == SB_EV_TRACE || type == SB_EV_ERROR) s->dropped_text++;
        return;
    }
    size_t off = used;
    put16(s->ev, &off, (uint16_t) size);
    put16(s->ev, &off, (uint16_t) type);
    put32(s->ev, &off, chan);
    put32(s->ev, &off, a);
    put32(s->ev, &off, b);
    put32(s->ev, &off, c);
    put32(s->ev, &off, d);
    for (int i = 0; i < 3; i++) {
        put16(s->ev, &off, (uint16_t) lens[i]);
        if (lens[i]) memcpy(s->ev + off, strs[i], lens[i]);
        off += lens[i];
    }
    uint32_t u = (uint32_t) off;
    memcpy(s->ev, &u, 4);
}

static void on_pri_text(struct pri *pri, char *text, int type) {
    sb_span *s = pri ? (sb_span *) pri_get_userdata(pri) : current;
    if (!s) s = current;
    if (!s || !text) return;
    char line[1024];
    size_t n = strnlen(text, sizeof line - 1);
    memcpy(line, text, n);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    line[n] = 0;
    if (n == 0) return;
    if (type == SB_EV_TRACE && !s->trace) return;
    emit(s, type, 0, 0, 0, 0, 0, line, NULL, NULL);
}

static void pri_message_hook(struct pri *pri, char *text) { on_pri_text(pri, text, SB_EV_TRACE); }
static void pri_error_hook(struct pri *pri, char *text) { on_pri_text(pri, text, SB_EV_ERROR); }

/* ---------------------------------------------------------------- D-channel transports */

static int sim_read(struct pri *pri, void *buf, int buflen) {
    sb_span *s = (sb_span *) pri_get_userdata(pri);
    if (buflen <= 0) return 0;
    ssize_t n = recv(s->dfd, buf, (size_t) buflen, MSG_DONTWAIT | MSG_TRUNC);
    if (n <= 0) return 0;
    s->got_frame = 1;
    pthread_mutex_lock(&s->pair->mu);
    int down = s->pair->alarm[s->side] & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE);
    pthread_mutex_unlock(&s->pair->mu);
    if (down || n > buflen || n < 5) return 0;   /* lost on a failed line, truncated or too short: no frame */
    s->dframes_in++;
    return (int) n;
}

/*
 * Fault injection for the simulated carrier (span:sim SPAN mangle): the next Q.931 message this end
 * sends in an I-frame is changed. Frame: address (2), control (2), Q.931 (protocol discriminator,
 * call reference length and value, message type, information elements), 2 FCS placeholder bytes.
 */
static size_t mangle_frame(sb_span *s, const uint8_t *in, size_t len, uint8_t *out, size_t cap) {
    if (len < 4 + 5 + 2 || (in[2] & 1) != 0 || in[4] != 0x08) return 0;    /* not an I-frame with Q.931 */
    size_t crlen = in[5] & 0x0f;
    size_t ies = 4 + 2 + crlen + 1;                                        /* first IE */
    if (ies > len - 2) return 0;
    size_t body = len - 2;
    if (s->mangle == SB_MANGLE_UNKNOWN_IE) {
        /* codeset 0 IE 0x6E, never assigned, comprehension not required (a variable-length IE) */
        if (body + 3 + 2 > cap) return 0;
        memcpy(out, in, body);
        out[body] = 0x6E; out[body + 1] = 1; out[body + 2] = 0x5A;
        memcpy(out + body + 3, in + body, 2);
        return body + 3 + 2;
    }
    if (s->mangle == SB_MANGLE_TRUNCATED) {
        /* the first IE claims 40 bytes more than the message has */
        if (ies + 2 > body || ies + 2 + 2 > cap) return 0;
        memcpy(out, in, ies + 2);
        out[ies + 1] = (uint8_t) (out[ies + 1] + 40);
        memcpy(out + ies + 2, in + body, 2);
        return ies + 2 + 2;
    }
    return 0;
}

static int sim_write(struct pri *pri, void *buf, int buflen) {
    sb_span *s = (sb_span *) pri_get_userdata(pri);
    pthread_mutex_lock(&s->pair->mu);
    int down = (s->pair->alarm[s->side] | s->pair->alarm[1 - s->side]) & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE);
    pthread_mutex_unlock(&s->pair->mu);
    const void *send_buf = buf;
    size_t send_len = buflen > 0 ? (size_t) buflen : 0;
    uint8_t mangled[1100];
    if (s->mangle && buflen > 0) {
        size_t m = mangle_frame(s, buf, (size_t) buflen, mangled, sizeof mangled);
        if (m) {
            send_buf = mangled;
            send_len = m;
            s->mangle = 0;
        }
    }
    if (!down && send_len > 0 && send(s->dfd, send_buf, send_len, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t) send_len)
        s->dframes_out++;
    return buflen;           /* a frame lost on the line is the line's business: Q.921 retransmits */
}

int sb_sim_mangle(sb_span *s, int how) {
    if (s->kind != SB_SIM || !s->pri || how < 0 || how > SB_MANGLE_TRUNCATED) return -1;
    s->mangle = how;
    return 0;
}

static void dahdi_check_event(sb_span *s, int fd);

static int dahdi_read(struct pri *pri, void *buf, int buflen) {
    sb_span *s = (sb_span *) pri_get_userdata(pri);
    ssize_t n = read(s->dfd, buf, (size_t) buflen);
    if (n < 0) {
        if (errno == ELAST) s->dahdi_event = 1;   /* handled after libpri returns (sb_poll) */
        return 0;
    }
    if (n < 5) return 0;
    s->got_frame = 1;
    s->dframes_in++;
    return (int) n;
}

static int dahdi_write(struct pri *pri, void *buf, int buflen) {
    sb_span *s = (sb_span *) pri_get_userdata(pri);
    ssize_t n = write(s->dfd, buf, (size_t) buflen);
    if (n < 0 && errno == ELAST) s->dahdi_event = 1;   /* never end calls inside libpri's transmit */
    if (n == buflen) s->dframes_out++;
    return buflen;
}

/* ---------------------------------------------------------------- calls */

static int chan_of_call(sb_span *s, q931_call *call) {
    if (!call) return -1;
    for (int t = 1; t < SB_MAXCH; t++)
        if (s->ch[t].call == call) return t;
    return -1;
}

static int valid_bchan(sb_span *s, int t) {
    return t > 0 && t < SB_MAXCH && (s->p.bchans & (1u << t));
}

static void chan_free(sb_span *s, int t) {
    if (!valid_bchan(s, t)) return;
    int was = s->ch[t].state;
    s->ch[t].call = NULL;
    s->ch[t].state = CH_IDLE;
    if (s->pair) {
        pthread_mutex_lock(&s->pair->mu);
        s->pair->count[s->side][t] = 0;      /* what we sent and nobody heard goes with the call */
        s->pair->count[1 - s->side][t] = 0;
        s->pair->primed[s->side][t] = 0;
        s->pair->primed[1 - s->side][t] = 0;
        pthread_mutex_unlock(&s->pair->mu);
    }
    s->io[SB_IO_TXFLAG + t] = 0;
    s->io[SB_IO_RXFLAG + t] = 0;
    if (was != CH_IDLE) emit(s, SB_EV_FREED, t, 0, 0, 0, 0, NULL, NULL, NULL);
}

static void linger(sb_span *s, q931_call *call) {
    for (int i = 0; i < 64; i++)
        if (!s->lingering[i]) { s->lingering[i] = call; return; }
    pri_destroycall(s->pri, call);                       /* never more than a handful: drop the oldest clearing */
}

static int unlinger(sb_span *s, q931_call *call) {
    for (int i = 0; i < 64; i++)
        if (call && s->lingering[i] == call) { s->lingering[i] = NULL; return 1; }
    return 0;
}

static void handle_ring(sb_span *s, pri_event *e) {
    int t = e->ring.channel & 0xff;
    q931_call *call = e->ring.call;
    if (e->ring.channel == -1 || t == 0xff) {           /* "any channel": we choose */
        t = -1;
        for (int i = 1; i < SB_MAXCH; i++)
            if (valid_bchan(s, i) && s->ch[i].state == CH_IDLE) { t = i; break; }
        if (t < 0) {
            emit(s, SB_EV_REFUSED, 0, PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION, 0, 0, 0, "no free B-channel", NULL, NULL);
            pri_hangup(s->pri, call, PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION);
            return;
        }
    }
    if (!valid_bchan(s, t)) {
        emit(s, SB_EV_REFUSED, t, PRI_CAUSE_CHANNEL_UNACCEPTABLE, 0, 0, 0, "channel not in the span's channels", NULL, NULL);
        pri_hangup(s->pri, call, PRI_CAUSE_CHANNEL_UNACCEPTABLE);
        return;
    }
    if (s->ch[t].state != CH_IDLE) {                     /* busy B-channel or glare */
        emit(s, SB_EV_REFUSED, t, PRI_CAUSE_REQUESTED_CHAN_UNAVAIL, 0, 0, 0, "B-channel busy", NULL, NULL);
        pri_hangup(s->pri, call, PRI_CAUSE_REQUESTED_CHAN_UNAVAIL);
        return;
    }
    s->ch[t].call = call;
    s->ch[t].state = CH_RING_IN;
    pri_proceeding(s->pri, call, t, 0);                  /* overlap receiving is off: the number is complete */
    pri_acknowledge(s->pri, call, t, 0);                 /* ALERTING: the box rings the call in */
    char calling[256], called[256], name[256];
    snprintf(calling, sizeof calling, "%.*s", (int) strnlen(e->ring.callingnum, sizeof e->ring.callingnum), e->ring.callingnum);
    snprintf(called, sizeof called, "%.*s", (int) strnlen(e->ring.callednum, sizeof e->ring.callednum), e->ring.callednum);
    snprintf(name, sizeof name, "%.*s", (int) strnlen(e->ring.callingname, sizeof e->ring.callingname), e->ring.callingname);
    emit(s, SB_EV_RING, t, e->ring.callingplan, e->ring.callingpres, e->ring.calledplan, 0, calling, called, name);
}

static void all_calls_down(sb_span *s, int cause) {
    for (int t = 1; t < SB_MAXCH; t++) {
        if (s->ch[t].state == CH_IDLE) continue;
        if (s->ch[t].r2) s->ch[t].pending |= R2_RESET;   /* back to idle CAS when the line returns */
        if (s->ch[t].call) pri_destroycall(s->pri, s->ch[t].call);
        s->ch[t].call = NULL;
        if (s->ch[t].state != CH_CLEARING) emit(s, SB_EV_HANGUP, t, cause, 0, 0, 0, NULL, NULL, NULL);
        chan_free(s, t);
    }
}

static void handle_event(sb_span *s, pri_event *e) {
    int t;
    switch (e->e) {
    case PRI_EVENT_DCHAN_UP:
        s->dchan_up = 1;
        emit(s, SB_EV_DCHAN_UP, 0, 0, 0, 0, 0, NULL, NULL, NULL);
        break;
    case PRI_EVENT_DCHAN_DOWN:
        s->dchan_up = 0;
        emit(s, SB_EV_DCHAN_DOWN, 0, 0, 0, 0, 0, NULL, NULL, NULL);
        break;
    case PRI_EVENT_RING:
        handle_ring(s, e);
        break;
    case PRI_EVENT_PROCEEDING:
        if ((t = chan_of_call(s, e->proceeding.call)) > 0) emit(s, SB_EV_PROCEEDING, t, 0, 0, 0, 0, NULL, NULL, NULL);
        break;
    case PRI_EVENT_RINGING:
        if ((t = chan_of_call(s, e->ringing.call)) > 0) emit(s, SB_EV_RINGING, t, 0, 0, 0, 0, NULL, NULL, NULL);
        break;
    case PRI_EVENT_ANSWER:
        if ((t = chan_of_call(s, e->answer.call)) > 0) {
            s->ch[t].state = CH_UP;
            emit(s, SB_EV_ANSWER, t, 0, 0, 0, 0, NULL, NULL, NULL);
        }
        break;
    case PRI_EVENT_HANGUP_REQ:                           /* DISCONNECT from the far end */
    case PRI_EVENT_HANGUP:                               /* RELEASE / RELEASE COMPLETE */
        t = chan_of_call(s, e->hangup.call);
        if (t > 0 && s->ch[t].state == CH_CLEARING) {    /* crossed with our own clearing */
            if (e->e == PRI_EVENT_HANGUP) {
                pri_hangup(s->pri, e->hangup.call, e->hangup.cause);
                chan_free(s, t);
            }
            break;
        }
        pri_hangup(s->pri, e->hangup.call, e->hangup.cause > 0 ? e->hangup.cause : PRI_CAUSE_NORMAL_CLEARING);
        if (e->e == PRI_EVENT_HANGUP_REQ) linger(s, e->hangup.call);   /* RELEASE COMPLETE still to come */
        else unlinger(s, e->hangup.call);
        if (t > 0) {
            emit(s, SB_EV_HANGUP, t, e->hangup.cause > 0 ? e->hangup.cause : PRI_CAUSE_NORMAL_CLEARING, 0, 0, 0,
                 NULL, NULL, NULL);
            chan_free(s, t);                             /* libpri owns the rest of the clearing */
        }
        break;
    case PRI_EVENT_HANGUP_ACK:                           /* our clearing is complete */
        if ((t = chan_of_call(s, e->hangup.call)) > 0) chan_free(s, t);
        unlinger(s, e->hangup.call);
        break;
    case PRI_EVENT_RESTART:
        t = e->restart.channel & 0xff;
        if (e->restart.channel == -1 || t == 0xff) {
            for (int i = 1; i < SB_MAXCH; i++)
                if (s->ch[i].state != CH_IDLE) {
                    if (s->ch[i].state != CH_CLEARING)
                        emit(s, SB_EV_HANGUP, i, PRI_CAUSE_NORMAL_TEMPORARY_FAILURE, 0, 0, 0, NULL, NULL, NULL);
                    if (s->ch[i].call) pri_destroycall(s->pri, s->ch[i].call);   /* libpri only acknowledges */
                    s->ch[i].call = NULL;
                    chan_free(s, i);
                }
            emit(s, SB_EV_RESTART, -1, 0, 0, 0, 0, NULL, NULL, NULL);
        } else if (valid_bchan(s, t)) {
            if (s->ch[t].state != CH_IDLE && s->ch[t].state != CH_CLEARING)
                emit(s, SB_EV_HANGUP, t, PRI_CAUSE_NORMAL_TEMPORARY_FAILURE, 0, 0, 0, NULL, NULL, NULL);
            if (s->ch[t].call) pri_destroycall(s->pri, s->ch[t].call);
            s->ch[t].call = NULL;
            chan_free(s, t);
            emit(s, SB_EV_RESTART, t, 0, 0, 0, 0, NULL, NULL, NULL);
        }
        break;
    default:
        break;
    }
}

int sb_dial(sb_span *s, int t, const char *called, int called_plan, const char *calling, int calling_plan,
            int calling_pres, const char *calling_name) {
    if (!valid_bchan(s, t)) return -1;
    if (s->ch[t].state != CH_IDLE) return -2;
    if (!s->dchan_up || (s->alarms & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE))) return -3;
    if (!called || !*called) return -4;
    if (s->r2ctx) {
        const char *ani = (calling_pres & PRI_PRES_RESTRICTION) == PRI_PRES_RESTRICTED || !calling ? "" : calling;
        current = s;
        int rc = openr2_chan_make_call(s->ch[t].r2, ani, called, OR2_CALLING_PARTY_CATEGORY_NATIONAL_SUBSCRIBER);
        current = NULL;
        if (rc != 0) return -6;
        s->ch[t].state = CH_DIALLING;
        return 0;
    }
    current = s;
    q931_call *call = pri_new_call(s->pri);
    if (!call) { current = NULL; return -5; }
    struct pri_sr *sr = pri_sr_new();
    pri_sr_set_channel(sr, t, 1, 0);
    pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH, s->p.alaw ? PRI_LAYER_1_ALAW : PRI_LAYER_1_ULAW);
    pri_sr_set_called(sr, (char *) called, called_plan, 1);
    pri_sr_set_caller(sr, (char *) (calling ? calling : ""), (char *) (calling_name ? calling_name : ""),
                      calling_plan, calling_pres);
    int rc = pri_setup(s->pri, call, sr);
    pri_sr_free(sr);
    if (rc != 0) {
        pri_destroycall(s->pri, call);
        current = NULL;
        return -6;
    }
    s->ch[t].call = call;
    s->ch[t].state = CH_DIALLING;
    current = NULL;
    return 0;
}

int sb_answer(sb_span *s, int t) {
    if (s->r2ctx && valid_bchan(s, t) && s->ch[t].state == CH_RING_IN) {
        if (!s->ch[t].accepted) {            /* still accepting: answer as soon as openr2 has */
            s->ch[t].want_answer = 1;
            return 0;
        }
        current = s;
        int rc = openr2_chan_answer_call(s->ch[t].r2);
        current = NULL;
        if (rc == 0) s->ch[t].state = CH_UP;
        return rc;
    }
    if (!valid_bchan(s, t) || s->ch[t].state != CH_RING_IN || !s->ch[t].call) return -1;
    current = s;
    int rc = pri_answer(s->pri, s->ch[t].call, t, 0);
    current = NULL;
    if (rc == 0) s->ch[t].state = CH_UP;
    return rc;
}

int sb_hangup(sb_span *s, int t, int cause) {
    if (!valid_bchan(s, t)) return -1;
    if (s->ch[t].state == CH_IDLE || s->ch[t].state == CH_CLEARING) return 0;
    if (cause < 1 || cause > 127) cause = PRI_CAUSE_NORMAL_CLEARING;
    current = s;
    s->ch[t].state = CH_CLEARING;
    if (s->r2ctx) {
        if (openr2_chan_disconnect_call(s->ch[t].r2, q850_to_r2(cause)) != 0) chan_free(s, t);
        current = NULL;
        return 0;
    }
    if (!s->ch[t].call || !s->dchan_up) {                /* nothing to tell the far end (link down): done */
        if (s->ch[t].call) pri_destroycall(s->pri, s->ch[t].call);
        s->ch[t].call = NULL;
        chan_free(s, t);
    } else if (pri_hangup(s->pri, s->ch[t].call, cause) != 0) {
        s->ch[t].call = NULL;
        chan_free(s, t);
    }
    current = NULL;
    return 0;
}

int sb_restart(sb_span *s, int t) {
    if (t != 0 && !valid_bchan(s, t)) return -1;
    if (!s->dchan_up) return -3;
    current = s;
    if (s->r2ctx) {                          /* R2 has no RESTART: idle the channels (calls on them end) */
        for (int i = 1; i < SB_MAXCH; i++) {
            if ((t != 0 && i != t) || !s->ch[i].r2) continue;
            if (s->ch[i].state != CH_IDLE && s->ch[i].state != CH_CLEARING)
                emit(s, SB_EV_HANGUP, i, PRI_CAUSE_NORMAL_TEMPORARY_FAILURE, 0, 0, 0, NULL, NULL, NULL);
            chan_free(s, i);
            openr2_chan_set_idle(s->ch[i].r2);
        }
        current = NULL;
        return 0;
    }
    if (t == 0) {
        all_calls_down(s, PRI_CAUSE_NORMAL_TEMPORARY_FAILURE);
        for (int i = 1; i < SB_MAXCH; i++)
            if (valid_bchan(s, i)) pri_reset(s->pri, i);
    } else {
        if (s->ch[t].state != CH_IDLE) {
            if (s->ch[t].call) pri_destroycall(s->pri, s->ch[t].call);
            s->ch[t].call = NULL;
            if (s->ch[t].state != CH_CLEARING)
                emit(s, SB_EV_HANGUP, t, PRI_CAUSE_NORMAL_TEMPORARY_FAILURE, 0, 0, 0, NULL, NULL, NULL);
            chan_free(s, t);
        }
        pri_reset(s->pri, t);
    }
    current = NULL;
    return 0;
}

void sb_trace(sb_span *s, int on) {
    s->trace = on;
    if (s->pri) pri_set_debug(s->pri, on ? (PRI_DEBUG_Q931_DUMP | PRI_DEBUG_Q931_STATE | PRI_DEBUG_Q931_ANOMALY) : 0);
    if (s->r2ctx) {
        openr2_log_level_t level = on ? (OR2_LOG_ERROR | OR2_LOG_WARNING | OR2_LOG_NOTICE | OR2_LOG_MF_TRACE | OR2_LOG_CAS_TRACE)
                                      : (OR2_LOG_ERROR | OR2_LOG_WARNING);
        openr2_context_set_log_level(s->r2ctx, level);
        for (int t = 1; t < SB_MAXCH; t++)
            if (s->ch[t].r2) openr2_chan_set_log_level(s->ch[t].r2, level);
    }
}

/* ---------------------------------------------------------------- alarms */

static void alarms_now(sb_span *s, int bits) {
    if (bits == s->alarms) return;
    int was_down = s->alarms & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE | DAHDI_ALARM_YELLOW);
    s->alarms = bits;
    emit(s, SB_EV_ALARM, 0, bits, 0, 0, 0, NULL, NULL, NULL);
    if (s->r2ctx && (was_down != 0) != (bits != 0)) r2_alarm_events(s, bits != 0);
    if (!was_down && (bits & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE | DAHDI_ALARM_YELLOW)))
        all_calls_down(s, PRI_CAUSE_NETWORK_OUT_OF_ORDER);   /* the line cannot carry them: end them now */
}

int sb_sim_set_alarm(sb_span *s, int alarm) {
    if (s->kind != SB_SIM) return -1;
    int mine;
    switch (alarm) {
    case SB_SIM_CLEAR: mine = 0; break;
    case SB_SIM_LOS: mine = DAHDI_ALARM_RED | DAHDI_ALARM_LOS; break;
    case SB_SIM_LOF: mine = DAHDI_ALARM_RED | DAHDI_ALARM_LFA; break;
    case SB_SIM_AIS: mine = DAHDI_ALARM_BLUE; break;
    case SB_SIM_RAI: mine = DAHDI_ALARM_YELLOW; break;
    default: return -1;
    }
    pthread_mutex_lock(&s->pair->mu);
    s->pair->alarm[s->side] = mine;
    /* a receiver in RED or BLUE sends RAI back: the far end goes YELLOW */
    int other = s->pair->alarm[1 - s->side] & ~DAHDI_ALARM_YELLOW;
    if (mine & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE)) other |= DAHDI_ALARM_YELLOW;
    s->pair->alarm[1 - s->side] = other;
    pthread_mutex_unlock(&s->pair->mu);
    return 0;
}

static void dahdi_check_event(sb_span *s, int fd) {
    int ev = 0;
    if (ioctl(fd, DAHDI_GETEVENT, &ev) != 0) return;
    if (ev == DAHDI_EVENT_ALARM || ev == DAHDI_EVENT_NOALARM) {
        struct dahdi_spaninfo si;
        memset(&si, 0, sizeof si);
        si.spanno = 0;
        if (ioctl(fd, DAHDI_SPANSTAT, &si) == 0) alarms_now(s, si.alarms);
        else alarms_now(s, ev == DAHDI_EVENT_ALARM ? DAHDI_ALARM_RED : 0);
    } else if (ev == DAHDI_EVENT_BADFCS || ev == DAHDI_EVENT_ABORT || ev == DAHDI_EVENT_OVERRUN) {
        emit(s, SB_EV_ERROR, 0, ev, 0, 0, 0, "D-channel frame dropped by the card (bad FCS, abort or overrun)", NULL, NULL);
    }
}

/* ---------------------------------------------------------------- audio */

static int ring_push(sb_pair *pr, int dir, int t, const uint8_t *src) {
    int c = pr->count[dir][t];
    int slot = (pr->head[dir][t] + c) % SB_RING;
    if (c == SB_RING) {                       /* far end not reading: drop the oldest */
        pr->head[dir][t] = (uint8_t) ((pr->head[dir][t] + 1) % SB_RING);
        slot = (pr->head[dir][t] + SB_RING - 1) % SB_RING;
    } else {
        pr->count[dir][t] = (uint8_t) (c + 1);
    }
    memcpy(pr->ring[dir][t][slot], src, SB_FRAME);
    return 1;
}

/* Takes the next block for the receiver. Each end ticks on its own timer, so a block may land just
 * after the receiver looked: playing out one block behind (primed at two) keeps a steady stream,
 * which openr2's MF detector needs (a missing block reads as the tone stopping). */
static int ring_pop(sb_pair *pr, int dir, int t, uint8_t *dst) {
    if (!pr->primed[dir][t]) {
        if (pr->count[dir][t] < 2) return 0;
        pr->primed[dir][t] = 1;
    }
    if (pr->count[dir][t] == 0) {
        pr->primed[dir][t] = 0;
        return 0;
    }
    memcpy(dst, pr->ring[dir][t][pr->head[dir][t]], SB_FRAME);
    pr->head[dir][t] = (uint8_t) ((pr->head[dir][t] + 1) % SB_RING);
    pr->count[dir][t]--;
    return 1;
}


static void sim_audio_tick(sb_span *s) {
    sb_pair *pr = s->pair;
    int out = s->side, in = 1 - s->side;
    pthread_mutex_lock(&pr->mu);
    int dead = (pr->alarm[0] | pr->alarm[1]) & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE);
    for (int t = 1; t < SB_MAXCH; t++) {
        if (!(s->p.bchans & (1u << t))) continue;
        uint8_t *txf = &s->io[SB_IO_TXFLAG + t];
        if (*txf) {
            *txf = 0;
            if (!dead && s->ch[t].state != CH_IDLE) {
                ring_push(pr, out, t, s->io + SB_IO_TX + (size_t) t * SB_FRAME);
                s->tx_frames++;
            }
        }
        uint8_t *rxf = &s->io[SB_IO_RXFLAG + t];
        if (s->ch[t].state == CH_IDLE) { *rxf = 0; continue; }
        if (!dead && ring_pop(pr, in, t, s->io + SB_IO_RX + (size_t) t * SB_FRAME)) {
            *rxf = 1;
            s->rx_frames++;
        } else {
            memset(s->io + SB_IO_RX + (size_t) t * SB_FRAME, s->idle, SB_FRAME);
            *rxf = 0;
            if (s->ch[t].state == CH_UP) s->underruns++;
        }
    }
    pthread_mutex_unlock(&pr->mu);
}

static void dahdi_audio_tick(sb_span *s) {
    for (int t = 1; t < SB_MAXCH; t++) {
        int fd = s->ch[t].fd;
        if (fd < 0) continue;
        uint8_t *txf = &s->io[SB_IO_TXFLAG + t];
        uint8_t *rxf = &s->io[SB_IO_RXFLAG + t];
        ssize_t n = read(fd, s->io + SB_IO_RX + (size_t) t * SB_FRAME, SB_FRAME);
        if (n == SB_FRAME && s->ch[t].state != CH_IDLE) { *rxf = 1; s->rx_frames++; }
        else { *rxf = 0; if (n < 0 && errno == ELAST) dahdi_check_event(s, fd); }
        const uint8_t *src = s->io + SB_IO_TX + (size_t) t * SB_FRAME;
        if (!*txf) {
            memset(s->io + SB_IO_TX + (size_t) t * SB_FRAME, s->idle, SB_FRAME);   /* idle code of the law */
        } else {
            s->tx_frames++;
        }
        *txf = 0;
        if (write(fd, src, SB_FRAME) < 0 && errno == ELAST) dahdi_check_event(s, fd);
    }
}


/* ---------------------------------------------------------------- MFC/R2 (openr2)
 *
 * openr2 1.3.3 talks to a DAHDI channel with ioctl(), read() and write() on its descriptor. On a
 * card that is what happens. In the simulation, each R2 channel is an eventfd that openr2 takes for
 * a DAHDI channel: libopenr2's own calls to ioctl/read/write are redirected (its PLT entries, once,
 * at the first R2 span) to the emulation below, which answers the dozen DAHDI requests openr2 makes
 * from the pair's CAS bits and audio rings and passes any other descriptor to the C library.
 * MF tones are openr2's own, carried as audio, paced at one 20 ms block per tick each way.
 */

struct sb_r2sim {
    sb_span *s;
    int ts;
    int fd;
    int rx_ready;
    int tx_budget;
    uint8_t rx[SB_FRAME];
    int events[16];
    int ev_head, ev_count;
};

#define R2_SLOTS 1024
static pthread_mutex_t r2_mu = PTHREAD_MUTEX_INITIALIZER;   /* the fd table and every emulated channel */
static sb_r2sim *r2_table[R2_SLOTS];

static sb_r2sim *r2_find(int fd) {
    if (fd < 0) return NULL;
    for (int i = 0; i < R2_SLOTS; i++) {
        sb_r2sim *c = r2_table[(fd + i) % R2_SLOTS];
        if (c && c->fd == fd) return c;
        if (!c) return NULL;
    }
    return NULL;
}

static int r2_add(sb_r2sim *c) {
    for (int i = 0; i < R2_SLOTS; i++) {
        sb_r2sim **slot = &r2_table[(c->fd + i) % R2_SLOTS];
        if (!*slot) { *slot = c; return 0; }
    }
    return -1;
}

static void r2_remove(sb_r2sim *c) {
    /* removal from open addressing: take the entry out and put back the ones after it */
    int at = -1;
    for (int i = 0; i < R2_SLOTS; i++) {
        int k = (c->fd + i) % R2_SLOTS;
        if (r2_table[k] == c) { at = k; break; }
        if (!r2_table[k]) return;
    }
    if (at < 0) return;
    r2_table[at] = NULL;
    for (int k = (at + 1) % R2_SLOTS; r2_table[k]; k = (k + 1) % R2_SLOTS) {
        sb_r2sim *moved = r2_table[k];
        r2_table[k] = NULL;
        r2_add(moved);
    }
}

static void r2_push_event(sb_r2sim *c, int ev) {
    if (c->ev_count == 16) return;
    c->events[(c->ev_head + c->ev_count) % 16] = ev;
    c->ev_count++;
}

static int r2_emulate(sb_r2sim *c, unsigned long req, void *arg) {
    sb_pair *pr = c->s->pair;
    int side = c->s->side;
    if (!arg) { errno = EFAULT; return -1; }
    switch (req) {
    case DAHDI_CHANNO:
        *(int *) arg = c->ts;
        return 0;
    case DAHDI_GET_PARAMS: {
        struct dahdi_params *p = arg;
        memset(p, 0, sizeof *p);
        p->channo = c->ts;
        p->spanno = 1;
        p->chanpos = c->ts;
        p->sigtype = DAHDI_SIG_CAS;
        p->sigcap = DAHDI_SIG_CAS;
        p->curlaw = DAHDI_LAW_ALAW;
        return 0;
    }
    case DAHDI_GET_BUFINFO: {
        struct dahdi_bufferinfo *b = arg;
        memset(b, 0, sizeof *b);
        b->numbufs = 4;
        b->bufsize = SB_FRAME;
        return 0;
    }
    case DAHDI_SET_BUFINFO: {
        struct dahdi_bufferinfo *b = arg;
        if (b->bufsize != SB_FRAME) { errno = EINVAL; return -1; }   /* openr2 asks for 160: the only size carried */
        return 0;
    }
    case DAHDI_SETGAINS:
    case DAHDI_SETLAW:
    case DAHDI_ECHOCANCEL:
        return 0;
    case DAHDI_SETTXBITS: {
        int bits = *(int *) arg & 0xF;
        pthread_mutex_lock(&pr->mu);
        int changed = pr->cas[side][c->ts] != bits;
        pr->cas[side][c->ts] = (uint8_t) bits;
        sb_r2sim *peer = pr->r2[1 - side][c->ts];
        int dead = (pr->alarm[0] | pr->alarm[1]) & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE);
        pthread_mutex_unlock(&pr->mu);
        if (changed && peer && !dead) {
            r2_push_event(peer, DAHDI_EVENT_BITSCHANGED);
            uint64_t one = 1;
            if (write(peer->s->wakefd, &one, sizeof one) < 0) { /* the peer polls every tick anyway */ }
        }
        return 0;
    }
    case DAHDI_GETRXBITS:
        pthread_mutex_lock(&pr->mu);
        *(int *) arg = pr->cas[1 - side][c->ts];
        pthread_mutex_unlock(&pr->mu);
        return 0;
    case DAHDI_FLUSH: {
        int what = *(int *) arg;
        if (what & DAHDI_FLUSH_READ) c->rx_ready = 0;
        if (what & DAHDI_FLUSH_EVENT) c->ev_count = 0;
        return 0;
    }
    case DAHDI_IOMUX: {
        int want = *(int *) arg, got = 0;
        if ((want & DAHDI_IOMUX_SIGEVENT) && c->ev_count) got |= DAHDI_IOMUX_SIGEVENT;
        if ((want & DAHDI_IOMUX_READ) && c->rx_ready) got |= DAHDI_IOMUX_READ;
        if ((want & DAHDI_IOMUX_WRITE) && c->tx_budget > 0) got |= DAHDI_IOMUX_WRITE;
        *(int *) arg = got;
        return 0;
    }
    case DAHDI_GETEVENT:
        if (c->ev_count) {
            *(int *) arg = c->events[c->ev_head];
            c->ev_head = (c->ev_head + 1) % 16;
            c->ev_count--;
        } else {
            *(int *) arg = DAHDI_EVENT_NONE;
        }
        return 0;
    default:
        errno = ENOTTY;
        return -1;
    }
}

static int hook_ioctl(int fd, unsigned long req, ...) {
    va_list ap;
    va_start(ap, req);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    pthread_mutex_lock(&r2_mu);
    sb_r2sim *c = r2_find(fd);
    int rc = c ? r2_emulate(c, req, arg) : -2;
    pthread_mutex_unlock(&r2_mu);
    return rc == -2 ? ioctl(fd, req, arg) : rc;
}

static ssize_t hook_read(int fd, void *buf, size_t n) {
    pthread_mutex_lock(&r2_mu);
    sb_r2sim *c = r2_find(fd);
    if (!c) {
        pthread_mutex_unlock(&r2_mu);
        return read(fd, buf, n);
    }
    ssize_t rc;
    if (!c->rx_ready) {
        errno = EAGAIN;
        rc = -1;
    } else {
        size_t k = n < SB_FRAME ? n : SB_FRAME;
        memcpy(buf, c->rx, k);
        c->rx_ready = 0;
        rc = (ssize_t) k;
    }
    pthread_mutex_unlock(&r2_mu);
    return rc;
}

static ssize_t hook_write(int fd, const void *buf, size_t n) {
    pthread_mutex_lock(&r2_mu);
    sb_r2sim *c = r2_find(fd);
    if (!c) {
        pthread_mutex_unlock(&r2_mu);
        return write(fd, buf, n);
    }
    ssize_t rc;
    if (c->tx_budget <= 0) {
        errno = EAGAIN;
        rc = -1;
    } else {
        uint8_t block[SB_FRAME];
        size_t k = n < SB_FRAME ? n : SB_FRAME;
        memcpy(block, buf, k);
        if (k < SB_FRAME) memset(block + k, 0xD5, SB_FRAME - k);
        c->tx_budget--;
        sb_pair *pr = c->s->pair;
        pthread_mutex_lock(&pr->mu);
        if (!((pr->alarm[0] | pr->alarm[1]) & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE)))
            ring_push(pr, c->s->side, c->ts, block);
        pthread_mutex_unlock(&pr->mu);
        rc = (ssize_t) n;
    }
    pthread_mutex_unlock(&r2_mu);
    return rc;
}

/* Points libopenr2's ioctl, read and write at the hooks (its GOT entries). 0 when done. */
static int hooked = -1;
static int patch_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    if (!info->dlpi_name || !strstr(info->dlpi_name, "libopenr2.so")) return 0;
    ElfW(Addr) base = info->dlpi_addr;
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) dyn = (const ElfW(Dyn) *) (base + info->dlpi_phdr[i].p_vaddr);
    if (!dyn) return 1;
    ElfW(Addr) jmprel = 0, rela = 0, symtab = 0, strtab = 0;
    size_t jmpsz = 0, relasz = 0;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
        case DT_JMPREL: jmprel = dyn->d_un.d_ptr; break;
        case DT_PLTRELSZ: jmpsz = dyn->d_un.d_val; break;
        case DT_RELA: rela = dyn->d_un.d_ptr; break;
        case DT_RELASZ: relasz = dyn->d_un.d_val; break;
        case DT_SYMTAB: symtab = dyn->d_un.d_ptr; break;
        case DT_STRTAB: strtab = dyn->d_un.d_ptr; break;
        default: break;
        }
    }
#define ABS(a) ((a) && (a) < base ? (a) + base : (a))
    jmprel = ABS(jmprel); rela = ABS(rela); symtab = ABS(symtab); strtab = ABS(strtab);
#undef ABS
    if (!symtab || !strtab) return 1;
    int patched = 0;
    const ElfW(Rela) *tables[2] = {(const ElfW(Rela) *) jmprel, (const ElfW(Rela) *) rela};
    size_t counts[2] = {jmpsz / sizeof(ElfW(Rela)), relasz / sizeof(ElfW(Rela))};
    long page = sysconf(_SC_PAGESIZE);
    for (int tbl = 0; tbl < 2; tbl++) {
        if (!tables[tbl]) continue;
        for (size_t i = 0; i < counts[tbl]; i++) {
            const ElfW(Rela) *r = &tables[tbl][i];
            unsigned type = (unsigned) ELF64_R_TYPE(r->r_info);
            if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT) continue;
            const ElfW(Sym) *sym = &((const ElfW(Sym) *) symtab)[ELF64_R_SYM(r->r_info)];
            const char *name = (const char *) strtab + sym->st_name;
            void *to = !strcmp(name, "ioctl") ? (void *) hook_ioctl : !strcmp(name, "read") ? (void *) hook_read
                     : !strcmp(name, "write") ? (void *) hook_write : NULL;
            if (!to) continue;
            void **slot = (void **) (base + r->r_offset);
            uintptr_t pg = (uintptr_t) slot & ~(uintptr_t) (page - 1);
            if (mprotect((void *) pg, (size_t) page, PROT_READ | PROT_WRITE) != 0) continue;
            *slot = to;
            patched++;
        }
    }
    *(int *) data = patched;
    return 1;
}

static void install_r2_hooks(void) {
    int patched = 0;
    dl_iterate_phdr(patch_object, &patched);
    hooked = patched >= 3 ? 0 : -1;
}

static pthread_once_t r2_once = PTHREAD_ONCE_INIT;

static int q850_to_r2(int cause) {
    switch (cause) {
    case 17: return OR2_CAUSE_BUSY_NUMBER;
    case 1: case 3: return OR2_CAUSE_UNALLOCATED_NUMBER;
    case 34: case 42: case 44: return OR2_CAUSE_NETWORK_CONGESTION;
    case 27: case 38: return OR2_CAUSE_OUT_OF_ORDER;
    case 18: case 19: return OR2_CAUSE_NO_ANSWER;
    case 22: return OR2_CAUSE_NUMBER_CHANGED;
    case 16: return OR2_CAUSE_NORMAL_CLEARING;
    default: return OR2_CAUSE_UNSPECIFIED;
    }
}

static int r2_to_q850(openr2_call_disconnect_cause_t cause) {
    switch (cause) {
    case OR2_CAUSE_BUSY_NUMBER: return 17;
    case OR2_CAUSE_NETWORK_CONGESTION: return 34;
    case OR2_CAUSE_UNALLOCATED_NUMBER: return 1;
    case OR2_CAUSE_OUT_OF_ORDER: return 27;
    case OR2_CAUSE_NO_ANSWER: return 19;
    case OR2_CAUSE_NORMAL_CLEARING: return 16;
    case OR2_CAUSE_NUMBER_CHANGED: return 22;
    case OR2_CAUSE_COLLECT_CALL_REJECTED: return 21;
    case OR2_CAUSE_FORCED_RELEASE: return 16;
    default: return 31;
    }
}

static sb_chan *r2c(openr2_chan_t *ch) { return (sb_chan *) openr2_chan_get_client_data(ch); }

static void r2_text(sb_span *s, int ts, int type, const char *fmt, va_list ap) {
    if (!s || (type == SB_EV_TRACE && !s->trace)) return;
    char line[512];
    int n = snprintf(line, sizeof line, "ch %d: ", ts);
    if (n < 0) return;
    vsnprintf(line + n, sizeof line - (size_t) n, fmt, ap);
    size_t len = strnlen(line, sizeof line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    emit(s, type, ts, 0, 0, 0, 0, line, NULL, NULL);
}

static void r2_on_chan_log(openr2_chan_t *ch, openr2_log_level_t level, const char *fmt, va_list ap) {
    sb_chan *c = r2c(ch);
    if (!c) return;
    r2_text(c->owner, c->ts, (level & (OR2_LOG_ERROR | OR2_LOG_WARNING)) ? SB_EV_ERROR : SB_EV_TRACE, fmt, ap);
}

static void r2_on_context_log(openr2_context_t *ctx, openr2_log_level_t level, const char *fmt, va_list ap) {
    (void) ctx;
    r2_text(current, 0, (level & (OR2_LOG_ERROR | OR2_LOG_WARNING)) ? SB_EV_ERROR : SB_EV_TRACE, fmt, ap);
}

static void r2_on_call_init(openr2_chan_t *ch) { (void) ch; }

static void r2_on_call_offered(openr2_chan_t *ch, const char *ani, const char *dnis, openr2_calling_party_category_t cat) {
    sb_chan *c = r2c(ch);
    if (!c) return;
    sb_span *s = c->owner;
    c->state = CH_RING_IN;
    c->accepted = 0;
    c->want_answer = 0;
    c->pending |= R2_ACCEPT;
    emit(s, SB_EV_RING, c->ts, 0, (ani && *ani) ? 0 : 0x40, 0, (int) cat, ani ? ani : "", dnis ? dnis : "", "");
}

static void r2_on_call_accepted(openr2_chan_t *ch, openr2_call_mode_t mode) {
    (void) mode;
    sb_chan *c = r2c(ch);
    if (!c) return;
    c->accepted = 1;
    if (c->state == CH_RING_IN) {
        if (c->want_answer) c->pending |= R2_ANSWER;
    } else if (c->state == CH_DIALLING) {
        emit(c->owner, SB_EV_RINGING, c->ts, 0, 0, 0, 0, NULL, NULL, NULL);
    }
}

static void r2_on_call_answered(openr2_chan_t *ch) {
    sb_chan *c = r2c(ch);
    if (!c || c->state != CH_DIALLING) return;
    c->state = CH_UP;
    emit(c->owner, SB_EV_ANSWER, c->ts, 0, 0, 0, 0, NULL, NULL, NULL);
}

static void r2_on_call_disconnect(openr2_chan_t *ch, openr2_call_disconnect_cause_t cause) {
    sb_chan *c = r2c(ch);
    if (!c) return;
    if (c->state != CH_IDLE && c->state != CH_CLEARING)
        emit(c->owner, SB_EV_HANGUP, c->ts, r2_to_q850(cause), 0, 0, 0, NULL, NULL, NULL);
    c->state = CH_CLEARING;
    c->pending |= R2_ACK_CLEAR;             /* answer the far end's clear-forward/back */
}

static void r2_on_call_end(openr2_chan_t *ch) {
    sb_chan *c = r2c(ch);
    if (c) chan_free(c->owner, c->ts);
}

static void r2_on_call_read(openr2_chan_t *ch, const unsigned char *buf, int len) {
    sb_chan *c = r2c(ch);
    if (!c || len <= 0) return;
    sb_span *s = c->owner;
    size_t k = (size_t) len < SB_FRAME ? (size_t) len : SB_FRAME;
    memcpy(s->io + SB_IO_RX + (size_t) c->ts * SB_FRAME, buf, k);
    if (k < SB_FRAME) memset(s->io + SB_IO_RX + (size_t) c->ts * SB_FRAME + k, s->idle, SB_FRAME - k);
    s->io[SB_IO_RXFLAG + c->ts] = 1;
    s->rx_frames++;
}

static void r2_on_hardware_alarm(openr2_chan_t *ch, int alarm) { (void) ch; (void) alarm; }

static void r2_on_os_error(openr2_chan_t *ch, int err) {
    sb_chan *c = r2c(ch);
    if (!c) return;
    char text[128];
    snprintf(text, sizeof text, "ch %d: R2 channel I/O error: %s", c->ts, strerror(err));
    emit(c->owner, SB_EV_ERROR, c->ts, err, 0, 0, 0, text, NULL, NULL);
}

static void r2_on_protocol_error(openr2_chan_t *ch, openr2_protocol_error_t error) {
    sb_chan *c = r2c(ch);
    if (!c) return;
    char text[160];
    snprintf(text, sizeof text, "ch %d: R2 protocol error: %s", c->ts, openr2_proto_get_error(error));
    emit(c->owner, SB_EV_ERROR, c->ts, (int) error, 0, 0, 0, text, NULL, NULL);
    if (c->state != CH_IDLE && c->state != CH_CLEARING)
        emit(c->owner, SB_EV_HANGUP, c->ts, PRI_CAUSE_PROTOCOL_ERROR, 0, 0, 0, NULL, NULL, NULL);
    chan_free(c->owner, c->ts);
    c->pending |= R2_RESET;
}

static void r2_on_line_state(openr2_chan_t *ch) { (void) ch; }
/* More DNIS digits wanted until the span's number of called digits is in (then ANI and category). */
static int r2_on_dnis_digit(openr2_chan_t *ch, char digit) {
    (void) digit;
    sb_chan *c = r2c(ch);
    const char *dnis = openr2_chan_get_dnis(ch);
    int want = c && c->owner->p.r2_max_dnis > 0 ? c->owner->p.r2_max_dnis : 4;
    return dnis && (int) strnlen(dnis, 64) < want;
}
static void r2_on_ani_digit(openr2_chan_t *ch, char digit) { (void) ch; (void) digit; }
static void r2_on_billing(openr2_chan_t *ch) { (void) ch; }

static const openr2_event_interface_t r2_events_template = {
    .on_call_init = r2_on_call_init,
    .on_call_offered = r2_on_call_offered,
    .on_call_accepted = r2_on_call_accepted,
    .on_call_answered = r2_on_call_answered,
    .on_call_disconnect = r2_on_call_disconnect,
    .on_call_end = r2_on_call_end,
    .on_call_read = r2_on_call_read,
    .on_hardware_alarm = r2_on_hardware_alarm,
    .on_os_error = r2_on_os_error,
    .on_protocol_error = r2_on_protocol_error,
    .on_line_blocked = r2_on_line_state,
    .on_line_idle = r2_on_line_state,
    .on_context_log = r2_on_context_log,
    .on_dnis_digit_received = r2_on_dnis_digit,
    .on_ani_digit_received = r2_on_ani_digit,
    .on_billing_pulse_received = r2_on_billing,
};

static void r2_pending(sb_span *s, int t) {
    sb_chan *c = &s->ch[t];
    for (int guard = 0; guard < 4 && c->pending; guard++) {
        int p = c->pending;
        c->pending = 0;
        if (p & R2_RESET) { openr2_chan_set_idle(c->r2); continue; }
        if (p & R2_ACCEPT) openr2_chan_accept_call(c->r2, OR2_CALL_NO_CHARGE);
        if ((p & R2_ANSWER) && c->state == CH_RING_IN) {
            if (openr2_chan_answer_call(c->r2) == 0) c->state = CH_UP;
        }
        if (p & R2_ACK_CLEAR) openr2_chan_disconnect_call(c->r2, OR2_CAUSE_NORMAL_CLEARING);
    }
}

static void r2_tick(sb_span *s) {
    if (s->kind == SB_SIM) {
        sb_pair *pr = s->pair;
        int in = 1 - s->side;
        pthread_mutex_lock(&r2_mu);
        pthread_mutex_lock(&pr->mu);
        int dead = (pr->alarm[0] | pr->alarm[1]) & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE);
        for (int t = 1; t < SB_MAXCH; t++) {
            sb_r2sim *c = s->ch[t].sim;
            if (!c) continue;
            if (dead || !ring_pop(pr, in, t, c->rx)) memset(c->rx, 0xD5, SB_FRAME);   /* a live E1 never stops */
            c->rx_ready = !dead;
            c->tx_budget = 1;
        }
        pthread_mutex_unlock(&pr->mu);
        pthread_mutex_unlock(&r2_mu);
    }
    for (int t = 1; t < SB_MAXCH; t++) {
        sb_chan *c = &s->ch[t];
        if (!c->r2) continue;
        uint8_t *txf = &s->io[SB_IO_TXFLAG + t];
        if (*txf) {
            *txf = 0;
            if (c->state == CH_UP && openr2_chan_write(c->r2, s->io + SB_IO_TX + (size_t) t * SB_FRAME, SB_FRAME) > 0)
                s->tx_frames++;
        }
        openr2_chan_process_event(c->r2);
        r2_pending(s, t);
    }
}

static void r2_alarm_events(sb_span *s, int on) {
    if (s->kind != SB_SIM) return;
    pthread_mutex_lock(&r2_mu);
    for (int t = 1; t < SB_MAXCH; t++)
        if (s->ch[t].sim) r2_push_event(s->ch[t].sim, on ? DAHDI_EVENT_ALARM : DAHDI_EVENT_NOALARM);
    pthread_mutex_unlock(&r2_mu);
}

static int r2_open(sb_span *s, int dahdi_base, char err[SB_ERRLEN]);
static void r2_close(sb_span *s);

/* ---------------------------------------------------------------- poll */

static int64_t ms_until(const struct timeval *tv) {
    if (!tv) return -1;
    struct timeval now;
    gettimeofday(&now, NULL);
    int64_t ms = ((int64_t) tv->tv_sec - now.tv_sec) * 1000 + ((int64_t) tv->tv_usec - now.tv_usec) / 1000;
    return ms < 0 ? 0 : ms;
}

int sb_poll(sb_span *s, int max_ms) {
    current = s;
    int64_t to = s->pri ? ms_until(pri_schedule_next(s->pri)) : -1;
    if (to < 0 || to > max_ms) to = max_ms;
    struct pollfd fds[3] = {
        {.fd = s->dfd, .events = POLLIN | POLLPRI},
        {.fd = s->wakefd, .events = POLLIN},
        {.fd = s->tickfd, .events = POLLIN},
    };
    int rc = 0;
    int n = poll(fds, 3, (int) to);
    if (n < 0 && errno != EINTR) { current = NULL; return -1; }
    if (n > 0 && (fds[1].revents & POLLIN)) {
        uint64_t v;
        if (read(s->wakefd, &v, sizeof v) < 0) { /* nothing to do */ }
    }
    if (s->pri && n > 0 && (fds[0].revents & (POLLIN | POLLPRI))) {
        for (int i = 0; i < 64; i++) {                   /* frames waiting, bounded per poll */
            if ((size_t) ev_used(s) > s->evcap / 2) break;  /* let the reader drain first; the rest stays queued */
            s->got_frame = 0;
            pri_event *e = pri_check_event(s->pri);
            if (e) handle_event(s, e);
            if (!s->got_frame) break;
        }
    }
    pri_event *e;
    for (int i = 0; s->pri && i < 64 && (e = pri_schedule_run(s->pri)) != NULL; i++) handle_event(s, e);
    if (s->dahdi_event) {
        s->dahdi_event = 0;
        dahdi_check_event(s, s->dfd);
    }
    if (n > 0 && (fds[2].revents & POLLIN)) {
        uint64_t expirations = 0;
        if (read(s->tickfd, &expirations, sizeof expirations) == sizeof expirations) {
            s->ticks += expirations;
            if (expirations > 1) s->late_ticks += expirations - 1;
            if (s->r2ctx) r2_tick(s);
            else if (s->kind == SB_SIM) sim_audio_tick(s);
            else dahdi_audio_tick(s);
            rc |= 2;
        }
    }
    if (s->kind == SB_SIM) {
        pthread_mutex_lock(&s->pair->mu);
        int seen = s->pair->alarm[s->side];
        pthread_mutex_unlock(&s->pair->mu);
        if (seen != s->alarms) alarms_now(s, seen);
    }
    if (ev_used(s) > 4) rc |= 1;
    current = NULL;
    return rc;
}

int sb_bench_tick(sb_span *s) {
    current = s;
    if (s->r2ctx) r2_tick(s);
    else if (s->kind == SB_SIM) sim_audio_tick(s);
    else dahdi_audio_tick(s);
    current = NULL;
    return 2;
}

int sb_wake(sb_span *s) {
    uint64_t one = 1;
    return write(s->wakefd, &one, sizeof one) == sizeof one ? 0 : -1;
}

/* ---------------------------------------------------------------- open / close */

static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;
static void install_hooks(void) {
    pri_set_message(pri_message_hook);
    pri_set_error(pri_error_hook);
}

static void set_err(char err[SB_ERRLEN], const char *fmt, ...) {
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, SB_ERRLEN, fmt, ap);
    va_end(ap);
}

static sb_span *span_new(const sb_params *p, uint8_t *io, size_t iocap, uint8_t *ev, size_t evcap, char err[SB_ERRLEN]) {
    if (!io || iocap < SB_IO_SIZE) { set_err(err, "audio area of %zu bytes, %d needed", iocap, SB_IO_SIZE); return NULL; }
    if (!ev || evcap < SB_EV_MIN) { set_err(err, "event area of %zu bytes, %d needed", evcap, SB_EV_MIN); return NULL; }
    if (p->bchans & 1u) { set_err(err, "timeslot 0 cannot carry calls"); return NULL; }
    if (p->dchan < 1 || p->dchan >= SB_MAXCH || (p->bchans & (1u << p->dchan))) {
        set_err(err, "D-channel %d must be a timeslot 1-31 that carries no calls", p->dchan);
        return NULL;
    }
    if (p->t1 && (p->bchans >> 25)) { set_err(err, "a T1 span has timeslots 1-24 only"); return NULL; }
    pthread_once(&hooks_once, install_hooks);
    sb_span *s = calloc(1, sizeof *s);
    if (!s) { set_err(err, "out of memory"); return NULL; }
    s->p = *p;
    s->p.name[sizeof s->p.name - 1] = 0;
    s->io = io; s->iocap = iocap; s->ev = ev; s->evcap = evcap;
    s->dfd = s->wakefd = s->tickfd = -1;
    s->idle = p->alaw ? 0xD5 : 0xFF;
    for (int t = 0; t < SB_MAXCH; t++) s->ch[t].fd = -1;
    memset(io, 0, SB_IO_SIZE);
    uint32_t used = 4;
    memcpy(ev, &used, 4);
    s->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    s->tickfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (s->wakefd < 0 || s->tickfd < 0) {
        set_err(err, "eventfd/timerfd: %s", strerror(errno));
        sb_close(s);
        return NULL;
    }
    struct itimerspec its = {.it_interval = {0, 20000000}, .it_value = {0, 20000000}};
    timerfd_settime(s->tickfd, 0, &its, NULL);
    return s;
}

static int start_pri(sb_span *s, pri_io_cb rd, pri_io_cb wr, char err[SB_ERRLEN]) {
    current = s;
    s->pri = pri_new_cb(s->dfd, s->p.node, s->p.switchtype, rd, wr, s);
    current = NULL;
    if (!s->pri) { set_err(err, "libpri refused node %d switch type %d", s->p.node, s->p.switchtype); return -1; }
    pri_set_overlapdial(s->pri, 0);
    return 0;
}

sb_span *sb_open_sim(const sb_params *p, sb_span *peer, uint8_t *io, size_t iocap, uint8_t *ev, size_t evcap,
                     char err[SB_ERRLEN]) {
    if (peer && (peer->kind != SB_SIM || peer->pair->refs != 1)) {
        set_err(err, "the peer span is not the free end of a simulated pair");
        return NULL;
    }
    sb_span *s = span_new(p, io, iocap, ev, evcap, err);
    if (!s) return NULL;
    s->kind = SB_SIM;
    if (peer) {
        s->pair = peer->pair;
        s->side = 1 - peer->side;
        pthread_mutex_lock(&s->pair->mu);
        s->pair->refs++;
        pthread_mutex_unlock(&s->pair->mu);
    } else {
        sb_pair *pr = calloc(1, sizeof *pr);
        if (!pr) { set_err(err, "out of memory"); sb_close(s); return NULL; }
        pthread_mutex_init(&pr->mu, NULL);
        pr->refs = 1;
        memset(pr->cas, 0x9, sizeof pr->cas);   /* R2 idle both ways (A=1 B=0, C D = 0 1) until an end says otherwise */
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pr->sv) != 0) {
            set_err(err, "socketpair: %s", strerror(errno));
            pthread_mutex_destroy(&pr->mu);
            free(pr);
            sb_close(s);
            return NULL;
        }
        s->pair = pr;
        s->side = 0;
    }
    if (p->r2_variant) {
        if (r2_open(s, 0, err) != 0) { sb_close(s); return NULL; }
        return s;
    }
    s->dfd = s->pair->sv[s->side];
    if (start_pri(s, sim_read, sim_write, err) != 0) { sb_close(s); return NULL; }
    return s;
}

static int dahdi_open_chan(int channo, char err[SB_ERRLEN]) {
    int fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) { set_err(err, "/dev/dahdi/channel: %s (DAHDI driver loaded?)", strerror(errno)); return -1; }
    if (ioctl(fd, DAHDI_SPECIFY, &channo) != 0) {
        set_err(err, "DAHDI channel %d: %s", channo, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

sb_span *sb_open_dahdi(const sb_params *p, uint8_t *io, size_t iocap, uint8_t *ev, size_t evcap, char err[SB_ERRLEN]) {
    char path[96];
    snprintf(path, sizeof path, "/sys/bus/dahdi_spans/devices/span-%d/basechan", p->dahdi_span);
    FILE *f = fopen(path, "r");
    if (!f) { set_err(err, "no DAHDI span %d (%s: %s)", p->dahdi_span, path, strerror(errno)); return NULL; }
    int base = -1;
    if (fscanf(f, "%d", &base) != 1 || base < 1) base = -1;
    fclose(f);
    if (base < 1) { set_err(err, "DAHDI span %d is not configured (no base channel)", p->dahdi_span); return NULL; }
    sb_span *s = span_new(p, io, iocap, ev, evcap, err);
    if (!s) return NULL;
    s->kind = SB_DAHDI;
    if (p->r2_variant) {                     /* CAS channels: openr2 opens and drives them itself */
        if (r2_open(s, base, err) != 0) { sb_close(s); return NULL; }
        return s;
    }
    s->dfd = dahdi_open_chan(base + p->dchan - 1, err);
    if (s->dfd < 0) { sb_close(s); return NULL; }
    struct dahdi_params dp;
    memset(&dp, 0, sizeof dp);
    if (ioctl(s->dfd, DAHDI_GET_PARAMS, &dp) != 0 || (dp.sigtype != DAHDI_SIG_HDLCFCS && dp.sigtype != DAHDI_SIG_HARDHDLC)) {
        set_err(err, "DAHDI channel %d is not a D-channel (system.conf: dchan=%d)", base + p->dchan - 1, base + p->dchan - 1);
        sb_close(s);
        return NULL;
    }
    struct dahdi_bufferinfo bi;
    memset(&bi, 0, sizeof bi);
    bi.txbufpolicy = DAHDI_POLICY_IMMEDIATE;
    bi.rxbufpolicy = DAHDI_POLICY_IMMEDIATE;
    bi.numbufs = 32;
    bi.bufsize = 1024;
    ioctl(s->dfd, DAHDI_SET_BUFINFO, &bi);
    for (int t = 1; t < SB_MAXCH; t++) {
        if (!(p->bchans & (1u << t))) continue;
        int fd = dahdi_open_chan(base + t - 1, err);
        if (fd < 0) { sb_close(s); return NULL; }
        int bs = SB_FRAME, law = p->alaw ? DAHDI_LAW_ALAW : DAHDI_LAW_MULAW;
        if (ioctl(fd, DAHDI_SET_BLOCKSIZE, &bs) != 0 || ioctl(fd, DAHDI_SETLAW, &law) != 0) {
            set_err(err, "DAHDI channel %d: block size or law refused: %s", base + t - 1, strerror(errno));
            close(fd);
            sb_close(s);
            return NULL;
        }
        s->ch[t].fd = fd;
    }
    struct dahdi_spaninfo si;
    memset(&si, 0, sizeof si);
    si.spanno = p->dahdi_span;
    if (ioctl(s->dfd, DAHDI_SPANSTAT, &si) == 0) s->alarms = si.alarms;
    if (start_pri(s, dahdi_read, dahdi_write, err) != 0) { sb_close(s); return NULL; }
    return s;
}

/*
 * libpri 1.6 has no public destructor (pri_ctrl_destroy is static). The head of its controller is
 * stable (pri_internal.h: fd, read and write callbacks, userdata, msg_line, master, slave, then the
 * scheduler's timer array), so the two heap blocks it owns are freed through this view of it, after
 * checking that the view matches what we gave pri_new_cb; with any other layout only the controller
 * itself is freed (a small leak, never a bad free).
 */
struct libpri16_head {
    int fd;
    pri_io_cb read_func;
    pri_io_cb write_func;
    void *userdata;
    void *msg_line;
    struct pri *master;
    struct pri *slave;
    void *sched_timer;
};

static void pri_free(sb_span *s) {
    struct libpri16_head *h = (struct libpri16_head *) s->pri;
    int known = h->fd == s->dfd && h->userdata == s && h->master == NULL && h->slave == NULL
                && (h->read_func == sim_read || h->read_func == dahdi_read)
                && (h->write_func == sim_write || h->write_func == dahdi_write);
    if (known) {
        free(h->msg_line);
        free(h->sched_timer);
    }
    free(s->pri);
    s->pri = NULL;
}

void sb_close(sb_span *s) {
    if (!s) return;
    current = s;
    if (s->r2ctx) r2_close(s);
    if (s->pri) {
        for (int t = 1; t < SB_MAXCH; t++)
            if (s->ch[t].call) pri_destroycall(s->pri, s->ch[t].call);
        for (int i = 0; i < 64; i++)
            if (s->lingering[i]) pri_destroycall(s->pri, s->lingering[i]);
        pri_free(s);
    }
    current = NULL;
    for (int t = 0; t < SB_MAXCH; t++)
        if (s->ch[t].fd >= 0) close(s->ch[t].fd);
    if (s->kind == SB_DAHDI && s->dfd >= 0) close(s->dfd);
    if (s->r2ctx) { openr2_context_delete(s->r2ctx); s->r2ctx = NULL; }
    if (s->pair) {
        pthread_mutex_lock(&s->pair->mu);
        s->pair->alarm[1 - s->side] = DAHDI_ALARM_RED | DAHDI_ALARM_LOS;   /* the cable is gone */
        int left = --s->pair->refs;
        pthread_mutex_unlock(&s->pair->mu);
        if (left == 0) {
            close(s->pair->sv[0]);
            close(s->pair->sv[1]);
            pthread_mutex_destroy(&s->pair->mu);
            free(s->pair);
        }
    }
    if (s->wakefd >= 0) close(s->wakefd);
    if (s->tickfd >= 0) close(s->tickfd);
    free(s);
}

void sb_get_stats(sb_span *s, sb_stats *o) {
    memset(o, 0, sizeof *o);
    o->alarms = s->alarms;
    o->dchan_up = s->dchan_up;
    for (int t = 1; t < SB_MAXCH; t++)
        if (s->ch[t].state != CH_IDLE) o->busy |= 1u << t;
    o->ticks = s->ticks; o->late_ticks = s->late_ticks; o->rx_frames = s->rx_frames; o->tx_frames = s->tx_frames;
    o->underruns = s->underruns; o->dframes_in = s->dframes_in; o->dframes_out = s->dframes_out;
}

int sb_chan_state(sb_span *s, int t) {
    return (t > 0 && t < SB_MAXCH) ? s->ch[t].state : -1;
}

/* ---------------------------------------------------------------- R2 open / close */

static int r2_open(sb_span *s, int dahdi_base, char err[SB_ERRLEN]) {
    s->dfd = -1;
    if (s->kind == SB_SIM) {
        pthread_once(&r2_once, install_r2_hooks);
        if (hooked != 0) {
            set_err(err, "cannot run openr2 over the simulated span: libopenr2's I/O calls were not found");
            return -1;
        }
    }
    s->r2events = r2_events_template;         /* openr2 fills the members left NULL, in place */
    int dnis = s->p.r2_max_dnis > 0 && s->p.r2_max_dnis <= 20 ? s->p.r2_max_dnis : 4;
    s->r2ctx = openr2_context_new(NULL, &s->r2events, NULL, (openr2_variant_t) s->p.r2_variant, 20, dnis);
    if (!s->r2ctx) { set_err(err, "openr2 refused variant %d", s->p.r2_variant); return -1; }
    openr2_context_set_log_level(s->r2ctx, OR2_LOG_ERROR | OR2_LOG_WARNING);
    /* DNIS first, then category and ANI: in the China variant the requests for the next DNIS and the
     * next ANI digit are the same tone, so asking for ANI mid-DNIS is read as a DNIS request */
    openr2_context_set_ani_first(s->r2ctx, 0);
    for (int t = 1; t < SB_MAXCH; t++) {
        if (!(s->p.bchans & (1u << t))) continue;
        sb_chan *c = &s->ch[t];
        c->owner = s;
        c->ts = t;
        if (s->kind == SB_SIM) {
            sb_r2sim *sim = calloc(1, sizeof *sim);
            if (!sim) { set_err(err, "out of memory"); return -1; }
            sim->s = s;
            sim->ts = t;
            sim->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
            c->sim = sim;                      /* owned from here: r2_close frees it */
            if (sim->fd < 0) { set_err(err, "eventfd: %s", strerror(errno)); return -1; }
            pthread_mutex_lock(&r2_mu);
            int added = r2_add(sim);
            pthread_mutex_unlock(&r2_mu);
            if (added != 0) { set_err(err, "too many simulated R2 channels"); return -1; }
            pthread_mutex_lock(&s->pair->mu);
            s->pair->r2[s->side][t] = sim;
            pthread_mutex_unlock(&s->pair->mu);
            c->r2 = openr2_chan_new_from_fd(s->r2ctx, sim->fd, NULL, NULL);
        } else {
            c->r2 = openr2_chan_new(s->r2ctx, dahdi_base + t - 1, NULL, NULL);
        }
        if (!c->r2) {
            set_err(err, "openr2 could not take channel %d: %s", t,
                    openr2_context_error_string(openr2_context_get_last_error(s->r2ctx)));
            return -1;
        }
        openr2_chan_set_client_data(c->r2, c);
        openr2_chan_set_logging_func(c->r2, r2_on_chan_log);
        openr2_chan_set_log_level(c->r2, OR2_LOG_ERROR | OR2_LOG_WARNING);
        openr2_chan_set_idle(c->r2);
        openr2_chan_handle_cas(c->r2);
    }
    s->dchan_up = 1;                            /* no D-channel: signalling is up while the line is */
    emit(s, SB_EV_DCHAN_UP, 0, 0, 0, 0, 0, NULL, NULL, NULL);
    return 0;
}

static void r2_close(sb_span *s) {
    for (int t = 1; t < SB_MAXCH; t++) {
        sb_chan *c = &s->ch[t];
        c->r2 = NULL;                          /* openr2_context_delete frees the context's channels */
        if (c->sim) {
            /* one r2_mu section: the other end's SETTXBITS (under r2_mu) must not find it half gone */
            pthread_mutex_lock(&r2_mu);
            if (c->sim->fd >= 0) r2_remove(c->sim);
            pthread_mutex_lock(&s->pair->mu);
            s->pair->r2[s->side][t] = NULL;
            pthread_mutex_unlock(&s->pair->mu);
            if (c->sim->fd >= 0) close(c->sim->fd);
            free(c->sim);
            c->sim = NULL;
            pthread_mutex_unlock(&r2_mu);
        }
    }
}
