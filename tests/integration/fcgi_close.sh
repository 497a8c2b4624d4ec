#!/bin/bash
# How oidc-login ends a FastCGI connection.  When the web server has sent
# everything (an authorizer's parameters; a responder's input up to its
# empty record) it closes at once, so a server that is slow to close its
# own side does not hold the process; libfcgi's lingering close (shut
# down, then wait for the server, here made 60 s long) is kept for a body
# the program did not read, which it drains so the answer is not reset.
# One process, talked to by tests/lib/fcgi-client.js: client A gets its
# answer and keeps the connection open, client B must be answered then.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
need_program
command -v spawn-fcgi >/dev/null 2>&1 ||
    skip_all "spawn-fcgi not installed (package spawn-fcgi)"

CLIENT=$top_srcdir/tests/lib/fcgi-client.js
SOCK=$T/oidc-login.sock
HOLD=30

# No provider is needed: the requests never reach one.
OP_A=http://127.0.0.1:9
OP_B=http://127.0.0.1:9
WEB=http://127.0.0.1:8080
write_config "$T/secrets.toml"
LIBFCGI_OS_CLOSE_POLL_TIMEOUT=60000 spawn-fcgi -n -s "$SOCK" -- \
    "$OIDC_LOGIN" -c "$T/secrets.toml" >/dev/null 2>"$T/oidc-login.log" &
_pids+=("$!")
for ((n = 0; n < START_TIMEOUT * 10; n++)); do
	grep -q 'ready' "$T/oidc-login.log" 2>/dev/null && break
	sleep 0.1
done
grep -q 'ready' "$T/oidc-login.log" || bail_out "oidc-login did not start"

COMMON=(--param GATEWAY_INTERFACE=CGI/1.1 --param SERVER_PROTOCOL=HTTP/1.1
    --param SERVER_NAME=127.0.0.1 --param SERVER_PORT=8080
    --param HTTP_HOST=127.0.0.1:8080 --param REMOTE_ADDR=127.0.0.1)
GATE=(--role authorizer --param REQUEST_METHOD=GET
    --param REQUEST_URI=/private/page --param HTTP_ACCEPT=text/html)
HEALTH=(--role responder --param REQUEST_METHOD=GET
    --param REQUEST_URI=/auth/user --param SCRIPT_NAME=/auth
    --param PATH_INFO=/user)
POST=(--role responder --param REQUEST_METHOD=POST
    --param REQUEST_URI=/auth/logout --param SCRIPT_NAME=/auth
    --param PATH_INFO=/logout
    --param CONTENT_TYPE=application/x-www-form-urlencoded)

# client ARGS...: one request; its JSON line on stdout.
client() {
	timeout 20 "$NODE" "$CLIENT" --socket "$SOCK" "${COMMON[@]}" "$@"
}

# held NAME ARGS...: a request whose connection stays open $HOLD s after
# the answer, in the background; waits for the answer, prints its line.
held() {
	local name=$1 out=$T/held-$1.json
	shift
	"$NODE" "$CLIENT" --socket "$SOCK" --hold "$HOLD" "${COMMON[@]}" "$@" \
	    >"$out" 2>&1 &
	_pids+=("$!")
	for ((n = 0; n < 100; n++)); do
		[ -s "$out" ] && break
		sleep 0.1
	done
	cat "$out"
}

# answered JSON STATUS_ERE: the whole answer came, then the program's EOF.
answered() {
	like "$1" "^\{\"status\":($2),\"end\":true,\"eof\":true,\"error\":null\}\$" "$3"
}

answered "$(held gate "${GATE[@]}")" '302|401' \
    "authorizer: the answer and the program's EOF, the server still open"
answered "$(client "${GATE[@]}")" '302|401' \
    "authorizer: the next request is answered meanwhile (no linger)"

answered "$(held health "${HEALTH[@]}")" 200 \
    "responder GET: the answer and the program's EOF, the server still open"
answered "$(client "${HEALTH[@]}")" 200 \
    "responder GET: the next request is answered meanwhile (no linger)"

# A body over the form bound (8 KiB) is refused unread; the linger
# drains it, so the answer arrives whole and nothing is reset.
answered "$(client "${POST[@]}" --param CONTENT_LENGTH=300000 \
    --body-bytes 300000)" '4[0-9][0-9]' \
    "responder POST, 300 000 bytes unread: a whole 4xx answer, no reset"
answered "$(client "${POST[@]}" --param CONTENT_LENGTH=300000 \
    --body-bytes 300000)" '4[0-9][0-9]' \
    "and again: the process drained it and serves on"
answered "$(client "${HEALTH[@]}")" 200 "then a GET is answered"

done_testing
