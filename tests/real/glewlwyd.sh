# shellcheck shell=bash disable=SC2034  # variables for the test scripts
# Glewlwyd (Debian's 2.7 package) as a private OpenID Provider on
# 127.0.0.1, for tests/integration/real_glewlwyd.sh.  Sourced after
# tests/real/lib.sh.
#
# `glewlwyd -c $T/glewlwyd/glewlwyd.conf`: a configuration written here, an
# SQLite database initialised from the packaged schema, the packaged web
# application served by Glewlwyd itself from a copy (the package's
# webapp/config.json is a symlink to a directory, /etc/glewlwyd/
# config-2.7.json/: served as it is, the login page hangs on "Loading...";
# the copy has the packaged template file instead).  The users, the
# OpenID Connect plugin and the clients are then added through its admin
# API (tests/real/glewlwyd-setup.js), as its administration page would.
# Never /etc/glewlwyd, never the packaged service.
#
# GLEWLWYD_TLS_CERT and GLEWLWYD_TLS_KEY (PEM files): Glewlwyd serves
# https itself (use_secure_connection); GLEWLWYD_TLS_CA: the CA file the
# setup script (node) and the browser (BROWSER_HOME, an NSS database)
# trust.

GLEWLWYD=${GLEWLWYD:-$(command -v glewlwyd || echo /usr/bin/glewlwyd)}
GLEWLWYD_SHARE=${GLEWLWYD_SHARE:-/usr/share/glewlwyd}
GLEWLWYD_SCHEMA=${GLEWLWYD_SCHEMA:-/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3}
GLEWLWYD_LIB=${GLEWLWYD_LIB:-/usr/lib/glewlwyd}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

need_glewlwyd() {
	[ -x "$GLEWLWYD" ] || skip_all "glewlwyd not installed (Debian: glewlwyd)"
	[ -f "$GLEWLWYD_SCHEMA" ] && [ -d "$GLEWLWYD_SHARE/webapp" ] ||
	    skip_all "glewlwyd's schema or web application missing"
	command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not installed"
	[ -x "$CHROMIUM" ] || skip_all "chromium not installed"
	[ -d "$top_srcdir/tests/node_modules/playwright-core" ] ||
	    skip_all "playwright-core missing (cd tests && npm ci)"
}

GLEWLWYD_CLIENTS=()
GLEWLWYD_OPTS=()

# glewlwyd_client ID SECRET KID AUTH_METHODS [property=value...]
# A client: redirect URI $WEB/auth/callback, post-logout redirect URI
# $WEB/, tokens signed with the plugin's key KID (RS256, RS512, PS256,
# ES256, ES384, EdDSA), token_endpoint_auth_method AUTH_METHODS (a comma
# list; Glewlwyd refuses a confidential client's token request without
# one).  An empty SECRET: a public client.
glewlwyd_client() {
	local spec="$1:$2:$3:$4" o
	shift 4
	for o in "$@"; do
		spec+=";$o"
	done
	GLEWLWYD_CLIENTS+=(--client "$spec")
}

# glewlwyd_user LOGIN: a user, password LOGIN-password.
glewlwyd_user() {
	GLEWLWYD_OPTS+=(--user "$1")
}

# No use_secure_connection without TLS: 2.7.5 refuses to start with it
# false and no certificate files named ("secure connection is active but
# certificate is not valid").
_glewlwyd_tls() {
	[ -n "${GLEWLWYD_TLS_CERT:-}" ] || return 0
	printf 'use_secure_connection=true\n'
	printf 'secure_connection_key_file="%s"\n' "$GLEWLWYD_TLS_KEY"
	printf 'secure_connection_pem_file="%s"\n' "$GLEWLWYD_TLS_CERT"
}

_glewlwyd_conf() {
	local dir=$1
	cat <<EOF
# A private Glewlwyd configuration for oidc-login's tests.
port=$PROVIDER_PORT
bind_address="127.0.0.1"
# As packaged: the external URL ends in "/".
external_url="$GLEWLWYD_URL/"
login_url="login.html"
api_prefix="api"
static_files_path="$dir/webapp/"
allow_origin="*"
log_mode="file"
log_level="DEBUG"
log_file="$dir/glewlwyd.log"
cookie_secure=0
cookie_same_site="empty"
session_expiration=3600
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
plugin_api_run_enabled=""
add_x_frame_option_header_deny=true
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="$GLEWLWYD_LIB/user"
client_module_path="$GLEWLWYD_LIB/client"
user_auth_scheme_module_path="$GLEWLWYD_LIB/scheme"
plugin_module_path="$GLEWLWYD_LIB/plugin"
$(_glewlwyd_tls)
hash_algorithm="SHA512"
database = {
  type = "sqlite3"
  path = "$dir/glewlwyd.db"
};
static_files_mime_types = (
  { extension = ".html" mime_type = "text/html" },
  { extension = ".css" mime_type = "text/css" },
  { extension = ".js" mime_type = "application/javascript" },
  { extension = ".json" mime_type = "application/json" },
  { extension = ".png" mime_type = "image/png" },
  { extension = ".ico" mime_type = "image/x-icon" },
  { extension = ".woff" mime_type = "font/woff" },
  { extension = ".woff2" mime_type = "font/woff2" },
  { extension = ".ttf" mime_type = "font/ttf" },
  { extension = ".map" mime_type = "application/octet-stream" }
);
EOF
}

