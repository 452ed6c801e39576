/**
 * Call control for applications: calls, channels, their events, and the play/collect hooks.
 * <p>
 * Applications (router, IVR, ACD, recording) use {@link org.switchboard.core.api.CallControl};
 * drivers never appear here, they implement {@link org.switchboard.core.spi}.
 */
@Version("1.3.0")
@Export
package org.switchboard.core.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
