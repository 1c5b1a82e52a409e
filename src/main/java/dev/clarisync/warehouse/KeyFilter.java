package dev.clarisync.warehouse;

/**
 * The keys (row ids) a table <em>may</em> hold, as a set of 64-bit hashes: no false negatives, rare false
 * positives. A key that was ever written is answered "may exist"; a key never written is almost always answered
 * "new". The writer uses it only to skip work that a new key cannot need (looking up conflicts, deleting child rows
 * of a row that was never there), never to skip work an existing key needs, so a false positive costs time, not
 * correctness. Keys of rolled-back or deleted rows stay in (false positives, again harmless).
 *
 * <p>About 16 bytes per key. Not thread-safe (the warehouse serialises its users).
 */
final class KeyFilter {
    private static final float LOAD = 0.6f;

    private long[] slots;
    private int size;

    KeyFilter() {
        slots = new long[1024];
    }

    int size() {
        return size;
    }

    /** Adds a key. */
    void add(String key) {
        addHash(hash(key));
    }

    /** Whether a key may have been added (false: it certainly was not). */
    boolean mayContain(String key) {
        long h = hash(key);
        int mask = slots.length - 1;
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == 0) {
                return false;
            }
            if (s == h) {
                return true;
            }
        }
    }

    private void addHash(long h) {
        if (size + 1 > slots.length * LOAD) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == h) {
                return;
            }
            if (s == 0) {
                slots[i] = h;
                size++;
                return;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long h : old) {
            if (h != 0) {
                addHash(h);
            }
        }
    }

    /** 64-bit FNV-1a over the UTF-16 units, then MurmurHash3's finaliser; never 0 (the empty-slot marker). */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= key.length();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
