/**
 * Signal processing on 20 ms frames of 8 kHz linear audio: DTMF detection, call-progress tones, mixing, echo cancelling.
 */
@Version("1.1.0")
@Export
package org.switchboard.media.dsp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
