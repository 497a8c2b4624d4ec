# shellcheck shell=bash disable=SC2034  # variables for the test scripts
# Helpers for the "hostile user" tests: a provider that issues ID tokens
# and userinfo answers with attacker-chosen claims, oidc-login behind a
# real server (lighttpd as an Authorizer, Apache with mod_authnz_fcgi,
# nginx with auth_request), and checks of exactly what the protected
# content receives and what /auth/user says.  Sourced after
# tests/lib/common.sh, tests/lib/servers.sh and tests/hostile/lib.sh.
#
# A script does:
#   users_need lighttpd            # or apache, nginx (skips when missing)
#   start_hostile
#   add_provider v v client_secret_basic 'userinfo = false'
#   users_start                    # the server with those providers
#   accept_case "DESC" v '{"claims": {...}}' alice@example.com
#   refuse_case "DESC" v '{"claims": {...}}' 'not verified' email
#   users_restart '[auth] lines'   # same secret, other rules
#
# The identity is what the content gets: REMOTE_USER for a CGI behind
# lighttpd's Authorizer or Apache's mod_authnz_fcgi, X-Remote-User (from
# X-Auth-Request-User) for an application behind nginx's auth_request.

USERS_SERVER=

# users_need SERVER: skips the whole test unless SERVER (lighttpd, apache,
# nginx), the hostile provider's tools and the program are here.
users_need() {
	USERS_SERVER=$1
	hostile_need
	case $USERS_SERVER in
	lighttpd) ;;
	apache)
		need_spawn_fcgi
		need_apache proxy proxy_fcgi authnz_fcgi cgi mpm_prefork
		;;
	nginx)
		need_spawn_fcgi
		need_nginx
		;;
	*) bail_out "users_need: unknown server $USERS_SERVER" ;;
	esac
}

# --- Configuration and servers ------------------------------------------

# _users_config [AUTH_LINES]: $T/secrets.toml for the providers added so
# far, with the templates the servers' workers can read.
_users_config() {
	write_hostile_config "$T/secrets.toml" "${1:-}"
	if [ -n "$HOSTING_TEMPLATES" ]; then
		sed -i "s#^template_dir = .*#template_dir = \"$HOSTING_TEMPLATES\"#" \
		    "$T/secrets.toml"
	fi
	open_tmp
}

# The server with oidc-login, from the recipes under contrib/ as they are.
# Each returns 0, 2 when a port was taken, 1 on another failure.
_users_start_lighttpd() {
	recipe lighttpd/oidc-login.conf "$T/recipe.conf"
	start_lighttpd_recipe "$WEB_PORT" "$T/recipe.conf"
}

_users_start_apache() {
	start_spawn_fcgi "$FCGI_PORT" || return 2
	recipe apache/oidc-login-proxy-fcgi.conf "$T/pages.conf"
	recipe apache/oidc-login-authnz.conf "$T/protect.conf"
	APACHE_EXTRA_MODULES="proxy proxy_fcgi authnz_fcgi" \
	    start_apache "$WEB_PORT" "$T/pages.conf" "$T/protect.conf"
}

_users_start_nginx() {
	free_port APP_PORT
	start_echo_app "$APP_PORT" || return 2
	start_spawn_fcgi "$FCGI_PORT" || return 2
	recipe nginx/oidc-login.conf "$T/recipe.conf"
	start_nginx "$WEB_PORT" "$T/recipe.conf"
}

# users_start [AUTH_LINES]: registers the providers' clients and starts
# the server on a free port.  Sets WEB, AUTH, WEB_PORT, FCGI_PORT.
users_start() {
	local attempt rc pid
	: "${COOKIE_SECRET:=$(random_hex)}"
	for attempt in 1 2 3; do
		free_port WEB_PORT
		free_port FCGI_PORT
		WEB=http://127.0.0.1:$WEB_PORT
		AUTH=$WEB/auth
		_register_clients
		_users_config "${1:-}"
		"_users_start_$USERS_SERVER"
		rc=$?
		[ "$rc" = 0 ] && return 0
		[ "$rc" = 2 ] || bail_out "$USERS_SERVER did not start (port $WEB_PORT)"
		diag "a port was taken; starting again (attempt $attempt)"
		for pid in "${SPAWN_PID:-}" "${APP_PID:-}"; do
			[ -n "$pid" ] || continue
			_stop_pid "$pid"
			_forget_pid "$pid"
		done
		SPAWN_PID=
		APP_PID=
	done
	bail_out "could not start $USERS_SERVER"
}

