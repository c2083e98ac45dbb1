package io.macvlandoctor.system;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds programs on the PATH, as a shell's `command -v` would, without a shell. */
public final class Programs {
    private Programs() {
    }

    public static boolean onPath(String name) {
        return find(name) != null;
    }

    /** The program's absolute path (symbolic links resolved), or null. */
    public static Path find(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                try {
                    return p.toRealPath();
                } catch (java.io.IOException e) {
                    return p.toAbsolutePath();
                }
            }
        }
        return null;
    }
}
