#!/bin/bash
# oidc-login as a service (issue 13): `oidc-login --workers 3` on
# 127.0.0.1 (spawn-fcgi binds the socket and execs it, as systemd's
# socket unit would hand it over), behind the Apache recipes
# contrib/apache/oidc-login-proxy-fcgi.conf and oidc-login-authnz.conf.
# Three workers; one killed with SIGKILL is replaced and the next
# requests are served; a reload (SIGHUP) that rotates cookie_secret to
# cookie_secret_previous, under a load on the gate and the pages: no
# request fails, every worker is replaced, the old sessions stay valid
# and new ones are signed with the new secret; a bad configuration is
# refused and the workers keep the old one; a changed provider is taken
# up; a provider that goes down mid-login gives an error page while the
# gate's load sees no failure; SIGTERM lets the request in flight finish
# and the supervisor exits 0; a supervisor killed takes its workers with
# it.  Timings are the benchmark's.

# shellcheck disable=SC2317  # functions called through setup_hosting and ok
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/lib/scale.sh"
need_tools
need_spawn_fcgi
need_apache proxy proxy_fcgi authnz_fcgi cgi mpm_prefork

APACHE_EXTRA_MODULES="proxy proxy_fcgi authnz_fcgi"
LOAD=$top_srcdir/tests/lib/gate-load.js
SLOW=$top_srcdir/tests/lib/slow-client.js
LOG=$T/oidc-login.log
OLD_SECRET=$(random_hex)
COOKIE_SECRET=$OLD_SECRET

start_svc() {
	start_service "$FCGI_PORT" 3 || return 2
	recipe apache/oidc-login-proxy-fcgi.conf "$T/pages.conf"
	recipe apache/oidc-login-authnz.conf "$T/protect.conf"
	start_apache "$WEB_PORT" "$T/pages.conf" "$T/protect.conf"
}
setup_hosting start_svc

# load_start NAME URL...: the gate-load generator in the background, with
# alice's session, until load_stop NAME.
load_start() {
	local name=$1
	shift
	local args=()
	for u in "$@"; do
		args+=(--url "$u")
	done
	rm -f "$T/stop-$name"
	"$NODE" "$LOAD" "${args[@]}" --cookie "$(jar_cookies "$T/jar")" \
	    --connections 4 --until "$T/stop-$name" --max-seconds 120 \
	    >"$T/load-$name.json" 2>>"$T/load.log" &
	LOAD_PID=$!
	_pids+=("$LOAD_PID")
}

load_stop() {
	touch "$T/stop-$1"
	wait "$LOAD_PID" 2>/dev/null
	_forget_pid "$LOAD_PID"
}

# reload_and_wait ERE: SIGHUP to the supervisor, then waits for the log
# line that ends this reload (the lines before it do not count).
reload_and_wait() {
	local n
	n=$(wc -l <"$LOG")
	kill -HUP "$SERVICE_PID"
	for ((i = 0; i < 300; i++)); do
		tail -n +"$((n + 1))" "$LOG" | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

# gate_statuses N: the statuses of N requests to the protected page with
# alice's session.
gate_statuses() {
	local i out=
	JAR=$T/jar
	for ((i = 0; i < $1; i++)); do
		request "$WEB/private/page"
		out="$out$STATUS "
	done
	echo "$out"
}

# --- Workers. -------------------------------------------------------------

procs=$(service_workers)
is "$(wc -w <<<"$procs")" 3 "--workers 3: three workers under the supervisor"
like "$(cat "$LOG")" 'supervisor: 3 worker\(s\)' "the supervisor says so"
login_via_refusal "service" "$WEB/private/page" alice "$T/jar"
is "$(gate_statuses 6)" "200 200 200 200 200 200 " \
    "signed in: the gate lets alice through, whichever worker answers"

# --- A worker killed with SIGKILL. ------------------------------------------

victim=${procs%% *}
kill -KILL "$victim"
ok "a worker killed with SIGKILL is replaced (3 workers, $victim gone)" \
    wait_workers 3 "$victim"
like "$(cat "$LOG")" "worker $victim killed by signal 9; starting another" \
    "the supervisor logs it"
is "$(gate_statuses 6)" "200 200 200 200 200 200 " \
    "the next requests are served"

# --- A reload rotating cookie_secret, under load. ---------------------------

load_start rotate "$WEB/private/page" "$AUTH/user"
wait_log "$T/apache-access.log" '"GET /auth/user HTTP' ||
    diag "no load request seen before the reload"
before=$(service_workers)
NEW_SECRET=$(random_hex)
COOKIE_SECRET=$NEW_SECRET write_config "$T/secrets.toml" \
    "cookie_secret_previous = \"$OLD_SECRET\""
open_tmp
ok "SIGHUP: the reload ends (log: reload: done)" \
    reload_and_wait 'reload: done, 3 worker\(s\) on the new configuration'
# Some more requests on the new workers, then the count.
sleep 1
load_stop rotate
like "$(cat "$LOG")" 'reload: configuration valid; replacing 3 worker\(s\) one by one' \
    "the new configuration was checked first"
requests=$(json_get "$T/load-rotate.json" requests)
ok "the load ran through the reload ($requests requests)" \
    test "${requests:-0}" -gt 0
is "$(json_get "$T/load-rotate.json" failed)" 0 \
    "zero failed requests during the reload ($(json_get "$T/load-rotate.json" statuses); $(json_get "$T/load-rotate.json" errors))"
after=$(service_workers)
replaced=1
for p in $before; do
	case " $after " in *" $p "*) replaced=0 ;; esac
