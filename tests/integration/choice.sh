#!/bin/bash
# The provider-choice page, the security headers on every HTML page,
# unknown routes and wrong methods.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
setup_site

JAR=

# secure_page WHAT: the security headers every HTML response carries.
secure_page() {
	like "$(header Content-Type)" '^text/html' "$1: HTML"
	like "$(header Cache-Control)" 'no-store' "$1: Cache-Control no-store"
	like "$(header Content-Security-Policy)" "default-src 'none'" \
	    "$1: Content-Security-Policy"
	like "$(header Content-Security-Policy)" "frame-ancestors 'none'" \
	    "$1: CSP frame-ancestors 'none'"
	is "$(header X-Frame-Options)" DENY "$1: X-Frame-Options DENY"
	is "$(header Referrer-Policy)" no-referrer "$1: Referrer-Policy no-referrer"
}

request "$AUTH/?return_to=%2Fprivate%2Fpage"
is "$STATUS" 200 "GET /auth/ answers 200"
secure_page "choice page"
page=$(body | tr '\n' ' ')
like "$page" 'Acme ID' "choice page lists Acme ID"
like "$page" 'Globex SSO' "choice page lists Globex SSO"
like "$page" 'href="[^"]*/auth/login/alpha[?"]' "a link to /auth/login/alpha"
like "$page" 'href="[^"]*/auth/login/beta[?"]' "a link to /auth/login/beta"
like "$page" 'href="[^"]*/auth/login/alpha\?[^"]*return_to=(%2F|/)private(%2F|/)page' \
    "the login links carry return_to"
unlike "$page" '<script' "no script on the choice page"

css=$(printf '%s\n' "$page" | grep -o '<link[^>]*rel="stylesheet"[^>]*>' |
    grep -o 'href="[^"]*"' | head -n 1 | sed 's/^href="//; s/"$//')
like "$css" '^/' "the page links a same-site stylesheet"
request "$WEB$css"
is "$STATUS" 200 "the stylesheet is served"
like "$(header Content-Type)" '^text/css' "the stylesheet is text/css"

request "$AUTH/login"
is "$STATUS" 200 "GET /auth/login with several providers: the choice page"
secure_page "GET /auth/login"

request "$AUTH/logout"
is "$STATUS" 200 "GET /auth/logout answers 200"
secure_page "logout page"

request "$AUTH/callback?code=x&state=y"
is "$STATUS" 400 "a callback without its flow cookie: 400"
secure_page "error page"

request "$AUTH/login/nosuch"
like "$STATUS" '^40[04]$' "an unknown provider: 404 (or 400)"

request "$AUTH/nosuch"
is "$STATUS" 404 "an unknown route: 404"
secure_page "404 page"

request -X POST --data "x=1" "$AUTH/user"
is "$STATUS" 405 "POST /auth/user: 405"
is "$(header Allow)" "GET, HEAD" "  with Allow: GET, HEAD"
request -X DELETE "$AUTH/"
is "$STATUS" 405 "DELETE /auth/: 405"
is "$(header Allow)" "GET, HEAD" "  with Allow: GET, HEAD"
request -X PUT "$AUTH/logout"
is "$STATUS" 405 "PUT /auth/logout: 405"
is "$(header Allow)" "GET, HEAD, POST" "  with Allow: GET, HEAD, POST"
request -X POST --data "code=x&state=y" "$AUTH/callback"
is "$STATUS" 405 "POST to the callback: 405"
is "$(header Allow)" "GET, HEAD" "  with Allow: GET, HEAD"

request "$AUTH/user"
like "$(header Cache-Control)" 'no-store' "/user: Cache-Control no-store"

done_testing
