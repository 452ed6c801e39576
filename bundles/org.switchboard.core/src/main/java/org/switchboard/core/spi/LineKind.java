package org.switchboard.core.spi;

/** What sort of line it is. */
public enum LineKind {
    /** An analog PSTN line (FXO), e.g. through a voice modem. */
    ANALOG,
    /** A GSM/LTE module with a SIM. */
    GSM,
    /** A channel group on an E1/T1 span. */
    SPAN,
    /** A SIP trunk to a carrier. */
    SIP_TRUNK,
    /** The agents' SIP phones: dial an extension number on it. */
    SIP,
    /** A simulated line of the lab profile. */
    SIMULATED
}
