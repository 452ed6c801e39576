package org.switchboard.line.sim.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallEvent;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.internal.CallEngine;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineUnavailableException;
import org.switchboard.hw.api.CardSpec;
import org.switchboard.hw.api.HardwareProfile;
import org.switchboard.hw.api.UnitSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** The sim-line driver against the real call engine; only the OSGi registry is faked. */
class SimLineDriverTest {

    private CallEngine engine;
    private SimLineDriver driver;
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> registered = new CopyOnWriteArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Line line = (Line) args[1];
                    engine.addLine(line);
                    registered.add(line.id());
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                            (p, m, a) -> {
                                if (m.getName().equals("unregister")) {
                                    engine.removeLine(line);
                                    registered.remove(line.id());
                                }
                                return null;
                            });
                });
    }

    private static HardwareProfile profile(String... lineIds) {
        List<UnitSpec> lines = java.util.Arrays.stream(lineIds).map(id -> new UnitSpec(id, Map.of("id", id, "number", "0100" + id.charAt(id.length() - 1)))).toList();
        return new HardwareProfile("lab", "", "cn", Path.of("lab.yaml"),
                List.of(new CardSpec("analog", "sim-line", Map.of("id", "analog"), lines, List.of())), Instant.now());
    }

    @BeforeEach
    void start() {
        engine = CallEngine.standalone(2, java.time.Duration.ofSeconds(120));
        engine.addListener(events::add);
        driver = new SimLineDriver(context(), engine);
        driver.setProfile(profile("lab-1", "lab-2"));
    }

    @AfterEach
    void stop() {
        driver.deactivate();
    }

    static void until(String what, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void profileLinesBecomeLines() {
        assertThat(registered).containsExactly("lab-1", "lab-2");
        assertThat(engine.lines()).containsOnlyKeys("lab-1", "lab-2");
        assertThat(driver.cardStatus("analog")).isEqualTo("2 simulated lines online, 0 in a call");
    }

    @Test
    void aSimulatedCallRingsIsAnsweredPressesKeysAndHangsUp() throws Exception {
        SimulatedLine line = driver.line("lab-1").orElseThrow();

        line.ring(CallerId.of("13800138000", "Li Na"), "", "12#");

        until("the call rings", () -> engine.calls().size() == 1);
        Call call = engine.calls().iterator().next();
        Channel leg = call.origin();
        assertThat(leg.state()).isEqualTo(ChannelState.RINGING);
        assertThat(leg.callerId()).isEqualTo(CallerId.of("13800138000", "Li Na"));
        assertThat(leg.calledNumber()).as("the line's own number").isEqualTo("01001");
        assertThatThrownBy(() -> line.ring(CallerId.of("1"), "", "")).isInstanceOf(LineUnavailableException.class)
                .hasMessageContaining("line lab-1 is busy");

        engine.answer(leg).toCompletableFuture().get(5, TimeUnit.SECONDS);
        until("three keys", () -> events.stream().filter(e -> e instanceof CallEvent.DtmfReceived).count() == 3);
        assertThat(events.stream().filter(e -> e instanceof CallEvent.DtmfReceived).map(e -> ((CallEvent.DtmfReceived) e).digit()))
                .containsExactly('1', '2', '#');
        until("audio flows from the simulated caller", () -> leg.framesIn() > 5);

        line.farEndHangup(HangupCause.NORMAL_CLEARING);

        until("the call ends", () -> engine.calls().isEmpty());
        assertThat(leg.hangupCause()).contains(HangupCause.NORMAL_CLEARING);
        assertThat(line.busy()).isFalse();
    }

    @Test
    void aWithheldCallerIsDeliveredAsWithheld() throws Exception {
        driver.line("lab-2").orElseThrow().ring(CallerId.withheld(), "4008", "");

        until("the call rings", () -> engine.calls().size() == 1);
        Channel leg = engine.calls().iterator().next().origin();
        assertThat(leg.callerId().presentation()).isEqualTo(CallerId.Presentation.RESTRICTED);
        assertThat(leg.calledNumber()).isEqualTo("4008");
    }

    @Test
    void theBoxCanDialOutOnASimulatedLine() throws Exception {
        driver.line("lab-1").orElseThrow().ring(CallerId.of("555"), "", "");
        until("the call rings", () -> engine.calls().size() == 1);
        Call call = engine.calls().iterator().next();
        engine.answer(call.origin()).toCompletableFuture().get(5, TimeUnit.SECONDS);

        Channel out = engine.originate(call, "lab-2", "13900139000", CallerId.of("01001")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        until("the far end answers", () -> out.state() == ChannelState.ANSWERED);
        engine.bridge(call.origin(), out, true).toCompletableFuture().get(5, TimeUnit.SECONDS);
        until("the two legs hear each other", () -> call.origin().framesOut() > 3 && out.framesOut() > 3);

        engine.hangup(call, HangupCause.NORMAL_CLEARING).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(driver.line("lab-2").orElseThrow().busy()).isFalse();
    }

    @Test
    void aLineLeavingTheProfileFinishesItsCallFirst() throws Exception {
        SimulatedLine two = driver.line("lab-2").orElseThrow();
        two.ring(CallerId.of("555"), "", "");
        until("the call rings", () -> engine.calls().size() == 1);

        driver.setProfile(profile("lab-1", "lab-3"));

        assertThat(registered).containsExactlyInAnyOrder("lab-1", "lab-2", "lab-3");
        assertThat(two.status().reason()).contains("removed from the hardware profile");
        assertThat(engine.calls()).as("the call on the departing line is not dropped").hasSize(1);

        two.farEndHangup(HangupCause.NORMAL_CLEARING);

        until("lab-2 goes away", () -> !registered.contains("lab-2"));
        assertThat(registered).containsExactlyInAnyOrder("lab-1", "lab-3");
    }

    @Test
    void aChangedNumberAppliesInPlaceEvenDuringACall() throws Exception {
        SimulatedLine one = driver.line("lab-1").orElseThrow();
        one.ring(CallerId.of("555"), "", "");
        until("the call rings", () -> engine.calls().size() == 1);
        HardwareProfile changed = new HardwareProfile("lab", "", "cn", Path.of("lab.yaml"), List.of(new CardSpec("analog2",
                "sim-line", Map.of("id", "analog2"), List.of(new UnitSpec("lab-1", Map.of("id", "lab-1", "number", "999"))),
                List.of())), Instant.now());

        driver.setProfile(changed);

        assertThat(driver.line("lab-1")).containsSame(one);
        assertThat(one.number()).isEqualTo("999");
        assertThat(one.cardId()).isEqualTo("analog2");
        assertThat(engine.lines().get("lab-1")).isSameAs(one);
        assertThat(engine.calls()).hasSize(1);
        assertThat(registered).containsExactly("lab-1");
    }

    @Test
    void losingTheProfileRemovesIdleLines() {
        HardwareProfile p = profile("lab-1");
        driver.setProfile(p);
        assertThat(registered).containsExactly("lab-1");

        driver.unsetProfile(p);

        assertThat(registered).isEmpty();
        assertThat(driver.cardStatus("analog")).startsWith("0 simulated lines");
    }
}
