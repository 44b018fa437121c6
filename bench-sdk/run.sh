#!/usr/bin/env bash
# Side by side, our generated `elasticache` client vs `aws-sdk-elasticache` (issue 4):
#   1. in-process call overhead (criterion, benches/call.rs): median µs per TestMigration call
#      for the 11 KB, the 392 B and the 404 error fixtures, and the ratio SDK / ours;
#   2. clean `cargo build --release -j $JOBS` of ours-app and sdk-app, back to back, $ROUNDS
#      times: wall time, crates compiled (`Compiling` lines), stripped binary size.
# Prints one table. Logs go to target/run/. The verified, interleaved comparison (call, parse
# and loopback, ratio per round) is a separate program: cargo run --release --bin compare.
#
#   ./run.sh                  # everything
#   ./run.sh --bench-only     # only the criterion run
#   ./run.sh --builds-only    # only the timed clean builds
#   ROUNDS=1 JOBS=2 BENCH_ARGS="--measurement-time 5" ./run.sh
#
# Dependencies are fetched first (`cargo fetch`), so downloads are never timed. The machine is
# shared: the script prints the load average before each timed build.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
ROUNDS="${ROUNDS:-2}"
JOBS="${JOBS:-2}"
BENCH_ARGS="${BENCH_ARGS:-}"
do_bench=1
do_builds=1
case "${1:-}" in
  --bench-only) do_builds=0 ;;
  --builds-only) do_bench=0 ;;
  "") ;;
  *) echo "usage: $0 [--bench-only|--builds-only]" >&2; exit 2 ;;
esac

logs="$here/target/run"
mkdir -p "$logs"
table="$logs/table.md"
: >"$table"

rev="$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo '?')"
dirty="$(git -C "$here/.." status --porcelain -- runtime generated 2>/dev/null | wc -l)"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $rev (runtime/generated files with uncommitted changes: $dirty)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(rustc --version)"
  echo "aws-sdk-elasticache $(grep -A1 'name = "aws-sdk-elasticache"' sdk-app/Cargo.lock 2>/dev/null | sed -n 's/version = "\(.*\)"/\1/p')"
  echo
} | tee -a "$table"

for d in . ours-app sdk-app; do (cd "$d" && cargo fetch --locked -q); done

# ---------------------------------------------------------------- 1. call overhead
if [ "$do_bench" = 1 ]; then
  echo "== criterion: cargo bench --bench call (log: $logs/bench.log)" >&2
  # shellcheck disable=SC2086
  cargo bench --locked --bench call -- $BENCH_ARGS >"$logs/bench.log" 2>&1 || {
    tail -30 "$logs/bench.log" >&2
    exit 1
  }
  python3 - "$here/target/criterion" <<'EOF' | tee -a "$table"
import json, os, sys
root = sys.argv[1]
def median_us(group, bench):
    path = os.path.join(root, group, bench, "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"] / 1000.0
rows = [("large 11 KB", "test_migration.xml"), ("small 392 B", "test_migration_small.xml"),
        ("error 404", "error_replication_group_not_found.xml (HTTP 404)")]
print("| in-process TestMigration call (median) | ours, MockTransport | ours, plain Transport | aws-sdk-elasticache | SDK / ours (MockTransport) |")
print("|---|---|---|---|---|")
for name, fixture in rows:
    group = "TestMigration call_" + name
    mock = median_us(group, "ours (MockTransport)")
    plain = median_us(group, "ours (canned Transport)")
    sdk = median_us(group, "aws-sdk-elasticache")
    print(f"| `{fixture}` | {mock:.1f} µs | {plain:.1f} µs | {sdk:.1f} µs | {sdk / mock:.1f}× |")
print()
EOF
fi

# ---------------------------------------------------------------- 2. clean builds
if [ "$do_builds" = 1 ]; then
  echo "| clean \`cargo build --release -j $JOBS\` | round | load avg before | wall time | CPU time (user+sys) | crates compiled | stripped binary |" | tee -a "$table"
  echo "|---|---|---|---|---|---|---|" | tee -a "$table"
  : >"$logs/builds.txt"
  for round in $(seq 1 "$ROUNDS"); do
    for app in ours-app sdk-app; do
      log="$logs/build-$app-$round.log"
      load="$(cut -d' ' -f1-3 /proc/loadavg)"
      echo "== $app round $round: clean build (log: $log)" >&2
      (cd "$app" && rm -rf target && /usr/bin/time -v cargo build --locked --release -j "$JOBS" >"$log" 2>&1) || {
        tail -30 "$log" >&2
        exit 1
      }
      wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")"
      secs="$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.0f", s }')"
      cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.0f", s }' "$log")"
      crates="$(grep -c '^ *Compiling ' "$log")"
      cp "$app/target/release/$app" "$logs/$app.stripped"
      strip "$logs/$app.stripped"
      bytes="$(stat -c %s "$logs/$app.stripped")"
      unstripped="$(stat -c %s "$app/target/release/$app")"
      printf '| %s | %s | %s | %s s | %s s | %s | %s bytes (%.2f MB; unstripped %.2f MB) |\n' \
        "$app" "$round" "$load" "$secs" "$cpu" "$crates" "$bytes" "$(echo "$bytes / 1000000" | bc -l)" \
        "$(echo "$unstripped / 1000000" | bc -l)" | tee -a "$table"
      echo "$app $round $secs $crates $bytes $cpu" >>"$logs/builds.txt"
    done
  done
  echo | tee -a "$table"
  python3 - "$logs/builds.txt" <<'EOF' | tee -a "$table"
import sys
runs = {}
for line in open(sys.argv[1]):
    app, rnd, secs, crates, size, cpu = line.split()
    runs.setdefault(rnd, {})[app] = (int(secs), int(crates), int(size), int(cpu))
for rnd, r in sorted(runs.items()):
    if "ours-app" in r and "sdk-app" in r:
        (ot, oc, os_, ou), (st, sc, ss, su) = r["ours-app"], r["sdk-app"]
        print(f"round {rnd}: ours/SDK build wall time {ot}/{st} s = {ot / st:.2f} ({st / ot:.1f}x less); "
              f"CPU time {ou}/{su} s = {ou / su:.2f}; "
              f"crates {oc}/{sc}; stripped size {os_ / 1e6:.2f}/{ss / 1e6:.2f} MB = {os_ / ss:.2f} ({ss / os_:.1f}x smaller)")
print()
EOF
fi

echo "table written to $table" >&2
