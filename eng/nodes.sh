# shellcheck shell=bash
# Running published Relief nodes on loopback against a fresh database of the private cluster:
# shared by eng/two-nodes and eng/capacity-probe. Source after eng/lib.sh and eng/pgtools.sh, with
#   work=<directory for the app and logs>  db=<database name>  publish=<1|0>
# set, then call relief_nodes_setup. Defines start_node <name> <port>, load <name> <count>,
# newest, and stops every node it started on exit.

declare -A port=() pid=()

sql() { "$PG_TOOLS/psql" -X -q -w -v ON_ERROR_STOP=1 -h "$RELIEF_PG_HOST" -p "$pg_port" -U postgres "$@"; }

stop_nodes() {
  local n
  for n in "${!pid[@]}"; do
    if kill -0 "${pid[$n]}" 2>/dev/null; then kill "${pid[$n]}" 2>/dev/null || true; wait "${pid[$n]}" 2>/dev/null || true; fi
  done
}

relief_nodes_setup() {
  app="$work/app"
  command -v curl >/dev/null 2>&1 || die "curl is needed (apt-get install -y curl)"
  relief_ensure_dotnet
  relief_pgtools
  pg_port="$RELIEF_PG_PORT"
  # The private cluster: use the one answering on RELIEF_PG_PORT (also one started from another
  # checkout), else start this checkout's.
  if ! sql -d postgres -tA -c 'select 1' >/dev/null 2>&1; then
    "$RELIEF_ROOT/eng/postgres" start >/dev/null
    pg_port="$(relief_pg_running_port)"
    [[ -n "$pg_port" ]] || die "PostgreSQL is not running after eng/postgres"
  fi
  trap stop_nodes EXIT

  mkdir -p "$work"
  if ((publish)) || [[ ! -f "$app/Relief.Api.dll" ]]; then
    "$RELIEF_ROOT/eng/publish" "$app" | sed 's/^/  /'
  fi

  info "fresh database $db on 127.0.0.1:$pg_port"
  sql -d postgres -c "drop database if exists $db with (force)" -c "create database $db" 2>/dev/null

  # One production configuration for every node; only the listen port and the session name differ.
  api_key="load-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  export ASPNETCORE_ENVIRONMENT=Production Relief__CodeGeneration=Static
  export Relief__PersonalData__CurrentMasterKeyId=k1
  Relief__PersonalData__MasterKeys__k1="$(head -c 32 /dev/urandom | base64)"
  Relief__PersonalData__IndexKey="$(head -c 32 /dev/urandom | base64)"
  export Relief__PersonalData__MasterKeys__k1 Relief__PersonalData__IndexKey
  export Relief__ApiKeys__0__Name=load Relief__ApiKeys__0__Department=PovertyAlleviationOffice
  # The load measures the service, not its per-caller rate limit (docs/security.md, Limits).
  export Relief__RateLimits__PermitLimit=1000000000
  Relief__ApiKeys__0__Hash="$(printf %s "$api_key" | sha256sum | cut -d' ' -f1)"
  export Relief__ApiKeys__0__Hash Relief__ApiKeys__0__Scopes__0=households:write Relief__ApiKeys__0__Scopes__1=households:read

  info "db-apply"
  (cd "$app" && ConnectionStrings__Marten="$(connection migrate)" dotnet Relief.Api.dll db-apply) >"$work/db-apply.log" 2>&1 ||
    { cat "$work/db-apply.log" >&2; die "db-apply failed"; }
}

connection() { printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=postgres;Application Name=relief-node-%s' "$pg_port" "$db" "$1"; }

start_node() { # <name> <port>
  local n="$1"
  port[$n]="$2"
  # From the app's directory: the content root, where appsettings.json is read.
  (cd "$app" && ConnectionStrings__Marten="$(connection "$n")" ASPNETCORE_URLS="http://127.0.0.1:${port[$n]}" \
    exec dotnet Relief.Api.dll) >"$work/node-$n.log" 2>&1 &
  pid[$n]=$!
  local i
  for i in $(seq 1 60); do
    if curl -fs "http://127.0.0.1:${port[$n]}/health/ready" >/dev/null 2>&1; then
      info "node $n up on 127.0.0.1:${port[$n]} (pid ${pid[$n]})"
      return 0
    fi
    kill -0 "${pid[$n]}" 2>/dev/null || { tail -20 "$work/node-$n.log" >&2; die "node $n exited"; }
    sleep 1
  done
  die "node $n not ready after 60 s; see $work/node-$n.log"
}

# A household of two (head and spouse), without resident IDs so that any number can be registered.
body='{"township":"mucheng","village":"东关村","headName":"张三","address":"东关村一组 8 号","povertyCause":"Illness","members":[{"name":"张三","relation":"Head","birthDate":"1950-03-15","gender":"Male","disabilityType":"Physical","disabilityGrade":1,"dependencyLevel":"Full","phone":"13800138000"},{"name":"李四","relation":"Spouse","birthDate":"1952-06-01","gender":"Female"}]}'

register() { # <node> <tag>: one registration; prints the HTTP status
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 -X POST "http://127.0.0.1:${port[$1]}/api/households" \
    -H "X-Api-Key: $api_key" -H 'Content-Type: application/json' -H "X-Correlation-Id: load-$1-$2" -d "$body" || echo 000
}

load() { # <node> <count>: registrations, one after another; prints how many answered 201
  local n="$1" count="$2" ok=0 i
  for i in $(seq 1 "$count"); do
    [[ "$(register "$n" "$i")" == 201 ]] && ok=$((ok + 1))
  done
  echo "$ok"
}

newest() { sql -d "$db" -tA -c "select coalesce(max(seq_id), 0) from relief.mt_events"; }
