#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "err.h"
#include "num.h"
#include "toml.h"
#include "toml_parse.h"

/* Decimal digits of LLONG_MIN, plus its sign. */
#define INT_TEXT_MAX	20

struct cursor {
	struct arena		*a;
	const char		*s;	/* the next byte */
	const char		*end;
	struct toml_parse_error	*err;
	int			 depth;	/* open arrays and inline tables */
};

static enum err	parse_value(struct cursor *, struct toml_value *);

static void
clear_error(struct toml_parse_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}

/* Keeps the first failure's place and words; later ones follow from it. */
static void __attribute__((format(printf, 4, 0)))
record(struct toml_parse_error *err, const char *at, const char *prev,
    const char *fmt, va_list ap)
{
	if (err == NULL || err->reason[0] != '\0')
		return;
	err->at = at;
	err->prev = prev;
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
}

/* Records the first failure; later ones only follow from it. */
static enum err __attribute__((format(printf, 4, 5)))
fail(struct toml_parse_error *err, enum err e, const char *at, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	record(err, at, NULL, fmt, ap);
	va_end(ap);
	return e;
}

/* A type TOML has and we do not read: not a syntax error. */
static enum err
unsupported(struct cursor *c, const char *at, const char *what)
{
	enum err	e = fail(c->err, ERR_INPUT, at, "unsupported value type: %s",
			    what);

	if (c->err != NULL && c->err->at == at)
		c->err->unsupported = 1;
	return e;
}

static int
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static int
is_bare_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* Bytes that may make up a number, boolean, date or a mistyped word. */
static int
is_token_char(char ch)
{
	return is_bare_key_char(ch) || ch == '+' || ch == '.' || ch == ':';
}

static int
is_control(unsigned char ch)
{
	return (ch < 0x20 && ch != '\t') || ch == 0x7f;
}

static size_t
left(const struct cursor *c)
{
	return (size_t)(c->end - c->s);
}

static int
looking_at(const struct cursor *c, const char *word)
{
	size_t	n = strlen(word);

	return left(c) >= n && memcmp(c->s, word, n) == 0;
}

static void
skip_blanks(struct cursor *c)
{
	while (c->s < c->end && is_blank(*c->s))
		c->s++;
}

/* Returns 1 and steps over a LF or CRLF at the cursor, else 0. */
static int
take_newline(struct cursor *c)
{
	if (looking_at(c, "\n")) {
		c->s++;
		return 1;
	}
	if (looking_at(c, "\r\n")) {
		c->s += 2;
		return 1;
	}
	return 0;
}

static void
skip_comment(struct cursor *c)
{
	if (c->s < c->end && *c->s == '#')
		while (c->s < c->end && *c->s != '\n')
			c->s++;
}

/* Inside arrays and inline tables: blanks, newlines and comments. */
static void
skip_gap(struct cursor *c)
{
	for (;;) {
		skip_blanks(c);
		skip_comment(c);
		if (!take_newline(c))
			return;
	}
}

/*
 * Returns the length of the well-formed UTF-8 sequence at s (1 to 4),
 * or 0 for an invalid, overlong or surrogate one or a code point past
 * U+10FFFF.
 */