# users_restart DESC [AUTH_LINES]: the same site (same cookie secret) with
# a new configuration: these [auth] lines and the provider sections
# added so far.  A configuration today's program refuses fails one test
# and the cases that follow fail on their own; the script goes on.
users_restart() {
	local desc=$1 rc=0
	_register_clients
	_users_config "${2:-}"
	case $USERS_SERVER in
	lighttpd)
		stop_lighttpd
		start_lighttpd_recipe "$WEB_PORT" "$T/recipe.conf" || rc=1
		;;
	*)
		stop_spawn_fcgi
		start_spawn_fcgi "$FCGI_PORT" || rc=1
		;;
	esac
	if [ "$rc" = 0 ] && [ "$(curl -s -o /dev/null -w '%{http_code}' \
	    --max-time 5 "$AUTH/user")" = 200 ]; then
		pass "$desc: oidc-login answers with this configuration"
	else
		fail "$desc: oidc-login answers with this configuration" \
		    "$(tail -n 5 "$T/oidc-login.log" 2>/dev/null)"
	fi
}

# --- What the protected content receives ----------------------------------

# view JAR: requests the protected content in the browser of JAR and
# writes what it was told to $T/view, one name=value a line:
#   user=REMOTE_USER (nginx: X-Remote-User, from X-Auth-Request-User)
#   provider=OIDC_PROVIDER
#   claim.NAME=OIDC_CLAIM_NAME, NAME in lower case (lighttpd upper-cases
#       it; nginx: X-Remote-Email and X-Remote-Name only)
# Sets VIEW_STATUS (200 when the content ran).
view() {
	local saved=${JAR:-}
	JAR=$1
	: >"$T/view"
	case $USERS_SERVER in
	lighttpd | apache)
		request "$WEB/private/whoami.cgi"
		VIEW_STATUS=$STATUS
		[ "$STATUS" = 200 ] && body | awk '
			/^REMOTE_USER=/ { print "user=" substr($0, 13); next }
			/^OIDC_PROVIDER=/ { print "provider=" substr($0, 15); next }
			/^OIDC_CLAIM_[^=]*=/ {
				i = index($0, "=")
				print "claim." tolower(substr($0, 12, i - 12)) "=" \
				    substr($0, i + 1)
			}' >"$T/view"
		;;
	nginx)
		request "$WEB/app/hello"
		VIEW_STATUS=$STATUS
		# Node reads header bytes as Latin-1: back to the UTF-8 sent.
		[ "$STATUS" = 200 ] && "$NODE" -e '
			const h = JSON.parse(require("fs").readFileSync(0, "utf8")).headers;
			const names = { "x-remote-user": "user",
			    "x-remote-email": "claim.email",
			    "x-remote-name": "claim.name" };
			for (const [k, v] of Object.entries(names))
				if (h[k] !== undefined)
					console.log(`${v}=${Buffer.from(h[k], "latin1").toString("utf8")}`);
		' <"$T/last.body" >"$T/view"
		;;
	esac
	JAR=$saved
	return 0
}

# view_get NAME: the value(s) the last view saw under NAME.
view_get() {
	awk -v n="$1=" 'index($0, n) == 1 { print substr($0, length(n) + 1) }' \
	    "$T/view"
}

# view_names: the names the last view saw, one a line.
view_names() {
	sed 's/=.*//' "$T/view"
}

# carries CLAIM: succeeds when this server hands claim CLAIM to the
# content at all (nginx's recipe: email and name only).
carries() {
	[ "$USERS_SERVER" != nginx ] || [ "$1" = email ] || [ "$1" = name ]
}

# --- What /auth/user says -------------------------------------------------

# user_json JAR: /auth/user of the browser of JAR, in $T/user.json.
user_json() {
	local saved=${JAR:-}
	JAR=$1
	request "$AUTH/user"
	body >"$T/user.json"
	JAR=$saved
}

# json_has FILE NAME: succeeds when the JSON object in FILE has member NAME.
json_has() {
	"$NODE" -e '
		const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		process.exit(Object.prototype.hasOwnProperty.call(o, process.argv[2]) ? 0 : 1);
	' "$1" "$2"
}

# --- Cases --------------------------------------------------------------------

# _case PROVIDER SCENARIO_JSON: the next login's scenario, and the login.
_case() {
	scenario "$1" "$2"
	login "$1"
}

# accept_case DESC PROVIDER SCENARIO_JSON USER
# A login whose identity is USER: signed in, /auth/user says so, and the
# protected content runs for exactly USER (byte for byte).
accept_case() {
	local desc=$1 user=$4
	_case "$2" "$3"
	accepted "$desc"
	view "$JAR_L"
	is "$VIEW_STATUS" 200 "$desc: the protected content runs"
	is "$(view_get user)" "$user" "$desc: it gets the user $(printf '%q' "$user" | head -c 80)"
}

