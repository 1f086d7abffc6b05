#!/usr/bin/env bash
# Runs the store benchmark over a matrix of sizes and table counts, the reference connector at the
# same sizes over 10 tables, and the memory-bound run; prints one JSON line per run followed by a
# Markdown table. Takes about a quarter of an hour on two cores.
#
#   benchmarks/scale.sh [extra arguments for both benchmarks, e.g. --url ...]
#
# Set SKIP_BUILD=1 to reuse a jar built before, RECORDS / TABLES to change the matrix, REFERENCE=0 to
# leave the reference out.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/deepstream-storage-benchmarks.jar"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
	(cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests) >&2
fi
if [[ "${REFERENCE:-1}" == "1" && ! -d "$here/reference/node_modules/@deepstream/storage-postgres" ]]; then
	(cd "$here/reference" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

lines=()
for records in ${RECORDS:-10000 100000 1000000}; do
	for tables in ${TABLES:-1 10 1000}; do
		# one measured round for the largest runs keeps the whole matrix within minutes
		rounds=$(( records >= 1000000 ? 1 : 3 ))
		line="$(java ${JAVA_OPTS:-} -jar "$jar" --records "$records" --tables "$tables" --rounds "$rounds" --gets 2000 "$@")"
		echo "$line"
		lines+=("$line")
	done
	if [[ "${REFERENCE:-1}" == "1" ]]; then
		line="$(node "$here/reference/bench.js" --records "$records" --tables 10 --rounds "$rounds" --gets 2000 "$@")"
		echo "$line"
		lines+=("$line")
	fi
done
# PostgreSQL slower than the writers: a small buffer bound, a small heap, a million records
line="$(java -Xmx256m -jar "$jar" --records 1000000 --tables 10 --max-buffered 5000 --batch-size 1000 --rounds 1 --gets 2000 "$@")"
echo "$line"
lines+=("$line")

printf '%s\n' "${lines[@]}" | node -e '
const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").map((line) => JSON.parse(line))
console.log("\n| impl | records | tables | maxBuffered | sets/s | notify p50 ms | notify p99 ms | gets/s | peak buffered | peak heap MB (after GC) | max heap MB | CPU µs/set client + server |")
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for (const r of lines) {
	const cpu = r.cpuUsPerSet || {}
	console.log(`| ${r.impl} | ${r.records} | ${r.tables} | ${r.maxBuffered} | ${r.setPerSec} | ${r.notifyLatencyMs.p50} | ${r.notifyLatencyMs.p99} | ${r.getPerSec} | ${r.peakBuffered ?? "-"} | ${r.peakHeapMb} (${r.peakHeapAfterGcMb ?? "-"}) | ${r.maxHeapMb ?? "-"} | ${cpu.client} + ${cpu.server} |`)
}'
