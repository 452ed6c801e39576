package org.switchboard.media.internal;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TelephoneEventsTest {

    private final List<String> keys = new ArrayList<>();
    private final TelephoneEvents.Sink sink = (d, ms) -> keys.add(d + ":" + ms);

    private static byte[] event(int ev, boolean end, int duration) {
        return new byte[] {(byte) ev, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
    }

    private void receive(TelephoneEvents te, int ev, boolean end, int duration, int ts, long at) {
        byte[] p = event(ev, end, duration);
        te.receive(p, 0, p.length, ts, at, sink);
    }

    @Test
    void startContinuationsAndRedundantEndsMakeOneKeyWithItsDuration() {
        TelephoneEvents te = new TelephoneEvents();
        for (int d = 160; d <= 800; d += 160) {
            receive(te, 5, false, d, 1000, d);
        }
        receive(te, 5, true, 960, 1000, 960);
        receive(te, 5, true, 960, 1000, 980);
        receive(te, 5, true, 960, 1000, 1000);

        assertThat(keys).containsExactly("5:120");
    }

    @Test
    void aKeyWhoseEndPacketsAreLostIsReportedOnceAfterSilenceOrAtTheNextKey() {
        TelephoneEvents te = new TelephoneEvents();
        receive(te, 1, false, 160, 1000, 0);
        receive(te, 1, false, 320, 1000, 160);
        te.tick(500, sink);
        assertThat(keys).isEmpty();
        te.tick(2000, sink);
        assertThat(keys).containsExactly("1:40");

        receive(te, 2, false, 160, 5000, 3000);
        receive(te, 3, false, 160, 6000, 4000);
        assertThat(keys).containsExactly("1:40", "2:20");
        receive(te, 2, true, 800, 5000, 4010);
        assertThat(keys).as("a straggler of an earlier key").containsExactly("1:40", "2:20");
    }

    @Test
    void allSixteenKeysAndTheSameKeyTwice() {
        TelephoneEvents te = new TelephoneEvents();
        int ts = 0;
        for (int ev = 0; ev < 16; ev++) {
            receive(te, ev, false, 160, ts, ts);
            receive(te, ev, true, 800, ts, ts + 800);
            ts += 2000;
        }
        receive(te, 7, false, 160, ts, ts);
        receive(te, 7, true, 800, ts, ts + 800);
        receive(te, 16, true, 800, ts + 2000, ts + 2000);

        assertThat(keys).extracting(k -> k.charAt(0)).containsExactly('0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
                '*', '#', 'A', 'B', 'C', 'D', '7');
        byte[] shortPayload = {1, 2};
        te.receive(shortPayload, 0, 2, 99, 99, sink);
        assertThat(te.malformed).isEqualTo(1);
    }

    @Test
    void sendingAKeyIsAStartFiveUpdatesAndThreeEnds() {
        TelephoneEvents te = new TelephoneEvents();
        te.enqueue('9');
        te.enqueue('#');
        byte[] p = new byte[4];
        List<String> packets = new ArrayList<>();
        int audioTs = 0;
        for (int tick = 0; tick < 25; tick++) {
            if (te.nextPacket(p, 0, audioTs)) {
                int dur = ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
                packets.add(TelephoneEvents.KEYS.charAt(p[0]) + "@" + te.sendTs() + (te.marker() ? "M" : "")
                        + ((p[1] & 0x80) != 0 ? "E" : "") + dur);
            } else {
                packets.add("audio@" + audioTs);
            }
            audioTs += 160;
        }

        assertThat(packets.subList(0, 12)).containsExactly("9@0M160", "9@0320", "9@0480", "9@0640", "9@0800",
                "9@0E800", "9@0E800", "9@0E800", "audio@1280", "audio@1440", "audio@1600", "#@1760M160");
        assertThat(te.enqueue('x')).isFalse();
    }
}
