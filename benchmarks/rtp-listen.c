/*
 * rtp-listen: receives the RTP the box sends to many calls on one UDP port and measures the
 * spacing of each stream's packets (by SSRC): a prompt should arrive every 20 ms; a larger gap is
 * audio late at the caller. For benchmarks/ivr-load.sh.
 *
 *   rtp-listen PORT SECONDS WARMUP_SECONDS
 * Prints streams, packets, the gap percentiles and the share of gaps over 30 ms, by the kernel's
 * receive timestamp of each packet (SO_TIMESTAMPNS: on loopback, when the box sent it; what a phone
 * on the network would see), not by when this program gets to read it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 8192
#define BATCH 256
/* Reading in bursts every few milliseconds rather than waking for each packet disturbs the box
 * less (a receiver on the box's own two cores is measurement equipment, not a caller's phone). */
#define LAZY_US 4000

static uint32_t ssrc[SLOTS];
static uint16_t last_seq[SLOTS];
static uint8_t used[SLOTS];
static uint64_t last_kernel_ns[SLOTS];
static uint64_t kernel_hist[20001]; /* gaps in 10 us steps, up to 200 ms */

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + t.tv_nsec;
}

static uint64_t real_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + t.tv_nsec;
}

static void percentiles(const char *label, const uint64_t *h, uint64_t gaps) {
    double pct[] = {0.5, 0.99, 0.999};
    double val[3] = {0, 0, 0};
    uint64_t over30 = 0, max_gap = 0;
    for (int g = 0; g <= 20000; g++) {
        if (h[g]) max_gap = (uint64_t) g;
        if (g > 3000) over30 += h[g];
    }
    for (int q = 0; q < 3; q++) {
        uint64_t want = (uint64_t) (gaps * pct[q]), acc = 0;
        for (int g = 0; g <= 20000; g++) { acc += h[g]; if (acc > want) { val[q] = g / 100.0; break; } }
    }
    printf("  %s: gaps p50=%.2f ms p99=%.2f ms p99.9=%.2f ms max=%.2f ms over_30ms=%.3f%%\n", label, val[0], val[1],
           val[2], max_gap / 100.0, gaps ? 100.0 * over30 / gaps : 0);
    printf("  share of gaps by length:");
    for (int ms = 16; ms < 30; ms++) {
        uint64_t n = 0;
        for (int g = ms * 100; g < (ms + 1) * 100; g++) n += h[g];
        if (n) printf(" %d-%d ms %.3f%%", ms, ms + 1, 100.0 * n / gaps);
    }
    printf("\n");
}

static int slot(uint32_t s) {
    uint32_t h = (s * 2654435761u) % SLOTS;
    for (int i = 0; i < SLOTS; i++) {
        uint32_t k = (h + i) % SLOTS;
        if (!used[k]) { used[k] = 1; ssrc[k] = s; last_kernel_ns[k] = 0; return (int) k; }
        if (ssrc[k] == s) return (int) k;
    }
    return -1;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: rtp-listen PORT SECONDS WARMUP_SECONDS\n"); return 2; }
    int port = atoi(argv[1]), seconds = atoi(argv[2]), warmup = atoi(argv[3]);
    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    int buf = 16 << 20;
    setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    int on = 1;
    if (setsockopt(sock, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0) { perror("SO_TIMESTAMPNS"); return 1; }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(sock, (struct sockaddr *) &a, sizeof a) < 0) { perror("bind"); return 1; }
    struct timeval tv = {0, 100000};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    static char data[BATCH][256];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    static char control[BATCH][CMSG_SPACE(sizeof(struct timespec))];
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = data[i]; iov[i].iov_len = sizeof data[i];
        memset(&msgs[i], 0, sizeof msgs[i]);
        msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1;
    }
    uint64_t start = now_ns(), measure_from = start + (uint64_t) warmup * 1000000000ull,
             end = measure_from + (uint64_t) seconds * 1000000000ull;
    uint64_t packets = 0, gaps = 0, reordered = 0, no_stamp = 0;
    int streams = 0;
    while (now_ns() < end) {
        for (int i = 0; i < BATCH; i++) {
            msgs[i].msg_hdr.msg_control = control[i];
            msgs[i].msg_hdr.msg_controllen = sizeof control[i];
        }
        int n = recvmmsg(sock, msgs, BATCH, MSG_DONTWAIT, NULL);
        if (n <= 0) { /* drained: let the packets gather (they keep their kernel stamps) */
            usleep(LAZY_US);
            continue;
        }
        uint64_t t = now_ns(); /* only to tell the warm-up from the measured window */
        for (int i = 0; i < n; i++) {
            if (msgs[i].msg_len < 12) continue;
            uint64_t kt = 0; /* the kernel's stamp is on the realtime clock: only differences are used */
            for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                    struct timespec ts;
                    memcpy(&ts, CMSG_DATA(c), sizeof ts);
                    kt = (uint64_t) ts.tv_sec * 1000000000ull + ts.tv_nsec;
                }
            }
            if (kt == 0) { no_stamp++; kt = real_ns(); }
            const uint8_t *p = (const uint8_t *) data[i];
            uint32_t s = (uint32_t) p[8] << 24 | (uint32_t) p[9] << 16 | (uint32_t) p[10] << 8 | p[11];
            uint16_t seq = (uint16_t) (p[2] << 8 | p[3]);
            int k = slot(s);
            if (k < 0) continue;
            if (last_kernel_ns[k] == 0) streams++;
            if (t >= measure_from) {
                packets++;
                if (last_kernel_ns[k] != 0) {
                    if ((uint16_t) (seq - last_seq[k]) == 1) {
                        uint64_t g = (kt - last_kernel_ns[k]) / 10000;
                        kernel_hist[g > 20000 ? 20000 : g]++;
                        gaps++;
                    } else {
                        reordered++;
                    }
                }
            }
            last_kernel_ns[k] = kt;
            last_seq[k] = seq;
        }
    }
    printf("streams=%d packets=%llu (%.0f/s) not_consecutive=%llu without_kernel_stamp=%llu\n", streams,
           (unsigned long long) packets, packets / (double) seconds, (unsigned long long) reordered,
           (unsigned long long) no_stamp);
    percentiles("spacing as sent (kernel receive stamp)", kernel_hist, gaps);
    return 0;
}
