package io.macvlandoctor.export;

import static io.macvlandoctor.model.Pcapng.EPB;
import static io.macvlandoctor.model.Pcapng.EPB_FLAGS;
import static io.macvlandoctor.model.Pcapng.IDB;
import static io.macvlandoctor.model.Pcapng.IF_DESCRIPTION;
import static io.macvlandoctor.model.Pcapng.IF_NAME;
import static io.macvlandoctor.model.Pcapng.IF_TSRESOL;
import static io.macvlandoctor.model.Pcapng.OPT_COMMENT;
import static io.macvlandoctor.model.Pcapng.SHB;
import static io.macvlandoctor.model.Pcapng.SHB_USERAPPL;

import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Pcapng;
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
 * hence this class. Little-endian throughout. No option is longer than the format allows: a longer text is cut with
 * a note (the facts comments are split before they get here).
 */
public final class PcapngWriter {
    private PcapngWriter() {
    }

    /**
     * @param sectionComments opt_comments of the section header (our run's facts), possibly none
     * @param points every capture point, frames or not (each gets its interface block)
     * @param comments comments per frame (by identity)
     */
    public static void write(OutputStream out, String application, List<String> sectionComments,
                             List<CapturePoint> points, List<Frame> frames, Map<Frame, List<String>> comments)
            throws IOException {
        Map<CapturePoint, Integer> ids = new LinkedHashMap<>();
        for (CapturePoint p : points) {
            ids.putIfAbsent(p, ids.size());
        }
        for (Frame f : frames) {
            ids.putIfAbsent(f.point(), ids.size());
        }
        out.write(block(SHB, shbBody(application, sectionComments)));
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

    private static byte[] shbBody(String application, List<String> comments) {
        Options o = new Options();
        for (String c : comments) {
            o.string(OPT_COMMENT, c);
        }
        o.string(SHB_USERAPPL, application);
        ByteBuffer b = le(16 + o.size());
        b.putInt(Pcapng.BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1L);
        b.put(o.bytes());
        return b.array();
    }

    private static byte[] idbBody(CapturePoint p) {
        Options o = new Options();
        o.string(IF_NAME, p.name());
        o.string(IF_DESCRIPTION, p.role().description());
        o.raw(IF_TSRESOL, new byte[] {9}); // 10^-9 s
        ByteBuffer b = le(8 + o.size());
        b.putShort((short) Pcapng.LINKTYPE_ETHERNET).putShort((short) 0).putInt(0);
        b.put(o.bytes());
        return b.array();
    }

    private static byte[] epbBody(int iface, Frame f, List<String> comments) {
        byte[] data = f.data();
        Options o = new Options();
        for (String c : comments) {
            o.string(OPT_COMMENT, c);
        }
        if (f.direction() != Direction.UNKNOWN) {
            ByteBuffer flags = le(4).putInt(f.direction() == Direction.IN ? Pcapng.FLAG_INBOUND : Pcapng.FLAG_OUTBOUND);
            o.raw(EPB_FLAGS, flags.array());
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
        private static final byte[] CUT = " [cut: longer than a pcapng option]".getBytes(StandardCharsets.UTF_8);
        private final List<byte[]> parts = new ArrayList<>();
        private int size;

        void string(int code, String value) {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            if (b.length > Pcapng.MAX_OPTION) {
                int keep = Pcapng.MAX_OPTION - CUT.length;
                while (keep > 0 && (b[keep] & 0xc0) == 0x80) {
                    keep--;
                }
                byte[] cut = new byte[keep + CUT.length];
                System.arraycopy(b, 0, cut, 0, keep);
                System.arraycopy(CUT, 0, cut, keep, CUT.length);
                b = cut;
            }
            raw(code, b);
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
