#!/bin/bash
# Slow and absent providers (http_timeout = 3): a token endpoint that
# accepts the connection and never answers, one that answers a byte at a
# time, a discovery document, JWKS or userinfo answer that never comes,
# and a provider that is down.  Each ends on an error page with 504 (502
# when down) without hanging (a 504 from http_timeout), one log line naming the reason, and the same
# process signing the next user in.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_need
start_hostile

add_provider good good
add_provider tok tok
add_provider slowdisc slowdisc
add_provider slowjwks slowjwks
free_port DOWN_PORT
add_provider down "http://127.0.0.1:$DOWN_PORT/down"
hostile_start

# slow DESC PROVIDER STATUS REASON: the last scenario makes PROVIDER fail.
slow() {
	login "$2"
	refused "$1" "$3" "$4"
	BAD_MS=$ELAPSED_MS
	# The 502/504 itself shows http_timeout ended the wait; only a hang
	# (curl giving up at 20 s) fails here, not a slow machine.
	ok "$1: answered, no hang (${BAD_MS} ms)" [ "$BAD_MS" -lt 20000 ]
	login good
	accepted "$1: a good login right after"
	still_alive "$1"
}

login good
accepted "a good login first"

scenario tok '{"token": {"hang": true}}'
slow "a token endpoint that never answers" tok 504 'timed out \(total 3 s'
ok "(it was given the whole 3 s: ${BAD_MS} ms)" [ "$BAD_MS" -ge 2900 ]
is "$(events tok token_requests.0.result)" hang "(the provider got the request)"

scenario tok '{"token": {"drip": true}}'
slow "a token endpoint that answers one byte every 300 ms" tok 504 \
    'timed out \(total 3 s'

scenario tok '{"userinfo": {"hang": true}}'
slow "a userinfo endpoint that never answers" tok 504 'timed out \(total 3 s'

scenario slowdisc '{"discovery": {"hang": true}}'
slow "a discovery document that never comes" slowdisc 504 'timed out \(total 3 s'
is "$(events slowdisc authorize)" 0 "(the browser was not sent to the provider)"

scenario slowjwks '{"jwks_hang": true}'
slow "a JWKS that never comes" slowjwks 504 'timed out \(total 3 s'

slow "a provider that is down (connection refused)" down 502 \
    "127.0.0.1:$DOWN_PORT: .*([Cc]onnect|refused)"

done_testing
