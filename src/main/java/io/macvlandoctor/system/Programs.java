package io.macvlandoctor.system;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds programs on the PATH, as a shell's `command -v` would, without a shell. */
public final class Programs {
    private Programs() {
    }

    public static boolean onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
