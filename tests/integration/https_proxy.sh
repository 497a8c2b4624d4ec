#!/bin/bash
# Behind a TLS-terminating proxy, as in many deployments: HAProxy (then
# nginx) serves https://site.test:PORT with a certificate from a private
# CA made at test time and passes plain http to lighttpd, which runs
# oidc-login from contrib/lighttpd/oidc-login.conf; redirect_uri is the
# public https URL; the providers are over https too (http_ca_file).
#
# - Logins work with curl and in headless Chromium (after one cookie
#   test: the server sees plain http), the cookies are __Host- and
#   Secure, logout works.
# - Nothing a client sends (X-Forwarded-Proto, X-Forwarded-Host,
#   X-Forwarded-Port, X-Forwarded-Ssl, Forwarded) changes a redirect or a
#   cookie attribute.
# - The site reached over plain http (HAProxy's http port, or lighttpd
#   directly) while set up for https: an error page that says why and
#   links to the https login, after one redirect, not a login loop; in
#   curl and in Chromium.
#
# site.test is resolved to 127.0.0.1 by curl (--resolve, through a
# .curlrc in CURL_HOME) and Chromium (--host-resolver-rules): browsers
# keep Secure cookies for localhost and 127.0.0.1 even over http, so the
# plain-http case needs another name.  /etc/hosts is not touched.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/lib/tls.sh"
need_tools
need_tls
need_nginx
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
[ -x "$HAPROXY" ] || skip_all "haproxy not installed (Debian: haproxy)"
need_program

tls_setup
OP_ARGS=(--tls-cert="$TLS/site.crt" --tls-key="$TLS/site.key")
RESOLVE=--host-resolver-rules="MAP site.test 127.0.0.1"
FORGED=(
	'X-Forwarded-Proto: http'
	'X-Forwarded-Host: evil.example'
	'X-Forwarded-Port: 80'
	'X-Forwarded-Ssl: off'
	'Forwarded: for=192.0.2.1;proto=http;host=evil.example'
)

free_port BACK_PORT
free_port PUB_PORT
free_port PLAIN_PORT
WEB=https://site.test:$PUB_PORT
AUTH=$WEB/auth
PLAIN=http://site.test:$PLAIN_PORT
BACK=http://site.test:$BACK_PORT

# curl_home NAME [HEADER...]: a .curlrc resolving site.test to 127.0.0.1
# (and sending the headers on every request); sets CURL_HOME.
curl_home() {
	local dir=$T/curl-$1 h p
	shift
	mkdir -p "$dir"
	for p in "$BACK_PORT" "$PUB_PORT" "$PLAIN_PORT"; do
		printf 'resolve = "site.test:%s:127.0.0.1"\n' "$p"
	done >"$dir/.curlrc"
	for h in "$@"; do
		printf 'header = "%s"\n' "$h" >>"$dir/.curlrc"
	done
	export CURL_HOME=$dir
}
curl_home plain

start_op alpha 0 --name="Acme ID" "${OP_ARGS[@]}" \
    "$ALPHA_ID:$ALPHA_SECRET:client_secret_basic:$WEB/auth/callback,$WEB/"
OP_A=$OP_ISSUER
start_op beta 0 --name="Globex SSO" "${OP_ARGS[@]}" \
    "$BETA_ID:$BETA_SECRET:client_secret_post:$WEB/auth/callback,$WEB/"
OP_B=$OP_ISSUER
write_config "$T/secrets.toml" "http_ca_file = \"$TLS/ca.crt\""
recipe lighttpd/oidc-login.conf "$T/recipe.conf"
start_lighttpd_recipe "$BACK_PORT" "$T/recipe.conf" ||
    bail_out "lighttpd did not start on $BACK_PORT"

