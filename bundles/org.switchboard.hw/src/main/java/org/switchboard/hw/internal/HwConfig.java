package org.switchboard.hw.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.switchboard.hw.cfg}. */
@ObjectClassDefinition(id = "org.switchboard.hw", name = "Switchboard hardware profile",
        description = "Which hardware profile the box runs")
public @interface HwConfig {

    @AttributeDefinition(name = "Profile", description = "Name of the profile: the file <profiles.directory>/<profile>.yaml")
    String profile() default "lab";

    @AttributeDefinition(name = "Profiles directory", description = "Where the profiles are; empty means ${karaf.home}/hardware-profiles")
    String profiles_directory() default "";
}
