/**
 * Helpers for the Karaf shell commands of every Switchboard bundle.
 */
@Version("1.0.0")
@Export
package org.switchboard.shell;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
