# shellcheck shell=bash
# PostgreSQL client tools for eng/backup and eng/restore. Source after eng/lib.sh.
#
# Sets PG_TOOLS (the directory of pg_dump/pg_restore/psql, the newest installed: a dump must be
# made by a pg_dump at least as new as the server) and exports PGHOST/PGPORT/PGUSER, defaulting to
# the private cluster of eng/postgres when they are not set.
relief_pgtools() {
  local major
  major="$(relief_pg_newest_debian_major)"
  if [[ -n "${RELIEF_PG_BIN:-}" ]]; then
    PG_TOOLS="$RELIEF_PG_BIN"
  elif [[ -n "$major" && -x "/usr/lib/postgresql/$major/bin/pg_dump" ]]; then
    PG_TOOLS="/usr/lib/postgresql/$major/bin"
  elif command -v pg_dump >/dev/null 2>&1; then
    PG_TOOLS="$(dirname "$(readlink -f "$(command -v pg_dump)")")"
  else
    die "pg_dump not found: install PostgreSQL's client tools (apt-get install -y postgresql-client)"
  fi
  export PGHOST="${PGHOST:-$RELIEF_PG_HOST}"
  export PGPORT="${PGPORT:-$RELIEF_PG_PORT}"
  export PGUSER="${PGUSER:-postgres}"
}

relief_psql() { # <database> <psql args>...
  local db="$1"
  shift
  "$PG_TOOLS/psql" -X -w -v ON_ERROR_STOP=1 -d "$db" "$@"
}
