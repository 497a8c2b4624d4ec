#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "toml.h"

#include "tap.h"

/* Writes a value in a canonical, compact form to compare with. */
static void
render(struct buf *b, const struct toml_value *v)
{
	size_t	i;

	switch (v->type) {
	case TOML_STRING:
		buf_putc(b, '"');
		for (i = 0; i < v->len; i++) {
			unsigned char	ch = (unsigned char)v->str[i];

			if (ch < 0x20 || ch == '"' || ch == '\\')
				buf_printf(b, "<%02x>", ch);
			else
				buf_putc(b, (char)ch);
		}
		buf_putc(b, '"');
		break;
	case TOML_INTEGER:
		buf_printf(b, "%lld", v->integer);
		break;
	case TOML_BOOLEAN:
		buf_puts(b, v->boolean ? "true" : "false");
		break;
	case TOML_ARRAY:
		buf_putc(b, '[');
		for (i = 0; i < v->nitems; i++) {
			if (i > 0)
				buf_putc(b, ',');
			render(b, &v->items[i]);
		}
		buf_putc(b, ']');
		break;
	case TOML_TABLE:
		buf_putc(b, '{');
		for (i = 0; i < v->table->n; i++) {
			if (i > 0)
				buf_putc(b, ',');
			buf_printf(b, "%s=", v->table->members[i]->key);
			render(b, &v->table->members[i]->value);
		}
		buf_putc(b, '}');
		break;
	}
}

struct good {
	const char	*in;
	const char	*want;
};

