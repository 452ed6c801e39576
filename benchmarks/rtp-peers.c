/*
 * rtp-peers: the far ends of N bridged calls for benchmarks/relay-load.sh, written to cost as
 * little CPU as possible so that the box, not the generator, is what is measured.
 *
 * Two RTP peers per call send 50 packets/s of 20 ms mu-law each to the box's two legs; the box
 * relays each leg's packets to the other leg's peer. All peers share ONE socket: the box latches
 * each leg onto it (symmetric RTP), and the generator sends a whole tick with a few sendmmsg()
 * calls and reads with recvmmsg(). Each payload carries the sending peer's index, its sequence
 * number and its send time, so loss and the added delay per hop are measured end to end.
 *
 *   rtp-peers PORTS_FILE SECONDS WARMUP_SECONDS
 * PORTS_FILE: one call per line, "portA portB" (the box's RTP ports on 127.0.0.1).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>

#define PKT 172
#define BATCH 256

static int peers;
static struct sockaddr_in *box;
static uint32_t *next_seq;      /* per receiving peer: next sender sequence expected */
static uint64_t *received, *lost;
static volatile int measuring, running = 1;
static uint64_t hist[200001];   /* delay histogram in 10 us steps, up to 2 s */
static int sock;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + t.tv_nsec;
}

/* mu-law codes 0x80..0x8F survive decoding and re-encoding: 4 bits per byte */
static void put_nibbles(uint8_t *p, uint64_t v, int n) {
    for (int i = n - 1; i >= 0; i--) { p[i] = 0x80 | (v & 0xF); v >>= 4; }
}
static uint64_t get_nibbles(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = (v << 4) | (p[i] & 0xF);
    return v;
}

static void *receiver(void *arg) {
    (void) arg;
    static uint8_t bufs[BATCH][2048];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = bufs[i]; iov[i].iov_len = sizeof bufs[i];
        memset(&msgs[i], 0, sizeof msgs[i]);
        msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1;
    }
    while (running) {
        /* SO_RCVTIMEO (100 ms) bounds the wait: recvmmsg's own timeout is only checked between datagrams */
        int n = recvmmsg(sock, msgs, BATCH, MSG_WAITFORONE, NULL);
        if (n <= 0) continue;
        uint64_t t = now_ns();
        for (int i = 0; i < n; i++) {
            uint8_t *p = bufs[i];
            if (msgs[i].msg_len < 12 + 28 || (p[1] & 0x7F) != 0) continue;
            int from = (int) get_nibbles(p + 12 + 20, 8);     /* the sending peer */
            if (from < 0 || from >= peers) continue;
            int to = from ^ 1;                                 /* who it was relayed to */
            uint32_t seq = (uint32_t) get_nibbles(p + 12 + 16, 4);
            uint64_t sent = get_nibbles(p + 12, 16);
            if (received[to] > 0 && measuring) {
                uint32_t gap = (seq - next_seq[to]) & 0xFFFF;
                if (gap < 1000) lost[to] += gap;
            }
            next_seq[to] = (seq + 1) & 0xFFFF;
            if (measuring) {
                received[to]++;
                uint64_t d = t > sent ? (t - sent) / 10000 : 0;
                hist[d > 200000 ? 200000 : d]++;
            } else if (received[to] == 0) {
                received[to] = 1;
            }
        }
    }
    return NULL;
}

