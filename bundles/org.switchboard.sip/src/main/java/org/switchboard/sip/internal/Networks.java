package org.switchboard.sip.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of networks in CIDR notation ({@code 192.168.1.0/24, 10.0.0.5, ::1/128}), as an
 * extension's allowed sources. Empty means anywhere.
 */
record Networks(List<Network> networks) {

    record Network(byte[] address, int prefix) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != address.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < b.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((b[i] & mask) != (address[i] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(address).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                return new BigInteger(1, address) + "/" + prefix;
            }
        }
    }

    static final Networks ANYWHERE = new Networks(List.of());

    /** Parses "a/b, c"; the message of the exception names the entry and what is allowed. */
    static Networks parse(String text) {
        List<Network> list = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return ANYWHERE;
        }
        for (String part : text.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            String[] p = part.split("/", -1);
            if (p.length > 2 || !p[0].matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("'" + part + "' is not a network; allowed: an IP address with an optional /prefix, e.g. 192.168.1.0/24");
            }
            InetAddress a;
            try {
                a = InetAddress.getByName(p[0]);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + part + "' is not a network: " + p[0] + " is not an IP address");
            }
            int max = a.getAddress().length * 8;
            int prefix = max;
            if (p.length == 2) {
                try {
                    prefix = Integer.parseInt(p[1]);
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException("'" + part + "': the prefix must be 0.." + max);
                }
            }
            list.add(new Network(a.getAddress(), prefix));
        }
        return new Networks(List.copyOf(list));
    }

    boolean allows(InetAddress a) {
        return networks.isEmpty() || networks.stream().anyMatch(n -> n.contains(a));
    }

    @Override
    public String toString() {
        return networks.isEmpty() ? "anywhere" : String.join(", ", networks.stream().map(Network::toString).toList());
    }
}
