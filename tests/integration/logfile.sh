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

# A log_file that cannot be used is reported, and the gate goes on: a
# missing directory (cannot be opened) and a full disk (/dev/full: every
# write fails with ENOSPC), each reported on stderr, lighttpd's log.
# restart_with LOG_FILE: lighttpd again with that log_file.
restart_with() {
	stop_lighttpd
	: >"$T/oidc-login.log"
	write_config "$T/secrets.toml" "log_file = \"$1\""
	start_lighttpd "$T/secrets.toml" "$WEB_PORT"
}

restart_with "$T/no/such/dir/own.log"
request "$AUTH/"
is "$STATUS" 200 "log_file in a missing directory: the pages answer"
request "$AUTH/check"
is "$STATUS" 401 "... and the gate (/auth/check: 401)"
like "$(cat "$T/oidc-login.log")" \
    "log_file: cannot open $T/no/such/dir/own\.log; logging to stderr instead: No such file" \
    "... reported on stderr: which file, why, where the lines go"
like "$(cat "$T/oidc-login.log")" 'ready: 2 provider' \
    "... and the log lines follow there"

if [ -w /dev/full ]; then
	restart_with /dev/full
	request "$AUTH/nosuch"
	is "$STATUS" 404 "log_file on a full disk: the pages answer"
	request "$AUTH/check"
	is "$STATUS" 401 "... and the gate"
	like "$(cat "$T/oidc-login.log")" \
	    'log_file: cannot write: No space left on device; logging to stderr instead' \
	    "... the full disk is reported on stderr"
	like "$(cat "$T/oidc-login.log")" 'GET /auth/nosuch: 404' \
	    "... and the log lines follow there"
else
	skip "log_file on a full disk" "/dev/full is not writable here"
fi

done_testing
