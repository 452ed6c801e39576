package org.switchboard.sip.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;
import javax.sql.DataSource;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.CallEvent;
import org.switchboard.core.api.CallEventListener;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.InboundCallHandler;
import org.switchboard.core.route.CallDestination;
import org.switchboard.core.route.Destination;
import org.switchboard.core.spi.ChannelPublisher;
import org.switchboard.hw.api.CardDriver;
import org.switchboard.media.rtp.RtpEngine;
import org.switchboard.store.api.MigrationException;
import org.switchboard.store.api.SchemaMigrations;

/**
 * The box's SIP: one JAIN-SIP stack, the registrar, the calls, the defences. Requests are handed
 * to one handler per method; a valve in front of the stack refuses locked-out and flooding
 * sources before a transaction is even created.
 */
@Component(service = {SipServer.class, CardDriver.class}, immediate = true, configurationPid = "org.switchboard.sip")
@Designate(ocd = SipConfig.class)
public final class SipServer implements SipListener, CardDriver {

    private static final Logger LOG = LoggerFactory.getLogger(SipServer.class);

    private final Clock clock = Clock.systemUTC();
    private final Extensions extensions;
    private final Registrations registrations = new Registrations(clock);
    private final Tracer tracer = new Tracer();
    private final SourceGuard guard;
    private final ScheduledExecutorService housekeeping;
    private final ChannelPublisher publisher;
    private final CallControl calls;
    private final RtpEngine rtp;
    private final BundleContext context;

    private volatile SipOptions options;
    private volatile SipStackHolder stack;
    private volatile SipContext sip;
    private volatile Registrar registrar;
    private volatile SipCalls sipCalls;
    private volatile String notRunning;
    private volatile Digest digest;
    private final InternalDialing dialing;

    @Activate
    public SipServer(SipConfig config, BundleContext context, @Reference(target = "(osgi.jdbc.datasource.name=switchboard)") DataSource dataSource,
                     @Reference SchemaMigrations migrations, @Reference ChannelPublisher publisher,
                     @Reference CallControl calls, @Reference RtpEngine rtp) throws MigrationException, SQLException {
        migrations.migrate(SipServer.class, "org/switchboard/sip/db/changelog.sql");
        this.context = context;
        this.extensions = new Extensions(dataSource);
        this.publisher = publisher;
        this.calls = calls;
        this.rtp = rtp;
        SipOptions o = SipOptions.from(config);
        this.guard = new SourceGuard(o.limits(), clock);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-sip-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
        this.dialing = new InternalDialing(calls, extensions, this);
        apply(o);
        // registered by hand, not as services of this component: the call engine binds handlers and
        // listeners dynamically, and this component needs the call engine, so being both would make
        // a cycle SCR can only break by leaving one of them unbound
        java.util.Hashtable<String, Object> ranked = new java.util.Hashtable<>();
        ranked.put(org.osgi.framework.Constants.SERVICE_RANKING, -100);
        handlerRegistration = context.registerService(InboundCallHandler.class, this::onInboundCall, ranked);
        listenerRegistration = context.registerService(CallEventListener.class, this::onEvent, null);
        java.util.Hashtable<String, Object> ext = new java.util.Hashtable<>();
        ext.put(CallDestination.TYPE, "extension");
        destinationRegistration = context.registerService(CallDestination.class, this::toExtension, ext);
    }

    private final org.osgi.framework.ServiceRegistration<CallDestination> destinationRegistration;

