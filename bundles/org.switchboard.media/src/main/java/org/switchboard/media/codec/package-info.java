/**
 * G.711 A-law and µ-law, exact to the ITU-T reference.
 */
@Version("1.0.0")
@Export
package org.switchboard.media.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
