/*
 * Native tests of the span bridge over the simulated span pair, built with AddressSanitizer (and run
 * under valgrind) by the Maven build: a simulated carrier (libpri, network side) against the
 * appliance's side (CPE). Exits non-zero on the first failed check.
 */
#define _GNU_SOURCE
#include "sbspan.h"

#include <libpri.h>
#include <stddef.h>
#include <openr2.h>
#include <dahdi/user.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    int type, chan, a, b, c, d;
    char s1[128], s2[128], s3[128];
} ev_t;

typedef struct {
    sb_span *s;
    uint8_t io[SB_IO_SIZE];
    uint8_t ev[SB_EV_MIN];
    ev_t q[512];
    int nq;
    int up;
    int errors;               /* libpri's complaints seen */
    char last_error[128];
} side_t;

static side_t A, B;           /* A: carrier (network), B: appliance (CPE) */
static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__); fprintf(stderr, "\n"); exit(1); } } while (0)

static void parse(side_t *x) {
    uint32_t used;
    memcpy(&used, x->ev, 4);
    size_t off = 4;
    while (off + 24 <= used) {
        uint16_t size, type;
        memcpy(&size, x->ev + off, 2);
        memcpy(&type, x->ev + off + 2, 2);
        CHECK(size >= 30 && off + size <= used, "bad record size %u at %zu of %u", size, off, used);
        ev_t e;
        memset(&e, 0, sizeof e);
        int32_t v[5];
        memcpy(v, x->ev + off + 4, 20);
        e.type = type; e.chan = v[0]; e.a = v[1]; e.b = v[2]; e.c = v[3]; e.d = v[4];
        size_t p = off + 24;
        char *dst[3] = {e.s1, e.s2, e.s3};
        for (int i = 0; i < 3; i++) {
            uint16_t n;
            memcpy(&n, x->ev + p, 2);
            p += 2;
            size_t k = n < 127 ? n : 127;
            memcpy(dst[i], x->ev + p, k);
            dst[i][k] = 0;
            p += n;
        }
        if (e.type == SB_EV_DCHAN_UP) x->up = 1;
        if (e.type == SB_EV_DCHAN_DOWN) x->up = 0;
        if (e.type == SB_EV_ERROR) {
            x->errors++;
            snprintf(x->last_error, sizeof x->last_error, "%s", e.s1);
        }
        if ((e.type == SB_EV_TRACE || e.type == SB_EV_ERROR) && getenv("SB_TRACE"))
            printf("%s %s\n", x == &A ? "carrier" : "box", e.s1);
        if (e.type != SB_EV_TRACE && e.type != SB_EV_ERROR && x->nq < 512) x->q[x->nq++] = e;
        off += size;
    }
    used = 4;
    memcpy(x->ev, &used, 4);
}

static void step(void) {
    sb_poll(A.s, 2);
    parse(&A);
    sb_poll(B.s, 2);
    parse(&B);
}

/* Polls both ends until side x has an event of the type on the channel (0 = any), or 10 s pass. */
static ev_t wait_ev(side_t *x, int type, int chan) {
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        for (int i = 0; i < x->nq; i++) {
            if (x->q[i].type == type && (chan == 0 || x->q[i].chan == chan)) {
                ev_t e = x->q[i];
                memmove(&x->q[i], &x->q[i + 1], (size_t) (x->nq - i - 1) * sizeof(ev_t));
                x->nq--;
                return e;
            }
        }
        step();
        clock_gettime(CLOCK_MONOTONIC, &t);
        CHECK(t.tv_sec - t0.tv_sec < 10, "no event %d on channel %d within 10 s (side %s)", type, chan, x == &A ? "carrier" : "box");
    }
}

static sb_params params(int node, const char *name) {
    sb_params p;
    memset(&p, 0, sizeof p);
    p.node = node;
    p.switchtype = PRI_SWITCH_EUROISDN_E1;
    p.alaw = 1;
    p.bchans = 0xFFFEFFFEu;       /* 1-15, 17-31 */
    p.dchan = 16;
    snprintf(p.name, sizeof p.name, "%s", name);
    return p;
}

