package dev.clarisync.ops;

/** Counts in words people read: "1 request", "2 requests", "1 retry", "0 retries". */
public final class Plural {
    private Plural() {
    }

    /** {@code n} and the noun, with an -s (or -y → -ies) unless {@code n} is 1. */
    public static String of(long n, String noun) {
        if (n == 1) {
            return n + " " + noun;
        }
        boolean y = noun.endsWith("y") && noun.length() > 1 && "aeiou".indexOf(noun.charAt(noun.length() - 2)) < 0;
        return n + " " + (y ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s");
    }
}
