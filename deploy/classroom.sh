#!/usr/bin/env bash
# Run logreg studio for a class: N Streamlit replicas behind nginx, one command.
#
#     deploy/classroom.sh --replicas N --port P [--tls [--cert FILE --key FILE]] [--class]
#
# Starts N `streamlit run app.py` replicas on free ports of 127.0.0.1, all sharing one
# state store (LOGREG_STATE_DIR), and Debian's nginx on 0.0.0.0:P in front of them with
# sticky sessions and WebSocket upgrade (deploy/nginx.conf.template says why each line is
# there). With --tls nginx serves HTTPS, with the given certificate or a self-signed one
# made here for this machine's LAN address, because browsers only allow the camera on
# HTTPS (or localhost). Waits until every replica is up (each runs the app once as it
# starts, so the first students do not wait for its imports and data: studio.frame.serve)
# and the app answers through the proxy, prints the address students open, and stops
# everything on Ctrl-C or SIGTERM.
# With --class it also starts a class (the Class page's) and prints its join link and the
# teacher's private link, which opens the board: only this terminal ever shows it.
#
# Environment:
#   LOGREG_DATA_DIR    where the course's cat files are, as for the app itself
#   LOGREG_STATE_DIR   the replicas' shared state store (default: RUN_DIR/state, removed
#                      on exit; set it to keep students' models across restarts)
#   LOGREG_RUN_DIR     where config, logs, pid files and a generated certificate go
#                      (default: a new temporary folder, removed on exit; a given one is kept)
#   LOGREG_PUBLIC_HOST the address printed for students and put in a generated
#                      certificate (default: this machine's LAN IP; set it in a container)
#   LOGREG_CLASS_HOURS how long a class lasts (default 8)
#   PYTHON             the Python with the app's requirements (default: python3)
#   NGINX, OPENSSL     those programs, when not found on PATH or in /usr/sbin
set -uo pipefail
# Everything this script, nginx and the replicas create (run folder, logs, certificate,
# state) is readable by this user only: the logs name students' requests.
umask 077
shopt -u patsub_replacement 2>/dev/null || true  # "&" in a path stays a "&" below

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APP_DIR="$(dirname "$HERE")"
PYTHON="${PYTHON:-python3}"
USAGE="usage: deploy/classroom.sh --replicas N --port P [--tls [--cert FILE --key FILE]] [--class]"
MAX_REPLICAS=32
START_SECONDS=180  # a cold replica imports numpy, plotly and Streamlit; shared machines are slow

die() {  # a one-line error, then the usage line; exit status 2 like argparse
    echo "classroom.sh: $*" >&2
    echo "$USAGE" >&2
    exit 2
}

fail() {  # a one-line error about the machine, not the arguments
    echo "classroom.sh: $*" >&2
    exit 1
}

say() { echo "classroom.sh: $*"; }

# ------------------------------------------------------------------ arguments

replicas="" port="" tls=0 cert="" key="" start_class=0
while [ $# -gt 0 ]; do
    case "$1" in
        -h|--help) echo "$USAGE"; exit 0 ;;
        --replicas|--port|--cert|--key)
            [ $# -ge 2 ] || die "$1 needs a value"
            case "$1" in
                --replicas) replicas="$2" ;;
                --port) port="$2" ;;
                --cert) cert="$2" ;;
                --key) key="$2" ;;
            esac
            shift 2 ;;
        --replicas=*) replicas="${1#*=}"; shift ;;
        --port=*) port="${1#*=}"; shift ;;
        --cert=*) cert="${1#*=}"; shift ;;
        --key=*) key="${1#*=}"; shift ;;
        --tls) tls=1; shift ;;
        --class) start_class=1; shift ;;
        *) die "unknown argument '$1'" ;;
    esac
done

is_count() { [[ "$1" =~ ^[1-9][0-9]{0,5}$ ]]; }
[ -n "$replicas" ] || die "--replicas is required"
{ is_count "$replicas" && [ "$replicas" -le "$MAX_REPLICAS" ]; } ||
    die "--replicas must be a whole number from 1 to $MAX_REPLICAS, not '$replicas'"
[ -n "$port" ] || die "--port is required"
{ is_count "$port" && [ "$port" -le 65535 ]; } ||
    die "--port must be a port number from 1 to 65535, not '$port'"
