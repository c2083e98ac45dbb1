package io.macvlandoctor;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven wrote into the jar. */
public final class Version {
    private Version() {
    }

    /** "macvlan-doctor 0.2.0" */
    public static String version() {
        // The jar's manifest, which the JVM has read already; the properties file where there is no jar (tests).
        String v = Version.class.getPackage().getImplementationVersion();
        if (v != null) {
            return "macvlan-doctor " + v;
        }
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/io/macvlandoctor/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // No version file: say so below.
        }
        return "macvlan-doctor " + p.getProperty("version", "unknown");
    }
}
