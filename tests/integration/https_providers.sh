#!/bin/bash
# Providers over https, as in production: tests/hostile/provider.js served
# over TLS with certificates from a private CA made at test time, trusted
# through http_ca_file, and a login works.  Each TLS failure refuses the
# login's start with a 502 page that says TLS, one log line naming the
# cause, and --check-config naming it too: a certificate from an unknown
# CA (with and without http_ca_file), for another host name, expired, not
# yet valid; a server offering only TLS 1.0/1.1; a redirect from https to
# plain http; plain http to a host that is not loopback (in the discovery
# document, and as server_metadata_url, which the configuration refuses).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/lib/tls.sh"
hostile_need
need_tls
tls_setup

# tls_provider NAME CERT [OPTION...]: one more hostile provider over https
# presenting $TLS/CERT.crt; sets OP_ISSUER, its base URL.
tls_provider() {
	local name=$1 cert=$2
	shift 2
	OP_SCRIPT=$HOSTILE_SCRIPT start_op "$name" 0 --keys="$T/keys" \
	    --tls-cert="$TLS/$cert.crt" --tls-key="$TLS/$cert.key" "$@"
}

# The main provider: a good certificate.
make_keys "$T/keys"
tls_provider good site
H=$OP_ISSUER
tls_provider rogue rogue
BASE_rogue=$OP_ISSUER
tls_provider other other
BASE_other=$OP_ISSUER
tls_provider expired expired
BASE_expired=$OP_ISSUER
tls_provider notyet notyet
BASE_notyet=$OP_ISSUER
tls_provider old site --tls-max-version=TLSv1.1
BASE_old=$OP_ISSUER

like "$H" '^https://127\.0\.0\.1:[0-9]+$' "the provider is served over https"
out=$(openssl s_client -connect "${BASE_old#https://}" -tls1_1 \
    -cipher 'DEFAULT@SECLEVEL=0' </dev/null 2>&1)
like "$out" 'Protocol *: TLSv1\.1' \
    "the old server really speaks TLS 1.1 (openssl s_client -tls1_1)"
out=$(openssl s_client -connect "${BASE_old#https://}" -tls1_2 </dev/null 2>&1)
like "$out" 'Cipher is \(NONE\)' "... and no TLS 1.2 handshake"

add_provider good good
add_provider unknownca "$BASE_rogue/x"
add_provider wronghost "$BASE_other/x"
add_provider expired "$BASE_expired/x"
add_provider notyet "$BASE_notyet/x"
add_provider oldtls "$BASE_old/x"
add_provider downgrade down
add_provider remotejwks rj
scenario down '{"discovery": {"redirect": "http://idp.example/.well-known/openid-configuration"}}'
scenario rj '{"discovery": {"set": {"jwks_uri": "http://idp.example/jwks"}}}'
hostile_start "http_ca_file = \"$TLS/ca.crt\""

# --- A login over https ----------------------------------------------------

login good
accepted "provider over https, trusted through http_ca_file"
is "$(events good discovery)" 1 "the discovery document came over https"

# --- Each failure: the log line, the page, --check-config ------------------

# tls_refused NAME DESC REASON_ERE: the login through NAME is refused at
# its start with a 502 HTML page that says TLS, one log line matching
# REASON_ERE, no session; the same page again from the provider cache.
tls_refused() {
	local name=$1 desc=$2 reason=$3
	login "$name"
	refused "$desc" 502 "$reason"
	JAR=
	request "$AUTH/login/$name"
	is "$STATUS" 502 "$desc: again, from the provider cache: 502"
	like "$(body)" 'verified as secure \(TLS\)' \
	    "$desc: the page says the provider's TLS failed"
	unlike "$(body)" 'certificate|curl' "$desc: and no more (that is for the log)"
}

# plain_refused NAME DESC REASON_ERE: refused at the start, 502, no TLS words.
plain_refused() {
	login "$1"
	refused "$2" 502 "$3"
}

tls_refused unknownca "a certificate from an unknown CA" \
    'https://127\.0\.0\.1:[0-9]+: TLS: certificate not trusted \(unknown CA\): its issuer is not in http_ca_file'
tls_refused wronghost "a certificate for another host name" \
    'TLS: the certificate is for another host name \(curl: .*127\.0\.0\.1'
