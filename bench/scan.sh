#!/usr/bin/env bash
# Outside judges kept in the project: wapiti and sqlmap against a throwaway Inquiry on
# 127.0.0.1 (gunicorn with make run's settings, 2 workers, a fresh SQLite database with the
# demo), each bounded in time. Prints what they found and whether any worker died (worker
# pids before and after, and gunicorn's own log). Never scans anything but 127.0.0.1.
#
#   bench/scan.sh                      # about SCAN_MINUTES (3) per scanner, plus set-up
#   SCAN_MINUTES=10 bench/scan.sh      # longer
#
# The scanners go into a throwaway virtualenv (SCAN_TOOLS, default /tmp/inquiry-scan-tools),
# never into the project's own. Rate limits are raised on the throwaway instance so that
# the scanners reach the pages themselves rather than the "please wait" page.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/.venv/bin"
MINUTES=${SCAN_MINUTES:-3}
TOOLS=${SCAN_TOOLS:-/tmp/inquiry-scan-tools}
WORK=$(mktemp -d /tmp/inquiry-scan.XXXXXX)
PORT=$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
MASTER=""

cleanup() {
    if [ -n "$MASTER" ] && kill -0 "$MASTER" 2>/dev/null; then
        kill -TERM "$MASTER" 2>/dev/null || true
        wait "$MASTER" 2>/dev/null || true
    fi
}
trap cleanup EXIT

workers() { # the pids whose parent is the gunicorn master, sorted
    local pid
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        if [ "$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null)" = "$MASTER" ]; then echo "$pid"; fi
    done | sort -n | tr '\n' ' '
    return 0
}

echo "== Scanners (throwaway virtualenv $TOOLS)"
if [ ! -x "$TOOLS/bin/wapiti" ] || [ ! -x "$TOOLS/bin/sqlmap" ]; then
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install --quiet wapiti3 sqlmap
fi
"$TOOLS/bin/wapiti" --version 2>/dev/null | head -1 || true
"$TOOLS/bin/sqlmap" --version 2>/dev/null | tail -1 || true

echo "== A throwaway Inquiry on $BASE (data in $WORK)"
export DATABASE_URL="sqlite:///$WORK/scan.sqlite"
export INQUIRY_SECRET_KEY=scan-only INQUIRY_LINK_KEY=scan-only
export INQUIRY_JOIN_RATE_LIMIT="100000 per minute" INQUIRY_JOIN_GUESS_LIMIT="100000 per minute"
export INQUIRY_LOGIN_RATE_LIMIT="100000 per minute" INQUIRY_INVITE_RATE_LIMIT="100000 per minute"
export INQUIRY_WITHDRAW_RATE_LIMIT="100000 per minute" INQUIRY_KIOSK_RATE_LIMIT="100000 per minute"
unset INQUIRY_RATELIMIT_STORAGE_URI
cd "$ROOT"
"$BIN/inquiry" db upgrade >/dev/null 2>&1
"$BIN/inquiry" demo >"$WORK/demo.txt"
CODE=$(grep -oE 'member code [A-Z0-9]+' "$WORK/demo.txt" | head -1 | awk '{print $3}' || true)
"$BIN/gunicorn" -c python:inquiry.core.serving --workers 2 --bind "127.0.0.1:$PORT" \
    --error-logfile "$WORK/gunicorn.log" "inquiry:create_app()" &
MASTER=$!
for _ in $(seq 100); do
    curl -fsS -o /dev/null "$BASE/" 2>/dev/null && [ "$(workers | wc -w)" -ge 2 ] && break
    sleep 0.2
done
BEFORE=$(workers)
echo "workers before: $BEFORE"

# A facilitator's session, so the workspace is scanned too (the issue's crash was found so).
COOKIE=$("$BIN/python" - "$BASE" <<'PY'
import http.cookiejar, re, sys, urllib.parse, urllib.request
base = sys.argv[1]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = opener.open(base + "/sign-in").read().decode()
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
data = urllib.parse.urlencode(
    {"csrf_token": token, "email": "facilitator@example.org", "password": "riverside-demo-only"}
).encode()
opener.open(base + "/sign-in", data)
print("; ".join(f"{c.name}={c.value}" for c in jar))
PY
)

