/**
 * Where calls go: destinations as routes and menus name them ({@code ivr:main}, {@code queue:sales},
 * {@code extension:1001} ...) and the whiteboard of capabilities that take them. In the core so
 * that every capability (router, IVR, ACD, SIP) can serve or use destinations without depending on
 * another, and installing one never rewires another.
 */
@Version("1.1.0")
@Export
package org.switchboard.core.route;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
