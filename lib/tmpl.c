#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "err.h"
#include "file.h"
#include "tmpl.h"

#ifndef TEMPLATE_DIR
#define TEMPLATE_DIR	"/usr/local/share/oidc-login/templates"
#endif

/* How much of a bad name a compile message quotes. */
#define TMPL_QUOTE_MAX	40

enum tok_kind {
	TOK_TEXT,
	TOK_VALUE,
	TOK_SECTION,
	TOK_INVERTED,
	TOK_CLOSE
};

struct tok {
	enum tok_kind	 kind;
	const char	*text;		/* TOK_TEXT: into tmpl->text */
	size_t		 len;
	size_t		 end;		/* sections: index of their TOK_CLOSE */
	char		 name[BOUND_TEMPLATE_NAME + 1];
};

struct tmpl {
	char		*name;
	char		*text;
	struct tok	*toks;
	size_t		 ntoks;
	size_t		 alloc;
};

enum val_kind {
	VAL_STRING,
	VAL_BOOL,
	VAL_LIST
};

struct tmpl_val {
	struct tmpl_val	*next;
	const char	*name;
	enum val_kind	 kind;
	const char	*str;
	int		 truth;
	struct tmpl_ctx	*first;		/* list items, in order */
	struct tmpl_ctx	*last;
};

struct tmpl_ctx {
	struct arena	*arena;
	struct tmpl_val	*vals;
	struct tmpl_ctx	*next;		/* the next item of the same list */
};

struct open_section {
	size_t		 tok;
	unsigned	 line;
};

struct parser {
	struct tmpl		*t;
	size_t			 len;
	size_t			 pos;		/* text not yet emitted */
	size_t			 line_pos;	/* where line was counted */
	unsigned		 line;
	struct open_section	 open[BOUND_TEMPLATE_DEPTH];
	size_t			 depth;
};

struct render {
	const struct tmpl	*t;
	struct buf		*out;
	const struct tmpl_ctx	*stack[BOUND_TEMPLATE_DEPTH + 1];
	size_t			 depth;
};

/* --- Compiling. ------------------------------------------------------ */

