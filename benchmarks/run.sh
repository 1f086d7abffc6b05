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
# Each of the three runs in a database of its own, created on that server for it and dropped
# afterwards (FRESH_DATABASE=0: in the given database itself; so does a user who may not create
# databases, with a message). A database in which thousands of tables were created and dropped (by
# earlier runs, or by the tests) creates tables much more slowly than a new one (500 tables: 1.8 -
# 2.2 s of backend CPU against 0.54 s, see README.md), so whichever implementation ran second, or
# later in the day, would be measured against a slower server.
# KEEP_DATABASES=1 leaves them (for a series of runs: the drop of thousands of tables slows the
# next few minutes' CREATE TABLE on some file systems; drop them when the series is done).
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

# the options of our store are passed to the reference too, which ignores them; the connection is
# passed to each run below
url="${DEEPSTREAM_TEST_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
user="${DEEPSTREAM_TEST_USERNAME:-postgres}"
password="${DEEPSTREAM_TEST_PASSWORD:-}"
run_args=()
ceiling_args=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
	case "${args[$i]}" in
		--url) url="${args[$((i + 1))]}"; i=$((i + 1)) ;;
		--user) user="${args[$((i + 1))]}"; i=$((i + 1)) ;;
		--password) password="${args[$((i + 1))]}"; i=$((i + 1)) ;;
		--records | --value-bytes | --tables | --flush-threads)
			ceiling_args+=("${args[$i]}" "${args[$((i + 1))]}")
			run_args+=("${args[$i]}" "${args[$((i + 1))]}")
			i=$((i + 1))
			;;
		--jsonb) ceiling_args+=(--jsonb); run_args+=(--jsonb) ;;
		*) run_args+=("${args[$i]}") ;;
	esac
done

databases=()
drop_databases() {
	if [[ "${KEEP_DATABASES:-0}" == "1" ]]; then
		echo "Kept the databases of this run: ${databases[*]}" >&2
		return
	fi
	for name in "${databases[@]}"; do
		node "$here/reference/database.js" drop "$name" --url "$url" --user "$user" --password "$password" >&2 || true
	done
}
trap drop_databases EXIT

# Sets db to the JDBC URL of a new database for one run (named after it), or to the given one.
# Not called in a subshell: the list of databases to drop must keep the name.
database_for() {
	# What the previous run left is written out now, not during this run: each implementation starts
	# with the disk idle and no checkpoint due. Otherwise hundreds of MB of dirty pages were still being
	# written back during the next implementation's rounds, and checkpoints started by the previous
	# one's WAL synced, during it, the tens of thousands of files it had created (PostgreSQL's log:
	# "sync files=36218"). CHECKPOINT needs a superuser or pg_checkpoint; without it the run goes on,
	# with a message.
	sync
	node "$here/reference/database.js" checkpoint --url "$url" --user "$user" --password "$password" >&2 \
		|| echo "Could not run CHECKPOINT before the $1 run; a checkpoint may overlap it" >&2
	db="$url"
	keep=()
	if [[ "${FRESH_DATABASE:-1}" == "0" ]]; then
		return
	fi
	local name="bench_$1_$(date +%s)_$RANDOM"
	if node "$here/reference/database.js" create "$name" --url "$url" --user "$user" --password "$password" >&2; then
		databases+=("$name")
		# Its schemas go with the database when the script ends, not after each round: dropping a
		# round's thousand tables made the next round's (or the next implementation's) CREATE TABLE
		# several times slower here, since ext4 without a journal skips recently deleted inodes when
		# it allocates one.
		keep=(--keep-schemas)
		local base="${url%%\?*}"
		db="${base%/*}/$name${url#"$base"}"
	else
		echo "Could not create a database for the $1 run; it runs in the given one" >&2
	fi
}

# A steady load (--rate N [--duration-s S]) measures latencies of our store only: the reference's
# benchmark has no steady mode, and the goals for it are absolute (see README.md).
for arg in "$@"; do
	if [[ "$arg" == "--rate" ]]; then
		database_for steady
		java ${JAVA_OPTS:-} -jar "$jar" "${run_args[@]}" "${keep[@]}" --url "$db" --user "$user" --password "$password"
		exit
	fi
done

database_for reference
reference="$(node "$here/reference/bench.js" "${run_args[@]}" "${keep[@]}" --url "$db" --user "$user" --password "$password")"
echo "$reference"
database_for store
ours="$(java ${JAVA_OPTS:-} -jar "$jar" "${run_args[@]}" "${keep[@]}" --url "$db" --user "$user" --password "$password")"
echo "$ours"
database_for ceiling
ceiling="$(java ${JAVA_OPTS:-} -jar "$jar" --ceiling "${ceiling_args[@]}" "${keep[@]}" --url "$db" --user "$user" --password "$password")"
echo "$ceiling"

node -e '
const [reference, ours, ceiling] = process.argv.slice(1).map((line) => JSON.parse(line))
const ratio = (a, b) => (a && b) ? Math.round(a / b * 100) / 100 : null
console.log(JSON.stringify({
	ratios: {
		setPerSecOursToReference: ratio(ours.setPerSec, reference.setPerSec),
		setPerSecOursToCeiling: ratio(ours.setPerSec, ceiling.setPerSec),
		setPerSecReferenceToCeiling: ratio(reference.setPerSec, ceiling.setPerSec),
		setPerSecOursToCreatedTablesCeiling: ratio(ours.setPerSec, ceiling.createdTables && ceiling.createdTables.rowsPerSec),
		setPerSecReferenceToCreatedTablesCeiling: ratio(reference.setPerSec, ceiling.createdTables && ceiling.createdTables.rowsPerSec),
		getPerSecOursToReference: ratio(ours.getPerSec, reference.getPerSec),
		notifyP50ReferenceToOurs: ratio(reference.notifyLatencyMs.p50, ours.notifyLatencyMs.p50),
		notifyP99ReferenceToOurs: ratio(reference.notifyLatencyMs.p99, ours.notifyLatencyMs.p99)
	}
}))' "$reference" "$ours" "$ceiling"
