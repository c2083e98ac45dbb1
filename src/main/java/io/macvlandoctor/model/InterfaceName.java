package io.macvlandoctor.model;

import io.macvlandoctor.UsageException;

/** Interface names as the kernel accepts them, minus the characters that only cause trouble. */
public final class InterfaceName {
    /** IFNAMSIZ is 16 including the terminating NUL. */
    public static final int MAX_LENGTH = 15;

    private InterfaceName() {
    }

    /**
     * The kernel refuses empty names, ".", "..", longer than 15 bytes, '/', ':' and whitespace. We also refuse
     * shell and quoting characters (';', '$', quotes...) that the kernel would take but no sane host uses.
     */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new UsageException("invalid interface name '': it is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new UsageException("invalid interface name '" + name + "': longer than " + MAX_LENGTH + " characters");
        }
        if (name.equals(".") || name.equals("..") || !name.matches("[A-Za-z0-9._@+-]+")) {
            throw new UsageException("invalid interface name '" + name
                    + "': only letters, digits and . _ - + @ are allowed");
        }
        return name;
    }
}
