#!/bin/bash
# log_file: the log lines go to a file of the administrator's choosing,
# one line per event, with the reason and never a secret.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
setup_site "log_file = \"$T/own.log\""

JAR=
request "$AUTH/nosuch?code=SECRETCODE123"
is "$STATUS" 404 "an unknown route: 404"
request "$AUTH/callback?code=SECRETCODE123&state=abc"
is "$STATUS" 400 "a callback without its flow: 400"
ok "log_file is created" test -f "$T/own.log"
like "$(cat "$T/own.log")" 'ready: 2 provider' "the start-up line is there"
like "$(cat "$T/own.log")" 'GET /auth/nosuch: 404 not found' \
    "one line for the 404, with the path"
like "$(cat "$T/own.log")" 'GET /auth/callback: 400 .*state' \
    "one line for the 400, with the reason"
unlike "$(cat "$T/own.log")" 'SECRETCODE123' "the code never reaches the log"
is "$(stat -c %a "$T/own.log")" 640 "the log file is not world-readable"

done_testing
