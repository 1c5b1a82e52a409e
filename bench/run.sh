#!/usr/bin/env bash
# Benchmark of the Clari Copilot connector against its own simulator, in one run on this machine.
#
#   bash bench/run.sh                      # N = 10,000 and 100,000 calls, DuckDB and PostgreSQL
#   BENCH_SIZES=10000 bash bench/run.sh    # a quick run while developing
#
# What it measures (see bench/README.md for the definitions):
#   full       `sync` (users, calls, call_details) into a fresh warehouse, under /usr/bin/time -v (peak RSS, CPU);
#              its requests against the minimum a backfill needs (1 + one page per 100 calls + one details request
#              per finished call), and its CPU milliseconds per call
#   ingest     the write path's floor: DuckDB's own read_json of the same JSON into the same main tables
#              (dev.clarisync.bench.DuckDbIngest), CPU milliseconds per call, and the connector's ratio to it
#   list-only  `sync --clari.sync.streams=users,calls` into a fresh warehouse
#   rerun      `sync` again on the warehouse of `full`, nothing changed in between
#   limiter    the simulator limited to 10 requests/s under each limiter model (token bucket, fixed wall-clock
#              second, strict sliding second, and the sliding second with Retry-After), the connector at its
#              defaults: the rate served (answers other than 429, on the simulator's clock) and the 429s
#   answer-time the limiter runs again with the simulator answering each request after a fixed answer time (0, 300, 700,
#              1500 ms) plus up to 20% jitter (issue 24): the rate served as a share of the limit, 429s, the most
#              requests the simulator was answering at once (in flight), and CPU per call
#   shared     three and ten workspaces, each with its own credentials, against ONE simulator that enforces one 10/s
#              limit for all of them (a limit counted per partner or per address), all synced at once by one JVM, each
#              into its own schema: declared in one clari.workspace.<name>.rate-limit-group, and (three) undeclared
#   workspaces 50 simulated workspaces x 200 calls (BENCH_WORKSPACES) synced with details by one JVM, all at once, each
#              simulator limited to 10 requests/s like a Clari workspace, into one DuckDB file: wall time, CPU per
#              call, peak RSS (target <= 512 MB), and workspaces one core can keep at the full API rate
#   30-days    /call-details requests per call over its first 30 days at the defaults, from a simulated life
#              (dev.clarisync.bench.ThirtyDays, the code ReconciliationSimTest runs small): the connector in process
#              and the simulator on one injected clock, a sync every 6 simulated hours, new calls daily, status
#              transitions, CRM list edits and regenerated summaries for 30 days, then 8 quiet days; with the
#              worst latency of a list edit and of a regenerated summary, and the warehouse checked at the end
# The simulator runs in its own JVM on this machine, so it shares the CPU with the connector.
#
# Settings (environment):
#   BENCH_SIZES="10000 100000"        calls in the simulator, one round per size
#   BENCH_WAREHOUSES="duckdb postgresql"
#   BENCH_THROTTLE_CALLS=300          calls for each limiter-model run (0 skips them)
#   BENCH_MODELS="token-bucket fixed-window sliding-window sliding-window+retry-after"
#                                     limiter models of the simulator to run against
#   BENCH_MAX_SECONDS=600             a connector run taking longer is stopped and reported as such
#   BENCH_JAVA_OPTS="-Xmx64m -XX:+UseSerialGC"
#                                     JVM options of the connector runs: a small footprint (the sync's live heap is
#                                     ~30 MB; with the JVM's defaults on a large machine the heap alone makes the RSS).
#                                     -XX:TieredStopAtLevel=1 (C1 only) saves another ~30 MB of compiler memory and
#                                     code cache but made the 100,000-call syncs 20-60% slower
#   BENCH_CDS=1                       class-data sharing (see the README's "Faster starts"): a warm-up sync of 300
#                                     calls writes a class archive, which every measured run then maps (0: none)
#   BENCH_DUCKDB_OPTIONS=";memory_limit=64MiB"
#                                     appended to the DuckDB URL (caps DuckDB's buffer pool, as k8s/ does)
#   BENCH_LATENCIES="0 300 700 1500"  answer times (ms) of the answer-time runs (empty: skipped)
#   BENCH_LATENCY_MODELS="token-bucket fixed-window sliding-window"   limiter models of the answer-time runs
#   BENCH_LATENCY_CALLS=300           calls for each answer-time run
#   BENCH_SHARED="3 10"               workspaces on one shared limit (empty: skipped); BENCH_SHARED_CALLS=300 calls in all
#   BENCH_SHARED_UNDECLARED="3"       of those, also run without declaring the group (found out from the 429s)
#   BENCH_WORKSPACES=50x200           workspaces x calls for the many-workspaces run (0 skips it; 5x50 for a try)
#   BENCH_WS_WAREHOUSES="duckdb postgresql"   warehouses of the many-workspaces run (one file / one database)
#   BENCH_WS_JAVA_OPTS="-Xmx160m -XX:+UseSerialGC -Xss512k"   JVM options of the many-workspaces run: each workspace
#                                     syncing holds up to two details batches of parsed JSON (~50 KB a call)
#   BENCH_WS_BATCH=10                 clari.details.batch-size of that run (50 workspaces x 2 x 10 calls in memory)
#   BENCH_WS_DUCKDB_OPTIONS=";memory_limit=96MiB"    its DuckDB URL options: one memory_limit is shared by every
#                                     workspace's schema in the file
#   BENCH_WS_MALLOC_ARENA_MAX=2       glibc arenas of that run (DuckDB allocates from every writer thread)
#   BENCH_THIRTY_DAYS="200 40 30 8"   the simulated life: initial calls, new calls a day, active days, quiet days
#                                     (empty: skipped)
#   BENCH_PARALLELISM=4               clari.details.parallelism
#   BENCH_ACCEPTANCE=1                also run the long jar scenarios kept out of CI (JUnit tag "bench":
#                                     BackfillAcceptanceIT, 25,000 calls past the offset cap and 100,000 in 256 MB)
#   BENCH_OUT=bench/results.md        where the report goes (also printed)
#   BENCH_WORK=<temp dir>             scratch space (warehouses, logs); kept when BENCH_KEEP=1
#   JAR=target/clari-copilot-connector.jar   (built with `mvn -o -q package -DskipTests` when missing)
#   TOOLS_JAR=$JAR                    jar holding the simulator and the ingestion floor (to benchmark an older
#                                     connector jar that lacks them: JAR=old.jar TOOLS_JAR=target/...jar)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$ROOT/target/clari-copilot-connector.jar}
TOOLS_JAR=${TOOLS_JAR:-$JAR}
SIZES=${BENCH_SIZES-"10000 100000"}
WAREHOUSES=${BENCH_WAREHOUSES:-"duckdb postgresql"}
THROTTLE_CALLS=${BENCH_THROTTLE_CALLS:-300}
MODELS=${BENCH_MODELS:-"token-bucket fixed-window sliding-window sliding-window+retry-after"}
MAX_SECONDS=${BENCH_MAX_SECONDS:-600}
JAVA_OPTS=${BENCH_JAVA_OPTS-"-Xmx64m -XX:+UseSerialGC"}
DUCKDB_OPTIONS=${BENCH_DUCKDB_OPTIONS-";memory_limit=64MiB"}
CDS=${BENCH_CDS:-1}
PARALLELISM=${BENCH_PARALLELISM:-4}
WORKSPACES=${BENCH_WORKSPACES:-50x200}
WS_WAREHOUSES=${BENCH_WS_WAREHOUSES:-"duckdb postgresql"}
WS_JAVA_OPTS=${BENCH_WS_JAVA_OPTS-"-Xmx160m -XX:+UseSerialGC -Xss512k"}
WS_BATCH=${BENCH_WS_BATCH:-10}
WS_DUCKDB_OPTIONS=${BENCH_WS_DUCKDB_OPTIONS-";memory_limit=96MiB"}
WS_ARENAS=${BENCH_WS_MALLOC_ARENA_MAX:-2}
WS_ROWS='' WS_REPORT=''
LATENCIES=${BENCH_LATENCIES-"0 300 700 1500"}
LATENCY_MODELS=${BENCH_LATENCY_MODELS:-"token-bucket fixed-window sliding-window"}
LATENCY_CALLS=${BENCH_LATENCY_CALLS:-300}
SHARED=${BENCH_SHARED-"3 10"}
SHARED_CALLS=${BENCH_SHARED_CALLS:-300}
SHARED_UNDECLARED=${BENCH_SHARED_UNDECLARED-"3"}
SHARED_ROWS=''
THIRTY_DAYS=${BENCH_THIRTY_DAYS-"200 40 30 8"}
OUT=${BENCH_OUT:-$ROOT/bench/results.md}
WORK=${BENCH_WORK:-$(mktemp -d /tmp/clarisync-bench.XXXXXX)}
KEY=sim-key
PASSWORD=sim-password
RESULTS=$WORK/results.tsv
PIDS=()
PG_BIN= PG_DATA= PG_PORT=

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [[ -n "$PG_DATA" ]]; then as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true; fi
    if [[ "${BENCH_KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT

as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

mkdir -p "$WORK"
# mktemp makes it 0700: as root, PostgreSQL runs as postgres and must reach its data directory inside
[[ $(id -u) != 0 ]] || chmod 755 "$WORK"
if [[ ! -f "$JAR" || ! -f "$TOOLS_JAR" ]]; then (cd "$ROOT" && mvn -o -q package -DskipTests); fi
command -v /usr/bin/time >/dev/null || { echo "bench needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
printf 'kind\twarehouse\tcalls\tsync_s\twall_s\trss_mb\trequests\tcalls_seen\trows\tdetails_owed\tcpu_s\tstatus\textra\n' > "$RESULTS"

# ---------------------------------------------------------------- simulator
SIM_PID= SIM_URL=
start_sim() { # calls [extra simulator options...]
    local calls=$1; shift
    local logf=$WORK/sim-$calls-$RANDOM.log
    java -cp "$TOOLS_JAR" dev.clarisync.sim.SimulatorMain --port=0 --calls="$calls" "$@" > "$logf" 2>&1 &
    SIM_PID=$!
    PIDS+=("$SIM_PID")
    for _ in $(seq 1 600); do
        SIM_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$logf" 2>/dev/null | head -1 || true)
        [[ -n "$SIM_URL" ]] && break
        kill -0 "$SIM_PID" 2>/dev/null || { cat "$logf" >&2; exit 1; }
        sleep 0.2
    done
    [[ -n "$SIM_URL" ]] || { echo "simulator did not start" >&2; exit 1; }
    log "simulator with $calls calls at $SIM_URL $*"
}
stop_sim() { kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; }

# ---------------------------------------------------------------- PostgreSQL (private, loopback only)
start_pg() {
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [[ -x "$PG_BIN/initdb" ]] || { echo "PostgreSQL binaries not found (apt-get install -y postgresql)" >&2; exit 2; }
    local dir=$WORK/pg
    mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && chown postgres:postgres "$dir"
    PG_DATA=$dir/data
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C >/dev/null
    # default durability (fsync, synchronous_commit on): what a real warehouse does
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1" -l "$dir/server.log" -w start >/dev/null
    log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

warehouse_args() { # warehouse name
    case $1 in
        duckdb) echo "--warehouse.url=jdbc:duckdb:$WORK/$2.duckdb$DUCKDB_OPTIONS" ;;
        postgresql) echo "--warehouse.url=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres --warehouse.user=postgres --warehouse.schema=$2" ;;
    esac
}

# ---------------------------------------------------------------- one connector run
run_sync() { # kind warehouse calls dbname [extra connector args...]
    local kind=$1 wh=$2 calls=$3 db=$4; shift 4
    local out=$WORK/$kind-$wh-$calls.out err=$WORK/$kind-$wh-$calls.err tv=$WORK/$kind-$wh-$calls.time
    log "$kind: sync into $wh ($calls calls)"
    local status=ok rc=0
    # time -v reports the peak RSS of the largest waited-for descendant: the connector's JVM
    # CPU by thread role (writer, details, main, GC, JIT), polled from /proc while the JVM runs
    local threads=$WORK/$kind-$wh-$calls.threads marker="-Dclarisync.bench.run=$kind-$wh-$calls-$RANDOM"
    python3 "$ROOT/bench/thread_cpu.py" "${marker#-Dclarisync.bench.run=}" "$threads" 2>/dev/null &
    local sampler=$!
    # shellcheck disable=SC2046,SC2086
    (cd "$WORK" && CLARI_API_KEY=$KEY CLARI_API_PASSWORD=$PASSWORD /usr/bin/time -v -o "$tv" timeout "$MAX_SECONDS" \
        java $JAVA_OPTS "$marker" -jar "$JAR" sync --clari.api.base-url="$SIM_URL" $(warehouse_args "$wh" "$db") \
        --clari.sync.start-date=2015-01-01 --clari.details.parallelism="$PARALLELISM" "$@" > "$out" 2> "$err") || rc=$?
    if [[ $rc == 124 ]]; then status="stopped after ${MAX_SECONDS} s"; elif [[ $rc != 0 ]]; then status="exit $rc"; fi
    local summary; summary=$(grep -E '^sync (ok|failed)' "$out" | head -1 || true)
    [[ "$summary" == "sync ok"* || $status != ok ]] || status=failed
    local sync_s requests seen rows owed wall rss cpu
    sync_s=$(sed -nE 's/^sync [^—]*— ([0-9.]+) s,.*/\1/p' <<< "$summary")
    requests=$(sed -nE 's/.* ([0-9]+) requests,.*/\1/p' <<< "$summary")
    seen=$(sed -nE 's/.* ([0-9]+) calls seen,.*/\1/p' <<< "$summary")
    rows=$(sed -nE 's/.*rows written: (.*) \[run .*/\1/p' <<< "$summary" | tr ',' '\n' | awk '{s += $NF} END {print s + 0}')
    owed=$(grep -oE 'call_details: [0-9]+ calls? owed details' "$err" | awk '{print $2}' | tail -1 || true)
    # /call-details requests actually sent (the run's closing log line counts requests by endpoint; none: absent)
    local details_requests; details_requests=$(grep -E 'sync [0-9a-f-]+ succeeded' "$err" | grep -oE '/call-details=[0-9]+' | tail -1 | cut -d= -f2 || true)
    [[ -n "$details_requests" || $status != ok ]] || details_requests=0
    # the CPU by thread role: JIT compilation is a warm-up cost that a long-running `run` pays once
    wait "$sampler" 2>/dev/null || true
    local by_thread; by_thread=$(cat "$threads" 2>/dev/null || true)
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$tv" 2>/dev/null || true)
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$tv" 2>/dev/null || true)
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$tv" 2>/dev/null || true)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$wh" "$calls" "${sync_s:--}" "${wall:--}" \
        "${rss:--}" "${requests:--}" "${seen:--}" "${rows:--}" "${owed:--}" "${cpu:--}" "$status" "details_requests=${details_requests:--};${by_thread:-}" >> "$RESULTS"
    log "  -> ${summary:0:110}"
    log "  -> wall ${wall:-?} s, peak RSS ${rss:-?} MB, status $status"
}

# ---------------------------------------------------------------- the runs
[[ " $WAREHOUSES " == *" postgresql "* ]] && start_pg

# ---------------------------------------------------------------- class-data sharing (optional)
if [[ "$CDS" == 1 ]]; then
    # the JVM writes the classes a whole sync loaded at exit; later JVMs map them instead of loading them from the jar
    start_sim 300
    log "class archive: warm-up sync of 300 calls with -XX:ArchiveClassesAtExit"
    (cd "$WORK" && CLARI_API_KEY=$KEY CLARI_API_PASSWORD=$PASSWORD java $JAVA_OPTS -XX:ArchiveClassesAtExit="$WORK/classes.jsa" \
        -jar "$JAR" sync --clari.api.base-url="$SIM_URL" --warehouse.url="jdbc:duckdb:$WORK/warmup.duckdb" \
        --clari.sync.start-date=2015-01-01 --clari.api.rate-limit=100000 > "$WORK/warmup.out" 2>&1) \
        || { cat "$WORK/warmup.out" >&2; exit 1; }
    stop_sim
    JAVA_OPTS="$JAVA_OPTS -XX:SharedArchiveFile=$WORK/classes.jsa"
fi

for N in $SIZES; do
    start_sim "$N"
    for WH in $WAREHOUSES; do
        run_sync full "$WH" "$N" "bench_full_$N" --clari.api.rate-limit=100000
        run_sync rerun "$WH" "$N" "bench_full_$N" --clari.api.rate-limit=100000
        run_sync list-only "$WH" "$N" "bench_list_$N" --clari.api.rate-limit=100000 --clari.sync.streams=users,calls
    done
    log "ingest: DuckDB's read_json of the same JSON ($N calls)"
    ingest=$(CLARI_API_KEY=$KEY CLARI_API_PASSWORD=$PASSWORD java -cp "$TOOLS_JAR" dev.clarisync.bench.DuckDbIngest \
        --base-url="$SIM_URL" --dir="$WORK/ingest-$N" 2>/dev/null | grep '^ingest ' || true)
    log "  -> $ingest"
    in_s=$(sed -nE 's/.*seconds=([0-9.]+) cpu.*/\1/p' <<< "$ingest")
    in_cpu=$(sed -nE 's/.*cpu_seconds=([0-9.]+).*/\1/p' <<< "$ingest")
    in_rows=$(sed -nE 's/.*rows=([0-9]+).*/\1/p' <<< "$ingest")
    in_det=$(sed -nE 's/.*details=([0-9]+).*/\1/p' <<< "$ingest")
    printf 'ingest\tduckdb\t%s\t%s\t-\t-\t-\t%s\t%s\t%s\t%s\t%s\t\n' "$N" "${in_s:--}" "$N" "${in_rows:--}" "${in_det:--}" \
        "${in_cpu:--}" "$([[ -n "$ingest" ]] && echo ok || echo failed)" >> "$RESULTS"
    rm -rf "$WORK/ingest-$N"
    stop_sim
done

limiter_run() { # model[+retry-after]: the connector's defaults (clari.api.rate-limit=10) against a 10/s simulator
    local model=${1%+retry-after} kind=limiter:$1 extra=()
    [[ "$1" == *+retry-after ]] && extra=(--retry-after=1)
    start_sim "$THROTTLE_CALLS" --rate-limit=10 --rate-limit-model="$model" "${extra[@]}" --stats-file="$WORK/$1-stats.txt"
    run_sync "$kind" duckdb "$THROTTLE_CALLS" "bench_$1"
    stop_sim
    local stats n429 total simrate served
    stats=$(cat "$WORK/$1-stats.txt" 2>/dev/null || echo "")
    log "  -> simulator: $stats"
    n429=$(grep -oE 'status\.429=[0-9]+' <<< "$stats" | cut -d= -f2 || true)
    simrate=$(grep -oE 'rate_per_second=[0-9.]+' <<< "$stats" | cut -d= -f2 || true)
    total=$(grep -oE 'total=[0-9]+' <<< "$stats" | head -1 | cut -d= -f2 || true)
    # served: answers other than 429 over the span of all requests (first to last arrival, the simulator's clock)
    served=$(awk -v t="${total:-0}" -v r="${simrate:-0}" -v n="${n429:-0}" 'BEGIN {if (t > 1 && r > 0) printf "%.2f", (t - n - 1) / ((t - 1) / r)}')
    sed -i -E "\$s|$|;429s=${n429:-0};served_rate=${served:-?};sim_total=${total:-?}|" "$RESULTS"
}
if [[ "$THROTTLE_CALLS" -gt 0 ]]; then
    for M in $MODELS; do limiter_run "$M"; done
fi

# ---------------------------------------------------------------- answer times (issue 24)
stat_of() { grep -oE "(^| )$1=[0-9.]+" <<< "$2" | head -1 | cut -d= -f2 || true; }
answer_time_run() { # latency-ms model: the connector's defaults against a 10/s simulator answering after that long
    local lat=$1 model=$2 kind="answer-time:$1ms:$2" jitter=$(( $1 / 5 ))
    start_sim "$LATENCY_CALLS" --rate-limit=10 --rate-limit-model="$model" --latency="$lat" --latency-jitter="$jitter" \
        --stats-file="$WORK/lat-$lat-$model-stats.txt"
    run_sync "$kind" duckdb "$LATENCY_CALLS" "bench_lat_${lat}_${model//-/_}"
    stop_sim
    local stats n429 total served
    stats=$(cat "$WORK/lat-$lat-$model-stats.txt" 2>/dev/null || echo "")
    log "  -> simulator: $stats"
    n429=$(stat_of status.429 "$stats"); total=$(stat_of total "$stats")
    served=$(stat_of served_per_second "$stats")
    sed -i -E "\$s|$|;429s=${n429:-0};served_rate=${served:-?};sim_total=${total:-?};in_flight=$(stat_of max_in_flight "$stats");latency=$lat+0..$jitter;details_served=$(stat_of details_served_per_second "$stats")|" "$RESULTS"
}
if [[ -n "$LATENCIES" ]]; then
    for L in $LATENCIES; do
        for M in $LATENCY_MODELS; do answer_time_run "$L" "$M"; done
    done
fi

# ---------------------------------------------------------------- workspaces on one shared limit (issue 24)
shared_run() { # N declared|undeclared: N workspaces, each with its own credentials, against one simulator's one 10/s limit
    local n=$1 how=$2 per=$(( (SHARED_CALLS + $1 - 1) / $1 )) out=$WORK/shared-$1-$2.out err=$WORK/shared-$1-$2.err tv=$WORK/shared-$1-$2.time
    local also=() names=() args=() envs=() i
    for i in $(seq 1 "$n"); do
        names+=("s$i")
        also+=("--also-accept=key-s$i:pw-s$i")
        envs+=("CLARI_WORKSPACE_S${i}_API_KEY=key-s$i" "CLARI_WORKSPACE_S${i}_API_PASSWORD=pw-s$i")
    done
    start_sim "$per" --rate-limit=10 --rate-limit-model=sliding-window "${also[@]}" --stats-file="$WORK/shared-$n-$how-stats.txt"
    for i in $(seq 1 "$n"); do
        args+=("--clari.workspace.s$i.base-url=$SIM_URL" "--clari.workspace.s$i.schema=shared_${how}_s$i")
        [[ $how != declared ]] || args+=("--clari.workspace.s$i.rate-limit-group=agency")
    done
    log "shared: $n workspaces x $per calls ($how) against one 10/s limit (strict sliding second)"
    local rc=0
    # shellcheck disable=SC2086
    (cd "$WORK" && env "${envs[@]}" /usr/bin/time -v -o "$tv" timeout "$MAX_SECONDS" java $JAVA_OPTS -jar "$JAR" sync \
        --warehouse.url="jdbc:duckdb:$WORK/shared-$n-$how.duckdb$DUCKDB_OPTIONS" --clari.sync.start-date=2015-01-01 \
        --clari.workspaces="$(IFS=,; echo "${names[*]}")" --clari.workspaces.parallelism="$n" "${args[@]}" > "$out" 2> "$err") || rc=$?
    stop_sim
    local stats ok total n429 served cpu share pct
    stats=$(cat "$WORK/shared-$n-$how-stats.txt" 2>/dev/null || echo "")
    log "  -> simulator: $stats"
    ok=$(grep -c ': sync ok' "$out" || true)
    total=$(stat_of total "$stats"); n429=$(stat_of status.429 "$stats"); served=$(stat_of served_per_second "$stats")
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$tv")
    share=$(awk -v s="${served:-0}" 'BEGIN {printf "%.0f", s * 10}')
    pct=$(awk -v a="${n429:-0}" -v t="${total:-0}" 'BEGIN {if (t > 0) printf "%.1f", 100 * a / t; else print "-"}')
    local verdict="**missed**"
    awk -v s="$share" -v p="$pct" 'BEGIN {exit !(s >= 85 && p <= 3)}' && verdict=met
    [[ "$ok" == "$n" ]] || verdict="**missed** ($ok of $n ok)"
    SHARED_ROWS+="| $n | $how | $per | $ok | $rc | ${total:-?} | ${served:-?} ($share%) | ${n429:-?} ($pct%) | $(stat_of max_in_flight "$stats") | $cpu | $(awk -v c="$cpu" -v k="$(( n * per ))" 'BEGIN {printf "%.2f", c * 1000 / k}') | $verdict |
"
}
if [[ -n "$SHARED" ]]; then
    for n in $SHARED; do shared_run "$n" declared; done
    for n in $SHARED_UNDECLARED; do shared_run "$n" undeclared; done
fi

# ---------------------------------------------------------------- many workspaces in one JVM
workspaces_run() { # N M WAREHOUSE: N simulated workspaces of M calls, one connector process syncing all of them at once
    local n=$1 m=$2 wh=$3 logf=$WORK/many-sims-$3.log out=$WORK/workspaces-$3.out err=$WORK/workspaces-$3.err tv=$WORK/workspaces-$3.time
    java -cp "$TOOLS_JAR" dev.clarisync.bench.ManySimulators --count="$n" --calls="$m" --rate-limit=10 > "$logf" 2>&1 &
    local sims=$!
    PIDS+=("$sims")
    for _ in $(seq 1 600); do
        grep -q '^ready' "$logf" 2>/dev/null && break
        kill -0 "$sims" 2>/dev/null || { cat "$logf" >&2; exit 1; }
        sleep 0.2
    done
    local names=() args=() envs=() name url
    while read -r _ name url; do
        names+=("$name")
        args+=("--clari.workspace.$name.base-url=$url")
        envs+=("CLARI_WORKSPACE_${name^^}_API_KEY=$KEY" "CLARI_WORKSPACE_${name^^}_API_PASSWORD=$PASSWORD")
        # on PostgreSQL each workspace's schema gets a prefix of this run (the database is shared with the other runs)
        [[ $wh != postgresql ]] || args+=("--clari.workspace.$name.schema=ws_$name")
    done < <(grep '^workspace ' "$logf")
    local list parallel=$(( n < 256 ? n : 256 )) target
    list=$(IFS=,; echo "${names[*]}")
    case $wh in
        duckdb) target=(--warehouse.url="jdbc:duckdb:$WORK/workspaces.duckdb$WS_DUCKDB_OPTIONS") ;;
        postgresql) target=(--warehouse.url="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" --warehouse.user=postgres) ;;
    esac
    log "workspaces: $n x $m calls into $wh, one JVM, all at once, 10 requests/s each"
    local rc=0
    # shellcheck disable=SC2086
    (cd "$WORK" && env "${envs[@]}" MALLOC_ARENA_MAX="$WS_ARENAS" /usr/bin/time -v -o "$tv" timeout "$MAX_SECONDS" \
        java $WS_JAVA_OPTS -jar "$JAR" sync "${target[@]}" --clari.sync.start-date=2015-01-01 \
        --clari.workspaces="$list" --clari.workspaces.parallelism="$parallel" --clari.details.batch-size="$WS_BATCH" \
        --clari.details.parallelism="$PARALLELISM" "${args[@]}" > "$out" 2> "$err") || rc=$?
    kill "$sims" 2>/dev/null || true
    wait "$sims" 2>/dev/null || true
    local ok requests wall rss cpu calls cpu_call per_core
    ok=$(grep -c ': sync ok' "$out" || true)
    requests=$(sed -nE 's/^workspace [^:]*: sync [^—]*— [0-9.]+ s, ([0-9]+) requests?,.*/\1/p' "$out" | awk '{s += $1} END {print s + 0}')
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$tv")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$tv")
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$tv")
    calls=$(( n * m ))
    cpu_call=$(awk -v c="$cpu" -v k="$calls" 'BEGIN {printf "%.2f", c * 1000 / k}')
    # one workspace at the full API rate sends 10 requests/s; one core serves requests / CPU seconds of them
    per_core=$(awk -v c="$cpu" -v r="$requests" 'BEGIN {if (c > 0) printf "%.0f", (r / c) / 10; else print "-"}')
    local verdict="met"; [[ -n "$rss" && "$rss" -le 512 ]] || verdict="**missed**"
    log "  -> $ok of $n workspaces ok (exit $rc), $requests requests, wall $wall s, CPU $cpu s, peak RSS $rss MB"
    WS_ROWS+="| $wh | $n x $m | $ok | $rc | $requests | $wall | $cpu | $cpu_call | $rss: $verdict | $per_core |
