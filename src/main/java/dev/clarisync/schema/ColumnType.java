package dev.clarisync.schema;

import java.util.Set;

/**
 * Logical column types of the JSON → tables rule. Each {@code Dialect} maps them to physical SQL types;
 * {@link #JSON} is stored as text and only remembered as "this text is JSON".
 *
 * <p>Widening ({@link #widen}) is the only way a column's type changes, and it never loses a value:
 * {@code BIGINT} → {@code DOUBLE} when decimals arrive (only while every integer involved has magnitude
 * ≤ 2<sup>53</sup>, so it is exact), anything else mixed → {@code VARCHAR}.
 */
public enum ColumnType {
    /** 64-bit integer: JSON integers that fit in a long. */
    BIGINT,
    /** 64-bit float: other JSON numbers. */
    DOUBLE,
    BOOLEAN,
    /** An instant, stored in UTC: strings in ISO-8601 form with a zone or offset (see {@link Value#of}). */
    TIMESTAMP,
    /** Text: other strings, and anything widened. */
    VARCHAR,
    /** JSON text: arrays of scalars, mixed or nested arrays. Physically text. */
    JSON;

    /** Largest magnitude up to which every integer is exactly representable as a double. */
    public static final long EXACT_DOUBLE_LIMIT = 1L << 53;

    /**
     * The type a column must have to hold values of every type in {@code types} (and, if {@code current}
     * is not null, the values it already holds). {@code bigIntegers} says some BIGINT value among the new
     * ones has magnitude over 2<sup>53</sup>, so DOUBLE would round it.
     */
    public static ColumnType widen(ColumnType current, Set<ColumnType> types, boolean bigIntegers) {
        ColumnType single = current;
        boolean numeric = true;
        boolean mixed = false;
        for (ColumnType t : types) {
            if (single == null) {
                single = t;
            } else if (single != t) {
                mixed = true;
            }
            numeric &= t == BIGINT || t == DOUBLE;
        }
        if (single == null) {
            throw new IllegalArgumentException("no types");
        }
        if (!mixed) {
            return single;
        }
        numeric &= current == null || current == BIGINT || current == DOUBLE;
        return numeric && !bigIntegers ? DOUBLE : VARCHAR;
    }

    /** Whether values of this type are kept as text in the database. */
    public boolean isText() {
        return this == VARCHAR || this == JSON;
    }
}
