package io.macvlandoctor.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesNestedValues() {
        Object v = Json.parse("[{\"a\":1,\"b\":[true,false,null],\"c\":\"x\\\"y\\u0041\",\"d\":-2.5}]");
        assertThat(v).isEqualTo(List.of(Map.of("a", 1L, "b", java.util.Arrays.asList(true, false, null),
                "c", "x\"yA", "d", -2.5)));
    }

    @Test
    void writesWhatItReads() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "tab\there \"q\" \\ \u0001");
        m.put("n", 42L);
        m.put("l", List.of(1L, "two", Map.of()));
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
        assertThat(Json.parse(Json.pretty(m))).isEqualTo(m);
    }

    @Test
    void rejectsBrokenInputWithOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).hasMessageContaining("offset");
        assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("expected ','");
        assertThatThrownBy(() -> Json.parse("\"open")).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> Json.parse("[] x")).hasMessageContaining("trailing");
    }
}
