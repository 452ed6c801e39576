package org.switchboard.hw.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.hw.api.CardDriver;
import org.switchboard.hw.api.HardwareProfile;

/**
 * Holds the applied hardware profile and swaps it atomically: a new profile is validated as a
 * whole first; only when it has no problem is it published (the new service is registered before
 * the old one goes, so drivers move from one to the other without a gap). A profile with problems
 * never replaces the running one.
 */
@Component(service = HardwareProfiles.class, immediate = true, configurationPid = HardwareProfiles.PID)
@Designate(ocd = HwConfig.class)
public final class HardwareProfiles {

    static final String PID = "org.switchboard.hw";
    static final String CONFIG_FILE = "etc/" + PID + ".cfg";
    private static final Logger LOG = LoggerFactory.getLogger(HardwareProfiles.class);

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final Map<String, CardDriver> drivers = new ConcurrentHashMap<>();
    private volatile Path directory;
    private ServiceRegistration<HardwareProfile> registration;
    private volatile HardwareProfile current;
    private String currentText = "";
    private volatile List<String> lastFailure = List.of();

    /** What an attempt to apply a profile came to. */
    public record Outcome(boolean applied, boolean unchanged, HardwareProfile profile, List<String> problems) {
    }

    @Activate
    public HardwareProfiles(HwConfig config, BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.directory = directory(config);
        applyFromConfig(config);
    }

    @Modified
    void modified(HwConfig config) {
        this.directory = directory(config);
        applyFromConfig(config);
    }

    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    private void applyFromConfig(HwConfig config) {
        String name = config.profile() == null ? "" : config.profile().trim();
        Outcome o = apply(name);
        if (!o.applied()) {
            LOG.error("{}: profile = {} was not applied{}:\n  {}", CONFIG_FILE, name,
                    current == null ? "; the box runs no profile" : "; profile '" + current.name() + "' keeps running",
                    String.join("\n  ", o.problems()));
        }
    }

    static Path directory(HwConfig config) {
        String d = config.profiles_directory() == null ? "" : config.profiles_directory().trim();
        return d.isEmpty() ? Path.of(System.getProperty("karaf.home", "."), "hardware-profiles") : Path.of(d);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeDriver")
    void addDriver(CardDriver driver) {
        drivers.put(driver.driverName(), driver);
    }

    void removeDriver(CardDriver driver) {
        drivers.remove(driver.driverName(), driver);
    }

    public Optional<CardDriver> driver(String name) {
        return Optional.ofNullable(drivers.get(name));
    }

    /** The Karaf feature that installs a driver. */
    public String featureOf(String driver) {
        Schema.Driver d = Schema.DRIVERS.get(driver);
        return d == null ? "?" : d.feature();
    }

    public Optional<HardwareProfile> current() {
        return Optional.ofNullable(current);
    }

    /** The problems of the last profile that could not be applied, if the last attempt failed. */
    public List<String> lastFailure() {
        return lastFailure;
    }

    public Path directory() {
        return directory.toAbsolutePath().normalize();
    }

    /** The profile names found in the profiles directory. */
    public List<String> available() {
        try (Stream<Path> s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Checks any file, applied or not. */
    public ProfileParser.Result validate(Path file) {
        return ProfileParser.parse(file, file.toString());
    }

    /** Validates and, when valid, applies the named profile. */
    public synchronized Outcome apply(String name) {
        if (!Schema.ID.matcher(name).matches()) {
            return failed(List.of("'" + name + "' is not a profile name; available in " + directory() + ": "
                    + String.join(", ", available())));
        }
        Path file = directory.resolve(name + ".yaml");
        if (!Files.isRegularFile(file)) {
            return failed(List.of("no profile '" + name + "': " + file.toAbsolutePath().normalize()
                    + " does not exist; available: " + String.join(", ", available())));
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            text = "";
        }
        if (current != null && current.name().equals(name) && text.equals(currentText)) {
            lastFailure = List.of();
            return new Outcome(true, true, current, List.of());
        }
        ProfileParser.Result r = ProfileParser.parse(file, shown(file));
        if (!r.ok()) {
            return failed(r.problems().stream().map(Object::toString).toList());
        }
        HardwareProfile next = r.profile();
        ServiceRegistration<HardwareProfile> old = registration;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("name", next.name());
        registration = context.registerService(HardwareProfile.class, next, props);
        if (old != null) {
            old.unregister();
        }
        current = next;
        currentText = text;
        lastFailure = List.of();
        LOG.info("Hardware profile '{}' applied from {}: {} card(s)", next.name(), file, next.cards().size());
        return new Outcome(true, false, next, List.of());
    }

    private Outcome failed(List<String> problems) {
        lastFailure = problems;
        return new Outcome(false, false, current, problems);
    }

    /** How errors name the file: relative to the appliance's home when it is under it. */
    private static String shown(Path file) {
        Path home = Path.of(System.getProperty("karaf.home", ".")).toAbsolutePath().normalize();
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(home) ? home.relativize(abs).toString() : abs.toString();
    }

    /** Makes the choice survive a restart: records it in the configuration. */
    public void remember(String name) throws IOException {
        Configuration c = configAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> props = c.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        props.put("profile", name);
        c.updateIfDifferent(props);
    }
}
