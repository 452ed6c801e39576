package org.switchboard.voicemail.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.DigitRequest;
import org.switchboard.core.api.DigitResult;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.api.MediaFormat;
import org.switchboard.core.route.CallDestination;
import org.switchboard.core.route.Destination;
import org.switchboard.media.dsp.SampleSequence;
import org.switchboard.media.wav.WavEncoding;
import org.switchboard.media.wav.WavException;
import org.switchboard.media.wav.WavFormat;
import org.switchboard.media.wav.WavReader;
import org.switchboard.media.wav.WavWriter;
import org.switchboard.store.api.MigrationException;
import org.switchboard.store.api.SchemaMigrations;

/**
 * Voicemail ({@code voicemail:BOX}) and callback requests ({@code callback:QUEUE}). A caller hears
 * the greeting and a tone and speaks; the message ends with {@code #}, after the silence time,
 * at the longest length, or when the caller hangs up. What the caller says is tapped on the media
 * clock into a preallocated ring and written to {@code BOX/ID.wav} by one writer thread; the
 * index is in Derby.
 */
@Component(service = VoicemailService.class, immediate = true, configurationPid = "org.switchboard.voicemail")
@Designate(ocd = VoicemailConfig.class)
public final class VoicemailService {

    private static final Logger LOG = LoggerFactory.getLogger(VoicemailService.class);

    private final CallControl calls;
    private final Messages messages;
    private final Path dir;
    private final Path promptsDir;
    private final String language;
    private final int maxFrames;
    private final int silenceFrames;
    private final int minMs;
    private final ScheduledExecutorService writer;
    private final Map<String, Recording> recording = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<CallDestination>> registrations = new ArrayList<>();
    private final short[] beep;
    private final String surveyPrompt;
    private final int surveyKeys;
    private final int surveyTimeoutS;

