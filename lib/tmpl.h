/*
 * Page templates: a small Mustache subset that escapes every value.
 *
 *	{{name}}		the value, HTML-escaped (& < > " ')
 *	{{#name}}...{{/name}}	once per item of a list; once for a
 *				non-empty string or true; else never
 *	{{^name}}...{{/name}}	once when name is absent, empty, false
 *				or an empty list; else never
 *	{{! comment }}		nothing
 *
 * There is no raw insertion at all ({{{x}}} and {{&x}} are compile
 * errors), so a template cannot forget to escape.  Names are 1 to
 * BOUND_TEMPLATE_NAME of [a-z0-9_], optionally padded with blanks
 * inside the braces; sections nest at most BOUND_TEMPLATE_DEPTH deep.
 * Inside a list item, names are looked up in the item first, then in
 * the enclosing contexts.  An unknown name renders as nothing; a bool
 * or a list used as {{name}} renders as nothing too.  A section tag,
 * comment or closing tag alone on its line takes the line with it, so
 * the HTML comes out without stray blank lines.
 *
 * A template is compiled once per process into a token array; a
 * render walks that array against an arena-allocated context.
 */
#ifndef TMPL_H
#define TMPL_H

#include <stddef.h>

#include "err.h"

struct arena;
struct buf;

struct tmpl;
struct tmpl_ctx;

/*
 * Compiles len bytes of text into *out, owned by the caller (free with
 * tmpl_free); name (e.g. "choose.html") is kept for messages.  Returns
 * ERR_CONFIG for bad syntax, ERR_TOO_BIG over BOUND_TEMPLATE_FILE, or
 * ERR_NOMEM, with the reason "name:line: what is wrong" recorded
 * (err_reason).
 */
enum err	 tmpl_compile(const char *text, size_t len, const char *name,
		    struct tmpl **out);

/*
 * Reads dir/file (dir NULL means the installed TEMPLATE_DIR) with
 * file_read and compiles it like tmpl_compile; the result is the
 * caller's.  Returns what file_read returns when the file cannot be
 * read (ERR_SYSTEM, ERR_TOO_BIG), with the reason recorded.
 */
enum err	 tmpl_load(const char *dir, const char *file,
		    struct tmpl **out);

/* Releases a compiled template; accepts NULL. */
void		 tmpl_free(struct tmpl *);

/* Returns a new, empty render context owned by the arena. */
struct tmpl_ctx	*tmpl_ctx_new(struct arena *);

/*
 * Sets name to a string, replacing any earlier value.  The name is
 * copied; the value is not and must outlive the render (arena memory
 * or a literal).  NULL is the empty string.
 */
void		 tmpl_set(struct tmpl_ctx *, const char *name,
		    const char *value);

/* Sets name to true (non-zero) or false, replacing any earlier value. */
void		 tmpl_set_bool(struct tmpl_ctx *, const char *name, int value);

/*
 * Makes name a list (an empty one when it was not a list) and
 * appends an item; returns the item's context, owned by the arena.
 */
struct tmpl_ctx	*tmpl_add_item(struct tmpl_ctx *, const char *list_name);

/*
 * Renders the template with ctx (NULL renders every name as absent)
 * by appending to out, a capped buffer; returns ERR_TOO_BIG past its
 * cap, leaving a partial page in out.
 */
enum err	 tmpl_render(const struct tmpl *, const struct tmpl_ctx *,
		    struct buf *out);

#endif /* TMPL_H */
