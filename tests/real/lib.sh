# shellcheck shell=bash disable=SC2034  # variables for the test scripts
# Shell helpers for the tests against real OpenID Providers (LemonLDAP::NG,
# Glewlwyd, oidc-provider 9).  Sourced by bash after tests/lib/common.sh
# and tests/lib/servers.sh.
#
# A test does:
#   need_tools; need_llng            # or need_glewlwyd, ...
#   configure() { llng_rp ...; real_provider ...; }
#   setup_real configure start_llng
#   ... real_login_check / real_logout_check ...
#
# The provider runs from a private configuration under $T on 127.0.0.1,
# never as the system service; oidc-login runs behind lighttpd from
# contrib/lighttpd/oidc-login.conf (pages at /auth, /private/ behind the
# authorizer, with private/whoami.cgi printing what the content gets).
# The oidc-login configuration is the one a user would write from the
# provider's documentation: server_metadata_url, client_id, client_secret,
# and nothing that works around the provider (no `issuer`, no
# token_endpoint_auth_method unless that is what a case is about).

REAL_DIR=$top_srcdir/tests/real

# --- oidc-login's configuration -----------------------------------------

REAL_PROVIDERS=

# real_provider NAME CLIENT_ID SECRET METADATA_URL [LINE...]
# Adds [auth.NAME] to the configuration setup_real writes; each LINE is
# one more `key = value` line of that section.  An empty SECRET: no
# client_secret line (a public client).
real_provider() {
	local name=$1 id=$2 secret=$3 url=$4 line
	shift 4
	REAL_PROVIDERS+=$'\n'"[auth.$name]"$'\n'"display_name = \"$name\""$'\n'
	REAL_PROVIDERS+="client_id = \"$id\""$'\n'
	[ -n "$secret" ] && REAL_PROVIDERS+="client_secret = \"$secret\""$'\n'
	REAL_PROVIDERS+="server_metadata_url = \"$url\""$'\n'
	for line in "$@"; do
		REAL_PROVIDERS+="$line"$'\n'
	done
}

# write_real_config FILE: [auth] and the providers real_provider added;
# REAL_AUTH_EXTRA: more [auth] lines (http_ca_file for providers over
# https).
write_real_config() {
	: "${COOKIE_SECRET:=$(random_hex)}"
	cat >"$1" <<EOF
# oidc-login test configuration (real providers)
[auth]
redirect_uri = "$WEB/auth/callback"
cookie_secret = "$COOKIE_SECRET"
template_dir = "${HOSTING_TEMPLATES:-$top_srcdir/templates}"
log_level = "debug"
${REAL_AUTH_EXTRA:-}
$REAL_PROVIDERS
EOF
}

# --- The site -------------------------------------------------------------

_start_real_lighttpd() {
	recipe lighttpd/oidc-login.conf "$T/recipe.conf"
	start_lighttpd_recipe "$WEB_PORT" "$T/recipe.conf"
}

# setup_real CONFIGURE START
# Picks the ports (WEB_PORT, WEB, AUTH, and PROVIDER_PORT for the
# provider), runs CONFIGURE (which registers the clients at the provider
# and adds oidc-login's providers, knowing $WEB and $PROVIDER_PORT), then
# START (which starts the provider and returns 2 when its port was taken),
# then lighttpd with oidc-login.  Starts again on other ports when one was
# taken meanwhile by another test.
setup_real() {
	local configure=$1 start=$2 attempt rc
	need_program
	for attempt in 1 2 3; do
		free_port WEB_PORT
		free_port PROVIDER_PORT
		WEB=http://127.0.0.1:$WEB_PORT
		AUTH=$WEB/auth
		REAL_PROVIDERS=
		"$configure"
		"$start"
		rc=$?
		if [ "$rc" = 0 ]; then
			write_real_config "$T/secrets.toml"
			_start_real_lighttpd
			rc=$?
			[ "$rc" = 0 ] && return 0
		fi
		[ "$rc" = 2 ] || bail_out "$start or lighttpd failed"
		diag "a port was taken; starting again (attempt $attempt)"
		"${start}_stop"
	done
	bail_out "could not start $start"
}

# --- What the site sees after a login -------------------------------------