if [ -n "$cert$key" ]; then
    [ "$tls" = 1 ] || die "--cert and --key go with --tls"
    [ -n "$cert" ] || die "--key needs --cert too"
    [ -n "$key" ] || die "--cert needs --key too"
    [ -r "$cert" ] && [ -f "$cert" ] || die "--cert: cannot read the file '$cert'"
    [ -r "$key" ] && [ -f "$key" ] || die "--key: cannot read the file '$key'"
    cert="$(cd "$(dirname "$cert")" && pwd)/$(basename "$cert")"
    key="$(cd "$(dirname "$key")" && pwd)/$(basename "$key")"
fi
if [ -n "${LOGREG_DATA_DIR:-}" ] && [ ! -d "$LOGREG_DATA_DIR" ]; then
    die "LOGREG_DATA_DIR is '$LOGREG_DATA_DIR', which is not a folder"
fi

# ------------------------------------------------------------------ what the machine has

# Debian puts nginx in /usr/sbin, which is not on a normal user's PATH.
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
[ -x "$NGINX" ] || fail "nginx is not installed ($NGINX not found): sudo apt-get install nginx"
OPENSSL="${OPENSSL:-openssl}"
if [ "$tls" = 1 ] && [ -z "$cert" ] && ! command -v "$OPENSSL" >/dev/null; then
    fail "openssl is needed to make a certificate for --tls: sudo apt-get install openssl"
fi
command -v "$PYTHON" >/dev/null || fail "'$PYTHON' not found: install Python 3.10 or newer"
"$PYTHON" -c "import streamlit" 2>/dev/null ||
    fail "Streamlit is not installed for $PYTHON: python3 -m pip install -e ."
command -v setsid >/dev/null || fail "setsid is missing: sudo apt-get install util-linux"

# Helpers in Python, which the app needs anyway (no curl or iproute2 in a slim image).
py() { "$PYTHON" -c "$@"; }

port_in_use() {
    py "import socket,sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(('0.0.0.0', int(sys.argv[1])))
except OSError: sys.exit(0)
sys.exit(1)" "$1"
}
port_in_use "$port" && fail "port $port is already in use (or needs root): choose another --port"

free_ports() {  # N distinct free ports of 127.0.0.1, held together so none repeats
    py "import socket,sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(('127.0.0.1', 0))
print(' '.join(str(s.getsockname()[1]) for s in socks))" "$1"
}

lan_ip() {  # the address other machines reach this one at (no packet is sent)
    py "import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.connect(('192.0.2.1', 9)); print(s.getsockname()[0])
except OSError:
    print('127.0.0.1')"
}

healthy() {  # healthy URL: /_stcore/health answers "ok" (any certificate: ours is self-signed)
    py "import ssl,sys,urllib.request
try:
    with urllib.request.urlopen(sys.argv[1] + '/_stcore/health', timeout=3,
                                context=ssl._create_unverified_context()) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)" "$1"
}

# ------------------------------------------------------------------ run directory

if [ -n "${LOGREG_RUN_DIR:-}" ]; then
    RUN_DIR="$LOGREG_RUN_DIR"; keep_run_dir=1 made_run_dir=0
    [ -e "$RUN_DIR" ] || made_run_dir=1
    mkdir -p "$RUN_DIR" || fail "cannot create LOGREG_RUN_DIR '$RUN_DIR'"
    RUN_DIR="$(cd "$RUN_DIR" && pwd)"
else
    RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/logreg-classroom.XXXXXX")" || fail "cannot create a run directory"
    keep_run_dir=0 made_run_dir=1
fi
mkdir -p "$RUN_DIR"/nginx-tmp "$RUN_DIR"/logs
# Started as root, nginx runs its workers as nobody, who must be able to pass through to its
# temp dirs (made by nginx, owned by nobody, mode 700): search but not list, and only then.
# Only a folder this script made: an existing LOGREG_RUN_DIR (say $HOME) keeps its permissions.
[ "$made_run_dir" = 1 ] && [ "$(id -u)" = 0 ] && chmod 711 "$RUN_DIR"
export LOGREG_STATE_DIR="${LOGREG_STATE_DIR:-$RUN_DIR/state}"
# Students' saved work: readable by this user only.
(umask 077 && mkdir -p "$LOGREG_STATE_DIR") || fail "cannot create LOGREG_STATE_DIR '$LOGREG_STATE_DIR'"
public_host="${LOGREG_PUBLIC_HOST:-$(lan_ip)}"

