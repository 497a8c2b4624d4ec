# Shell helpers for the attack catalogue (tests/integration/attack_*.sh),
# the security-header test and the soak and RSS tests.  Sourced after
# tests/lib/common.sh and tests/hostile/lib.sh.
#
# The site: lighttpd on 127.0.0.1 (http, or https with a certificate made
# by openssl at test time) with oidc-login at /auth (responder) and in
# front of /private/ (authorizer, check-local off), a CGI
# /private/env.cgi that prints what the authorizer passed, and providers
# alpha and beta on tests/hostile/provider.js (no login page: a login is
# three requests).
#
#   attack_need                 skip unless node, jose, openssl are here
#   attack_site [AUTH_LINES]    providers + lighttpd; sets WEB, AUTH,
#                               FCGI_PID; ATTACK_TLS=1 for https
#   attack_node SCRIPT ARGS...  runs a node script of tests/attack with
#                               WEB, AUTH and H in its environment; its
#                               "ok DESC" / "not ok DESC # detail" lines
#                               become TAP lines here
#   alive DESC                  the same oidc-login process still answers

ATTACK_DIR=$top_srcdir/tests/attack

attack_need() {
	hostile_need
}

# make_cert DIR: a self-signed certificate for 127.0.0.1 (DIR/site.pem,
# key and certificate in one file, as lighttpd's ssl.pemfile wants).
make_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=127.0.0.1' \
	    -addext 'subjectAltName=IP:127.0.0.1' -keyout "$1/site.key" \
	    -out "$1/site.crt" >/dev/null 2>&1 ||
	    bail_out "openssl req could not make a certificate"
	cat "$1/site.key" "$1/site.crt" >"$1/site.pem"
}

_write_attack_site() {
	local root=$T/site
	mkdir -p "$root/private"
	printf '<!DOCTYPE html>\n<title>Test site</title><p>home</p>\n' \
	    >"$root/index.html"
	printf 'private page\n' >"$root/private/page"
	cat >"$root/private/env.cgi" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
env | grep -E '^(REMOTE_USER|OIDC_|AUTH_TYPE)|[Ii]njected|INJECTED' | sort
EOF
	chmod 755 "$root/private/env.cgi"
}

# attack_lighttpd CONFIG PORT: lighttpd with oidc-login at /auth and as
# the authorizer of /private/ (one process each, as in
# contrib/lighttpd/oidc-login.conf).  FCGI_SOCKET=PATH: connect to an
# oidc-login already listening there (both roles) instead of spawning.
# ATTACK_MAX_FIELD: lighttpd's header size limit (default 8192), to let
# large Cookie headers and queries reach oidc-login's own bounds.
# ATTACK_PARSEOPTS: more http-parseopts (', "url-normalize" => "disable"'
# passes invalid percent escapes through as they are, as Apache does).
attack_lighttpd() {
	local conf=$1 port=$2 lconf=$T/lighttpd.conf pid i tag scheme=http
	local spawn_auth spawn_priv ssl=
	_write_attack_site
	tag="oidc-login-attack-$$-$RANDOM"
	if [ "${ATTACK_TLS:-0}" = 1 ]; then
		[ -f "$T/site.pem" ] || make_cert "$T"
		scheme=https
		ssl="server.modules += ( \"mod_openssl\" )
ssl.engine = \"enable\"
ssl.pemfile = \"$T/site.pem\""
	fi
	if [ -n "${FCGI_SOCKET:-}" ]; then
		spawn_auth="\"socket\" => \"$FCGI_SOCKET\","
		spawn_priv=$spawn_auth
	else
		spawn_auth="\"bin-path\" => \"$OIDC_LOGIN\",
		\"socket\" => \"$T/oidc-login.sock\",
		\"max-procs\" => 1,
		\"bin-environment\" => ( \"OIDC_LOGIN_CONFIG\" => \"$conf\" ),"
		spawn_priv="\"bin-path\" => \"$OIDC_LOGIN\",
		\"socket\" => \"$T/oidc-login-authz.sock\",
		\"max-procs\" => 1,
		\"bin-environment\" => ( \"OIDC_LOGIN_CONFIG\" => \"$conf\" ),"
	fi
	cat >"$lconf" <<EOF
server.modules = ( "mod_fastcgi", "mod_cgi" )
$ssl
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$T/site"
server.errorlog = "$T/lighttpd.log"
server.upload-dirs = ( "$T" )
server.tag = "$tag"
server.http-parseopts = ( "url-ctrls-reject" => "disable"${ATTACK_PARSEOPTS:-} )
server.max-request-field-size = ${ATTACK_MAX_FIELD:-8192}
index-file.names = ( "index.html" )
cgi.assign = ( ".cgi" => "" )
mimetype.assign = (
	".html" => "text/html; charset=utf-8",
	"" => "text/plain; charset=utf-8",
)
fastcgi.server = (
	"/auth" => ( (
		$spawn_auth
		"check-local" => "disable",
	) ),
	"/private/" => ( (
		"mode" => "authorizer",
		$spawn_priv
		"check-local" => "disable",
	) ),
)
EOF
	LIGHTTPD_PORT_TAKEN=0
	"$LIGHTTPD" -D -f "$lconf" >>"$T/oidc-login.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	LIGHTTPD_PID=$pid
	wait_server_tag "$scheme://127.0.0.1:$port/" "$tag" "$pid" && return 0
	stop_lighttpd
	grep -q "can't bind" "$T/lighttpd.log" "$T/oidc-login.log" 2>/dev/null &&
	    LIGHTTPD_PORT_TAKEN=1
	return 1
}