static const struct good goods[] = {
	/* Basic strings and every escape. */
	{ "\"hello\"", "\"hello\"" },
	{ "\"\"", "\"\"" },
	{ "  \"padded\"  ", "\"padded\"" },
	{ "\"a ;b\"", "\"a ;b\"" },
	{ "\"a # not a comment\"", "\"a # not a comment\"" },
	{ "\"tab\there\"", "\"tab<09>here\"" },
	{ "\"\\b\\t\\n\\f\\r\\\"\\\\\"", "\"<08><09><0a><0c><0d><22><5c>\"" },
	{ "\"\\u00e9\"", "\"\xc3\xa9\"" },
	{ "\"\\u20AC\"", "\"\xe2\x82\xac\"" },
	{ "\"\\U0001F600\"", "\"\xf0\x9f\x98\x80\"" },
	{ "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
	    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
	/* Literal strings: no escapes. */
	{ "'C:\\path\\x'", "\"C:<5c>path<5c>x\"" },
	{ "'say \"hi\"'", "\"say <22>hi<22>\"" },
	{ "''", "\"\"" },
	/* Multi-line strings. */
	{ "\"\"\"\nline1\nline2\"\"\"", "\"line1<0a>line2\"" },
	{ "\"\"\"\r\nline1\r\nline2\"\"\"", "\"line1<0a>line2\"" },
	{ "\"\"\"one \\\n    two\"\"\"", "\"one two\"" },
	{ "\"\"\"a \"\" b\"\"\"", "\"a <22><22> b\"" },
	{ "\"\"\"quote\"\"\"\"\"", "\"quote<22><22>\"" },
	{ "'''\nraw \\n text'''", "\"raw <5c>n text\"" },
	{ "'''it's'''", "\"it's\"" },
	/* Integers. */
	{ "0", "0" },
	{ "42", "42" },
	{ "+42", "42" },
	{ "-17", "-17" },
	{ "2_592_000", "2592000" },
	{ "9223372036854775807", "9223372036854775807" },
	{ "-9223372036854775808", "-9223372036854775808" },
	/* Booleans. */
	{ "true", "true" },
	{ "false", "false" },
	/* Arrays. */
	{ "[]", "[]" },
	{ "[ \"id\", \"access\" ]", "[\"id\",\"access\"]" },
	{ "[1, 2, 3,]", "[1,2,3]" },
	{ "[[1, 2], [\"a\"], []]", "[[1,2],[\"a\"],[]]" },
	{ "[\n  \"a\",  # first\n  \"b\"\n  # the end\n]",
	    "[\"a\",\"b\"]" },
	{ "[\r\n 1,\r\n 2\r\n]", "[1,2]" },
	{ "[1, \"mixed\", true]", "[1,\"mixed\",true]" },
	/* Inline tables, dotted and quoted keys. */
	{ "{}", "{}" },
	{ "{ prompt = \"login\" }", "{prompt=\"login\"}" },
	{ "{ \"prompt\" = \"login\", 'hd' = \"example.com\" }",
	    "{prompt=\"login\",hd=\"example.com\"}" },
	{ "{ a.b = 1, a.c = 2 }", "{a={b=1,c=2}}" },
	{ "{ \"a.b\" = 1 }", "{a.b=1}" },
	{ "{ a . \"b\" . c = true }", "{a={b={c=true}}}" },
	{ "{ x = { y = [1, { z = \"w\" }] } }", "{x={y=[1,{z=\"w\"}]}}" },
	{ "{ scope = [\"openid\", \"email\"], max_age = 0 }",
	    "{scope=[\"openid\",\"email\"],max_age=0}" },
	{ "{ bare-key_1 = 1, 1234 = 2 }", "{bare-key_1=1,1234=2}" },
	/* Trailing comments. */
	{ "\"v\" # comment", "\"v\"" },
	{ "\"v\"# comment", "\"v\"" },
	{ "12 # twelve", "12" },
	{ "[1] # list", "[1]" },
	{ "\"v\"\r", "\"v\"" },
};

struct bad {
	const char	*in;
	const char	*reason;	/* substring of the reason */
	int		 col;		/* 0-based offset of err.at, -1: any */
};

static const struct bad bads[] = {
	/* Unterminated strings. */
	{ "\"abc", "unterminated string", 0 },
	{ "'abc", "unterminated string", 0 },
	{ "\"\"\"abc\"\"", "unterminated string", 0 },
	{ "'''abc", "unterminated string", 0 },
	{ "\"abc\ndef\"", "line break inside a string", 4 },
	{ "'abc\ndef'", "line break inside a string", 4 },
	/* Bad escapes. */
	{ "\"\\x41\"", "invalid escape \\x", 1 },
	{ "\"\\a\"", "invalid escape", 1 },
	{ "\"\\e\"", "invalid escape", 1 },
	{ "\"\\u12\"", "needs 4 hexadecimal digits", 1 },
	{ "\"\\u12G4\"", "needs 4 hexadecimal digits", 1 },
	{ "\"\\U0001F60\"", "needs 8 hexadecimal digits", 1 },
	{ "\"\\uD800\"", "not a Unicode scalar value", 1 },
	{ "\"\\U00110000\"", "not a Unicode scalar value", 1 },
	{ "\"\\u0000\"", "NUL character", 1 },
	{ "\"abc\\", "backslash at the end", 4 },
	{ "\"one \\\n two\"", "invalid escape", 5 },
	/* Raw control characters. */
	{ "\"a\x01z\"", "raw control character 0x01", 2 },
	{ "\"a\x7fz\"", "raw control character 0x7f", 2 },
	{ "'a\x1bz'", "raw control character 0x1b", 2 },
	{ "\"a\rz\"", "raw control character 0x0d", 2 },
	{ "\"\"\"a\x00z\"\"\"", "raw control character 0x00", 4 },
	/* Invalid UTF-8. */
	{ "\"\xff\"", "invalid UTF-8", 1 },
	{ "\"\xc3\"", "invalid UTF-8", 1 },
	{ "\"\xc0\xaf\"", "invalid UTF-8", 1 },
	{ "\"\xe0\x80\xaf\"", "invalid UTF-8", 1 },
	{ "\"\xed\xa0\x80\"", "invalid UTF-8", 1 },
	{ "\"\xf4\x90\x80\x80\"", "invalid UTF-8", 1 },
	{ "'\x80'", "invalid UTF-8", 1 },
	/* Trailing garbage. */
	{ "\"a\" \"b\"", "unexpected text after the value", 4 },
	{ "\"a\" ; comment", "unexpected text after the value", 4 },
	{ "12 13", "unexpected text after the value", 3 },
	{ "[1] x", "unexpected text after the value", 4 },
	{ "true false", "unexpected text after the value", 5 },
	/* Not values, unsupported types. */
	{ "", "missing value", 0 },
	{ "   ", "missing value", 3 },
	{ "# only a comment", "missing value", 0 },
	{ "login", "'login' is not a value: put text in quotes", 0 },
	{ "True", "not a value", 0 },
	{ "=1", "expected a value", 0 },
	{ "3.14", "floating-point", 0 },
	{ "1e6", "floating-point", 0 },
	{ "-inf", "floating-point", 0 },
	{ "nan", "floating-point", 0 },
	{ "1979-05-27", "dates and times", 0 },
	{ "1979-05-27T07:32:00Z", "dates and times", 0 },
	{ "07:32:00", "dates and times", 0 },
	{ "0x1F", "hexadecimal", 0 },
	{ "0o17", "octal", 0 },
	/* Bad integers. */
	{ "012", "leading zeros", 0 },
	{ "-012", "leading zeros", 0 },
	{ "1__2", "underscore", 1 },
	{ "_12", "underscore", 0 },
	{ "12_", "underscore", 2 },
	{ "+", "sign without digits", 0 },
	{ "1-2", "invalid value", 0 },
	{ "9223372036854775808", "out of range", 0 },
	{ "-9223372036854775809", "out of range", 0 },
	{ "123456789012345678901234567890", "out of range", 0 },
	/* Bad arrays and tables. */
	{ "[1, 2", "unterminated array", 0 },
	{ "[1 2]", "expected ',' or ']'", 3 },
	{ "[,]", "expected a value", 1 },
	{ "[1,,2]", "expected a value", 3 },
	{ "{ a = 1", "unterminated inline table", 0 },
	{ "{ a = 1 b = 2 }", "expected ',' or '}'", 8 },
	{ "{ a 1 }", "expected '='", 4 },
	{ "{ = 1 }", "missing key before '='", 2 },
	{ "{ a = }", "expected a value", 6 },
	{ "{ a = 1, a = 2 }", "duplicate key 'a'", 9 },
	{ "{ a.b = 1, a = 2 }", "duplicate key 'a'", 11 },
	{ "{ a = 1, a.b = 2 }", "already set to an integer", 9 },
	{ "{ a = {}, a.b = 2 }", "given inline", 10 },
	{ "{ \"\"\"k\"\"\" = 1 }", "multi-line string", 2 },
	{ "{ a..b = 1 }", "expected a key", 4 },
	{ "[[[[[[[[[1]]]]]]]]]", "nested deeper than", 8 },
	{ "{a={b={c={d={e={f={g={h={i=1}}}}}}}}}", "nested deeper than",
	    -1 },
	{ "{ a.b.c.d.e.f.g.h.i = 1 }", "more than 8 parts", -1 },
};

static void
test_goods(void)
{
	struct arena		*a = arena_new();
	struct toml_value	 v;
	struct toml_error	 err;
	struct buf		 b;

	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		const struct good	*g = &goods[i];
		enum err		 e;

		e = toml_value_parse(a, g->in, strlen(g->in), &v, &err);
		if (!ok(e == ERR_OK, "good %zu parses", i)) {
			diag("reason: %s", err.reason);
			continue;
		}
		buf_init(&b, a, 4096);
		render(&b, &v);
		is_str(b.data, g->want, "good %zu value", i);
		ok(v.at >= g->in && v.at < g->in + strlen(g->in),
		    "good %zu position inside the text", i);
	}
	arena_free(a);
}

