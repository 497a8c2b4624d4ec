#!/bin/bash
# Hostile users (issue 12) under nginx, started from
# contrib/nginx/oidc-login.conf as it is: the pages at /auth through
# fastcgi_pass, an application under /app/ behind auth_request
# /auth/check, told the user in X-Remote-User, -Email and -Name (from
# X-Auth-Request-*); oidc-login under spawn-fcgi.
# A hostile provider issues ID tokens and userinfo answers with
# attacker-chosen claims; each case checks the login's answer, what
# /auth/user says and exactly what the protected content receives.  The
# cases: tests/hostile/users-matrix.sh.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/hostile/users.sh"
. "$top_srcdir/tests/hostile/users-matrix.sh"
users_need nginx
start_hostile

# v: the ID token alone; u: the ID token and userinfo merged over it.
add_provider v v client_secret_basic 'userinfo = false'
add_provider u u
users_start

users_matrix

done_testing