done
ok "every worker was replaced ($before -> $after)" test "$replaced" = 1
is "$(wc -w <<<"$after")" 3 "three workers again"
is "$(gate_statuses 3)" "200 200 200 " \
    "alice's session, signed with the old secret, is still valid"
out=$(op_login "$AUTH/login/alpha?return_to=%2Fprivate%2Fpage" bob "$T/jar-bob")
is "$out" "302 $WEB/private/page" "a new login after the reload"

# The old secret dropped: bob's session (the new secret) stays valid,
# alice's (the old one) does not.
COOKIE_SECRET=$NEW_SECRET write_config "$T/secrets.toml"
open_tmp
ok "a second reload drops cookie_secret_previous" \
    reload_and_wait 'reload: done'
JAR=$T/jar-bob
request "$WEB/private/page"
is "$STATUS" 200 "bob's session was signed with the new secret"
JAR=$T/jar
request "$WEB/private/page"
is "$STATUS" 302 "alice's, signed with the dropped one, is not valid any more"
login_via_refusal "again" "$WEB/private/page" alice "$T/jar"

# --- A bad configuration is refused; the workers keep the old one. ----------

before=$(service_workers)
cp "$T/secrets.toml" "$T/good.toml"
sed -i 's/^cookie_secret = .*/cookie_secret = "xxx"/' "$T/secrets.toml"
ok "SIGHUP with a bad configuration: refused" \
    reload_and_wait 'reload: configuration refused \(see above\); the 3 worker\(s\) keep the previous one'
like "$(cat "$LOG")" 'secrets\.toml:[0-9]+: \[auth\] cookie_secret: .*--gen-secret' \
    "the log says why: file, line, key, how to fix"
is "$(service_workers)" "$before" "the same workers go on"
is "$(gate_statuses 3)" "200 200 200 " "and serve the gate"

# --- A changed provider is taken up. ----------------------------------------

sed 's/^display_name = "Globex SSO"/display_name = "Globex Login"/' \
    "$T/good.toml" >"$T/secrets.toml"
ok "SIGHUP with a changed provider: the reload ends" \
    reload_and_wait 'reload: done'
JAR=
request "$AUTH/"
like "$(body)" 'Globex Login' "the choice page shows the new provider name"

# --- A provider goes down in the middle of a login, under load. -------------

load_start down "$WEB/private/page"
wait_log "$T/apache-access.log" '"GET /private/page HTTP' || true
JAR=$T/jar-carol
request "$AUTH/login/beta?return_to=%2F"
is "$STATUS" 302 "a login at beta starts"
callback=$(op_authorize "$LOCATION" carol "$T/jar-carol")
_stop_pid "$OP_B_PID"
_forget_pid "$OP_B_PID"
JAR=$T/jar-carol
request "$callback"
is "$STATUS" 502 "beta gone before the callback: 502"
like "$(body)" '<html' "an error page"
like "$(body)" 'Try again|try again' "that offers to try again"
load_stop down
is "$(json_get "$T/load-down.json" failed)" 0 \
    "the gate's load saw no failure meanwhile ($(json_get "$T/load-down.json" requests) requests)"

# --- SIGTERM lets the request in flight finish. ------------------------------

# A sign-out whose 900-byte body takes 3 s to come (within
# BOUND_BODY_SECONDS): SIGTERM to the supervisor while it comes.
"$NODE" "$SLOW" --port "$WEB_PORT" --path /auth/logout --length 900 \
    --rate 300 >"$T/slow-term.json" 2>>"$T/slow-client.log" &
slow_pid=$!
sleep 1
kill -TERM "$SERVICE_PID"
wait "$slow_pid"
is "$(json_get "$T/slow-term.json" status)" 303 \
    "SIGTERM: the sign-out in flight still gets its answer (303)"
is "$(json_get "$T/slow-term.json" complete)" true "... after its whole body"
rc=0
wait "$SERVICE_PID" 2>/dev/null || rc=$?
_forget_pid "$SERVICE_PID"
is "$rc" 0 "the supervisor exits 0"
like "$(tail -n 20 "$LOG")" 'supervisor: stopped' "after its workers"
unlike "$(cat "$LOG")" 'still busy' "no worker had to be killed at the stop"

# --- A supervisor killed leaves no worker behind. ---------------------------

# all_gone PID...: succeeds once none of the processes is left.
all_gone() {
	local n p left
	for ((n = 0; n < 50; n++)); do
		left=0
		for p in "$@"; do
			kill -0 "$p" 2>/dev/null && left=1
		done
		[ "$left" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}
if start_service "$FCGI_PORT" 2; then
	orphans=$(service_workers)
	kill -KILL "$SERVICE_PID"
	wait "$SERVICE_PID" 2>/dev/null
	_forget_pid "$SERVICE_PID"
	# shellcheck disable=SC2086  # pids are words
	ok "the supervisor killed with SIGKILL: its workers end too ($orphans)" \
	    all_gone $orphans
else
	fail "oidc-login --workers 2 did not start again"
fi

done_testing
