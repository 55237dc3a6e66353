#!/usr/bin/env bash
# Idempotent development/test environment for CCS.
#
#   scripts/setup_env.sh [--test]
#
# 1. .venv with Python >= 3.11; requirements-dev.txt (runtime + test tools) installed only when the requirement files changed.
# 2. .env (KEY=VALUE) is read; variables given by the caller win over it.
# 3. PostgreSQL: $DATABASE_URL, else 127.0.0.1:5432, else a project-local server
#    (.local/pgdata, port 54329) started with the Debian binaries; the database is created if missing.
# 4. Redis: $REDIS_URL, else 127.0.0.1:6379, else a project-local redis-server on port 63799.
# 5. Missing keys are added to .env (DATABASE_URL, REDIS_URL, SECRET_KEY, FIELD_ENCRYPTION_KEY, ...).
# 6. The system libraries WeasyPrint draws quote PDFs with (Pango, HarfBuzz, fontconfig, DejaVu fonts).
# 7. --test: Debian's Chromium (/usr/bin/chromium) for the browser tests, Dovecot (dovecot-imapd) for the
#    email-in tests (they start their own throwaway IMAP server), and poppler-utils (pdftotext, pdftoppm) with
#    which the PDF tests read and render the quotes.
#
# Overrides (mostly for testing this script): CCS_DEFAULT_PG_PORT (5432), CCS_DEFAULT_REDIS_PORT (6379),
# CCS_LOCAL_PG_PORT (54329), CCS_LOCAL_REDIS_PORT (63799), PYTHON (interpreter used to create .venv).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WANT_TEST=0
for arg in "$@"; do
  case "$arg" in
    --test) WANT_TEST=1 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: scripts/setup_env.sh [--test]" >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
VPY="$VENV/bin/python"
DEFAULT_PG_PORT="${CCS_DEFAULT_PG_PORT:-5432}"
DEFAULT_REDIS_PORT="${CCS_DEFAULT_REDIS_PORT:-6379}"
LOCAL_PG_PORT="${CCS_LOCAL_PG_PORT:-54329}"
LOCAL_REDIS_PORT="${CCS_LOCAL_REDIS_PORT:-63799}"

mkdir -p "$LOCAL"
# One set-up at a time per checkout (make run and make test started together).
# Every daemon started below gets `9>&-` so that it does not inherit (and keep holding) the lock.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$LOCAL/setup.lock"
  flock -w 900 9 || die "another scripts/setup_env.sh holds $LOCAL/setup.lock"
fi

APT_UPDATED=0
apt_install() {  # apt_install PKG...; root only; output goes to .local/apt.log
  local log="$LOCAL/apt.log"
  if [ "$APT_UPDATED" = 0 ]; then
    apt-get update -qq >>"$log" 2>&1 9>&- || { tail -n 20 "$log" >&2; die "apt-get update failed (log: $log)"; }
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$log" 2>&1 9>&- \
    || { tail -n 20 "$log" >&2; die "apt-get install $* failed (log: $log)"; }
}

mask_url() { sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#' <<<"$1"; }

# ---------------------------------------------------------------- 1. Python, .venv, packages
py_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; }

if [ -x "$VPY" ] && py_ok "$VPY"; then
  :
else
  if [ -e "$VENV" ]; then
    say "venv: .venv is broken or older than Python 3.11, recreating it"
    rm -rf "$VENV"
  fi
  PY=""
  for cand in "${PYTHON:-}" python3.11 python3; do
    [ -n "$cand" ] && command -v "$cand" >/dev/null 2>&1 || continue
    if py_ok "$cand"; then PY="$(command -v "$cand")"; break; fi
  done
  [ -n "$PY" ] || die "Python >= 3.11 not found (tried python3.11, python3). Install it, e.g. on Debian 12: apt-get install python3 python3-venv"
  "$PY" -m venv "$VENV" >/dev/null 2>"$LOCAL/venv.log" || {
    rm -rf "$VENV"; cat "$LOCAL/venv.log" >&2
    die "could not create .venv with $PY (Debian: apt-get install python3-venv)"
  }
  say "venv: created .venv with $("$VPY" -V 2>&1)"
fi

# requirements.txt: what production runs; requirements-dev.txt adds the test tools (it includes the first).
[ -f requirements.txt ] && [ -f requirements-dev.txt ] || die "requirements.txt or requirements-dev.txt not found in $ROOT"
REQ_SHA="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null || true)" = "$REQ_SHA" ]; then
  say "packages: up to date"
