#!/bin/bash
# A Streamlit app (the stand-in tests/streamlit/app.js: a page and a
# WebSocket at /app/_stcore/stream) behind Apache 2.4, started from
# contrib/apache/oidc-login-fcgid-streamlit.conf as it is: oidc-login as
# mod_fcgid's access checker (and its 401's error document) in front of
# mod_proxy_http with upgrade=websocket; the identity handed to the app
# as X-Auth-Request-* headers by mod_headers, every client copy removed;
# the checker's Variable-* headers kept from the browser.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/streamlit/lib.sh"
streamlit_need
need_apache fcgid proxy proxy_http headers alias mpm_prefork

APACHE_EXTRA_MODULES="fcgid proxy proxy_http"

start_fcgid_streamlit() {
	free_port APP_PORT
	start_streamlit_app "$APP_PORT" || return 2
	streamlit_providers
	recipe apache/oidc-login-fcgid-streamlit.conf "$T/app.conf"
	start_apache "$WEB_PORT" "$T/app.conf"
}
setup_hosting start_fcgid_streamlit

request "$AUTH/"
is "$STATUS" 200 "GET /auth/: the choice page"
check_streamlit "Apache fcgid"
check_streamlit_browser "Apache fcgid"

done_testing
