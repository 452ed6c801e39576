package org.switchboard.media.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.switchboard.media.dsp.Signals.concat;
import static org.switchboard.media.dsp.Signals.detect;
import static org.switchboard.media.dsp.Signals.ms;
import static org.switchboard.media.dsp.Signals.silence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.dsp.Signals.Detection;

/**
 * Talk-off: real speech must never produce a digit. Uses the Asterisk prompts of the Debian package
 * asterisk-core-sounds-en-wav (listed with dpkg, all of them), plus Mandarin and English speech
 * rendered at test time with espeak-ng at several pitches and converted to 8 kHz with sox.
 */
class TalkOffTest {

    private static final String PROMPTS_PACKAGE = "asterisk-core-sounds-en-wav";

    @Test
    void noDigitsInAnyAsteriskPrompt() throws Exception {
        List<Path> prompts = asteriskPrompts();
        long samples = 0;
        List<String> falseDigits = new ArrayList<>();
        long rejected = 0;
        for (Path p : prompts) {
            short[] speech = org.switchboard.media.wav.WavReader.readAllMono8k(p);
            samples += speech.length;
            Detection r = detect(speech);
            rejected += r.rejected();
            if (!r.digits().isEmpty()) {
                falseDigits.add(p + ": " + r.digits() + " " + r.durationsMs() + " ms");
            }
        }
        System.out.printf("[dtmf] talk-off: %d Asterisk prompt files, %.1f s of speech, %d false digits, "
                + "%d candidates rejected%n", prompts.size(), samples / 8000.0, falseDigits.size(), rejected);
        assertThat(prompts.size()).as("prompt files listed by dpkg -L " + PROMPTS_PACKAGE).isGreaterThanOrEqualTo(500);
        assertThat(falseDigits).isEmpty();
    }

