package io.macvlandoctor.export;

import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes pcapng (draft-ietf-opsawg-pcapng): one section, one interface block per capture point (if_name
 * "host:ens33", if_description with the role, if_tsresol 9), and one enhanced packet block per frame in time order,
 * with the direction in epb_flags and an opt_comment where the frame is evidence. libpcap cannot write pcapng,
 * hence this class. Little-endian throughout.
 */
public final class PcapngWriter {
    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1;
    private static final int EPB = 6;
    private static final int LINKTYPE_ETHERNET = 1;

    private PcapngWriter() {
    }

    /** Role descriptions that the reader uses to give each interface back its role. */
    public static String describe(CapturePoint p) {
        return switch (p.role()) {
            case PARENT -> "parent: the macvlan parent";
            case SHIM -> "shim: the host-side macvlan";
            case CONTAINER -> "container: the container's macvlan interface";
            case WIRE -> "wire: the LAN side of the parent";
        };
    }

    /**
     * @param points every capture point, frames or not (each gets its interface block)
     * @param comments comments per frame (by identity)
     */
    public static void write(OutputStream out, String application, List<CapturePoint> points, List<Frame> frames,
                             Map<Frame, List<String>> comments) throws IOException {
        write(out, application, null, points, frames, comments);
    }

    /** @param sectionComment an opt_comment for the section header (our run's facts), or null */
    public static void write(OutputStream out, String application, String sectionComment, List<CapturePoint> points,
                             List<Frame> frames, Map<Frame, List<String>> comments) throws IOException {
        Map<CapturePoint, Integer> ids = new LinkedHashMap<>();
        for (CapturePoint p : points) {
            ids.putIfAbsent(p, ids.size());
        }
        for (Frame f : frames) {
            ids.putIfAbsent(f.point(), ids.size());
        }
        out.write(block(SHB, shbBody(application, sectionComment)));
        for (CapturePoint p : ids.keySet()) {
            out.write(block(IDB, idbBody(p)));
        }
        List<Frame> sorted = new ArrayList<>(frames);
        sorted.sort(Comparator.comparingLong(Frame::timeNs));
        for (Frame f : sorted) {
            out.write(block(EPB, epbBody(ids.get(f.point()), f, comments.getOrDefault(f, List.of()))));
        }
        out.flush();
    }

    private static byte[] shbBody(String application, String comment) {
        Options o = new Options();
        if (comment != null) {
            o.string(1, comment); // opt_comment
        }
        o.string(4, application); // shb_userappl
        ByteBuffer b = le(16 + o.size());
        b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        b.put(o.bytes());
        return b.array();
    }

    private static byte[] idbBody(CapturePoint p) {
        Options o = new Options();
        o.string(2, p.name()); // if_name
        o.string(3, describe(p)); // if_description
        o.raw(9, new byte[] {9}); // if_tsresol: 10^-9 s
        ByteBuffer b = le(8 + o.size());
        b.putShort((short) LINKTYPE_ETHERNET).putShort((short) 0).putInt(0);
        b.put(o.bytes());
        return b.array();
    }

    private static byte[] epbBody(int iface, Frame f, List<String> comments) {
        byte[] data = f.data();
        Options o = new Options();
        for (String c : comments) {
            o.string(1, c); // opt_comment
        }
        if (f.direction() != Direction.UNKNOWN) {
            ByteBuffer flags = le(4).putInt(f.direction() == Direction.IN ? 1 : 2); // epb_flags, bits 0-1
            o.raw(2, flags.array());
        }
        int padded = pad(data.length);
        ByteBuffer b = le(20 + padded + o.size());
        b.putInt(iface).putInt((int) (f.timeNs() >>> 32)).putInt((int) f.timeNs()).putInt(data.length)
                .putInt(Math.max(f.originalLength(), data.length));
        b.put(data);
        b.position(20 + padded);
        b.put(o.bytes());
        return b.array();
    }

    private static byte[] block(int type, byte[] body) {
        int total = 12 + body.length;
        ByteBuffer b = le(total);
        b.putInt(type).putInt(total).put(body).putInt(total);
        return b.array();
    }

    static int pad(int n) {
        return (n + 3) & ~3;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An option list, closed with opt_endofopt when non-empty. */
    private static final class Options {
        private final List<byte[]> parts = new ArrayList<>();
        private int size;

        void string(int code, String value) {
            raw(code, value.getBytes(StandardCharsets.UTF_8));
        }

        void raw(int code, byte[] value) {
            ByteBuffer b = le(4 + pad(value.length));
            b.putShort((short) code).putShort((short) value.length).put(value);
            parts.add(b.array());
            size += b.capacity();
        }

        int size() {
            return parts.isEmpty() ? 0 : size + 4;
        }

        byte[] bytes() {
            if (parts.isEmpty()) {
                return new byte[0];
            }
            ByteBuffer b = ByteBuffer.allocate(size + 4);
            parts.forEach(b::put);
            b.putInt(0);
            return b.array();
        }
    }
}
