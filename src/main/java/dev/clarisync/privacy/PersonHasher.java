package dev.clarisync.privacy;

import dev.clarisync.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Salted hashes of personal values: {@code h:} + the hex HMAC-SHA-256, keyed by {@code clari.privacy.salt}, of the
 * value normalised by its kind ({@link #normalise}), so the same person hashes alike in every table and every run.
 * Thread-safe (one {@link Mac} per thread). Never prints the salt.
 */
public final class PersonHasher {
    /** What every hash token starts with. */
    public static final String PREFIX = "h:";
    private static final Pattern TOKEN = Pattern.compile("h:[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();

    /** The kinds of personal value, as {@code clari.privacy.hash} names them. */
    public enum Kind {
        EMAILS, PHONES, NAMES;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public PersonHasher(Secret salt) {
        if (salt == null || salt.isEmpty()) {
            throw new IllegalArgumentException("a salt is required");
        }
        this.key = new SecretKeySpec(salt.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        });
    }

    /**
     * The normal form hashed: emails trimmed and lower-cased; phones their digits only; names trimmed, inner
     * whitespace collapsed to one space and case-folded (lower case, root locale). Null when nothing is left.
     */
    public static String normalise(Kind kind, String value) {
        if (value == null) {
            return null;
        }
        String n = switch (kind) {
            case EMAILS -> value.strip().toLowerCase(Locale.ROOT);
            case PHONES -> value.replaceAll("[^0-9]", "");
            case NAMES -> value.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        };
        return n.isEmpty() ? null : n;
    }

    /** The token of a value of this kind; a value that is a token already is returned as it is; null stays null. */
    public String token(Kind kind, String value) {
        if (value == null || isToken(value)) {
            return value;
        }
        String n = normalise(kind, value);
        return n == null ? value : PREFIX + hmac(kind.key() + ":" + n);
    }

    /** Whether {@code s} is a hash token. */
    public static boolean isToken(String s) {
        return s != null && TOKEN.matcher(s).matches();
    }

    /**
     * What the warehouse keeps to recognise these settings later: an HMAC of a constant and the hashed kinds under
     * the salt, never the salt. Another salt or another set of kinds gives another fingerprint.
     */
    public String fingerprint(Set<Kind> kinds) {
        TreeSet<String> names = new TreeSet<>();
        kinds.forEach(k -> names.add(k.key()));
        return hmac("clari-privacy-fingerprint:" + String.join(",", names));
    }

    /** An HMAC of a constant: the same salt gives the same value (for {@code _forgotten}, written under a salt). */
    public String saltCheck() {
        return hmac("clari-privacy-salt-check");
    }

    private String hmac(String text) {
        return HEX.formatHex(macs.get().doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
