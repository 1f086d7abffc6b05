#!/usr/bin/env bash
# What the record trigger's body costs every CREATE TABLE, in psql alone (no Java, no Node):
#
#   benchmarks/trigger-plans.sh [--tables 1000] [--create 300] [--repeats 3]
#
# PL/pgSQL compiles a trigger function once per trigger, that is per table, in each backend that
# fires it, and keeps a plan for every expression of it that has run. A backend walks all of its
# plans for each relation invalidation, and every CREATE TABLE, by any backend, sends several. For
# each body below, one backend creates --tables tables with the trigger, writes a row to each (so it
# holds that many compiled copies), then creates --create more tables; the time of that last step is
# printed, one JSON line per body and repeat, the bodies in turn:
#   current   the body of SchemaSql's record-change function: one assignment, and a RETURN of a
#             variable never assigned (NULL), which PL/pgSQL reads without an expression
#   returnnull the body before it: the same assignment, then RETURN NULL, an expression of its own
#             (so a second plan per compiled copy)
#   if        the body before that: an IF on TG_OP, an assignment in each branch, RETURN NULL
#   empty     the RETURN of the unassigned variable only: no expression, no plans to walk
# Connects with psql's PGHOST, PGPORT, PGUSER and PGDATABASE (default 127.0.0.1, 5432, postgres,
# postgres); works in schemas trigger_plans_<n>, dropped afterwards.
set -euo pipefail

export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-postgres}"
tables=1000
create=300
repeats=3
while (($#)); do
	case "$1" in
		--tables) tables="$2"; shift 2 ;;
		--create) create="$2"; shift 2 ;;
		--repeats) repeats="$2"; shift 2 ;;
		*) echo "Unknown argument $1" >&2; exit 2 ;;
	esac
done

declare -A bodies
bodies[current]="DECLARE sent text; nothing record; BEGIN sent := pg_notify(TG_TABLE_SCHEMA, TG_OP || ':' || TG_TABLE_NAME || ':' || CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END); RETURN nothing; END;"
bodies[returnnull]="DECLARE sent text; BEGIN sent := pg_notify(TG_TABLE_SCHEMA, TG_OP || ':' || TG_TABLE_NAME || ':' || CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END); RETURN NULL; END;"
bodies[if]="DECLARE sent text; BEGIN IF TG_OP = 'DELETE' THEN sent := pg_notify(TG_TABLE_SCHEMA, TG_OP || ':' || TG_TABLE_NAME || ':' || OLD.id); ELSE sent := pg_notify(TG_TABLE_SCHEMA, TG_OP || ':' || TG_TABLE_NAME || ':' || NEW.id); END IF; RETURN NULL; END;"
bodies[empty]="DECLARE nothing record; BEGIN RETURN nothing; END;"
variants=(current returnnull if empty)

schemas=()
cleanup() {
	for schema in "${schemas[@]}"; do
		# a hundred tables per transaction: all of them with the schema would need more locks than one may hold
		psql -X -q -v ON_ERROR_STOP=1 -v s="$schema" >/dev/null <<-'SQL' || echo "Could not drop $schema" >&2
			SET client_min_messages = warning;
			SELECT format('DROP TABLE %s', string_agg(format('%I.%I', schemaname, tablename), ', ')) AS drop_sql
			FROM (SELECT schemaname, tablename, row_number() OVER () / 100 AS chunk FROM pg_tables WHERE schemaname = :'s') t
			GROUP BY chunk \gexec
			DROP SCHEMA IF EXISTS :"s" CASCADE;
		SQL
	done
}
trap cleanup EXIT

for ((repeat = 0; repeat < repeats; repeat++)); do
	for ((i = 0; i < ${#variants[@]}; i++)); do
		# the bodies take turns going first
		variant="${variants[$(((repeat + i) % ${#variants[@]}))]}"
		schema="trigger_plans_$$_${repeat}_$variant"
		schemas+=("$schema")
		ms="$(psql -X -q -At -v ON_ERROR_STOP=1 -v s="$schema" -v body="${bodies[$variant]}" -v tables="$tables" \
			-v create="$create" <<-'SQL'
			CREATE SCHEMA :"s";
			SET search_path = :"s";
			CREATE FUNCTION f() RETURNS trigger AS :'body' LANGUAGE plpgsql;
			SELECT set_config('bench.tables', :'tables', false), set_config('bench.create', :'create', false) \g /dev/null
			DO $$ BEGIN FOR i IN 1..current_setting('bench.tables')::int LOOP
			  EXECUTE format('CREATE TABLE t%s (id text PRIMARY KEY, version int DEFAULT 0, val text NOT NULL)', i);
			  EXECUTE format('CREATE TRIGGER tr%s AFTER INSERT OR UPDATE OR DELETE ON t%s FOR EACH ROW EXECUTE PROCEDURE f()', i, i);
			  EXECUTE format('INSERT INTO t%s VALUES (''a'', 1, ''x'')', i);
			  COMMIT;
			END LOOP; END $$;
			SELECT clock_timestamp() AS started \gset
			DO $$ BEGIN FOR i IN 1..current_setting('bench.create')::int LOOP
			  EXECUTE format('CREATE TABLE u%s (id text PRIMARY KEY, version int DEFAULT 0, val text NOT NULL)', i);
			END LOOP; END $$;
			SELECT round(extract(epoch FROM clock_timestamp() - :'started'::timestamptz) * 1000);
			SQL
		)"
		echo "{\"body\":\"$variant\",\"tablesWithTrigger\":$tables,\"created\":$create,\"createMs\":$ms}"
	done
done
