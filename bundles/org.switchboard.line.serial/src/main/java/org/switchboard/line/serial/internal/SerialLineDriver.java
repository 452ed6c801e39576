package org.switchboard.line.serial.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineHealth;
import org.switchboard.hw.api.CardDriver;
import org.switchboard.hw.api.CardSpec;
import org.switchboard.hw.api.HardwareProfile;
import org.switchboard.hw.api.UnitSpec;
import org.switchboard.line.serial.api.SmsSender;
import org.switchboard.line.serial.internal.at.JSerialCommIo;
import org.switchboard.line.serial.internal.sim.PtyPair;
import org.switchboard.line.serial.internal.sim.SimulatedDevice;
import org.switchboard.line.serial.internal.sim.SimulatedGsm;
import org.switchboard.line.serial.internal.sim.SimulatedModem;

/**
 * The {@code v253-modem} and {@code gsm-module} drivers: one {@link SerialLine} per line of the
 * applied hardware profile, each published as a {@link Line}. Follows profile changes line by
 * line. A line whose port is {@code sim} gets a simulated device on a socat pseudo-terminal pair
 * (the lab profile), driven through the very same jSerialComm path as real hardware.
 */
@Component(service = {SerialLineDriver.class, SmsSender.class}, immediate = true)
public final class SerialLineDriver implements SmsSender {

    static final String MODEM = "v253-modem";
    static final String GSM = "gsm-module";
    private static final Logger LOG = LoggerFactory.getLogger(SerialLineDriver.class);

    private final BundleContext context;
    private final ChannelPublisher publisher;
    private final ScheduledExecutorService timer;
    private final Map<String, Running> lines = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<CardDriver>> cardDrivers = new ArrayList<>();
    private final Path simDir;
    private volatile HardwareProfile profile;

    /** A running line, and the simulated device behind it when its port is "sim". */
    record Running(SerialLine line, String driver, ServiceRegistration<Line> registration, List<PtyPair> ptys,
                   SimulatedDevice device) {
    }

