package dev.clarisync.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.config.SettingsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whose calls are stored ({@code clari.scope.users}, {@code clari.scope.teams}): the user ids named, and every user in
 * the reporting tree ({@code manager_id}, transitively) of each manager named. A call is in scope when one of its
 * internal users ({@code users[].userId}) is. Users are named by id or email (matched in clear, or by its hash token
 * when emails are hashed in the warehouse).
 */
public final class Scope {
    private final Set<String> userIds;
    private final String description;

    private Scope(Set<String> userIds, String description) {
        this.userIds = Set.copyOf(userIds);
        this.description = description;
    }

    /**
     * The scope of the settings against the stored users (rows with id, email, manager_id), or null when no scope is
     * set. A name that matches no user is a configuration error (a typo must not silently store nothing).
     */
    public static Scope resolve(PrivacySettings settings, PersonHasher hasher, List<Map<String, String>> users) {
        if (!settings.scoped()) {
            return null;
        }
        Map<String, List<String>> reports = new HashMap<>();
        for (Map<String, String> u : users) {
            if (u.get("manager_id") != null) {
                reports.computeIfAbsent(u.get("manager_id"), k -> new ArrayList<>()).add(u.get("id"));
            }
        }
        Set<String> ids = new HashSet<>();
        for (String name : settings.scopeUsers()) {
            ids.add(find(name, users, hasher, PrivacySettings.SCOPE_USERS));
        }
        for (String name : settings.scopeTeams()) {
            List<String> todo = new ArrayList<>(List.of(find(name, users, hasher, PrivacySettings.SCOPE_TEAMS)));
            while (!todo.isEmpty()) {
                String id = todo.remove(todo.size() - 1);
                if (ids.add(id)) {
                    todo.addAll(reports.getOrDefault(id, List.of()));
                }
            }
        }
        return new Scope(ids, ids.size() + " users (" + settings.scopeUsers().size() + " named, " + settings.scopeTeams().size()
                + " teams)");
    }

    private static String find(String name, List<Map<String, String>> users, PersonHasher hasher, String key) {
        String email = PersonHasher.normalise(PersonHasher.Kind.EMAILS, name);
        String token = hasher == null ? null : hasher.token(PersonHasher.Kind.EMAILS, name);
        for (Map<String, String> u : users) {
            String stored = u.get("email");
            if (name.equals(u.get("id")) || stored != null && (stored.equals(token)
                    || email != null && email.equals(PersonHasher.normalise(PersonHasher.Kind.EMAILS, stored)))) {
                return u.get("id");
            }
        }
        throw new SettingsException(key, "no user '" + name + "' in /users (name users by id or email; the users stream"
                + " must have synced once)");
    }

    public boolean includesUser(String userId) {
        return userId != null && userIds.contains(userId);
    }

    /** Whether one of the call's internal users is in scope. */
    public boolean includesCall(JsonNode call) {
        JsonNode users = call.get("users");
        if (users != null && users.isArray()) {
            for (JsonNode u : users) {
                JsonNode id = u.get("userId");
                if (id != null && includesUser(id.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A fingerprint of the user ids in scope (ids are not personal data): it changes when the scope or a team does. */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(String.join(",", new TreeSet<>(userIds)).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String describe() {
        return description;
    }
}
