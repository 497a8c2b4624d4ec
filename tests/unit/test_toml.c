#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "err.h"
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
	int		 col;		/* 0-based offset of the fault, -1: any */
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
	{ "\"\\x41\"", "invalid escape", 1 },
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
	{ "\"a\x01z\"", "raw control character", 2 },
	{ "\"a\x7fz\"", "raw control character", 2 },
	{ "'a\x1bz'", "raw control character", 2 },
	{ "\"a\rz\"", "raw control character", 2 },
	{ "\"\"\"a\x00z\"\"\"", "raw control character", 4 },
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
	{ "login", "a bare word is not a value: put text in quotes", 0 },
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
	struct buf		 b;

	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		const struct good	*g = &goods[i];
		enum err		 e;

		err_reason_clear();
		e = toml_value_parse(a, g->in, strlen(g->in), &v);
		if (!ok(e == ERR_OK, "good %zu parses", i)) {
			diag("reason: %s", err_reason_get());
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
	char			 col[32];

	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad	*b = &bads[i];
		size_t			 len = strlen(b->in);
		const char		*why;
		enum err		 e;

		/* One row holds a NUL on purpose: count up to the quotes. */
		if (strncmp(b->in, "\"\"\"a", 4) == 0 && len == 4)
			len = 9;
		err_reason_clear();
		e = toml_value_parse(a, b->in, len, &v);
		why = err_reason_get();
		ok(e != ERR_OK && strstr(why, b->reason) != NULL,
		    "bad %zu refused: %s", i, b->reason);
		if (e == ERR_OK || strstr(why, b->reason) == NULL)
			diag("got %s: '%s'", e == ERR_OK ? "success" : "error",
			    why);
		if (b->col >= 0 && e != ERR_OK) {
			snprintf(col, sizeof(col), "(column %d)", b->col + 1);
			if (!ok(strstr(why, col) != NULL, "bad %zu column", i))
				diag("got '%s', want %s", why, col);
		}
	}
	arena_free(a);
}

/* Bounds: entries per array and table, and the length of a value. */
static void
test_bounds(void)
{
	struct arena		*a = arena_new();
	struct toml_value	 v;
	struct buf		 b;
	enum err		 e;

	buf_init(&b, a, BOUND_CONFIG_LINE * 2);
	buf_putc(&b, '[');
	for (int i = 0; i < BOUND_CONFIG_LIST; i++)
		buf_puts(&b, "1,");
	buf_putc(&b, ']');
	e = toml_value_parse(a, b.data, b.len, &v);
	ok(e == ERR_OK && v.nitems == BOUND_CONFIG_LIST,
	    "an array of %d entries is fine", BOUND_CONFIG_LIST);
	buf_clear(&b);
	buf_putc(&b, '[');
	for (int i = 0; i <= BOUND_CONFIG_LIST; i++)
		buf_puts(&b, "1,");
	buf_putc(&b, ']');
	err_reason_clear();
	e = toml_value_parse(a, b.data, b.len, &v);
	ok(e == ERR_TOO_BIG && strstr(err_reason_get(), "more than") != NULL,
	    "an array of %d entries is refused", BOUND_CONFIG_LIST + 1);

	buf_clear(&b);
	buf_putc(&b, '{');
	for (int i = 0; i <= BOUND_CONFIG_LIST; i++)
		buf_printf(&b, "k%d = %d,", i, i);
	buf_putc(&b, '}');
	err_reason_clear();
	e = toml_value_parse(a, b.data, b.len, &v);
	ok(e == ERR_TOO_BIG && strstr(err_reason_get(), "inline table") !=
	    NULL, "an inline table of %d entries is refused",
	    BOUND_CONFIG_LIST + 1);

	buf_clear(&b);
	buf_putc(&b, '"');
	for (int i = 0; i < BOUND_CONFIG_LINE; i++)
		buf_putc(&b, 'x');
	buf_putc(&b, '"');
	err_reason_clear();
	e = toml_value_parse(a, b.data, b.len, &v);
	ok(e == ERR_TOO_BIG && strstr(err_reason_get(), "longer than") != NULL,
	    "a value over %d bytes is refused", BOUND_CONFIG_LINE);
	e = toml_value_parse(a, b.data, BOUND_CONFIG_LINE - 2, &v);
	ok(e == ERR_INPUT, "a cut string is unterminated");
	arena_free(a);
}

/* --- Whole documents. ---------------------------------------------------- */

static enum err
read_doc(struct arena *a, const char *text, const struct toml_read_opts *o,
    struct toml_doc **doc)
{
	err_reason_clear();
	return toml_read(a, "t.toml", text, strlen(text), o, doc);
}

