# Shell helpers for the hostile-provider tests (tests/integration/hostile_*.sh).
# Sourced after tests/lib/common.sh, whose TAP helpers, start_op,
# start_lighttpd and op_login it reuses.
#
# A script does:
#   . "$top_srcdir/tests/lib/common.sh"
#   . "$top_srcdir/tests/hostile/lib.sh"
#   hostile_need                       # or skip_all
#   start_hostile                      # keys + tests/hostile/provider.js at $H
#   add_provider NAME PREFIX [AUTH [TOML_LINES]]
#   hostile_start [AUTH_LINES]         # lighttpd + oidc-login at $AUTH
#   scenario PREFIX '{"sign": {"alg": "ES256", "key": "p256"}}'
#   login NAME; accepted "ES256"       # or refused "..." 502 'reason ERE'
#   done_testing

HOSTILE_SCRIPT=$top_srcdir/tests/hostile/provider.js

# The client secret every provider section gets unless told otherwise.
HOSTILE_SECRET=hostile-secret-0123456789-abcdefghij

_providers=()
_login_n=0

# Skips the whole test unless node, jose and openssl are here.
hostile_need() {
	need_tools
	command -v openssl >/dev/null 2>&1 || skip_all "openssl not installed"
	[ -d "$top_srcdir/tests/node_modules/jose" ] ||
	    skip_all "tests/node_modules/jose missing (run: cd tests && npm ci)"
	need_program
}

# make_keys DIR: the provider's signing keys, fresh for this run.
make_keys() {
	local dir=$1 spec name
	mkdir -p "$dir"
	while read -r name spec; do
		# shellcheck disable=SC2086  # spec is several words
		openssl genpkey -algorithm $spec -out "$dir/$name.pem" 2>/dev/null ||
		    bail_out "openssl genpkey $spec failed"
	done <<'EOF'
rsa RSA -pkeyopt rsa_keygen_bits:2048
rsa2 RSA -pkeyopt rsa_keygen_bits:2048
rsa3 RSA -pkeyopt rsa_keygen_bits:2048
weak RSA -pkeyopt rsa_keygen_bits:1024
p256 EC -pkeyopt ec_paramgen_curve:P-256
p384 EC -pkeyopt ec_paramgen_curve:P-384
p521 EC -pkeyopt ec_paramgen_curve:P-521
ed25519 ED25519
ed448 ED448
EOF
}

# start_hostile: generates the keys and starts the hostile provider.
# Sets H (its base URL: issuers are $H/PREFIX).
start_hostile() {
	make_keys "$T/keys"
	OP_SCRIPT=$HOSTILE_SCRIPT start_op hostile 0 --keys="$T/keys"
	H=$OP_ISSUER
}

# op_ctl JSON: one control message; prints the answer.
op_ctl() {
	curl -sS --max-time 5 -H 'Content-Type: application/json' \
	    --data-binary "$1" "$H/control"
}

# json_string STRING: prints STRING as a JSON string literal.
json_string() {
	case $1 in
	*[!A-Za-z0-9_./:-]*)
		"$NODE" -e 'process.stdout.write(JSON.stringify(process.argv[1]))' -- "$1"
		;;
	*) printf '"%s"' "$1" ;;
	esac
}

# toml_string STRING: prints STRING as a TOML basic string.
toml_string() {
	"$NODE" -e '
		const s = process.argv[1].replace(/\\/g, "\\\\").replace(/"/g, "\\\"");
		process.stdout.write(`"${s}"`)' -- "$1"
}

# scenario PREFIX JSON: what the issuer $H/PREFIX does from now on.
scenario() {
	local answer
	answer=$(op_ctl "{\"op\":\"scenario\",\"prefix\":$(json_string "$1"),\"scenario\":$2}")
	[ "$answer" = '{"ok":true}' ] || bail_out "scenario $1 refused: $answer"
}

# publish PREFIX JSON_ARRAY: the keys $H/PREFIX publishes from now on
# (entries {"key": NAME, "kid", "alg", "use", "key_ops"} or {"raw": JWK}).
publish() {
	local answer
	answer=$(op_ctl "{\"op\":\"jwks\",\"prefix\":$(json_string "$1"),\"jwks\":$2}")
	[ "$answer" = '{"ok":true}' ] || bail_out "jwks $1 refused: $answer"
}

# events PREFIX PATH: a member of what the issuer saw (json_get PATH).
events() {
	op_ctl "{\"op\":\"events\",\"prefix\":$(json_string "$1")}" >"$T/events.json"
	json_get "$T/events.json" "$2"
}

