package org.switchboard.media.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.spi.MediaClock;
import org.switchboard.media.rtp.RtpEngine;
import org.switchboard.media.rtp.RtpException;
import org.switchboard.media.rtp.RtpStream;

/**
 * Opens RTP streams on the configured port range, runs the network thread that feeds them, and
 * keeps the list of open streams for the shell. A configuration change applies to streams opened
 * after it; streams already open keep their ports.
 */
@Component(service = {RtpEngine.class, RtpEngineImpl.class}, configurationPid = "org.switchboard.media")
@Designate(ocd = MediaConfig.class)
public final class RtpEngineImpl implements RtpEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RtpEngineImpl.class);

    private final MediaClock clock;
    /** One network thread per core: each stream's sockets are served by one of them. */
    private final RtpReceiver[] receivers;
    private final java.util.concurrent.atomic.AtomicInteger nextReceiver = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<Integer, RtpStreamImpl> streams = new ConcurrentHashMap<>();
    private volatile PortAllocator allocator;
    private volatile MediaOptions options;

    @Activate
    public RtpEngineImpl(@Reference MediaClock clock, MediaConfig config) throws IOException {
        this(clock, MediaOptions.from(config));
    }

    RtpEngineImpl(MediaClock clock, MediaOptions options) throws IOException {
        this.clock = clock;
        this.options = options;
        this.allocator = new PortAllocator(options.portFirst(), options.portLast(), options.socketBuffer());
        int n = options.networkThreads() > 0 ? options.networkThreads()
                : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.receivers = new RtpReceiver[n];
        for (int i = 0; i < n; i++) {
            receivers[i] = new RtpReceiver(i, options.coalesceMicros());
            receivers[i].start();
        }
        LOG.info("RTP on ports {}-{}, jitter buffer {}-{} ms, {} network thread(s)", options.portFirst(), options.portLast(),
                options.jitterMinMs(), options.jitterMaxMs(), n);
    }

    @org.osgi.service.component.annotations.Modified
    void modified(MediaConfig config) {
        MediaOptions next = MediaOptions.from(config);
        if (next.portFirst() != options.portFirst() || next.portLast() != options.portLast()
                || next.socketBuffer() != options.socketBuffer()) {
            if (!streams.isEmpty()) {
                LOG.warn("RTP port range changed to {}-{} while {} stream(s) are open; they keep their ports",
                        next.portFirst(), next.portLast(), streams.size());
            }
            allocator = new PortAllocator(next.portFirst(), next.portLast(), next.socketBuffer());
        }
        options = next;
    }

    @Deactivate
    public void deactivate() {
        for (RtpReceiver r : receivers) {
            r.stop();
        }
        for (RtpStreamImpl s : new ArrayList<>(streams.values())) {
            s.close();
        }
    }

    @Override
    public RtpStream open(String label, InetAddress bind) throws RtpException {
        PortAllocator a = allocator;
        PortAllocator.Allocation ports = a.allocate(bind);
        MediaOptions o = options;
        RtpStreamImpl s = new RtpStreamImpl(this, label, ports, clock, o.jitterMinMs(), o.jitterMaxMs());
        owners.put(s, a);
        streams.put(ports.port(), s);
        RtpReceiver r = receivers[Math.floorMod(nextReceiver.getAndIncrement(), receivers.length)];
        receiverOf.put(s, r);
        r.register(s);
        return s;
    }

    private final Map<RtpStreamImpl, PortAllocator> owners = new ConcurrentHashMap<>();
    private final Map<RtpStreamImpl, RtpReceiver> receiverOf = new ConcurrentHashMap<>();

    void release(RtpStreamImpl s) {
        streams.remove(s.ports().port(), s);
        PortAllocator a = owners.remove(s);
        if (a == null) {
            return;
        }
        RtpReceiver r = receiverOf.remove(s);
        if (r != null && r.running()) {
            r.retire(s, () -> a.release(s.ports()));
        } else {
            a.release(s.ports());
        }
    }

    @Override
    public List<RtpStream> streams() {
        List<RtpStream> list = new ArrayList<>(streams.values());
        list.sort(Comparator.comparing(RtpStream::label));
        return list;
    }

    @Override
    public Ports ports() {
        PortAllocator a = allocator;
        int inUse = a.inUse();
        return new Ports(a.first(), a.last(), inUse, a.pairs() - inUse, a.bindFailures());
    }

    /** Diagnostics of one stream beyond {@link org.switchboard.media.rtp.RtpStats}. */
    public record Extra(long sendFailures, long latches, long ringOverflows) {
    }

    public Extra extra(RtpStream s) {
        RtpStreamImpl i = (RtpStreamImpl) s;
        return new Extra(i.sendFailures(), i.latches(), i.ringOverflows());
    }
}
