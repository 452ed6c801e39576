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

    public Collection<String> spanIds() {
        return new TreeMap<>(spans).keySet();
    }

    Optional<Running> running(String id) {
        return Optional.ofNullable(spans.get(id));
    }

    List<Running> all() {
        return new ArrayList<>(new TreeMap<>(spans).values());
    }
}
