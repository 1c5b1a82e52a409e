package dev.clarisync.warehouse;

/** Work done inside one warehouse transaction; see {@link Warehouse#inTransaction}. */
@FunctionalInterface
public interface TxWork<T> {
    T run(WarehouseTx tx) throws Exception;
}
