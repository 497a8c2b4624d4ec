/*
 * A page template: tmpl_compile, then tmpl_render against a fixed
 * context of strings (some needing escapes), booleans, empty values
 * and nested lists.  Whatever renders must hold no raw '<' coming from
 * a value: every value below is made of markup.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "tmpl.h"

#include "fuzz.h"

/* Values that must come out escaped; none of them appears in a template. */
#define HOSTILE		"<x y=\"'&'\">"
#define HOSTILE_LEN	(sizeof(HOSTILE) - 1)

static struct tmpl_ctx *
context(struct arena *a)
{
	struct tmpl_ctx	*ctx = tmpl_ctx_new(a), *item, *claim;

	tmpl_set(ctx, "title", "Sign in " HOSTILE);
	tmpl_set(ctx, "base", "/auth");
	tmpl_set(ctx, "user_name", "Jane " HOSTILE);
	tmpl_set(ctx, "user_email", "jane@example.com");
	tmpl_set(ctx, "return_to", "/app?x=1&y=2");
	tmpl_set(ctx, "csrf", "c2VjcmV0");
	tmpl_set(ctx, "detail", "");
	tmpl_set(ctx, "message", NULL);
	tmpl_set_bool(ctx, "signed_in", 1);
	tmpl_set_bool(ctx, "has_email", 0);
	for (int i = 0; i < 3; i++) {
		item = tmpl_add_item(ctx, "providers");
		tmpl_set(item, "name", i == 0 ? "google" : "okta");
		tmpl_set(item, "display_name", HOSTILE);
		tmpl_set(item, "login_url", "/login/google?return_to=%2F");
		claim = tmpl_add_item(item, "claims");
		tmpl_set(claim, "name", "email");
		tmpl_set(claim, "value", HOSTILE);
	}
	/* A list whose one item is empty. */
	tmpl_add_item(ctx, "empty");
	return ctx;
}

/* Returns 1 when the input names no markup, so none may come out. */
static int
input_is_plain(const uint8_t *data, size_t size)
{
	return memchr(data, '<', size) == NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = fuzz_begin();
	struct tmpl	*t = NULL;
	struct buf	 out;

	err_clear();
	if (tmpl_compile((const char *)data, size, "fuzz.html", &t) !=
	    ERR_OK) {
		/* A refused template is no template, and says why. */
		if (t != NULL || err_reason_get()[0] == '\0')
			abort();
		return 0;
	}
	buf_init(&out, a, BOUND_PAGE);
	if (tmpl_render(t, context(a), &out) == ERR_OK &&
	    input_is_plain(data, size) &&
	    memchr(out.data, '<', out.len) != NULL)
		abort();
	buf_clear(&out);
	tmpl_render(t, NULL, &out);
	tmpl_free(t);
	return 0;
}
