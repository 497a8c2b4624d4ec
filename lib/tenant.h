/*
 * Microsoft Entra's multi-tenant issuers, in one place.
 *
 * A multi-tenant endpoint (login.microsoftonline.com/common, or
 * /organizations, /consumers) publishes the issuer
 * "https://login.microsoftonline.com/{tenantid}/v2.0": each ID token
 * then carries its tenant's id in "tid", and its iss is that template
 * with the placeholder replaced by it.  What a tenant id is, and how a
 * template is matched and filled, are decided here only.
 */
#ifndef TENANT_H
#define TENANT_H

#include <stddef.h>

#include "err.h"

/* The placeholder a multi-tenant issuer holds where the tenant id goes. */
#define TENANT_PLACEHOLDER	"{tenantid}"
#define TENANT_PLACEHOLDER_LEN	(sizeof(TENANT_PLACEHOLDER) - 1)

/*
 * Returns 1 when the len bytes at s are a tenant id: 1 to
 * BOUND_TENANT_ID hexadecimal digits and dashes (Entra's ids are
 * GUIDs); 0 otherwise.
 */
int		tenant_id_ok(const char *s, size_t len);

/* Returns 1 when issuer holds the placeholder: a multi-tenant template. */
int		tenant_is_template(const char *issuer);

/*
 * Returns 1 when issuer is expected with its first path segment, one of
 * Entra's multi-tenant names (common, organizations, consumers),
 * replaced by the placeholder: the issuer a multi-tenant discovery
 * document names.
 */
int		tenant_template_of(const char *issuer, const char *expected);

/*
 * Returns 1 when iss is the template tmpl with its placeholder replaced
 * by a tenant id (which one is checked against the ID token's tid
 * later).
 */
int		tenant_issuer_matches(const char *tmpl, const char *iss);

/*
 * Writes tmpl with every placeholder replaced by tid into out (size
 * bytes, NUL included); ERR_TOO_BIG when it does not fit.
 */
enum err	tenant_issuer_fill(const char *tmpl, const char *tid, char *out,
		    size_t size);

#endif /* TENANT_H */
