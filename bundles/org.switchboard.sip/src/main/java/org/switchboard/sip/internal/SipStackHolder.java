package org.switchboard.sip.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TooManyListenersException;

import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TransportNotSupportedException;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPMessageValve;

/**
 * The one JAIN-SIP stack of the box, its listening points (UDP, TCP, TLS on one address) and
 * its provider, built from {@link SipStackProperties}. Starting fails with a message naming the
 * address and port (already in use, not an address of this box).
 */
final class SipStackHolder {

    final SipStack stack;
    final SipProvider provider;
    final MessageFactory messages;
    final HeaderFactory headers;
    final AddressFactory addresses;
    final List<ListeningPoint> points = new ArrayList<>();
    final MalformedCounter malformed;

    SipStackHolder(SipOptions o, SipListener listener, SIPMessageValve valve) throws SipStartException {
        workers = o.threads();
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        try {
            stack = factory.createSipStack(SipStackProperties.of(name, o));
            messages = factory.createMessageFactory();
            headers = factory.createHeaderFactory();
            addresses = factory.createAddressFactory();
        } catch (PeerUnavailableException e) {
            throw new SipStartException("the SIP stack cannot start: " + e.getMessage());
        }
        // before the listening points: their channels take the parser when they are made
        SipStackImpl impl = (SipStackImpl) stack;
        malformed = new MalformedCounter(impl.getMessageParserFactory());
        impl.setMessageParserFactory(malformed);
        SipProvider p = null;
        String ip = o.bind().getHostAddress();
        try {
            for (String[] t : new String[][] {{"udp", Integer.toString(o.udpPort())}, {"tcp", Integer.toString(o.tcpPort())},
                    {"tls", Integer.toString(o.tlsPort())}}) {
                int port = Integer.parseInt(t[1]);
                if (port == 0) {
                    continue;
                }
                ListeningPoint lp;
                try {
                    lp = stack.createListeningPoint(ip, port, t[0]);
                } catch (TransportNotSupportedException | InvalidArgumentException | RuntimeException e) {
                    throw new SipStartException("cannot listen for SIP on " + t[0] + " " + ip + ":" + port + ": "
                            + reason(e) + " (" + SipOptions.FILE + ": bind.address, " + t[0] + ".port)");
                }
                points.add(lp);
                if (p == null) {
                    p = stack.createSipProvider(lp);
                } else {
                    p.addListeningPoint(lp);
                }
            }
            provider = p;
            provider.addSipListener(listener);
            ((SipStackImpl) stack).sipMessageValves.add(valve);
            valve.init(stack);
            stack.start();
            settlePriorities();
            udpQueues = udpQueues(points);
        } catch (TooManyListenersException | javax.sip.SipException e) {
            stop();
            throw new SipStartException("the SIP stack cannot start: " + e.getMessage());
        } catch (SipStartException e) {
            stop();
            throw e;
        }
    }

    private volatile java.util.List<java.util.Collection<?>> udpQueues = java.util.List.of();
    /** The stack's name, which its threads carry. */
    private final String name = "switchboard-" + System.nanoTime();
    private final int workers;

    /**
     * How long the oldest datagram received and not yet taken by a stack thread has waited: how far
     * behind the box is, in milliseconds (0 when nothing waits). The stack keeps this queue to itself
     * (a protected field), so it is found by reflection, once; if a future stack version renames it,
     * overload control is off and says so in the log.
     */
    long udpBacklogMillis() {
        long oldest = 0;
        long now = System.currentTimeMillis();
        for (java.util.Collection<?> q : udpQueues) {
            if (q instanceof java.util.Queue<?> queue
                    && queue.peek() instanceof gov.nist.javax.sip.stack.QueuedMessageDispatchBase d) {
                oldest = Math.max(oldest, now - d.getReceptionTime());
            }
        }
        return oldest;
    }

    /**
     * The name of a UDP receiver thread of the stack that has ended (an OutOfMemoryError under a
     * flood kills it, and the stack never starts another), or null when all of them run.
     */
    String deadReceiver() {
        java.util.Set<String> alive = new java.util.HashSet<>();
        for (Thread t : allThreads()) {
            if (t.isAlive()) {
                alive.add(t.getName());
            }
        }
        for (ListeningPoint lp : points) {
            if ("udp".equalsIgnoreCase(lp.getTransport())) {
                String receiver = "MessageProcessorThread-UDP-" + lp.getIPAddress() + "/" + lp.getPort();
                if (!alive.contains(receiver)) {
                    return receiver;
                }
                // the threads that take datagrams from the receiver's queue (the stack's thread pool)
                for (int i = 0; i < workers; i++) {
                    String worker = name + "-UDPMessageChannelThread-" + i;
                    if (!alive.contains(worker)) {
                        return worker;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The stack starts its threads at Java's highest priority, which bin/setenv makes nice -5 when the
     * box may raise priorities: as high as the media clock, which must win. Its socket readers go
     * one below (with the RTP receivers); the threads that parse and handle messages to normal.
     * Connection threads the stack starts later inherit from their reader.
     */
    private void settlePriorities() {
        for (Thread t : allThreads()) {
            String n = t.getName();
            if (n.startsWith("MessageProcessorThread-")) {
                t.setPriority(Thread.MAX_PRIORITY - 1);
            } else if (n.startsWith(name) && t.getPriority() > Thread.NORM_PRIORITY) {
                t.setPriority(Thread.NORM_PRIORITY);
            }
        }
    }

    private static List<Thread> allThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(threads, true);
        return java.util.Arrays.asList(threads).subList(0, n);
    }

    private static java.util.List<java.util.Collection<?>> udpQueues(List<ListeningPoint> points) {
        java.util.List<java.util.Collection<?>> queues = new java.util.ArrayList<>();
        for (ListeningPoint lp : points) {
            if (lp instanceof gov.nist.javax.sip.ListeningPointImpl impl
                    && impl.getMessageProcessor() instanceof gov.nist.javax.sip.stack.UDPMessageProcessor udp) {
                try {
                    java.lang.reflect.Field f = gov.nist.javax.sip.stack.UDPMessageProcessor.class.getDeclaredField("messageQueue");
                    f.setAccessible(true);
                    if (f.get(udp) instanceof java.util.Collection<?> q) {
                        queues.add(q);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(SipStackHolder.class).warn(
                            "Overload control is off: the SIP stack's UDP queue cannot be read ({})", e.toString());
                }
            }
        }
        return List.copyOf(queues);
    }

    private static String reason(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    void stop() {
        try {
            stack.stop();
        } catch (RuntimeException e) {
            // stopping is best effort
        }
        // SipFactory keeps every stack it made, by name, for ever: without this each restart of SIP
        // (a changed port, the watchdog) kept the old stack, its queues and transactions on the heap.
        // The box has one stack at a time.
        SipFactory.getInstance().resetFactory();
    }

    String transportOf(String preferred) {
        for (ListeningPoint lp : points) {
            if (lp.getTransport().equalsIgnoreCase(preferred)) {
                return lp.getTransport();
            }
        }
        return points.get(0).getTransport();
    }

    ListeningPoint point(String transport) {
        for (ListeningPoint lp : points) {
            if (lp.getTransport().equalsIgnoreCase(transport)) {
                return lp;
            }
        }
        return points.get(0);
    }

    /** Something that keeps the SIP stack from starting. */
    static final class SipStartException extends Exception {
        private static final long serialVersionUID = 1L;

        SipStartException(String message) {
            super(message);
        }
    }
}
