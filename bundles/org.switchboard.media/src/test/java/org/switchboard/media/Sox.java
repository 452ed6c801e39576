package org.switchboard.media;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the sox command line tool, which the tests use as an independent reference for G.711
 * and WAV handling. Fails (rather than skips) when sox is absent, because silently skipping
 * would let a build pass without ever checking bit-exactness.
 */
public final class Sox {

    /** Outcome of one sox run. */
    public record Result(int exitCode, String output) {
    }

    private Sox() {
    }

    /** Finds an executable on PATH, or fails the test naming the Debian package to install. */
    public static String executable(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        fail("'" + name + "' was not found on PATH; these tests need it as a reference. "
                + "Install the Debian package sox (apt-get install sox).");
        throw new AssertionError("unreachable");
    }

    /** Runs {@code tool args...} and returns exit status and combined output, without judging it. */
    public static Result tryRun(String tool, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable(tool));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            return new Result(rc, out);
        } catch (IOException e) {
            throw new AssertionError("could not run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + cmd, e);
        }
    }

    /** Runs sox and fails the test with its output unless it exits 0. */
    public static String run(String... args) {
        Result r = tryRun("sox", args);
        if (r.exitCode() != 0) {
            fail("sox " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    /** Writes samples as raw little-endian signed 16-bit. */
    public static void writeRaw16(Path file, short[] samples) throws IOException {
        byte[] b = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            b[2 * i] = (byte) samples[i];
            b[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        Files.write(file, b);
    }

    /** Reads raw little-endian signed 16-bit samples. */
    public static short[] readRaw16(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        short[] s = new short[b.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
        }
        return s;
    }

    /** Decodes any audio file sox understands to raw little-endian 16-bit, without dither. */
    public static short[] decodeToLinear(Path in, Path scratchDir) throws IOException {
        Path out = scratchDir.resolve(in.getFileName() + ".dec.raw");
        run("-D", in.toString(), "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", out.toString());
        return readRaw16(out);
    }
}
