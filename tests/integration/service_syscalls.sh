#!/bin/bash
# The system call filter of contrib/systemd/oidc-login.service against
# what oidc-login --workers really calls: strace follows the supervisor
# and its workers through a reload, a login (libcurl, OpenSSL), the gate,
# a sign-out, a slow body cut off with 408, a worker killed and replaced
# and the stop, behind the Apache recipes; every system call seen must be
# in the unit's allowed sets and in none of its denied ones (as
# systemd-analyze syscall-filter expands them).  systemd itself cannot
# run here: this is what SystemCallFilter= would have let through.

# shellcheck disable=SC2317  # functions called through setup_hosting and ok
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
need_tools
need_spawn_fcgi
need_apache proxy proxy_fcgi authnz_fcgi cgi mpm_prefork
for tool in strace systemd-analyze; do
	command -v "$tool" >/dev/null 2>&1 ||
	    skip_all "$tool not installed (packages strace, systemd)"
done
strace -f -qq -o /dev/null true 2>/dev/null ||
    skip_all "strace cannot trace here (no ptrace)"

UNIT=$top_srcdir/contrib/systemd/oidc-login.service
APACHE_EXTRA_MODULES="proxy proxy_fcgi authnz_fcgi"

# expand SET: the system calls of a systemd filter set, groups expanded.
expand() {
	systemd-analyze syscall-filter "$1" |
	    sed -n 's/^    \([a-z_0-9@-]*\).*/\1/p' | while read -r x; do
		case $x in
		@*) expand "$x" ;;
		*) echo "$x" ;;
		esac
	done
}

# The unit's filter: SystemCallFilter=SETS allows, =~SETS denies.
: >"$T/allowed"
: >"$T/denied"
while IFS= read -r line; do
	case $line in
	'~'*) for set in ${line#\~}; do expand "$set"; done >>"$T/denied" ;;
	*) for set in $line; do expand "$set"; done >>"$T/allowed" ;;
	esac
done < <(sed -n 's/^SystemCallFilter=//p' "$UNIT")
sort -u -o "$T/allowed" "$T/allowed"
sort -u -o "$T/denied" "$T/denied"
ok "the unit allows some system calls ($(wc -l <"$T/allowed"))" test -s "$T/allowed"

start_svc() {
	start_service "$FCGI_PORT" 2 || return 2
	recipe apache/oidc-login-proxy-fcgi.conf "$T/pages.conf"
	recipe apache/oidc-login-authnz.conf "$T/protect.conf"
	start_apache "$WEB_PORT" "$T/pages.conf" "$T/protect.conf"
}
setup_hosting start_svc

mkdir -p "$T/trace"
strace -f -qq -ff -o "$T/trace/t" -p "$SERVICE_PID" 2>>"$T/strace.log" &
strace_pid=$!
_pids+=("$strace_pid")
# strace says nothing when it is attached: its first lines are the sign.
for ((n = 0; n < 50; n++)); do
	[ -n "$(ls -A "$T/trace")" ] && break
	sleep 0.1
done

kill -HUP "$SERVICE_PID"
wait_log "$T/oidc-login.log" 'reload: done' || diag "no reload seen"
login_via_refusal "traced" "$WEB/private/page" alice "$T/jar"
JAR=$T/jar
for i in 1 2 3; do
	request "$WEB/private/page"
	request "$AUTH/user"
done
request "$AUTH/logout"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$T/last.body" |
    sed 's/.*value="//; s/"$//')
"$NODE" "$top_srcdir/tests/lib/slow-client.js" --port "$WEB_PORT" \
    --length 8000 --rate 600 >"$T/slow.json"
is "$(json_get "$T/slow.json" status)" 408 "traced: a slow body cut off"
request --data-urlencode "csrf=$csrf" --data "return_to=%2F" "$AUTH/logout"
is "$STATUS" 303 "traced: a sign-out"
victim=$(service_workers | cut -d' ' -f1)
kill -KILL "$victim"
ok "traced: a killed worker replaced" wait_workers 2 "$victim"
kill -TERM "$SERVICE_PID"
rc=0
wait "$SERVICE_PID" 2>/dev/null || rc=$?
_forget_pid "$SERVICE_PID"
is "$rc" 0 "traced: the stop"
wait "$strace_pid" 2>/dev/null
_forget_pid "$strace_pid"

cat "$T"/trace/t.* | sed -n 's/^\([a-z_0-9]*\)(.*/\1/p' | sort -u >"$T/used"
ok "system calls seen ($(wc -l <"$T/used")): $(tr '\n' ' ' <"$T/used")" \
    test -s "$T/used"
is "$(comm -23 "$T/used" "$T/allowed" | tr '\n' ' ')" "" \
    "every one is in the unit's allowed sets"
is "$(comm -12 "$T/used" "$T/denied" | tr '\n' ' ')" "" \
    "none is in its denied sets"

done_testing
