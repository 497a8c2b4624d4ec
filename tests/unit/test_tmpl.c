#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "err.h"
#include "tmpl.h"
#include "tap.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const HOSTILE = "<script>alert(\"x\")</script>";
static const char *const HOSTILE_ESC =
    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;";

static struct arena *arena;

/* Returns src on one line, for a test description. */
static const char *
show(const char *src)
{
	char	*out = arena_alloc(arena, strlen(src) * 2 + 1), *o = out;

	for (; *src != '\0'; src++) {
		if (*src == '\n' || *src == '\r' || *src == '\t' ||
		    *src == '#') {
			*o++ = '\\';
			*o++ = *src == '\n' ? 'n' : *src == '\r' ? 'r' :
			    *src == '\t' ? 't' : '#';
		} else
			*o++ = *src;
	}
	return out;
}

/* Compiles src; returns NULL (and says why) on failure. */
static struct tmpl *
compile(const char *src)
{
	struct tmpl	*t;

	err_clear();
	if (tmpl_compile(src, strlen(src), "t.html", &t) != ERR_OK) {
		diag("compile \"%s\": %s", show(src), err_reason_get());
		return NULL;
	}
	return t;
}

/* Renders src with ctx into an arena string, or NULL on any failure. */
static const char *
render(const char *src, const struct tmpl_ctx *ctx)
{
	struct tmpl	*t;
	struct buf	 out;
	enum err	 e;

	if ((t = compile(src)) == NULL)
		return NULL;
	buf_init(&out, arena, BOUND_PAGE);
	e = tmpl_render(t, ctx, &out);
	tmpl_free(t);
	return e == ERR_OK ? out.data : NULL;
}

/* --- Escaping. --------------------------------------------------------- */

