package io.macvlandoctor.cli;

import io.macvlandoctor.Version;
import picocli.CommandLine.IVersionProvider;

/** --version: the tool's version and the Java it runs on. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {Version.version(), "Java " + System.getProperty("java.version") + " on "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
