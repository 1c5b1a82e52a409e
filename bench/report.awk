# Turns bench/run.sh's results.tsv into the markdown report. Columns:
# kind warehouse calls sync_s wall_s rss_mb requests calls_seen rows details_owed cpu_s status extra
function num(x) { return x ~ /^[0-9.]+$/ }
function rate(n, s) { return (num(n) && num(s) && s > 0) ? sprintf("%.0f", n / s) : "-" }
function ratio(a, b) { return (num(a) && num(b) && b > 0) ? sprintf("%.2f×", a / b) : "-" }
function verdict(ok) { return ok ? "met" : "**missed**" }
NR == 1 { next }
{
    kind = $1; wh = $2; n = $3
    if (kind == "floor-list") { floorList[n] = $4; floorListReq[n] = $7; sizes[++nsizes] = n; next }
    if (kind == "floor-full") { floorFull[n] = $4; floorFullReq[n] = $7; floorDet[n] = $10; next }
    runs[++count] = $0
    if (kind == "full" && num($6)) rss[wh, n] = $6
}
END {
    print "| run | warehouse | calls | sync s | wall s | calls/s | rows/s | requests | req/s | peak RSS MB | CPU s | floor s | sync/floor | target | status |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
    for (j = 1; j <= nsizes; j++) {
        n = sizes[j]
        printf "| floor: /users + /calls pages | http | %s | %s | - | %s | - | %s | %s | - | - | - | - | - | ok |\n", n, floorList[n], rate(n, floorList[n]), floorListReq[n], rate(floorListReq[n], floorList[n])
        printf "| floor: + /call-details (%s) | http | %s | %s | - | %s | - | %s | %s | - | - | - | - | - | ok |\n", floorDet[n], n, floorFull[n], rate(n, floorFull[n]), floorFullReq[n], rate(floorFullReq[n], floorFull[n])
    }
    for (i = 1; i <= count; i++) {
        split(runs[i], f, "\t")
        kind = f[1]; wh = f[2]; n = f[3]; s = f[4]; wall = f[5]; mb = f[6]; req = f[7]; seen = f[8]; rows = f[9]; owed = f[10]; cpu = f[11]; st = f[12]; extra = f[13]
        fl = "-"; target = "-"
        if (kind == "full") {
            fl = floorFull[n]; target = "≤ 1.5× floor: " verdict(num(s) && num(fl) && s <= 1.5 * fl)
            if (n >= 100000 && num(mb)) {
                small = rss[wh, 10000]
                target = target "; RSS ≤ 350 MB: " verdict(mb <= 350)
                if (num(small)) target = target sprintf("; RSS within 20%% of 10k (%s MB): ", small) verdict(mb <= 1.2 * small)
            }
        } else if (kind == "list-only") {
            fl = floorList[n]; target = "≤ 1.3× floor: " verdict(num(s) && num(fl) && s <= 1.3 * fl)
        } else if (kind == "rerun") {
            target = "sync < 5 s: " verdict(num(s) && s < 5) "; wall < 5 s: " verdict(num(wall) && wall < 5) \
                sprintf("; 0 details requests (owed %s): ", owed == "" ? "?" : owed) verdict(owed == "0")
        } else if (kind ~ /^throttled/) {
            n429 = extra; sub(/.*429s=/, "", n429); sub(/;.*/, "", n429)
            # the rate Clari sees: first to last request, at the simulator (the sync's own time adds start-up and
            # the writes after the last answer)
            r = extra; sub(/.*api_rate=/, "", r); sub(/;.*/, "", r)
            target = sprintf("≥ 9.5 req/s at the API (%s), 0 429s (%s): ", r, n429) verdict(num(r) && r + 0 >= 9.5 && n429 == "0")
            if (extra != "") target = target " [" extra "]"
        }
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", kind, wh, n, s, wall, rate(seen, s), rate(rows, s), req, \
            (num(req) && num(s) && s > 0) ? sprintf("%.1f", req / s) : "-", mb, cpu, fl, ratio(s, fl), target, st
    }
    print ""
    print "sync s: the connector's own figure (summary line: from the run's start, after JVM, Camel and warehouse start-up, to its end); wall s: the whole process."
    print "rows/s: rows written to all tables (root and child) per sync second. floor s: bare HTTP client, same requests, same concurrency; sync/floor: sync s ÷ floor s."
}
