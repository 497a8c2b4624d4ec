/*
 * discovery_parse of a provider's metadata document, expecting a plain
 * issuer and an Entra multi-tenant one; what it accepts must hold the
 * four required endpoints.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "discovery.h"
#include "err.h"

#include "fuzz.h"

/* An Entra multi-tenant issuer, whose documents say {tenantid}. */
#define FUZZ_COMMON_ISSUER	"https://login.example.com/common/v2.0"

static void
parse(const uint8_t *data, size_t size, const char *issuer, int derived)
{
	struct discovery	*d = NULL;
	size_t			 n = strlen(issuer);

	if (discovery_parse((const char *)data, size, issuer, derived, &d) !=
	    ERR_OK) {
		if (d != NULL)
			abort();
		return;
	}
	if (d == NULL || d->issuer == NULL ||
	    d->authorization_endpoint == NULL || d->token_endpoint == NULL ||
	    d->jwks_uri == NULL)
		abort();
	/* Exactly the issuer, or (derived) it with one final '/'. */
	if (!d->issuer_has_tenant && strcmp(d->issuer, issuer) != 0 &&
	    !(derived && strncmp(d->issuer, issuer, n) == 0 &&
	    strcmp(d->issuer + n, "/") == 0))
		abort();
	discovery_free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_begin();
	parse(data, size, FUZZ_ISSUER, 0);
	err_reason_clear();
	parse(data, size, FUZZ_ISSUER, 1);
	err_reason_clear();
	parse(data, size, FUZZ_COMMON_ISSUER, 0);
	return 0;
}
