package org.switchboard.store.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Brings a bundle's tables up to date with the changelog it ships (Liquibase: formatted SQL, XML or
 * YAML). Each changeset runs once, in its own transaction, and is recorded; running an up-to-date
 * changelog again changes nothing. Safe to call from several bundles at once.
 */
@ProviderType
public interface SchemaMigrations {

    /**
     * @param owner     a class of the bundle that owns the tables: its class loader finds the changelog
     * @param changelog the changelog's path inside that bundle; make it unique in the box, e.g.
     *                  {@code org/switchboard/sip/db/changelog.sql}, because it is recorded with every changeset
     * @throws MigrationException naming the changelog, the changeset and the database's reason; the
     *                            changesets before the failing one stay applied, the failing one is rolled back
     */
    void migrate(Class<?> owner, String changelog) throws MigrationException;
}
