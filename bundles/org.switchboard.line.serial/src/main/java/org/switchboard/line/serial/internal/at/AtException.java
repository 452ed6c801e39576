package org.switchboard.line.serial.internal.at;

/** A command did not get a result: the device did not answer in time, or the port went away. */
public class AtException extends Exception {

    private static final long serialVersionUID = 1L;
    private final boolean portGone;

    public AtException(String message, boolean portGone) {
        super(message);
        this.portGone = portGone;
    }

    /** True when the port itself is gone (unplugged), false when the device did not answer. */
    public boolean portGone() {
        return portGone;
    }
}
