/** The IVR's extension point: self-service actions behind menu nodes. */
@Version("1.0.0")
@Export
package org.switchboard.ivr.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
