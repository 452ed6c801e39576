package org.switchboard.line.serial.internal.at;

import java.io.IOException;

import com.fazecast.jSerialComm.SerialPort;

/** A serial port opened with jSerialComm, with the baud rate and flow control of the profile. */
public final class JSerialCommIo implements SerialIo {

    /** How long a read waits for the first byte; bounds how fast a reader thread notices a stop. */
    static final int READ_TIMEOUT_MS = 200;
    /** How long a write may wait for the port (flow control held off, or nobody draining a pty). */
    static final int WRITE_TIMEOUT_MS = 2000;

    private final SerialPort port;
    private final String path;

    private JSerialCommIo(SerialPort port, String path) {
        this.port = port;
        this.path = path;
    }

    /**
     * Opens the port.
     *
     * @param flowControl none, rtscts or xonxoff (as in the hardware profile)
     * @throws IOException naming the port and why it could not be opened
     */
    public static JSerialCommIo open(String path, int baud, String flowControl) throws IOException {
        SerialPort port;
        try {
            port = SerialPort.getCommPort(path);
        } catch (RuntimeException e) {
            throw new IOException("port " + path + ": " + e.getMessage(), e);
        }
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(switch (flowControl) {
            case "rtscts" -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
            case "xonxoff" -> SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
            default -> SerialPort.FLOW_CONTROL_DISABLED;
        });
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                READ_TIMEOUT_MS, WRITE_TIMEOUT_MS);
        if (!port.openPort()) {
            int code = port.getLastErrorCode();
            throw new IOException("port " + path + " could not be opened (error " + code
                    + (code == 13 ? ": permission denied; the switchboard user needs the dialout group" : "") + ")");
        }
        return new JSerialCommIo(port, path);
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        int n = port.readBytes(buf, len, off);
        return n < 0 ? -1 : n;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = port.writeBytes(buf, len - done, off + done);
            if (n <= 0) {
                throw new IOException("port " + path + ": write failed" + (n == 0 ? " (timed out after " + WRITE_TIMEOUT_MS + " ms)" : ""));
            }
            done += n;
        }
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void close() {
        port.closePort();
    }
}
