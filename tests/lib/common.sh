# Shell helpers for oidc-login's integration tests (TAP).  Sourced by bash.
#
# A test script does:
#   . "${top_srcdir:-.}/tests/lib/common.sh"
#   need_tools                      # or skip_all REASON
#   setup_site                      # two providers (alpha, beta) + lighttpd
#   ok "description" command args   # ... is, like, unlike, pass, fail, skip
#   done_testing
#
# Everything runs on 127.0.0.1 in a private temp dir ($T), removed on exit
# unless KEEP_TMP=1.  Servers started here are stopped on exit, by pid.
# Environment: top_srcdir, top_builddir (exported by `make check`; default:
# the tree this file is in), KEEP_TMP=1, VERBOSE=1 (diag every request),
# OIDC_LOGIN (the program to mount; default $top_builddir/cgi-bin/oidc-login),
# LIGHTTPD, NODE, OIDC_LOGIN_NODE_MODULES (tests/node_modules for a build
# whose source tree has none, e.g. make distcheck; see below).

set -u

if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fi
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

OIDC_LOGIN=${OIDC_LOGIN:-$top_builddir/cgi-bin/oidc-login}
LIGHTTPD=${LIGHTTPD:-$(command -v lighttpd || echo /usr/sbin/lighttpd)}
NODE=${NODE:-$(command -v node || echo node)}
OP_SCRIPT=$top_srcdir/tests/op/provider.js

# Seconds to wait for a server to come up.
START_TIMEOUT=15

_tap_n=0
_tap_failed=0
_tap_planned=0
_pids=()
T=

# --- TAP ---------------------------------------------------------------

plan() {
	_tap_planned=1
	echo "1..$1"
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

bail_out() {
	echo "Bail out! $*"
	_diag_logs
	exit 0
}

diag() {
	local line
	printf '%s\n' "$@" | while IFS= read -r line; do
		printf '# %s\n' "$line"
	done
}

pass() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

fail() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	shift
	[ $# -gt 0 ] && diag "$@"
	return 0
}

# skip DESCRIPTION REASON
skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# ok DESCRIPTION COMMAND [ARGS...]: passes when the command succeeds.
ok() {
	local desc=$1
	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc" "command failed: $*"
	fi
}

# is GOT EXPECTED DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "     got: '$1'" "expected: '$2'"
	fi
}

# _matches TEXT ERE: succeeds when a line of TEXT matches ERE (as grep
# -E); a one-line TEXT is matched in bash, without a fork and an exec.
_matches() {
	if [[ $1 != *$'\n'* ]]; then
		[[ $1 =~ $2 ]]
	else
		printf '%s\n' "$1" | grep -Eq -- "$2"
	fi
}

# like GOT ERE DESCRIPTION
like() {
	if _matches "$1" "$2"; then
		pass "$3"
	else
		fail "$3" "     got: '$(printf '%s' "$1" | head -c 2000)'" \
		    "expected to match: $2"
	fi
}

# unlike GOT ERE DESCRIPTION
unlike() {
	if _matches "$1" "$2"; then
		fail "$3" "     got: '$(printf '%s' "$1" | head -c 2000)'" \
		    "expected not to match: $2"
	else
		pass "$3"
	fi
}

done_testing() {
	[ "$_tap_planned" = 1 ] || echo "1..$_tap_n"
	exit 0
}

