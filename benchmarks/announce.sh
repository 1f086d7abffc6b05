#!/usr/bin/env bash
# Set throughput of the store with and without announcing its writes to a real deepstream server
# (deepstream.storage.server.urls), in one run: starts deepstream server 7.0.2 (installed from npm with
# autoconfigure/src/test/deepstream-server/package.json into target/deepstream-node) on 127.0.0.1, then
# runs the store benchmark alternately without and with --server-url, each in a fresh JVM, PAIRS times,
# and prints every JSON line and the ratios of the medians.
#
#   benchmarks/announce.sh [PAIRS=3] [benchmark options, e.g. --records 100000 --tables 10 --rounds 3]
#
# Needs Maven, Java 17, Node.js 18+ and npm; SKIP_BUILD=1 reuses the jar built before; BENCHMARK_JAR=path
# (with SKIP_BUILD=1) runs another build of the benchmark, such as one of an earlier commit. SERVER_NICE=19 runs
# the deepstream server at that nice level (19: lowest CPU priority), an approximation of a server on
# machines of its own: on this machine it still shares the cores, but yields them to the JVM and PostgreSQL.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jar="${BENCHMARK_JAR:-$here/target/deepstream-storage-benchmarks.jar}"
pairs="${1:-3}"
[[ $# -gt 0 ]] && shift

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
	(cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests) >&2
fi
server_dir="$here/target/deepstream-node"
if [[ ! -d "$server_dir/node_modules/@deepstream/server" ]]; then
	mkdir -p "$server_dir"
	cp -r "$root/autoconfigure/src/test/deepstream-server/." "$server_dir/"
	(cd "$server_dir" && npm install --no-audit --no-fund --loglevel=error) >&2
fi

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
url="${DEEPSTREAM_TEST_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
hostport="${url#jdbc:postgresql://}"; hostport="${hostport%%/*}"
pg_host="${hostport%%:*}"; pg_port="${hostport#*:}"; [[ "$pg_port" == "$hostport" ]] && pg_port=5432
pg_db="${url##*/}"; pg_db="${pg_db%%\?*}"
cat > "$server_dir/bench-config.yml" <<YAML
serverName: bench
showLogo: false
logLevel: WARN
httpServer:
  type: default
  options:
    port: $port
    host: 127.0.0.1
connectionEndpoints:
  - type: http
    options:
      allowAuthData: true
      postPath: /api
      getPath: /api
auth:
  - type: none
permission:
  type: none
storage:
  name: postgres
  options:
    user: ${DEEPSTREAM_TEST_USERNAME:-postgres}
    password: "${DEEPSTREAM_TEST_PASSWORD:-}"
    database: $pg_db
    host: $pg_host
    port: $pg_port
    schema: ds_bench_server
YAML
log="$server_dir/bench-server.log"
server_nice="${SERVER_NICE:-0}"
(cd "$server_dir" && exec nice -n "$server_nice" node node_modules/@deepstream/server/dist/bin/deepstream.js start -c bench-config.yml) > "$log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
	grep -q "Deepstream started" "$log" 2>/dev/null && break
	kill -0 $server_pid 2>/dev/null || { cat "$log" >&2; exit 1; }
	sleep 1
done
grep -q "Deepstream started" "$log" || { echo "deepstream server did not start:" >&2; cat "$log" >&2; exit 1; }
api="http://127.0.0.1:$port/api"
echo "deepstream server 7.0.2 at $api (nice $server_nice); load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# CPU seconds the deepstream server (node) has used so far: it shares this machine's cores with
# PostgreSQL and the JVM here, which a deployment would not
server_cpu() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$server_pid/stat"
}

without=()
with=()
server=()
for ((pair = 1; pair <= pairs; pair++)); do
	line="$(java ${JAVA_OPTS:-} -jar "$jar" "$@")"
	echo "$line"
	without+=("$line")
	before="$(server_cpu)"
	line="$(java ${JAVA_OPTS:-} -jar "$jar" "$@" --server-url "$api")"
	echo "$line"
	cpu="{\"deepstreamServerCpuSeconds\":$(awk -v a="$before" -v b="$(server_cpu)" 'BEGIN { printf "%.2f", b - a }')}"
	echo "$cpu"
	with+=("$line")
	server+=("$cpu")
done

node -e '
const all = process.argv.slice(2).map((line) => JSON.parse(line))
const serverNice = Number(process.argv[1])
const half = all.length / 3
const lines = all.slice(0, 2 * half)
const server = all.slice(2 * half)
// names each announcing JVM sent: its warm-up and its measured rounds (none of the default table)
const names = (l) => l.warmup + l.records * l.rounds.length
const median = (values) => { const s = [...values].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
const off = median(lines.slice(0, half).map((l) => l.setPerSec))
const on = median(lines.slice(half).map((l) => l.setPerSec))
console.log(JSON.stringify({
	setPerSecWithout: lines.slice(0, half).map((l) => l.setPerSec),
	setPerSecWith: lines.slice(half).map((l) => l.setPerSec),
	medianWithout: off, medianWith: on,
	ratioWithToWithout: Math.round(on / off * 1000) / 1000,
	// each pair ran back to back, under about the same load: on a shared machine a steadier view
	pairRatios: lines.slice(half).map((l, i) => Math.round(l.setPerSec / lines[i].setPerSec * 100) / 100),
	medianPairRatio: Math.round(median(lines.slice(half).map((l, i) => l.setPerSec / lines[i].setPerSec)) * 1000) / 1000,
	notifyRequests: lines.slice(half).map((l) => l.notifyRequests),
	announcedMsAfterStart: lines.slice(half).map((l) => l.announcedMs),
	namesGivenUp: lines.slice(half).map((l) => l.namesGivenUp),
	serverNice,
	serverCpuUsPerName: server.map((s, i) => Math.round(s.deepstreamServerCpuSeconds * 1e6 / names(lines[half + i]) * 100) / 100),
	clientAnnounceCpuUsPerName: lines.slice(half).map((l) => l.rounds.map((r) => r.announceClientCpuUsPerName)),
	loadAverage: lines.map((l) => l.rounds.map((r) => Number(String(r.loadAverage).split(" ")[0])))
}))' "$server_nice" "${without[@]}" "${with[@]}" "${server[@]}"
