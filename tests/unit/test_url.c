#include "config.h"

#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "url.h"
#include "tap.h"

static const struct {
	const char	*in;
	int		 ok;
} return_to[] = {
	{ "/", 1 },
	{ "/private/page", 1 },
	{ "/private/page?x=1&y=2", 1 },
	{ "/a#frag", 1 },
	{ "/caf%C3%A9", 0 },		/* non-ASCII escapes refused */
	{ "/a%20b", 1 },
	{ "/a%41", 1 },
	{ "", 0 },
	{ "//evil.example", 0 },
	{ "//evil.example/x", 0 },
	{ "/\\evil.example", 0 },
	{ "\\\\evil.example", 0 },
	{ "/a\\b", 0 },
	{ "https://evil.example", 0 },
	{ "http:/evil.example", 0 },
	{ "javascript:alert(1)", 0 },
	{ "JaVaScRiPt:alert(1)", 0 },
	{ "data:text/html,x", 0 },
	{ "evil.example", 0 },
	{ "%2F%2Fevil.example", 0 },
	{ "/%2F%2Fevil.example", 0 },
	{ "/%2fevil", 0 },
	{ "/%5Cevil", 0 },
	{ "/%5cevil", 0 },
	{ "/%252F%252Fevil", 0 },	/* double encoding */
	{ "/%0d%0aSet-Cookie:x=1", 0 },
	{ "/%0aevil", 0 },
	{ "/%09evil", 0 },
	{ "/%00", 0 },
	{ "/%2e%2e/admin", 0 },
	{ "/%zz", 0 },
	{ "/%2", 0 },
	{ "/%", 0 },
	{ "/\tevil", 0 },
	{ "/\r\nLocation: x", 0 },
	{ "/ a", 0 },
	{ "/\x7f", 0 },
	{ "/\xe2\x81\x84" "evil", 0 },	/* U+2044 fraction slash, raw */
	{ "/\xef\xbc\x8f\xef\xbc\x8f", 0 }, /* fullwidth solidus, raw */
	{ " /a", 0 },
	{ "/<script>", 0 },
	{ "/\"onmouseover", 0 },
	{ "/a`b", 0 },
	{ "/@evil.example", 1 },	/* a path: stays on the site */
	{ "/.evil.example", 1 },
};

static void
test_return_to(void)
{
	char	long_path[BOUND_RETURN_TO + 2];

	for (size_t i = 0; i < sizeof(return_to) / sizeof(return_to[0]); i++)
		is_int(url_return_to_ok(return_to[i].in), return_to[i].ok,
		    "return_to %zu %s", i, return_to[i].ok ? "accepted" :
		    "refused");
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[BOUND_RETURN_TO] = '\0';
	is_int(url_return_to_ok(long_path), 1, "return_to at its bound");
	long_path[BOUND_RETURN_TO] = 'a';
	long_path[BOUND_RETURN_TO + 1] = '\0';
	is_int(url_return_to_ok(long_path), 0, "return_to over its bound");
	is_str(url_return_to("//evil"), "/", "refused return_to becomes /");
	is_str(url_return_to(NULL), "/", "absent return_to becomes /");
	is_str(url_return_to("/x?y"), "/x?y", "good return_to kept");
}

static const struct {
	const char	*in;
	int		 plus;
	enum err	 want;
	const char	*out;
} decodes[] = {
	{ "abc", 0, ERR_OK, "abc" },
	{ "a%20b", 0, ERR_OK, "a b" },
	{ "a+b", 1, ERR_OK, "a b" },
	{ "a+b", 0, ERR_OK, "a+b" },
	{ "%41%62%2f", 0, ERR_OK, "Ab/" },
	{ "%", 0, ERR_INPUT, NULL },
	{ "%4", 0, ERR_INPUT, NULL },
	{ "%g1", 0, ERR_INPUT, NULL },
	{ "%1g", 0, ERR_INPUT, NULL },
	{ "a%00b", 0, ERR_INPUT, NULL },
	{ "", 0, ERR_OK, "" },
};

