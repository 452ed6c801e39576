package org.switchboard.store.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.store.api.MigrationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreDatabaseTest {

    @TempDir
    Path tmp;

    private StoreDatabase db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private Path dir() {
        return tmp.resolve("db");
    }

    private Path creds() {
        return Store.credentialsFile(dir());
    }

    private StoreDatabase open() throws StoreException {
        db = StoreDatabase.open(dir(), creds());
        return db;
    }

    private static int count(StoreDatabase d, String sql) throws SQLException {
        try (Connection c = d.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void firstBootCreatesTheDatabaseWithAuthenticationAndPrivateCredentials() throws Exception {
        open();

        assertThat(dir().resolve("service.properties")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(creds())).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(creds())).doesNotContain("karaf").contains("user=SWITCHBOARD");
        String url = "jdbc:derby:" + dir();
        assertThatThrownBy(() -> DriverManager.getConnection(url, "SWITCHBOARD", "wrong"))
                .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08004");
        assertThatThrownBy(() -> DriverManager.getConnection(url))
                .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08004");
        assertThat(count(db, "SELECT COUNT(*) FROM DATABASECHANGELOG")).as("the store's own changelog ran").isEqualTo(1);
    }

    @Test
    void reopeningKeepsDataAndRunsNothingTwice() throws Exception {
        open().migrate(getClass().getClassLoader(), "org/switchboard/store/test/good.sql");
        db.close();

        open().migrate(getClass().getClassLoader(), "org/switchboard/store/test/good.sql");

        assertThat(count(db, "SELECT COUNT(*) FROM CUSTOMER")).isEqualTo(1);
        assertThat(count(db, "SELECT COUNT(*) FROM DATABASECHANGELOG")).isEqualTo(3);
        assertThat(db.appliedChangelogs()).extracting(StoreDatabase.AppliedChangelog::changelog, StoreDatabase.AppliedChangelog::changesets)
                .contains(org.assertj.core.groups.Tuple.tuple("org/switchboard/store/test/good.sql", 2));
    }

    @Test
    void aFailingChangesetIsNamedAndWhatCameBeforeStays() throws Exception {
        open().migrate(getClass().getClassLoader(), "org/switchboard/store/test/good.sql");

        assertThatThrownBy(() -> db.migrate(getClass().getClassLoader(), "org/switchboard/store/test/bad.sql"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("org/switchboard/store/test/bad.sql")
                .hasMessageContaining("bad-2");

        assertThat(count(db, "SELECT COUNT(*) FROM CUSTOMER")).isEqualTo(1);
        assertThat(count(db, "SELECT COUNT(*) FROM TICKET")).as("bad-1 ran and stays").isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM SYS.SYSTABLES WHERE TABLENAME = 'BROKEN'")).isZero();
    }

    @Test
    void anEditedChangesetIsRefusedWithItsChecksum() throws Exception {
        Path res = tmp.resolve("res");
        Path file = res.resolve("x/changelog.sql");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "--liquibase formatted sql\n--changeset t:x-1\nCREATE TABLE X (ID INT);\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {res.toUri().toURL()}, null)) {
            open().migrate(loader, "x/changelog.sql");
        }
        Files.writeString(file, "--liquibase formatted sql\n--changeset t:x-1\nCREATE TABLE X (ID INT, NAME VARCHAR(9));\n");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {res.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> db.migrate(loader, "x/changelog.sql")).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("x/changelog.sql").hasMessageContaining("x-1").hasMessageContainingAll("check", "sum");
        }
        assertThat(count(db, "SELECT COUNT(*) FROM SYS.SYSCOLUMNS C JOIN SYS.SYSTABLES T ON C.REFERENCEID = T.TABLEID "
                + "WHERE T.TABLENAME = 'X'")).isEqualTo(1);
    }

    @Test
    void onlineBackupOpensAsADatabaseWithItsCredentials() throws Exception {
        open().migrate(getClass().getClassLoader(), "org/switchboard/store/test/good.sql");

        StoreDatabase.Backup b = db.backup(tmp.resolve("backups"));

        assertThat(b.directory().getFileName().toString()).startsWith("switchboard-");
        assertThat(b.bytes()).isPositive();
        assertThat(b.directory().resolve("db.credentials")).isRegularFile();
        assertThat(db.lastBackup()).map(StoreDatabase.Backup::directory).contains(b.directory());
        StoreDatabase copy = StoreDatabase.open(b.directory().resolve("db"), b.directory().resolve("db.credentials"));
        try {
            assertThat(count(copy, "SELECT COUNT(*) FROM CUSTOMER")).isEqualTo(1);
        } finally {
            copy.close();
        }
        StoreDatabase.Backup second = db.backup(tmp.resolve("backups"));
        assertThat(second.directory()).as("a second backup never overwrites the first").isNotEqualTo(b.directory());
    }

    @Test
    void backupRefusesBadTargets() throws Exception {
        open();
        Path file = Files.writeString(tmp.resolve("afile"), "x");

        assertThatThrownBy(() -> db.backup(file)).isInstanceOf(StoreException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> db.backup(dir().resolve("inside"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("inside the database");
    }

    @Test
    void aDamagedDatabaseIsReportedAndLeftAsItWas() throws Exception {
        open().migrate(getClass().getClassLoader(), "org/switchboard/store/test/good.sql");
        db.close();
        db = null;
        Path seg0 = dir().resolve("seg0");
        try (Stream<Path> files = Files.list(seg0)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".dat")).toList()) {
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    f.seek(0);
                    f.write(new byte[256]);
                }
            }
        }
        Map<String, Long> before = snapshot(seg0);

        assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                .hasMessageContaining(dir().toString())
                .hasMessageContaining("nothing was changed or deleted");

        assertThat(snapshot(seg0)).as("the data files are as they were").isEqualTo(before);
        assertThat(dir().resolve("service.properties")).isRegularFile();
        db = null;
    }

    @Test
    void missingCredentialsOrAForeignDirectoryAreReportedNotOverwritten() throws Exception {
        open();
        db.close();
        db = null;
        Files.move(creds(), tmp.resolve("elsewhere"));
        Map<String, Long> before = snapshot(dir());

        assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                .hasMessageContaining("credentials file").hasMessageContaining("is missing");
        assertThat(snapshot(dir())).isEqualTo(before);

        Path foreign = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(foreign.resolve("cat.jpg"), "meow");
        assertThatThrownBy(() -> StoreDatabase.open(foreign, tmp.resolve("photos.credentials")))
                .isInstanceOf(StoreException.class).hasMessageContaining("holds no Derby database");
        assertThat(foreign.resolve("cat.jpg")).hasContent("meow");
    }

    @Test
    void wrongCredentialsAreExplained() throws Exception {
        open();
        db.close();
        db = null;
        SecretFile.write(creds(), "not-the-password");

        assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                .hasMessageContaining("refused the owner's credentials");
    }

    private static Map<String, Long> snapshot(Path dir) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.size(p) ^ Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }
}
