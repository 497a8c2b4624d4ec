#include "config.h"

#include <string.h>
#include <strings.h>

#include "cfg.h"
#include "identity.h"
#include "rules.h"

static int
list_has_nocase(const struct cfg_list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->items[i], s) == 0)
			return 1;
	return 0;
}

static enum err
check_email(const struct cfg_rules *r, json_object *claims, int assume)
{
	const char	*email, *at;
	json_object	*v;

	if (r->email_domains.n == 0 && r->emails.n == 0)
		return ERR_OK;
	if (!identity_email_verified(claims, assume) ||
	    !json_object_object_get_ex(claims, "email", &v)) {
		err_reason("access rule: no verified email claim");
		return ERR_FORBIDDEN;
	}
	email = json_object_get_string(v);
	if ((at = strrchr(email, '@')) == NULL || at == email) {
		err_reason("access rule: email claim is not an address");
		return ERR_FORBIDDEN;
	}
	if (r->email_domains.n > 0 &&
	    !list_has_nocase(&r->email_domains, at + 1)) {
		err_reason("access rule: email domain %.100s not allowed",
		    at + 1);
		return ERR_FORBIDDEN;
	}
	if (r->emails.n > 0 && !list_has_nocase(&r->emails, email)) {
		err_reason("access rule: email %.100s not allowed", email);
		return ERR_FORBIDDEN;
	}
	return ERR_OK;
}

/* A scalar claim as the configuration writes it: text, integer, true/false. */
static int
scalar_equals(json_object *v, const char *want)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		return strcmp(json_object_get_string(v), want) == 0;
	case json_type_int:
	case json_type_boolean:
		return strcmp(json_object_to_json_string(v), want) == 0;
	default:
		return 0;
	}
}

static int
claim_has_value(json_object *claims, const char *name, const char *want)
{
	json_object	*v;

	if (!json_object_object_get_ex(claims, name, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return scalar_equals(v, want);
	for (size_t i = 0; i < json_object_array_length(v); i++)
		if (scalar_equals(json_object_array_get_idx(v, i), want))
			return 1;
	return 0;
}

static enum err
check_claims(const struct cfg_rules *r, json_object *claims)
{
	for (size_t i = 0; i < r->nclaims; i++)
		if (!claim_has_value(claims, r->claims[i].name,
		    r->claims[i].value)) {
			err_reason("access rule: claim %.64s lacks the "
			    "required value", r->claims[i].name);
			return ERR_FORBIDDEN;
		}
	return ERR_OK;
}

static enum err
check_one(const struct cfg_rules *r, json_object *claims, int assume)
{
	enum err	e;

	if (r == NULL)
		return ERR_OK;
	if ((e = check_email(r, claims, assume)) != ERR_OK)
		return e;
	return check_claims(r, claims);
}

enum err
rules_check(const struct cfg_rules *global, const struct cfg_rules *provider,
    int assume_email_verified, json_object *claims)
{
	enum err	e;

	if (claims == NULL) {
		err_reason("access rule: no claims");
		return ERR_FORBIDDEN;
	}
	if ((e = check_one(global, claims, assume_email_verified)) != ERR_OK)
		return e;
	return check_one(provider, claims, assume_email_verified);
}
