#!/bin/bash
# The command line: --version, --help (every key), --gen-secret (64 hex
# digits, fresh each time), bad options (exit 2), started by no web
# server (exit 2), -c and $OIDC_LOGIN_CONFIG, --check-config (exit 0 with
# a summary when every provider answers, non-zero naming the provider
# that does not, exit 1 with file:line for a broken file), and one plain
# CGI request run straight from the shell.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
need_program

out=$("$OIDC_LOGIN" --version)
is "$?:$out" "0:oidc-login $(sed -n 's/^AC_INIT(\[oidc-login\], \[\([^]]*\)\].*/\1/p' \
    "$top_srcdir/configure.ac")" "--version"
out=$("$OIDC_LOGIN" --help)
is "$?" 0 "--help exits 0"
like "$out" 'redirect_uri' "--help lists redirect_uri"
like "$out" 'cookie_secret_previous' "--help lists cookie_secret_previous"
s1=$("$OIDC_LOGIN" --gen-secret)
s2=$("$OIDC_LOGIN" --gen-secret)
like "$s1" '^[0-9a-f]{64}$' "--gen-secret: 64 hex digits"
ok "--gen-secret: a fresh one each time" test "$s1" != "$s2"
"$OIDC_LOGIN" --no-such-option >/dev/null 2>"$T/err"
is "$?" 2 "an unknown option: exit 2"
like "$(cat "$T/err")" '[Uu]sage|--help' "an unknown option: the usage on stderr"
"$OIDC_LOGIN" -c >/dev/null 2>&1
is "$?" 2 "-c without a file: exit 2"
env -u GATEWAY_INTERFACE -u REQUEST_METHOD "$OIDC_LOGIN" </dev/null \
    >/dev/null 2>"$T/err"
is "$?" 2 "started by no web server: exit 2"
like "$(cat "$T/err")" 'not started by a web server' "and says so"

start_op alpha 0 --name="Acme ID" "$ALPHA_ID:$ALPHA_SECRET:client_secret_basic:http://127.0.0.1:9/auth/callback"
OP_A=$OP_ISSUER
start_op beta 0 --name="Globex SSO" "$BETA_ID:$BETA_SECRET:client_secret_post:http://127.0.0.1:9/auth/callback"
OP_B=$OP_ISSUER
OP_B_PID=$OP_PID
WEB=http://127.0.0.1:9
write_config "$T/secrets.toml"

out=$("$OIDC_LOGIN" --check-config -c "$T/secrets.toml" 2>&1)
is "$?" 0 "--check-config: exit 0 when every provider answers"
like "$out" 'configuration valid' "--check-config: says the file is valid"
like "$out" 'provider alpha +ok' "--check-config: alpha ok"
like "$out" 'provider beta +ok' "--check-config: beta ok"
out=$(OIDC_LOGIN_CONFIG=$T/secrets.toml "$OIDC_LOGIN" --check-config 2>&1)
is "$?" 0 "--check-config: the file from \$OIDC_LOGIN_CONFIG"

_stop_pid "$OP_B_PID"
_forget_pid "$OP_B_PID"
OP_B=http://127.0.0.1:9
write_config "$T/dead.toml"
out=$("$OIDC_LOGIN" --check-config -c "$T/dead.toml" 2>&1)
ok "--check-config: non-zero when a provider is down" test "$?" -ne 0
like "$out" 'provider beta +FAILED' "--check-config: names beta as failed"
like "$out" 'provider alpha +ok' "--check-config: alpha still ok"

printf '[auth]\nredirect_uri = "http://127.0.0.1:9/cb"\ncookie_secret = "short"\n' \
    >"$T/broken.toml"
out=$("$OIDC_LOGIN" --check-config -c "$T/broken.toml" 2>&1)
is "$?" 1 "--check-config: a broken file exits 1"
like "$out" 'broken\.toml:3: .*cookie_secret' "--check-config: file:line and the key"

# Plain CGI: one request from the environment, then exit.
cgi() {
	env -i PATH="$PATH" OIDC_LOGIN_CONFIG="$T/secrets.toml" \
	    GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 \
	    REQUEST_METHOD="$1" REQUEST_URI="$2" SCRIPT_NAME=/auth \
	    PATH_INFO="${2#/auth}" QUERY_STRING= "$OIDC_LOGIN" </dev/null 2>>"$T/cgi.log"
}
out=$(cgi GET /auth/user)
is "$?" 0 "CGI: exit 0"
like "$out" '^Status: 200' "CGI: /auth/user answers 200"
like "$out" '"is_logged_in": ?false' "CGI: not signed in"
out=$(cgi HEAD /auth/)
like "$out" '^Status: 200' "CGI: HEAD /auth/ answers 200"
unlike "$out" '<html' "CGI: HEAD has no body"
out=$(cgi GET /auth/nope)
like "$out" '^Status: 404' "CGI: an unknown route answers 404"

done_testing
