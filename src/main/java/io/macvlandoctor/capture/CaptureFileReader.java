package io.macvlandoctor.capture;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.UsageException;
import io.macvlandoctor.model.CapturePoint;
import io.macvlandoctor.model.Direction;
import io.macvlandoctor.model.Frame;
import io.macvlandoctor.model.Pcapng;
import io.macvlandoctor.model.Role;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams frames out of a classic pcap (micro- or nanosecond, either byte order) or a pcapng file (several
 * interfaces, if_tsresol, epb_flags direction), one at a time, so memory stays flat however large the file.
 * Ethernet only (the FCS bits of a pcap link type are masked, as libpcap does). A file cut short (the capturing
 * program killed, a full disk) is read up to its last complete frame and says where it stopped (truncation());
 * anything else malformed raises {@link CaptureFormatException} with the byte offset; nothing loops. Versions
 * other than pcap 2.4 (2.x before it is read as libpcap reads it, and said) and pcapng 1.0 are refused.
 * With mattersOnly, frames the checks cannot use (anything but ARP, ICMP, ICMPv6) are counted and skipped without
 * being decoded or copied. Reads a file or a pipe (stdin), sequentially in 4 MiB reads.
 */
public final class CaptureFileReader implements AutoCloseable {
    /** Larger than any Ethernet frame, so a corrupt length is caught instead of allocated. */
    static final int MAX_BLOCK = 1 << 20;
    private static final int LINKTYPE_ETHERNET = 1;
    /** All section comments of a file together: facts never need more (FactsJson.MAX_TEXT). */
    private static final long MAX_COMMENTS = 16L << 20;

    /** How the file describes one interface; point is null when the file does not say. */
    private static final class Iface {
        final CapturePoint point;
        /** if_tsresol: high bit clear means units of 10^-n s, set means 2^-n s. */
        final boolean pow2;
        final int n;

        /** The frames counted for this interface's point (shared by the interfaces of one point). */
        long[] count;

        Iface(CapturePoint point, int tsresol) {
            this.point = point;
            this.pow2 = (tsresol & 0x80) != 0;
            this.n = Math.min(tsresol & 0x7f, 62);
        }

        long toNanos(long ts) {
            if (pow2) {
                long mask = (1L << n) - 1;
                return (ts >>> n) * 1_000_000_000L + (((ts & mask) * 1_000_000_000L) >>> n);
            }
            return n <= 9 ? ts * POW10[9 - n] : ts / POW10[Math.min(n - 9, 18)];
        }
    }

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /** A section header comment and where its block starts, for error messages. */
    public record SectionComment(String text, long offset) {
    }

    static final int BUFFER_BYTES = 4 << 20;
    /**
     * The buffer a file of this size is read through (each half of a big file its own). A file big enough to be
     * read on both cores is read into a buffer outside the heap: the kernel copies into it once, where into a heap
     * buffer the JDK copies every byte a second time (10M frames: 0.1 s). A smaller one's is in the heap: the JDK
     * frees a buffer outside it only when the heap is collected, and a run may open many small files.
     */
    static ByteBuffer buffer(long size) {
        return size >= SecondHalf.MIN_FILE_BYTES ? ByteBuffer.allocateDirect(BUFFER_BYTES)
                : ByteBuffer.allocate(BUFFER_BYTES);
    }
    private final String name;
    private final ReadableByteChannel ch;
    private final ByteBuffer buf;
    private long bufStart;
    private final boolean pcapng;
    private final Role given;
    private final String fileStem;
    private final Direction givenDir;
    private ByteOrder order;
    private final List<Iface> ifaces = new ArrayList<>();
    private final List<SectionComment> sectionComments = new ArrayList<>();
    private long commentBytes;
    private final boolean mattersOnly;
    private final Map<CapturePoint, long[]> counts = new LinkedHashMap<>();
    private long frames;
    /** pcap before 2.4 may have the record's two lengths the other way round. */
    private boolean oldPcap;
    private final List<String> notes = new ArrayList<>();
    /** Where the file was found cut short, and in what; null while it is whole. */
    private String truncation;
    /** A classic pcap's snap length (its header's). */
    private int snaplen;
    /** The second half of a big file, passed over meanwhile on the other core; null when none, or once met. */
    private SecondHalf second;
    /** Once met: where to read next, the last one where this reader goes on by itself. */
    private java.util.Iterator<SecondHalf.Stop> handover;

