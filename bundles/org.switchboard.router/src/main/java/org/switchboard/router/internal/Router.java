package org.switchboard.router.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZonedDateTime;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
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
import org.switchboard.core.api.CallEventListener;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.api.InboundCallHandler;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineKind;
import org.switchboard.core.route.CallDestination;
import org.switchboard.core.route.Destination;

/**
 * The inbound call handler of the box: each new call is matched against the routes file and
 * handed to the capability serving its destination. Calls between the agents' own extensions are
 * not routed: they go to the {@code extension} destination (SIP) as dialled.
 * <p>
 * The routes file is checked every 2 s; a changed file applies to new calls once it validates
 * whole, and a broken one is reported (log, {@code router:routes}) while the previous one serves.
 */
@Component(service = Router.class, immediate = true, configurationPid = "org.switchboard.router")
@Designate(ocd = RouterConfig.class)
public final class Router {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    static final int RANKING = 0;

    private final CallControl calls;
    private final Map<String, CallDestination> destinations = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watcher;
    private final ServiceRegistration<InboundCallHandler> registration;
    private volatile Path file;
    private volatile long callerIdWaitMs;
    private volatile RouteTable table;
    private volatile FileTime loadedTime;
    private volatile List<YamlFile.Problem> refused = List.of();
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong fellBack = new AtomicLong();

