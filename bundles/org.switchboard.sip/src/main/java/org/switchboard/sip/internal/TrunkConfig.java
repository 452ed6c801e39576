package org.switchboard.sip.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.switchboard.sip.trunk-NAME.cfg}: one file per SIP trunk. */
@ObjectClassDefinition(id = "org.switchboard.sip.trunk", name = "Switchboard SIP trunk", description = "A SIP trunk to a carrier")
public @interface TrunkConfig {

    @AttributeDefinition(name = "Name", description = "The trunk's id: a line of that name; a-z 0-9 - _")
    String name();

    @AttributeDefinition(name = "Carrier host", description = "IP address of the carrier's SIP server")
    String host();

    @AttributeDefinition(name = "Port")
    int port() default 5060;

    @AttributeDefinition(name = "Transport", description = "udp or tcp")
    String transport() default "udp";

    @AttributeDefinition(name = "Domain", description = "The carrier's SIP domain for the account; empty means host")
    String domain() default "";

    @AttributeDefinition(name = "Username", description = "Account user (the AOR user and, unless auth.username is set, the digest user)")
    String username() default "";

    @AttributeDefinition(name = "Auth username")
    String auth_username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(name = "Register", description = "Whether the box registers to the carrier")
    boolean register() default true;

    @AttributeDefinition(name = "Registration expiry (s)", description = "60..86400")
    int expires() default 600;

    @AttributeDefinition(name = "DIDs", description = "The carrier's numbers that ring on this box, comma separated; DID>EXTENSION rings that extension when no router decides")
    String dids() default "";

    @AttributeDefinition(name = "Caller ID", description = "Number presented on outbound calls; empty means username")
    String caller_id() default "";

    @AttributeDefinition(name = "OPTIONS keepalive (s)", description = "0 turns it off; 10..3600")
    int options_interval_seconds() default 30;

    @AttributeDefinition(name = "Outbound", description = "Whether extensions that may dial out call through this trunk")
    boolean outbound() default true;
}
