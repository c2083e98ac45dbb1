package io.macvlandoctor.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The registry is the one place a check id or cause code is spelled: each has its explanation, its section in the
 * docs and its entry in docs/report.schema.json, and src/main spells it nowhere else.
 */
class RegistryTest {
    static String read(String file) throws IOException {
        return Files.readString(Path.of(file));
    }

    static List<String> headings(String markdown) {
        return markdown.lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3).strip()).toList();
    }

    @SuppressWarnings("unchecked")
    static List<Object> schemaEnum(String def) throws IOException {
        Map<String, Object> s = (Map<String, Object>) Json.parse(read("docs/report.schema.json"));
        Map<String, Object> defs = (Map<String, Object>) s.get("$defs");
        return (List<Object>) ((Map<String, Object>) defs.get(def)).get("enum");
    }

    @Test
    void everyCheckIdHasItsExplanationDocsSectionAndSchemaEntry() throws IOException {
        List<String> sections = headings(read("docs/checks.md"));
        List<String> ids = Arrays.stream(CheckId.values()).map(CheckId::id).toList();
        for (CheckId c : CheckId.values()) {
            assertThat(c.explanation()).as(c.id()).isNotBlank();
            assertThat(sections).as("docs/checks.md has a section for " + c.id()).contains(c.id());
            assertThat(c.docs()).startsWith("docs/checks.md#");
        }
        assertThat(schemaEnum("checkId")).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sections).containsAll(ids);
    }

    @Test
    void everyCauseHasItsExplanationDocsSectionAndSchemaEntry() throws IOException {
        List<String> sections = headings(read("docs/troubleshooting.md"));
        for (Cause c : Cause.values()) {
            assertThat(c.explanation()).as(c.code()).isNotBlank();
            assertThat(sections).as("docs/troubleshooting.md has a section for " + c.code()).contains(c.code());
        }
        assertThat(schemaEnum("cause")).containsExactlyInAnyOrderElementsOf(Arrays.stream(Cause.values())
                .map(Cause::code).toList());
    }

    /** A check's id leads to its code with one grep: the registry is the only place it is spelled. */
    @Test
    void eachIdIsSpelledOnceInTheSources() throws IOException {
        List<String> sources = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                try {
                    sources.add(Files.readString(p));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        List<String> all = new ArrayList<>();
        Arrays.stream(CheckId.values()).forEach(c -> all.add(c.id()));
        Arrays.stream(Cause.values()).forEach(c -> all.add(c.code()));
        for (String id : all) {
            long n = sources.stream().mapToLong(src -> count(src, "\"" + id + "\"")).sum();
            assertThat(n).as("\"" + id + "\" spelled in src/main").isEqualTo(1);
        }
    }

    static long count(String text, String what) {
        long n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void lookupsFindEveryEntry() {
        for (CheckId c : CheckId.values()) {
            assertThat(CheckId.byId(c.id())).isEqualTo(c);
            assertThat(CheckId.of(c.kind(), c.family())).isEqualTo(c);
        }
        for (Cause c : Cause.values()) {
            assertThat(Cause.byCode(c.code())).isEqualTo(c);
        }
        assertThat(CheckId.byId("no-such-check")).isNull();
    }
}
