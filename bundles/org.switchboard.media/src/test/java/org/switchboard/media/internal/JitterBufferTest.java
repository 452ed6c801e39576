package org.switchboard.media.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jitter buffer against packet streams built sample-exactly: each 20 ms packet carries its
 * sequence number in every sample, so what comes out says which packet played when.
 */
class JitterBufferTest {

    static final int F = JitterBuffer.FRAME;

    /** A packet as the network would deliver it. */
    record Packet(int seq, int ts, boolean marker, long arrival) {
    }

    private static short[] payload(int seq) {
        short[] s = new short[F];
        java.util.Arrays.fill(s, (short) (seq % 30000 + 1));
        return s;
    }

    /**
     * Plays the stream tick by tick; returns what each tick played: the packet's sequence number
     * (packet 0 shows as 0, like silence, so checks start at packet 1), 0 for silence, -1 for a
     * concealed frame.
     */
    private static List<Integer> play(JitterBuffer jb, List<Packet> packets, long fromTick, int ticks) {
        List<Packet> pending = new ArrayList<>(packets);
        pending.sort((a, b) -> Long.compare(a.arrival(), b.arrival()));
        List<Integer> out = new ArrayList<>();
        short[] frame = new short[F];
        int next = 0;
        for (long tick = fromTick; tick < fromTick + ticks; tick++) {
            long now = tick * F;
            while (next < pending.size() && pending.get(next).arrival() <= now) {
                Packet p = pending.get(next++);
                jb.put(p.ts(), p.marker(), payload(p.seq()), 0, F, p.arrival());
            }
            long concealedBefore = jb.concealed;
            boolean heard = jb.get(frame, now);
            if (!heard) {
                out.add(0);
            } else if (jb.concealed > concealedBefore || frame[0] != frame[F - 1]) {
                out.add(-1);
            } else {
                out.add((int) frame[0] - 1);
            }
        }
        return out;
    }

