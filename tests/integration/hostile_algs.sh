#!/bin/bash
# Signature algorithms against a hostile provider: every JOSE algorithm
# oidc-login supports signs in, with keys made by openssl genpkey for
# this run; HS* only where the provider section opts in; alg none,
# algorithm confusion, an alg that does not fit the key, crit, and
# anything but a three-part compact JWS are refused with 502.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_need
start_hostile

add_provider main main
add_provider hs hs client_secret_basic 'id_token_hmac_algs = ["HS256", "HS384", "HS512"]'
add_provider hs256 hs256 client_secret_basic 'id_token_hmac_algs = "HS256"'

# Every key, plus two that must not verify an RS256 token: one declared
# for RS384 only, one for encryption.
publish main '[
	{"key": "rsa", "use": "sig"}, {"key": "p256", "use": "sig"},
	{"key": "p384", "use": "sig"}, {"key": "p521", "use": "sig"},
	{"key": "ed25519", "use": "sig"}, {"key": "ed448", "use": "sig"},
	{"key": "rsa2", "kid": "rsa2-rs384", "alg": "RS384", "use": "sig"},
	{"key": "rsa3", "kid": "rsa3-enc", "use": "enc"}
]'
hostile_start

# sign_with PREFIX ALG KEY: the issuer signs its ID tokens so.
sign_with() {
	scenario "$1" "{\"sign\": {\"alg\": \"$2\", \"key\": \"$3\"}}"
}

# --- Every algorithm signs in. ------------------------------------------

while read -r alg key; do
	sign_with main "$alg" "$key"
	login main
	accepted "$alg ($key)"
done <<'EOF'
RS256 rsa
RS384 rsa
RS512 rsa
PS256 rsa
PS384 rsa
PS512 rsa
ES256 p256
ES384 p384
ES512 p521
EdDSA ed25519
EdDSA ed448
EOF
is "$(events main jwks)" 1 "the JWKS was fetched once for all of them"

for alg in HS256 HS384 HS512; do
	sign_with hs "$alg" rsa
	login hs
	accepted "$alg keyed by the client secret, opted in"
done

# --- HMAC and confusion. ------------------------------------------------

sign_with main HS256 rsa
login main
refused "HS256 without id_token_hmac_algs" 502 'alg HS256 is not enabled'

sign_with hs256 HS256 rsa
login hs256
accepted "HS256 where only HS256 is opted in"
for alg in HS384 HS512; do
	sign_with hs256 "$alg" rsa
	login hs256
	refused "$alg where only HS256 is opted in" 502 "alg $alg is not enabled"
done

scenario hs '{"sign": {"alg": "HS256", "key": "rsa",
    "hmac_secret": "not-the-client-secret-0123456789"}}'
login hs
refused "HS256 with another secret" 502 'signature does not verify \(HS256\)'

# The classic attack: HS256 MACed with the RSA public key, naming its kid.
for p in main hs; do
	scenario "$p" '{"sign": {"alg": "HS256", "key": "rsa", "kid": "rsa",
	    "confusion": true}}'
	login "$p"
	refused "algorithm confusion (HS256 keyed by the RSA public key) at $p" \
	    502 'ID token (alg HS256 is not enabled|signature does not verify)'
done

# --- alg none, unknown algs. --------------------------------------------

scenario main '{"sign": {"alg": "none"}}'
login main
refused "alg none, empty signature" 502 'ID token has an empty part'

scenario main '{"sign": {"alg": "none", "form": "fake-sig"}}'
login main
refused "alg none with a signature part" 502 'unsigned \(alg none\)'

scenario main '{"sign": {"alg": "None", "form": "fake-sig"}}'
login main
refused "alg None" 502 'unsigned \(alg none\)'

for alg in ES256K RS1 Ed25519ph; do
	scenario main "{\"sign\": {\"alg\": \"$alg\", \"key\": \"p256\",
	    \"raw\": {\"key\": \"p256\", \"digest\": \"sha256\"}}}"
	login main
	refused "unsupported alg $alg" 502 "alg $alg is not supported"
done

# --- RFC 9864's fully-specified names (oidc-provider 9 signs "Ed25519"). --

scenario main '{"sign": {"alg": "Ed25519", "kid": "ed25519",
    "raw": {"key": "ed25519", "digest": null}}}'
login main
accepted "alg Ed25519 by the Ed25519 key"
scenario main '{"sign": {"alg": "Ed448", "kid": "ed448",
    "raw": {"key": "ed448", "digest": null}}}'
login main
accepted "alg Ed448 by the Ed448 key"
scenario main '{"sign": {"alg": "Ed25519", "kid": "ed448",
    "raw": {"key": "ed448", "digest": null}}}'
login main
refused "alg Ed25519 naming the Ed448 key" 502 'no JWKS key fits the ID token.s alg Ed25519'
scenario main '{"sign": {"alg": "Ed448", "kid": "ed25519",
    "raw": {"key": "ed25519", "digest": null}}}'
login main
refused "alg Ed448 naming the Ed25519 key" 502 'no JWKS key fits the ID token.s alg Ed448'

# --- The alg must fit the key. ------------------------------------------

scenario main '{"sign": {"alg": "ES256", "kid": "p384",
    "raw": {"key": "p384", "digest": "sha256"}}}'
login main
refused "ES256 by a P-384 key" 502 'no JWKS key fits the ID token.s alg ES256'

scenario main '{"sign": {"alg": "ES384", "kid": "p256",
    "raw": {"key": "p256", "digest": "sha384"}}}'
