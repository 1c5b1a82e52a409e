# Turns bench/run.sh's results.tsv into the markdown report. Columns:
# kind warehouse calls sync_s wall_s rss_mb requests calls_seen rows details_owed cpu_s status extra
function num(x) { return x ~ /^[0-9.]+$/ }
function rate(n, s) { return (num(n) && num(s) && s > 0) ? sprintf("%.0f", n / s) : "-" }
function verdict(ok) { return ok ? "met" : "**missed**" }
function field(extra, name,   v) { v = extra; if (index(v, name "=") == 0) return ""; sub(".*" name "=", "", v); sub(/;.*/, "", v); return v }
NR == 1 { next }
{
    runs[++count] = $0
    if ($1 == "full" && num($6)) rss[$2, $3] = $6
    if ($1 == "ingest" && num($11) && $3 > 0) ingestMs[$3] = $11 * 1000 / $3
}
END {
    print "| run | warehouse | calls | sync s | wall s | calls/s | rows/s | requests | req/s | peak RSS MB | CPU s | CPU ms/call | target | status |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
    for (i = 1; i <= count; i++) {
        split(runs[i], f, "\t")
        kind = f[1]; wh = f[2]; n = f[3]; s = f[4]; wall = f[5]; mb = f[6]; req = f[7]; seen = f[8]; rows = f[9]; owed = f[10]; cpu = f[11]; st = f[12]; extra = f[13]
        target = "-"
        perCall = (num(cpu) && n > 0) ? sprintf("%.2f", cpu * 1000 / n) : "-"
        if (kind == "full") {
            if (num(req) && num(owed)) {
                minimum = 1 + int((n + 99) / 100) + owed
                target = sprintf("requests %s vs minimum %d (1 + %d pages + %d details): %.3f×, ≤ 1.02×: ", req, minimum, int((n + 99) / 100), owed, req / minimum) verdict(req <= 1.02 * minimum)
            }
            if (perCall != "-") {
                target = target "; CPU ≤ 1 ms/call: " verdict(perCall + 0 <= 1)
                jit = field(extra, "jit")
                if (num(jit)) target = target sprintf(" (CPU s by thread: writer %s, details %s, main %s, GC %s, JIT %s, other %s; without JIT %.2f ms/call)", \
                    field(extra, "writer"), field(extra, "details"), field(extra, "main"), field(extra, "gc"), jit, field(extra, "other"), (cpu - jit) * 1000 / n)
                if (wh == "duckdb" && ingestMs[n] > 0) target = target sprintf("; vs DuckDB read_json (%.2f ms/call): %.1f×, ≤ 2×: ", ingestMs[n], perCall / ingestMs[n]) verdict(perCall / ingestMs[n] <= 2)
            }
            if (n >= 100000 && num(mb)) {
                small = rss[wh, 10000]
                target = target "; RSS ≤ 300 MB: " verdict(mb <= 300)
                if (num(small)) target = target sprintf("; flat against 10k (%s MB, +%.0f%%)", small, 100 * (mb - small) / small)
            }
        } else if (kind == "ingest") {
            target = sprintf("write-path floor: %s rows, %s details", rows, owed)
            rows = "-"; seen = n
        } else if (kind == "rerun") {
            target = "sync < 5 s: " verdict(num(s) && s < 5) "; wall < 5 s: " verdict(num(wall) && wall < 5) \
                sprintf("; 0 details requests (sent %s; backlog entries %s): ", field(extra, "details_requests"), owed == "" ? "?" : owed) verdict(field(extra, "details_requests") == "0")
        } else if (kind == "30-days") {
            pc = field(extra, "per_call"); lm = field(extra, "list_worst_min"); sm = field(extra, "summary_worst_min")
            thirty = 1
            target = sprintf("%s `/call-details` per call over its first 30 days (target ≤ 1.3): %s; list edits landed within %s min (≤ 1 day: %s); regenerated summaries within %s min (≤ 7 days: %s); %s list edits, %s summaries, %s `/calls` requests a day", \
                pc, verdict(num(pc) && pc + 0 <= 1.3), lm, verdict(num(lm) && lm + 0 <= 1440), sm, verdict(num(sm) && sm + 0 <= 10080), \
                field(extra, "list_edits"), field(extra, "summaries"), field(extra, "list_per_day"))
        } else if (kind ~ /^answer-time:/) {
            n429 = field(extra, "429s"); served = field(extra, "served_rate"); total = field(extra, "sim_total")
            per1000 = (num(n429) && num(total) && total > 0) ? n429 * 1000 / total : -1
            floor = (kind ~ /:0ms:/) ? 95 : 90; dserved = field(extra, "details_served")
            target = sprintf("served %s req/s (%.0f%% of 10; ≥ %d%%), %s 429s (%.1f per 1,000; ≤ 5), at most %s in flight (answer %s ms): ", \
                served, served * 10, floor, n429, per1000, field(extra, "in_flight"), field(extra, "latency")) \
                verdict(num(served) && served * 10 >= floor && per1000 >= 0 && per1000 <= 5) \
                sprintf("; details phase alone %s req/s (%.0f%%): ", dserved, dserved * 10) verdict(num(dserved) && dserved * 10 >= floor)
        } else if (kind ~ /^limiter:/) {
            n429 = field(extra, "429s"); served = field(extra, "served_rate")
            target = sprintf("served %s req/s of 10 (≥ 9.3), %s 429s (≤ 5): ", served, n429) verdict(num(served) && served + 0 >= 9.3 && num(n429) && n429 + 0 <= 5)
            if (extra != "") target = target " [" extra "]"
        }
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", kind, wh, n, s, wall, rate(seen, s), rate(rows, s), req, \
            (num(req) && num(s) && s > 0) ? sprintf("%.1f", req / s) : "-", mb, cpu, perCall, target, st
    }
    if (!thirty) print "| 30-days | - | - | - | - | - | - | - | - | - | - | - | not run (BENCH_THIRTY_DAYS empty) | - |"
    print ""
    print "sync s: the connector's own figure (summary line: from the run's start, after JVM, Camel and warehouse start-up, to its end); wall s: the whole process."
    print "CPU s: user + system CPU of the whole connector process (JVM start-up included), from /usr/bin/time; for ingest, the CPU of DuckDB's read_json step alone (/proc/self/stat)."
    print "rows/s: rows written to all tables (root and child) per sync second. limiter runs: served = answers other than 429 per second over the simulator's first-to-last request."
}
