/**
 * The driver SPI: how line, span and SIP drivers publish lines and channels to the core, and the
 * media clock that moves their audio.
 * <p>
 * Threading contract: a driver's I/O threads never block on the core and the core never blocks on
 * a driver. {@link org.switchboard.core.spi.ChannelSignals} methods only enqueue; {@link
 * org.switchboard.core.spi.DriverChannel} methods must only start the work and return.
 * {@link org.switchboard.core.spi.MediaPort} is called from the media clock thread only.
 */
@Version("1.1.0")
@Export
package org.switchboard.core.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
