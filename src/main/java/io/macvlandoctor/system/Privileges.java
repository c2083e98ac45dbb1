package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the effective capabilities before anything is attempted, so that a user gets one clear line. */
public final class Privileges {
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_NET_RAW = 13;
    private static final int CAP_SYS_ADMIN = 21;

    private Privileges() {
    }

    /** Changing links and routes, entering namespaces and capturing need CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_ADMIN. */
    public static void requireNetworkAdmin(String what) {
        long caps = effectiveCapabilities();
        if (!has(caps, CAP_NET_ADMIN) || !has(caps, CAP_NET_RAW) || !has(caps, CAP_SYS_ADMIN)) {
            throw new EnvironmentException(what + " needs root (CAP_NET_ADMIN, CAP_NET_RAW and CAP_SYS_ADMIN): "
                    + "run it with sudo");
        }
    }

    private static boolean has(long caps, int cap) {
        return (caps & (1L << cap)) != 0;
    }

    static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or /proc not mounted: say so through the missing capabilities.
        }
        return 0;
    }
}
