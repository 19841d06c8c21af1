package dev.weft.dbpool.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL file into statements at the semicolons that end them, so that each runs on its own through JDBC (H2
 * takes one statement per call). A semicolon inside a string ({@code '...'}), a quoted identifier ({@code "..."}),
 * a comment ({@code --}, {@code /* *}{@code /}) or a PostgreSQL dollar-quoted body ({@code $$...$$},
 * {@code $tag$...$tag$}) does not split. Segments holding only comments and blanks are dropped.
 */
public final class SqlScript {
    private SqlScript() {}

    public static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean hasCode = false;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"') {
                end = closingQuote(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                end = indexOrEnd(sql, "\n", i + 2);
                current.append(sql, i, end);
                i = end;
                continue;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                end = close < 0 ? n : close + 2;
                current.append(sql, i, end);
                i = end;
                continue;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                end = close < 0 ? n : close + tag.length();
            } else if (c == ';') {
                if (hasCode) {
                    statements.add(current.toString().strip());
                }
                current.setLength(0);
                hasCode = false;
                i++;
                continue;
            } else {
                end = i + 1;
            }
            if (!Character.isWhitespace(c)) {
                hasCode = true;
            }
            current.append(sql, i, end);
            i = end;
        }
        if (hasCode) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    /** The index just past the quote that closes the one at {@code start}; a doubled quote is an escaped one. */
    private static int closingQuote(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    /** The dollar-quote tag ({@code $$} or {@code $name$}) starting at {@code start}, or null if there is none. */
    private static String dollarTag(String sql, int start) {
        int i = start + 1;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        if (i < sql.length() && sql.charAt(i) == '$'
                && (i == start + 1 || !Character.isDigit(sql.charAt(start + 1)))) {
            return sql.substring(start, i + 1);
        }
        return null;
    }

    private static int indexOrEnd(String s, String what, int from) {
        int at = s.indexOf(what, from);
        return at < 0 ? s.length() : at;
    }
}
