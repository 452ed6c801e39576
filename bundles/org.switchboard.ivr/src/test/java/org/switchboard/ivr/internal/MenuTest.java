package org.switchboard.ivr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Menu files (good and broken) and the menu state machine (keys, timeouts, retries, back, language, direct dial). */
class MenuTest {

    static final String MAIN = """
            language: zh
            languages: [zh, en]
            start: welcome
            nodes:
              welcome:
                prompts: [welcome, menu-main]
                timeout: 4
                retries: 2
                failed: extension:1001
                direct-dial: 4
                options:
                  "1": queue:sales
                  "2": node:sub
                  "8": language:en
                  "9": repeat
              sub:
                prompts: [menu-main]
                options:
                  "*": back
                  "3": ivr:closed
                  "4": node:bye
              bye:
                prompts: [goodbye]
                then: hangup
            """;

    @TempDir
    Path dir;
    PromptStore prompts;

    @BeforeEach
    void prompts() throws Exception {
        prompts = Prompts.make(dir.resolve("prompts"), "zh", "en");
    }

    Menu menu() {
        MenuFile.Result r = MenuFile.parse(MAIN, "main.yaml", prompts, Set.of("main", "closed"));
        assertThat(r.problems()).isEmpty();
        return r.menu();
    }

    @Test
    void aKeyChoosesAndSubMenusGoBack() {
        MenuMachine m = new MenuMachine(menu(), null);
        MenuMachine.Prompt p = (MenuMachine.Prompt) m.start();
        assertThat(p.prompts()).containsExactly("welcome", "menu-main");
        assertThat(p.language()).isEqualTo("zh");
        assertThat(p.bargeIn()).isTrue();
        assertThat(p.collect().maxDigits()).as("direct dial of 4 digits").isEqualTo(4);
        assertThat(p.collect().firstDigitTimeout().toSeconds()).isEqualTo(4);
        assertThat(((MenuMachine.Leave) m.input("1")).destination().toString()).isEqualTo("queue:sales");

        m = new MenuMachine(menu(), null);
        m.start();
        assertThat(((MenuMachine.Prompt) m.input("2")).prompts()).containsExactly("menu-main");
        assertThat(m.node()).isEqualTo("sub");
        m.input("*");
        assertThat(m.node()).isEqualTo("welcome");
        m.input("2");
        assertThat(((MenuMachine.Leave) m.input("3")).destination().toString()).isEqualTo("ivr:closed");
    }

    @Test
    void wrongKeysAndSilenceRepromptThenTheFailedActionTakesOver() {
        MenuMachine m = new MenuMachine(menu(), null);
        m.start();
        assertThat(((MenuMachine.Prompt) m.input("7")).prompts()).containsExactly("invalid", "welcome", "menu-main");
        assertThat(((MenuMachine.Leave) m.input("")).destination().toString()).isEqualTo("extension:1001");
        m = new MenuMachine(menu(), null);
        m.start();
        assertThat(((MenuMachine.Prompt) m.input("")).prompts()).containsExactly("timeout", "welcome", "menu-main");
    }

    @Test
    void languageRepeatDirectDialAndThen() {
        MenuMachine m = new MenuMachine(menu(), null);
        m.start();
        MenuMachine.Prompt p = (MenuMachine.Prompt) m.input("8");
        assertThat(p.language()).isEqualTo("en");
        assertThat(p.prompts()).containsExactly("welcome", "menu-main");
        assertThat(((MenuMachine.Prompt) m.input("9")).language()).isEqualTo("en");
        assertThat(((MenuMachine.Leave) m.input("1002")).destination().toString()).isEqualTo("extension:1002");

        m = new MenuMachine(menu(), "en");
        m.start();
        m.input("2");
        MenuMachine.Prompt bye = (MenuMachine.Prompt) m.input("4");
        assertThat(bye.collect()).isNull();
        assertThat(m.afterPrompt()).isInstanceOf(MenuMachine.Hangup.class);
    }

