#!/bin/bash
# Process life: lighttpd with three oidc-login processes; SIGTERM in the
# middle of a request (a token endpoint that takes 2 s) lets the request
# finish with the right answer, then the process exits 0 - under lighttpd
# and under spawn-fcgi, where the exit status is seen directly; SIGUSR1
# likewise; a provider that is down at start-up stops nothing and is used
# once it is up, without a restart; a broken configuration makes the
# process exit non-zero with the reason in the server's error log.
# VALGRIND=1 runs the spawn-fcgi processes under valgrind (a leak or a
# memory error makes their exit status, which is tested, non-zero).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/scale.sh"
need_tools
need_program
for tool in ss spawn-fcgi cgi-fcgi; do
	command -v "$tool" >/dev/null 2>&1 ||
	    skip_all "$tool not installed (packages iproute2, spawn-fcgi, libfcgi-bin)"
done

# Provider alpha answers its token endpoint after 2 s; beta is down at
# start-up (nothing listens on its port yet).
setup() {
	local attempt
	for attempt in 1 2 3; do
		free_port WEB_PORT
		WEB=http://127.0.0.1:$WEB_PORT
		AUTH=$WEB/auth
		free_port SLOW_PORT
		free_port DOWN_PORT
		start_slow_op alpha "$SLOW_PORT" /token=2000 --name="Acme ID" \
		    "$ALPHA_ID:$ALPHA_SECRET:client_secret_basic:$WEB/auth/callback,$WEB/"
		OP_A=$OP_ISSUER
		OP_B=http://127.0.0.1:$DOWN_PORT
		write_config "$T/secrets.toml"
		start_web main "$WEB_PORT" "$T/secrets.toml" 3 && return 0
		[ "$WEB_PORT_TAKEN" = 1 ] || bail_out "lighttpd did not start"
		diag "port $WEB_PORT was taken; starting again"
		stop_slow_op
	done
	bail_out "could not start lighttpd"
}

