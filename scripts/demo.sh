#!/usr/bin/env bash
# shmipc demo: builds the two sample apps, starts the monitoring agent (server) and a client as
# separate JVMs on one shared-memory name, shows requests flowing, then the steady-state latency of
# the same request mix through shmipc and over HTTP to the same agent, side by side (each warmed up
# until its latency levels off and neither JVM's JIT is compiling), with the p50 of each route, then
# stops everything and exits with the client's exit code.
#
#   bash scripts/demo.sh                  # 20000 requests from 1 thread, each way
#   REQUESTS=50000 THREADS=2 bash scripts/demo.sh
#   WARMUP=30s bash scripts/demo.sh       # longest warm-up per transport (it ends once latency levels off
#                                         # and no compile finished in the client or the agent for 3 slices)
#   SKIP_BUILD=1 bash scripts/demo.sh     # reuse the jars already in */target
set -euo pipefail

REQUESTS="${REQUESTS:-20000}"
THREADS="${THREADS:-1}"
WARMUP="${WARMUP:-60s}"
STARTUP_SECONDS="${STARTUP_SECONDS:-120}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="0.1.0-SNAPSHOT"
SERVER_JAR="$ROOT/sample-server-app/target/sample-server-app-$VERSION.jar"
CLIENT_JAR="$ROOT/sample-client-app/target/sample-client-app-$VERSION.jar"
# A name of its own, so the demo never meets another run's server or region.
NAME="shmipc-demo-$$-$RANDOM"
WORK="$(mktemp -d -t shmipc-demo.XXXXXX)"
SERVER_LOG="$WORK/server.log"
SERVER_PID=""

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

cleanup() {
  local status=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    # Only reached on an error path (the normal path stops the server below): ask nicely, then insist.
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for (( waited = 0; waited < 200; waited++ )); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  # A killed server cannot remove its region; this run's name is unique, so its files are ours.
  rm -f "/dev/shm/$NAME" "/dev/shm/$NAME.lock"
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=lib/find-jdk.sh
source "$ROOT/scripts/lib/find-jdk.sh"

JAVA="$(find_java || true)"
if [[ -z "$JAVA" ]]; then
  echo "No JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*). Install one, e.g. temurin-25-jdk." >&2
  exit 2
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
  say "Building the sample apps (Maven selects JDK 25 through toolchains)"
  (cd "$ROOT" && ./mvnw -B -ntp -q -pl sample-server-app,sample-client-app -am package -DskipTests)
fi

say "Starting the monitoring agent: $JAVA -jar $(basename "$SERVER_JAR") --shmipc.name=$NAME"
# server.port=0: a free HTTP port, so the demo never collides with something on 8081.
"$JAVA" -jar "$SERVER_JAR" --shmipc.name="$NAME" --server.port=0 >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

for (( waited = 0; waited < STARTUP_SECONDS * 10; waited++ )); do
  grep -q "Started MonitoringAgentApplication" "$SERVER_LOG" && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "The server exited during startup:" >&2; tail -n 30 "$SERVER_LOG" >&2; exit 1
  fi
  sleep 0.1
done
if ! grep -q "Started MonitoringAgentApplication" "$SERVER_LOG"; then
  echo "The server did not start within ${STARTUP_SECONDS}s:" >&2; tail -n 30 "$SERVER_LOG" >&2; exit 1
fi
grep -E "shmipc server '.*' (serving|started)" "$SERVER_LOG" | sed 's/^.*: /  server: /'
HTTP_PORT="$(sed -n 's/.*Tomcat started on port \([0-9]*\).*/\1/p' "$SERVER_LOG" | head -n 1)"
echo "  server pid $SERVER_PID, actuator on http://localhost:$HTTP_PORT/actuator/health"

say "Running the client: $REQUESTS requests from $THREADS thread(s) through shmipc, then the same over HTTP"
echo "  Each way warms up until its latency levels off and neither JVM's JIT is still compiling (at least 5 s,"
echo "  at most $WARMUP; it says so when it did not get there), so the figures are steady state."
HTTP_ARGS=()
if [[ -n "$HTTP_PORT" ]]; then
  HTTP_ARGS=(--sample.http-url="http://localhost:$HTTP_PORT")
fi
set +e
"$JAVA" -jar "$CLIENT_JAR" --shmipc.name="$NAME" --server.port=0 --spring.main.banner-mode=off \
  --logging.level.root=WARN --sample.requests="$REQUESTS" --sample.threads="$THREADS" \
  --sample.warmup="$WARMUP" "${HTTP_ARGS[@]}"
CLIENT_STATUS=$?
set -e
echo "  client exit code: $CLIENT_STATUS"

if [[ -n "$HTTP_PORT" ]] && command -v curl >/dev/null; then
  say "What the agent's Actuator says"
  echo "  /actuator/health:"
  # Informational only: a failed request here must not replace the client's exit code.
  curl -fsS "http://localhost:$HTTP_PORT/actuator/health" | sed 's/^/    /' || echo "    (no answer)"
  echo
  echo "  /actuator/metrics/shmipc.server.requests:"
  curl -fsS "http://localhost:$HTTP_PORT/actuator/metrics/shmipc.server.requests" | sed 's/^/    /' \
    || echo "    (not there: the meter appears with the first observed request)"
  echo
fi

say "Stopping the server (SIGTERM: graceful Spring shutdown)"
kill -TERM "$SERVER_PID"
set +e
wait "$SERVER_PID"
set -e
SERVER_PID=""
if ls "/dev/shm/$NAME"* >/dev/null 2>&1; then
  echo "  region files were left behind: $(ls "/dev/shm/$NAME"*)" >&2
  CLIENT_STATUS=1
else
  echo "  server stopped; no region files left in /dev/shm"
fi
exit "$CLIENT_STATUS"
