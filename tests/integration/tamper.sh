#!/bin/bash
# A session cookie that fails verification counts as absent and is
# cleared: one character changed, truncated, garbage, signed with another
# secret.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
setup_site

jar=$T/jar
out=$(op_login "$AUTH/login/alpha?return_to=%2F" alice "$jar")
is "${out%% *}" 302 "signed in through alpha"

# The session as a Cookie header; the first cookie is the one to spoil.
names=$(jar_names "$jar" | grep -E '^(__Host-)?oidc_login(_[0-9]+)?$' | sort)
first=$(printf '%s\n' "$names" | head -n 1)
value=$(jar_value "$jar" "$first")
like "$value" '^.{20,}$' "session cookie $first is in the jar"
others=
for n in $(printf '%s\n' "$names" | tail -n +2); do
	others="$others; $n=$(jar_value "$jar" "$n")"
done

# with_cookie VALUE: Cookie header with the first session cookie replaced.
with_cookie() {
	printf 'Cookie: %s=%s%s' "$first" "$1" "$others"
}

signed_out() {
	local what=$1 cookie=$2
	JAR=
	request -H "$(with_cookie "$cookie")" "$AUTH/user"
	body >"$T/user.json"
	is "$STATUS" 200 "$what: /user answers 200"
	is "$(json_get "$T/user.json" is_logged_in)" false "$what: /user is_logged_in false"
	ok "$what: the bad cookie is cleared" all_deleting "$(set_cookie "$first")"
	request -H "$(with_cookie "$cookie")" "$AUTH/check"
	is "$STATUS" 401 "$what: /check 401"
}

request -H "$(with_cookie "$value")" "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" true "the cookie as issued is valid"

mid=$((${#value} / 2))
c=${value:$mid:1}
if [ "$c" = A ]; then r=B; else r=A; fi
signed_out "one character changed" "${value:0:$mid}$r${value:$((mid + 1))}"
signed_out "truncated" "${value:0:$((${#value} - 8))}"
signed_out "half of it" "${value:0:$mid}"
signed_out "garbage" "not-a-session"

# The same cookie under a server with another secret.
stop_lighttpd
COOKIE_SECRET=$(random_hex)
write_config "$T/secrets.toml"
start_lighttpd "$T/secrets.toml"
signed_out "signed with another secret" "$value"

done_testing
