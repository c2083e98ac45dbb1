package io.macvlandoctor.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The second half of a big classic pcap file, passed over on the other core while the reader does the first: the
 * records that cannot matter are counted, and where the reader's own loop would stop (a record that matters, an
 * odd one, the end) is noted. Its start is found by looking for a run of plausible record headers past the middle;
 * the reader uses the result only if its own walk, record by record, arrives exactly there, so a wrong guess
 * costs the time and nothing else.
 */
final class SecondHalf {
    /** Below this, one core is quick enough that a thread is not worth starting. */
    static final long MIN_FILE_BYTES = 64L << 20;
    /** Headers in a row that must look like records before a start is believed. */
    private static final int RUN = 16;
    /** Records that matter before it gives the rest back to the reader (a capture full of them gains nothing). */
    private static final int MAX_STOPS = 65_536;

    /** Skipped records passed before a stop, and the offset of the record there (that the reader reads). */
    record Stop(long skipped, long offset) {
    }

    private final Thread thread;
    private final boolean le;
    private final int snaplen;
    private volatile boolean cancelled;
    /** Where it started (a record boundary, it believes), or -1 while not known. */
    private volatile long start = -1;
    private final List<Stop> stops = new ArrayList<>();
    private IOException failure;

    private SecondHalf(Path file, long size, ByteOrder order, int snaplen) {
        this.le = order == ByteOrder.LITTLE_ENDIAN;
        this.snaplen = snaplen;
        thread = new Thread(() -> scan(file, size), "second-half");
        thread.setDaemon(true);
    }

    static SecondHalf start(Path file, long size, ByteOrder order, int snaplen) {
        SecondHalf h = new SecondHalf(file, size, order, snaplen);
        h.thread.start();
        return h;
    }

    /** Where it started, -1 while not known (yet). */
    long start() {
        return start;
    }

    /**
     * Waits for the whole half; then where the reader must have arrived for the result to be its, -1 when there is
     * none (no start found, or a read failed).
     */
    long awaitStart() throws InterruptedException {
        thread.join();
        return failure == null ? start : -1;
    }

    /** In order, the last one where the reader goes on by itself (it reads that record and what follows). */
    List<Stop> stops() {
        return stops;
    }

    void cancel() {
        cancelled = true;
    }

    private void scan(Path file, long size) {
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = CaptureFileReader.buffer(size);
            long at = size / 2;
            fill(fc, buf, at);
            int p = syncPoint(buf, buf.limit());
            if (p < 0) {
                return;
            }
            at += p;
            start = at;
            long skipped = 0;
            int q = 0;
            fill(fc, buf, at);
            while (!cancelled) {
                ByteBuffer a = buf;
                int end = buf.limit();
                boolean eof = end < a.capacity();
                long[] n = new long[1];
                q = CaptureFileReader.skipRun(a, q, end, le, n);
                skipped += n[0];
                long here = at + q;
                int len = end - q >= 16 ? CaptureFileReader.recordLength(a, q, le) : -1;
                boolean sane = len >= 0 && len <= CaptureFileReader.MAX_BLOCK;
                boolean whole = sane && end - q - 16 >= len;
                if (whole && stops.size() < MAX_STOPS - 1) {
                    // A record that matters: the reader reads it, then comes back for the next stop.
                    stops.add(new Stop(skipped, here));
                    skipped = 0;
                    q += 16 + len;
                } else if (whole || eof || q == 0 || end - q >= 16 && !sane) {
                    // The end, an odd record, or enough of them that matter: the reader goes on from here.
                    stops.add(new Stop(skipped, here));
                    return;
                } else {
                    // A record that goes on past the buffer: read again from it.
                    at = here;
                    q = 0;
                    fill(fc, buf, at);
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    private static void fill(FileChannel fc, ByteBuffer buf, long at) throws IOException {
        buf.clear();
        while (buf.hasRemaining()) {
            if (fc.read(buf, at + buf.position()) < 0) {
                break;
            }
        }
        buf.flip();
    }

    /** The first offset in a whose next RUN record headers all look right, or -1. */
    private int syncPoint(ByteBuffer a, int end) {
        for (int p = 0; p + 16 <= end; p++) {
            if (plausibleRun(a, p, end)) {
                return p;
            }
        }
        return -1;
    }

    private boolean plausibleRun(ByteBuffer a, int p, int end) {
        long sec = -1;
        for (int k = 0; k < RUN; k++) {
            if (end - p < 16) {
                return false;
            }
            long s = CaptureFileReader.int32(a, p, le) & 0xffffffffL;
            long frac = CaptureFileReader.int32(a, p + 4, le) & 0xffffffffL;
            int incl = CaptureFileReader.int32(a, p + 8, le);
            int orig = CaptureFileReader.int32(a, p + 12, le);
            if (incl < 14 || incl > snaplen || orig < incl || frac >= 1_000_000_000L
                    || sec >= 0 && Math.abs(s - sec) > 86_400) {
                return false;
            }
            sec = s;
            p += 16 + incl;
        }
        return true;
    }
}
