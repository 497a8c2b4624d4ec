/*
 * url_return_to_ok, with the property SPEC §7 asks of it: a path it
 * accepts starts with one '/' not followed by '/' or '\', holds no
 * control character, and still does after percent-decoding, so neither
 * the browser nor a server behind us can make it leave the site.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "url.h"

#include "fuzz.h"

static int
is_safe_path(const char *s, size_t len)
{
	if (len == 0 || len > BOUND_RETURN_TO || s[0] != '/')
		return 0;
	if (len > 1 && (s[1] == '/' || s[1] == '\\'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '\\')
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = fuzz_begin();
	char		*s = fuzz_cstr(a, data, size), *dec;
	size_t		 declen;
	int		 accepted = url_return_to_ok(s);

	if (accepted != (url_return_to(s) == s))
		abort();
	if (!accepted)
		return 0;
	if (!is_safe_path(s, strlen(s)))
		abort();
	/* Accepted escapes are well-formed, and decode to a safe path too. */
	if (url_decode(a, s, strlen(s), 0, &dec, &declen) != ERR_OK ||
	    !is_safe_path(dec, declen) || memchr(dec, '%', declen) != NULL)
		abort();
	return 0;
}
