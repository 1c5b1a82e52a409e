package dev.clarisync.warehouse;

import dev.clarisync.schema.ColumnSchema;
import dev.clarisync.schema.ColumnType;
import dev.clarisync.schema.TableSchema;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history of versioned streams ({@code clari.history.streams}): for a stream {@code s}, the table
 * {@code s__history} keeps every distinct version of each root row, with the root table's {@code id} and data
 * columns plus {@code _valid_from}, {@code _valid_to} (NULL for the current version) and {@code _version_hash}.
 *
 * <p><b>Same transaction as the row.</b> Every method runs inside the writer's transaction in progress, right where
 * the root rows are written, removed or flagged: the versions commit with the rows or not at all, so a crash can
 * never leave a row with no current version, or two.
 *
 * <p><b>What a version is.</b> The hash of the stored root row: {@code id} and every data column, each as the
 * dialect's canonical text ({@link Dialect#toText}) prefixed by its name, NULLs left out. Leaving NULLs out keeps the
 * hash of every existing row when the schema gains a column; {@code _synced_at} and {@code _deleted} are bookkeeping,
 * not content. A row re-written with the same values (a rerun, a lookback re-read, a change only in child rows) keeps
 * its version. Widening a column's type changes its text ({@code 5} → {@code 5.0}), so a widened row gets one new
 * version when it is next written.
 *
 * <p><b>Child tables are not versioned</b>: a call's participants or transcript keep their latest rows only.
 */
