package org.switchboard.voicemail.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/** The index of voice messages and callback requests in Derby. */
final class Messages {

    /** One voice message. */
    record Message(long id, String box, String caller, String callerShown, String callId, String lineId, Instant receivedAt,
                   int durationMs, String fileName, String endedBy, boolean heard) {
    }

    /** One request to be called back. */
    record Callback(long id, String queue, String number, String callId, String lineId, Instant requestedAt, String state) {
    }

    /** One survey answer: a score 1..scale when a valid key came, else none, with what happened. */
    record SurveyResult(long id, String callId, String agent, String caller, Instant askedAt, int scale, Integer score, String outcome,
                        String key) {
    }

    private final DataSource ds;

    Messages(DataSource ds) {
        this.ds = ds;
    }

    long add(Message m) throws SQLException {
        return insert("INSERT INTO VM_MESSAGE (BOX, CALLER, CALLER_SHOWN, CALL_ID, LINE_ID, RECEIVED_AT, "
                + "DURATION_MS, FILE_NAME, ENDED_BY, HEARD) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p -> {
            p.setString(1, m.box());
            p.setString(2, m.caller());
            p.setString(3, m.callerShown());
            p.setString(4, m.callId());
            p.setString(5, m.lineId());
            p.setTimestamp(6, Timestamp.from(m.receivedAt()));
            p.setInt(7, m.durationMs());
            p.setString(8, m.fileName());
            p.setString(9, m.endedBy());
            p.setBoolean(10, false);
        });
    }

    List<Message> list(String box) throws SQLException {
        String sql = "SELECT * FROM VM_MESSAGE" + (box == null ? "" : " WHERE BOX = ?") + " ORDER BY RECEIVED_AT DESC, ID DESC";
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            if (box != null) {
                p.setString(1, box);
            }
            List<Message> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(message(r));
                }
            }
            return out;
        }
    }

    Optional<Message> get(long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("SELECT * FROM VM_MESSAGE WHERE ID = ?")) {
            p.setLong(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(message(r)) : Optional.empty();
            }
        }
    }

    void heard(long id) throws SQLException {
        update("UPDATE VM_MESSAGE SET HEARD = TRUE WHERE ID = ?", id);
    }

    void delete(long id) throws SQLException {
        update("DELETE FROM VM_MESSAGE WHERE ID = ?", id);
    }

    long addCallback(Callback cb) throws SQLException {
        return insert("INSERT INTO VM_CALLBACK (QUEUE_NAME, NUMBER, CALL_ID, LINE_ID, REQUESTED_AT, STATE) "
                + "VALUES (?, ?, ?, ?, ?, ?)", p -> {
            p.setString(1, cb.queue());
            p.setString(2, cb.number());
            p.setString(3, cb.callId());
            p.setString(4, cb.lineId());
            p.setTimestamp(5, Timestamp.from(cb.requestedAt()));
            p.setString(6, cb.state());
        });
    }

    List<Callback> callbacks() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT * FROM VM_CALLBACK ORDER BY REQUESTED_AT DESC, ID DESC");
             ResultSet r = p.executeQuery()) {
            List<Callback> out = new ArrayList<>();
            while (r.next()) {
                out.add(new Callback(r.getLong("ID"), r.getString("QUEUE_NAME"), r.getString("NUMBER"), r.getString("CALL_ID"),
                        r.getString("LINE_ID"), r.getTimestamp("REQUESTED_AT").toInstant(), r.getString("STATE")));
            }
            return out;
        }
    }

    long addSurvey(SurveyResult r) throws SQLException {
        return insert("INSERT INTO SURVEY_RESULT (CALL_ID, AGENT, CALLER, ASKED_AT, SCALE, SCORE, OUTCOME, "
                + "KEY_PRESSED) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", p -> {
            p.setString(1, r.callId());
            p.setString(2, r.agent());
            p.setString(3, r.caller());
            p.setTimestamp(4, Timestamp.from(r.askedAt()));
            p.setInt(5, r.scale());
            if (r.score() == null) {
                p.setNull(6, java.sql.Types.SMALLINT);
            } else {
                p.setInt(6, r.score());
            }
            p.setString(7, r.outcome());
            p.setString(8, r.key());
        });
    }

    List<SurveyResult> surveys(String agent) throws SQLException {
        String sql = "SELECT * FROM SURVEY_RESULT" + (agent == null ? "" : " WHERE AGENT = ?") + " ORDER BY ASKED_AT DESC, ID DESC";
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            if (agent != null) {
                p.setString(1, agent);
            }
            List<SurveyResult> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    int s = r.getInt("SCORE");
                    Integer score = r.wasNull() ? null : s; // read wasNull now: the next getter changes it
                    out.add(new SurveyResult(r.getLong("ID"), r.getString("CALL_ID"), r.getString("AGENT"), r.getString("CALLER"),
                            r.getTimestamp("ASKED_AT").toInstant(), r.getInt("SCALE"), score, r.getString("OUTCOME"),
                            r.getString("KEY_PRESSED")));
                }
            }
            return out;
        }
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement p) throws SQLException;
    }

    /** Runs an INSERT and returns the row's generated id. */
    private long insert(String sql, Binder binder) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            binder.bind(p);
            p.executeUpdate();
            try (ResultSet k = p.getGeneratedKeys()) {
                k.next();
                return k.getLong(1);
            }
        }
    }

    private void update(String sql, long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, id);
            p.executeUpdate();
        }
    }

    private static Message message(ResultSet r) throws SQLException {
        return new Message(r.getLong("ID"), r.getString("BOX"), r.getString("CALLER"), r.getString("CALLER_SHOWN"), r.getString("CALL_ID"),
                r.getString("LINE_ID"), r.getTimestamp("RECEIVED_AT").toInstant(), r.getInt("DURATION_MS"), r.getString("FILE_NAME"),
                r.getString("ENDED_BY"), r.getBoolean("HEARD"));
    }
}
