#!/bin/bash
# Access rules (allowed_email_domains, allowed_emails, required_claims,
# in [auth] and per provider) on lighttpd with the Authorizer
# (contrib/lighttpd/oidc-login.conf): refused at the callback with a 403
# page and no session; a session issued before the rules changed is
# refused by the authorizer and /check with a 403 page, never sent round
# the login loop again.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
need_tools

start_lighttpd_authorizer() {
	recipe lighttpd/oidc-login.conf "$T/recipe.conf"
	start_lighttpd_recipe "$WEB_PORT" "$T/recipe.conf"
}
setup_hosting start_lighttpd_authorizer 'allowed_email_domains = ["example.com"]'

# with_rules GLOBAL_LINES [BETA_LINES]: restarts with these rules (same
# cookie secret: sessions stay valid).
with_rules() {
	stop_lighttpd
	write_config "$T/secrets.toml" "$1"
	if [ -n "${2:-}" ]; then
		printf '%s\n' "$2" >>"$T/secrets.toml"	# [auth.beta] is last
	fi
	start_lighttpd_recipe "$WEB_PORT" "$T/recipe.conf" ||
	    bail_out "lighttpd did not restart on port $WEB_PORT"
}

# login_as NAME PROVIDER: a fresh login; prints the callback's "STATUS
# LOCATION"; the callback's headers in $T/jar-NAME.headers.
login_as() {
	rm -f "$T/jar-$1"*
	op_login "$AUTH/login/$2?return_to=%2Fprivate%2Fpage" "$1" "$T/jar-$1"
}

# refused_at_callback NAME PROVIDER DESCRIPTION
refused_at_callback() {
	local out
	out=$(login_as "$1" "$2")
	is "${out%% *}" 403 "$3: the callback answers 403"
	is "${out#* }" "" "$3: no redirect (no loop)"
	like "$(cat "$T/jar-$1.body")" 'not allowed' "$3: the page says so"
	like "$(cat "$T/jar-$1.body")" "href=\"/auth/login/$2\\?switch=1&amp;return_to=%2Fprivate%2Fpage\">Use another account" \
	    "$3: and offers another account"
	ok "$3: no session cookie" sets_no_session "$T/jar-$1.headers"
}

# admitted NAME PROVIDER DESCRIPTION
admitted() {
	is "$(login_as "$1" "$2")" "302 $WEB/private/page" "$3"
}

admitted alice alpha "allowed_email_domains = example.com: alice admitted"
JAR=$T/jar-alice
request "$WEB/private/page"
is "$STATUS" 200 "and the authorizer lets her through"

# The rules tighten; alice's session is still valid, but no longer enough.
with_rules 'allowed_email_domains = ["example.org", "EXAMPLE.net"]'
JAR=$T/jar-alice
request "$WEB/private/page"
is "$STATUS" 403 "domains example.org/net: alice's old session gets a 403"
like "$(header Content-Type)" '^text/html' "an HTML page"
like "$(body)" 'not allowed' "saying the account is not allowed"
like "$(body)" 'href="/auth/logout' "offering to sign out"
ok "the 403 keeps the session (signing out is the user's choice)" \
    sets_no_session
request -H 'Accept: application/json' "$WEB/private/page"
is "$STATUS" 403 "an API call: 403"
body >"$T/forbidden.json"
is "$(json_get "$T/forbidden.json" error)" forbidden "in JSON"
request "$AUTH/check"
is "$STATUS" 403 "/auth/check: 403"
is "$(header X-Auth-Request-User)" "" "no identity headers"
JAR=
refused_at_callback bob alpha "domains example.org/net, bob"

with_rules 'allowed_emails = ["BOB@Example.com"]'
admitted bob alpha "allowed_emails = BOB@Example.com: bob admitted (case-insensitive)"
refused_at_callback alice alpha "allowed_emails = bob only, alice"
JAR=$T/jar-bob
request "$WEB/private/page"
is "$STATUS" 200 "bob passes the authorizer"
JAR=

with_rules '[auth.required_claims]
groups = "admins"'
admitted admin1 alpha "required_claims groups = admins: admin1 admitted"
refused_at_callback carol alpha "required_claims groups = admins, carol"
JAR=$T/jar-admin1
request "$WEB/private/whoami.cgi"
like "$(body)" '^REMOTE_USER=admin1@example.com$' "admin1 passes the authorizer"
JAR=

# A provider's own rules add to the global ones, for that provider only.
with_rules '' 'allowed_emails = ["bob@example.com"]'
admitted alice alpha "beta-only rule: alice admitted through alpha"
refused_at_callback alice beta "beta-only rule, alice through beta"
admitted bob beta "beta-only rule: bob admitted through beta"

done_testing
