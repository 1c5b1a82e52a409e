package dev.clarisync.warehouse;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The warehouse's disk is full. Its message says so, names the path the database could not write and what to do, so
 * the operator paged at night is not left with a database's follow-on error. Recognised in any database's
 * {@link SQLException}: PostgreSQL's SQLState {@value #DISK_FULL_STATE} ({@code could not extend file "base/..."}),
 * DuckDB's (and the operating system's) "No space left on device".
 */
public final class WarehouseDiskFullException extends WarehouseException {
    /** PostgreSQL's {@code disk_full} (class 53, insufficient resources). */
    static final String DISK_FULL_STATE = "53100";
    private static final String NO_SPACE = "No space left on device";
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    private WarehouseDiskFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The disk-full failure in {@code failure}'s causes (suppressed ones included), or null if there is none. */
    static WarehouseDiskFullException in(Throwable failure) {
        Deque<Throwable> todo = new ArrayDeque<>();
        Set<Throwable> seen = new HashSet<>();
        todo.add(failure);
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof WarehouseDiskFullException full) {
                return full;
            }
            if (t instanceof SQLException e && isDiskFull(e)) {
                return new WarehouseDiskFullException(message(e), failure);
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return null;
    }

    private static boolean isDiskFull(SQLException e) {
        return DISK_FULL_STATE.equals(e.getSQLState()) || (e.getMessage() != null && e.getMessage().contains(NO_SPACE));
    }

    private static String message(SQLException e) {
        boolean server = DISK_FULL_STATE.equals(e.getSQLState());
        Matcher quoted = QUOTED.matcher(e.getMessage() == null ? "" : e.getMessage());
        String path = quoted.find() ? quoted.group(1) : null;
        String where = server
                ? (path == null ? "on the database server" : path + " on the database server (under its data directory or tablespace)")
                : (path == null ? "(the database named no file)" : path);
        return "the warehouse's disk is full: " + where + " could not be written; free space on that volume or give the warehouse a"
                + " larger one, then run again: everything committed before is safe and the next run resumes from there";
    }
}