_diag_logs() {
	local f
	[ -n "$T" ] && [ -d "$T" ] || return 0
	for f in "$T"/*.log; do
		[ -s "$f" ] || continue
		diag "----- last lines of $(basename "$f") -----"
		diag "$(tail -n 40 "$f")"
	done
}

# --- Environment, temp dir, cleanup ------------------------------------

# Skips the whole test unless everything it needs is here.
need_tools() {
	local tool
	for tool in curl od; do
		command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not installed"
	done
	[ -x "$LIGHTTPD" ] || skip_all "lighttpd not installed"
	command -v "$NODE" >/dev/null 2>&1 || skip_all "node not installed"
	[ -d "$top_srcdir/tests/node_modules/oidc-provider" ] ||
	    skip_all "tests/node_modules missing (run: cd tests && npm ci;" \
	    "or set OIDC_LOGIN_NODE_MODULES)"
}

# Stops the test unless the program is built.
need_program() {
	[ -x "$OIDC_LOGIN" ] || bail_out "$OIDC_LOGIN not built"
}

_cleanup() {
	local pid i
	# Servers first, newest first: lighttpd stops its FastCGI children.
	for ((i = ${#_pids[@]} - 1; i >= 0; i--)); do
		_stop_pid "${_pids[$i]}"
	done
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "$_tap_failed" -gt 0 ]; then
			_diag_logs
		fi
		if [ "${KEEP_TMP:-0}" = 1 ]; then
			diag "kept temp dir: $T"
		else
			rm -rf "$T"
		fi
	fi
}

# Stops one process we started (and lighttpd's spawned children), by pid.
_stop_pid() {
	local pid=$1 kids n
	kill -0 "$pid" 2>/dev/null || return 0
	kids=$(pgrep -P "$pid" 2>/dev/null || true)
	kill -TERM "$pid" 2>/dev/null
	for ((n = 0; n < 50; n++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	for pid in $kids; do
		kill -TERM "$pid" 2>/dev/null || true
	done
}

_forget_pid() {
	local keep=() p
	for p in "${_pids[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	_pids=("${keep[@]}")
}

T=$(mktemp -d "${TMPDIR:-/tmp}/oidc-login-test.XXXXXX") ||
    { echo "Bail out! mktemp failed"; exit 0; }
trap _cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- npm packages in a VPATH build (make distcheck) -------------------
# Node resolves the packages the test provider and the browser scripts
# import from the script's own directory upwards, i.e. from
# $top_srcdir/tests/node_modules.  make distcheck's source copy has none,
# and is read-only.  When OIDC_LOGIN_NODE_MODULES names an installed
# tests/node_modules (.ci/run sets it to the checkout's), the tests run
# from a shadow source tree in $T instead: links to everything, but
# copies of the tests/ directories that hold scripts, beside a link to
# those packages.  Without it, need_tools skips.  Nothing is ever written
# to $top_srcdir.
_shadow_srcdir() {
	local shadow=$T/srcdir e
	mkdir -p "$shadow/tests" || return 1
	for e in "$top_srcdir"/*; do
		[ "${e##*/}" = tests ] || ln -s "$e" "$shadow/" || return 1
	done
	for e in "$top_srcdir"/tests/*; do
		if [ -d "$e" ] && [ -n "$(find "$e" -name '*.js' -print -quit)" ]; then
			cp -R "$e" "$shadow/tests/" || return 1
		else
			ln -s "$e" "$shadow/tests/" || return 1
		fi
	done
	chmod -R u+w "$shadow/tests" &&
	    ln -s "$OIDC_LOGIN_NODE_MODULES" "$shadow/tests/node_modules" ||
	    return 1
	top_srcdir=$shadow
	OP_SCRIPT=$top_srcdir/tests/op/provider.js
}
if [ ! -d "$top_srcdir/tests/node_modules" ] &&
    [ -d "${OIDC_LOGIN_NODE_MODULES:-}" ]; then
	_shadow_srcdir || bail_out "cannot make a shadow source tree in $T"
fi

# Prints a random 256-bit secret in hex.
random_hex() {
	od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

# --- Ports -------------------------------------------------------------

_ports_taken=" "

# free_port VAR: sets VAR to a TCP port on 127.0.0.1 that nothing listens
# on and that this test has not handed out yet, below the ephemeral range
# so outgoing connections do not take it meanwhile.  (Not in a subshell:
# it remembers what it handed out.)
free_port() {
	local p n
	for ((n = 0; n < 200; n++)); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
		case $_ports_taken in *" $p "*) continue ;; esac
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			_ports_taken="$_ports_taken$p "
			printf -v "$1" '%s' "$p"
			return 0
		fi
	done
	bail_out "no free port found"
}

# Waits until something accepts on 127.0.0.1:PORT; PID must stay alive.
wait_port() {
	local port=$1 pid=$2 n
	for ((n = 0; n < START_TIMEOUT * 10; n++)); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# --- The test OpenID Provider -----------------------------------------

# start_op NAME PORT [CLIENT_SPEC | --option[=value]]...
# Starts tests/op/provider.js on 127.0.0.1:PORT (0: a free port the system
# chooses, never taken by another test) - see that file for the client
# spec id:secret:auth_method:redirect_uri[,post_logout_uri].  Options with
# a value must be written --opt=value.  Waits for "ready"; logs to
# $T/op-NAME.log (stderr: $T/op-NAME.err.log).  Sets OP_ISSUER, OP_PORT and
# OP_PID.  Stops the test when the provider does not start.
start_op() {
	try_start_op "$@" || bail_out "provider $1 did not start"
}

# try_start_op: start_op that returns 1 instead of stopping the test.
try_start_op() {
	local name=$1 port=$2 arg args=() log pid n
	shift 2
	for arg in "$@"; do
		case $arg in
		--*) args+=("$arg") ;;
		*) args+=(--client "$arg") ;;
		esac
	done
	log=$T/op-$name.log
	: >"$log"
	"$NODE" "$OP_SCRIPT" --port "$port" "${args[@]}" >"$log" \
	    2>"$T/op-$name.err.log" &
	pid=$!
	_pids+=("$pid")
	OP_PID=$pid
	for ((n = 0; n < START_TIMEOUT * 10; n++)); do
		OP_ISSUER=$(sed -n 's/^ready //p' "$log" | head -n 1)
		if [ -n "$OP_ISSUER" ]; then
			# shellcheck disable=SC2034  # for the test scripts
			OP_PORT=$(sed -n 's/^listening on 127\.0\.0\.1://p' "$log" | head -n 1)
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	_stop_pid "$pid"
	_forget_pid "$pid"
	return 1
}

# --- lighttpd with oidc-login at /auth --------------------------------

# Extra lines for the FastCGI "bin-environment", e.g.
#   FCGI_ENV='"FAKETIME" => "+31d",'
FCGI_ENV=${FCGI_ENV:-}

# Writes the small static site served next to /auth.
_write_site() {
	local root=$T/site
	mkdir -p "$root/private"
	cat >"$root/index.html" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test site</title></head>
<body><h1>Test site</h1><p><a href="/auth/">Sign in</a></p></body></html>
EOF
	cat >"$root/private/page" <<'EOF'
private page
EOF
}

# start_lighttpd CONFIG [PORT]
# Serves $T/site on 127.0.0.1:PORT (default $WEB_PORT) with oidc-login
# (config file CONFIG) mounted at /auth through mod_fastcgi.  Never the
# system service: a private lighttpd.conf, `lighttpd -D` in the
# background, stopped on exit.  lighttpd's error log: $T/lighttpd.log;
# oidc-login's log lines (its stderr): $T/oidc-login.log.  Stops the test
# when lighttpd does not start.
start_lighttpd() {
	try_start_lighttpd "$@" ||
	    bail_out "lighttpd did not start on port ${2:-$WEB_PORT}"
}

# try_start_lighttpd: start_lighttpd that returns 1 instead of stopping
# the test (the port may have been taken meanwhile by another test).
# wait_server_tag URL TAG PID: waits until the server at URL answers with
# "Server: TAG" (ours, not another server holding the port) while PID
# lives; returns 1 when PID dies or START_TIMEOUT passes.
wait_server_tag() {
	local url=$1 tag=$2 pid=$3 i
	for ((i = 0; i < START_TIMEOUT * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 1
		if curl -sk -o /dev/null -D - --max-time 2 "$url" |
		    tr -d '\r' | grep -qix "Server: $tag"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

try_start_lighttpd() {
	local conf=$1 port=${2:-$WEB_PORT} lconf=$T/lighttpd.conf pid n i tag
	[ -d "$T/site" ] || _write_site
	tag="oidc-login-test-$$-$RANDOM"
	cat >"$lconf" <<EOF
server.modules = ( "mod_fastcgi" )
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$T/site"
server.errorlog = "$T/lighttpd.log"
server.upload-dirs = ( "$T" )
server.tag = "$tag"
# Let control characters in the query reach oidc-login: its own checks
# are under test, not lighttpd's.
server.http-parseopts = ( "url-ctrls-reject" => "disable" )
index-file.names = ( "index.html" )
mimetype.assign = (
	".html" => "text/html; charset=utf-8",
	".js" => "text/javascript; charset=utf-8",
	".css" => "text/css; charset=utf-8",
	"" => "text/plain; charset=utf-8",
)
fastcgi.server = ( "/auth" => ( (
	"bin-path" => "$OIDC_LOGIN",
	"socket" => "$T/oidc-login.sock",
	"check-local" => "disable",
	"max-procs" => 1,
	"bin-environment" => (
		$FCGI_ENV
		"OIDC_LOGIN_CONFIG" => "$conf",
	),
) ) )
EOF
	LIGHTTPD_PORT_TAKEN=0
	n=$(cat "$T/oidc-login.log" 2>/dev/null | wc -l)
	"$LIGHTTPD" -D -f "$lconf" >>"$T/oidc-login.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	LIGHTTPD_PID=$pid
	wait_server_tag "http://127.0.0.1:$port/" "$tag" "$pid" && return 0
	stop_lighttpd
	tail -n +"$((n + 1))" "$T/oidc-login.log" | grep -q "can't bind" &&
	    LIGHTTPD_PORT_TAKEN=1
	return 1
}

stop_lighttpd() {
	[ -n "${LIGHTTPD_PID:-}" ] || return 0
	_stop_pid "$LIGHTTPD_PID"
	_forget_pid "$LIGHTTPD_PID"
	LIGHTTPD_PID=
}

# --- The standard site: providers alpha and beta --------------------------

ALPHA_ID=alpha-client
ALPHA_SECRET=alpha-secret-alpha-secret-alpha-secret
BETA_ID=beta-client
BETA_SECRET=beta-secret-beta-secret-beta-secret-beta

# write_config FILE [EXTRA_AUTH_LINES]
# The standard secrets.toml: alpha (Acme ID, client_secret_basic, RS256)
# and beta (Globex SSO, client_secret_post, ES256).  EXTRA_AUTH_LINES go
# into [auth].  COOKIE_SECRET may be set before; otherwise it is random.
write_config() {
	local file=$1 extra=${2:-}
	: "${COOKIE_SECRET:=$(random_hex)}"
	cat >"$file" <<EOF
# oidc-login test configuration
[auth]
redirect_uri = "$WEB/auth/callback"
cookie_secret = "$COOKIE_SECRET"
template_dir = "$top_srcdir/templates"
log_level = "debug"
$extra

[auth.alpha]
display_name = "Acme ID"
client_id = "$ALPHA_ID"
client_secret = "$ALPHA_SECRET"
server_metadata_url = "$OP_A/.well-known/openid-configuration"

[auth.beta]
display_name = "Globex SSO"
client_id = "$BETA_ID"
client_secret = "$BETA_SECRET"
server_metadata_url = "$OP_B/.well-known/openid-configuration"
token_endpoint_auth_method = "client_secret_post"
EOF
}

# setup_site [EXTRA_AUTH_LINES]
# Starts providers alpha and beta (on ports the system picks) and lighttpd
# with the standard configuration ($T/secrets.toml).  Sets WEB, AUTH,
# WEB_PORT, OP_A, OP_B.  Another test running at the same time may take
# the web port first: then everything starts again on another one.
setup_site() {
	local attempt
	need_program
	for attempt in 1 2 3; do
		free_port WEB_PORT
		WEB=http://127.0.0.1:$WEB_PORT
		# shellcheck disable=SC2034  # for the test scripts
		AUTH=$WEB/auth
		start_op alpha 0 --name="Acme ID" \
		    "$ALPHA_ID:$ALPHA_SECRET:client_secret_basic:$WEB/auth/callback,$WEB/"
		OP_A=$OP_ISSUER
		OP_A_PID=$OP_PID
		start_op beta 0 --name="Globex SSO" \
		    "$BETA_ID:$BETA_SECRET:client_secret_post:$WEB/auth/callback,$WEB/;id_token_signed_response_alg=ES256"
		OP_B=$OP_ISSUER
		OP_B_PID=$OP_PID
		write_config "$T/secrets.toml" "${1:-}"
		try_start_lighttpd "$T/secrets.toml" && return 0
		[ "$LIGHTTPD_PORT_TAKEN" = 1 ] ||
		    bail_out "lighttpd did not start on port $WEB_PORT"
		diag "port $WEB_PORT was taken; starting again (attempt $attempt)"
		_stop_pid "$OP_A_PID"
		_forget_pid "$OP_A_PID"
		_stop_pid "$OP_B_PID"
		_forget_pid "$OP_B_PID"
	done
	bail_out "could not start lighttpd"
}

# --- HTTP with curl ----------------------------------------------------

# _jar_forget JAR HEADERS_FILE: removes from the jar every cookie the
# response deleted.  curl 7.88 (Debian 12) keeps some cookies deleted with
# Max-Age=0 in the jar file; a browser drops them.
_jar_forget() {
	local jar=$1 headers=$2 line name path part parts
	[ -f "$jar" ] && [ -f "$headers" ] || return 0
	# In bash, not a pipeline: this runs after every request.
	while IFS= read -r line; do
		is_deleting "$line" || continue
		name=${line%%=*}
		path=
		IFS=';' read -ra parts <<<"$line"
		for part in "${parts[@]:1}"; do
			part=${part#"${part%%[! ]*}"}
			if [[ ${part,,} == path=* ]]; then
				path=${part:5}
				break
			fi
		done
		awk -v n="$name" -v p="${path:-/}" -F '\t' \
		    '!(NF >= 7 && $6 == n && $3 == p)' "$jar" >"$jar.tmp" &&
		    mv "$jar.tmp" "$jar"
	done < <(_header_values set-cookie "$headers")
}

# _header_values NAME FILE: every value of header NAME (any case) in
# FILE, without CR, one a line.  Pure bash: the helpers built on it run
# several times per request, and here a fork and exec costs more than
# the request itself.
_header_values() {
	local want=${1,,} line name
	[ -f "$2" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%$'\r'}
		[[ $line == *:* ]] || continue
		name=${line%%:*}
		[ "${name,,}" = "$want" ] || continue
		line=${line#*:}
		line=${line#"${line%%[![:blank:]]*}"}
		printf '%s\n' "$line"
	done <"$2"
}

# request [curl args...] URL
# One request, never following redirects, with cookie jar $JAR when set.
# Sets STATUS, LOCATION; headers in $T/last.headers, body in $T/last.body.
request() {
	local jaropt=() out
	[ -n "${JAR:-}" ] && jaropt=(-b "$JAR" -c "$JAR")
	out=$(curl -sS -o "$T/last.body" -D "$T/last.headers" "${jaropt[@]}" \
	    --max-time 20 -w '%{http_code} %{redirect_url}' "$@") ||
	    out="000 "
	[ -n "${JAR:-}" ] && _jar_forget "$JAR" "$T/last.headers"
	STATUS=${out%% *}
	LOCATION=${out#* }
	[ "${VERBOSE:-0}" = 1 ] && diag "request $* -> $STATUS $LOCATION"
	return 0
}

# Prints the body of the last response.
body() {
	cat "$T/last.body"
}

# header NAME: prints every value of that header in the last response.
header() {
	_header_values "$1" "$T/last.headers"
}

# set_cookie NAME [HEADERS_FILE]: prints the Set-Cookie line(s) for NAME.
set_cookie() {
	local line
	while IFS= read -r line; do
		[[ $line =~ ^$1= ]] && printf '%s\n' "$line"
	done < <(_header_values set-cookie "${2:-$T/last.headers}")
	return 0
}

# session_cookies [HEADERS_FILE]: Set-Cookie lines of session cookies
# (oidc_login, oidc_login_1, ..., with or without __Host-).
session_cookies() {
	set_cookie '(__Host-)?oidc_login(_[0-9]+)?' "${1:-$T/last.headers}"
}

# Succeeds when every given Set-Cookie line deletes its cookie.
all_deleting() {
	local line
	[ -n "$1" ] || return 1
	while IFS= read -r line; do
		is_deleting "$line" || return 1
	done <<<"$1"
}

# Succeeds when a Set-Cookie line deletes its cookie (Max-Age=0 or an
# Expires in 1970).
is_deleting() {
	local l=${1,,}
	[[ $l =~ \;\ *max-age=0(\ *\;|$) || $l =~ \;\ *expires=[^\;]*1970 ]]
}

# Succeeds when the Set-Cookie lines set at least one live cookie.
any_setting() {
	local line
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		is_deleting "$line" || return 0
	done <<<"$1"
	return 1
}

# sets_no_session [HEADERS_FILE]: succeeds unless the response sets a
# live session cookie.
sets_no_session() {
	! any_setting "$(session_cookies "${1:-$T/last.headers}")"
}

# jar_value JAR NAME: the value of a cookie in a curl cookie jar.
jar_value() {
	awk -v n="$2" '!/^# / && NF >= 7 && $6 == n { print $7 }' "$1" | tail -n 1
}

# jar_names JAR: names of the cookies in a jar.
jar_names() {
	awk '!/^# / && NF >= 6 { print $6 }' "$1"
}

# json_get FILE PATH: prints a member of a JSON object, PATH being keys
# joined by dots ("payload.sub"): strings raw, others as JSON, absent:
# nothing.  Exit 1 when FILE is not a JSON object.
json_get() {
	"$NODE" -e '
		const fs = require("fs");
		let v;
		try { v = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); }
		catch (e) { process.exit(1); }
		if (v === null || typeof v !== "object" || Array.isArray(v))
			process.exit(1);
		for (const k of process.argv[2].split(".")) {
			if (v === null || typeof v !== "object" || !(k in v))
				process.exit(0);
			v = v[k];
		}
		process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));
	' "$1" "$2"
}

# urlencode STRING: prints STRING percent-encoded for a query component.
urlencode() {
	"$NODE" -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' -- "$1"
}

# urldecode STRING: prints STRING with %XX and + decoded.
urldecode() {
	"$NODE" -e '
		process.stdout.write(decodeURIComponent(process.argv[1].replace(/\+/g, " ")))
	' -- "$1"
}

# query_param URL NAME: prints the raw (still encoded) value of a query
# parameter, nothing when absent.
query_param() {
	printf '%s\n' "$1" | sed -n "s/^[^?]*?\(.*&\)\{0,1\}$2=\([^&#]*\).*/\2/p" | head -n 1
}

