#!/bin/bash
# Scale-out: two lighttpd servers, each with its own oidc-login processes,
# behind a round-robin load balancer without stickiness (HAProxy; nginx
# when HAProxy is not installed), sharing nothing but cookie_secret.  A
# login started on one completes on the other; a session from one is
# valid on the other; rotating the secret (the old one moved to
# cookie_secret_previous) keeps sessions, also while a rolling restart
# leaves the servers with different configurations; removing the old
# secret ends the sessions made with it.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/scale.sh"
need_tools
need_program

HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
if [ -x "$HAPROXY" ]; then
	LB=haproxy
elif [ -x "$NGINX" ]; then
	LB=nginx
else
	skip_all "neither haproxy nor nginx installed"
fi

# write_lb_config FILE SECRET [PREVIOUS]: alpha only, behind the balancer.
write_lb_config() {
	local previous=
	[ -n "${3:-}" ] && previous="cookie_secret_previous = \"$3\""
	cat >"$1" <<EOF
[auth]
redirect_uri = "$WEB/auth/callback"
cookie_secret = "$2"
$previous
template_dir = "$top_srcdir/templates"
log_level = "debug"

[auth.alpha]
display_name = "Acme ID"
client_id = "$ALPHA_ID"
client_secret = "$ALPHA_SECRET"
server_metadata_url = "$OP_A/.well-known/openid-configuration"
EOF
}

# shellcheck disable=SC2317  # start_haproxy and start_nginx: called as "start_$LB"
start_haproxy() {
	cat >"$T/lb.cfg" <<EOF
global
	log stderr format raw local0
defaults
	mode http
	log global
	option httplog
	timeout connect 2s
	timeout client 30s
	timeout server 30s
frontend front
	bind 127.0.0.1:$LB_PORT
	default_backend webs
# Round robin, no cookie, no stick table: nothing keeps a browser on
# one server.
backend webs
	balance roundrobin
	server A 127.0.0.1:$A_PORT
	server B 127.0.0.1:$B_PORT
EOF
	"$HAPROXY" -db -f "$T/lb.cfg" >"$T/lb.log" 2>&1 &
}

# shellcheck disable=SC2317
start_nginx() {
	mkdir -p "$T/nginx"
	cat >"$T/lb.cfg" <<EOF
daemon off;
master_process off;
pid $T/nginx/nginx.pid;
error_log $T/lb.log;
events { }
http {
	access_log $T/lb.access.log;
	client_body_temp_path $T/nginx/body;
	proxy_temp_path $T/nginx/proxy;
	fastcgi_temp_path $T/nginx/fastcgi;
	uwsgi_temp_path $T/nginx/uwsgi;
	scgi_temp_path $T/nginx/scgi;
	upstream webs {
		server 127.0.0.1:$A_PORT;
		server 127.0.0.1:$B_PORT;
	}
	server {
		listen 127.0.0.1:$LB_PORT;
		location / {
			proxy_pass http://webs;
			proxy_set_header Host \$http_host;
		}
	}
}
EOF
	"$NGINX" -c "$T/lb.cfg" >>"$T/lb.log" 2>&1 &
}

setup() {
	local attempt
	free_port LB_PORT
	WEB=http://127.0.0.1:$LB_PORT
	AUTH=$WEB/auth
	start_op alpha 0 --name="Acme ID" \
	    "$ALPHA_ID:$ALPHA_SECRET:client_secret_basic:$WEB/auth/callback,$WEB/"
	OP_A=$OP_ISSUER
	S1=$(random_hex)
	write_lb_config "$T/a.toml" "$S1"
	write_lb_config "$T/b.toml" "$S1"
	for attempt in 1 2 3; do
		free_port A_PORT
		start_web A "$A_PORT" "$T/a.toml" 2 && break
		[ "$WEB_PORT_TAKEN" = 1 ] || bail_out "lighttpd A did not start"
	done
	for attempt in 1 2 3; do
		free_port B_PORT
		start_web B "$B_PORT" "$T/b.toml" 2 && break
		[ "$WEB_PORT_TAKEN" = 1 ] || bail_out "lighttpd B did not start"
	done
	"start_$LB"
	LB_PID=$!
	_pids+=("$LB_PID")
	wait_port "$LB_PORT" "$LB_PID" || bail_out "$LB did not start"
	A=http://127.0.0.1:$A_PORT
	B=http://127.0.0.1:$B_PORT
}

# restart NAME TOML: restarts lighttpd NAME on its port with TOML.
restart() {
	stop_web "$1"
	start_web "$1" "${WEB_PORT_OF[$1]}" "$2" 2 ||
	    bail_out "lighttpd $1 did not start again"
	request "http://127.0.0.1:${WEB_PORT_OF[$1]}/auth/user"
	[ "$STATUS" = 200 ] || bail_out "oidc-login on $1 did not start again"
}

# user_at URL JAR: prints "BACKEND SUB" for URL/auth/user with the
# cookies of JAR (a copy, so a cleared cookie does not spoil JAR);
# SUB is "-" when not signed in.
user_at() {
	local sub
	cp "$2" "$T/probe.jar"
	JAR=$T/probe.jar
	request "$1/auth/user"
	JAR=
	sub=$(body | json_get /dev/stdin sub)
	echo "$(header X-Backend) ${sub:--}"
}

