# shellcheck shell=bash disable=SC2034  # variables here are used by the scripts that source this file
# Shared helpers for the eng/* scripts. Source it, do not run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Environment variables understood here:
#   RELIEF_PG_PORT  TCP port of the private PostgreSQL cluster (default 54329)
#   RELIEF_PG_BIN   directory holding initdb/pg_ctl/psql (default: newest
#                   /usr/lib/postgresql/<N>/bin, N >= 15)

RELIEF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
RELIEF_DATA="$RELIEF_ROOT/.data"
RELIEF_PG_HOST=127.0.0.1
RELIEF_PG_PORT="${RELIEF_PG_PORT:-54329}"
RELIEF_PG_MIN_MAJOR=15
RELIEF_DB_APP=relief
RELIEF_DB_TESTS=relief_tests

_relief_me="eng/$(basename "$0")"

info() { printf '%s: %s\n' "$_relief_me" "$*"; }
warn() { printf '%s: warning: %s\n' "$_relief_me" "$*" >&2; }
die() {
  printf '%s: error: %s\n' "$_relief_me" "$*" >&2
  exit 1
}

relief_is_root() { [[ "$(id -u)" -eq 0 ]]; }

if ! [[ "$RELIEF_PG_PORT" =~ ^[0-9]+$ ]] || ((10#$RELIEF_PG_PORT < 1 || 10#$RELIEF_PG_PORT > 65535)); then
  die "RELIEF_PG_PORT must be a TCP port number, got '$RELIEF_PG_PORT'"
fi

# Npgsql connection string for one database of the private cluster.
relief_connection_string() { # <database> [port]
  printf 'Host=%s;Port=%s;Database=%s;Username=postgres' "$RELIEF_PG_HOST" "${2:-$RELIEF_PG_PORT}" "$1"
}

# --- dotnet -----------------------------------------------------------------

# Puts the dotnet SDK on PATH if it is installed somewhere usual but not on PATH.
relief_ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    local d
    for d in "${DOTNET_ROOT:-}" "${HOME:-/root}/.dotnet" /usr/share/dotnet /usr/lib/dotnet /usr/local/share/dotnet /opt/dotnet; do
      if [[ -n "$d" && -x "$d/dotnet" ]]; then
        export DOTNET_ROOT="$d"
        export PATH="$d:$PATH"
        break
      fi
    done
  fi
  command -v dotnet >/dev/null 2>&1 ||
    die "the .NET SDK (dotnet) was not found; install the version global.json asks for and put it on PATH"
  export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
  export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
  export DOTNET_SKIP_FIRST_TIME_EXPERIENCE="${DOTNET_SKIP_FIRST_TIME_EXPERIENCE:-1}"
}

# --- private PostgreSQL cluster layout --------------------------------------
#
# The cluster lives in <repo>/.data/postgres. When running as root the server
# runs as the OS user `postgres`, which must be able to traverse to .data; if a
# parent directory of the repo forbids that (e.g. /root is 0700), the cluster
# goes to /var/tmp/relief-postgres-<checksum of the repo path> instead.

relief_pg_fallback_base() {
  local sum
  sum="$(printf '%s' "$RELIEF_ROOT" | cksum | cut -d' ' -f1)"
  printf '/var/tmp/relief-postgres-%s' "$sum"
}

# Runs a command as the OS user that owns the cluster.
relief_as_pg() {
  if relief_is_root && [[ "$PG_OS_USER" != root ]]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
      (cd / && su -s /bin/bash "$PG_OS_USER" -c "$(printf '%q ' "$@")")
    fi
  else
    "$@"
  fi
}

# Sets PG_BASE, PG_DATA, PG_SOCKET_DIR, PG_LOG, PG_OS_USER.
#   relief_pg_layout --find    locate an existing cluster (nothing is created)
#   relief_pg_layout --create  also create/chmod .data and decide on the
#                              fallback location when the postgres user cannot
#                              reach .data (used by `eng/postgres start`)
relief_pg_layout() {
  local create="$1" fallback
  fallback="$(relief_pg_fallback_base)"

  if [[ -d "$RELIEF_DATA/postgres" ]]; then
    PG_BASE="$RELIEF_DATA"
  elif [[ -d "$fallback/postgres" ]]; then
    PG_BASE="$fallback"
  else
    PG_BASE="$RELIEF_DATA"
  fi
  PG_DATA="$PG_BASE/postgres"

  if relief_is_root; then
    if [[ -d "$PG_DATA" ]]; then
      PG_OS_USER="$(stat -c %U "$PG_DATA")"
    else
      PG_OS_USER=postgres
    fi
    if [[ "$PG_OS_USER" == root ]]; then
      die "$PG_DATA is owned by root; PostgreSQL refuses to run as root. Remove it (eng/postgres stop; rm -rf '$PG_DATA') and run eng/postgres again"
    fi
    id -u "$PG_OS_USER" >/dev/null 2>&1 ||
      die "OS user '$PG_OS_USER' does not exist (Debian's postgresql package creates it: apt-get install -y postgresql)"
  else
    PG_OS_USER="$(id -un)"
    if [[ -d "$PG_DATA" && ! -r "$PG_DATA" ]]; then
      die "$PG_DATA belongs to $(stat -c %U "$PG_DATA"); run eng/postgres as root or as that user"
    fi
  fi

  if [[ "$create" == --create && ! -d "$PG_DATA" ]]; then
    mkdir -p "$RELIEF_DATA"
    if relief_is_root; then
      chmod o+x "$RELIEF_DATA"
      if ! relief_as_pg test -x "$RELIEF_DATA"; then
        warn "OS user '$PG_OS_USER' cannot traverse to $RELIEF_DATA (a parent directory is not searchable by others)"
        warn "placing the PostgreSQL cluster in $fallback instead"
        PG_BASE="$fallback"
        PG_DATA="$PG_BASE/postgres"
        mkdir -p "$PG_BASE"
        chmod 755 "$PG_BASE"
      fi
    fi
  fi

  PG_SOCKET_DIR="$PG_BASE/postgres-socket"
  PG_LOG="$PG_BASE/postgres.log"
}

# Newest major version under /usr/lib/postgresql that has initdb, or nothing.
relief_pg_newest_debian_major() {
  local f v best=0
  for f in /usr/lib/postgresql/*/bin/initdb; do
    [[ -x "$f" ]] || continue
    v="${f#/usr/lib/postgresql/}"
    v="${v%%/*}"
    if [[ "$v" =~ ^[0-9]+$ ]] && ((v > best)); then best="$v"; fi
  done
  ((best > 0)) && printf '%s' "$best"
  return 0
}

relief_pg_major_of_bin() { # <bindir>
  local v
  v="$("$1/pg_ctl" --version 2>/dev/null | sed -n 's/.*PostgreSQL) \([0-9][0-9]*\).*/\1/p')"
  printf '%s' "$v"
}

# Installs Debian's PostgreSQL packages when no server binaries exist.
relief_pg_install() {
  relief_is_root || die "PostgreSQL server binaries not found; install them (sudo apt-get install -y postgresql) or set RELIEF_PG_BIN"
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL not found and apt-get is unavailable; install PostgreSQL >= $RELIEF_PG_MIN_MAJOR or set RELIEF_PG_BIN"
  info "PostgreSQL not found; installing Debian's postgresql package (apt-get)..."
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
}

# Installs Debian's chromium (and CJK fonts for the report's Chinese) when it is
# missing: the weekly dispatch page is tested in headless Chromium.
relief_ensure_chromium() {
  [[ -x /usr/bin/chromium ]] && return 0
  relief_is_root || die "/usr/bin/chromium not found; install it (sudo apt-get install -y chromium fonts-noto-cjk)"
  command -v apt-get >/dev/null 2>&1 || die "/usr/bin/chromium not found and apt-get is unavailable"
  info "Chromium not found; installing Debian's chromium and fonts-noto-cjk packages (apt-get)..."
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk
}

# Sets PG_BIN and PG_MAJOR. Uses the version the existing cluster was created
# with; for a new cluster the newest installed one (installing it if needed).
# Call after relief_pg_layout. With --install, installs PostgreSQL if missing.
relief_pg_find_bin() {
  local install="${1:-}" want="" major
  if [[ -r "$PG_DATA/PG_VERSION" ]]; then want="$(<"$PG_DATA/PG_VERSION")"; fi

  if [[ -n "${RELIEF_PG_BIN:-}" ]]; then
    PG_BIN="$RELIEF_PG_BIN"
    [[ -x "$PG_BIN/pg_ctl" ]] || die "RELIEF_PG_BIN=$PG_BIN has no pg_ctl"
  elif [[ -n "$want" ]]; then
    PG_BIN="/usr/lib/postgresql/$want/bin"
    if [[ ! -x "$PG_BIN/pg_ctl" ]]; then
      PG_BIN="$(dirname "$(readlink -f "$(command -v pg_ctl 2>/dev/null || echo /nonexistent)")")"
      if [[ "$(relief_pg_major_of_bin "$PG_BIN")" != "$want" ]]; then
        die "the cluster in $PG_DATA was created by PostgreSQL $want, whose binaries are not installed (apt-get install -y postgresql-$want), or remove $PG_DATA to start over (its data is lost)"
      fi
    fi
  else
    major="$(relief_pg_newest_debian_major)"
    if [[ -z "$major" ]] && ! command -v pg_ctl >/dev/null 2>&1; then
      [[ "$install" == --install ]] || die "PostgreSQL is not installed (eng/postgres start installs it)"
      relief_pg_install
      major="$(relief_pg_newest_debian_major)"
      [[ -n "$major" ]] || die "installing postgresql did not provide /usr/lib/postgresql/*/bin/initdb"
    fi
    if [[ -n "$major" ]]; then
      PG_BIN="/usr/lib/postgresql/$major/bin"
    else
      PG_BIN="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
    fi
  fi

  PG_MAJOR="$(relief_pg_major_of_bin "$PG_BIN")"
  [[ -n "$PG_MAJOR" ]] || die "cannot run $PG_BIN/pg_ctl --version"
  if [[ -z "$want" ]] && ((PG_MAJOR < RELIEF_PG_MIN_MAJOR)); then
    die "PostgreSQL $PG_MAJOR found in $PG_BIN; version $RELIEF_PG_MIN_MAJOR or newer is required"
  fi
}

# Sets PG_STATE to running | stopped | stale, and PG_PID / PG_RUNNING_PORT
# when running. "stale" means postmaster.pid exists but no server of this
# cluster runs (for example after a reboot, possibly with the pid reused).
relief_pg_state() {
  PG_STATE=stopped
  PG_PID=""
  PG_RUNNING_PORT=""
  local pidfile="$PG_DATA/postmaster.pid" pid comm stat cwd want
  [[ -f "$pidfile" ]] || return 0
  PG_STATE=stale
  pid="$(sed -n 1p "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if [[ -d /proc/self ]]; then
    [[ -d "/proc/$pid" ]] || return 0
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    [[ "$comm" == postgres || "$comm" == postmaster ]] || return 0
    # A killed postmaster nobody has reaped yet is a zombie: not running.
    stat="$(cat "/proc/$pid/stat" 2>/dev/null || true)"
    stat="${stat##*) }"
    [[ -n "$stat" && "${stat%% *}" != Z && "${stat%% *}" != X ]] || return 0
    # The postmaster's working directory is its data directory.
    cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
    want="$(cd "$PG_DATA" && pwd -P)"
    [[ -z "$cwd" || "$cwd" == "$want" ]] || return 0
  else
    # No /proc (not Linux): trust pg_ctl.
    relief_as_pg "${PG_BIN:+$PG_BIN/}pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1 || return 0
  fi
  PG_STATE=running
  PG_PID="$pid"
  PG_RUNNING_PORT="$(sed -n 4p "$pidfile")"
}

# Prints the port of the running private cluster (nothing if not running).
relief_pg_running_port() {
  relief_pg_layout --find
  [[ -d "$PG_DATA" ]] || return 0
  relief_pg_state
  if [[ "$PG_STATE" == running ]]; then printf '%s' "$PG_RUNNING_PORT"; fi
}

# --- test results -----------------------------------------------------------

# Sums the <Counters> of TRX files. Sets TRX_PASSED, TRX_FAILED, TRX_SKIPPED,
# TRX_TOTAL and TRX_BAD (number of files whose run outcome is failed/aborted).
relief_trx_count() { # <file>...
  TRX_PASSED=0 TRX_FAILED=0 TRX_SKIPPED=0 TRX_TOTAL=0 TRX_BAD=0
  local f counters outcome total executed passed failed error timeout aborted
  for f in "$@"; do
    counters="$(grep -o '<Counters [^>]*>' "$f" | head -n 1 || true)"
    if [[ -z "$counters" ]]; then
      warn "$f has no <Counters> element (truncated run?)"
      TRX_BAD=$((TRX_BAD + 1))
      continue
    fi
    total="$(_relief_trx_attr total "$counters")"
    executed="$(_relief_trx_attr executed "$counters")"
    passed="$(_relief_trx_attr passed "$counters")"
    failed="$(_relief_trx_attr failed "$counters")"
    error="$(_relief_trx_attr error "$counters")"
    timeout="$(_relief_trx_attr timeout "$counters")"
    aborted="$(_relief_trx_attr aborted "$counters")"
    TRX_TOTAL=$((TRX_TOTAL + total))
    TRX_PASSED=$((TRX_PASSED + passed))
    TRX_FAILED=$((TRX_FAILED + failed + error + timeout + aborted))
    # xunit's skipped tests are counted in total but not in executed.
    if ((total > executed)); then TRX_SKIPPED=$((TRX_SKIPPED + total - executed)); fi
    outcome="$(grep -o '<ResultSummary outcome="[^"]*"' "$f" | head -n 1 | sed 's/.*outcome="\([^"]*\)"/\1/' || true)"
    case "$outcome" in
      Failed | Aborted | Error | Timeout)
        TRX_BAD=$((TRX_BAD + 1))
        ;;
    esac
  done
}

_relief_trx_attr() { # <name> <element text>; prints the number, 0 if absent
  local v
  v="$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")"
  printf '%s' "${v:-0}"
}

# "N passed, N failed" plus ", N skipped" when there are skipped tests.
relief_trx_summary_line() {
  local line="$TRX_PASSED passed, $TRX_FAILED failed"
  if ((TRX_SKIPPED > 0)); then line+=", $TRX_SKIPPED skipped"; fi
  printf '%s\n' "$line"
}
