/*
 * Switchboard span bridge: ISDN PRI spans (libpri) on DAHDI cards or on a simulated span pair.
 * Plain C, no JNI here (sbspan_jni.c wraps it), so the native tests run it under AddressSanitizer
 * and valgrind without a JVM.
 *
 * Threading: every function taking an sb_span runs on that span's poll thread, except
 * sb_wake() (any thread) and sb_open/sb_close (owner, with the poll thread stopped).
 */
#ifndef SBSPAN_H
#define SBSPAN_H

#include <stddef.h>
#include <stdint.h>

#define SB_MAXCH 32          /* timeslots 0..31; 0 unused */
#define SB_FRAME 160         /* 20 ms of G.711 at 8 kHz */
#define SB_RING 4            /* frames buffered per channel and direction in the simulated pair */
#define SB_ERRLEN 256

/* The audio area shared with the caller (Java: one direct buffer), fixed layout. */
#define SB_IO_RX 0
#define SB_IO_TX (SB_MAXCH * SB_FRAME)
#define SB_IO_RXFLAG (2 * SB_MAXCH * SB_FRAME)
#define SB_IO_TXFLAG (SB_IO_RXFLAG + SB_MAXCH)
#define SB_IO_SIZE (SB_IO_TXFLAG + SB_MAXCH)

/* Event records in the event area: after a 4-byte used length (the reader sets it back to 4 when
 * it has read them; every call on the span may append), each record is
 * u16 size, u16 type, i32 chan, i32 a, i32 b, i32 c, i32 d, then 3 strings of u16 length + bytes. */
#define SB_EV_MIN 65536
enum sb_event {
    SB_EV_DCHAN_UP = 1,
    SB_EV_DCHAN_DOWN = 2,
    SB_EV_RING = 3,        /* chan, a=calling plan, b=calling presentation, c=called plan, d=R2 category; s1 calling, s2 called, s3 name */
    SB_EV_PROCEEDING = 4,  /* chan */
    SB_EV_RINGING = 5,     /* chan */
    SB_EV_ANSWER = 6,      /* chan */
    SB_EV_HANGUP = 7,      /* chan, a=cause: the far end cleared (or the span failed) */
    SB_EV_FREED = 8,       /* chan: the B-channel is idle again */
    SB_EV_RESTART = 9,     /* chan (-1 = all) the far end restarted */
    SB_EV_ALARM = 10,      /* a=DAHDI alarm bits now (0 = none) */
    SB_EV_TRACE = 11,      /* s1=text: decoded Q.921/Q.931 while tracing */
    SB_EV_ERROR = 12,      /* s1=text: libpri's complaints (malformed messages, timers) */
    SB_EV_REFUSED = 13     /* chan, a=cause: an incoming SETUP refused (channel busy, glare) */
};

enum sb_kind { SB_SIM = 1, SB_DAHDI = 2 };

/* Alarms the simulated pair can raise on a span (what that span's receiver sees). */
enum sb_sim_alarm { SB_SIM_CLEAR = 0, SB_SIM_LOS = 1, SB_SIM_LOF = 2, SB_SIM_AIS = 3, SB_SIM_RAI = 4 };

typedef struct sb_params {
    int node;          /* PRI_CPE or PRI_NETWORK */
    int switchtype;    /* PRI_SWITCH_* */
    int t1;            /* 0 = E1, 1 = T1 */
    int alaw;          /* 1 = A-law, 0 = mu-law */
    uint32_t bchans;   /* bit t set = timeslot t carries calls */
    int dchan;         /* D-channel timeslot (16 on E1, 24 on T1) */
    int dahdi_span;    /* SB_DAHDI only: the DAHDI span number */
    int r2_variant;    /* 0 = ISDN PRI; else MFC/R2 with this openr2 variant (OR2_VAR_CHINA 40, OR2_VAR_ITU 100) */
    int r2_max_dnis;   /* R2: called-number digits to collect (1-20) */
    char name[32];
} sb_params;

typedef struct sb_span sb_span;

/* Opening: NULL and a reason in err when it cannot. io must be SB_IO_SIZE bytes, ev at least SB_EV_MIN. */
sb_span *sb_open_sim(const sb_params *p, sb_span *peer, uint8_t *io, size_t iocap, uint8_t *ev, size_t evcap,
                     char err[SB_ERRLEN]);
sb_span *sb_open_dahdi(const sb_params *p, uint8_t *io, size_t iocap, uint8_t *ev, size_t evcap, char err[SB_ERRLEN]);
void sb_close(sb_span *s);

/* Waits up to max_ms for D-channel traffic, timers, the 20 ms audio tick or a wake-up, and handles them.
 * Returns a bit set: 1 = events were written, 2 = an audio tick ran (rx frames delivered, tx taken), -1 on error. */
int sb_poll(sb_span *s, int max_ms);
int sb_wake(sb_span *s);

/* Commands; 0 = done, negative = refused (see sbspan.c). */
int sb_dial(sb_span *s, int chan, const char *called, int called_plan, const char *calling, int calling_plan,
            int calling_pres, const char *calling_name);
int sb_answer(sb_span *s, int chan);
int sb_hangup(sb_span *s, int chan, int cause);
int sb_restart(sb_span *s, int chan);
void sb_trace(sb_span *s, int on);
int sb_sim_set_alarm(sb_span *s, int alarm);
/* Simulation: the next Q.931 message this end sends gets an unknown information element, or a first
 * IE whose length runs past the end of the message (bad input for the far end). */
enum sb_mangle { SB_MANGLE_NONE = 0, SB_MANGLE_UNKNOWN_IE = 1, SB_MANGLE_TRUNCATED = 2 };
int sb_sim_mangle(sb_span *s, int how);
/* Runs one audio exchange at once, as the 20 ms tick does (for the JNI benchmark). */
int sb_bench_tick(sb_span *s);

/* Figures for the shell: bits of sb_stats below. */
typedef struct sb_stats {
    int alarms;        /* DAHDI_ALARM_* bits */
    int dchan_up;
    uint32_t busy;     /* bit t = timeslot t has a call */
    uint64_t ticks, late_ticks, rx_frames, tx_frames, underruns, dframes_in, dframes_out;
} sb_stats;
void sb_get_stats(sb_span *s, sb_stats *out);
int sb_chan_state(sb_span *s, int chan);  /* 0 idle, 1 ringing in, 2 dialling, 3 up, 4 clearing */

#endif
