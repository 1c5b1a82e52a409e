package dev.clarisync.sim;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Seed arithmetic. Every generated value comes from a {@link SplittableRandom} seeded by mixing the
 * simulator seed with a stable key (call index, call id, section number), so a value never depends on
 * what was generated before it: rendering one call, or one part of it, is reproducible on its own.
 */
final class Seeds {
    private Seeds() {
    }

    /** SplitMix64 finaliser over the combination of two values. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E5BL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long mix(long a, long b, long c) {
        return mix(mix(a, b), c);
    }

    /** Stable 64-bit hash of a string (FNV-1a over UTF-8), used to key details by call id. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static SplittableRandom random(long seed, long section) {
        return new SplittableRandom(mix(seed, section));
    }

    /** A lowercase version-4 UUID string derived from the seed. */
    static String uuid(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    static <T> T pick(SplittableRandom r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    static boolean chance(SplittableRandom r, double p) {
        return r.nextDouble() < p;
    }

    /** Random lowercase hex string of the given length. */
    static String hex(SplittableRandom r, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    static String digits(SplittableRandom r, int length) {
        StringBuilder sb = new StringBuilder(length);
        sb.append((char) ('1' + r.nextInt(9)));
        for (int i = 1; i < length; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        return sb.toString();
    }

    /** Alphanumeric id in Salesforce style: 3-character key prefix + 15 characters. */
    static String salesforceId(SplittableRandom r, String prefix) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder sb = new StringBuilder(prefix).append("5g0000");
        while (sb.length() < 18) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
