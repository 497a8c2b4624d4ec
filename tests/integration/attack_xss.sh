#!/bin/bash
# Reflected XSS: eight markup payloads through the provider's error and
# error_description (with and without a flow), provider names in the
# path and the query, return_to on the choice and logout pages, a 404
# path, JSON errors, and hostile claims (name, email, a claim's name) on
# the signed-in and logout pages: no payload appears unescaped in any
# HTML page, every page has a strict CSP, JSON answers carry nosniff
# (tests/attack/catalogue.js xss).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/attack/lib.sh"
attack_need
attack_site

attack_node catalogue.js xss
alive "after the xss attacks"
unlike "$(cat "$T/oidc-login.log")" ': 5[0-9][0-9] ' "no request ended in a 5xx"

done_testing
