#!/bin/bash
# Provider profiles: the big hosted providers as their documentation shows
# them (tests/fixtures/providers/NAME/: discovery document, key set, the
# claims of an ID token and of userinfo, the client authentication they
# accept, and the [auth.NAME] block of secrets.toml their users write),
# served by the hostile provider at its loopback address with the
# provider's own paths and fresh keys.  For each, through lighttpd and
# oidc-login (contrib/lighttpd/oidc-login.conf: pages and Authorizer):
# --check-config accepts the block and names the issuer, the signing key
# and the client authentication it chose; a login goes to the provider's
# authorization endpoint with the block's parameters, authenticates at
# the token endpoint the way the provider accepts, verifies the ID token,
# shows the provider's claims in /auth/user and gives the Authorizer's
# REMOTE_USER from the claim docs/providers.md recommends there; logout
# goes to the provider's end_session_endpoint (which takes it) or stays
# here.  Then each provider's trap: the Streamlit block without what
# oidc-login needs, an e-mail that is not verified, a tenant not allowed,
# an application set to another client authentication.
#
# PROFILES="google okta" runs only those.

# (SC2016: node's scripts are in single quotes on purpose; SC2317: the
# traps_* functions are called by name.)
# shellcheck disable=SC2016,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_need
start_hostile

PROFILES_DIR=$top_srcdir/tests/fixtures/providers
PROFILE_JS=$top_srcdir/tests/hostile/profile.js
PROFILES=${PROFILES:-google microsoft microsoft_common microsoft_orgs
microsoft_personal microsoft_v1 okta okta_custom auth0 auth0_hs256 keycloak
cognito gitlab}
COOKIE_SECRET=$(random_hex)

declare -A F		# the facts of the profile in hand (profile.js)
P=			# its output directory
_plogin_n=0

# ere STRING: STRING with the characters grep -E treats specially escaped.
ere() {
	printf '%s' "$1" | sed 's/[][\.*^$?+(){}|]/\\&/g'
}

# profile_load NAME [PATCH_JSON]: the hostile provider serves profile
# NAME (routes, scenario, client) for the site at $WEB; sets F and P.
profile_load() {
	local k v
	P=$T/p/$1
	"$NODE" "$PROFILE_JS" --fixture "$PROFILES_DIR/$1" --base "$H" \
	    --keys "$T/keys" --web "$WEB" --out "$P" ${2:+--patch "$2"} \
	    2>>"$T/profile.err.log" || bail_out "profile $1 did not load"
	F=()
	while IFS=$'\t' read -r k v; do
		F[$k]=$v
	done <"$P/facts"
}

# write_profile_config FILE [SED_SCRIPT]: the [auth] a site has and the
# profile's block (SED_SCRIPT applied to the block).
write_profile_config() {
	local file=$1
	shift
	{
		cat <<EOF
[auth]
redirect_uri = "$WEB/auth/callback"
cookie_secret = "$COOKIE_SECRET"
template_dir = "${HOSTING_TEMPLATES:-$top_srcdir/templates}"
log_level = "info"
http_timeout = 5

EOF
		sed -e "${1:-}" "$P/block.toml"
	} >"$file"
}

# site_up: lighttpd (re)started on $WEB_PORT with $T/secrets.toml.
# Returns 2 when the port was taken, 1 when it did not come up.  (An
# oidc-login that refuses its configuration still runs: it answers 503.)
site_up() {
	stop_lighttpd
	start_lighttpd_recipe "$WEB_PORT" "$T/recipe.conf"
}

# profile_up NAME [PATCH_JSON [SED_SCRIPT]]: the provider serves NAME and
# the site runs with its block (restarted when the block changed: a fresh
# oidc-login, fresh caches).  Another test may take the port: then
# everything starts again on another one.  Returns 1 when the site does
# not come up with this block.
profile_up() {
	local attempt rc
	for attempt in 1 2 3; do
		profile_load "$1" "${2:-}"
		write_profile_config "$T/secrets.new" "${3:-}"
		if [ -n "${LIGHTTPD_PID:-}" ] && kill -0 "$LIGHTTPD_PID" 2>/dev/null &&
		    cmp -s "$T/secrets.new" "$T/secrets.toml"; then
			return 0
		fi
		mv "$T/secrets.new" "$T/secrets.toml"
		site_up
		rc=$?
		[ "$rc" = 2 ] || return "$rc"
		diag "port $WEB_PORT was taken; starting again (attempt $attempt)"
		free_port WEB_PORT
		WEB=http://127.0.0.1:$WEB_PORT
		AUTH=$WEB/auth
	done
	bail_out "could not start lighttpd"
}