static void
test_bads(void)
{
	struct arena		*a = arena_new();
	struct toml_value	 v;
	struct toml_error	 err;

	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad	*b = &bads[i];
		size_t			 len = strlen(b->in);
		enum err		 e;

		/* One row holds a NUL on purpose: count up to the quotes. */
		if (strncmp(b->in, "\"\"\"a", 4) == 0 && len == 4)
			len = 9;
		e = toml_value_parse(a, b->in, len, &v, &err);
		ok(e != ERR_OK && strstr(err.reason, b->reason) != NULL,
		    "bad %zu refused: %s", i, b->reason);
		if (e == ERR_OK || strstr(err.reason, b->reason) == NULL)
			diag("got %s: '%s'", e == ERR_OK ? "success" : "error",
			    err.reason);
		if (b->col >= 0 && e != ERR_OK)
			is_int(err.at == NULL ? -1 : err.at - b->in, b->col,
			    "bad %zu column", i);
	}
	arena_free(a);
}

/* Bounds: entries per array and table, and the length of a value. */
static void
test_bounds(void)
{
	struct arena		*a = arena_new();
	struct toml_value	 v;
	struct toml_error	 err;
	struct buf		 b;
	enum err		 e;

	buf_init(&b, a, BOUND_CONFIG_LINE * 2);
	buf_putc(&b, '[');
	for (int i = 0; i < BOUND_CONFIG_LIST; i++)
		buf_puts(&b, "1,");
	buf_putc(&b, ']');
	e = toml_value_parse(a, b.data, b.len, &v, &err);
	ok(e == ERR_OK && v.nitems == BOUND_CONFIG_LIST,
	    "an array of %d entries is fine", BOUND_CONFIG_LIST);
	buf_clear(&b);
	buf_putc(&b, '[');
	for (int i = 0; i <= BOUND_CONFIG_LIST; i++)
		buf_puts(&b, "1,");
	buf_putc(&b, ']');
	e = toml_value_parse(a, b.data, b.len, &v, &err);
	ok(e == ERR_TOO_BIG && strstr(err.reason, "more than") != NULL,
	    "an array of %d entries is refused", BOUND_CONFIG_LIST + 1);

	buf_clear(&b);
	buf_putc(&b, '{');
	for (int i = 0; i <= BOUND_CONFIG_LIST; i++)
		buf_printf(&b, "k%d = %d,", i, i);
	buf_putc(&b, '}');
	e = toml_value_parse(a, b.data, b.len, &v, &err);
	ok(e == ERR_TOO_BIG && strstr(err.reason, "inline table") != NULL,
	    "an inline table of %d entries is refused",
	    BOUND_CONFIG_LIST + 1);

	buf_clear(&b);
	buf_putc(&b, '"');
	for (int i = 0; i < BOUND_CONFIG_LINE; i++)
		buf_putc(&b, 'x');
	buf_putc(&b, '"');
	e = toml_value_parse(a, b.data, b.len, &v, &err);
	ok(e == ERR_TOO_BIG && strstr(err.reason, "longer than") != NULL,
	    "a value over %d bytes is refused", BOUND_CONFIG_LINE);
	e = toml_value_parse(a, b.data, BOUND_CONFIG_LINE - 2, &v, &err);
	ok(e == ERR_INPUT, "a cut string is unterminated");
	arena_free(a);
}

