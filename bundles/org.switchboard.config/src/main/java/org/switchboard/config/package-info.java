/**
 * Files technicians edit by hand (routes, menus): read as YAML keeping every value's position,
 * so that each problem names the file, line, column and key and says what is allowed.
 */
@Version("1.0.0")
@Export
package org.switchboard.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
