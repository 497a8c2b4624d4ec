/*
 * lib/toml on a whole document, driven the way the configuration
 * reader drives it: [header] lines through toml_key_parse and
 * toml_table_open, key = value lines through toml_key_parse,
 * toml_value_extent, toml_value_parse and toml_table_put.  Error
 * positions must point into the text; the tables built must hold no
 * duplicate key, no over-long list and no string with a NUL inside.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "toml.h"

#include "fuzz.h"

struct doc {
	struct arena		*a;
	const char		*s;
	const char		*end;
	struct toml_table	*root;
	struct toml_table	*cur;
};

static void
check_error(const struct doc *d, const struct toml_error *err)
{
	if (err->reason[0] == '\0' || memchr(err->reason, '\0',
	    sizeof(err->reason)) == NULL)
		abort();
	if (err->at != NULL && (err->at < d->s || err->at > d->end))
		abort();
	if (err->prev != NULL && (err->prev < d->s || err->prev > d->end))
		abort();
}

/*
 * The deepest a value may sit: a [header] and a dotted key of
 * BOUND_CONFIG_DEPTH parts each, then BOUND_CONFIG_DEPTH nested inline
 * tables whose keys may be as dotted.
 */
#define DEPTH_MAX	(2 * BOUND_CONFIG_DEPTH + \
			    BOUND_CONFIG_DEPTH * BOUND_CONFIG_DEPTH)

static void	check_table(const struct toml_table *, int);

static void
check_value(const struct toml_value *v, int depth)
{
	if (depth > DEPTH_MAX)
		abort();
	switch (v->type) {
	case TOML_STRING:
		if (v->str == NULL || v->str[v->len] != '\0' ||
		    strlen(v->str) != v->len)
			abort();
		break;
	case TOML_BOOLEAN:
		if (v->boolean != 0 && v->boolean != 1)
			abort();
		break;
	case TOML_ARRAY:
		if (v->nitems > BOUND_CONFIG_LIST)
			abort();
		for (size_t i = 0; i < v->nitems; i++)
			check_value(&v->items[i], depth + 1);
		break;
	case TOML_TABLE:
		check_table(v->table, depth + 1);
		break;
	case TOML_INTEGER:
		break;
	default:
		abort();
	}
}

static void
check_table(const struct toml_table *t, int depth)
{
	if (t == NULL || t->n > BOUND_CONFIG_KEYS)
		abort();
	for (size_t i = 0; i < t->n; i++) {
		if (toml_table_get(t, t->members[i]->key) != t->members[i])
			abort();
		check_value(&t->members[i]->value, depth);
	}
}

/* Returns the end of the line at p: its newline, or the end of the text. */
static const char *
line_end(const char *p, const char *end)
{
	const char	*nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl : end;
}

/* Parses "[a.b]"; returns where the next line starts, NULL on error. */
static const char *
header(struct doc *d, const char *p)
{
	struct toml_key		key;
	struct toml_error	err;
	size_t			used;

	p++;
	if (p < d->end && *p == '[')
		return NULL;	/* arrays of tables: not for [auth] */
	if (toml_key_parse(d->a, p, (size_t)(d->end - p), &used, &key,
	    &err) != ERR_OK) {
		check_error(d, &err);
		return NULL;
	}
	p += used;
	if (p == d->end || *p != ']')
		return NULL;
	if (toml_table_open(d->a, d->root, &key, p, &d->cur, &err) !=
	    ERR_OK) {
		check_error(d, &err);
		return NULL;
	}
	return line_end(p, d->end);
}

/* Parses "key = value"; returns where the next line starts, NULL on error. */
static const char *
pair(struct doc *d, const char *p)
{
	struct toml_key		key;
	struct toml_value	v;
	struct toml_error	err;
	size_t			used, vlen;

	if (toml_key_parse(d->a, p, (size_t)(d->end - p), &used, &key,
	    &err) != ERR_OK) {
		check_error(d, &err);
		return NULL;
	}
	p += used;
	if (p == d->end || *p != '=')
		return NULL;
	p++;
	if (toml_value_extent(p, (size_t)(d->end - p), &vlen, &err) !=
	    ERR_OK) {
		check_error(d, &err);
		return NULL;
	}
	if (p + vlen > d->end)
		abort();
	if (toml_value_parse(d->a, p, vlen, &v, &err) != ERR_OK ||
	    toml_table_put(d->a, d->cur, &key, &v, &err) != ERR_OK) {
		check_error(d, &err);
		return NULL;
	}
	check_value(&v, 0);
	return p + vlen;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc	 d;
	const char	*p;

	d.a = fuzz_begin();
	d.s = (const char *)data;
	d.end = d.s + size;
	d.root = d.cur = toml_table_new(d.a, d.s);
	for (p = d.s; p != NULL && p < d.end; ) {
		while (p < d.end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p == d.end)
			break;
		if (*p == '\n')
			p++;
		else if (*p == '#')
			p = line_end(p, d.end);
		else if (*p == '[')
			p = header(&d, p);
		else
			p = pair(&d, p);
	}
	check_table(d.root, 0);
	return 0;
}
