#!/bin/bash
# Memory stays flat: ONE oidc-login FastCGI process (spawn-fcgi; both
# lighttpd's responder and its authorizer) answers 100 000 requests of
# the mix of tests/attack/load.js without logins (one session made at the
# start is used for the signed-in routes); its VmRSS after 100 000 is
# within 5 % of its VmRSS after 10 000.  Slow: runs only with
# OIDC_LOGIN_SLOW_TESTS=1 (RSS_REQUESTS sets the count).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
[ "${OIDC_LOGIN_SLOW_TESTS:-0}" = 1 ] || skip_all "set OIDC_LOGIN_SLOW_TESTS=1"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/attack/lib.sh"
attack_need
SPAWN_FCGI=${SPAWN_FCGI:-$(command -v spawn-fcgi || echo /usr/bin/spawn-fcgi)}
[ -x "$SPAWN_FCGI" ] || skip_all "spawn-fcgi not installed"

REQUESTS=${RSS_REQUESTS:-100000}
FIRST=$((REQUESTS / 10))

rss_start() {
	local i
	FCGI_SOCKET=$T/rss.sock
	rm -f "$FCGI_SOCKET"
	OIDC_LOGIN_CONFIG=$1 "$SPAWN_FCGI" -n -s "$FCGI_SOCKET" -- \
	    "$OIDC_LOGIN" >>"$T/oidc-login.log" 2>&1 &
	RSS_PID=$!
	_pids+=("$RSS_PID")
	for ((i = 0; i < 100; i++)); do
		[ -S "$FCGI_SOCKET" ] && break
		sleep 0.1
	done
	attack_lighttpd "$1" "$2"
}

ATTACK_MAX_FIELD=65535
ATTACK_START=rss_start
attack_site
ok "oidc-login runs" kill -0 "$RSS_PID"

t0=$(date +%s)
attack_node load.js --requests "$REQUESTS" --workers 4 --rss-pid "$RSS_PID" \
    --rss-at "1000,$FIRST,$((REQUESTS / 2)),$REQUESTS"
t1=$(date +%s)

rss_at() {
	sed -n "s/^# rss $1 //p" "$T/node.out" | head -n 1
}
r1=$(rss_at 1000)
r10=$(rss_at "$FIRST")
r100=$(rss_at "$REQUESTS")
diag "VmRSS: $r1 kB after 1000, $r10 kB after $FIRST," \
    "$(rss_at $((REQUESTS / 2))) kB after $((REQUESTS / 2)), $r100 kB after $REQUESTS" \
    "($((t1 - t0)) s)"
like "$r10 $r100" '^[0-9]+ [0-9]+$' "VmRSS read at $FIRST and $REQUESTS requests"
if [ -n "$r10" ] && [ -n "$r100" ]; then
	ok "VmRSS after $REQUESTS ($r100 kB) within 5 % of after $FIRST ($r10 kB)" \
	    test $((r100 * 100)) -le $((r10 * 105))
fi
is "$(kill -0 "$RSS_PID" 2>/dev/null && echo alive)" alive \
    "the same process served them all"

done_testing