static enum err
parse_fail(struct parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum err
parse_fail(struct parser *p, unsigned line, const char *fmt, ...)
{
	char	what[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	err_reason("%s:%u: %s", p->t->name, line, what);
	return ERR_CONFIG;
}

/* Returns the line number of pos; positions asked for never go back. */
static unsigned
line_at(struct parser *p, size_t pos)
{
	const char	*nl;

	while (p->line_pos < pos &&
	    (nl = memchr(p->t->text + p->line_pos, '\n',
	    pos - p->line_pos)) != NULL) {
		p->line++;
		p->line_pos = (size_t)(nl - p->t->text) + 1;
	}
	p->line_pos = pos > p->line_pos ? pos : p->line_pos;
	return p->line;
}

/* Copies s for a message, printable ASCII only: a log line stays one. */
static void
quote(char *dst, size_t dstlen, const char *s, size_t len)
{
	size_t	i, n;

	n = len < dstlen - 1 ? len : dstlen - 1;
	for (i = 0; i < n; i++)
		dst[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	dst[n] = '\0';
}

static int
name_ok(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len > BOUND_TEMPLATE_NAME)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static struct tok *
tok_push(struct tmpl *t, enum tok_kind kind)
{
	struct tok	*toks;
	size_t		 grown;

	if (t->ntoks == t->alloc) {
		grown = t->alloc == 0 ? 32 : t->alloc * 2;
		toks = reallocarray(t->toks, grown, sizeof(*toks));
		if (toks == NULL)
			return NULL;
		t->toks = toks;
		t->alloc = grown;
	}
	toks = &t->toks[t->ntoks++];
	memset(toks, 0, sizeof(*toks));
	toks->kind = kind;
	return toks;
}

static enum err
emit_text(struct parser *p, size_t from, size_t to)
{
	struct tok	*tok;

	if (to <= from)
		return ERR_OK;
	if ((tok = tok_push(p->t, TOK_TEXT)) == NULL)
		return ERR_NOMEM;
	tok->text = p->t->text + from;
	tok->len = to - from;
	return ERR_OK;
}

/*
 * A tag alone on its line (blanks aside) is "standalone": the line
 * goes with it.  Sets *bol to the line's start and *next past its
 * newline.
 */
static int
standalone(const struct parser *p, size_t start, size_t end, size_t *bol,
    size_t *next)
{
	const char	*s = p->t->text;
	size_t		 b, i;

	for (b = start; b > p->pos && (s[b - 1] == ' ' || s[b - 1] == '\t');
	    b--)
		continue;
	if (b > 0 && s[b - 1] != '\n')
		return 0;
	for (i = end; i < p->len && (s[i] == ' ' || s[i] == '\t'); i++)
		continue;
	if (i < p->len && s[i] == '\r')
		i++;
	if (i < p->len && s[i] != '\n')
		return 0;
	*bol = b;
	*next = i < p->len ? i + 1 : i;
	return 1;
}

static enum err
open_section(struct parser *p, enum tok_kind kind, const char *name,
    unsigned line)
{
	struct tok	*tok;

	if (p->depth == BOUND_TEMPLATE_DEPTH)
		return parse_fail(p, line,
		    "section '%s' is nested deeper than %d", name,
		    BOUND_TEMPLATE_DEPTH);
	if ((tok = tok_push(p->t, kind)) == NULL)
		return ERR_NOMEM;
	memcpy(tok->name, name, strlen(name) + 1);
	p->open[p->depth].tok = p->t->ntoks - 1;
	p->open[p->depth].line = line;
	p->depth++;
	return ERR_OK;
}

static enum err
close_section(struct parser *p, const char *name, unsigned line)
{
	struct open_section	*o;
	struct tok		*tok;

	if (p->depth == 0)
		return parse_fail(p, line,
		    "'{{/%s}}' closes no open section", name);
	o = &p->open[p->depth - 1];
	if (strcmp(p->t->toks[o->tok].name, name) != 0)
		return parse_fail(p, line,
		    "'{{/%s}}' does not close section '%s' (opened on line %u)",
		    name, p->t->toks[o->tok].name, o->line);
	if ((tok = tok_push(p->t, TOK_CLOSE)) == NULL)
		return ERR_NOMEM;
	memcpy(tok->name, name, strlen(name) + 1);
	p->t->toks[o->tok].end = p->t->ntoks - 1;
	p->depth--;
	return ERR_OK;
}

/* Refuses the Mustache features left out on purpose; 0 for the others. */
static int
refused_sigil(struct parser *p, char sigil, unsigned line, enum err *e)
{
	switch (sigil) {
	case '{':
	case '&':
		*e = parse_fail(p, line, "raw insertion '{{%c' is not "
		    "supported: every value is escaped", sigil);
		return 1;
	case '=':
		*e = parse_fail(p, line,
		    "changing delimiters '{{=' is not supported");
		return 1;
	case '>':
		*e = parse_fail(p, line, "partials '{{>' are not supported");
		return 1;
	default:
		return 0;
	}
}

/* Copies the tag's name, blanks around it dropped, into name. */
static enum err
tag_name(struct parser *p, const char *in, size_t len, unsigned line,
    char name[BOUND_TEMPLATE_NAME + 1])
{
	char	shown[TMPL_QUOTE_MAX + 1];

	while (len > 0 && (in[0] == ' ' || in[0] == '\t')) {
		in++;
		len--;
	}
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	if (!name_ok(in, len)) {
		quote(shown, sizeof(shown), in, len);
		return parse_fail(p, line, "bad name '%s': names are 1 to %d "
		    "of a-z, 0-9 and _", shown, BOUND_TEMPLATE_NAME);
	}
	memcpy(name, in, len);
	name[len] = '\0';
	return ERR_OK;
}

/* Compiles the tag between "{{" at start and "}}" ending at end. */
static enum err
parse_tag(struct parser *p, size_t start, size_t end, unsigned line)
{
	const char	*in = p->t->text + start + 2;
	size_t		 len = end - start - 4, bol, next;
	char		 sigil = len > 0 ? in[0] : '\0';
	char		 name[BOUND_TEMPLATE_NAME + 1];
	struct tok	*tok;
	enum err	 e = ERR_OK;

	if (refused_sigil(p, sigil, line, &e))
		return e;
	if (sigil == '!' || sigil == '#' || sigil == '^' || sigil == '/') {
		in++;
		len--;
	} else
		sigil = '\0';
	if (sigil != '!' && (e = tag_name(p, in, len, line, name)) != ERR_OK)
		return e;
	if (sigil == '\0' || !standalone(p, start, end, &bol, &next)) {
		bol = start;
		next = end;
	}
	if ((e = emit_text(p, p->pos, bol)) != ERR_OK)
		return e;
	p->pos = next;
	switch (sigil) {
	case '!':
		return ERR_OK;
	case '#':
		return open_section(p, TOK_SECTION, name, line);
	case '^':
		return open_section(p, TOK_INVERTED, name, line);
	case '/':
		return close_section(p, name, line);
	default:
		if ((tok = tok_push(p->t, TOK_VALUE)) == NULL)
			return ERR_NOMEM;
		memcpy(tok->name, name, strlen(name) + 1);
		return ERR_OK;
	}
}

static enum err
parse(struct parser *p)
{
	const char	*s = p->t->text, *open, *close, *nul;
	size_t		 start, end;
	unsigned	 line;
	enum err	 e;

	if ((nul = memchr(s, '\0', p->len)) != NULL)
		return parse_fail(p, line_at(p, (size_t)(nul - s)),
		    "NUL byte in template");
	while ((open = memmem(s + p->pos, p->len - p->pos, "{{", 2)) != NULL) {
		start = (size_t)(open - s);
		line = line_at(p, start);
		close = memmem(open + 2, p->len - start - 2, "}}", 2);
		if (close == NULL)
			return parse_fail(p, line, "tag '{{' is not closed");
		end = (size_t)(close - s) + 2;
		if ((e = parse_tag(p, start, end, line)) != ERR_OK)
			return e;
	}
	if (p->depth > 0)
		return parse_fail(p, p->open[p->depth - 1].line,
		    "section '%s' is not closed",
		    p->t->toks[p->open[p->depth - 1].tok].name);
	return emit_text(p, p->pos, p->len);
}

enum err
tmpl_compile(const char *text, size_t len, const char *name,
    struct tmpl **out)
{
	struct parser	 p;
	struct tmpl	*t = NULL;
	enum err	 e = ERR_NOMEM;

	*out = NULL;
	if (len > BOUND_TEMPLATE_FILE) {
		err_reason("%s: %zu bytes, over the %d-byte limit for a "
		    "template", name, len, BOUND_TEMPLATE_FILE);
		return ERR_TOO_BIG;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->name = strdup(name)) == NULL ||
	    (t->text = malloc(len + 1)) == NULL)
		goto out;
	if (len > 0)
		memcpy(t->text, text, len);
	t->text[len] = '\0';
	memset(&p, 0, sizeof(p));
	p.t = t;
	p.len = len;
	p.line = 1;
	if ((e = parse(&p)) != ERR_OK)
		goto out;
	*out = t;
	t = NULL;
out:
	if (e == ERR_NOMEM)
		err_reason("%s: out of memory", name);
	tmpl_free(t);
	return e;
}

enum err
tmpl_load(const char *dir, const char *file, struct tmpl **out)
{
	char		 path[PATH_MAX];
	char		*text = NULL;
	size_t		 len = 0;
	int		 n;
	enum err	 e;

	*out = NULL;
	if (dir == NULL)
		dir = TEMPLATE_DIR;
	n = snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		err_reason("%s: template path too long", file);
		return ERR_CONFIG;
	}
	if ((e = file_read(path, BOUND_TEMPLATE_FILE, &text, &len)) != ERR_OK)
		return e;
	e = tmpl_compile(text, len, file, out);
	free(text);
	return e;
}

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->text);
	free(t->toks);
	free(t);
}

