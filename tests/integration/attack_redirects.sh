#!/bin/bash
# Open redirects: the generated corpus (tests/attack/gen-redirects.js,
# over 2000 payloads: //, /\, \\, encoded and double/triple-encoded
# slashes, control characters, userinfo and '@', Unicode look-alikes of
# '/', '\' and '.', javascript:/data:/vbscript: in every disguise) goes
# through every place a URL is taken: the login (the flow cookie's
# return_to, after a whole login), the choice page, the signed-in page,
# logout's page and form, and the authorizer's original URL.  Every URL
# that comes back, resolved as a browser resolves it, stays on the site
# with an http(s) scheme; same-site paths are honoured.  One TAP line per
# payload (tests/attack/redirects.js).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/attack/lib.sh"
attack_need
# Local logout: its 303 goes to return_to, the place under test.
attack_site 'logout_mode = "local"'

attack_node redirects.js
alive "after the corpus"
unlike "$(cat "$T/oidc-login.log")" ': 5[0-9][0-9] ' "no request ended in a 5xx"

done_testing
