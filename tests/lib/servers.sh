# shellcheck shell=bash disable=SC2034  # variables for the test scripts
# Shell helpers for the hosting tests: Apache, nginx, lighttpd as an
# authorizer, spawn-fcgi, and the example configurations under contrib/
# they start.  Sourced by bash after tests/lib/common.sh.
#
# A hosting test does:
#   . "${top_srcdir:-...}/tests/lib/common.sh"
#   . "$top_srcdir/tests/lib/servers.sh"
#   need_tools; need_apache fcgid headers ...
#   setup_hosting start_my_server   # providers alpha, beta + the server
#
# Every server gets a private configuration, pid file, logs and port under
# $T; never the system service.  Run as root, Apache and nginx hand their
# workers to an unprivileged user ($WWW_USER), so $T is made readable.
# Environment: APACHE, APACHE_MODULES, NGINX, SPAWN_FCGI.
#
# SITE_SCHEME=https: the site is served over TLS (the test adds the
# server's TLS lines; tests/lib/tls.sh), WEB is https://..., and
# OP_ARGS (an array) holds more start_op arguments for the providers
# (their --tls-cert/--tls-key).

APACHE=${APACHE:-$(command -v apache2 || echo /usr/sbin/apache2)}
APACHE_MODULES=${APACHE_MODULES:-/usr/lib/apache2/modules}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
SPAWN_FCGI=${SPAWN_FCGI:-$(command -v spawn-fcgi || echo /usr/bin/spawn-fcgi)}
CONTRIB=$top_srcdir/contrib

# The user Apache's and nginx's workers run as when started by root.
WWW_USER=www-data
WWW_GROUP=www-data
if [ "$(id -u)" = 0 ] && ! id "$WWW_USER" >/dev/null 2>&1; then
	WWW_USER=nobody
	WWW_GROUP=nogroup
	getent group "$WWW_GROUP" >/dev/null 2>&1 || WWW_GROUP=nobody
fi

# Run as root, Apache starts oidc-login (mod_fcgid, mod_cgi) as
# $WWW_USER, who may not reach the build tree (a checkout under /root):
# the program and its templates are copied into $T, which open_tmp opens.
HOSTING_TEMPLATES=
if [ "$(id -u)" = 0 ] && [ -x "$OIDC_LOGIN" ]; then
	mkdir -p "$T/www/bin"
	cp "$OIDC_LOGIN" "$T/www/bin/oidc-login"
	cp -RL "$top_srcdir/templates" "$T/www/templates"
	OIDC_LOGIN=$T/www/bin/oidc-login
	HOSTING_TEMPLATES=$T/www/templates
fi

# write_config as common.sh has it, with the copied templates.
eval "_common_$(declare -f write_config)"
write_config() {
	_common_write_config "$@"
	if [ -n "$HOSTING_TEMPLATES" ]; then
		sed -i "s#^template_dir = .*#template_dir = \"$HOSTING_TEMPLATES\"#" \
		    "$1"
	fi
}

# --- What a test needs --------------------------------------------------

declare -A _apache_pkg=([fcgid]=libapache2-mod-fcgid)

# need_apache MODULE...: skips unless apache2 and these modules are here.
need_apache() {
	local m
	[ -x "$APACHE" ] || skip_all "apache2 not installed (Debian: apache2)"
	for m in "$@"; do
		[ -f "$APACHE_MODULES/mod_$m.so" ] || skip_all \
		    "Apache module mod_$m not installed${_apache_pkg[$m]:+ (Debian: ${_apache_pkg[$m]})}"
	done
}

need_nginx() {
	[ -x "$NGINX" ] || skip_all "nginx not installed (Debian: nginx)"
	"$NGINX" -V 2>&1 | grep -q http_auth_request_module ||
	    skip_all "nginx lacks the auth_request module"
}

need_spawn_fcgi() {
	[ -x "$SPAWN_FCGI" ] || skip_all "spawn-fcgi not installed (Debian: spawn-fcgi)"
}

# --- The site and its protected content ---------------------------------

# Writes $T/site: index.html, private/page (static) and private/whoami.cgi,
# a CGI that prints the identity the server handed it.
write_hosting_site() {
	local root=$T/site
	mkdir -p "$root/private"
	cat >"$root/index.html" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test site</title></head>
<body><h1>Test site</h1><p><a href="/auth/">Sign in</a></p></body></html>
EOF
	printf 'private page\n' >"$root/private/page"
	cat >"$root/private/whoami.cgi" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
printf 'REMOTE_USER=%s\n' "$REMOTE_USER"
env | grep -i '^oidc_' | LC_ALL=C sort
EOF
	chmod 755 "$root/private/whoami.cgi"
	printf '%s\n' "$SERVER_TAG" >"$root/tag.txt"
}

