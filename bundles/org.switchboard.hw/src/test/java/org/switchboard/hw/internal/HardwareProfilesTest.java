package org.switchboard.hw.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.switchboard.hw.api.HardwareProfile;

import static org.assertj.core.api.Assertions.assertThat;

/** Applying profiles: whole or not at all, and the old one keeps running. */
class HardwareProfilesTest {

    @TempDir
    Path dir;

    /** What the fake framework saw, in order: "register NAME" and "unregister NAME". */
    private final List<String> log = new CopyOnWriteArrayList<>();
    private HardwareProfiles profiles;

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        HardwareProfile p = (HardwareProfile) args[1];
                        log.add("register " + p.name());
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                (rp, rm, ra) -> {
                                    if (rm.getName().equals("unregister")) {
                                        log.add("unregister " + p.name());
                                    }
                                    return null;
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private HwConfig config(String profile) {
        return new HwConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HwConfig.class;
            }

            @Override
            public String profile() {
                return profile;
            }

            @Override
            public String profiles_directory() {
                return dir.toString();
            }
        };
    }

    @BeforeEach
    void copyShippedProfiles() throws Exception {
        for (String n : List.of("lab", "sme-4fxo-modem")) {
            Files.copy(ProfileParserTest.SHIPPED.resolve(n + ".yaml"), dir.resolve(n + ".yaml"));
        }
        profiles = new HardwareProfiles(config("lab"), context(), null);
    }

    @Test
    void theConfiguredProfileIsPublishedAtStart() {
        assertThat(profiles.current()).map(HardwareProfile::name).contains("lab");
        assertThat(log).containsExactly("register lab");
        assertThat(profiles.available()).containsExactly("lab", "sme-4fxo-modem");
    }

    @Test
    void aGoodProfileReplacesTheOldOneWithoutAGap() {
        var o = profiles.apply("sme-4fxo-modem");

        assertThat(o.applied()).isTrue();
        assertThat(log).containsExactly("register lab", "register sme-4fxo-modem", "unregister lab");
        assertThat(profiles.current()).map(HardwareProfile::name).contains("sme-4fxo-modem");
    }

    @Test
    void aBrokenProfileNeverHalfAppliesAndTheOldOneKeepsRunning() throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), """
                name: broken
                cards:
                  - id: a
                    driver: sim-line
                    lines:
                      - id: x-1
                  - id: b
                    driver: v253-modem
                    lines:
                      - id: x-2
                        port: ttyUSB0
                """);

        var o = profiles.apply("broken");

        assertThat(o.applied()).isFalse();
        assertThat(o.problems()).singleElement().asString()
                .endsWith("broken.yaml:11:15: cards[1].lines[0].port: 'ttyUSB0' is not allowed; allowed: an absolute device path such as /dev/ttyUSB0, or sim (a simulated device on a pseudo-terminal, for the lab)");
        assertThat(log).containsExactly("register lab");
        assertThat(profiles.current()).map(HardwareProfile::name).contains("lab");
        assertThat(profiles.lastFailure()).isEqualTo(o.problems());
    }

    @Test
    void unknownNamesListWhatIsAvailable() {
        var o = profiles.apply("nope");
        assertThat(o.problems()).singleElement().asString().contains("no profile 'nope'")
                .contains("available: lab, sme-4fxo-modem");
        assertThat(profiles.apply("../etc/passwd").problems()).singleElement().asString().contains("is not a profile name");
        assertThat(log).containsExactly("register lab");
    }

    @Test
    void applyingTheSameUnchangedProfileDoesNothingButAChangedFileIsReapplied() throws Exception {
        assertThat(profiles.apply("lab").unchanged()).isTrue();
        assertThat(log).containsExactly("register lab");

        Path lab = dir.resolve("lab.yaml");
        Files.writeString(lab, Files.readString(lab).replace("01066660004", "01066660009"));
        var o = profiles.apply("lab");

        assertThat(o.unchanged()).isFalse();
        assertThat(o.profile().cardsFor("sim-line").get(0).lines().get(3).get("number")).isEqualTo("01066660009");
        assertThat(log).containsExactly("register lab", "register lab", "unregister lab");
    }

    @Test
    void aBadProfileAtStartLeavesTheBoxWithoutProfileAndSaysWhy() throws Exception {
        log.clear();
        HardwareProfiles fresh = new HardwareProfiles(config("missing"), context(), null);

        assertThat(fresh.current()).isEmpty();
        assertThat(fresh.lastFailure()).singleElement().asString().contains("no profile 'missing'");
        assertThat(log).isEmpty();
    }
}
