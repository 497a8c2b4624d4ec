#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "cookie.h"
#include "tap.h"

/*
 * A parse case: the header and the jar expected, written as
 * "name=value|name=value" (values never hold '|' here).
 */
struct parse_case {
	const char	*header;
	const char	*want;
};

static const struct parse_case parse_cases[] = {
	{ "", "" },
	{ ";", "" },
	{ ";;;", "" },
	{ "   ", "" },
	{ " ; ; ", "" },
	{ "a=1", "a=1" },
	{ "a=1; b=2", "a=1|b=2" },
	{ "a=1;b=2", "a=1|b=2" },
	{ "  a = 1 ;  b\t=\t2  ", "a=1|b=2" },
	{ "a=", "a=" },
	{ "a=\"\"", "a=" },
	{ "a=\"quoted\"", "a=quoted" },
	{ "a=\"x", "a=\"x" },
	{ "a=\"", "a=\"" },
	{ "a=b=c", "a=b=c" },
	{ "a=1; a=2", "a=1|a=2" },
	{ "noequals; a=1", "a=1" },
	{ "=novalue; a=1", "a=1" },
	{ "a b=1; c=2", "c=2" },
	{ "a(b=1; c=2", "c=2" },
	{ "a/b=1; a@b=2; a:b=3; a,b=4; a?b=5; a{b=6; a\"b=7; c=8", "c=8" },
	{ "\x01=1; c=2", "c=2" },
	{ "\xc3\xa9=1; c=2", "c=2" },
	{ "__Host-session=abc.def; __Host-session_1=x",
	    "__Host-session=abc.def|__Host-session_1=x" },
	{ "a=1;;;b=2;", "a=1|b=2" },
	{ "a=x y", "a=x y" },
	{ "a=%20; b=\xc3\xa9", "a=%20|b=\xc3\xa9" },
	{ "A=1; a=2", "A=1|a=2" },
};

static char *
jar_string(struct arena *a, const struct cookie_jar *jar)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, a, 1 << 20);
	for (i = 0; i < jar->n; i++)
		buf_printf(&b, "%s%s=%s", i ? "|" : "", jar->v[i].name,
		    jar->v[i].value);
	return b.data;
}

static void
test_parse(struct arena *a)
{
	struct cookie_jar	jar;
	size_t			i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];

		jar.n = 99;
		if (!ok(cookie_parse(a, c->header, &jar) == ERR_OK,
		    "parse case %zu", i))
			continue;
		is_str(jar_string(a, &jar), c->want, "jar of case %zu", i);
	}
	ok(cookie_parse(a, NULL, &jar) == ERR_OK && jar.n == 0,
	    "NULL header gives an empty jar");
	ok(cookie_get(&jar, "a") == NULL, "get from empty jar");

	cookie_parse(a, "a=1; b=2; a=3; q=\"v\"", &jar);
	is_str(cookie_get(&jar, "a"), "1", "get gives the first");
	is_str(cookie_get(&jar, "b"), "2", "get b");
	is_str(cookie_get(&jar, "q"), "v", "get unquoted");
	ok(cookie_get(&jar, "A") == NULL, "names are case-sensitive");
	ok(cookie_get(&jar, "c") == NULL, "absent name");
	ok(cookie_get(&jar, "") == NULL, "empty name");
	ok(cookie_get(NULL, "a") == NULL, "NULL jar");
	ok(cookie_get(&jar, NULL) == NULL, "NULL name");
	arena_reset(a);
}

/* Builds n pairs "cNNN=v" joined by sep. */
static char *
many(struct arena *a, size_t n, const char *sep)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, a, 1 << 20);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%sc%zu=v", i ? sep : "", i);
	return b.data;
}

