package org.switchboard.line.serial.internal.at;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DleTest {

    static final class Collect implements Dle.Sink {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<Character> events = new ArrayList<>();

        @Override
        public void data(byte[] buf, int off, int len) {
            data.write(buf, off, len);
        }

        @Override
        public void event(char c) {
            events.add(c);
        }
    }

    @Test
    void shieldingDoublesEveryDleAndNothingElse() {
        byte[] in = {1, 0x10, 2, 0x10, 0x10, 3};
        byte[] out = new byte[12];
        int n = Dle.shield(in, 0, in.length, out, 0);
        assertThat(java.util.Arrays.copyOf(out, n)).containsExactly(1, 0x10, 0x10, 2, 0x10, 0x10, 0x10, 0x10, 3);
        assertThatThrownBy(() -> Dle.shield(in, 0, in.length, new byte[11], 0)).hasMessageContaining("needs 12");
    }

    @Test
    void decodingRestoresDataAndReportsEventsInOrder() {
        byte[] in = {5, 0x10, 0x10, 6, 0x10, '5', 7, 0x10, 'b', 8};
        Collect c = new Collect();
        assertThat(new Dle.Decoder().decode(in, 0, in.length, c)).isEqualTo(-1);
        assertThat(c.data.toByteArray()).containsExactly(5, 0x10, 6, 7, 8);
        assertThat(c.events).containsExactly('5', 'b');
    }

    @Test
    void aPairCutAtTheBufferEdgeIsReadAsOnePair() {
        Dle.Decoder d = new Dle.Decoder();
        Collect c = new Collect();
        byte[] first = {1, 2, 0x10};
        byte[] second = {0x10, 3, 0x10};
        byte[] third = {'#', 4};
        d.decode(first, 0, first.length, c);
        assertThat(d.midPair()).isTrue();
        d.decode(second, 0, second.length, c);
        d.decode(third, 0, third.length, c);
        assertThat(c.data.toByteArray()).containsExactly(1, 2, 0x10, 3, 4);
        assertThat(c.events).containsExactly('#');
    }

    @Test
    void etxEndsTheVoiceDataAndSaysWhereCommandsResume() {
        byte[] in = {9, 9, 0x10, 0x03, 'O', 'K'};
        Collect c = new Collect();
        assertThat(new Dle.Decoder().decode(in, 0, in.length, c)).isEqualTo(4);
        assertThat(c.data.toByteArray()).containsExactly(9, 9);
    }

    @Test
    void shieldThenDecodeIsIdentityWhateverTheCutPoints() {
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[1 + r.nextInt(600)];
            for (int i = 0; i < data.length; i++) {
                data[i] = r.nextInt(4) == 0 ? 0x10 : (byte) r.nextInt(256);
            }
            byte[] wire = new byte[2 * data.length];
            int n = Dle.shield(data, 0, data.length, wire, 0);
            Dle.Decoder d = new Dle.Decoder();
            Collect c = new Collect();
            int pos = 0;
            while (pos < n) {
                int len = Math.min(n - pos, 1 + r.nextInt(40));
                byte[] chunk = java.util.Arrays.copyOfRange(wire, pos, pos + len);
                d.decode(chunk, 0, len, c);
                pos += len;
            }
            assertThat(c.data.toByteArray()).isEqualTo(data);
            assertThat(c.events).isEmpty();
        }
    }
}
