#!/bin/bash
# Header injection: CR, LF (raw, encoded once and twice, obs-fold, and the
# Unicode characters some servers truncate to CR LF) in everything that
# reaches a header: return_to (the callback's Location), provider names,
# query values, logout's form, cookie names and values, and claims that
# end up in /check's X-Auth-Request-* and the authorizer's Variable-*
# (hostile claims from tests/hostile/provider.js, and a login name with
# CR LF at the certified test provider, tests/op/provider.js).  No
# response carries an injected header or a CR/LF inside a value, and the
# CGI behind the authorizer sees no injected variable
# (tests/attack/catalogue.js headers).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/attack/lib.sh"
attack_need
attack_site

attack_node catalogue.js headers
alive "after the header attacks"

# A login name holding CR LF at the certified provider: sub, email, name
# and preferred_username all carry it.
start_op opcr 0 --name="CRLF OP" \
    "op-client:$HOSTILE_SECRET:client_secret_basic:$WEB/auth/callback,$WEB/"
add_provider op "$OP_ISSUER" client_secret_basic "" op-client
stop_lighttpd
write_hostile_config "$T/secrets.toml"
attack_lighttpd "$T/secrets.toml" "$WEB_PORT" ||
    bail_out "lighttpd did not restart on port $WEB_PORT"
FCGI_PID=$(attack_fcgi_pid)

# no_injection FILE: no X-Injected header line, no stray CR in a value.
no_injection() {
	! grep -qi '^x-injected' "$1" &&
	    ! sed 's/\r$//' "$1" | grep -q $'\r'
}

out=$(op_login "$AUTH/login/op" $'evil\r\nX-Injected: yes' "$T/jar-op")
# Its sub and email both hold CR LF: no REMOTE_USER could name it, so
# the identity is refused rather than letting a nameless user through.
like "$out" '^403 ' "a login name with CR LF (sub and email): refused, 403"
ok "a login name with CR LF: the callback injects nothing" \
    no_injection "$T/jar-op.headers"
ok "a login name with CR LF: no session cookie" \
    sets_no_session "$T/jar-op.headers"
for path in /auth/check /auth/ /auth/user /private/env.cgi /private/page; do
	curl -sk -o "$T/resp.body" -D "$T/resp.headers" -b "$T/jar-op" \
	    --max-time 10 "$WEB$path"
	ok "a login name with CR LF: $path injects nothing" \
	    no_injection "$T/resp.headers"
done
curl -sk -o "$T/resp.body" -b "$T/jar-op" --max-time 10 "$AUTH/user"
is "$(json_get "$T/resp.body" is_logged_in)" false \
    "a login name with CR LF: not signed in"
alive "after the CR LF login"

done_testing