# attack_site [AUTH_LINES]: the hostile provider with issuers alpha and
# beta, their provider sections, lighttpd.  Sets WEB, AUTH, WEB_PORT,
# FCGI_PID.  ATTACK_START=FUNCTION runs instead of attack_lighttpd
# (called as FUNCTION CONFIG PORT).
attack_site() {
	local attempt scheme=http
	[ "${ATTACK_TLS:-0}" = 1 ] && scheme=https
	need_program
	[ -n "${H:-}" ] || start_hostile
	if [ ${#_providers[@]} -eq 0 ]; then
		add_provider alpha alpha
		add_provider beta beta client_secret_post
	fi
	for attempt in 1 2 3; do
		free_port WEB_PORT
		WEB=$scheme://127.0.0.1:$WEB_PORT
		AUTH=$WEB/auth
		_register_clients
		write_hostile_config "$T/secrets.toml" "${1:-}"
		if "${ATTACK_START:-attack_lighttpd}" "$T/secrets.toml" "$WEB_PORT"; then
			FCGI_PID=$(attack_fcgi_pid)
			return 0
		fi
		[ "$LIGHTTPD_PORT_TAKEN" = 1 ] ||
		    bail_out "lighttpd did not start on port $WEB_PORT"
		diag "port $WEB_PORT was taken; starting again (attempt $attempt)"
	done
	bail_out "could not start lighttpd"
}

# The pid of the oidc-login responder lighttpd started (after a request).
attack_fcgi_pid() {
	local pid
	curl -sk -o /dev/null --max-time 10 "$AUTH/healthz"
	for pid in $(pgrep -P "$LIGHTTPD_PID" 2>/dev/null); do
		if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
		    grep -q 'oidc-login'; then
			echo "$pid"
			return 0
		fi
	done
}

# alive DESC: the responder that answered at the start still answers.
alive() {
	local status
	status=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 10 "$AUTH/healthz")
	is "$status $(attack_fcgi_pid | head -n 1)" "200 $FCGI_PID" \
	    "$1: the same oidc-login process still serves (/healthz 200)"
}

# attack_node SCRIPT ARGS...: runs tests/attack/SCRIPT; each output line
# "ok DESC" passes, "not ok DESC # DETAIL" fails, "# TEXT" is a diag,
# anything else is shown as a diag.  A script that dies is one failure.
attack_node() {
	local script=$1 line rc
	shift
	WEB=$WEB AUTH=$AUTH H=${H:-} LOG=$T/oidc-login.log "$NODE" "$ATTACK_DIR/$script" "$@" \
	    >"$T/node.out" 2>"$T/node.err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) pass "${line#ok }" ;;
		"not ok "*)
			line=${line#not ok }
			fail "${line%% # *}" "${line#* # }"
			;;
		"#"*) diag "${line#"# "}" ;;
		*) diag "$line" ;;
		esac
	done <"$T/node.out"
	if [ "$rc" != 0 ]; then
		fail "$script exits 0" "exit $rc" "$(tail -n 20 "$T/node.err")"
	fi
}
