package dev.weft.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a configuration record from a section by its components: each component is the setting of the same name,
 * read with the accessor its type calls for, its default the component's value in a defaults record. So every
 * component of every record can be set from the file, the environment and the system properties, and no record
 * spells its keys out by hand.
 *
 * <p>The rules, by component type:
 * <ul>
 *   <li>{@code String}, {@code boolean}, {@code double}, {@code Duration}, {@code Path}, {@code URI}, an enum: the
 *       accessor of that type; {@code int} and {@code long}: an integer, or, for a component whose name ends in
 *       {@code Bytes}, a size with a unit ({@code maxBodyBytes: 10MiB}); a boxed {@code Integer}, {@code Long},
 *       {@code Double} or {@code Boolean} whose default is null is optional: null unless set;</li>
 *   <li>{@code List<String>}, {@code List<Duration>}: a list; {@code List<R>} of records: a list of mappings, each
 *       read as {@code R} over {@code R.defaults()};</li>
 *   <li>{@code Map<String, String>}: a mapping of names to strings; {@code Map<String, R>} of records: a mapping of
 *       names to mappings, each read as {@code R} over {@code R.defaults()};</li>
 *   <li>a record: the section of that name, read by the record's own {@code static from(ConfigSection)} when it has
 *       one, else by these rules over the default's value; a record whose default is null is optional: read only
 *       when its section is present, else null.</li>
 * </ul>
 * Reflection runs once per record at start-up, never on a request.
 */
final class RecordReader {
    private RecordReader() {}

    static <R extends Record> R read(ConfigSection s, Class<R> type, R defaults) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            values[i] = component(s, c.getName(), c.getGenericType(), c.getType(), value(c, defaults));
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName() + ": " + e, e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object component(ConfigSection s, String key, Type generic, Class<?> type, Object d) {
        if (d == null && (type == Integer.class || type == Long.class || type == Double.class || type == Boolean.class)) {
            // A boxed number or flag without a default is optional: null unless set, and null when set to a value
            // that does not read (a problem then), so that validation does not also judge a made-up value.
            if (!s.has(key)) {
                return null;
            }
            int problems = s.problems().count();
            Object placeholder = type == Integer.class ? Integer.valueOf(0) : type == Long.class ? Long.valueOf(0)
                    : type == Double.class ? Double.valueOf(0) : Boolean.FALSE;
            Object value = component(s, key, generic, type, placeholder);
            return s.problems().count() == problems ? value : null;
        }
        if (type == String.class) {
            return s.string(key, (String) d);
        }
        if (type == int.class || type == Integer.class) {
            return key.endsWith("Bytes") ? s.intSize(key, (Integer) d) : s.integer(key, (Integer) d);
        }
        if (type == long.class || type == Long.class) {
            return key.endsWith("Bytes") ? s.size(key, (Long) d) : s.longValue(key, (Long) d);
        }
        if (type == double.class || type == Double.class) {
            return s.decimal(key, (Double) d);
        }
        if (type == boolean.class || type == Boolean.class) {
            return s.bool(key, (Boolean) d);
        }
        if (type == Duration.class) {
            return s.duration(key, (Duration) d);
        }
        if (type == Path.class) {
            return s.path(key, (Path) d);
        }
        if (type == URI.class) {
            return s.uri(key, (URI) d);
        }
        if (type.isEnum()) {
            return s.enumValue(key, (Class) type, (Enum) d);
        }
        if (type == List.class) {
            Class<?> item = typeArgument(generic, 0);
            if (item == String.class) {
                return s.strings(key, (List<String>) d);
            }
            if (item == Duration.class) {
                return s.durations(key, (List<Duration>) d);
            }
            if (item.isRecord()) {
                List<ConfigSection> items = s.sections(key);
                if (items.isEmpty() && !s.keys().contains(key)) {
                    return d;
                }
                return items.stream().map(i -> nested(i, item, defaultsOf(item))).toList();
            }
        }
        if (type == Map.class && typeArgument(generic, 0) == String.class) {
            Class<?> value = typeArgument(generic, 1);
            if (value == String.class) {
                Map<String, String> read = s.stringMap(key);
                return s.keys().contains(key) ? read : d;
            }
            if (value.isRecord()) {
                ConfigSection named = s.section(key);
                if (!named.isPresent()) {
                    return d;
                }
                Map<String, Object> out = new LinkedHashMap<>();
                for (ConfigSection child : named.children()) {
                    out.put(child.name(), nested(child, value, defaultsOf(value)));
                }
                return out;
            }
        }
        if (type.isRecord()) {
            ConfigSection child = s.section(key);
            if (d == null && !child.isPresent()) {
                return null;
            }
            return nested(child, type, d != null ? d : defaultsOf(type));
        }
        throw new IllegalStateException("a setting of type " + generic + " (" + s.path() + "." + key
                + ") has no reading rule");
    }

    /** A nested record: by its own {@code from(ConfigSection)} when it has one, else by the rules. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object nested(ConfigSection s, Class<?> type, Object defaults) {
        Method from = staticMethod(type, "from", ConfigSection.class);
        if (from != null) {
            return invoke(from, s);
        }
        return read(s, (Class) type, (Record) defaults);
    }

    private static Object defaultsOf(Class<?> type) {
        Method defaults = staticMethod(type, "defaults");
        if (defaults == null) {
            throw new IllegalStateException(type.getName() + " needs a static defaults() or from(ConfigSection)");
        }
        return invoke(defaults);
    }

    private static Object value(RecordComponent c, Object record) {
        try {
            Method accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c + ": " + e, e);
        }
    }

    private static Method staticMethod(Class<?> type, String name, Class<?>... parameters) {
        try {
            Method m = type.getDeclaredMethod(name, parameters);
            if (!Modifier.isStatic(m.getModifiers())) {
                return null;
            }
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Object invoke(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> typeArgument(Type generic, int index) {
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[index] instanceof Class<?> c) {
            return c;
        }
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[index] instanceof ParameterizedType q) {
            return (Class<?>) q.getRawType();
        }
        return Object.class;
    }
}