# HAProxy: TLS on the public port, plain http on another, both to
# lighttpd; it sets X-Forwarded-Proto and X-Forwarded-For, as usual.
start_haproxy() {
	local pid
	cat >"$T/haproxy.cfg" <<EOF
global
	pidfile $T/haproxy.pid
defaults
	mode http
	timeout connect 5s
	timeout client 30s
	timeout server 30s
frontend public
	bind 127.0.0.1:$PUB_PORT ssl crt $TLS/site.pem
	http-request set-header X-Forwarded-Proto https
	option forwardfor
	default_backend site
frontend plain
	bind 127.0.0.1:$PLAIN_PORT
	default_backend site
backend site
	server lighttpd 127.0.0.1:$BACK_PORT
EOF
	"$HAPROXY" -db -f "$T/haproxy.cfg" >>"$T/haproxy.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	HAPROXY_PID=$pid
	SITE_SCHEME=https _wait_tag "$PUB_PORT" "$pid"
}
start_haproxy || bail_out "HAProxy did not start on $PUB_PORT"

# What reaches the server behind the proxy, to know the forged headers do.
cat >"$T/site/headers.cgi" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
env | grep -E '^(HTTPS|REQUEST_SCHEME|HTTP_X_FORWARDED_[A-Z]+|HTTP_FORWARDED)=' |
    LC_ALL=C sort
EOF
chmod 755 "$T/site/headers.cgi"

# A login, the identity, a logout with curl through the proxy in front.
through_proxy() {
	local label=$1 jar=$T/jar-$1
	JAR=
	request "$AUTH/"
	is "$STATUS" 200 "$label: https://site.test/auth/: the choice page"
	security_headers "$label: the choice page"
	PROBE=1 tls_login "$label" "$jar" /private/whoami.cgi
	check_identity_cgi "$label" "$WEB/private/whoami.cgi" "$jar" alice upper
	tls_logout "$label" "$jar"
}

# What the last response decided: its status, Location and every
# Set-Cookie with its value blanked (state, nonce and values change every
# time).
decided() {
	tr -d '\r' <"$T/last.headers" |
	    grep -Ei '^(HTTP/|location:|set-cookie:)' |
	    sed -E 's/^([Ss]et-[Cc]ookie: [^=]+=)[^;]*/\1V/;
		s/(state|nonce|code_challenge)=[^&]*/\1=V/g; s/^HTTP\/[0-9.]+/HTTP/'
}

# forged_same LABEL URL: the same answer with and without the forged
# headers.
forged_same() {
	local label=$1 url=$2 plain forged
	JAR=
	curl_home plain
	request "$url"
	plain=$(decided)
	curl_home forged "${FORGED[@]}"
	request "$url"
	forged=$(decided)
	curl_home plain
	if [ -n "$plain" ] && [ "$plain" = "$forged" ]; then
		pass "$label: the same redirect and cookies with forged headers"
	else
		fail "$label: the same redirect and cookies with forged headers" \
		    "without: $plain" "with: $forged"
	fi
}

# --- HAProxy in front ------------------------------------------------------

through_proxy HAProxy
tls_flow "HAProxy, Chromium" "$WEB" /private/whoami.cgi --provider alpha \
    --login bob --chromium-arg="$RESOLVE"

forged_same "HAProxy: a protected page" "$WEB/private/page?a=1"
forged_same "HAProxy: the login's start" "$AUTH/login/alpha?return_to=%2Fprivate%2Fpage"
forged_same "HAProxy: the login after the cookie test" \
    "$AUTH/login/alpha?return_to=%2Fprivate%2Fpage&cookie_check=1"
curl_home forged "${FORGED[@]}"
request "$WEB/headers.cgi"
like "$(body)" '^HTTP_X_FORWARDED_HOST=evil\.example$' \
    "HAProxy passes a forged X-Forwarded-Host on to the server"
like "$(body)" '^HTTP_FORWARDED=for=192\.0\.2\.1;proto=http;host=evil\.example$' \
    "... and a forged Forwarded"
like "$(body)" '^HTTP_X_FORWARDED_PROTO=https$' \
    "... and sets X-Forwarded-Proto itself"
unlike "$(body)" '^(HTTPS=on|REQUEST_SCHEME=https)$' \
    "the server behind it sees plain http"
