/*
 * url_parse_form on a query string or a form body, the lookups the
 * handlers make, and the property that encoding a decoded name or
 * value and decoding it again gives it back.  A callback's "iss" goes
 * through oidc_check_response_iss (RFC 9207), which must accept only
 * the provider's issuer, or with an Entra template that issuer for a
 * tenant id.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "discovery.h"
#include "oidc.h"
#include "url.h"

#include "fuzz.h"

/* The parameters our routes read. */
static const char *const names[] = {
	"code", "state", "error", "error_description", "return_to",
	"provider", "csrf", "iss",
};

#define TENANT_PREFIX	"https://login.example.com/"

static void
check_iss(const char *iss)
{
	struct discovery	plain = { .issuer = FUZZ_ISSUER,
	    .iss_in_response = 1 };
	struct discovery	entra = { .issuer = FUZZ_TENANT_ISSUER };

	if (oidc_check_response_iss(&plain, iss) == ERR_OK &&
	    (iss == NULL || strcmp(iss, FUZZ_ISSUER) != 0))
		abort();
	if (oidc_check_response_iss(&entra, iss) == ERR_OK && iss != NULL &&
	    (strncmp(iss, TENANT_PREFIX, strlen(TENANT_PREFIX)) != 0 ||
	    strchr(iss + strlen(TENANT_PREFIX), '/') !=
	    strstr(iss + strlen(TENANT_PREFIX), "/v2.0") ||
	    strchr(iss, '?') != NULL || strchr(iss, '#') != NULL))
		abort();
}

static void
check_round_trip(struct arena *a, const char *s)
{
	size_t	 len = strlen(s), outlen;
	char	*enc, *dec;

	enc = url_encode(a, s, len);
	if (url_decode(a, enc, strlen(enc), 1, &dec, &outlen) != ERR_OK ||
	    outlen != len || memcmp(dec, s, len) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = fuzz_begin();
	struct url_params	 params;
	size_t			 i;

	if (url_parse_form(a, (const char *)data, size, &params) != ERR_OK)
		return 0;
	if (params.n > BOUND_PARAM_COUNT)
		abort();
	for (i = 0; i < params.n; i++) {
		check_round_trip(a, params.v[i].name);
		check_round_trip(a, params.v[i].value);
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = url_param_get(&params, names[i]);

		if ((v == NULL) != (url_param_count(&params, names[i]) == 0))
			abort();
		if (v != NULL)
			url_return_to(v);
	}
	check_iss(url_param_get(&params, "iss"));
	return 0;
}
