#!/usr/bin/env bash
# Load test of the mock server: starts the release binary on loopback, runs 3 x 10 s of wrk
# against GET /crmapi/v1/users/admin (PBX) and GET /api/v1/tables/call-ready (ROP) with 64
# connections, and prints requests/s, p50, p99 and the server's RSS after each run.
#
# Usage: mock-server/bench/load.sh            (from the workspace root)
# Env:   CONFIG=file.toml SKIP_BUILD=1 DURATION=10s CONNECTIONS=64 THREADS=2 RUNS=3 ROP_PORT=18710 PBX_PORT=18711 CRM_PORT=18712
set -euo pipefail

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
RUNS=${RUNS:-3}
ROP_PORT=${ROP_PORT:-18710}
PBX_PORT=${PBX_PORT:-18711}
CRM_PORT=${CRM_PORT:-18712}
HOST=127.0.0.1

cd "$(dirname "$0")/../.."

if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk not found: installing it from Debian (apt-get install wrk)" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y wrk >/dev/null; else sudo apt-get install -y wrk >/dev/null; fi
fi

# SKIP_BUILD=1 uses the release binary already built.
if [ "${SKIP_BUILD:-0}" != 1 ]; then cargo build --release -p mock-server >&2; fi
BIN=${CARGO_TARGET_DIR:-target}/release/mock-server

"$BIN" ${CONFIG:+--config "$CONFIG"} --bind "$HOST" --rop-port "$ROP_PORT" --pbx-port "$PBX_PORT" --crm-port "$CRM_PORT" >/tmp/mock-server-load.log 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
    curl -fsS "http://$HOST:$ROP_PORT/__admin/health" >/dev/null 2>&1 && break
    sleep 0.1
done

ROP="http://$HOST:$ROP_PORT"
PBX="http://$HOST:$PBX_PORT"

# A ready call for R5: simulate a call on the PBX, upload its recording, wait for the analysis.
RECORD=$(curl -fsS -X POST "$PBX/__admin/calls/simulate" -d '{}' | sed -E 's/.*"record":"([^"]+)".*/\1/')
curl -fsS -X POST "$ROP/api/v1/calls/audio-upload?apiKey=mock-rop-key" \
    -H 'content-type: application/json' \
    -d "{\"call_id\":\"load-1\",\"manager_id\":\"72\",\"audio_url\":\"$RECORD\"}" >/dev/null
READY_URL="$ROP/api/v1/tables/call-ready?tab=TBL_REALTY_CALL&call=load-1&apiKey=mock-rop-key"
for _ in $(seq 1 100); do
    curl -fsS "$READY_URL" | grep -q '"ready":true' && break
    sleep 0.1
done

LUA=$(mktemp)
cat >"$LUA" <<'LUAEOF'
wrk.headers["X-API-KEY"] = "mock-vats-key"
done = function(summary, latency, requests)
    local non2xx = summary.errors.status
    io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        non2xx, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUAEOF

rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$PID/status"; }

printf '%-32s %4s %10s %9s %9s %9s %8s %8s\n' endpoint run "req/s" "p50 ms" "p99 ms" "RSS MiB" non2xx sockerr
run() {
    local name=$1 url=$2 i
    for i in $(seq 1 "$RUNS"); do
        local line
        line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$LUA" "$url" | grep '^RESULT')
        read -r _ rps p50 p99 non2xx sockerr <<<"$line"
        printf '%-32s %4s %10s %9s %9s %9s %8s %8s\n' "$name" "$i" "$rps" "$p50" "$p99" "$(rss_mib)" "$non2xx" "$sockerr"
    done
}

echo "start RSS: $(rss_mib) MiB"
run "GET /crmapi/v1/users/admin" "$PBX/crmapi/v1/users/admin"
run "GET /api/v1/tables/call-ready" "$READY_URL"
rm -f "$LUA"
