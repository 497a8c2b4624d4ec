#!/bin/bash
# GET /healthz: 200 with each provider's state while one is usable,
# 503 when none is.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
setup_site

JAR=

request "$AUTH/healthz"
is "$STATUS" 200 "healthz answers 200 while the providers are up"
like "$(header Content-Type)" '^application/json' "healthz is JSON"
is "$(json_get "$T/last.body" status)" ok "status ok"
like "$(body)" '"version":"[0-9]' "it names the version"
like "$(body)" '"name":"alpha"' "it lists alpha"
like "$(body)" '"name":"beta"' "it lists beta"
like "$(body)" '"discovery":"ok"' "discovery ok"
like "$(body)" '"discovery_age":[0-9]' "discovery age given"

request -d "" "$AUTH/healthz"
is "$STATUS" 405 "POST /healthz: 405"

# A fresh process: nothing cached, both providers down.
_stop_pid "$OP_A_PID"
_stop_pid "$OP_B_PID"
stop_lighttpd
start_lighttpd "$T/secrets.toml"
request "$AUTH/healthz"
is "$STATUS" 503 "healthz answers 503 when no provider is usable"
is "$(json_get "$T/last.body" status)" unavailable "status unavailable"
like "$(body)" '"discovery":"failed"' "discovery failed"
like "$(body)" '"error":"' "the reason is given"

done_testing
