# shellcheck shell=bash
# PostgreSQL helpers shared by the benchmarks.
#   analyze_schema SCHEMA PSQL_ARGS...   ANALYZE every table of SCHEMA, once: what autovacuum would do on its own.
# The CI PostgreSQL runs with autovacuum = off (conf.d/90-ci.conf), so a benchmark's freshly filled schema is never
# analyzed; without statistics the planner may read a single row through a broad index and walk every row of an
# environment (D-SW5, D-RB6).
analyze_schema() {
  local schema="$1" tables
  shift
  tables=$(psql -X -q -tA -v ON_ERROR_STOP=1 "$@" -c \
    "select string_agg(format('%I.%I', schemaname, tablename), ', ') from pg_tables where schemaname = '$schema'")
  [[ -n "$tables" ]] || { echo "analyze_schema: no tables in schema $schema" >&2; return 1; }
  psql -X -q -v ON_ERROR_STOP=1 "$@" -c "analyze $tables"
}
