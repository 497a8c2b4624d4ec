#!/bin/bash
# Sign-ins through oidc-provider 9 (tests/op/provider.js --v9, the npm
# alias oidc-provider9 beside the 8.x the other tests use), driven with
# curl.  Covers each ID token algorithm it offers (RS256, PS256, ES256,
# EdDSA, Ed25519 - the RFC 9864 name 9 signs with - and HS256 keyed by
# the client secret), client_secret_basic and client_secret_post (each
# client registered for one method only, so the wrong one fails), PKCE
# (always required by provider.js), a public client, claims that come
# only from the userinfo endpoint (--conform-id-token-claims), and logout
# through the provider and back.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/real/lib.sh"
need_tools
[ -d "$top_srcdir/tests/node_modules/oidc-provider9" ] ||
    skip_all "oidc-provider 9 missing (cd tests && npm ci)"

SECRET=op9-secret-0123456789-0123456789-0123456789-abcdef
OP9_CLIENTS=()

# op9_client ID AUTH_METHOD ALG: a client of the provider and of the site.
op9_client() {
	local id=$1 method=$2 alg=$3 secret=$SECRET-$1 line=()
	[ "$method" = none ] && secret=
	OP9_CLIENTS+=("$id:$secret:$method:$WEB/auth/callback,$WEB/;id_token_signed_response_alg=$alg")
	case $method in
	client_secret_post | none)
		line=("token_endpoint_auth_method = \"$method\"") ;;
	esac
	case $alg in
	HS*) line+=("id_token_hmac_algs = [\"$alg\"]") ;;
	esac
	real_provider "$id" "$id" "$secret" \
	    "http://127.0.0.1:$PROVIDER_PORT/.well-known/openid-configuration" \
	    "${line[@]}"
}

configure() {
	OP9_CLIENTS=()
	op9_client rs256 client_secret_basic RS256
	op9_client ps256 client_secret_basic PS256
	op9_client es256 client_secret_basic ES256
	op9_client eddsa client_secret_basic EdDSA
	op9_client ed25519 client_secret_basic Ed25519
	op9_client hs256 client_secret_basic HS256
	op9_client post client_secret_post RS256
	op9_client public none ES256
}

start_op9() {
	try_start_op op9 "$PROVIDER_PORT" --v9 --name="OP9" \
	    --conform-id-token-claims "${OP9_CLIENTS[@]}" || {
		grep -q EADDRINUSE "$T/op-op9.err.log" && return 2
		return 1
	}
	OP9=$OP_ISSUER
	OP9_PID=$OP_PID
}

start_op9_stop() {
	_stop_pid "$OP9_PID"
	_forget_pid "$OP9_PID"
}
setup_real configure start_op9

# op9_count ERE: lines of the provider's request log matching ERE.
op9_count() {
	grep -cE "$1" "$T/op-op9.log"
}

# login_case NAME USER: a fresh browser signs in through NAME as USER;
# the site sees the user, whose claims came from the userinfo endpoint
# (the ID token carries only sub).
login_case() {
	local name=$1 user=$2 jar=$T/jar-$1 out userinfo given
	given="$(printf '%s' "${user:0:1}" | tr '[:lower:]' '[:upper:]')${user:1}"
	userinfo=$(op9_count '^GET /me 200')
	out=$(op_login "$(start_url "$name")" "$user" "$jar")
	check_callback "$name" "$out" "$jar" || return 1
	check_signed_in "$name" "$jar" "$name" "$user" "$user@example.com" \
	    "$given Tester"
	is "$(op9_count '^GET /me 200')" "$((userinfo + 1))" \
	    "$name: the claims came from the userinfo endpoint"
}

for name in rs256 ps256 es256 eddsa ed25519 hs256 post public; do
	login_case "$name" alice
done
like "$(tr -d '\r' <"$T/jar-public.start")" '[?&]code_challenge_method=S256(&|$)' \
    "public: PKCE S256 in the authorization request"
is "$(op9_count 'event grant.error')" 0 "no token request was refused"

# Logout through the provider, with the ID token as a hint.
rp_logout "logout" "$T/jar-rs256" "^$OP9/session/end\?"
is "$(query_param "$LOGOUT_URL" client_id)" rs256 "logout: with client_id"
out=$(op_logout "$LOGOUT_URL" "$T/jar-rs256")
is "$out" "303 $WEB/" "logout: the provider sends the browser back to the site"

done_testing
