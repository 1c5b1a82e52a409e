package dev.clarisync.sync;

import dev.clarisync.routes.ExchangeProperties;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel idempotent repository whose memory is the warehouse's {@code _processed} table
 * ({@code scope, id → version}). A key is {@code id@version} (for calls the version is
 * {@code last_modified_time}): an id already processed at that version is a duplicate.
 *
 * <p>Stateless and shared by every run: the known versions of the batch in hand travel with the exchange (property
 * {@value ExchangeProperties#KNOWN}, loaded by {@link #known} in one query per batch, so a lookup is a map access
 * rather than a round trip per record). A list stream applies the same rule to a page at once ({@link #firstSeen}). The repository never writes: the page
 * writer records processed versions in the same transaction as the rows
 * ({@link dev.clarisync.warehouse.WarehouseTx#markProcessed}), so a crash can never leave a key
 * marked done whose rows were not committed.
 */
public final class WarehouseIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    public static String key(String id, String version) {
        return id + "@" + (version == null ? "" : version);
    }

    /** What the run's warehouse knows about these ids in {@code scope}: id → version, to put on an exchange as {@value ExchangeProperties#KNOWN}. */
    public static Map<String, String> known(RunContext run, String scope, Collection<String> ids) {
        return new ConcurrentHashMap<>(run.warehouse().processedVersions(scope, ids));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> known(Exchange exchange) {
        Map<String, String> known = exchange.getProperty(ExchangeProperties.KNOWN, Map.class);
        if (known == null) {
            throw new IllegalStateException("no " + ExchangeProperties.KNOWN + " on the exchange: perParentStream.open puts its batch's versions there");
        }
        return known;
    }

    /**
     * Whether {@code id} at {@code version} is new work, remembering it in {@code known}: false when the warehouse holds
     * it at that version, or it came earlier in the same page or batch. The one rule of the idempotent consumer, which a
     * list stream also applies to its page as a whole ({@link ListStream#readPage}).
     */
    static boolean firstSeen(Map<String, String> known, String id, String version) {
        // put returns the previous version: same version → seen before (in the warehouse or earlier in this page)
        return !version.equals(known.put(id, version));
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        int at = key.lastIndexOf('@');
        return firstSeen(known(exchange), key.substring(0, at), key.substring(at + 1));
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        int at = key.lastIndexOf('@');
        return key.substring(at + 1).equals(known(exchange).get(key.substring(0, at)));
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return known(exchange).remove(key.substring(0, key.lastIndexOf('@'))) != null;
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        return true;
    }

    // Without an exchange there is no page in hand: Camel's idempotent consumer always passes one.
    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("the page's known versions travel with the exchange");
    }

    @Override
    public boolean contains(String key) {
        throw new UnsupportedOperationException("the page's known versions travel with the exchange");
    }

    @Override
    public boolean remove(String key) {
        throw new UnsupportedOperationException("the page's known versions travel with the exchange");
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        // nothing held
    }
}
