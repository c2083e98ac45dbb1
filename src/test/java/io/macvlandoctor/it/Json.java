package io.macvlandoctor.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reading the tool's JSON report in tests. */
final class Json {
    private Json() {
    }

    /** A JSON file the tool wrote; a report (it has a schemaVersion) must match docs/report.schema.json. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) {
        try {
            String text = Files.readString(file);
            Map<String, Object> m = (Map<String, Object>) io.macvlandoctor.json.Json.parse(text);
            if (m.containsKey("schemaVersion")) {
                io.macvlandoctor.report.ReportSchema.assertValid(text);
            }
            return m;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String... path) {
        Object cur = o;
        for (String k : path) {
            cur = ((Map<String, Object>) cur).get(k);
        }
        return (Map<String, Object>) cur;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o, String key) {
        return (List<Map<String, Object>>) ((Map<String, Object>) o).get(key);
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Map<String, Object> o, String key) {
        return (List<String>) o.get(key);
    }

    static Map<String, Object> check(Map<String, Object> report, String id) {
        return list(report, "checks").stream().filter(c -> id.equals(c.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id));
    }

    /** The MAC of an interface as `ip -j link` reports it. */
    @SuppressWarnings("unchecked")
    static String macOf(String ns, String iface) {
        Cli.Result r = Cli.exec("ip", "-n", ns, "-j", "link", "show", iface);
        List<Object> l = (List<Object>) io.macvlandoctor.json.Json.parse(r.out());
        return (String) ((Map<String, Object>) l.get(0)).get("address");
    }
}
