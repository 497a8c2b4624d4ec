#!/bin/bash
# The Debian package on this machine: dpkg -i, every file where it
# belongs, then a private lighttpd that includes the shipped lighttpd
# snippet (only its socket and configuration paths changed) signs a user
# in through the test provider with curl, using the installed program and
# templates; a changed /etc/oidc-login/secrets.toml survives a reinstall;
# dpkg --purge leaves nothing behind.  The other shipped snippets pass
# their server's syntax check when that server is installed.
#
# Not run by make check: .ci/run runs it, as root, after
# dpkg-buildpackage:   tests/package/deb.sh path/to/oidc-login_*.deb
# It prints TAP.  Whatever happens, the package is purged on exit.

. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../lib" && pwd)/common.sh"

DEB=${1:-}
PKG=oidc-login
PROG=/usr/bin/oidc-login
CONF=/etc/oidc-login/secrets.toml
LIGHTTPD_SNIPPET=/etc/lighttpd/conf-available/50-oidc-login.conf
APACHE_SNIPPET=/etc/apache2/conf-available/oidc-login.conf
NGINX_EXAMPLE=/usr/share/doc/oidc-login/examples/nginx/oidc-login.conf

[ -n "$DEB" ] || skip_all "no package given (usage: $0 oidc-login_*.deb)"
[ -f "$DEB" ] || bail_out "$DEB: no such file"
[ "$(id -u)" = 0 ] || skip_all "dpkg -i needs root"
command -v dpkg >/dev/null 2>&1 || skip_all "not a Debian system"
need_tools

installed() {
	dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null |
	    grep -q 'install ok installed'
}

# Servers first (lighttpd runs the installed program), then the package.
_deb_cleanup() {
	_cleanup
	if dpkg-query -W "$PKG" >/dev/null 2>&1; then
		dpkg --purge "$PKG" >/dev/null 2>&1 ||
		    echo "# dpkg --purge $PKG failed: remove it by hand" >&2
	fi
}
trap _deb_cleanup EXIT

installed && diag "$PKG was installed already: replaced, then purged"

# --- Install ---------------------------------------------------------------

dpkg -i "$DEB" >"$T/dpkg-i.log" 2>&1
ok "dpkg -i $(basename "$DEB")" [ $? -eq 0 ]
installed || bail_out "not installed: $(tail -n 5 "$T/dpkg-i.log")"

version=$(dpkg-deb -f "$DEB" Version)
is "$("$PROG" --version)" "oidc-login ${version%-*}" \
    "$PROG --version is the package's upstream version"
for f in choose.html signed-in.html logout.html error.html style.css; do
	ok "template $f installed" [ -f "/usr/share/oidc-login/templates/$f" ]
done
ok "man page oidc-login(8)" [ -f /usr/share/man/man8/oidc-login.8.gz ]
ok "man page oidc-login.toml(5)" [ -f /usr/share/man/man5/oidc-login.toml.5.gz ]
ok "nginx example" [ -f "$NGINX_EXAMPLE" ]
ok "commented secrets.toml example" \
    [ -f /usr/share/doc/oidc-login/examples/secrets.toml ]
ok "README.Debian" [ -f /usr/share/doc/oidc-login/README.Debian ]

# The service units (issue 13): installed, neither enabled nor started,
# and the user they run as.
for u in oidc-login.service oidc-login.socket; do
	ok "systemd unit $u installed" bash -c \
	    "[ -f /lib/systemd/system/$u ] || [ -f /usr/lib/systemd/system/$u ]"
	ok "$u not enabled" bash -c "! ls /etc/systemd/system/*.wants/$u >/dev/null 2>&1"
done
ok "the system user oidc-login exists" getent passwd oidc-login
ok "the TCP drop-in example" [ -f /usr/share/doc/oidc-login/examples/systemd/tcp.conf ]

conffiles=$(dpkg-query -W -f='${Conffiles}\n' "$PKG")
for f in "$CONF" "$APACHE_SNIPPET" "$LIGHTTPD_SNIPPET"; do
	like "$conffiles" " $f " "$f is a conffile"
