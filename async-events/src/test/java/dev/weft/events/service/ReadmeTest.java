package dev.weft.events.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.weft.config.ConfigTree;

/** The module README's configuration reference is kept true: every key, every default, nothing else. */
class ReadmeTest {

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"));
    }

    /** The first YAML block of the Configuration section. */
    private static String defaultsBlock(String readme) {
        int section = readme.indexOf("## Configuration");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    private static void leaves(String path, Object value, Set<String> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> leaves(path.isEmpty() ? k.toString() : path + "." + k, v, out));
        } else {
            out.add(path);
        }
    }

    @Test
    void theDefaultsBlockListsEverySettingWithItsDefault() throws IOException {
        ConfigTree tree = ConfigTree.parse("README.yaml", defaultsBlock(readme()));
        EventsConfig documented = EventsConfig.from(tree.section("events"));
        tree.throwIfProblems(); // no key the module does not read
        assertEquals(EventsConfig.defaults(), documented);
        Set<String> written = new TreeSet<>();
        leaves("", tree.asMap(), written);
        Set<String> read = tree.settingsRead().stream().map(ConfigTree.Setting::path)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(read, written, "every setting the section reads is in the block");
    }

    @Test
    void everySettingHasARowWithItsReason() throws IOException {
        String readme = readme();
        String tables = readme.substring(readme.indexOf("| key | default | why |"), readme.indexOf("## Migrations"));
        ConfigTree tree = ConfigTree.empty();
        EventsConfig.from(tree.section("events"));
        for (ConfigTree.Setting s : tree.settingsRead()) {
            String key = s.path().substring(s.path().lastIndexOf('.') + 1);
            assertTrue(tables.contains("`" + key + "`") || tables.contains("`" + s.path() + "`")
                    || tables.contains("`tables." + key + "`"), "a row for " + s.path());
        }
    }
}