static const char *
tree(struct arena *a, const struct toml_doc *doc)
{
	struct toml_value	all;
	struct buf		b;

	memset(&all, 0, sizeof(all));
	all.type = TOML_TABLE;
	all.table = doc->root;
	buf_init(&b, a, 4096);
	render(&b, &all);
	return b.data;
}

/* A document and the tree it makes, or the message it fails with. */
struct doc_case {
	const char	*in;
	const char	*want;		/* tree, or NULL */
	const char	*reason;	/* substring of the message, or NULL */
};

static const struct doc_case docs[] = {
	/* Keys. */
	{ "client_id = 1", "{client_id=1}", NULL },
	{ "a.b.c=1", "{a={b={c=1}}}", NULL },
	{ "a . b = 1", "{a={b=1}}", NULL },
	{ "\"prompt\" = 1", "{prompt=1}", NULL },
	{ "'quoted.key' = 1", "{quoted.key=1}", NULL },
	{ "\"\\u0061uth\".x = 1", "{auth={x=1}}", NULL },
	{ "[auth.\"google\" ]", "{auth={google={}}}", NULL },
	{ "a-b_C9 = 1", "{a-b_C9=1}", NULL },
	{ "\"\" = 1", "{=1}", NULL },
	{ "= 1", NULL, "t.toml:1: missing key before '=' (column 1)" },
	{ "a. = 1", NULL, "t.toml:1: missing key before '=' (column 4)" },
	{ ".a = 1", NULL, "t.toml:1: expected a key" },
	{ "\"a = 1", NULL, "t.toml:1: unterminated string" },
	{ "caf\xc3\xa9 = 1", NULL, "t.toml:1: caf: expected '=' after the key" },
	{ "a.b.c.d.e.f.g.h.i = 1", NULL, "a dotted key of more than 8 parts" },
	/* Values spanning lines, and what follows them. */
	{ "x = [1,\n 2,\n 3]\ny = 1", "{x=[1,2,3],y=1}", NULL },
	{ "x = [ # ]\n ]\ny = 2", "{x=[],y=2}", NULL },
	{ "x = [\"]\", '[', \"\\\"]\"\n]\ny = 1",
	    "{x=[\"]\",\"[\",\"<22>]\"],y=1}", NULL },
	{ "x = { a = [\n1] }\nz = 1", "{x={a=[1]},z=1}", NULL },
	{ "x = \"\"\"a\n[b\n\"\"\"\ny = 1", "{x=\"a<0a>[b<0a>\",y=1}", NULL },
	{ "x = '''a\n'b'\n'''\ny = 1", "{x=\"a<0a>'b'<0a>\",y=1}", NULL },
	{ "x = \"\"\"x\"\"\"\"\"\ny = 1", "{x=\"x<22><22>\",y=1}", NULL },
	{ "x = 1 # ] ] [\ny = 2", "{x=1,y=2}", NULL },
	{ "x = [1,\n2", NULL, "t.toml:1: x: unterminated array: ']' missing "
	    "(column 5)" },
	{ "x = { a = 1\n", NULL, "t.toml:1: x: unterminated inline table" },
	{ "x = \"abc\ny = 1", NULL, "t.toml:1: x: unterminated string "
	    "(column 5)" },
	{ "x = \"\"\"abc\n\n", NULL, "unterminated multi-line string" },
	{ "x = '''abc''", NULL, "unterminated multi-line string" },
	/* Tables, in the order TOML allows them. */
	{ "[auth]\na = 1\n[auth.g]\nb = 2", "{auth={a=1,g={b=2}}}", NULL },
	{ "[auth.g.client_kwargs]\np = 1\n[auth.g]\nc = 2",
	    "{auth={g={client_kwargs={p=1},c=2}}}", NULL },
	{ "[auth]\ng.c = 1\ng.d = 2", "{auth={g={c=1,d=2}}}", NULL },
	{ "[auth]\ng.k.p = 1\n[auth.g.k.x]\ny = 1",
	    "{auth={g={k={p=1,x={y=1}}}}}", NULL },
	{ "auth.r = 1", "{auth={r=1}}", NULL },
	{ "\xef\xbb\xbf[a]\r\nb = 1\r\n", "{a={b=1}}", NULL },
	{ "[auth]\n[auth]", NULL, "t.toml:2: [auth] table 'auth' is defined "
	    "twice (column 1) (first at line 1)" },
	{ "[auth.g]\n[auth]\n[auth.g]", NULL, "t.toml:3: [auth.g] table 'g' "
	    "is defined twice (column 1) (first at line 1)" },
	{ "[auth]\na = 1\na = 2", NULL, "t.toml:3: [auth] a: duplicate key "
	    "'a' (column 1) (first at line 2)" },
	{ "[auth]\na = 1\n[auth.a]", NULL, "already set to an integer" },
	{ "[auth]\nk = { p = 1 }\n[auth.k]", NULL, "given inline" },
	{ "[auth]\nk = { p = 1 }\nk.q = 2", NULL, "given inline" },
	{ "[auth]\ng.c = 1\n[auth.g]", NULL, "defined twice" },
	{ "[auth.g]\nc = 1\n[auth]\ng.d = 1", NULL, "own [header]" },
	{ "[auth]\n\"a\" = 1\na = 2", NULL, "duplicate key" },
	/* Headers. */
	{ "[auth", NULL, "t.toml:1: expected ']' to close the table header "
	    "(column 6)" },
	{ "[auth] x", NULL, "t.toml:1: unexpected text after the table header "
	    "(column 8)" },
	{ "[[auth.p]]\nx = 1", NULL, "t.toml:1: [auth.p] arrays of tables "
	    "([[...]]) are not supported in [auth]" },
	{ "a = 1\n\0b = 2", NULL, "t.toml:2: a NUL byte in the file" },
};

