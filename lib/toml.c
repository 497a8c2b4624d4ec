#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "err.h"
#include "toml.h"
#include "toml_parse.h"

/* A table header as written, for messages. */
#define SECTION_TEXT_MAX	128

static int
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

#define UTF8_BOM	"\xef\xbb\xbf"

struct reader {
	struct toml_doc			*doc;
	const struct toml_read_opts	*opts;
	struct arena			*a;		/* the tree's */
	struct arena			*scratch;	/* one line's */
	size_t				 pos;		/* next line */
	int				 in_root;	/* no header yet */
	int				 keeping;	/* the current table */
	struct toml_table		*table;		/* keys go there */
	char				 section[SECTION_TEXT_MAX];
	char				 top[SECTION_TEXT_MAX]; /* its first part */
};

int
toml_line(const struct toml_doc *d, const char *at)
{
	int	line = 1;

	if (at == NULL || at < d->text || at > d->text + d->len)
		return 0;
	for (const char *p = d->text; p < at; p++)
		if (*p == '\n')
			line++;
	return line;
}

int
toml_column(const struct toml_doc *d, const char *at)
{
	const char	*p = at;

	if (toml_line(d, at) == 0)
		return 0;
	while (p > d->text && p[-1] != '\n')
		p--;
	return (int)(at - p) + 1;
}

/* Appends to out at *n, keeping it NUL-ended when it does not fit. */
static void __attribute__((format(printf, 4, 0)))
vappend(char *out, size_t outlen, size_t *n, const char *fmt, va_list ap)
{
	int	r;

	if (*n >= outlen)
		return;
	r = vsnprintf(out + *n, outlen - *n, fmt, ap);
	*n = r < 0 ? outlen : *n + (size_t)r;
}

static void __attribute__((format(printf, 4, 5)))
append(char *out, size_t outlen, size_t *n, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vappend(out, outlen, n, fmt, ap);
	va_end(ap);
}

void
toml_vformat(const struct toml_doc *d, const char *at, const char *section,
    const char *key, char *out, size_t outlen, const char *fmt, va_list ap)
{
	size_t	n = 0;
	int	line = toml_line(d, at);

	if (outlen == 0)
		return;
	out[0] = '\0';
	if (line > 0)
		append(out, outlen, &n, "%s:%d: ", d->path, line);
	else
		append(out, outlen, &n, "%s: ", d->path);
	if (section != NULL && *section != '\0')
		append(out, outlen, &n, "[%s] ", section);
	if (key != NULL)
		append(out, outlen, &n, "%s: ", key);
	vappend(out, outlen, &n, fmt, ap);
}

static void __attribute__((format(printf, 5, 6)))
say(const struct reader *R, const char *at, const char *key, char *out,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	toml_vformat(R->doc, at, R->section, key, out, BOUND_CONFIG_MESSAGE,
	    fmt, ap);
	va_end(ap);
}

/* Says what a parse error is, with its column and any earlier definition. */
static void
describe(const struct reader *R, const struct toml_parse_error *err,
    const char *key, const char *tail, char *msg)
{
	int	col = toml_column(R->doc, err->at);
	int	prev = toml_line(R->doc, err->prev);

	say(R, err->at, key, msg, "%s%s%.0d%s%s%.0d%s%s", err->reason,
	    col > 0 ? " (column " : "", col, col > 0 ? ")" : "",
	    prev > 0 ? " (first at line " : "", prev, prev > 0 ? ")" : "",
	    tail);
}

/* Records a parse error as the reason of the failure. */
static enum err
read_fail(const struct reader *R, enum err e, const struct toml_parse_error *err,
    const char *key)
{
	char	msg[BOUND_CONFIG_MESSAGE];

	describe(R, err, key, "", msg);
	err_reason("%s", msg);
	return e;
}

static enum err __attribute__((format(printf, 4, 5)))
read_failx(const struct reader *R, enum err e, const char *at,
    const char *fmt, ...)
{
	struct toml_parse_error	err;
	va_list			ap;

	memset(&err, 0, sizeof(err));
	err.at = at;
	va_start(ap, fmt);
	vsnprintf(err.reason, sizeof(err.reason), fmt, ap);
	va_end(ap);
	return read_fail(R, e, &err, NULL);
}

static void
read_warn(const struct reader *R, const struct toml_parse_error *err,
    const char *key)
{
	char	msg[BOUND_CONFIG_MESSAGE];

	if (R->opts->warn == NULL)
		return;
	describe(R, err, key, "; the line is ignored", msg);
	R->opts->warn(R->opts->warn_ctx, msg);
}

static int
keeps(const struct reader *R, const char *name)
{
	return R->opts->keep == NULL || R->opts->keep(name);
}

