/*
 * JNI face of the span bridge for org.switchboard.span.internal.SpanLib. Java never holds a pointer:
 * a handle is (generation << 8 | slot) into the table below, checked on every call, so a stale or
 * made-up handle is refused instead of freeing or writing through a bad pointer. The audio and event
 * areas are Java direct buffers, pinned by global references for as long as the span is open.
 */
#include "sbspan.h"

#include <jni.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 256

typedef struct {
    sb_span *s;
    jobject io, ev;
    uint32_t gen;
    int busy;                 /* a poll or command is inside the span: close waits for none */
} slot_t;

static slot_t slots[SLOTS];
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static uint32_t next_gen = 1;

static jlong handle_of(int i) { return (jlong) (((uint64_t) slots[i].gen << 8) | (uint64_t) i); }

/* The span of a handle, or NULL; on success the slot is marked busy until release(). */
static sb_span *acquire(jlong h, int *idx) {
    if (h <= 0) return NULL;
    int i = (int) (h & 0xff);
    uint32_t gen = (uint32_t) ((uint64_t) h >> 8);
    pthread_mutex_lock(&table_mu);
    sb_span *s = NULL;
    if (slots[i].s && slots[i].gen == gen) {
        s = slots[i].s;
        slots[i].busy++;
        *idx = i;
    }
    pthread_mutex_unlock(&table_mu);
    return s;
}

static void release(int i) {
    pthread_mutex_lock(&table_mu);
    slots[i].busy--;
    pthread_mutex_unlock(&table_mu);
}

static void throw_state(JNIEnv *env, const char *msg) {
    jclass c = (*env)->FindClass(env, "java/lang/IllegalStateException");
    if (c) (*env)->ThrowNew(env, c, msg);
}

static void err_out(JNIEnv *env, jbyteArray out, const char *err) {
    if (!out) return;
    jsize cap = (*env)->GetArrayLength(env, out);
    jsize n = (jsize) strnlen(err, SB_ERRLEN);
    if (n > cap) n = cap;
    (*env)->SetByteArrayRegion(env, out, 0, n, (const jbyte *) err);
}

static int copy_string(JNIEnv *env, jstring js, char *dst, size_t cap) {
    dst[0] = 0;
    if (!js) return 0;
    jsize len = (*env)->GetStringUTFLength(env, js);
    if (len < 0 || (size_t) len >= cap) return -1;
    (*env)->GetStringUTFRegion(env, js, 0, (*env)->GetStringLength(env, js), dst);
    dst[len] = 0;
    return 0;
}

static jlong open_span(JNIEnv *env, jobject io, jobject ev, jlong peer, jintArray cfg, jstring name, jbyteArray err,
                       int dahdi) {
    char errbuf[SB_ERRLEN] = "";
    sb_params p;
    memset(&p, 0, sizeof p);
    jint c[10];
    if (!cfg || (*env)->GetArrayLength(env, cfg) != 10) { err_out(env, err, "bad configuration array"); return 0; }
    (*env)->GetIntArrayRegion(env, cfg, 0, 10, c);
    p.node = c[0]; p.switchtype = c[1]; p.t1 = c[2]; p.alaw = c[3]; p.bchans = (uint32_t) c[4];
    p.dchan = c[5]; p.dahdi_span = c[6]; p.r2_variant = c[7]; p.r2_max_dnis = c[8];
    if (copy_string(env, name, p.name, sizeof p.name) != 0) { err_out(env, err, "span name longer than 31 bytes"); return 0; }
    uint8_t *iop = io ? (*env)->GetDirectBufferAddress(env, io) : NULL;
    uint8_t *evp = ev ? (*env)->GetDirectBufferAddress(env, ev) : NULL;
    jlong iocap = io ? (*env)->GetDirectBufferCapacity(env, io) : -1;
    jlong evcap = ev ? (*env)->GetDirectBufferCapacity(env, ev) : -1;
    if (!iop || !evp || iocap < 0 || evcap < 0) { err_out(env, err, "audio and event areas must be direct buffers"); return 0; }

    pthread_mutex_lock(&table_mu);
    int i;
    for (i = 1; i < SLOTS && slots[i].s; i++) { }
    if (i == SLOTS) { pthread_mutex_unlock(&table_mu); err_out(env, err, "too many open spans (255)"); return 0; }
    sb_span *peer_span = NULL;
    if (peer != 0) {
        int pi = (int) (peer & 0xff);
        if (peer < 0 || !slots[pi].s || slots[pi].gen != (uint32_t) ((uint64_t) peer >> 8)) {
            pthread_mutex_unlock(&table_mu);
            err_out(env, err, "the peer span is closed");
            return 0;
        }
        peer_span = slots[pi].s;
    }
    /* the peer's poll thread may run while we attach: sb_open_sim only touches the pair under its mutex */
    sb_span *s = dahdi ? sb_open_dahdi(&p, iop, (size_t) iocap, evp, (size_t) evcap, errbuf)
                       : sb_open_sim(&p, peer_span, iop, (size_t) iocap, evp, (size_t) evcap, errbuf);
    if (!s) { pthread_mutex_unlock(&table_mu); err_out(env, err, errbuf); return 0; }
    slots[i].s = s;
    slots[i].gen = next_gen++ & 0x7fffffu;
    if (slots[i].gen == 0) slots[i].gen = next_gen++;
    slots[i].busy = 0;
    slots[i].io = (*env)->NewGlobalRef(env, io);
    slots[i].ev = (*env)->NewGlobalRef(env, ev);
    jlong h = handle_of(i);
    pthread_mutex_unlock(&table_mu);
    return h;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) vm; (void) reserved;
    return JNI_VERSION_10;
}

