package dev.clarisync.config;

/**
 * {@code clari.sync.max-rejected}: how many records one stream may set aside for the first time in one run before
 * the run fails anyway. A percentage of the records the stream read in the run, never below {@value #FLOOR}
 * records ({@code "1%"}), or a plain count ({@code "20"}).
 */
public record RejectionLimit(double percent, long count) {
    /** The least a percentage allows: a handful of bad records in a small run is not a systematic change. */
    public static final long FLOOR = 5;

    public static RejectionLimit parse(String key, String text) {
        String t = text.trim();
        try {
            if (t.endsWith("%")) {
                double p = Double.parseDouble(t.substring(0, t.length() - 1).trim());
                if (p >= 0 && p <= 100) {
                    return new RejectionLimit(p, -1);
                }
            } else {
                long n = Long.parseLong(t);
                if (n >= 0) {
                    return new RejectionLimit(-1, n);
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException(key, "must be a percentage such as 1% or a number of records such as 20, not '" + text + "'");
    }

    /** The most records a stream may newly set aside in a run that read {@code read} records. */
    public long allowed(long read) {
        if (count >= 0) {
            return count;
        }
        return Math.max(FLOOR, (long) Math.ceil(read * percent / 100.0));
    }

    @Override
    public String toString() {
        return count >= 0 ? Long.toString(count) : (percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent)) + "%";
    }
}
