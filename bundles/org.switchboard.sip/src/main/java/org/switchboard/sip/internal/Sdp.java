package org.switchboard.sip.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Vector;

import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

import org.switchboard.media.codec.Codec;

/**
 * SDP offer/answer (RFC 3264) for voice: G.711 µ-law and A-law, RFC 4733 telephone-events, ptime,
 * and the direction attributes that carry hold. Parsing is JAIN-SIP's SDP parser; what the box
 * sends is written here, short and exact.
 */
final class Sdp {

    /** The media direction of an SDP, as the side that wrote it sees it. */
    enum Direction {
        SENDRECV, SENDONLY, RECVONLY, INACTIVE;

        /** The direction the answerer takes. */
        Direction answer() {
            return switch (this) {
                case SENDONLY -> RECVONLY;
                case RECVONLY -> SENDONLY;
                default -> this;
            };
        }

        String attribute() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a peer's SDP says about its audio. */
    record Audio(InetSocketAddress address, List<Integer> formats, Map<Integer, String> rtpmap, int telephoneEvent,
                 int ptime, Direction direction) {

        /** On hold: the peer does not want to hear us (sendonly/inactive, or the old 0.0.0.0 way). */
        boolean hold() {
            return direction == Direction.SENDONLY || direction == Direction.INACTIVE
                    || address.getAddress().isAnyLocalAddress();
        }
    }

    /** A failure to understand an SDP; the message says what was wrong. */
    static final class SdpProblem extends Exception {
        private static final long serialVersionUID = 1L;

        SdpProblem(String message) {
            super(message);
        }
    }

    private Sdp() {
    }

    static Audio parse(String text) throws SdpProblem {
        SessionDescription sd;
        try {
            sd = SdpFactory.getInstance().createSessionDescription(text);
        } catch (SdpException | RuntimeException e) {
            throw new SdpProblem("unparseable SDP: " + e.getMessage());
        }
        try {
            @SuppressWarnings("unchecked")
            Vector<MediaDescription> media = sd.getMediaDescriptions(false);
            if (media == null) {
                throw new SdpProblem("no m= line");
            }
            for (MediaDescription md : media) {
                if (!"audio".equalsIgnoreCase(md.getMedia().getMediaType())) {
                    continue;
                }
                Connection c = md.getConnection() != null ? md.getConnection() : sd.getConnection();
                if (c == null) {
                    throw new SdpProblem("no c= line for the audio");
                }
                InetAddress address;
                try {
                    address = InetAddress.getByName(c.getAddress());
                } catch (UnknownHostException e) {
                    throw new SdpProblem("c= address '" + c.getAddress() + "' is not an IP address");
                }
                int port = md.getMedia().getMediaPort();
                if (port < 0 || port > 65535) {
                    throw new SdpProblem("m= port " + port + " is out of range");
                }
                List<Integer> formats = new ArrayList<>();
                @SuppressWarnings("unchecked")
                Vector<String> fmts = md.getMedia().getMediaFormats(false);
                if (fmts != null) {
                    for (String f : fmts) {
                        try {
                            formats.add(Integer.parseInt(f.trim()));
                        } catch (NumberFormatException e) {
                            throw new SdpProblem("m= format '" + f + "' is not a payload type");
                        }
                    }
                }
                Map<Integer, String> rtpmap = new LinkedHashMap<>();
                int te = -1;
                int ptime = 20;
                Direction dir = sessionDirection(sd);
                @SuppressWarnings("unchecked")
                Vector<Attribute> attrs = md.getAttributes(false);
                if (attrs != null) {
                    for (Attribute a : attrs) {
                        String name = a.getName().toLowerCase(Locale.ROOT);
                        String value = a.getValue() == null ? "" : a.getValue().trim();
                        switch (name) {
                            case "rtpmap" -> {
                                int sp = value.indexOf(' ');
                                if (sp > 0) {
                                    try {
                                        int pt = Integer.parseInt(value.substring(0, sp));
                                        String enc = value.substring(sp + 1).trim();
                                        rtpmap.put(pt, enc);
                                        if (enc.toLowerCase(Locale.ROOT).startsWith("telephone-event/8000")) {
                                            te = pt;
                                        }
                                    } catch (NumberFormatException e) {
                                        throw new SdpProblem("a=rtpmap '" + value + "' has no payload type");
                                    }
                                }
                            }
                            case "ptime" -> {
                                try {
                                    ptime = Integer.parseInt(value);
                                } catch (NumberFormatException e) {
                                    throw new SdpProblem("a=ptime '" + value + "' is not a number");
                                }
                            }
                            case "sendrecv", "sendonly", "recvonly", "inactive" -> dir = Direction.valueOf(name.toUpperCase(Locale.ROOT));
                            default -> {
                                // other attributes do not change what the box does
                            }
                        }
                    }
                }
                return new Audio(new InetSocketAddress(address, port), formats, rtpmap, te, ptime, dir);
            }
            throw new SdpProblem("no audio m= line");
        } catch (SdpException e) {
            throw new SdpProblem("unreadable SDP: " + e.getMessage());
        }
    }

