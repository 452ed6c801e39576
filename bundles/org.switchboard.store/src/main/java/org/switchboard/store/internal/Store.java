package org.switchboard.store.internal;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Optional;

import javax.sql.DataSource;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.store.api.SchemaMigrations;

/**
 * Opens the database when the bundle starts and publishes it: a {@link DataSource} and
 * {@link SchemaMigrations}. When the database cannot be opened, nothing is published, the
 * reason is kept for {@code store:info}, and nothing on disk is touched.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=javax.sql.DataSource")
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.switchboard.store.api.SchemaMigrations")
@Component(service = Store.class, immediate = true, configurationPid = "org.switchboard.store")
@Designate(ocd = StoreConfig.class)
public final class Store {

    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    static final String DATASOURCE_NAME = "switchboard";

    private final Path directory;
    private volatile StoreDatabase database;
    private volatile String failure;
    private ServiceRegistration<DataSource> dataSourceRegistration;
    private ServiceRegistration<SchemaMigrations> migrationsRegistration;

    @Activate
    public Store(StoreConfig config, BundleContext context) {
        this.directory = directory(config);
        try {
            StoreDatabase db = StoreDatabase.open(directory, credentialsFile(directory));
            this.database = db;
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("osgi.jdbc.datasource.name", DATASOURCE_NAME);
            props.put("dataSourceName", DATASOURCE_NAME);
            dataSourceRegistration = context.registerService(DataSource.class, db.dataSource(), props);
            migrationsRegistration = context.registerService(SchemaMigrations.class,
                    (owner, changelog) -> db.migrate(owner.getClassLoader(), changelog), null);
        } catch (StoreException e) {
            this.failure = e.getMessage();
            LOG.error("Store not available: {}", e.getMessage());
        }
    }

    static Path directory(StoreConfig config) {
        String configured = config.database_directory() == null ? "" : config.database_directory().trim();
        if (!configured.isEmpty()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("karaf.data", "data"), "switchboard", "db");
    }

    static Path credentialsFile(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        return dir.resolveSibling(dir.getFileName() + ".credentials");
    }

    @Deactivate
    void deactivate() {
        if (migrationsRegistration != null) {
            migrationsRegistration.unregister();
        }
        if (dataSourceRegistration != null) {
            dataSourceRegistration.unregister();
        }
        StoreDatabase db = database;
        if (db != null) {
            db.close();
        }
    }

    /** The open database, or empty with {@link #failure()} saying why. */
    Optional<StoreDatabase> database() {
        return Optional.ofNullable(database);
    }

    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    Path configuredDirectory() {
        return directory.toAbsolutePath().normalize();
    }
}
