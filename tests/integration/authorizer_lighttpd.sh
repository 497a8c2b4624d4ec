#!/bin/bash
# The Authorizer role on lighttpd, started from contrib/lighttpd/oidc-login.conf
# as it is: the pages at /auth (mod_fastcgi responder), /private/ (a
# static file and a mod_cgi CGI) behind "mode" => "authorizer".  No
# session: a browser navigation is sent to the login page and comes back
# to the URL it first asked for (the choice page with two providers, the
# login itself with one); XHR, JSON and POST get a 401.  A valid
# session passes with REMOTE_USER and OIDC_CLAIM_* for the CGI (upper
# case on lighttpd); with check-local off, a missing file is not revealed
# to strangers.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
need_tools

start_lighttpd_authorizer() {
	recipe lighttpd/oidc-login.conf "$T/recipe.conf"
	# The recipe with check-local left on, to keep docs/hosting.md's
	# warning true.
	mkdir -p "$T/site/leaky"
	printf 'leaky page\n' >"$T/site/leaky/page"
	sed -n '/"\/private\/" =>/,/^	) ),/p' "$T/recipe.conf" |
	    sed -e 's#"/private/"#"/leaky/"#' -e '/check-local/d' \
	    -e 's#authorizer\.socket#leaky.socket#' >"$T/leaky.part"
	{
		echo 'fastcgi.server += ('
		cat "$T/leaky.part"
		echo ')'
	} >"$T/leaky.conf"
	start_lighttpd_recipe "$WEB_PORT" "$T/recipe.conf" "$T/leaky.conf"
}
setup_hosting start_lighttpd_authorizer

request "$AUTH/"
is "$STATUS" 200 "GET /auth/: the choice page"

check_refusals "static" "$WEB/private/page?a=1&b=2"
check_refusals "CGI" "$WEB/private/whoami.cgi"
check_no_bypass "path tricks"
request "$WEB/private/whoami.cgi"
unlike "$(body)" 'REMOTE_USER' "anonymous: the CGI did not run"
request "$WEB/private/no-such-file"
is "$STATUS" 302 "anonymous: a missing file is not revealed (302, not 404)"

request "$WEB/leaky/page"
is "$STATUS" 302 "check-local left on: an existing file is protected"
request "$WEB/leaky/no-such-file"
is "$STATUS" 404 "check-local left on: a missing file is revealed (404, not 302)"

JAR=$T/jar
login_via_refusal "CGI" "$WEB/private/whoami.cgi" bob "$JAR"

JAR=$T/jar
request "$WEB/private/page"
is "$STATUS" 200 "signed in: the static file (200)"
is "$(body)" "private page" "its content"
ok "signed in: nothing of the authorizer's answer reaches the browser" \
    no_auth_headers
request "$WEB/private/no-such-file"
is "$STATUS" 404 "signed in: a missing file is a 404"
check_identity_cgi "CGI" "$WEB/private/whoami.cgi" "$T/jar" bob upper
JAR=$T/jar
request "$WEB/private/whoami.cgi"
like "$(body)" '^OIDC_CLAIM_GROUPS=staff,users$' \
    "an array claim is a comma-separated list"
like "$(body)" '^OIDC_CLAIM_EMAIL_VERIFIED=true$' "a boolean claim as JSON"

# A session cookie from another secret: treated as absent, sent to login.
JAR=$T/jar
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" email)" bob@example.com "/auth/user: bob"
COOKIE_SECRET=$(random_hex)
restart_lighttpd_recipe
JAR=$T/jar
request "$WEB/private/page"
is "$STATUS" 302 "a session signed with another secret: sent to login"
ok "and that cookie is cleared" all_deleting "$(session_cookies)"
request -H 'Accept: application/json' "$WEB/private/page"
is "$STATUS" 401 "the same, API call: 401"

# One provider: straight to its login, and back to the URL asked for.
stop_lighttpd
write_config "$T/secrets.toml"
sed -i '/^\[auth\.beta\]/,$d' "$T/secrets.toml"
start_lighttpd_recipe "$WEB_PORT" "$T/recipe.conf" ||
    bail_out "lighttpd did not restart on port $WEB_PORT"
JAR=
request "$WEB/private/whoami.cgi?q=a%20b&r=1"
is "$STATUS" 302 "one provider: anonymous navigation: 302"
is "$LOCATION" "$AUTH/login?return_to=$(urlencode '/private/whoami.cgi?q=a%20b&r=1')" \
    "one provider: straight to /auth/login, return_to the URL"
out=$(op_login "$LOCATION" carol "$T/jar-carol")
is "$out" "302 $WEB/private/whoami.cgi?q=a%20b&r=1" \
    "one provider: after the login, back at the URL asked for"
JAR=$T/jar-carol
request "$WEB/private/whoami.cgi?q=a%20b&r=1"
like "$(body)" '^REMOTE_USER=carol@example.com$' "and the CGI runs for carol"

done_testing