static size_t
utf8_length(const unsigned char *s, size_t avail)
{
	unsigned long	cp;
	size_t		n, i;

	if (avail == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static enum err
put_utf8(struct buf *b, unsigned long cp)
{
	char	u[4];
	size_t	n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_append(b, u, n);
}

/* \uXXXX or \UXXXXXXXX, the cursor on the u or U. */
static enum err
take_unicode_escape(struct cursor *c, struct buf *b)
{
	const char	*esc = c->s - 1;
	unsigned long	 cp = 0;
	size_t		 ndigits = *c->s == 'u' ? 4 : 8, i;

	c->s++;
	if (left(c) < ndigits)
		return fail(c->err, ERR_INPUT, esc,
		    "\\%c needs %zu hexadecimal digits", esc[1], ndigits);
	for (i = 0; i < ndigits; i++) {
		unsigned	d;

		if (!num_hex_digit((unsigned char)c->s[i], &d))
			return fail(c->err, ERR_INPUT, esc,
			    "\\%c needs %zu hexadecimal digits", esc[1],
			    ndigits);
		cp = (cp << 4) | d;
	}
	c->s += ndigits;
	if (cp == 0)
		return fail(c->err, ERR_INPUT, esc,
		    "a NUL character (\\u0000) is not allowed");
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return fail(c->err, ERR_INPUT, esc,
		    "a \\%c escape that is not a Unicode scalar value",
		    esc[1]);
	return put_utf8(b, cp);
}

/* In a multi-line string, "\" at a line's end eats the break and blanks. */
static int
take_line_ending_backslash(struct cursor *c)
{
	const char	*p = c->s;

	while (p < c->end && is_blank(*p))
		p++;
	if (p < c->end && *p == '\r')
		p++;
	if (p >= c->end || *p != '\n')
		return 0;
	c->s = p;
	for (;;) {
		skip_blanks(c);
		if (!take_newline(c))
			return 1;
	}
}

/* The cursor is on the byte after the backslash. */
static enum err
take_escape(struct cursor *c, struct buf *b, int multi)
{
	char	ch;

	if (c->s >= c->end)
		return fail(c->err, ERR_INPUT, c->s - 1,
		    "backslash at the end of the value");
	if (multi && take_line_ending_backslash(c))
		return ERR_OK;
	switch (ch = *c->s) {
	case 'b': ch = '\b'; break;
	case 't': ch = '\t'; break;
	case 'n': ch = '\n'; break;
	case 'f': ch = '\f'; break;
	case 'r': ch = '\r'; break;
	case '"': break;
	case '\\': break;
	case 'u':
	case 'U':
		return take_unicode_escape(c, b);
	default:
		if (is_control((unsigned char)ch) || (unsigned char)ch >= 0x80)
			return fail(c->err, ERR_INPUT, c->s - 1,
			    "invalid escape: a backslash before a control "
			    "character or a non-ASCII byte");
		return fail(c->err, ERR_INPUT, c->s - 1,
		    "invalid escape; the escapes are \\b \\t \\n \\f \\r "
		    "\\\" \\\\ \\uXXXX \\UXXXXXXXX");
	}
	c->s++;
	return buf_putc(b, ch);
}

/*
 * One character of string content that is not a quote or an escape:
 * a newline only in a multi-line string, no other control character,
 * only valid UTF-8.
 */
static enum err
take_raw_char(struct cursor *c, struct buf *b, int multi)
{
	unsigned char	ch = (unsigned char)*c->s;
	size_t		n;

	if (ch == '\n' || looking_at(c, "\r\n")) {
		if (!multi)
			return fail(c->err, ERR_INPUT, c->s,
			    "line break inside a string (use \"\"\" or ''' "
			    "for a multi-line string, or \\n)");
		take_newline(c);
		return buf_putc(b, '\n');
	}
	if (is_control(ch))
		return fail(c->err, ERR_INPUT, c->s,
		    "a raw control character in a string (write it as an "
		    "escape such as \\t or \\u0001)");
	if ((n = utf8_length((const unsigned char *)c->s, left(c))) == 0)
		return fail(c->err, ERR_INPUT, c->s,
		    "invalid UTF-8 in a string");
	c->s += n;
	return buf_append(b, c->s - n, n);
}

/*
 * At a run of closing quotes in a multi-line string: up to two quotes
 * right before the closing three belong to the content.  Returns 1
 * when the string ended.
 */
static int
take_quote_run(struct cursor *c, struct buf *b, char quote, enum err *e)
{
	size_t	k = 0;

	while (k < left(c) && c->s[k] == quote)
		k++;
	if (k < 3) {
		*e = buf_append(b, c->s, k);
		c->s += k;
		return 0;
	}
	if (k > 5) {
		*e = fail(c->err, ERR_INPUT, c->s,
		    "too many quotes in a row in a multi-line string");
		return 1;
	}
	*e = buf_append(b, c->s, k - 3);
	c->s += k;
	return 1;
}

/* A basic ("...", """...""") or literal ('...', '''...''') string. */
static enum err
parse_string(struct cursor *c, char quote, struct toml_value *v)
{
	const char	*start = c->s;
	const char	 triple[4] = { quote, quote, quote, '\0' };
	int		 multi = looking_at(c, triple);
	struct buf	 b;
	enum err	 e = ERR_OK;

	buf_init(&b, c->a, BOUND_CONFIG_LINE);
	c->s += multi ? 3 : 1;
	if (multi)
		take_newline(c);
	for (;;) {
		if (c->s >= c->end)
			return fail(c->err, ERR_INPUT, start,
			    "unterminated string");
		if (*c->s == quote && multi) {
			if (take_quote_run(c, &b, quote, &e))
				break;
		} else if (*c->s == quote) {
			c->s++;
			break;
		} else if (*c->s == '\\' && quote == '"') {
			c->s++;
			e = take_escape(c, &b, multi);
		} else
			e = take_raw_char(c, &b, multi);
		if (e != ERR_OK)
			return fail(c->err, e, c->s, "string too long");
	}
	if (e != ERR_OK)
		return e;
	v->type = TOML_STRING;
	v->str = b.data;
	v->len = b.len;
	return ERR_OK;
}

/* Copies the digits of a decimal integer, checking its underscores. */
static enum err
integer_digits(struct cursor *c, const char *tok, size_t n, char *out,
    size_t *outlen)
{
	size_t	i = 0, o = 0;

	if (tok[0] == '-')
		out[o++] = '-';
	if (tok[0] == '-' || tok[0] == '+')
		i++;
	if (i == n)
		return fail(c->err, ERR_INPUT, tok, "a sign without digits");
	if (tok[i] == '0' && n - i > 1)
		return fail(c->err, ERR_INPUT, tok,
		    "leading zeros are not allowed in an integer");
	for (; i < n; i++) {
		if (tok[i] == '_') {
			if (i == 0 || i + 1 == n || tok[i - 1] < '0' ||
			    tok[i - 1] > '9' || tok[i + 1] < '0' ||
			    tok[i + 1] > '9')
				return fail(c->err, ERR_INPUT, tok + i,
				    "an underscore in an integer must sit "
				    "between two digits");
			continue;
		}
		if (o == INT_TEXT_MAX)
			return fail(c->err, ERR_INPUT, tok,
			    "integer out of range");
		out[o++] = tok[i];
	}
	*outlen = o;
	return ERR_OK;
}

static int
only_chars(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (strchr(set, s[i]) == NULL)
			return 0;
	return 1;
}

static int
is_integer_shaped(const char *tok, size_t n)
{
	size_t	i = tok[0] == '+' || tok[0] == '-';

	return n > 0 && only_chars(tok + i, n - i, "0123456789_");
}

static int
is_date_shaped(const char *tok, size_t n)
{
	return n >= 5 && tok[0] >= '0' && tok[0] <= '9' &&
	    (tok[4] == '-' || tok[2] == ':');
}

static int
is_float_shaped(const char *tok, size_t n)
{
	size_t	i = tok[0] == '+' || tok[0] == '-';

	if (n - i == 3 && (memcmp(tok + i, "inf", 3) == 0 ||
	    memcmp(tok + i, "nan", 3) == 0))
		return 1;
	return i < n && tok[i] >= '0' && tok[i] <= '9' &&
	    only_chars(tok, n, "0123456789_+-.eE") &&
	    (memchr(tok, '.', n) != NULL || memchr(tok, 'e', n) != NULL ||
	    memchr(tok, 'E', n) != NULL);
}

/* Booleans, integers, and the number-like types we refuse by name. */
static enum err
parse_bare(struct cursor *c, struct toml_value *v)
{
	const char	*tok = c->s;
	char		 digits[INT_TEXT_MAX + 1];
	size_t		 n, ndigits = 0;
	enum err	 e;

	while (c->s < c->end && is_token_char(*c->s))
		c->s++;
	if ((n = (size_t)(c->s - tok)) == 0)
		return fail(c->err, ERR_INPUT, tok, "expected a value");
	if ((n == 4 && memcmp(tok, "true", 4) == 0) ||
	    (n == 5 && memcmp(tok, "false", 5) == 0)) {
		v->type = TOML_BOOLEAN;
		v->boolean = n == 4;
		return ERR_OK;
	}
	if (is_date_shaped(tok, n))
		return unsupported(c, tok, "dates and times (quote it)");
	if (is_integer_shaped(tok, n)) {
		if ((e = integer_digits(c, tok, n, digits, &ndigits)) != ERR_OK)
			return e;
		if (num_parse(digits, ndigits, LLONG_MIN, LLONG_MAX,
		    &v->integer) != ERR_OK)
			return fail(c->err, ERR_INPUT, tok,
			    "integer out of range or malformed");
		v->type = TOML_INTEGER;
		return ERR_OK;
	}
	if (n > 2 && tok[0] == '0' && strchr("xob", tok[1]) != NULL)
		return unsupported(c, tok, "hexadecimal, octal and binary "
		    "integers (write it in decimal)");
	if (is_float_shaped(tok, n))
		return unsupported(c, tok, "floating-point numbers");
	if ((tok[0] >= 'a' && tok[0] <= 'z') || (tok[0] >= 'A' &&
	    tok[0] <= 'Z'))
		return fail(c->err, ERR_INPUT, tok,
		    "a bare word is not a value: put text in quotes");
	return fail(c->err, ERR_INPUT, tok, "invalid value");
}

static enum err
enter(struct cursor *c, const char *at)
{
	if (c->depth >= BOUND_CONFIG_DEPTH)
		return fail(c->err, ERR_TOO_BIG, at,
		    "arrays and tables nested deeper than %d",
		    BOUND_CONFIG_DEPTH);
	c->depth++;
	return ERR_OK;
}

/* What a sequence ([...] or {...}) is made of, for the shared reader. */
struct sequence {
	char		 close;		/* ']' or '}' */
	const char	*what;		/* "array", "inline table" */
	enum err	(*entry)(struct cursor *, void *);
	void		*ctx;
};

/*
 * Reads entries separated by commas up to the closing bracket; blanks,
 * newlines, comments and a trailing comma are allowed, as in TOML 1.1.
 */
static enum err
parse_sequence(struct cursor *c, const struct sequence *q)
{
	const char	*start = c->s;
	size_t		 n = 0;
	enum err	 e;

	if ((e = enter(c, start)) != ERR_OK)
		return e;
	c->s++;
	for (;;) {
		skip_gap(c);
		if (c->s >= c->end)
			return fail(c->err, ERR_INPUT, start, "unterminated "
			    "%s: '%c' missing", q->what, q->close);
		if (*c->s == q->close)
			break;
		if (n == BOUND_CONFIG_LIST)
			return fail(c->err, ERR_TOO_BIG, c->s, "more than %d "
			    "entries in an %s", BOUND_CONFIG_LIST, q->what);
		if ((e = q->entry(c, q->ctx)) != ERR_OK)
			return e;
		n++;
		skip_gap(c);
		if (c->s < c->end && *c->s == ',') {
			c->s++;
			continue;
		}
		if (c->s < c->end && *c->s == q->close)
			break;
		if (c->s >= c->end)
			return fail(c->err, ERR_INPUT, start, "unterminated "
			    "%s: '%c' missing", q->what, q->close);
		return fail(c->err, ERR_INPUT, c->s, "expected ',' or '%c' in "
		    "an %s", q->close, q->what);
	}
	c->s++;
	c->depth--;
	return ERR_OK;
}

/* One item of an array: appended to the array value. */
static enum err
parse_array_item(struct cursor *c, void *ctx)
{
	struct toml_value	*v = ctx;
	enum err		 e;

	v->items = arena_grow(c->a, v->items, v->nitems * sizeof(*v->items),
	    (v->nitems + 1) * sizeof(*v->items));
	if ((e = parse_value(c, &v->items[v->nitems])) != ERR_OK)
		return e;
	v->nitems++;
	return ERR_OK;
}

static enum err
parse_array(struct cursor *c, struct toml_value *v)
{
	struct sequence	q = { ']', "array", parse_array_item, v };

	v->type = TOML_ARRAY;
	v->items = NULL;
	v->nitems = 0;
	return parse_sequence(c, &q);
}

/* One "key = value" of an inline table. */
static enum err
parse_table_entry(struct cursor *c, void *ctx)
{
	struct toml_table	*t = ctx;
	struct toml_key		 key;
	struct toml_value	 member;
	size_t			 used;
	enum err		 e;

	if ((e = toml_parse_key(c->a, c->s, left(c), &used, &key,
	    c->err)) != ERR_OK)
		return e;
	c->s += used;
	if (c->s >= c->end || *c->s != '=')
		return fail(c->err, ERR_INPUT, c->s,
		    "expected '=' after a key in an inline table");
	c->s++;
	skip_blanks(c);
	memset(&member, 0, sizeof(member));
	if ((e = parse_value(c, &member)) != ERR_OK)
		return e;
	return toml_parse_table_put(c->a, t, &key, &member, c->err);
}

static enum err
parse_inline_table(struct cursor *c, struct toml_value *v)
{
	struct toml_table	*t = toml_parse_table_new(c->a, c->s);
	struct sequence		 q = { '}', "inline table", parse_table_entry,
				    t };
	enum err		 e;

	if ((e = parse_sequence(c, &q)) != ERR_OK)
		return e;
	t->how |= TOML_TABLE_INLINE;
	v->type = TOML_TABLE;
	v->table = t;
	return ERR_OK;
}

static enum err
parse_value(struct cursor *c, struct toml_value *v)
{
	memset(v, 0, sizeof(*v));
	v->at = c->s;
	if (c->s >= c->end || *c->s == '#' || *c->s == '\n' ||
	    looking_at(c, "\r\n"))
		return fail(c->err, ERR_INPUT, c->s, "missing value");
	switch (*c->s) {
	case '"':
	case '\'':
		return parse_string(c, *c->s, v);
	case '[':
		return parse_array(c, v);
	case '{':
		return parse_inline_table(c, v);
	default:
		return parse_bare(c, v);
	}
}

/* Parses one value and what may follow it on its line. */
enum err
toml_parse_value(struct arena *a, const char *s, size_t len,
    struct toml_value *out, struct toml_parse_error *err)
{
	struct cursor	c = { a, s, s + len, err, 0 };
	enum err	e;

	clear_error(err);
	if (len > BOUND_CONFIG_LINE)
		return fail(err, ERR_TOO_BIG, s, "value longer than %d bytes",
		    BOUND_CONFIG_LINE);
	skip_blanks(&c);
	if ((e = parse_value(&c, out)) != ERR_OK)
		return e;
	skip_blanks(&c);
	skip_comment(&c);
	if (looking_at(&c, "\r") && left(&c) == 1)
		c.s++;
	if (c.s != c.end)
		return fail(err, ERR_INPUT, c.s,
		    "unexpected text after the value (a comment starts "
		    "with #)");
	return ERR_OK;
}

static enum err
take_key_part(struct cursor *c, char **part)
{
	struct toml_value	v;
	const char		*start = c->s;
	enum err		e;

	if (c->s < c->end && (*c->s == '"' || *c->s == '\'')) {
		if (looking_at(c, "\"\"\"") || looking_at(c, "'''"))
			return fail(c->err, ERR_INPUT, c->s,
			    "a key cannot be a multi-line string");
		if ((e = parse_string(c, *c->s, &v)) != ERR_OK)
			return e;
		*part = v.str;
		return ERR_OK;
	}
	while (c->s < c->end && is_bare_key_char(*c->s))
		c->s++;
	if (c->s == start)
		return fail(c->err, ERR_INPUT, start, c->s < c->end &&
		    *c->s == '=' ? "missing key before '='" :
		    "expected a key (letters, digits, '_' and '-', or a "
		    "quoted string)");
	*part = arena_strndup(c->a, start, (size_t)(c->s - start));
	return ERR_OK;
}

enum err
toml_parse_key(struct arena *a, const char *s, size_t len, size_t *used,
    struct toml_key *out, struct toml_parse_error *err)
{
	struct cursor	c = { a, s, s + len, err, 0 };
	enum err	e;

	clear_error(err);
	memset(out, 0, sizeof(*out));
	for (;;) {
		skip_blanks(&c);
		if (out->n == BOUND_CONFIG_DEPTH)
			return fail(err, ERR_TOO_BIG, c.s,
			    "a dotted key of more than %d parts",
			    BOUND_CONFIG_DEPTH);
		out->parts = arena_grow(a, out->parts,
		    out->n * sizeof(*out->parts),
		    (out->n + 1) * sizeof(*out->parts));
		out->at = arena_grow(a, out->at, out->n * sizeof(*out->at),
		    (out->n + 1) * sizeof(*out->at));
		out->at[out->n] = c.s;
		if ((e = take_key_part(&c, &out->parts[out->n])) != ERR_OK)
			return e;
		out->n++;
		skip_blanks(&c);
		if (c.s < c.end && *c.s == '.') {
			c.s++;
			continue;
		}
		break;
	}
	*used = (size_t)(c.s - s);
	return ERR_OK;
}

/* Returns the offset just past the string that starts at s[i]. */
static enum err
string_extent(const char *s, size_t len, size_t i, size_t *after,
    struct toml_parse_error *err)
{
	char	q = s[i];
	int	multi = len - i >= 3 && s[i + 1] == q && s[i + 2] == q;
	size_t	j = i + (multi ? 3 : 1);

	for (; j < len; j++) {
		if (s[j] == '\\' && q == '"' && j + 1 < len &&
		    (multi || s[j + 1] != '\n')) {
			j++;
			continue;
		}
		if (!multi && s[j] == '\n')
			break;
		if (s[j] != q)
			continue;
		if (!multi) {
			*after = j + 1;
			return ERR_OK;
		}
		if (len - j >= 3 && s[j + 1] == q && s[j + 2] == q) {
			j += 3;
			/* Up to two more quotes still belong to the string. */
			for (int k = 0; k < 2 && j < len && s[j] == q; k++)
				j++;
			*after = j;
			return ERR_OK;
		}
	}
	if (multi)
		return fail(err, ERR_INPUT, s + i,
		    "unterminated multi-line string");
	fail(err, ERR_INPUT, s + i, "unterminated string");
	/* A one-line string cannot hide the next line. */
	if (err != NULL && err->at == s + i)
		err->local = 1;
	return ERR_INPUT;
}

enum err
toml_parse_extent(const char *s, size_t len, size_t *end,
    struct toml_parse_error *err)
{
	const char	*open = NULL;
	size_t		 i = 0, depth = 0;
	enum err	 e;

	clear_error(err);
	while (i < len) {
		switch (s[i]) {
		case '\n':
			if (depth == 0) {
				*end = i;
				return ERR_OK;
			}
			break;
		case '#':
			while (i + 1 < len && s[i + 1] != '\n')
				i++;
			break;
		case '"':
		case '\'':
			if ((e = string_extent(s, len, i, &i, err)) != ERR_OK)
				return e;
			continue;
		case '[':
		case '{':
			if (depth++ == 0)
				open = s + i;
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		}
		i++;
	}
	if (depth > 0)
		return fail(err, ERR_INPUT, open,
		    "unterminated %s: '%c' missing",
		    *open == '[' ? "array" : "inline table",
		    *open == '[' ? ']' : '}');
	*end = len;
	return ERR_OK;
}

struct toml_table *
toml_parse_table_new(struct arena *a, const char *at)
{
	struct toml_table	*t = arena_alloc(a, sizeof(*t));

	t->at = at;
	return t;
}

static struct toml_member *
find_member(struct toml_table *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->members[i]->key, key) == 0)
			return t->members[i];
	return NULL;
}