# Lets the servers' unprivileged workers read $T (configuration, site,
# the copied program).
open_tmp() {
	chmod 755 "$T"
	chmod 644 "$T"/*.toml 2>/dev/null || true
	chmod -R a+rX "$T/site" "$T/www" 2>/dev/null || true
}

SERVER_TAG="oidc-login-test-$$-$RANDOM"

# NAME=VALUE words for oidc-login's own environment, wherever a server or
# spawn-fcgi starts it (e.g. libfaketime's, to move its clock).
OIDC_ENV=()

# recipe NAME DEST: copies contrib/NAME to DEST with the placeholders
# filled in: @BINDIR@ (the directory of $OIDC_LOGIN), @CONFIG@
# ($T/secrets.toml), @PORT@ ($FCGI_PORT), @APP_PORT@ ($APP_PORT), @RUNDIR@
# ($T/run), @EXAMPLES@ (contrib/, where a recipe's companion files are);
# and $OIDC_ENV in lighttpd's bin-environment.
recipe() {
	local src=$CONTRIB/$1
	[ -f "$src" ] || bail_out "no such recipe: $src"
	mkdir -p "$T/run"
	sed -e "s#@BINDIR@#$(dirname "$OIDC_LOGIN")#g" \
	    -e "s#@CONFIG@#$T/secrets.toml#g" \
	    -e "s#@PORT@#${FCGI_PORT:-0}#g" \
	    -e "s#@APP_PORT@#${APP_PORT:-0}#g" \
	    -e "s#@RUNDIR@#$T/run#g" \
	    -e "s#@EXAMPLES@#$CONTRIB#g" "$src" >"$2"
	# Variables for oidc-login's own environment (lighttpd starts it).
	local v line=""
	for v in "${OIDC_ENV[@]}"; do
		line="$line\"${v%%=*}\" => \"${v#*=}\", "
	done
	[ -n "$line" ] && sed -i "s#\"bin-environment\" => ( #&$line#" "$2"
	return 0
}

SITE_SCHEME=${SITE_SCHEME:-http}
OP_ARGS=()

# Waits until the web server on PORT serves our tag; PID must stay alive.
_wait_tag() {
	local port=$1 pid=$2 i
	for ((i = 0; i < START_TIMEOUT * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 1
		if [ "$(curl -sk --max-time 2 \
		    "$SITE_SCHEME://127.0.0.1:$port/tag.txt")" = \
		    "$SERVER_TAG" ]; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# --- spawn-fcgi ---------------------------------------------------------

# start_spawn_fcgi PORT: oidc-login as a FastCGI server on 127.0.0.1:PORT
# (config $T/secrets.toml), its stderr in $T/oidc-login.log.  Returns 1
# when it does not come up.
start_spawn_fcgi() {
	local port=$1 pid
	env OIDC_LOGIN_CONFIG="$T/secrets.toml" "${OIDC_ENV[@]}" \
	    "$SPAWN_FCGI" -n -a 127.0.0.1 \
	    -p "$port" -- "$OIDC_LOGIN" >>"$T/oidc-login.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	SPAWN_PID=$pid
	wait_port "$port" "$pid"
}

stop_spawn_fcgi() {
	[ -n "${SPAWN_PID:-}" ] || return 0
	_stop_pid "$SPAWN_PID"
	_forget_pid "$SPAWN_PID"
	SPAWN_PID=
}

# restart_spawn_fcgi [EXTRA_AUTH_LINES]: rewrites $T/secrets.toml (same
# cookie secret: sessions stay valid) and restarts oidc-login on
# $FCGI_PORT.  Stops the test when it does not come back.
restart_spawn_fcgi() {
	stop_spawn_fcgi
	write_config "$T/secrets.toml" "${1:-}"
	open_tmp
	start_spawn_fcgi "$FCGI_PORT" ||
	    bail_out "oidc-login did not restart on port $FCGI_PORT"
}

# --- Apache ---------------------------------------------------------------

# Modules every Apache test loads; a test adds its own in APACHE_EXTRA_MODULES.
APACHE_BASE_MODULES="mpm_prefork authz_core authn_core authz_user alias mime
	dir headers env cgi"

# start_apache PORT RECIPE_FILE...: Apache on 127.0.0.1:PORT serving
# $T/site, with the given (already filled-in) recipe files included.
# Logs: $T/apache.log (errors, and oidc-login's stderr under mod_fcgid),
# $T/apache-access.log.  Returns 2 when the port was taken, 1 on other
# failures.
start_apache() {
	local port=$1 dir=$T/apache conf m pid f n mime_types=/etc/mime.types
	shift
	[ -r "$mime_types" ] || mime_types=/dev/null
	mkdir -p "$dir/fcgid" "$dir/run"
	conf=$dir/httpd.conf
	{
		printf 'ServerRoot "%s"\n' "$dir"
		printf 'PidFile "%s/httpd.pid"\n' "$dir"
		printf 'DefaultRuntimeDir "%s/run"\n' "$dir"
		printf 'Listen 127.0.0.1:%s\n' "$port"
		printf 'ServerName 127.0.0.1\n'
		for m in $APACHE_BASE_MODULES ${APACHE_EXTRA_MODULES:-}; do
			printf 'LoadModule %s_module "%s/mod_%s.so"\n' "$m" \
			    "$APACHE_MODULES" "$m"
		done
		if [ "$(id -u)" = 0 ]; then
			printf 'User %s\nGroup %s\n' "$WWW_USER" "$WWW_GROUP"
		fi
		cat <<EOF
StartServers 1
MinSpareServers 1
MaxSpareServers 3
ErrorLog "$T/apache.log"
LogLevel ${APACHE_LOG_LEVEL:-warn}
LogFormat "%h %u \"%r\" %>s" short
CustomLog "$T/apache-access.log" short
TypesConfig $mime_types
DocumentRoot "$T/site"
DirectoryIndex index.html
<Directory />
	AllowOverride None
	Require all denied
</Directory>
<Directory "$T/site">
	Options +ExecCGI
	AddHandler cgi-script .cgi
	Require all granted
</Directory>
<IfModule fcgid_module>
	FcgidIPCDir "$dir/fcgid"
	FcgidProcessTableFile "$dir/fcgid/shm"
	FcgidMaxProcessesPerClass 2
</IfModule>
EOF
		for f in "$@"; do
			printf 'Include "%s"\n' "$f"
		done
	} >"$conf"
	[ -f "$T/site/tag.txt" ] || write_hosting_site
	open_tmp
	# mod_fcgid's process manager makes its sockets as the worker user.
	[ "$(id -u)" = 0 ] && chown "$WWW_USER:$WWW_GROUP" "$dir/fcgid"
	n=$( (wc -l <"$T/apache.log") 2>/dev/null || echo 0)
	# Its own process group: on SIGTERM Apache signals its whole group.
	setsid "$APACHE" -d "$dir" -f "$conf" -DFOREGROUND >>"$T/apache.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	APACHE_PID=$pid
	_wait_tag "$port" "$pid" && return 0
	_stop_pid "$pid"
	_forget_pid "$pid"
	tail -n +"$((n + 1))" "$T/apache.log" |
	    grep -q 'Address already in use' && return 2
	return 1
}

stop_apache() {
	[ -n "${APACHE_PID:-}" ] || return 0
	_stop_pid "$APACHE_PID"
	_forget_pid "$APACHE_PID"
	APACHE_PID=
}

# --- lighttpd with a recipe ------------------------------------------------

# start_lighttpd_recipe PORT RECIPE_FILE...: lighttpd on 127.0.0.1:PORT
# serving $T/site (CGI for *.cgi), with the (filled-in) recipes included.
# Logs: $T/lighttpd.log; oidc-login's stderr in $T/oidc-login.log.
# Returns 2 when the port was taken, 1 on other failures.
start_lighttpd_recipe() {
	local port=$1 conf=$T/lighttpd.conf pid f
	shift
	cat >"$conf" <<EOF
server.modules = ( "mod_cgi" )
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$T/site"
server.errorlog = "$T/lighttpd.log"
server.upload-dirs = ( "$T" )
index-file.names = ( "index.html" )
mimetype.assign = (
	".html" => "text/html; charset=utf-8",
	"" => "text/plain; charset=utf-8",
)
cgi.assign = ( ".cgi" => "" )
EOF
	for f in "$@"; do
		printf 'include "%s"\n' "$f" >>"$conf"
	done
	[ -f "$T/site/tag.txt" ] || write_hosting_site
	: >"$T/lighttpd.log"
	"$LIGHTTPD" -D -f "$conf" >>"$T/oidc-login.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	LIGHTTPD_PID=$pid
	_wait_tag "$port" "$pid" && return 0
	stop_lighttpd
	grep -q "can't bind" "$T/lighttpd.log" "$T/oidc-login.log" && return 2
	return 1
}

# restart_lighttpd_recipe [EXTRA_AUTH_LINES]: rewrites $T/secrets.toml
# (the same $COOKIE_SECRET: sessions stay valid) and restarts lighttpd on
# $WEB_PORT with $T/recipe.conf.  Stops the test when it does not come
# back.
restart_lighttpd_recipe() {
	stop_lighttpd
	write_config "$T/secrets.toml" "${1:-}"
	start_lighttpd_recipe "$WEB_PORT" "$T/recipe.conf" ||
	    bail_out "lighttpd did not restart on port $WEB_PORT"
}

# --- nginx ------------------------------------------------------------------

# start_nginx PORT RECIPE_FILE...: nginx on 127.0.0.1:PORT serving
# $T/site, the (filled-in) recipes included in its server block, and the
# files in NGINX_HTTP_INCLUDES (space-separated) in its http block.
# Logs: $T/nginx.log, $T/nginx-access.log.  Returns 2 when the port was
# taken, 1 on other failures.  SITE_SCHEME=https: listens with ssl (a
# recipe gives ssl_certificate).
start_nginx() {
	local port=$1 dir=$T/nginx user="" pid f includes="" http_includes="" ssl=""
	shift
	for f in "$@"; do
		includes="$includes		include $f;
"
	done
	for f in ${NGINX_HTTP_INCLUDES:-}; do
		http_includes="$http_includes	include $f;
"
	done
	mkdir -p "$dir"
	[ -f "$dir/fastcgi_params" ] ||
	    cp /etc/nginx/fastcgi_params "$dir/fastcgi_params" 2>/dev/null ||
	    return 1
	[ "$(id -u)" = 0 ] && user="user $WWW_USER $WWW_GROUP;"
	[ "$SITE_SCHEME" = https ] && ssl=" ssl"
	cat >"$dir/nginx.conf" <<EOF
$user
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $T/nginx.log info;
events { worker_connections 64; }
http {
	default_type text/plain;
	access_log $T/nginx-access.log;
	client_body_temp_path $dir/body;
	proxy_temp_path $dir/proxy;
	fastcgi_temp_path $dir/fastcgi;
	uwsgi_temp_path $dir/uwsgi;
	scgi_temp_path $dir/scgi;
$http_includes	server {
		listen 127.0.0.1:$port$ssl;
		server_name 127.0.0.1;
		root $T/site;
$includes	}
}
EOF
	[ -f "$T/site/tag.txt" ] || write_hosting_site
	open_tmp
	: >"$T/nginx.log"
	"$NGINX" -p "$dir/" -c "$dir/nginx.conf" -e "$T/nginx.log" \
	    >>"$T/nginx.out" 2>&1 &
	pid=$!
	_pids+=("$pid")
	NGINX_PID=$pid
	_wait_tag "$port" "$pid" && return 0
	_stop_pid "$pid"
	_forget_pid "$pid"
	grep -q 'Address already in use' "$T/nginx.log" "$T/nginx.out" &&
	    return 2
	return 1
}

# --- A backend application that echoes who it was told the user is --------

# start_echo_app PORT: a node HTTP server on 127.0.0.1:PORT answering
# every request with a JSON object of its method, URL and headers.
start_echo_app() {
	local port=$1 pid
	"$NODE" -e '
		const http = require("http");
		http.createServer((q, s) => {
			s.setHeader("Content-Type", "application/json");
			s.end(JSON.stringify({ method: q.method, url: q.url,
			    headers: q.headers }));
		}).listen(Number(process.argv[1]), "127.0.0.1");
	' "$port" >>"$T/app.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	APP_PID=$pid
	wait_port "$port" "$pid"
}

# --- Checks shared by the hosting tests ---------------------------------

# no_auth_headers [HEADERS_FILE]: succeeds unless the response carries a
# Variable-* or X-Auth-Request-* header: an authorizer's answer to the
# server, never meant for the browser.
no_auth_headers() {
	! tr -d '\r' <"${1:-$T/last.headers}" |
	    grep -Eiq '^(variable-|x-auth-request-)'
}

# once NAME: succeeds when the last response has header NAME at most
# once, with a single value (no "no-store, no-store" merge either).
once() {
	local n
	n=$(header "$1" | wc -l)
	[ "$n" -le 1 ] && ! header "$1" | grep -q ','
}

# check_refusals LABEL URL [JSON_TYPE_RE]
# Without a session: a browser navigation to URL is sent to the login
# page (two providers: the choice page) with return_to = URL's path and
# query; XHR, JSON and POST requests get a 401 (JSON_TYPE_RE: what the
# server leaves of the JSON's Content-Type, default application/json);
# nothing of the authorizer's answer reaches the browser.
check_refusals() {
	local label=$1 url=$2 type=${3:-^application/json} path
	path=${url#"$WEB"}
	JAR=
	request "$url"
	is "$STATUS" 302 "$label: anonymous navigation: 302"
	is "$LOCATION" "$AUTH/?return_to=$(urlencode "$path")" \
	    "$label: to the login page, return_to the URL asked for"
	ok "$label: no authorizer header in the 302" no_auth_headers
	ok "$label: Cache-Control once in the 302" once Cache-Control
	request -H 'X-Requested-With: XMLHttpRequest' "$url"
	is "$STATUS" 401 "$label: anonymous XHR: 401"
	request -H 'Accept: application/json' "$url"
	body >"$T/refusal.json"
	is "$STATUS" 401 "$label: anonymous Accept: application/json: 401"
	is "$(json_get "$T/refusal.json" error)" unauthenticated \
	    "$label: the 401 says unauthenticated, in JSON"
	like "$(header Content-Type)" "$type" "$label: 401 Content-Type"
	ok "$label: no authorizer header in the 401" no_auth_headers
	request --data 'a=1' "$url"
	is "$STATUS" 401 "$label: anonymous POST: 401"
	request -H 'Sec-Fetch-Mode: cors' "$url"
	is "$STATUS" 401 "$label: anonymous fetch() (Sec-Fetch-Mode: cors): 401"
	request -b 'oidc_login=forged.value' "$url"
	is "$STATUS" 302 "$label: a forged session cookie: sent to login"
}

# check_no_bypass LABEL: spellings of /private/page that a server must
# still protect (encoded, dot segments, doubled slashes, parameters):
# none may serve the page to a stranger.
check_no_bypass() {
	local label=$1 u
	JAR=
	for u in '/%70rivate/page' '/private/%70age' '//private/page' \
	    '/./private/page' '/x/../private/page' '/private//page' \
	    '/private/./page' '/private/page;x' '/private/page/'; do
		request --path-as-is "$WEB$u"
		if [ "$STATUS" = 200 ] || grep -q 'private page' "$T/last.body"; then
			fail "$label: $u is protected" "got $STATUS"
		else
			pass "$label: $u is protected ($STATUS)"
		fi
	done
}

# login_via_refusal LABEL URL LOGIN JAR
# Follows what a browser does: URL, the 302 to the choice page, its
# "Acme ID" button (which must carry return_to), the provider, the
# callback.  Checks the callback lands on URL.
login_via_refusal() {
	local label=$1 url=$2 login=$3 jar=$4 out href
	JAR=
	request "$url"
	request "$LOCATION"
	is "$STATUS" 200 "$label: the login page answers 200"
	href=$(grep -o 'href="[^"]*/login/alpha[^"]*"' "$T/last.body" |
	    head -n 1 | sed 's/^href="//; s/"$//; s/&amp;/\&/g')
	like "$href" 'return_to=' "$label: its button carries return_to"
	out=$(op_login "$WEB$href" "$login" "$jar")
	is "$out" "302 $url" "$label: after the login, back at the URL asked for"
}

