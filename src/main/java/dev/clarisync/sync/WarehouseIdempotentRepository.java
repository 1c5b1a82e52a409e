package dev.clarisync.sync;

import dev.clarisync.warehouse.Warehouse;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel idempotent repository whose memory is the warehouse's {@code _processed} table
 * ({@code scope, id → version}). A key is {@code id@version} (for calls the version is
 * {@code last_modified_time}): an id already processed at that version is a duplicate.
 *
 * <p>The repository never writes: the page writer records processed versions in the same transaction
 * as the rows ({@link dev.clarisync.warehouse.WarehouseTx#markProcessed}), so a crash can never leave a
 * key marked done whose rows were not committed. Per page, {@link #prefetch} loads the known versions
 * of the page's ids in one query, so {@link #add} is a map lookup rather than a round trip per call.
 */
public final class WarehouseIdempotentRepository extends ServiceSupport implements IdempotentRepository {
    private final Warehouse warehouse;
    private final String scope;
    private final Map<String, String> known = new ConcurrentHashMap<>();

    public WarehouseIdempotentRepository(Warehouse warehouse, String scope) {
        this.warehouse = warehouse;
        this.scope = scope;
    }

    public static String key(String id, String version) {
        return id + "@" + (version == null ? "" : version);
    }

    /** Loads what the warehouse knows about these ids; forgets the previous page. */
    public void prefetch(Collection<String> ids) {
        known.clear();
        known.putAll(warehouse.processedVersions(scope, ids));
    }

    @Override
    public boolean add(String key) {
        int at = key.lastIndexOf('@');
        String id = key.substring(0, at);
        String version = key.substring(at + 1);
        // put returns the previous version: same version → seen before (in the warehouse or earlier in this page)
        return !version.equals(known.put(id, version));
    }

    @Override
    public boolean contains(String key) {
        int at = key.lastIndexOf('@');
        return key.substring(at + 1).equals(known.get(key.substring(0, at)));
    }

    @Override
    public boolean remove(String key) {
        return known.remove(key.substring(0, key.lastIndexOf('@'))) != null;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        known.clear();
    }
}
