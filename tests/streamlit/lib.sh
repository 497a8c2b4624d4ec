# shellcheck shell=bash disable=SC2034  # variables for the test scripts
# Shell helpers for the Streamlit tests (tests/integration/streamlit_*.sh):
# the stand-in app (tests/streamlit/app.js) behind a web server and
# oidc-login, and the checks every server's recipe must pass.  Sourced
# after tests/lib/common.sh and tests/lib/servers.sh.
#
# A test does:
#   streamlit_need                      # or skip_all
#   start_my_server() {
#       free_port APP_PORT; start_streamlit_app "$APP_PORT" || return 2
#       streamlit_providers              # beta: no e-mail, REMOTE_USER = sub
#       ... recipe, start the server ...
#   }
#   setup_hosting start_my_server
#   check_streamlit LABEL               # strangers, forgeries, sessions
#   check_streamlit_browser LABEL       # headless Chromium
#   done_testing

STREAMLIT_DIR=$top_srcdir/tests/streamlit
CHROMIUM=${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}

# The app's mount point (Streamlit's server.baseUrlPath) in every recipe.
APP_BASE=/app

streamlit_need() {
	need_tools
	[ -d "$top_srcdir/tests/node_modules/ws" ] ||
	    skip_all "tests/node_modules/ws missing (run: cd tests && npm ci)"
	need_program
}

# start_streamlit_app PORT: the stand-in app on 127.0.0.1:PORT under
# $APP_BASE; its log (a line per request, with the identity headers it
# got) in $T/app.log.
start_streamlit_app() {
	local port=$1 pid
	"$NODE" "$STREAMLIT_DIR/app.js" --port "$port" --base "$APP_BASE" \
	    >>"$T/app.log" 2>&1 &
	pid=$!
	_pids+=("$pid")
	APP_PID=$pid
	wait_port "$port" "$pid"
}

# streamlit_providers: provider beta asks for no e-mail and names its
# users by sub, so a beta session has a user and no e-mail address:
# what the e-mail header must then be (absent, whatever the client sent).
# Appends to $T/secrets.toml, whose last section is [auth.beta].
streamlit_providers() {
	cat >>"$T/secrets.toml" <<'EOF'
user_claim = "sub"
client_kwargs = { scope = "openid profile" }
EOF
}

# cookie_header JAR: the jar's cookies as a Cookie header value.
cookie_header() {
	awk '!/^# / && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$1"
}

# ws_probe [-H 'Name: value']...: one WebSocket handshake at the app's
# stream (tests/streamlit/ws-probe.js).  Sets WS_STATUS (101 when
# upgraded); the whole answer in $T/ws.json.
ws_probe() {
	"$NODE" "$STREAMLIT_DIR/ws-probe.js" \
	    "ws://127.0.0.1:$WEB_PORT$APP_BASE/_stcore/stream" "$@" \
	    >"$T/ws.json" 2>>"$T/ws-probe.log" || echo '{"status":0}' >"$T/ws.json"
	WS_STATUS=$(json_get "$T/ws.json" status)
}

# ws_identity NAME: the identity header NAME the app got with the last
# upgraded WebSocket (nothing when absent).
ws_identity() {
	json_get "$T/ws.json" "hello.identity.$1"
}

# page_identity NAME: the identity header NAME the app got with the page
# of the last response (nothing when absent).
page_identity() {
	sed -n 's#.*<script id="http-identity" type="application/json">\(.*\)</script>.*#\1#p' \
	    "$T/last.body" >"$T/page-identity.json"
	json_get "$T/page-identity.json" "$1"
}

# app_requests: how many requests the app has answered so far.
app_requests() {
	grep -c -E '^(GET|HEAD|POST|WS) ' "$T/app.log" 2>/dev/null || true
}

# app_last_identity: the identity headers of the app's last request (JSON).
app_last_identity() {
	grep -E '^(GET|HEAD|POST|WS) ' "$T/app.log" | tail -n 1 |
	    sed 's/^[^{]*//'
}

# The forgeries a client tries, on pages and WebSocket handshakes alike.
FORGED=(-H 'X-Auth-Request-User: mallory@example.com'
    -H 'X-Auth-Request-Email: mallory@example.com'
    -H 'X-Auth-Request-Name: Mallory'
    -H 'X-Auth-Request-Provider: alpha')

# A browser's WebSocket handshake from the app's page.
browser_ws() {
	printf '%s\n' -H "Origin: $WEB" -H 'Sec-Fetch-Mode: websocket' \
	    -H 'Sec-Fetch-Dest: websocket' -H 'Sec-Fetch-Site: same-origin'
}

