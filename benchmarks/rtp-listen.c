/*
 * rtp-listen: receives the RTP the box sends to many calls on one UDP port and measures the
 * spacing of each stream's packets (by SSRC): a prompt should arrive every 20 ms; a larger gap is
 * audio late at the caller. For benchmarks/ivr-load.sh.
 *
 *   rtp-listen PORT SECONDS WARMUP_SECONDS
 * Prints streams, packets, the gap percentiles and the share of gaps over 30 ms.
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

static uint32_t ssrc[SLOTS];
static uint64_t last_ns[SLOTS];
static uint16_t last_seq[SLOTS];
static uint8_t used[SLOTS];
static uint64_t hist[20001]; /* gaps in 10 us steps, up to 200 ms */

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + t.tv_nsec;
}

static int slot(uint32_t s) {
    uint32_t h = (s * 2654435761u) % SLOTS;
    for (int i = 0; i < SLOTS; i++) {
        uint32_t k = (h + i) % SLOTS;
        if (!used[k]) { used[k] = 1; ssrc[k] = s; last_ns[k] = 0; return (int) k; }
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
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(sock, (struct sockaddr *) &a, sizeof a) < 0) { perror("bind"); return 1; }
    struct timeval tv = {0, 100000};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    static char data[BATCH][256];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = data[i]; iov[i].iov_len = sizeof data[i];
        memset(&msgs[i], 0, sizeof msgs[i]);
        msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1;
    }
    uint64_t start = now_ns(), measure_from = start + (uint64_t) warmup * 1000000000ull,
             end = measure_from + (uint64_t) seconds * 1000000000ull;
    uint64_t packets = 0, gaps = 0, over30 = 0, reordered = 0, max_gap = 0;
    int streams = 0;
    while (now_ns() < end) {
        int n = recvmmsg(sock, msgs, BATCH, MSG_WAITFORONE, NULL);
        uint64_t t = now_ns();
        for (int i = 0; i < n; i++) {
            if (msgs[i].msg_len < 12) continue;
            const uint8_t *p = (const uint8_t *) data[i];
            uint32_t s = (uint32_t) p[8] << 24 | (uint32_t) p[9] << 16 | (uint32_t) p[10] << 8 | p[11];
            uint16_t seq = (uint16_t) (p[2] << 8 | p[3]);
            int k = slot(s);
            if (k < 0) continue;
            if (last_ns[k] == 0) streams++;
            if (t >= measure_from) {
                packets++;
                if (last_ns[k] != 0) {
                    if ((uint16_t) (seq - last_seq[k]) == 1) {
                        uint64_t g = (t - last_ns[k]) / 10000;
                        if (g > 20000) g = 20000;
                        hist[g]++;
                        gaps++;
                        if (g > 3000) over30++;
                        if (g > max_gap) max_gap = g;
                    } else {
                        reordered++;
                    }
                }
            }
            last_ns[k] = t;
            last_seq[k] = seq;
        }
    }
    double pct[] = {0.5, 0.99, 0.999};
    double val[3] = {0, 0, 0};
    for (int q = 0; q < 3; q++) {
        uint64_t want = (uint64_t) (gaps * pct[q]), acc = 0;
        for (int g = 0; g <= 20000; g++) { acc += hist[g]; if (acc > want) { val[q] = g / 100.0; break; } }
    }
    printf("streams=%d packets=%llu (%.0f/s) gaps p50=%.2f ms p99=%.2f ms p99.9=%.2f ms max=%.2f ms over_30ms=%.3f%% not_consecutive=%llu\n",
           streams, (unsigned long long) packets, packets / (double) seconds, val[0], val[1], val[2], max_gap / 100.0,
           gaps ? 100.0 * over30 / gaps : 0, (unsigned long long) reordered);
    return 0;
}
