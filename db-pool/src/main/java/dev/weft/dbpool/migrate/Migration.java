package dev.weft.dbpool.migrate;

/**
 * One numbered SQL file: {@code V<version>__<description>.sql}, e.g. {@code V3__add_order_status.sql}.
 *
 * @param version     its number; migrations run in ascending order, each once
 * @param description the file name's words, underscores read as spaces
 * @param resource    the classpath resource it was read from
 * @param sql         its text
 * @param checksum    SHA-256 of its text with line endings normalised, to notice a file edited after it ran
 */
public record Migration(int version, String description, String resource, String sql, String checksum) {

    @Override
    public String toString() {
        return "V" + version + " (" + description + ")";
    }
}
