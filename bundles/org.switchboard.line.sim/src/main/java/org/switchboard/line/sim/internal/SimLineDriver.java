package org.switchboard.line.sim.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.core.spi.Line;
import org.switchboard.hw.api.CardDriver;
import org.switchboard.hw.api.CardSpec;
import org.switchboard.hw.api.HardwareProfile;
import org.switchboard.hw.api.UnitSpec;

/**
 * The {@code sim-line} driver: runs the simulated lines of the applied hardware profile and
 * publishes each as a {@link Line}. Follows profile changes line by line: a line that stays is
 * untouched, a line that goes away finishes its call first.
 */
@Component(service = {CardDriver.class, SimLineDriver.class}, immediate = true)
public final class SimLineDriver implements CardDriver {

    static final String DRIVER = "sim-line";
    private static final Logger LOG = LoggerFactory.getLogger(SimLineDriver.class);

    private final BundleContext context;
    private final ChannelPublisher publisher;
    private final ScheduledExecutorService timer;
    private final Map<String, Running> lines = new ConcurrentHashMap<>();
    private volatile HardwareProfile profile;

    private record Running(SimulatedLine line, ServiceRegistration<Line> registration) {
    }

    @Activate
    public SimLineDriver(BundleContext context, @Reference ChannelPublisher publisher) {
        this.context = context;
        this.publisher = publisher;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-line-sim");
            t.setDaemon(true);
            return t;
        });
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
        for (Running r : lines.values()) {
            r.registration().unregister();
        }
        lines.clear();
        timer.shutdownNow();
    }

    private void reconcile(HardwareProfile p) {
        Map<String, UnitSpec> wanted = new TreeMap<>();
        Map<String, String> cardOf = new TreeMap<>();
        if (p != null) {
            for (CardSpec card : p.cardsFor(DRIVER)) {
                for (UnitSpec u : card.lines()) {
                    wanted.put(u.id(), u);
                    cardOf.put(u.id(), card.id());
                }
            }
        }
        for (Running r : new ArrayList<>(lines.values())) {
            UnitSpec u = wanted.get(r.line().id());
            if (u == null) {
                retire(r);
            } else {
                r.line().update(cardOf.get(u.id()), u.get("number"));
            }
        }
        for (Map.Entry<String, UnitSpec> e : wanted.entrySet()) {
            if (!lines.containsKey(e.getKey())) {
                start(e.getValue(), cardOf.get(e.getKey()));
            }
        }
    }

    private void start(UnitSpec u, String cardId) {
        SimulatedLine[] self = new SimulatedLine[1];
        SimulatedLine line = new SimulatedLine(u.id(), cardId, u.get("number"), publisher, timer, () -> onIdle(self[0]));
        self[0] = line;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("line.id", u.id());
        props.put("line.driver", DRIVER);
        ServiceRegistration<Line> reg = context.registerService(Line.class, line, props);
        lines.put(u.id(), new Running(line, reg));
        LOG.info("Simulated line {} (card {}) online", u.id(), cardId);
    }

    /** A line leaves the profile: now if idle, else when its call ends. */
    private void retire(Running r) {
        lines.remove(r.line().id(), r);
        r.line().removed = true;
        if (!r.line().busy()) {
            r.registration().unregister();
            LOG.info("Simulated line {} removed", r.line().id());
        } else {
            retiring.put(r.line(), r.registration());
            LOG.info("Simulated line {} leaves the profile; it goes when its call ends", r.line().id());
        }
    }

    private final Map<SimulatedLine, ServiceRegistration<Line>> retiring = new ConcurrentHashMap<>();

    private void onIdle(SimulatedLine line) {
        ServiceRegistration<Line> reg = retiring.remove(line);
        if (reg != null) {
            reg.unregister();
            LOG.info("Simulated line {} removed after its call", line.id());
        }
    }

    /** The running simulated line with this id. */
    public Optional<SimulatedLine> line(String id) {
        Running r = lines.get(id);
        return r == null ? Optional.empty() : Optional.of(r.line());
    }

    public Collection<String> lineIds() {
        return new TreeMap<>(lines).keySet();
    }

    @Override
    public String driverName() {
        return DRIVER;
    }

    @Override
    public String cardStatus(String cardId) {
        List<SimulatedLine> mine = lines.values().stream().map(Running::line).filter(l -> l.cardId().equals(cardId)).toList();
        long busy = mine.stream().filter(SimulatedLine::busy).count();
        return mine.size() + " simulated lines online, " + busy + " in a call";
    }
}
