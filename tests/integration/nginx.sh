#!/bin/bash
# nginx started from contrib/nginx/oidc-login.conf as it is: the pages at
# /auth through fastcgi_pass to oidc-login under spawn-fcgi; /private/
# (static files) and /app/ (a proxied application) behind auth_request
# /auth/check; strangers' browsers sent to the login page and back, API
# calls 401; the application told who the user is through
# auth_request_set (what the client sends in those headers is replaced);
# a user the access rules refuse gets a 403 page.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
need_tools
need_spawn_fcgi
need_nginx

start_nginx_recipe() {
	free_port APP_PORT
	start_echo_app "$APP_PORT" || return 2
	start_spawn_fcgi "$FCGI_PORT" || return 2
	recipe nginx/oidc-login.conf "$T/recipe.conf"
	# A wrong gate, to keep docs/hosting.md's warning true.
	mkdir -p "$T/site/wrong"
	printf 'wrong secret\n' >"$T/site/wrong/page"
	printf 'location /wrong/ {\n\tauth_request /auth/user;\n}\n' \
	    >"$T/wrong.conf"
	start_nginx "$WEB_PORT" "$T/recipe.conf" "$T/wrong.conf"
}
setup_hosting start_nginx_recipe

# The pages, through fastcgi_pass.
request "$AUTH/"
is "$STATUS" 200 "GET /auth/: the choice page"
like "$(body)" 'Acme ID' "it lists the providers"
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" false "/auth/user: not signed in"
request "$AUTH/check"
is "$STATUS" 404 "/auth/check is internal: 404 from outside"

check_refusals "static" "$WEB/private/page?a=1&b=2"
check_refusals "app" "$WEB/app/hello?x=1"
check_no_bypass "path tricks"
request "$WEB/app/hello"
unlike "$(body)" '"method"' "anonymous: the application was not reached"

JAR=$T/jar
login_via_refusal "app" "$WEB/app/hello?x=1&y=2" alice "$JAR"

JAR=$T/jar
request "$WEB/private/page"
is "$STATUS" 200 "signed in: the static file (200)"
is "$(body)" "private page" "its content"
ok "signed in: no X-Auth-Request-* header reaches the browser" no_auth_headers
request -H 'X-Remote-User: mallory@example.com' "$WEB/app/hello?x=1"
body >"$T/app.json"
is "$STATUS" 200 "signed in: the application answers"
is "$(json_get "$T/app.json" headers.x-remote-user)" alice@example.com \
    "the application gets X-Remote-User (not the client's forgery)"
is "$(json_get "$T/app.json" headers.x-remote-email)" alice@example.com \
    "and X-Remote-Email"
is "$(json_get "$T/app.json" headers.x-remote-name)" "Alice Tester" \
    "and X-Remote-Name"
ok "no X-Auth-Request-* header reaches the browser" no_auth_headers
request --data 'a=1' "$WEB/app/form"
body >"$T/app.json"
is "$STATUS" 200 "signed in: a POST passes (no body reaches /auth/check)"
is "$(json_get "$T/app.json" method)" POST "the application gets the POST"
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" email)" alice@example.com \
    "/auth/user through fastcgi_pass: signed in as alice"

JAR=
request "$WEB/wrong/page"
is "$STATUS $(body)" "200 wrong secret" \
    "auth_request /auth/user (a wrong gate): OPEN to strangers"

# A session whose rules no longer hold: a 403 page, not a login loop.
restart_spawn_fcgi 'allowed_emails = ["bob@example.com"]'
JAR=$T/jar
request "$WEB/private/page"
is "$STATUS" 403 "refused by allowed_emails: 403"
like "$(body)" 'not allowed' "the page says the account is not allowed"
like "$(body)" 'href="/auth/logout' "and offers to sign out"
request -H 'Accept: application/json' "$WEB/app/hello"
is "$STATUS" 403 "refused, API call: 403"
body >"$T/forbidden.json"
is "$(json_get "$T/forbidden.json" error)" forbidden "in JSON"

done_testing
