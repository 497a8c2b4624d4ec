#include "config.h"

#include <string.h>

#include "arena.h"
#include "cfg.h"
#include "jv.h"
#include "rules.h"
#include "tap.h"

static char *domains[] = { "example.com", "corp.example.org" };
static char *emails[] = { "boss@other.example" };
static struct cfg_pair groups_staff[] = { { "groups", "staff" } };
static struct cfg_pair level_3[] = { { "level", "3" }, { "active", "true" } };

/* An e-mail the provider says it verified. */
#define V	",\"email_verified\":true}"

static const struct {
	const char	*rule;		/* d: domains, e: emails, g: groups, l: level */
	const char	*claims;
	enum err	 want;
	int		 assume;	/* assume_email_verified */
} cases[] = {
	{ "", "{\"sub\":\"x\"}", ERR_OK, 0 },
	{ "d", "{\"email\":\"a@example.com\"" V, ERR_OK, 0 },
	{ "d", "{\"email\":\"a@EXAMPLE.com\"" V, ERR_OK, 0 },
	{ "d", "{\"email\":\"a@corp.example.org\"" V, ERR_OK, 0 },
	{ "d", "{\"email\":\"a@evil-example.com\"" V, ERR_FORBIDDEN, 0 },
	{ "d", "{\"email\":\"a@sub.example.com\"" V, ERR_FORBIDDEN, 0 },
	{ "d", "{\"email\":\"a@example.com.evil\"" V, ERR_FORBIDDEN, 0 },
	{ "d", "{\"email\":\"a@evil.com@example.com\"" V, ERR_OK, 0 },
	{ "d", "{\"email\":\"example.com@evil.com\"" V, ERR_FORBIDDEN, 0 },
	{ "d", "{\"email\":\"a@example.com\",\"email_verified\":false}",
	    ERR_FORBIDDEN, 0 },
	{ "d", "{\"email\":\"a@example.com\",\"email_verified\":true}", ERR_OK, 0 },
	{ "d", "{\"email\":\"a@example.com\",\"email_verified\":\"true\"}",
	    ERR_OK, 0 },
	{ "d", "{\"email\":\"a@example.com\",\"email_verified\":\"false\"}",
	    ERR_FORBIDDEN, 0 },
	/* Without email_verified: only for a provider known to verify. */
	{ "d", "{\"email\":\"a@example.com\"}", ERR_FORBIDDEN, 0 },
	{ "d", "{\"email\":\"a@example.com\"}", ERR_OK, 1 },
	{ "e", "{\"email\":\"boss@other.example\"}", ERR_FORBIDDEN, 0 },
	{ "e", "{\"email\":\"boss@other.example\"}", ERR_OK, 1 },
	{ "d", "{\"email\":\"a@example.com\",\"email_verified\":false}",
	    ERR_FORBIDDEN, 1 },
	{ "d", "{\"email\":\"a@example.com\",\"email_verified\":1}",
	    ERR_FORBIDDEN, 0 },
	/* A NUL cuts nothing: the whole address is checked. */
	{ "d", "{\"email\":\"a@example.com\\u0000@evil.test\"" V,
	    ERR_FORBIDDEN, 0 },
	{ "d", "{\"email\":\"a@\\u0435xample.com\"" V, ERR_FORBIDDEN, 0 },
	{ "d", "{\"sub\":\"no email\"}", ERR_FORBIDDEN, 0 },
	{ "d", "{\"email\":[\"a@example.com\"]}", ERR_FORBIDDEN, 0 },
	{ "d", "{\"email\":\"example.com\"" V, ERR_FORBIDDEN, 0 },
	{ "d", "{\"email\":\"@example.com\"" V, ERR_FORBIDDEN, 0 },
	{ "e", "{\"email\":\"Boss@Other.example\"" V, ERR_OK, 0 },
	{ "e", "{\"email\":\"boss2@other.example\"" V, ERR_FORBIDDEN, 0 },
	{ "de", "{\"email\":\"boss@other.example\"" V, ERR_FORBIDDEN, 0 },
	{ "g", "{\"groups\":[\"a\",\"staff\"]}", ERR_OK, 0 },
	{ "g", "{\"groups\":\"staff\"}", ERR_OK, 0 },
	{ "g", "{\"groups\":[\"staffers\"]}", ERR_FORBIDDEN, 0 },
	{ "g", "{\"groups\":[]}", ERR_FORBIDDEN, 0 },
	{ "g", "{\"groups\":{\"staff\":true}}", ERR_FORBIDDEN, 0 },
	{ "g", "{}", ERR_FORBIDDEN, 0 },
	{ "l", "{\"level\":3,\"active\":true}", ERR_OK, 0 },
	{ "l", "{\"level\":\"3\",\"active\":\"true\"}", ERR_OK, 0 },
	{ "l", "{\"level\":4,\"active\":true}", ERR_FORBIDDEN, 0 },
	{ "l", "{\"level\":3,\"active\":false}", ERR_FORBIDDEN, 0 },
	{ "l", "{\"level\":3.0,\"active\":true}", ERR_FORBIDDEN, 0 },
};

static void
make_rules(const char *which, struct cfg_rules *r)
{
	memset(r, 0, sizeof(*r));
	if (strchr(which, 'd') != NULL) {
		r->email_domains.items = domains;
		r->email_domains.n = 2;
	}
	if (strchr(which, 'e') != NULL) {
		r->emails.items = emails;
		r->emails.n = 1;
	}
	if (strchr(which, 'g') != NULL) {
		r->claims = groups_staff;
		r->nclaims = 1;
	}
	if (strchr(which, 'l') != NULL) {
		r->claims = level_3;
		r->nclaims = 2;
	}
}

int
main(void)
{
	struct arena	*a = arena_new();
	struct cfg_rules global, provider;
	json_object	*claims;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_rules(cases[i].rule, &global);
		if (jv_parse_object(a, cases[i].claims,
		    strlen(cases[i].claims), &claims) != ERR_OK) {
			ok(0, "case %zu parses", i);
			continue;
		}
		is_int(rules_check(&global, NULL, cases[i].assume, claims),
		    cases[i].want, "global rule '%s' on %s%s", cases[i].rule,
		    cases[i].claims, cases[i].assume ? " (assumed verified)" :
		    "");
		is_int(rules_check(NULL, &global, cases[i].assume, claims),
		    cases[i].want, "  same as a provider rule");
		err_reason_clear();
	}
	/* Global and provider rules both apply. */
	make_rules("d", &global);
	make_rules("g", &provider);
	{
		const char *both = "{\"email\":\"a@example.com\","
		    "\"email_verified\":true,\"groups\":[\"x\"]}";
		jv_parse_object(a, both, strlen(both), &claims);
	}
	is_int(rules_check(&global, &provider, 0, claims), ERR_FORBIDDEN,
	    "provider rule applies on top of the global one");
	is_int(rules_check(&global, NULL, 0, NULL), ERR_FORBIDDEN,
	    "no claims: refused");
	arena_free(a);
	return tap_done();
}