/* Joins a key's parts with dots, for messages. */
static char *
key_label(struct arena *a, const struct toml_key *k)
{
	char	*s = arena_strdup(a, "");

	for (size_t i = 0; i < k->n; i++)
		s = arena_printf(a, "%s%s%s", s, i ? "." : "", k->parts[i]);
	return s;
}

/* Past blanks and a comment to the end of the line (before its newline). */
static const char *
rest_of_line(const struct reader *R, const char *p)
{
	const char	*end = R->doc->text + R->doc->len;

	while (p < end && is_blank(*p))
		p++;
	if (p < end && *p == '#')
		while (p < end && *p != '\n')
			p++;
	if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
		p++;
	return p;
}

/* Moves the reader past the newline at or after p (or to the end). */
static void
advance_past(struct reader *R, const char *p)
{
	const char	*end = R->doc->text + R->doc->len;

	while (p < end && *p != '\n')
		p++;
	R->pos = (size_t)(p - R->doc->text) + (p < end ? 1 : 0);
}

/* A [header] or [[header]]. */
static enum err
read_header(struct reader *R, const char *start)
{
	const char		*end = R->doc->text + R->doc->len, *p;
	struct toml_key		 key;
	struct toml_parse_error	 err;
	size_t			 used;
	int			 array = end - start > 1 && start[1] == '[';
	enum err		 e;

	/* Until it is read, the header is no section to name. */
	R->section[0] = '\0';
	p = start + (array ? 2 : 1);
	if ((e = toml_parse_key(R->scratch, p, (size_t)(end - p), &used, &key,
	    &err)) != ERR_OK)
		return read_fail(R, e, &err, NULL);
	p += used;
	if (end - p < 1 + array || p[0] != ']' || (array && p[1] != ']'))
		return read_failx(R, ERR_INPUT, p, "expected '%s' to close "
		    "the table header", array ? "]]" : "]");
	p = rest_of_line(R, p + 1 + array);
	if (p < end && *p != '\n')
		return read_failx(R, ERR_INPUT, p, "unexpected text after "
		    "the table header");
	advance_past(R, p);
	R->in_root = 0;
	R->keeping = keeps(R, key.parts[0]);
	snprintf(R->top, sizeof(R->top), "%s", key.parts[0]);
	snprintf(R->section, sizeof(R->section), "%s",
	    key_label(R->scratch, &key));
	if (array && R->keeping)
		return read_failx(R, ERR_INPUT, start, "arrays of tables "
		    "([[...]]) are not supported in [%s]", key.parts[0]);
	if (array)
		R->keeping = 0;
	if (!R->keeping)
		return ERR_OK;
	p = start + 1;
	if ((e = toml_parse_key(R->a, p, (size_t)(end - p), &used, &key,
	    &err)) != ERR_OK ||
	    (e = toml_parse_table_open(R->a, R->doc->root, &key, start, &R->table,
	    &err)) != ERR_OK)
		return read_fail(R, e, &err, NULL);
	return ERR_OK;
}

/* A line the program does not keep: its syntax is checked, not stored. */
static void
check_unkept(struct reader *R, const char *label, const char *value,
    size_t len)
{
	struct toml_value	v;
	struct toml_parse_error	err;

	if (len > BOUND_CONFIG_LINE)
		return;
	if (toml_parse_value(R->scratch, value, len, &v, &err) != ERR_OK &&
	    !err.unsupported)
		read_warn(R, &err, label);
}

static enum err
keep_key(struct reader *R, const char *start, const char *value,
    size_t len, const char *label)
{
	const char		*end = R->doc->text + R->doc->len;
	struct toml_table	*t = R->in_root ? R->doc->root : R->table;
	struct toml_key		 key;
	struct toml_value	 v;
	struct toml_parse_error	 err;
	size_t			 used;
	enum err		 e;

	if ((size_t)(value + len - start) > BOUND_CONFIG_LINE)
		return read_failx(R, ERR_TOO_BIG, start, "%s: line too long "
		    "(%zu bytes with its continuation lines, at most %d)",
		    label, (size_t)(value + len - start), BOUND_CONFIG_LINE);
	if ((e = toml_parse_key(R->a, start, (size_t)(end - start), &used, &key,
	    &err)) != ERR_OK ||
	    (e = toml_parse_value(R->a, value, len, &v, &err)) != ERR_OK ||
	    (e = toml_parse_table_put(R->a, t, &key, &v, &err)) != ERR_OK)
		return read_fail(R, e, &err, label);
	if (R->opts->memory_max > 0 && arena_used(R->a) > R->opts->memory_max)
		return read_failx(R, ERR_TOO_BIG, start, "the [%s] tables are "
		    "too large (over %zu bytes once parsed)", R->in_root ?
		    key.parts[0] : R->top, R->opts->memory_max);
	return ERR_OK;
}

