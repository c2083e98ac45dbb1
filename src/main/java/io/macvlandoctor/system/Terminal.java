package io.macvlandoctor.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the standard streams are terminals, read off /proc/self/fd (a terminal is a /dev/pts/N or /dev/ttyN).
 * System.console() cannot tell: from JDK 22 on it returns a console when the streams are redirected too; and
 * asking libc would load JNA in commands that need nothing native.
 */
public final class Terminal {
    private Terminal() {
    }

    public static boolean stdin() {
        return tty(0);
    }

    public static boolean stdout() {
        return tty(1);
    }

    private static boolean tty(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.matches("/dev/tty[0-9]*") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