login main
refused "ES384 by a P-256 key" 502 'no JWKS key fits the ID token.s alg ES384'

scenario main '{"sign": {"alg": "RS256", "kid": "p256",
    "raw": {"key": "p256", "digest": "sha256"}}}'
login main
refused "RS256 naming an EC key" 502 'no JWKS key fits the ID token.s alg RS256'

scenario main '{"sign": {"alg": "EdDSA", "kid": "rsa",
    "raw": {"key": "rsa", "digest": "sha512"}}}'
login main
refused "EdDSA naming an RSA key" 502 'no JWKS key fits the ID token.s alg EdDSA'

scenario main '{"sign": {"alg": "ES256", "kid": "ed25519",
    "raw": {"key": "ed25519", "digest": null}}}'
login main
refused "ES256 naming an Ed25519 key" 502 'no JWKS key fits the ID token.s alg ES256'

scenario main '{"sign": {"alg": "RS256", "kid": "rsa2-rs384",
    "raw": {"key": "rsa2", "digest": "sha256"}}}'
login main
refused "RS256 by a key declared for RS384" 502 'no JWKS key fits the ID token.s alg RS256'

scenario main '{"sign": {"alg": "PS256", "kid": "rsa",
    "raw": {"key": "rsa", "digest": "sha256"}}}'
login main
refused "PS256 header, PKCS#1 v1.5 signature" 502 'signature does not verify \(PS256\)'

scenario main '{"sign": {"alg": "RS256", "kid": "rsa",
    "raw": {"key": "rsa", "digest": "sha256", "pss": true}}}'
login main
refused "RS256 header, PSS signature" 502 'signature does not verify \(RS256\)'

scenario main '{"sign": {"alg": "ES256", "kid": "p256",
    "raw": {"key": "p256", "digest": "sha256", "der": true}}}'
login main
refused "ES256 signature in DER, not R||S" 502 'signature does not verify \(ES256\)'

# A key for encryption is skipped: its kid is unknown even after the refetch.
scenario main '{"sign": {"alg": "RS256", "kid": "rsa3-enc",
    "raw": {"key": "rsa3", "digest": "sha256"}}}'
login main
refused "RS256 by a key published for encryption" 502 "no JWKS key has the ID token.s kid"

# Embedded keys: a header that brings its own key (or a URL to one) is
# not trusted; the kid is looked up in the provider's JWKS only.
scenario main '{"sign": {"alg": "RS256", "kid": "attacker", "embed": "jwk",
    "raw": {"key": "rsa3", "digest": "sha256"}}}'
login main
refused "signed by a key embedded in the header (jwk)" 502 \
    'key id not in the JWKS|no JWKS key has the ID token.s kid'
scenario main '{"sign": {"alg": "RS256", "kid": "rsa", "embed": "jwk",
    "raw": {"key": "rsa3", "digest": "sha256"}}}'
login main
refused "a known kid, signed by the key embedded in the header" 502 \
    'signature does not verify \(RS256\)'
scenario main '{"sign": {"alg": "RS256", "kid": "rsa", "embed": "jku",
    "raw": {"key": "rsa3", "digest": "sha256"}}}'
login main
refused "a known kid, signed by the key of a jku URL" 502 \
    'signature does not verify \(RS256\)'
is "$(events attacker jwks)" 0 "the jku URL was never fetched"

# Header members of the wrong type or size (signed by the right key).
while IFS='|' read -r header why; do
	scenario main "{\"sign\": {\"header\": $header,
	    \"raw\": {\"key\": \"rsa\", \"digest\": \"sha256\"}}}"
	login main
	refused "header $header" 502 "$why"
done <<'EOF'
{"kid": 42}|kid is not a short string
{"kid": ""}|(no JWKS key has the ID token.s kid|key id not in the JWKS)
{"alg": ["RS256"]}|header has no string "alg"
{"alg": null}|header has no string "alg"
{"typ": 1}|typ is not JWT
EOF
scenario main "{\"sign\": {\"kid\": \"$(printf 'k%.0s' {1..300})\"}}"
login main
refused "a kid of 300 bytes" 502 'kid is not a short string'

# --- Broken signatures. -------------------------------------------------

while read -r alg key; do
	scenario main "{\"sign\": {\"alg\": \"$alg\", \"key\": \"$key\",
	    \"corrupt\": true}}"
	login main
	refused "$alg with one bit of the signature flipped" 502 \
	    "signature does not verify \\($alg\\)"
done <<'EOF'
RS256 rsa
PS384 rsa
ES512 p521
EdDSA ed448
EOF

# --- crit, typ, and the compact form. -----------------------------------

scenario main '{"sign": {"crit": ["exp"], "header": {"exp": 1}}}'
login main
refused "crit header" 502 'ID token header has "crit"'

scenario main '{"sign": {"header": {"typ": "at+jwt"}}}'
login main
refused "typ at+jwt" 502 'typ is not JWT'

while read -r form why; do
	scenario main "{\"sign\": {\"form\": \"$form\"}}"
	login main
	refused "ID token $form" 502 "$why"
done <<'EOF'
two-parts fewer than three parts
four-parts more than three parts
five-parts more than three parts
empty-sig has an empty part
garbage fewer than three parts
oversize over the 32768-byte bound
EOF

scenario main '{"payload_raw": "[\"not\", \"an\", \"object\"]"}'
login main
refused "payload is a JSON array" 502 'payload is not a base64url JSON object'

still_alive "after every refusal"
scenario main '{}'
login main
accepted "RS256 again at the end"

done_testing
