/**
 * The box's database. The store registers a {@link javax.sql.DataSource} service
 * ({@code osgi.jdbc.datasource.name=switchboard}) and {@link org.switchboard.store.api.SchemaMigrations}
 * once the embedded Derby database is open; a bundle that owns tables runs its own changelog
 * through {@code SchemaMigrations} when it activates, before it touches them.
 */
@Version("1.0.0")
@Export
package org.switchboard.store.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
