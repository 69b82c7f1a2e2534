#!/usr/bin/env bash
# `make demo`: replay the bundled demo stream (four days of comments to eight agencies,
# a heating outage at the Almaty akimat, a Nauryz greetings burst) on the embedded
# default, run every stage, print the per-agency summary, then serve the dashboard on
# 127.0.0.1 until Ctrl+C.
#
# QULAQ_HOME defaults to a fresh demo home under .cache/ (your own .qulaq is never
# touched); set it to keep the demo elsewhere. QULAQ_DEMO_PORT picks the port (default:
# the first free one from 8501).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="${QULAQ_BIN:-.venv/bin}"
QULAQ=("$BIN/python" -m qulaq)

if [[ -z "${QULAQ_HOME:-}" ]]; then
  QULAQ_HOME="$PWD/.cache/demo-home"
  rm -rf "$QULAQ_HOME"
fi
export QULAQ_HOME
export QULAQ_BUS=embedded
unset QULAQ_DATABASE_URL QULAQ_CONFIG QULAQ_KAFKA_PREFIX

port="${QULAQ_DEMO_PORT:-}"
if [[ -z "$port" ]]; then
  port="$("$BIN/python" - <<'PY'
import socket
for port in range(8501, 8600):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
)"
fi

echo "==> demo home: $QULAQ_HOME"
"${QULAQ[@]}" replay qulaq/data/demo/demo.jsonl.gz
echo "==> running every stage until the stream is processed"
"${QULAQ[@]}" run --until-idle
echo
echo "==> per agency"
"${QULAQ[@]}" summary
echo

url="http://127.0.0.1:$port"
echo "==> dashboard: $url"
echo "    two hours into the heating outage: $url/?at=2026-03-20T09:10:00%2B05:00"
echo "    stop it with Ctrl+C"

open_browser() {
  local opener=""
  if [[ "$(uname -s)" == "Darwin" ]]; then
    opener="open"
  elif [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]] && command -v xdg-open >/dev/null 2>&1; then
    opener="xdg-open"
  fi
  [[ -n "$opener" ]] || return 0
  for _ in $(seq 1 60); do
    if "$BIN/python" -c "import urllib.request as u; u.urlopen('$url/_stcore/health', timeout=1)" \
      >/dev/null 2>&1; then
      "$opener" "$url" >/dev/null 2>&1 || true
      return 0
    fi
    sleep 1
  done
}
open_browser &

exec "${QULAQ[@]}" dashboard --port "$port"