static void
test_parse_bounds(struct arena *a)
{
	struct cookie_jar	 jar;
	char			*h, name[BOUND_COOKIE_NAME + 8];

	h = many(a, BOUND_COOKIE_COUNT, ";");
	ok(cookie_parse(a, h, &jar) == ERR_OK &&
	    jar.n == BOUND_COOKIE_COUNT, "BOUND_COOKIE_COUNT cookies accepted");
	h = many(a, BOUND_COOKIE_COUNT + 1, ";");
	jar.n = 7;
	ok(cookie_parse(a, h, &jar) == ERR_TOO_BIG && jar.n == 0,
	    "BOUND_COOKIE_COUNT + 1 cookies refused, jar empty");
	h = many(a, BOUND_COOKIE_COUNT + 1, "; bad; ");
	ok(cookie_parse(a, h, &jar) == ERR_TOO_BIG,
	    "skipped pairs count towards the bound");
	h = many(a, 10000, ";");
	ok(cookie_parse(a, h, &jar) == ERR_TOO_BIG, "10 000 cookies refused");
	h = arena_alloc(a, 10000 * 2 + 1);
	memset(h, ';', 10000 * 2);
	ok(cookie_parse(a, h, &jar) == ERR_TOO_BIG,
	    "20 000 semicolons refused (over the header bound)");
	memset(h, ';', BOUND_COOKIE_HEADER);
	h[BOUND_COOKIE_HEADER] = '\0';
	ok(cookie_parse(a, h, &jar) == ERR_OK && jar.n == 0,
	    "a header of only semicolons at the bound is empty");

	h = arena_alloc(a, BOUND_COOKIE_HEADER + 2);
	memset(h, 'x', BOUND_COOKIE_HEADER + 1);
	memcpy(h, "a=", 2);
	ok(cookie_parse(a, h, &jar) == ERR_TOO_BIG,
	    "header over BOUND_COOKIE_HEADER refused");
	h[BOUND_COOKIE_HEADER] = '\0';
	ok(cookie_parse(a, h, &jar) == ERR_OK && jar.n == 1 &&
	    strlen(jar.v[0].value) == BOUND_COOKIE_HEADER - 2,
	    "header of exactly BOUND_COOKIE_HEADER accepted");

	memset(name, 'n', sizeof(name));
	memcpy(name + BOUND_COOKIE_NAME, "=1", 3);
	ok(cookie_parse(a, name, &jar) == ERR_OK && jar.n == 1,
	    "name of BOUND_COOKIE_NAME kept");
	memset(name, 'n', sizeof(name));
	memcpy(name + BOUND_COOKIE_NAME + 1, "=1", 3);
	ok(cookie_parse(a, name, &jar) == ERR_OK && jar.n == 0,
	    "name over BOUND_COOKIE_NAME skipped");
	arena_reset(a);
}

struct format_case {
	const char		*name;
	const char		*value;
	struct cookie_attrs	 attrs;
	enum err		 want_err;
	const char		*want;
};

