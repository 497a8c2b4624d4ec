/*
 * lib/identity: the identity is the configured claim alone, an e-mail
 * only when verified, and values a server would mangle are refused;
 * claims with a NUL or a name that differs only in case are dropped.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "err.h"
#include "identity.h"
#include "jv.h"
#include "tap.h"

static json_object *
parse(struct arena *a, const char *text)
{
	json_object	*o = NULL;

	if (jv_parse_object(a, text, strlen(text), &o) != ERR_OK)
		diag("fixture does not parse: %s", text);
	return o;
}

static const struct {
	const char	*claims;
	const char	*claim;
	int		 assume;
	const char	*user;		/* NULL: refused */
	const char	*reason;	/* in err_reason() when refused */
} cases[] = {
	/* E-mail: only when the provider vouches for it. */
	{ "{\"email\":\"a@example.com\",\"email_verified\":true}", "email", 0,
	    "a@example.com", NULL },
	{ "{\"email\":\"a@example.com\",\"email_verified\":\"true\"}", "email",
	    0, "a@example.com", NULL },
	{ "{\"email\":\"victim@example.com\",\"email_verified\":false}",
	    "email", 0, NULL, "claim email is not verified by the provider "
	    "(email_verified is false)" },
	{ "{\"email\":\"victim@example.com\",\"email_verified\":false}",
	    "email", 1, NULL, "email_verified is false" },
	{ "{\"email\":\"victim@example.com\"}", "email", 0, NULL,
	    "the provider sends no email_verified). Set user_claim = \"sub\"" },
	{ "{\"email\":\"a@example.com\"}", "email", 1, "a@example.com", NULL },
	{ "{\"email\":\"v@example.com\",\"email_verified\":\"false\"}", "email",
	    0, NULL, "email_verified is not true" },
	{ "{\"email\":\"v@example.com\",\"email_verified\":\"True\"}", "email",
	    0, NULL, "not verified" },
	{ "{\"email\":\"v@example.com\",\"email_verified\":1}", "email", 0,
	    NULL, "not verified" },
	{ "{\"email\":\"v@example.com\",\"email_verified\":null}", "email", 1,
	    NULL, "not verified" },
	{ "{\"email\":\"v@example.com\",\"email_verified\":\"yes\"}", "email",
	    0, NULL, "not verified" },
	{ "{\"email\":\"v@example.com\",\"email_verified\":[true]}", "email",
	    0, NULL, "not verified" },
	/* No fallback to another claim. */
	{ "{\"sub\":\"admin@example.com\",\"email\":\"\","
	    "\"email_verified\":true}", "email", 0, NULL,
	    "claim email is empty" },
	{ "{\"sub\":\"alice\"}", "email", 0, NULL, "claim email is missing" },
	{ "{\"sub\":\"alice\",\"email\":null}", "email", 0, NULL,
	    "claim email is missing" },
	{ "{\"sub\":\"alice\"}", "sub", 0, "alice", NULL },
	{ "{\"sub\":\"  admin@example.com\"}", "sub", 0, NULL,
	    "claim sub begins or ends with a blank" },
	{ "{\"sub\":\"admin \"}", "sub", 0, NULL, "begins or ends with a blank" },
	{ "{\"sub\":\"\\u00a0admin\"}", "sub", 0, NULL, "blank" },
	{ "{\"sub\":\"admin\\u3000\"}", "sub", 0, NULL, "blank" },
	{ "{\"sub\":\"ad min\"}", "sub", 0, "ad min", NULL },
	/* NUL, controls, invisible characters. */
	{ "{\"email\":\"victim@example.com\\u0000@attacker.test\","
	    "\"email_verified\":true}", "email", 0, NULL,
	    "claim email holds a NUL character" },
	{ "{\"sub\":\"a\\tb\"}", "sub", 0, NULL, "control character" },
	{ "{\"sub\":\"a\\nb\"}", "sub", 0, NULL, "control character" },
	{ "{\"sub\":\"a\\u0085b\"}", "sub", 0, NULL, "control character" },
	{ "{\"sub\":\"a\\u007fb\"}", "sub", 0, NULL, "control character" },
	{ "{\"sub\":\"ad\\u200bmin\"}", "sub", 0, NULL,
	    "invisible formatting character" },
	{ "{\"sub\":\"admin\\u202egpj.exe\"}", "sub", 0, NULL, "invisible" },
	{ "{\"sub\":\"\\ufeffadmin\"}", "sub", 0, NULL, "invisible" },
	{ "{\"sub\":\"ad\\u00admin\"}", "sub", 0, NULL, "invisible" },
	/* Look-alikes are other names: passed as they are. */
	{ "{\"sub\":\"\\u0430dmin\"}", "sub", 0, "\xd0\xb0" "dmin", NULL },
	/* Types and sizes. */
	{ "{\"email\":[\"a@example.com\"],\"email_verified\":true}", "email", 0,
	    NULL, "claim email is a array, not a string" },
	{ "{\"oid\":42}", "oid", 0, NULL, "is a int, not a string" },
	{ "{\"sub\":{\"a\":1}}", "sub", 0, NULL, "not a string" },
	{ "{\"sub\":\"" "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789" "0123456789abcdefg\"}",
	    "sub", 0, NULL, "longer than 256 bytes" },
	{ "{\"preferred_username\":\"caf\\u00e9\"}", "preferred_username", 0,
	    "caf\xc3\xa9", NULL },
};

static void
test_user(void)
{
	struct arena	*a = arena_new();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object	*claims = parse(a, cases[i].claims);
		const char	*user = "unset";
		enum err	 e;

		err_reason_clear();
		e = identity_user(claims, cases[i].claim, cases[i].assume,
		    &user);
		if (cases[i].user != NULL) {
			if (ok(e == ERR_OK, "case %zu: %s accepted", i,
			    cases[i].claim))
				is_str(user, cases[i].user, "case %zu: user", i);
			else
				diag("%s", err_reason_get());
			continue;
		}
		ok(e == ERR_FORBIDDEN && user == NULL, "case %zu: %s refused",
		    i, cases[i].claim);
		if (!ok(strstr(err_reason_get(), cases[i].reason) != NULL,
		    "case %zu: reason: %s", i, cases[i].reason))
			diag("got: %s", err_reason_get());
	}
	arena_free(a);
}

static void
test_clean(void)
{
	struct arena	*a = arena_new();
	json_object	*c = parse(a, "{\"sub\":\"s\",\"groups\":[\"users\"],"
	    "\"GROUPS\":[\"admin\",\"wheel\"],\"note\":\"x\\u0000y\","
	    "\"deep\":{\"k\":[\"ok\",\"a\\u0000\"]},\"Name\":\"N\","
	    "\"email\":\"e@example.com\"}");
	const char	*dropped;

	identity_clean(a, c, &dropped);
	is_str(dropped, "groups, GROUPS, note, deep", "the dropped claims, in "
	    "order");
	ok(json_object_object_get_ex(c, "sub", NULL) &&
	    json_object_object_get_ex(c, "Name", NULL) &&
	    json_object_object_get_ex(c, "email", NULL), "the others stay");
	is_int(json_object_object_length(c), 3, "three claims left");
	identity_clean(a, c, &dropped);
	is_str(dropped, "", "nothing more to drop");
	identity_clean(a, NULL, &dropped);
	is_str(dropped, "", "no claims, nothing dropped");
	ok(identity_value_ok("a b", 3) && !identity_value_ok("a\0b", 3) &&
	    !identity_value_ok("a\rb", 3), "values for the server");
	arena_free(a);
}

int
main(void)
{
	test_user();
	test_clean();
	return tap_done();
}
