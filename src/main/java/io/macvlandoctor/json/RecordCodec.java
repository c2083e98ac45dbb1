package io.macvlandoctor.json;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records as JSON objects and back, keyed by their components' names: one encoding per record, derived from the
 * record itself, so that two writers can never spell one field two ways. Strings, numbers, booleans, enums (by
 * name), lists, maps with string keys and nested records are handled; anything else needs a converter for its type
 * or for one component. A sealed interface of records is written with a "type" member naming the record in
 * kebab case (RouteAdd: "route-add"). Reading is strict: a value of the wrong shape is a {@link JsonException}
 * naming the field; a component that is absent reads as null (0, false).
 */
public final class RecordCodec {
    /** How one type (or one component) is written and read. */
    public interface Converter<T> {
        Object write(T value);

        T read(Object json);
    }

    public static final String TYPE = "type";

    private final Map<Class<?>, Converter<?>> types = new HashMap<>();
    private final Map<String, Converter<?>> components = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();

    /** Values of this type are written and read by the converter. */
    public <T> RecordCodec type(Class<T> type, Converter<T> c) {
        types.put(type, c);
        return this;
    }

    /** Values of this type are written as their text (toString) and read back with parse. */
    public <T> RecordCodec text(Class<T> type, java.util.function.Function<String, T> parse) {
        return type(type, new Converter<>() {
            @Override
            public Object write(T value) {
                return value.toString();
            }

            @Override
            public T read(Object json) {
                return parse.apply(JsonFields.str(json, type.getSimpleName()));
            }
        });
    }

    /** One component of one record is written and read by the converter (a MAC held as a number, say). */
    public RecordCodec component(Class<? extends Record> record, String name, Converter<?> c) {
        components.put(record.getName() + "." + name, c);
        return this;
    }

    /** When the component's own key is absent, an older key is read in its place (files written before a rename). */
    public RecordCodec alias(Class<? extends Record> record, String name, String olderKey) {
        aliases.put(record.getName() + "." + name, olderKey);
        return this;
    }

    // ---- writing ----

