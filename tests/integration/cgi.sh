#!/bin/bash
# The same binary as plain CGI under Apache's mod_cgi, started from
# contrib/apache/oidc-login-cgi.conf as it is: the pages, a full login
# through both providers, /user, /check, the signed-in page and logout
# behave as under FastCGI, one process per request.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
need_tools
need_apache cgi alias env mpm_prefork

start_cgi() {
	recipe apache/oidc-login-cgi.conf "$T/recipe.conf"
	start_apache "$WEB_PORT" "$T/recipe.conf"
}
setup_hosting start_cgi

request "$AUTH/"
is "$STATUS" 200 "GET /auth/: the choice page"
like "$(header Content-Type)" '^text/html' "as HTML"
like "$(body)" 'Acme ID' "naming alpha"
like "$(body)" 'Globex SSO' "and beta"
like "$(header Content-Security-Policy)" "default-src 'none'" "with its CSP"
request "$AUTH"
is "$STATUS" 200 "GET /auth (no slash): the choice page too"
request "$AUTH/style.css"
like "$(header Content-Type)" '^text/css' "GET /auth/style.css"
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" false "/auth/user: not signed in"
request "$AUTH/check"
is "$STATUS" 401 "/auth/check: 401"
request "$AUTH/nowhere"
is "$STATUS" 404 "an unknown route: 404"

# check_cgi_login NAME LOGIN
check_cgi_login() {
	local name=$1 login=$2 jar=$T/jar-$1 out
	out=$(op_login "$AUTH/login/$name?return_to=%2Fprivate%2Fpage%3Fx%3D1" \
	    "$login" "$jar")
	like "$(tr -d '\r' <"$jar.start")" "^[Ll]ocation: http://127\.0\.0\.1:[0-9]+/auth\?" \
	    "$name: login starts with a 302 to the provider"
	is "$out" "302 $WEB/private/page?x=1" "$name: the callback lands on return_to"
	ok "$name: session cookie set" any_setting "$(session_cookies "$jar.headers")"
	JAR=$jar
	request "$AUTH/user"
	body >"$T/user.json"
	is "$(json_get "$T/user.json" is_logged_in)" true "$name: /user: signed in"
	is "$(json_get "$T/user.json" provider)" "$name" "$name: /user: provider"
	is "$(json_get "$T/user.json" email)" "$login@example.com" "$name: /user: email"
	request "$AUTH/check"
	is "$STATUS" 200 "$name: /check: 200"
	is "$(header X-Auth-Request-User)" "$login@example.com" \
	    "$name: /check: X-Auth-Request-User"
	request "$AUTH/"
	like "$(body)" '(href|action)="/auth/logout' "$name: the signed-in page offers logout"
	JAR=
}
check_cgi_login alpha alice
check_cgi_login beta bob

# Logout: the confirmation page, then the CSRF-checked POST.
JAR=$T/jar-beta
request "$AUTH/logout"
is "$STATUS" 200 "GET /auth/logout: the confirmation page"
csrf=$(body | tr '\n' ' ' | grep -o '<input[^>]*name="csrf"[^>]*>' |
    grep -o 'value="[^"]*"' | sed 's/^value="//; s/"$//')
like "$csrf" '^.{16,}$' "it carries a CSRF token"
request --data-urlencode "return_to=/" "$AUTH/logout"
is "$STATUS" 403 "POST /auth/logout without the token: 403"
request --data-urlencode "csrf=$csrf" --data-urlencode "return_to=/" \
    "$AUTH/logout"
like "$STATUS" '^30[23]$' "POST /auth/logout with the token: a redirect"
ok "the session cookies are cleared" all_deleting "$(session_cookies)"
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" false "/auth/user: signed out"
JAR=

like "$(cat "$T/apache.log")" 'oidc-login\[[0-9]+\]: info: login: provider=alpha' \
    "oidc-login's log lines reach Apache's error log"

done_testing
