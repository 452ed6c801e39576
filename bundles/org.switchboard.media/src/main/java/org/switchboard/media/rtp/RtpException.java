package org.switchboard.media.rtp;

/** A stream cannot be opened (no free port in the range, address not local, ...); the message says which and why. */
public class RtpException extends Exception {

    private static final long serialVersionUID = 1L;

    public RtpException(String message) {
        super(message);
    }

    public RtpException(String message, Throwable cause) {
        super(message, cause);
    }
}
