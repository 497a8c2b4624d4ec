/*
 * What loading the configuration has to say: the one error that stops
 * it and the warnings that do not, each naming the file, the line, the
 * section and the key.
 *
 * Internal to the configuration reader (lib/cfg*.c).
 */
#ifndef CFG_DIAG_H
#define CFG_DIAG_H

#include <stddef.h>

#include "err.h"
#include "cfg_keys.h"

struct arena;
struct cfg;
struct cfg_provider;
struct toml_doc;

/* One load of one file. */
struct cfg_loader {
	struct toml_doc		*doc;
	struct arena		*arena;		/* lives until the load ends */
	struct cfg		*cfg;
	int			 failed;	/* the first error is kept */
	enum err		 e;
};

/* A section whose keys are being applied. */
struct cfg_target {
	struct cfg		*cfg;
	struct cfg_provider	*p;		/* NULL: the [auth] globals */
	const char		*section;	/* "auth" or "auth.NAME" */
	const char		*at;		/* where the section starts */
	const char		*seen[CFG_KEYS_MAX]; /* where each key is set */
};

/*
 * Records the load's error (only the first one counts) through
 * err_reason: "FILE:LINE: [section] key: what is wrong. How to fix it";
 * at is the offending place (t->at when NULL); t and key may be NULL.
 * Returns ERR_CONFIG.  Never pass a secret's value.
 */
enum err	cfg_diag_fail(struct cfg_loader *, const struct cfg_target *t,
		    const char *key, const char *at, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));

/* Records that memory ran out; returns ERR_NOMEM. */
enum err	cfg_diag_nomem(struct cfg_loader *);

/* Adds a warning, formatted as cfg_diag_fail, to the cfg's list. */
void		cfg_diag_warn(struct cfg_loader *, const struct cfg_target *t,
		    const char *key, const char *at, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));

/* The TOML reader's warning callback: ctx is the cfg_loader. */
void		cfg_diag_toml_warning(void *ctx, const char *msg);

#endif /* CFG_DIAG_H */