JNIEXPORT jlong JNICALL Java_org_switchboard_span_internal_SpanLib_openSim(JNIEnv *env, jclass cls, jobject io, jobject ev,
        jlong peer, jintArray cfg, jstring name, jbyteArray err) {
    (void) cls;
    return open_span(env, io, ev, peer, cfg, name, err, 0);
}

JNIEXPORT jlong JNICALL Java_org_switchboard_span_internal_SpanLib_openDahdi(JNIEnv *env, jclass cls, jobject io, jobject ev,
        jintArray cfg, jstring name, jbyteArray err) {
    (void) cls;
    return open_span(env, io, ev, 0, cfg, name, err, 1);
}

JNIEXPORT jboolean JNICALL Java_org_switchboard_span_internal_SpanLib_close(JNIEnv *env, jclass cls, jlong h) {
    (void) cls;
    int i = (int) (h & 0xff);
    pthread_mutex_lock(&table_mu);
    if (h <= 0 || !slots[i].s || slots[i].gen != (uint32_t) ((uint64_t) h >> 8) || slots[i].busy) {
        int busy = h > 0 && slots[i].s && slots[i].busy;
        pthread_mutex_unlock(&table_mu);
        if (busy) throw_state(env, "span still in use by its poll thread");
        return JNI_FALSE;
    }
    sb_span *s = slots[i].s;
    jobject io = slots[i].io, ev = slots[i].ev;
    slots[i].s = NULL;
    slots[i].io = slots[i].ev = NULL;
    sb_close(s);
    pthread_mutex_unlock(&table_mu);
    (*env)->DeleteGlobalRef(env, io);
    (*env)->DeleteGlobalRef(env, ev);
    return JNI_TRUE;
}

JNIEXPORT jint JNICALL Java_org_switchboard_span_internal_SpanLib_poll(JNIEnv *env, jclass cls, jlong h, jint max_ms) {
    (void) env; (void) cls;
    int i;
    sb_span *s = acquire(h, &i);
    if (!s) return -1;
    int rc = sb_poll(s, max_ms < 0 ? 0 : (max_ms > 1000 ? 1000 : max_ms));
    release(i);
    return rc;
}

JNIEXPORT jint JNICALL Java_org_switchboard_span_internal_SpanLib_wake(JNIEnv *env, jclass cls, jlong h) {
    (void) env; (void) cls;
    int i;
    sb_span *s = acquire(h, &i);
    if (!s) return -1;
    int rc = sb_wake(s);
    release(i);
    return rc;
}

JNIEXPORT jint JNICALL Java_org_switchboard_span_internal_SpanLib_dial(JNIEnv *env, jclass cls, jlong h, jint chan,
        jstring called, jint called_plan, jstring calling, jint calling_plan, jint pres, jstring name) {
    (void) cls;
    char cd[64], cg[64], nm[64];
    if (copy_string(env, called, cd, sizeof cd) || copy_string(env, calling, cg, sizeof cg)
        || copy_string(env, name, nm, sizeof nm)) return -7;
    int i;
    sb_span *s = acquire(h, &i);
    if (!s) return -1;
    int rc = sb_dial(s, chan, cd, called_plan, cg, calling_plan, pres, nm);
    release(i);
    return rc;
}

#define SIMPLE(NAME, CALL) \
JNIEXPORT jint JNICALL Java_org_switchboard_span_internal_SpanLib_##NAME(JNIEnv *env, jclass cls, jlong h, jint a, jint b) { \
    (void) env; (void) cls; (void) a; (void) b; \
    int i; sb_span *s = acquire(h, &i); if (!s) return -1; int rc = CALL; release(i); return rc; }

SIMPLE(answer, sb_answer(s, a))
SIMPLE(hangup, sb_hangup(s, a, b))
SIMPLE(restart, sb_restart(s, a))
SIMPLE(simAlarm, sb_sim_set_alarm(s, a))
SIMPLE(trace, (sb_trace(s, a), 0))
SIMPLE(benchTick, sb_bench_tick(s))
SIMPLE(simMangle, sb_sim_mangle(s, a))

JNIEXPORT jint JNICALL Java_org_switchboard_span_internal_SpanLib_stats(JNIEnv *env, jclass cls, jlong h, jlongArray out) {
    (void) cls;
    if (!out || (*env)->GetArrayLength(env, out) < 10) return -2;
    int i;
    sb_span *s = acquire(h, &i);
    if (!s) return -1;
    sb_stats st;
    sb_get_stats(s, &st);
    release(i);
    jlong v[10] = {st.alarms, st.dchan_up, (jlong) st.busy, (jlong) st.ticks, (jlong) st.late_ticks, (jlong) st.rx_frames,
                   (jlong) st.tx_frames, (jlong) st.underruns, (jlong) st.dframes_in, (jlong) st.dframes_out};
    (*env)->SetLongArrayRegion(env, out, 0, 10, v);
    return 0;
}

JNIEXPORT jint JNICALL Java_org_switchboard_span_internal_SpanLib_layout(JNIEnv *env, jclass cls, jint what) {
    (void) env; (void) cls;
    switch (what) {
    case 0: return SB_IO_SIZE;
    case 1: return SB_EV_MIN;
    case 2: return SB_MAXCH;
    case 3: return SB_FRAME;
    default: return -1;
    }
}