# _nothing_reaches DESC: the browser of the last login gets no protected
# content: sent to sign in (302) or refused, and nothing handed over.
_nothing_reaches() {
	view "$JAR_L"
	like "$VIEW_STATUS" '^(302|401|403)$' \
	    "$1: the protected content does not run ($VIEW_STATUS)"
	if [ -s "$T/view" ]; then
		fail "$1: nothing of the identity reaches it" "$(head -c 600 "$T/view")"
	else
		pass "$1: nothing of the identity reaches it"
	fi
}

# _identity_log_lines: the log lines since the last login that say
# "identity refused:".
_identity_log_lines() {
	_logs_since "$LOG_MARK" | grep -a 'identity refused: ' || true
}

# refuse_case DESC PROVIDER SCENARIO_JSON REASON_ERE [CLAIM [FIX_ERE]]
# A login whose identity (claim CLAIM, default email) must be refused:
# 403 on an HTML page, no session cookie, /auth/user not signed in, one
# log line "identity refused: ..." matching REASON_ERE and naming CLAIM
# (and FIX_ERE, the hint how to fix it, when given), and the protected
# content gets nothing.
refuse_case() {
	local desc=$1 reason=$4 claim=${5:-email} fix=${6:-} lines n
	_case "$2" "$3"
	is "$CB_STATUS" 403 "$desc: refused with 403"
	like "$(_header_values content-type "$CB_HEADERS")" \
	    'text/html' "$desc: on the HTML error page"
	ok "$desc: no session cookie set" sets_no_session "$CB_HEADERS"
	is "$(_user_logged_in)" false "$desc: /auth/user is_logged_in false"
	lines=$(_identity_log_lines)
	n=$(printf '%s' "$lines" | grep -c . || true)
	if [ "$n" = 1 ] &&
	    printf '%s\n' "$lines" | grep -aEq -- "identity refused: .*$reason" &&
	    printf '%s\n' "$lines" | grep -aEq -- "(^|[^A-Za-z_])$claim([^A-Za-z_]|\$)"; then
		pass "$desc: one log line 'identity refused' with the reason"
	else
		fail "$desc: one log line 'identity refused' with the reason" \
		    "log lines: $(_logs_since "$LOG_MARK" | tail -n 5)" \
		    "expected one 'identity refused: .*$reason' naming $claim"
	fi
	if [ -n "$fix" ]; then
		like "$lines" "$fix" "$desc: the log line names the fix"
	fi
	_nothing_reaches "$desc"
}

# rule_case DESC PROVIDER SCENARIO_JSON REASON_ERE
# A login the access rules must refuse: 403 page, no session, one log
# line of the callback with REASON_ERE; the content gets nothing.
rule_case() {
	local desc=$1
	_case "$2" "$3"
	refused "$desc" 403 "$4"
	_nothing_reaches "$desc"
}

# claims_case DESC PROVIDER SCENARIO_JSON USER: accept_case, then
# $T/user.json holds /auth/user and $T/view the content's view.
claims_case() {
	accept_case "$@"
	user_json "$JAR_L"
}

# no_claim DESC NAME...: neither /auth/user ($T/user.json) nor the
# content ($T/view) has any of these claims (the content: under any
# case of the name).
no_claim() {
	local desc=$1 name low
	shift
	for name in "$@"; do
		if json_has "$T/user.json" "$name"; then
			fail "$desc: /auth/user has no $name" "$(head -c 600 "$T/user.json")"
		else
			pass "$desc: /auth/user has no $name"
		fi
		low=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')
		carries "$low" || continue
		if view_names | grep -qx "claim\\.$low"; then
			fail "$desc: the content gets no OIDC_CLAIM_$name" \
			    "$(grep "^claim\\.$low=" "$T/view" | head -c 300)"
		else
			pass "$desc: the content gets no OIDC_CLAIM_$name"
		fi
	done
}

# has_claim DESC NAME JSON_VALUE ENV_VALUE: /auth/user shows claim NAME
# as JSON_VALUE (as json_get prints it) and the content gets ENV_VALUE.
has_claim() {
	local desc=$1 name=$2
	is "$(json_get "$T/user.json" "$name")" "$3" "$desc: /auth/user shows $name"
	carries "$name" || return 0
	is "$(view_get "claim.$name")" "$4" "$desc: the content gets OIDC_CLAIM_$name"
}

# str N CHAR: CHAR repeated N times.
str() {
	local s
	printf -v s '%*s' "$1" ''
	printf '%s' "${s// /$2}"
}