static void
test_docs(void)
{
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		const struct doc_case	*dc = &docs[i];
		struct arena		*a = arena_new();
		struct toml_doc		*doc;
		size_t			 len = strlen(dc->in);
		enum err		 e;

		/* The row with a NUL: read past it. */
		if (dc->reason != NULL && strstr(dc->reason, "NUL") != NULL)
			len += 6;
		err_reason_clear();
		e = toml_read(a, "t.toml", dc->in, len, NULL, &doc);
		if (dc->want != NULL) {
			if (ok(e == ERR_OK, "doc %zu reads", i))
				is_str(tree(a, doc), dc->want, "doc %zu tree",
				    i);
			else
				diag("%s", err_reason_get());
		} else {
			ok(e != ERR_OK && strstr(err_reason_get(),
			    dc->reason) != NULL, "doc %zu refused: %s", i,
			    dc->reason);
			if (e == ERR_OK || strstr(err_reason_get(),
			    dc->reason) == NULL)
				diag("got: %s", e == ERR_OK ? "success" :
				    err_reason_get());
		}
		arena_free(a);
	}
}

static int
keep_auth(const char *name)
{
	return strcmp(name, "auth") == 0;
}

static char	warnings[8][1024];
static size_t	nwarnings;

static void
collect(void *ctx, const char *msg)
{
	if (nwarnings < 8)
		snprintf(warnings[nwarnings++], sizeof(warnings[0]), "%s",
		    msg);
}

