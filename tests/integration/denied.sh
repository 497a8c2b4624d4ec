#!/bin/bash
# Cancelling at the provider: the callback gets error=access_denied and
# answers a 400 error page that says so; no session.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
setup_site

jar=$T/jar
out=$(op_abort "$AUTH/login/alpha?return_to=%2Fprivate%2Fpage" "$jar")
is "$(query_param "$(cat "$jar.callback")" error)" access_denied \
    "the provider sends error=access_denied to the callback"
is "${out%% *}" 400 "callback with error=access_denied: 400"
is "${out#* }" "" "no redirect"
like "$(tr -d '\r' <"$jar.headers" | grep -i '^content-type:')" 'text/html' \
    "an HTML error page"
like "$(cat "$jar.body")" 'access_denied' "the page mentions access_denied"
unlike "$(cat "$jar.body")" '<script' "no script in the error page"
ok "no session cookie set" sets_no_session "$jar.headers"

JAR=$jar
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" false "/user: not signed in"

# After a cancel, a new attempt works.
out=$(op_login "$AUTH/login/alpha?return_to=%2F" alice "$jar")
is "${out%% *}" 302 "a new login after the cancel succeeds"

done_testing
