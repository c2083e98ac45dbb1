package io.macvlandoctor.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where tracefs is mounted in our mount namespace. */
final class Tracefs {
    private Tracefs() {
    }

    /** Every tracefs mount point of /proc/self/mountinfo, in its order. */
    static List<String> mountPoints() {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
                int dash = line.indexOf(" - ");
                String[] head = line.split(" ");
                if (dash > 0 && head.length > 4 && line.substring(dash + 3).startsWith("tracefs ")) {
                    out.add(unescape(head[4]));
                }
            }
        } catch (IOException e) {
            // No mountinfo: nothing known to be mounted.
        }
        return out;
    }

    /** mountinfo writes spaces, tabs, newlines and backslashes as octal escapes (\040). */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() + 0 && s.substring(i + 1, Math.min(s.length(), i + 4)).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