# check_signed_in CASE JAR NAME SUB_ERE EMAIL DISPLAY_NAME
# The session in JAR is NAME's, for the user SUB/EMAIL/DISPLAY_NAME, as
# /auth/user, /auth/check and the protected CGI (REMOTE_USER, the
# claims) see it.
check_signed_in() {
	local case=$1 jar=$2 name=$3 sub=$4 email=$5 display=$6
	JAR=$jar
	request "$AUTH/user"
	body >"$T/user.json"
	is "$STATUS" 200 "$case: /auth/user answers 200"
	is "$(json_get "$T/user.json" is_logged_in)" true "$case: is_logged_in"
	is "$(json_get "$T/user.json" provider)" "$name" "$case: provider"
	like "$(json_get "$T/user.json" sub)" "^($sub)\$" "$case: sub"
	is "$(json_get "$T/user.json" email)" "$email" "$case: email"
	is "$(json_get "$T/user.json" name)" "$display" "$case: name"
	unlike "$(body)" '"(nonce|at_hash|aud)"' "$case: no technical claims"
	request "$AUTH/check"
	is "$STATUS" 200 "$case: /auth/check 200"
	is "$(header X-Auth-Request-User)" "$email" "$case: X-Auth-Request-User"
	request "$WEB/private/whoami.cgi"
	is "$STATUS" 200 "$case: the protected CGI runs"
	like "$(body)" "^REMOTE_USER=$email\$" "$case: it gets REMOTE_USER"
	like "$(body)" "^OIDC_PROVIDER=$name\$" "$case: and OIDC_PROVIDER"
	like "$(body)" "^OIDC_CLAIM_NAME=$display\$" "$case: and OIDC_CLAIM_NAME"
	JAR=
}

# check_callback CASE OUT JAR: the callback (op_login-style OUT, "STATUS
# LOCATION") signed in and went back to return_to (/private/whoami.cgi).
check_callback() {
	local case=$1 out=$2 jar=$3
	if [ "${out%% *}" != 302 ]; then
		fail "$case: the callback signs in (302)" "got: $out" \
		    "$(head -c 600 "$jar.body" 2>/dev/null)" \
		    "$(grep -E 'error|warn' "$T/oidc-login.log" | tail -n 3)"
		return 1
	fi
	pass "$case: the callback signs in (302)"
	is "${out#* }" "$WEB/private/whoami.cgi" "$case: back to return_to"
	ok "$case: a session cookie is set" \
	    any_setting "$(session_cookies "$jar.headers")"
}

# start_url NAME: where a login through NAME starts.
start_url() {
	printf '%s/login/%s?return_to=%%2Fprivate%%2Fwhoami.cgi\n' "$AUTH" "$1"
}

# rp_logout CASE JAR EXPECTED_URL_ERE: POSTs /auth/logout with the form's
# CSRF token; checks the session is cleared and the answer leads to the
# provider's end_session endpoint (EXPECTED_URL_ERE) with id_token_hint,
# client_id and post_logout_redirect_uri.  Sets LOGOUT_URL.
rp_logout() {
	local case=$1 jar=$2 ere=$3 csrf
	JAR=$jar
	request "$AUTH/logout?return_to=%2F"
	csrf=$(body | tr '\n' ' ' | grep -o '<input[^>]*name="csrf"[^>]*>' |
	    head -n 1 | grep -o 'value="[^"]*"' | sed 's/^value="//; s/"$//')
	request --data-urlencode "csrf=$csrf" --data-urlencode "return_to=/" \
	    "$AUTH/logout"
	like "$STATUS" '^30[23]$' "$case: POST /auth/logout redirects"
	like "$LOCATION" "$ere" "$case: to the provider's end_session_endpoint"
	like "$LOCATION" '[?&]id_token_hint=[^&]+' "$case: with id_token_hint"
	is "$(urldecode "$(query_param "$LOCATION" post_logout_redirect_uri)")" \
	    "$WEB/" "$case: with post_logout_redirect_uri"
	ok "$case: the session cookies are cleared" \
	    all_deleting "$(session_cookies)"
	LOGOUT_URL=$LOCATION
	request "$AUTH/user"
	body >"$T/user.json"
	is "$(json_get "$T/user.json" is_logged_in)" false \
	    "$case: signed out of the site"
	JAR=
}

# --- Plain HTML login forms (curl) ----------------------------------------

