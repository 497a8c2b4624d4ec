#!/bin/sh
# A CGI program behind oidc-login's authorizer: it shows what the web
# server received for this request, REMOTE_USER and the OIDC_* variables
# (the provider, its name for people, the claims), every value
# HTML-escaped (lighttpd writes the names in capitals: OIDC_CLAIM_NAME,
# Apache as they come: OIDC_CLAIM_name). The server runs it with /bin/sh
# (cgi.assign in demo/run).

esc() {
	printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' \
	    -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\&#39;/g"
}

printf 'Content-Type: text/html; charset=utf-8\r\n'
printf 'Cache-Control: no-store\r\n\r\n'
cat <<'HTML'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>What the server received - Demo site</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<main>
<h1>What the server received</h1>
HTML
printf '<p>Signed in as <strong>%s</strong> with <strong>%s</strong>.</p>\n' \
    "$(esc "${OIDC_CLAIM_name:-${OIDC_CLAIM_NAME:-${REMOTE_USER:-}}}")" \
    "$(esc "${OIDC_PROVIDER_NAME:-${OIDC_PROVIDER:-}}")"
cat <<'HTML'
<p>This page is a CGI program. Before running it, the web server asked
oidc-login, which answered with these variables for it:</p>
<dl class="claims">
HTML
env | LC_ALL=C sort | while IFS= read -r line; do
	name=${line%%=*}
	case $name in
	REMOTE_USER | OIDC_*) ;;
	*) continue ;;
	esac
	printf '<div><dt><code>%s</code></dt><dd>%s</dd></div>\n' \
	    "$(esc "$name")" "$(esc "${line#*=}")"
done
cat <<'HTML'
</dl>
<div class="row">
<a class="button secondary" href="/private/">Members' area</a>
<a class="button secondary" href="/">Home</a>
<form method="post" action="/auth/logout">
<input type="hidden" name="return_to" value="/">
<button type="submit" class="button secondary">Sign out</button>
</form>
</div>
</main>
</body>
</html>
HTML