static double percentile(double q) {
    uint64_t total = 0, acc = 0;
    for (int i = 0; i <= 200000; i++) total += hist[i];
    for (int i = 0; i <= 200000; i++) {
        acc += hist[i];
        if (acc >= q * total) return i / 100.0;
    }
    return 2000.0;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: rtp-peers PORTS_FILE SECONDS WARMUP\n"); return 2; }
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 1; }
    int seconds = atoi(argv[2]), warmup = atoi(argv[3]);
    int cap = 1024, calls = 0, a, b;
    box = malloc(sizeof *box * cap * 2);
    while (fscanf(f, "%d %d", &a, &b) == 2) {
        if (calls * 2 + 2 > cap * 2) { cap *= 2; box = realloc(box, sizeof *box * cap * 2); }
        for (int s = 0; s < 2; s++) {
            struct sockaddr_in *x = &box[calls * 2 + s];
            memset(x, 0, sizeof *x);
            x->sin_family = AF_INET; x->sin_port = htons(s == 0 ? a : b);
            x->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        }
        calls++;
    }
    fclose(f);
    peers = calls * 2;
    next_seq = calloc(peers, sizeof *next_seq);
    received = calloc(peers, sizeof *received);
    lost = calloc(peers, sizeof *lost);

    sock = socket(AF_INET, SOCK_DGRAM, 0);
    int big = 32 << 20;
    if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) < 0)
        setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (setsockopt(sock, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) < 0)
        setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    struct timeval tv = {0, 100000};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in me = {0};
    me.sin_family = AF_INET; me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(sock, (struct sockaddr *) &me, sizeof me) < 0) { perror("bind"); return 1; }

    pthread_t rx;
    pthread_create(&rx, NULL, receiver, NULL);

    uint8_t (*pkts)[PKT] = malloc((size_t) peers * PKT);
    struct mmsghdr *msgs = calloc(peers, sizeof *msgs);
    struct iovec *iov = calloc(peers, sizeof *iov);
    for (int k = 0; k < peers; k++) {
        memset(pkts[k], 0xD5, PKT);
        iov[k].iov_base = pkts[k]; iov[k].iov_len = PKT;
        msgs[k].msg_hdr.msg_iov = &iov[k]; msgs[k].msg_hdr.msg_iovlen = 1;
        msgs[k].msg_hdr.msg_name = &box[k]; msgs[k].msg_hdr.msg_namelen = sizeof box[k];
    }
    uint64_t start = now_ns(), next = start, sent = 0, failures = 0;
    uint64_t end = start + (uint64_t) (warmup + seconds) * 1000000000ull;
    uint32_t seq = 0;
    /* each tick in 100 groups 0.2 ms apart, like phones that are not in step */
    int groups = 100, per = (peers + groups - 1) / groups;
    while (now_ns() < end) {
        measuring = now_ns() > start + (uint64_t) warmup * 1000000000ull;
        for (int g = 0; g < groups; g++) {
            uint64_t slot = next + (uint64_t) g * 200000ull;
            uint64_t t = now_ns();
            if (slot > t) {
                struct timespec d = {0, (long) (slot - t)};
                nanosleep(&d, NULL);
            }
            int from = g * per, count = from + per > peers ? peers - from : per;
            if (count <= 0) continue;
            uint64_t stamp = now_ns();
            for (int k = from; k < from + count; k++) {
                uint8_t *p = pkts[k];
                uint32_t ts = seq * 160, ssrc = 0x10000 + k;
                p[0] = 0x80; p[1] = 0;
                p[2] = seq >> 8; p[3] = seq;
                p[4] = ts >> 24; p[5] = ts >> 16; p[6] = ts >> 8; p[7] = ts;
                p[8] = ssrc >> 24; p[9] = ssrc >> 16; p[10] = ssrc >> 8; p[11] = ssrc;
                put_nibbles(p + 12, stamp, 16);
                put_nibbles(p + 12 + 16, seq & 0xFFFF, 4);
                put_nibbles(p + 12 + 20, (uint64_t) k, 8);
            }
            for (int done = 0; done < count;) {
                int n = sendmmsg(sock, msgs + from + done, count - done > 1024 ? 1024 : count - done, 0);
                if (n <= 0) { failures += count - done; break; }
                done += n;
            }
            sent += count;
        }
        seq = (seq + 1) & 0xFFFF;
        next += 20000000ull;
    }
    usleep(300000);
    running = 0;
    pthread_join(rx, NULL);
    uint64_t r = 0, l = 0;
    for (int k = 0; k < peers; k++) { r += received[k]; l += lost[k]; }
    printf("calls=%d packets_sent=%llu send_failures=%llu received_in_window=%llu lost=%llu loss=%.3f%%\n",
           calls, (unsigned long long) sent, (unsigned long long) failures, (unsigned long long) r,
           (unsigned long long) l, 100.0 * l / (double) (l + r > 0 ? l + r : 1));
    printf("added_delay_per_hop_ms p50=%.3f p99=%.3f p999=%.3f\n", percentile(0.5), percentile(0.99), percentile(0.999));
    return 0;
}
