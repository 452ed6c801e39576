package org.switchboard.line.serial.internal.command;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.support.CommandException;
import org.switchboard.line.serial.internal.SerialLine;
import org.switchboard.line.serial.internal.SerialLineDriver;
import org.switchboard.line.serial.internal.sim.SimulatedDevice;

/** Lookups and waiting shared by the serial line commands, with errors a technician can act on. */
final class SerialLines {

    private SerialLines() {
    }

    static SerialLine find(SerialLineDriver driver, String id) throws CommandException {
        return driver.line(id).orElseThrow(() -> new CommandException("no serial line '" + id + "'; serial lines: "
                + (driver.lineIds().isEmpty() ? "none (no v253-modem or gsm-module card in the hardware profile)"
                        : String.join(", ", driver.lineIds()))));
    }

    static SimulatedDevice simulated(SerialLineDriver driver, String id) throws CommandException {
        find(driver, id);
        return driver.simulated(id).orElseThrow(() -> new CommandException("line " + id
                + " is real hardware; only lines with 'port: sim' in the hardware profile have a simulated far end"));
    }

    /** Waits for a line's answer, turning its failure into the message alone. */
    static <T> T await(CompletionStage<T> stage, long seconds) throws CommandException {
        try {
            return stage.toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CommandException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new CommandException("no answer within " + seconds + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted");
        }
    }
}
