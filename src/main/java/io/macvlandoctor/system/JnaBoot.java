package io.macvlandoctor.system;

import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * JNA's native part, unpacked once into the launcher's start-up cache (-Dmvd.cache) and loaded from there. Left
 * alone, JNA unpacks it from the jar into a temporary file on every run: 20-30 ms of each verify, and a file
 * written under the user's home. The copy is named after the jar's time, so a new jar brings its own; whatever
 * fails leaves JNA to its own way.
 */
public final class JnaBoot {
    private static final String BOOT_PATH = "jna.boot.library.path";

    private JnaBoot() {
    }

    /** Before anything touches JNA. */
    public static void prepare() {
        String cache = System.getProperty("mvd.cache");
        if (cache == null || cache.isEmpty() || System.getProperty(BOOT_PATH) != null) {
            return;
        }
        try {
            Path jar = Path.of(JnaBoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return;
            }
            String name = System.mapLibraryName("jnidispatch");
            Path dir = Path.of(cache, "jna-" + Files.getLastModifiedTime(jar).toMillis());
            if (!Files.exists(dir.resolve(name)) && !unpack(dir, name)) {
                return;
            }
            System.setProperty(BOOT_PATH, dir.toString());
        } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
            // JNA unpacks it itself, as it always has.
        }
    }

    /**
     * Loads JNA and libc on a thread of their own (a probing run needs them once its command line is parsed,
     * which takes the main thread as long): the second core does it meanwhile. (The two on two threads of their own
     * were no faster: until the probes, a run keeps both cores busy.)
     */
    public static void warmUp(Runnable more) {
        Thread t = new Thread(() -> {
            try {
                // Before JNA's first structure.
                com.sun.jna.FieldOrderPreset.apply();
                LibC.load();
                more.run();
            } catch (RuntimeException | LinkageError e) {
                // The run itself meets it again, and says so.
            }
        }, "warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Into a directory of its own, atomically; the copies of older jars go. */
    private static boolean unpack(Path dir, String name) throws IOException {
        if (!Files.isWritable(dir.getParent())) {
            return false;
        }
        try (InputStream in = JnaBoot.class.getResourceAsStream("/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/"
                + name)) {
            if (in == null) {
                return false;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir.getParent(), "jna-*")) {
            for (Path p : old) {
                if (!p.equals(dir)) {
                    removeOld(p);
                }
            }
        }
        return true;
    }

    private static void removeOld(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
