#!/bin/bash
# The real providers of tests/real over https, each presenting a
# certificate from a private CA made at test time, which oidc-login
# trusts through http_ca_file (and nothing else: not the system store):
#
# - oidc-provider 9 (tests/op/provider.js --v9 --tls-cert/--tls-key),
#   driven with curl;
# - LemonLDAP::NG's portal served over https by plackup itself
#   (HTTP::Server::PSGI's ssl option), driven with curl: its login page
#   is a plain form;
# - Glewlwyd with its own TLS (use_secure_connection), in headless
#   Chromium trusting the CA (its login page is a JavaScript application).
#
# Each: a login works, and the same provider without http_ca_file is
# refused for its unknown CA.  The site itself is plain http on
# 127.0.0.1 here (https_site.sh and https_proxy.sh cover the site).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/lib/tls.sh"
. "$top_srcdir/tests/real/lib.sh"
. "$top_srcdir/tests/real/llng.sh"
. "$top_srcdir/tests/real/glewlwyd.sh"
need_tools
need_tls
tls_setup
REAL_AUTH_EXTRA="http_ca_file = \"$TLS/ca.crt\""

# unknown_ca LABEL PROVIDER: --check-config without http_ca_file refuses
# PROVIDER for its unknown CA.
unknown_ca() {
	local out
	sed '/^http_ca_file/d' "$T/secrets.toml" >"$T/no-ca.toml"
	out=$(OIDC_LOGIN_CONFIG=$T/no-ca.toml "$OIDC_LOGIN" --check-config 2>&1)
	like "$out" "provider $2 +FAILED: provider error: https://127\\.0\\.0\\.1:[0-9]+: TLS: certificate not trusted \\(unknown CA\\): set http_ca_file" \
	    "$1 without http_ca_file: refused, unknown CA"
}

# missing NEED_FUNCTION: what it would skip the test for ("" when all is
# here): skip_all prints the reason, in a subshell.
missing() {
	( "$1" ) | sed -n 's/^1\.\.0 # SKIP //p'
}

# --- oidc-provider 9 -------------------------------------------------------

if [ -d "$top_srcdir/tests/node_modules/oidc-provider9" ]; then
	configure_op9() {
		real_provider op9 op9 op9-secret-0123456789-abcdef \
		    "https://127.0.0.1:$PROVIDER_PORT/.well-known/openid-configuration"
	}
	start_op9() {
		try_start_op op9 "$PROVIDER_PORT" --v9 --name="OP9" \
		    --tls-cert="$TLS/site.crt" --tls-key="$TLS/site.key" \
		    "op9:op9-secret-0123456789-abcdef:client_secret_basic:$WEB/auth/callback,$WEB/" ||
		    return 2
		OP9_PID=$OP_PID
	}
	start_op9_stop() {
		_stop_pid "$OP9_PID"
		_forget_pid "$OP9_PID"
	}
	setup_real configure_op9 start_op9
	like "$OP_ISSUER" '^https://' "oidc-provider 9 serves https"
	out=$(op_login "$(start_url op9)" alice "$T/jar-op9")
	check_callback "oidc-provider 9 over https" "$out" "$T/jar-op9" &&
	    check_signed_in "oidc-provider 9 over https" "$T/jar-op9" op9 \
	    alice alice@example.com "Alice Tester"
	unknown_ca "oidc-provider 9" op9
	stop_lighttpd
	start_op9_stop
else
	skip "oidc-provider 9 over https" "oidc-provider9 missing (cd tests && npm ci)"
fi

# --- LemonLDAP::NG ---------------------------------------------------------

why=$(missing need_llng)
if [ -z "$why" ]; then
	configure_llng() {
		llng_rp llng llng-secret-0123456789-abcdef RS256
		real_provider llng llng llng-secret-0123456789-abcdef \
		    "https://127.0.0.1:$PROVIDER_PORT/.well-known/openid-configuration"
	}
	LLNG_TLS_CERT=$TLS/site.crt LLNG_TLS_KEY=$TLS/site.key \
	    setup_real configure_llng start_llng
	like "$LLNG" '^https://' "LemonLDAP::NG's portal serves https (plackup)"
	is "$(json_get "$T/llng-discovery.json" issuer)" "$LLNG/" \
	    "its issuer is the https portal URL"
	out=$(form_login "$(start_url llng)" dwho dwho "$T/jar-llng")
	check_callback "LemonLDAP::NG over https" "$out" "$T/jar-llng" &&
	    check_signed_in "LemonLDAP::NG over https" "$T/jar-llng" llng \
	    dwho dwho@badwolf.org "Doctor Who"
	unknown_ca "LemonLDAP::NG" llng
	stop_lighttpd
	start_llng_stop
else
	skip "LemonLDAP::NG over https" "$why"
fi

# --- Glewlwyd ----------------------------------------------------------------

why=$(missing need_glewlwyd)
have_browser || why="chromium, certutil (libnss3-tools) or playwright-core missing"
if [ -z "$why" ]; then
	configure_glewlwyd() {
		glewlwyd_user alice
		glewlwyd_client gw glewlwyd-secret-0123456789-abcdef RS256 \
		    client_secret_basic
		real_provider gw gw glewlwyd-secret-0123456789-abcdef \
		    "https://127.0.0.1:$PROVIDER_PORT/api/oidc/.well-known/openid-configuration"
	}
	BROWSER_HOME=$(tls_browser_home)
	GLEWLWYD_TLS_CERT=$TLS/site.crt GLEWLWYD_TLS_KEY=$TLS/site.key \
	    GLEWLWYD_TLS_CA=$TLS/ca.crt setup_real configure_glewlwyd start_glewlwyd
	like "$GLEWLWYD_ISSUER" '^https://' "Glewlwyd serves https (use_secure_connection)"
	BROWSER_HOME=$BROWSER_HOME browser_logins gw:alice
	if [ "$(json_get "$T/jar-gw.json" callback.status)" = 302 ]; then
		pass "Glewlwyd over https, Chromium: the callback signs in (302)"
		check_signed_in "Glewlwyd over https" "$T/jar-gw" gw \
		    '[A-Za-z0-9_-]{8,}' alice@example.com "Alice Tester"
	else
		fail "Glewlwyd over https, Chromium: the callback signs in (302)" \
		    "browser: $(cat "$T/jar-gw.json" 2>/dev/null)" \
		    "$(tail -n 5 "$T/browser.log" 2>/dev/null)"
	fi
	unknown_ca "Glewlwyd" gw
else
	skip "Glewlwyd over https" "$why"
fi

done_testing
