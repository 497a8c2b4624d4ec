/*
 * Every configuration key: its table (scope, type, bounds, default,
 * help), the checks a value must pass and where it is kept.  Parsing,
 * defaults, the "did you mean" of error messages, --help and the man
 * page check all come from the one table in cfg_keys.c.
 *
 * Internal to the configuration reader (lib/cfg*.c).
 */
#ifndef CFG_KEYS_H
#define CFG_KEYS_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

struct arena;
struct cfg_loader;
struct cfg_target;
struct toml_member;
struct toml_value;

/* More than the table holds: a flag per key in struct cfg_target. */
#define CFG_KEYS_MAX	64

/* Where a key may be written. */
#define CFG_K_GLOBAL	0x1	/* [auth] */
#define CFG_K_PROVIDER	0x2	/* [auth.NAME], and [auth] for "default" */
#define CFG_K_REQUIRED	0x4	/* for the help text; checked when finishing */
#define CFG_K_FOLD	0x8	/* list items kept in lower case */

enum cfg_ktype {
	CFG_KT_STRING,
	CFG_KT_INT,
	CFG_KT_BOOL,
	CFG_KT_LIST,		/* a string or an array of strings */
	CFG_KT_TABLE,
	CFG_KT_ENUM,		/* a string, one of names[] */
};

/* Says what is wrong with a value (arena text), or NULL when it is good. */
typedef const char *(*cfg_check_fn)(struct arena *,
		    const struct toml_value *);

struct cfg_kdef;
typedef enum err (*cfg_set_fn)(struct cfg_loader *, struct cfg_target *,
		    const struct cfg_kdef *, const struct toml_value *);

struct cfg_kdef {
	const char		*name;
	unsigned		 where;		/* CFG_K_* */
	enum cfg_ktype		 type;
	long long		 min, max;	/* CFG_KT_INT */
	size_t			 goff;		/* field in struct cfg */
	size_t			 poff;		/* field in struct cfg_provider */
	const char *const	*names;		/* CFG_KT_ENUM, by value */
	size_t			 nnames;
	const char		*def;		/* default as TOML text */
	const char		*def_doc;	/* the default in words */
	const char		*help;
	cfg_check_fn		 check;		/* of the value, or of each item */
	cfg_set_fn		 set;		/* NULL: by type, into the field */
};

/* Returns the key named name, or NULL. */
const struct cfg_kdef *cfg_keys_find(const char *name);

/*
 * Returns the known key (of the scopes in where) that name is a likely
 * misspelling of, or NULL: same letters in another case or without
 * '_' and '-', or one or two edits away.
 */
const char	*cfg_keys_near(const char *name, unsigned where);

/*
 * Returns 1 when name is an authorization parameter written outside
 * client_kwargs (scope, prompt, ...).
 */
int		 cfg_keys_is_auth_param(const char *name);

/* Checks m's value against its key's type and rules and applies it to t. */
enum err	cfg_keys_apply(struct cfg_loader *, struct cfg_target *t,
		    const struct toml_member *m);

/* Gives every key of scope where that t has not set its default. */
enum err	cfg_keys_defaults(struct cfg_loader *, struct cfg_target *t,
		    unsigned where);

/* Returns where in the file t set the key named name, or NULL. */
const char	*cfg_keys_seen(const struct cfg_target *t, const char *name);

/* Replaces *dst with a copy of s (the cfg's, freed by cfg_free). */
enum err	cfg_keys_keep(struct cfg_loader *, char **dst, const char *s);

/* Returns s in ASCII lower case (arena). */
char		*cfg_keys_lower(struct arena *, const char *s);

/* Writes the help text of every key (--help, the docs). */
void		cfg_keys_print(FILE *);

#endif /* CFG_KEYS_H */
