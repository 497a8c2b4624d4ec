# shellcheck shell=bash disable=SC2034,SC2154  # variables for and from the test scripts
# Shell helpers for the https tests: a private CA made by openssl at test
# time, the certificates the servers and providers present, and the
# clients told to trust that CA (curl through CURL_CA_BUNDLE, Chromium
# through an NSS database in a private HOME, oidc-login through
# http_ca_file).  Sourced by bash after tests/lib/common.sh.
#
#   need_tls                    skip unless openssl (and certutil for
#                               Chromium: need_tls browser) are here
#   tls_setup                   makes $TLS (below) and exports
#                               CURL_CA_BUNDLE=$TLS/ca.crt
#   tls_browser_home            an NSS database trusting the CA in
#                               $T/home; prints the HOME to run Chromium with
#
# $TLS holds, for NAME in the list below, NAME.key, NAME.crt and NAME.pem
# (key and certificate in one file, as lighttpd and HAProxy want):
#   ca.crt      the test CA (what the clients trust)
#   site        127.0.0.1, localhost, site.test; valid now
#   other       other.example only: a wrong host name for 127.0.0.1
#   expired     127.0.0.1 and localhost, expired yesterday
#   notyet      127.0.0.1 and localhost, valid from tomorrow
#   rogue       127.0.0.1 and localhost, from another CA (rogue-ca.crt)
# Every certificate is made fresh for each test run.

TLS=

need_tls() {
	command -v openssl >/dev/null 2>&1 ||
	    skip_all "openssl not installed (Debian: openssl)"
	if [ "${1:-}" = browser ]; then
		command -v certutil >/dev/null 2>&1 ||
		    skip_all "certutil not installed (Debian: libnss3-tools)"
	fi
}

# _tls_ca DIR NAME: a CA (DIR/NAME.key, DIR/NAME.crt) and the small
# database `openssl ca` signs with (DIR/NAME.db, DIR/NAME.cnf).
_tls_ca() {
	local dir=$1 name=$2
	mkdir -p "$dir/$name.db"
	: >"$dir/$name.db/index.txt"
	echo 1000 >"$dir/$name.db/serial"
	cat >"$dir/$name.cnf" <<EOF
[ca]
default_ca = test
[test]
dir = $dir/$name.db
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
EOF
	openssl req -x509 -newkey rsa:2048 -nodes -days 3 \
	    -subj "/CN=oidc-login test $name $$" \
	    -addext 'basicConstraints=critical,CA:TRUE' \
	    -addext 'keyUsage=critical,keyCertSign,cRLSign' \
	    -keyout "$dir/$name.key" -out "$dir/$name.crt" >/dev/null 2>&1
}

# _tls_date SECONDS_FROM_NOW: the time as openssl ca wants it.
_tls_date() {
	date -u -d "@$(($(date +%s) + $1))" +%Y%m%d%H%M%SZ
}

# _tls_cert DIR CA NAME SAN FROM UNTIL: a server certificate signed by
# CA, valid from FROM to UNTIL (seconds from now).
_tls_cert() {
	local dir=$1 ca=$2 name=$3 san=$4 from=$5 until=$6
	openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$name" \
	    -keyout "$dir/$name.key" -out "$dir/$name.csr" >/dev/null 2>&1 ||
	    return 1
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
	    "$san" >"$dir/$name.ext"
	openssl ca -config "$dir/$ca.cnf" -batch -notext -cert "$dir/$ca.crt" \
	    -keyfile "$dir/$ca.key" -in "$dir/$name.csr" -out "$dir/$name.crt" \
	    -startdate "$(_tls_date "$from")" -enddate "$(_tls_date "$until")" \
	    -extfile "$dir/$name.ext" >/dev/null 2>&1 || return 1
	cat "$dir/$name.key" "$dir/$name.crt" >"$dir/$name.pem"
}

tls_setup() {
	local day=86400 local_names='IP:127.0.0.1,DNS:localhost'
	TLS=$T/tls
	mkdir -p "$TLS"
	{
		_tls_ca "$TLS" ca &&
		_tls_ca "$TLS" rogue-ca &&
		_tls_cert "$TLS" ca site "$local_names,DNS:site.test" -3600 $day &&
		_tls_cert "$TLS" ca other 'DNS:other.example' -3600 $day &&
		_tls_cert "$TLS" ca expired "$local_names" $((-3 * day)) -$day &&
		_tls_cert "$TLS" ca notyet "$local_names" $day $((3 * day)) &&
		_tls_cert "$TLS" rogue-ca rogue "$local_names" -3600 $day
	} || bail_out "openssl could not make the test certificates"
	# Readable by the servers' unprivileged workers; keys too (tests only).
	chmod -R a+rX "$TLS"
	export CURL_CA_BUNDLE=$TLS/ca.crt
}

