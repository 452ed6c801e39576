/** Services of the serial line driver for applications: sending SMS through the GSM modules. */
@Version("1.0.0")
@Export
package org.switchboard.line.serial.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
