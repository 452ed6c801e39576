package org.switchboard.line.serial.internal.at;

import java.io.IOException;

/** An open serial port, as the AT engine and the audio threads use it. */
public interface SerialIo extends AutoCloseable {

    /**
     * Reads what has arrived, waiting a short while (well under a second) when nothing has.
     *
     * @return bytes read, 0 when nothing came, -1 when the port is gone
     */
    int read(byte[] buf, int off, int len);

    /** Writes all of it, or throws when the port is gone or stuck. */
    void write(byte[] buf, int off, int len) throws IOException;

    /** The device path, for messages. */
    String path();

    @Override
    void close();
}
