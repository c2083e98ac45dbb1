package io.macvlandoctor.capture;

import io.macvlandoctor.EnvironmentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.LiveHandle;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Names libpcap for pcap4j before pcap4j loads it. Debian's libpcap0.8 has no libpcap.so symlink, so the name is
 * set explicitly (the launcher does it too); without any libpcap the user gets one clear line and exit 3.
 */
public final class Libpcap {
    static final String PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final List<String> DIRS = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib");
    private static volatile boolean ready;

    private Libpcap() {
    }

    public static synchronized void ensureAvailable() {
        if (ready) {
            return;
        }
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank() || (name.startsWith("/") && !Files.exists(Path.of(name)))) {
            String found = find();
            if (found == null) {
                throw new EnvironmentException("libpcap not found: install it (apt-get install libpcap0.8)");
            }
            System.setProperty(PROPERTY, found);
        }
        try {
            org.pcap4j.core.Pcaps.libVersion();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new EnvironmentException("libpcap could not be loaded (" + System.getProperty(PROPERTY) + "): "
                    + e.getMessage() + "; install it with apt-get install libpcap0.8");
        }
        ready = true;
    }

    /**
     * Loads libpcap, then takes pcap4j once through what opening a live handle does (LiveHandle's bindings, the
     * handle's and the filter's classes) on a handle of no interface: nothing is opened in the kernel. A run opens
     * its handles at once, each on a thread of its own, and each would wait for the first to do it.
     */
    public static void warmUp() {
        ensureAvailable();
        LiveHandle.bind();
        try (PcapHandle h = Pcaps.openDead(DataLinkType.EN10MB, 65535)) {
            h.compileFilter("arp", BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN).free();
        } catch (PcapNativeException | NotOpenException e) {
            // Only time is lost: the run opens its handles all the same, and says what fails there.
        }
    }

    private static String find() {
        for (String dir : DIRS) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                String best = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("libpcap.so"))
                        .sorted().reduce((a, b) -> b).orElse(null);
                if (best != null) {
                    return d.resolve(best).toString();
                }
            } catch (IOException e) {
                // Unreadable directory: try the next one.
            }
        }
        return null;
    }
}