# reset_events PREFIX
reset_events() {
	op_ctl "{\"op\":\"reset\",\"prefix\":$(json_string "$1")}" >/dev/null
}

# add_provider NAME PREFIX [AUTH [TOML_LINES [CLIENT_ID [SECRET]]]]
# A provider section [auth.NAME] whose issuer is $H/PREFIX (or PREFIX
# itself when it is a URL), with client
# NAME-client (or CLIENT_ID) authenticating with AUTH (default
# client_secret_basic).  Registered at the provider by hostile_start.
add_provider() {
	_providers+=("$1|$2|${3:-client_secret_basic}|${4:-}|${5:-$1-client}|${6-$HOSTILE_SECRET}")
}

_register_clients() {
	local spec name prefix auth lines id secret answer
	for spec in "${_providers[@]}"; do
		IFS='|' read -r name prefix auth lines id secret <<<"$spec"
		answer=$(op_ctl "{\"op\":\"client\",\"client_id\":$(json_string "$id"),
		    \"client_secret\":$(json_string "$secret"),\"auth\":\"$auth\",
		    \"redirect_uris\":[\"$WEB/auth/callback\"],
		    \"post_logout_redirect_uris\":[\"$WEB/\"]}")
		[ "$answer" = '{"ok":true}' ] ||
		    bail_out "client $id refused: $answer"
	done
}

# write_hostile_config FILE [AUTH_LINES]
write_hostile_config() {
	local file=$1 extra=${2:-} spec name prefix auth lines id secret
	: "${COOKIE_SECRET:=$(random_hex)}"
	{
		cat <<EOF
# oidc-login hostile-provider test configuration
[auth]
redirect_uri = "$WEB/auth/callback"
cookie_secret = "$COOKIE_SECRET"
template_dir = "$top_srcdir/templates"
http_timeout = 3
http_connect_timeout = 2
log_level = "info"
$extra
EOF
		for spec in "${_providers[@]}"; do
			IFS='|' read -r name prefix auth lines id secret <<<"$spec"
			printf '\n[auth.%s]\n' "$name"
			printf 'client_id = %s\n' "$(toml_string "$id")"
			[ "$auth" = none ] ||
			    printf 'client_secret = %s\n' "$(toml_string "$secret")"
			# A PREFIX that is a URL: an issuer elsewhere.
			case $prefix in
			http://* | https://*) ;;
			*) prefix=$H/$prefix ;;
			esac
			printf 'server_metadata_url = "%s/.well-known/openid-configuration"\n' \
			    "$prefix"
			printf 'token_endpoint_auth_method = "%s"\n' "$auth"
			# TOML_LINES: ';'-separated.
			[ -n "$lines" ] && printf '%s\n' "$lines" | tr ';' '\n'
		done
	} >"$file"
}

# hostile_start [AUTH_LINES]: lighttpd with oidc-login at $AUTH, every
# provider section added so far.  Sets WEB, AUTH, WEB_PORT, FCGI_PID.
hostile_start() {
	local attempt
	for attempt in 1 2 3; do
		free_port WEB_PORT
		WEB=http://127.0.0.1:$WEB_PORT
		AUTH=$WEB/auth
		_register_clients
		write_hostile_config "$T/secrets.toml" "${1:-}"
		if try_start_lighttpd "$T/secrets.toml"; then
			_check_started
			return 0
		fi
		[ "$LIGHTTPD_PORT_TAKEN" = 1 ] ||
		    bail_out "lighttpd did not start on port $WEB_PORT"
		diag "port $WEB_PORT was taken; starting again (attempt $attempt)"
	done
	bail_out "could not start lighttpd"
}

# Stops the test unless oidc-login answers; sets FCGI_PID.
_check_started() {
	local status
	status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$AUTH/user")
	[ "$status" = 200 ] || bail_out "oidc-login does not answer (HTTP $status)"
	FCGI_PID=$(fcgi_pid)
}

# hostile_restart [AUTH_LINES]: the same site with other [auth] lines,
# and the provider sections added so far (a fresh oidc-login process, so
# fresh caches too).  To replace the sections: _providers=(), then
# add_provider ... before.
hostile_restart() {
	stop_lighttpd
	_register_clients
	write_hostile_config "$T/secrets.toml" "${1:-}"
	start_lighttpd "$T/secrets.toml"
	_check_started
}