struct key_case {
	const char	*in;
	const char	*want;		/* parts joined by '|', NULL: bad */
	size_t		 used;
};

static const struct key_case keys[] = {
	{ "client_id = 1", "client_id", 10 },
	{ "a.b.c=1", "a|b|c", 5 },
	{ "a . b =", "a|b", 6 },
	{ "\"prompt\" = 1", "prompt", 9 },
	{ "'quoted.key' = 1", "quoted.key", 13 },
	{ "\"\\u0061uth\".x = 1", "auth|x", 14 },
	{ "auth.\"google\" ]", "auth|google", 14 },
	{ "a-b_C9 =", "a-b_C9", 7 },
	{ "\"\" = 1", "", 3 },
	{ "= 1", NULL, 0 },
	{ "a. = 1", NULL, 0 },
	{ ".a = 1", NULL, 0 },
	{ "\"a = 1", NULL, 0 },
	{ "caf\xc3\xa9 = 1", "caf", 3 },
	{ "a.b.c.d.e.f.g.h.i = 1", NULL, 0 },
};

static void
test_keys(void)
{
	struct arena		*a = arena_new();
	struct toml_key		 k;
	struct toml_error	 err;
	struct buf		 b;
	size_t			 used;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key_case	*kc = &keys[i];
		enum err		 e;

		e = toml_key_parse(a, kc->in, strlen(kc->in), &used, &k, &err);
		if (kc->want == NULL) {
			ok(e != ERR_OK && err.reason[0] != '\0',
			    "key %zu refused: %s", i, err.reason);
			continue;
		}
		if (!ok(e == ERR_OK, "key %zu parses", i)) {
			diag("reason: %s", err.reason);
			continue;
		}
		buf_init(&b, a, 256);
		for (size_t j = 0; j < k.n; j++)
			buf_printf(&b, "%s%s", j ? "|" : "", k.parts[j]);
		is_str(b.data, kc->want, "key %zu parts", i);
		is_int(used, kc->used, "key %zu length", i);
	}
	arena_free(a);
}

