#!/bin/bash
# Cookie flags and security headers, for an http:// and an https://
# redirect_uri (lighttpd with mod_openssl and a certificate made by
# openssl at test time).  Every cookie oidc-login sets or deletes (flow,
# session, their deletions at the callback and at logout) is HttpOnly,
# SameSite=Lax, Path=/, without Domain; Secure and the __Host- prefix
# only under https.  Every HTML page (choice, signed-in, logout, 400,
# 404, the provider's error, a stale callback, an unknown provider) and
# every redirect carries Cache-Control no-store, a strict
# Content-Security-Policy, X-Frame-Options DENY, Referrer-Policy
# no-referrer and X-Content-Type-Options nosniff
# (tests/attack/catalogue.js flags).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/attack/lib.sh"
attack_need

attack_site
attack_node catalogue.js flags
alive "over http"

if [ ! -f /usr/lib/lighttpd/mod_openssl.so ] &&
    ! "$LIGHTTPD" -V 2>/dev/null | grep -q '+ SSL'; then
	skip "the same over https" "lighttpd without mod_openssl (Debian: lighttpd-mod-openssl)"
	done_testing
fi
stop_lighttpd
ATTACK_TLS=1
attack_site
like "$(grep '^redirect_uri' "$T/secrets.toml")" '"https://' \
    "the second site's redirect_uri is https"
attack_node catalogue.js flags
alive "over https"

done_testing
