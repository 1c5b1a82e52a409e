/**
 * An in-process simulator of the Clari Copilot REST API, for the connector's {@code demo} command, its
 * tests and its benchmark. Start one with {@link dev.clarisync.sim.ClariSimulator#start(SimulatorConfig)},
 * or as a process with {@link dev.clarisync.sim.SimulatorMain}.
 *
 * <p>What it serves follows {@code clari-api.md}: {@code GET /calls} (offset paging with skip/limit caps,
 * strict {@code filterModified*}/{@code filterTime*} bounds, multi-valued filters, {@code sortTime} /
 * {@code sortProcessed}), {@code GET /call-details?id=}, {@code GET /users}, {@code GET /scorecard} (paged like
 * {@code /calls}, default limit 50), {@code GET /scorecard-template} and {@code GET /v2/topics} (see
 * {@link dev.clarisync.sim.CoachingData}); 401 on missing or wrong
 * credentials on every path; 429 {@code Too Many Requests} / {@code Limit Exceeded} for the per-second
 * limit and the weekly quota. Choices where the contract is silent:
 * <ul>
 *   <li>Default order is {@code time} descending, ties by id ascending.</li>
 *   <li>{@code sortProcessed} orders by the (unexposed) time processing finished; calls not processed yet
 *       come last in both directions.</li>
 *   <li>SCHEDULED calls start in the future, so their {@code last_modified_time} is earlier than
 *       {@code time}; every other call has {@code last_modified_time >= time}, and no call has a
 *       {@code last_modified_time} after the data set's "now".</li>
 *   <li>Private calls exist only when {@code privateCallRate > 0}; they are served by {@code /calls} only
 *       with {@code includePrivate=true}, and always by {@code /call-details}.</li>
 *   <li>Unknown {@code filterStatus}/{@code filterType}/{@code filterUser} values match nothing (no 400).</li>
 *   <li>{@code /scorecard}'s {@code filterTimeGt/Lt} bound the scored call's {@code time}; the new endpoints validate
 *       strictly (an offset is required, an unencoded {@code +} is a 400), {@code /calls} stays lenient.</li>
 *   <li>The first simulator started in a JVM sets {@code sun.net.httpserver.nodelay=true} (unless already set) so small
 *       responses are not delayed ~40 ms by Nagle's algorithm; it affects every JDK HttpServer in the JVM.</li>
 * </ul>
 */
package dev.clarisync.sim;
