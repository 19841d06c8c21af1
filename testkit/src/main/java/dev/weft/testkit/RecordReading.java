package dev.weft.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.weft.config.ConfigSection;
import dev.weft.config.ConfigTree;

/**
 * Holds a configuration record's spelt-out {@code from(ConfigSection)} to what reading it by its components
 * ({@link ConfigSection#read(Class, Record)}) does: the same settings, in the same order, of the same kinds, with the
 * same defaults, each landing in the same component. A record read when a service starts spells its reading out,
 * because the reflective reading's first calls cost tens of milliseconds of the start; this check keeps it from
 * drifting from its components (a component added and not read, two settings of one type swapped).
 */
public final class RecordReading {
    private RecordReading() {}

    /**
     * Reads the record with {@code from} and by its components twice: with every setting at its default, then with
     * every setting the first reading listed given a value of its kind that differs from its default (as system
     * properties, the way an override gives text); asserts that both ways give equal records and read the same
     * settings, and that the second record differs from the defaults.
     */
    public static <R extends Record> void assertSpeltOutAsItsComponents(Class<R> type, R defaults,
                                                                         Function<ConfigSection, R> from) {
        ConfigTree spelt = ConfigTree.empty();
        ConfigTree reflective = ConfigTree.empty();
        R read = from.apply(spelt.root());
        assertEquals(reflective.root().read(type, defaults), read, "every setting at its default");
        assertEquals(reflective.settingsRead(), spelt.settingsRead(), "the settings read, in order");

        Map<String, String> every = new LinkedHashMap<>();
        List<ConfigTree.Setting> settings = spelt.settingsRead();
        for (int i = 0; i < settings.size(); i++) {
            ConfigTree.Setting s = settings.get(i);
            every.put(ConfigTree.propertyName(s.path()), otherThan(s, i));
        }
        ConfigTree spelt2 = ConfigTree.empty().withOverrides(Map.of(), every);
        ConfigTree reflective2 = ConfigTree.empty().withOverrides(Map.of(), every);
        R set = from.apply(spelt2.root());
        assertEquals(reflective2.root().read(type, defaults), set, "every setting given: " + every);
        assertEquals(reflective2.settingsRead(), spelt2.settingsRead(), "the settings read, in order");
        assertNotEquals(read, set, "every setting given: " + every);
    }

    /** A value of the setting's kind, different from its default and from the other settings' values. */
    private static String otherThan(ConfigTree.Setting s, int i) {
        String n = Integer.toString(i + 2);
        String kind = s.kind();
        String value = switch (kind) {
            case "integer", "any" -> n;
            case "size" -> n + "KiB";
            case "decimal" -> n + ".5";
            case "boolean" -> s.defaultValue().equals("true") ? "false" : "true";
            case "duration" -> n + "s";
            case "list of durations" -> n + "s," + (i + 3) + "s";
            case "list of strings" -> "a" + n + ",b" + n;
            case "file path" -> "/p" + n;
            case "URI" -> "https://h" + n + ".example/";
            default -> {
                if (kind.startsWith("one of ")) {
                    List<String> names = new ArrayList<>(List.of(kind.substring("one of ".length()).split(", ")));
                    names.remove(s.defaultValue());
                    yield names.getFirst();
                }
                yield "s" + n;
            }
        };
        return value.equals(s.defaultValue()) ? value + "0" : value;
    }
}
