package dev.weft.cache.codec;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The default value codec: Jackson JSON. Readable with {@code redis-cli GET}, tolerant of added fields, and the
 * library the rest of the project already uses. Reader and writer are built once; Jackson's are thread-safe.
 */
public final class JsonCodec<V> implements ValueCodec<V> {
    private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper().findAndRegisterModules();

    private final ObjectReader reader;
    private final ObjectWriter writer;

    private JsonCodec(ObjectMapper mapper, JavaType type) {
        this.reader = mapper.readerFor(type);
        this.writer = mapper.writerFor(type);
    }

    /** JSON for values of one class (records, POJOs, strings, numbers). */
    public static <V> JsonCodec<V> of(Class<V> type) {
        return new JsonCodec<>(DEFAULT_MAPPER, DEFAULT_MAPPER.constructType(type));
    }

    /** JSON for generic values, e.g. {@code new TypeReference<List<Product>>() {}}. */
    public static <V> JsonCodec<V> of(TypeReference<V> type) {
        return new JsonCodec<>(DEFAULT_MAPPER, DEFAULT_MAPPER.constructType(type));
    }

    /** JSON with the application's own mapper (its modules, naming strategy and so on). */
    public static <V> JsonCodec<V> of(ObjectMapper mapper, Class<V> type) {
        return new JsonCodec<>(mapper, mapper.constructType(type));
    }

    @Override
    public byte[] encode(V value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + value.getClass().getName() + " as JSON", e);
        }
    }

    @Override
    public V decode(byte[] bytes, int offset, int length) {
        try {
            return reader.readValue(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode cached JSON", e);
        }
    }
}
