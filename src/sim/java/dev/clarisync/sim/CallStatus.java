package dev.clarisync.sim;

/**
 * The call statuses the API documents, grouped by what they imply for the served data.
 */
public enum CallStatus {
    SCHEDULED(Phase.PENDING, false),
    INITIATED(Phase.PENDING, false),
    INPROGRESS(Phase.PENDING, true),
    WAITING_IN_QUEUE(Phase.PENDING, true),
    PROCESSING(Phase.PENDING, true),
    PROCESSED(Phase.FINISHED, true),
    POST_PROCESSING_DONE(Phase.FINISHED, true),
    ERROR_IN_TRANSCRIBE(Phase.FAILED, true),
    ERROR_IN_PROCESSING(Phase.FAILED, true),
    ERROR_IN_RECORDING(Phase.FAILED, true),
    UNABLE_TO_JOIN(Phase.FAILED, false),
    CALL_DID_NOT_HAPPEN(Phase.FAILED, false),
    IGNORED_BY_USER(Phase.FAILED, false),
    BOTJOIN_DISABLED(Phase.FAILED, false),
    NO_DATA_INCALL(Phase.FAILED, true),
    NOBODY_JOINED_CALL(Phase.FAILED, false),
    BOTJOIN_DENIED(Phase.FAILED, false);

    /** Where a call is in its life cycle. */
    public enum Phase { PENDING, FINISHED, FAILED }

    private final Phase phase;
    private final boolean botJoined;

    CallStatus(Phase phase, boolean botJoined) {
        this.phase = phase;
        this.botJoined = botJoined;
    }

    /** The call's life-cycle phase. */
    public Phase phase() {
        return phase;
    }

    /** True when transcript, summary and metrics are ready (PROCESSED, POST_PROCESSING_DONE). */
    public boolean finished() {
        return phase == Phase.FINISHED;
    }

    /** True when the recorder was in the call, so participants could have joined. */
    public boolean botJoined() {
        return botJoined;
    }

    /** True for failures where the bot never got in: these carry a {@code bot_not_join_reason}. */
    public boolean joinFailure() {
        return phase == Phase.FAILED && !botJoined;
    }
}