static int r2_variant;      /* 0: PRI pairs; else the openr2 variant of R2 pairs */

static void open_pair(void) {
    char err[SB_ERRLEN] = "";
    memset(&A, 0, sizeof A);
    memset(&B, 0, sizeof B);
    sb_params pa = params(PRI_NETWORK, "carrier"), pb = params(PRI_CPE, "span1");
    pa.r2_variant = pb.r2_variant = r2_variant;
    pa.r2_max_dnis = pb.r2_max_dnis = 4;
    A.s = sb_open_sim(&pa, NULL, A.io, sizeof A.io, A.ev, sizeof A.ev, err);
    CHECK(A.s, "open carrier: %s", err);
    B.s = sb_open_sim(&pb, A.s, B.io, sizeof B.io, B.ev, sizeof B.ev, err);
    CHECK(B.s, "open box: %s", err);
    wait_ev(&B, SB_EV_DCHAN_UP, 0);
    while (!A.up) step();
}

static void close_pair(void) {
    /* let the last acknowledgements land: libpri frees a sent I-frame only when it is acknowledged */
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        step();
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 60);
    sb_close(B.s);
    sb_close(A.s);
}

static void inbound_call_with_audio(void) {
    CHECK(sb_dial(A.s, 1, "01066668000", PRI_NATIONAL_ISDN, "13800138000", PRI_NATIONAL_ISDN,
                  PRES_ALLOWED_USER_NUMBER_NOT_SCREENED, "") == 0, "carrier dial");
    ev_t r = wait_ev(&B, SB_EV_RING, 1);
    CHECK(strcmp(r.s1, "13800138000") == 0 && strcmp(r.s2, "01066668000") == 0, "numbers %s -> %s", r.s1, r.s2);
    CHECK(r.a == PRI_NATIONAL_ISDN, "calling plan %x", r.a);
    wait_ev(&A, SB_EV_RINGING, 1);
    CHECK(sb_answer(B.s, 1) == 0, "answer");
    wait_ev(&A, SB_EV_ANSWER, 1);
    /* audio: the carrier sends numbered frames, the box echoes what it hears, the carrier hears them back */
    int sent = 0, heard_box = 0, heard_back = 0;
    uint8_t last_box = 0;
    for (int i = 0; i < 400 && heard_back < 20; i++) {
        if (!A.io[SB_IO_TXFLAG + 1]) {
            memset(A.io + SB_IO_TX + SB_FRAME, 0x10 + (sent % 64), SB_FRAME);
            A.io[SB_IO_TXFLAG + 1] = 1;
            sent++;
        }
        step();
        if (B.io[SB_IO_RXFLAG + 1]) {
            uint8_t v = B.io[SB_IO_RX + SB_FRAME];
            CHECK(heard_box == 0 || v == (uint8_t) (0x10 + ((last_box - 0x10 + 1) % 64)), "box heard %x after %x", v, last_box);
            last_box = v;
            heard_box++;
            memcpy(B.io + SB_IO_TX + SB_FRAME, B.io + SB_IO_RX + SB_FRAME, SB_FRAME);
            B.io[SB_IO_TXFLAG + 1] = 1;
            B.io[SB_IO_RXFLAG + 1] = 0;
        }
        if (A.io[SB_IO_RXFLAG + 1]) {
            uint8_t v = A.io[SB_IO_RX + SB_FRAME];
            CHECK(v >= 0x10 && v < 0x50, "carrier heard %x", v);
            heard_back++;
            A.io[SB_IO_RXFLAG + 1] = 0;
        }
    }
    CHECK(heard_back >= 20, "carrier heard %d frames back (box heard %d)", heard_back, heard_box);
    CHECK(sb_hangup(A.s, 1, PRI_CAUSE_NORMAL_CLEARING) == 0, "carrier hangup");
    ev_t h = wait_ev(&B, SB_EV_HANGUP, 1);
    CHECK(h.a == 16, "cause %d", h.a);
    wait_ev(&B, SB_EV_FREED, 1);
    wait_ev(&A, SB_EV_FREED, 1);
    CHECK(sb_chan_state(B.s, 1) == 0 && sb_chan_state(A.s, 1) == 0, "channel 1 idle");
    printf("ok inbound call, audio both ways, cause 16\n");
}

