package org.switchboard.router.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = "org.switchboard.router", name = "Switchboard router")
public @interface RouterConfig {

    @AttributeDefinition(description = "The routes file; relative paths are under the Karaf home")
    String routes_file() default "etc/switchboard-routes.yaml";

    @AttributeDefinition(description = "How long a call on an analog or GSM line waits for its caller ID when a route depends on the caller (0..10000 ms)")
    int callerid_wait_ms() default 4500;
}
