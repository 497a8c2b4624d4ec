#!/bin/bash
# Pages a person never gets stuck on (issue 15): tests/browser/pages.js
# walks every page of oidc-login in headless Chromium, in front of the
# demo site (demo/site: its public page, and a static page and a CGI
# program under /private/ behind oidc-login as a FastCGI authorizer),
# with two providers that work and one that cannot be reached: each case
# of the issue, screenshots at desktop and phone width in light and dark,
# axe-core on each (no violation), button contrast, keyboard order.
# Before the walk, without a browser: the site's name when page_title is
# not set.
#
# SCREENSHOTS=DIR keeps every screenshot in DIR (NAME-SIZE-SCHEME.png);
# README_SHOTS=DIR (docs/screenshots) also copies the README's ones there.
# CHROMIUM=PATH picks the browser.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/scale.sh"
need_tools
CHROMIUM=${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}
[ -x "$CHROMIUM" ] || skip_all "chromium not installed"
for pkg in playwright-core axe-core; do
	[ -d "$top_srcdir/tests/node_modules/$pkg" ] ||
	    skip_all "tests/node_modules/$pkg missing (run: cd tests && npm ci)"
done
need_program

# The README's screenshots: README name, then the walk's name.
README_SET="choose.png choose-desktop-light.png
choose-phone-dark.png choose-phone-dark.png
provider-login.png provider-login-desktop-light.png
error.png provider-down-desktop-light.png
cancelled.png cancelled-desktop-light.png
refused.png refused-desktop-light.png
signed-in.png signed-in-desktop-light.png
signed-in-phone.png signed-in-phone-light.png
signed-out-dark.png signed-out-desktop-dark.png
demo-whoami.png demo-whoami-desktop-light.png"

# The site is the demo's, with its CGI program run by /bin/sh.
setup() {
	local attempt ops pid spec
	rm -rf "$T/site"
	cp -R "$top_srcdir/demo/site" "$T/site" || bail_out "cannot copy demo/site"
	for attempt in 1 2 3; do
		free_port WEB_PORT
		free_port DEAD_PORT
		WEB=http://127.0.0.1:$WEB_PORT
		spec=client_secret_basic:$WEB/auth/callback,$WEB/auth/signed-out
		start_op alpha 0 --name="Acme ID" "$ALPHA_ID:$ALPHA_SECRET:$spec"
		OP_A=$OP_ISSUER
		ops=$OP_PID
		spec=client_secret_post:$WEB/auth/callback,$WEB/auth/signed-out
		start_op beta 0 --name="Globex SSO" "$BETA_ID:$BETA_SECRET:$spec"
		OP_B=$OP_ISSUER
		ops="$ops $OP_PID"
		write_config "$T/secrets.toml" "page_title = \"Example site\"
post_logout_redirect_uri = \"$WEB/auth/signed-out\"
http_connect_timeout = 2
allowed_emails = [\"alice@example.com\", \"bob@example.com\"]"
		# Nothing listens on DEAD_PORT: a provider that is down.
		cat >>"$T/secrets.toml" <<EOF

[auth.gamma]
display_name = "Initech Login"
client_id = "gamma-client"
client_secret = "gamma-secret-gamma-secret-gamma-secret"
server_metadata_url = "http://127.0.0.1:$DEAD_PORT/.well-known/openid-configuration"
EOF
		# As demo/run: protected pages are never kept by the browser (a
		# cached copy would show after signing out).
		WEB_AUTHORIZER=/private/ WEB_EXTRA='server.modules += ( "mod_cgi" )
cgi.assign = ( ".cgi" => "/bin/sh" )
$HTTP["url"] =~ "^/private/" {
	setenv.add-response-header = ( "X-Backend" => "site",
	    "Cache-Control" => "no-store" )
}' \
		    start_web site "$WEB_PORT" "$T/secrets.toml" 1 && return 0
		[ "$WEB_PORT_TAKEN" = 1 ] || bail_out "lighttpd did not start"
		diag "port $WEB_PORT was taken; starting again"
		for pid in $ops; do
			_stop_pid "$pid"
			_forget_pid "$pid"
		done
	done
	bail_out "could not start lighttpd"
}

# cgi_page CONFIG: the choice page of oidc-login run once as plain CGI.
cgi_page() {
	GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME=/auth \
	    PATH_INFO=/ REQUEST_URI=/auth/ QUERY_STRING= \
	    "$OIDC_LOGIN" -c "$1" </dev/null 2>>"$T/cgi.log"
}

# Item 9: without page_title, the pages name the site by its host.
setup
grep -v '^page_title' "$T/secrets.toml" >"$T/untitled.toml"
page=$(cgi_page "$T/untitled.toml")
like "$page" "<title>Sign in &ndash; 127\\.0\\.0\\.1:$WEB_PORT</title>" \
    "no page_title: the window title names the site's host"
like "$page" "<p class=\"site\">127\\.0\\.0\\.1:$WEB_PORT</p>" \
    "  ... and so does the label above the heading"
unlike "$page" 'Sign in &ndash; Sign in' "  ... never \"Sign in - Sign in\""

shots=${SCREENSHOTS:-$T/screenshots}
while IFS= read -r line; do
	case $line in
	"ok "* | "not ok "*)
		# The walk's numbers follow the ones above.
		_tap_n=$((_tap_n + 1))
		case $line in "not ok"*) _tap_failed=$((_tap_failed + 1)) ;; esac
		printf '%s\n' "$line" | sed -E "s/^(ok|not ok) [0-9]+/\\1 $_tap_n/"
		;;
	1..*) _walked=1 ;;
	*) printf '%s\n' "$line" ;;
	esac
done < <(CHROMIUM=$CHROMIUM "$NODE" "$top_srcdir/tests/browser/pages.js" \
    "$WEB" --dead gamma --refused eve --screenshots "$shots" 2>&1)
[ "${_walked:-0}" = 1 ] || fail "pages.js ran to its end"

if [ -n "${README_SHOTS:-}" ]; then
	mkdir -p "$README_SHOTS"
	while read -r name from; do
		cp "$shots/$from" "$README_SHOTS/$name" ||
		    fail "README screenshot $name (from $from)"
	done <<<"$README_SET"
fi
done_testing
