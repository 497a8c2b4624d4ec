# Shell helpers for the tests of several processes and servers: named
# lighttpd instances with several oidc-login processes each, a slow
# provider, oidc-login run directly with spawn-fcgi, a load balancer.
# Sourced by bash after tests/lib/common.sh.
#
#   start_web NAME PORT TOML [MAX_PROCS]   lighttpd "NAME" on PORT
#   stop_web NAME                         stops it (and its processes)
#   web_procs NAME                        pids of its oidc-login processes
#   start_slow_op NAME PORT DELAY ARGS..  provider behind tests/op/slow-proxy.js
#   stop_slow_op                          stops the last one
#   delayed_count NAME, wait_delayed NAME SEEN  requests it held back
#   pid_of_client_port PORT               the process owning 127.0.0.1:PORT
#   start_direct NAME TOML                oidc-login under spawn-fcgi -n
#   fcgi_get NAME URI [COOKIE]            one request to it with cgi-fcgi
#   op_authorize URL LOGIN JAR            walks the provider's pages only
#
# shellcheck shell=bash disable=SC2034,SC2154  # globals for the test scripts

declare -A WEB_PID WEB_PORT_OF DIRECT_PID DIRECT_SOCK

# Writes the lighttpd configuration of instance NAME: $T/site on PORT,
# oidc-login (config TOML) at /auth with MAX_PROCS processes, every
# response tagged "X-Backend: NAME".  With WEB_AUTHORIZER set to a path
# prefix ("/private/"), oidc-login also guards it as a FastCGI authorizer
# in front of the static files there.  WEB_EXTRA: more lighttpd lines.
# No server.errorlog: like `lighttpd -D` under systemd, lighttpd's own
# messages and those of its FastCGI processes share its stderr, which
# goes to $T/web-NAME.log - the server's error log in these tests.
_web_conf() {
	local name=$1 port=$2 toml=$3 procs=$4 authz=
	if [ -n "${WEB_AUTHORIZER:-}" ]; then
		authz="\"$WEB_AUTHORIZER\" => ( (
	\"bin-path\" => \"$OIDC_LOGIN\",
	\"socket\" => \"$T/web-$name-authz.sock\",
	\"mode\" => \"authorizer\",
	\"max-procs\" => 1,
	\"bin-environment\" => ( \"OIDC_LOGIN_CONFIG\" => \"$toml\" ),
) ),"
	fi
	cat >"$T/web-$name.conf" <<EOF
server.modules = ( "mod_fastcgi", "mod_setenv", "mod_accesslog" )
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$T/site"
server.upload-dirs = ( "$T" )
server.tag = "oidc-login-test-$$-$name"
accesslog.filename = "$T/web-$name.access.log"
index-file.names = ( "index.html" )
mimetype.assign = (
	".html" => "text/html; charset=utf-8",
	".js" => "text/javascript; charset=utf-8",
	".css" => "text/css; charset=utf-8",
	"" => "text/plain; charset=utf-8",
)
setenv.add-response-header = ( "X-Backend" => "$name" )
fastcgi.server = (
$authz
"/auth" => ( (
	"bin-path" => "$OIDC_LOGIN",
	"socket" => "$T/web-$name.sock",
	"check-local" => "disable",
	"max-procs" => $procs,
	"bin-environment" => ( "OIDC_LOGIN_CONFIG" => "$toml" ),
) ) )
${WEB_EXTRA:-}
EOF
}

# start_web NAME PORT TOML [MAX_PROCS]: starts lighttpd instance NAME
# (see _web_conf) and waits until it answers with its tag.  Returns 1
# when it does not start (WEB_PORT_TAKEN=1 when the port was taken).
start_web() {
	local name=$1 port=$2 toml=$3 procs=${4:-1} pid i n
	[ -d "$T/site" ] || _write_site
	_web_conf "$name" "$port" "$toml" "$procs"
	WEB_PORT_TAKEN=0
	: >>"$T/web-$name.log"
	i=$(wc -l <"$T/web-$name.log")
	"$LIGHTTPD" -D -f "$T/web-$name.conf" >>"$T/web-$name.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	WEB_PID[$name]=$pid
	WEB_PORT_OF[$name]=$port
	wait_server_tag "http://127.0.0.1:$port/" "oidc-login-test-$$-$name" \
	    "$pid" && return 0
	stop_web "$name"
	tail -n +"$((i + 1))" "$T/web-$name.log" | grep -q "can't bind" &&
	    WEB_PORT_TAKEN=1
	return 1
}