# fcgi_pid: the pid of the oidc-login process lighttpd runs (after one
# request: lighttpd starts it with the server).
fcgi_pid() {
	curl -s -o /dev/null --max-time 5 "$AUTH/user"
	pgrep -P "$LIGHTTPD_PID" 2>/dev/null | head -n 1
}

# The number of lines in oidc-login's and lighttpd's logs so far.
_log_mark() {
	printf '%s %s' "$( (wc -l <"$T/oidc-login.log") 2>/dev/null || echo 0)" \
	    "$( (wc -l <"$T/lighttpd.log") 2>/dev/null || echo 0)"
}

# The lines both logs got since _log_mark printed MARK.
_logs_since() {
	local mark=$1
	tail -n +"$((${mark% *} + 1))" "$T/oidc-login.log" 2>/dev/null
	tail -n +"$((${mark#* } + 1))" "$T/lighttpd.log" 2>/dev/null
}

# login NAME: one login through provider NAME in a fresh browser (jar
# $JAR_L).  Sets CB_STATUS (the status of the callback, or of the start
# of the login when that failed; "FAIL" when the walk broke elsewhere),
# CB_LOCATION, CB_HEADERS (that response's headers), ELAPSED_MS, and
# LOG_MARK (log lines before).
login() {
	local out t0
	_login_n=$((_login_n + 1))
	JAR_L=$T/jar-$_login_n
	LOG_MARK=$(_log_mark)
	t0=${EPOCHREALTIME/./}
	out=$(op_login "$AUTH/login/$1?return_to=%2Fprivate%2Fpage" alice \
	    "$JAR_L")
	ELAPSED_MS=$(((${EPOCHREALTIME/./} - t0) / 1000))
	CB_STATUS=${out%% *}
	CB_LOCATION=${out#* }
	CB_HEADERS=$JAR_L.headers
	case $out in
	"FAIL start "*)
		out=${out#FAIL start }
		CB_STATUS=${out%% *}
		CB_LOCATION=
		CB_HEADERS=$JAR_L.start
		;;
	esac
	[ "${VERBOSE:-0}" = 1 ] && diag "login $1 -> $out (${ELAPSED_MS} ms)"
	return 0
}

# The failure lines of the login's requests since the last login.
callback_log_lines() {
	_logs_since "$LOG_MARK" |
	    grep -E '(GET|HEAD) /auth/(callback|login/[^ ]*): [0-9]{3} ' || true
}

_user_logged_in() {
	local saved=${JAR:-}
	JAR=$JAR_L
	request "$AUTH/user"
	JAR=$saved
	# (No node here: this runs twice per login.)
	body | sed -n 's/^{ *"is_logged_in" *: *\(true\|false\)[,}].*/\1/p'
}

# accepted DESC: the last login ended signed in.
accepted() {
	is "$CB_STATUS $CB_LOCATION" "302 $WEB/private/page" \
	    "$1: signs in (302 to return_to)"
	ok "$1: session cookie set" any_setting "$(session_cookies "$CB_HEADERS")"
	is "$(_user_logged_in)" true "$1: /user is_logged_in true"
}

# refused DESC STATUS REASON_ERE: the last login ended on an error page
# with STATUS, set no session, and left one log line matching REASON_ERE.
refused() {
	local lines n
	is "$CB_STATUS" "$2" "$1: refused with $2"
	like "$(_header_values content-type "$CB_HEADERS")" \
	    'text/html' "$1: on the HTML error page"
	ok "$1: no session cookie set" sets_no_session "$CB_HEADERS"
	# (EXPECT_LOGGED_IN=true: the browser was signed in before.)
	is "$(_user_logged_in)" "${EXPECT_LOGGED_IN:-false}" \
	    "$1: /user is_logged_in ${EXPECT_LOGGED_IN:-false}"
	lines=$(callback_log_lines)
	n=$(printf '%s' "$lines" | grep -c . || true)
	if [ "$n" = 1 ] && printf '%s\n' "$lines" | grep -Eq -- ": $2 .*$3"; then
		pass "$1: one log line with the reason"
	else
		fail "$1: one log line with the reason" "log lines: $lines" \
		    "expected one matching: $2 .*$3"
	fi
}

# still_alive DESC: the same oidc-login process answers (no crash, no
# restart) and a good login works right after.
still_alive() {
	is "$(fcgi_pid)" "$FCGI_PID" "$1: the same oidc-login process answers"
}
