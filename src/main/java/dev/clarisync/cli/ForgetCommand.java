package dev.clarisync.cli;

import dev.clarisync.config.ConnectorSettings;
import dev.clarisync.config.SettingsException;
import dev.clarisync.privacy.PersonHasher;
import dev.clarisync.privacy.PersonHasher.Kind;
import dev.clarisync.privacy.PrivacySettings;
import dev.clarisync.privacy.RecordFilter;
import dev.clarisync.warehouse.PrivacyStore;
import dev.clarisync.warehouse.Warehouse;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code forget --email=ADDRESS | --name=NAME | --phone=NUMBER [--dry-run]}: erases one person from the warehouse in
 * one transaction (participant rows deleted; their email, name and phone, clear or hashed, replaced by
 * {@value RecordFilter#FORGOTTEN} in every text column of every table; the transcript turns and sentiments they spoke
 * replaced), and records the salted hashes of every form of them found in {@code _forgotten}, which every later sync
 * applies before it writes. The person is given in clear, also when the warehouse holds hashes. Needs
 * {@code clari.privacy.salt}. Prints one line per table touched.
 */
public final class ForgetCommand {
    /** The command's own options (not settings). */
    public static final List<String> OPTIONS = List.of("email", "name", "phone", "dry-run");

    private ForgetCommand() {
    }

    public static int run(Map<String, String> props, Map<String, String> options, PrintStream out) {
        PrivacySettings privacy = PrivacySettings.from(props);
        PersonHasher hasher = privacy.hasher();
        if (hasher == null) {
            throw new SettingsException(PrivacySettings.SALT, "is required by forget: _forgotten keeps the person's salted hash,"
                    + " never the clear value, and later syncs recognise them by it");
        }
        Map<Kind, String> given = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            String option = k.key().substring(0, k.key().length() - 1); // emails → email
            if (options.get(option) != null && !options.get(option).isBlank()) {
                given.put(k, options.get(option).strip());
            }
        }
        if (given.size() != 1) {
            throw SettingsException.plain("forget", "forget needs exactly one of --email=ADDRESS, --name=NAME, --phone=NUMBER");
        }
        boolean dryRun = Boolean.parseBoolean(options.getOrDefault("dry-run", "false"));
        ConnectorSettings settings = ConnectorSettings.from(props, false);
        Kind kind = given.keySet().iterator().next();
        try (Warehouse warehouse = Warehouse.open(settings.warehouseUrl(), settings.warehouseUser(), settings.warehousePassword().reveal(),
                settings.warehouseSchema())) {
            PrivacyStore store = new PrivacyStore(warehouse);
            Map<String, String> state = store.state();
            String stored = state.get("hash");
            String fingerprint = privacy.hashed().isEmpty() ? "clear" : hasher.fingerprint(privacy.hashed());
            if (stored != null && !stored.equals(fingerprint) || state.get("salt_check") != null
                    && !state.get("salt_check").equals(hasher.saltCheck())) {
                throw SettingsException.plain(PrivacySettings.SALT, "clari.privacy.salt or clari.privacy.hash differ from the settings"
                        + " this warehouse was written with: forget with the same settings as sync");
            }
            Person person = Person.find(hasher, kind, given.get(kind), store.people());
            RecordFilter text = new RecordFilter(new PrivacySettings(Set.of(), privacy.salt(), List.of(), List.of(), List.of()), hasher,
                    person.tokens.keySet(), Map.of());
            PrivacyStore.Erasure erasure = new PrivacyStore.Erasure() {
                @Override
                public boolean isPerson(String email, String name, String phone) {
                    boolean e = person.is(Kind.EMAILS, email);
                    boolean p = person.is(Kind.PHONES, phone);
                    return e || p || person.is(Kind.NAMES, name) && (email == null || e) && (phone == null || p);
                }

                @Override
                public List<String> fragments() {
                    return person.fragments;
                }

                @Override
                public String erase(String s) {
                    String out = s;
                    for (String token : person.tokens.keySet()) {
                        out = out.replace(token, RecordFilter.FORGOTTEN);
                    }
                    return text.forgetInText(out);
                }

                @Override
                public String forgottenText() {
                    return RecordFilter.FORGOTTEN;
                }
            };
            Map<String, Integer> touched = new LinkedHashMap<>();
            int[] recorded = {0};
            try {
                warehouse.inTransaction(tx -> {
                    touched.putAll(store.erase(tx, erasure));
                    recorded[0] = store.recordForgotten(tx, person.tokens, Instant.now());
                    if (state.get("salt_check") == null) {
                        tx.putState(PrivacyStore.STATE, "salt_check", hasher.saltCheck());
                    }
                    if (dryRun) {
                        throw new DryRun();
                    }
                    return null;
                });
            } catch (DryRun expected) {
                // rolled back: nothing changed
            }
            String verb = dryRun ? "would change" : "changed";
            touched.forEach((table, n) -> out.println(table + ": " + verb + " " + n + (n == 1 ? " row" : " rows")));
            out.println(PrivacyStore.FORGOTTEN + ": " + (dryRun ? "would record " : "recorded ") + recorded[0] + " salted "
                    + (recorded[0] == 1 ? "hash" : "hashes") + " (" + person.tokens.size() + " forms of the person)");
            if (dryRun) {
                out.println("dry run: nothing was changed");
            }
            return ExitCodes.OK;
        }
    }

    /** Thrown to roll a dry run back. */
    private static final class DryRun extends RuntimeException {
        DryRun() {
            super("dry run", null, false, false);
        }
    }

    /** The person: every form of them found in the participant rows (clear or hashed), as tokens, and search fragments. */
    private static final class Person {
        final Map<String, String> tokens = new LinkedHashMap<>();
        final List<String> fragments = new ArrayList<>();
        private final PersonHasher hasher;

        private Person(PersonHasher hasher) {
            this.hasher = hasher;
        }

        static Person find(PersonHasher hasher, Kind kind, String value, List<List<String>> rows) {
            Person p = new Person(hasher);
            p.add(kind, value);
            String given = hasher.token(kind, value);
            List<Kind> order = List.of(Kind.EMAILS, Kind.NAMES, Kind.PHONES);
            for (List<String> row : rows) {
                String v = row.get(order.indexOf(kind));
                if (v != null && given.equals(hasher.token(kind, v))) {
                    for (int i = 0; i < order.size(); i++) {
                        p.add(order.get(i), row.get(i));
                    }
                }
            }
            return p;
        }

        private void add(Kind kind, String value) {
            if (value == null || value.isBlank() || RecordFilter.FORGOTTEN.equals(value)) {
                return;
            }
            String token = hasher.token(kind, value);
            if (tokens.putIfAbsent(token, kind.key()) != null) {
                return;
            }
            fragments.add(token);
            if (!PersonHasher.isToken(value)) {
                String n = PersonHasher.normalise(kind, value);
                if (n != null) {
                    fragments.add(kind == Kind.PHONES ? n.substring(Math.max(0, n.length() - 4)) : n.toLowerCase(Locale.ROOT));
                }
            }
        }

        boolean is(Kind kind, String value) {
            return value != null && tokens.containsKey(hasher.token(kind, value));
        }
    }
}
