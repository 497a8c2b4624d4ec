#!/bin/bash
# Hostile Cookie headers against the real program behind lighttpd (its
# header limit raised so oidc-login's own bounds are reached): empty, only
# ';', 200 and 10 000 cookies, 20 KiB and 1 MiB (a 4xx, from oidc-login
# or lighttpd), chunk counts of 99999999, 5, 2 with junk chunks and 0,
# broken base64, valid base64 that is not JSON (refused by the MAC before
# any JSON parsing: the log says so), duplicate session cookies (never
# the bad one's identity); every bad cookie is cleared and the same
# process keeps serving (tests/attack/catalogue.js cookies).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/attack/lib.sh"
attack_need
ATTACK_MAX_FIELD=65535
attack_site

attack_node catalogue.js cookies
alive "after the cookies attacks"
unlike "$(cat "$T/oidc-login.log")" ': 5[0-9][0-9] ' "no request ended in a 5xx"

done_testing
