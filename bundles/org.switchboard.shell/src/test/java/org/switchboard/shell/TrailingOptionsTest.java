package org.switchboard.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrailingOptionsTest {

    static class Cmd {
        @Option(name = "--from", aliases = "-f")
        String from;
        @Option(name = "--withheld")
        boolean withheld;
        @Option(name = "--count")
        int count = 1;
    }

    @Test
    void optionsAfterTheArgumentsLandInTheirFields() throws CommandException {
        Cmd c = new Cmd();
        TrailingOptions.apply(c, List.of("--from", "13800138000", "--withheld", "--count=3"));
        assertThat(c.from).isEqualTo("13800138000");
        assertThat(c.withheld).isTrue();
        assertThat(c.count).isEqualTo(3);

        Cmd d = new Cmd();
        TrailingOptions.apply(d, List.of("-f", "555"));
        assertThat(d.from).isEqualTo("555");
        TrailingOptions.apply(d, null);
        assertThat(d.from).isEqualTo("555");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> TrailingOptions.apply(new Cmd(), List.of("--frm", "1"))).isInstanceOf(CommandException.class)
                .hasMessage("unknown option --frm; options are --from, --withheld, --count");
        assertThatThrownBy(() -> TrailingOptions.apply(new Cmd(), List.of("--from"))).hasMessage("option --from needs a value");
        assertThatThrownBy(() -> TrailingOptions.apply(new Cmd(), List.of("stray"))).hasMessageStartingWith("unexpected 'stray'");
        assertThatThrownBy(() -> TrailingOptions.apply(new Cmd(), List.of("--count", "x"))).hasMessage("option --count needs a whole number, not 'x'");
    }
}
