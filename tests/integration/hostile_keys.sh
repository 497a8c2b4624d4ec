#!/bin/bash
# Keys against a hostile provider: the JWKS is cached; an unknown kid
# makes oidc-login fetch it once more, at most once a minute per
# provider, so a provider that rotates its key keeps working without a
# restart; without a kid the fitting keys are tried; keys that cannot be
# used are skipped; a JWKS without any usable key fails the login (502).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_need
start_hostile

for p in rot rot2 nokid1 nokidn skip nokeys notjson nokeysarray; do
	add_provider "$p" "$p"
done
hostile_start

# --- Rotation. ------------------------------------------------------------

publish rot '[{"key": "rsa", "kid": "k1"}]'
scenario rot '{"sign": {"key": "rsa", "kid": "k1"}}'
login rot
accepted "signed with k1"
is "$(events rot jwks)" 1 "the JWKS was fetched once"
login rot
accepted "signed with k1 again"
is "$(events rot jwks)" 1 "the cached JWKS served the second login"

# The provider rotates: k1 retired, k2 signs.
publish rot '[{"key": "rsa2", "kid": "k2"}]'
scenario rot '{"sign": {"key": "rsa2", "kid": "k2"}}'
login rot
accepted "after a rotation to k2, without a restart"
is "$(events rot jwks)" 2 "the unknown kid k2 caused one JWKS refetch"
like "$(_logs_since "$LOG_MARK")" 'provider rot: ID token key id unknown, fetching the JWKS again' \
    "the refetch is logged"
still_alive "after the rotation"

# Rotating again at once: no second refetch within the minute.
publish rot '[{"key": "rsa3", "kid": "k3"}]'
scenario rot '{"sign": {"key": "rsa3", "kid": "k3"}}'
login rot
refused "a second unknown kid within a minute" 502 \
    'key id not in the JWKS \(refetched less than 60 s ago\)'
is "$(events rot jwks)" 2 "no JWKS fetch for it (rate-limited)"

scenario rot '{"sign": {"key": "rsa2", "kid": "k2"}}'
login rot
accepted "k2, still cached, keeps working"

# The limit is per provider: rot2 may refetch while rot may not.
publish rot2 '[{"key": "p256", "kid": "e1"}]'
scenario rot2 '{"sign": {"alg": "ES256", "key": "p256", "kid": "e1"}}'
login rot2
accepted "another provider, signed with e1"
publish rot2 '[{"key": "p384", "kid": "e2"}]'
scenario rot2 '{"sign": {"alg": "ES384", "key": "p384", "kid": "e2"}}'
login rot2
accepted "another provider rotates too, within the same minute"
is "$(events rot2 jwks)" 2 "its own refetch"

# --- No kid. ---------------------------------------------------------------

publish nokid1 '[{"key": "rsa", "kid": null, "use": "sig"},
    {"key": "p256", "kid": null}]'
scenario nokid1 '{"sign": {"key": "rsa", "kid": null}}'
login nokid1
accepted "no kid, one RSA key"

publish nokidn '[{"key": "rsa", "kid": null}, {"key": "rsa2", "kid": null},
    {"key": "p256", "kid": null}, {"key": "rsa3", "kid": null},
    {"key": "ed25519", "kid": null}, {"key": "ed448", "kid": null}]'
scenario nokidn '{"sign": {"key": "rsa3", "kid": null}}'
login nokidn
accepted "no kid, several RSA keys: the third one verifies"
scenario nokidn '{"sign": {"alg": "EdDSA", "key": "ed448", "kid": null}}'
login nokidn
accepted "no kid, EdDSA: the Ed448 key after the Ed25519 one"
scenario nokidn '{"sign": {"alg": "PS512", "key": "rsa2", "kid": null}}'
login nokidn
accepted "no kid, PS512 by the second RSA key"
scenario nokidn '{"sign": {"alg": "ES384", "key": "p384", "kid": null}}'
login nokidn
refused "no kid, ES384: no P-384 key published" 502 \
    'no JWKS key fits the ID token.s alg ES384'
scenario nokidn '{"sign": {"key": "rsa2", "kid": null, "corrupt": true}}'
login nokidn
refused "no kid, a signature no RSA key verifies" 502 \
    'signature does not verify \(RS256\)'
is "$(events nokidn jwks)" 1 "no kid never refetches the JWKS"

# --- Keys we cannot use are skipped. ----------------------------------------

zero32=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
garbage='
	{"raw": "not an object"},
	{"raw": {"kty": "RSA", "kid": "bad-n", "n": "!!!", "e": "AQAB"}},
	{"raw": {"kty": "RSA", "kid": "no-e", "n": "'"$zero32"'"}},
	{"raw": {"kty": "EC", "crv": "P-256", "kid": "off-curve",
	    "x": "'"$zero32"'", "y": "'"$zero32"'"}},
	{"raw": {"kty": "EC", "crv": "secp256k1", "kid": "k256",
	    "x": "'"$zero32"'", "y": "'"$zero32"'"}},
	{"raw": {"kty": "OKP", "crv": "X25519", "kid": "x25519",
	    "x": "'"$zero32"'"}},
	{"raw": {"kty": "oct", "kid": "sym", "k": "c2VjcmV0LXNlY3JldA"}},
	{"raw": {"kid": "no-kty"}},
	{"key": "weak", "kid": "weak"},
	{"key": "rsa2", "kid": "for-enc", "use": "enc"},
	{"key": "rsa3", "kid": "wrap-only", "key_ops": ["wrapKey"]},
	{"key": "p256", "kid": "alg-mismatch", "alg": "ES384"}'
publish skip "[$garbage, {\"key\": \"rsa\", \"kid\": \"good\"}]"
scenario skip '{"sign": {"key": "rsa", "kid": "good"}}'
login skip
accepted "a JWKS of 12 unusable keys and one good one"
scenario skip '{"sign": {"alg": "RS256", "kid": "weak",
    "raw": {"key": "weak", "digest": "sha256"}}}'
login skip
refused "signed by the skipped 1024-bit key" 502 \
    'no JWKS key has the ID token.s kid'
scenario skip '{"sign": {"alg": "ES256", "kid": "alg-mismatch",
    "raw": {"key": "p256", "digest": "sha256"}}}'
login skip
# (The refetch this unknown kid would cause was spent a moment ago.)
refused "signed by the key whose alg does not fit its curve" 502 \
    'key id not in the JWKS \(refetched less than 60 s ago\)'

publish nokeys "[$garbage]"
login nokeys
refused "a JWKS without any usable key" 502 'JWKS has no usable signature key'

scenario notjson '{"jwks_raw": "<html>keys</html>"}'
login notjson
refused "a JWKS that is not JSON" 502 'JWKS is not a JSON object'

scenario nokeysarray '{"jwks_raw": "{\"keys\": {\"kty\": \"RSA\"}}"}'
login nokeysarray
refused "a JWKS whose keys is not an array" 502 'JWKS has no "keys" array'

still_alive "at the end"
login rot
accepted "a good login at the end"

done_testing
