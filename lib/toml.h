/*
 * The TOML subset a secrets.toml needs: keys, values and the tables
 * they build.
 *
 * Everything here is pure and works on byte ranges of a source text
 * that the caller keeps alive: no I/O, no NUL terminator needed, all
 * memory in an arena.  Positions are pointers into that text, so the
 * caller turns them into file lines and columns.
 *
 * Values: basic and literal strings (also multi-line) decoded to valid
 * UTF-8 without NUL, decimal integers, booleans, arrays and inline
 * tables.  Floats, dates and non-decimal integers are recognised and
 * refused as unsupported.  Arrays and inline tables may span lines and
 * hold comments (the caller joins the lines).
 */
#ifndef TOML_H
#define TOML_H

#include <stddef.h>

#include "err.h"

struct arena;
struct toml_table;

enum toml_type {
	TOML_STRING = 1,
	TOML_INTEGER,
	TOML_BOOLEAN,
	TOML_ARRAY,
	TOML_TABLE,
};

struct toml_value {
	enum toml_type		 type;
	const char		*at;		/* first byte in the source */
	char			*str;		/* STRING: UTF-8, NUL-ended */
	size_t			 len;		/* STRING: bytes before NUL */
	long long		 integer;	/* INTEGER */
	int			 boolean;	/* BOOLEAN: 0 or 1 */
	struct toml_value	*items;		/* ARRAY */
	size_t			 nitems;
	struct toml_table	*table;		/* TABLE */
};

struct toml_member {
	char			*key;		/* one part, decoded */
	const char		*at;		/* where the key is written */
	struct toml_value	 value;
};

/* How a table came to be: TOML forbids defining one twice. */
#define TOML_TABLE_HEADER	0x1	/* by a [header] naming it */
#define TOML_TABLE_DOTTED	0x2	/* by a dotted key a.b = v */
#define TOML_TABLE_INLINE	0x4	/* by { ... }: closed for good */

struct toml_table {
	struct toml_member	**members;	/* in the order written */
	size_t			  n;
	size_t			  alloc;
	const char		 *at;		/* where it was first made */
	unsigned		  how;		/* TOML_TABLE_*; 0: implicit */
};

/* A dotted key: a."b c".d has three parts. */
struct toml_key {
	char		**parts;
	const char	**at;
	size_t		  n;
};

/* Why parsing failed, and where (pointers into the source text). */
struct toml_error {
	const char	*at;		/* the offending byte, or NULL */
	const char	*prev;		/* an earlier definition, or NULL */
	char		 reason[160];
};

/*
 * Parses the dotted key at the start of s (bare, "basic" or 'literal'
 * parts, blanks around the dots) and the blanks after it; *used is the
 * number of bytes consumed.  Memory is the arena's.  Returns ERR_INPUT
 * (err filled) for a malformed key, ERR_TOO_BIG for more than
 * BOUND_CONFIG_DEPTH parts.
 */
enum err	toml_key_parse(struct arena *, const char *s, size_t len,
		    size_t *used, struct toml_key *out, struct toml_error *err);

/*
 * Finds where the value starting at s ends: *end is the offset of the
 * newline that ends its logical line (or len), after any multi-line
 * string, array or inline table and a trailing comment.  Validates
 * nothing else and allocates nothing.  Returns ERR_INPUT for a string,
 * array or table left open.
 */
enum err	toml_value_extent(const char *s, size_t len, size_t *end,
		    struct toml_error *err);

/*
 * Parses the len bytes at s as one value followed by nothing but blanks
 * and a comment.  On success *out (memory in the arena) holds it.
 * Returns ERR_INPUT (err filled, with a precise reason) for bad syntax,
 * an unsupported type or text after the value, ERR_TOO_BIG past
 * BOUND_CONFIG_LIST entries, BOUND_CONFIG_DEPTH nesting or
 * BOUND_CONFIG_LINE bytes.
 */
enum err	toml_value_parse(struct arena *, const char *s, size_t len,
		    struct toml_value *out, struct toml_error *err);

/* Returns a new empty table in the arena; at is where it starts. */
struct toml_table *toml_table_new(struct arena *, const char *at);

/*
 * Applies a [header] naming path below root, as TOML does: makes the
 * missing tables, refuses a table defined twice or a key that is not a
 * table.  *out is the table that the following keys go to (root's).
 */
enum err	toml_table_open(struct arena *, struct toml_table *root,
		    const struct toml_key *path, const char *at,
		    struct toml_table **out, struct toml_error *err);

/*
 * Sets path = v in t, making the tables of a dotted key; refuses a
 * key given twice and a table closed by an earlier definition.  The
 * value is copied (its memory must be the same arena's).  ERR_TOO_BIG
 * past BOUND_CONFIG_KEYS members in one table.
 */
enum err	toml_table_put(struct arena *, struct toml_table *t,
		    const struct toml_key *path, const struct toml_value *v,
		    struct toml_error *err);

/* Returns the member named key of t (owned by t), or NULL. */
const struct toml_member *toml_table_get(const struct toml_table *,
		    const char *key);

/* Returns a static name for a type: "string", "integer", ... */
const char	*toml_type_name(enum toml_type);

#endif /* TOML_H */