# --- Driving the provider with curl ------------------------------------

_op_origin() {
	if [[ $1 =~ ^(https?://[^/]+) ]]; then
		printf '%s\n' "${BASH_REMATCH[1]}"
	else
		printf '%s\n' "$1"
	fi
}

_html_attr() {
	# _html_attr FILE ATTR: first value of ATTR="..." in FILE.
	grep -o "$2=\"[^\"]*\"" "$1" | head -n 1 | sed "s/^$2=\"//; s/\"\$//; s/&amp;/\\&/g"
}

_absolute() {
	case $2 in
	http://* | https://*) printf '%s\n' "$2" ;;
	*) printf '%s%s\n' "$1" "$2" ;;
	esac
}

# _op_walk MODE START_URL LOGIN JAR: the common walk of op_login/op_abort.
_op_walk() {
	local mode=$1 url=$2 login=$3 jar=$4 origin action out status next hops
	local page=$jar.page
	out=$(curl -sS -o /dev/null -D "$jar.start" -b "$jar" -c "$jar" \
	    --max-time 20 -w '%{http_code} %{redirect_url}' "$url") || out="000 "
	status=${out%% *}
	next=${out#* }
	# A site set up for https that its server receives over plain http
	# (behind a TLS-terminating proxy) first checks that its cookie
	# comes back (lib/scheme.c): one more hop on the same site.
	case $next in *cookie_check=*)
		if [ "$(_op_origin "$next")" = "$(_op_origin "$url")" ]; then
			out=$(curl -sS -o /dev/null -D "$jar.start" -b "$jar" \
			    -c "$jar" --max-time 20 \
			    -w '%{http_code} %{redirect_url}' "$next") || out="000 "
			status=${out%% *}
			url=$next
			next=${out#* }
		fi
	esac
	case $status in 30[1237]) ;; *)
		echo "FAIL start $status $url"
		return 1
	esac
	origin=$(_op_origin "$next")
	for ((hops = 0; hops < 20; hops++)); do
		if [ "$(_op_origin "$next")" != "$origin" ]; then
			# Back at oidc-login: the callback, not followed further.
			printf '%s\n' "$next" >"$jar.callback"
			out=$(curl -sS -o "$jar.body" -D "$jar.headers" -b "$jar" \
			    -c "$jar" --max-time 20 -w '%{http_code} %{redirect_url}' \
			    "$next") || out="000 "
			_jar_forget "$jar" "$jar.headers"
			echo "$out"
			return 0
		fi
		out=$(curl -sS -o "$page" -b "$jar" -c "$jar" --max-time 20 \
		    -w '%{http_code} %{redirect_url}' "$next") || out="000 "
		status=${out%% *}
		case $status in
		30[1237])
			next=${out#* }
			continue
			;;
		200) ;;
		*)
			echo "FAIL provider $status $next"
			return 1
			;;
		esac
		if [ "$mode" = abort ]; then
			action=$(grep -o 'id="abort" href="[^"]*"' "$page" |
			    sed 's/.*href="//; s/"$//')
			[ -n "$action" ] || { echo "FAIL no-abort-link 200 $next"; return 1; }
			next=$(_absolute "$origin" "$action")
			continue
		fi
		action=$(_html_attr "$page" action)
		[ -n "$action" ] || { echo "FAIL no-form 200 $next"; return 1; }
		if grep -q 'name="login"' "$page"; then
			out=$(curl -sS -o /dev/null -b "$jar" -c "$jar" --max-time 20 \
			    -w '%{http_code} %{redirect_url}' \
			    --data-urlencode "login=$login" --data-urlencode "password=x" \
			    "$(_absolute "$origin" "$action")") || out="000 "
		else
			out=$(curl -sS -o /dev/null -b "$jar" -c "$jar" --max-time 20 \
			    -w '%{http_code} %{redirect_url}' --data "prompt=consent" \
			    "$(_absolute "$origin" "$action")") || out="000 "
		fi
		status=${out%% *}
		case $status in 30[1237]) ;; *)
			echo "FAIL form $status $action"
			return 1
		esac
		next=${out#* }
	done
	echo "FAIL too-many-redirects 000 $next"
	return 1
}

