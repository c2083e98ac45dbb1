package io.macvlandoctor.model;

/**
 * What the probing sockets saw of one family's echoes, beyond the frames. Frames prove the path; the sockets
 * corroborate: a reply captured at an interface and never delivered to the socket was dropped by the kernel in
 * between (netfilter, rp_filter), unless the socket's own queue dropped it. Unknown offline.
 */
public record ProbeOutcome(Socket host, Socket container) {
    /**
     * @param gotReply null when not known (offline) or not probed
     * @param drops what the socket's receive queue dropped during the probe (overflow), -1 when not known
     * @param sendError why the kernel refused to send ("no route"), null when it sent
     * @param gaveUpNs when the socket stopped waiting (epoch nanoseconds, as capture times), 0 when not known: a
     *     reply captured after that came too late, it was not dropped
     */
    public record Socket(Boolean gotReply, long drops, String sendError, long gaveUpNs) {
        public static final Socket UNKNOWN = new Socket(null, -1, null, 0);

        public Socket(Boolean gotReply, long drops, String sendError) {
            this(gotReply, drops, sendError, 0);
        }

        public static Socket of(boolean gotReply) {
            return new Socket(gotReply, 0, null);
        }

        public boolean known() {
            return gotReply != null;
        }
    }

    public static final ProbeOutcome UNKNOWN = new ProbeOutcome(Socket.UNKNOWN, Socket.UNKNOWN);
}
