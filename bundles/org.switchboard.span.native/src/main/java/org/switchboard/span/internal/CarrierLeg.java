package org.switchboard.span.internal;

/**
 * The simulated carrier's end of one call: it speaks a steady tone or keys (in-band DTMF, as ISDN
 * carries them) and measures what it hears: frames, level and the frequency of the loudest tone
 * (by zero crossings over the last second). Runs on the carrier's poll thread, no allocation.
 */
final class CarrierLeg extends Leg {

    private static final double[][] DTMF = {
        {941, 1336}, {697, 1209}, {697, 1336}, {697, 1477}, {770, 1209}, {770, 1336}, {770, 1477},
        {852, 1209}, {852, 1336}, {852, 1477},
    };

    final String calling;
    final String called;
    volatile boolean inbound;       // the box called the carrier
    volatile boolean up;
    volatile int toneHz;            // 0 = silence
    private double phase;
    private double phase2;
    private volatile String keys = "";
    private int keyFrame;           // 20 ms frames into the key sequence: 5 on, 5 off per key
    private int crossings;
    private int windowFrames;
    private short lastSample;
    private volatile int heardHz;
    private volatile int heardPeak;

    CarrierLeg(int ts, String calling, String called) {
        super(ts);
        this.calling = calling;
        this.called = called;
    }

    /** Sends these keys (0-9, * and # as 941/1209 and 941/1477) as 100 ms tones with 100 ms pauses. */
    void sendKeys(String digits) {
        keyFrame = 0;
        keys = digits;
    }

    @Override
    void heard(short[] frame) {
        framesHeard++;
        int peak = 0;
        for (short s : frame) {
            if ((s >= 0) != (lastSample >= 0)) {
                crossings++;
            }
            lastSample = s;
            int a = Math.abs(s);
            if (a > peak) {
                peak = a;
            }
        }
        heardPeak = peak;
        if (++windowFrames == 50) {
            heardHz = peak < 300 ? 0 : crossings / 2;
            crossings = 0;
            windowFrames = 0;
        }
    }

    @Override
    boolean toSend(short[] frame) {
        if (!up) {
            return false;
        }
        String k = keys;
        if (!k.isEmpty()) {
            int key = keyFrame / 10;
            boolean on = keyFrame % 10 < 5;
            keyFrame++;
            if (key >= k.length()) {
                keys = "";
            } else {
                char d = k.charAt(key);
                double[] f = d == '*' ? new double[] {941, 1209} : d == '#' ? new double[] {941, 1477}
                        : Character.isDigit(d) ? DTMF[d - '0'] : null;
                for (int i = 0; i < frame.length; i++) {
                    double v = 0;
                    if (on && f != null) {
                        v = 5000 * Math.sin(phase) + 5000 * Math.sin(phase2);
                        phase += 2 * Math.PI * f[0] / 8000;
                        phase2 += 2 * Math.PI * f[1] / 8000;
                    }
                    frame[i] = (short) v;
                }
                framesSent++;
                return true;
            }
        }
        int hz = toneHz;
        for (int i = 0; i < frame.length; i++) {
            frame[i] = hz == 0 ? 0 : (short) (8000 * Math.sin(phase));
            phase += 2 * Math.PI * hz / 8000;
        }
        if (phase > 1e6) {
            phase = phase % (2 * Math.PI);
        }
        framesSent++;
        return true;
    }

    /** The frequency heard over the last second, 0 when quiet. */
    int heardHz() {
        return heardHz;
    }

    int heardPeak() {
        return heardPeak;
    }

    String describe() {
        return (inbound ? "from the box " + calling + " -> " + called : "to the box " + calling + " -> " + called)
                + (up ? ", up" : ", ringing") + ", sending " + (keys.isEmpty() ? (toneHz == 0 ? "silence" : toneHz + " Hz") : "keys " + keys)
                + ", hears " + (heardHz == 0 ? "silence" : heardHz + " Hz") + " (" + framesHeard + " frames)";
    }
}
