package org.switchboard.voicemail.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.HangupCause;
import org.switchboard.media.dsp.SampleSequence;
import org.switchboard.media.wav.WavReader;

/** What the vm: commands do, here so the commands stay thin. Errors are IllegalArgumentExceptions with the message to show. */
public final class VoicemailShell {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private VoicemailShell() {
    }

    public static List<String[]> list(VoicemailService vm, String box) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        for (Messages.Message m : vm.messages().list(box)) {
            rows.add(new String[] {Long.toString(m.id()), m.box(), m.callerShown(), WHEN.format(m.receivedAt()),
                    String.format("%d:%02d", m.durationMs() / 60000, m.durationMs() / 1000 % 60), m.endedBy(), m.heard() ? "yes" : "NEW"});
        }
        return rows;
    }

    public static int recordingNow(VoicemailService vm) {
        return vm.recordingNow();
    }

    public static List<String[]> callbacks(VoicemailService vm) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        for (Messages.Callback c : vm.messages().callbacks()) {
            rows.add(new String[] {Long.toString(c.id()), c.queue(), c.number(), WHEN.format(c.requestedAt()), c.lineId(), c.state()});
        }
        return rows;
    }

    /** survey:results: the answers and, per agent, calls asked, scored and the average score. */
    public static List<String[]> surveys(VoicemailService vm, String agent) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        for (Messages.SurveyResult r : vm.messages().surveys(agent)) {
            rows.add(new String[] {Long.toString(r.id()), r.agent(), r.caller().isEmpty() ? "unknown" : r.caller(), WHEN.format(r.askedAt()),
                    r.score() == null ? "-" : r.score() + "/" + r.scale(), r.outcome() + (r.key().isEmpty() || r.score() != null ? "" : " (" + r.key() + ")"),
                    r.callId()});
        }
        return rows;
    }

    public static List<String> surveySummary(VoicemailService vm, String agent) throws SQLException {
        java.util.Map<String, int[]> per = new java.util.TreeMap<>();
        for (Messages.SurveyResult r : vm.messages().surveys(agent)) {
            int[] a = per.computeIfAbsent(r.agent(), k -> new int[3]);
            a[0]++;
            if (r.score() != null) {
                a[1]++;
                a[2] += r.score();
            }
        }
        List<String> out = new ArrayList<>();
        per.forEach((k, a) -> out.add(k + ": " + a[0] + " asked, " + a[1] + " scored"
                + (a[1] == 0 ? "" : String.format(", average %.2f", (double) a[2] / a[1]))));
        return out;
    }

    private static Messages.Message find(VoicemailService vm, String id) throws SQLException {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + id + "' is not a message id (see vm:list)");
        }
        return vm.messages().get(n).orElseThrow(() -> new IllegalArgumentException("no message " + id + " (see vm:list)"));
    }

    /** Copies the message's WAV into {@code dir}; marks it heard. */
    public static String export(VoicemailService vm, String id, String dir) throws SQLException, IOException {
        Messages.Message m = find(vm, id);
        Path target = Path.of(dir);
        if (!Files.isDirectory(target)) {
            throw new IllegalArgumentException("'" + dir + "' is not a directory");
        }
        Path out = target.resolve("voicemail-" + m.id() + "-" + m.box() + "-" + (m.caller().isEmpty() ? "unknown" : m.caller()) + ".wav");
        Files.copy(vm.directory().resolve(m.fileName()), out, StandardCopyOption.REPLACE_EXISTING);
        vm.messages().heard(m.id());
        return "Message " + m.id() + " (" + m.durationMs() / 1000 + " s from " + m.callerShown() + ") written to " + out;
    }

    public static String delete(VoicemailService vm, String id) throws SQLException, IOException {
        Messages.Message m = find(vm, id);
        vm.messages().delete(m.id());
        Files.deleteIfExists(vm.directory().resolve(m.fileName()));
        return "Message " + m.id() + " of box " + m.box() + " deleted";
    }

    /** Dials a number on a line and plays the message when it answers (within 60 s); marks it heard. */
    public static String play(VoicemailService vm, String id, String line, String number) throws Exception {
        Messages.Message m = find(vm, id);
        short[] audio = WavReader.readAllMono8k(vm.directory().resolve(m.fileName()));
        Channel ch = vm.calls().dial(line, number, CallerId.UNKNOWN).toCompletableFuture().get(10, TimeUnit.SECONDS);
        long deadline = System.currentTimeMillis() + 60_000;
        AtomicReference<ScheduledFuture<?>> watch = new AtomicReference<>();
        watch.set(vm.every100ms(() -> {
            ChannelState s = ch.state();
            if (s == ChannelState.ANSWERED) {
                watch.get().cancel(false);
                vm.calls().play(ch, new SampleSequence(List.of(audio)), false).done()
                        .whenComplete((end, e) -> vm.calls().hangup(ch, HangupCause.NORMAL_CLEARING));
            } else if (s == ChannelState.HUNG_UP) {
                watch.get().cancel(false);
            } else if (System.currentTimeMillis() > deadline) {
                watch.get().cancel(false);
                vm.calls().hangup(ch, HangupCause.NO_ANSWER);
            }
        }));
        vm.messages().heard(m.id());
        return "Dialling " + number + " on " + line + " (leg " + ch.id() + "); message " + m.id() + " plays when it answers";
    }
}
