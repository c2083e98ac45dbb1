package io.macvlandoctor.docker;

import io.macvlandoctor.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * HTTP/1.1 GET requests to the Docker Engine API over its unix socket, answered as parsed JSON: all the tool asks of
 * Docker is to inspect containers and networks. The JDK's unix-domain sockets and the project's JSON reader are
 * enough; a Docker client library would cost every run its classes.
 */
final class EngineApi {
    /** Answers larger than this are refused: a daemon's inspect output is a few kilobytes. */
    private static final int MAX_RESPONSE = 32 << 20;
    private static final long TIMEOUT_MS = 15_000;

    /** A response that is not 2xx: its status and the daemon's message. */
    static final class HttpError extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final Path socket;

    EngineApi(Path socket) {
        this.socket = socket;
    }

    /** GET path (with its query), the JSON body parsed. */
    Object get(String path) throws IOException {
        byte[] raw = exchange(("GET " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: macvlan-doctor\r\n"
                + "Accept: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (end < 0) {
            throw new IOException("the daemon's answer has no end of headers");
        }
        String[] head = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = head[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + head[0]);
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + head[0]);
        }
        boolean chunked = false;
        for (int i = 1; i < head.length; i++) {
            String h = head[i].toLowerCase(Locale.ROOT);
            if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if (chunked) {
            body = dechunk(body);
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (code / 100 != 2) {
            String message = text.strip();
            try {
                Object o = Json.parse(text);
                if (o instanceof java.util.Map<?, ?> m && m.get("message") instanceof String s) {
                    message = s;
                }
            } catch (IllegalArgumentException e) {
                // Not JSON: the text as it came.
            }
            throw new HttpError(code, message);
        }
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("the daemon's answer to " + path + " is not JSON: " + e.getMessage());
        }
    }

    /** Sends the request and reads the whole answer (the daemon closes the connection), within the timeout. */
    private byte[] exchange(byte[] request) throws IOException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector sel = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(request);
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 << 10);
            SelectionKey key = ch.register(sel, SelectionKey.OP_WRITE);
            while (true) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IOException("no answer within " + TIMEOUT_MS / 1000 + " s");
                }
                sel.select(left);
                if (out.hasRemaining()) {
                    ch.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    continue;
                }
                int n = ch.read(buf);
                if (n < 0) {
                    return in.toByteArray();
                }
                in.write(buf.array(), 0, buf.position());
                buf.clear();
                if (in.size() > MAX_RESPONSE) {
                    throw new IOException("the daemon's answer is larger than " + (MAX_RESPONSE >> 20) + " MiB");
                }
            }
        }
    }

    /** The body of a chunked transfer: sizes in hex, each chunk followed by CRLF, ending with a zero size. */
    static byte[] dechunk(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int eol = indexOf(b, i, "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (eol < 0) {
                throw new IOException("a chunk size is cut off");
            }
            String size = new String(b, i, eol - i, StandardCharsets.US_ASCII).split(";", 2)[0].strip();
            int n;
            try {
                n = Integer.parseInt(size, 16);
            } catch (NumberFormatException e) {
                throw new IOException("not a chunk size: " + size);
            }
            if (n == 0) {
                return out.toByteArray();
            }
            if (n < 0 || eol + 2 + n > b.length) {
                throw new IOException("a chunk is cut off");
            }
            out.write(b, eol + 2, n);
            i = eol + 2 + n + 2;
        }
    }

    private static int indexOf(byte[] b, byte[] what) {
        return indexOf(b, 0, what);
    }

    private static int indexOf(byte[] b, int from, byte[] what) {
        outer:
        for (int i = from; i <= b.length - what.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