struct extent_case {
	const char	*in;
	int		 end;		/* -1: error */
	const char	*reason;
};

static const struct extent_case extents[] = {
	{ "\"a\"\nnext = 1", 3, NULL },
	{ "\"a\" # c\nnext", 7, NULL },
	{ "[1,\n 2,\n 3]\nx = 1", 11, NULL },
	{ "[ # ]\n ]\nx", 8, NULL },
	{ "[\"]\", '[', \"\\\"]\"\n]\nx", 18, NULL },
	{ "{ a = [\n1] }\nz", 12, NULL },
	{ "\"\"\"a\n[b\n\"\"\"\nx", 11, NULL },
	{ "'''a\n'b'\n'''\nx", 12, NULL },
	{ "\"\"\"x\"\"\"\"\"\nx", 9, NULL },
	{ "\"a\\\"b\"\n", 6, NULL },
	{ "1 ] ]\n", 5, NULL },
	{ "no newline", 10, NULL },
	{ "[1,\n2", -1, "unterminated array" },
	{ "{ a = 1\n", -1, "unterminated inline table" },
	{ "\"abc\nx", -1, "unterminated string" },
	{ "'abc", -1, "unterminated string" },
	{ "\"\"\"abc\n\n", -1, "unterminated multi-line string" },
	{ "'''abc''", -1, "unterminated multi-line string" },
};

static void
test_extents(void)
{
	struct toml_error	err;
	size_t			end;

	for (size_t i = 0; i < sizeof(extents) / sizeof(extents[0]); i++) {
		const struct extent_case	*x = &extents[i];
		enum err			 e;

		e = toml_value_extent(x->in, strlen(x->in), &end, &err);
		if (x->end < 0) {
			ok(e == ERR_INPUT && strstr(err.reason, x->reason) !=
			    NULL && err.at == x->in, "extent %zu: %s", i,
			    x->reason);
			continue;
		}
		if (ok(e == ERR_OK, "extent %zu found", i))
			is_int(end, x->end, "extent %zu end", i);
		else
			diag("reason: %s", err.reason);
	}
}

/* Parses a key for the table tests. */
static struct toml_key
key(struct arena *a, const char *s)
{
	struct toml_key		k;
	struct toml_error	err;
	size_t			used;

	if (toml_key_parse(a, s, strlen(s), &used, &k, &err) != ERR_OK)
		memset(&k, 0, sizeof(k));
	return k;
}

static struct toml_value
value(struct arena *a, const char *s)
{
	struct toml_value	v;
	struct toml_error	err;

	if (toml_value_parse(a, s, strlen(s), &v, &err) != ERR_OK)
		memset(&v, 0, sizeof(v));
	return v;
}

/*
 * One script of headers ("[x.y]") and keys ("k = v") applied in order;
 * fail_at is the step that must fail (with reason), or -1.
 */
struct table_case {
	const char	*steps[6];
	int		 fail_at;
	const char	*reason;
	const char	*want;		/* the whole tree, when it worked */
};

