package org.switchboard.line.serial.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline (the tests' only way of waiting). */
final class Poll {

    private Poll() {
    }

    static void until(String what, Duration max, BooleanSupplier condition) {
        until(what, max, condition, () -> "");
    }

    static void until(String what, Duration max, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + max + ": " + what + " " + state.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
