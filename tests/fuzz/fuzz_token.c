/*
 * oidc_token_response_parse of a token endpoint's answer: what it
 * accepts has a non-empty id_token, and an access token next to a
 * token_type says Bearer.
 */
#include "config.h"

#include <stdlib.h>
#include <strings.h>

#include "arena.h"
#include "oidc.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = fuzz_begin();
	struct oidc_tokens	 t;

	if (oidc_token_response_parse(a, (const char *)data, size, &t) !=
	    ERR_OK) {
		if (t.id_token != NULL || t.access_token != NULL ||
		    t.token_type != NULL)
			abort();
		return 0;
	}
	if (t.id_token == NULL || t.id_token[0] == '\0')
		abort();
	if (t.access_token != NULL && t.token_type != NULL &&
	    strcasecmp(t.token_type, "Bearer") != 0)
		abort();
	return 0;
}
