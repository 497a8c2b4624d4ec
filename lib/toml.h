/*
 * The TOML subset a secrets.toml needs, read in one pass: keys, values
 * and the tables they build.
 *
 * Everything here is pure and works on a source text that the caller
 * keeps alive: no I/O, no NUL terminator needed, all memory in an
 * arena.  Positions are pointers into that text; toml_line and
 * toml_column turn them into the file's lines and columns.
 *
 * Values: basic and literal strings (also multi-line) decoded to valid
 * UTF-8 without NUL, decimal integers, booleans, arrays and inline
 * tables.  Floats, dates and non-decimal integers are recognised and
 * refused as unsupported.  Arrays and inline tables may span lines and
 * hold comments (the caller joins the lines).
 */
#ifndef TOML_H
#define TOML_H

#include <stdarg.h>
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

/* A document read by toml_read: the text stays the caller's. */
struct toml_doc {
	const char		*path;		/* names it in messages */
	const char		*text;
	size_t			 len;
	struct toml_table	*root;
};

/* Says whether the top-level table (or root key) named name is kept. */
typedef int	(*toml_keep_fn)(const char *name);

/* Receives one warning, formatted like an error message. */
typedef void	(*toml_warn_fn)(void *ctx, const char *msg);

struct toml_read_opts {
	toml_keep_fn	 keep;		/* NULL: every table is kept */
	size_t		 memory_max;	/* arena bytes the kept tables may use; 0: any */
	toml_warn_fn	 warn;		/* NULL: warnings are dropped */
	void		*warn_ctx;
};

/*
 * Reads a whole document in one pass (a UTF-8 BOM is skipped) and
 * builds the tree of the kept tables in the arena; *out is the arena's.
 * Lines of other tables are read for their syntax only: a key or value
 * there that is not valid TOML is a warning and the line is skipped,
 * since the program has no use for it, while a broken table header or
 * a string, array or inline table left open is an error (nothing after
 * it could be trusted).  Kept lines are at most BOUND_CONFIG_LINE bytes.
 * Returns ERR_INPUT (or ERR_TOO_BIG past a bound) with err_reason()
 * set to "PATH:LINE: [section] key: what is wrong (column N)".  No
 * message quotes a value: values may be secrets.
 */
enum err	toml_read(struct arena *, const char *path, const char *text,
		    size_t len, const struct toml_read_opts *,
		    struct toml_doc **out);

/* Returns the 1-based line of at in the document, or 0 when outside it. */
int		toml_line(const struct toml_doc *, const char *at);

/* Returns the 1-based column of at in its line, or 0 when outside it. */
int		toml_column(const struct toml_doc *, const char *at);

/*
 * Formats a message about the document into out (always NUL-ended):
 * "PATH:LINE: [section] key: " and then fmt; section, key and at may
 * be NULL.
 */
void		toml_vformat(const struct toml_doc *, const char *at,
		    const char *section, const char *key, char *out,
		    size_t outlen, const char *fmt, va_list ap)
		    __attribute__((format(printf, 7, 0)));

/*
 * Parses the len bytes at s as one value followed by nothing but blanks
 * and a comment.  On success *out (memory in the arena) holds it.
 * Returns ERR_INPUT for bad syntax, an unsupported type or text after
 * the value, ERR_TOO_BIG past BOUND_CONFIG_LIST entries,
 * BOUND_CONFIG_DEPTH nesting or BOUND_CONFIG_LINE bytes; err_reason()
 * says why and at which column.
 */
enum err	toml_value_parse(struct arena *, const char *s, size_t len,
		    struct toml_value *out);

/* Returns the member named key of t (owned by t), or NULL. */
const struct toml_member *toml_table_get(const struct toml_table *,
		    const char *key);

/* Returns a static name for a type: "string", "integer", ... */
const char	*toml_type_name(enum toml_type);

#endif /* TOML_H */
