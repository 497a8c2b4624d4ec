#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "discovery.h"
#include "jv.h"
#include "tenant.h"
#include "url.h"

/* The URL members we keep, where they go, and what they may hold. */
static const struct field {
	const char	*name;
	size_t		 offset;
	int		 required;
	int		 tenant;	/* may hold TENANT_PLACEHOLDER */
} fields[] = {
	{ "issuer", offsetof(struct discovery, issuer), 1, 1 },
	{ "authorization_endpoint",
	    offsetof(struct discovery, authorization_endpoint), 1, 0 },
	{ "token_endpoint", offsetof(struct discovery, token_endpoint), 1, 0 },
	{ "jwks_uri", offsetof(struct discovery, jwks_uri), 1, 0 },
	{ "userinfo_endpoint",
	    offsetof(struct discovery, userinfo_endpoint), 0, 0 },
	{ "end_session_endpoint",
	    offsetof(struct discovery, end_session_endpoint), 0, 0 },
};

struct parse {
	struct arena	*arena;		/* scratch for the URL checks */
	json_object	*doc;
	int		 fresh;		/* no reason was recorded before us */
};

/*
 * Re-records the URL checker's reason with the member's name in front,
 * unless a reason from before this parse holds the slot.
 */
static void
reason_for_member(const struct parse *p, const char *member)
{
	if (p->fresh)
		err_reason_rewrite("discovery: %s: %s", member,
		    err_reason_get());
}

/* RFC 3986 characters only: nothing a header or a page could trip on. */
static int
uri_char_ok(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL;
}

static int
url_chars_ok(const char *s, int allow_tenant)
{
	while (*s != '\0') {
		if (allow_tenant && strncmp(s, TENANT_PLACEHOLDER,
		    TENANT_PLACEHOLDER_LEN) == 0) {
			s += TENANT_PLACEHOLDER_LEN;
			continue;
		}
		if (!uri_char_ok((unsigned char)*s))
			return 0;
		s++;
	}
	return 1;
}

static enum err
take_url(struct parse *p, const struct field *f, struct discovery *d)
{
	char		**slot = (char **)(void *)((char *)d + f->offset);
	const char	 *s;

	switch (jv_str(p->doc, f->name, &s)) {
	case ERR_OK:
		break;
	case ERR_NOT_FOUND:
		if (!f->required)
			return ERR_OK;
		err_reason("discovery: %s missing", f->name);
		return ERR_PROVIDER;
	default:
		err_reason("discovery: %s is not a string", f->name);
		return ERR_PROVIDER;
	}
	if (strlen(s) > BOUND_URL) {
		err_reason("discovery: %s longer than %d bytes", f->name,
		    BOUND_URL);
		return ERR_PROVIDER;
	}
	if (!url_chars_ok(s, f->tenant)) {
		err_reason("discovery: %s holds characters not allowed in "
		    "a URL", f->name);
		return ERR_PROVIDER;
	}
	if (url_check_callable(p->arena, s) != ERR_OK) {
		reason_for_member(p, f->name);
		return ERR_PROVIDER;
	}
	if ((*slot = strdup(s)) == NULL)
		return ERR_NOMEM;
	return ERR_OK;
}

/* The derived issuer X also stands for X/, and nothing looser. */
static int
slash_form_matches(const char *issuer, const char *expected)
{
	size_t	n = strlen(expected);

	return n > 0 && expected[n - 1] != '/' && strlen(issuer) == n + 1 &&
	    strncmp(issuer, expected, n) == 0 && issuer[n] == '/';
}

static enum err
check_issuer(const struct discovery *d, const char *expected, int derived)
{
	if (strcmp(d->issuer, expected) == 0 ||
	    tenant_template_of(d->issuer, expected) ||
	    (derived && slash_form_matches(d->issuer, expected)))
		return ERR_OK;
	err_reason("discovery: issuer mismatch: document says %s, expected "
	    "%s%s; if the document is right, set issuer = \"%s\" in the "
	    "provider's section", d->issuer, expected, derived ? " (derived "
	    "from server_metadata_url)" : "", d->issuer);
	return ERR_PROVIDER;
}

