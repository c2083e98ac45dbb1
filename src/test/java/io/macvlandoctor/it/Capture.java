package io.macvlandoctor.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Independent captures for cross-checks: tcpdump or dumpcap (through tshark) inside a namespace. */
final class Capture {
    private Capture() {
    }

    static Process tcpdump(String ns, String iface, Path out) throws IOException, InterruptedException {
        // --immediate-mode: otherwise frames wait in a TPACKET_V3 block for up to a second, and a capture stopped
        // sooner has them counted as "received by filter" but never written.
        return start(List.of("nsenter", "--net=/run/netns/" + ns, "tcpdump", "-i", iface, "--immediate-mode", "-U",
                "-n", "-w", out.toString(), "arp or icmp"));
    }

    private static Process start(List<String> argv) throws IOException, InterruptedException {
        File err = File.createTempFile("mvd-tcpdump", ".err");
        err.deleteOnExit();
        Process p = new ProcessBuilder(argv).redirectError(err).start();
        // tcpdump says "listening on ..." once its capture is live: wait for that instead of sleeping blindly.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(err.toPath()).contains("listening on")) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new AssertionError("tcpdump did not start: " + Files.readString(err.toPath()));
            }
            Thread.sleep(20);
        }
        return p;
    }

    /** dumpcap hands captured frames to its file every 100 ms (its update interval): let that happen first. */
    static void stopDumpcap(Process p) throws InterruptedException, IOException {
        Thread.sleep(500);
        stop(p);
    }

    static void stop(Process p) throws InterruptedException, IOException {
        // nsenter execs tcpdump, so this PID is tcpdump's: SIGINT makes it flush and close the file.
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }


    /** tcpdump of one direction only (-Q in|out), as for the parent-in / parent-out roles. */
    static Process tcpdumpDirection(String ns, String iface, String direction, Path out)
            throws IOException, InterruptedException {
        return start(List.of("nsenter", "--net=/run/netns/" + ns, "tcpdump", "-i", iface, "--immediate-mode", "-Q",
                direction, "-U", "-n", "-w", out.toString(), "arp or icmp"));
    }

    /** dumpcap (through tshark) writing pcapng, as Wireshark users capture. */
    static Process dumpcap(String ns, String iface, Path out) throws IOException, InterruptedException {
        File err = File.createTempFile("mvd-dumpcap", ".err");
        err.deleteOnExit();
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns, "tshark", "-i", iface,
                "-f", "arp or icmp", "-w", out.toString()));
        Process p = new ProcessBuilder(argv).redirectError(err).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!Files.readString(err.toPath()).contains("Capturing on")) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new AssertionError("tshark did not start: " + Files.readString(err.toPath()));
            }
            Thread.sleep(20);
        }
        // "Capturing on" comes just before dumpcap's capture is live: give it a moment to open the socket.
        Thread.sleep(300);
        return p;
    }
}
