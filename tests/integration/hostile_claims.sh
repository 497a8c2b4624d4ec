#!/bin/bash
# ID token claims against a hostile provider: iss exact, aud holding the
# client id, azp with several audiences, exp/nbf/iat with the clock-skew
# allowance (default 60 s, then clock_skew = 5), sub, nonce, at_hash, and
# absurd numbers.  Every refusal: 502, no session, one log line.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_need
start_hostile

add_provider c claims
hostile_start
CLIENT=c-client

# claims JSON: the next ID tokens carry these claims over the defaults.
claims() {
	scenario claims "{\"claims\": $1}"
}

# rel JSON: the next ID tokens carry these times, in seconds from now.
rel() {
	scenario claims "{\"claims_rel\": $1}"
}

login c
accepted "the default token"

# --- iss. -------------------------------------------------------------------

claims '{"iss": "http://evil.example"}'
login c
refused "iss of another issuer" 502 'iss is not the issuer'
claims "{\"iss\": \"$H/claims/\"}"
login c
refused "iss with a trailing slash" 502 'iss is not the issuer'
claims "{\"iss\": \"$H/CLAIMS\"}"
login c
refused "iss in other case" 502 'iss is not the issuer'
claims '{"iss": null}'
login c
refused "iss missing" 502 'iss missing or not a string'
claims "{\"iss\": [\"$H/claims\"]}"
login c
refused "iss an array" 502 'iss missing or not a string'

# --- aud and azp. -----------------------------------------------------------

claims '{"aud": "someone-else"}'
login c
refused "aud of another client" 502 'aud is not the client id'
claims '{"aud": null}'
login c
refused "aud missing" 502 'aud missing'
claims "{\"aud\": [\"$CLIENT\"]}"
login c
accepted "aud an array of the client id alone"
claims "{\"aud\": [\"$CLIENT\", \"api://other\"]}"
login c
refused "an extra audience without azp" 502 'azp missing although aud has several audiences'
claims "{\"aud\": [\"$CLIENT\", \"api://other\"], \"azp\": \"$CLIENT\"}"
login c
accepted "an extra audience with azp = client id"
claims "{\"aud\": [\"$CLIENT\", \"api://other\"], \"azp\": \"api://other\"}"
login c
refused "an extra audience, azp another party" 502 'azp is not the client id'
claims "{\"azp\": \"api://other\"}"
login c
refused "one audience, azp another party" 502 'azp is not the client id'
claims "{\"aud\": [\"api://a\", \"api://b\"], \"azp\": \"$CLIENT\"}"
login c
refused "azp = client id, aud without it" 502 'aud does not contain the client id'
claims '{"aud": []}'
login c
refused "aud an empty array" 502 'aud array has 0 entries'
claims "{\"aud\": [\"$CLIENT\", 7], \"azp\": \"$CLIENT\"}"
login c
refused "aud holding a number" 502 'aud array holds a non-string'
claims "{\"aud\": \"$CLIENT \"}"
login c
refused "aud with a trailing space" 502 'aud is not the client id'

# --- exp, nbf, iat with the default 60 s skew. ------------------------------

rel '{"exp": -3600}'
login c
refused "expired an hour ago" 502 'token expired'
rel '{"exp": -30}'
login c
accepted "expired 30 s ago (within the 60 s skew)"
rel '{"nbf": 3600}'
login c
refused "nbf an hour ahead" 502 'token not valid for another'
rel '{"nbf": 30}'
login c
accepted "nbf 30 s ahead (within the skew)"
rel '{"iat": 3600}'
login c
refused "iat an hour in the future" 502 'issued [0-9]+ s in the future'
rel '{"iat": 30}'
login c
accepted "iat 30 s in the future (within the skew)"
claims '{"iat": null}'
login c
refused "iat missing" 502 'iat missing'
claims '{"exp": null}'
login c
refused "exp missing" 502 'exp missing'

# Absurd numbers.
while read -r name value; do
	claims "{\"$name\": $value}"
	login c
	refused "$name = $value" 502 "$name is not a valid time"
done <<'EOF2'
exp 1e300
exp -1
exp "4102444800"
exp 9223372036854775808
exp 18446744073709551616
exp 1e19
exp 4102444800.5
exp true
exp {"$date":4102444800}
nbf -5
nbf "0"
iat -1
iat 1e300
EOF2

