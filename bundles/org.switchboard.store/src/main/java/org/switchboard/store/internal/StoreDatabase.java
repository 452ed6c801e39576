package org.switchboard.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.store.api.MigrationException;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * The box's embedded Derby database: created on first boot with NATIVE authentication and a
 * generated owner password, opened on every later boot, migrated by Liquibase changelogs that the
 * bundles ship, backed up online. Never deletes or rewrites a database it cannot open.
 */
final class StoreDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreDatabase.class);
    static final String OWN_CHANGELOG = "org/switchboard/store/db/changelog.sql";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path directory;
    private final Path credentials;
    private final EmbeddedDataSource dataSource;
    private final String productVersion;

    private StoreDatabase(Path directory, Path credentials, EmbeddedDataSource dataSource, String productVersion) {
        this.directory = directory;
        this.credentials = credentials;
        this.dataSource = dataSource;
        this.productVersion = productVersion;
    }

    /**
     * Opens the database in {@code directory}, creating it (and its owner's credentials in
     * {@code credentials}) when the directory does not exist yet.
     */
    static StoreDatabase open(Path directory, Path credentials) throws StoreException {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            if (isEmptyOrMissing(dir)) {
                create(dir, credentials);
            } else if (!Files.isRegularFile(dir.resolve("service.properties"))) {
                throw new StoreException("directory " + dir + " exists but holds no Derby database (no service.properties); "
                        + "nothing was changed. Point database.directory elsewhere, or move the directory aside");
            } else if (!Files.isRegularFile(credentials)) {
                throw new StoreException("database " + dir + " exists but its credentials file " + credentials
                        + " is missing; nothing was changed. Put back the credentials file saved with the database "
                        + "(every store:backup holds a copy)");
            }
            String password = SecretFile.read(credentials);
            EmbeddedDataSource ds = dataSource(dir, password);
            String version;
            try (Connection c = ds.getConnection()) {
                ensureAuthentication(c, password, dir);
                DatabaseMetaData md = c.getMetaData();
                version = md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
            } catch (SQLException e) {
                throw new StoreException(DerbyFailures.explain(dir, e), e);
            }
            StoreDatabase db = new StoreDatabase(dir, credentials, ds, version);
            db.migrate(StoreDatabase.class.getClassLoader(), OWN_CHANGELOG);
            LOG.info("Database {} open ({})", dir, version);
            return db;
        } catch (IOException e) {
            throw new StoreException("database " + dir + ": " + e.getMessage(), e);
        } catch (MigrationException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    private static boolean isEmptyOrMissing(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static EmbeddedDataSource dataSource(Path dir, String password) {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.toString());
        ds.setUser(SecretFile.USER);
        ds.setPassword(password);
        return ds;
    }

    private static void create(Path dir, Path credentials) throws IOException, StoreException {
        if (Files.exists(credentials)) {
            Path aside = credentials.resolveSibling(credentials.getFileName() + ".replaced-"
                    + LocalDateTime.now().format(STAMP));
            Files.move(credentials, aside);
            LOG.warn("No database in {}, but credentials file {} was there; kept it as {} and generated new ones",
                    dir, credentials, aside);
        }
        if (Files.isDirectory(dir)) {
            Files.delete(dir);
        }
        Files.createDirectories(dir.getParent());
        String password = SecretFile.generatePassword();
        SecretFile.write(credentials, password);
        EmbeddedDataSource ds = dataSource(dir, password);
        ds.setCreateDatabase("create");
        try (Connection c = ds.getConnection()) {
            ensureAuthentication(c, password, dir);
        } catch (SQLException e) {
            throw new StoreException("could not create database " + dir + ": " + e.getMessage(), e);
        }
        LOG.info("Created database {} with NATIVE authentication; owner credentials in {}", dir, credentials);
    }

    /**
     * Turns NATIVE authentication on if it is not (a first boot, or a first boot that was cut short),
     * then reboots the database so Derby enforces it.
     */
    private static void ensureAuthentication(Connection c, String password, Path dir) throws SQLException {
        String provider;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("VALUES SYSCS_UTIL.SYSCS_GET_DATABASE_PROPERTY('derby.authentication.provider')")) {
            rs.next();
            provider = rs.getString(1);
        }
        if (provider != null && provider.startsWith("NATIVE")) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("CALL SYSCS_UTIL.SYSCS_CREATE_USER(?, ?)")) {
            ps.setString(1, SecretFile.USER);
            ps.setString(2, password);
            ps.execute();
        }
        c.close();
        EmbeddedDataSource down = dataSource(dir, password);
        down.setShutdownDatabase("shutdown");
        try {
            down.getConnection().close();
        } catch (SQLException e) {
            if (!"08006".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    Path directory() {
        return directory;
    }

    String productVersion() {
        return productVersion;
    }

    /** Runs a changelog found through {@code loader}; one at a time for the whole box. */
    synchronized void migrate(ClassLoader loader, String changelog) throws MigrationException {
        try (Connection c = dataSource.getConnection()) {
            Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            if (db instanceof liquibase.database.core.DerbyDatabase derby) {
                // the store owns the database's life; Liquibase must not shut Derby down
                derby.setShutdownEmbeddedDerby(false);
            }
            Map<String, Object> scope = new HashMap<>();
            scope.put(Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor(loader));
            scope.put(Scope.Attr.ui.name(), new LoggerUIService());
            scope.put("liquibase.analytics.enabled", false);
            Scope.child(scope, () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, db)
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog)
                    .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                    .execute());
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (Exception e) {
            throw new MigrationException("changelog " + changelog + " could not be applied to " + directory + ": "
                    + reason(e), e);
        }
    }

    /** The innermost messages of a Liquibase failure, which name the changeset and the SQL error. */
    private static String reason(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m.strip());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        String last = parts.isEmpty() ? e.toString() : parts.get(parts.size() - 1);
        return parts.size() > 1 && parts.get(0).contains(last) ? parts.get(0) : String.join(": ", parts);
    }

    /** What a backup produced. */
    record Backup(Path directory, long bytes, Duration took) {
    }

    /**
     * Online backup into a new, time-stamped directory under {@code parent}, with a copy of the
     * owner's credentials so the copy can be opened. Calls keep running meanwhile.
     */
    Backup backup(Path parent) throws StoreException {
        Path base = parent.toAbsolutePath().normalize();
        if (base.startsWith(directory)) {
            throw new StoreException("backup directory " + base + " is inside the database " + directory
                    + "; choose a directory outside it");
        }
        if (Files.exists(base) && !Files.isDirectory(base)) {
            throw new StoreException("backup directory " + base + " exists and is not a directory");
        }
        Instant started = Instant.now();
        Path target;
        try {
            Files.createDirectories(base);
            if (!Files.isWritable(base)) {
                throw new StoreException("backup directory " + base + " is not writable by the appliance");
            }
            String stamp = "switchboard-" + LocalDateTime.now().format(STAMP);
            target = base.resolve(stamp);
            for (int i = 2; Files.exists(target); i++) {
                target = base.resolve(stamp + "-" + i);
            }
            Files.createDirectory(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new StoreException("cannot create a backup under " + base + ": " + e.getMessage(), e);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("CALL SYSCS_UTIL.SYSCS_BACKUP_DATABASE(?)")) {
            ps.setString(1, target.toString());
            ps.execute();
            Files.copy(credentials, target.resolve(credentials.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        } catch (SQLException | IOException e) {
            record(started, target, 0, "FAILED", e.getMessage());
            throw new StoreException("backup to " + target + " failed: " + e.getMessage(), e);
        }
        long bytes = sizeOf(target);
        record(started, target, bytes, "OK", null);
        return new Backup(target, bytes, Duration.between(started, Instant.now()));
    }

    private void record(Instant started, Path target, long bytes, String outcome, String detail) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO STORE_BACKUP (STARTED_AT, FINISHED_AT, DIRECTORY, BYTES, "
                     + "OUTCOME, DETAIL) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(started));
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.setString(3, truncate(target.toString()));
            ps.setLong(4, bytes);
            ps.setString(5, outcome);
            ps.setString(6, detail == null ? null : truncate(detail));
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("could not record the backup to {} in STORE_BACKUP", target, e);
        }
    }

    private static String truncate(String s) {
        return s.length() <= 1024 ? s : s.substring(0, 1021) + "...";
    }

    static long sizeOf(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A changelog and how many of its changesets ran. */
    record AppliedChangelog(String changelog, int changesets, Instant last) {
    }

    List<AppliedChangelog> appliedChangelogs() throws SQLException {
        List<AppliedChangelog> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT FILENAME, COUNT(*), MAX(DATEEXECUTED) FROM DATABASECHANGELOG "
                     + "GROUP BY FILENAME ORDER BY FILENAME")) {
            while (rs.next()) {
                out.add(new AppliedChangelog(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant()));
            }
        }
        return out;
    }

    /** The last backup that went well, if any. */
    Optional<Backup> lastBackup() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DIRECTORY, BYTES, STARTED_AT, FINISHED_AT FROM STORE_BACKUP "
                     + "WHERE OUTCOME = 'OK' ORDER BY ID DESC FETCH FIRST 1 ROWS ONLY")) {
            if (rs.next()) {
                return Optional.of(new Backup(Path.of(rs.getString(1)), rs.getLong(2),
                        Duration.between(rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant())));
            }
        }
        return Optional.empty();
    }

    /** When the last good backup finished. */
    Optional<Instant> lastBackupAt() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(FINISHED_AT) FROM STORE_BACKUP WHERE OUTCOME = 'OK'")) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            return Optional.ofNullable(t).map(Timestamp::toInstant);
        }
    }

    /** Shuts the database down cleanly, so the next boot needs no recovery. */
    @Override
    public void close() {
        EmbeddedDataSource down = new EmbeddedDataSource();
        down.setDatabaseName(dataSource.getDatabaseName());
        down.setUser(dataSource.getUser());
        down.setPassword(dataSource.getPassword());
        down.setShutdownDatabase("shutdown");
        try {
            down.getConnection().close();
        } catch (SQLException e) {
            if (!"08006".equals(e.getSQLState())) {
                LOG.warn("Database {} did not shut down cleanly: {}", directory, e.getMessage());
                return;
            }
        }
        LOG.info("Database {} shut down", directory);
    }
}
