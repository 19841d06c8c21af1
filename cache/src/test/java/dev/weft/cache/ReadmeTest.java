package dev.weft.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.weft.config.ConfigTree;

/** The module README's configuration tables say what {@link CachesConfig#from} reads, with its defaults. */
class ReadmeTest {
    /** A table row: {@code | `cache.redis.timeout` | `100ms` | why |}. */
    private static final Pattern ROW = Pattern.compile("^\\| `(cache\\.[^`]+)` \\| ([^|]+?) \\|", Pattern.MULTILINE);

    @Test
    void theConfigurationTablesListEveryKeyWithItsDefaultAndNoOther() throws Exception {
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("README.md")));
        while (row.find()) {
            String value = row.group(2).strip();
            documented.put(row.group(1), value.equals("none") ? "" : value.replace("`", ""));
        }

        ConfigTree tree = ConfigTree.parse("c.yaml", "cache:\n  caches:\n    products:\n");
        CachesConfig.from(tree.section("cache"));
        Map<String, String> read = new LinkedHashMap<>();
        for (ConfigTree.Setting setting : tree.settingsRead()) {
            read.put(setting.path().replace("cache.caches.products.", "cache.caches.<name>."),
                    setting.defaultValue());
        }
        assertEquals(read, documented);
    }

    /** A row that says "0 turns ... off" names a setting that validation accepts as 0. */
    @Test
    void everySettingTheTableSaysZeroTurnsOffAcceptsZero() throws Exception {
        Matcher row = Pattern.compile("^\\| `cache\\.caches\\.<name>\\.([^`]+)` \\|[^\n]*\\b0 turns [^\n]*$",
                Pattern.MULTILINE).matcher(Files.readString(Path.of("README.md")));
        List<String> zeroable = new ArrayList<>();
        while (row.find()) {
            zeroable.add(row.group(1));
        }
        assertEquals(List.of("localMaxEntries", "ttlJitter", "nullTtl", "earlyRefreshBeta"), zeroable);
        for (String key : zeroable) {
            ConfigTree tree = ConfigTree.parse("c.yaml", key + ": 0");
            CacheConfig.from(tree.root());
            assertEquals(List.of(), tree.problems().list(), key + ": 0");
        }
    }
}
