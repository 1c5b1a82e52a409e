package dev.clarisync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Told of the new or changed records of a stream once their transaction has committed (rows, processed versions and
 * cursor together), in commit order: a list page's records ({@code calls}), or a details batch ({@code call_details}).
 * Records the idempotent consumer dropped (unchanged) never reach it. Details batches are written on a writer thread,
 * so an implementation must be thread-safe. A listener's exception is logged, never fails the run: the data is stored.
 */
@FunctionalInterface
public interface CommittedRecords {
    CommittedRecords NONE = (stream, records) -> { };

    void committed(String stream, List<JsonNode> records);
}