# tls_browser_home: $T/home whose NSS database (what Chromium on Linux
# reads for locally trusted roots) trusts the test CA; prints it.
tls_browser_home() {
	local home=$T/home
	if [ ! -d "$home/.pki/nssdb" ]; then
		mkdir -p "$home/.pki/nssdb"
		certutil -d "sql:$home/.pki/nssdb" -N --empty-password &&
		    certutil -d "sql:$home/.pki/nssdb" -A -t 'C,,' \
		    -n 'oidc-login test CA' -i "$TLS/ca.crt" ||
		    bail_out "certutil could not make the browser's trust store"
	fi
	printf '%s\n' "$home"
}

# --- What every https site must do ------------------------------------------

CHROMIUM=${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}

# have_browser: Chromium and playwright-core are here.
have_browser() {
	[ -x "$CHROMIUM" ] && command -v certutil >/dev/null 2>&1 &&
	    [ -d "$top_srcdir/tests/node_modules/playwright-core" ]
}

# tls_browser LABEL SCRIPT ARGS...: runs tests/browser/SCRIPT in headless
# Chromium trusting the test CA; each of its TAP lines becomes one here,
# prefixed with LABEL.
tls_browser() {
	local label=$1 script=$2 line rc home
	shift 2
	if ! have_browser; then
		skip "$label: $script in Chromium" \
		    "chromium, certutil (libnss3-tools) or playwright-core missing"
		return 0
	fi
	home=$(tls_browser_home)
	# The browser trusts the CA through NSS; node's own requests, if
	# any, through NODE_EXTRA_CA_CERTS.
	HOME=$home NODE_EXTRA_CA_CERTS=$TLS/ca.crt CHROMIUM=$CHROMIUM \
	    "$NODE" "$top_srcdir/tests/browser/$script" "$@" \
	    >"$T/browser.out" 2>"$T/browser.err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) pass "$label: ${line#ok * - }" ;;
		"not ok "*) fail "$label: ${line#not ok * - }" ;;
		"#"*) diag "${line#"# "}" ;;
		esac
	done <"$T/browser.out"
	[ "$rc" = 0 ] || grep -q '^not ok' "$T/browser.out" ||
	    fail "$label: $script ran" "exit $rc" "$(tail -n 20 "$T/browser.err")"
}

# tls_flow LABEL BASE_URL PROTECTED_PATH [flow.js options...]: the whole
# flow (tests/browser/flow.js) in Chromium trusting the test CA.
tls_flow() {
	local label=$1
	shift
	tls_browser "$label" flow.js "$@"
}

# secure_cookie LABEL WHAT SET_COOKIE_LINES [PREFIX]: every line sets or
# deletes a PREFIX (default __Host-) cookie with Secure, HttpOnly,
# SameSite=Lax and no Domain; __Host- ones with Path=/.
secure_cookie() {
	local label=$1 what=$2 lines=$3 prefix=${4:-__Host-} line bad=
	[ -n "$lines" ] || { fail "$label: $what: a cookie is set"; return; }
	while IFS= read -r line; do
		case $line in "$prefix"*) ;; *) bad="no $prefix prefix: $line" ;; esac
		printf '%s\n' "$line" | grep -Eiq '; *secure( *;|$)' ||
		    bad="not Secure: $line"
		printf '%s\n' "$line" | grep -Eiq '; *httponly( *;|$)' ||
		    bad="not HttpOnly: $line"
		printf '%s\n' "$line" | grep -Eiq '; *samesite=lax( *;|$)' ||
		    bad="not SameSite=Lax: $line"
		printf '%s\n' "$line" | grep -Eiq '; *domain=' &&
		    bad="with a Domain: $line"
		if [ "$prefix" = __Host- ] &&
		    ! printf '%s\n' "$line" | grep -Eiq '; *path=/( *;|$)'; then
			bad="__Host- without Path=/: $line"
		fi
	done <<<"$lines"
	if [ -z "$bad" ]; then
		pass "$label: $what: $prefix, Secure, HttpOnly, SameSite=Lax"
	else
		fail "$label: $what: $prefix, Secure, HttpOnly, SameSite=Lax" "$bad"
	fi
}

# header_in FILE NAME: every value of header NAME in a saved response head.
header_in() {
	tr -d '\r' <"$1" |
	    awk -v n="$(printf '%s' "$2" | tr '[:upper:]' '[:lower:]')" '
		{ i = index($0, ":"); if (i == 0) next
		  if (tolower(substr($0, 1, i - 1)) == n) {
			v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v } }'
}