    /** @param size the file's size (0: a stream), which decides its buffer (see buffer()) */
    private CaptureFileReader(String name, ReadableByteChannel ch, Role given, Direction givenDir,
                              boolean mattersOnly, long size) throws IOException {
        this.buf = buffer(size);
        this.name = name;
        this.mattersOnly = mattersOnly;
        String base = Path.of(name).getFileName().toString();
        this.fileStem = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
        this.ch = ch;
        this.given = given;
        this.givenDir = givenDir;
        buf.limit(0);
        if (!ensure(4)) {
            throw new CaptureFormatException(name, 0, "empty or too short for a capture file");
        }
        int magicBe = buf.order(ByteOrder.BIG_ENDIAN).getInt(buf.position());
        if (magicBe == 0x0A0D0D0A) {
            pcapng = true;
        } else {
            pcapng = false;
            readPcapHeader(magicBe);
        }
    }

    /**
     * @param role the role of every interface in the file (the user's ROLE=FILE), or null to take it from the
     *     interface descriptions our export writes; the point is named after the interface (if_name) or the file
     * @param dir the direction to give frames whose file does not say (UNKNOWN, or IN/OUT for parent-in/-out)
     */
    public static CaptureFileReader open(Path file, Role role, Direction dir) {
        return open(file, role, dir, false);
    }

