#!/bin/bash
# Session expiry: the FastCGI process runs in the future with libfaketime
# (Debian package faketime).  30 days is the default lifetime; a shorter
# cookie_max_age is honoured too.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools

FAKETIME_LIB=
for f in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
	[ -r "$f" ] && { FAKETIME_LIB=$f; break; }
done
NO_FAKETIME="libfaketime not installed (apt-get install faketime)"

setup_site

# in_future OFFSET: restart lighttpd with oidc-login OFFSET ahead ("+31d").
in_future() {
	stop_lighttpd
	FCGI_ENV="\"LD_PRELOAD\" => \"$FAKETIME_LIB\", \"ASAN_OPTIONS\" => \"verify_asan_link_order=0\", \"FAKETIME\" => \"$1\", \"FAKETIME_DONT_FAKE_MONOTONIC\" => \"1\", \"FAKETIME_NO_CACHE\" => \"1\","
	start_lighttpd "$T/secrets.toml"
	FCGI_ENV=
}

now() {
	stop_lighttpd
	start_lighttpd "$T/secrets.toml"
}

user_is() {
	request "$AUTH/user"
	body >"$T/user.json"
	is "$(json_get "$T/user.json" is_logged_in)" "$1" "$2"
}

JAR=$T/jar
out=$(op_login "$AUTH/login/alpha?return_to=%2F" alice "$JAR")
is "${out%% *}" 302 "signed in through alpha"
user_is true "signed in now"

if [ -z "$FAKETIME_LIB" ]; then
	for what in "29 days later: still signed in" "31 days later: /user false" \
	    "31 days later: /check 401" "31 days later: cookie cleared" \
	    "cookie_max_age = 600: signed in now" \
	    "cookie_max_age = 600: 20 minutes later /user false"; do
		skip "$what" "$NO_FAKETIME"
	done
	done_testing
fi

in_future +29d
user_is true "29 days later: still signed in"

in_future +31d
user_is false "31 days later: /user false"
ok "31 days later: cookie cleared" all_deleting "$(session_cookies)"
request "$AUTH/check"
is "$STATUS" 401 "31 days later: /check 401"

# A shorter lifetime from the configuration.
write_config "$T/secrets.toml" "cookie_max_age = 600"
now
JAR=$T/jar2
out=$(op_login "$AUTH/login/alpha?return_to=%2F" bob "$JAR")
user_is true "cookie_max_age = 600: signed in now"
in_future +20m
user_is false "cookie_max_age = 600: 20 minutes later /user false"

done_testing
