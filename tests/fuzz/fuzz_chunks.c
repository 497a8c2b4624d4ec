/*
 * seal_join on the jar of a Cookie header, then seal_open of what it
 * joined: chunk counts, missing and oversized chunks, and sessions
 * that gen_seeds split genuinely.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "cookie.h"
#include "seal.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = fuzz_begin();
	struct cookie_jar	 jar;
	struct seal_opened	 o;
	char			*sealed;

	if (cookie_parse(a, fuzz_cstr(a, data, size), &jar) != ERR_OK)
		return 0;
	if (seal_join(a, &jar, FUZZ_COOKIE, &sealed) != ERR_OK)
		return 0;
	if (strlen(sealed) > BOUND_SESSION_SEALED)
		abort();
	if (seal_open(fuzz_seal_keys(), a, SEAL_SESSION, FUZZ_COOKIE, sealed,
	    FUZZ_NOW, &o) == ERR_OK && o.payload[o.len] != '\0')
		abort();
	return 0;
}