# op_login START_URL LOGIN JAR
# Drives a whole login with curl: START_URL on oidc-login (302 to the
# provider), the provider's login form (as LOGIN, when the provider has
# no session yet in JAR), its consent form, and the provider's redirect to
# oidc-login's callback, which is requested once and NOT followed.
# Prints "STATUS LOCATION" of the callback response; keeps the headers of
# the first response in JAR.start, the callback URL in JAR.callback, the
# callback's headers in JAR.headers and its body in JAR.body.  On a
# failure before the callback prints "FAIL STEP STATUS URL" and returns 1.
op_login() {
	_op_walk login "$1" "$2" "$3"
}

# op_abort START_URL JAR
# Like op_login, but follows the provider's Cancel link at its first page,
# so the callback gets error=access_denied.
op_abort() {
	_op_walk abort "$1" "" "$2"
}

# op_logout URL JAR
# Confirms RP-initiated logout at the provider: GET URL (its
# end_session_endpoint with parameters), POST the form with logout=yes.
# Prints "STATUS LOCATION" of the confirmation response.
op_logout() {
	local url=$1 jar=$2 page=$2.page out action status data=()
	out=$(curl -sS -o "$page" -b "$jar" -c "$jar" --max-time 20 \
	    -w '%{http_code} %{redirect_url}' "$url") || out="000 "
	status=${out%% *}
	[ "$status" = 200 ] || { echo "FAIL end_session $status $url"; return 1; }
	action=$(_html_attr "$page" action)
	[ -n "$action" ] || { echo "FAIL no-form 200 $url"; return 1; }
	while IFS= read -r line; do
		data+=(--data-urlencode "$line")
	done < <(grep -o '<input type="hidden" name="[^"]*" value="[^"]*"' "$page" |
	    sed 's/.*name="\([^"]*\)" value="\([^"]*\)"/\1=\2/')
	printf '%s\n' "${data[@]}" | grep -q '^logout=' || data+=(--data "logout=yes")
	out=$(curl -sS -o /dev/null -b "$jar" -c "$jar" --max-time 20 \
	    -w '%{http_code} %{redirect_url}' "${data[@]}" \
	    "$(_absolute "$(_op_origin "$url")" "$action")") || out="000 "
	echo "$out"
}
