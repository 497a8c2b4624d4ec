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
parse(const uint8_t *data, size_t size, const char *issuer)
{
	struct discovery	*d = NULL;

	if (discovery_parse((const char *)data, size, issuer, &d) != ERR_OK) {
		if (d != NULL)
			abort();
		return;
	}
	if (d == NULL || d->issuer == NULL ||
	    d->authorization_endpoint == NULL || d->token_endpoint == NULL ||
	    d->jwks_uri == NULL)
		abort();
	if (!d->issuer_has_tenant && strcmp(d->issuer, issuer) != 0)
		abort();
	discovery_free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_begin();
	parse(data, size, FUZZ_ISSUER);
	err_reason_clear();
	parse(data, size, FUZZ_COMMON_ISSUER);
	return 0;
}
