package org.switchboard.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/**
 * One shell command on an appliance on this machine, over SSH, for the load scripts:
 * {@code java -cp benchmarks.jar org.switchboard.bench.BoxShell PORT USER COMMAND} with the
 * password in the environment variable SWITCHBOARD_PASSWORD (not on the command line, where ps
 * would show it). Prints what the command printed; exits with its status.
 */
public final class BoxShell {

    private BoxShell() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || System.getenv("SWITCHBOARD_PASSWORD") == null) {
            System.err.println("usage: SWITCHBOARD_PASSWORD=... BoxShell SSH_PORT USER COMMAND");
            System.exit(2);
        }
        SshClient ssh = SshClient.setUpDefaultClient();
        // the appliance on this machine, just unpacked with a fresh host key
        ssh.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        ssh.start();
        int exit;
        try (ClientSession session = ssh.connect(args[1], "127.0.0.1", Integer.parseInt(args[0])).verify(10, TimeUnit.SECONDS)
                .getSession()) {
            session.addPasswordIdentity(System.getenv("SWITCHBOARD_PASSWORD"));
            session.auth().verify(20, TimeUnit.SECONDS);
            try (ChannelExec channel = session.createExecChannel(args[2])) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                channel.setOut(out);
                channel.setErr(out);
                channel.open().verify(10, TimeUnit.SECONDS);
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TimeUnit.SECONDS.toMillis(120));
                System.out.print(out.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*[A-Za-z]", ""));
                Integer status = channel.getExitStatus();
                exit = status == null ? 1 : status;
            }
        } finally {
            ssh.stop();
        }
        System.exit(exit);
    }
}