static void outbound_call_withheld(void) {
    CHECK(sb_dial(B.s, 17, "13900139000", PRI_NATIONAL_ISDN, "01066668000", PRI_NATIONAL_ISDN,
                  PRES_PROHIB_USER_NUMBER_NOT_SCREENED, "") == 0, "box dial");
    ev_t r = wait_ev(&A, SB_EV_RING, 17);
    CHECK(strcmp(r.s2, "13900139000") == 0, "called %s", r.s2);
    CHECK((r.b & PRI_PRES_RESTRICTION) == PRI_PRES_RESTRICTED, "presentation %x", r.b);
    wait_ev(&B, SB_EV_RINGING, 17);
    CHECK(sb_answer(A.s, 17) == 0, "far answer");
    wait_ev(&B, SB_EV_ANSWER, 17);
    CHECK(sb_hangup(B.s, 17, PRI_CAUSE_NORMAL_CLEARING) == 0, "box hangup");
    ev_t h = wait_ev(&A, SB_EV_HANGUP, 17);
    CHECK(h.a == 16, "cause %d", h.a);
    wait_ev(&B, SB_EV_FREED, 17);
    printf("ok outbound call, withheld number\n");
}

static void thirty_calls(void) {
    sb_trace(A.s, 1);          /* with both ends tracing, the trace lines must not crowd out a call */
    sb_trace(B.s, 1);
    for (int t = 1; t < 32; t++) {
        if (t == 16) continue;
        char from[16];
        snprintf(from, sizeof from, "1380000%04d", t);
        CHECK(sb_dial(A.s, t, "01066668000", PRI_NATIONAL_ISDN, from, PRI_NATIONAL_ISDN, 0, "") == 0, "dial %d", t);
    }
    for (int t = 1; t < 32; t++) {
        if (t == 16) continue;
        wait_ev(&B, SB_EV_RING, t);
        CHECK(sb_answer(B.s, t) == 0, "answer %d", t);
    }
    for (int t = 1; t < 32; t++) if (t != 16) wait_ev(&A, SB_EV_ANSWER, t);
    CHECK(sb_dial(A.s, 5, "01066668000", PRI_NATIONAL_ISDN, "1", 0, 0, "") == -2, "busy channel refused locally");
    sb_stats st;
    sb_get_stats(B.s, &st);
    CHECK(st.busy == 0xFFFEFFFEu, "busy %x", st.busy);
    sb_trace(A.s, 0);
    sb_trace(B.s, 0);
    printf("ok 30 calls up with the Q.931 trace on at both ends\n");
}

static void alarm_ends_calls(void) {
    CHECK(sb_sim_set_alarm(B.s, SB_SIM_LOS) == 0, "alarm");
    ev_t al = wait_ev(&B, SB_EV_ALARM, 0);
    CHECK(al.a & DAHDI_ALARM_RED, "alarm bits %x", al.a);
    int ended = 0;
    for (int t = 1; t < 32; t++) {
        if (t == 16) continue;
        ev_t h = wait_ev(&B, SB_EV_HANGUP, t);
        CHECK(h.a == PRI_CAUSE_NETWORK_OUT_OF_ORDER, "cause %d", h.a);
        ended++;
    }
    ev_t far = wait_ev(&A, SB_EV_ALARM, 0);
    CHECK(far.a & DAHDI_ALARM_YELLOW, "far end sees %x", far.a);
    for (int t = 1; t < 32; t++) if (t != 16) wait_ev(&A, SB_EV_HANGUP, t);
    sb_stats st;
    sb_get_stats(B.s, &st);
    CHECK(st.busy == 0, "busy after alarm %x", st.busy);
    CHECK(sb_sim_set_alarm(B.s, SB_SIM_CLEAR) == 0, "clear");
    ev_t clr = wait_ev(&B, SB_EV_ALARM, 0);
    CHECK(clr.a == 0, "cleared bits %x", clr.a);
    /* libpri notices the lost link by itself and brings it back when frames flow again */
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        step();
        clock_gettime(CLOCK_MONOTONIC, &t);
        CHECK(t.tv_sec - t0.tv_sec < 30, "D-channel not back within 30 s");
    } while (!(B.up && A.up && sb_dial(A.s, 2, "01066668000", PRI_NATIONAL_ISDN, "1", 0, 0, "") == 0));
    wait_ev(&B, SB_EV_RING, 2);
    sb_hangup(A.s, 2, 16);
    wait_ev(&B, SB_EV_HANGUP, 2);
    printf("ok LOS ended %d calls with cause 38, carrier saw RAI, span came back\n", ended);
}

