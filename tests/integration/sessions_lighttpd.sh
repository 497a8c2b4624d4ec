#!/bin/bash
# Session lifetimes (issue 14) under lighttpd, from its recipe in contrib/:
# renewal by refresh token and by silent sign-in, refusals that end the
# session, a provider down, the idle timeout, the absolute lifetime, clock
# skew, racing tabs.  The cases: tests/hostile/sessions-matrix.sh.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/hostile/lib.sh"
. "$top_srcdir/tests/hostile/users.sh"
. "$top_srcdir/tests/hostile/sessions-matrix.sh"
sessions_need lighttpd
start_hostile
sessions_providers
users_start "$SESSIONS_AUTH_LINES"

sessions_matrix

done_testing