/* What the provider says of client authentication, algorithms, claims, prompts. */
static void
read_capabilities(json_object *doc, struct discovery *d)
{
	json_object	*v;

	d->auth_methods_listed = json_object_object_get_ex(doc,
	    "token_endpoint_auth_methods_supported", &v) &&
	    json_object_is_type(v, json_type_array);
	d->auth_basic = jv_has_string(doc,
	    "token_endpoint_auth_methods_supported", "client_secret_basic");
	d->auth_post = jv_has_string(doc,
	    "token_endpoint_auth_methods_supported", "client_secret_post");
	d->auth_none = jv_has_string(doc,
	    "token_endpoint_auth_methods_supported", "none");
	d->offline_access = jv_has_string(doc, "scopes_supported",
	    "offline_access");
	d->claims_listed = json_object_object_get_ex(doc, "claims_supported",
	    &v) && json_object_is_type(v, json_type_array);
	d->claims_email_verified = jv_has_string(doc, "claims_supported",
	    "email_verified");
	d->prompts_listed = json_object_object_get_ex(doc,
	    "prompt_values_supported", &v) &&
	    json_object_is_type(v, json_type_array);
	d->prompt_login = jv_has_string(doc, "prompt_values_supported",
	    "login");
	d->prompt_select_account = jv_has_string(doc,
	    "prompt_values_supported", "select_account");
	d->only_hmac_algs = 0;
	if (!json_object_object_get_ex(doc,
	    "id_token_signing_alg_values_supported", &v) ||
	    !json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) == 0)
		return;
	d->only_hmac_algs = 1;
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *alg = json_object_array_get_idx(v, i);

		if (!json_object_is_type(alg, json_type_string) ||
		    strncmp(json_object_get_string(alg), "HS", 2) != 0)
			d->only_hmac_algs = 0;
	}
}

static enum err
check_response_types(json_object *doc)
{
	json_object	*v;

	if (!json_object_object_get_ex(doc, "response_types_supported", &v) ||
	    v == NULL)
		return ERR_OK;
	if (jv_has_string(doc, "response_types_supported", "code"))
		return ERR_OK;
	err_reason("discovery: response_types_supported lacks \"code\"");
	return ERR_PROVIDER;
}

enum err
discovery_parse(const char *json, size_t len, const char *expected_issuer,
    int issuer_derived, struct discovery **out)
{
	struct parse		 p = { NULL, NULL, 0 };
	struct discovery	*d = NULL;
	enum err		 e;

	p.fresh = err_reason_get()[0] == '\0';
	if (len > BOUND_DISCOVERY_BODY) {
		err_reason("discovery: document over %d bytes",
		    BOUND_DISCOVERY_BODY);
		return ERR_PROVIDER;
	}
	if (jv_parse_object_owned(json, len, &p.doc) != ERR_OK) {
		err_reason("discovery: document is not a JSON object");
		return ERR_PROVIDER;
	}
	p.arena = arena_new();
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		e = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if ((e = take_url(&p, &fields[i], d)) != ERR_OK)
			goto out;
	if ((e = check_issuer(d, expected_issuer, issuer_derived)) !=
	    ERR_OK ||
	    (e = check_response_types(p.doc)) != ERR_OK)
		goto out;
	d->issuer_has_tenant = tenant_is_template(d->issuer);
	read_capabilities(p.doc, d);
	if (jv_bool(p.doc, "authorization_response_iss_parameter_supported",
	    &d->iss_in_response) != ERR_OK)
		d->iss_in_response = 0;
	*out = d;
	d = NULL;
	e = ERR_OK;
out:
	discovery_free(d);
	arena_free(p.arena);
	json_object_put(p.doc);
	return e;
}

void
discovery_free(struct discovery *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		free(*(char **)(void *)((char *)d + fields[i].offset));
	free(d);
}
