#!/usr/bin/env bash
# What PostgreSQL itself spends on the store's work, in psql alone (no Java, no Node), in a database
# created for the run and dropped afterwards:
#
#   benchmarks/server-costs.sh [--rows 100000] [--batch 5000] [--tables 500] [--repeats 3]
#
# 1. Statement forms: --rows rows of the benchmark's shape (id, version 1, a 200-byte JSON value)
#    into a new table with the store's DDL and record trigger, by one backend, in statements of
#    --batch rows, each committed, as the store's batches are:
#      series  INSERT ... SELECT ... FROM generate_series (the form of the benchmark's --ceiling)
#      insert  INSERT ... SELECT ... FROM unnest(text[], int4[], text[]) (the store's statement for a
#              table it has just created)
#      upsert  the same with ON CONFLICT (id) DO UPDATE (the store's statement for a table that
#              exists), all rows new
#    The forms take turns going first; each starts after a CHECKPOINT. The time spent making the
#    arrays (in the backend, standing in for a client's) is printed apart and left out of the others.
# 2. Table creation: --tables tables, each created with the store's DDL and trigger and given 100
#    rows, 8 tables per transaction (as the store's flusher groups new tables), by 1, 2 and 4
#    backends at once, each taking an equal share.
# Every backend reports its own CPU time, read from /proc/self/stat with pg_read_file (a superuser on
# a server on this machine; elsewhere only the wall time is printed). One JSON line per measurement.
# Connects with psql's PGHOST, PGPORT, PGUSER (default 127.0.0.1, 5432, postgres).
set -euo pipefail

export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
rows=100000
batch=5000
tables=500
repeats=3
while (($#)); do
	case "$1" in
		--rows) rows="$2"; shift 2 ;;
		--batch) batch="$2"; shift 2 ;;
		--tables) tables="$2"; shift 2 ;;
		--repeats) repeats="$2"; shift 2 ;;
		*) echo "Unknown argument $1" >&2; exit 2 ;;
	esac
done

database="bench_server_costs_$$"
psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $database" >/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null || echo "Could not drop $database" >&2' EXIT
export PGDATABASE="$database"

psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE SCHEMA costs;
-- the body of SchemaSql's record-change function
CREATE FUNCTION costs.deepstream_record_change() RETURNS trigger AS $body$
DECLARE
  sent text;
  nothing record;
BEGIN
  sent := pg_notify(TG_TABLE_SCHEMA,
      TG_OP || ':' || TG_TABLE_NAME || ':' || CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END);
  RETURN nothing;
END;
$body$ LANGUAGE plpgsql;

-- this backend's CPU time in milliseconds (utime + stime), or NULL where /proc cannot be read
CREATE FUNCTION costs.cpu_ms() RETURNS bigint AS $$
DECLARE
  fields text[];
BEGIN
  -- the fields after the command name, which is in parentheses
  fields := string_to_array(split_part(pg_read_file('/proc/self/stat'), ') ', 2), ' ');
  RETURN (fields[12]::bigint + fields[13]::bigint) * 1000 / 100;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE PROCEDURE costs.create_table(t text) LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TABLE costs.%I (id text NOT NULL, version int DEFAULT 0, val text NOT NULL, '
      'CONSTRAINT %I PRIMARY KEY (id))', t, t || ':pkey');
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON costs.%I FOR EACH ROW '
      'EXECUTE PROCEDURE costs.deepstream_record_change()', 'broadcast_update_costs_' || t, t);
END $$;

CREATE PROCEDURE costs.write(t text, form text, total int, per_statement int) LANGUAGE plpgsql AS $$
DECLARE
  started timestamptz := clock_timestamp();
  cpu bigint := costs.cpu_ms();
  ids text[];
  versions int4[];
  vals text[];
  insert_sql text := format('INSERT INTO costs.%I AS t (id, version, val) SELECT u.id, u.version, u.val '
      'FROM unnest($1::text[], $2::int4[], $3::text[]) AS u(id, version, val)', t);
  prepare_ms numeric := 0;
  step timestamptz;
