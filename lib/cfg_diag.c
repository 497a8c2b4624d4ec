#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "cfg.h"
#include "cfg_diag.h"
#include "toml.h"

static void __attribute__((format(printf, 6, 0)))
format(const struct cfg_loader *L, const struct cfg_target *t,
    const char *key, const char *at, char *out, const char *fmt, va_list ap)
{
	toml_vformat(L->doc, at != NULL ? at : t != NULL ? t->at : NULL,
	    t != NULL ? t->section : NULL, key, out, BOUND_CONFIG_MESSAGE, fmt,
	    ap);
}

enum err
cfg_diag_fail(struct cfg_loader *L, const struct cfg_target *t,
    const char *key, const char *at, const char *fmt, ...)
{
	char	msg[BOUND_CONFIG_MESSAGE];
	va_list	ap;

	if (L->failed)
		return L->e;
	L->failed = 1;
	L->e = ERR_CONFIG;
	va_start(ap, fmt);
	format(L, t, key, at, msg, fmt, ap);
	va_end(ap);
	err_reason("%s", msg);
	return L->e;
}

enum err
cfg_diag_nomem(struct cfg_loader *L)
{
	if (!L->failed)
		err_reason("%s: out of memory", L->cfg != NULL &&
		    L->cfg->path != NULL ? L->cfg->path : "configuration");
	L->failed = 1;
	L->e = ERR_NOMEM;
	return ERR_NOMEM;
}

static void
add_warning(struct cfg_loader *L, const char *msg)
{
	struct cfg_list	*w = &L->cfg->warnings;
	char		**grown;

	if (w->n == BOUND_CONFIG_WARNINGS)
		return;
	if ((grown = reallocarray(w->items, w->n + 1, sizeof(*grown))) ==
	    NULL) {
		cfg_diag_nomem(L);
		return;
	}
	w->items = grown;
	if ((w->items[w->n] = strdup(msg)) == NULL) {
		cfg_diag_nomem(L);
		return;
	}
	w->n++;
}

void
cfg_diag_warn(struct cfg_loader *L, const struct cfg_target *t,
    const char *key, const char *at, const char *fmt, ...)
{
	char	msg[BOUND_CONFIG_MESSAGE];
	va_list	ap;

	va_start(ap, fmt);
	format(L, t, key, at, msg, fmt, ap);
	va_end(ap);
	add_warning(L, msg);
}

void
cfg_diag_toml_warning(void *ctx, const char *msg)
{
	add_warning(ctx, msg);
}