tls_refused expired "an expired certificate" \
    'TLS: the certificate has expired'
tls_refused notyet "a certificate not yet valid" \
    'TLS: the certificate is not yet valid'
tls_refused oldtls "a server offering only TLS 1.0/1.1" \
    'TLS: protocol version too old: the server offers only versions older than TLS 1\.2'
plain_refused downgrade "a redirect from https to plain http" \
    'answered HTTP 302, a redirect to http://idp\.example \(from https down to plain http\): redirects are not followed'
is "$(events down discovery)" 1 "the redirect was not followed (one request)"
plain_refused remotejwks "plain http to a remote jwks_uri" \
    'discovery: jwks_uri: plain http is allowed only to loopback hosts'

still_alive "after every refusal"
login good
accepted "after every refusal, a good login still works"

out=$(OIDC_LOGIN_CONFIG=$T/secrets.toml "$OIDC_LOGIN" --check-config 2>/dev/null)
rc=$?
ok "--check-config exits non-zero" test "$rc" != 0
like "$out" 'provider good +ok: issuer https://' "--check-config: good: ok"
# check_line NAME ERE
check_line() {
	like "$out" "provider $1 +FAILED: provider error: .*$2" \
	    "--check-config names the cause for $1"
}
check_line unknownca 'TLS: certificate not trusted \(unknown CA\)'
check_line wronghost 'TLS: the certificate is for another host name'
check_line expired 'TLS: the certificate has expired'
check_line notyet 'TLS: the certificate is not yet valid'
check_line oldtls 'TLS: protocol version too old'
check_line downgrade 'a redirect to http://idp\.example \(from https down to plain http\)'
check_line remotejwks 'jwks_uri: plain http is allowed only to loopback'

# --- Without http_ca_file: the system's store does not know the CA ----------

sed '/^http_ca_file/d' "$T/secrets.toml" >"$T/no-ca.toml"
out=$(OIDC_LOGIN_CONFIG=$T/no-ca.toml "$OIDC_LOGIN" --check-config 2>/dev/null)
like "$out" 'provider good +FAILED: provider error: https://127\.0\.0\.1:[0-9]+: TLS: certificate not trusted \(unknown CA\): set http_ca_file' \
    "no http_ca_file: --check-config says to set it"
# The same as a plain CGI request.
out=$(GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET REQUEST_URI=/auth/login/good \
    SCRIPT_NAME=/auth PATH_INFO=/login/good QUERY_STRING='' \
    OIDC_LOGIN_CONFIG=$T/no-ca.toml "$OIDC_LOGIN" 2>"$T/cgi.err")
like "$out" '^Status: 502' "no http_ca_file, as CGI: 502"
like "$(cat "$T/cgi.err")" 'GET /auth/login/good: 502 provider error: .*TLS: certificate not trusted \(unknown CA\): set http_ca_file' \
    "no http_ca_file, as CGI: the log line says to set it"

# A CA file that is not one.
printf 'not a certificate\n' >"$T/bad-ca.pem"
sed "s#^http_ca_file = .*#http_ca_file = \"$T/bad-ca.pem\"#" "$T/secrets.toml" \
    >"$T/bad-ca.toml"
out=$(OIDC_LOGIN_CONFIG=$T/bad-ca.toml "$OIDC_LOGIN" --check-config 2>&1)
like "$out" 'provider good +FAILED: provider error: .*TLS: http_ca_file cannot be used' \
    "an http_ca_file that holds no certificate: --check-config says so"

# --- server_metadata_url over plain http to a remote host ------------------

cat >"$T/remote.toml" <<EOF
[auth]
redirect_uri = "$WEB/auth/callback"
cookie_secret = "$COOKIE_SECRET"
template_dir = "$top_srcdir/templates"

[auth.remote]
client_id = "x"
client_secret = "y"
server_metadata_url = "http://idp.example/.well-known/openid-configuration"
EOF
out=$(OIDC_LOGIN_CONFIG=$T/remote.toml "$OIDC_LOGIN" --check-config 2>&1)
rc=$?
ok "server_metadata_url plain http to a remote host: --check-config fails" \
    test "$rc" != 0
like "$out" 'remote\.toml:[0-9]+: \[auth\.remote\] server_metadata_url: must use https' \
    "... naming the file, the line, the key and https"

done_testing