    private static List<Packet> steady(int count, int firstSeq, int firstTs, long firstArrival, int jitterSamples, long seed) {
        Random r = new Random(seed);
        List<Packet> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long arrival = firstArrival + (long) i * F + (jitterSamples == 0 ? 0 : r.nextInt(jitterSamples));
            list.add(new Packet((firstSeq + i) & 0xFFFF, firstTs + i * F, i == 0, arrival));
        }
        return list;
    }

    @Test
    void aSteadyStreamPlaysEveryPacketOnceInOrder() {
        JitterBuffer jb = new JitterBuffer(20, 200);

        List<Integer> played = play(jb, steady(100, 0, 1000, 10 * F, 0, 1), 0, 120);

        assertThat(played.stream().filter(p -> p > 0).toList()).containsExactlyElementsOf(range(1, 99));
        assertThat(jb.late).isZero();
        assertThat(played.subList(played.indexOf(1), played.indexOf(99))).doesNotContain(-1, 0);
        assertThat(jb.concealed).as("only the 60 ms after the stream ends").isEqualTo(3);
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            l.add(i);
        }
        return l;
    }

    @Test
    void reorderedAndDuplicatedPacketsPlayInOrderOnce() {
        JitterBuffer jb = new JitterBuffer(40, 200);
        List<Packet> packets = steady(60, 0, 5000, 5 * F, 0, 1);
        // swap neighbours 10/11, 20/21, ... and duplicate every 7th
        List<Packet> network = new ArrayList<>();
        for (Packet p : packets) {
            long arrival = p.arrival();
            if (p.seq() % 10 == 0 && p.seq() > 0) {
                arrival += F + 10; // arrives after its successor
            }
            network.add(new Packet(p.seq(), p.ts(), p.marker(), arrival));
            if (p.seq() % 7 == 3) {
                network.add(new Packet(p.seq(), p.ts(), false, arrival + 30));
            }
        }

        List<Integer> played = play(jb, network, 0, 80);

        assertThat(played.stream().filter(p -> p > 0).toList()).containsExactlyElementsOf(range(1, 59));
        assertThat(jb.duplicates).isEqualTo(network.size() - packets.size());
        assertThat(jb.late).isZero();
    }

    @Test
    void lostPacketsAreConcealedThenSilence() {
        JitterBuffer jb = new JitterBuffer(20, 200);
        List<Packet> packets = new ArrayList<>(steady(50, 0, 0, 2 * F, 0, 1));
        packets.removeIf(p -> p.seq() == 20 || p.seq() >= 30 && p.seq() < 40);

        List<Integer> played = play(jb, packets, 0, 60);

        int at19 = played.indexOf(19);
        assertThat(played.get(at19 + 1)).as("a single loss is concealed").isEqualTo(-1);
        assertThat(played.get(at19 + 2)).isEqualTo(21);
        int at29 = played.indexOf(29);
        assertThat(played.subList(at29 + 1, at29 + 4)).as("three frames concealed, fading").containsOnly(-1);
        assertThat(played.subList(at29 + 4, at29 + 11)).as("then silence").containsOnly(0);
        assertThat(played.get(at29 + 11)).isEqualTo(40);
        assertThat(jb.concealed).as("1 + 3, and 3 after the stream ends").isEqualTo(7);
        assertThat(played.subList(0, played.indexOf(1))).as("nothing is made up before the first audio").doesNotContain(-1);
    }

    @Test
    void packetsLaterThanTheirPlayTimeAreCountedNotPlayed() {
        JitterBuffer jb = new JitterBuffer(20, 20);
        List<Packet> packets = new ArrayList<>(steady(40, 0, 0, 2 * F, 0, 1));
        Packet late = packets.remove(15);
        packets.add(new Packet(late.seq(), late.ts(), false, late.arrival() + 10 * F));

        List<Integer> played = play(jb, packets, 0, 50);

        assertThat(jb.late).isEqualTo(1);
        assertThat(played).doesNotContain(15);
        assertThat(played).contains(14, 16);
    }

    @Test
    void jitterRaisesTheTargetAndNothingIsLate() {
        JitterBuffer jb = new JitterBuffer(20, 200);
        // up to 60 ms of random delay on every packet
        List<Integer> played = play(jb, steady(500, 0, 0, 2 * F, 3 * F, 42), 0, 520);

        assertThat(jb.target()).as("target in samples").isGreaterThan(2 * F);
        assertThat(jb.jitterSamples()).isGreaterThan(100);
        long lostToLateness = jb.late;
        assertThat(lostToLateness).as("late packets once the target has adapted").isLessThan(15);
        assertThat(played.stream().filter(p -> p > 0).distinct().count()).isGreaterThan(480);
    }

    @Test
    void aFastPeerClockIsFollowedByDroppingFrames() {
        JitterBuffer jb = new JitterBuffer(40, 200);
        // the peer's 20 ms are 19.8 ms of ours: 1% fast, a frame too many every 2 s
        List<Packet> packets = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            packets.add(new Packet(i, i * F, i == 0, 2 * F + Math.round(i * F * 0.99)));
        }

        play(jb, packets, 0, 1500);

        assertThat(jb.skipped).as("frames dropped over 30 s").isBetween(8L, 20L);
        assertThat(jb.depth(1490L * F)).as("depth stays near the target").isLessThan(jb.target() + 3 * F);
        assertThat(jb.late).isZero();
    }

    @Test
    void aSlowPeerClockIsFollowedByInsertingFrames() {
        JitterBuffer jb = new JitterBuffer(40, 200);
        List<Packet> packets = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            packets.add(new Packet(i, i * F, i == 0, 2 * F + Math.round(i * F * 1.01)));
        }

        List<Integer> played = play(jb, packets, 0, 1530);

        assertThat(jb.stretched).as("frames inserted over 30 s").isBetween(8L, 20L);
        assertThat(played.stream().filter(p -> p > 0).distinct().count()).as("every packet still plays").isGreaterThan(1490);
    }

    @Test
    void aTalkspurtAfterSilenceStartsAfreshWithTheTargetDelay() {
        JitterBuffer jb = new JitterBuffer(40, 200);
        List<Packet> packets = new ArrayList<>(steady(50, 0, 0, 2 * F, 0, 1));
        // 2 s of silence (no packets; timestamps jump), then a new talkspurt with the marker bit
        for (int i = 0; i < 50; i++) {
            packets.add(new Packet(50 + i, (150 + i) * F, i == 0, 2 * F + (150L + i) * F + 37));
        }

        List<Integer> played = play(jb, packets, 0, 220);

        assertThat(played.stream().filter(p -> p > 0).toList()).containsExactlyElementsOf(range(1, 99));
        int first = played.indexOf(50);
        assertThat(first).as("new talkspurt plays about the target after it arrives").isBetween(152, 156);
        assertThat(jb.resyncs).isEqualTo(2);
    }

    @Test
    void aPeerThatPausesAndGoesOnWithoutAMarkerIsFollowed() {
        JitterBuffer jb = new JitterBuffer(20, 200);
        List<Packet> packets = new ArrayList<>(steady(20, 0, 0, 2 * F, 0, 1));
        // 2 s pause (hold, outage), then the same timestamps go on as if nothing happened
        for (int i = 20; i < 60; i++) {
            packets.add(new Packet(i, i * F, false, 2 * F + (100L + i) * F));
        }

        List<Integer> played = play(jb, packets, 0, 180);

        assertThat(jb.late).as("the first three after the pause; the third moves playout").isEqualTo(3);
        assertThat(played.stream().filter(p -> p > 0).toList()).containsAll(range(22, 59));
    }

    @Test
    void timestampAndSequenceWrapAroundAreSeamless() {
        JitterBuffer jb = new JitterBuffer(20, 200);
        List<Packet> packets = steady(100, 65500, Integer.MAX_VALUE - 20 * F, 2 * F, 0, 1);
        List<Packet> wrapped = new ArrayList<>();
        for (Packet p : packets) {
            wrapped.add(p);
        }
        Collections.shuffle(wrapped.subList(40, 60), new Random(3));

        List<Integer> played = play(jb, wrapped, 0, 110);

        assertThat(played.stream().filter(p -> p > 0).count()).isGreaterThanOrEqualTo(98);
        assertThat(jb.late).isZero();
        assertThat(jb.resyncs).isEqualTo(1);
    }
}
