/**
 * Hardware profiles: what cards, lines and spans a box has. The hardware bundle validates a
 * profile file as a whole and, when it is valid, publishes it as a {@link
 * org.switchboard.hw.api.HardwareProfile} service; drivers follow that service and run the cards
 * whose driver they are. Drivers report on their cards through {@link org.switchboard.hw.api.CardDriver}.
 */
@Version("1.1.0")
@Export
package org.switchboard.hw.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
