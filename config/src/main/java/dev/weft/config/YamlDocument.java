package dev.weft.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a YAML 1.2 document into a {@link Node} tree, every value marked with its {@code file:line:column}.
 *
 * <p>SnakeYAML Engine parses and composes the document (block and flow style, anchors, aliases and merge keys,
 * block scalars, tags, the core schema's ints, floats, booleans and nulls); this class only walks the composed nodes,
 * because configuration needs each value's position, which the constructed Java maps no longer carry. For the same
 * reason the walk, not the library's constructor, rejects duplicate keys: it sees every duplicate with both
 * positions, where the constructor stops at the first.
 */
final class YamlDocument {
    private YamlDocument() {}

    /**
     * Parses {@code text} from the file {@code name}; a syntax error, a duplicate key or a document that is not a
     * mapping is added to {@code problems}, and what could be read is returned (an empty mapping at worst).
     */
    static Node parse(String name, String text, Problems problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(name).setSchema(new CoreSchema())
                .setAllowNonScalarKeys(true).build();
        org.snakeyaml.engine.v2.nodes.Node root;
        try {
            Optional<org.snakeyaml.engine.v2.nodes.Node> document = new Compose(settings).composeString(text);
            if (document.isEmpty()) {
                return new Node(new LinkedHashMap<String, Node>(), name);
            }
            root = document.get();
        } catch (MarkedYamlEngineException e) {
            problems.addRaw(at(name, e.getProblemMark()) + ": " + describe(e));
            return new Node(new LinkedHashMap<String, Node>(), name);
        } catch (YamlEngineException e) {
            problems.addRaw(name + ": " + e.getMessage());
            return new Node(new LinkedHashMap<String, Node>(), name);
        }
        Walk walk = new Walk(name, settings, problems);
        if (!(root instanceof MappingNode)) {
            problems.addRaw(at(name, root.getStartMark()) + ": the document must be a mapping of settings");
            return new Node(new LinkedHashMap<String, Node>(), name);
        }
        return walk.node(root);
    }

    private static final class Walk {
        private final String name;
        private final StandardConstructor scalars;
        private final Problems problems;
        /** Aliased nodes are composed once: convert each once, so that an alias costs nothing more. */
        private final Map<org.snakeyaml.engine.v2.nodes.Node, Node> done = new IdentityHashMap<>();

        Walk(String name, LoadSettings settings, Problems problems) {
            this.name = name;
            this.scalars = new StandardConstructor(settings);
            this.problems = problems;
        }

        Node node(org.snakeyaml.engine.v2.nodes.Node yaml) {
            Node converted = done.get(yaml);
            if (converted == null) {
                converted = convert(yaml);
                done.put(yaml, converted);
            }
            return converted;
        }

        private Node convert(org.snakeyaml.engine.v2.nodes.Node yaml) {
            String origin = at(name, yaml.getStartMark());
            if (yaml instanceof MappingNode mapping) {
                Map<String, Node> map = new LinkedHashMap<>();
                Map<String, String> firstSeen = new HashMap<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    String key = key(tuple.getKeyNode());
                    if (key == null) {
                        continue;
                    }
                    String keyOrigin = at(name, tuple.getKeyNode().getStartMark());
                    String first = firstSeen.putIfAbsent(key, keyOrigin);
                    if (first != null) {
                        problems.addRaw(keyOrigin + ": duplicate key \"" + key + "\" (first at " + first + ")");
                        continue;
                    }
                    Node value = node(tuple.getValueNode());
                    // A setting's origin is where its key stands: that is the line a user edits.
                    map.put(key, new Node(value.value(), keyOrigin));
                }
                return new Node(map, origin);
            }
            if (yaml instanceof SequenceNode sequence) {
                List<Node> list = new ArrayList<>(sequence.getValue().size());
                for (org.snakeyaml.engine.v2.nodes.Node item : sequence.getValue()) {
                    list.add(node(item));
                }
                return new Node(list, origin);
            }
            try {
                return new Node(scalars.constructSingleDocument(Optional.of(yaml)), origin);
            } catch (YamlEngineException e) {
                problems.addRaw(origin + ": " + e.getMessage());
                return new Node(null, origin);
            }
        }

        /** A key must be a scalar; its text is the key, whatever the schema would make of it ({@code 1}, {@code on}). */
        private String key(org.snakeyaml.engine.v2.nodes.Node key) {
            String origin = at(name, key.getStartMark());
            if (!(key instanceof ScalarNode scalar)) {
                problems.addRaw(origin + ": a key must be a plain name, not a mapping or a list");
                return null;
            }
            return scalar.getValue();
        }
    }

    /** {@code file:line:column}, 1-based as editors count; the file alone when the position is unknown. */
    static String at(String name, Optional<Mark> mark) {
        return mark.map(m -> name + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)).orElse(name);
    }

    /** The library's message without its snippet: "expected ',' or ']', but got <stream end>". */
    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
        if (e.getContext() != null && !e.getContext().isBlank()) {
            return problem + " (" + e.getContext() + e.getContextMark().map(m -> " at " + (m.getLine() + 1) + ":"
                    + (m.getColumn() + 1)).orElse("") + ")";
        }
        return problem;
    }
}