    @Activate
    public SerialLineDriver(BundleContext context, @Reference ChannelPublisher publisher) {
        this.context = context;
        this.publisher = publisher;
        this.timer = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "switchboard-serial-timer");
            t.setDaemon(true);
            return t;
        });
        this.simDir = Path.of(System.getProperty("karaf.data", System.getProperty("java.io.tmpdir")), "serial-sim");
        for (String name : List.of(MODEM, GSM)) {
            cardDrivers.add(context.registerService(CardDriver.class, new CardDriver() {
                @Override
                public String driverName() {
                    return name;
                }

                @Override
                public String cardStatus(String cardId) {
                    return status(name, cardId);
                }
            }, null));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetProfile")
    synchronized void setProfile(HardwareProfile p) {
        this.profile = p;
        reconcile(p);
    }

    synchronized void unsetProfile(HardwareProfile p) {
        if (profile == p) {
            profile = null;
            reconcile(null);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        for (Running r : new ArrayList<>(lines.values())) {
            stop(r, HangupCause.NETWORK_OUT_OF_ORDER);
        }
        lines.clear();
        for (ServiceRegistration<CardDriver> reg : cardDrivers) {
            reg.unregister();
        }
        timer.shutdownNow();
    }

    private void reconcile(HardwareProfile p) {
        Map<String, UnitSpec> wanted = new TreeMap<>();
        Map<String, CardSpec> cardOf = new TreeMap<>();
        if (p != null) {
            for (String driver : List.of(MODEM, GSM)) {
                for (CardSpec card : p.cardsFor(driver)) {
                    for (UnitSpec u : card.lines()) {
                        wanted.put(u.id(), u);
                        cardOf.put(u.id(), card);
                    }
                }
            }
        }
        for (Running r : new ArrayList<>(lines.values())) {
            UnitSpec u = wanted.get(r.line().id());
            CardSpec card = cardOf.get(r.line().id());
            if (u == null || !card.driver().equals(r.driver()) || !u.get("port").equals("sim") && r.device() != null
                    || u.get("port").equals("sim") && r.device() == null) {
                stop(r, HangupCause.NORMAL_CLEARING);
                lines.remove(r.line().id());
            } else {
                r.line().update(u, card.id());
            }
        }
        for (Map.Entry<String, UnitSpec> e : wanted.entrySet()) {
            if (!lines.containsKey(e.getKey())) {
                start(e.getValue(), cardOf.get(e.getKey()), p.country());
            }
        }
    }

    private void start(UnitSpec u, CardSpec card, String country) {
        List<PtyPair> ptys = new ArrayList<>();
        SimulatedDevice device = null;
        Map<String, Path> simPorts = new ConcurrentHashMap<>();
        try {
            if (u.get("port").equals("sim")) {
                PtyPair at = new PtyPair(simDir.resolve(u.id() + ".tty"), simDir.resolve(u.id() + ".dev")).start();
                ptys.add(at);
                simPorts.put("sim", at.boxSide());
                if (card.driver().equals(MODEM)) {
                    device = new SimulatedModem(u.id(), at.deviceSide()).start();
                } else {
                    Path audioDev = null;
                    if (u.get("audio-port").equals("sim")) {
                        PtyPair audio = new PtyPair(simDir.resolve(u.id() + "-audio.tty"), simDir.resolve(u.id() + "-audio.dev")).start();
                        ptys.add(audio);
                        simPorts.put("sim-audio", audio.boxSide());
                        audioDev = audio.deviceSide();
                    }
                    device = new SimulatedGsm(u.id(), at.deviceSide(), audioDev).start();
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: no simulated device: {}", u.id(), e.getMessage());
        }
        SerialLine.PortOpener opener = (path, baud, flow) -> {
            if (path.equals("sim") || path.equals("sim-audio")) {
                Path box = simPorts.get(path);
                if (box == null) {
                    throw new IOException("port sim: the simulated device could not be started (is socat installed? Debian package socat)");
                }
                path = box.toString();
                flow = "none"; // a pseudo-terminal has no RTS/CTS lines
            }
            return JSerialCommIo.open(path, baud, flow);
        };
        SerialLine line = card.driver().equals(MODEM)
                ? new ModemLine(u, card.id(), publisher, timer, opener, "us".equals(country))
                : new GsmLine(u, card.id(), publisher, timer, opener);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("line.id", u.id());
        props.put("line.driver", card.driver());
        ServiceRegistration<Line> reg = context.registerService(Line.class, line, props);
        lines.put(u.id(), new Running(line, card.driver(), reg, ptys, device));
        line.start();
        LOG.info("Serial line {} ({} on {}) starting", u.id(), card.driver(), u.get("port"));
    }

    private void stop(Running r, HangupCause cause) {
        r.line().stop(cause);
        try {
            r.registration().unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
        if (r.device() != null) {
            r.device().close();
        }
        for (PtyPair p : r.ptys()) {
            p.stop();
        }
        LOG.info("Serial line {} stopped", r.line().id());
    }

    // ---------------------------------------------------------------- for the shell and tests

    public Optional<SerialLine> line(String id) {
        Running r = lines.get(id);
        return r == null ? Optional.empty() : Optional.of(r.line());
    }

    public Collection<String> lineIds() {
        return new TreeMap<>(lines).keySet();
    }

    /** The simulated device behind a "sim" line. */
    public Optional<SimulatedDevice> simulated(String id) {
        Running r = lines.get(id);
        return r == null || r.device() == null ? Optional.empty() : Optional.of(r.device());
    }

    /** The PTY pairs of a "sim" line, so a technician can "unplug" it (line:sim-unplug). */
    public List<PtyPair> ptys(String id) {
        Running r = lines.get(id);
        return r == null ? List.of() : r.ptys();
    }

    private String status(String driver, String cardId) {
        List<SerialLine> mine = lines.values().stream().filter(r -> r.driver().equals(driver))
                .map(Running::line).filter(l -> l.cardId().equals(cardId)).toList();
        long online = mine.stream().filter(l -> l.status().health() == LineHealth.ONLINE).count();
        long busy = mine.stream().filter(SerialLine::busy).count();
        return mine.size() + (mine.size() == 1 ? " line: " : " lines: ") + online + " online, " + busy + " in a call";
    }

    // ---------------------------------------------------------------- SMS

    @Override
    public CompletionStage<SmsReceipt> send(String lineId, String number, String text) {
        GsmLine chosen = null;
        if (lineId != null && !lineId.isEmpty()) {
            Running r = lines.get(lineId);
            if (r == null || !(r.line() instanceof GsmLine g)) {
                return CompletableFuture.failedFuture(new SmsException("no GSM line '" + lineId + "'; GSM lines: " + gsmLines()));
            }
            chosen = g;
        } else {
            for (Running r : new TreeMap<>(lines).values()) {
                if (r.line() instanceof GsmLine g && g.registered()) {
                    chosen = g;
                    break;
                }
            }
            if (chosen == null) {
                return CompletableFuture.failedFuture(new SmsException("no GSM line is registered to a network; GSM lines: " + gsmLines()));
            }
        }
        return chosen.sendSms(number, text);
    }

    private String gsmLines() {
        List<String> ids = new TreeMap<>(lines).values().stream().filter(r -> r.line() instanceof GsmLine)
                .map(r -> r.line().id() + " (" + r.line().status().health() + ")").toList();
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }
}