static void glare(void) {
    /* both ends seize timeslot 9 at once: one call is refused with cause 44, the other goes through */
    CHECK(sb_dial(A.s, 9, "01066668000", PRI_NATIONAL_ISDN, "1", 0, 0, "") == 0, "carrier dial 9");
    CHECK(sb_dial(B.s, 9, "13900139000", PRI_NATIONAL_ISDN, "2", 0, 0, "") == 0, "box dial 9");
    ev_t ra = wait_ev(&A, SB_EV_REFUSED, 9);
    ev_t rb = wait_ev(&B, SB_EV_REFUSED, 9);
    CHECK(ra.a == PRI_CAUSE_REQUESTED_CHAN_UNAVAIL && rb.a == PRI_CAUSE_REQUESTED_CHAN_UNAVAIL, "glare causes %d %d", ra.a, rb.a);
    ev_t ha = wait_ev(&A, SB_EV_HANGUP, 9);
    ev_t hb = wait_ev(&B, SB_EV_HANGUP, 9);
    CHECK(ha.a == 44 && hb.a == 44, "glare hangups %d %d", ha.a, hb.a);
    wait_ev(&A, SB_EV_FREED, 9);
    wait_ev(&B, SB_EV_FREED, 9);
    printf("ok glare on timeslot 9: both seizures refused with cause 44, channel idle\n");
}

/* Bad Q.931 from the carrier: an unknown IE is ignored (the call arrives); a SETUP whose first IE
 * runs past its end is dropped with a complaint and the carrier's retransmission (T303) gets through. */
static void malformed_q931(void) {
    CHECK(sb_sim_mangle(A.s, SB_MANGLE_UNKNOWN_IE) == 0, "mangle");
    CHECK(sb_dial(A.s, 3, "01066668000", PRI_NATIONAL_ISDN, "13800138000", PRI_NATIONAL_ISDN, 0, "") == 0, "dial 3");
    ev_t r = wait_ev(&B, SB_EV_RING, 3);
    CHECK(strcmp(r.s2, "01066668000") == 0, "called %s", r.s2);
    sb_hangup(B.s, 3, 16);
    wait_ev(&A, SB_EV_HANGUP, 3);
    wait_ev(&B, SB_EV_FREED, 3);
    int errors = B.errors;
    CHECK(sb_sim_mangle(A.s, SB_MANGLE_TRUNCATED) == 0, "mangle");
    CHECK(sb_dial(A.s, 4, "01066668000", PRI_NATIONAL_ISDN, "13800138000", PRI_NATIONAL_ISDN, 0, "") == 0, "dial 4");
    ev_t r2 = wait_ev(&B, SB_EV_RING, 4);      /* the retransmitted SETUP, about T303 (4 s) later */
    CHECK(strcmp(r2.s1, "13800138000") == 0, "calling %s", r2.s1);
    CHECK(B.errors > errors, "no complaint about the malformed SETUP");
    sb_hangup(B.s, 4, 16);
    wait_ev(&B, SB_EV_FREED, 4);
    printf("ok malformed Q.931: unknown IE ignored; an IE past the message's end dropped (\"%s\"), the retransmission rang\n",
           B.last_error);
}

