package dev.weft.notes;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.weft.cache.Cache;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.http.Handler;
import dev.weft.http.Request;
import dev.weft.http.Responses;
import dev.weft.http.ServeMux;
import dev.weft.service.Modules;
import dev.weft.service.Service;
import dev.weft.service.Weft;

/** Notes in PostgreSQL behind a cache: notes.yaml turns the database and the cache on; the rest is here. */
public final class Notes implements Service {
    record Note(long id, String title, String body) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private DataSource db;
    private Cache<Long, Note> cache;

    public static void main(String[] args) {
        Weft.run("notes", args, "notes.yaml", config -> new Notes());
    }

    @Override
    public void start(Modules modules, ServeMux mux) {
        db = modules.db().dataSource();
        cache = modules.caches().cache("notes", KeyCodec.longs(), Note.class);
        mux.handle("POST /notes", json(r -> save("INSERT INTO note (title, body) VALUES (?, ?)", input(r, 0)), 201));
        mux.handle("GET /notes/{id}", json(r -> cache.get(id(r), this::load), 200));
        mux.handle("PUT /notes/{id}", json(r -> save("UPDATE note SET title = ?, body = ? WHERE id = ?",
                input(r, id(r))), 200));
        mux.handle("DELETE /notes/{id}", json(r -> save("DELETE FROM note WHERE id = ?", new Note(id(r), null, null)), 204));
    }

    private Note load(long id) throws Exception {
        try (var c = db.getConnection(); var s = c.prepareStatement("SELECT title, body FROM note WHERE id = ?")) {
            s.setLong(1, id);
            ResultSet rs = s.executeQuery();
            return rs.next() ? new Note(id, rs.getString(1), rs.getString(2)) : null;
        }
    }

    /** Runs an insert (id 0), an update or a delete (no title) and drops the cached note; null when none matched. */
    private Note save(String sql, Note note) throws Exception {
        try (var c = db.getConnection(); var s = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            if (note.title() != null) {
                s.setString(i++, note.title());
                s.setString(i++, note.body());
            }
            if (note.id() != 0) {
                s.setLong(i, note.id());
            }
            boolean found = s.executeUpdate() == 1;
            cache.invalidate(note.id());
            ResultSet keys = s.getGeneratedKeys();
            return !found ? null : note.id() != 0 ? note : new Note(keys.next() ? keys.getLong("id") : 0, note.title(), note.body());
        }
    }

    /** The request's note; a bad one is an IllegalArgumentException naming the field, answered 400. */
    private static Note input(Request r, long id) throws IOException {
        JsonNode in = JSON.readTree(r.body());
        String title = in == null ? "" : in.path("title").asText(""), body = in == null ? null : in.path("body").asText(null);
        if (title.isBlank() || title.length() > 200) {
            throw new IllegalArgumentException("title: must be 1 to 200 characters");
        }
        if (body == null) {
            throw new IllegalArgumentException("body: must be set");
        }
        return new Note(id, title, body);
    }

    private static long id(Request r) {
        String id = r.pathValue("id");
        if (!id.matches("[1-9][0-9]{0,17}")) {
            throw new IllegalArgumentException("id: must be a positive integer, was \"" + id + "\"");
        }
        return Long.parseLong(id);
    }

    /** A handler answering {@code ok} with the note as JSON, 404 for none, 400 for bad input. */
    private static Handler json(NoteAction action, int ok) {
        return (w, r) -> {
            Note note;
            try {
                note = action.apply(r);
            } catch (IllegalArgumentException | IOException e) {
                Responses.text(w, 400, (e instanceof IOException ? "body: must be JSON" : e.getMessage()) + "\n");
                return;
            }
            if (note == null) {
                Responses.text(w, 404, "no such note\n");
            } else if (ok == 204) {
                w.writeHeader(204);
            } else {
                Responses.json(w, ok, JSON.writeValueAsBytes(note));
            }
        };
    }

    private interface NoteAction {
        Note apply(Request r) throws Exception;
    }
}