final class HistoryTables {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryTables.class);
    static final String SUFFIX = "__history";
    static final String VALID_FROM = "_valid_from";
    static final String VALID_TO = "_valid_to";
    static final String VERSION_HASH = "_version_hash";

    private final Warehouse w;
    private volatile Set<String> streams = Set.of();

    HistoryTables(Warehouse w) {
        this.w = w;
    }

    void keep(Collection<String> names) {
        streams = Set.copyOf(names);
    }

    Set<String> streams() {
        return streams;
    }

    boolean keeps(TableSchema table) {
        return table != null && table.isRoot() && streams.contains(table.stream());
    }

    static String tableOf(String rootTable) {
        return rootTable + SUFFIX;
    }

    /** {@link #ensure} for every versioned stream that has a root table. */
    void ensureAll() throws SQLException {
        for (String stream : streams) {
            TableSchema root = w.model().table(stream);
            if (root != null) {
                ensure(root);
            }
        }
    }

    /**
     * Creates the history table of a versioned root table if it is missing, seeded with one current version per row
     * not deleted (valid from the row's {@code _synced_at}); otherwise adds the columns the root table gained since.
     * Call it before the root rows of a write are touched, so a seed holds the rows as they were.
     */
    void ensure(TableSchema root) throws SQLException {
        if (!keeps(root)) {
            return;
        }
        String name = tableOf(root.name());
        List<String> have = physical(name);
        Dialect d = w.dialect();
        if (have.isEmpty()) {
            create(root);
            int seeded = w.update("INSERT INTO " + w.table(name) + " (" + insertColumns(root) + ") SELECT " + selectColumns(root)
                    + ", r." + d.quote(TableSchema.SYNCED_AT) + ", NULL, " + hash(root) + " FROM " + w.table(root.name()) + " r"
                    + (root.hasDeletedFlag() ? " WHERE COALESCE(r." + d.quote(TableSchema.DELETED) + ", FALSE) = FALSE" : ""));
            LOG.info("history: created {} with one version per existing row ({} rows)", name, seeded);
            return;
        }
        boolean added = false;
        for (ColumnSchema c : root.columns()) {
            if (!have.contains(c.name())) {
                w.execute(d.addColumn(w.table(name), d.quote(c.name()), c.type()));
                added = true;
            }
        }
        if (added) {
            w.writes().schemaChanged();
        }
    }

    /**
     * After the root rows of {@code idStage}'s ids were written at {@code at}: closes the current version of each
     * whose content hash changed ({@code _valid_to = at}) and opens a version ({@code _valid_from = at}) for each that
     * has no current version now (changed, new, or written again after a delete).
     *
     * @param idStage a stage table with an {@code id} column holding the written ids
     */
    void record(TableSchema root, String idStage, Instant at) throws SQLException {
        if (!keeps(root)) {
            return;
        }
        Dialect d = w.dialect();
        String history = w.table(tableOf(root.name()));
        String id = d.quote(TableSchema.ID);
        String validTo = d.quote(VALID_TO);
        String written = "(SELECT " + id + " FROM " + d.quote(idStage) + ")";
        w.writes().update("UPDATE " + history + " AS h SET " + validTo + " = ? WHERE h." + validTo + " IS NULL AND h." + id
                + " IN " + written + " AND EXISTS (SELECT 1 FROM " + w.table(root.name()) + " r WHERE r." + id + " = h." + id
                + " AND " + hash(root) + " <> h." + d.quote(VERSION_HASH) + ")", at);
        w.writes().update("INSERT INTO " + history + " (" + insertColumns(root) + ") SELECT " + selectColumns(root) + ", ?, NULL, "
                + hash(root) + " FROM " + w.table(root.name()) + " r WHERE r." + id + " IN " + written + " AND NOT EXISTS (SELECT 1 FROM "
                + history + " h WHERE h." + id + " = r." + id + " AND h." + validTo + " IS NULL)", at);
    }

    /**
     * Closes at {@code at} the current version of rows removed or flagged deleted: those whose id is in
     * {@code idStage} ({@code keep} false), or whose id is not ({@code keep} true, a full refresh's kept ids).
     */
    void close(TableSchema root, String idStage, boolean keep, Instant at) throws SQLException {
        if (!keeps(root) || physical(tableOf(root.name())).isEmpty()) {
            return;
        }
        Dialect d = w.dialect();
        String id = d.quote(TableSchema.ID);
        String validTo = d.quote(VALID_TO);
        w.update("UPDATE " + w.table(tableOf(root.name())) + " AS h SET " + validTo + " = ? WHERE h." + validTo + " IS NULL AND "
                + (keep ? "NOT " : "") + "EXISTS (SELECT 1 FROM " + d.quote(idStage) + " k WHERE k." + id + " = h." + id + ")", at);
    }

    /** Widens a column of the history table as its root table's column was widened (same conversion). */
    void widen(TableSchema table, String quotedColumn, ColumnType to, String using) throws SQLException {
        if (keeps(table) && !physical(tableOf(table.name())).isEmpty()) {
            w.execute(w.dialect().alterType(w.table(tableOf(table.name())), quotedColumn, to, using));
        }
    }

    private void create(TableSchema root) throws SQLException {
        Dialect d = w.dialect();
        StringBuilder ddl = new StringBuilder(d.quote(TableSchema.ID)).append(' ').append(d.sqlType(ColumnType.VARCHAR)).append(" NOT NULL");
        for (ColumnSchema c : root.columns()) {
            ddl.append(", ").append(d.quote(c.name())).append(' ').append(d.sqlType(c.type()));
        }
        ddl.append(", ").append(d.quote(VALID_FROM)).append(' ').append(d.sqlType(ColumnType.TIMESTAMP)).append(" NOT NULL");
        ddl.append(", ").append(d.quote(VALID_TO)).append(' ').append(d.sqlType(ColumnType.TIMESTAMP));
        ddl.append(", ").append(d.quote(VERSION_HASH)).append(' ').append(d.sqlType(ColumnType.VARCHAR)).append(" NOT NULL");
        String name = w.table(tableOf(root.name()));
        w.execute("CREATE TABLE " + name + " (" + ddl + ")");
        // every write looks up current versions by id: PostgreSQL needs the index, DuckDB's zone maps do without
        for (String sql : d.childTableIndexes(name, d.quote(TableSchema.ID))) {
            w.execute(sql);
        }
        w.writes().schemaChanged();
    }

    /** The history table's columns, or empty when it does not exist (cached per session until DDL or a rollback). */
    private List<String> physical(String table) throws SQLException {
        return w.writes().physicalColumns(table, t -> {
            try {
                return w.physicalColumns(t);
            } catch (SQLException missing) {
                return List.of();
            }
        });
    }

    private String insertColumns(TableSchema root) {
        Dialect d = w.dialect();
        List<String> names = new ArrayList<>();
        names.add(TableSchema.ID);
        root.columns().forEach(c -> names.add(c.name()));
        names.add(VALID_FROM);
        names.add(VALID_TO);
        names.add(VERSION_HASH);
        return names.stream().map(d::quote).collect(Collectors.joining(", "));
    }

    private String selectColumns(TableSchema root) {
        Dialect d = w.dialect();
        StringBuilder s = new StringBuilder("r.").append(d.quote(TableSchema.ID));
        root.columns().forEach(c -> s.append(", r.").append(d.quote(c.name())));
        return s.toString();
    }

    /**
     * The content hash of root row {@code r}: md5 of {@code name=text} pairs in name order, NULLs left out. Built with
     * {@code ||} rather than a function call: PostgreSQL takes at most 100 arguments, a root table may have more columns.
     */
    private String hash(TableSchema root) {
        Dialect d = w.dialect();
        List<ColumnSchema> columns = new ArrayList<>(root.columns());
        columns.add(new ColumnSchema(TableSchema.ID, ColumnType.VARCHAR, null));
        columns.sort(Comparator.comparing(ColumnSchema::name));
        String text = columns.stream()
                .map(c -> "COALESCE('" + c.name().replace("'", "''") + "=' || " + d.toText("r." + d.quote(c.name()), c.type())
                        + " || chr(31), '')")
                .collect(Collectors.joining(" || "));
        return "md5(" + text + ")";
    }
}
