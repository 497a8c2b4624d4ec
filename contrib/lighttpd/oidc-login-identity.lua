-- oidc-login's identity as request headers for an application behind
-- lighttpd's mod_proxy (contrib/lighttpd/oidc-login-streamlit.conf).
--
-- lighttpd keeps what the authorizer answered (REMOTE_USER, OIDC_EMAIL,
-- OIDC_PROVIDER, OIDC_CLAIM_<NAME>, upper-cased) as the request's
-- environment, which CGI and FastCGI see but mod_proxy does not send.
-- This script, run by mod_magnet after the authorizer let the request
-- through, copies the four values /auth/check gives nginx into request
-- headers; a value the session lacks (an e-mail not verified) leaves its
-- header out.  Copies sent by the client were removed on arrival by
-- mod_setenv, and are removed here again.

local env = lighty.r.req_env
local headers = lighty.r.req_header

local map = {
	["X-Auth-Request-User"] = "REMOTE_USER",
	["X-Auth-Request-Email"] = "OIDC_EMAIL",
	["X-Auth-Request-Name"] = "OIDC_CLAIM_NAME",
	["X-Auth-Request-Provider"] = "OIDC_PROVIDER",
}

for header, var in pairs(map) do
	local value = env[var]
	if value ~= nil and value ~= "" then
		headers[header] = value
	else
		headers[header] = nil
	end
end