    /** @param mattersOnly skip (and only count) frames that cannot matter to the checks */
    public static CaptureFileReader open(Path file, Role role, Direction dir, boolean mattersOnly) {
        try {
            if (Files.isDirectory(file)) {
                throw new UsageException(file + ": is a directory, not a capture file");
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            try {
                long size = ch.size();
                CaptureFileReader r = new CaptureFileReader(file.toString(), ch, role, dir, mattersOnly, size);
                if (r.fastPath() && size >= SecondHalf.MIN_FILE_BYTES) {
                    r.second = SecondHalf.start(file, size, r.order, r.snaplen > 0 ? r.snaplen : MAX_BLOCK);
                }
                return r;
            } catch (RuntimeException | IOException e) {
                ch.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UsageException(file + ": permission denied");
        } catch (IOException e) {
            throw new EnvironmentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a capture from a stream (stdin: "-"); the format is sniffed from its first bytes. */
    public static CaptureFileReader open(java.io.InputStream in, String name, Role role, Direction dir,
                                         boolean mattersOnly) {
        try {
            return new CaptureFileReader(name, Channels.newChannel(in), role, dir, mattersOnly, 0);
        } catch (IOException e) {
            throw new EnvironmentException(name + ": " + e.getMessage(), e);
        }
    }

    /** The next frame, or null at the end of the file. The frame's bytes are its own. */
    public Frame next() {
        try {
            return pcapng ? nextPcapng() : nextPcap();
        } catch (IOException e) {
            throw new EnvironmentException(name + ": read error: " + e.getMessage(), e);
        }
    }

    /**
     * The file ends inside a record: what was complete has been read, the rest cannot be. Remembered and said
     * (truncation()), never an error: a capture cut short is the most common damaged capture.
     */
    private Frame cutShort(long at, String what) {
        truncation = name + ": cut short at byte offset " + at + ", inside " + what + " (the program writing it was "
                + "stopped, or the disk was full): the " + frames + " frames before it were read";
        return null;
    }

    /** Where and why reading stopped early (a file cut short), or null when it was read to its end. */
    public String truncation() {
        return truncation;
    }

    /** What else a reader of the file should know (an older format read as libpcap reads it). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** The comments of the section headers read so far (pcapng only), with the offsets of their blocks. */
    public List<SectionComment> sectionComments() {
        return List.copyOf(sectionComments);
    }

    /** How many frames each point had (all of them, those skipped included). */
    public Map<CapturePoint, Long> counts() {
        Map<CapturePoint, Long> m = new LinkedHashMap<>();
        counts.forEach((p, n) -> m.put(p, n[0]));
        return m;
    }

    public String name() {
        return name;
    }

    /** The capture points the file described so far (all of them, once every frame was read). */
    public List<CapturePoint> points() {
        List<CapturePoint> l = new ArrayList<>();
        for (Iface i : ifaces) {
            if (i.point != null && !l.contains(i.point)) {
                l.add(i.point);
            }
        }
        return l;
    }

    public long framesRead() {
        return frames;
    }

    private void readPcapHeader(int magicBe) throws IOException {
        int tsresol;
        switch (magicBe) {
            case 0xa1b2c3d4 -> { order = ByteOrder.BIG_ENDIAN; tsresol = 6; }
            case 0xd4c3b2a1 -> { order = ByteOrder.LITTLE_ENDIAN; tsresol = 6; }
            case 0xa1b23c4d -> { order = ByteOrder.BIG_ENDIAN; tsresol = 9; }
            case 0x4d3cb2a1 -> { order = ByteOrder.LITTLE_ENDIAN; tsresol = 9; }
            default -> throw new CaptureFormatException(name, 0, "not a pcap or pcapng file (unknown magic 0x"
                    + Integer.toHexString(magicBe) + ")");
        }
        if (!ensure(24)) {
            throw new CaptureFormatException(name, offset(), "truncated pcap file header");
        }
        buf.order(order);
        int p = buf.position();
        int major = buf.getShort(p + 4) & 0xffff;
        int minor = buf.getShort(p + 6) & 0xffff;
        if (major < 2) {
            throw new CaptureFormatException(name, 4, "archaic pcap format " + major + "." + minor
                    + " (2.4 expected)");
        }
        if (major != 2 || minor > 4) {
            throw new CaptureFormatException(name, 4, "unsupported pcap format version " + major + "." + minor
                    + " (2.4 expected)");
        }
        if (minor < 4) {
            oldPcap = true;
            notes.add(name + ": pcap format 2." + minor + " (older than 2.4): read as libpcap reads it");
        }
        // The upper bits say whether frames end in their FCS, and how long it is: not the link type.
        snaplen = buf.getInt(p + 16);
        int linkType = buf.getInt(p + 20) & 0x03ffffff;
        buf.position(p + 24);
        checkLinkType(linkType, 0);
        ifaces.add(new Iface(given == null ? null : CapturePoint.of(given, fileStem), tsresol));
    }

    /** Whether unrelated records are passed over in one loop (classic pcap, frames that matter only). */
    private boolean fastPath() {
        return !pcapng && mattersOnly && !oldPcap && ifaces.get(0).point != null;
    }

    private Frame nextPcap() throws IOException {
        boolean fast = fastPath();
        while (true) {
            if (atSecondHalf()) {
                meetSecondHalf();
            }
            if (handover != null) {
                SecondHalf.Stop st = handover.next();
                if (!handover.hasNext()) {
                    handover = null;
                }
                frames += st.skipped();
                count(ifaces.get(0))[0] += st.skipped();
                seek(st.offset());
                if (handover != null) {
                    // A record that matters, and then the next one the other half found.
                    Frame f = nextPcapRecord();
                    if (f != SKIPPED) {
                        return f;
                    }
                    continue;
                }
            }
            if (fast) {
                skipUnrelated(ifaces.get(0));
                if (atSecondHalf()) {
                    continue;
                }
            }
            Frame f = nextPcapRecord();
            if (f != SKIPPED) {
                return f;
            }
        }
    }

    /**
     * Passes over the whole records in the buffer that cannot matter, counting them: the record header and a few
     * bytes of the frame looked at in the array itself, in one loop. This is analyze's loop on captures of
     * millions of unrelated frames. It stops at the first record that matters, that is not whole in the buffer or
     * that is odd (nextPcapRecord then reads, checks and decodes it as always).
     */
    private void skipUnrelated(Iface i) {
        int p = buf.position();
        // Not past where the second half began: this reader must arrive there exactly, record by record.
        long half = second == null ? -1 : second.start();
        int end = half >= bufStart && half - bufStart < buf.limit() ? (int) (half - bufStart) : buf.limit();
        long[] n = new long[1];
        p = skipRun(buf, p, end, order == ByteOrder.LITTLE_ENDIAN, n);
        buf.position(p);
        frames += n[0];
        count(i)[0] += n[0];
    }

    /**
     * The loop itself, on the buffer: from `from`, passes over whole records that cannot matter, up to `end`; returns
     * where it stopped (a record that matters, an odd one, one not whole before end), their number in n[0].
     */
    static int skipRun(ByteBuffer a, int from, int end, boolean le, long[] n) {
        int p = from;
        long k = 0;
        while (end - p >= 16) {
            int incl = recordLength(a, p, le);
            if (incl < 0 || incl > MAX_BLOCK || end - p - 16 < incl || FrameDecoder.matters(a, p + 16, incl)) {
                break;
            }
            p += 16 + incl;
            k++;
        }
        n[0] = k;
        return p;
    }

    /** A pcap record header's captured length. */
    static int recordLength(ByteBuffer a, int p, boolean le) {
        return int32(a, p + 8, le);
    }

    /** The 32-bit number at h, little-endian or not, whatever the buffer's own order is at the moment. */
    static int int32(ByteBuffer a, int h, boolean le) {
        int v = a.getInt(h);
        return (a.order() == ByteOrder.LITTLE_ENDIAN) == le ? v : Integer.reverseBytes(v);
    }

    private long[] count(Iface i) {
        if (i.count == null) {
            i.count = counts.computeIfAbsent(i.point, k -> new long[1]);
        }
        return i.count;
    }

    /** A frame that was counted and skipped (mattersOnly). */
    private static final Frame SKIPPED = new Frame(null, Direction.UNKNOWN, 0, 0, 0, io.macvlandoctor.model.FrameKind.OTHER,
            null, null, 0, 0, 0, 0, 0, new byte[0], 0);

    private boolean atSecondHalf() {
        return second != null && second.start() >= 0 && offset() >= second.start();
    }

    /**
     * This reader has come to where the second half began: when that is exactly where a record begins, what the
     * other core found there is taken as this reader's own; else it goes on alone.
     */
    private void meetSecondHalf() {
        SecondHalf h = second;
        second = null;
        try {
            if (h.awaitStart() == offset()) {
                handover = h.stops().iterator();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        h.cancel();
    }

    private void seek(long off) throws IOException {
        if (off >= bufStart && off <= bufStart + buf.limit()) {
            buf.position((int) (off - bufStart));
            return;
        }
        ((FileChannel) ch).position(off);
        bufStart = off;
        buf.clear();
        buf.limit(0);
    }

    private Frame nextPcapRecord() throws IOException {
        long at = offset();
        if (truncation != null) {
            return null;
        }
        if (!ensure(16)) {
            if (buf.hasRemaining()) {
                return cutShort(at, "a record header");
            }
            return null;
        }
        int p = buf.position();
        long sec = buf.getInt(p) & 0xffffffffL;
        long frac = buf.getInt(p + 4) & 0xffffffffL;
        int incl = buf.getInt(p + 8);
        int orig = buf.getInt(p + 12);
        if (oldPcap && incl > orig && Integer.compareUnsigned(orig, MAX_BLOCK) <= 0) {
            int t = incl;
            incl = orig;
            orig = t;
        }
        if (incl < 0 || incl > MAX_BLOCK) {
            throw new CaptureFormatException(name, at, "impossible record length " + Integer.toUnsignedString(incl));
        }
        buf.position(p + 16);
        if (!ensure(incl)) {
            return cutShort(at, "a record of " + incl + " bytes");
        }
        Iface i = ifaces.get(0);
        long ns = sec * 1_000_000_000L + i.toNanos(frac);
        Frame f = frame(i, 0, ns, incl, orig, givenDir);
        return f != null ? f : SKIPPED;
    }

    private Frame nextPcapng() throws IOException {
        while (true) {
            long at = offset();
            if (truncation != null) {
                return null;
            }
            if (!ensure(8)) {
                if (buf.hasRemaining()) {
                    return cutShort(at, "a block header");
                }
                return null;
            }
            int p = buf.position();
            int typeBe = buf.order(ByteOrder.BIG_ENDIAN).getInt(p);
            if (typeBe == Pcapng.SHB) {
                readShb(at);
                continue;
            }
            if (order == null) {
                throw new CaptureFormatException(name, at, "block before the section header");
            }
            buf.order(order);
            int type = buf.getInt(p);
            int len = buf.getInt(p + 4);
            if (len < 12 || len % 4 != 0 || len > MAX_BLOCK) {
                throw new CaptureFormatException(name, at, "invalid block length " + Integer.toUnsignedString(len));
            }
            if (!ensure(len)) {
                return cutShort(at, "a block of " + len + " bytes");
            }
            p = buf.position(); // ensure() may have moved the bytes to the start of the buffer
            if (buf.getInt(p + len - 4) != len) {
                throw new CaptureFormatException(name, at, "block length mismatch (type " + type + ")");
            }
            Frame f = switch (type) {
                case Pcapng.IDB -> {
                    readIdb(p, len, at);
                    yield null;
                }
                case Pcapng.EPB -> readEpb(p, len, at);
                case Pcapng.SPB -> readSpb(p, len, at);
                default -> null; // statistics, name resolution, custom...: not needed
            };
            buf.position(p + len);
            if (f != null) {
                return f;
            }
        }
    }

    private void readShb(long at) throws IOException {
        if (!ensure(12)) {
            throw new CaptureFormatException(name, at, "truncated section header");
        }
        int p = buf.position();
        int magic = buf.order(ByteOrder.BIG_ENDIAN).getInt(p + 8);
        if (magic == Pcapng.BYTE_ORDER_MAGIC) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (magic == Integer.reverseBytes(Pcapng.BYTE_ORDER_MAGIC)) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            throw new CaptureFormatException(name, at, "bad byte-order magic in the section header");
        }
        int len = buf.order(order).getInt(p + 4);
        if (len < 28 || len % 4 != 0 || len > MAX_BLOCK) {
            throw new CaptureFormatException(name, at, "invalid section header length " + len);
        }
        if (!ensure(len)) {
            cutShort(at, "a section header");
            return;
        }
        p = buf.position(); // ensure() may have moved the bytes to the start of the buffer
        int major = buf.getShort(p + 12) & 0xffff;
        int minor = buf.getShort(p + 14) & 0xffff;
        if (major != 1 || minor != 0) {
            throw new CaptureFormatException(name, at + 12, "unsupported pcapng version " + major + "." + minor
                    + " (1.0 expected)");
        }
        ifaces.clear(); // interface ids are per section
        options(p + 24, p + len - 4, at, (code, off, olen) -> {
            if (code == Pcapng.OPT_COMMENT) {
                commentBytes += olen;
                if (commentBytes > MAX_COMMENTS) {
                    throw new CaptureFormatException(name, at, "section comments larger than "
                            + (MAX_COMMENTS >> 20) + " MiB in all");
                }
                sectionComments.add(new SectionComment(string(off, olen), at));
            }
        });
        buf.position(buf.position() + len);
    }

    private void readIdb(int p, int len, long at) {
        if (len < 20) {
            throw new CaptureFormatException(name, at, "interface block too short");
        }
        int linkType = buf.getShort(p + 8) & 0xffff;
        String[] texts = new String[2];
        int[] tsresol = {6};
        options(p + 16, p + len - 4, at, (code, off, olen) -> {
            if (code == Pcapng.IF_TSRESOL && olen >= 1) {
                tsresol[0] = buf.get(off) & 0xff;
            } else if (code == Pcapng.IF_NAME) {
                texts[0] = string(off, olen);
            } else if (code == Pcapng.IF_DESCRIPTION) {
                texts[1] = string(off, olen);
            }
        });
        String ifName = texts[0];
        String desc = texts[1];
        checkLinkType(linkType, at);
        CapturePoint point = given != null ? CapturePoint.of(given, ifName != null ? ifName : fileStem)
                : pointFromInterface(ifName, desc);
        ifaces.add(new Iface(point, tsresol[0]));
    }

    /** Our export names interfaces "host:ens33" and starts each description with the role ("parent: ..."). */
    private static CapturePoint pointFromInterface(String ifName, String desc) {
        if (ifName == null || desc == null) {
            return null;
        }
        int colon = desc.indexOf(':');
        Role role = colon < 0 ? null : Role.fromId(desc.substring(0, colon));
        return role == null ? null : new CapturePoint(role, ifName);
    }

    private Frame readEpb(int p, int len, long at) {
        if (len < 32) {
            throw new CaptureFormatException(name, at, "packet block too short");
        }
        int id = buf.getInt(p + 8);
        long ts = ((buf.getInt(p + 12) & 0xffffffffL) << 32) | (buf.getInt(p + 16) & 0xffffffffL);
        int incl = buf.getInt(p + 20);
        int orig = buf.getInt(p + 24);
        int dataEnd = p + 28 + ((incl + 3) & ~3);
        if (incl < 0 || dataEnd > p + len - 4) {
            throw new CaptureFormatException(name, at, "packet length " + Integer.toUnsignedString(incl)
                    + " larger than its block");
        }
        Iface i = iface(id, at);
        Direction[] dir = {givenDir};
        options(dataEnd, p + len - 4, at, (code, off, olen) -> {
            if (code == Pcapng.EPB_FLAGS && olen == 4) {
                int flags = buf.getInt(off) & 3;
                dir[0] = flags == Pcapng.FLAG_INBOUND ? Direction.IN : flags == Pcapng.FLAG_OUTBOUND ? Direction.OUT
                        : dir[0];
            }
        });
        buf.position(p + 28);
        return frame(i, id, i.toNanos(ts), incl, orig, dir[0]);
    }

    private interface OptionVisitor {
        void option(int code, int offset, int length);
    }

    /** Walks a pcapng option list in [start, end): code, length, value padded to 32 bits, until opt_endofopt. */
    private void options(int start, int end, long at, OptionVisitor v) {
        int o = start;
        while (o + 4 <= end) {
            int code = buf.getShort(o) & 0xffff;
            int olen = buf.getShort(o + 2) & 0xffff;
            if (code == Pcapng.OPT_ENDOFOPT) {
                return;
            }
            if (o + 4 + olen > end) {
                throw new CaptureFormatException(name, at, "option " + code + " runs past its block");
            }
            v.option(code, o + 4, olen);
            o += 4 + ((olen + 3) & ~3);
        }
    }

    private Frame readSpb(int p, int len, long at) {
        Iface i = iface(0, at);
        int orig = buf.getInt(p + 8);
        int incl = Math.min(orig, len - 16);
        if (incl < 0) {
            throw new CaptureFormatException(name, at, "invalid simple packet block");
        }
        buf.position(p + 12);
        return frame(i, 0, 0, incl, orig, givenDir);
    }

    private Iface iface(int id, long at) {
        if (id < 0 || id >= ifaces.size()) {
            throw new CaptureFormatException(name, at, "packet for interface " + id + ", which was not described");
        }
        return ifaces.get(id);
    }

    /**
     * Decodes the frame at the buffer's position and advances past it; with mattersOnly, a frame that cannot matter
     * is only counted (null).
     */
    private Frame frame(Iface i, int id, long ns, int incl, int orig, Direction dir) {
        if (i.point == null) {
            throw new UsageException(name + ": interface " + id + " does not say which capture point it is; "
                    + "give a role: --capture ROLE=" + name);
        }
        int p = buf.position();
        buf.position(p + incl);
        frames++;
        count(i)[0]++;
        if (mattersOnly && !FrameDecoder.matters(buf, p, incl)) {
            return null;
        }
        byte[] raw = new byte[incl];
        buf.get(p, raw);
        return FrameDecoder.decode(i.point, dir, ns, raw, orig < incl ? incl : orig);
    }

    private void checkLinkType(int linkType, long at) {
        if (linkType != LINKTYPE_ETHERNET) {
            throw new CaptureFormatException(name, at, "link type " + linkType + " is not Ethernet (capture on the "
                    + "interface itself, not on 'any')");
        }
    }

    private String string(int off, int len) {
        byte[] b = new byte[len];
        buf.get(off, b, 0, len);
        int n = len;
        while (n > 0 && b[n - 1] == 0) {
            n--;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private long offset() {
        return bufStart + buf.position();
    }

    /** Makes n bytes available from the current position; false at end of file. */
    private boolean ensure(int n) throws IOException {
        if (buf.remaining() >= n) {
            return true;
        }
        bufStart += buf.position();
        buf.compact();
        while (buf.position() < n) {
            int r = ch.read(buf);
            if (r < 0) {
                break;
            }
        }
        buf.flip();
        return buf.remaining() >= n;
    }

    @Override
    public void close() {
        if (second != null) {
            second.cancel();
        }
        try {
            ch.close();
        } catch (IOException e) {
            // Read-only: nothing to lose.
        }
    }
}