stop_web() {
	local pid=${WEB_PID[$1]:-}
	[ -n "$pid" ] || return 0
	_stop_pid "$pid"
	_forget_pid "$pid"
	WEB_PID[$1]=
}

# web_procs NAME: the pids of the FastCGI processes of instance NAME,
# sorted, on one line.
web_procs() {
	pgrep -P "${WEB_PID[$1]}" 2>/dev/null | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# start_slow_op NAME PORT DELAY [start_op ARGS...]
# The test provider with issuer http://127.0.0.1:PORT, reached through
# tests/op/slow-proxy.js on PORT, which holds requests for DELAY
# ("/token=2000") back.  Sets OP_ISSUER; the proxy logs to
# $T/proxy-NAME.log.  Stops the test when either does not start.
start_slow_op() {
	local name=$1 port=$2 delay=$3 pid n
	shift 3
	start_op "$name" 0 --issuer="http://127.0.0.1:$port" "$@"
	SLOW_OP_PIDS=$OP_PID
	: >"$T/proxy-$name.log"
	"$NODE" "$top_srcdir/tests/op/slow-proxy.js" --port "$port" \
	    --upstream "http://127.0.0.1:$OP_PORT" --delay "$delay" \
	    >"$T/proxy-$name.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	SLOW_OP_PIDS="$SLOW_OP_PIDS $pid"
	for ((n = 0; n < START_TIMEOUT * 10; n++)); do
		if grep -q '^listening on' "$T/proxy-$name.log"; then
			OP_ISSUER=http://127.0.0.1:$port
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	bail_out "slow proxy $name did not start on port $port"
}

# delayed_count NAME: how many requests the proxy NAME has held back.
delayed_count() {
	grep -c '^delay ' "$T/proxy-$1.log" || true
}

# wait_delayed NAME SEEN: waits until the proxy NAME holds back a request
# after the SEEN first ones, and prints that request's client port.
wait_delayed() {
	local n port
	for ((n = 0; n < 200; n++)); do
		port=$(grep '^delay ' "$T/proxy-$1.log" | sed -n "$(($2 + 1))p" |
		    sed -n 's/.* from 127\.0\.0\.1:\([0-9]*\)$/\1/p')
		[ -n "$port" ] && { echo "$port"; return 0; }
		sleep 0.05
	done
	return 1
}

stop_slow_op() {
	local pid
	for pid in ${SLOW_OP_PIDS:-}; do
		_stop_pid "$pid"
		_forget_pid "$pid"
	done
	SLOW_OP_PIDS=
}

# pid_of_client_port PORT: the pid of the process whose TCP connection
# has the local port 127.0.0.1:PORT.
pid_of_client_port() {
	ss -tnpH state established "( sport = :$1 )" 2>/dev/null |
	    grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2
}

# --- oidc-login without a web server: spawn-fcgi and cgi-fcgi -----------

# start_direct NAME TOML: oidc-login as a FastCGI process of its own,
# `spawn-fcgi -n` (which binds the socket and execs it, so $! is its pid
# and `wait` gives its exit status).  stderr: $T/direct-NAME.log.  With
# VALGRIND=1 it runs under valgrind, whose findings make the exit status
# non-zero.
start_direct() {
	local name=$1 toml=$2 sock=$T/direct-$1.sock pid n wrap=()
	rm -f "$sock"
	# shellcheck disable=SC2054  # the commas are valgrind's
	[ "${VALGRIND:-0}" = 1 ] && wrap=("$(command -v valgrind)" \
	    --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --error-exitcode=99)
	spawn-fcgi -n -s "$sock" -- "${wrap[@]}" "$OIDC_LOGIN" -c "$toml" \
	    >/dev/null 2>"$T/direct-$name.log" &
	pid=$!
	_pids+=("$pid")
	DIRECT_PID[$name]=$pid
	DIRECT_SOCK[$name]=$sock
	for ((n = 0; n < START_TIMEOUT * 10; n++)); do
		grep -q 'ready' "$T/direct-$name.log" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# wait_direct NAME: waits for that process to end; prints its exit status.
wait_direct() {
	local pid=${DIRECT_PID[$1]} rc=0
	wait "$pid" 2>/dev/null || rc=$?
	_forget_pid "$pid"
	echo "$rc"
}

# fcgi_get NAME URL [COOKIE_HEADER] [OUT]
# One GET to the direct process NAME with cgi-fcgi, as lighttpd would
# send it with oidc-login at /auth: URL is the full URL the browser
# asked for.  Writes the CGI response to OUT (default $T/fcgi.out):
# headers, a blank line, the body.
fcgi_get() {
	local name=$1 url=$2 cookie=${3:-} out=${4:-$T/fcgi.out} hostport rest
	local uri path query
	rest=${url#http://}
	hostport=${rest%%/*}
	uri=/${rest#*/}
	path=${uri%%\?*}
	query=
	case $uri in *\?*) query=${uri#*\?} ;; esac
	env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 \
	    REQUEST_METHOD=GET REQUEST_URI="$uri" SCRIPT_NAME=/auth \
	    PATH_INFO="${path#/auth}" QUERY_STRING="$query" \
	    SERVER_NAME="${hostport%:*}" SERVER_PORT="${hostport##*:}" \
	    HTTP_HOST="$hostport" REMOTE_ADDR=127.0.0.1 HTTP_COOKIE="$cookie" \
	    HTTP_ACCEPT='text/html' \
	    cgi-fcgi -bind -connect "${DIRECT_SOCK[$name]}" </dev/null \
	    >"$out" 2>>"$T/cgi-fcgi.log"
}

# cgi_header FILE NAME: every value of a header in a CGI response.
cgi_header() {
	tr -d '\r' <"$1" | sed '/^$/q' |
	    awk -v n="$(printf '%s' "$2" | tr '[:upper:]' '[:lower:]')" '
		{ i = index($0, ":"); if (i == 0) next
		  if (tolower(substr($0, 1, i - 1)) == n) {
			v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v } }'
}

# cookie_header FILE: the Cookie header a browser sends back for the live
# cookies a CGI response sets.
cookie_header() {
	cgi_header "$1" Set-Cookie | while IFS= read -r line; do
		is_deleting "$line" || printf '%s\n' "${line%%;*}"
	done | paste -sd ';' - | sed 's/;/; /g'
}

# --- The provider's pages without oidc-login -----------------------------

# op_authorize URL LOGIN JAR: from the provider's authorization URL,
# signs in as LOGIN and consents, and prints the callback URL the
# provider sends the browser to (not requested).  Returns 1 on a failure.
op_authorize() {
	local next=$1 login=$2 jar=$3 origin out status action hops
	local page=$jar.page
	origin=$(_op_origin "$next")
	for ((hops = 0; hops < 20; hops++)); do
		if [ "$(_op_origin "$next")" != "$origin" ]; then
			printf '%s\n' "$next"
			return 0
		fi
		out=$(curl -sS -o "$page" -b "$jar" -c "$jar" --max-time 20 \
		    -w '%{http_code} %{redirect_url}' "$next") || out="000 "
		status=${out%% *}
		case $status in
		30[1237]) next=${out#* }; continue ;;
		200) ;;
		*) return 1 ;;
		esac
		action=$(_absolute "$origin" "$(_html_attr "$page" action)")
		if grep -q 'name="login"' "$page"; then
			out=$(curl -sS -o /dev/null -b "$jar" -c "$jar" --max-time 20 \
			    -w '%{http_code} %{redirect_url}' \
			    --data-urlencode "login=$login" --data "password=x" \
			    "$action") || out="000 "
		else
			out=$(curl -sS -o /dev/null -b "$jar" -c "$jar" --max-time 20 \
			    -w '%{http_code} %{redirect_url}' --data "prompt=consent" \
			    "$action") || out="000 "
		fi
		case ${out%% *} in 30[1237]) ;; *) return 1 ;; esac
		next=${out#* }
	done
	return 1
}