static void
test_decode(struct arena *a)
{
	for (size_t i = 0; i < sizeof(decodes) / sizeof(decodes[0]); i++) {
		char *out = NULL;
		size_t len;
		enum err e = url_decode(a, decodes[i].in,
		    strlen(decodes[i].in), decodes[i].plus, &out, &len);
		is_int(e, decodes[i].want, "decode \"%s\"", decodes[i].in);
		if (e == ERR_OK)
			is_str(out, decodes[i].out, "  result");
	}
	is_str(url_encode(a, "a b/c~_.-\xff", 10), "a%20b%2Fc~_.-%FF",
	    "encode keeps only unreserved");
	is_str(url_query_add(a, "", "return_to", "/x y"), "return_to=%2Fx%20y",
	    "query_add on empty");
	is_str(url_query_add(a, "a=1", "b", "&"), "a=1&b=%26",
	    "query_add appends");
}

static void
test_form(struct arena *a)
{
	struct url_params	p;
	char			many[BOUND_PARAM_COUNT * 4 + 8];
	size_t			n = 0;

	is_int(url_parse_form(a, "", 0, &p), ERR_OK, "empty query");
	is_int(p.n, 0, "  no parameters");
	is_int(url_parse_form(a, "&&&", 3, &p), ERR_OK, "only ampersands");
	is_int(p.n, 0, "  no parameters");
	is_int(url_parse_form(a, "a=1&b=&c&=d&a=2", 15, &p), ERR_OK,
	    "mixed pieces");
	is_int(p.n, 5, "  five parameters");
	is_str(url_param_get(&p, "a"), "1", "  first a wins");
	is_int(url_param_count(&p, "a"), 2, "  a counted twice");
	is_str(url_param_get(&p, "b"), "", "  empty value");
	is_str(url_param_get(&p, "c"), "", "  no '=' gives empty value");
	is_str(url_param_get(&p, ""), "d", "  empty name");
	ok(url_param_get(&p, "zz") == NULL, "  absent is NULL");
	is_int(url_parse_form(a, "state=%zz", 9, &p), ERR_INPUT,
	    "bad escape refused");
	is_int(url_parse_form(a, "x=%00", 5, &p), ERR_INPUT, "NUL refused");
	for (int i = 0; i < BOUND_PARAM_COUNT; i++) {
		memcpy(many + n, "a=1&", 4);
		n += 4;
	}
	is_int(url_parse_form(a, many, n, &p), ERR_OK, "params at bound");
	memcpy(many + n, "b=2", 3);
	is_int(url_parse_form(a, many, n + 3, &p), ERR_TOO_BIG,
	    "params over bound");
}

static const struct {
	const char	*url;
	enum err	 parse;
	enum err	 callable;
	const char	*origin;
	const char	*path;
} urls[] = {
	{ "https://Example.COM/a/b?x=1", ERR_OK, ERR_OK, "https://example.com",
	    "/a/b" },
	{ "https://example.com", ERR_OK, ERR_OK, "https://example.com", "/" },
	{ "http://127.0.0.1:8080/cb", ERR_OK, ERR_OK, "http://127.0.0.1:8080",
	    "/cb" },
	{ "http://localhost/x", ERR_OK, ERR_OK, "http://localhost", "/x" },
	{ "http://[::1]:9/x", ERR_OK, ERR_OK, "http://[::1]:9", "/x" },
	{ "http://example.com/x", ERR_OK, ERR_INPUT, "http://example.com",
	    "/x" },
	{ "http://127.0.0.1.evil.example/", ERR_OK, ERR_INPUT, NULL, NULL },
	{ "ftp://example.com/", ERR_INPUT, ERR_INPUT, NULL, NULL },
	{ "javascript:alert(1)", ERR_INPUT, ERR_INPUT, NULL, NULL },
	{ "/relative", ERR_INPUT, ERR_INPUT, NULL, NULL },
	{ "https://user:pw@example.com/", ERR_INPUT, ERR_INPUT, NULL, NULL },
	{ "https://example.com/#frag", ERR_INPUT, ERR_INPUT, NULL, NULL },
	{ "", ERR_INPUT, ERR_INPUT, NULL, NULL },
};

static void
test_http_urls(struct arena *a)
{
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		struct url_info info;
		enum err e = url_parse_http(a, urls[i].url, &info);
		is_int(e, urls[i].parse, "parse %s", urls[i].url);
		if (e == ERR_OK && urls[i].origin != NULL) {
			is_str(info.origin, urls[i].origin, "  origin");
			is_str(info.path, urls[i].path, "  path");
		}
		is_int(url_check_callable(a, urls[i].url), urls[i].callable,
		    "  callable");
	}
}

int
main(void)
{
	struct arena	*a = arena_new();

	test_return_to();
	test_decode(a);
	test_form(a);
	test_http_urls(a);
	arena_free(a);
	return tap_done();
}