/* A key = value line, with the lines its value spans. */
static enum err
read_key(struct reader *R, const char *start)
{
	const char		*end = R->doc->text + R->doc->len, *p = start;
	const char		*label;
	struct toml_key		 key;
	struct toml_parse_error	 err;
	size_t			 used, vend = 0;
	int			 kept;
	enum err		 e;

	if ((e = toml_parse_key(R->scratch, p, (size_t)(end - p), &used, &key,
	    &err)) != ERR_OK) {
		/* At the root, a broken key may be anybody's. */
		if (R->in_root ? R->opts->keep == NULL : R->keeping)
			return read_fail(R, e, &err, NULL);
		read_warn(R, &err, NULL);
		advance_past(R, start);
		return ERR_OK;
	}
	label = key_label(R->scratch, &key);
	kept = R->in_root ? keeps(R, key.parts[0]) : R->keeping;
	p += used;
	if (p >= end || *p != '=') {
		memset(&err, 0, sizeof(err));
		err.at = p;
		snprintf(err.reason, sizeof(err.reason), "expected '=' after "
		    "the key. Write key = value");
		if (kept)
			return read_fail(R, ERR_INPUT, &err, label);
		read_warn(R, &err, label);
		advance_past(R, p);
		return ERR_OK;
	}
	p++;
	while (p < end && is_blank(*p))
		p++;
	if ((e = toml_parse_extent(p, (size_t)(end - p), &vend, &err)) != ERR_OK) {
		if (kept || !err.local)
			return read_fail(R, e, &err, label);
		read_warn(R, &err, label);
		advance_past(R, p);
		return ERR_OK;
	}
	advance_past(R, p + vend);
	if (!kept) {
		check_unkept(R, label, p, vend);
		return ERR_OK;
	}
	return keep_key(R, start, p, vend, label);
}

static enum err
read_lines(struct reader *R)
{
	const char	*text = R->doc->text, *end = text + R->doc->len, *p;
	enum err	 e;

	if (R->doc->len >= 3 && memcmp(text, UTF8_BOM, 3) == 0)
		R->pos = 3;
	while (R->pos < R->doc->len) {
		arena_reset(R->scratch);
		p = text + R->pos;
		while (p < end && is_blank(*p))
			p++;
		if (p == end || *p == '\n' || *p == '#' || (*p == '\r' &&
		    p + 1 < end && p[1] == '\n')) {
			advance_past(R, p);
			continue;
		}
		e = *p == '[' ? read_header(R, p) : read_key(R, p);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err
toml_read(struct arena *a, const char *path, const char *text, size_t len,
    const struct toml_read_opts *opts, struct toml_doc **out)
{
	static const struct toml_read_opts	 keep_all;
	struct reader				 R;
	const char				*nul;
	enum err				 e;

	*out = NULL;
	memset(&R, 0, sizeof(R));
	R.opts = opts != NULL ? opts : &keep_all;
	R.a = a;
	R.doc = arena_alloc(a, sizeof(*R.doc));
	R.doc->path = arena_strdup(a, path);
	R.doc->text = text;
	R.doc->len = len;
	R.doc->root = toml_parse_table_new(a, text);
	R.in_root = 1;
	R.keeping = 1;
	if ((nul = memchr(text, '\0', len)) != NULL)
		return read_failx(&R, ERR_INPUT, nul, "a NUL byte in the "
		    "file; it must be UTF-8 text");
	R.scratch = arena_new();
	e = read_lines(&R);
	arena_free(R.scratch);
	if (e != ERR_OK)
		return e;
	*out = R.doc;
	return ERR_OK;
}

enum err
toml_value_parse(struct arena *a, const char *s, size_t len,
    struct toml_value *out)
{
	struct toml_parse_error	err;
	enum err		e;

	if ((e = toml_parse_value(a, s, len, out, &err)) != ERR_OK)
		err_reason("%s (column %d)", err.reason, err.at != NULL ?
		    (int)(err.at - s) + 1 : 0);
	return e;
}

const struct toml_member *
toml_table_get(const struct toml_table *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->members[i]->key, key) == 0)
			return t->members[i];
	return NULL;
}

const char *
toml_type_name(enum toml_type type)
{
	switch (type) {
	case TOML_STRING:
		return "string";
	case TOML_INTEGER:
		return "integer";
	case TOML_BOOLEAN:
		return "boolean";
	case TOML_ARRAY:
		return "array";
	case TOML_TABLE:
		return "table";
	}
	return "value";
}