claims '{"exp": 4102444800}'
login c
accepted "exp in 2100 (past 2038)"
claims '{"exp": 253402300799}'
login c
accepted "exp 9999-12-31T23:59:59Z"
claims '{"exp": 253402300800}'
login c
refused "exp past 9999" 502 'exp is not a valid time'
claims '{"nbf": 0}'
login c
accepted "nbf 0 (1970)"

# --- sub, nonce, at_hash. ---------------------------------------------------

claims '{"sub": null}'
login c
refused "sub missing" 502 'sub missing or not a string'
claims '{"sub": ""}'
login c
refused "sub empty" 502 'sub of 0 bytes'
claims '{"sub": 42}'
login c
refused "sub a number" 502 'sub missing or not a string'
claims "{\"sub\": \"$(printf 'x%.0s' {1..256})\"}"
login c
refused "sub of 256 bytes" 502 'sub of 256 bytes'

claims '{"nonce": "not-the-flows-nonce"}'
login c
refused "nonce of another login" 502 "nonce is not the login's"
claims '{"nonce": null}'
login c
refused "nonce missing" 502 'nonce missing or not a string'
claims '{"nonce": 1}'
login c
refused "nonce a number" 502 'nonce missing or not a string'

scenario claims '{"at_hash": "wrong"}'
login c
refused "at_hash of another access token" 502 'at_hash does not match the access token'
scenario claims '{"at_hash": "omit"}'
login c
accepted "no at_hash (optional in the code flow)"
scenario claims '{"claims": {"at_hash": 5}}'
login c
refused "at_hash a number" 502 'at_hash is not a string'
while read -r alg key; do
	scenario claims "{\"sign\": {\"alg\": \"$alg\", \"key\": \"$key\"},
	    \"at_hash\": \"wrong\"}"
	login c
	refused "$alg ($key): at_hash of another access token" 502 \
	    'at_hash does not match'
done <<'EOF2'
ES512 p521
EdDSA ed448
EdDSA ed25519
PS384 rsa
EOF2

# --- Claims whose content is hostile. ---------------------------------------

# (Userinfo's claims win over the ID token's: both carry them.)
# (The identity, email, holding a NUL refuses the login: hostile_users.)
hostile='{"name": "Eve\r\nX-Auth-Request-User: admin\r\nSet-Cookie: x=y",
    "email": "eve@example.com", "note": "eve@example.com\u0000@evil.example",
    "nickname": "\ud800<b>"}'
scenario claims "{\"claims\": $hostile, \"userinfo\": {\"claims\": $hostile}}"
login c
accepted "claims holding CR LF, NUL and a lone surrogate"
JAR=$JAR_L
request "$AUTH/check"
is "$STATUS" 200 "/check answers"
is "$(header X-Auth-Request-User | wc -l | tr -d ' ')" 1 \
    "/check: one X-Auth-Request-User, none injected"
is "$(header Set-Cookie)" "" "/check: no injected Set-Cookie"
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" name)" "$(printf 'Eve\r\nX-Auth-Request-User: admin\r\nSet-Cookie: x=y')" \
    "/user: the name as the provider sent it, JSON-escaped"
is "$(json_get "$T/user.json" note)" "" "/user: the claim holding a NUL is dropped"
request "$AUTH/"
unlike "$(body)" '<b>' "the signed-in page escapes the claims"
JAR=

deep=$(printf '[%.0s' {1..40})1$(printf ']%.0s' {1..40})
claims "{\"deep\": $deep}"
login c
refused "a claim nested 40 deep" 502 'payload is not a base64url JSON object'

groups=$(printf '"group-with-a-rather-long-name-%03d",' {1..200})
claims "{\"groups\": [${groups%,}]}"
login c
refused "claims too large for the session cookies" 500 'session|too (big|large)'

still_alive "after the claim checks"

# --- clock_skew = 5. --------------------------------------------------------

hostile_restart 'clock_skew = 5'
rel '{"exp": -30}'
login c
refused "clock_skew 5: expired 30 s ago" 502 'token expired'
rel '{"nbf": 30}'
login c
refused "clock_skew 5: nbf 30 s ahead" 502 'token not valid for another'
rel '{"iat": 30}'
login c
refused "clock_skew 5: iat 30 s ahead" 502 'issued [0-9]+ s in the future'
rel '{"exp": 2, "nbf": 3, "iat": 3}'
login c
accepted "clock_skew 5: nbf and iat 3 s ahead"

done_testing