    @Test
    void noDigitsInSynthesizedMandarinAndEnglishSpeech(@TempDir Path tmp) throws Exception {
        requireTool("espeak-ng", "--version");
        requireTool("sox", "--version");
        String[] mandarin = {
            "ni3 hao3, huan1 ying2 zhi4 dian4 zong3 ji1. qing3 shu1 ru4 nin2 yao4 bo1 da3 de5 fen1 ji1 hao4 ma3.",
            "dui4 bu4 qi3, nin2 bo1 da3 de5 yong4 hu4 zheng4 zai4 tong1 hua4 zhong1, qing3 shao1 hou4 zai4 bo1.",
            "ling2 yi1 er4 san1 si4 wu3 liu4 qi1 ba1 jiu3, xing1 hao4, jing3 hao4.",
            "jin1 tian1 tian1 qi4 hen3 hao3, wo3 men5 yi4 qi3 qu4 gong1 yuan2 san4 bu4 ba5.",
            "zhe4 shi4 yi2 ge4 ce4 shi4, mai4 ke4 feng1 shi4 fou3 zheng4 chang2 gong1 zuo4?",
        };
        String[] english = {
            "Welcome to the switchboard. Please enter the extension you wish to dial, followed by the pound key.",
            "The number you have dialed is busy. Please hang up and try again later.",
            "Zero one two three four five six seven eight nine, star, hash, and the letters A B C D.",
            "She sells sea shells by the sea shore, and the shells she sells are surely sea shells.",
            "Your call is important to us. Please stay on the line and the next available agent will answer.",
        };
        List<short[]> clips = new ArrayList<>();
        int n = 0;
        for (int pitch : new int[] {20, 50, 80}) {
            for (int speed : new int[] {140, 190}) {
                for (String text : mandarin) {
                    clips.add(render(tmp, n++, "cmn-latn-pinyin", pitch, speed, text));
                }
                for (String text : english) {
                    clips.add(render(tmp, n++, "en", pitch, speed, text));
                }
            }
        }
        long samples = 0;
        List<String> falseDigits = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            samples += clips.get(i).length;
            Detection r = detect(clips.get(i));
            if (!r.digits().isEmpty()) {
                falseDigits.add("clip " + i + ": " + r.digits());
            }
        }
        System.out.printf("[dtmf] talk-off: %d espeak-ng clips (Mandarin and English), %.1f s, %d false digits%n",
                clips.size(), samples / 8000.0, falseDigits.size());
        assertThat(falseDigits).isEmpty();
    }

    /** The detector still works around speech: digits dialled between prompts are all found, and only they. */
    @Test
    void digitsBetweenPromptsAreDetected() throws Exception {
        List<Path> prompts = asteriskPrompts();
        String dialled = "0123456789*#ABCD";
        List<short[]> parts = new ArrayList<>();
        for (int i = 0; i < dialled.length(); i++) {
            parts.add(org.switchboard.media.wav.WavReader.readAllMono8k(prompts.get((i * 37) % prompts.size())));
            parts.add(silence(ms(40)));
            parts.add(DtmfDetectorTest.key(dialled.charAt(i), -12, 0, ms(60), i));
            parts.add(silence(ms(40)));
        }
        assertThat(detect(concat(parts.toArray(new short[0][]))).digits()).isEqualTo(dialled);
    }

    /** Mixing speech into the tone is allowed to fail at equal level; show it works with speech 20 dB down. */
    @Test
    void digitsSurviveSpeechTwentyDbBelow() throws Exception {
        List<Path> prompts = asteriskPrompts();
        String dialled = "0123456789*#ABCD";
        int detected = 0;
        int cases = 0;
        StringBuilder report = new StringBuilder();
        for (double speechGainDb : new double[] {-20, -10, 0}) {
            int ok = 0;
            for (int i = 0; i < dialled.length(); i++) {
                short[] speech = Signals.scale(org.switchboard.media.wav.WavReader.readAllMono8k(prompts.get((i * 53 + 11) % prompts.size())),
                        Math.pow(10, speechGainDb / 20));
                short[] tone = concat(silence(ms(200)), DtmfDetectorTest.key(dialled.charAt(i), -10, 0, ms(100), i));
                if (detect(Signals.mix(tone, speech)).digits().equals(String.valueOf(dialled.charAt(i)))) {
                    ok++;
                }
            }
            report.append(String.format(" speech %+.0f dB: %d/16;", speechGainDb, ok));
            if (speechGainDb == -20) {
                detected = ok;
                cases = dialled.length();
            }
        }
        System.out.println("[dtmf] DTMF (-10 dBm0 per tone) over prompts:" + report);
        assertThat(detected).isGreaterThanOrEqualTo(cases - 1);
    }

    private static List<Path> asteriskPrompts() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("dpkg", "-L", PROMPTS_PACKAGE).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("cannot run dpkg to list the Debian package " + PROMPTS_PACKAGE + ": " + e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        if (p.exitValue() != 0) {
            return fail("the Debian package " + PROMPTS_PACKAGE + " is not installed (dpkg -L: " + out.strip() + ")");
        }
        List<Path> wavs = new ArrayList<>();
        for (String line : out.split("\n")) {
            String s = line.strip();
            if (s.endsWith(".wav") && Files.isRegularFile(Path.of(s))) {
                wavs.add(Path.of(s));
            }
        }
        wavs.sort(null);
        return wavs;
    }

    private static void requireTool(String tool, String arg) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(tool, arg).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            fail(tool + " is missing: install the Debian packages espeak-ng and sox (" + e.getMessage() + ")");
        }
    }

    private static short[] render(Path dir, int n, String voice, int pitch, int speed, String text)
            throws IOException, InterruptedException {
        Path raw = dir.resolve("clip" + n + ".wav");
        Path pcm = dir.resolve("clip" + n + "-8k.wav");
        run("espeak-ng", "-v", voice, "-p", String.valueOf(pitch), "-s", String.valueOf(speed), "-w", raw.toString(), text);
        run("sox", raw.toString(), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", pcm.toString());
        return org.switchboard.media.wav.WavReader.readAllMono8k(pcm);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail(command[0] + " is missing: install the Debian packages espeak-ng and sox (" + e.getMessage() + ")");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + out);
        }
    }
}