/* --- Contexts. ------------------------------------------------------- */

struct tmpl_ctx *
tmpl_ctx_new(struct arena *a)
{
	struct tmpl_ctx	*ctx;

	ctx = arena_alloc(a, sizeof(*ctx));
	ctx->arena = a;
	return ctx;
}

static struct tmpl_val *
ctx_find(const struct tmpl_ctx *ctx, const char *name)
{
	struct tmpl_val	*v;

	for (v = ctx->vals; v != NULL; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

/* Returns name's value in ctx, made anew (and emptied) when kind changes. */
static struct tmpl_val *
ctx_slot(struct tmpl_ctx *ctx, const char *name, enum val_kind kind)
{
	struct tmpl_val	*v;

	if ((v = ctx_find(ctx, name)) == NULL) {
		v = arena_alloc(ctx->arena, sizeof(*v));
		v->name = arena_strdup(ctx->arena, name);
		v->next = ctx->vals;
		ctx->vals = v;
	} else if (v->kind != kind) {
		v->str = NULL;
		v->truth = 0;
		v->first = v->last = NULL;
	}
	v->kind = kind;
	return v;
}

void
tmpl_set(struct tmpl_ctx *ctx, const char *name, const char *value)
{
	ctx_slot(ctx, name, VAL_STRING)->str = value != NULL ? value : "";
}

void
tmpl_set_bool(struct tmpl_ctx *ctx, const char *name, int value)
{
	ctx_slot(ctx, name, VAL_BOOL)->truth = value != 0;
}

struct tmpl_ctx *
tmpl_add_item(struct tmpl_ctx *ctx, const char *list_name)
{
	struct tmpl_val	*v;
	struct tmpl_ctx	*item;

	v = ctx_slot(ctx, list_name, VAL_LIST);
	item = tmpl_ctx_new(ctx->arena);
	if (v->last != NULL)
		v->last->next = item;
	else
		v->first = item;
	v->last = item;
	return item;
}

/* --- Rendering. ------------------------------------------------------ */

static const struct tmpl_val *
lookup(const struct render *r, const char *name)
{
	const struct tmpl_val	*v;
	size_t			 i;

	for (i = r->depth; i > 0; i--)
		if ((v = ctx_find(r->stack[i - 1], name)) != NULL)
			return v;
	return NULL;
}

static int
truthy(const struct tmpl_val *v)
{
	if (v == NULL)
		return 0;
	switch (v->kind) {
	case VAL_STRING:
		return v->str[0] != '\0';
	case VAL_BOOL:
		return v->truth;
	case VAL_LIST:
		return v->first != NULL;
	}
	return 0;
}

static const char *
entity(char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

static enum err
put_escaped(struct buf *out, const char *s)
{
	const char	*run = s, *ent;
	enum err	 e;

	for (; *s != '\0'; s++) {
		if ((ent = entity(*s)) == NULL)
			continue;
		if ((e = buf_append(out, run, (size_t)(s - run))) != ERR_OK ||
		    (e = buf_puts(out, ent)) != ERR_OK)
			return e;
		run = s + 1;
	}
	return buf_append(out, run, (size_t)(s - run));
}

static enum err render_range(struct render *, size_t, size_t);

static enum err
render_items(struct render *r, const struct tmpl_val *v, size_t from,
    size_t to)
{
	const struct tmpl_ctx	*item;
	enum err		 e;

	/* Sections nest at most BOUND_TEMPLATE_DEPTH deep: the stack fits. */
	for (item = v->first; item != NULL; item = item->next) {
		r->stack[r->depth++] = item;
		e = render_range(r, from, to);
		r->depth--;
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static enum err
render_range(struct render *r, size_t from, size_t to)
{
	const struct tok	*tok;
	const struct tmpl_val	*v;
	enum err		 e = ERR_OK;
	size_t			 i;

	for (i = from; i < to && e == ERR_OK; i++) {
		tok = &r->t->toks[i];
		switch (tok->kind) {
		case TOK_TEXT:
			e = buf_append(r->out, tok->text, tok->len);
			break;
		case TOK_VALUE:
			v = lookup(r, tok->name);
			if (v != NULL && v->kind == VAL_STRING)
				e = put_escaped(r->out, v->str);
			break;
		case TOK_SECTION:
			v = lookup(r, tok->name);
			if (v != NULL && v->kind == VAL_LIST)
				e = render_items(r, v, i + 1, tok->end);
			else if (truthy(v))
				e = render_range(r, i + 1, tok->end);
			i = tok->end;
			break;
		case TOK_INVERTED:
			if (!truthy(lookup(r, tok->name)))
				e = render_range(r, i + 1, tok->end);
			i = tok->end;
			break;
		case TOK_CLOSE:
			break;
		}
	}
	return e;
}

enum err
tmpl_render(const struct tmpl *t, const struct tmpl_ctx *ctx,
    struct buf *out)
{
	struct render	r;
	enum err	e;

	memset(&r, 0, sizeof(r));
	r.t = t;
	r.out = out;
	if (ctx != NULL)
		r.stack[r.depth++] = ctx;
	if ((e = render_range(&r, 0, t->ntoks)) != ERR_OK)
		err_reason("template %s: page over its %zu-byte cap", t->name,
		    out->cap);
	return e;
}