    /** The post-call survey, when a capability serves it: outside callers whose extension hung up first go there. */
    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY,
            target = "(" + CallDestination.TYPE + "=survey)")
    private volatile CallDestination survey;

    CallDestination survey() {
        return survey;
    }

    /**
     * The {@code extension} destination of the router: a call between extensions as dialled (with
     * the dial-out rules), a trunk's call to the extension its DID map names (bare
     * {@code extension}), any other call to the extension the destination names.
     */
    void toExtension(Call call, Channel inbound, Destination d, String via) {
        if (SipCalls.LINE.equals(inbound.lineId())) {
            dialing.offer(call, inbound);
        } else if (!d.target().isEmpty()) {
            dialing.toExtension(call, inbound, d.target());
        } else if (trunks.containsKey(inbound.lineId())) {
            dialing.offerFromTrunk(call, inbound, trunks.get(inbound.lineId()));
        } else {
            LOG.info("Call {} on {} ({}): a bare 'extension' destination needs a SIP trunk's DID map; released", call.id(),
                    inbound.lineId(), via);
            calls.hangup(inbound, org.switchboard.core.api.HangupCause.NO_ROUTE_DESTINATION);
        }
    }

    private final org.osgi.framework.ServiceRegistration<InboundCallHandler> handlerRegistration;
    private final org.osgi.framework.ServiceRegistration<CallEventListener> listenerRegistration;

    @Modified
    void modified(SipConfig config) {
        apply(SipOptions.from(config));
    }

    private synchronized void apply(SipOptions o) {
        if (!o.problems().isEmpty()) {
            for (String p : o.problems()) {
                LOG.error("{}: {}", SipOptions.FILE, p);
            }
            if (stack != null) {
                LOG.error("{}: the configuration was not applied; SIP keeps running as before", SipOptions.FILE);
            } else {
                notRunning = "configuration problems in " + SipOptions.FILE + ": " + String.join("; ", o.problems());
            }
            return;
        }
        guard.limits(o.limits());
        SipOptions old = options;
        boolean restart = stack == null || old == null || !o.bind().equals(old.bind()) || o.udpPort() != old.udpPort()
                || o.tcpPort() != old.tcpPort() || o.tlsPort() != old.tlsPort() || !o.realm().equals(old.realm())
                || o.threads() != old.threads() || !o.announced().equals(old.announced())
                || !o.algorithms().equals(old.algorithms());
        options = o;
        if (!restart) {
            LOG.info("SIP configuration applied to the running stack");
            return;
        }
        stopStack();
        try {
            SipStackHolder holder = new SipStackHolder(o, this, new Valve());
            SipContext ctx = new SipContext(holder, o, tracer);
            // the nonces handed out so far stay good across a restart of the stack (a restart by the
            // watchdog must not turn every phone's next answer into a failed authentication)
            if (digest == null || old == null || !o.realm().equals(old.realm()) || !o.algorithms().equals(old.algorithms())) {
                digest = new Digest(o.realm(), o.algorithms(), clock);
            }
            registrar = new Registrar(ctx, extensions, registrations, digest, guard, clock);
            sipCalls = new SipCalls(this, ctx, registrar, registrations, extensions, publisher, calls, rtp, context, clock);
            sip = ctx;
            stack = holder;
            notRunning = null;
            for (SipTrunk t : trunks.values()) {
                t.stop();
                t.start();
            }
            LOG.info("SIP listening on {} (udp {}, tcp {}, tls {}), realm '{}'", o.bind().getHostAddress(), o.udpPort(),
                    o.tcpPort(), o.tlsPort(), o.realm());
        } catch (SipStackHolder.SipStartException e) {
            notRunning = e.getMessage();
            LOG.error("SIP not running: {}", e.getMessage());
        }
    }

    private void stopStack() {
        SipCalls c = sipCalls;
        if (c != null) {
            c.close();
        }
        SipStackHolder s = stack;
        stack = null;
        sip = null;
        if (s != null) {
            s.stop();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        destinationRegistration.unregister();
        handlerRegistration.unregister();
        listenerRegistration.unregister();
        stopStack();
        housekeeping.shutdownNow();
    }

    /**
     * The stack's UDP receiver thread is gone (an OutOfMemoryError under a flood ends it and the
     * stack never starts another): SIP would stay deaf until a restart of the box, so SIP restarts
     * by itself. Its calls end with it; without receiving they could not have been ended anyway.
     */
    private synchronized void restartIfDeaf() {
        SipStackHolder s = stack;
        String dead = s == null ? null : s.deadReceiver();
        if (dead == null) {
            return;
        }
        LOG.error("SIP stopped receiving: the stack's thread {} has ended (the log above says why); restarting SIP, "
                + "its calls are ended", dead);
        SipOptions o = options;
        stopStack();
        apply(o);
    }

    private void sweep() {
        try {
            restartIfDeaf();
            registrations.sweep();
            guard.sweep();
            SipCalls c = sipCalls;
            if (c != null) {
                c.keepalive(options.natKeepalive());
                c.watchMedia(options.rtpTimeout());
            }
        } catch (RuntimeException e) {
            LOG.warn("SIP housekeeping failed", e);
        }
    }

    // ------------------------------------------------------------------ for the shell

    Extensions extensions() {
        return extensions;
    }

    Registrations registrations() {
        return registrations;
    }

    SourceGuard guard() {
        return guard;
    }

    Tracer tracer() {
        return tracer;
    }

    SipOptions options() {
        return options;
    }

    /** Why SIP is not running, or null when it is. */
    String notRunning() {
        return notRunning;
    }

    SipCalls calls() {
        return sipCalls;
    }

    /** The running stack and helpers, or null when SIP is not running. */
    SipContext context() {
        return sip;
    }

    // ------------------------------------------------------------------ trunks

    private final java.util.Map<String, SipTrunk> trunks = new java.util.concurrent.ConcurrentHashMap<>();

    void addTrunk(SipTrunk t) {
        SipTrunk before = trunks.putIfAbsent(t.id(), t);
        if (before != null) {
            throw new IllegalArgumentException("two trunks are named '" + t.id() + "'");
        }
        t.start();
    }

    void removeTrunk(SipTrunk t) {
        if (trunks.remove(t.id(), t)) {
            t.stop();
        }
    }

    /** A leg dialled by the box sends early media: relay it to the caller it was dialled for, if any. */
    void earlyMediaFrom(String calleeChannelId) {
        SipCalls c = sipCalls;
        if (c != null) {
            dialing.callerOf(calleeChannelId).ifPresent(caller -> c.earlyMedia(caller, calleeChannelId));
        }
    }

    java.util.Collection<SipTrunk> trunks() {
        return new java.util.TreeMap<>(trunks).values();
    }

    /** The trunk whose carrier sent this request, if any. */
    java.util.Optional<SipTrunk> trunkFrom(InetSocketAddress src) {
        return trunks.values().stream().filter(t -> t.from(src)).findFirst();
    }

    /** The trunk that owns a DID, if any. */
    java.util.Optional<SipTrunk> trunkWithDid(String number) {
        return trunks.values().stream().filter(t -> t.did(number).isPresent()).findFirst();
    }

    /** An online trunk that carries extensions' outside calls. */
    java.util.Optional<SipTrunk> outboundTrunk() {
        return trunks().stream().filter(t -> t.options().outbound()
                && t.status().health() != org.switchboard.core.spi.LineHealth.OFFLINE).findFirst();
    }

    ScheduledExecutorService timer() {
        return housekeeping;
    }

    Clock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ hw:cards

    @Override
    public String driverName() {
        return "sip";
    }

    @Override
    public String cardStatus(String cardId) {
        String why = notRunning;
        if (why != null) {
            return "NOT RUNNING: " + why;
        }
        SipOptions o = options;
        SipCalls c = sipCalls;
        return "running on " + o.bind().getHostAddress() + " (udp " + o.udpPort() + ", tcp " + o.tcpPort() + "): "
                + extensions.all().size() + " extensions, " + registrations.all().size() + " registered phones, "
                + (c == null ? 0 : c.activeLegs()) + " SIP legs";
    }

    // ------------------------------------------------------------------ calls with no router

    /**
     * Ranked below any router: only calls nobody else takes. Calls between extensions are
     * connected; the rest is refused with a clear cause.
     */
    void onInboundCall(Call call, Channel ringing) {
        if (SipCalls.LINE.equals(ringing.lineId())) {
            dialing.offer(call, ringing);
        } else if (trunks.containsKey(ringing.lineId())) {
            dialing.offerFromTrunk(call, ringing, trunks.get(ringing.lineId()));
        }
    }

    void onEvent(CallEvent event) {
        dialing.onEvent(event);
        SipCalls c = sipCalls;
        if (c != null) {
            c.transferLegEvent(event);
        }
    }

    // ------------------------------------------------------------------ the stack's listener

    @Override
    public void processRequest(RequestEvent ev) {
        SipContext ctx = sip;
        if (ctx == null) {
            return;
        }
        Request r = ev.getRequest();
        InetSocketAddress src = SipContext.source(r);
        tracer.trace("<-", r, src.getAddress(), src.getPort());
        try {
            switch (r.getMethod()) {
                case Request.REGISTER -> registrar.handle(ev);
                case Request.INVITE -> sipCalls.invite(ev);
                case Request.ACK -> sipCalls.ack(ev);
                case Request.BYE -> sipCalls.bye(ev);
                case Request.CANCEL -> sipCalls.cancel(ev);
                case Request.REFER -> sipCalls.refer(ev);
                case Request.INFO -> sipCalls.info(ev);
                case Request.NOTIFY -> ctx.reply(ctx.transaction(ev), r, ev.getDialog() == null ? 481 : 200);
                case Request.OPTIONS -> options(ctx, ev);
                case Request.SUBSCRIBE, Request.MESSAGE, Request.PUBLISH, Request.UPDATE, Request.PRACK -> notAllowed(ctx, ev, 405);
                default -> notAllowed(ctx, ev, 501);
            }
        } catch (RuntimeException e) {
            LOG.error("{} from {} failed", r.getMethod(), src, e);
            if (!r.getMethod().equals(Request.ACK)) {
                ctx.reply(ctx.transaction(ev), r, 500);
            }
        }
    }

    private void options(SipContext ctx, RequestEvent ev) {
        Request r = ev.getRequest();
        Response ok = ctx.response(200, r);
        ctx.addAllow(ok);
        ctx.addHeader(ok, "Accept", "application/sdp");
        ctx.send(ctx.transaction(ev), r, ok);
    }

    private void notAllowed(SipContext ctx, RequestEvent ev, int status) {
        Request r = ev.getRequest();
        Response resp = ctx.response(status, r);
        ctx.addAllow(resp);
        ctx.send(ctx.transaction(ev), r, resp);
    }

    @Override
    public void processResponse(ResponseEvent ev) {
        tracer.trace("<-", ev.getResponse(), null, 0);
        if (ev.getClientTransaction() != null && ev.getClientTransaction().getApplicationData() instanceof ClientHandler h) {
            h.response(ev);
            return;
        }
        SipCalls c = sipCalls;
        if (c != null) {
            c.response(ev);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent ev) {
        if (!ev.isServerTransaction() && ev.getClientTransaction() != null
                && ev.getClientTransaction().getApplicationData() instanceof ClientHandler h) {
            h.timeout(ev);
            return;
        }
        SipCalls c = sipCalls;
        if (c != null) {
            c.timeout(ev);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent ev) {
        LOG.debug("SIP I/O error towards {}:{} ({})", ev.getHost(), ev.getPort(), ev.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent ev) {
        // transactions end by themselves; calls follow their dialogs
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent ev) {
        SipCalls c = sipCalls;
        if (c != null) {
            c.dialogTerminated(ev);
        }
    }

    private final java.util.concurrent.atomic.AtomicLong overloadRefused = new java.util.concurrent.atomic.AtomicLong();

    /** New calls refused with 503 because the stack was too far behind (overload.delay.ms). */
    long overloadRefused() {
        return overloadRefused.get();
    }

    private boolean overloaded() {
        SipStackHolder s = stack;
        int limit = options.overloadDelayMs();
        return s != null && limit > 0 && s.udpBacklogMillis() > limit;
    }

    /**
     * In front of the stack: a new INVITE while the stack is overloaded gets 503; a locked-out source gets nothing (a scanner learns nothing), a source
     * over its INVITE or REGISTER rate gets 503 with Retry-After.
     */
    private final class Valve implements SIPMessageValve {

        private javax.sip.SipStack stackRef;

        @Override
        public boolean processRequest(SIPRequest request, MessageChannel channel) {
            InetAddress src = channel.getPeerPacketSourceAddress();
            if (src == null) {
                return true;
            }
            String method = request.getMethod();
            if (method.equals(Request.INVITE) && request.getToTag() == null && overloaded()) {
                // a new call while the stack is far behind: refusing it now, statelessly, keeps the
                // calls in progress and the box alive; the caller's side retries elsewhere or later
                overloadRefused.incrementAndGet();
                SipContext ctx = sip;
                if (ctx != null) {
                    Response busy = ctx.response(503, request);
                    ctx.addHeader(busy, "Retry-After", "2");
                    ctx.send(null, request, busy);
                }
                return false;
            }
            if (guard.admit(src, method)) {
                return true;
            }
            if (guard.blocked().stream().noneMatch(b -> b.address().equals(src)) && !method.equals(Request.ACK)) {
                SipContext ctx = sip;
                if (ctx != null) {
                    Response busy = ctx.response(503, request);
                    ctx.addHeader(busy, "Retry-After", "5");
                    ctx.send(null, request, busy);
                }
            }
            return false;
        }

        @Override
        public boolean processResponse(Response response, MessageChannel channel) {
            return true;
        }

        @Override
        public void init(javax.sip.SipStack s) {
            this.stackRef = s;
        }

        @Override
        public void destroy() {
            stackRef = null;
        }
    }

    List<SourceGuard.Block> blocked() {
        return guard.blocked();
    }
}
