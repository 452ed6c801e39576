package org.switchboard.ivr.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.config.YamlFile;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.DigitResult;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.api.Playback;
import org.switchboard.core.route.CallDestination;
import org.switchboard.core.route.Destination;
import org.switchboard.ivr.api.IvrAction;
import org.switchboard.media.dsp.SampleSequence;
import org.switchboard.media.wav.WavException;

/**
 * The IVR: serves the {@code ivr:MENU} and {@code message:PROMPT} destinations. Menus are the
 * files of {@code etc/ivr/}, checked every 2 s; a changed file that validates serves new callers
 * while callers already in the menu finish on their version; a broken file is reported and its
 * previous version keeps serving. When the IVR stops, callers in menus go to the fallback.
 */
@Component(service = IvrService.class, immediate = true, configurationPid = "org.switchboard.ivr")
@Designate(ocd = IvrConfig.class)
public final class IvrService {

    private static final Logger LOG = LoggerFactory.getLogger(IvrService.class);

    private final CallControl calls;
    private volatile Path menusDir;
    private volatile PromptStore prompts;
    private volatile String language;
    private volatile Destination fallback;
    private final Map<String, Menu> menus = new ConcurrentHashMap<>();
    private final Map<String, List<YamlFile.Problem>> refused = new ConcurrentHashMap<>();
    private final Map<Path, FileTime> seen = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, CallDestination> destinations = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watcher;
    private final List<ServiceRegistration<CallDestination>> registrations = new ArrayList<>();

