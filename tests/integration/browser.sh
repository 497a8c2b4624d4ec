#!/bin/bash
# A real browser (headless Chromium) walks the whole flow under lighttpd:
# a static page guarded by oidc-login as a FastCGI authorizer, the
# provider choice, the provider's login form, Cancel and the error page,
# a sign-in back to the protected page (which shows, through SSI, the
# REMOTE_USER and claims the authorizer handed over), sign-out with the
# provider's logout.  The steps and checks are tests/browser/flow.js.
#
# SCREENSHOTS=DIR keeps the pages as PNGs in DIR (the README's come from
# tests/integration/pages.sh); CHROMIUM=PATH picks the browser.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/scale.sh"
need_tools
CHROMIUM=${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}
[ -x "$CHROMIUM" ] || skip_all "chromium not installed"
[ -d "$top_srcdir/tests/node_modules/playwright-core" ] ||
    skip_all "tests/node_modules/playwright-core missing (run: cd tests && npm ci)"
need_program

# The site: a home page and, under /private/, a page only signed-in users
# get, filled in by SSI from what the authorizer handed over.
write_site() {
	local root=$T/site
	mkdir -p "$root/private"
	cat >"$root/style.css" <<'EOF'
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  margin: 0; background: #f5f5f7; color: #1d1d1f; }
main { max-width: 36rem; margin: 4rem auto; padding: 1.5rem 2rem; background: #fff;
  border-radius: 10px; box-shadow: 0 1px 4px rgba(0, 0, 0, .12); }
a.button { display: inline-block; padding: .6rem 1.2rem; border-radius: 6px;
  background: #0b57d0; color: #fff; text-decoration: none; }
dt { font-weight: 600; } dd { margin: 0 0 .6rem 0; }
EOF
	cat >"$root/index.html" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Example site</title>
<link rel="stylesheet" href="/style.css"></head>
<body><main><h1>Example site</h1>
<p>The members' area is protected by oidc-login.</p>
<p><a class="button" href="/private/">Members' area</a></p>
</main></body></html>
EOF
	cat >"$root/private/index.shtml" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Members' area</title>
<link rel="stylesheet" href="/style.css"></head>
<body><main><h1>Members' area</h1>
<p>Signed in as <strong><!--#echo var="OIDC_CLAIM_NAME" --></strong>.</p>
<dl>
<dt>REMOTE_USER</dt><dd><!--#echo var="REMOTE_USER" --></dd>
<dt>Provider</dt><dd><!--#echo var="OIDC_PROVIDER" --></dd>
<dt>E-mail</dt><dd><!--#echo var="OIDC_CLAIM_EMAIL" --></dd>
</dl>
<p><a class="button" href="/auth/logout?return_to=/">Sign out</a></p>
</main></body></html>
EOF
}

setup() {
	local attempt ops pid
	write_site
	for attempt in 1 2 3; do
		free_port WEB_PORT
		WEB=http://127.0.0.1:$WEB_PORT
		start_op alpha 0 --name="Acme ID" \
		    "$ALPHA_ID:$ALPHA_SECRET:client_secret_basic:$WEB/auth/callback,$WEB/"
		OP_A=$OP_ISSUER
		ops=$OP_PID
		start_op beta 0 --name="Globex SSO" \
		    "$BETA_ID:$BETA_SECRET:client_secret_post:$WEB/auth/callback,$WEB/;id_token_signed_response_alg=ES256"
		OP_B=$OP_ISSUER
		ops="$ops $OP_PID"
		write_config "$T/secrets.toml" 'page_title = "Example site"'
		WEB_AUTHORIZER=/private/ WEB_EXTRA='server.modules += ( "mod_ssi" )
ssi.extension = ( ".shtml" )
index-file.names += ( "index.shtml" )' \
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

setup
shots=${SCREENSHOTS:-$T/screenshots}
while IFS= read -r line; do
	printf '%s\n' "$line"
	case $line in
	"not ok"*) _tap_failed=$((_tap_failed + 1)) ;;
	1..*) _tap_planned=1 ;;
	esac
done < <(CHROMIUM=$CHROMIUM "$NODE" "$top_srcdir/tests/browser/flow.js" \
    "$WEB" /private/ --provider alpha --login alice \
    --expect "Alice Tester" --screenshots "$shots" 2>&1)
[ "$_tap_planned" = 1 ] || echo "Bail out! flow.js ended without a plan"
exit 0
