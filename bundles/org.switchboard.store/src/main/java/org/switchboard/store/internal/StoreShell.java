package org.switchboard.store.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** What the store: commands show and do, kept out of the command classes so it can be tested. */
@Component(service = StoreShell.class)
public final class StoreShell {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Store store;

    @Activate
    public StoreShell(@Reference Store store) {
        this.store = store;
    }

    /** What store:info prints. */
    public record Info(Path directory, String state, String problem, String version, long bytes, String lastBackup,
                       List<Changelog> changelogs) {
    }

    /** A changelog and how many of its changesets ran. */
    public record Changelog(String changelog, int changesets, String last) {
    }

    public Info info() throws SQLException {
        var db = store.database();
        if (db.isEmpty()) {
            return new Info(store.configuredDirectory(), "FAILED", store.failure().orElse("not open"), "", 0, "", List.of());
        }
        StoreDatabase d = db.get();
        String last = d.lastBackup().map(b -> b.directory() + " (" + human(b.bytes()) + ")").orElse("never");
        String at = d.lastBackupAt().map(WHEN::format).orElse("");
        return new Info(d.directory(), "OPEN", "", d.productVersion(), StoreDatabase.sizeOf(d.directory()),
                at.isEmpty() ? last : at + " -> " + last,
                d.appliedChangelogs().stream().map(c -> new Changelog(c.changelog(), c.changesets(), WHEN.format(c.last()))).toList());
    }

    public String backup(String dir) throws StoreException {
        StoreDatabase d = store.database().orElseThrow(() -> new StoreException(
                "the database is not open: " + store.failure().orElse("unknown reason") + "; nothing to back up"));
        Path target = Path.of(dir);
        if (!target.isAbsolute()) {
            target = Path.of(System.getProperty("karaf.base", ".")).resolve(target);
        }
        StoreDatabase.Backup b = d.backup(target);
        return "Backup written to " + b.directory() + " (" + human(b.bytes()) + " in " + b.took().toMillis()
                + " ms), with a copy of the database credentials: keep it private";
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }
}
