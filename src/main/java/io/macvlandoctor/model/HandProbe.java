package io.macvlandoctor.model;

/** A probe sent by hand (the shell's `probe`): what is sent, and from which side. */
public final class HandProbe {
    private HandProbe() {
    }

    /** An echo or an address resolution, of either family. */
    public enum Kind {
        ICMP(Family.V4, true), ARP(Family.V4, false), ICMP6(Family.V6, true), NDP(Family.V6, false);

        private final Family family;
        private final boolean echo;

        Kind(Family family, boolean echo) {
            this.family = family;
            this.echo = echo;
        }

        public Family family() {
            return family;
        }

        public boolean echo() {
            return echo;
        }
    }

    /** Who sends it. */
    public enum Side { HOST, CONTAINER }
}
