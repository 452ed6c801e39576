/**
 * RTP streams (RFC 3550) with jitter buffer, RFC 4733 telephone-events and RTCP, as core media ports.
 */
@Version("1.1.0")
@Export
package org.switchboard.media.rtp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
