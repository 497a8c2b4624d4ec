#!/bin/bash
# The site over https as in production, on lighttpd (mod_openssl), Apache
# (mod_ssl, with the mod_authnz_fcgi recipe) and nginx (ssl, with its
# auth_request recipe), each with a certificate from a private CA made by
# openssl at test time; the providers (tests/op/provider.js) over https
# too, trusted through http_ca_file.  On each server: a login with curl
# (straight to the provider: the server says the request came over TLS),
# the flow and session cookies __Host- prefixed and Secure, the security
# headers, the identity the protected CGI gets, the logout; then the same
# in headless Chromium trusting the CA.  With a non-root cookie_path the
# cookies are __Secure- prefixed.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/lib/tls.sh"
need_tools
need_tls
need_spawn_fcgi
need_nginx
need_apache ssl proxy proxy_fcgi authnz_fcgi cgi mpm_prefork
[ -f /usr/lib/lighttpd/mod_openssl.so ] ||
    skip_all "lighttpd without mod_openssl (Debian: lighttpd-mod-openssl)"

tls_setup
SITE_SCHEME=https
OP_ARGS=(--tls-cert="$TLS/site.crt" --tls-key="$TLS/site.key")
CA_LINE="http_ca_file = \"$TLS/ca.crt\""

# --- lighttpd ------------------------------------------------------------

start_lighttpd_tls() {
	recipe lighttpd/oidc-login.conf "$T/recipe.conf"
	cat >"$T/tls-lighttpd.conf" <<EOF
server.modules += ( "mod_openssl" )
ssl.engine = "enable"
ssl.pemfile = "$TLS/site.pem"
EOF
	start_lighttpd_recipe "$WEB_PORT" "$T/tls-lighttpd.conf" "$T/recipe.conf"
}

# round LABEL [upper|app]: everything a user does, on the server now
# running; the identity through the protected CGI (upper: lighttpd's
# upper-case names) or, app, nginx's proxied application.
round() {
	local label=$1 jar=$T/jar-$1 protected=/private/whoami.cgi
	[ "${2:-}" = app ] && protected=/app/hello
	JAR=
	request "$AUTH/"
	is "$STATUS" 200 "$label: GET /auth/ over https: the choice page"
	security_headers "$label: the choice page"
	request "$WEB/private/page"
	is "$STATUS" 302 "$label: anonymous: the protected page sends to the login"
	if [ "${2:-}" = app ]; then
		tls_login "$label" "$jar" /app/hello
		JAR=$jar
		request "$WEB/app/hello"
		body >"$T/app.json"
		is "$(json_get "$T/app.json" headers.x-remote-user)" \
		    alice@example.com "$label: the application gets X-Remote-User"
		JAR=
	else
		tls_login "$label" "$jar" /private/whoami.cgi
		check_identity_cgi "$label" "$WEB/private/whoami.cgi" "$jar" \
		    alice "${2:-}"
	fi
	tls_logout "$label" "$jar"
	# A page that is not a static file: Chromium would show a cached
	# copy of one after the logout (no Cache-Control on static files).
	tls_flow "$label, Chromium" "$WEB" "$protected" --provider alpha \
	    --login bob
}

setup_hosting start_lighttpd_tls "$CA_LINE"
like "$OP_A" '^https://127\.0\.0\.1:' "the providers are served over https"
is "$(grep '^redirect_uri' "$T/secrets.toml")" \
    "redirect_uri = \"https://127.0.0.1:$WEB_PORT/auth/callback\"" \
    "redirect_uri is the https URL"
out=$(OIDC_LOGIN_CONFIG=$T/secrets.toml "$OIDC_LOGIN" --check-config 2>&1)
ok "--check-config: the providers over https, through http_ca_file" \
    test $? = 0
like "$out" '__Host-oidc_login \(Path=/, Secure\)' \
    "--check-config: the cookies are __Host- and Secure"
round lighttpd upper
stop_lighttpd

# --- Apache: mod_ssl, mod_proxy_fcgi + mod_authnz_fcgi, spawn-fcgi --------

APACHE_EXTRA_MODULES="ssl socache_shmcb proxy proxy_fcgi authnz_fcgi"
start_spawn_fcgi "$FCGI_PORT" || bail_out "oidc-login did not start on $FCGI_PORT"
recipe apache/oidc-login-proxy-fcgi.conf "$T/pages.conf"
recipe apache/oidc-login-authnz.conf "$T/protect.conf"
cat >"$T/tls-apache.conf" <<EOF
SSLEngine on
SSLCertificateFile "$TLS/site.crt"
SSLCertificateKeyFile "$TLS/site.key"
SSLSessionCache none
EOF
start_apache "$WEB_PORT" "$T/tls-apache.conf" "$T/pages.conf" \
    "$T/protect.conf" || bail_out "Apache did not start on $WEB_PORT"
round Apache
stop_apache

# --- nginx: ssl, fastcgi_pass + auth_request, spawn-fcgi --------------------

free_port APP_PORT
start_echo_app "$APP_PORT" || bail_out "the application did not start"
recipe nginx/oidc-login.conf "$T/recipe-nginx.conf"
printf 'ssl_certificate %s;\nssl_certificate_key %s;\n' "$TLS/site.crt" \
    "$TLS/site.key" >"$T/tls-nginx.conf"
start_nginx "$WEB_PORT" "$T/tls-nginx.conf" "$T/recipe-nginx.conf" ||
    bail_out "nginx did not start on $WEB_PORT"
round nginx app

# A cookie_path below the root: __Secure-, since __Host- needs Path=/.
restart_spawn_fcgi "$CA_LINE
cookie_path = \"/auth\""
jar=$T/jar-path
out=$(op_login "$AUTH/login/alpha?return_to=%2Fauth%2Fuser" alice "$jar")
is "$out" "302 $WEB/auth/user" "cookie_path /auth: signed in"
secure_cookie "cookie_path /auth" "flow cookie" \
    "$(set_cookie '__Secure-oidc_login_flow_[^=]+' "$jar.start")" __Secure-
secure_cookie "cookie_path /auth" "session cookie" \
    "$(set_cookie '__Secure-oidc_login(_[0-9]+)?' "$jar.headers")" __Secure-
like "$(set_cookie '__Secure-oidc_login' "$jar.headers")" '; *Path=/auth( *;|$)' \
    "cookie_path /auth: Path=/auth"
JAR=$jar
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" true \
    "cookie_path /auth: /auth/user signed in"
JAR=

done_testing