static enum err
add_member(struct arena *a, struct toml_table *t, const char *key,
    const char *at, const struct toml_value *v, struct toml_member **out,
    struct toml_parse_error *err)
{
	struct toml_member	*m;

	if (t->n == BOUND_CONFIG_KEYS)
		return fail(err, ERR_TOO_BIG, at,
		    "more than %d keys in one table", BOUND_CONFIG_KEYS);
	if (t->n == t->alloc) {
		size_t	grown = t->alloc == 0 ? 8 : t->alloc * 2;

		t->members = arena_grow(a, t->members,
		    t->alloc * sizeof(*t->members),
		    grown * sizeof(*t->members));
		t->alloc = grown;
	}
	m = arena_alloc(a, sizeof(*m));
	m->key = arena_strdup(a, key);
	m->at = at;
	m->value = *v;
	t->members[t->n++] = m;
	if (out != NULL)
		*out = m;
	return ERR_OK;
}

static enum err
add_table(struct arena *a, struct toml_table *t, const char *key,
    const char *at, unsigned how, struct toml_table **out,
    struct toml_parse_error *err)
{
	struct toml_value	v;

	memset(&v, 0, sizeof(v));
	v.type = TOML_TABLE;
	v.at = at;
	v.table = toml_parse_table_new(a, at);
	v.table->how = how;
	*out = v.table;
	return add_member(a, t, key, at, &v, NULL, err);
}