# ------------------------------------------------------------------ stopping

pids=()          # every replica's pid (each leads its own process group) and nginx's
nginx_pid=""
stopping=0

stop_all() {
    [ "$stopping" = 1 ] && return
    stopping=1
    trap '' INT TERM
    say "stopping ${#pids[@]} processes"
    for pid in "${pids[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null
    done
    for _ in $(seq 1 100); do  # up to 10 s for a clean exit, then SIGKILL
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
    wait 2>/dev/null
    if [ "$keep_run_dir" = 0 ]; then
        rm -rf "$RUN_DIR"
    else
        say "logs kept in $RUN_DIR/logs"
    fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

# ------------------------------------------------------------------ replicas

# One cookie secret for every replica: the XSRF token a browser got from one replica must
# still be valid when nginx sends it to another (after a replica died), or uploads fail.
STREAMLIT_SERVER_COOKIE_SECRET="$(py "import secrets; print(secrets.token_hex(32))")"
export STREAMLIT_SERVER_COOKIE_SECRET

read -r -a ports <<< "$(free_ports "$replicas")"
for i in $(seq 1 "$replicas"); do
    replica_port="${ports[$((i - 1))]}"
    log="$RUN_DIR/logs/replica-$i.log"
    # setsid: each replica leads its own process group, so stopping one stops all its children.
    # A replica runs the app once before it answers its health check (studio.frame.serve).
    (cd "$APP_DIR" && PYTHONUNBUFFERED=1 exec setsid "$PYTHON" -m streamlit run app.py \
        --server.headless true --server.address 127.0.0.1 --server.port "$replica_port" \
        --browser.gatherUsageStats false --server.fileWatcherType none \
        >"$log" 2>&1) &
    pids+=("$!")
    echo "$!" > "$RUN_DIR/replica-$i.pid"
    say "replica $i: http://127.0.0.1:$replica_port pid $! log $log"
done

# ------------------------------------------------------------------ nginx

if [ "$tls" = 1 ]; then
    scheme=https
    if [ -z "$cert" ]; then
        cert="$RUN_DIR/tls/cert.pem" key="$RUN_DIR/tls/key.pem"
        mkdir -p "$RUN_DIR/tls"
        san="DNS:localhost,IP:127.0.0.1"
        if [[ "$public_host" =~ ^[0-9.]+$ ]]; then
            [ "$public_host" != 127.0.0.1 ] && san="$san,IP:$public_host"
        else
            san="$san,DNS:$public_host"
        fi
        "$OPENSSL" req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=logreg studio" \
            -addext "subjectAltName=$san" -keyout "$key" -out "$cert" \
            >"$RUN_DIR/logs/openssl.log" 2>&1 ||
            fail "openssl could not make a certificate: $(tail -n1 "$RUN_DIR/logs/openssl.log")"
        chmod 600 "$key"
        say "made a self-signed certificate for $san ($cert); students accept it once"
    fi
    listen="0.0.0.0:$port ssl"
    cookie_secure="; Secure"
    # 180 days; only on HTTPS (an HSTS header on plain http is meaningless).
    hsts='        add_header Strict-Transport-Security "max-age=15552000" always;'
    tls_block="        ssl_certificate     $cert;
        ssl_certificate_key $key;
        ssl_protocols TLSv1.2 TLSv1.3;
        # 497: plain http:// sent to this HTTPS port; send the browser to https:// instead.
        error_page 497 =301 https://\$http_host\$request_uri;"
else
    scheme=http
    listen="0.0.0.0:$port"
    cookie_secure=""
    hsts="        # (no Strict-Transport-Security without TLS)"
    tls_block="        # (no TLS: run with --tls for HTTPS, which the camera needs on a LAN)"
fi

servers="" replica_map=""
for i in $(seq 1 "$replicas"); do
    servers+="        server 127.0.0.1:${ports[$((i - 1))]} max_fails=1 fail_timeout=10s;"$'\n'
    replica_map+="        \"~:${ports[$((i - 1))]}\$\" $i;"$'\n'
done
conf="$(cat "$HERE/nginx.conf.template")" || fail "cannot read $HERE/nginx.conf.template"
conf="${conf//@RUN_DIR@/$RUN_DIR}"
conf="${conf//@SERVERS@/${servers%$'\n'}}"
conf="${conf//@REPLICA_MAP@/${replica_map%$'\n'}}"
conf="${conf//@LISTEN@/$listen}"
conf="${conf//@TLS@/$tls_block}"
conf="${conf//@COOKIE_SECURE@/$cookie_secure}"
conf="${conf//@HSTS@/$hsts}"
printf '%s\n' "$conf" > "$RUN_DIR/nginx.conf"

"$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" \
    >"$RUN_DIR/logs/nginx-test.log" 2>&1 ||
    fail "nginx rejected its configuration ($RUN_DIR/nginx.conf): $(grep -m1 emerg "$RUN_DIR/logs/nginx-test.log")"
setsid "$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" \
    -g 'daemon off;' >"$RUN_DIR/logs/nginx.log" 2>&1 &
nginx_pid=$!
pids+=("$nginx_pid")
say "nginx: pid $nginx_pid on 0.0.0.0:$port, config $RUN_DIR/nginx.conf"

# ------------------------------------------------------------------ wait until it answers

deadline=$((SECONDS + START_SECONDS))
for i in $(seq 1 "$replicas"); do
    until healthy "http://127.0.0.1:${ports[$((i - 1))]}"; do
        kill -0 "${pids[$((i - 1))]}" 2>/dev/null ||
            fail "replica $i exited while starting: $(tail -n3 "$RUN_DIR/logs/replica-$i.log")"
        [ "$SECONDS" -lt "$deadline" ] ||
            fail "replica $i did not answer in $START_SECONDS s (log: $RUN_DIR/logs/replica-$i.log)"
        sleep 0.5
    done
done
until healthy "$scheme://127.0.0.1:$port"; do
    kill -0 "$nginx_pid" 2>/dev/null ||
        fail "nginx exited: $(tail -n3 "$RUN_DIR/nginx-error.log" "$RUN_DIR/logs/nginx.log" 2>/dev/null)"
    [ "$SECONDS" -lt "$deadline" ] || fail "no answer through nginx on port $port in $START_SECONDS s"
    sleep 0.5
done

if [ -n "${LOGREG_DATA_DIR:-}" ]; then
    data="data: LOGREG_DATA_DIR=$LOGREG_DATA_DIR"
else
    data="data: the app's own data/ folder (set LOGREG_DATA_DIR for the cat files elsewhere)"
fi
[ "$replicas" = 1 ] && noun=replica || noun=replicas
say "$replicas $noun ready behind nginx; $data; state: $LOGREG_STATE_DIR"
say "ready: students open $scheme://$public_host:$port"
[ "$public_host" != 127.0.0.1 ] && say "on this machine: $scheme://localhost:$port"
[ "$tls" = 0 ] && say "the camera needs HTTPS on a LAN: add --tls"
if [ "$start_class" = 1 ]; then
    # In the replicas' store, so every replica sees it; the key goes to this terminal only.
    if started="$(cd "$APP_DIR" && "$PYTHON" -m studio.session.classroom start 2>&1)" &&
            read -r class_code class_key class_end <<< "$started" &&
            [[ "$class_code" =~ ^[A-Z0-9]{6}$ ]]; then
        say "class $class_code until $class_end: students open $scheme://$public_host:$port/class?join=$class_code"
        say "teacher link (private, it opens the board): $scheme://$public_host:$port/class?teach=$class_code.$class_key"
    else
        say "could not start a class: $started"
    fi
fi
say "Ctrl-C stops everything"

# ------------------------------------------------------------------ run until stopped

# A replica that dies is reported and its students move to the others (nginx skips it);
# the class goes on while one replica is left. nginx dying ends everything.
alive=("${pids[@]}")
while true; do
    wait -n -p exited "${alive[@]}" 2>/dev/null
    status=$?
    [ -n "${exited:-}" ] || continue  # a signal interrupted the wait; its trap runs
    remaining=()
    for pid in "${alive[@]}"; do [ "$pid" = "$exited" ] || remaining+=("$pid"); done
    alive=("${remaining[@]}")
    if [ "$exited" = "$nginx_pid" ]; then
        fail "nginx stopped (status $status): $(tail -n2 "$RUN_DIR/nginx-error.log" 2>/dev/null)"
    fi
    for i in $(seq 1 "$replicas"); do
        [ "${pids[$((i - 1))]}" = "$exited" ] &&
            say "replica $i stopped (status $status); its students move to the other replicas"
    done
    [ "${#alive[@]}" -gt 1 ] || fail "no replica left"
    exited=""
done
