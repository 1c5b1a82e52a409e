package dev.clarisync.sim;

/** Call types the simulator produces, as served in the {@code type} field. */
enum CallType {
    ZOOM(true), GOOGLE_MEET(true), MS_TEAMS(true), DIALER(false), RECORDING(false);

    private final boolean calendarMeeting;

    CallType(boolean calendarMeeting) {
        this.calendarMeeting = calendarMeeting;
    }

    /** Calendar meetings carry icaluid/calendar_id/original_start_time; dialer calls and uploads do not. */
    boolean calendarMeeting() {
        return calendarMeeting;
    }
}