# start_glewlwyd: starts Glewlwyd on 127.0.0.1:$PROVIDER_PORT and
# configures it.  Sets GLEWLWYD_URL, GLEWLWYD_ISSUER (its OpenID Connect
# plugin's issuer, http://127.0.0.1:PORT/api/oidc) and GLEWLWYD_PID;
# its log: $T/glewlwyd/glewlwyd.log.  Returns 2 when the port was taken.
start_glewlwyd() {
	local dir=$T/glewlwyd n
	GLEWLWYD_DIR=$dir
	GLEWLWYD_URL=http://127.0.0.1:$PROVIDER_PORT
	[ -n "${GLEWLWYD_TLS_CERT:-}" ] &&
	    GLEWLWYD_URL=https://127.0.0.1:$PROVIDER_PORT
	GLEWLWYD_ISSUER=$GLEWLWYD_URL/api/oidc
	rm -rf "$dir"
	mkdir -p "$dir" || return 1
	# Dereferenced: Glewlwyd does not serve the symbolic links the package
	# has for jQuery, Bootstrap and its fonts (404: the page stays on
	# "Loading...").
	cp -RL "$GLEWLWYD_SHARE/webapp" "$dir/webapp" || return 1
	rm -rf "$dir/webapp/config.json"
	cp "$GLEWLWYD_SHARE/templates/config.json" "$dir/webapp/config.json" ||
	    return 1
	sqlite3 "$dir/glewlwyd.db" <"$GLEWLWYD_SCHEMA" || return 1
	_glewlwyd_conf "$dir" >"$dir/glewlwyd.conf"
	"$GLEWLWYD" -c "$dir/glewlwyd.conf" >"$T/glewlwyd.log" 2>&1 &
	GLEWLWYD_PID=$!
	_pids+=("$GLEWLWYD_PID")
	for ((n = 0; n < START_TIMEOUT * 10; n++)); do
		grep -q 'Glewlwyd started on port' "$dir/glewlwyd.log" 2>/dev/null &&
		    break
		kill -0 "$GLEWLWYD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if ! kill -0 "$GLEWLWYD_PID" 2>/dev/null ||
	    ! grep -q 'Glewlwyd started on port' "$dir/glewlwyd.log" 2>/dev/null; then
		grep -qi 'bind\|address already in use' "$dir/glewlwyd.log" \
		    "$T/glewlwyd.log" 2>/dev/null && return 2
		diag "Glewlwyd did not start:" "$(tail -n 5 "$dir/glewlwyd.log" 2>/dev/null)"
		return 1
	fi
	env ${GLEWLWYD_TLS_CA:+NODE_EXTRA_CA_CERTS="$GLEWLWYD_TLS_CA"} \
	    "$NODE" "$REAL_DIR/glewlwyd-setup.js" --url "$GLEWLWYD_URL/" \
	    --issuer "$GLEWLWYD_ISSUER" --redirect "$WEB/auth/callback" \
	    --post-logout "$WEB/" --pkce-required "${GLEWLWYD_OPTS[@]}" \
	    "${GLEWLWYD_CLIENTS[@]}" >>"$T/glewlwyd.log" 2>&1 || {
		diag "Glewlwyd setup failed:" "$(tail -n 3 "$T/glewlwyd.log")"
		return 1
	}
	curl -sf --max-time 5 -o "$T/glewlwyd-discovery.json" \
	    "$GLEWLWYD_ISSUER/.well-known/openid-configuration"
}

start_glewlwyd_stop() {
	_stop_pid "$GLEWLWYD_PID"
	_forget_pid "$GLEWLWYD_PID"
	GLEWLWYD_CLIENTS=()
	GLEWLWYD_OPTS=()
}

# browser_logins CASE...: signs in through each CASE in Chromium (one
# browser, a fresh context per case), CASE being NAME:USER[:logout]: as
# USER (password USER-password) through provider NAME, then, with
# :logout, out again through the provider.  The site's cookies end in
# $T/jar-NAME; browser-login.js's answer for the case in
# $T/jar-NAME.json; screenshots in $T/shots.
browser_logins() {
	local c name user logout spec=$T/browser-cases.json sep= line
	{
		printf '['
		for c in "$@"; do
			IFS=: read -r name user logout <<<"$c"
			printf '%s{"name":"%s","start":"%s","user":"%s","password":"%s-password","jar":"%s","logout":%s}' \
			    "$sep" "$name" "$(start_url "$name")" "$user" "$user" \
			    "$T/jar-$name" "$([ -n "$logout" ] && echo true || echo false)"
			sep=,
		done
		printf ']\n'
	} >"$spec"
	HOME=${BROWSER_HOME:-$HOME} "$NODE" "$REAL_DIR/browser-login.js" "$spec" \
	    --screenshots "$T/shots" 2>>"$T/browser.log" |
	    while IFS= read -r line; do
		name=$(printf '%s' "$line" | sed -n 's/^{"name":"\([^"]*\)".*/\1/p')
		[ -n "$name" ] && printf '%s\n' "$line" >"$T/jar-$name.json"
	done
}
