# shellcheck shell=bash
# The session lifetimes of issue 14 under one server (lighttpd's
# Authorizer, Apache's mod_authnz_fcgi, nginx's auth_request): renewal
# by refresh token and by a silent sign-in, refusals that end a session,
# a provider that is down, the idle timeout, the absolute lifetime, clock
# skew, racing tabs and /auth/user.  oidc-login's clock is moved with
# libfaketime (a timestamp file it reads on every call); the provider
# keeps the real time.  Sourced by tests/integration/sessions_*.sh after
# tests/hostile/users.sh.

FAKETIME_LIB=
for f in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
	[ -r "$f" ] && { FAKETIME_LIB=$f; break; }
done

# sessions_need SERVER: as users_need, and libfaketime.
sessions_need() {
	users_need "$1"
	[ -n "$FAKETIME_LIB" ] ||
	    skip_all "libfaketime not installed (apt-get install faketime)"
	OFFSET=0
	echo "+0" >"$T/faketime"
	OIDC_ENV=("LD_PRELOAD=$FAKETIME_LIB" "FAKETIME_TIMESTAMP_FILE=$T/faketime"
	    "FAKETIME_NO_CACHE=1" "FAKETIME_DONT_FAKE_MONOTONIC=1"
	    "ASAN_OPTIONS=verify_asan_link_order=0")
}

# later SECONDS: oidc-login's clock moves SECONDS on (may be negative).
later() {
	OFFSET=$((OFFSET + $1))
	if [ "$OFFSET" -ge 0 ]; then
		echo "+$OFFSET" >"$T/faketime"
	else
		echo "$OFFSET" >"$T/faketime"
	fi
}

# The scenarios: ID tokens valid for two hours (the clock moves); the
# refresh provider r hands out rotating refresh tokens; r's users carry
# the group its rule requires.
R_SCENARIO='"claims": {"groups": ["staff"]}, "claims_rel": {"exp": 7200},
    "refresh": {"issue": true, "rotate": true}'
S_SCENARIO='"claims_rel": {"exp": 7200}'

sessions_providers() {
	add_provider r r client_secret_basic \
	    'use_refresh_token = true;revalidate_after = 120;required_claims = { groups = "staff" }'
	add_provider s s client_secret_basic 'revalidate_after = 120'
	add_provider t t client_secret_basic 'revalidate_after = 0'
}

SESSIONS_AUTH_LINES='session_idle_timeout = 600
cookie_max_age = 1800'

# walk JAR URL: follows redirects from URL in the browser of JAR (our
# pages, the provider's authorization endpoint, the callback), at most
# ten.  Writes "STATUS URL" lines to $T/walk; STATUS is the last answer's.
walk() {
	local saved=${JAR:-} url=$2 i
	JAR=$1
	: >"$T/walk"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		request "$url"
		printf '%s %s\n' "$STATUS" "$url" >>"$T/walk"
		case $STATUS in
		301 | 302 | 303 | 307) url=$LOCATION ;;
		*) break ;;
		esac
	done
	JAR=$saved
}

# walked ERE: succeeds when a URL of the last walk matches ERE.
walked() {
	grep -Eq -- "$1" "$T/walk"
}

# The protected content's URL for a browser, as view() requests it.
content_url() {
	case $USERS_SERVER in
	nginx) echo "$WEB/app/hello" ;;
	*) echo "$WEB/private/whoami.cgi" ;;
	esac
}

# due_view DESC JAR: the content sends the browser of JAR to /renew.
due_view() {
	local saved=${JAR:-}
	JAR=$2
	request "$(content_url)"
	JAR=$saved
	is "$STATUS" 302 "$1: the content is not served yet (302)"
	like "$LOCATION" "/auth/renew\\?return_to=" "$1: ... but renewed first"
}

# served DESC JAR USER: the content runs for USER in the browser of JAR.
served() {
	view "$2"
	is "$VIEW_STATUS" 200 "$1: the protected content runs"
	is "$(view_get user)" "$3" "$1: for $3"
}

# to_login DESC JAR: the content sends the browser of JAR to sign in.
to_login() {
	local saved=${JAR:-}
	JAR=$2
	request "$(content_url)"
	JAR=$saved
	is "$STATUS" 302 "$1: the content is not served (302)"
	like "$LOCATION" '/auth/(login|\?|$)' "$1: ... to sign in, not to renew"
}

# renews_through DESC JAR: /renew in the browser of JAR ends on the content.
renews_through() {
	walk "$2" "$AUTH/renew?return_to=$(urlencode "${CONTENT_PATH}")"
	is "$STATUS" 200 "$1: renewed, back on the content"
}

# ended DESC JAR REASON_ERE: /renew ends the session with a page saying so.
ended() {
	local mark
	mark=$(_log_mark)
	walk "$2" "$AUTH/renew?return_to=$(urlencode "${CONTENT_PATH}")"
	like "$STATUS" '^40[13]$' "$1: the session ends with a page ($STATUS)"
	like "$(body)" "$3" "$1: ... that says so"
	like "$(_logs_since "$mark")" 'session ended' "$1: one log line says why"
	user_json "$2"
	is "$(json_get "$T/user.json" is_logged_in)" false "$1: /user: signed out"
	to_login "$1: afterwards" "$2"
}