/* Only the kept tables are built; the rest is read for its syntax. */
static void
test_keep(void)
{
	struct arena		*a = arena_new();
	struct toml_read_opts	 o = { keep_auth, 0, collect, NULL };
	struct toml_doc		*doc;
	struct buf		 b;
	enum err		 e;

	nwarnings = 0;
	e = read_doc(a, "top = 1\n[db]\nport = 5432\npi = 3.14\n"
	    "password = hunter2\nbad key = 1\nurl = \"a\\qb\"\n"
	    "auth.x = 1\n[auth]\ny = 2\n[other]\nz = 'never closed\n"
	    "[auth.p]\nw = 3\n", &o, &doc);
	if (ok(e == ERR_OK, "a document with broken lines elsewhere reads"))
		is_str(tree(a, doc), "{auth={y=2,p={w=3}}}",
		    "only [auth] is built (auth.x under [db] is db's)");
	else
		diag("%s", err_reason_get());
	is_int(nwarnings, 4, "four warnings");
	is_str(warnings[0], "t.toml:5: [db] password: a bare word is not a "
	    "value: put text in quotes (column 12); the line is ignored",
	    "a bare word, without its text");
	is_str(warnings[1], "t.toml:6: [db] bad: expected '=' after the key. "
	    "Write key = value (column 5); the line is ignored",
	    "a key with a blank");
	ok(strstr(warnings[2], "t.toml:7: [db] url: invalid escape") ==
	    warnings[2], "a bad escape");
	ok(strstr(warnings[3], "t.toml:12: [other] z: unterminated string") ==
	    warnings[3], "a string not closed on its line");
	for (size_t i = 0; i < nwarnings; i++)
		ok(strstr(warnings[i], "hunter2") == NULL, "warning %zu holds "
		    "no value", i);

	/* Inside a kept table, the same lines are errors. */
	e = read_doc(a, "[auth]\npassword = hunter2\n", &o, &doc);
	ok(e == ERR_INPUT && strstr(err_reason_get(), "t.toml:2: [auth] "
	    "password: a bare word is not a value") != NULL &&
	    strstr(err_reason_get(), "hunter2") == NULL,
	    "a bare word in [auth] is an error, without its text");
	e = read_doc(a, "[auth]\nbad key = 1\n", &o, &doc);
	ok(e == ERR_INPUT, "a bad key in [auth] is an error");
	e = read_doc(a, "[db\n[auth]\n", &o, &doc);
	ok(e == ERR_INPUT && strstr(err_reason_get(), "t.toml:1: expected "
	    "']'") != NULL, "a broken header anywhere is an error");
	e = read_doc(a, "[db]\nx = [1,\n[auth]\ny = 2\n", &o, &doc);
	ok(e == ERR_INPUT && strstr(err_reason_get(), "unterminated array") !=
	    NULL, "an array left open anywhere is an error");

	/* Long lines: refused when kept, not even read elsewhere. */
	buf_init(&b, a, 3 * BOUND_CONFIG_LINE);
	buf_puts(&b, "[db]\ncert = \"\"\"\n");
	for (int i = 0; i < BOUND_CONFIG_LINE; i++)
		buf_putc(&b, i % 64 == 63 ? '\n' : 'x');
	buf_puts(&b, "\"\"\"\n[auth]\ny = 1\n");
	nwarnings = 0;
	e = read_doc(a, b.data, &o, &doc);
	ok(e == ERR_OK && nwarnings == 0, "a long value elsewhere is no "
	    "problem");
	e = read_doc(a, b.data + 5, &o, &doc);
	ok(e == ERR_OK, "nor at the root");
	buf_clear(&b);
	buf_puts(&b, "[auth]\ncert = \"\"\"\n");
	for (int i = 0; i < BOUND_CONFIG_LINE; i++)
		buf_putc(&b, i % 64 == 63 ? '\n' : 'x');
	buf_puts(&b, "\"\"\"\n");
	e = read_doc(a, b.data, &o, &doc);
	ok(e == ERR_TOO_BIG && strstr(err_reason_get(), "t.toml:2: [auth] "
	    "cert: line too long") != NULL, "in [auth] it is refused");
	if (e != ERR_TOO_BIG)
		diag("%s", err_reason_get());
	arena_free(a);
}

/* The kept tables have a memory bound. */
static void
test_memory_bound(void)
{
	struct arena		*a = arena_new();
	struct toml_read_opts	 o = { keep_auth, 4096, NULL, NULL };
	struct toml_doc		*doc;
	struct buf		 b;
	enum err		 e;

	buf_init(&b, a, 65536);
	buf_puts(&b, "[db]\n");
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "k%d = \"%040d\"\n", i, i);
	buf_puts(&b, "[auth]\n");
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "k%d = \"%040d\"\n", i, i);
	e = read_doc(a, b.data, &o, &doc);
	ok(e == ERR_TOO_BIG && strstr(err_reason_get(), "the [auth] tables "
	    "are too large") != NULL, "kept tables over the bound are "
	    "refused");
	arena_free(a);
}

static void
test_positions(void)
{
	struct toml_doc	d = { "x.toml", "ab\ncd\n\nef", 10, NULL };

	is_int(toml_line(&d, d.text), 1, "line of the first byte");
	is_int(toml_line(&d, d.text + 4), 2, "line 2");
	is_int(toml_column(&d, d.text + 4), 2, "column 2");
	is_int(toml_line(&d, d.text + 8), 4, "line 4");
	is_int(toml_line(&d, NULL), 0, "no place, no line");
	is_int(toml_line(&d, d.text + 11), 0, "outside, no line");
	is_int(toml_column(&d, d.text + 11), 0, "outside, no column");
}

static void
test_get_and_names(void)
{
	struct arena		*a = arena_new();
	struct toml_value	 v;

	if (toml_value_parse(a, "{ x = 1, y = \"z\" }", 18, &v) != ERR_OK)
		memset(&v, 0, sizeof(v));
	ok(v.type == TOML_TABLE && toml_table_get(v.table, "y") != NULL &&
	    toml_table_get(v.table, "y")->value.type == TOML_STRING,
	    "toml_table_get finds a member");
	ok(v.type == TOML_TABLE && toml_table_get(v.table, "w") == NULL,
	    "and not a missing one");
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
	test_docs();
	test_keep();
	test_memory_bound();
	test_positions();
	test_get_and_names();
	return tap_done();
}