    @Activate
    public VoicemailService(BundleContext context, @Reference(target = "(osgi.jdbc.datasource.name=switchboard)") DataSource ds,
                            @Reference SchemaMigrations migrations, @Reference CallControl calls, VoicemailConfig c)
            throws MigrationException, IOException {
        migrations.migrate(VoicemailService.class, "org/switchboard/voicemail/db/changelog.sql");
        this.calls = calls;
        this.messages = new Messages(ds);
        Path home = Path.of(System.getProperty("karaf.home", "."));
        this.dir = home.resolve(c.directory());
        this.promptsDir = home.resolve(c.prompts_directory());
        this.language = c.language();
        this.maxFrames = clamp("max.seconds", c.max_seconds(), 5, 600, 120) * 50;
        this.silenceFrames = clamp("silence.seconds", c.silence_seconds(), 1, 30, 5) * 50;
        this.minMs = clamp("min.ms", c.min_ms(), 0, 10_000, 1000);
        this.surveyPrompt = c.survey_prompt();
        int keys = c.survey_keys();
        if (keys != 4 && keys != 5) {
            LOG.error("etc/org.switchboard.voicemail.cfg: survey.keys = {} is not allowed; allowed: 4 or 5; using 5", keys);
            keys = 5;
        }
        this.surveyKeys = keys;
        this.surveyTimeoutS = clamp("survey.timeout.seconds", c.survey_timeout_seconds(), 2, 30, 8);
        Files.createDirectories(dir);
        this.beep = new short[8000 * 4 / 10];
        for (int i = 0; i < beep.length; i++) {
            beep[i] = (short) (8000 * Math.sin(2 * Math.PI * 1000 * i / 8000.0));
        }
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-voicemail-writer");
            t.setDaemon(true);
            return t;
        });
        writer.scheduleWithFixedDelay(this::drain, 100, 100, TimeUnit.MILLISECONDS);
        register(context, "voicemail", this::leave);
        register(context, "callback", this::callback);
        register(context, "survey", this::survey);
    }

    private static int clamp(String key, int v, int min, int max, int dflt) {
        if (v < min || v > max) {
            LOG.error("etc/org.switchboard.voicemail.cfg: {} = {} is not allowed; allowed: {} to {}; using {}", key, v, min, max, dflt);
            return dflt;
        }
        return v;
    }

    private void register(BundleContext context, String type, CallDestination d) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(CallDestination.TYPE, type);
        registrations.add(context.registerService(CallDestination.class, d, p));
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        for (Recording r : recording.values()) {
            r.end("stopped");
        }
        writer.execute(this::drain);
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- leaving a message

    private void leave(Call call, Channel ch, Destination d, String via) {
        Runnable greet = () -> {
            List<short[]> parts = new ArrayList<>();
            prompt("leave-message").ifPresent(parts::add);
            parts.add(beep);
            calls.play(ch, new SampleSequence(parts), false).done().whenComplete((end, e) -> {
                if (e == null && ch.state().isUp()) {
                    try {
                        record(call, ch, d.target());
                    } catch (RuntimeException | LinkageError x) {
                        LOG.error("Call {}: recording for box {} failed; released", call.id(), d.target(), x);
                        calls.hangup(ch, HangupCause.NORMAL_TEMPORARY_FAILURE);
                    }
                }
            });
        };
        if (ch.state() == ChannelState.RINGING) {
            calls.answer(ch).thenRun(greet);
        } else {
            greet.run();
        }
    }

    private void record(Call call, Channel ch, String box) {
        Recording r;
        try {
            Path boxDir = dir.resolve(box);
            Files.createDirectories(boxDir);
            Path file = boxDir.resolve(call.id() + "-" + System.currentTimeMillis() + ".wav");
            r = new Recording(call, ch, box, file, WavWriter.create(file, WavFormat.mono8k(WavEncoding.PCM16)));
        } catch (IOException e) {
            LOG.error("Call {}: cannot record a message in box {}: {}", call.id(), box, e.getMessage());
            calls.hangup(ch, HangupCause.NORMAL_TEMPORARY_FAILURE);
            return;
        }
        recording.put(ch.id(), r);
        calls.flushDigits(ch);
        r.tap = calls.listen(ch, r::frame);
        long maxMs = maxFrames * 20L;
        calls.collectDigits(ch, new DigitRequest(1, "#", java.time.Duration.ofMillis(maxMs), java.time.Duration.ofMillis(maxMs)))
                .whenComplete((res, e) -> {
                    if (e != null || res.end() == DigitResult.End.HANGUP) {
                        r.end("hangup");
                    } else if (res.end() == DigitResult.End.TIMEOUT) {
                        r.end("max-length");
                    } else if (res.end() != DigitResult.End.CANCELLED) {
                        r.end("key");
                    }
                });
        LOG.info("Call {}: recording a message for box {} from {}", call.id(), box, ch.callerId().display());
    }

    /** One message being recorded. */
    final class Recording {
        final Call call;
        final Channel channel;
        final String box;
        final Path file;
        final WavWriter wav;
        final Instant started = Instant.now();
        final FrameRing ring = new FrameRing(512, MediaFormat.SAMPLES_PER_FRAME);
        final SilenceDetector silence = new SilenceDetector(silenceFrames);
        volatile AutoCloseable tap;
        volatile String endedBy;
        private int framesSeen;
        long framesWritten;

        Recording(Call call, Channel channel, String box, Path file, WavWriter wav) {
            this.call = call;
            this.channel = channel;
            this.box = box;
            this.file = file;
            this.wav = wav;
        }

        /** Media clock: copy, count, check silence and length. */
        void frame(short[] f, boolean heard) {
            if (endedBy != null) {
                return;
            }
            ring.put(f);
            framesSeen++;
            if (silence.frame(f, heard)) {
                endedBy = "silence";
            } else if (framesSeen >= maxFrames) {
                endedBy = "max-length";
            }
        }

        void end(String why) {
            if (endedBy == null) {
                endedBy = why;
            }
        }
    }

    /** Writer thread: moves tapped audio to the files, and finishes the messages that ended. */
    private void drain() {
        for (Recording r : recording.values()) {
            try {
                for (short[] f = r.ring.peek(); f != null; f = r.ring.peek()) {
                    r.wav.write(f, 0, f.length);
                    r.framesWritten++;
                    r.ring.release();
                }
            } catch (IOException e) {
                LOG.error("Call {}: writing {} failed: {}", r.call.id(), r.file, e.getMessage());
                r.end("error");
            }
            if (r.endedBy != null) {
                finish(r);
            }
        }
    }

    private void finish(Recording r) {
        recording.remove(r.channel.id(), r);
        try {
            if (r.tap != null) {
                r.tap.close();
            }
            for (short[] f = r.ring.peek(); f != null; f = r.ring.peek()) {
                r.wav.write(f, 0, f.length);
                r.framesWritten++;
                r.ring.release();
            }
            r.wav.close();
        } catch (Exception e) {
            LOG.error("Call {}: closing {} failed: {}", r.call.id(), r.file, e.getMessage());
        }
        int ms = (int) (r.framesWritten * 20);
        if (r.silence != null && "silence".equals(r.endedBy)) {
            ms = Math.max(0, ms - silenceFrames * 20);
        }
        if (ms < minMs || "error".equals(r.endedBy)) {
            LOG.info("Call {}: message for box {} not kept ({} ms, ended by {})", r.call.id(), r.box, ms, r.endedBy);
            try {
                Files.deleteIfExists(r.file);
            } catch (IOException e) {
                LOG.warn("Cannot delete {}: {}", r.file, e.getMessage());
            }
        } else {
            try {
                CallerId c = r.channel.callerId();
                long id = messages.add(new Messages.Message(0, r.box, c.number(), c.display(), r.call.id(), r.channel.lineId(), r.started,
                        ms, dir.relativize(r.file).toString(), r.endedBy, false));
                LOG.info("Call {}: message {} for box {} from {} kept ({} ms, ended by {})", r.call.id(), id, r.box, c.display(), ms, r.endedBy);
            } catch (SQLException e) {
                LOG.error("Call {}: the message in {} could not be indexed: {}; the file is kept", r.call.id(), r.file, e.getMessage());
            }
        }
        if (r.channel.state().isUp()) {
            List<short[]> bye = new ArrayList<>();
            prompt("thank-you").ifPresent(bye::add);
            prompt("goodbye").ifPresent(bye::add);
            calls.play(r.channel, new SampleSequence(bye), false).done().whenComplete((end, e) -> calls.hangup(r.channel, HangupCause.NORMAL_CLEARING));
        }
    }

    // ---------------------------------------------------------------- callback requests

    private void callback(Call call, Channel ch, Destination d, String via) {
        CallerId c = ch.callerId();
        Runnable after = () -> {
            String prompt = "callback-ok";
            if (c.number().isEmpty()) {
                LOG.info("Call {}: a callback for queue {} needs the caller's number, which is {}", call.id(), d.target(), c.display());
                prompt = "goodbye";
            } else {
                try {
                    long id = messages.addCallback(new Messages.Callback(0, d.target(), c.number(), call.id(), ch.lineId(), Instant.now(), "waiting"));
                    LOG.info("Call {}: callback {} to {} for queue {} requested", call.id(), id, c.number(), d.target());
                } catch (SQLException e) {
                    LOG.error("Call {}: the callback request could not be stored: {}", call.id(), e.getMessage());
                    prompt = "goodbye";
                }
            }
            List<short[]> parts = new ArrayList<>();
            prompt(prompt).ifPresent(parts::add);
            calls.play(ch, new SampleSequence(parts), false).done().whenComplete((end, e) -> calls.hangup(ch, HangupCause.NORMAL_CLEARING));
        };
        if (ch.state() == ChannelState.RINGING) {
            calls.answer(ch).thenRun(after);
        } else {
            after.run();
        }
    }

    // ---------------------------------------------------------------- post-call survey

    /**
     * The agent hung up first: the caller hears the question and presses 1 to 5 (or 1 to 4). A
     * valid key is stored as the score; no key or another key is stored as what it was, with no
     * score. The caller then hears thank-you and the box hangs up.
     */
    private void survey(Call call, Channel ch, Destination d, String via) {
        List<short[]> question = new ArrayList<>();
        prompt(surveyPrompt).ifPresent(question::add);
        Instant asked = Instant.now();
        calls.flushDigits(ch);
        calls.play(ch, new SampleSequence(question), true);
        calls.collectDigits(ch, new DigitRequest(1, "", java.time.Duration.ofSeconds(surveyTimeoutS + question.stream()
                .mapToInt(q -> q.length / 8000).sum()), java.time.Duration.ofSeconds(surveyTimeoutS))).whenComplete((r, e) -> {
                    if (e != null || r.end() == DigitResult.End.HANGUP || r.end() == DigitResult.End.CANCELLED) {
                        store(call, ch, d.target(), asked, null, "hangup", "");
                        return;
                    }
                    String key = r.digits();
                    Integer score = null;
                    String outcome;
                    if (key.isEmpty()) {
                        outcome = "no-key";
                    } else if (key.charAt(0) >= '1' && key.charAt(0) < '1' + surveyKeys) {
                        score = key.charAt(0) - '0';
                        outcome = "scored";
                    } else {
                        outcome = "wrong-key";
                    }
                    store(call, ch, d.target(), asked, score, outcome, key);
                    List<short[]> thanks = new ArrayList<>();
                    prompt("thank-you").ifPresent(thanks::add);
                    calls.play(ch, new SampleSequence(thanks), false).done()
                            .whenComplete((end, x) -> calls.hangup(ch, HangupCause.NORMAL_CLEARING));
                });
    }

    private void store(Call call, Channel ch, String agent, Instant asked, Integer score, String outcome, String key) {
        try {
            messages.addSurvey(new Messages.SurveyResult(0, call.id(), agent, ch.callerId().number(), asked, surveyKeys, score, outcome, key));
            LOG.info("Call {}: survey for {}: {}{}", call.id(), agent, outcome, score == null ? (key.isEmpty() ? "" : " (key " + key + ")") : " " + score);
        } catch (SQLException e) {
            LOG.error("Call {}: the survey answer could not be stored: {}", call.id(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- for the shell

    Messages messages() {
        return messages;
    }

    Path directory() {
        return dir;
    }

    CallControl calls() {
        return calls;
    }

    /** Runs {@code task} every 100 ms on the voicemail's own thread until cancelled (stops with the bundle). */
    java.util.concurrent.ScheduledFuture<?> every100ms(Runnable task) {
        return writer.scheduleWithFixedDelay(task, 100, 100, TimeUnit.MILLISECONDS);
    }

    int recordingNow() {
        return recording.size();
    }

    java.util.Optional<short[]> prompt(String name) {
        Path f = promptsDir.resolve(language).resolve(name + ".wav");
        try {
            return java.util.Optional.of(WavReader.readAllMono8k(f));
        } catch (WavException e) {
            LOG.warn("Voicemail prompt {}: {}", f, e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
