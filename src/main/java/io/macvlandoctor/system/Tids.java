package io.macvlandoctor.system;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel's ids of this process's threads. The kernel's trace events name the task they ran for: those of our
 * probe threads are ours; another process's (a second run on the same machine) are not, even with the same
 * addresses. Threads that end before the trace is read are remembered as they start.
 */
public final class Tids {
    private static final Set<Integer> SEEN = ConcurrentHashMap.newKeySet();

    private Tids() {
    }

    /** Remembers the calling thread's id (cheap: one readlink). */
    public static void remember() {
        try {
            // /proc/thread-self -> "PID/task/TID"
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            SEEN.add(Integer.parseInt(link.substring(link.lastIndexOf('/') + 1)));
        } catch (IOException | RuntimeException e) {
            // No procfs: events are then matched on addresses and time alone.
        }
    }

    /** The ids of the threads alive now and those remembered. */
    public static Set<Integer> all() {
        Set<Integer> s = new HashSet<>(SEEN);
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path p : d) {
                s.add(Integer.parseInt(p.getFileName().toString()));
            }
        } catch (IOException | RuntimeException e) {
            // As above.
        }
        return s;
    }
}
