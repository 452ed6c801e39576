package org.switchboard.store.internal;

import java.nio.file.Path;
import java.sql.SQLException;

/** Turns Derby's boot failures into what a technician should know and do. */
final class DerbyFailures {

    private DerbyFailures() {
    }

    static String explain(Path dir, SQLException e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.equals("XSDB6")) {
                    return "database " + dir + " is in use by another Java process (or another copy of the store "
                            + "in this one); stop the other process, then restart the store bundle";
                }
                if (state.equals("XSLAC") || state.equals("XSLAN") || state.equals("XCL47")) {
                    return "database " + dir + " was written by a newer Derby than " + derbyVersion()
                            + "; run the firmware that wrote it, or restore a backup made by this one";
                }
                if (state.equals("08004") || state.equals("08004.C.1") || state.startsWith("08004")) {
                    return "database " + dir + " refused the owner's credentials; the credentials file does not "
                            + "belong to this database: put back the one saved with it (every backup has a copy)";
                }
                if (state.equals("XBM0A") || state.startsWith("XSLA") || state.startsWith("XSDG")
                        || state.startsWith("XSDB") || state.startsWith("XSTB") || state.equals("XBM01")) {
                    return "database " + dir + " is damaged (" + state + ": " + s.getMessage() + "); nothing was "
                            + "changed or deleted. Restore the last backup (see docs/operations.md, 'Restore'), or "
                            + "move the directory aside to start with an empty database";
                }
            }
        }
        return "database " + dir + " could not be opened: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")";
    }

    private static Throwable next(Throwable t) {
        if (t instanceof SQLException s && s.getNextException() != null && s.getNextException() != t) {
            return s.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    /** The Derby this firmware runs, as a technician would quote it. */
    static String derbyVersion() {
        return "Derby 10.16";
    }
}
