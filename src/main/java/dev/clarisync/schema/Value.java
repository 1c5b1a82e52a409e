package dev.clarisync.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One non-null scalar cell produced by the {@link Flattener}: its {@link ColumnType}, its Java value and its
 * text form (used when the column is, or becomes, text). Immutable (a number's text is made on first use).
 */
public final class Value {

    /** ISO-8601 instant with seconds, at most microsecond precision (what both databases store exactly) and a zone. */
    private static final Pattern INSTANT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})");

    private final ColumnType type;
    private final Object value;
    /** Null until asked for a BIGINT or a finite DOUBLE: most numbers go to numeric columns and never need it. */
    private String text;

    private Value(ColumnType type, Object value, String text) {
        this.type = type;
        this.value = value;
        this.text = text;
    }

    /**
     * The value of a scalar JSON node: integral numbers that fit a long → BIGINT; larger integers → VARCHAR
     * (their digits; a DOUBLE would round them); other numbers → DOUBLE (text: Jackson's rendering);
     * booleans → BOOLEAN; strings that are ISO-8601 instants with {@code Z} or an offset and at most 6 fraction
     * digits (e.g. {@code 2025-06-10T15:00:00.000Z}) → TIMESTAMP (the original string kept as text); other
     * strings → VARCHAR. Returns null for JSON null.
     */
    public static Value of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong()
                    ? ofLong(node.longValue())
                    : new Value(ColumnType.VARCHAR, node.asText(), node.asText());
        }
        if (node.isNumber()) {
            return node instanceof DoubleNode && Double.isFinite(node.doubleValue())
                    ? new Value(ColumnType.DOUBLE, node.doubleValue(), null)
                    : new Value(ColumnType.DOUBLE, node.doubleValue(), node.toString());
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? TRUE : FALSE;
        }
        if (node.isTextual()) {
            return ofString(node.textValue());
        }
        if (node.isContainerNode()) {
            return json(node.toString());
        }
        return ofString(node.asText()); // binary or POJO nodes: their text
    }

    private static final Value TRUE = new Value(ColumnType.BOOLEAN, Boolean.TRUE, "true");
    private static final Value FALSE = new Value(ColumnType.BOOLEAN, Boolean.FALSE, "false");

    public static Value ofLong(long v) {
        return new Value(ColumnType.BIGINT, v, null);
    }

    /** A string: TIMESTAMP if it is an ISO-8601 instant (see {@link #of}), VARCHAR otherwise. */
    public static Value ofString(String s) {
        Instant instant = parseInstant(s);
        return instant != null ? new Value(ColumnType.TIMESTAMP, instant, s) : new Value(ColumnType.VARCHAR, s, s);
    }

    /** JSON text (an array kept whole). */
    public static Value json(String jsonText) {
        return new Value(ColumnType.JSON, jsonText, jsonText);
    }

    static Instant parseInstant(String s) {
        // cheap shape test first: most strings (transcript text) are not timestamps
        if (s.length() < 20 || s.length() > 32 || s.charAt(4) != '-' || s.charAt(10) != 'T'
                || !INSTANT.matcher(s).matches()) {
            return null;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            // year 0 is valid ISO but not a PostgreSQL timestamp; keep such strings as text
            return t.getYear() >= 1 ? t.toInstant() : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public ColumnType type() {
        return type;
    }

    /** The text form: the string itself, the original timestamp string, JSON text, or the number/boolean as JSON writes it. */
    public String text() {
        String t = text;
        if (t == null) {
            // Jackson writes a finite double as Double.toString (asking it costs a JSON generator per value)
            t = type == ColumnType.BIGINT ? Long.toString((Long) value) : Double.toString((Double) value);
            text = t;
        }
        return t;
    }

    /** Whether a column of type {@code column} can hold this value without losing it. */
    public boolean fits(ColumnType column) {
        if (column == type || column == ColumnType.VARCHAR) {
            return true;
        }
        return column == ColumnType.DOUBLE && type == ColumnType.BIGINT && exactAsDouble();
    }

    /** True unless this is a BIGINT whose magnitude exceeds 2^53 (a DOUBLE column would round it). */
    public boolean exactAsDouble() {
        if (type != ColumnType.BIGINT) {
            return true;
        }
        long v = (Long) value;
        return v >= -ColumnType.EXACT_DOUBLE_LIMIT && v <= ColumnType.EXACT_DOUBLE_LIMIT;
    }

    /**
     * This value as the Java object bound into a column of type {@code column}: Long, Double, Boolean, Instant
     * or String. Throws if it does not {@link #fits fit}.
     */
    public Object as(ColumnType column) {
        if (column.isText()) {
            if (column == ColumnType.JSON && type != ColumnType.JSON) {
                throw new IllegalArgumentException(type + " value in a JSON column");
            }
            return text();
        }
        if (column == type) {
            return value;
        }
        if (column == ColumnType.DOUBLE && type == ColumnType.BIGINT) {
            return ((Long) value).doubleValue();
        }
        throw new IllegalArgumentException(type + " value does not fit a " + column + " column");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Value v && v.type == type && v.text().equals(text());
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, text());
    }

    @Override
    public String toString() {
        return type + ":" + text();
    }
}
