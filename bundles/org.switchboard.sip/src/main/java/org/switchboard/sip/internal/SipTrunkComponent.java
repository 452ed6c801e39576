package org.switchboard.sip.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.core.spi.Line;

/**
 * One per {@code etc/org.switchboard.sip.trunk-NAME.cfg}: the trunk registers, keeps alive and is
 * published as a line. A file with problems is reported (file, key, allowed) and not started.
 */
@Component(configurationPid = "org.switchboard.sip.trunk", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = TrunkConfig.class, factory = true)
public final class SipTrunkComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SipTrunkComponent.class);

    private final SipServer server;
    private SipTrunk trunk;
    private ServiceRegistration<Line> line;

    @Activate
    public SipTrunkComponent(TrunkConfig config, BundleContext context, @Reference SipServer server,
                             java.util.Map<String, Object> properties) {
        this.server = server;
        List<String> problems = new ArrayList<>();
        SipTrunk.Options o = SipTrunk.Options.from(config, problems);
        String file = "etc/org.switchboard.sip.trunk-" + properties.getOrDefault("felix.fileinstall.filename", o.name());
        if (!problems.isEmpty()) {
            for (String p : problems) {
                LOG.error("{}: {}; the trunk is not started", file, p);
            }
            return;
        }
        trunk = new SipTrunk(o, server, server.timer(), server.clock());
        try {
            server.addTrunk(trunk);
        } catch (IllegalArgumentException e) {
            LOG.error("{}: {}; this one is not started", file, e.getMessage());
            trunk = null;
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("line.id", o.name());
        props.put("line.driver", "sip");
        line = context.registerService(Line.class, trunk, props);
        LOG.info("SIP trunk {} to {}:{} started", o.name(), o.host().getHostAddress(), o.port());
    }

    @Deactivate
    void deactivate() {
        if (line != null) {
            line.unregister();
        }
        if (trunk != null) {
            server.removeTrunk(trunk);
        }
    }
}