sessions_matrix() {
	local saved
	CONTENT_PATH=${CONTENT_PATH:-$(content_url | sed 's#^http://[^/]*##')}

	# --- Renewal by refresh token. ---------------------------------------
	scenario r "{$R_SCENARIO}"
	login r
	accepted "refresh provider"
	A=$JAR_L
	served "signed in" "$A" alice@example.com
	later 130
	due_view "vouched for 130 s ago (revalidate_after 120)" "$A"
	saved=$(events r refreshes_ok)
	renews_through "renewal by refresh token" "$A"
	is "$(events r refreshes_ok)" "$((saved + 1))" "... one refresh at the provider"
	served "after the renewal" "$A" alice@example.com
	later 130
	JAR=$A request -H 'Accept: application/json' "$(content_url)"
	is "$STATUS" 401 "an API call of a due session: 401"
	like "$(header X-Auth-Request-Renew)" '/auth/renew\?return_to=' \
	    "... saying where to renew"
	renews_through "renewed for the next calls" "$A"

	# Two tabs race with one rotating refresh token: neither is signed out.
	cp "$A" "$T/tab2"
	later 130
	renews_through "tab 1 renews (the provider rotates the token)" "$A"
	renews_through "tab 2, with the spent token, renews too" "$T/tab2"
	walked '/r/authorize' && pass "... through a silent sign-in" ||
	    fail "... through a silent sign-in" "$(cat "$T/walk")"
	served "tab 2 afterwards" "$T/tab2" alice@example.com

	# /user renews by itself when it can.
	later 130
	user_json "$A"
	is "$(json_get "$T/user.json" is_logged_in)" true \
	    "/user of a due session with a refresh token: renewed, signed in"

	# --- Refusals that end the session. ------------------------------------
	scenario r "{$R_SCENARIO, \"authorize\": {\"none_error\": \"login_required\"}}"
	op_ctl '{"op":"revoke","prefix":"r"}' >/dev/null
	later 130
	ended "refresh token revoked, no session at the provider" "$A" \
	    'session has ended'

	scenario r "{$R_SCENARIO}"
	login r
	B=$JAR_L
	scenario r "{$R_SCENARIO, \"refresh\": {\"issue\": true, \"error\": \"invalid_grant\"},
	    \"authorize\": {\"none_error\": \"login_required\"}}"
	later 130
	ended "user deleted at the provider" "$B" 'session has ended'

	scenario r "{$R_SCENARIO}"
	login r
	B=$JAR_L
	scenario r '{"claims": {"groups": ["users"]}, "claims_rel": {"exp": 7200},
	    "refresh": {"issue": true, "rotate": true}}'
	later 130
	ended "the access rules no longer met (group removed)" "$B" \
	    'not allowed to use'

	scenario s "{$S_SCENARIO}"
	login s
	B=$JAR_L
	served "silent-renewal provider" "$B" alice@example.com
	later 130
	due_view "no refresh token, due" "$B"
	renews_through "renewal by a silent sign-in" "$B"
	is "$(events s prompts | tr -d '[]" ' | tr ',' '\n' | tail -n 1)" none \
	    "... with prompt=none"
	scenario s "{$S_SCENARIO, \"authorize\": {\"none_error\": \"consent_required\"}}"
	later 130
	ended "consent withdrawn" "$B" 'session has ended'

	scenario s "{$S_SCENARIO}"
	login s
	B=$JAR_L
	scenario s "{$S_SCENARIO, \"sub\": \"mallory\"}"
	later 130
	ended "the provider now has another account signed in" "$B" \
	    'another account'
	scenario s "{$S_SCENARIO}"

	# --- A provider that is down is no free pass. ------------------------
	scenario r "{$R_SCENARIO}"
	login r
	B=$JAR_L
	scenario r "{$R_SCENARIO, \"refresh\": {\"issue\": true, \"hang\": true}}"
	later 130
	walk "$B" "$AUTH/renew?return_to=$(urlencode "$CONTENT_PATH")"
	is "$STATUS" 504 "provider hanging at renewal: 504 within http_timeout"
	due_view "... and the content stays closed" "$B"
	scenario r "{$R_SCENARIO}"
	renews_through "the provider back: renewed" "$B"

	# --- Idle timeout (600 s) and absolute lifetime (1800 s). -------------
	scenario t "{$S_SCENARIO}"
	login t
	C=$JAR_L
	later 160
	due_view "unused for a quarter of the idle timeout: the window slides" "$C"
	renews_through "... through /renew" "$C"
	later 500
	JAR=$C request -H 'Accept: application/json' "$(content_url)"
	is "$STATUS" 200 "500 s after the slide an API call passes"
	later 120
	to_login "620 s unused: the session is over" "$C"
	user_json "$C"
	is "$(json_get "$T/user.json" is_logged_in)" false "... /user agrees"

	scenario t "{$S_SCENARIO}"
	login t
	C=$JAR_L
	for step in 1 2 3 4; do
		later 400
		renews_through "kept in use ($step)" "$C"
	done
	served "1600 s after the sign-in, in use" "$C" alice@example.com
	later 300
	to_login "1900 s after the sign-in: over (cookie_max_age 1800)" "$C"

	# --- Clock skew between servers (60 s allowed). -------------------------
	scenario t "{$S_SCENARIO}"
	login t
	C=$JAR_L
	later -80
	to_login "a server whose clock is 80 s behind: the cookie is from the \
future, refused" "$C"
	later 80
	login t
	C=$JAR_L
	later -50
	served "a server whose clock is 50 s behind honours the session" "$C" \
	    alice@example.com
	later 50
}
