package dev.weft.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.weft.config.ConfigSection;
import dev.weft.config.ConfigTree;
import dev.weft.config.Units;

/**
 * Keeps a README's reference of a configuration section true against the record that reads the section.
 *
 * <p>The reference is every table row {@code | `key` | default | why |} between the heading {@code ### `name:`} and
 * the next heading. A key is the setting's path under the section, with {@code <name>} for an entry of a mapping of
 * named entries ({@code caches.<name>.ttl}) and {@code [i]} for an item of a list ({@code routes[i].pattern}). The
 * section is read with its record's {@code from} from {@code yaml}, which gives one entry named {@code <name>} to
 * each such mapping, one item to each list, and every optional section, so that every setting is read. Then:
 * <ul>
 *   <li>every setting read has a row, and every row names a setting read or a section of them;</li>
 *   <li>a default written as a literal ({@code `10s`}, {@code `[1s, 10s, 1m]`}, {@code `16KiB`}, possibly followed
 *       by words) is the one the code has, compared as the setting's kind reads it ({@code `60s`} is {@code 1m});</li>
 *   <li>a default in words ("none", "empty", "unset: ...") stands where the code has none, and "required" where the
 *       section as read reports the setting as missing;</li>
 *   <li>a row that says "0 turns ... off" names a setting that accepts 0.</li>
 * </ul>
 */
public final class SettingsReference {
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]*?) \\|(.*)$", Pattern.MULTILINE);
    private static final Pattern LITERAL = Pattern.compile("^`([^`]*)`");
    private static final Pattern ZERO_TURNS_OFF = Pattern.compile("\\b0 turns\\b");

    private SettingsReference() {}

    private record Row(String key, String defaultValue, String text) {}

    /**
     * Asserts that the reference of {@code section} in {@code readme} lists exactly the settings that {@code from}
     * reads from the section in {@code yaml}, each with its default.
     */
    public static void assertDocuments(Path readme, String section, String yaml,
                                       Function<ConfigSection, ?> from) {
        Map<String, Row> rows = rows(readme, section);
        ConfigTree tree = ConfigTree.parse("reference.yaml", yaml);
        from.apply(tree.section(section));
        Map<String, ConfigTree.Setting> read = new LinkedHashMap<>();
        for (ConfigTree.Setting s : tree.settingsRead()) {
            read.put(key(section, s.path()), s);
        }
        List<String> wrong = new ArrayList<>();
        read.forEach((key, setting) -> {
            Row row = rows.get(key);
            if (row == null) {
                wrong.add(key + ": read (" + setting.kind() + ", default \"" + setting.defaultValue()
                        + "\") but has no row");
            } else {
                String why = defaultMismatch(row, setting, tree);
                if (why != null) {
                    wrong.add(key + ": " + why);
                }
            }
        });
        for (String key : rows.keySet()) {
            boolean aSection = read.keySet().stream().anyMatch(k -> k.startsWith(key + ".") || k.startsWith(key + "["));
            if (!read.containsKey(key) && !aSection) {
                wrong.add(key + ": has a row but is no setting " + section + " reads");
            }
        }
        assertEquals(List.of(), wrong, readme + ", section " + section + ": " + wrong.size() + " rows wrong");

        for (Row row : rows.values()) {
            if (ZERO_TURNS_OFF.matcher(row.text()).find() && read.containsKey(row.key())) {
                assertAcceptsZero(section, yaml, from, row.key());
            }
        }
    }

    /**
     * Asserts that the file of {@code tree}, once read, sets every setting read from it: a test's file of every
     * setting, or a README's block of every default, stays complete as settings are added. (A key no setting reads
     * is {@link ConfigTree#throwIfProblems}'s to report.)
     */
    public static void assertFileSetsEverySettingRead(ConfigTree tree) {
        Set<String> inFile = new TreeSet<>();
        leaves("", tree.asMap(), inFile);
        Set<String> read = new TreeSet<>();
        tree.settingsRead().forEach(s -> read.add(s.path()));
        assertEquals(read, inFile, "the file sets every setting read");
    }

    private static void leaves(String path, Map<?, ?> map, Set<String> out) {
        map.forEach((k, v) -> {
            String p = path.isEmpty() ? String.valueOf(k) : path + "." + k;
            if (v instanceof Map<?, ?> m) {
                leaves(p, m, out);
            } else {
                out.add(p);
            }
        });
    }

    /** The rows under {@code ### `section:`}, by key; a key twice is an error. */
    private static Map<String, Row> rows(Path readme, String section) {
        String text;
        try {
            text = Files.readString(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String heading = "### `" + section + ":`";
        int start = text.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, readme + " has no heading " + heading);
        int end = text.indexOf("\n#", start + heading.length() + 2);
        String body = text.substring(start, end < 0 ? text.length() : end);
        Map<String, Row> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(body);
        while (m.find()) {
            Row row = new Row(m.group(1), m.group(2).strip(), m.group(0));
            if (rows.put(row.key(), row) != null) {
                fail(readme + ", section " + section + ": two rows for " + row.key());
            }
        }
        assertTrue(!rows.isEmpty(), readme + ", section " + section + ": no rows");
        return rows;
    }

    /** Why the row's default is not the setting's, or null when it is. */
    private static String defaultMismatch(Row row, ConfigTree.Setting setting, ConfigTree tree) {
        Matcher literal = LITERAL.matcher(row.defaultValue());
        if (literal.find()) {
            return sameValue(setting.kind(), literal.group(1), setting.defaultValue()) ? null
                    : "documented default " + literal.group(1) + ", the code's is \"" + setting.defaultValue() + "\"";
        }
        if (row.defaultValue().startsWith("required")) {
            boolean reported = tree.problems().list().stream().anyMatch(p -> p.startsWith(setting.path() + ":"));
            return reported ? null : "documented as required, but the section without it reports no problem for it";
        }
        return setting.defaultValue().isEmpty() ? null : "documented default in words (\"" + row.defaultValue()
                + "\"), but the code's is \"" + setting.defaultValue() + "\": write it as a literal";
    }

    private static boolean sameValue(String kind, String documented, String code) {
        try {
            return switch (kind) {
                case "duration" -> Units.duration(documented).equals(Units.duration(code));
                case "size" -> Units.size(documented) == Units.size(code);
                case "integer", "decimal" -> new BigDecimal(documented).compareTo(new BigDecimal(code)) == 0;
                default -> documented.equals(code);
            };
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void assertAcceptsZero(String section, String yaml, Function<ConfigSection, ?> from, String key) {
        String path = section + "." + key.replace("[i]", "[0]");
        ConfigTree tree = ConfigTree.parse("reference.yaml", yaml)
                .withOverrides(Map.of(), Map.of(ConfigTree.propertyName(path), "0"));
        from.apply(tree.section(section));
        assertEquals(List.of(), tree.problems().list().stream().filter(p -> p.startsWith(path + ":")).toList(),
                path + ": the reference says 0 turns it off");
    }

    /** The row key of the setting at {@code path}: relative to the section, list indexes as {@code [i]}. */
    private static String key(String section, String path) {
        return path.substring(section.length() + 1).replaceAll("\\[\\d+]", "[i]");
    }
}