/* Records an error that points at an earlier definition too. */
static enum err __attribute__((format(printf, 4, 5)))
fail_prev(struct toml_parse_error *err, const char *at, const char *prev,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	record(err, at, prev, fmt, ap);
	va_end(ap);
	return ERR_INPUT;
}

/* The table member m names, as a place to add keys or sub-tables to. */
static enum err
member_table(const struct toml_member *m, const char *at,
    struct toml_parse_error *err)
{
	if (m->value.type != TOML_TABLE)
		return fail_prev(err, at, m->at,
		    "'%s' is already set to %s %s, not a table", m->key,
		    m->value.type == TOML_INTEGER ? "an" : "a",
		    toml_type_name(m->value.type));
	if (m->value.table->how & TOML_TABLE_INLINE)
		return fail_prev(err, at, m->at,
		    "table '%s' was given inline ({ ... }) and cannot be "
		    "extended", m->key);
	return ERR_OK;
}

enum err
toml_parse_table_open(struct arena *a, struct toml_table *root,
    const struct toml_key *path, const char *at, struct toml_table **out,
    struct toml_parse_error *err)
{
	struct toml_table	*cur = root;
	struct toml_member	*m;
	enum err		 e;

	clear_error(err);
	for (size_t i = 0; i < path->n; i++) {
		int	last = i + 1 == path->n;

		if ((m = find_member(cur, path->parts[i])) == NULL) {
			if ((e = add_table(a, cur, path->parts[i],
			    path->at[i], last ? TOML_TABLE_HEADER : 0, &cur,
			    err)) != ERR_OK)
				return e;
			continue;
		}
		if ((e = member_table(m, path->at[i], err)) != ERR_OK)
			return e;
		cur = m->value.table;
		if (!last)
			continue;
		if (cur->how & (TOML_TABLE_HEADER | TOML_TABLE_DOTTED))
			return fail_prev(err, at, cur->at,
			    "table '%s' is defined twice", m->key);
		cur->how |= TOML_TABLE_HEADER;
		cur->at = at;
	}
	*out = cur;
	return ERR_OK;
}

enum err
toml_parse_table_put(struct arena *a, struct toml_table *t,
    const struct toml_key *path, const struct toml_value *v,
    struct toml_parse_error *err)
{
	struct toml_table	*cur = t;
	struct toml_member	*m;
	size_t			 last = path->n - 1;
	enum err		 e;

	clear_error(err);
	for (size_t i = 0; i < last; i++) {
		if ((m = find_member(cur, path->parts[i])) == NULL) {
			if ((e = add_table(a, cur, path->parts[i],
			    path->at[i], TOML_TABLE_DOTTED, &cur, err)) !=
			    ERR_OK)
				return e;
			continue;
		}
		if ((e = member_table(m, path->at[i], err)) != ERR_OK)
			return e;
		if (m->value.table->how & TOML_TABLE_HEADER)
			return fail_prev(err, path->at[i], m->value.table->at,
			    "table '%s' has its own [header]; a dotted key "
			    "cannot add to it", m->key);
		cur = m->value.table;
	}
	if ((m = find_member(cur, path->parts[last])) != NULL)
		return fail_prev(err, path->at[last], m->at,
		    "duplicate key '%s'", m->key);
	return add_member(a, cur, path->parts[last], path->at[last], v, NULL,
	    err);
}