# login_across FROM TO LOGIN JAR: starts a login on server FROM, signs in
# at the provider, and sends the callback to server TO.  Prints the
# callback's "STATUS LOCATION"; its headers in $T/last.headers.
login_across() {
	local callback
	JAR=$4
	request "$1/auth/login/alpha?return_to=%2Fprivate%2Fpage"
	JAR=
	callback=$(op_authorize "$LOCATION" "$3" "$4") || { echo "FAIL"; return; }
	JAR=$4
	request "$2${callback#"$WEB"}"
	JAR=
	echo "$STATUS $LOCATION"
}

setup
diag "load balancer: $LB"

# --- Round robin, no stickiness. ---------------------------------------

seq=
for i in 1 2 3 4; do
	request "$AUTH/user"
	seq="$seq$(header X-Backend)"
done
like "$seq" '^(ABAB|BABA)$' "$LB: round robin over A and B ($seq)"

# --- A login started on one server completes on the other. -------------

jar=$T/jar-alice
out=$(op_login "$AUTH/login/alpha?return_to=%2Fprivate%2Fpage" alice "$jar")
first=$(tr -d '\r' <"$jar.start" | sed -n 's/^X-Backend: //Ip')
second=$(tr -d '\r' <"$jar.headers" | sed -n 's/^X-Backend: //Ip')
ok "through $LB: the login starts on one server ($first)" test -n "$first"
ok "and its callback is served by the other ($second)" \
    test -n "$second" -a "$first" != "$second"
is "$out" "302 $WEB/private/page" "the callback completes: 302 to return_to"
ok "the session cookie is set" any_setting "$(session_cookies "$jar.headers")"
is "$(user_at "$A" "$jar")" "A alice" "the session is valid on A"
is "$(user_at "$B" "$jar")" "B alice" "the session is valid on B"
seq="$(user_at "$WEB" "$jar") / $(user_at "$WEB" "$jar")"
like "$seq" '^(A alice / B alice|B alice / A alice)$' \
    "through $LB: signed in on both ($seq)"

out=$(login_across "$A" "$B" bob "$T/jar-bob")
is "$out" "302 $B/private/page" "started on A, completed on B"
is "$(header X-Backend)" B "the callback was B's"
is "$(user_at "$A" "$T/jar-bob")" "A bob" "that session is valid on A"
out=$(login_across "$B" "$A" carol "$T/jar-carol")
is "$out" "302 $A/private/page" "started on B, completed on A"
is "$(user_at "$B" "$T/jar-carol")" "B carol" "that session is valid on B"

# --- Rotation of cookie_secret. -----------------------------------------

S2=$(random_hex)
cp "$jar" "$T/jar-s1"

# Step 1: every server accepts the new secret, still signs with the old.
write_lb_config "$T/a.toml" "$S1" "$S2"
write_lb_config "$T/b.toml" "$S1" "$S2"
restart A "$T/a.toml"
restart B "$T/b.toml"
is "$(user_at "$A" "$T/jar-s1") $(user_at "$B" "$T/jar-s1")" "A alice B alice" \
    "step 1 (new secret accepted everywhere): the session is kept"

# A login in progress across step 2: its flow cookie is signed with S1.
JAR=$T/jar-dave
request "$A/auth/login/alpha?return_to=%2Fprivate%2Fpage"
JAR=
callback=$(op_authorize "$LOCATION" dave "$T/jar-dave")

# Step 2, rolling: A signs with the new secret first, B still with the old.
write_lb_config "$T/a.toml" "$S2" "$S1"
restart A "$T/a.toml"
out=$(login_across "$A" "$A" erin "$T/jar-erin")
is "$out" "302 $A/private/page" "mid-rotation: a login on A (new secret)"
is "$(user_at "$B" "$T/jar-erin")" "B erin" \
    "mid-rotation: a session signed with the new secret is valid on B"
out=$(login_across "$B" "$B" frank "$T/jar-frank")
is "$(user_at "$A" "$T/jar-frank")" "A frank" \
    "mid-rotation: a session signed with the old secret is valid on A"
write_lb_config "$T/b.toml" "$S2" "$S1"
restart B "$T/b.toml"
is "$(user_at "$A" "$T/jar-s1") $(user_at "$B" "$T/jar-s1")" "A alice B alice" \
    "step 2 (new secret, old one previous): the old session is kept on both"
JAR=$T/jar-dave
request "$B${callback#"$WEB"}"
JAR=
is "$STATUS $LOCATION" "302 $B/private/page" \
    "a login started before the rotation completes after it"
is "$(user_at "$WEB" "$T/jar-dave" | cut -d' ' -f2)" dave "as dave"
out=$(op_login "$AUTH/login/alpha?return_to=%2F" grace "$T/jar-grace")
is "$out" "302 $WEB/" "a new login after the rotation"
cp "$T/jar-grace" "$T/jar-s2"
is "$(user_at "$A" "$T/jar-s2") $(user_at "$B" "$T/jar-s2")" "A grace B grace" \
    "its session is valid on both"

# Step 3: the old secret is removed.
write_lb_config "$T/a.toml" "$S2"
write_lb_config "$T/b.toml" "$S2"
restart A "$T/a.toml"
restart B "$T/b.toml"
is "$(user_at "$A" "$T/jar-s1")" "A -" \
    "step 3 (old secret removed): the old session ends on A"
ok "and its cookie is cleared" all_deleting "$(session_cookies)"
is "$(user_at "$B" "$T/jar-s1")" "B -" "the old session ends on B"
is "$(user_at "$A" "$T/jar-s2") $(user_at "$B" "$T/jar-s2")" "A grace B grace" \
    "a session signed with the new secret is valid on both"

done_testing
