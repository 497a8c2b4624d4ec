/*
 * lib/toml on a whole document, read as the configuration reader reads
 * it (only [auth] kept) and with every table kept.  A refusal says why;
 * the tables built must hold no duplicate key, no over-long list and no
 * string with a NUL inside; with everything kept there is no warning
 * (every fault is an error then).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "err.h"
#include "toml.h"

#include "fuzz.h"

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

static int
keep(const char *name)
{
	return strcmp(name, "auth") == 0;
}

static size_t	nwarnings;

static void
warned(void *ctx, const char *msg)
{
	if (msg == NULL || strlen(msg) >= BOUND_CONFIG_MESSAGE)
		abort();
	nwarnings++;
}

/* Reads the input as a document, keeping all of it, then only [auth]. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct toml_read_opts	 o = { NULL, BOUND_CONFIG_MEMORY, warned,
				    NULL };
	struct toml_doc		*doc;
	struct arena		*a = fuzz_begin();
	const char		*text = (const char *)data;

	for (int keep_auth = 0; keep_auth < 2; keep_auth++) {
		o.keep = keep_auth ? keep : NULL;
		err_reason_clear();
		nwarnings = 0;
		if (toml_read(a, "fuzz.toml", text, size, &o, &doc) != ERR_OK) {
			if (err_reason_get()[0] == '\0')
				abort();
			continue;
		}
		if (doc->text != text || doc->len != size ||
		    (!keep_auth && nwarnings != 0))
			abort();
		check_table(doc->root, 0);
	}
	return 0;
}