BEGIN
  FOR lo IN 0 .. total - 1 BY per_statement LOOP
    IF form = 'series' THEN
      EXECUTE format('INSERT INTO costs.%I (id, version, val) SELECT ''r'' || g, 1, '
          '''{"n":'' || g || '',"data":"'' || repeat(''x'', 178) || ''"}'' FROM generate_series($1, $2) AS g', t)
        USING lo, least(lo + per_statement, total) - 1;
    ELSE
      -- the arrays a client would send; their making is timed apart and left out
      step := clock_timestamp();
      SELECT array_agg('r' || g ORDER BY g), array_agg(1 ORDER BY g),
          array_agg('{"n":' || g || ',"data":"' || repeat('x', 178) || '"}' ORDER BY g)
        INTO ids, versions, vals
        FROM generate_series(lo, least(lo + per_statement, total) - 1) AS g;
      prepare_ms := prepare_ms + extract(epoch FROM clock_timestamp() - step) * 1000;
      IF form = 'insert' THEN
        EXECUTE insert_sql USING ids, versions, vals;
      ELSE
        EXECUTE insert_sql || ' ON CONFLICT (id) DO UPDATE SET val = EXCLUDED.val, version = EXCLUDED.version'
          USING ids, versions, vals;
      END IF;
    END IF;
    COMMIT;
  END LOOP;
  -- the arrays' making is all CPU, so its wall time is taken off the CPU time too
  RAISE NOTICE '{"measure":"statement","form":"%","rows":%,"rowsPerStatement":%,"ms":%,"backendCpuMs":%,"arraysMs":%}',
    form, total, per_statement, round(extract(epoch FROM clock_timestamp() - started) * 1000 - prepare_ms),
    coalesce(round(costs.cpu_ms() - cpu - prepare_ms)::text, 'null'), round(prepare_ms);
END $$;

CREATE PROCEDURE costs.create_tables(prefix text, how_many int, per_transaction int) LANGUAGE plpgsql AS $$
DECLARE
  started timestamptz := clock_timestamp();
  cpu bigint := costs.cpu_ms();
BEGIN
  FOR i IN 1 .. how_many LOOP
    CALL costs.create_table(prefix || i);
    EXECUTE format('INSERT INTO costs.%I (id, version, val) SELECT ''r'' || g, 1, '
        '''{"n":'' || g || '',"data":"'' || repeat(''x'', 178) || ''"}'' FROM generate_series(1, 100) AS g', prefix || i);
    IF i % per_transaction = 0 THEN
      COMMIT;
    END IF;
  END LOOP;
  RAISE NOTICE '{"measure":"backend","tables":%,"ms":%,"backendCpuMs":%}', how_many,
    round(extract(epoch FROM clock_timestamp() - started) * 1000), coalesce((costs.cpu_ms() - cpu)::text, 'null');
END $$;
SQL

notices() {
	sed -n 's/^.*NOTICE:  //p'
}

forms=(series insert upsert)
for ((repeat = 0; repeat < repeats; repeat++)); do
	for ((i = 0; i < ${#forms[@]}; i++)); do
		form="${forms[$(((repeat + i) % ${#forms[@]}))]}"
		table="${form}_${repeat}"
		psql -X -q -v ON_ERROR_STOP=1 -c "CALL costs.create_table('$table')" -c "CHECKPOINT" \
			-c "CALL costs.write('$table', '$form', $rows, $batch)" 2>&1 | notices
	done
done

for ((repeat = 0; repeat < repeats; repeat++)); do
	for backends in 1 2 4; do
		psql -X -q -v ON_ERROR_STOP=1 -c "CHECKPOINT"
		start=$(date +%s%N)
		pids=()
		for ((b = 0; b < backends; b++)); do
			psql -X -q -v ON_ERROR_STOP=1 -c "CALL costs.create_tables('c${repeat}_${backends}_${b}_', $((tables / backends)), 8)" 2>&1 | notices &
			pids+=($!)
		done
		for pid in "${pids[@]}"; do
			wait "$pid"
		done
		echo "{\"measure\":\"tableCreation\",\"tables\":$tables,\"backends\":$backends,\"wallMs\":$((($(date +%s%N) - start) / 1000000))}"
	done
done
