#!/bin/bash
# A Streamlit app (the stand-in tests/streamlit/app.js: a page and a
# WebSocket at /app/_stcore/stream) behind Apache 2.4, started from
# contrib/apache/oidc-login-proxy-fcgi.conf (the pages) and
# contrib/apache/oidc-login-authnz-streamlit.conf as they are: oidc-login
# (spawn-fcgi) as mod_authnz_fcgi's authenticator in front of
# mod_proxy_http with upgrade=websocket; the identity handed to the app
# as X-Auth-Request-* headers by mod_headers, every client copy removed.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/streamlit/lib.sh"
streamlit_need
need_spawn_fcgi
need_apache proxy proxy_fcgi proxy_http authnz_fcgi headers mpm_prefork

APACHE_EXTRA_MODULES="proxy proxy_fcgi proxy_http authnz_fcgi"

start_authnz_streamlit() {
	free_port APP_PORT
	start_streamlit_app "$APP_PORT" || return 2
	streamlit_providers
	start_spawn_fcgi "$FCGI_PORT" || return 2
	recipe apache/oidc-login-proxy-fcgi.conf "$T/pages.conf"
	recipe apache/oidc-login-authnz-streamlit.conf "$T/app.conf"
	start_apache "$WEB_PORT" "$T/pages.conf" "$T/app.conf"
}
setup_hosting start_authnz_streamlit

request "$AUTH/"
is "$STATUS" 200 "GET /auth/: the choice page"
check_streamlit "Apache authnz"
check_streamlit_browser "Apache authnz"
like "$(cat "$T/apache-access.log")" \
    '^127\.0\.0\.1 alice@example\.com "GET /app/_stcore/stream ' \
    "Apache's access log names the user of the WebSocket"

done_testing
