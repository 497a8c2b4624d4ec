/*
 * A userinfo answer: jv_parse_object, then oidc_merge_userinfo over
 * fixed ID token claims.  A merge that fails leaves the claims as they
 * were; one that succeeds keeps the ID token's protocol claims, and
 * the access rules then judge the merged claims: what they let pass
 * has a verified e-mail address in an allowed domain.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "jv.h"
#include "cfg.h"
#include "oidc.h"
#include "bounds.h"
#include "identity.h"
#include "rules.h"

#include "fuzz.h"

#define ID_CLAIMS							\
	"{\"iss\":\"" FUZZ_ISSUER "\",\"sub\":\"248289761001\","	\
	"\"aud\":\"" FUZZ_CLIENT_ID "\",\"exp\":1700003600,"		\
	"\"iat\":1700000000,\"nonce\":\"" FUZZ_NONCE "\","		\
	"\"tid\":\"" FUZZ_TENANT "\",\"email\":\"jane@example.com\","	\
	"\"groups\":[\"staff\"]}"

/* The claims userinfo may not replace, as the ID token carries them. */
static const char *const protected[] = {
	"iss", "sub", "aud", "exp", "iat", "nonce", "tid",
};

static char *domains[] = { "example.com", "Example.ORG" };
static char *emails[] = { "boss@other.example" };
static struct cfg_pair required[] = { { "groups", "staff" } };

static const struct cfg_rules global = {
	.email_domains = { domains, 2 },
};
static const struct cfg_rules provider = {
	.emails = { emails, 1 },
	.claims = required,
	.nclaims = 1,
};

/* Returns 1 when the claims' email is at one of the allowed domains. */
static int
email_allowed(json_object *claims)
{
	json_object	*v;
	const char	*email, *at;

	if (!json_object_object_get_ex(claims, "email", &v) ||
	    !json_object_is_type(v, json_type_string))
		return 0;
	email = json_object_get_string(v);
	if ((at = strrchr(email, '@')) == NULL || at == email)
		return 0;
	return strcasecmp(at + 1, domains[0]) == 0 ||
	    strcasecmp(at + 1, domains[1]) == 0;
}

static const char *
text(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

/*
 * After cleaning, no string claim holds a NUL; an identity accepted is
 * a string without NUL, controls or blanks at its ends, within bounds.
 */
static void
check_identity(json_object *claims)
{
	static const char *const names[] = { "email", "sub", "name" };
	struct arena	*a = arena_new();
	const char	*dropped, *user;

	identity_clean(a, claims, &dropped);
	json_object_object_foreach(claims, name, v) {
		if (json_object_is_type(v, json_type_string) &&
		    strlen(json_object_get_string(v)) !=
		    (size_t)json_object_get_string_len(v))
			abort();
		(void)name;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (identity_user(claims, names[i], i, &user) != ERR_OK) {
			if (user != NULL)
				abort();
			continue;
		}
		if (user == NULL || *user == '\0' || strlen(user) >
		    BOUND_IDENTITY || *user == ' ' ||
		    user[strlen(user) - 1] == ' ' ||
		    !identity_value_ok(user, strlen(user)))
			abort();
	}
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = fuzz_begin();
	json_object	*userinfo, *claims, *before, *v, *w;
	char		*was;
	enum err	 e;

	if (jv_parse_object(a, (const char *)data, size, &userinfo) != ERR_OK)
		return 0;
	if (jv_parse_object(a, ID_CLAIMS, strlen(ID_CLAIMS), &claims) !=
	    ERR_OK || jv_parse_object(a, ID_CLAIMS, strlen(ID_CLAIMS),
	    &before) != ERR_OK)
		abort();
	was = arena_strdup(a, text(claims));
	e = oidc_merge_userinfo(claims, userinfo);
	if (e != ERR_OK) {
		if (strcmp(was, text(claims)) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < sizeof(protected) / sizeof(protected[0]); i++) {
		if (!json_object_object_get_ex(claims, protected[i], &v) ||
		    !json_object_object_get_ex(before, protected[i], &w) ||
		    !json_object_equal(v, w))
			abort();
	}
	if (rules_check(&global, NULL, 1, claims) == ERR_OK &&
	    !email_allowed(claims))
		abort();
	rules_check(&global, &provider, 0, claims);
	rules_check(NULL, &provider, 1, claims);
	check_identity(claims);
	return 0;
}
