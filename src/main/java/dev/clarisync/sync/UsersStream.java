package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clarisync.api.ApiCall;
import dev.clarisync.api.ApiResponses;
import dev.clarisync.warehouse.Warehouse;
import dev.clarisync.warehouse.WriteCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code users} stream: {@code /users} has no paging, so each run reads the full list and, in one
 * transaction, writes the users whose content changed and removes those Clari no longer lists.
 */
public final class UsersStream {
    private static final Logger LOG = LoggerFactory.getLogger(UsersStream.class);
    public static final String STREAM = "users";

    private final Warehouse warehouse;
    private final SyncRun run;
    private final RequestBudget budget;

    public UsersStream(Warehouse warehouse, SyncRun run, RequestBudget budget) {
        this.warehouse = warehouse;
        this.run = run;
        this.budget = budget;
    }

    public void request(Exchange exchange) {
        budget.allowance(1);
        run.stats().phase(STREAM);
        ApiCall.request(exchange, "/users", "");
    }

    /** Upserts every user and removes the ones Clari no longer lists. */
    public void write(JsonNode page, Exchange exchange) {
        JsonNode users = ApiResponses.requireArray(page, "users", ApiCall.describe(exchange));
        List<JsonNode> valid = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode user : users) {
            String problem = RecordCheck.problem(user);
            if (problem != null) {
                run.stats().countRejected();
                LOG.warn("users: rejected a record: {}", problem);
            } else {
                valid.add(user);
                ids.add(user.get("id").asText());
            }
        }
        // a user whose JSON is unchanged is not rewritten: its content hash is its version
        Map<String, String> hashes = new LinkedHashMap<>();
        valid.forEach(u -> hashes.put(u.get("id").asText(), ContentHash.of(u)));
        Map<String, String> known = warehouse.processedVersions(STREAM, hashes.keySet());
        List<JsonNode> changed = valid.stream()
                .filter(u -> !hashes.get(u.get("id").asText()).equals(known.get(u.get("id").asText()))).toList();
        WriteCounts counts = warehouse.inTransaction(tx -> {
            WriteCounts c = changed.isEmpty() ? WriteCounts.EMPTY : tx.upsert(STREAM, changed, Instant.now());
            Map<String, String> changedHashes = new LinkedHashMap<>();
            changed.forEach(u -> changedHashes.put(u.get("id").asText(), hashes.get(u.get("id").asText())));
            tx.markProcessed(STREAM, changedHashes);
            budget.record(tx);
            int removed = tx.deleteAllExcept(STREAM, ids);
            if (removed > 0) {
                LOG.info("users: {} users no longer listed by Clari were removed", removed);
            }
            return c;
        });
        run.stats().addRows(counts.asMap());
        LOG.info("users: {} users, {} new or changed", valid.size(), changed.size());
    }
}
