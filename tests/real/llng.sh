# shellcheck shell=bash disable=SC2034  # variables for the test scripts
# LemonLDAP::NG (Debian's 2.16 portal packages) as a private OpenID
# Provider on 127.0.0.1, for tests/integration/real_lemonldap.sh.
# Sourced after tests/real/lib.sh.
#
# The portal (/usr/share/lemonldap-ng/portal/htdocs/index.psgi) runs under
# `plackup` (HTTP::Server::PSGI) with LLNG_DEFAULTCONFFILE pointing at a
# private lemonldap-ng.ini whose File configuration backend, sessions and
# caches are in $T/llng: /etc/lemonldap-ng and /var/lib/lemonldap-ng are
# never read or written, and the packaged service never runs.
# Accounts: the Demo backend's dwho, rtyler, msmith (password = login).
#
# LLNG_TLS_CERT and LLNG_TLS_KEY (PEM files): the portal serves https
# itself (HTTP::Server::PSGI's ssl option, through IO::Socket::SSL).

LLNG_PSGI=${LLNG_PSGI:-/usr/share/lemonldap-ng/portal/htdocs/index.psgi}
PLACKUP=${PLACKUP:-$(command -v plackup || echo /usr/bin/plackup)}

# need_llng: skips the test unless the portal and what it loads are here.
need_llng() {
	local m
	[ -f "$LLNG_PSGI" ] || skip_all "LemonLDAP::NG portal not installed" \
	    "(Debian: liblemonldap-ng-portal-perl)"
	[ -x "$PLACKUP" ] || skip_all "plackup not installed (Debian: libplack-perl)"
	# Modules the portal needs but Debian only recommends: without them
	# it answers every request with "Initialization failed".
	for m in GD::SecurityImage GD Image::Magick String::Random IO::String; do
		perl -M"$m" -e 1 2>/dev/null ||
		    skip_all "Perl module $m not installed (see tests/lib/deps.sh)"
	done
}

LLNG_RPS=()

# llng_rp ID SECRET ALG [Option=value...]
# Registers a relying party (redirect URI $WEB/auth/callback, post-logout
# redirect URI $WEB/), ID tokens signed with ALG, no consent asked; each
# Option=value sets oidcRPMetaDataOptions<Option> (RequirePKCE=1,
# Public=1, ...).  An empty SECRET: none.
llng_rp() {
	local spec="$1:$2:$3" o
	shift 3
	for o in "$@"; do
		spec+=";$o"
	done
	LLNG_RPS+=(--rp "$spec")
}

# start_llng: starts the portal on 127.0.0.1:$PROVIDER_PORT with the
# relying parties registered.  Sets LLNG (the portal URL, without its
# trailing slash) and LLNG_PID; the portal's log: $T/llng.log.  Returns
# 2 when the port was taken, 1 when the portal did not come up.
start_llng() {
	local dir=$T/llng n tls=()
	LLNG=http://127.0.0.1:$PROVIDER_PORT
	if [ -n "${LLNG_TLS_CERT:-}" ]; then
		LLNG=https://127.0.0.1:$PROVIDER_PORT
		tls=(--ssl 1 --ssl-cert-file "$LLNG_TLS_CERT"
		    --ssl-key-file "$LLNG_TLS_KEY")
	fi
	rm -rf "$dir"
	mkdir -p "$dir/conf" "$dir/sessions/lock" "$dir/psessions/lock" \
	    "$dir/cache" || return 1
	# The OpenID Connect signing key (RS*); HS* use each client's secret.
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	    -out "$dir/sig.key" 2>/dev/null &&
	    openssl pkey -in "$dir/sig.key" -pubout -out "$dir/sig.pub" ||
	    return 1
	cat >"$dir/lemonldap-ng.ini" <<EOF
; A private LemonLDAP::NG configuration for oidc-login's tests.
[all]
logLevel = ${LLNG_LOG_LEVEL:-info}
checkTime = 1

[configuration]
type = File
dirName = $dir/conf

[portal]
staticPrefix = /static
templateDir = /usr/share/lemonldap-ng/portal/templates
languages = en

[handler]
status = 0
EOF
	# The default issuer is the portal URL, with its trailing slash.
	"$NODE" "$REAL_DIR/llng-conf.js" --out "$dir/conf/lmConf-1.json" \
	    --portal "$LLNG/" --dir "$dir" --key "$dir/sig.key" \
	    --pub "$dir/sig.pub" --redirect "$WEB/auth/callback" \
	    --post-logout "$WEB/" "${LLNG_RPS[@]}" || return 1
	LLNG_DEFAULTCONFFILE=$dir/lemonldap-ng.ini "$PLACKUP" \
	    -s HTTP::Server::PSGI --host 127.0.0.1 --port "$PROVIDER_PORT" \
	    "${tls[@]}" "$LLNG_PSGI" >"$T/llng.log" 2>&1 &
	LLNG_PID=$!
	_pids+=("$LLNG_PID")
	# Up when its discovery document is (the portal loads its modules on
	# the first request).
	for ((n = 0; n < START_TIMEOUT * 10; n++)); do
		if curl -sf --max-time 5 -o "$T/llng-discovery.json" \
		    "$LLNG/.well-known/openid-configuration"; then
			return 0
		fi
		kill -0 "$LLNG_PID" 2>/dev/null || break
		sleep 0.2
	done
	grep -q 'Address already in use' "$T/llng.log" && return 2
	diag "LemonLDAP::NG did not start:" "$(grep -E 'error|rror:' "$T/llng.log" | head -n 5)"
	return 1
}

start_llng_stop() {
	_stop_pid "$LLNG_PID"
	_forget_pid "$LLNG_PID"
	LLNG_RPS=()
}

# llng_logout URL JAR: follows the logout redirect to the portal's
# end_session endpoint, confirms its form (confirm=1 with its hidden
# fields) and prints "STATUS LOCATION" of the portal's last answer.
llng_logout() {
	local url=$1 jar=$2 page=$2.logout out status data=() line action
	out=$(_curl_step "$jar" "$page" "$url")
	status=${out%% *}
	# The portal skips the form when the ID token's client bypasses it.
	case $status in 30[1237]) echo "$out"; return 0 ;; esac
	[ "$status" = 200 ] || { echo "FAIL end_session $status $url"; return 1; }
	while IFS= read -r line; do
		data+=(--data-urlencode "$line")
	done < <(_hidden_inputs "$page")
	action=$(tr '\n' ' ' <"$page" | grep -o '<form[^>]*>' | head -n 1 |
	    grep -o ' action="[^"]*"' | sed 's/^ action="//; s/"$//; s/&amp;/\&/g')
	case $action in
	'' | '#') action=$url ;;
	*) action=$(_absolute "$LLNG" "$action") ;;
	esac
	_curl_step "$jar" "$page.post" "$action" "${data[@]}" --data confirm=1
}
