#!/bin/bash
# A client that sends its body slowly (issue 13), under the documented
# Apache recipe (contrib/apache/oidc-login-proxy-fcgi.conf and
# oidc-login-authnz.conf: Apache hands the body on as it arrives) with
# one oidc-login process: a POST /auth/logout announcing 8000 bytes and
# sending 600 a second gets a 408 once BOUND_BODY_SECONDS (5 s) have
# passed, long before its body is complete, with one log line; the
# process then serves the gate and the pages again.  Routes that take no
# body answer without waiting for one.  How long the gate waits during
# such an attack, with one process and with several, is the benchmark's
# (bench/slow-client), not an assertion here.

# shellcheck disable=SC2317  # functions called through setup_hosting and ok
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
need_tools
need_spawn_fcgi
need_apache proxy proxy_fcgi authnz_fcgi cgi mpm_prefork

APACHE_EXTRA_MODULES="proxy proxy_fcgi authnz_fcgi"
SLOW=$top_srcdir/tests/lib/slow-client.js

start_authnz() {
	start_spawn_fcgi "$FCGI_PORT" || return 2
	recipe apache/oidc-login-proxy-fcgi.conf "$T/pages.conf"
	recipe apache/oidc-login-authnz.conf "$T/protect.conf"
	start_apache "$WEB_PORT" "$T/pages.conf" "$T/protect.conf"
}
setup_hosting start_authnz

# slow NAME [slow-client options]: one slow request in the background;
# its JSON line goes to $T/slow-NAME.json.
slow() {
	local name=$1
	shift
	"$NODE" "$SLOW" --port "$WEB_PORT" "$@" >"$T/slow-$name.json" \
	    2>>"$T/slow-client.log" &
	_pids+=("$!")
	SLOW_PID=$!
}

# slow_wait: waits for the last slow request (it gives up by itself).
slow_wait() {
	wait "$SLOW_PID" 2>/dev/null
	_forget_pid "$SLOW_PID"
}

JAR=$T/jar
login_via_refusal "before" "$WEB/private/page" alice "$JAR"

# --- The attack of the issue: POST /auth/logout, no cookie, 8000 bytes
# at 600 a second (13 s to send). ------------------------------------------

slow logout --path /auth/logout --length 8000 --rate 600
# The gate, asked while the body trickles: it is answered (after the
# deadline at worst, with one process).
JAR=$T/jar
sleep 0.5
request "$WEB/private/page"
is "$STATUS" 200 "the gate during the slow POST: answered, 200"
slow_wait
is "$(json_get "$T/slow-logout.json" status)" 408 \
    "the slow POST /auth/logout gets 408 Request Timeout"
is "$(json_get "$T/slow-logout.json" complete)" false \
    "... before its body was complete ($(json_get "$T/slow-logout.json" sent) of 8000 bytes sent)"
like "$(cat "$T/oidc-login.log")" \
    'POST /auth/logout: 408 client too slow: body: [0-9]+ of 8000 bytes in 5 s' \
    "one log line: the route, 408, how much came in how long"
request "$WEB/private/page"
is "$STATUS" 200 "after it, the gate answers"
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" email)" alice@example.com \
    "after it, the pages answer (signed in as alice)"

# The same with a session: a signed-in attacker gets the same deadline.
slow logout-session --path /auth/logout --length 8000 --rate 600 \
    --cookie "$(jar_names "$T/jar" | while read -r n; do
	printf '%s=%s; ' "$n" "$(jar_value "$T/jar" "$n")"; done)"
slow_wait
is "$(json_get "$T/slow-logout-session.json" status)" 408 \
    "with a session cookie: 408 as well"
JAR=$T/jar
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" email)" alice@example.com \
    "the session is untouched by the unfinished sign-out"

# --- Routes that take no body never wait for one. --------------------------

for path in /auth/check /auth/user /auth/ /auth/callback; do
	slow "nobody" --path "$path" --length 8000 --rate 600
	slow_wait
	st=$(json_get "$T/slow-nobody.json" status)
	like "$st" '^(30[23]|40[0-9]|41[0-9])$' \
	    "slow POST $path: answered ($st) without reading the body"
	is "$(json_get "$T/slow-nobody.json" complete)" false \
	    "... before the body was sent ($(json_get "$T/slow-nobody.json" sent) of 8000 bytes)"
done
# Behind mod_authnz_fcgi the body never reaches oidc-login: its answer
# comes while the body trickles; Apache then reads the rest itself
# before it sends its 401.
lines=$(grep -c 'POST /private/page: 401' "$T/oidc-login.log")
slow "gate" --path /private/page --length 8000 --rate 600
for ((n = 0; n < 100; n++)); do
	[ "$(grep -c 'POST /private/page: 401' "$T/oidc-login.log")" -gt "$lines" ] &&
	    break
	sleep 0.1
done
ok "slow POST /private/page: the authorizer answered while the body was still coming" \
    kill -0 "$SLOW_PID"
slow_wait
is "$(json_get "$T/slow-gate.json" status)" 401 "... and the client got the 401"
JAR=$T/jar
request "$WEB/private/page"
is "$STATUS" 200 "the gate still answers"

# A normal sign-out POST is not affected.
request "$AUTH/logout"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$T/last.body" | sed 's/.*value="//; s/"$//')
request --data-urlencode "csrf=$csrf" --data "return_to=%2F" "$AUTH/logout"
is "$STATUS" 303 "a real sign-out POST: 303"
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" false "and it signed out"

done_testing