static void bad_params(void) {
    char err[SB_ERRLEN] = "";
    sb_params p = params(PRI_CPE, "bad");
    p.bchans |= 1u << 16;
    uint8_t io[SB_IO_SIZE], ev[SB_EV_MIN];
    CHECK(sb_open_sim(&p, NULL, io, sizeof io, ev, sizeof ev, err) == NULL && strstr(err, "D-channel"), "%s", err);
    p = params(PRI_CPE, "small");
    CHECK(sb_open_sim(&p, NULL, io, 100, ev, sizeof ev, err) == NULL && strstr(err, "audio area"), "%s", err);
    p.dahdi_span = 3;
    CHECK(sb_open_dahdi(&p, io, sizeof io, ev, sizeof ev, err) == NULL && strstr(err, "DAHDI span 3"), "%s", err);
    printf("ok bad parameters refused: %s\n", err);
}

/* An MFC/R2 call each way over CAS bits and MF tones (openr2 at both ends), with audio and clearing. */
static void r2_calls(int variant, const char *name) {
    r2_variant = variant;
    open_pair();
    if (getenv("SB_TRACE")) { sb_trace(A.s, 1); sb_trace(B.s, 1); }
    CHECK(sb_dial(A.s, 1, "8000", 0, "13800138000", 0, 0, "") == 0, "carrier R2 dial");
    ev_t r = wait_ev(&B, SB_EV_RING, 1);
    CHECK(strcmp(r.s1, "13800138000") == 0 && strcmp(r.s2, "8000") == 0, "R2 numbers %s -> %s", r.s1, r.s2);
    CHECK(sb_answer(B.s, 1) == 0, "R2 answer");
    wait_ev(&A, SB_EV_ANSWER, 1);
    int heard = 0;
    for (int i = 0; i < 200 && heard < 10; i++) {
        if (!A.io[SB_IO_TXFLAG + 1]) {
            memset(A.io + SB_IO_TX + SB_FRAME, 0x2A, SB_FRAME);
            A.io[SB_IO_TXFLAG + 1] = 1;
        }
        step();
        if (B.io[SB_IO_RXFLAG + 1]) {
            if (B.io[SB_IO_RX + SB_FRAME] == 0x2A) heard++;
            B.io[SB_IO_RXFLAG + 1] = 0;
        }
    }
    CHECK(heard >= 10, "box heard %d R2 speech frames", heard);
    CHECK(sb_hangup(A.s, 1, 16) == 0, "carrier R2 hangup");
    ev_t h = wait_ev(&B, SB_EV_HANGUP, 1);
    CHECK(h.a == 16, "R2 cause %d", h.a);
    wait_ev(&B, SB_EV_FREED, 1);
    wait_ev(&A, SB_EV_FREED, 1);
    /* and out: the box calls the carrier, the carrier answers, the box clears */
    CHECK(sb_dial(B.s, 31, "1390", 0, "01066668000", 0, 0, "") == 0, "box R2 dial");
    ev_t o = wait_ev(&A, SB_EV_RING, 31);
    CHECK(strcmp(o.s2, "1390") == 0, "R2 called %s", o.s2);
    CHECK(sb_answer(A.s, 31) == 0, "carrier R2 answer");
    wait_ev(&B, SB_EV_ANSWER, 31);
    CHECK(sb_hangup(B.s, 31, 16) == 0, "box R2 hangup");
    wait_ev(&A, SB_EV_HANGUP, 31);
    wait_ev(&B, SB_EV_FREED, 31);
    close_pair();
    r2_variant = 0;
    printf("ok MFC/R2 %s: call in with ANI and DNIS, speech, cause 16; call out answered and cleared\n", name);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int cycles = argc > 1 ? atoi(argv[1]) : 100;
    bad_params();
    r2_calls(OR2_VAR_ITU, "ITU");
    /* Not the China variant: openr2 1.3.3 as the calling (forward) end reads the A-1 that asks for
     * the next ANI digit as a request for more DNIS (China uses A-1 for both), so an openr2-to-openr2
     * China call stalls after the category. See docs/spans.md. */
    open_pair();
    sb_trace(B.s, 1);
    inbound_call_with_audio();
    sb_trace(B.s, 0);
    outbound_call_withheld();
    malformed_q931();
    glare();
    thirty_calls();
    alarm_ends_calls();
    close_pair();
    for (int i = 0; i < cycles; i++) {   /* open and close: every byte comes back (ASan/valgrind check leaks) */
        open_pair();
        close_pair();
    }
    printf("ok %d open/close cycles\n", cycles);
    return failures;
}