    @Activate
    public Router(BundleContext context, @Reference CallControl calls, RouterConfig config) {
        this.calls = calls;
        this.external = new ExternalNumbers(calls, () -> destinations.get("survey"));
        configure(config);
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-router-watch");
            t.setDaemon(true);
            return t;
        });
        reload();
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, 2, 2, TimeUnit.SECONDS);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, RANKING);
        // registered by hand: the call engine binds handlers dynamically and this component needs it
        registration = context.registerService(InboundCallHandler.class, this::onInboundCall, props);
        listener = context.registerService(CallEventListener.class, external::onEvent, null);
        Hashtable<String, Object> ext = new Hashtable<>();
        ext.put(CallDestination.TYPE, "external");
        externalReg = context.registerService(CallDestination.class, external, ext);
    }

    private final ExternalNumbers external;
    private final ServiceRegistration<CallEventListener> listener;
    private final ServiceRegistration<CallDestination> externalReg;

    @Modified
    void modified(RouterConfig config) {
        configure(config);
        watcher.execute(this::reload);
    }

    private void configure(RouterConfig config) {
        String f = config.routes_file();
        Path p = Path.of(f);
        this.file = p.isAbsolute() ? p : Path.of(System.getProperty("karaf.home", ".")).resolve(p);
        long w = config.callerid_wait_ms();
        if (w < 0 || w > 10_000) {
            LOG.error("etc/org.switchboard.router.cfg: callerid.wait.ms = {} is not allowed; allowed: 0 to 10000; using 4500", w);
            w = 4500;
        }
        this.callerIdWaitMs = w;
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        listener.unregister();
        externalReg.unregister();
        watcher.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeDestination")
    void addDestination(CallDestination d, Map<String, Object> props) {
        Object type = props.get(CallDestination.TYPE);
        if (type != null) {
            destinations.put(type.toString(), d);
        }
    }

    void removeDestination(CallDestination d, Map<String, Object> props) {
        Object type = props.get(CallDestination.TYPE);
        if (type != null) {
            destinations.remove(type.toString(), d);
        }
    }

    // ---------------------------------------------------------------- the routes file

    private void reloadIfChanged() {
        try {
            FileTime t = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            if (t == null ? loadedTime != null || table == null && refused.isEmpty() : !t.equals(loadedTime)) {
                reload();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot check {}: {}", file, e.getMessage());
        }
    }

    /** Reads the file; applies it only when it has no problem. */
    synchronized List<YamlFile.Problem> reload() {
        FileTime t;
        try {
            t = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
        } catch (IOException e) {
            t = null;
        }
        RoutesFile.Result r = RoutesFile.read(file);
        loadedTime = t;
        if (r.ok()) {
            boolean first = table == null;
            table = r.table();
            refused = List.of();
            LOG.info("Routes {} {}: {} routes, fallback {}", first ? "loaded from" : "reloaded from", file, table.routes.size(), table.fallback);
        } else {
            refused = r.problems();
            LOG.error("Routes file {} refused ({} problems){}:\n  {}", file, r.problems().size(),
                    table == null ? "; no routes: every outside call goes to reject" : "; the previous routes keep serving",
                    String.join("\n  ", r.problems().stream().map(YamlFile.Problem::toString).toList()));
        }
        return r.problems();
    }

    Optional<RouteTable> table() {
        return Optional.ofNullable(table);
    }

    List<YamlFile.Problem> refused() {
        return refused;
    }

    Path file() {
        return file;
    }

    Map<String, CallDestination> destinations() {
        return Map.copyOf(destinations);
    }

    long routed() {
        return routed.get();
    }

    long fellBack() {
        return fellBack.get();
    }

    // ---------------------------------------------------------------- calls

    void onInboundCall(Call call, Channel ringing) {
        Line line = lineOf(ringing.lineId());
        LineKind kind = line == null ? LineKind.SIMULATED : line.kind();
        if (kind == LineKind.SIP) {
            hand(call, ringing, new Destination("extension", ringing.calledNumber()), "dialled by extension "
                    + ringing.callerId().number());
            return;
        }
        RouteTable t = table;
        boolean waitForCallerId = t != null && callerIdWaitMs > 0 && ringing.callerId().number().isEmpty()
                && ringing.callerId().presentation() == CallerId.Presentation.UNAVAILABLE
                && (kind == LineKind.ANALOG || kind == LineKind.GSM || kind == LineKind.SIMULATED)
                && t.routes.stream().anyMatch(r -> r.from() != null);
        if (waitForCallerId) {
            awaitCallerId(call, ringing, kind, System.nanoTime() + callerIdWaitMs * 1_000_000L);
        } else {
            route(call, ringing, kind);
        }
    }

    /** Analog lines often deliver the caller ID after the first ring: routes by caller wait for it, a little. */
    private void awaitCallerId(Call call, Channel ringing, LineKind kind, long deadline) {
        if (ringing.state() != ChannelState.RINGING) {
            return;
        }
        if (!ringing.callerId().number().isEmpty() || ringing.callerId().presentation() != CallerId.Presentation.UNAVAILABLE
                || System.nanoTime() >= deadline) {
            route(call, ringing, kind);
            return;
        }
        watcher.schedule(() -> awaitCallerId(call, ringing, kind, deadline), 100, TimeUnit.MILLISECONDS);
    }

    private void route(Call call, Channel ringing, LineKind kind) {
        RouteTable t = table;
        RouteTable.Decision d = t == null
                ? new RouteTable.Decision(null, new Destination("reject", ""), List.of("no valid routes file (" + file + ")"))
                : t.decide(new RouteTable.CallFacts(ringing.lineId(), kind, ringing.calledNumber(), ringing.callerId(), ZonedDateTime.now()));
        routed.incrementAndGet();
        String via = d.route() == null ? "the fallback" : "route '" + d.route().name() + "'";
        LOG.info("Call {} on {} from {} to '{}': {} -> {}", call.id(), ringing.lineId(), ringing.callerId().display(),
                ringing.calledNumber(), via, d.destination());
        hand(call, ringing, d.destination(), via);
    }

    private void hand(Call call, Channel ringing, Destination d, String via) {
        if (d.type().equals("reject")) {
            reject(ringing, d, via);
            return;
        }
        CallDestination target = destinations.get(d.type());
        if (target == null) {
            RouteTable t = table;
            Destination fb = t == null ? new Destination("reject", "") : t.fallback;
            fellBack.incrementAndGet();
            LOG.warn("Call {}: nothing serves '{}' destinations (is its feature installed?); {} -> fallback {}", call.id(), d.type(), via, fb);
            if (fb.type().equals(d.type()) || !destinations.containsKey(fb.type()) && !fb.type().equals("reject")) {
                reject(ringing, new Destination("reject", "NORMAL_TEMPORARY_FAILURE"), via);
            } else {
                hand(call, ringing, fb, via + ", fallback");
            }
            return;
        }
        try {
            target.accept(call, ringing, d, via);
        } catch (RuntimeException e) {
            LOG.error("Call {}: the '{}' destination failed; the call is released", call.id(), d.type(), e);
            calls.hangup(ringing, HangupCause.NORMAL_TEMPORARY_FAILURE);
        }
    }

    private void reject(Channel ringing, Destination d, String via) {
        HangupCause cause = HangupCause.CALL_REJECTED;
        if (!d.target().isEmpty()) {
            try {
                cause = HangupCause.parse(d.target());
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: reject cause '{}' unknown; using CALL_REJECTED", via, d.target());
            }
        }
        calls.hangup(ringing, cause);
    }

    private volatile Map<String, Line> lines = Map.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeLine")
    void addLine(Line line) {
        Map<String, Line> m = new java.util.HashMap<>(lines);
        m.put(line.id(), line);
        lines = Map.copyOf(m);
    }

    void removeLine(Line line) {
        Map<String, Line> m = new java.util.HashMap<>(lines);
        m.remove(line.id(), line);
        lines = Map.copyOf(m);
    }

    Line lineOf(String id) {
        return lines.get(id);
    }
}