# site_failure DESC: the site did not come up; shows why.
site_failure() {
	fail "$1: oidc-login runs with this block" \
	    "$(tail -n 5 "$T/oidc-login.log" 2>/dev/null)"
}

# plogin NAME: one login through provider NAME in a fresh browser, back to
# /private/whoami.cgi.  Sets CB_STATUS, CB_LOCATION, CB_HEADERS (as
# hostile/lib.sh's login does), START_LOCATION (where the login sent the
# browser first), JAR_L and LOG_MARK.
plogin() {
	local out
	_plogin_n=$((_plogin_n + 1))
	JAR_L=$T/jar-p$_plogin_n
	LOG_MARK=$(_log_mark)
	out=$(op_login "$AUTH/login/$1?return_to=%2Fprivate%2Fwhoami.cgi" \
	    alice "$JAR_L")
	CB_STATUS=${out%% *}
	CB_LOCATION=${out#* }
	CB_HEADERS=$JAR_L.headers
	START_LOCATION=$(tr -d '\r' <"$JAR_L.start" 2>/dev/null |
	    sed -n 's/^[Ll]ocation: //p' | head -n 1)
	case $out in
	"FAIL start "*)
		out=${out#FAIL start }
		CB_STATUS=${out%% *}
		CB_LOCATION=
		CB_HEADERS=$JAR_L.start
		;;
	esac
	[ "${VERBOSE:-0}" = 1 ] && diag "login $1 -> $out"
	return 0
}

# as_user URL: a request with the last login's browser.
as_user() {
	local saved=${JAR:-}
	JAR=$JAR_L
	request "$@"
	JAR=$saved
}

# input_value NAME: the value of the <input name=NAME> in the last body.
input_value() {
	body | tr '\n' ' ' | grep -o "<input[^>]*name=\"$1\"[^>]*>" |
	    head -n 1 | grep -o 'value="[^"]*"' | sed 's/^value="//; s/"$//'
}

# compare_json FILE EXPECT_FILE MEMBER [MORE_JSON]: for each key of
# EXPECT_FILE's MEMBER object (and of MORE_JSON), "key<TAB>got<TAB>want"
# as JSON ("absent" for a missing member or an expected null).  FILE may
# also be a URL: its query parameters are compared.
compare_json() {
	"$NODE" -e '
		const fs = require("fs");
		const [file, expect, member, more] = process.argv.slice(1);
		let got = {};
		try {
			got = /^https?:/.test(file) ?
			    Object.fromEntries(new URL(file).searchParams) :
			    JSON.parse(fs.readFileSync(file, "utf8"));
		} catch (e) { }
		const want = { ...JSON.parse(fs.readFileSync(expect, "utf8"))
		    [member], ...JSON.parse(more || "{}") };
		for (const [k, v] of Object.entries(want)) {
			const g = got !== null && typeof got === "object" &&
			    k in got ? JSON.stringify(got[k]) : "absent";
			const w = v === null ? "absent" : JSON.stringify(v);
			process.stdout.write(`${k}\t${g}\t${w}\n`);
		}' "$1" "$2" "$3" "${4:-}"
}

# fields FILE_OR_URL PATH...: each member (keys joined by dots) on a line,
# as json_get prints it; a URL's query parameters, decoded.
fields() {
	"$NODE" -e '
		const fs = require("fs");
		const [src, ...paths] = process.argv.slice(1);
		let v0 = {};
		try {
			v0 = /^https?:/.test(src) ?
			    Object.fromEntries(new URL(src).searchParams) :
			    JSON.parse(fs.readFileSync(src, "utf8"));
		} catch (e) { }
		for (const p of paths) {
			let v = v0;
			for (const k of p.split("."))
				v = v !== null && typeof v === "object" && k in v ?
				    v[k] : undefined;
			const out = v === undefined ? "" :
			    typeof v === "string" ? v : JSON.stringify(v);
			process.stdout.write(`${out.replace(/\n/g, " ")}\n`);
		}' "$@"
}

# saw PREFIX: what the provider saw for PREFIX, in $T/events.json.
saw() {
	op_ctl "{\"op\":\"events\",\"prefix\":$(json_string "$1")}" \
	    >"$T/events.json"
}

# --- The checks every profile passes -------------------------------------

# check_config_ok DESC: --check-config accepts the block and says what it
# found and chose.
check_config_ok() {
	local d=$1 out rc
	out=$("$OIDC_LOGIN" --check-config -c "$T/secrets.toml" 2>&1)
	rc=$?
	CHECK_OUT=$out
	if [ "$rc" != 0 ]; then
		fail "$d: --check-config accepts the block" "exit status $rc:" \
		    "$out"
		skip "$d: --check-config: what it found and chose" \
		    "the block was refused"
		return 1
	fi
	pass "$d: --check-config accepts the block"
	like "$out" "provider +${F[name]} +ok" "$d: --check-config: the provider is usable"
	like "$out" "issuer $(ere "${F[issuer]}")(,| |$)" \
	    "$d: --check-config: the document's issuer (${F[issuer]//"$H"/HOST})"
	# (Keys without an alg member, as Entra's, are listed by type.)
	if [ -n "${F[kid]}" ]; then
		like "$out" "[ (]${F[kid_alg]:-RSA} kid=$(ere "${F[kid]}")[,)]" \
		    "$d: --check-config lists the signing key (${F[kid_alg]:-RSA}, its kid)"
	fi
	like "$out" "${F[auth_method]}" \
	    "$d: --check-config names the client authentication chosen (${F[auth_method]})"
}

# check_login DESC: a login signs in the way the profile says.
check_login() {
	local d=$1 name=${F[name]} k got want f
	reset_events "$name"
	plogin "$name"
	like "$START_LOCATION" "^$(ere "${F[authorization_endpoint]}")\\?" \
	    "$d: the login goes to the provider's authorization endpoint"
	while IFS=$'\t' read -r k got want; do
		is "$got" "$want" "$d: authorization request: $k"
	done < <(compare_json "$START_LOCATION" "$P/expect.json" \
	    authorize_params)
	is "$CB_STATUS $CB_LOCATION" "302 $WEB/private/whoami.cgi" \
	    "$d: signs in, back at the page asked for"
	if [ "$CB_STATUS" != 302 ]; then
		diag "$(callback_log_lines)"
		skip "$d: the checks of a signed-in browser" "not signed in"
		return 1
	fi
	saw "$name"
	mapfile -t f < <(fields "$T/events.json" token_requests.0.client_auth \
	    userinfo_ok)
	is "${f[0]}" "${F[auth_method]}" "$d: the token endpoint saw ${F[auth_method]}"
	if [ -n "${F[userinfo_endpoint]}" ]; then
		is "${f[1]}" 1 "$d: userinfo called at the provider's path"
	fi
	as_user "$AUTH/user"
	body >"$T/user.json"
	while IFS=$'\t' read -r k got want; do
		is "$got" "$want" "$d: /auth/user: $k"
	done < <(compare_json "$T/user.json" "$P/expect.json" claims \
	    "{\"is_logged_in\": true, \"provider\": \"$name\"}")
	as_user "$WEB/private/whoami.cgi"
	is "$STATUS" 200 "$d: the Authorizer lets the browser in"
	like "$(body)" "^REMOTE_USER=$(ere "${F[remote_user]}")\$" \
	    "$d: REMOTE_USER is the ${F[user_claim]} claim (${F[remote_user]})"
	like "$(body)" "^OIDC_PROVIDER=$name\$" "$d: OIDC_PROVIDER=$name"
}

# check_logout DESC: sign-out goes to the provider when it has an
# end_session_endpoint, which takes the request and sends the browser
# back; otherwise it stays here.
check_logout() {
	local d=$1 csrf out f
	as_user "$AUTH/logout?return_to=%2F"
	csrf=$(input_value csrf)
	as_user --data-urlencode "csrf=$csrf" --data-urlencode "return_to=/" \
	    "$AUTH/logout"
	if [ -n "${F[end_session_endpoint]}" ]; then
		like "$LOCATION" "^$(ere "${F[end_session_endpoint]}")\\?" \
		    "$d: logout goes to the provider's end_session_endpoint"
		mapfile -t f < <(fields "$LOCATION" client_id id_token_hint)
		is "${f[0]}" "${F[client_id]}" "$d: logout: with client_id"
		like "${f[1]}" '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$' \
		    "$d: logout: with id_token_hint"
		out=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' \
		    --max-time 5 "$LOCATION")
		is "$out" "302 $WEB/" \
		    "$d: the provider takes the logout and sends the browser back"
	else
		is "$STATUS $LOCATION" "303 $WEB/auth/signed-out" \
		    "$d: no end_session_endpoint: logout ends on the site's signed-out page"
	fi
	as_user "$AUTH/user"
	like "$(body)" '"is_logged_in" *: *false' "$d: signed out here"
}

# _block_lines: stdin without comments, blank lines and outer blanks.
_block_lines() {
	sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' |
	    grep -v -e '^$' -e '^#' || true
}

# doc_shows NAME: docs/providers.md shows profile NAME's block (its lines,
# comments aside, in order) in the code block after <!-- profile: NAME -->.
doc_shows() {
	local doc=$top_srcdir/docs/providers.md
	[ -f "$doc" ] || return 1
	diff <(awk -v n="$1" '
		$0 == "<!-- profile: " n " -->" { want = 1; next }
		want && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$doc" | _block_lines) \
	    <(_block_lines <"$PROFILES_DIR/$1/secrets.toml") >"$T/doc.diff"
}

# check_profile NAME: every check of one profile, with its block as is.
check_profile() {
	local name=$1 d
	if ! profile_up "$name"; then
		site_failure "$name"
		return 1
	fi
	d="$name (${F[name]})"
	[ "${F[name]}" = "$name" ] && d=$name
	if doc_shows "$name"; then
		pass "$d: docs/providers.md shows this block"
	else
		fail "$d: docs/providers.md shows this block" "$(cat "$T/doc.diff")"
	fi
	check_config_ok "$d"
	check_login "$d" && check_logout "$d"
	return 0
}

# bare_block NAME SED_SCRIPT: the profile's block with SED_SCRIPT applied
# (the Streamlit form, without what oidc-login needs); returns 1 when the
# site does not come up.
bare_block() {
	profile_up "$1" "" "$2"
}

free_port WEB_PORT
WEB=http://127.0.0.1:$WEB_PORT
AUTH=$WEB/auth
recipe lighttpd/oidc-login.conf "$T/recipe.conf"

# --- Each profile, then its traps ----------------------------------------

traps_google() {
	# A personal Google account (no hd claim): the rule refuses it.
	profile_up google '{"claims": {"hd": null}, "userinfo": {"claims": {"hd": null}}}' ||
	    { site_failure "google, personal account"; return; }
	plogin google
	refused "google: an account outside the hd domain" 403 'hd'
}

traps_microsoft() {
	# The Streamlit block: user_claim left at email, which Entra never
	# marks verified.
	if bare_block microsoft '/^user_claim/d'; then
		plogin microsoft
		refused "microsoft, Streamlit block (identity email)" 403 \
		    'identity refused.*email'
		like "$(callback_log_lines)" 'user_claim' \
		    "microsoft, Streamlit block: the log line says to set user_claim"
	else
		site_failure "microsoft, Streamlit block"
	fi
}

traps_microsoft_orgs() {
	local other
	other=$("$NODE" -e 'process.stdout.write(JSON.parse(require("fs")
	    .readFileSync(process.argv[1], "utf8")).other_tenant)' \
	    "$PROFILES_DIR/microsoft_orgs/expect.json")
	profile_up microsoft_orgs "{\"claims\": {\"tid\": \"$other\",
	    \"iss\": \"$H/$other/v2.0\"}}" ||
	    { site_failure "microsoft_orgs, other tenant"; return; }
	plogin microsoft_orgs
	refused "microsoft_orgs: a user of a tenant not in allowed_tenants" 502 \
	    "tenant $other is not allowed"
}

# bare_issuer NAME: the block without its issuer line, as Streamlit's
# tutorial has it: the document's issuer is not the metadata URL's.
bare_issuer() {
	local out rc
	if ! bare_block "$1" '/^issuer/d'; then
		site_failure "$1, without issuer"
		return
	fi
	out=$("$OIDC_LOGIN" --check-config -c "$T/secrets.toml" 2>&1)
	rc=$?
	ok "$1 without issuer: --check-config fails" test "$rc" != 0
	like "$out" "issuer mismatch.*$(ere "${F[issuer]}")" \
	    "$1 without issuer: --check-config names the document's issuer"
	plogin "$1"
	refused "$1 without issuer: the login" 502 'issuer mismatch'
}

traps_microsoft_personal() {
	bare_issuer microsoft_personal
}

traps_microsoft_v1() {
	bare_issuer microsoft_v1
}

traps_okta() {
	# An application set to "Client secret (post)": Okta's document
	# still lists basic first, and refuses it for this client.
	profile_up okta '{"client_auth": ["client_secret_post"]}' ||
	    { site_failure "okta, post-only application"; return; }
	reset_events okta
	plogin okta
	refused "okta, an application set to client_secret_post, block as is" \
	    502 'invalid_client|401'
	saw okta
	like "$(fields "$T/events.json" token_requests.0.client_auth)" \
	    'client uses client_secret_post' \
	    "okta: the provider refused the other method (invalid_client)"
	profile_up okta '{"client_auth": ["client_secret_post"]}' \
	    '$a token_endpoint_auth_method = "client_secret_post"' ||
	    { site_failure "okta, token_endpoint_auth_method set"; return; }
	reset_events okta
	plogin okta
	is "$CB_STATUS $CB_LOCATION" "302 $WEB/private/whoami.cgi" \
	    "okta: with token_endpoint_auth_method = \"client_secret_post\": signs in"
	saw okta
	is "$(fields "$T/events.json" token_requests.0.client_auth)" \
	    client_secret_post \
	    "okta: and authenticates with client_secret_post"
}

traps_auth0() {
	# A database connection that does not verify e-mail addresses.
	profile_up auth0 '{"claims": {"email_verified": false},
	    "userinfo": {"claims": {"email_verified": false}}}' ||
	    { site_failure "auth0, unverified e-mail"; return; }
	plogin auth0
	refused "auth0: an e-mail address not verified" 403 \
	    'identity refused.*email'
}