static const struct table_case tables[] = {
	{ { "[auth]", "a = 1", "[auth.g]", "b = 2", NULL }, -1, NULL,
	    "{auth={a=1,g={b=2}}}" },
	{ { "[auth.g.client_kwargs]", "p = 1", "[auth.g]", "c = 2", NULL },
	    -1, NULL, "{auth={g={client_kwargs={p=1},c=2}}}" },
	{ { "[auth]", "g.c = 1", "g.d = 2", NULL }, -1, NULL,
	    "{auth={g={c=1,d=2}}}" },
	{ { "[auth]", "g.k.p = 1", "[auth.g.k.x]", "y = 1", NULL }, -1, NULL,
	    "{auth={g={k={p=1,x={y=1}}}}}" },
	{ { "auth.r = 1", NULL }, -1, NULL, "{auth={r=1}}" },
	{ { "[auth]", "[auth]", NULL }, 1, "defined twice", NULL },
	{ { "[auth.g]", "[auth]", "[auth.g]", NULL }, 2, "defined twice",
	    NULL },
	{ { "[auth]", "a = 1", "a = 2", NULL }, 2, "duplicate key 'a'",
	    NULL },
	{ { "[auth]", "a = 1", "[auth.a]", NULL }, 2,
	    "already set to an integer", NULL },
	{ { "[auth]", "k = { p = 1 }", "[auth.k]", NULL }, 2, "given inline",
	    NULL },
	{ { "[auth]", "k = { p = 1 }", "k.q = 2", NULL }, 2, "given inline",
	    NULL },
	{ { "[auth]", "g.c = 1", "[auth.g]", NULL }, 2, "defined twice",
	    NULL },
	{ { "[auth.g]", "c = 1", "[auth]", "g.d = 1", NULL }, 3,
	    "own [header]", NULL },
	{ { "[auth]", "\"a\" = 1", "a = 2", NULL }, 2, "duplicate key",
	    NULL },
};

static void
test_tables(void)
{
	struct toml_error	err;
	struct buf		b;

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		const struct table_case	*tc = &tables[i];
		struct arena		*a = arena_new();
		struct toml_table	*root = toml_table_new(a, NULL);
		struct toml_table	*cur = root;
		struct toml_value	 all;
		int			 failed_at = -1;

		for (int j = 0; j < 6 && tc->steps[j] != NULL; j++) {
			const char		*s = tc->steps[j];
			struct toml_key		 k;
			struct toml_value	 v;
			enum err		 e;

			if (s[0] == '[') {
				k = key(a, s + 1);
				e = toml_table_open(a, root, &k, s, &cur, &err);
			} else {
				k = key(a, s);
				v = value(a, strchr(s, '=') + 1);
				e = toml_table_put(a, cur, &k, &v, &err);
			}
			if (e != ERR_OK) {
				failed_at = j;
				break;
			}
		}
		is_int(failed_at, tc->fail_at, "table %zu fails where expected",
		    i);
		if (tc->reason != NULL) {
			ok(failed_at >= 0 && strstr(err.reason, tc->reason) !=
			    NULL && err.prev != NULL, "table %zu reason: %s", i,
			    tc->reason);
			if (failed_at >= 0 && strstr(err.reason, tc->reason) ==
			    NULL)
				diag("got '%s'", err.reason);
		} else {
			memset(&all, 0, sizeof(all));
			all.type = TOML_TABLE;
			all.table = root;
			buf_init(&b, a, 4096);
			render(&b, &all);
			is_str(b.data, tc->want, "table %zu tree", i);
		}
		arena_free(a);
	}
}

static void
test_get_and_names(void)
{
	struct arena		*a = arena_new();
	struct toml_value	 v = value(a, "{ x = 1, y = \"z\" }");

	ok(v.type == TOML_TABLE && toml_table_get(v.table, "y") != NULL &&
	    toml_table_get(v.table, "y")->value.type == TOML_STRING,
	    "toml_table_get finds a member");
	ok(toml_table_get(v.table, "w") == NULL, "and not a missing one");
	is_str(toml_type_name(TOML_STRING), "string", "type name string");
	is_str(toml_type_name(TOML_TABLE), "table", "type name table");
	is_str(toml_type_name((enum toml_type)99), "value", "unknown type");
	arena_free(a);
}

int
main(void)
{
	test_goods();
	test_bads();
	test_bounds();
	test_keys();
	test_extents();
	test_tables();
	test_get_and_names();
	return tap_done();
}
