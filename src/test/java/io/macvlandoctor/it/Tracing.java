package io.macvlandoctor.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What runs of the tool may leave of their tracing: instances and tracefs mounts named after a process. */
final class Tracing {
    private Tracing() {
    }

    /** The trace instances (mvd-PID-RUN) and our tracefs mounts (tracefs-PID-RUN) of processes that ended. */
    static List<String> leftovers() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            if (!line.contains(" - tracefs ")) {
                continue;
            }
            String mount = line.split(" ")[4];
            int at = mount.indexOf("/run/macvlan-doctor/tracefs-");
            if (at >= 0 && dead(mount.substring(mount.lastIndexOf("tracefs-") + "tracefs-".length()))) {
                out.add("mount " + mount);
            }
            Path instances = Path.of(mount, "instances");
            if (Files.isDirectory(instances)) {
                try (Stream<Path> s = Files.list(instances)) {
                    s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("mvd-")
                            && dead(n.substring(4))).forEach(n -> out.add("instance " + instances.resolve(n)));
                }
            }
        }
        return out;
    }

    /** "PID-RUN": whether PID has ended. */
    private static boolean dead(String pidRun) {
        int dash = pidRun.indexOf('-');
        String pid = dash < 0 ? pidRun : pidRun.substring(0, dash);
        return !pid.matches("[0-9]+") || !Files.exists(Path.of("/proc", pid));
    }
}