else
  say "packages: installing requirements-dev.txt ..."
  t0=$SECONDS
  # pip's own warnings (e.g. about unreachable mirrors) go to the log; shown only when it fails
  "$VENV/bin/pip" install -q -r requirements-dev.txt >"$LOCAL/pip.log" 2>&1 \
    || { grep -v '^WARNING: Location' "$LOCAL/pip.log" | tail -n 30 >&2; die "pip install -r requirements-dev.txt failed (log: $LOCAL/pip.log)"; }
  printf '%s\n' "$REQ_SHA" >"$VENV/.requirements.sha256"
  say "packages: installed ($((SECONDS - t0)) s)"
fi

# Small helpers run with the venv's Python (psycopg comes from requirements.txt).
url_host_port() {  # url_host_port URL DEFAULT_PORT -> "host port"
  "$VPY" - "$1" "$2" <<'EOF'
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
try:
    port = u.port or int(sys.argv[2])
except ValueError:
    port = int(sys.argv[2])
print(u.hostname or "", port)
EOF
}
tcp_open() {  # tcp_open HOST PORT
  "$VPY" - "$1" "$2" <<'EOF'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1.5).close()
except (OSError, ValueError):
    sys.exit(1)
EOF
}

# ---------------------------------------------------------------- 2. .env
ENV_FILE="$ROOT/.env"
declare -A ENVF=()
ENV_KEYS=()
read_env_file() {
  ENVF=(); ENV_KEYS=()
  [ -f "$ENV_FILE" ] || return 0
  local line re='^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$' k v
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    [[ "$line" =~ $re ]] || continue
    k="${BASH_REMATCH[2]}"; v="${BASH_REMATCH[3]}"
    v="${v%"${v##*[![:space:]]}"}"
    if [[ ${#v} -ge 2 && ( ( "$v" == \"*\" ) || ( "$v" == \'*\' ) ) ]]; then v="${v:1:${#v}-2}"; fi
    [[ -v ENVF[$k] ]] || ENV_KEYS+=("$k")
    ENVF[$k]="$v"
  done <"$ENV_FILE"
}
read_env_file
CALLER_DATABASE_URL="${DATABASE_URL:-}"
CALLER_REDIS_URL="${REDIS_URL:-}"
FILE_DATABASE_URL="${ENVF[DATABASE_URL]:-}"
FILE_REDIS_URL="${ENVF[REDIS_URL]:-}"

is_local_url() {  # is_local_url URL PORT DEFAULT_PORT: points at 127.0.0.1/localhost:PORT
  local hp; hp="$(url_host_port "$1" "$3")"
  [[ "$hp" == "127.0.0.1 $2" || "$hp" == "localhost $2" ]]
}

# ---------------------------------------------------------------- 3. PostgreSQL
pg_answers() {  # pg_answers URL
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -t 3 -d "$1" >/dev/null 2>&1
  else
    local hp; hp="$(url_host_port "$1" 5432)"
    [ -n "${hp% *}" ] && tcp_open ${hp}
  fi
}

PGBIN=""
find_pg_bin() {  # newest /usr/lib/postgresql/*/bin, or the version the data dir was made with
  local want="" d
  [ -f "$PGDATA_REAL/PG_VERSION" ] && want="$(cat "$PGDATA_REAL/PG_VERSION")"
  if [ -n "$want" ] && [ -x "/usr/lib/postgresql/$want/bin/pg_ctl" ]; then PGBIN="/usr/lib/postgresql/$want/bin"; return 0; fi
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then PGBIN="$d"; return 0; fi
  return 1
}

# Run a PostgreSQL server binary: as the postgres OS user when we are root (initdb/pg_ctl refuse root).
as_pg() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

PGDATA_REAL=""; PGRUN_REAL=""; PGLOG_REAL=""
pg_layout() {  # decide where the local cluster lives
  if [ -L "$LOCAL/pgdata" ]; then
    PGDATA_REAL="$(readlink -f "$LOCAL/pgdata")"
    local base; base="$(dirname "$PGDATA_REAL")"
    PGRUN_REAL="$base/run"; PGLOG_REAL="$base/postgres.log"
  elif [ -d "$LOCAL/pgdata" ] || ! is_root || (cd / && runuser -u postgres -- test -x "$LOCAL" -a -r "$LOCAL"); then
    PGDATA_REAL="$LOCAL/pgdata"; PGRUN_REAL="$LOCAL/run"; PGLOG_REAL="$LOCAL/postgres.log"
  else
    # The postgres user cannot reach the checkout (e.g. under /root): keep the cluster in /var/tmp.
    local base="/var/tmp/ccs-$(printf '%s' "$ROOT" | sha256sum | cut -c1-10)"
    mkdir -p "$base"
    PGDATA_REAL="$base/pgdata"; PGRUN_REAL="$base/run"; PGLOG_REAL="$base/postgres.log"
    mkdir -p "$PGDATA_REAL"
    ln -sfn "$PGDATA_REAL" "$LOCAL/pgdata"
    ln -sfn "$PGRUN_REAL" "$LOCAL/run"
    ln -sfn "$PGLOG_REAL" "$LOCAL/postgres.log"
    say "database: $LOCAL is not reachable by the postgres user; data dir in $base"
  fi
  mkdir -p "$PGDATA_REAL" "$PGRUN_REAL"
  touch "$PGLOG_REAL"
  chmod 700 "$PGDATA_REAL"
  if is_root; then
    id postgres >/dev/null 2>&1 || die "OS user 'postgres' is missing (apt-get install postgresql creates it)"
    chown postgres: "$PGDATA_REAL" "$PGRUN_REAL" "$PGLOG_REAL"
    [ "$(dirname "$PGDATA_REAL")" = "$LOCAL" ] || chown postgres: "$(dirname "$PGDATA_REAL")"
  fi
}

start_local_pg() {  # ensures the project-local cluster runs on LOCAL_PG_PORT
  pg_layout
  if ! find_pg_bin; then
    is_root || die "PostgreSQL server binaries not found: install PostgreSQL 15 (apt-get install postgresql) or set DATABASE_URL"
    say "database: installing PostgreSQL (apt-get install postgresql) ..."
    apt_install postgresql
    find_pg_bin || die "PostgreSQL binaries still missing in /usr/lib/postgresql/*/bin after apt-get install"
    pg_layout  # the postgres user exists now
  fi
  if [ ! -s "$PGDATA_REAL/PG_VERSION" ]; then
    as_pg "$PGBIN/initdb" -D "$PGDATA_REAL" --auth=trust -U postgres -E UTF8 --no-locale >"$LOCAL/initdb.log" 2>&1 \
      || { tail -n 20 "$LOCAL/initdb.log" >&2; die "initdb failed (log: $LOCAL/initdb.log)"; }
    # Throw-away development cluster: trade durability for speed (tests create and drop schemas a lot).
    printf '%s\n' "# added by scripts/setup_env.sh (local development cluster)" \
      "listen_addresses = '127.0.0.1'" "fsync = off" "synchronous_commit = off" "full_page_writes = off" \
      >>"$PGDATA_REAL/postgresql.conf"
    say "database: initialised local cluster in $PGDATA_REAL"
  fi
  if as_pg "$PGBIN/pg_ctl" -D "$PGDATA_REAL" status >/dev/null 2>&1; then
    LOCAL_PG_STATE="local server, running"
  else
    if tcp_open 127.0.0.1 "$LOCAL_PG_PORT"; then
      die "port $LOCAL_PG_PORT is taken by another program; set CCS_LOCAL_PG_PORT to a free port or DATABASE_URL"
    fi
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_REAL" -l "$PGLOG_REAL" -w -t 60 \
      -o "-p $LOCAL_PG_PORT -k '$PGRUN_REAL' -c listen_addresses=127.0.0.1" start >/dev/null 2>&1 9>&- \
      || { tail -n 20 "$PGLOG_REAL" >&2; die "could not start the local PostgreSQL (log: $PGLOG_REAL)"; }
    LOCAL_PG_STATE="local server, started"
  fi
}

ensure_database() {  # ensure_database URL: create the database named in URL when missing
  "$VPY" - "$1" <<'EOF'
import sys
url = sys.argv[1]
try:
    import psycopg
    from psycopg import sql
except ImportError:
    sys.exit(3)  # fall back to psql
from psycopg.conninfo import conninfo_to_dict
dbname = conninfo_to_dict(url).get("dbname") or "postgres"
try:
    psycopg.connect(url, connect_timeout=5).close()
    print("exists")
    sys.exit(0)
except psycopg.OperationalError as exc:
    if "does not exist" not in str(exc):
        print(f"cannot connect: {exc}".strip(), file=sys.stderr)
        sys.exit(1)
last = None
for admin_db in ("postgres", "template1"):
    try:
        with psycopg.connect(url, dbname=admin_db, autocommit=True, connect_timeout=5) as conn:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
            except psycopg.errors.DuplicateDatabase:
                pass
        print("created")
        sys.exit(0)
    except psycopg.Error as exc:
        last = exc
print(f"cannot create database {dbname!r}: {last}".strip(), file=sys.stderr)
sys.exit(1)
EOF
}

LOCAL_PG_URL="postgres://postgres@127.0.0.1:$LOCAL_PG_PORT/ccs"
DEFAULT_PG_URL="postgres://postgres@127.0.0.1:$DEFAULT_PG_PORT/ccs"
LOCAL_PG_STATE=""
DB_NOTE=""
if [ -n "$CALLER_DATABASE_URL" ]; then
  DB_URL="$CALLER_DATABASE_URL"
  pg_answers "$DB_URL" || die "DATABASE_URL $(mask_url "$DB_URL") does not answer"
  DB_NOTE="from environment"
else
  DB_URL=""
  if [ -n "$FILE_DATABASE_URL" ]; then
    if pg_answers "$FILE_DATABASE_URL"; then
      DB_URL="$FILE_DATABASE_URL"; DB_NOTE="from .env"
      is_local_url "$DB_URL" "$LOCAL_PG_PORT" 5432 && DB_NOTE="local server, running"
    elif is_local_url "$FILE_DATABASE_URL" "$LOCAL_PG_PORT" 5432; then
      start_local_pg
      DB_URL="$FILE_DATABASE_URL"; DB_NOTE="$LOCAL_PG_STATE"
    else
      warn ".env DATABASE_URL $(mask_url "$FILE_DATABASE_URL") no longer answers; looking for another server"
    fi
  fi
  if [ -z "$DB_URL" ]; then
    if pg_answers "$DEFAULT_PG_URL"; then
      DB_URL="$DEFAULT_PG_URL"; DB_NOTE="existing server"
    else
      start_local_pg
      DB_URL="$LOCAL_PG_URL"; DB_NOTE="$LOCAL_PG_STATE"
    fi
  fi
fi
for _ in $(seq 1 50); do pg_answers "$DB_URL" && break; sleep 0.2; done
rc=0; res="$(ensure_database "$DB_URL")" || rc=$?
if [ "$rc" = 3 ]; then  # no psycopg in the venv: use psql
  command -v psql >/dev/null 2>&1 || die "neither psycopg (requirements.txt) nor psql available to create the database"
  dbn="$("$VPY" -c 'import sys,urllib.parse as u; print(u.urlsplit(sys.argv[1]).path.lstrip("/") or "postgres")' "$DB_URL")"
  admin="$("$VPY" -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(p._replace(path="/postgres").geturl())' "$DB_URL")"
  if [ "$(psql "$admin" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$dbn'")" = 1 ]; then res=exists
  else psql "$admin" -qc "CREATE DATABASE \"$dbn\"" >/dev/null && res=created; fi
elif [ "$rc" != 0 ]; then
  die "database at $(mask_url "$DB_URL") is not usable (see above)"
fi
[ "$res" = created ] && DB_NOTE="$DB_NOTE, database created"
say "database: $(mask_url "$DB_URL") ($DB_NOTE)"

# ---------------------------------------------------------------- 4. Redis
redis_answers() {  # redis_answers URL
  local scheme="${1%%://*}"
  if [ "$scheme" = redis ] && command -v redis-cli >/dev/null 2>&1; then
    [ "$(timeout 5 redis-cli -u "$1" --no-auth-warning ping 2>/dev/null)" = PONG ]
  else
    local hp; hp="$(url_host_port "$1" 6379)"
    [ -n "${hp% *}" ] && tcp_open ${hp}
  fi
}

start_local_redis() {
  local pidfile="$LOCAL/redis.pid" bin
  if redis_answers "$LOCAL_REDIS_URL"; then LOCAL_REDIS_STATE="local server, running"; return 0; fi
  bin="$(command -v redis-server || true)"
  if [ -z "$bin" ]; then
    is_root || die "redis-server not found: install it (apt-get install redis-server) or set REDIS_URL"
    say "redis: installing redis-server (apt-get install redis-server) ..."
    apt_install redis-server
    bin="$(command -v redis-server || echo /usr/bin/redis-server)"
    [ -x "$bin" ] || die "redis-server still missing after apt-get install"
  fi
  tcp_open 127.0.0.1 "$LOCAL_REDIS_PORT" \
    && die "port $LOCAL_REDIS_PORT is taken by another program; set CCS_LOCAL_REDIS_PORT to a free port or REDIS_URL"
  "$bin" --port "$LOCAL_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$pidfile" --dir "$LOCAL" --logfile "$LOCAL/redis.log" 9>&- \
    || die "could not start redis-server (log: $LOCAL/redis.log)"
  for _ in $(seq 1 50); do redis_answers "$LOCAL_REDIS_URL" && break; sleep 0.1; done
  redis_answers "$LOCAL_REDIS_URL" || { tail -n 20 "$LOCAL/redis.log" >&2; die "local redis-server does not answer (log: $LOCAL/redis.log)"; }
  LOCAL_REDIS_STATE="local server, started"
}

LOCAL_REDIS_URL="redis://127.0.0.1:$LOCAL_REDIS_PORT/0"
DEFAULT_REDIS_URL="redis://127.0.0.1:$DEFAULT_REDIS_PORT/0"
LOCAL_REDIS_STATE=""
if [ -n "$CALLER_REDIS_URL" ]; then
  RD_URL="$CALLER_REDIS_URL"
  redis_answers "$RD_URL" || die "REDIS_URL $(mask_url "$RD_URL") does not answer"
  RD_NOTE="from environment"
else
  RD_URL=""
  if [ -n "$FILE_REDIS_URL" ]; then
    if redis_answers "$FILE_REDIS_URL"; then
      RD_URL="$FILE_REDIS_URL"; RD_NOTE="from .env"
      is_local_url "$RD_URL" "$LOCAL_REDIS_PORT" 6379 && RD_NOTE="local server, running"
    elif is_local_url "$FILE_REDIS_URL" "$LOCAL_REDIS_PORT" 6379; then
      start_local_redis
      RD_URL="$FILE_REDIS_URL"; RD_NOTE="$LOCAL_REDIS_STATE"
    else
      warn ".env REDIS_URL $(mask_url "$FILE_REDIS_URL") no longer answers; looking for another server"
    fi
  fi
  if [ -z "$RD_URL" ]; then
    if redis_answers "$DEFAULT_REDIS_URL"; then
      RD_URL="$DEFAULT_REDIS_URL"; RD_NOTE="existing server"
    else
      start_local_redis
      RD_URL="$LOCAL_REDIS_URL"; RD_NOTE="$LOCAL_REDIS_STATE"
    fi
  fi
fi
say "redis: $(mask_url "$RD_URL") ($RD_NOTE)"

# ---------------------------------------------------------------- 5. .env
umask 077
if [ ! -f "$ENV_FILE" ]; then
  printf '%s\n' "# Local development settings, written by scripts/setup_env.sh (git-ignored)." \
    "# Edit freely: existing keys are kept; only missing ones are added." >"$ENV_FILE"
fi
# make sure the file ends with a newline before appending
[ -z "$(tail -c 1 "$ENV_FILE")" ] || printf '\n' >>"$ENV_FILE"

env_replace() {  # env_replace KEY VALUE: rewrite the KEY= line(s)
  local key="$1" val="$2" tmp line re
  re="^[[:space:]]*(export[[:space:]]+)?${key}[[:space:]]*="
  tmp="$(mktemp "$ENV_FILE.XXXXXX")"
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ "$line" =~ $re ]]; then printf '%s=%s\n' "$key" "$val"; else printf '%s\n' "$line"; fi
  done <"$ENV_FILE" >"$tmp"
  mv "$tmp" "$ENV_FILE"
}

ADDED=()
env_add() {  # env_add KEY VALUE: append when the key is missing
  [[ -v ENVF[$1] ]] && return 0
  printf '%s=%s\n' "$1" "$2" >>"$ENV_FILE"
  ENVF[$1]="$2"; ADDED+=("$1")
}

if [ -z "$CALLER_DATABASE_URL" ] && [ -n "$FILE_DATABASE_URL" ] && [ "$FILE_DATABASE_URL" != "$DB_URL" ]; then
  env_replace DATABASE_URL "$DB_URL"
  say "env: DATABASE_URL changed $(mask_url "$FILE_DATABASE_URL") -> $(mask_url "$DB_URL")"
fi
if [ -z "$CALLER_REDIS_URL" ] && [ -n "$FILE_REDIS_URL" ] && [ "$FILE_REDIS_URL" != "$RD_URL" ]; then
  env_replace REDIS_URL "$RD_URL"
  say "env: REDIS_URL changed $(mask_url "$FILE_REDIS_URL") -> $(mask_url "$RD_URL")"
fi
env_add DATABASE_URL "$DB_URL"
env_add REDIS_URL "$RD_URL"
# Secrets are generated once; an empty value counts as missing.
env_secret() {  # env_secret KEY GENERATED_VALUE
  [ -n "${ENVF[$1]:-}" ] && return 0
  if [[ -v ENVF[$1] ]]; then env_replace "$1" "$2"; ENVF[$1]="$2"; ADDED+=("$1"); else env_add "$1" "$2"; fi
}
[ -n "${ENVF[SECRET_KEY]:-}" ] \
  || env_secret SECRET_KEY "$("$VPY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
[ -n "${ENVF[FIELD_ENCRYPTION_KEY]:-}" ] \
  || env_secret FIELD_ENCRYPTION_KEY "$("$VPY" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')"
env_add DJANGO_DEBUG 1
env_add BASE_DOMAIN localhost
chmod 600 "$ENV_FILE"
if [ "${#ADDED[@]}" -gt 0 ]; then say "env: .env added ${ADDED[*]}"; else say "env: .env up to date"; fi

# ---------------------------------------------------------------- 6. PDF libraries (WeasyPrint)
# Quote PDFs (quotes/pdf.py) need these for `make run`, the worker and the tests alike; dpkg is asked first, so a
# machine that has them installs nothing.
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core)
if command -v dpkg-query >/dev/null 2>&1; then
  PDF_MISSING=()
  for pkg in "${PDF_PACKAGES[@]}"; do deb_installed "$pkg" || PDF_MISSING+=("$pkg"); done
  if [ "${#PDF_MISSING[@]}" = 0 ]; then
    say "pdf: Pango, HarfBuzz and fonts present"
  else
    is_root || die "quote PDFs need system libraries that are missing: sudo apt-get install ${PDF_MISSING[*]}"
    say "pdf: installing ${PDF_MISSING[*]} (apt-get install) ..."
    apt_install "${PDF_MISSING[@]}"
    say "pdf: Pango, HarfBuzz and fonts installed"
  fi
else
  warn "not a Debian system: install Pango (>= 1.44), HarfBuzz, fontconfig and the DejaVu fonts for quote PDFs"
fi

# ---------------------------------------------------------------- 7. Test tools: Chromium, Dovecot, poppler
if [ "$WANT_TEST" = 1 ]; then
  if [ -x /usr/bin/chromium ]; then
    say "chromium: /usr/bin/chromium"
  else
    is_root || die "Chromium is missing: install Debian's chromium (sudo apt-get install chromium) for the browser tests"
    say "chromium: installing (apt-get install chromium) ..."
    apt_install chromium
    [ -x /usr/bin/chromium ] || die "/usr/bin/chromium still missing after apt-get install chromium"
    say "chromium: /usr/bin/chromium (installed)"
  fi
  if [ -x /usr/sbin/dovecot ]; then
    say "dovecot: /usr/sbin/dovecot"
  else
    is_root || die "Dovecot is missing: install Debian's dovecot-imapd (sudo apt-get install dovecot-imapd) for the email-in tests"
    say "dovecot: installing (apt-get install dovecot-imapd) ..."
    apt_install dovecot-imapd
    [ -x /usr/sbin/dovecot ] || die "/usr/sbin/dovecot still missing after apt-get install dovecot-imapd"
    say "dovecot: /usr/sbin/dovecot (installed)"
  fi
  if command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
    say "poppler: $(command -v pdftotext), $(command -v pdftoppm)"
  else
    is_root || die "pdftotext/pdftoppm are missing: install Debian's poppler-utils (sudo apt-get install poppler-utils) for the PDF tests"
    say "poppler: installing (apt-get install poppler-utils) ..."
    apt_install poppler-utils
    command -v pdftotext >/dev/null 2>&1 || die "pdftotext still missing after apt-get install poppler-utils"
    say "poppler: $(command -v pdftotext), $(command -v pdftoppm) (installed)"
  fi
fi
