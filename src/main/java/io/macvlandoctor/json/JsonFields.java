package io.macvlandoctor.json;

import java.util.List;
import java.util.Map;

/**
 * Typed access to parsed JSON that fails with a {@link JsonException} naming the field, never a
 * ClassCastException: for files a user hands us (facts files, our own exports), which may be anything.
 */
public final class JsonFields {
    private JsonFields() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> obj(Object v, String what) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new JsonException(-1, what + ": expected an object");
    }

    public static Map<String, Object> obj(Map<String, Object> m, String key) {
        return obj(m.get(key), key);
    }

    /** An object, or null when the field is absent or null. */
    public static Map<String, Object> optObj(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : obj(v, key);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new JsonException(-1, key + ": expected a list");
    }

    public static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new JsonException(-1, key + ": expected a string");
    }

    public static String str(Object v, String what) {
        if (v instanceof String s) {
            return s;
        }
        throw new JsonException(-1, what + ": expected a string");
    }

    public static long num(Map<String, Object> m, String key, long dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new JsonException(-1, key + ": expected a number");
    }

    public static boolean bool(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null || v instanceof Boolean) {
            return Boolean.TRUE.equals(v);
        }
        throw new JsonException(-1, key + ": expected true or false");
    }

    /** true, false, or null (unknown). */
    public static Boolean optBool(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw new JsonException(-1, key + ": expected true, false or null");
    }
}
