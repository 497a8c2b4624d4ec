#!/bin/bash
# The systemd units of contrib/systemd/ (issue 13).  systemd is not
# running here, so: their contents, checked by systemd-analyze (verify,
# and the sandbox's exposure score) and line by line; then what they
# rely on, for real: the unit's ExecStart and Environment run by
# systemd-socket-activate, which passes a listening Unix socket the way
# a socket unit does (LISTEN_FDS, LISTEN_PID), with a NOTIFY_SOCKET
# (Type=notify) and a RUNTIME_DIRECTORY (RuntimeDirectory=), behind
# contrib/nginx/oidc-login.conf pointed at that socket as docs/hosting.md
# says: READY=1 once the workers are up, a login, the used login states
# in the runtime directory, RELOADING=1 and READY=1 around a reload,
# STOPPING=1 and exit 0 at the stop; and a socket unit with two sockets
# refused with the reason.

# shellcheck disable=SC2317  # functions called through setup_hosting and ok
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
need_tools
need_program
UNITS=$top_srcdir/contrib/systemd
ACTIVATE=$(command -v systemd-socket-activate || true)

# unit_values FILE KEY: every value of KEY= in a unit file, one a line.
unit_values() {
	sed -n "s/^$2=//p" "$1"
}

# --- The units' contents. -------------------------------------------------

SERVICE=$UNITS/oidc-login.service
SOCKET=$UNITS/oidc-login.socket
like "$(unit_values "$SERVICE" Type)" '^notify$' \
    "Type=notify: systemctl start waits for the workers"
like "$(unit_values "$SERVICE" ExecStart)" '^/usr/bin/oidc-login --workers [0-9]+$' \
    "ExecStart: oidc-login --workers N"
# shellcheck disable=SC2016  # systemd's $MAINPID, as written in the unit
is "$(unit_values "$SERVICE" ExecReload)" '/bin/kill -HUP $MAINPID' \
    "ExecReload: SIGHUP to the supervisor"
is "$(unit_values "$SERVICE" KillMode)" mixed \
    "KillMode=mixed: SIGTERM to the supervisor, which stops the workers"
stop_bound=$(sed -n 's/^#define BOUND_WORKER_STOP_SECONDS[[:space:]]*\([0-9]*\).*/\1/p' \
    "$top_srcdir/lib/bounds.h")
timeout_stop=$(unit_values "$SERVICE" TimeoutStopSec)
ok "TimeoutStopSec ($timeout_stop) outlasts a worker's stop (BOUND_WORKER_STOP_SECONDS $stop_bound)" \
    test "${timeout_stop:-0}" -gt "${stop_bound:-999}"
is "$(unit_values "$SERVICE" User)" oidc-login "its own user"
is "$(unit_values "$SERVICE" RuntimeDirectory)" oidc-login \
    "RuntimeDirectory=oidc-login (runtime_dir: the used login states)"
for kv in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes \
    PrivateTmp=yes PrivateDevices=yes CapabilityBoundingSet=; do
	is "$(unit_values "$SERVICE" "${kv%%=*}")" "${kv#*=}" "sandbox: $kv"
done
is "$(unit_values "$SERVICE" ReadWritePaths)" "" \
    "nothing writable but the runtime and log directories"
is "$(unit_values "$SOCKET" ListenStream)" /run/oidc-login.sock \
    "the socket unit: a Unix socket"
is "$(unit_values "$SOCKET" SocketGroup) $(unit_values "$SOCKET" SocketMode)" \
    "www-data 0660" "that the web server's group may use"
is "$(unit_values "$UNITS/tcp.conf" ListenStream | tr '\n' ' ')" \
    " 127.0.0.1:9001 " "the TCP variant (a drop-in): the loopback only"
for f in oidc-login.service oidc-login.socket; do
	ok "debian/$f is contrib/systemd/$f" \
	    cmp -s "$top_srcdir/debian/$f" "$UNITS/$f"
done

if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$T/units"
	cp "$SOCKET" "$SERVICE" "$T/units/"
	# verify wants the program where ExecStart says.
	sed -i "s#/usr/bin/oidc-login#$OIDC_LOGIN#" "$T/units/oidc-login.service"
	out=$(cd "$T/units" && systemd-analyze verify --man=no \
	    ./oidc-login.socket ./oidc-login.service 2>&1)
	is "$out" "" "systemd-analyze verify: no complaint about either unit"
	exposure=$(cd "$T/units" && systemd-analyze security --offline=yes \
	    ./oidc-login.service 2>/dev/null |
	    sed -n 's/.*Overall exposure level for oidc-login.service: \([0-9.]*\).*/\1/p')
	ok "systemd-analyze security: exposure ${exposure:-?} of 10 (at most 2)" \
	    awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 2.0) }'
else
	skip "systemd-analyze verify" "systemd-analyze not installed"
	skip "systemd-analyze security" "systemd-analyze not installed"
fi

