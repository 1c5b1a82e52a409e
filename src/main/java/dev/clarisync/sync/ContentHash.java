package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A stable fingerprint of a record's JSON, used as its version where the API gives none: the first 16 bytes, in hex,
 * of the SHA-256 of the record's compact JSON text ({@link JsonNode#toString()}) in UTF-8.
 */
public final class ContentHash {
    /**
     * Jackson's defaults, as {@link JsonNode#toString()} uses them, writing characters: the text goes into the digest as
     * it is written, without building it and its byte copy (two ~8 KB objects for every call's details). Jackson's own
     * UTF-8 output is no substitute: it escapes surrogates, which {@code getBytes} encodes.
     */
    private static final ObjectWriter JSON = JsonMapper.builder().build().writer();

    private ContentHash() {
    }

    public static String of(JsonNode record) {
        MessageDigest sha = sha256();
        try (Utf8Digest out = new Utf8Digest(sha)) {
            JSON.writeValue(out, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // nothing here does I/O
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    /**
     * The fingerprint of a record from the bytes of the answer that carried it, and of {@code context}: what the
     * record's stored form depends on besides the answer (the user names a transcript's speakers are resolved
     * against). Hashing the bytes as they came costs a tenth of re-serialising the parsed tree (measured: the tree
     * hash was 12% of the sampled Java CPU of a sync with details). An answer that differs only in key order or
     * spacing gets another hash: its record is written again, nothing is lost. Not comparable with {@link #of}, so a
     * warehouse whose versions were computed the other way rewrites each record once, at its next re-fetch.
     */
    public static String ofAnswer(byte[] answer, String context) {
        MessageDigest sha = sha256();
        sha.update(context.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(answer);
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    /** Cloned for each hash: cheaper than {@code getInstance}, which looks the algorithm up among the providers each time. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Feeds a digest the bytes {@code String.getBytes(UTF_8)} would give: a lone surrogate becomes {@code ?}. */
    private static final class Utf8Digest extends Writer {
        private final MessageDigest digest;
        private final byte[] buf = new byte[1024];
        private int n;
        /** A high surrogate whose low half may come with the next write. */
        private char high;

        Utf8Digest(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            for (int i = off; i < off + len; i++) {
                put(chars[i]);
            }
        }

        @Override
        public void write(String s, int off, int len) {
            for (int i = off; i < off + len; i++) {
                put(s.charAt(i));
            }
        }

        @Override
        public void write(int c) {
            put((char) c);
        }

        private void put(char c) {
            if (n > buf.length - 4) {
                flush();
            }
            if (high != 0) {
                char h = high;
                high = 0;
                if (Character.isLowSurrogate(c)) {
                    int cp = Character.toCodePoint(h, c);
                    buf[n++] = (byte) (0xF0 | cp >> 18);
                    buf[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    buf[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    buf[n++] = (byte) (0x80 | cp & 0x3F);
                    return;
                }
                buf[n++] = '?';
                put(c);
            } else if (c < 0x80) {
                buf[n++] = (byte) c;
            } else if (c < 0x800) {
                buf[n++] = (byte) (0xC0 | c >> 6);
                buf[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c)) {
                high = c;
            } else if (Character.isLowSurrogate(c)) {
                buf[n++] = '?';
            } else {
                buf[n++] = (byte) (0xE0 | c >> 12);
                buf[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                buf[n++] = (byte) (0x80 | c & 0x3F);
            }
        }

        @Override
        public void flush() {
            digest.update(buf, 0, n);
            n = 0;
        }

        @Override
        public void close() {
            if (high != 0) {
                high = 0;
                buf[n++] = '?';
            }
            flush();
        }
    }
}
