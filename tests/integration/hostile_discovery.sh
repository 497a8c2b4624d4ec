#!/bin/bash
# Discovery against a hostile provider: the document's issuer must be the
# one server_metadata_url belongs to (or the explicit issuer key); the
# required members must be there and callable; a JSON object, not an
# array.  Entra multi-tenant (/common/, /organizations/): the issuer's
# {tenantid} is the token's tid, optionally limited by allowed_tenants.
# A bad document fails the login's start with 502 and one log line.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_need
start_hostile

TENANT_A=11111111-1111-1111-1111-111111111111
TENANT_B=22222222-2222-2222-2222-222222222222

bad_docs=(d-mismatch d-slash2 d-slashx d-nojwks d-notoken d-noauthz d-noissuer
    d-array d-html d-500 d-remote d-ftp d-code d-issnum d-tenant d-empty)
for p in "${bad_docs[@]}"; do
	add_provider "$p" "$p"
done
hostile_start

# --- Documents that fail the login's start. --------------------------------

# bad_doc PREFIX DISCOVERY_JSON DESC REASON
bad_doc() {
	scenario "$1" "{\"discovery\": $2}"
	login "$1"
	refused "$3" 502 "$4"
	is "$(events "$1" authorize)" 0 "$3: the browser was not sent to the provider"
}

bad_doc d-mismatch "{\"issuer\": \"$H/other\"}" \
    "issuer of another provider" 'discovery: issuer mismatch'
bad_doc d-slash2 "{\"issuer\": \"$H/d-slash2//\"}" \
    "issuer with two trailing slashes" 'discovery: issuer mismatch'
bad_doc d-slashx "{\"issuer\": \"$H/d-slashx/x\"}" \
    "issuer with a path added" 'discovery: issuer mismatch'
bad_doc d-nojwks '{"drop": ["jwks_uri"]}' \
    "no jwks_uri" 'discovery: jwks_uri missing'
bad_doc d-notoken '{"drop": ["token_endpoint"]}' \
    "no token_endpoint" 'discovery: token_endpoint missing'
bad_doc d-noauthz '{"drop": ["authorization_endpoint"]}' \
    "no authorization_endpoint" 'discovery: authorization_endpoint missing'
bad_doc d-noissuer '{"drop": ["issuer"]}' \
    "no issuer" 'discovery: issuer missing'
bad_doc d-array "{\"raw\": \"[{\\\"issuer\\\": \\\"$H/d-array\\\"}]\"}" \
    "a JSON array, not an object" 'discovery: document is not a JSON object'
bad_doc d-html '{"raw": "<html><body>Sign in</body></html>"}' \
    "an HTML page" 'discovery: document is not a JSON object'
bad_doc d-empty '{"raw": ""}' \
    "an empty body" 'discovery: document is not a JSON object'
bad_doc d-500 '{"status": 500}' \
    "HTTP 500" 'discovery: .* answered HTTP 500'
bad_doc d-remote '{"set": {"jwks_uri": "http://jwks.example.com/keys"}}' \
    "plain http to a remote jwks_uri" 'discovery: jwks_uri: '
bad_doc d-ftp "{\"set\": {\"token_endpoint\": \"ftp://127.0.0.1/token\"}}" \
    "an ftp token_endpoint" 'discovery: token_endpoint: '
bad_doc d-code '{"set": {"response_types_supported": ["id_token"]}}' \
    "response_types_supported without code" 'response_types_supported lacks "code"'
bad_doc d-issnum '{"set": {"issuer": 42}}' \
    "issuer a number" 'discovery: issuer is not a string'
bad_doc d-tenant '{"entra": true}' \
    "a {tenantid} issuer where no multi-tenant path was configured" \
    'discovery: issuer mismatch'

still_alive "after the bad documents"

# --- Entra multi-tenant. -----------------------------------------------------

# (At most 16 providers in one configuration: a new one for these.)
_providers=()
add_provider common common/v2.0
add_provider orgs organizations/v2.0 client_secret_basic \
    "allowed_tenants = [\"$TENANT_A\"]"
add_provider explicit meta-x client_secret_basic "issuer = \"$H/real-x\""
add_provider slash d-slash
add_provider slashx slash-x client_secret_basic "issuer = \"$H/slash-x\""
hostile_restart

scenario common/v2.0 "{\"discovery\": {\"entra\": true}, \"claims\": {\"tid\": \"$TENANT_A\"}}"
login common
accepted "/common/: tenant A"
scenario common/v2.0 "{\"discovery\": {\"entra\": true}, \"claims\": {\"tid\": \"$TENANT_B\"}}"
login common
accepted "/common/ without allowed_tenants: tenant B too"
scenario common/v2.0 '{"discovery": {"entra": true}, "claims": {"tid": null}}'
login common
refused "/common/: no tid" 502 'tid missing or not a string'
scenario common/v2.0 '{"discovery": {"entra": true}, "claims": {"tid": "../evil"}}'
login common
refused "/common/: a tid that is no tenant id" 502 'tid is not a tenant id'
scenario common/v2.0 "{\"discovery\": {\"entra\": true},
    \"claims\": {\"tid\": \"$TENANT_A\", \"iss\": \"$H/$TENANT_B/v2.0\"}}"
login common
refused "/common/: iss of another tenant than tid" 502 'iss is not the issuer'
scenario common/v2.0 "{\"discovery\": {\"entra\": true},
    \"claims\": {\"tid\": \"$TENANT_A\", \"iss\": \"$H/{tenantid}/v2.0\"}}"
login common
refused "/common/: iss is the template itself" 502 'iss is not the issuer'

scenario organizations/v2.0 "{\"discovery\": {\"entra\": true}, \"claims\": {\"tid\": \"$TENANT_A\"}}"
login orgs
accepted "/organizations/ with allowed_tenants: tenant A"
scenario organizations/v2.0 "{\"discovery\": {\"entra\": true}, \"claims\": {\"tid\": \"$TENANT_B\"}}"
login orgs
refused "/organizations/ with allowed_tenants: tenant B" 502 "tenant $TENANT_B is not allowed"

# --- The explicit issuer key. ------------------------------------------------

scenario meta-x "{\"discovery\": {\"issuer\": \"$H/real-x\"}}"
login explicit
accepted "metadata at one URL, issuer = the configured other one"

# --- An issuer ending in '/' (Auth0, LemonLDAP::NG): Discovery §4. ----------

scenario d-slash "{\"discovery\": {\"issuer\": \"$H/d-slash/\"},
    \"claims\": {\"iss\": \"$H/d-slash/\"}}"
login slash
accepted "document issuer with a final '/', derived from the metadata URL"
scenario d-slash "{\"discovery\": {\"issuer\": \"$H/d-slash/\"},
    \"claims\": {\"iss\": \"$H/d-slash\"}}"
login slash
refused "... a token whose iss lacks the '/'" 502 'iss is not the issuer'
scenario slash-x "{\"discovery\": {\"issuer\": \"$H/slash-x/\"},
    \"claims\": {\"iss\": \"$H/slash-x/\"}}"
login slashx
refused "a configured issuer is matched exactly" 502 \
    'discovery: issuer mismatch.*set issuer = "http://127.0.0.1:[0-9]+/slash-x/"'

still_alive "at the end"

done_testing