done
is "$(stat -c '%a %U:%G' "$CONF")" "640 root:www-data" \
    "$CONF: mode 0640, root:www-data"
unlike "$(cat "$APACHE_SNIPPET" "$LIGHTTPD_SNIPPET")" '@[A-Z_]+@' \
    "no placeholder left in the Apache and lighttpd snippets"

# The default configuration path is /etc's, and the shipped file is
# refused until its cookie_secret is replaced.
out=$(env -u OIDC_LOGIN_CONFIG "$PROG" --check-config 2>&1)
rc=$?
is "$rc" 1 "--check-config refuses the configuration as shipped"
like "$out" "$CONF:[0-9]+: .*cookie_secret.*--gen-secret" \
    "... naming $CONF, cookie_secret and --gen-secret"

# --- The lighttpd snippet, serving a login ------------------------------

printf 'server.document-root = "/var/www"\ninclude "%s"\n' "$LIGHTTPD_SNIPPET" \
    >"$T/syntax.conf"
ok "lighttpd -tt accepts the snippet as shipped" \
    "$LIGHTTPD" -tt -f "$T/syntax.conf"

free_port WEB_PORT
WEB=http://127.0.0.1:$WEB_PORT
start_op alpha 0 --name="Acme ID" \
    "alpha-client:alpha-secret-alpha-secret:client_secret_basic:$WEB/auth/callback,$WEB/"
OP_A=$OP_ISSUER

# The installed program's defaults: no template_dir.
cat >"$T/secrets.toml" <<EOF
[auth]
redirect_uri = "$WEB/auth/callback"
cookie_secret = "$(random_hex)"
log_level = "debug"

[auth.alpha]
display_name = "Acme ID"
client_id = "alpha-client"
client_secret = "alpha-secret-alpha-secret"
server_metadata_url = "$OP_A/.well-known/openid-configuration"
EOF

# The snippet with the socket directory and the configuration moved here.
sed -e "/\"socket\" =>/s#/run/lighttpd/#$T/#" \
    -e "/\"OIDC_LOGIN_CONFIG\" =>/s#$CONF#$T/secrets.toml#" \
    "$LIGHTTPD_SNIPPET" >"$T/50-oidc-login.conf"
changed=$(diff "$LIGHTTPD_SNIPPET" "$T/50-oidc-login.conf" | grep '^>' |
    grep -v -e "\"socket\" => \"$T/" -e "\"OIDC_LOGIN_CONFIG\" => \"$T/" || true)
is "$changed" "" "only socket and configuration paths adapted"
ok "the snippet runs $PROG" grep -q "\"bin-path\" => \"$PROG\"" "$T/50-oidc-login.conf"

mkdir -p "$T/site/private"
echo "public page" >"$T/site/index.html"
echo "private page" >"$T/site/private/page"
tag="oidc-login-deb-$$-$RANDOM"
cat >"$T/lighttpd.conf" <<EOF
server.bind = "127.0.0.1"
server.port = $WEB_PORT
server.document-root = "$T/site"
server.errorlog = "$T/lighttpd.log"
server.tag = "$tag"
index-file.names = ( "index.html" )
mimetype.assign = ( "" => "text/plain; charset=utf-8" )
include "$T/50-oidc-login.conf"
EOF
"$LIGHTTPD" -D -f "$T/lighttpd.conf" >>"$T/oidc-login.log" 2>&1 &
LIGHTTPD_PID=$!
_pids+=("$LIGHTTPD_PID")
for ((i = 0; i < START_TIMEOUT * 10; i++)); do
	curl -s -o /dev/null -D - --max-time 2 "$WEB/" | tr -d '\r' |
	    grep -qx "Server: $tag" && break
	sleep 0.1
done
request "$WEB/"
is "$STATUS" 200 "lighttpd with the shipped snippet is up"

request "$WEB/auth/"
is "$STATUS" 200 "GET /auth/: the choice page, from the installed templates"
like "$(body)" "Acme ID" "... listing the provider"
request "$WEB/auth/style.css"
is "$STATUS" 200 "GET /auth/style.css"

