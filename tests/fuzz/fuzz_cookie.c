/*
 * cookie_parse on a Cookie header, then cookie_format on what it
 * found: the jar respects its bounds, and a Set-Cookie value that is
 * accepted cannot split or extend the header.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "cookie.h"

#include "fuzz.h"

static int
is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static void
check_jar(const struct cookie_jar *jar)
{
	if (jar->n > BOUND_COOKIE_COUNT)
		abort();
	for (size_t i = 0; i < jar->n; i++) {
		size_t len = strlen(jar->v[i].name);

		if (len == 0 || len > BOUND_COOKIE_NAME ||
		    jar->v[i].value == NULL)
			abort();
		if (cookie_get(jar, jar->v[i].name) == NULL)
			abort();
	}
}

/* An accepted Set-Cookie value is name=value then our attributes. */
static void
check_format(struct arena *a, const struct cookie *c)
{
	struct cookie_attrs	 attrs = {
		.path = "/",
		.max_age = 3600,
		.secure = 1,
		.http_only = 1,
		.same_site = "Lax",
	};
	char			*out, *prefix;
	size_t			 plen;

	if (cookie_format(a, c->name, c->value, &attrs, &out) != ERR_OK)
		return;
	for (const char *p = out; *p != '\0'; p++)
		if (is_ctl((unsigned char)*p))
			abort();
	prefix = arena_printf(a, "%s=%s;", c->name, c->value);
	plen = strlen(prefix);
	if (strncmp(out, prefix, plen) != 0 ||
	    strchr(c->value, ';') != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = fuzz_begin();
	struct cookie_jar	 jar;

	if (cookie_parse(a, fuzz_cstr(a, data, size), &jar) != ERR_OK)
		return 0;
	check_jar(&jar);
	cookie_get(&jar, FUZZ_COOKIE);
	for (size_t i = 0; i < jar.n; i++)
		check_format(a, &jar.v[i]);
	return 0;
}