# check_strangers LABEL: no session (none, forged, from another secret):
# the page sends a browser to the login page, the WebSocket is never
# upgraded, the app is not reached; the health check is open and gets
# no identity from the client; spellings of the stream next to the open
# health check stay closed.
check_strangers() {
	local label=$1 n u ws_args
	mapfile -t ws_args < <(browser_ws)
	JAR=
	n=$(app_requests)
	request "${FORGED[@]}" "$WEB$APP_BASE/?x=1&y=2"
	is "$STATUS" 302 "$label: a stranger's page: 302"
	is "$LOCATION" "$AUTH/?return_to=$(urlencode "$APP_BASE/?x=1&y=2")" \
	    "$label: to the login page, return_to the app's URL"
	ok "$label: nothing of oidc-login's answer to the server in the 302" \
	    no_auth_headers
	request -H 'Accept: application/json' "$WEB$APP_BASE/"
	is "$STATUS" 401 "$label: a stranger's fetch() of the app: 401"
	request "$WEB$APP_BASE"
	is "$STATUS $LOCATION" "301 $WEB$APP_BASE/" \
	    "$label: the app's address without its slash: 301 to it"
	ws_probe "${FORGED[@]}"
	like "$WS_STATUS" '^(302|401)$' \
	    "$label: a stranger's WebSocket handshake (no Sec-Fetch-Mode) is refused ($WS_STATUS), not upgraded"
	ws_probe "${ws_args[@]}" "${FORGED[@]}"
	is "$WS_STATUS" 401 \
	    "$label: a stranger's browser WebSocket handshake: 401, not upgraded"
	ws_probe "${ws_args[@]}" -H 'Cookie: oidc_login=forged.value'
	is "$WS_STATUS" 401 "$label: a forged session cookie on the WebSocket: 401"
	is "$(app_requests)" "$n" "$label: the app was not reached by strangers"

	request "${FORGED[@]}" "$WEB$APP_BASE/_stcore/health"
	is "$STATUS $(body)" "200 ok" "$label: the health check is open: 200 ok"
	is "$(app_last_identity)" '{}' \
	    "$label: the health check got none of the client's identity headers"
	for u in "$APP_BASE/_stcore/health/" "$APP_BASE/_stcore/healthz" \
	    "$APP_BASE/_stcore/health/../stream" \
	    "$APP_BASE/_stcore/health/../../" "$APP_BASE/_stcore/health/x"; do
		request --path-as-is "$WEB$u"
		like "$STATUS" '^(302|404)$' "$label: $u is not open ($STATUS)"
	done
	is "$(app_requests)" "$((n + 1))" \
	    "$label: only the health check reached the app"
}

# check_signed_in LABEL JAR USER EMAIL NAME PROVIDER: with the session
# in JAR, and forged identity headers beside it, the page and the
# WebSocket reach the app with the identity oidc-login vouched for (an
# empty EMAIL: no e-mail header at all), and nothing of it reaches the
# browser.
check_signed_in() {
	local label=$1 jar=$2 user=$3 email=$4 name=$5 provider=$6 ws_args
	local said=${email:-absent}
	mapfile -t ws_args < <(browser_ws)
	JAR=$jar
	request "${FORGED[@]}" "$WEB$APP_BASE/"
	is "$STATUS" 200 "$label: signed in, the app's page (200)"
	is "$(page_identity x-auth-request-user)" "$user" \
	    "$label: page: X-Auth-Request-User from oidc-login, not the forgery"
	is "$(page_identity x-auth-request-email)" "$email" \
	    "$label: page: X-Auth-Request-Email $said"
	is "$(page_identity x-auth-request-name)" "$name" \
	    "$label: page: X-Auth-Request-Name"
	is "$(page_identity x-auth-request-provider)" "$provider" \
	    "$label: page: X-Auth-Request-Provider"
	ok "$label: page: no Variable-* or X-Auth-Request-* header to the browser" \
	    no_auth_headers
	ok "$label: page: no session cookie touched" sets_no_session

	ws_probe "${ws_args[@]}" -H "Cookie: $(cookie_header "$jar")" "${FORGED[@]}"
	is "$WS_STATUS" 101 "$label: signed in, the WebSocket is upgraded (101)"
	is "$(json_get "$T/ws.json" pong)" true \
	    "$label: and the app answers on it (ping, pong)"
	is "$(json_get "$T/ws.json" leaked)" '{}' \
	    "$label: no Variable-* or X-Auth-Request-* header in the 101"
	is "$(ws_identity x-auth-request-user)" "$user" \
	    "$label: WebSocket: X-Auth-Request-User from oidc-login, not the forgery"
	is "$(ws_identity x-auth-request-email)" "$email" \
	    "$label: WebSocket: X-Auth-Request-Email $said"
	is "$(ws_identity x-auth-request-name)" "$name" \
	    "$label: WebSocket: X-Auth-Request-Name"
	is "$(ws_identity x-auth-request-provider)" "$provider" \
	    "$label: WebSocket: X-Auth-Request-Provider"
	JAR=
}

# check_streamlit LABEL: the whole contract of a Streamlit recipe.
check_streamlit() {
	local label=$1 out
	check_strangers "$label"
	login_via_refusal "$label" "$WEB$APP_BASE/?x=1&y=2" alice "$T/jar"
	check_signed_in "$label (alice)" "$T/jar" alice@example.com \
	    alice@example.com "Alice Tester" alpha
	out=$(op_login "$AUTH/login/beta?return_to=$(urlencode "$APP_BASE/")" \
	    bob "$T/jar-bob")
	is "$out" "302 $WEB$APP_BASE/" "$label: bob signs in through beta"
	check_signed_in "$label (bob, no e-mail)" "$T/jar-bob" bob "" \
	    "Bob Tester" beta
}

# check_streamlit_browser LABEL: headless Chromium signs in through the
# app and sees its WebSocket open, showing the user.
check_streamlit_browser() {
	local label=$1 line
	if [ ! -x "$CHROMIUM" ] ||
	    [ ! -d "$top_srcdir/tests/node_modules/playwright-core" ]; then
		skip "$label: browser" "chromium or playwright-core missing"
		return 0
	fi
	while IFS= read -r line; do
		case $line in
		PASS\ *) pass "$label: browser: ${line#PASS }" ;;
		FAIL\ *) fail "$label: browser: ${line#FAIL }" ;;
		*) diag "$line" ;;
		esac
	done < <(CHROMIUM=$CHROMIUM "$NODE" "$STREAMLIT_DIR/browser.js" \
	    "$WEB" "$APP_BASE/" --provider alpha --login carol \
	    --expect-user carol@example.com --expect-email carol@example.com \
	    --expect-name "Carol Tester" 2>&1)
}