# check_identity_cgi LABEL URL JAR LOGIN [CASE]: the CGI at URL, reached
# with the session in JAR, printed the identity; CASE "upper" for
# servers that upper-case variable names (lighttpd).
check_identity_cgi() {
	local label=$1 url=$2 jar=$3 login=$4 email=OIDC_CLAIM_email
	local name=OIDC_CLAIM_name
	if [ "${5:-}" = upper ]; then
		email=OIDC_CLAIM_EMAIL
		name=OIDC_CLAIM_NAME
	fi
	JAR=$jar
	request "$url"
	is "$STATUS" 200 "$label: signed in: the CGI runs (200)"
	like "$(body)" "^REMOTE_USER=$login@example.com\$" \
	    "$label: the CGI gets REMOTE_USER (the email)"
	like "$(body)" "^$email=$login@example.com\$" "$label: and $email"
	like "$(body)" "^$name=[A-Z][a-z]+ Tester\$" "$label: and $name"
	like "$(body)" '^OIDC_PROVIDER=alpha$' "$label: and OIDC_PROVIDER"
	ok "$label: no authorizer header reaches the browser" no_auth_headers
	ok "$label: no cookie set on a pass" sets_no_session
	JAR=
}

# --- Providers and a server, retried on a taken port --------------------

# setup_hosting START_FUNCTION [EXTRA_AUTH_LINES]
# Like common.sh's setup_site, with another server: picks WEB_PORT and
# FCGI_PORT, starts providers alpha and beta, writes $T/secrets.toml, then
# calls START_FUNCTION, which starts the server on $WEB_PORT and returns 0,
# 2 when a port was taken (all starts again), or 1.
setup_hosting() {
	local start=$1 extra=${2:-} attempt rc pid
	need_program
	for attempt in 1 2 3; do
		free_port WEB_PORT
		free_port FCGI_PORT
		WEB=$SITE_SCHEME://127.0.0.1:$WEB_PORT
		# shellcheck disable=SC2034  # for the test scripts
		AUTH=$WEB/auth
		start_op alpha 0 --name="Acme ID" "${OP_ARGS[@]}" \
		    "$ALPHA_ID:$ALPHA_SECRET:client_secret_basic:$WEB/auth/callback,$WEB/"
		OP_A=$OP_ISSUER
		OP_A_PID=$OP_PID
		start_op beta 0 --name="Globex SSO" "${OP_ARGS[@]}" \
		    "$BETA_ID:$BETA_SECRET:client_secret_post:$WEB/auth/callback,$WEB/;id_token_signed_response_alg=ES256"
		OP_B=$OP_ISSUER
		OP_B_PID=$OP_PID
		write_config "$T/secrets.toml" "$extra"
		"$start"
		rc=$?
		[ "$rc" = 0 ] && return 0
		[ "$rc" = 2 ] || bail_out "$start failed (port $WEB_PORT)"
		diag "a port was taken; starting again (attempt $attempt)"
		for pid in "$OP_A_PID" "$OP_B_PID" "${SPAWN_PID:-}" \
		    "${APP_PID:-}"; do
			[ -n "$pid" ] || continue
			_stop_pid "$pid"
			_forget_pid "$pid"
		done
		SPAWN_PID=
		APP_PID=
	done
	bail_out "could not start $start"
}