static const struct {
	const char	*src;
	const char	*value;
	const char	*want;
} escapes[] = {
	{ "{{x}}", "&", "&amp;" },
	{ "{{x}}", "<", "&lt;" },
	{ "{{x}}", ">", "&gt;" },
	{ "{{x}}", "\"", "&quot;" },
	{ "{{x}}", "'", "&#39;" },
	{ "{{x}}", "", "" },
	{ "{{x}}", "plain text, 100%", "plain text, 100%" },
	{ "{{x}}", "a\"b'c<d>e&f", "a&quot;b&#39;c&lt;d&gt;e&amp;f" },
	{ "{{x}}", "<script>alert(1)</script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "{{x}}", "&amp;", "&amp;amp;" },
	{ "{{x}}", "&lt;b&gt;", "&amp;lt;b&amp;gt;" },
	{ "{{x}}", "&#39;", "&amp;#39;" },
	{ "{{x}}", "{{y}}", "{{y}}" },
	{ "{{x}}", "h\xc3\xa9llo \xe2\x80\x94 \xc3\xbc",
	    "h\xc3\xa9llo \xe2\x80\x94 \xc3\xbc" },
	{ "<a href=\"{{x}}\">", "\" onmouseover=\"alert(1)",
	    "<a href=\"&quot; onmouseover=&quot;alert(1)\">" },
	{ "<a href='{{x}}'>", "' onclick='alert(1)",
	    "<a href='&#39; onclick=&#39;alert(1)'>" },
	{ "<a href=\"{{x}}\">", "/back?a=1&b=2",
	    "<a href=\"/back?a=1&amp;b=2\">" },
	{ "<input value=\"{{x}}\">", "\"><script>x</script>",
	    "<input value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">" },
	{ "<p>{{x}}</p>", "</p><img src=x onerror=alert(1)>",
	    "<p>&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;</p>" },
	{ "{{x}}{{x}}", "<>", "&lt;&gt;&lt;&gt;" },
};

static void
test_escaping(void)
{
	struct tmpl_ctx	*ctx;
	size_t		 i;

	for (i = 0; i < NITEMS(escapes); i++) {
		ctx = tmpl_ctx_new(arena);
		tmpl_set(ctx, "x", escapes[i].value);
		is_str(render(escapes[i].src, ctx), escapes[i].want,
		    "escape %zu: %s", i, show(escapes[i].src));
	}
}

/* --- Sections, lists, lookup. ----------------------------------------- */

static struct tmpl_ctx *
fixture(void)
{
	struct tmpl_ctx	*ctx, *item, *outer;

	ctx = tmpl_ctx_new(arena);
	tmpl_set(ctx, "s", "str");
	tmpl_set(ctx, "empty", "");
	tmpl_set(ctx, "null", NULL);
	tmpl_set(ctx, "n", "top");
	tmpl_set_bool(ctx, "t", 1);
	tmpl_set_bool(ctx, "f", 0);
	tmpl_set_bool(ctx, "t2", 42);

	item = tmpl_add_item(ctx, "items");
	tmpl_set(item, "n", "1");
	tmpl_set(item, "v", "a");
	item = tmpl_add_item(ctx, "items");
	tmpl_set(item, "n", "2");
	item = tmpl_add_item(ctx, "items");
	tmpl_set(item, "n", "3");
	tmpl_set(item, "v", "<c>");

	outer = tmpl_add_item(ctx, "outer");
	tmpl_set(outer, "o", "A");
	tmpl_set(tmpl_add_item(outer, "inner"), "i", "1");
	tmpl_set(tmpl_add_item(outer, "inner"), "i", "2");
	outer = tmpl_add_item(ctx, "outer");
	tmpl_set(outer, "o", "B");
	item = tmpl_add_item(outer, "inner");
	tmpl_set(item, "i", "3");
	tmpl_set(item, "o", "shadow");
	tmpl_set_bool(outer, "t", 0);
	return ctx;
}

static const struct {
	const char	*src;
	const char	*want;
} sections[] = {
	{ "", "" },
	{ "plain { text } }} {", "plain { text } }} {" },
	{ "{{s}}", "str" },
	{ "{{ s }}", "str" },
	{ "{{\ts\t}}", "str" },
	{ "a{{nope}}b", "ab" },
	{ "a{{null}}b", "ab" },
	{ "{{t}}|{{f}}|{{items}}", "||" },
	{ "a{{! a comment }}b", "ab" },
	{ "a{{! a {comment}\nover lines }}b", "ab" },
	{ "{{#s}}yes{{/s}}", "yes" },
	{ "{{#s}}{{s}}{{/s}}", "str" },
	{ "{{#empty}}yes{{/empty}}", "" },
	{ "{{#null}}yes{{/null}}", "" },
	{ "{{#t}}yes{{/t}}", "yes" },
	{ "{{#t2}}yes{{/t2}}", "yes" },
	{ "{{#f}}yes{{/f}}", "" },
	{ "{{#nope}}yes{{/nope}}", "" },
	{ "{{^nope}}no{{/nope}}", "no" },
	{ "{{^empty}}no{{/empty}}", "no" },
	{ "{{^null}}no{{/null}}", "no" },
	{ "{{^f}}no{{/f}}", "no" },
	{ "{{^t}}no{{/t}}", "" },
	{ "{{^s}}no{{/s}}", "" },
	{ "{{^items}}no{{/items}}", "" },
	{ "{{# s }}x{{/ s }}", "x" },
	{ "{{#items}}[{{n}}]{{/items}}", "[1][2][3]" },
	{ "{{#items}}{{v}},{{/items}}", "a,,&lt;c&gt;," },
	{ "{{#items}}{{s}}{{/items}}", "strstrstr" },
	{ "{{n}}{{#items}}{{n}}{{/items}}{{n}}", "top123top" },
	{ "{{#items}}{{#v}}<{{v}}>{{/v}}{{^v}}-{{/v}}{{/items}}",
	    "<a>-<&lt;c&gt;>" },
	{ "{{#outer}}{{o}}:{{#inner}}{{i}}{{o}}{{/inner}};{{/outer}}",
	    "A:1A2A;B:3shadow;" },
	{ "{{#outer}}{{#t}}T{{/t}}{{^t}}F{{/t}}{{/outer}}", "TF" },
	{ "{{#outer}}{{#inner}}{{s}}{{/inner}}{{/outer}}", "strstrstr" },
	{ "{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}8"
	    "{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}", "8" },
	{ "{{abcdefghijklmnopqrstuvwxyz_01234}}", "" },
	/* Standalone tags take their line with them; others do not. */
	{ "a\n{{#t}}\nb\n{{/t}}\nc\n", "a\nb\nc\n" },
	{ "a\n{{#f}}\nb\n{{/f}}\nc\n", "a\nc\n" },
	{ "  {{#t}}  \nb\n\t{{/t}}\n", "b\n" },
	{ "{{#t}}\r\nb\r\n{{/t}}\r\n", "b\r\n" },
	{ "a\n{{! comment }}\nb", "a\nb" },
	{ "a\n{{! comment }}", "a\n" },
	{ "{{s}}\n", "str\n" },
	{ "x {{#t}}\ny{{/t}}\n", "x \ny\n" },
	{ "{{#t}}x{{/t}}\n", "x\n" },
	{ "<ul>\n{{#items}}\n<li>{{n}}</li>\n{{/items}}\n</ul>\n",
	    "<ul>\n<li>1</li>\n<li>2</li>\n<li>3</li>\n</ul>\n" },
};

static void
test_sections(void)
{
	struct tmpl_ctx	*ctx = fixture();
	size_t		 i;

	for (i = 0; i < NITEMS(sections); i++)
		is_str(render(sections[i].src, ctx), sections[i].want,
		    "render %zu: \"%s\"", i, show(sections[i].src));
}

static void
test_context(void)
{
	struct tmpl_ctx	*ctx;

	is_str(render("{{^x}}absent{{/x}}[{{x}}]", NULL), "absent[]",
	    "a NULL context renders every name as absent");

	ctx = tmpl_ctx_new(arena);
	tmpl_set(ctx, "x", "one");
	tmpl_set(ctx, "x", "two");
	is_str(render("{{x}}", ctx), "two", "a later tmpl_set wins");

	tmpl_set_bool(ctx, "x", 1);
	is_str(render("[{{x}}]{{#x}}T{{/x}}", ctx), "[]T",
	    "tmpl_set_bool replaces a string");

	tmpl_set(tmpl_add_item(ctx, "x"), "y", "i");
	is_str(render("{{#x}}{{y}}{{/x}}", ctx), "i",
	    "tmpl_add_item turns a bool into a list of one");

	tmpl_set(ctx, "x", "back");
	is_str(render("{{#x}}{{x}}{{y}}{{/x}}", ctx), "back",
	    "tmpl_set turns a list back into a string");

	ctx = tmpl_ctx_new(arena);
	{
		char name[] = "volatile";
		tmpl_set(ctx, name, "kept");
		memcpy(name, "xxxxxxx", 8);
	}
	is_str(render("{{volatile}}", ctx), "kept", "names are copied");
}

static void
test_many_items(void)
{
	struct tmpl_ctx	*ctx = tmpl_ctx_new(arena);
	const char	*out;
	size_t		 i;

	for (i = 0; i < 1000; i++)
		tmpl_set(tmpl_add_item(ctx, "l"), "v", "ab");
	out = render("{{#l}}{{v}}{{/l}}", ctx);
	ok(out != NULL && strlen(out) == 2000, "a thousand items render");
}

/* --- Compile errors. --------------------------------------------------- */

static char deep[512];
static char long_name[64];

static const struct {
	const char	*src;
	enum err	 want;
	const char	*msg;
} bad[] = {
	{ "{{x", ERR_CONFIG, "t.html:1: tag '{{' is not closed" },
	{ "ok\n\n{{x}\n}", ERR_CONFIG, "t.html:3: tag '{{' is not closed" },
	{ "{{! never closed", ERR_CONFIG, "t.html:1: tag '{{' is not closed" },
	{ "a\nb\n{{#s}}\nx", ERR_CONFIG,
	    "t.html:3: section 's' is not closed" },
	{ "x\n{{#a}}\n{{#b}}\n{{/b}}\n", ERR_CONFIG,
	    "t.html:2: section 'a' is not closed" },
	{ "{{#a}}\n{{^b}}\n", ERR_CONFIG,
	    "t.html:2: section 'b' is not closed" },
	{ "{{/s}}", ERR_CONFIG, "t.html:1: '{{/s}}' closes no open section" },
	{ "{{^a}}x{{/a}}\n{{/a}}", ERR_CONFIG,
	    "t.html:2: '{{/a}}' closes no open section" },
	{ "{{#a}}\n{{/b}}", ERR_CONFIG, "t.html:2: '{{/b}}' does not close "
	    "section 'a' (opened on line 1)" },
	{ "{{#a}}{{#b}}{{/a}}{{/b}}", ERR_CONFIG, "t.html:1: '{{/a}}' does "
	    "not close section 'b' (opened on line 1)" },
	{ deep, ERR_CONFIG,
	    "t.html:9: section 'x' is nested deeper than 8" },
	{ "{{Name}}", ERR_CONFIG,
	    "t.html:1: bad name 'Name': names are 1 to 32 of a-z, 0-9 and _" },
	{ "{{}}", ERR_CONFIG,
	    "t.html:1: bad name '': names are 1 to 32 of a-z, 0-9 and _" },
	{ "{{   }}", ERR_CONFIG,
	    "t.html:1: bad name '': names are 1 to 32 of a-z, 0-9 and _" },
	{ "{{#}}", ERR_CONFIG,
	    "t.html:1: bad name '': names are 1 to 32 of a-z, 0-9 and _" },
	{ "\n\n{{a-b}}", ERR_CONFIG,
	    "t.html:3: bad name 'a-b': names are 1 to 32 of a-z, 0-9 and _" },
	{ "{{a b}}", ERR_CONFIG,
	    "t.html:1: bad name 'a b': names are 1 to 32 of a-z, 0-9 and _" },
	{ "{{a\nb}}\n", ERR_CONFIG,
	    "t.html:1: bad name 'a?b': names are 1 to 32 of a-z, 0-9 and _" },
	{ "{{user.name}}", ERR_CONFIG, "t.html:1: bad name 'user.name': "
	    "names are 1 to 32 of a-z, 0-9 and _" },
	{ long_name, ERR_CONFIG, "t.html:1: bad name "
	    "'abcdefghijklmnopqrstuvwxyz_012345': names are 1 to 32 of a-z, "
	    "0-9 and _" },
	{ "{{{x}}}", ERR_CONFIG, "t.html:1: raw insertion '{{{' is not "
	    "supported: every value is escaped" },
	{ "a\n{{&x}}", ERR_CONFIG, "t.html:2: raw insertion '{{&' is not "
	    "supported: every value is escaped" },
	{ "{{=<% %>=}}", ERR_CONFIG,
	    "t.html:1: changing delimiters '{{=' is not supported" },
	{ "{{>part}}", ERR_CONFIG,
	    "t.html:1: partials '{{>' are not supported" },
	{ "{{#a b}}{{/a b}}", ERR_CONFIG,
	    "t.html:1: bad name 'a b': names are 1 to 32 of a-z, 0-9 and _" },
};

static void
test_compile_errors(void)
{
	struct tmpl	*t;
	char		*big;
	size_t		 i, n;
	enum err	 e;

	for (i = 0, n = 0; i < 9; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{{#x}}\n");
	memcpy(long_name, "{{abcdefghijklmnopqrstuvwxyz_012345}}",
	    sizeof("{{abcdefghijklmnopqrstuvwxyz_012345}}"));

	for (i = 0; i < NITEMS(bad); i++) {
		t = (struct tmpl *)&bad;	/* must be reset to NULL */
		err_clear();
		e = tmpl_compile(bad[i].src, strlen(bad[i].src), "t.html", &t);
		is_int(e, bad[i].want, "bad %zu: error code", i);
		ok(t == NULL, "bad %zu: no template", i);
		is_str(err_reason_get(), bad[i].msg,
		    "bad %zu: message for \"%s\"", i, show(bad[i].src));
		tmpl_free(e == ERR_OK ? t : NULL);
	}

	err_clear();
	e = tmpl_compile("ab\n\0cd", 6, "t.html", &t);
	is_int(e, ERR_CONFIG, "a NUL byte is refused");
	is_str(err_reason_get(), "t.html:2: NUL byte in template",
	    "NUL byte message");

	big = calloc(1, BOUND_TEMPLATE_FILE + 2);
	memset(big, 'a', BOUND_TEMPLATE_FILE + 1);
	err_clear();
	e = tmpl_compile(big, BOUND_TEMPLATE_FILE + 1, "t.html", &t);
	is_int(e, ERR_TOO_BIG,
	    "a template over BOUND_TEMPLATE_FILE is refused");
	ok(strncmp(err_reason_get(), "t.html: 65537 bytes, over", 25) == 0,
	    "size message names the template: %s", err_reason_get());
	err_clear();
	e = tmpl_compile(big, BOUND_TEMPLATE_FILE, "t.html", &t);
	is_int(e, ERR_OK, "a template of exactly BOUND_TEMPLATE_FILE compiles");
	is_str(err_reason_get(), "", "success records no reason");
	tmpl_free(t);
	free(big);

	/* A second failure before a clear keeps the first reason. */
	err_clear();
	e = tmpl_compile("{{x}", 4, "t.html", &t);
	is_int(e, ERR_CONFIG, "an unclosed tag is refused");
	e = tmpl_compile("{{#x}}", 6, "t.html", &t);
	is_int(e, ERR_CONFIG, "an unclosed section is refused");
	is_str(err_reason_get(), "t.html:1: tag '{{' is not closed",
	    "the first reason stands");
	tmpl_free(NULL);
	ok(1, "tmpl_free(NULL) is a no-op");
}

/* --- Output cap. ------------------------------------------------------- */

static void
test_cap(void)
{
	struct tmpl_ctx	*ctx = tmpl_ctx_new(arena);
	struct tmpl	*t;
	struct buf	 out;

	tmpl_set(ctx, "x", "<<<<");
	if ((t = compile("{{x}}")) == NULL)
		return;
	buf_init(&out, arena, 10);
	is_int(tmpl_render(t, ctx, &out), ERR_TOO_BIG,
	    "escaped value over the cap is ERR_TOO_BIG");
	buf_init(&out, arena, 16);
	is_int(tmpl_render(t, ctx, &out), ERR_OK, "exactly the cap fits");
	is_str(out.data, "&lt;&lt;&lt;&lt;", "and renders fully");
	tmpl_free(t);

	if ((t = compile("0123456789{{#t}}x{{/t}}")) == NULL)
		return;
	tmpl_set_bool(ctx, "t", 1);
	buf_init(&out, arena, 10);
	is_int(tmpl_render(t, ctx, &out), ERR_TOO_BIG,
	    "text over the cap inside a section is ERR_TOO_BIG");
	tmpl_set_bool(ctx, "t", 0);
	buf_init(&out, arena, 10);
	is_int(tmpl_render(t, ctx, &out), ERR_OK,
	    "text of exactly the cap fits");
	tmpl_free(t);
}

/* --- Loading files. ---------------------------------------------------- */

static const char *
template_dir(void)
{
	const char	*top = getenv("top_srcdir");

	return arena_printf(arena, "%s/templates", top != NULL ? top : ".");
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		return;
	fwrite(data, 1, len, f);
	fclose(f);
}

static void
test_load(void)
{
	struct tmpl	*t;
	char		 dir[] = "/tmp/test_tmpl.XXXXXX";
	char		*path, *big;
	enum err	 e;

	err_clear();
	e = tmpl_load(template_dir(), "no-such.html", &t);
	is_int(e, ERR_SYSTEM, "a missing template is ERR_SYSTEM");
	ok(t == NULL && strstr(err_reason_get(),
	    "no-such.html: cannot read: No such file") != NULL,
	    "message names the file: %s",
	    err_reason_get());

	err_clear();
	e = tmpl_load(getenv("top_srcdir") != NULL ? getenv("top_srcdir") :
	    ".", "templates", &t);
	is_int(e, ERR_SYSTEM, "a directory is refused");
	ok(strstr(err_reason_get(), "not a regular file") != NULL,
	    "with a reason: %s", err_reason_get());

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	path = arena_printf(arena, "%s/bad.html", dir);
	write_file(path, "<p>\n{{#a}}\n", 11);
	err_clear();
	e = tmpl_load(dir, "bad.html", &t);
	is_int(e, ERR_CONFIG, "a broken file is ERR_CONFIG");
	is_str(err_reason_get(), "bad.html:2: section 'a' is not closed",
	    "compile messages name the file and line");
	unlink(path);

	path = arena_printf(arena, "%s/big.html", dir);
	big = calloc(1, BOUND_TEMPLATE_FILE + 1);
	memset(big, 'a', BOUND_TEMPLATE_FILE + 1);
	write_file(path, big, BOUND_TEMPLATE_FILE + 1);
	e = tmpl_load(dir, "big.html", &t);
	is_int(e, ERR_TOO_BIG,
	    "a file over BOUND_TEMPLATE_FILE is ERR_TOO_BIG");
	write_file(path, big, BOUND_TEMPLATE_FILE);
	e = tmpl_load(dir, "big.html", &t);
	is_int(e, ERR_OK, "a file of exactly BOUND_TEMPLATE_FILE loads");
	tmpl_free(t);
	free(big);
	unlink(path);
	rmdir(dir);
}

/* --- The shipped templates. -------------------------------------------- */

static const char *
render_file(const char *file, const struct tmpl_ctx *ctx)
{
	struct tmpl	*t;
	struct buf	 out;
	enum err	 e;

	err_clear();
	e = tmpl_load(template_dir(), file, &t);
	if (!ok(e == ERR_OK, "%s compiles", file)) {
		diag("%s", err_reason_get());
		return NULL;
	}
	buf_init(&out, arena, BOUND_PAGE);
	e = tmpl_render(t, ctx, &out);
	tmpl_free(t);
	ok(e == ERR_OK, "%s renders", file);
	return e == ERR_OK ? out.data : NULL;
}

static int
contains(const char *hay, const char *needle)
{
	return hay != NULL && strstr(hay, needle) != NULL;
}

/* Returns 1 when html has an event handler attribute (on...=). */
static int
has_event_attr(const char *html)
{
	const char	*p;

	for (p = html; (p = strcasestr(p, " on")) != NULL; p += 3) {
		const char *q = p + 3;

		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
			q++;
		if (q > p + 3 && *q == '=')
			return 1;
	}
	return 0;
}

static int
contains_nocase(const char *hay, const char *needle)
{
	return hay != NULL && strcasestr(hay, needle) != NULL;
}

/* What every shipped page must be, whatever its data. */
static void
check_page(const char *file, const char *html)
{
	static const char *const must[] = {
		"<!DOCTYPE html>\n<html lang=\"en\">",
		"<meta charset=\"utf-8\">",
		("<meta name=\"viewport\" content=\"width=device-width, "
		    "initial-scale=1\">"),
		"<meta name=\"referrer\" content=\"no-referrer\">",
		"<link rel=\"stylesheet\" href=\"/auth/style.css\">",
		"<main",
		"<h1>",
		"</html>\n",
	};
	static const char *const never[] = {
		"style=", "<script", "<style", "javascript:", "{{", "}}",
		"<img", "<iframe", "http://", "https://",
	};
	size_t	i;

	if (html == NULL)
		return;
	ok(strncmp(html, "<!DOCTYPE html>", 15) == 0,
	    "%s: starts with the doctype", file);
	for (i = 0; i < NITEMS(must); i++)
		ok(contains(html, must[i]), "%s: has %s", file, show(must[i]));
	for (i = 0; i < NITEMS(never); i++)
		ok(!contains_nocase(html, never[i]), "%s: no %s", file,
		    never[i]);
	ok(!has_event_attr(html), "%s: no event handler attribute", file);
	ok(contains(html, HOSTILE_ESC), "%s: hostile title escaped", file);
	ok(contains(html, "<title>"), "%s: has a title", file);
}

static struct tmpl_ctx *
page_ctx(void)
{
	struct tmpl_ctx	*ctx = tmpl_ctx_new(arena);

	tmpl_set(ctx, "title", HOSTILE);
	tmpl_set(ctx, "base", "/auth");
	return ctx;
}

static void
test_choose(void)
{
	struct tmpl_ctx	*ctx = page_ctx(), *p;
	const char	*html;

	p = tmpl_add_item(ctx, "providers");
	tmpl_set(p, "name", "google");
	tmpl_set(p, "display_name", "Google");
	tmpl_set(p, "login_url", "/auth/login/google?return_to=%2Fapp");
	p = tmpl_add_item(ctx, "providers");
	tmpl_set(p, "name", "evil");
	tmpl_set(p, "display_name", HOSTILE);
	tmpl_set(p, "login_url", "/auth/login/evil?return_to=%2F&x=\"");
	tmpl_set(ctx, "return_to", "/app");
	html = render_file("choose.html", ctx);
	check_page("choose.html", html);
	ok(contains(html, "<h1>Sign in</h1>"), "choose: heading");
	ok(contains(html, "href=\"/auth/login/google?return_to=%2Fapp\">"
	    "Continue with Google</a>"), "choose: provider button");
	ok(contains(html,
	    "href=\"/auth/login/evil?return_to=%2F&amp;x=&quot;\""),
	    "choose: login_url escaped in the attribute");
	ok(contains(html, "Continue with &lt;script&gt;"),
	    "choose: hostile display name escaped");
	ok(!contains(html, "No sign-in provider"), "choose: no empty note");

	html = render_file("choose.html", page_ctx());
	ok(contains(html, "No sign-in provider is configured"),
	    "choose: says when there is no provider");
}

static void
test_signed_in(void)
{
	struct tmpl_ctx	*ctx = page_ctx(), *c;
	const char	*html;

	tmpl_set(ctx, "user_name", "Ada <Lovelace>");
	tmpl_set(ctx, "user_email", "ada@example.com");
	tmpl_set(ctx, "user_sub", "1234");
	tmpl_set(ctx, "provider_name", "Google");
	tmpl_set_bool(ctx, "has_email", 1);
	tmpl_set(ctx, "continue_url", "/app?x=1&y=2");
	tmpl_set(ctx, "logout_url", "/auth/logout?return_to=%2Fapp");
	tmpl_set(ctx, "logout_action", "/auth/logout");
	tmpl_set(ctx, "csrf", "CSRF-token_2");
	tmpl_set(ctx, "return_to", "/app");
	tmpl_set(ctx, "heading", "You are already signed in");
	tmpl_set(ctx, "notice", HOSTILE);
	tmpl_set_bool(ctx, "has_others", 1);
	c = tmpl_add_item(ctx, "others");
	tmpl_set(c, "url", "/auth/login/google?switch=1");
	tmpl_set(c, "label", "Another Google account");
	c = tmpl_add_item(ctx, "claims");
	tmpl_set(c, "name", "email");
	tmpl_set(c, "value", "ada@example.com");
	c = tmpl_add_item(ctx, "claims");
	tmpl_set(c, "name", "nickname");
	tmpl_set(c, "value", HOSTILE);
	html = render_file("signed-in.html", ctx);
	check_page("signed-in.html", html);
	ok(contains(html, "Signed in as <strong>Ada &lt;Lovelace&gt;</strong> "
	    "(ada@example.com) with Google."), "signed-in: who and how");
	ok(contains(html, "href=\"/app?x=1&amp;y=2\">Continue</a>"),
	    "signed-in: continue link");
	ok(contains(html, "<form class=\"actions\" method=\"post\" "
	    "action=\"/auth/logout\">") && contains(html, "name=\"csrf\" "
	    "value=\"CSRF-token_2\"") && contains(html, "Sign out</button>"),
	    "signed-in: a one-click sign-out form");
	ok(contains(html, "<h1>You are already signed in</h1>"),
	    "signed-in: the heading given");
	ok(contains(html, "<p class=\"notice\">&lt;script&gt;"),
	    "signed-in: the notice, escaped");
	ok(contains(html, "href=\"/auth/login/google?switch=1\">Another "
	    "Google account</a>"), "signed-in: another account");
	ok(contains(html, "<summary>Your account details</summary>"),
	    "signed-in: details");
	ok(contains(html, "<code>nickname</code></dt><dd>" "&lt;script&gt;"),
	    "signed-in: hostile claim escaped");

	ctx = page_ctx();
	tmpl_set(ctx, "user_sub", "1234");
	tmpl_set(ctx, "user_email", "hidden@example.com");
	tmpl_set_bool(ctx, "has_email", 0);
	tmpl_set(ctx, "provider_name", "Okta");
	html = render_file("signed-in.html", ctx);
	ok(contains(html, "Signed in as <strong>1234</strong> with Okta."),
	    "signed-in: falls back to sub, no e-mail");
	ok(!contains(html, "hidden@example.com"), "signed-in: has_email false");
	ok(contains(html, "No details were shared"), "signed-in: no claims");
	ok(!contains(html, "Use another account") &&
	    !contains(html, "class=\"notice\""),
	    "signed-in: no empty sections");
}

static void
test_logout(void)
{
	struct tmpl_ctx	*ctx = page_ctx();
	const char	*html;

	tmpl_set(ctx, "user_name", HOSTILE);
	tmpl_set(ctx, "logout_action", "/auth/logout");
	tmpl_set(ctx, "csrf", "CSRF-token_1");
	tmpl_set(ctx, "return_to", "/app?a=1&b=\"2\"");
	tmpl_set_bool(ctx, "signed_in", 1);
	html = render_file("logout.html", ctx);
	check_page("logout.html", html);
	ok(contains(html, "method=\"post\" action=\"/auth/logout\">"),
	    "logout: POST form");
	ok(contains(html, "<input type=\"hidden\" name=\"csrf\" "
	    "value=\"CSRF-token_1\">"), "logout: csrf field");
	ok(contains(html, "<input type=\"hidden\" name=\"return_to\" "
	    "value=\"/app?a=1&amp;b=&quot;2&quot;\">"),
	    "logout: return_to field");
	ok(contains(html, "<button type=\"submit\" class=\"button primary\">"
	    "Sign out</button>"), "logout: submit button");
	ok(contains(html, "href=\"/app?a=1&amp;b=&quot;2&quot;\">Stay signed "
	    "in</a>"), "logout: a way back, signed in");
	ok(!contains(html, "not signed in"), "logout: signed in");

	ctx = page_ctx();
	tmpl_set_bool(ctx, "signed_in", 0);
	tmpl_set(ctx, "csrf", "SHOULD-NOT-APPEAR");
	tmpl_set(ctx, "signin_url", "/auth/");
	html = render_file("logout.html", ctx);
	ok(contains(html, "You are not signed in"), "logout: not signed in");
	ok(contains(html, "href=\"/auth/\""), "logout: a link to sign in");
	ok(!contains(html, "<form") && !contains(html, "SHOULD-NOT-APPEAR"),
	    "logout: no form when signed out");
}

static void
test_signed_out(void)
{
	struct tmpl_ctx	*ctx = page_ctx();
	const char	*html;

	tmpl_set(ctx, "heading", "You are signed out");
	tmpl_set_bool(ctx, "signed_out", 1);
	tmpl_set(ctx, "signin_url", "/auth/?return_to=%2Fapp");
	tmpl_set(ctx, "home_url", "/home/");
	tmpl_set(ctx, "provider_note", HOSTILE);
	html = render_file("logout.html", ctx);
	check_page("logout.html, signed out", html);
	ok(contains(html, "<h1>You are signed out</h1>"),
	    "signed out: heading");
	ok(contains(html, "href=\"/auth/?return_to=%2Fapp\">Sign in again"),
	    "signed out: sign in again, keeping the page");
	ok(contains(html, "href=\"/home/\">Go to the home page"),
	    "signed out: the site's home page");
	ok(contains(html, "<p>&lt;script&gt;"), "signed out: the note escaped");
	ok(!contains(html, "not signed in") && !contains(html, "<form"),
	    "signed out: nothing else");
}

static void
test_error_ways_on(void)
{
	struct tmpl_ctx	*ctx = page_ctx(), *c;
	const char	*html;

	tmpl_set(ctx, "status", "400");
	tmpl_set_bool(ctx, "calm", 1);
	tmpl_set(ctx, "heading", "You did not sign in");
	tmpl_set(ctx, "message", "Cancelled.");
	tmpl_set(ctx, "detail", "access_denied: aborted");
	tmpl_set(ctx, "detail_label", "Google said:");
	tmpl_set(ctx, "retry_url", "/auth/login/google");
	tmpl_set(ctx, "retry_label", "Sign in again");
	tmpl_set(ctx, "home_url", "/home/");
	tmpl_set(ctx, "ref", "AbC-12_x");
	c = tmpl_add_item(ctx, "actions");
	tmpl_set(c, "url", "/idp/logout");
	tmpl_set(c, "label", "Sign out of Google");
	tmpl_set_bool(ctx, "has_alternatives", 1);
	c = tmpl_add_item(ctx, "alternatives");
	tmpl_set(c, "name", "okta");
	tmpl_set(c, "display_name", "Okta");
	tmpl_set(c, "login_url", "/auth/login/okta");
	tmpl_set(c, "trouble", "Not answering at the moment");
	html = render_file("error.html", ctx);
	check_page("error.html, calm", html);
	ok(!contains(html, "Error 400"), "calm: no alarming status line");
	ok(contains(html, "<summary>Details</summary>") &&
	    contains(html, "Google said: <code>access_denied: aborted</code>"),
	    "calm: the provider's words folded away");
	ok(contains(html, "href=\"/auth/login/google\">Sign in again</a>"),
	    "calm: the retry's own words");
	ok(contains(html, "href=\"/idp/logout\">Sign out of "
	    "Google</a>"), "an extra action");
	ok(contains(html, "href=\"/auth/login/okta\" aria-describedby=\""
	    "trouble-okta\">Continue with Okta</a>") &&
	    contains(html, "id=\"trouble-okta\">Not answering"),
	    "another provider, marked when in trouble");
	ok(!contains(html, "AbC-12_x"), "calm: no reference to quote");
}

static void
test_error(void)
{
	struct tmpl_ctx	*ctx = page_ctx();
	const char	*html;

	tmpl_set(ctx, "status", "400");
	tmpl_set(ctx, "heading", "Sign-in failed");
	tmpl_set(ctx, "message", "The provider refused the sign-in.");
	tmpl_set(ctx, "detail", "access_denied: The user <b>cancelled</b>");
	tmpl_set(ctx, "retry_url", "/auth/login/google?return_to=%2F");
	tmpl_set(ctx, "home_url", "/");
	tmpl_set(ctx, "ref", "AbC-12_x");
	html = render_file("error.html", ctx);
	check_page("error.html", html);
	ok(contains(html, "<h1>Sign-in failed</h1>"), "error: heading");
	ok(contains(html, "Error 400"), "error: status");
	ok(contains(html, "<code>access_denied: The user &lt;b&gt;cancelled"
	    "&lt;/b&gt;</code>"), "error: detail escaped");
	ok(contains(html,
	    "href=\"/auth/login/google?return_to=%2F\">Try again"),
	    "error: retry link");
	ok(contains(html, "href=\"/\">Go to the home page"),
	    "error: home link");
	ok(contains(html, "<code>AbC-12_x</code>"), "error: the reference");

	ctx = page_ctx();
	tmpl_set(ctx, "status", "502");
	tmpl_set(ctx, "heading", HOSTILE);
	tmpl_set(ctx, "message", HOSTILE);
	tmpl_set(ctx, "detail", "");
	tmpl_set(ctx, "home_url", "/");
	html = render_file("error.html", ctx);
	check_page("error.html", html);
	ok(!contains(html, "<code>") && !contains(html, "Details"),
	    "error: no detail when empty");
	ok(!contains(html, "Try again"), "error: no retry when empty");
	ok(contains(html, "class=\"button primary\" href=\"/\">Go to the home"),
	    "error: home is the primary action");
}

static void
test_style(void)
{
	struct tmpl	*t;
	struct buf	 out;

	err_clear();
	if (!ok(tmpl_load(template_dir(), "style.css", &t) == ERR_OK,
	    "style.css loads")) {
		diag("%s", err_reason_get());
		return;
	}
	buf_init(&out, arena, BOUND_PAGE);
	ok(tmpl_render(t, NULL, &out) == ERR_OK, "style.css renders");
	tmpl_free(t);
	ok(contains(out.data, "prefers-color-scheme: dark"), "css: dark mode");
	ok(contains(out.data, "max-width: 32rem"), "css: card width");
	ok(contains(out.data, "flex: 1 1 auto"),
	    "css: a button is as wide as its words");
	ok(!contains(out.data, "overflow-wrap: anywhere"),
	    "css: no break inside a word that fits");
	ok(contains(out.data, ":focus-visible"), "css: focus styles");
	ok(contains(out.data, "min-height: 2.75rem"), "css: 44px targets");
	ok(!contains(out.data, "@import") && !contains(out.data, "url("),
	    "css: loads nothing else");
}

int
main(void)
{
	arena = arena_new();
	test_escaping();
	test_sections();
	test_context();
	test_many_items();
	test_compile_errors();
	test_cap();
	test_load();
	test_choose();
	test_signed_in();
	test_logout();
	test_signed_out();
	test_error();
	test_error_ways_on();
	test_style();
	arena_free(arena);
	return tap_done();
}