traps_auth0_hs256() {
	if bare_block auth0_hs256 '/^id_token_hmac_algs/d'; then
		plogin auth0_hs256
		refused "auth0_hs256 without id_token_hmac_algs" 502 \
		    'id_token_hmac_algs'
	else
		site_failure "auth0_hs256 without id_token_hmac_algs"
	fi
}

traps_keycloak() {
	# Its key set also holds an RSA-OAEP encryption key.
	if printf '%s\n' "$CHECK_OUT" | grep -Eq 'provider +keycloak +ok'; then
		unlike "$CHECK_OUT" 'RSA-OAEP' \
		    "keycloak: the encryption key of the key set is not a signing key"
	else
		skip "keycloak: the encryption key of the key set is not a signing key" \
		    "--check-config did not list the keys"
	fi
}

traps_cognito() {
	# Cognito's userinfo says "false" as a string: not verified either.
	profile_up cognito '{"userinfo": {"claims": {"email_verified": "false"}}}' ||
	    { site_failure "cognito, unverified e-mail"; return; }
	plogin cognito
	refused "cognito: userinfo's email_verified \"false\"" 403 \
	    'identity refused.*email'
}

for name in $PROFILES; do
	[ -d "$PROFILES_DIR/$name" ] || bail_out "no profile $name"
	CHECK_OUT=
	check_profile "$name" || continue
	if declare -F "traps_$name" >/dev/null; then
		"traps_$name"
	fi
done

done_testing
