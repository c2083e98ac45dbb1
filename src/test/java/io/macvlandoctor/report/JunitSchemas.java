package io.macvlandoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * xmllint against the JUnit schemas CI systems validate with (../shared/schemas: junit-10.xsd of Jenkins' xUnit
 * plugin, the strict JUnit.xsd), for the unit tests and the integration tests alike.
 */
public final class JunitSchemas {
    static final Path SCHEMAS = Path.of("..", "shared", "schemas");

    private JunitSchemas() {
    }

    /** The schemas are there, or the test is skipped; where a skip would hide a failure (CI), it fails. */
    public static void requireSchemas() {
        if (!Files.isRegularFile(SCHEMAS.resolve("junit-10.xsd"))) {
            if (System.getenv("CI") != null || Boolean.getBoolean("mvd.requireRoot")) {
                throw new AssertionError("the JUnit schemas are missing at " + SCHEMAS.toAbsolutePath());
            }
            Assumptions.assumeTrue(false, "no JUnit schemas at " + SCHEMAS);
        }
    }

    public static void assertValid(Path file) throws IOException, InterruptedException {
        assertValid(Files.readString(file));
    }

    public static void assertValid(String xml) throws IOException, InterruptedException {
        requireSchemas();
        for (String schema : List.of("junit-10.xsd", "JUnit.xsd")) {
            assertThat(xmllint(xml, schema)).as(schema + "\n" + xml).isEqualTo("validates");
        }
    }

    /** "validates", or what xmllint says is wrong. */
    static String xmllint(String xml, String schema) throws IOException, InterruptedException {
        Path f = Files.createTempFile("mvd-junit", ".xml");
        try {
            Files.writeString(f, xml);
            Process p = new ProcessBuilder("xmllint", "--noout", "--schema", SCHEMAS.resolve(schema).toString(),
                    f.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return p.exitValue() == 0 && out.contains(" validates") ? "validates" : out;
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