# _hidden_inputs FILE: "name=value" for every hidden input of the page's
# first form, HTML entities of the value decoded.
_hidden_inputs() {
	tr '\n' ' ' <"$1" | grep -o '<input[^>]*type="hidden"[^>]*>' |
	    while IFS= read -r tag; do
		n=$(printf '%s' "$tag" | grep -o ' name="[^"]*"' | sed 's/^ name="//; s/"$//')
		v=$(printf '%s' "$tag" | grep -o ' value="[^"]*"' | sed 's/^ value="//; s/"$//')
		[ -n "$n" ] || continue
		v=${v//&quot;/\"}
		v=${v//&#39;/\'}
		v=${v//&lt;/<}
		v=${v//&gt;/>}
		v=${v//&amp;/&}
		printf '%s=%s\n' "$n" "$v"
	done
}

# _curl_step JAR OUT_BODY URL [curl args]: one request; prints
# "STATUS REDIRECT_URL".
_curl_step() {
	local jar=$1 out=$2 url=$3 res
	shift 3
	res=$(curl -sS -o "$out" -D "$out.headers" -b "$jar" -c "$jar" \
	    --max-time 20 -w '%{http_code} %{redirect_url}' "$@" "$url") ||
	    res="000 "
	_jar_forget "$jar" "$out.headers"
	printf '%s\n' "$res"
}

# form_login START_URL USER PASSWORD JAR
# A login through a provider whose login page is a plain HTML form (no
# JavaScript needed), driven with curl: START_URL at oidc-login (a 302 to
# the provider), the provider's pages (redirects; a form with a password
# field gets USER/PASSWORD in its text and password fields and its hidden
# fields, posted to its action or, for action="#" or none, to the page's
# own URL), until the provider redirects back to the site: that callback
# is requested once, not followed.  Output and files as op_login's
# (JAR.start, JAR.callback, JAR.headers, JAR.body); on a failure before
# the callback prints "FAIL STEP STATUS URL" and returns 1.
form_login() {
	local url=$1 user=$2 password=$3 jar=$4 origin out status next hops
	local page=$jar.page action data userfield passfield
	out=$(_curl_step "$jar" "$jar.startbody" "$url")
	cp "$jar.startbody.headers" "$jar.start"
	status=${out%% *}
	next=${out#* }
	case $status in 30[1237]) ;; *)
		echo "FAIL start $status $url"
		return 1
	esac
	origin=$(_op_origin "$next")
	for ((hops = 0; hops < 20; hops++)); do
		if [ "$(_op_origin "$next")" != "$origin" ]; then
			printf '%s\n' "$next" >"$jar.callback"
			out=$(_curl_step "$jar" "$jar.body" "$next")
			cp "$jar.body.headers" "$jar.headers"
			echo "$out"
			return 0
		fi
		url=$next
		out=$(_curl_step "$jar" "$page" "$url")
		status=${out%% *}
		next=${out#* }
		case $status in
		30[1237]) continue ;;
		200) ;;
		*)
			echo "FAIL provider $status $url"
			return 1
			;;
		esac
		grep -qi 'type="password"' "$page" ||
		    { echo "FAIL no-login-form 200 $url"; return 1; }
		action=$(tr '\n' ' ' <"$page" | grep -o '<form[^>]*>' | head -n 1 |
		    grep -o ' action="[^"]*"' | sed 's/^ action="//; s/"$//; s/&amp;/\&/g')
		case $action in
		'' | '#') action=$url ;;
		*) action=$(_absolute "$origin" "$action") ;;
		esac
		userfield=$(tr '\n' ' ' <"$page" |
		    grep -o '<input[^>]*type="text"[^>]*>' | head -n 1 |
		    grep -o ' name="[^"]*"' | sed 's/^ name="//; s/"$//')
		passfield=$(tr '\n' ' ' <"$page" |
		    grep -o '<input[^>]*type="password"[^>]*>' | head -n 1 |
		    grep -o ' name="[^"]*"' | sed 's/^ name="//; s/"$//')
		data=()
		while IFS= read -r line; do
			data+=(--data-urlencode "$line")
		done < <(_hidden_inputs "$page")
		data+=(--data-urlencode "$userfield=$user"
		    --data-urlencode "$passfield=$password")
		out=$(_curl_step "$jar" "$page.post" "$action" "${data[@]}")
		status=${out%% *}
		next=${out#* }
		case $status in 30[1237]) ;; *)
			echo "FAIL form $status $action"
			return 1
		esac
	done
	echo "FAIL too-many-redirects 000 $next"
	return 1
}
