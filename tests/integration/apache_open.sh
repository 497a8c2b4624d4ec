#!/bin/bash
# The Apache configurations docs/hosting.md warns against, to keep the
# warnings true: each one below is a plausible edit of a recipe, and each
# leaves content open to strangers or breaks it.  The recipes themselves
# are tested in apache_fcgid.sh and apache_authnz.sh.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
need_tools
need_spawn_fcgi
need_apache fcgid proxy proxy_fcgi authnz_fcgi mpm_prefork

APACHE_EXTRA_MODULES="fcgid proxy proxy_fcgi authnz_fcgi"

# /wN/page holds "secret N"; the pages and the login come from the fcgid
# recipe, the authnz provider is the spawn-fcgi process.
write_wrong() {
	local n
	for n in 1 2 3 4 5 6; do
		mkdir -p "$T/site/w$n"
		printf 'secret %s\n' "$n" >"$T/site/w$n/page"
	done
	cat >"$T/wrong.conf" <<EOF
# 1: FcgidAuthorizer with nothing that authenticates first.
<Location /w1/>
	FcgidAuthorizer "$OIDC_LOGIN"
	Require all granted
</Location>
# 2: the same with Require valid-user.
<Location /w2/>
	FcgidAuthorizer "$OIDC_LOGIN"
	Require valid-user
</Location>
AuthnzFcgiDefineProvider authn oidc-login fcgi://127.0.0.1:$FCGI_PORT/
# 3: mod_authnz_fcgi without Require valid-user.
<Location /w3/>
	AuthnzFcgiCheckAuthnProvider oidc-login Authoritative On \\
		RequireBasicAuth Off UserExpr "%{reqenv:REMOTE_USER}"
</Location>
# 4: Authoritative Off.
<Location /w4/>
	AuthnzFcgiCheckAuthnProvider oidc-login Authoritative Off \\
		RequireBasicAuth Off UserExpr "%{reqenv:REMOTE_USER}"
	Require valid-user
</Location>
# 5: no UserExpr.
<Location /w5/>
	AuthnzFcgiCheckAuthnProvider oidc-login Authoritative On \\
		RequireBasicAuth Off
	Require valid-user
</Location>
# 6: Require valid-user OR'ed with something that always holds.
<Location /w6/>
	AuthnzFcgiCheckAuthnProvider oidc-login Authoritative On \\
		RequireBasicAuth Off UserExpr "%{reqenv:REMOTE_USER}"
	<RequireAny>
		Require valid-user
		Require all granted
	</RequireAny>
</Location>
EOF
}

start_wrong() {
	start_spawn_fcgi "$FCGI_PORT" || return 2
	write_hosting_site
	write_wrong
	recipe apache/oidc-login-fcgid.conf "$T/recipe.conf"
	start_apache "$WEB_PORT" "$T/recipe.conf" "$T/wrong.conf"
}
setup_hosting start_wrong

# status_of N [JAR]: the status of /wN/page, anonymous or with JAR.
status_of() {
	JAR=${2:-}
	request "$WEB/w$1/page"
	JAR=
	printf '%s\n' "$STATUS"
}

JAR=$T/jar
out=$(op_login "$AUTH/login/alpha" alice "$T/jar")
is "${out%% *}" 302 "signed in as alice"

request "$WEB/w1/page"
is "$STATUS $(body)" "200 secret 1" \
    "FcgidAuthorizer alone, Require all granted: OPEN to strangers"
is "$(status_of 2)" 500 \
    "FcgidAuthorizer alone, Require valid-user: 500 for everyone (AH00027)"
request "$WEB/w3/page"
is "$STATUS $(body)" "200 secret 3" \
    "mod_authnz_fcgi without Require valid-user: OPEN to strangers"
is "$(status_of 4)" 500 "mod_authnz_fcgi, Authoritative Off: 500 for strangers"
is "$(status_of 5)" 302 "mod_authnz_fcgi without UserExpr: strangers sent to login"
is "$(status_of 5 "$T/jar")" 500 "... but signed-in users get a 500"
request "$WEB/w6/page"
is "$STATUS $(body)" "200 secret 6" \
    "Require valid-user in a RequireAny with Require all granted: OPEN"

done_testing