# --- What they do, under systemd-socket-activate. ---------------------------

if [ -z "$ACTIVATE" ] || ! command -v python3 >/dev/null 2>&1; then
	skip "the units' mechanisms" "systemd-socket-activate or python3 missing"
	done_testing
fi
need_nginx

SOCK=$T/run/oidc-login.sock
NOTIFY=$T/notify.sock
mkdir -p "$T/run" "$T/rundir"
chmod 700 "$T/rundir"

# A NOTIFY_SOCKET listener: every datagram, one a line, in notify.log.
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
while True:
    d = s.recv(4096)
    with open(sys.argv[2], "ab") as f:
        f.write(d.replace(b"\n", b" | ") + b"\n")
' "$NOTIFY" "$T/notify.log" &
_pids+=("$!")
: >"$T/notify.log"

# The unit's ExecStart and Environment, the program being this build's.
read -r -a exec_start <<<"$(unit_values "$SERVICE" ExecStart)"
exec_start[0]=$OIDC_LOGIN
env_config=$(unit_values "$SERVICE" Environment)
like "$env_config" '^OIDC_LOGIN_CONFIG=' "the unit names the configuration in OIDC_LOGIN_CONFIG"

start_activated() {
	"$ACTIVATE" -l "$SOCK" -E NOTIFY_SOCKET="$NOTIFY" \
	    -E OIDC_LOGIN_CONFIG="$T/secrets.toml" \
	    -E RUNTIME_DIRECTORY="$T/rundir" -- "${exec_start[@]}" \
	    >>"$T/oidc-login.log" 2>&1 &
	SERVICE_PID=$!
	_pids+=("$SERVICE_PID")
	wait_log "$T/oidc-login.log" "Listening on $SOCK" || return 1
	# SocketGroup=www-data, SocketMode=0660: nginx's workers may connect.
	chmod 666 "$SOCK"
	free_port APP_PORT
	start_echo_app "$APP_PORT" || return 1
	# As docs/hosting.md says: the unit's socket in place of the port.
	recipe nginx/oidc-login.conf "$T/recipe.conf"
	sed -i "s#127\.0\.0\.1:${FCGI_PORT}#unix:$SOCK#" "$T/recipe.conf"
	start_nginx "$WEB_PORT" "$T/recipe.conf"
}
setup_hosting start_activated
workers=${exec_start[2]}

# The first connection starts the program (systemd-socket-activate's way).
request "$AUTH/"
is "$STATUS" 200 "through nginx and the socket passed as LISTEN_FDS: the pages answer"
ok "READY=1 once the $workers workers are up" \
    wait_log "$T/notify.log" '^READY=1 \| MAINPID=[0-9]+$'
ok "STATUS= says how many" wait_log "$T/notify.log" "^STATUS=$workers worker\\(s\\) of $workers\$"
is "$(wc -w <<<"$(service_workers)")" "$workers" "$workers workers under the supervisor"
out=$(op_login "$AUTH/login/alpha?return_to=%2Fapp%2F" alice "$T/jar")
is "$out" "302 $WEB/app/" "a whole login"
ok "the used login state is recorded in RUNTIME_DIRECTORY" \
    test -n "$(ls -A "$T/rundir")"

: >"$T/notify.log"
before=$(service_workers)
kill -HUP "$SERVICE_PID"
ok "a reload: RELOADING=1, then READY=1 when every worker is replaced" \
    wait_log "$T/notify.log" '^READY=1$'
is "$(head -n 1 "$T/notify.log")" RELOADING=1 "RELOADING=1 first"
ok "new workers" wait_workers "$workers" "$before"
JAR=$T/jar
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" email)" alice@example.com "the session outlives the reload"

: >"$T/notify.log"
kill -TERM "$SERVICE_PID"
rc=0
wait "$SERVICE_PID" 2>/dev/null || rc=$?
_forget_pid "$SERVICE_PID"
is "$rc" 0 "SIGTERM (systemctl stop): exit 0"
like "$(cat "$T/notify.log")" '^STOPPING=1$' "after STOPPING=1"

# A socket unit with two ListenStream= lines.
"$ACTIVATE" -l "$T/run/a.sock" -l "$T/run/b.sock" -- "${exec_start[@]}" \
    -c "$T/secrets.toml" >"$T/two.log" 2>&1 &
two=$!
_pids+=("$two")
wait_log "$T/two.log" "Listening on $T/run/b.sock" || true
(exec 3<>/dev/null; REQUEST_METHOD=GET cgi-fcgi -bind -connect "$T/run/a.sock" \
    </dev/null >/dev/null 2>&1) || true
rc=0
wait "$two" 2>/dev/null || rc=$?
_forget_pid "$two"
is "$rc" 2 "two sockets passed: exit 2"
like "$(cat "$T/two.log")" 'LISTEN_FDS=2; its socket unit must have exactly one ListenStream=' \
    "with the reason"

done_testing