request -H 'Accept: text/html' "$WEB/private/page"
is "$STATUS" 302 "the authorizer sends an anonymous browser to log in"
like "$LOCATION" "^$WEB/auth/" "... to the login pages"

out=$(op_login "$WEB/auth/login/alpha?return_to=%2Fprivate%2Fpage" alice "$T/jar")
is "$out" "302 $WEB/private/page" "login through the provider returns to /private/page"
JAR=$T/jar
request "$WEB/auth/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" true "/auth/user: signed in"
is "$(json_get "$T/user.json" sub)" alice "/auth/user: as alice"
request "$WEB/private/page"
is "$STATUS" 200 "the authorizer lets the signed-in user through"
is "$(body)" "private page" "... to the protected file"
JAR=
stop_lighttpd

# --- The other snippets: syntax ------------------------------------------

APACHE=/usr/sbin/apache2
MODS=/usr/lib/apache2/modules
if [ -x "$APACHE" ] && [ -f "$MODS/mod_fcgid.so" ]; then
	mkdir -p "$T/apache"
	cat >"$T/apache/apache2.conf" <<EOF
ServerRoot "$T/apache"
ServerName localhost
Listen 127.0.0.1:$WEB_PORT
PidFile "$T/apache/apache.pid"
ErrorLog "$T/apache/error.log"
LoadModule mpm_event_module $MODS/mod_mpm_event.so
LoadModule authz_core_module $MODS/mod_authz_core.so
LoadModule alias_module $MODS/mod_alias.so
LoadModule headers_module $MODS/mod_headers.so
LoadModule fcgid_module $MODS/mod_fcgid.so
Include $APACHE_SNIPPET
EOF
	out=$("$APACHE" -t -f "$T/apache/apache2.conf" 2>&1)
	like "$out" "Syntax OK" "apache2 -t accepts the Apache snippet"
else
	skip "apache2 -t accepts the Apache snippet" "apache2 or mod_fcgid missing"
fi

if command -v nginx >/dev/null 2>&1 && [ -f /etc/nginx/fastcgi_params ]; then
	mkdir -p "$T/nginx"
	cp /etc/nginx/fastcgi_params "$T/nginx/"
	sed -e 's/@PORT@/9000/g' -e 's/@APP_PORT@/9001/g' "$NGINX_EXAMPLE" \
	    >"$T/nginx/oidc-login.conf"
	cat >"$T/nginx/nginx.conf" <<EOF
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { }
http {
	access_log off;
	client_body_temp_path $T/nginx;
	fastcgi_temp_path $T/nginx;
	proxy_temp_path $T/nginx;
	server {
		listen 127.0.0.1:$WEB_PORT;
		include $T/nginx/oidc-login.conf;
	}
}
EOF
	out=$(nginx -t -p "$T/nginx" -c "$T/nginx/nginx.conf" 2>&1)
	like "$out" "syntax is ok" "nginx -t accepts the nginx example (ports filled in)"
else
	skip "nginx -t accepts the nginx example" "nginx missing"
fi

# --- Upgrade keeps the configuration; purge removes everything ----------

mark="# changed by the administrator $RANDOM"
echo "$mark" >>"$CONF"
dpkg -i "$DEB" >"$T/dpkg-i2.log" 2>&1
ok "dpkg -i again (upgrade in place)" [ $? -eq 0 ]
ok "the changed $CONF is kept" grep -qxF "$mark" "$CONF"
is "$(stat -c '%a %U:%G' "$CONF")" "640 root:www-data" "... with its mode"

dpkg --purge "$PKG" >"$T/dpkg-purge.log" 2>&1
ok "dpkg --purge $PKG" [ $? -eq 0 ]
ok "not installed any more" bash -c "! dpkg-query -W $PKG >/dev/null 2>&1"
for f in "$PROG" /etc/oidc-login "$LIGHTTPD_SNIPPET" "$APACHE_SNIPPET" \
    /usr/share/oidc-login /usr/share/doc/oidc-login; do
	ok "$f removed" [ ! -e "$f" ]
done

done_testing
