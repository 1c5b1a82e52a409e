package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnType;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SQL of privacy: {@code _forgotten} (the salted hashes of forgotten people), the privacy and scope fingerprints in
 * {@code _sync_state} (stream {@value #STATE}), removing calls that left the scope, and erasing a person from every
 * table ({@link #erase}). What is a person and how a text is erased is the caller's ({@link Erasure}); this class only
 * finds and rewrites rows.
 */
public final class PrivacyStore {
    public static final String FORGOTTEN = "_forgotten";
    /** The {@code _sync_state} stream of the privacy fingerprints. */
    public static final String STATE = "_privacy";
    /** Tables that never hold personal data (bookkeeping of names, versions and counts). */
    private static final Set<String> NOT_SEARCHED = Set.of(FORGOTTEN, BookkeepingTables.SYNC_STATE, BookkeepingTables.PROCESSED,
            BookkeepingTables.SCHEMA_CHANGES, BookkeepingTables.SCHEMA_TABLES, BookkeepingTables.SCHEMA_COLUMNS, RequestLedgerStore.TABLE,
            BookkeepingTables.CONNECTOR_CHECK);
    private static final List<String> PERSON_COLUMNS = List.of("email", "user_email", "phone");
    private static final List<String> SPOKEN_COLUMNS = List.of("text", "reasoning");
    private static final List<String> SPEAKER_COLUMNS = List.of("speaker_name", "speaker_email");

    /** How one person is recognised and erased; implemented outside the warehouse (privacy rules are not SQL). */
    public interface Erasure {
        /** Whether a participant row is the person, from its email, name and phone as stored (clear or hashed; any may be null). */
        boolean isPerson(String email, String name, String phone);

        /** Lower-case fragments at least one of which any text naming the person contains (a cheap pre-filter). */
        List<String> fragments();

        /** The text with every form of the person replaced. */
        String erase(String text);

        /** What a text the person spoke becomes. */
        String forgottenText();
    }

    private final Warehouse w;

    /** Creates {@code _forgotten} if missing. */
    public PrivacyStore(Warehouse warehouse) {
        this.w = warehouse;
        BookkeepingTables.create(w, BookkeepingTables.FORGOTTEN);
    }

    /** The hashes in {@code _forgotten}. */
    public Set<String> forgotten() {
        Set<String> out = new HashSet<>();
        for (Map<String, Object> row : w.query(w.dialect().select(w.table(FORGOTTEN), List.of("hash")))) {
            out.add((String) row.get("hash"));
        }
        return out;
    }

    /** The privacy state (fingerprints) as key → value. */
    public Map<String, String> state() {
        return w.readState(STATE);
    }

    /** Whether any stream has written anything yet. */
    public boolean holdsData() {
        return w.count(BookkeepingTables.PROCESSED) > 0;
    }

    /** Records hashes of a forgotten person (hash → kind), inside the caller's transaction; known hashes are kept. */
    public int recordForgotten(WarehouseTx tx, Map<String, String> hashToKind, Instant now) {
        Set<String> known = forgotten();
        int added = 0;
        try {
            for (Map.Entry<String, String> e : hashToKind.entrySet()) {
                if (known.add(e.getKey())) {
                    w.update(w.dialect().insert(w.table(FORGOTTEN), "hash", "kind", "forgotten_at"), e.getKey(), e.getValue(), now);
                    added++;
                }
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot write " + FORGOTTEN + ": " + Secrets.oneLine(e.getMessage(), null), e);
        }
        return added;
    }

    /** The given columns of every row of a table (empty if it does not exist; a missing column reads null). */
    public List<Map<String, String>> rows(String table, List<String> columns) {
        List<Map<String, String>> out = new ArrayList<>();
        List<String> present = w.columns(table);
        if (present.isEmpty()) {
            return out;
        }
        List<String> select = columns.stream().filter(present::contains).toList();
        for (Map<String, Object> row : w.query(w.dialect().select(w.table(table), select))) {
            Map<String, String> r = new LinkedHashMap<>();
            columns.forEach(c -> r.put(c, str(row.get(c))));
            out.add(r);
        }
        return out;
    }

    /** (email, name, phone) of every participant-like row (a table with an email, user_email or phone column). */
    public List<List<String>> people() {
        List<List<String>> out = new ArrayList<>();
        for (String t : baseTables()) {
            Map<String, String> cols = columnTypes(t);
            if (PERSON_COLUMNS.stream().noneMatch(cols::containsKey)) {
                continue;
            }
            for (Map<String, String> r : rows(t, List.of("email", "user_email", "name", "phone"))) {
                out.add(java.util.Arrays.asList(r.get("email") != null ? r.get("email") : r.get("user_email"), r.get("name"), r.get("phone")));
            }
        }
        return out;
    }

    /**
     * Empties every table of synced data and its bookkeeping (cursors, versions, backlog, set-aside answers), inside
     * the caller's transaction, so the next streams reload everything from the API. Kept: the run log, the request
     * ledger, the schema and its history, {@code _forgotten} and the privacy state.
     */
    public List<String> emptyForRebuild(WarehouseTx tx) {
        List<String> emptied = new ArrayList<>();
        Set<String> kept = Set.of("_sync_runs", FORGOTTEN, "_sync_state", "_schema_changes", "_schema_tables", "_schema_columns",
                RequestLedgerStore.TABLE, "_connector_check");
        try {
            for (String t : baseTables()) {
                if (!kept.contains(t)) {
                    w.update(w.dialect().delete(w.table(t)));
                    emptied.add(t);
                }
            }
            w.update(w.dialect().delete(w.table(BookkeepingTables.PROCESSED)));
            w.update(w.dialect().deleteAllBut(w.table(BookkeepingTables.SYNC_STATE), "stream"), STATE);
        } catch (SQLException e) {
            throw new WarehouseException("cannot empty the warehouse for a rebuild: " + Secrets.oneLine(e.getMessage(), null), e);
        }
        return emptied;
    }

    /** Ids of the root table's rows (empty if it does not exist). */
    public Set<String> ids(String table) {
        Set<String> out = new HashSet<>();
        if (w.tableExists(table)) {
            for (Map<String, Object> row : w.query(w.dialect().select(w.table(table), List.of("id")))) {
                out.add((String) row.get("id"));
            }
        }
        return out;
    }

    /** (parent id, value) of one column of a child table (empty if it does not exist), e.g. the user ids of each call. */
    public Map<String, Set<String>> childValues(String table, String column) {
        Map<String, Set<String>> out = new TreeMap<>();
        if (w.columns(table).contains(column)) {
            for (Map<String, Object> row : w.query(w.dialect().select(w.table(table), List.of("_parent_id", column)))) {
                Object v = row.get(column);
                out.computeIfAbsent((String) row.get("_parent_id"), k -> new HashSet<>()).add(v == null ? null : v.toString());
            }
        }
        return out;
    }

    /**
     * Forgets the bookkeeping of records removed from their tables (by {@link WarehouseTx#deleteAllExcept}), inside
     * the caller's transaction: their {@code _processed} versions in these scopes, their details backlog entries and
     * set-aside answers, so that a later scope holding them again writes and fetches them anew.
     */
    public void forgetRecords(WarehouseTx tx, Collection<String> ids, List<String> scopes) {
        Dialect d = w.dialect();
        try {
            for (String id : ids) {
                for (String scope : scopes) {
                    w.update(d.delete(w.table(BookkeepingTables.PROCESSED), "scope", "id"), scope, id);
                }
                if (w.tableExists(DetailsBacklogStore.TABLE)) {
                    w.update(d.delete(w.table(DetailsBacklogStore.TABLE), "call_id"), id);
                }
                if (w.tableExists(RejectedRecordsStore.TABLE)) {
                    w.update(d.delete(w.table(RejectedRecordsStore.TABLE), "record_id"), id);
                }
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot remove the bookkeeping of removed records: " + Secrets.oneLine(e.getMessage(), null), e);
        }
    }

    /**
     * Erases one person from every table, inside the caller's transaction: participant rows that are the person are
     * deleted; what they spoke (transcript turns, competitor sentiments: by the deleted rows' call and person id, or by
     * speaker) becomes {@link Erasure#forgottenText}; every text column of every table is rewritten by
     * {@link Erasure#erase} where it names them. Returns the rows changed per table (only tables touched), in order.
     */
    public Map<String, Integer> erase(WarehouseTx tx, Erasure erasure) {
        Map<String, Integer> touched = new TreeMap<>();
        try {
            List<String> tables = baseTables();
            Map<String, Map<String, String>> columnTypes = new LinkedHashMap<>();
            for (String t : tables) {
                columnTypes.put(t, columnTypes(t));
            }
            Set<List<String>> spoke = new HashSet<>(); // (call id, person id)
            for (String t : tables) {
                Map<String, String> cols = columnTypes.get(t);
                if (PERSON_COLUMNS.stream().anyMatch(cols::containsKey)) {
                    add(touched, t, deleteParticipants(t, cols, erasure, spoke));
                }
            }
            for (String t : tables) {
                Map<String, String> cols = columnTypes.get(t);
                if (cols.containsKey("_root_id") && cols.containsKey("person_id") && SPOKEN_COLUMNS.stream().anyMatch(cols::containsKey)) {
                    add(touched, t, forgetSpoken(t, cols, spoke, erasure));
                }
                if (SPEAKER_COLUMNS.stream().anyMatch(cols::containsKey) && cols.containsKey("_parent_id")) {
                    add(touched, t, forgetSpeakers(t, cols, erasure));
                }
            }
            for (String t : tables) {
                for (Map.Entry<String, String> c : columnTypes.get(t).entrySet()) {
                    if (isText(c.getValue())) {
                        add(touched, t, eraseText(t, c.getKey(), erasure));
                    }
                }
            }
        } catch (SQLException e) {
            throw new WarehouseException("cannot erase the person: " + Secrets.oneLine(e.getMessage(), null), e);
        }
        touched.values().removeIf(n -> n == 0);
        return touched;
    }

    private static void add(Map<String, Integer> touched, String table, int n) {
        touched.merge(table, n, Integer::sum);
    }

    private int deleteParticipants(String t, Map<String, String> cols, Erasure erasure, Set<List<String>> spoke) throws SQLException {
        boolean child = cols.containsKey("_parent_id") && cols.containsKey("_idx");
        if (!child && !cols.containsKey("id")) {
            return 0;
        }
        List<String> select = new ArrayList<>(child ? List.of("_parent_id", "_idx") : List.of("id"));
        for (String c : List.of("_root_id", "person_id", "email", "user_email", "name", "phone")) {
            if (cols.containsKey(c)) {
                select.add(c);
            }
        }
        int n = 0;
        for (Map<String, Object> row : w.query(w.dialect().select(w.table(t), select))) {
            String email = str(row.get(cols.containsKey("email") ? "email" : "user_email"));
            if (!erasure.isPerson(email, str(row.get("name")), str(row.get("phone")))) {
                continue;
            }
            if (child) {
                n += w.update(w.dialect().delete(w.table(t), "_parent_id", "_idx"), row.get("_parent_id"), row.get("_idx"));
            } else {
                n += w.update(w.dialect().delete(w.table(t), "id"), row.get("id"));
            }
            if (row.get("_root_id") != null && row.get("person_id") != null) {
                spoke.add(List.of(row.get("_root_id").toString(), row.get("person_id").toString()));
            }
        }
        return n;
    }

    private int forgetSpoken(String t, Map<String, String> cols, Set<List<String>> spoke, Erasure erasure) throws SQLException {
        Dialect d = w.dialect();
        List<String> set = new ArrayList<>();
        for (String c : List.of("text", "reasoning", "speaker_name", "speaker_email")) {
            if (cols.containsKey(c)) {
                set.add(d.quote(c) + " = ?");
            }
        }
        String sql = "UPDATE " + w.table(t) + " SET " + String.join(", ", set) + " WHERE " + d.quote("_root_id") + " = ? AND CAST("
                + d.quote("person_id") + " AS " + d.sqlType(ColumnType.VARCHAR) + ") = ?";
        int n = 0;
        for (List<String> p : spoke) {
            Object[] binds = new Object[set.size() + 2];
            java.util.Arrays.fill(binds, 0, set.size(), erasure.forgottenText());
            binds[set.size()] = p.get(0);
            binds[set.size() + 1] = p.get(1);
            n += w.update(sql, binds);
        }
        return n;
    }

    private int forgetSpeakers(String t, Map<String, String> cols, Erasure erasure) throws SQLException {
        Dialect d = w.dialect();
        List<String> select = new ArrayList<>(List.of("_parent_id", "_idx"));
        SPEAKER_COLUMNS.stream().filter(cols::containsKey).forEach(select::add);
        List<String> set = new ArrayList<>();
        for (String c : List.of("text", "speaker_name", "speaker_email")) {
            if (cols.containsKey(c)) {
                set.add(c);
            }
        }
        String update = d.update(w.table(t), set, "_parent_id", "_idx");
        int n = 0;
        for (Map<String, Object> row : w.query(d.select(w.table(t), select))) {
            String email = str(row.get("speaker_email"));
            String name = str(row.get("speaker_name"));
            if (email == null && name == null || erasure.forgottenText().equals(name) || !erasure.isPerson(email, name, null)) {
                continue;
            }
            Object[] binds = new Object[set.size() + 2];
            java.util.Arrays.fill(binds, 0, set.size(), erasure.forgottenText());
            binds[set.size()] = row.get("_parent_id");
            binds[set.size() + 1] = row.get("_idx");
            n += w.update(update, binds);
        }
        return n;
    }

    private int eraseText(String t, String column, Erasure erasure) throws SQLException {
        Dialect d = w.dialect();
        List<String> fragments = erasure.fragments();
        if (fragments.isEmpty()) {
            return 0;
        }
        String col = d.quote(column);
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < fragments.size(); i++) {
            where.append(i == 0 ? "" : " OR ").append("lower(").append(col).append(") LIKE ?");
        }
        Object[] binds = fragments.stream().map(f -> "%" + f.replaceAll("[\\\\%_]", "%") + "%")
                .toArray();
        String sql = "SELECT DISTINCT " + col + " AS v FROM " + w.table(t) + " WHERE " + where;
        int n = 0;
        for (Map<String, Object> row : w.query(sql, binds)) {
            String old = (String) row.get("v");
            String erased = erasure.erase(old);
            if (!erased.equals(old)) {
                n += w.update("UPDATE " + w.table(t) + " SET " + col + " = ? WHERE " + col + " = ?", erased, old);
            }
        }
        return n;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static boolean isText(String dataType) {
        String t = dataType.toUpperCase(Locale.ROOT);
        return t.equals("VARCHAR") || t.equals("TEXT") || t.startsWith("CHARACTER VARYING") || t.equals("JSON");
    }

    /** The base tables of this warehouse that may hold personal data. */
    private List<String> baseTables() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : w.query(w.dialect().baseTablesOf(), w.schema())) {
            String name = (String) row.get("table_name");
            if (!NOT_SEARCHED.contains(name)) {
                out.add(name);
            }
        }
        out.sort(null);
        return out;
    }

    private Map<String, String> columnTypes(String table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> row : w.query(w.dialect().columnTypesOf(), w.schema(), table)) {
            out.put((String) row.get("column_name"), (String) row.get("data_type"));
        }
        return out;
    }
}
