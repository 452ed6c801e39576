package org.switchboard.hw.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.hw.api.CardSpec;
import org.switchboard.hw.api.HardwareProfile;
import org.switchboard.hw.api.UnitSpec;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileParserTest {

    static final Path SHIPPED = Path.of("..", "..", "hardware-profiles");

    @TempDir
    Path tmp;

    private ProfileParser.Result parse(String name, String yaml) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return ProfileParser.parse(f, name + ".yaml");
    }

    private static List<String> messages(ProfileParser.Result r) {
        return r.problems().stream().map(Object::toString).toList();
    }

    @Test
    void everyShippedProfileIsValid() throws IOException {
        try (var files = Files.list(SHIPPED)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertThat(all).extracting(p -> p.getFileName().toString())
                    .contains("lab.yaml", "sme-4fxo-modem.yaml", "gsm-4port.yaml", "e1-2span-pri.yaml");
            for (Path p : all) {
                ProfileParser.Result r = ProfileParser.parse(p, p.getFileName().toString());
                assertThat(messages(r)).as(p.toString()).isEmpty();
            }
        }
    }

    @Test
    void labProfileIsFourSimulatedLinesASimulatedModemAndGsmModuleOneE1SpanAndSip() {
        HardwareProfile lab = ProfileParser.parse(SHIPPED.resolve("lab.yaml"), "lab.yaml").profile();

        assertThat(lab.name()).isEqualTo("lab");
        assertThat(lab.cardsFor("sim-line")).singleElement().satisfies(c ->
                assertThat(c.lines()).extracting(UnitSpec::id).containsExactly("lab-1", "lab-2", "lab-3", "lab-4"));
        CardSpec e1 = lab.cardsFor("sim-span").get(0);
        UnitSpec span = e1.spans().get(0);
        assertThat(Schema.parseChannels(span.get("channels"))).hasSize(30).doesNotContain(16);
        assertThat(span.get("framing")).isEqualTo("ccs");
        assertThat(span.get("law")).as("default law of an E1").isEqualTo("alaw");
        assertThat(span.get("dchannel")).isEqualTo("16");
        UnitSpec r2 = e1.spans().get(1);
        assertThat(r2.get("signalling")).isEqualTo("r2-itu");
        assertThat(r2.get("framing")).as("R2 runs on CAS framing").isEqualTo("cas");
        assertThat(r2.get("dnis-digits")).isEqualTo("4");
        assertThat(lab.cardsFor("sip")).hasSize(1);
        assertThat(lab.cardsFor("v253-modem").get(0).lines().get(0).get("port")).isEqualTo("sim");
        UnitSpec gsm = lab.cardsFor("gsm-module").get(0).lines().get(0);
        assertThat(gsm.get("port")).as("two sim ports are no conflict").isEqualTo("sim");
        assertThat(gsm.get("audio-port")).isEqualTo("sim");
    }

    @Test
    void everyProblemIsReportedWithLineColumnKeyAndWhatIsAllowed() throws IOException {
        ProfileParser.Result r = parse("box", """
                name: box
                cards:
                  - id: modems
                    driver: v253-modem
                    lines:
                      - id: pstn-1
                        port: /dev/ttyUSB0
                        baud: 12345
                      - id: pstn-1
                        port: /dev/ttyUSB0
                        baudrate: 115200
                      - id: pstn-3
                  - id: cards2
                    driver: floppy
                """);

        assertThat(r.profile()).isNull();
        assertThat(messages(r)).containsExactlyInAnyOrder(
                "box.yaml:8:15: cards[0].lines[0].baud: '12345' is not allowed; allowed: 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600",
                "box.yaml:11:9: cards[0].lines[1].baudrate: unknown key; allowed here: id, number, port, baud, flow-control, init",
                "box.yaml:9:13: cards[0].lines[1].id: id 'pstn-1' is already used by cards[0].lines[0].id; ids must be unique in the profile",
                "box.yaml:10:15: cards[0].lines[1].port: port /dev/ttyUSB0 is already used by cards[0].lines[0].port",
                "box.yaml:12:9: cards[0].lines[2].port: missing; it is required",
                "box.yaml:14:13: cards[1].driver: 'floppy' is not allowed; allowed: sim-line, v253-modem, gsm-module, sim-span, dahdi-span, sip");
    }

    @Test
    void theNameMustMatchTheFile() throws IOException {
        ProfileParser.Result r = parse("office", "name: lab\ncards:\n  - id: sip\n    driver: sip\n");

        assertThat(messages(r)).containsExactly(
                "office.yaml:1:7: name: 'lab' does not match the file name; the profile in office.yaml must be named 'office'");
    }

    @Test
    void brokenYamlNamesTheLine() throws IOException {
        ProfileParser.Result r = parse("bad", "name: bad\ncards:\n  - id: a\n   driver: [sip\n");

        assertThat(messages(r)).singleElement().asString().startsWith("bad.yaml:4:").contains("not valid YAML");
    }

    @Test
    void spanRulesDependOnTheTypeAndSignalling() throws IOException {
        ProfileParser.Result r = parse("spans", """
                name: spans
                cards:
                  - id: c
                    driver: dahdi-span
                    spans:
                      - { id: s1, span: 1, type: t1, signalling: r2-china }
                      - { id: s2, span: 2, type: e1, signalling: pri-cpe, channels: 1-31 }
                      - { id: s3, span: 3, type: t1, signalling: pri-net, crc4: yes, channels: 1-30 }
                      - { id: s4, span: 3, type: e1, signalling: r2-itu, framing: ccs, dchannel: 16 }
                """);

        assertThat(messages(r)).containsExactlyInAnyOrder(
                "spans.yaml:6:50: cards[0].spans[0].signalling: 'r2-china' is not allowed on a t1 span; allowed: pri-cpe, pri-net",
                "spans.yaml:7:69: cards[0].spans[1].channels: '1-31' includes the D-channel 16; use 1-15,17-31",
                "spans.yaml:8:65: cards[0].spans[2].crc4: crc4 applies to e1 spans only; remove it",
                "spans.yaml:8:80: cards[0].spans[2].channels: '1-30' goes beyond channel 24 of a t1 span; allowed: 1 to 24",
                "spans.yaml:8:80: cards[0].spans[2].channels: '1-30' includes the D-channel 24; use 1-23",
                "spans.yaml:9:25: cards[0].spans[3].span: DAHDI span 3 is already used by cards[0].spans[2].span",
                "spans.yaml:9:67: cards[0].spans[3].framing: 'ccs' is not allowed on an e1 r2-itu span; allowed: cas",
                "spans.yaml:9:82: cards[0].spans[3].dchannel: dchannel applies to PRI spans only; remove it for r2-itu");
    }

    @Test
    void emptyOrNonMappingOrBinaryFilesAreRefused() throws IOException {
        assertThat(messages(parse("empty", ""))).containsExactly(
                "empty.yaml:1:1: the file is empty; a profile needs at least 'name' and 'cards'");
        assertThat(messages(parse("list", "- a\n- b\n"))).containsExactly(
                "list.yaml:1:1: a profile is a mapping of keys (name, description, country, cards)");
        Path bin = tmp.resolve("bin.yaml");
        Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThat(messages(ProfileParser.parse(bin, "bin.yaml"))).containsExactly("bin.yaml:1:1: the file is not UTF-8 text");
        Path big = tmp.resolve("big.yaml");
        Files.writeString(big, "#".repeat((int) ProfileParser.MAX_BYTES + 1), StandardCharsets.UTF_8);
        assertThat(messages(ProfileParser.parse(big, "big.yaml"))).singleElement().asString().contains("larger than 256 KiB");
        assertThat(messages(ProfileParser.parse(tmp.resolve("none.yaml"), "none.yaml"))).containsExactly("none.yaml:0:0: no such file");
    }

    @Test
    void missingTopLevelKeysAndWrongShapes() throws IOException {
        assertThat(messages(parse("x", "description: hi\ncountry: fr\n"))).containsExactlyInAnyOrder(
                "x.yaml:1:1: name: missing; it is required",
                "x.yaml:1:1: cards: missing; it is required",
                "x.yaml:2:10: country: 'fr' is not allowed; allowed: cn, us, eu");
        assertThat(messages(parse("y", "name: y\ncards: sip\n"))).containsExactly(
                "y.yaml:2:8: cards: must be a list of cards (each starting with '- id: ...')");
        assertThat(messages(parse("z", "name: z\ncards:\n  - id: a\n    driver: sim-line\n    lines: []\n"))).containsExactly(
                "z.yaml:5:12: cards[0].lines: a sim-line card needs at least one entry");
    }
}
