#!/bin/bash
# Hostile query strings: only '&' (served), invalid percent escapes at
# every route and in logout's form (400; lighttpd's URL normalisation is
# off so they reach oidc-login as Apache and nginx pass them), 70
# parameters, 9000 bytes, 60 000 bytes and 1 MiB (4xx), repeated state,
# code or error at the callback (400, no session, and the same flow then
# completes) (tests/attack/catalogue.js query).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/attack/lib.sh"
attack_need
ATTACK_MAX_FIELD=65535
# lighttpd would mend invalid escapes (%zz -> %25zz) before oidc-login
# sees them; Apache and nginx pass them on as they are.
ATTACK_PARSEOPTS=', "url-normalize" => "disable"'
attack_site

attack_node catalogue.js query
alive "after the query attacks"
unlike "$(cat "$T/oidc-login.log")" ': 5[0-9][0-9] ' "no request ended in a 5xx"

done_testing
