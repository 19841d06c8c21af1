package dev.weft.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Reads a JSON document into a {@link Node} tree, every value marked with its {@code file:line:column}.
 *
 * <p>Jackson's streaming parser does the parsing, strictly (no comments, no trailing commas, duplicate keys
 * rejected); this class only builds the tree from its tokens, because configuration needs each value's position,
 * which Jackson's own tree model does not keep.
 */
final class JsonDocument {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private JsonDocument() {}

    /**
     * Parses {@code text} from the file {@code name}; a syntax error or a document that is not an object is added to
     * {@code problems}, and an empty mapping is returned in its place.
     */
    static Node parse(String name, String text, Problems problems) {
        if (text.isBlank()) {
            return new Node(new LinkedHashMap<String, Node>(), name);
        }
        JsonParser parser = null;
        try {
            parser = FACTORY.createParser(text);
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                problems.addRaw(at(name, parser.currentTokenLocation()) + ": the document must be an object of settings");
                return new Node(new LinkedHashMap<String, Node>(), name);
            }
            Node root = value(name, parser);
            if (parser.nextToken() != null) {
                problems.addRaw(at(name, parser.currentTokenLocation()) + ": unexpected text after the end of the document");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
            problems.addRaw(at(name, where) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            problems.addRaw(name + ": " + e.getMessage());
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException e) {
                    // a parser over a string holds nothing to release
                }
            }
        }
        return new Node(new LinkedHashMap<String, Node>(), name);
    }

    /** The value whose first token is the parser's current one. */
    private static Node value(String name, JsonParser parser) throws IOException {
        String origin = at(name, parser.currentTokenLocation());
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                Map<String, Node> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    String keyOrigin = at(name, parser.currentTokenLocation());
                    parser.nextToken();
                    map.put(key, new Node(value(name, parser).value(), keyOrigin));
                }
                return new Node(map, origin);
            }
            case START_ARRAY -> {
                List<Node> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(name, parser));
                }
                return new Node(list, origin);
            }
            case VALUE_STRING -> {
                return new Node(parser.getText(), origin);
            }
            case VALUE_NUMBER_INT -> {
                return new Node(parser.getNumberValue(), origin);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node(parser.getDecimalValue(), origin);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(parser.getBooleanValue(), origin);
            }
            case VALUE_NULL -> {
                return new Node(null, origin);
            }
            default -> throw new JsonProcessingException("unexpected " + parser.currentToken(),
                    parser.currentTokenLocation()) {};
        }
    }

    private static String at(String name, JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return name;
        }
        return name + ":" + location.getLineNr() + ":" + location.getColumnNr();
    }
}
