#!/bin/bash
# nginx's gate with /auth/check answers cached (contrib/nginx/
# oidc-login-check-cache.conf and oidc-login-check-cache-zone.conf as
# they are, in place of the location = /auth/check of
# contrib/nginx/oidc-login-streamlit.conf): the Streamlit recipe's whole
# contract still holds; only 200 answers are cached, per Cookie header;
# no cookie, a forged one, or one oidc-login stopped accepting is never
# let through by the cache beyond its 5 seconds; the app gets the
# identity from a cached answer too.
#
# What the cache did is read from nginx's log of the /auth/check
# subrequests ($upstream_cache_status), a test-only addition.  The only
# waits are for the 5-second lifetime to pass; a check that an entry is
# still used is skipped when the machine was too slow to make it within
# 4 seconds.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/streamlit/lib.sh"
streamlit_need
need_spawn_fcgi
need_nginx

TTL=5

# The Streamlit recipe without its location = /auth/check block.
without_check() {
	awk '/^location = \/auth\/check \{/ { skip = 1 }
	    !skip { print }
	    skip && /^\}/ { skip = 0 }' "$1"
}

start_nginx_cached() {
	free_port APP_PORT
	start_streamlit_app "$APP_PORT" || return 2
	streamlit_providers
	start_spawn_fcgi "$FCGI_PORT" || return 2
	recipe nginx/oidc-login-streamlit.conf "$T/streamlit.conf"
	without_check "$T/streamlit.conf" >"$T/recipe.conf"
	recipe nginx/oidc-login-check-cache.conf "$T/check-cache.conf"
	recipe nginx/oidc-login-check-cache-zone.conf "$T/check-cache-zone.conf"
	cat >"$T/cache-log.conf" <<EOF
log_subrequest on;
log_format oidc_cache '\$uri \$upstream_cache_status \$status \$msec';
access_log $T/nginx-cache.log oidc_cache;
EOF
	NGINX_HTTP_INCLUDES="$T/check-cache-zone.conf $T/cache-log.conf" \
	    start_nginx "$WEB_PORT" "$T/recipe.conf" "$T/check-cache.conf"
}
setup_hosting start_nginx_cached

ok "the recipe had a location = /auth/check to replace" \
    grep -q '^location = /auth/check {' "$T/streamlit.conf"
unlike "$(cat "$T/recipe.conf")" '^location = /auth/check' \
    "and it is replaced by the cached one"

check_streamlit "nginx, cached check"

# check_log: what the cache did for the /auth/check subrequests since
# the last mark, one status a line ("MISS 200", "HIT 200", "MISS 401").
mark_log() {
	LOG_MARK=$(wc -l <"$T/nginx-cache.log")
}
check_log() {
	tail -n +"$((LOG_MARK + 1))" "$T/nginx-cache.log" |
	    awk '$1 == "/auth/check" { print $2, $3 }'
}

# now: seconds since the epoch, with microseconds.
now() {
	printf '%s\n' "$EPOCHREALTIME"
}
# since T0: seconds elapsed since T0, as a whole number (rounded down).
since() {
	awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%d\n", b - a }'
}

# Strangers: refused every time, and oidc-login is asked every time.
JAR=
mark_log
for cookie in "" "oidc_login=forged.value"; do
	for i in 1 2 3; do
		request ${cookie:+-b "$cookie"} "$WEB/app/"
		is "$STATUS" 302 "stranger ${cookie:-without cookie}, request $i: 302"
	done
done
is "$(check_log | grep -c HIT)" 0 "no refusal was answered from the cache"
is "$(check_log | grep -c 401)" 6 "oidc-login answered all six (401)"

# A session: asked once, then answered from the cache, identity included.
JAR=$T/jar
sleep "$TTL"    # whatever check_streamlit left in the cache is gone
mark_log
t0=$(now)
for i in 1 2 3; do
	request -H 'X-Auth-Request-User: mallory@example.com' "$WEB/app/"
	printf '%s\n' "$STATUS" >"$T/status-$i"
	cp "$T/last.body" "$T/body-$i"
done
elapsed=$(since "$t0")
for i in 1 2 3; do
	is "$(cat "$T/status-$i")" 200 "alice, request $i: 200"
	cp "$T/body-$i" "$T/last.body"
	is "$(page_identity x-auth-request-user)" alice@example.com \
	    "alice, request $i: the app is told alice, not the forgery"
done
like "$(check_log | head -n 1)" '^(MISS|EXPIRED) 200$' \
    "the first request asked oidc-login"
if [ "$elapsed" -lt $((TTL - 1)) ]; then
	is "$(check_log | tail -n +2 | sort -u)" "HIT 200" \
	    "the next ones were answered by the cache"
else
	skip "the next ones were answered by the cache" "too slow: ${elapsed}s"
fi
# The WebSocket's handshake carries the same cookies in another Cookie
# header (the probe writes it, not curl): an entry of its own.
mapfile -t ws_args < <(browser_ws)
for i in 1 2; do
	ws_probe "${ws_args[@]}" -H "Cookie: $(cookie_header "$T/jar")"
	is "$WS_STATUS" 101 "alice's WebSocket $i: upgraded"
	is "$(ws_identity x-auth-request-email)" alice@example.com \
	    "alice's WebSocket $i: the identity, cached or not"
done

# Signing out clears the browser's cookies: refused at once.
JAR=
request "$WEB/app/"
is "$STATUS" 302 "the same browser without its cookies: refused at once"

# oidc-login stops accepting the session (its secret rotated out): the
# cache may admit the cookie for what is left of its 5 seconds, never
# longer, and never stores the refusal.
JAR=$T/jar
sleep "$TTL"    # a fresh entry, made just before the rotation
t0=$(now)
request "$WEB/app/"
is "$STATUS" 200 "alice, again: 200"
COOKIE_SECRET=$(random_hex)
restart_spawn_fcgi ""
streamlit_providers
request "$WEB/app/"
elapsed=$(since "$t0")
if [ "$elapsed" -lt $((TTL - 1)) ]; then
	is "$STATUS" 200 \
	    "secret rotated, ${elapsed}s after the cached answer: still admitted (the documented bound)"
else
	skip "secret rotated: still admitted within the 5 seconds" \
	    "too slow: ${elapsed}s"
fi
sleep "$(awk -v t0="$t0" -v now="$(now)" -v ttl="$TTL" \
    'BEGIN { d = t0 + ttl + 1 - now; printf "%.1f\n", (d > 0 ? d : 0) }')"
mark_log
for i in 1 2; do
	request "$WEB/app/"
	is "$STATUS" 302 "secret rotated, past the 5 seconds, request $i: refused"
done
is "$(check_log | grep -c HIT)" 0 "neither refusal came from the cache"
ws_probe "${ws_args[@]}" -H "Cookie: $(cookie_header "$T/jar")"
is "$WS_STATUS" 401 "and the WebSocket is refused too"

done_testing
