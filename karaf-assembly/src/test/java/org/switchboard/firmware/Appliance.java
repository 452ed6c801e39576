package org.switchboard.firmware;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/**
 * The real firmware image, unpacked fresh into a work directory, started with its own scripts and
 * driven over SSH like a technician would. Only the SSH port is changed, to a free one.
 */
final class Appliance implements AutoCloseable {

    /** What a shell command printed and how it ended. */
    record Result(int exit, String out) {
        boolean ok() {
            return exit == 0;
        }
    }

    final Path home;
    final int sshPort;
    private final SshClient ssh = SshClient.setUpDefaultClient();

    private Appliance(Path home, int sshPort) {
        this.home = home;
        this.sshPort = sshPort;
        ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        ssh.start();
    }

    /** Unpacks the image into {@code work/name} (replacing what was there) and boots it. */
    static Appliance boot(String name) throws Exception {
        Appliance a = unpack(name);
        a.start();
        return a;
    }

    /** Unpacks the image into {@code work/name} (replacing what was there), not started: etc/ may be changed first. */
    static Appliance unpack(String name) throws Exception {
        Path image = Path.of(System.getProperty("switchboard.image"));
        Path work = Path.of(System.getProperty("switchboard.work")).resolve(name);
        if (Files.exists(work)) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(work);
        run(work, "tar", "xzf", image.toString(), "-C", work.toString(), "--strip-components=1");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path shellCfg = work.resolve("etc/org.apache.karaf.shell.cfg");
        Files.writeString(shellCfg, Files.readString(shellCfg).replace("sshPort = 8101", "sshPort = " + port));
        return new Appliance(work, port);
    }

    /** Sets keys in a file of etc/ (replacing the line of a key that is there, adding the others). */
    void configure(String file, java.util.Map<String, String> keys) throws IOException {
        Path f = home.resolve("etc").resolve(file);
        List<String> lines = new java.util.ArrayList<>(Files.exists(f) ? Files.readAllLines(f) : List.of());
        java.util.Map<String, String> left = new java.util.LinkedHashMap<>(keys);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                String k = line.substring(0, eq).trim();
                if (left.containsKey(k)) {
                    lines.set(i, k + " = " + left.remove(k));
                }
            }
        }
        left.forEach((k, v) -> lines.add(k + " = " + v));
        Files.write(f, lines);
    }

    void start() throws Exception {
        run(home, home.resolve("bin/start").toString());
        waitFor("SSH on port " + sshPort, Duration.ofSeconds(90), this::sshAnswers);
    }

    void stop() throws Exception {
        run(home, home.resolve("bin/stop").toString());
        waitFor("the appliance to stop", Duration.ofSeconds(60), () -> !running());
        waitFor("its JVM to exit", Duration.ofSeconds(60), () -> pid().map(p -> ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true)).orElse(true));
    }

    /** The JVM's pid as Karaf records it in instances/instance.properties. */
    java.util.Optional<Long> pid() {
        Path f = home.resolve("instances/instance.properties");
        try (var r = Files.newBufferedReader(f)) {
            Properties p = new Properties();
            p.load(r);
            return java.util.Optional.of(Long.parseLong(p.getProperty("item.0.pid", "0").trim())).filter(x -> x > 0);
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** What bin/status says: exit 0 while the appliance's JVM runs. */
    boolean running() {
        try {
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/status").toString()).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean sshAnswers() {
        try (Socket s = new Socket("127.0.0.1", sshPort)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The generated first-boot admin password, once the appliance has written it. */
    String initialAdminPassword() throws Exception {
        Path f = home.resolve("data/switchboard/initial-admin-password");
        waitFor("the first-boot admin password", Duration.ofSeconds(60), () -> Files.exists(f));
        Properties p = new Properties();
        waitFor("the password file to be complete", Duration.ofSeconds(10), () -> {
            try (var r = Files.newBufferedReader(f)) {
                p.load(r);
                return p.getProperty("password", "").length() == 20;
            } catch (IOException e) {
                return false;
            }
        });
        return p.getProperty("password");
    }

    /**
     * Waits until the boot is complete: SSH answers early in the boot, before every capability has
     * registered its commands. Ready means the lines are listed and the database is open.
     */
    void awaitReady(String user, String password) throws InterruptedException {
        waitFor("the shell to list the lines and an open database", Duration.ofSeconds(90), () -> {
            try {
                return exec(user, password, "line:list").out().contains("lab-1")
                        && exec(user, password, "store:info").out().contains("OPEN");
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Runs one shell command over SSH as {@code user}. */
    Result exec(String user, String password, String command) throws Exception {
        try (ClientSession session = ssh.connect(user, "127.0.0.1", sshPort).verify(10, TimeUnit.SECONDS).getSession()) {
            session.addPasswordIdentity(password);
            session.auth().verify(20, TimeUnit.SECONDS);
            try (ChannelExec channel = session.createExecChannel(command)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                channel.setOut(out);
                channel.setErr(out);
                channel.open().verify(10, TimeUnit.SECONDS);
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TimeUnit.SECONDS.toMillis(60));
                Integer exit = channel.getExitStatus();
                return new Result(exit == null ? -1 : exit, stripAnsi(out.toString(StandardCharsets.UTF_8)));
            }
        }
    }

    /** Whether a login is accepted at all. */
    boolean canLogIn(String user, String password) throws Exception {
        try (ClientSession session = ssh.connect(user, "127.0.0.1", sshPort).verify(10, TimeUnit.SECONDS).getSession()) {
            session.addPasswordIdentity(password);
            try {
                session.auth().verify(20, TimeUnit.SECONDS);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** Polls until the condition holds, failing after the deadline. */
    static void waitFor(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static String stripAnsi(String s) {
        return s.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "");
    }

    static void run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        // the console output of bin/start goes to a file, not to a pipe this test would have to drain
        pb.environment().put("KARAF_REDIRECT", dir.resolve("console.out").toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (running()) {
                stop();
            }
        } finally {
            ssh.stop();
        }
    }
}
