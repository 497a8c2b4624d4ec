#!/bin/bash
# Long life under valgrind: ONE oidc-login FastCGI process (spawn-fcgi,
# under valgrind memcheck) serves both lighttpd's responder at /auth and
# its authorizer for /private/, and answers a mix of at least 10 000
# requests (tests/attack/load.js: every route, a whole login and logout
# through the provider every 40 requests, good, tampered and garbage
# cookies, bad queries, oversized headers, the authorizer, /check,
# /healthz), each checked against its expected status.  Then SIGTERM:
# the process exits 0 and valgrind reports no error and nothing
# definitely or indirectly lost.  Slow: runs only with
# OIDC_LOGIN_SLOW_TESTS=1 (SOAK_REQUESTS sets the count).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
[ "${OIDC_LOGIN_SLOW_TESTS:-0}" = 1 ] || skip_all "set OIDC_LOGIN_SLOW_TESTS=1"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/attack/lib.sh"
attack_need
command -v valgrind >/dev/null 2>&1 || skip_all "valgrind not installed"
SPAWN_FCGI=${SPAWN_FCGI:-$(command -v spawn-fcgi || echo /usr/bin/spawn-fcgi)}
[ -x "$SPAWN_FCGI" ] || skip_all "spawn-fcgi not installed"

REQUESTS=${SOAK_REQUESTS:-10000}

# soak_start CONFIG PORT: oidc-login under valgrind on a socket, then
# lighttpd in front of it for both roles.
soak_start() {
	local i
	FCGI_SOCKET=$T/soak.sock
	rm -f "$FCGI_SOCKET"
	OIDC_LOGIN_CONFIG=$1 "$SPAWN_FCGI" -n -s "$FCGI_SOCKET" -- \
	    "$(command -v valgrind)" -q --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    --log-file="$T/vg.%p.log" "$OIDC_LOGIN" >>"$T/oidc-login.log" 2>&1 &
	SOAK_PID=$!
	_pids+=("$SOAK_PID")
	for ((i = 0; i < 300; i++)); do
		[ -S "$FCGI_SOCKET" ] && break
		sleep 0.1
	done
	attack_lighttpd "$1" "$2"
}

ATTACK_MAX_FIELD=65535
ATTACK_START=soak_start
attack_site
ok "oidc-login runs under valgrind" kill -0 "$SOAK_PID"

t0=$(date +%s)
attack_node load.js --requests "$REQUESTS" --logins 20 --workers 3
t1=$(date +%s)
diag "load: $((t1 - t0)) s under valgrind"

stop_lighttpd
kill -TERM "$SOAK_PID"
for ((i = 0; i < 600; i++)); do
	kill -0 "$SOAK_PID" 2>/dev/null || break
	sleep 0.1
done
wait "$SOAK_PID"
rc=$?
_forget_pid "$SOAK_PID"
is "$rc" 0 "SIGTERM: the process exits 0 (99: valgrind found errors)"

vg=$(ls "$T"/vg.*.log 2>/dev/null | head -n 1)
ok "valgrind wrote its log" test -n "$vg"
[ -n "$vg" ] && {
	valgrind -q --version >/dev/null
	# -q: the log holds only errors and leak records; a clean run is empty.
	unlike "$(cat "$vg")" 'definitely lost|indirectly lost' \
	    "valgrind: 0 bytes definitely or indirectly lost"
	unlike "$(cat "$vg")" 'Invalid (read|write|free)|uninitialised|Conditional jump|Mismatched|overlap' \
	    "valgrind: no memory errors"
	is "$(grep -c . "$vg")" 0 "valgrind: an empty log (no error of any kind)"
}
diag "soak: $((t1 - t0)) s for $REQUESTS requests; valgrind log: $(wc -l <"${vg:-/dev/null}") lines"

done_testing