# security_headers LABEL [HEADERS_FILE]: the headers every page and
# redirect of oidc-login carries.
security_headers() {
	local label=$1 file=${2:-$T/last.headers}
	like "$(header_in "$file" Cache-Control)" 'no-store' \
	    "$label: Cache-Control no-store"
	like "$(header_in "$file" Content-Security-Policy)" "default-src 'none'" \
	    "$label: a strict Content-Security-Policy"
	is "$(header_in "$file" X-Frame-Options)" DENY \
	    "$label: X-Frame-Options DENY"
	is "$(header_in "$file" Referrer-Policy)" no-referrer \
	    "$label: Referrer-Policy no-referrer"
	is "$(header_in "$file" X-Content-Type-Options)" nosniff \
	    "$label: X-Content-Type-Options nosniff"
}

# tls_login LABEL JAR [PROTECTED_PATH]: a login through alpha with curl,
# started at /auth/login/alpha with return_to PROTECTED_PATH (default
# /private/page): straight to the provider (no cookie test: the server
# received TLS), Secure prefixed cookies, back at the page.  PROBE=1: the
# server does not receive TLS (a proxy in front): one cookie test first.
tls_login() {
	local label=$1 jar=$2 path=${3:-/private/page} out start
	rm -f "$jar"
	out=$(op_login "$AUTH/login/alpha?return_to=$(urlencode "$path")" alice "$jar")
	start=$(tr -d '\r' <"$jar.start")
	like "$start" "^[Ll]ocation: $OP_A/auth\\?" \
	    "$label: the login goes to the provider's authorization endpoint"
	is "$(urldecode "$(query_param "$(header_in "$jar.start" Location)" \
	    redirect_uri)")" "$WEB/auth/callback" \
	    "$label: ... with the https redirect_uri"
	if [ "${PROBE:-0}" = 1 ]; then
		like "$start" '^[Ss]et-[Cc]ookie: __Host-oidc_login_tls=;' \
		    "$label: after one cookie test, passed (the server sees plain http)"
	else
		unlike "$start" 'oidc_login_tls=' \
		    "$label: no cookie test (the server says the request came over TLS)"
	fi
	secure_cookie "$label" "flow cookie" \
	    "$(set_cookie '__Host-oidc_login_flow_[^=]+' "$jar.start")"
	security_headers "$label: the login redirect" "$jar.start"
	like "$(cat "$jar.callback" 2>/dev/null)" "^$WEB/auth/callback\\?" \
	    "$label: the provider sends the browser to the https redirect_uri"
	is "$out" "302 $WEB$path" "$label: the callback signs in, back at $path"
	secure_cookie "$label" "session cookie" "$(session_cookies "$jar.headers")"
	security_headers "$label: the callback's redirect" "$jar.headers"
	JAR=$jar
	request "$AUTH/user"
	body >"$T/user.json"
	is "$(json_get "$T/user.json" email)" alice@example.com \
	    "$label: /auth/user: signed in as alice"
	JAR=
}

# tls_logout LABEL JAR: the logout page, its POST (CSRF), every session
# cookie deleted with the same attributes, the provider's logout, back
# on the site, signed out.
tls_logout() {
	local label=$1 jar=$2 csrf out
	JAR=$jar
	request "$AUTH/logout?return_to=%2F"
	is "$STATUS" 200 "$label: the logout page"
	security_headers "$label: the logout page"
	csrf=$(body | tr '\n' ' ' | grep -o '<input[^>]*name="csrf"[^>]*>' |
	    head -n 1 | grep -o 'value="[^"]*"' | sed 's/^value="//; s/"$//')
	request --data-urlencode "csrf=$csrf" --data-urlencode "return_to=/" \
	    "$AUTH/logout"
	like "$STATUS $LOCATION" "^30[23] $OP_A/session/end\\?" \
	    "$label: POST /auth/logout: to the provider's logout"
	is "$(urldecode "$(query_param "$LOCATION" post_logout_redirect_uri)")" \
	    "$WEB/" "$label: ... and back to the https site"
	secure_cookie "$label" "session cookie deleted" "$(session_cookies)"
	ok "$label: ... all deleted" all_deleting "$(session_cookies)"
	out=$(op_logout "$LOCATION" "$jar")
	is "$out" "303 $WEB/" "$label: the provider's logout returns to the site"
	request "$AUTH/user"
	body >"$T/user.json"
	is "$(json_get "$T/user.json" is_logged_in)" false "$label: signed out"
	JAR=
}
