package io.macvlandoctor.system;

import io.macvlandoctor.EnvironmentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The file operations of the boot-time configuration (setup --persist), each a one-line error when it fails.
 * Nothing is written through a symbolic link. The journal writes and removes; planning reads.
 */
public final class ConfigFiles {
    private static final PosixFilePermission[] BITS = {PosixFilePermission.OTHERS_EXECUTE,
        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private ConfigFiles() {
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(BITS[i]);
            }
        }
        return s;
    }

    static void writeAtomically(Path p, String text, int mode) {
        try {
            if (Files.isSymbolicLink(p)) {
                throw new EnvironmentException(p + " is a symbolic link: not written through");
            }
            Path tmp = p.resolveSibling("." + p.getFileName() + ".mvd-tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, perms(mode));
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EnvironmentException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }

    public static String readOrNull(Path p) {
        try {
            return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p, StandardCharsets.UTF_8)
                    : null;
        } catch (IOException e) {
            throw new EnvironmentException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    public static int mode(Path p) {
        try {
            int m = 0;
            Set<PosixFilePermission> s = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            for (int i = 0; i < BITS.length; i++) {
                if (s.contains(BITS[i])) {
                    m |= 1 << i;
                }
            }
            return m;
        } catch (IOException e) {
            return 0644;
        }
    }

    static boolean delete(Path p) {
        try {
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new EnvironmentException("cannot remove " + p + ": " + e.getMessage(), e);
        }
    }

    static void mkdir(Path p) {
        try {
            Files.createDirectory(p);
        } catch (IOException e) {
            throw new EnvironmentException("cannot create " + p + ": " + e.getMessage(), e);
        }
    }

    static boolean rmdirIfEmpty(Path p) {
        try {
            Files.delete(p);
            return true;
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new EnvironmentException("cannot remove " + p + ": " + e.getMessage(), e);
        }
    }

    static void symlink(Path p, String target) {
        try {
            Files.createSymbolicLink(p, Path.of(target));
        } catch (IOException e) {
            throw new EnvironmentException("cannot create the link " + p + ": " + e.getMessage(), e);
        }
    }

    public static String readLink(Path p) {
        try {
            return Files.isSymbolicLink(p) ? Files.readSymbolicLink(p).toString() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
