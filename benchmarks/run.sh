#!/usr/bin/env bash
# Runs the benchmark workload three ways against the same PostgreSQL and prints one JSON line each,
# then the ratios:
#   1. the reference Node.js connector (@deepstream/storage-postgres 3.0.4, reference/bench.js)
#   2. this project's record store and listener (StoreBenchmark)
#   3. the server-side ceiling: one INSERT ... SELECT generate_series statement (StoreBenchmark --ceiling)
#
#   benchmarks/run.sh [--records 100000] [--tables 10] [--value-bytes 200] [--write-interval-ms 200]
#                     [--jsonb] [--batch-size N] [--max-buffered N] [--flush-threads N] [--rounds N]
#                     [--warmup N] [--gets N] [--url URL --user U --password P]
#   benchmarks/run.sh --rate 10000 [--duration-s 30] [--tables 10]   # steady load, our store only
#
# Connection settings default to DEEPSTREAM_TEST_JDBC_URL, DEEPSTREAM_TEST_USERNAME and
# DEEPSTREAM_TEST_PASSWORD, then to jdbc:postgresql://127.0.0.1:5432/postgres as postgres.
# Set SKIP_BUILD=1 to reuse a jar built before, JAVA_OPTS for JVM options.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/deepstream-storage-benchmarks.jar"

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
	(cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests) >&2
fi
if [[ ! -d "$here/reference/node_modules/@deepstream/storage-postgres" ]]; then
	(cd "$here/reference" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

# A steady load (--rate N [--duration-s S]) measures latencies of our store only: the reference's
# benchmark has no steady mode, and the goals for it are absolute (see README.md).
for arg in "$@"; do
	if [[ "$arg" == "--rate" ]]; then
		exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
	fi
done

# the options of our store are passed to the reference too, which ignores them
ceiling_args=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	case "${args[$i]}" in
		--records | --value-bytes | --url | --user | --password)
			ceiling_args+=("${args[$i]}" "${args[$((i + 1))]}")
			i=$((i + 1))
			;;
		--jsonb) ceiling_args+=(--jsonb) ;;
	esac
done

reference="$(node "$here/reference/bench.js" "$@")"
echo "$reference"
ours="$(java ${JAVA_OPTS:-} -jar "$jar" "$@")"
echo "$ours"
ceiling="$(java ${JAVA_OPTS:-} -jar "$jar" --ceiling "${ceiling_args[@]}")"
echo "$ceiling"

node -e '
const [reference, ours, ceiling] = process.argv.slice(1).map((line) => JSON.parse(line))
const ratio = (a, b) => (a && b) ? Math.round(a / b * 100) / 100 : null
console.log(JSON.stringify({
	ratios: {
		setPerSecOursToReference: ratio(ours.setPerSec, reference.setPerSec),
		setPerSecOursToCeiling: ratio(ours.setPerSec, ceiling.setPerSec),
		setPerSecReferenceToCeiling: ratio(reference.setPerSec, ceiling.setPerSec),
		getPerSecOursToReference: ratio(ours.getPerSec, reference.getPerSec),
		notifyP50ReferenceToOurs: ratio(reference.notifyLatencyMs.p50, ours.notifyLatencyMs.p50),
		notifyP99ReferenceToOurs: ratio(reference.notifyLatencyMs.p99, ours.notifyLatencyMs.p99)
	}
}))' "$reference" "$ours" "$ceiling"
