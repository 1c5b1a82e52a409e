package dev.clarisync.privacy;

import dev.clarisync.config.Secret;
import dev.clarisync.config.SettingsException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The privacy and scope settings, read from the resolved configuration and validated: {@code clari.privacy.hash},
 * {@code clari.privacy.salt} (a secret), {@code clari.privacy.drop}, {@code clari.scope.users},
 * {@code clari.scope.teams}. Errors name the key and never show the salt.
 */
public record PrivacySettings(Set<PersonHasher.Kind> hashed, Secret salt, List<String> drop, List<String> scopeUsers,
                              List<String> scopeTeams) {
    public static final String HASH = "clari.privacy.hash";
    public static final String SALT = "clari.privacy.salt";
    public static final String DROP = "clari.privacy.drop";
    public static final String SCOPE_USERS = "clari.scope.users";
    public static final String SCOPE_TEAMS = "clari.scope.teams";
    /** A salt shorter than this is refused: it could be guessed along with the values. */
    static final int MIN_SALT_LENGTH = 16;

    public PrivacySettings {
        hashed = hashed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(hashed));
        drop = List.copyOf(drop);
        scopeUsers = List.copyOf(scopeUsers);
        scopeTeams = List.copyOf(scopeTeams);
    }

    /** Parses and validates; the salt is required when anything is hashed. */
    public static PrivacySettings from(Map<String, String> p) {
        Set<PersonHasher.Kind> kinds = EnumSet.noneOf(PersonHasher.Kind.class);
        for (String k : list(p, HASH)) {
            PersonHasher.Kind kind = switch (k.toLowerCase(java.util.Locale.ROOT)) {
                case "emails" -> PersonHasher.Kind.EMAILS;
                case "phones" -> PersonHasher.Kind.PHONES;
                case "names" -> PersonHasher.Kind.NAMES;
                default -> throw new SettingsException(HASH, "unknown kind '" + k + "' (known: emails, phones, names)");
            };
            kinds.add(kind);
        }
        String raw = p.get(SALT);
        Secret salt = Secret.of(raw == null ? "" : raw);
        if (!kinds.isEmpty() && salt.isEmpty()) {
            throw new SettingsException(SALT, "is required when " + HASH + " is set (a long random secret, e.g. openssl rand -hex 32)");
        }
        if (!salt.isEmpty() && salt.reveal().length() < MIN_SALT_LENGTH) {
            throw new SettingsException(SALT, "must be at least " + MIN_SALT_LENGTH + " characters (e.g. openssl rand -hex 32)");
        }
        List<String> drop = list(p, DROP);
        for (String path : drop) {
            if (!path.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*") || path.equals("id")) {
                throw new SettingsException(DROP, "'" + path + "' is not a field path such as transcript or transcript.text (id cannot be dropped)");
            }
        }
        return new PrivacySettings(kinds, salt, drop, list(p, SCOPE_USERS), list(p, SCOPE_TEAMS));
    }

    private static List<String> list(Map<String, String> p, String key) {
        List<String> out = new ArrayList<>();
        String v = p.get(key);
        if (v != null) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }

    /** A hasher under the salt, or null when no salt is set. */
    public PersonHasher hasher() {
        return salt.isEmpty() ? null : new PersonHasher(salt);
    }

    public boolean hashes(PersonHasher.Kind kind) {
        return hashed.contains(kind);
    }

    public boolean scoped() {
        return !scopeUsers.isEmpty() || !scopeTeams.isEmpty();
    }

    @Override
    public String toString() {
        return "PrivacySettings[hashed=" + hashed + ", drop=" + drop + ", scopeUsers=" + scopeUsers.size() + ", scopeTeams="
                + scopeTeams.size() + "]";
    }
}
