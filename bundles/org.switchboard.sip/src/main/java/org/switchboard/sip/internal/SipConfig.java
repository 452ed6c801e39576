package org.switchboard.sip.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.switchboard.sip.cfg}. */
@ObjectClassDefinition(id = "org.switchboard.sip", name = "Switchboard SIP", description = "The SIP stack, the registrar and its defences")
public @interface SipConfig {

    @AttributeDefinition(name = "Address", description = "The IP address SIP and RTP listen on")
    String bind_address() default "127.0.0.1";

    @AttributeDefinition(name = "Announced address", description = "The address put in Contact, Via and SDP when the box is behind NAT; empty means the bind address")
    String public_address() default "";

    @AttributeDefinition(name = "UDP port", description = "0 turns UDP off; 1..65535")
    int udp_port() default 5060;

    @AttributeDefinition(name = "TCP port", description = "0 turns TCP off; 1..65535")
    int tcp_port() default 5060;

    @AttributeDefinition(name = "TLS port", description = "0 (default) turns TLS off; needs tls.keystore")
    int tls_port() default 0;

    @AttributeDefinition(name = "TLS keystore", description = "PKCS#12 keystore with the box's certificate, for TLS")
    String tls_keystore() default "";

    @AttributeDefinition(name = "TLS keystore password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String tls_keystore_password() default "";

    @AttributeDefinition(name = "Realm", description = "The digest realm; changing it invalidates every extension's password")
    String realm() default "switchboard";

    @AttributeDefinition(name = "Digest algorithms", description = "Offered in this order: MD5, SHA-256 (RFC 8760). Many phones use the first challenge only")
    String digest_algorithms() default "MD5";

    @AttributeDefinition(name = "Shortest registration (s)", description = "Phones asking for less get 423 Interval Too Brief; 30..3600")
    int registration_min_seconds() default 60;

    @AttributeDefinition(name = "Longest registration (s)", description = "Longer requests are cut to this; 60..86400")
    int registration_max_seconds() default 3600;

    @AttributeDefinition(name = "Failed logins before lockout", description = "Per source address; 1..100")
    int lockout_failures() default 5;

    @AttributeDefinition(name = "Failure window (s)", description = "1..86400")
    int lockout_window_seconds() default 60;

    @AttributeDefinition(name = "Lockout (s)", description = "1..604800")
    int lockout_seconds() default 600;

    @AttributeDefinition(name = "INVITEs per second per source", description = "0.1..100000 (a carrier SBC or a load generator needs more than a phone)")
    double rate_invite_per_second() default 10;

    @AttributeDefinition(name = "REGISTERs per second per source", description = "0.1..100000")
    double rate_register_per_second() default 5;

    @AttributeDefinition(name = "NAT keepalive (s)", description = "OPTIONS to registered phones behind NAT every this many seconds; 0 turns it off")
    int nat_keepalive_seconds() default 30;

    @AttributeDefinition(name = "RTP timeout (s)", description = "A call that is up and not on hold, from whose far end no RTP arrives for this long, is hung up (cause 102); 10..3600, 0 turns it off")
    int rtp_timeout_seconds() default 60;

    @AttributeDefinition(name = "Overload delay (ms)", description = "New calls get 503 while the oldest received datagram has waited longer than this for the stack (it is that far behind); 50..10000, 0 turns it off")
    int overload_delay_ms() default 0;

    @AttributeDefinition(name = "Stack threads", description = "Threads of the SIP stack; 1..64")
    int threads() default 8;
}
