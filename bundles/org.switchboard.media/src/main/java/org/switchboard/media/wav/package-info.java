/**
 * WAV files: a tolerant reader and a crash-safe streaming writer.
 */
@Version("1.0.0")
@Export
package org.switchboard.media.wav;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