    private static Direction sessionDirection(SessionDescription sd) {
        try {
            @SuppressWarnings("unchecked")
            Vector<Attribute> attrs = sd.getAttributes(false);
            if (attrs != null) {
                for (Attribute a : attrs) {
                    String name = a.getName().toLowerCase(Locale.ROOT);
                    if (List.of("sendrecv", "sendonly", "recvonly", "inactive").contains(name)) {
                        return Direction.valueOf(name.toUpperCase(Locale.ROOT));
                    }
                }
            }
        } catch (SdpException e) {
            return Direction.SENDRECV;
        }
        return Direction.SENDRECV;
    }

    /**
     * The codec to use for an offer: the first of the peer's formats that the box speaks (the
     * offerer's preference), by static payload type or by rtpmap name.
     */
    static Codec choose(Audio offer) throws SdpProblem {
        for (int pt : offer.formats()) {
            String name = offer.rtpmap().get(pt);
            for (Codec c : Codec.values()) {
                if (name != null ? name.toUpperCase(Locale.ROOT).startsWith(c.name() + "/8000")
                        : pt == c.payloadType()) {
                    return c;
                }
            }
        }
        throw new SdpProblem("no common codec: the offer has " + offer.formats() + ", the box speaks PCMU (0) and PCMA (8)");
    }

    /** The box's answer to an offer. */
    static String answer(Audio offer, Codec codec, InetSocketAddress local, long sessionId, long version) {
        int te = offer.telephoneEvent();
        return write(local, sessionId, version, codec, te, offer.direction().answer(), codec.payloadType());
    }

    /** The box's offer: both G.711 laws (preferred first) and telephone-events as 101. */
    static String offer(InetSocketAddress local, long sessionId, long version, Codec preferred, Direction direction) {
        return write(local, sessionId, version, preferred, 101, direction, -1);
    }

    private static String write(InetSocketAddress local, long sessionId, long version, Codec codec, int te,
                                Direction direction, int only) {
        String ip = local.getAddress().getHostAddress();
        String family = local.getAddress() instanceof java.net.Inet6Address ? "IP6" : "IP4";
        StringBuilder formats = new StringBuilder();
        StringBuilder maps = new StringBuilder();
        List<Codec> codecs = new ArrayList<>();
        codecs.add(codec);
        if (only < 0) {
            for (Codec c : Codec.values()) {
                if (c != codec) {
                    codecs.add(c);
                }
            }
        }
        for (Codec c : codecs) {
            formats.append(' ').append(c.payloadType());
            maps.append("a=rtpmap:").append(c.payloadType()).append(' ').append(c.name()).append("/8000\r\n");
        }
        if (te >= 0) {
            formats.append(' ').append(te);
            maps.append("a=rtpmap:").append(te).append(" telephone-event/8000\r\n");
            maps.append("a=fmtp:").append(te).append(" 0-16\r\n");
        }
        return "v=0\r\n"
                + "o=switchboard " + sessionId + " " + version + " IN " + family + " " + ip + "\r\n"
                + "s=switchboard\r\n"
                + "c=IN " + family + " " + ip + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + local.getPort() + " RTP/AVP" + formats + "\r\n"
                + maps
                + "a=ptime:20\r\n"
                + "a=" + direction.attribute() + "\r\n";
    }
}