    @Activate
    public IvrService(BundleContext context, @Reference CallControl calls, IvrConfig config) {
        this.calls = calls;
        configure(config);
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-ivr-watch");
            t.setDaemon(true);
            return t;
        });
        reload();
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, 2, 2, TimeUnit.SECONDS);
        for (String type : List.of("ivr", "message")) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(CallDestination.TYPE, type);
            registrations.add(context.registerService(CallDestination.class, new CallDestination() {
                @Override
                public void accept(Call call, Channel inbound, Destination d, String via) {
                    if (type.equals("ivr")) {
                        enterMenu(call, inbound, d.target(), null, via);
                    } else {
                        message(call, inbound, d.target(), via);
                    }
                }

                @Override
                public boolean knows(String target) {
                    return type.equals("ivr") ? menus.containsKey(target) : Files.exists(prompts.file(language, target));
                }
            }, p));
        }
    }

    /** A changed configuration applies at once; callers in menus stay where they are. */
    @Modified
    void modified(IvrConfig config) {
        configure(config);
        watcher.execute(() -> {
            seen.clear();
            reload();
        });
    }

    private void configure(IvrConfig config) {
        Path home = Path.of(System.getProperty("karaf.home", "."));
        this.menusDir = home.resolve(config.menus_directory());
        Path promptsDir = home.resolve(config.prompts_directory());
        if (prompts == null || !prompts.root().equals(promptsDir)) {
            this.prompts = new PromptStore(promptsDir);
        }
        this.language = config.language();
        try {
            this.fallback = Destination.parse(config.fallback());
        } catch (IllegalArgumentException e) {
            LOG.error("etc/org.switchboard.ivr.cfg: fallback: {}; using reject:NORMAL_TEMPORARY_FAILURE", e.getMessage());
            this.fallback = new Destination("reject", "NORMAL_TEMPORARY_FAILURE");
        }
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        watcher.shutdownNow();
        for (Session s : sessions.values()) {
            s.evict();
        }
    }

    private final Map<String, IvrAction> actions = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeAction")
    void addAction(IvrAction a, Map<String, Object> props) {
        Object name = props.get(IvrAction.NAME);
        if (name != null) {
            actions.put(name.toString(), a);
        }
    }

    void removeAction(IvrAction a, Map<String, Object> props) {
        Object name = props.get(IvrAction.NAME);
        if (name != null) {
            actions.remove(name.toString(), a);
        }
    }

    Map<String, IvrAction> actions() {
        return new TreeMap<>(actions);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeDestination")
    void addDestination(CallDestination d, Map<String, Object> props) {
        Object type = props.get(CallDestination.TYPE);
        if (type != null && !"ivr".equals(type) && !"message".equals(type)) {
            destinations.put(type.toString(), d);
        }
    }

    void removeDestination(CallDestination d, Map<String, Object> props) {
        Object type = props.get(CallDestination.TYPE);
        if (type != null) {
            destinations.remove(type.toString(), d);
        }
    }

    // ---------------------------------------------------------------- menu files

    private List<Path> files() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(menusDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(menusDir, "*.yaml")) {
            ds.forEach(out::add);
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", menusDir, e.getMessage());
        }
        out.sort(null);
        return out;
    }

    private void reloadIfChanged() {
        try {
            List<Path> fs = files();
            boolean changed = fs.size() != seen.size();
            for (Path f : fs) {
                if (!Files.getLastModifiedTime(f).equals(seen.get(f))) {
                    changed = true;
                }
            }
            if (changed) {
                reload();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot check {}: {}", menusDir, e.getMessage());
        }
    }

    /** Reads every menu file; each that validates replaces its previous version. */
    synchronized void reload() {
        List<Path> fs = files();
        Set<String> names = new HashSet<>();
        fs.forEach(f -> names.add(MenuFile.nameOf(f)));
        for (Path f : fs) {
            FileTime t;
            try {
                t = Files.getLastModifiedTime(f);
            } catch (IOException e) {
                continue;
            }
            if (t.equals(seen.get(f))) {
                continue;
            }
            seen.put(f, t);
            String name = MenuFile.nameOf(f);
            MenuFile.Result r = MenuFile.read(f, prompts, names);
            if (r.ok()) {
                boolean had = menus.put(name, r.menu()) != null;
                refused.remove(name);
                LOG.info("IVR menu {} {} ({} nodes)", name, had ? "reloaded; callers already in it finish on the old version" : "loaded",
                        r.menu().nodes().size());
            } else {
                refused.put(name, r.problems());
                LOG.error("IVR menu file {} refused ({} problems){}:\n  {}", f, r.problems().size(),
                        menus.containsKey(name) ? "; its previous version keeps serving" : "",
                        String.join("\n  ", r.problems().stream().map(YamlFile.Problem::toString).toList()));
            }
        }
        for (Path f : new ArrayList<>(seen.keySet())) {
            if (!fs.contains(f)) {
                seen.remove(f);
                String name = MenuFile.nameOf(f);
                menus.remove(name);
                refused.remove(name);
                LOG.info("IVR menu {} removed (its file is gone); callers in it finish", name);
            }
        }
    }

    /** ivr:validate: checks a file as the IVR would, applying nothing. */
    List<YamlFile.Problem> validate(Path file) {
        Set<String> names = new HashSet<>(menus.keySet());
        files().forEach(f -> names.add(MenuFile.nameOf(f)));
        return MenuFile.read(file, prompts, names).problems();
    }

    Map<String, Menu> menus() {
        return new TreeMap<>(menus);
    }

    Map<String, List<YamlFile.Problem>> refused() {
        return new TreeMap<>(refused);
    }

    Map<String, Session> sessions() {
        return new TreeMap<>(sessions);
    }

    public Path menusDir() {
        return menusDir;
    }

    PromptStore prompts() {
        return prompts;
    }

    // ---------------------------------------------------------------- callers

    private void enterMenu(Call call, Channel ch, String menuName, String lang, String via) {
        Menu m = menus.get(menuName);
        if (m == null) {
            LOG.warn("Call {} ({}): no menu '{}' (etc/ivr/{}.yaml{}); to the fallback {}", call.id(), via, menuName, menuName,
                    refused.containsKey(menuName) ? " was refused" : " missing", fallback);
            leave(call, ch, fallback, "menu " + menuName + " missing");
            return;
        }
        Session s = new Session(call, ch, new MenuMachine(m, lang)); // from outside a menu: the menu's own language
        sessions.put(ch.id(), s);
        if (ch.state() == ChannelState.RINGING) {
            calls.answer(ch).whenComplete((v, e) -> {
                if (e != null) {
                    sessions.remove(ch.id(), s);
                } else {
                    s.run(s.machine.start());
                }
            });
        } else {
            s.run(s.machine.start());
        }
    }

    private void message(Call call, Channel ch, String prompt, String via) {
        short[] audio;
        try {
            audio = prompts.load(language, prompt);
        } catch (WavException e) {
            LOG.warn("Call {} ({}): message {}: {}; hanging up", call.id(), via, prompt, e.getMessage());
            calls.hangup(ch, HangupCause.NORMAL_TEMPORARY_FAILURE);
            return;
        }
        Runnable play = () -> calls.play(ch, new SampleSequence(List.of(audio)), false).done()
                .whenComplete((end, e) -> calls.hangup(ch, HangupCause.NORMAL_CLEARING));
        if (ch.state() == ChannelState.RINGING) {
            calls.answer(ch).thenRun(play);
        } else {
            play.run();
        }
    }

    private void leave(Call call, Channel ch, Destination d, String why) {
        if (d.type().equals("reject")) {
            HangupCause c = HangupCause.NORMAL_TEMPORARY_FAILURE;
            try {
                c = d.target().isEmpty() ? HangupCause.CALL_REJECTED : HangupCause.parse(d.target());
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: unknown cause in {}", why, d);
            }
            calls.hangup(ch, c);
            return;
        }
        if (d.type().equals("message")) {
            message(call, ch, d.target(), why);
            return;
        }
        CallDestination target = destinations.get(d.type());
        if (target == null) {
            LOG.warn("Call {}: nothing serves {} ({}); to the fallback {}", call.id(), d, why, fallback);
            if (d.equals(fallback) || !destinations.containsKey(fallback.type()) && !fallback.type().equals("reject")) {
                calls.hangup(ch, HangupCause.NORMAL_TEMPORARY_FAILURE);
            } else {
                leave(call, ch, fallback, why + ", fallback");
            }
            return;
        }
        target.accept(call, ch, d, why);
    }

    /** One caller in a menu. */
    final class Session {
        final Call call;
        final Channel channel;
        final MenuMachine machine;
        final Instant since = Instant.now();
        private volatile Playback playback;
        private volatile boolean over;

        Session(Call call, Channel channel, MenuMachine machine) {
            this.call = call;
            this.channel = channel;
            this.machine = machine;
        }

        void run(MenuMachine.Step step) {
            if (over) {
                return;
            }
            if (step instanceof MenuMachine.Prompt p) {
                List<short[]> audio = new ArrayList<>();
                for (String name : p.prompts()) {
                    audio.add(prompts.cached(p.language(), name));
                }
                Playback pb = calls.play(channel, new SampleSequence(audio), p.bargeIn());
                playback = pb;
                pb.done().whenComplete((end, e) -> {
                    if (over || end == Playback.End.HANGUP || e != null) {
                        finish();
                        return;
                    }
                    if (p.collect() == null) {
                        run(machine.afterPrompt());
                        return;
                    }
                    if (!p.bargeIn()) {
                        calls.flushDigits(channel);
                    }
                    calls.collectDigits(channel, p.collect()).whenComplete((r, e2) -> {
                        if (over || e2 != null || r.end() == DigitResult.End.HANGUP || r.end() == DigitResult.End.CANCELLED) {
                            finish();
                            return;
                        }
                        run(machine.input(r.digits()));
                    });
                });
            } else if (step instanceof MenuMachine.Leave l) {
                finish();
                LOG.info("Call {}: {} -> {}", call.id(), l.why(), l.destination());
                if (l.destination().type().equals("ivr")) {
                    enterMenu(call, channel, l.destination().target(), machine.language(), l.why());
                } else {
                    leave(call, channel, l.destination(), l.why());
                }
            } else if (step instanceof MenuMachine.RunAction a) {
                runAction(a);
            } else if (step instanceof MenuMachine.Hangup h) {
                finish();
                LOG.info("Call {}: the IVR hangs up: {}", call.id(), h.why());
                calls.hangup(channel, HangupCause.NORMAL_CLEARING);
            }
        }

        /** Self-service: the action gets the digits; what it says is played; its outcome leads on. */
        private void runAction(MenuMachine.RunAction a) {
            IvrAction action = actions.get(a.action());
            if (action == null) {
                LOG.warn("Call {}: no IVR action '{}' is installed; outcome 'unavailable'", call.id(), a.action());
                run(machine.actionDone("unavailable", List.of()));
                return;
            }
            java.util.concurrent.CompletionStage<IvrAction.Result> result;
            try {
                result = action.run(new IvrAction.Request(call.id(), channel.callerId().number(), machine.menu().name(), machine.node(),
                        a.digits(), machine.language()));
            } catch (RuntimeException e) {
                LOG.error("Call {}: IVR action {} failed", call.id(), a.action(), e);
                run(machine.actionDone("error", List.of()));
                return;
            }
            result.toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).whenComplete((r, e) -> {
                if (over) {
                    return;
                }
                if (e != null) {
                    boolean timeout = e instanceof java.util.concurrent.TimeoutException || e.getCause() instanceof java.util.concurrent.TimeoutException;
                    LOG.warn("Call {}: IVR action {} {}", call.id(), a.action(), timeout ? "took longer than 5 s" : "failed: " + e);
                    run(machine.actionDone(timeout ? "timeout" : "error", List.of()));
                    return;
                }
                List<String> say = new ArrayList<>();
                for (IvrAction.Say item : r.say()) {
                    try {
                        for (String name : Speech.say(item, machine.language())) {
                            prompts.load(machine.language(), name);
                            say.add(name);
                        }
                    } catch (WavException | IllegalArgumentException x) {
                        LOG.warn("Call {}: IVR action {}: cannot say {}: {}", call.id(), a.action(), item, x.getMessage());
                    }
                }
                LOG.info("Call {}: IVR action {} with {} digits -> {}", call.id(), a.action(), a.digits().length(), r.outcome());
                run(machine.actionDone(r.outcome(), say));
            });
        }

        private void finish() {
            over = true;
            sessions.remove(channel.id(), this);
        }

        /** The IVR stops: the caller goes to the fallback instead of silence. */
        void evict() {
            over = true;
            Playback pb = playback;
            if (pb != null) {
                pb.stop();
            }
            sessions.remove(channel.id(), this);
            LOG.info("Call {}: the IVR stops; the caller in menu {} goes to {}", call.id(), machine.menu().name(), fallback);
            leave(call, channel, fallback, "IVR stopped");
        }
    }
}
