package org.switchboard.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import org.switchboard.core.api.DigitRequest;
import org.switchboard.core.api.DigitResult;

/** One running digit collection on a leg; confined to the call's executor. */
final class DigitCollection {

    final DigitRequest request;
    final CompletableFuture<DigitResult> result = new CompletableFuture<>();
    private final StringBuilder digits = new StringBuilder();
    ScheduledFuture<?> timer;

    DigitCollection(DigitRequest request) {
        this.request = request;
    }

    /** Takes one key; true when the collection is complete. */
    boolean offer(char digit) {
        if (request.terminators().indexOf(digit) >= 0) {
            finish(DigitResult.End.TERMINATOR);
            return true;
        }
        digits.append(digit);
        if (digits.length() >= request.maxDigits()) {
            finish(DigitResult.End.MAX_DIGITS);
            return true;
        }
        return false;
    }

    boolean hasDigits() {
        return digits.length() > 0;
    }

    void finish(DigitResult.End end) {
        if (timer != null) {
            timer.cancel(false);
        }
        result.complete(new DigitResult(digits.toString(), end));
    }

    boolean isDone() {
        return result.isDone();
    }
}