# gone PID [SECONDS]: succeeds once the process has ended.
# shellcheck disable=SC2317  # called through ok
gone() {
	local n
	for ((n = 0; n < ${2:-5} * 10; n++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

setup
WEB_LOG=$T/web-main.log
# Seconds an idle process may take to exit (valgrind checks leaks first).
QUICK=2
[ "${VALGRIND:-0}" = 1 ] && QUICK=10

# --- Several processes; a provider down at start-up stops nothing. ------

procs=$(web_procs main)
is "$(wc -w <<<"$procs")" 3 "lighttpd runs 3 oidc-login processes (max-procs 3)"
JAR=
request "$AUTH/"
is "$STATUS" 200 "provider beta down: /auth/ still answers 200"
like "$(body)" 'Globex SSO' "the choice page still lists beta"
request "$AUTH/user"
body >"$T/user.json"
is "$STATUS" 200 "provider beta down: /auth/user answers 200"
is "$(json_get "$T/user.json" is_logged_in)" false "/auth/user: not signed in"
statuses=
for i in 1 2 3; do
	request "$AUTH/login/beta"
	statuses="$statuses$STATUS "
done
is "$statuses" "502 502 502 " "a login at beta answers 502 while it is down"
like "$(body)" '<html' "the 502 is an HTML error page"
like "$(cat "$WEB_LOG")" 'beta.*(connect|refused|fetch|discovery)|(connect|refused|fetch|discovery).*beta' \
    "the error log says why"

# --- SIGTERM to the process in the middle of a login (lighttpd). --------

seen=$(delayed_count alpha)
jar=$T/jar-term
op_login "$AUTH/login/alpha?return_to=%2Fprivate%2Fpage" alice "$jar" \
    >"$T/login-term.out" 2>&1 &
login_pid=$!
port=$(wait_delayed alpha "$seen")
victim=$(pid_of_client_port "$port")
ok "the slow token request comes from an oidc-login process of lighttpd" \
    grep -qw "${victim:-none}" <<<"$procs"
kill -TERM "$victim"
wait "$login_pid"
out=$(cat "$T/login-term.out")
is "$out" "302 $WEB/private/page" \
    "SIGTERM mid-request: the callback still completes (302 to return_to)"
ok "SIGTERM mid-request: the session cookie is set" \
    any_setting "$(session_cookies "$jar.headers")"
ok "the process exits after that request" gone "$victim"
sleep 0.3
like "$(grep 'child exited' "$WEB_LOG")" "child exited: 0 unix:$T/web-main\.sock" \
    "lighttpd reports its exit status: 0"
unlike "$(cat "$WEB_LOG")" 'child (exited: [1-9]|signalled)' \
    "no process exited non-zero or by a signal"
JAR=$jar
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" sub)" alice "the session is valid: signed in as alice"
statuses=
for i in 1 2 3 4; do
	request "$AUTH/user"
	statuses="$statuses$STATUS "
done
is "$statuses" "200 200 200 200 " "lighttpd goes on serving with the others"
JAR=
for ((n = 0; n < 20; n++)); do
	[ "$(wc -w <<<"$(web_procs main)")" = 3 ] && break
	sleep 0.1
done
is "$(wc -w <<<"$(web_procs main)")" 3 "lighttpd has started a process in its place"

# --- The provider comes up: logins work without a restart. --------------

before="${WEB_PID[main]} $(web_procs main)"
start_op beta "$DOWN_PORT" --name="Globex SSO" \
    "$BETA_ID:$BETA_SECRET:client_secret_post:$WEB/auth/callback,$WEB/;id_token_signed_response_alg=ES256"
# Each process waits BOUND_DISCOVERY_RETRY (5 s) after a failed fetch.
for ((n = 0; n < 40; n++)); do
	request "$AUTH/login/beta"
	[ "$STATUS" = 302 ] && break
	sleep 0.25
done
is "$STATUS" 302 "beta up: a login at beta starts (302) without a restart"
out=$(op_login "$AUTH/login/beta?return_to=%2F" bob "$T/jar-beta")
is "$out" "302 $WEB/" "beta up: the whole login completes"
JAR=$T/jar-beta
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" provider)" beta "signed in with beta"
JAR=
is "${WEB_PID[main]} $(web_procs main)" "$before" \
    "the same lighttpd and oidc-login processes as before (nothing restarted)"

# --- SIGTERM and SIGUSR1, exit status seen directly (spawn-fcgi). -------

# direct_login NAME SIGNAL LOGIN: a login started through lighttpd whose
# callback goes to the direct process NAME with cgi-fcgi; SIGNAL is sent
# to it while the token request is held back.
direct_login() {
	local name=$1 sig=$2 login=$3 jar=$T/jar-direct-$1 flow callback seen port
	local pid out=$T/$1.out fcgi_pid rc
	JAR=$jar
	request "$AUTH/login/alpha?return_to=%2Fprivate%2Fpage"
	JAR=
	flow=$(set_cookie 'oidc_login_flow_[^=]+' | head -n 1)
	callback=$(op_authorize "$LOCATION" "$login" "$jar") ||
	    { fail "$name: provider walk"; return; }
	seen=$(delayed_count alpha)
	fcgi_get "$name" "$callback" "${flow%%;*}" "$out" &
	fcgi_pid=$!
	port=$(wait_delayed alpha "$seen")
	pid=$(pid_of_client_port "$port")
	is "$pid" "${DIRECT_PID[$name]}" "$name: the token request comes from it"
	kill "-$sig" "${DIRECT_PID[$name]}"
	wait "$fcgi_pid"
	like "$(cgi_header "$out" Status)" '^302' \
	    "$name: $sig mid-request: the callback still answers 302"
	like "$(cgi_header "$out" Location)" "^($WEB)?/private/page\$" \
	    "$name: to return_to"
	ok "$name: it sets the session" any_setting "$(session_cookies "$out")"
	ok "$name: the process ends after that request" gone "${DIRECT_PID[$name]}"
	rc=$(wait_direct "$name")
	is "$rc" 0 "$name: $sig: exit status 0"
	request -H "Cookie: $(cookie_header "$out")" "$AUTH/user"
	body >"$T/user.json"
	is "$(json_get "$T/user.json" sub)" "$login" \
	    "$name: the session it made is valid (signed in as $login)"
}

ok "spawn-fcgi: oidc-login starts" start_direct term "$T/secrets.toml"
direct_login term TERM carol
ok "spawn-fcgi: oidc-login starts again" start_direct usr1 "$T/secrets.toml"
direct_login usr1 USR1 dave

ok "spawn-fcgi: an idle oidc-login starts" start_direct idle "$T/secrets.toml"
kill -TERM "${DIRECT_PID[idle]}"
ok "idle: SIGTERM ends it at once" gone "${DIRECT_PID[idle]}" "$QUICK"
is "$(wait_direct idle)" 0 "idle: SIGTERM: exit status 0"

# --- A broken configuration. --------------------------------------------

sed 's/^cookie_secret = .*/cookie_secret = "xxx"/' "$T/secrets.toml" \
    >"$T/broken.toml"
start_direct broken "$T/broken.toml"
ok "spawn-fcgi: a broken configuration ends the process" gone "${DIRECT_PID[broken]}" 5
rc=$(wait_direct broken)
ok "spawn-fcgi: exit status non-zero ($rc)" test "$rc" -ne 0
like "$(cat "$T/direct-broken.log")" 'broken\.toml:[0-9]+: .*cookie_secret.*--gen-secret' \
    "spawn-fcgi: the reason on stderr: file, line, key, how to fix"

free_port BROKEN_PORT
if start_web broken "$BROKEN_PORT" "$T/broken.toml" 1; then
	for ((n = 0; n < 50; n++)); do
		grep -q 'child exited' "$T/web-broken.log" && break
		sleep 0.1
	done
	like "$(cat "$T/web-broken.log")" "child exited: [1-9][0-9]* unix:$T/web-broken\.sock" \
	    "lighttpd: the process exits non-zero"
	like "$(cat "$T/web-broken.log")" 'broken\.toml:[0-9]+: \[auth\] cookie_secret: .*--gen-secret' \
	    "lighttpd: its error log holds the configuration message"
	request "http://127.0.0.1:$BROKEN_PORT/auth/"
	like "$STATUS" '^5' "lighttpd: /auth/ answers $STATUS, not a hang"
	stop_web broken
else
	fail "lighttpd with the broken configuration did not start"
fi

done_testing
