package org.switchboard.span.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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
 * The {@code sim-span} and {@code dahdi-span} drivers: runs the spans of the applied hardware
 * profile through the native bridge and publishes each as a {@link Line} of kind SPAN. A simulated
 * span gets its carrier ({@link SimCarrier}) wired back to back. A span whose settings stay is
 * untouched by a profile change; one that goes or changes finishes its calls first.
 */
@Component(service = SpanDriver.class, immediate = true)
public final class SpanDriver {

    static final String SIM = "sim-span";
    static final String DAHDI = "dahdi-span";
    private static final Logger LOG = LoggerFactory.getLogger(SpanDriver.class);

    private final BundleContext context;
    private final ChannelPublisher publisher;
    private final Map<String, Running> spans = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<?>> drivers = new ArrayList<>();
    private volatile HardwareProfile profile;

    record Running(SpanLine line, SimCarrier carrier, ServiceRegistration<Line> registration) {
    }

    @Activate
    public SpanDriver(BundleContext context, @Reference ChannelPublisher publisher) {
        this.context = context;
        this.publisher = publisher;
        for (String name : List.of(SIM, DAHDI)) {
            drivers.add(context.registerService(CardDriver.class, new CardDriver() {
                @Override
                public String driverName() {
                    return name;
                }

                @Override
                public String cardStatus(String cardId) {
                    return status(cardId);
                }
            }, null));
        }
        String err = SpanLib.loadError();
        if (err != null) {
            LOG.warn("{}; spans stay offline", err);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetProfile")
    synchronized void setProfile(HardwareProfile p) {
        profile = p;
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
        for (Running r : spans.values()) {
            stop(r);
        }
        spans.clear();
        for (ServiceRegistration<?> d : drivers) {
            d.unregister();
        }
    }

    private void reconcile(HardwareProfile p) {
        Map<String, SpanConfig> wanted = new TreeMap<>();
        Map<String, String> cardOf = new TreeMap<>();
        if (p != null) {
            for (String driver : List.of(SIM, DAHDI)) {
                for (CardSpec card : p.cardsFor(driver)) {
                    for (UnitSpec u : card.spans()) {
                        wanted.put(u.id(), SpanConfig.of(u, driver.equals(SIM)));
                        cardOf.put(u.id(), card.id());
                    }
                }
            }
        }
        for (Running r : new ArrayList<>(spans.values())) {
            SpanConfig w = wanted.get(r.line().id());
            if (w == null || !w.equals(r.line().config) || !cardOf.get(w.id()).equals(r.line().cardId)) {
                retire(r);
            }
        }
        for (Map.Entry<String, SpanConfig> e : wanted.entrySet()) {
            if (!spans.containsKey(e.getKey())) {
                start(e.getValue(), cardOf.get(e.getKey()));
            }
        }
    }

    private void start(SpanConfig cfg, String cardId) {
        SimCarrier carrier = cfg.simulated() ? new SimCarrier(cfg) : null;
        if (carrier != null) {
            carrier.span.open();
        }
        SpanLine line = new SpanLine(cfg, cardId, publisher,
                (c, l) -> new PriSpan(c, carrier == null ? null : carrier.span, l));
        if (cfg.simulated()) {
            line.span.open();       // a simulated pair opens both ends at once; a DAHDI span opens (and retries) on its thread
            carrier.span.start();
        }
        line.span.start();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("line.id", cfg.id());
        props.put("line.driver", cfg.simulated() ? SIM : DAHDI);
        ServiceRegistration<Line> reg = context.registerService(Line.class, line, props);
        spans.put(cfg.id(), new Running(line, carrier, reg));
        LOG.info("Span {} ({}) started: {}", cfg.id(), cfg.describe(), line.status().health());
    }

    /** A span leaves the profile or changes: now when idle, else when its last call ends. */
    private void retire(Running r) {
        spans.remove(r.line().id(), r);
        if (r.line().busy() == 0) {
            stop(r);
            LOG.info("Span {} removed", r.line().id());
        } else {
            r.line().whenIdle(() -> {
                stop(r);
                LOG.info("Span {} removed after its last call", r.line().id());
            });
            LOG.info("Span {} leaves the profile; it goes when its calls end", r.line().id());
        }
    }

    private void stop(Running r) {
        try {
            r.registration().unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
        r.line().close();
        if (r.carrier() != null) {
            r.carrier().span.close();
        }
    }

    private String status(String cardId) {
        List<String> out = new ArrayList<>();
        for (Running r : spans.values()) {
            if (r.line().cardId.equals(cardId)) {
                var st = r.line().status();
                out.add(r.line().id() + " " + st.health() + (st.reason().isEmpty() ? "" : " (" + st.reason() + ")")
                        + ", " + r.line().busy() + "/" + r.line().config.channels().size() + " busy");
            }
        }
        return out.isEmpty() ? "no spans" : String.join("; ", out);
    }

    // ------------------------------------------------------------------ for the shell
    // Bad input throws IllegalArgumentException with a message for the technician.

    public Collection<String> spanIds() {
        return new TreeMap<>(spans).keySet();
    }

    private Running find(String id) {
        Running r = spans.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no span '" + id + "'; spans: "
                    + (spans.isEmpty() ? "none in the hardware profile" : String.join(", ", spanIds())));
        }
        return r;
    }

    private int channel(Running r, String ch) {
        try {
            int ts = Integer.parseInt(ch);
            if (r.line().config.channels().contains(ts)) {
                return ts;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + ch + "' is not a channel of span " + r.line().id() + "; allowed: "
                + r.line().config.channelList());
    }

    /** span:list rows: id, card, kind, status, alarms, D-channel, busy/free, since. */
    public List<List<String>> list() {
        List<List<String>> rows = new ArrayList<>();
        for (Running r : all()) {
            SpanLine l = r.line();
            var st = l.status();
            rows.add(List.of(l.id(), l.cardId, l.config.describe() + (l.config.simulated() ? " (simulated)" : " (DAHDI " + l.config.dahdiSpan() + ")"),
                    st.health() + (st.reason().isEmpty() ? "" : ": " + st.reason()), PriSpan.alarmText(l.span.alarms()),
                    l.span.dchanUp() ? "up" : "down", l.busy() + "/" + (l.config.channels().size() - l.busy()),
                    st.since().toString()));
        }
        return rows;
    }

    /** span:channels rows: channel, state, call. */
    public List<List<String>> channels(String id) {
        Running r = find(id);
        List<List<String>> rows = new ArrayList<>();
        for (int ts : r.line().config.channels()) {
            SpanCall c = r.line().call(ts);
            rows.add(List.of(Integer.toString(ts), c == null ? "free" : "busy", c == null ? "" : c.describe()));
        }
        return rows;
    }

    /** The last status changes of the span (alarms, D-channel, restarts, refusals). */
    public List<String> history(String id) {
        return find(id).line().span.history();
    }

    /** RESTART of one channel, or of every channel when {@code ch} is "all"; calls on them end. */
    public String restart(String id, String ch) {
        Running r = find(id);
        int ts = "all".equals(ch) ? 0 : channel(r, ch);
        if (!r.line().span.dchanUp()) {
            throw new IllegalArgumentException("span " + id + " cannot restart channels: D-channel down");
        }
        r.line().span.submit(h -> SpanLib.restart(h, ts, 0));
        return ts == 0 ? "RESTART sent for every channel of " + id : "RESTART sent for channel " + ts + " of " + id;
    }

    public void trace(String id, boolean on) {
        find(id).line().span.trace(on);
    }

    public boolean tracing(String id) {
        return find(id).line().span.tracing();
    }

    private SimCarrier carrier(String id) {
        Running r = find(id);
        if (r.carrier() == null) {
            throw new IllegalArgumentException("span " + id + " is a DAHDI span; span:sim drives the carrier of simulated spans only");
        }
        return r.carrier();
    }

    /** The simulated carrier calls the box; returns the channel it uses. */
    public int simCall(String id, String from, String to, boolean withheld) {
        SimCarrier c = carrier(id);
        String did = to.isEmpty() ? find(id).line().number() : to;
        if (did.isEmpty()) {
            throw new IllegalArgumentException("span " + id + " has no number in the profile; give --to");
        }
        int ts = c.call(from, did, withheld);
        if (ts < 0) {
            throw new IllegalArgumentException("every channel of span " + id + " is busy");
        }
        return ts;
    }

    public void simAnswer(String id, String ch) {
        SimCarrier c = carrier(id);
        c.answer(channel(find(id), ch));
    }

    public void simHangup(String id, String ch, int cause) {
        SimCarrier c = carrier(id);
        if (cause < 1 || cause > 127) {
            throw new IllegalArgumentException("cause " + cause + " is not allowed; allowed: a Q.850 cause 1-127 (16 normal clearing)");
        }
        c.hangup(channel(find(id), ch), cause);
    }

    public void simTone(String id, String ch, int hz) {
        if (hz < 0 || hz > 3400) {
            throw new IllegalArgumentException("tone " + hz + " Hz is not allowed; allowed: 0 (silence) to 3400 Hz");
        }
        legOf(id, ch).toneHz = hz;
    }

    public void simKeys(String id, String ch, String keys) {
        if (!keys.matches("[0-9*#]{1,32}")) {
            throw new IllegalArgumentException("keys '" + keys + "' are not allowed; allowed: 1-32 of 0-9 * #");
        }
        legOf(id, ch).sendKeys(keys);
    }

    private CarrierLeg legOf(String id, String ch) {
        CarrierLeg l = carrier(id).leg(channel(find(id), ch));
        if (l == null) {
            throw new IllegalArgumentException("no call on channel " + ch + " of span " + id);
        }
        return l;
    }

    /** What the box's receiver sees: clear, los, lof, ais or rai. */
    public void simAlarm(String id, String kind) {
        carrier(id);
        int k = List.of("clear", "los", "lof", "ais", "rai").indexOf(kind);
        if (k < 0) {
            throw new IllegalArgumentException("alarm '" + kind + "' is not allowed; allowed: los, lof, ais, rai, clear");
        }
        find(id).line().span.submit(h -> SpanLib.simAlarm(h, k, 0));
    }

    /** The carrier's next Q.931 message is made bad: unknown-ie or truncated. */
    public void simMangle(String id, String how) {
        SimCarrier c = carrier(id);
        int k = List.of("unknown-ie", "truncated").indexOf(how) + 1;
        if (k == 0) {
            throw new IllegalArgumentException("'" + how + "' is not allowed; allowed: unknown-ie, truncated");
        }
        if (!c.span.config.pri()) {
            throw new IllegalArgumentException("span " + id + " is not an ISDN span; mangle changes Q.931 messages");
        }
        c.span.submit(h -> SpanLib.simMangle(h, k, 0));
    }

    /** The carrier's calls and its last events. */
    public List<String> simStatus(String id) {
        SimCarrier c = carrier(id);
        List<String> out = new ArrayList<>();
        out.add("carrier: " + c.span.config.describe() + ", D-channel " + (c.span.dchanUp() ? "up" : "down")
                + ", alarms " + PriSpan.alarmText(c.span.alarms()));
        List<String> legs = c.legs();
        out.add(legs.isEmpty() ? "no calls" : legs.size() + " calls:");
        legs.forEach(l -> out.add("  " + l));
        out.add("last events:");
        c.log().forEach(l -> out.add("  " + l));
        return out;
    }

    Optional<Running> running(String id) {
        return Optional.ofNullable(spans.get(id));
    }

    List<Running> all() {
        return new ArrayList<>(new TreeMap<>(spans).values());
    }
}
