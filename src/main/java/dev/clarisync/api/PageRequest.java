package dev.clarisync.api;

/** One {@code GET /calls} page of a window: what to ask for. */
public record PageRequest(ModifiedWindow window, int skip, int limit) {

    /** The same page (window and offset) asking for {@code size} calls. */
    public PageRequest withLimit(int size) {
        return new PageRequest(window, skip, size);
    }

    /** The query string, parameters as Clari names them. Sorting by time makes the order explicit (there is no sort by modified time). */
    public String query() {
        return "filterModifiedGt=" + ClariTime.format(window.filterModifiedGt())
                + "&filterModifiedLt=" + ClariTime.format(window.filterModifiedLt())
                + "&skip=" + skip + "&limit=" + limit + "&sortTime=asc&includePagination=true";
    }
}