PROBE=1 tls_login "HAProxy, forged headers on every request" "$T/jar-forged" \
    /private/whoami.cgi
is "$(header_in "$T/jar-forged.headers" Location)" /private/whoami.cgi \
    "HAProxy, forged headers: the callback's Location is the path asked for"
tls_logout "HAProxy, forged headers" "$T/jar-forged"
curl_home plain

# --- The site over plain http while set up for https -----------------------

# plain_http LABEL BASE: curl through BASE (plain http) to the login.
plain_http() {
	local label=$1 base=$2 out
	JAR=$T/jar-plain-$1
	rm -f "$JAR"
	request "$base/private/page"
	is "$STATUS $LOCATION" "302 $base/auth/?return_to=%2Fprivate%2Fpage" \
	    "$label: the protected page sends to the login page"
	request "$base/auth/login/alpha?return_to=%2Fprivate%2Fpage"
	is "$STATUS $LOCATION" \
	    "302 $base/auth/login/alpha?return_to=%2Fprivate%2Fpage&cookie_check=1" \
	    "$label: the login first tests the cookie"
	like "$(set_cookie __Host-oidc_login_tls)" '; *Secure' \
	    "$label: a Secure test cookie (curl keeps none over http for site.test)"
	request "$LOCATION"
	is "$STATUS" 400 "$label: the cookie did not come back: 400"
	like "$(body)" 'opened over plain http' "$label: the page says why"
	like "$(body)" "href=\"$WEB/auth/login/alpha\\?return_to=%2Fprivate%2Fpage\"" \
	    "$label: and links to the https login"
	unlike "$(cat "$JAR")" '_flow_' "$label: no login was started"
	out=$(curl -sS -L --max-redirs 10 -o /dev/null -b "$JAR" -c "$JAR" \
	    -w '%{http_code} %{num_redirects}' \
	    "$base/auth/login/alpha?return_to=%2Fprivate%2Fpage")
	is "$out" "400 1" "$label: curl -L: one redirect, then the page (no loop)"
	JAR=
}

mark=$(wc -l <"$T/oidc-login.log")
plain_http "HAProxy's http port" "$PLAIN"
like "$(tail -n +"$((mark + 1))" "$T/oidc-login.log")" \
    'GET /auth/login/alpha: 400 verification failed: login over plain http: the browser did not send back the Secure test cookie' \
    "the log line says why"
plain_http "lighttpd directly" "$BACK"
curl_home forged 'X-Forwarded-Proto: https' 'Forwarded: proto=https' \
    'X-Forwarded-Ssl: on'
plain_http "lighttpd directly, X-Forwarded-Proto: https forged" "$BACK"
curl_home plain
tls_browser "HAProxy's http port, Chromium" plain-http.js "$PLAIN" \
    /private/whoami.cgi "$WEB" --provider alpha --chromium-arg="$RESOLVE"

# --- nginx in front instead ------------------------------------------------

_stop_pid "$HAPROXY_PID"
_forget_pid "$HAPROXY_PID"
cat >"$T/proxy-nginx.conf" <<EOF
ssl_certificate $TLS/site.crt;
ssl_certificate_key $TLS/site.key;
location / {
	proxy_pass http://127.0.0.1:$BACK_PORT;
	proxy_set_header Host \$host;
	proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
	proxy_set_header X-Forwarded-Proto \$scheme;
}
EOF
SITE_SCHEME=https start_nginx "$PUB_PORT" "$T/proxy-nginx.conf" ||
    bail_out "nginx did not start on $PUB_PORT"
through_proxy "nginx proxy"
forged_same "nginx proxy: the login's start" \
    "$AUTH/login/alpha?return_to=%2Fprivate%2Fpage"
curl_home forged "${FORGED[@]}"
PROBE=1 tls_login "nginx proxy, forged headers on every request" \
    "$T/jar-forged-nginx" /private/whoami.cgi
curl_home plain

done_testing
