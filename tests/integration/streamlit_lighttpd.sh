#!/bin/bash
# A Streamlit app (the stand-in tests/streamlit/app.js: a page and a
# WebSocket at /app/_stcore/stream) behind lighttpd, started from
# contrib/lighttpd/oidc-login-streamlit.conf as it is: oidc-login as the
# authorizer in front of mod_proxy with WebSocket upgrade; the identity
# handed to the app as X-Auth-Request-* headers by mod_magnet
# (contrib/lighttpd/oidc-login-identity.lua), every client copy removed
# by mod_setenv.  Then the same without mod_magnet: lighttpd's own
# Forwarded: remote_user="..." (proxy.forwarded), the fallback
# docs/streamlit.md describes.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/streamlit/lib.sh"
streamlit_need
[ -f /usr/lib/lighttpd/mod_magnet.so ] ||
    skip_all "lighttpd's mod_magnet not installed (Debian: lighttpd-modules-lua)"

start_lighttpd_streamlit() {
	free_port APP_PORT
	start_streamlit_app "$APP_PORT" || return 2
	streamlit_providers
	recipe lighttpd/oidc-login-streamlit.conf "$T/recipe.conf"
	start_lighttpd_recipe "$WEB_PORT" "$T/recipe.conf"
}
setup_hosting start_lighttpd_streamlit

request "$AUTH/"
is "$STATUS" 200 "GET /auth/: the choice page"
check_streamlit "lighttpd"
check_streamlit_browser "lighttpd"

# Without mod_magnet: the recipe with lighttpd's Forwarded header
# instead.  lighttpd appends its element to a Forwarded header the client
# sent, so that header is removed on arrival like the others.
stop_lighttpd
sed -e '/magnet\.attract/d' -e 's#"mod_magnet", ##' \
    -e 's#"X-Auth-Request-User" => "",#&\n\t\t"Forwarded" => "",#' \
    -e 's#proxy.header = ( "upgrade" => "enable" )#&\n\tproxy.forwarded = ( "remote_user" => 1 )#' \
    "$T/recipe.conf" >"$T/forwarded.conf"
start_lighttpd_recipe "$WEB_PORT" "$T/forwarded.conf" ||
    bail_out "lighttpd did not restart on port $WEB_PORT"
mapfile -t ws_args < <(browser_ws)
JAR=$T/jar
request -H 'Forwarded: for=192.0.2.1;remote_user="mallory@example.com"' \
    "$WEB/app/"
is "$STATUS" 200 "Forwarded: signed in, the page (200)"
is "$(page_identity forwarded)" 'remote_user="alice@example.com"' \
    "Forwarded: the page gets only lighttpd's remote_user, not the client's"
ws_probe "${ws_args[@]}" -H "Cookie: $(cookie_header "$T/jar")" \
    -H 'Forwarded: remote_user="mallory@example.com"'
is "$WS_STATUS" 101 "Forwarded: the WebSocket is upgraded"
is "$(ws_identity forwarded)" 'remote_user="alice@example.com"' \
    "Forwarded: the WebSocket gets only lighttpd's remote_user"
JAR=
request -H 'Forwarded: remote_user="mallory@example.com"' \
    "$WEB/app/_stcore/health"
is "$(app_last_identity)" '{}' "Forwarded: the health check gets none"

done_testing
