package org.switchboard.core.spi;

/** A line cannot take a call now; the message says which line and why. */
public class LineUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public LineUnavailableException(String message) {
        super(message);
    }
}
