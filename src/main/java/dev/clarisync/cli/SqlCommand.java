package dev.clarisync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.warehouse.ReadOnlyQuery;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sql "SELECT ..."}: one read-only query against the configured warehouse, printed as an aligned table
 * (default), CSV with a header ({@code --format=csv}) or one JSON object per line ({@code --format=json}). A query
 * the database refuses exits 2 with the database's message on one line.
 */
public final class SqlCommand {
    /** Table cells longer than this are shortened (CSV and JSON print every value whole). */
    static final int MAX_CELL = 80;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SqlCommand() {
    }

    public static int run(ConnectorSettings settings, String sql, String format, PrintStream out, PrintStream err) {
        return run(settings, sql, format, java.time.Duration.ZERO, out, err);
    }

    /** @param wait how long to wait while a sync has the DuckDB file (zero: exit 5 at once, as before) */
    public static int run(ConnectorSettings settings, String sql, String format, java.time.Duration wait, PrintStream out,
                          PrintStream err) {
        ReadOnlyQuery.RowSink sink = switch (format) {
            case "csv" -> new Csv(out);
            case "json" -> new Json(out);
            default -> new Table(out);
        };
        try {
            WarehouseWait.of(wait, err).run(() -> {
                ReadOnlyQuery.run(settings.warehouseUrl(), settings.warehouseUser(), settings.warehousePassword().reveal(),
                        settings.warehouseSchema(), sql, sink);
                return Boolean.TRUE;
            });
        } catch (ReadOnlyQuery.QueryFailedException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.BAD_CONFIGURATION;
        }
        if (sink instanceof Table t) {
            t.print();
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** A sink that prints to {@code out} and remembers the column names. */
    private abstract static class Printer implements ReadOnlyQuery.RowSink {
        final PrintStream out;
        List<String> names = List.of();

        Printer(PrintStream out) {
            this.out = out;
        }

        @Override
        public void columns(List<String> names) {
            this.names = names;
        }
    }

    /** psql-like: header, a rule, rows (numbers right-aligned, NULL empty), then the row count. */
    static final class Table extends Printer {
        private final List<Object[]> rows = new ArrayList<>();

        Table(PrintStream out) {
            super(out);
        }

        @Override
        public void row(Object[] values) {
            rows.add(values);
        }

        void print() {
            if (names.isEmpty()) {
                out.println("ok");
                return;
            }
            int n = names.size();
            int[] width = new int[n];
            boolean[] numeric = new boolean[n];
            for (int i = 0; i < n; i++) {
                width[i] = names.get(i).length();
                numeric[i] = !rows.isEmpty();
            }
            List<String[]> cells = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                String[] c = new String[n];
                for (int i = 0; i < n; i++) {
                    c[i] = cell(row[i]);
                    width[i] = Math.max(width[i], c[i].length());
                    numeric[i] &= row[i] == null || row[i] instanceof Number;
                }
                cells.add(c);
            }
            StringBuilder header = new StringBuilder();
            StringBuilder rule = new StringBuilder();
            for (int i = 0; i < n; i++) {
                header.append(i == 0 ? " " : " | ").append(pad(names.get(i), width[i], false));
                rule.append(i == 0 ? "-" : "-+-").append("-".repeat(width[i]));
            }
            out.println(header.toString().stripTrailing());
            out.println(rule.append('-'));
            for (String[] c : cells) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    line.append(i == 0 ? " " : " | ").append(pad(c[i], width[i], numeric[i]));
                }
                out.println(line.toString().stripTrailing());
            }
            out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
        }

        private static String cell(Object v) {
            String s = text(v).replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
            return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
        }

        private static String pad(String s, int width, boolean right) {
            String fill = " ".repeat(width - s.length());
            return right ? fill + s : s + fill;
        }
    }

    /** RFC 4180: a header, fields quoted when they hold a comma, quote or line break; NULL is an empty field. */
    static final class Csv extends Printer {
        Csv(PrintStream out) {
            super(out);
        }

        @Override
        public void columns(List<String> names) {
            out.print(String.join(",", names.stream().map(Csv::field).toList()) + "\r\n");
        }

        @Override
        public void row(Object[] values) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < values.length; i++) {
                line.append(i == 0 ? "" : ",").append(values[i] == null ? "" : field(text(values[i])));
            }
            out.print(line.append("\r\n"));
        }

        static String field(String s) {
            return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                    ? '"' + s.replace("\"", "\"\"") + '"' : s;
        }
    }

    /** JSON Lines: one object per row, numbers and booleans typed, NULL as null. */
    static final class Json extends Printer {
        Json(PrintStream out) {
            super(out);
        }

        @Override
        public void row(Object[] values) {
            ObjectNode o = JSON.createObjectNode();
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                String name = names.get(i);
                if (v == null) {
                    o.putNull(name);
                } else if (v instanceof Boolean b) {
                    o.put(name, b);
                } else if (v instanceof BigDecimal d) {
                    o.put(name, d);
                } else if (v instanceof BigInteger bi) {
                    o.put(name, bi);
                } else if (v instanceof Double || v instanceof Float) {
                    double d = ((Number) v).doubleValue();
                    if (Double.isFinite(d)) {
                        o.put(name, d);
                    } else {
                        o.put(name, Double.toString(d));
                    }
                } else if (v instanceof Number num) {
                    o.put(name, num.longValue());
                } else {
                    o.put(name, v.toString());
                }
            }
            out.println(o.toString());
        }
    }

    static String text(Object v) {
        if (v == null) {
            return "";
        }
        return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
    }
}