    /** The JSON value of anything this codec knows. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object write(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        Converter c = types.get(v.getClass());
        if (c != null) {
            return c.write(v);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(write(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k instanceof Enum<?> e ? e.name() : String.valueOf(write(k)), write(x)));
            return out;
        }
        if (v instanceof Record r) {
            return object(r);
        }
        throw new IllegalArgumentException("no JSON encoding for " + v.getClass().getName());
    }

    /** A record as an object, with the "type" member when it implements a sealed interface. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map<String, Object> object(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        Class<?> cls = r.getClass();
        if (sealedParent(cls) != null) {
            m.put(TYPE, typeName(cls));
        }
        for (RecordComponent rc : cls.getRecordComponents()) {
            Object value;
            try {
                value = rc.getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
            Converter c = components.get(cls.getName() + "." + rc.getName());
            m.put(rc.getName(), c != null ? (value == null ? null : c.write(value)) : write(value));
        }
        return m;
    }

    private static Class<?> sealedParent(Class<?> cls) {
        for (Class<?> i : cls.getInterfaces()) {
            if (i.isSealed()) {
                return i;
            }
        }
        return null;
    }

    /** RouteAdd -> "route-add". */
    public static String typeName(Class<?> cls) {
        String n = cls.getSimpleName();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n.length(); i++) {
            char ch = n.charAt(i);
            if (Character.isUpperCase(ch) && i > 0) {
                b.append('-');
            }
            b.append(Character.toLowerCase(ch));
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    // ---- reading ----

    /** A value of the given type (a class, or a List / Map type of a record component). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> T read(Object json, Type type, String what) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (json == null) {
                return (T) (raw == Map.class ? Map.of() : List.of());
            }
            if (List.class.isAssignableFrom(raw)) {
                if (!(json instanceof List<?> l)) {
                    throw new JsonException(-1, what + ": expected a list");
                }
                List<Object> out = new ArrayList<>(l.size());
                for (Object x : l) {
                    out.add(read(x, p.getActualTypeArguments()[0], what));
                }
                return (T) out;
            }
            if (Map.class.isAssignableFrom(raw)) {
                Map<String, Object> m = JsonFields.obj(json, what);
                Map<Object, Object> out = new LinkedHashMap<>();
                Type kt = p.getActualTypeArguments()[0];
                for (Map.Entry<String, Object> e : m.entrySet()) {
                    Object k = kt instanceof Class<?> kc && kc.isEnum() ? enumValue((Class) kc, e.getKey(), what)
                            : read(e.getKey(), kt, what);
                    out.put(k, read(e.getValue(), p.getActualTypeArguments()[1], what + "." + e.getKey()));
                }
                return (T) out;
            }
            throw new IllegalArgumentException("no JSON decoding for " + type);
        }
        Class<?> cls = (Class<?>) type;
        Converter c = types.get(cls);
        if (c != null) {
            return json == null ? null : (T) convert(c, json, what);
        }
        if (json == null) {
            return (T) defaultOf(cls);
        }
        if (cls == String.class) {
            return (T) JsonFields.str(json, what);
        }
        if (cls == int.class || cls == Integer.class) {
            return (T) Integer.valueOf((int) number(json, what));
        }
        if (cls == long.class || cls == Long.class) {
            return (T) Long.valueOf(number(json, what));
        }
        if (cls == boolean.class || cls == Boolean.class) {
            if (!(json instanceof Boolean b)) {
                throw new JsonException(-1, what + ": expected true or false");
            }
            return (T) b;
        }
        if (cls.isEnum()) {
            return (T) enumValue((Class) cls, JsonFields.str(json, what), what);
        }
        if (cls.isSealed()) {
            return (T) readTagged(JsonFields.obj(json, what), cls, what);
        }
        if (cls.isRecord()) {
            return (T) readRecord(JsonFields.obj(json, what), cls, what);
        }
        throw new IllegalArgumentException("no JSON decoding for " + cls.getName());
    }

    public <T> T read(Object json, Class<T> type) {
        return read(json, type, type.getSimpleName());
    }

    private Object readTagged(Map<String, Object> m, Class<?> sealed, String what) {
        String name = JsonFields.str(m, TYPE);
        for (Class<?> sub : sealed.getPermittedSubclasses()) {
            if (typeName(sub).equals(name)) {
                return readRecord(m, sub, what);
            }
        }
        throw new JsonException(-1, what + ": unknown " + TYPE + " '" + name + "'");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object readRecord(Map<String, Object> m, Class<?> cls, String what) {
        RecordComponent[] rcs = cls.getRecordComponents();
        Object[] args = new Object[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            RecordComponent rc = rcs[i];
            types[i] = rc.getType();
            String key = cls.getName() + "." + rc.getName();
            Object v = m.containsKey(rc.getName()) ? m.get(rc.getName()) : m.get(aliases.get(key));
            Converter c = components.get(key);
            String field = what + "." + rc.getName();
            args[i] = c != null ? (v == null ? defaultOf(rc.getType()) : convert(c, v, field))
                    : read(v, rc.getGenericType(), field);
        }
        try {
            Constructor<?> k = cls.getDeclaredConstructor(types);
            k.setAccessible(true);
            return k.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            throw new JsonException(-1, what + ": " + (t == null ? e : t.getMessage()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(Converter c, Object json, String what) {
        try {
            return c.read(json);
        } catch (JsonException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JsonException(-1, what + ": " + e.getMessage());
        }
    }

    private static long number(Object json, String what) {
        if (json instanceof Number n) {
            return n.longValue();
        }
        throw new JsonException(-1, what + ": expected a number");
    }

    private static <E extends Enum<E>> E enumValue(Class<E> cls, String name, String what) {
        for (E e : cls.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new JsonException(-1, what + ": unknown value '" + name + "'");
    }

    private static Object defaultOf(Class<?> cls) {
        if (cls == int.class) {
            return 0;
        }
        if (cls == long.class) {
            return 0L;
        }
        if (cls == boolean.class) {
            return false;
        }
        if (cls == List.class) {
            return List.of();
        }
        if (cls == Map.class) {
            return Map.of();
        }
        return null;
    }
}
