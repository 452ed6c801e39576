package org.switchboard.line.serial.internal.at;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine against a scripted port: what the device says is fed straight into the parser. */
class AtEngineTest {

    /** A port that records writes and never delivers bytes by itself (the test feeds the parser). */
    static final class ScriptedPort implements SerialIo {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        volatile boolean closed;

        @Override
        public int read(byte[] buf, int off, int len) {
            if (closed) {
                return -1;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) {
            written.write(buf, off, len);
        }

        synchronized String written() {
            return written.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public String path() {
            return "/dev/scripted";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class Events implements AtEngine.Listener {
        final List<String> urcs = new CopyOnWriteArrayList<>();
        final List<Character> dle = new CopyOnWriteArrayList<>();
        final ByteArrayOutputStream voice = new ByteArrayOutputStream();
        final List<String> problems = new CopyOnWriteArrayList<>();
        volatile boolean voiceEnded;
        volatile String gone;

        @Override
        public void unsolicited(String line) {
            urcs.add(line);
        }

        @Override
        public void dleEvent(char c) {
            dle.add(c);
        }

        @Override
        public synchronized void voiceData(byte[] buf, int off, int len) {
            voice.write(buf, off, len);
        }

        @Override
        public void voiceEnded() {
            voiceEnded = true;
        }

        @Override
        public void portGone(String reason) {
            gone = reason;
        }

        @Override
        public void problem(String what) {
            problems.add(what);
        }
    }

    final ScriptedPort port = new ScriptedPort();
    final Events events = new Events();
    final AtEngine engine = new AtEngine("test-1", port, events);

    @AfterEach
    void close() {
        engine.close();
    }

    void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        engine.process(b, 0, b.length);
    }

    CompletableFuture<AtResponse> sendInBackground(String cmd) {
        CompletableFuture<AtResponse> f = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.command(cmd, 2000);
            } catch (AtException e) {
                throw new IllegalStateException(e.getMessage());
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!port.written().contains(cmd + "\r") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return f;
    }

    @Test
    void urcsInTheMiddleOfACommandGoToTheListenerNotToTheResponse() throws Exception {
        CompletableFuture<AtResponse> f = sendInBackground("AT+CSQ");
        feed("AT+CSQ\r\r\nRING\r\n\r\n+CLIP: \"139\",129\r\n+CSQ: 17,99\r\nNO CARRIER\r\n\r\nOK\r\n");
        AtResponse r = f.get(2, TimeUnit.SECONDS);
        assertThat(r.ok()).isTrue();
        assertThat(r.lines()).containsExactly("+CSQ: 17,99");
        assertThat(r.value("+CSQ:")).isEqualTo("17,99");
        assertThat(events.urcs).containsExactly("RING", "+CLIP: \"139\",129", "NO CARRIER");
    }

    @Test
    void aResponseWithTheCommandsOwnPrefixIsNotTakenForAUrc() throws Exception {
        CompletableFuture<AtResponse> f = sendInBackground("AT+CREG?");
        feed("\r\n+CREG: 1,5\r\n\r\nOK\r\n");
        assertThat(f.get(2, TimeUnit.SECONDS).lines()).containsExactly("+CREG: 1,5");
        feed("\r\n+CREG: 2\r\n");
        assertThat(events.urcs).containsExactly("+CREG: 2");
    }

    @Test
    void errorsAreFinalResults() throws Exception {
        CompletableFuture<AtResponse> f = sendInBackground("AT+CPIN?");
        feed("\r\n+CME ERROR: 10\r\n");
        AtResponse r = f.get(2, TimeUnit.SECONDS);
        assertThat(r.ok()).isFalse();
        assertThat(r.result()).isEqualTo("+CME ERROR: 10");
    }

    @Test
    void noAnswerIsATimeoutNamingTheCommand() {
        assertThatThrownBy(() -> engine.command("ATZ", 100)).isInstanceOf(AtException.class)
                .hasMessage("test-1: no answer to ATZ in 100 ms");
        assertThat(engine.timeouts()).isEqualTo(1);
    }

    @Test
    void connectSwitchesToVoiceUntilEtxEvenInsideOneBuffer() throws Exception {
        CompletableFuture<AtResponse> f = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.voiceCommand("AT+VTR", 2000);
            } catch (AtException e) {
                throw new IllegalStateException(e);
            }
        });
        while (!port.written().contains("AT+VTR")) {
            Thread.onSpinWait();
        }
        byte[] wire = {'\r', '\n', 'C', 'O', 'N', 'N', 'E', 'C', 'T', '\r', '\n', 1, 2, 0x10, 0x10, 3, 0x10, '5', 4,
                0x10, 0x03, '\r', '\n', 'R', 'I', 'N', 'G', '\r', '\n'};
        engine.process(wire, 0, wire.length);
        assertThat(f.get(2, TimeUnit.SECONDS).result()).isEqualTo("CONNECT");
        assertThat(events.voice.toByteArray()).containsExactly(1, 2, 0x10, 3, 4);
        assertThat(events.dle).containsExactly('5');
        assertThat(events.voiceEnded).isTrue();
        assertThat(engine.inVoice()).isFalse();
        assertThat(events.urcs).containsExactly("RING");
    }

    @Test
    void noiseIsCountedAndAnUnknownLineIsAProblemButTheNextCommandWorks() throws Exception {
        feed("\u0000\u00ff\u0007garbage!\r\n");
        assertThat(engine.noiseBytes()).isEqualTo(3); // 0x00, 0xff and 0x07: results are ASCII
        assertThat(events.problems).singleElement().asString().contains("unexpected response");
        CompletableFuture<AtResponse> f = sendInBackground("AT");
        feed("\r\nOK\r\n");
        assertThat(f.get(2, TimeUnit.SECONDS).ok()).isTrue();
    }

    @Test
    void anEndlessLineIsDroppedNotKept() {
        feed("x".repeat(AtEngine.MAX_LINE + 10));
        assertThat(events.problems).singleElement().asString().contains("without end of line");
    }

    @Test
    void theSmsPromptCompletesThePromptCommand() throws Exception {
        CompletableFuture<AtResponse> f = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.promptCommand("AT+CMGS=\"139\"", 2000);
            } catch (AtException e) {
                throw new IllegalStateException(e);
            }
        });
        while (!port.written().contains("AT+CMGS")) {
            Thread.onSpinWait();
        }
        feed("\r\n> ");
        assertThat(f.get(2, TimeUnit.SECONDS).result()).isEqualTo(">");
    }

    @Test
    void prefixes() {
        assertThat(AtEngine.responsePrefix("AT+CSQ")).isEqualTo("+CSQ:");
        assertThat(AtEngine.responsePrefix("AT+CREG?")).isEqualTo("+CREG:");
        assertThat(AtEngine.responsePrefix("AT+VSM=?")).isEqualTo("+VSM:");
        assertThat(AtEngine.responsePrefix("ATI")).isEmpty();
    }
}