static const struct format_case format_cases[] = {
	{ "s", "v", { "/", -1, 0, 0, NULL }, ERR_OK, "s=v; Path=/" },
	{ "s", "v", { "/", 3600, 1, 1, "Lax" }, ERR_OK,
	    "s=v; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax" },
	{ "s", "v", { "/app", 600, 0, 1, "Strict" }, ERR_OK,
	    "s=v; Path=/app; Max-Age=600; HttpOnly; SameSite=Strict" },
	{ "s", "v", { "/", 1, 1, 0, "None" }, ERR_OK,
	    "s=v; Path=/; Max-Age=1; Secure; SameSite=None" },
	{ "s", "", { "/", 0, 1, 1, "Lax" }, ERR_OK,
	    "s=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; "
	    "Secure; HttpOnly; SameSite=Lax" },
	{ "__Host-s", "a.b-c_d", { "/", 60, 1, 1, "Lax" }, ERR_OK,
	    "__Host-s=a.b-c_d; Path=/; Max-Age=60; Secure; HttpOnly; "
	    "SameSite=Lax" },
	{ "__Secure-s", "v", { "/x", -1, 1, 0, NULL }, ERR_OK,
	    "__Secure-s=v; Path=/x; Secure" },
	{ "s", "!#$%&'()*+-./09:<=>?@AZ[]^_`az{|}~", { "/", -1, 0, 0, NULL },
	    ERR_OK, "s=!#$%&'()*+-./09:<=>?@AZ[]^_`az{|}~; Path=/" },
	{ "s", "v", { "/a b,c\"d", -1, 0, 0, NULL }, ERR_OK,
	    "s=v; Path=/a b,c\"d" },
	{ "s", "v", { "/", BOUND_SESSION_MAX_AGE_MAX, 0, 0, NULL }, ERR_OK,
	    "s=v; Path=/; Max-Age=34560000" },
	/* Refused. */
	{ "", "v", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "a b", "v", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "a;b", "v", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "a=b", "v", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "a\r\nb", "v", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "a\n", "v", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "a\xc3\xa9", "v", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "a b", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "a;b", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "a,b", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "a\"b", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "a\\b", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "a\rb", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "a\nb", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "a\r\nSet-Cookie: x=y", { "/", -1, 0, 0, NULL }, ERR_INPUT,
	    NULL },
	{ "s", "a\tb", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "a\x7f", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "\xc3\xa9", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "v", { NULL, -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "v", { "", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "v", { "/;Domain=evil", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "v", { "/\r\nX: y", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "v", { "/\x7f", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "v", { "/", -2, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", "v", { "/", BOUND_SESSION_MAX_AGE_MAX + 1, 0, 0, NULL },
	    ERR_INPUT, NULL },
	{ "s", "v", { "/", -1, 0, 0, "lax" }, ERR_INPUT, NULL },
	{ "s", "v", { "/", -1, 0, 0, "" }, ERR_INPUT, NULL },
	{ "s", "v", { "/", -1, 0, 0, "Lax; Domain=x" }, ERR_INPUT, NULL },
	{ "s", "v", { "/", -1, 0, 0, "None" }, ERR_INPUT, NULL },
	{ "__Host-s", "v", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "__Host-s", "v", { "/app", -1, 1, 0, NULL }, ERR_INPUT, NULL },
	{ "__Secure-s", "v", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ NULL, "v", { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
	{ "s", NULL, { "/", -1, 0, 0, NULL }, ERR_INPUT, NULL },
};

static void
test_format(struct arena *a)
{
	char	*out, *big, name[BOUND_COOKIE_NAME + 2];
	size_t	 i;
	struct cookie_attrs attrs = { "/", -1, 0, 0, NULL };

	for (i = 0; i < sizeof(format_cases) / sizeof(format_cases[0]); i++) {
		const struct format_case *c = &format_cases[i];
		enum err e;

		out = NULL;
		e = cookie_format(a, c->name, c->value, &c->attrs, &out);
		is_int(e, c->want_err, "format case %zu: error", i);
		is_str(out, c->want, "format case %zu: value", i);
	}
	out = NULL;
	ok(cookie_format(a, "s", "v", NULL, &out) == ERR_INPUT && out == NULL,
	    "NULL attrs refused");

	big = arena_alloc(a, BOUND_COOKIE_CHUNK + 2);
	memset(big, 'v', BOUND_COOKIE_CHUNK);
	ok(cookie_format(a, "s", big, &attrs, &out) == ERR_OK,
	    "value of BOUND_COOKIE_CHUNK accepted");
	big[BOUND_COOKIE_CHUNK] = 'v';
	ok(cookie_format(a, "s", big, &attrs, &out) == ERR_TOO_BIG,
	    "value over BOUND_COOKIE_CHUNK refused");
	memset(name, 'n', BOUND_COOKIE_NAME);
	name[BOUND_COOKIE_NAME] = '\0';
	ok(cookie_format(a, name, "v", &attrs, &out) == ERR_OK,
	    "name of BOUND_COOKIE_NAME accepted");
	name[BOUND_COOKIE_NAME] = 'n';
	name[BOUND_COOKIE_NAME + 1] = '\0';
	ok(cookie_format(a, name, "v", &attrs, &out) == ERR_INPUT,
	    "name over BOUND_COOKIE_NAME refused");

	/* What we format, we parse back. */
	{
		struct cookie_jar jar;

		cookie_format(a, "k", "a.b", &attrs, &out);
		*strchr(out, ';') = '\0';
		ok(cookie_parse(a, out, &jar) == ERR_OK && jar.n == 1 &&
		    strcmp(cookie_get(&jar, "k"), "a.b") == 0,
		    "formatted pair parses back");
	}
	arena_reset(a);
}

int
main(void)
{
	struct arena	*a = arena_new();

	test_parse(a);
	test_parse_bounds(a);
	test_format(a);
	arena_free(a);
	return tap_done();
}
