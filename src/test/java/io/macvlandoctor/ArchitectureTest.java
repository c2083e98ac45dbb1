package io.macvlandoctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rooms of docs/design.md and which may use which: data flows one way, the analysis core does no I/O, only system and
 * capture touch JNA and pcap4j, system imports nothing above it, cli -> shell is the only direction between them.
 */
class ArchitectureTest {
    static final Path ROOT = Path.of("src/main/java/io/macvlandoctor");

    /** Packages each package must not import. */
    static final Map<String, Set<String>> FORBIDDEN = Map.ofEntries(
            Map.entry("model", Set.of("analysis", "capture", "cli", "docker", "engine", "export", "lab", "probe",
                    "report", "shell", "system", "target", "json")),
            Map.entry("json", Set.of("analysis", "capture", "cli", "docker", "engine", "export", "lab", "probe",
                    "report", "shell", "system", "target", "model")),
            Map.entry("analysis", Set.of("capture", "cli", "docker", "engine", "export", "lab", "probe", "report",
                    "shell", "system", "target", "rules")),
            Map.entry("rules", Set.of("capture", "cli", "docker", "engine", "export", "lab", "probe", "report",
                    "shell", "system", "target", "json")),
            Map.entry("system", Set.of("analysis", "capture", "cli", "docker", "engine", "export", "lab", "probe",
                    "report", "shell", "target", "rules")),
            Map.entry("capture", Set.of("analysis", "cli", "docker", "engine", "export", "lab", "probe", "report",
                    "shell", "target")),
            Map.entry("probe", Set.of("analysis", "cli", "docker", "engine", "export", "lab", "report", "shell",
                    "target")),
            Map.entry("report", Set.of("capture", "cli", "docker", "engine", "lab", "probe", "shell", "system",
                    "target")),
            Map.entry("export", Set.of("capture", "cli", "docker", "engine", "lab", "probe", "shell", "system",
                    "target")),
            Map.entry("lab", Set.of("analysis", "cli", "engine", "shell", "target", "capture", "probe")),
            Map.entry("docker", Set.of("analysis", "cli", "engine", "shell", "target", "lab", "system", "capture")),
            Map.entry("target", Set.of("analysis", "cli", "engine", "shell", "capture", "probe", "report", "export")),
            Map.entry("engine", Set.of("cli", "shell")),
            Map.entry("shell", Set.of("cli", "capture", "system", "analysis", "probe", "export", "target")));

    static List<String> imports(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith("import ")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> sources(String pkg) throws IOException {
        try (Stream<Path> s = Files.walk(ROOT.resolve(pkg))) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void eachPackageImportsOnlyWhatIsBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : FORBIDDEN.entrySet()) {
            for (Path f : sources(e.getKey())) {
                String text = Files.readString(f);
                for (String other : e.getValue()) {
                    if (text.contains("io.macvlandoctor." + other + ".")) {
                        violations.add(ROOT.relativize(f) + " uses " + other);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void onlySystemAndCaptureTouchNativeCode() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> s = Files.walk(ROOT)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = ROOT.relativize(f).getName(0).toString();
                if (pkg.equals("system") || pkg.equals("capture")) {
                    continue;
                }
                for (String i : imports(f)) {
                    if (i.contains("com.sun.jna") || i.contains("org.pcap4j")) {
                        violations.add(ROOT.relativize(f) + ": " + i);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    /** The classes in the libraries' own packages (docs/design.md) are the libraries' business alone. */
    @Test
    void theClassesInTheLibrariesPackagesUseNothingOfTheProjects() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("src/main/java/com/sun/jna", "src/main/java/org/pcap4j/core")) {
            try (Stream<Path> s = Files.walk(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        assertThat(files).as("FieldOrderPreset and LiveHandle").hasSize(2);
        for (Path f : files) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContain("io.macvlandoctor");
        }
    }

    /**
     * The pure core: the judge, the rules and the changes as values do no I/O and read no clock (a change's effects
     * go through the Host it is given).
     */
    @Test
    void theShellNeverUsesMainAndThePureCoreDoesNoIoAndReadsNoClock() throws IOException {
        for (Path f : sources("shell")) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContain("io.macvlandoctor.Main");
        }
        for (String pkg : List.of("analysis", "rules", "model/change")) {
            for (Path f : sources(pkg)) {
                for (String i : imports(f)) {
                    assertThat(i).as(f.toString()).doesNotContain("java.nio.file").doesNotContain("java.io.File")
                            .doesNotContain("java.net").doesNotContain("java.time.Clock");
                }
                String text = Files.readString(f);
                assertThat(text).as(f + " reads no clock").doesNotContain("System.currentTimeMillis")
                        .doesNotContain("System.nanoTime").doesNotContain("Instant.now");
            }
        }
    }
}
