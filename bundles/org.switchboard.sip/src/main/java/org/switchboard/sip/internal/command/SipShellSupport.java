package org.switchboard.sip.internal.command;

import org.apache.karaf.shell.support.CommandException;
import org.switchboard.sip.internal.SipServer;
import org.switchboard.sip.internal.SipShell;

/** The command classes' way to the SIP server, and to errors without stack traces. */
final class SipShellSupport {

    private SipShellSupport() {
    }

    static SipShell shell(SipServer server) {
        return new SipShell(server);
    }

    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

    static <T> T run(Work<T> work) throws CommandException {
        try {
            return work.run();
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        } catch (java.sql.SQLException e) {
            throw new CommandException("the database refused: " + e.getMessage() + "; see store:info");
        } catch (CommandException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandException(e.getMessage());
        }
    }
}
