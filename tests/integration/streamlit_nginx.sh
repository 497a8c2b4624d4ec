#!/bin/bash
# A Streamlit app (the stand-in tests/streamlit/app.js: a page and a
# WebSocket at /app/_stcore/stream) behind nginx, started from
# contrib/nginx/oidc-login-streamlit.conf as it is: auth_request
# /auth/check in front of proxy_pass, the stream with the upgrade; the
# identity handed to the app as X-Auth-Request-* headers from
# /auth/check's answer, every client copy replaced.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/streamlit/lib.sh"
streamlit_need
need_spawn_fcgi
need_nginx

start_nginx_streamlit() {
	free_port APP_PORT
	start_streamlit_app "$APP_PORT" || return 2
	streamlit_providers
	start_spawn_fcgi "$FCGI_PORT" || return 2
	recipe nginx/oidc-login-streamlit.conf "$T/recipe.conf"
	start_nginx "$WEB_PORT" "$T/recipe.conf"
}
setup_hosting start_nginx_streamlit

request "$AUTH/"
is "$STATUS" 200 "GET /auth/: the choice page"
request "$AUTH/check"
is "$STATUS" 404 "/auth/check is internal: 404 from outside"
check_streamlit "nginx"
check_streamlit_browser "nginx"

done_testing