echo "== wapiti, at most $MINUTES minutes"
set +e
# wapiti writes its report only when it ends by itself: its own time limit, with slack for
# a loaded machine before the outer timeout.
timeout $((MINUTES * 60 + 600)) "$TOOLS/bin/wapiti" -u "$BASE/" --scope folder \
    --max-scan-time $((MINUTES * 60)) --max-attack-time 20 -d 4 --flush-session \
    -H "Cookie: $COOKIE" -x "$BASE/sign-out" -x "$BASE/reflect/fresh" \
    -f json -o "$WORK/wapiti.json" >"$WORK/wapiti.log" 2>&1
echo "wapiti exit $?"

echo "== sqlmap, at most $MINUTES minutes (member forms, sign-in, the workspace's forms)"
START=$(date +%s)
for target in "$BASE/" "${CODE:+$BASE/j/$CODE}" "$BASE/withdraw" "$BASE/sign-in" "$BASE/workspace/"; do
    [ -n "$target" ] || continue
    LEFT=$((MINUTES * 60 - ($(date +%s) - START)))
    [ "$LEFT" -gt 10 ] || break
    timeout "$LEFT" "$TOOLS/bin/sqlmap" -u "$target" --forms --crawl=2 --batch \
        --cookie="$COOKIE" --csrf-token=csrf_token --level=2 --risk=1 \
        --crawl-exclude='sign-out|fresh' --output-dir="$WORK/sqlmap" \
        >>"$WORK/sqlmap.log" 2>&1
done
set -e

AFTER=$(workers)
echo
echo "== Findings"
"$BIN/python" - "$WORK/wapiti.json" <<'PY' || true
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print("wapiti: no report (see its log)")
    sys.exit()
for kind in ("vulnerabilities", "anomalies"):
    found = {name: len(items) for name, items in report.get(kind, {}).items() if items}
    total = sum(found.values())
    print(f"wapiti {kind}: {total}" + (f" {found}" if found else ""))
    for name, items in report.get(kind, {}).items():
        for item in items[:5]:
            print(f"  - {name}: {item.get('method')} {item.get('path')} {item.get('parameter', '')}: {item.get('info', '')[:160]}")
info = report.get("infos", {})
print(f"wapiti crawled {info.get('crawled_pages_nbr', '?')} pages")
print("(a cookie without Secure is expected here: plain HTTP; INQUIRY_HTTPS=true sets it)")
PY
INJECTABLE=$(grep -ciE "is vulnerable|appears to be injectable|might be injectable" "$WORK/sqlmap.log" || true)
TESTED=$(grep -cE "testing '" "$WORK/sqlmap.log" || true)
FORMS=$(grep -c "do you want to test this form" "$WORK/sqlmap.log" || true)
PARAMS=$(grep -cE "parameter '[^']+' (does not seem to be|is|appears to be|might be) injectable" "$WORK/sqlmap.log" || true)
echo "sqlmap: $FORMS forms and links, $PARAMS parameters tested, $TESTED techniques tried, $INJECTABLE injectable"
grep -iE "is vulnerable|injectable" "$WORK/sqlmap.log" | head -5 || true
FIVES=$(grep -cE "HTTP error codes detected.*50[0-9]|500 \(Internal Server Error\)" "$WORK/sqlmap.log" || true)
echo "sqlmap saw 5xx answers: $FIVES"

echo
echo "== Workers"
echo "before: $BEFORE"
echo "after:  $AFTER"
BOOTS=$(grep -c "Booting worker" "$WORK/gunicorn.log" || true)
SIGNALS=$(grep -cE "was sent (SIGSEGV|SIGKILL|SIGABRT)|WORKER TIMEOUT|exited with code" "$WORK/gunicorn.log" || true)
DEATHS=$((BOOTS > 2 ? BOOTS - 2 : 0))
if [ "$BEFORE" = "$AFTER" ] && [ "$DEATHS" -eq 0 ]; then
    echo "worker deaths: 0 (the same pids, $BOOTS workers booted in all)"
else
    echo "worker deaths: $DEATHS (workers booted $BOOTS, crash lines $SIGNALS)"
    grep -E "was sent|WORKER TIMEOUT|exited with code|Segmentation" "$WORK/gunicorn.log" | head -10
fi
TRACEBACKS=$(grep -c "Traceback" "$WORK/gunicorn.log" || true)
echo "tracebacks in gunicorn's log: $TRACEBACKS"
echo "(logs kept in $WORK)"
