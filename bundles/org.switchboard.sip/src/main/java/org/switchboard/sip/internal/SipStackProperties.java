package org.switchboard.sip.internal;

import java.util.Properties;

/**
 * Every JAIN-SIP stack property the box sets, in one place, with why. (Property names: the
 * RestComm jain-sip 1.3.0-91 that Maven Central serves.)
 */
final class SipStackProperties {

    private SipStackProperties() {
    }

    static Properties of(String name, SipOptions o) {
        Properties p = new Properties();
        // a unique name: SipFactory caches stacks by name and would hand back a stopped one
        p.setProperty("javax.sip.STACK_NAME", name);
        // a bounded pool instead of a thread per UDP datagram, and the listener on those threads
        // (not one event-scanner thread for the whole box)
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(o.threads()));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // the stack keeps dialogs (ACK matching, 481 for unknown BYEs); as a B2BUA it serialises
        // re-INVITEs and sends a BYE itself when a 2xx is never acknowledged
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("gov.nist.javax.sip.IS_BACK_TO_BACK_USER_AGENT", "true");
        // Voice signalling never needs more (phones send 1-4 KB); longer messages get 400/513 or are
        // dropped. The stack allocates a buffer of this size for every UDP datagram and keeps it
        // while the datagram waits in its queue: 64 KB there filled a 768 MB heap at 500 calls/s.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "16384");
        // the stack's default socket buffers are 64 KB, a few hundred datagrams: bursts were lost
        // (the kernel caps these at net.core.rmem_max / wmem_max)
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(4 << 20));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", Integer.toString(1 << 20));
        // answer to where the request came from (rport/received, RFC 3581), for phones behind NAT
        p.setProperty("gov.nist.javax.sip.ALWAYS_ADD_RPORT", "true");
        // messages waiting longer than this under overload are dropped rather than answered late
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "4000");
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Normal");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "2000");
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "30000");
        // The stack's errors go to the log under gov.nist.javax.sip (pax-logging's log4j API). A fixed
        // level rather than "LOG4J": with LOG4J every one of the stack's many level checks per message
        // asks the logging framework, about a tenth of the CPU per call. Errors only (4): the stack
        // warns once per request a valve refuses, so a flood (a scanner over its rate, an overload)
        // became as many log lines; refusals are counted in sip:status instead. Message logging is
        // sip:trace's job.
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "4");
        p.setProperty("gov.nist.javax.sip.LOG4J_LOGGER_NAME", "gov.nist.javax.sip");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        if (o.tlsPort() != 0 && o.keystore() != null) {
            p.setProperty("javax.net.ssl.keyStore", o.keystore().toString());
            p.setProperty("javax.net.ssl.keyStorePassword", o.keystorePassword());
            p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3,TLSv1.2");
            p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", "TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 "
                    + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 "
                    + "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
            // phones are not asked for certificates (they authenticate by digest). Not "DisabledAll":
            // with it the stack builds its TLS context without the keystore, so the box has no
            // certificate to present and every handshake fails (found by SipIT's TLS test)
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        }
        return p;
    }
}
