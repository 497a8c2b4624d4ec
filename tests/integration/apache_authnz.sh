#!/bin/bash
# Apache 2.4 with oidc-login as its own FastCGI server (spawn-fcgi),
# started from contrib/apache/oidc-login-proxy-fcgi.conf (the pages at
# /auth through mod_proxy_fcgi) and contrib/apache/oidc-login-authnz.conf
# (/private/ behind mod_authnz_fcgi) as they are: the authenticator's
# 302 and 401 reach the client, a signed-in user becomes Apache's user
# and the CGI sees the identity; user_claim picks REMOTE_USER; access
# rules give a 403 page, not a login loop.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
need_tools
need_spawn_fcgi
need_apache proxy proxy_fcgi authnz_fcgi cgi mpm_prefork

APACHE_EXTRA_MODULES="proxy proxy_fcgi authnz_fcgi"

start_authnz() {
	start_spawn_fcgi "$FCGI_PORT" || return 2
	recipe apache/oidc-login-proxy-fcgi.conf "$T/pages.conf"
	recipe apache/oidc-login-authnz.conf "$T/protect.conf"
	start_apache "$WEB_PORT" "$T/pages.conf" "$T/protect.conf"
}
setup_hosting start_authnz

# The pages, through mod_proxy_fcgi.
request "$AUTH/"
is "$STATUS" 200 "GET /auth/: the choice page"
like "$(body)" 'Globex SSO' "it lists the providers"
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" false "/auth/user: not signed in"
request "$AUTH/check"
is "$STATUS" 401 "/auth/check: 401"

# mod_authnz_fcgi sends the body of a refusal as Apache's own error
# text: the JSON arrives labelled text/html (documented).
check_refusals "static" "$WEB/private/page?a=1&b=2" '^text/html'
check_refusals "CGI" "$WEB/private/whoami.cgi" '^text/html'
check_no_bypass "path tricks"
request "$WEB/private/whoami.cgi"
unlike "$(body)" 'REMOTE_USER' "anonymous: the CGI did not run"

JAR=$T/jar
login_via_refusal "static" "$WEB/private/page?a=1&b=2" alice "$JAR"

JAR=$T/jar
request "$WEB/private/page"
is "$STATUS" 200 "signed in: the static file (200)"
is "$(body)" "private page" "its content"
ok "signed in: no authorizer header with the static file" no_auth_headers
ok "signed in: no session cookie touched" sets_no_session
request "$WEB/private/missing"
is "$STATUS" 404 "signed in: a missing file is a 404"
ok "no authorizer header on Apache's own 404 either" no_auth_headers
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" email)" alice@example.com \
    "/auth/user through mod_proxy_fcgi: signed in as alice"
request "$AUTH/check"
is "$STATUS" 200 "/auth/check through mod_proxy_fcgi: 200"
is "$(header X-Auth-Request-Email)" alice@example.com \
    "/auth/check: X-Auth-Request-Email"
check_identity_cgi "CGI" "$WEB/private/whoami.cgi" "$T/jar" alice
like "$(cat "$T/apache-access.log")" '^127\.0\.0\.1 alice@example\.com "GET /private/page ' \
    "Apache's access log names the user"

# user_claim: which claim becomes REMOTE_USER.
restart_spawn_fcgi 'user_claim = "preferred_username"'
JAR=$T/jar
request "$WEB/private/whoami.cgi"
like "$(body)" '^REMOTE_USER=alice$' "user_claim = preferred_username: REMOTE_USER=alice"
like "$(body)" '^OIDC_CLAIM_email=alice@example.com$' "OIDC_CLAIM_email still there"

# A session whose rules no longer hold: a 403 page, not a login loop.
restart_spawn_fcgi 'allowed_email_domains = ["example.org"]'
JAR=$T/jar
request "$WEB/private/page"
is "$STATUS" 403 "refused by allowed_email_domains: 403"
like "$(body)" 'not allowed' "the page says the account is not allowed"
like "$(body)" 'href="/auth/logout' "and offers to sign out"
ok "no authorizer header in the 403" no_auth_headers
request -H 'Accept: application/json' "$WEB/private/page"
is "$STATUS" 403 "refused, API call: 403"
body >"$T/forbidden.json"
is "$(json_get "$T/forbidden.json" error)" forbidden "in JSON"
request "$AUTH/check"
is "$STATUS" 403 "/auth/check: 403 as well"

done_testing
