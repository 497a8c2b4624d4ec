/*
 * The TOML parser under lib/toml.c: one key, one value, the extent of a
 * value over lines, and the tables keys and headers build.  Failures
 * are described in a struct toml_parse_error that only lib/toml.c sees;
 * it turns them into err_reason() messages with the file's lines.
 *
 * Internal to the TOML reader (lib/toml*.c).
 */
#ifndef TOML_PARSE_H
#define TOML_PARSE_H

#include <stddef.h>

#include "err.h"

struct arena;
struct toml_table;
struct toml_value;

/* A dotted key: a."b c".d has three parts. */
struct toml_key {
	char		**parts;
	const char	**at;
	size_t		  n;
};

/* Why parsing failed, and where (pointers into the source text). */
struct toml_parse_error {
	const char	*at;		/* the offending byte, or NULL */
	const char	*prev;		/* an earlier definition, or NULL */
	int		 unsupported;	/* a valid TOML type we do not read */
	int		 local;		/* it ends with its line */
	char		 reason[160];	/* never quotes a value */
};

/*
 * Parses the dotted key at the start of s (bare, "basic" or 'literal'
 * parts, blanks around the dots) and the blanks after it; *used is the
 * number of bytes consumed.  Memory is the arena's.  ERR_INPUT for a
 * malformed key, ERR_TOO_BIG for more than BOUND_CONFIG_DEPTH parts.
 */
enum err	toml_parse_key(struct arena *, const char *s, size_t len,
		    size_t *used, struct toml_key *out,
		    struct toml_parse_error *);

/*
 * Parses the len bytes at s as one value followed by nothing but blanks
 * and a comment (see toml_value_parse).
 */
enum err	toml_parse_value(struct arena *, const char *s, size_t len,
		    struct toml_value *out, struct toml_parse_error *);

/*
 * Finds where the value starting at s ends: *end is the offset of the
 * newline that ends its logical line (or len), after any multi-line
 * string, array or inline table and a trailing comment.  Validates
 * nothing else and allocates nothing.  ERR_INPUT for a string, array or
 * table left open (err->local when only a one-line string is).
 */
enum err	toml_parse_extent(const char *s, size_t len, size_t *end,
		    struct toml_parse_error *);

/* Returns a new empty table in the arena; at is where it starts. */
struct toml_table *toml_parse_table_new(struct arena *, const char *at);

/*
 * Applies a [header] naming path below root, as TOML does: makes the
 * missing tables, refuses a table defined twice or a key that is not a
 * table.  *out is the table that the following keys go to.
 */
enum err	toml_parse_table_open(struct arena *, struct toml_table *root,
		    const struct toml_key *path, const char *at,
		    struct toml_table **out, struct toml_parse_error *);

/*
 * Sets path = v in t, making the tables of a dotted key; refuses a key
 * given twice and a table closed by an earlier definition.  The value
 * is copied (its memory must be the same arena's).  ERR_TOO_BIG past
 * BOUND_CONFIG_KEYS members in one table.
 */
enum err	toml_parse_table_put(struct arena *, struct toml_table *t,
		    const struct toml_key *path, const struct toml_value *v,
		    struct toml_parse_error *);

#endif /* TOML_PARSE_H */
