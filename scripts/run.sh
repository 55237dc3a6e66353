#!/usr/bin/env bash
# make run: set up, bootstrap + demo data, then web (uvicorn), Celery worker and Celery beat in the foreground.
# Ctrl-C (or TERM) stops all three. PORT (default 8000) picks the web port.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${PORT:-8000}"

port_in_use() {  # can we bind 0.0.0.0:PORT like uvicorn will?
  local py; py="$(command -v "$ROOT/.venv/bin/python" python3.11 python3 2>/dev/null | head -n 1 || true)"
  if [ -n "$py" ]; then
    "$py" - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("0.0.0.0", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
PY
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}
check_port() {
  if port_in_use "$PORT"; then
    echo "error: port $PORT is already in use (another 'make run'?). Stop that program or use: PORT=8001 make run" >&2
    exit 1
  fi
}
check_port

bash "$ROOT/scripts/setup_env.sh"
export PUBLIC_PORT="$PORT"  # links built outside a request (emails, printed URLs) carry the port
PY="$ROOT/.venv/bin/python"
"$PY" manage.py bootstrap
"$PY" manage.py seed_demo -v0  # its credentials are printed below
"$PY" manage.py collectstatic --noinput -v0
mkdir -p .local
check_port

echo
echo "  http://localhost:$PORT/        system tenant: landing, signup, /admin/"
echo "  http://demo.localhost:$PORT/   demo tenant"
for f in .local/system-admin-credentials.txt .local/demo-credentials.txt; do
  if [ -f "$f" ]; then echo; echo "  $f:"; sed 's/^/    /' "$f"; fi
done
echo
echo "  Ctrl-C stops web, worker and beat."
echo

export PYTHONUNBUFFERED=1
PIDS=()
NAMES=()
start() {  # start NAME CMD...: own session/process group, output prefixed with "NAME |"
  local name="$1"; shift
  # The prefixer ignores Ctrl-C so that the shutdown messages still get through.
  if command -v setsid >/dev/null 2>&1; then
    setsid "$@" </dev/null > >(trap '' INT; exec sed -u "s/^/$name | /") 2>&1 &
  else
    "$@" </dev/null > >(trap '' INT; exec sed -u "s/^/$name | /") 2>&1 &
  fi
  PIDS+=("$!"); NAMES+=("$name")
}

stopping=0
cleanup() {
  [ "$stopping" = 1 ] && return 0
  stopping=1
  trap - INT TERM
  local pid alive
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do  # up to 10 s for a warm shutdown
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo; echo "stopping ..."; exit 130' INT
trap 'exit 143' TERM

# AI_FAKE=1 make run: a local fake OpenAI-compatible server answers every AI feature (demo/offline only), used
# through the environment fallback (a tenant's or the system's own key still wins).
if [ "${AI_FAKE:-0}" = 1 ]; then
  AI_FAKE_PORT="${AI_FAKE_PORT:-8765}"
  start fake-ai .venv/bin/python -m ai_prompts.fake_openai "$AI_FAKE_PORT"
  export OPENAI_API_KEY="fake-key" OPENAI_BASE_URL="http://127.0.0.1:$AI_FAKE_PORT/v1"
fi
start web .venv/bin/uvicorn ccs.asgi:application --host 0.0.0.0 --port "$PORT" --proxy-headers
start worker .venv/bin/celery -A ccs worker -l info --concurrency 2
start beat .venv/bin/celery -A ccs beat -l info --schedule .local/celerybeat-schedule

# When any of the three ends on its own, stop the others too.
rc=0
wait -n "${PIDS[@]}" || rc=$?
for i in "${!PIDS[@]}"; do
  if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then echo "${NAMES[$i]} exited (status $rc); stopping the others" >&2; fi
done
exit $(( rc == 0 ? 1 : rc ))
