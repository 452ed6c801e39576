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

#include <libpri.h>
#include <dahdi/user.h>

enum { CH_IDLE = 0, CH_RING_IN = 1, CH_DIALLING = 2, CH_UP = 3, CH_CLEARING = 4 };

typedef struct sb_chan {
    q931_call *call;
    int state;
    int fd;                   /* DAHDI B-channel, -1 in the simulation */
} sb_chan;

typedef struct sb_pair {
    pthread_mutex_t mu;
    int refs;
    int sv[2];                /* D-channel: sv[0] side 0, sv[1] side 1 */
    int alarm[2];             /* DAHDI alarm bits each side receives */
    /* audio: ring[dir][ts]: dir 0 carries side 0 -> side 1 */
    uint8_t ring[2][SB_MAXCH][SB_RING][SB_FRAME];
    uint8_t head[2][SB_MAXCH], count[2][SB_MAXCH];
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
};

/* libpri's message and error hooks are process-wide: they log for the span whose thread is in libpri. */
static __thread sb_span *current;

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

static int sim_write(struct pri *pri, void *buf, int buflen) {
    sb_span *s = (sb_span *) pri_get_userdata(pri);
    pthread_mutex_lock(&s->pair->mu);
    int down = (s->pair->alarm[s->side] | s->pair->alarm[1 - s->side]) & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE);
    pthread_mutex_unlock(&s->pair->mu);
    if (!down && buflen > 0 && send(s->dfd, buf, (size_t) buflen, MSG_DONTWAIT | MSG_NOSIGNAL) == buflen)
        s->dframes_out++;
    return buflen;           /* a frame lost on the line is the line's business: Q.921 retransmits */
}

static void dahdi_check_event(sb_span *s, int fd);

static int dahdi_read(struct pri *pri, void *buf, int buflen) {
    sb_span *s = (sb_span *) pri_get_userdata(pri);
    ssize_t n = read(s->dfd, buf, (size_t) buflen);
    if (n < 0) {
        if (errno == ELAST) { s->got_frame = 1; dahdi_check_event(s, s->dfd); }
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
    if (n < 0 && errno == ELAST) dahdi_check_event(s, s->dfd);
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
                    s->ch[i].call = NULL;                /* libpri dropped the calls of restarted channels */
                    chan_free(s, i);
                }
            emit(s, SB_EV_RESTART, -1, 0, 0, 0, 0, NULL, NULL, NULL);
        } else if (valid_bchan(s, t)) {
            if (s->ch[t].state != CH_IDLE && s->ch[t].state != CH_CLEARING)
                emit(s, SB_EV_HANGUP, t, PRI_CAUSE_NORMAL_TEMPORARY_FAILURE, 0, 0, 0, NULL, NULL, NULL);
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
    pri_set_debug(s->pri, on ? (PRI_DEBUG_Q931_DUMP | PRI_DEBUG_Q931_STATE | PRI_DEBUG_Q931_ANOMALY) : 0);
}

/* ---------------------------------------------------------------- alarms */

static void alarms_now(sb_span *s, int bits) {
    if (bits == s->alarms) return;
    int was_down = s->alarms & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE | DAHDI_ALARM_YELLOW);
    s->alarms = bits;
    emit(s, SB_EV_ALARM, 0, bits, 0, 0, 0, NULL, NULL, NULL);
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
                int c = pr->count[out][t];
                int slot = (pr->head[out][t] + c) % SB_RING;
                if (c == SB_RING) {                      /* far end not reading: drop the oldest */
                    pr->head[out][t] = (uint8_t) ((pr->head[out][t] + 1) % SB_RING);
                    slot = (pr->head[out][t] + SB_RING - 1) % SB_RING;
                } else {
                    pr->count[out][t] = (uint8_t) (c + 1);
                }
                memcpy(pr->ring[out][t][slot], s->io + SB_IO_TX + (size_t) t * SB_FRAME, SB_FRAME);
                s->tx_frames++;
            }
        }
        uint8_t *rxf = &s->io[SB_IO_RXFLAG + t];
        if (s->ch[t].state == CH_IDLE) { *rxf = 0; continue; }
        if (pr->count[in][t] > 0 && !dead) {
            memcpy(s->io + SB_IO_RX + (size_t) t * SB_FRAME, pr->ring[in][t][pr->head[in][t]], SB_FRAME);
            pr->head[in][t] = (uint8_t) ((pr->head[in][t] + 1) % SB_RING);
            pr->count[in][t]--;
            *rxf = 1;
            s->rx_frames++;
        } else {
            memset(s->io + SB_IO_RX + (size_t) t * SB_FRAME, s->idle, SB_FRAME);
            *rxf = 0;
            if (s->ch[t].state == CH_UP) s->underruns++;
        }
    }
    int seen = pr->alarm[s->side];
    pthread_mutex_unlock(&pr->mu);
    if (seen != s->alarms) alarms_now(s, seen);
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
            static uint8_t silence[2][SB_FRAME];
            if (!silence[0][0]) { memset(silence[0], 0xFF, SB_FRAME); memset(silence[1], 0xD5, SB_FRAME); }
            src = silence[s->p.alaw ? 1 : 0];
        } else {
            s->tx_frames++;
        }
        *txf = 0;
        if (write(fd, src, SB_FRAME) < 0 && errno == ELAST) dahdi_check_event(s, fd);
    }
}

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
    int64_t to = ms_until(pri_schedule_next(s->pri));
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
    if (n > 0 && (fds[0].revents & (POLLIN | POLLPRI))) {
        for (int i = 0; i < 64; i++) {                   /* frames waiting, bounded per poll */
            if ((size_t) ev_used(s) > s->evcap / 2) break;  /* let the reader drain first; the rest stays queued */
            s->got_frame = 0;
            pri_event *e = pri_check_event(s->pri);
            if (e) handle_event(s, e);
            if (!s->got_frame) break;
        }
    }
    pri_event *e;
    for (int i = 0; i < 64 && (e = pri_schedule_run(s->pri)) != NULL; i++) handle_event(s, e);
    if (n > 0 && (fds[2].revents & POLLIN)) {
        uint64_t expirations = 0;
        if (read(s->tickfd, &expirations, sizeof expirations) == sizeof expirations) {
            s->ticks += expirations;
            if (expirations > 1) s->late_ticks += expirations - 1;
            if (s->kind == SB_SIM) sim_audio_tick(s);
            else dahdi_audio_tick(s);
            rc |= 2;
        }
    }
    if (s->kind == SB_SIM && !(rc & 2)) {
        pthread_mutex_lock(&s->pair->mu);
        int seen = s->pair->alarm[s->side];
        pthread_mutex_unlock(&s->pair->mu);
        if (seen != s->alarms) alarms_now(s, seen);
    }
    if (ev_used(s) > 4) rc |= 1;
    current = NULL;
    return rc;
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
