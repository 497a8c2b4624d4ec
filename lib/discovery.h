/*
 * A provider's metadata document (OpenID Connect Discovery 1.0),
 * parsed strictly and without side effects, so it can be fuzzed.
 */
#ifndef DISCOVERY_H
#define DISCOVERY_H

#include <stddef.h>

#include "err.h"

struct discovery {
	char	*issuer;
	char	*authorization_endpoint;
	char	*token_endpoint;
	char	*jwks_uri;
	char	*userinfo_endpoint;	/* NULL when absent */
	char	*end_session_endpoint;	/* NULL when absent */
	int	 issuer_has_tenant;	/* issuer holds "{tenantid}" (Entra) */
	int	 iss_in_response;	/* RFC 9207: iss always in the callback */
	/* token_endpoint_auth_methods_supported, when listed: */
	int	 auth_methods_listed;
	int	 auth_basic, auth_post, auth_none;
	/* id_token_signing_alg_values_supported lists only HS* algorithms. */
	int	 only_hmac_algs;
	/* scopes_supported has offline_access (refresh tokens by scope). */
	int	 offline_access;
	/* claims_supported is listed, and whether it has email_verified. */
	int	 claims_listed;
	int	 claims_email_verified;
	/* prompt_values_supported is listed, and what it holds. */
	int	 prompts_listed;
	int	 prompt_login, prompt_select_account;
};

/*
 * Parses a discovery document of len bytes (at most
 * BOUND_DISCOVERY_BODY): a JSON object whose issuer,
 * authorization_endpoint, token_endpoint and jwks_uri are strings
 * holding URLs we may call (https, or http to loopback), as are
 * userinfo_endpoint and end_session_endpoint when present; "{tenantid}"
 * may appear in the issuer only.  The issuer must equal expected_issuer
 * (Discovery §4.3), except that where expected_issuer has a path
 * segment "common", "organizations" or "consumers" (Entra multi-tenant)
 * the document may have "{tenantid}" instead; and when the issuer was
 * derived from the document's URL (issuer_derived), the document may
 * end it with a '/' (Discovery §4: a terminating '/' is removed before
 * /.well-known/ is appended, as for Auth0 and LemonLDAP::NG).
 * response_types_supported, when present, must include "code".  On
 * success *out is owned by the caller (discovery_free); otherwise
 * ERR_PROVIDER with err_reason().
 */
enum err	discovery_parse(const char *json, size_t len,
		    const char *expected_issuer, int issuer_derived,
		    struct discovery **out);

/* Frees the document; accepts NULL. */
void		discovery_free(struct discovery *);

#endif /* DISCOVERY_H */
