package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.config.SettingsException;
import dev.clarisync.privacy.Person;
import dev.clarisync.privacy.PersonHasher;
import dev.clarisync.privacy.PrivacySettings;
import dev.clarisync.privacy.RecordFilter;
import dev.clarisync.privacy.Scope;
import dev.clarisync.warehouse.PrivacyStore;
import dev.clarisync.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Privacy and scope for one run ({@link RunContext#privacy()}): created when the run's first stream begins, it checks
 * that the warehouse was written under the same hashing settings (else the run stops with a configuration error,
 * or, with {@code clari.privacy.rebuild=true}, empties the warehouse to reload it), loads {@code _forgotten}, learns the
 * workspace's users as the users stream reads them, and before any stream other than users re-evaluates the scope.
 * {@link #forWrite} and {@link #filter} are what the streams call before anything is written.
 */
public final class RunPrivacy {
    private static final Logger LOG = LoggerFactory.getLogger(RunPrivacy.class);
    static final String HASH_STATE = "hash";
    static final String SALT_STATE = "salt_check";
    static final String SCOPE_STATE = "scope";
    static final String REBUILD = "clari.privacy.rebuild";
    /** What the scope fingerprint is when no scope is set. */
    static final String EVERYONE = "everyone";

    private final RunContext run;
    private final PrivacySettings settings;
    private final PersonHasher hasher;
    private final PrivacyStore store;
    private final Set<String> forgotten;
    private volatile Map<String, Person> directory = Map.of();
    private volatile RecordFilter filter;
    private volatile Scope scope;
    private boolean scopeApplied;

    private RunPrivacy(RunContext run, PrivacySettings settings, PrivacyStore store) {
        this.run = run;
        this.settings = settings;
        this.hasher = settings.hasher();
        this.store = store;
        this.forgotten = store.forgotten();
    }

    /** Checks the warehouse against the settings and loads what the run needs; a mismatch is a {@link SettingsException}. */
    static RunPrivacy begin(RunContext run) {
        PrivacySettings settings = PrivacySettings.from(run.settings().raw());
        Warehouse warehouse = run.warehouse();
        PrivacyStore store = new PrivacyStore(warehouse);
        Map<String, String> state = store.state();
        PersonHasher hasher = settings.hasher();
        String fingerprint = settings.hashed().isEmpty() ? "clear" : hasher.fingerprint(settings.hashed());
        String stored = state.get(HASH_STATE);
        boolean mismatch = stored == null ? !"clear".equals(fingerprint) && store.holdsData() : !stored.equals(fingerprint);
        if (mismatch) {
            if (!Boolean.parseBoolean(run.settings().raw().getOrDefault(REBUILD, "false"))) {
                throw SettingsException.plain(PrivacySettings.HASH, "clari.privacy.hash or clari.privacy.salt differ from the settings this"
                        + " warehouse was written with (" + (stored == null ? "values in clear" : "another salt or another set of hashed kinds")
                        + "), and hashed and clear values must not mix in one column: set them back, or re-hash everything with"
                        + " `sync --rebuild` (empties the synced tables and reloads them from the API under the new settings)");
            }
            List<String> emptied = warehouse.inTransaction(tx -> {
                List<String> t = store.emptyForRebuild(tx);
                tx.putState(PrivacyStore.STATE, HASH_STATE, fingerprint);
                tx.putState(PrivacyStore.STATE, SCOPE_STATE, null);
                return t;
            });
            LOG.warn("privacy settings changed and clari.privacy.rebuild is set: emptied {} tables; everything is reloaded from the API",
                    emptied.size());
        } else if (stored == null) {
            warehouse.inTransaction(tx -> {
                tx.putState(PrivacyStore.STATE, HASH_STATE, fingerprint);
                return null;
            });
        }
        RunPrivacy privacy = new RunPrivacy(run, settings, store);
        String saltCheck = state.get(SALT_STATE);
        if (!privacy.forgotten.isEmpty() && (hasher == null || saltCheck != null && !saltCheck.equals(hasher.saltCheck()))) {
            throw SettingsException.plain(PrivacySettings.SALT, "clari.privacy.salt: " + (hasher == null ? "is required" : "differs from the salt")
                    + " of the people in _forgotten, whose erasure every sync applies: set the salt they were forgotten with"
                    + " (env CLARI_PRIVACY_SALT or CLARI_PRIVACY_SALT_FILE)");
        }
        if (hasher != null && saltCheck == null && !(settings.hashed().isEmpty() && privacy.forgotten.isEmpty())) {
            warehouse.inTransaction(tx -> {
                tx.putState(PrivacyStore.STATE, SALT_STATE, hasher.saltCheck());
                return null;
            });
        }
        if (!settings.hashed().isEmpty() || !settings.drop().isEmpty() || !privacy.forgotten.isEmpty()) {
            LOG.info("privacy: hashing {}, dropping {}, {} forgotten hashes applied before every write", settings.hashed().isEmpty()
                    ? "nothing" : settings.hashed(), settings.drop().isEmpty() ? "nothing" : settings.drop(), privacy.forgotten.size());
        }
        return privacy;
    }

    /** The users stream's records as Clari sent them (clear): who to look for in free text, and the teams of the scope. */
    void observeUsers(StreamSpec spec, List<JsonNode> records) {
        if (!StreamCatalog.USERS.equals(spec.name())) {
            return;
        }
        Map<String, Person> d = new HashMap<>();
        for (JsonNode u : records) {
            if (u.hasNonNull("id")) {
                d.put(u.get("id").asText(), new Person(text(u, "name"), text(u, "email"), null, null));
            }
        }
        directory = Map.copyOf(d);
        filter = null;
    }

    /** The filter every record passes before it is written. */
    public RecordFilter filter() {
        RecordFilter f = filter;
        if (f == null) {
            f = new RecordFilter(settings, hasher, forgotten, directory);
            filter = f;
        }
        return f;
    }

    /**
     * Before a stream other than users: re-evaluates the scope once per run. When the scope (its users, or the members
     * of its teams) changed since the warehouse was last written, calls outside it are removed with their details and
     * bookkeeping, and the calls cursor is reset so the whole range is listed again: calls newly in scope are written
     * and their details fetched, calls still in scope are not (their versions are known).
     */
    synchronized void beforeStream(StreamSpec spec) {
        if (scopeApplied || StreamCatalog.USERS.equals(spec.name())) {
            return;
        }
        scopeApplied = true;
        Scope s = Scope.resolve(settings, hasher, store.rows(StreamCatalog.USERS, List.of("id", "email", "manager_id")));
        scope = s;
        String fingerprint = s == null ? EVERYONE : s.fingerprint();
        String stored = store.state().get(SCOPE_STATE);
        if (fingerprint.equals(stored) || stored == null && s == null) {
            if (stored == null) {
                run.warehouse().inTransaction(tx -> {
                    tx.putState(PrivacyStore.STATE, SCOPE_STATE, fingerprint);
                    return null;
                });
            }
            return;
        }
        Set<String> all = store.ids(StreamCatalog.CALLS);
        Set<String> keep = new HashSet<>(all);
        if (s != null) {
            keep.clear();
            store.childValues("calls__users", "user_id").forEach((call, users) -> {
                if (users.stream().anyMatch(s::includesUser)) {
                    keep.add(call);
                }
            });
            keep.retainAll(all);
        }
        List<String> removed = new ArrayList<>(all);
        removed.removeAll(keep);
        String details = StreamCatalog.CALL_DETAILS;
        run.warehouse().inTransaction(tx -> {
            if (!removed.isEmpty()) {
                tx.deleteAllExcept(StreamCatalog.CALLS, keep);
                tx.deleteAllExcept(details, keep);
                store.forgetRecords(tx, removed, List.of(StreamCatalog.CALLS, details, details + "#content"));
            }
            tx.putState(StreamCatalog.CALLS, StreamCatalog.CURSOR, null);
            tx.putState(PrivacyStore.STATE, SCOPE_STATE, fingerprint);
            return null;
        });
        LOG.info("scope changed ({}): {} calls outside it removed with their details; calls are listed again from"
                + " clari.sync.start-date to fetch those newly in scope", s == null ? "now everyone" : s.describe(), removed.size());
    }

    /** The records to write: calls outside the scope left out (neither written nor marked processed), the rest filtered. */
    Written forWrite(StreamSpec spec, List<JsonNode> records) {
        List<JsonNode> out = new ArrayList<>(records.size());
        Set<String> skipped = new HashSet<>();
        RecordFilter f = filter();
        Scope s = StreamCatalog.CALLS.equals(spec.name()) ? scope : null;
        for (JsonNode r : records) {
            if (s != null && !s.includesCall(r)) {
                skipped.add(r.get("id").asText());
                continue;
            }
            ObjectNode stored = f.apply(spec.name(), r);
            if (stored != null) {
                out.add(stored);
            }
        }
        return new Written(out, skipped);
    }

    /** What {@link #forWrite} keeps: the records to store, and the ids of records left out because of the scope. */
    record Written(List<JsonNode> records, Set<String> outOfScope) {
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