# --- oidc-login --workers N (service mode) --------------------------------

# start_service WHERE N [ARGS...]: oidc-login --workers N as its own
# FastCGI server under spawn-fcgi -n, which binds WHERE (a port on
# 127.0.0.1, or a Unix socket path) and execs it: SERVICE_PID is the
# supervisor.  Config $T/secrets.toml; stderr to $T/oidc-login.log.
# Returns 1 when its N workers are not all up.
start_service() {
	local where=$1 n=$2 bind pid
	shift 2
	case $where in
	/*) rm -f "$where"; bind=(-s "$where" -M 0666) ;;
	*) bind=(-a 127.0.0.1 -p "$where") ;;
	esac
	"$SPAWN_FCGI" -n "${bind[@]}" -- "$OIDC_LOGIN" --workers "$n" \
	    -c "$T/secrets.toml" "$@" >>"$T/oidc-login.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	SERVICE_PID=$pid
	wait_workers "$n"
}

# service_workers: the pids of the supervisor's workers, sorted, on one line.
service_workers() {
	pgrep -P "$SERVICE_PID" 2>/dev/null | sort -n | tr '\n' ' ' |
	    sed 's/ $//'
}

# wait_workers N [EXCLUDED_PIDS]: waits until the supervisor has N
# workers, none of them among EXCLUDED_PIDS; returns 1 after
# START_TIMEOUT seconds or when the supervisor is gone.
wait_workers() {
	local n=$1 excluded=" ${2:-} " i p w ok
	for ((i = 0; i < START_TIMEOUT * 10; i++)); do
		kill -0 "$SERVICE_PID" 2>/dev/null || return 1
		w=$(service_workers)
		ok=1
		for p in $w; do
			case $excluded in *" $p "*) ok=0 ;; esac
		done
		[ "$ok" = 1 ] && [ "$(wc -w <<<"$w")" = "$n" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_log FILE ERE [SECONDS]: waits until a line of FILE matches.
wait_log() {
	local i
	for ((i = 0; i < ${3:-$START_TIMEOUT} * 10; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# jar_cookies JAR: the Cookie header a browser would send from a jar.
jar_cookies() {
	awk '!/^# / && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$1"
}
