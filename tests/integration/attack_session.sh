#!/bin/bash
# Session fixation and login CSRF: a session planted before the login
# (another user's valid one, or garbage) is replaced by a fresh value
# naming the new user; a callback carrying the state and code of another
# browser's flow is refused (400) and sets no session, in a browser with
# its own flow, in one without, and with the states swapped; the flow
# still completes in its own browser (tests/attack/catalogue.js session).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/attack/lib.sh"
attack_need
attack_site

attack_node catalogue.js session
alive "after the session attacks"
unlike "$(cat "$T/oidc-login.log")" ': 5[0-9][0-9] ' "no request ended in a 5xx"

done_testing