"
}
if [[ "$WORKSPACES" != 0 ]]; then
    for wh in $WS_WAREHOUSES; do
        [[ $wh != postgresql || -n "$PG_PORT" ]] || start_pg
        workspaces_run "${WORKSPACES%x*}" "${WORKSPACES#*x}" "$wh"
    done
    WS_REPORT="
## Many workspaces in one JVM

| warehouse | workspaces x calls | ok | exit | requests | wall s | CPU s | CPU ms per call | peak RSS MB (target <= 512) | workspaces per core at 10 requests/s |
|---|---|---|---|---|---|---|---|---|---|
${WS_ROWS}
Each simulator admits 10 requests/s (one Clari workspace's limit), so the wall time is bounded by the API rate;
the CPU figures say how many workspaces one core keeps at that rate (first syncs: each workspace's schema, tables
and views are created in the run). JVM options: ${WS_JAVA_OPTS:-none}; MALLOC_ARENA_MAX=$WS_ARENAS;
clari.workspaces.parallelism = workspaces; clari.details.batch-size $WS_BATCH; DuckDB: one file (URL options
${WS_DUCKDB_OPTIONS:-none}); PostgreSQL: one database, a schema per workspace. The simulators (one JVM) share this
machine's CPU."
fi
# ---------------------------------------------------------------- 30 simulated days (issue 13, reconciliation)
if [[ -n "$THIRTY_DAYS" ]]; then
    log "30-days: a simulated life ($THIRTY_DAYS: initial calls, new a day, active days, quiet days)"
    started=$(date +%s.%N)
    # simulator and connector in one JVM (one clock): not the connector's footprint, so not BENCH_JAVA_OPTS
    # shellcheck disable=SC2086
    life=$(cd "$ROOT" && java -Xmx512m -cp "$TOOLS_JAR" dev.clarisync.bench.ThirtyDays $THIRTY_DAYS 2> "$WORK/thirty-days.log" \
        | grep '^thirty-days' || true)
    wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
    IFS=$'\t' read -r _ per_call calls list_min summary_min list_edits summaries list_per_day <<< "${life:-x}"
    printf '30-days\tduckdb\t%s\t-\t%s\t-\t-\t-\t-\t-\t-\t%s\tper_call=%s;list_worst_min=%s;summary_worst_min=%s;list_edits=%s;summaries=%s;list_per_day=%s\n' \
        "${calls:--}" "$wall" "$([[ -n "$life" ]] && echo ok || echo failed)" "${per_call:-?}" "${list_min:-?}" "${summary_min:-?}" \
        "${list_edits:-?}" "${summaries:-?}" "${list_per_day:-?}" >> "$RESULTS"
fi

# ---------------------------------------------------------------- long jar scenarios kept out of CI
if [[ "${BENCH_ACCEPTANCE:-1}" == 1 ]]; then
    log "long jar scenarios (JUnit tag bench): mvn verify -Dit.excludedGroups= -Dit.groups=bench"
    started=$(date +%s.%N)
    acc=ok
    (cd "$ROOT" && mvn -o -q -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.excludedGroups= -Dgroups=bench \
        > "$WORK/acceptance.log" 2>&1) || acc=failed
    wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
    printf 'acceptance\tduckdb\t100000\t-\t%s\t-\t-\t-\t-\t-\t-\t%s\tBackfillAcceptanceIT\n' "$wall" "$acc" >> "$RESULTS"
fi

# ---------------------------------------------------------------- report
MACHINE=$(cat <<EOF
- date: $(date -u +%Y-%m-%dT%H:%MZ); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)'); connector jar ${JAR#"$ROOT"/}
- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo) RAM; load average at start $(cut -d' ' -f1-3 /proc/loadavg)
- JDK: $(java -version 2>&1 | head -2 | tail -1); connector JVM options: ${JAVA_OPTS:-none (JVM defaults)}; DuckDB URL options: ${DUCKDB_OPTIONS:-none}
- simulator: same machine, own JVM, no latency; details parallelism $PARALLELISM; PostgreSQL ${PG_BIN:+$("$PG_BIN/postgres" --version | awk '{print $3}') (fsync on)}${PG_BIN:-not run}
EOF
)
{
    echo "# Benchmark results"
    echo
    echo "$MACHINE"
    echo
    awk -F'\t' -f "$ROOT/bench/report.awk" "$RESULTS"
    echo "$WS_REPORT"
    if [[ -n "$SHARED_ROWS" ]]; then
        echo
        echo "## Workspaces on one shared limit"
        echo
        echo "| workspaces | group | calls each | ok | exit | requests | served req/s (share of 10) | 429s (share) | in flight max | CPU s | CPU ms per call | ≥ 85%, ≤ 3% 429s |"
        echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
        echo -n "$SHARED_ROWS"
        echo
        echo "One simulator enforces one 10/s limit (strict sliding second) for every workspace's credentials; each workspace"
        echo "syncs the same calls into its own schema. declared: clari.workspace.<name>.rate-limit-group=agency on each;"
        echo "undeclared: nothing set (the connector finds the shared limit from the first 429s). served: answers other than 429"
        echo "per second between the first and the last, on the simulator's clock."
    fi
} > "$WORK/report.md"
cp "$WORK/report.md" "$OUT"
cat "$WORK/report.md"
