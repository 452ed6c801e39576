package org.switchboard.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.switchboard.store.cfg}. */
@ObjectClassDefinition(id = "org.switchboard.store", name = "Switchboard store", description = "The embedded Derby database")
public @interface StoreConfig {

    @AttributeDefinition(name = "Database directory",
            description = "Absolute path of the Derby database; empty means ${karaf.data}/switchboard/db. "
                    + "The owner's generated credentials live beside it, in <directory>.credentials.")
    String database_directory() default "";
}