    @Test
    void selfServiceCollectsDigitsHandsThemToTheActionSaysItsAnswerAndFollowsTheOutcome() {
        Menu m = MenuFile.parse("""
                language: en
                languages: [en]
                nodes:
                  ticket:
                    prompts: [welcome]
                    collect: {min: 4, max: 8, terminator: "#", action: ticket-status}
                    results:
                      ok: hangup
                      not-found: repeat
                      default: extension:1001
                """, "self.yaml", prompts, Set.of("self")).menu();
        MenuMachine mm = new MenuMachine(m, null);
        MenuMachine.Prompt p = (MenuMachine.Prompt) mm.start();
        assertThat(p.collect().maxDigits()).isEqualTo(8);
        assertThat(p.collect().terminators()).isEqualTo("#");
        assertThat(((MenuMachine.Prompt) mm.input("12")).prompts()).as("too few digits").startsWith("invalid");
        MenuMachine.RunAction a = (MenuMachine.RunAction) mm.input("123456");
        assertThat(a.action()).isEqualTo("ticket-status");
        assertThat(a.digits()).isEqualTo("123456");
        MenuMachine.Prompt say = (MenuMachine.Prompt) mm.actionDone("not-found", List.of("digit-1"));
        assertThat(say.prompts()).containsExactly("digit-1");
        assertThat(say.collect()).isNull();
        assertThat(mm.afterPrompt()).as("not-found repeats the node").isInstanceOf(MenuMachine.Prompt.class);
        mm.input("123456");
        mm.actionDone("timeout", List.of());
        assertThat(((MenuMachine.Leave) mm.afterPrompt()).destination().toString()).isEqualTo("extension:1001");
    }

    @Test
    void brokenFilesAreReportedWithPositionsAndTheirMissingPrompts() {
        MenuFile.Result r = MenuFile.parse("""
                language: zh
                languages: [zh, en, fr]
                start: hello
                nodes:
                  welcome:
                    prompts: [welcome, no-such-prompt]
                    retries: 0
                    options:
                      "1": ivr:nowhere
                      "12": repeat
                      "2": node:missing
                      "3": language:de
                      "4": teleport
                  a:
                    prompts: [goodbye]
                    then: node:b
                  b:
                    prompts: [goodbye]
                    then: node:a
                """, "broken.yaml", prompts, Set.of("broken"));
        List<String> p = r.problems().stream().map(Object::toString).toList();
        assertThat(r.ok()).isFalse();
        assertThat(p).contains(
                "broken.yaml:6:14: nodes.welcome.prompts: prompt 'no-such-prompt' for zh: " + dir.resolve("prompts/zh/no-such-prompt.wav") + ": missing",
                "broken.yaml:7:14: nodes.welcome.retries: '0' is not allowed; allowed: a whole number from 1 to 10",
                "broken.yaml:9:12: nodes.welcome.options.1: no menu 'nowhere' (etc/ivr/nowhere.yaml); menus: broken",
                "broken.yaml:10:7: nodes.welcome.options.12: '12' is not a key; allowed: one of 0-9 * # (quote them: \"1\", \"*\")",
                "broken.yaml:12:12: nodes.welcome.options.3: 'de' is not one of the menu's languages [zh, en, fr]",
                "broken.yaml:3:8: start: no node 'hello'; nodes: welcome, a, b",
                "broken.yaml:11:12: nodes.welcome.options.2: no node 'missing'; nodes: welcome, a, b",
                "broken.yaml:14:3: nodes.a: the nodes a -> b -> a lead to each other with 'then' alone: the caller would hear them forever; give one of them options");
        assertThat(p).anyMatch(x -> x.startsWith("broken.yaml:13:12: nodes.welcome.options.4: 'teleport' is not a destination"));
        assertThat(p).anyMatch(x -> x.contains("prompt 'welcome' for fr:"));
    }

    @Test
    void theShippedMenusAreValidAgainstTheShippedPrompts() {
        Path etc = Path.of("../../karaf-assembly/src/main/resources/etc/ivr");
        Path built = Path.of("../../karaf-assembly/target/generated-prompts");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(built), "prompts are generated by the assembly build");
        PromptStore shipped = new PromptStore(built);
        for (String m : List.of("main", "after-hours")) {
            assertThat(MenuFile.read(etc.resolve(m + ".yaml"), shipped, Set.of("main", "after-hours")).problems()).as(m).isEmpty();
        }
    }
}
