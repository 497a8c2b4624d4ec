/*
 * lib/tenant.c: what a tenant id is, and a multi-tenant issuer template
 * recognised, matched and filled.
 */
#include "config.h"

#include <string.h>

#include "bounds.h"
#include "tenant.h"
#include "tap.h"

#define GUID	"9188040d-6c67-4c5b-b112-36a304b66dad"
#define TMPL	"https://login.example.com/" TENANT_PLACEHOLDER "/v2.0"

static void
test_ids(void)
{
	static const struct {
		const char	*id;
		int		 ok;
	} table[] = {
		{ GUID, 1 },
		{ "9188040D-6C67-4C5B-B112-36A304B66DAD", 1 },
		{ "0", 1 },
		{ "", 0 },
		{ "contoso.onmicrosoft.com", 0 },
		{ "a/b", 0 },
		{ TENANT_PLACEHOLDER, 0 },
		{ GUID " ", 0 },
		{ "9188040d_6c67", 0 },
	};
	char	id[BOUND_TENANT_ID + 2];

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		is_int(tenant_id_ok(table[i].id, strlen(table[i].id)),
		    table[i].ok, "tenant id \"%s\": %s", table[i].id,
		    table[i].ok ? "yes" : "no");
	memset(id, 'a', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	is_int(tenant_id_ok(id, BOUND_TENANT_ID), 1, "at its bound: yes");
	is_int(tenant_id_ok(id, BOUND_TENANT_ID + 1), 0, "over it: no");
	is_int(tenant_id_ok(GUID "xyz", strlen(GUID)), 1,
	    "only len bytes are read");
}

static void
test_templates(void)
{
	static const struct {
		const char	*issuer;
		const char	*expected;
		int		 ok;
	} of[] = {
		{ TMPL, "https://login.example.com/common/v2.0", 1 },
		{ TMPL, "https://login.example.com/organizations/v2.0", 1 },
		{ TMPL, "https://login.example.com/consumers/v2.0", 1 },
		{ TMPL, "https://login.example.com/" GUID "/v2.0", 0 },
		{ TMPL, "https://other.example.com/common/v2.0", 0 },
		{ TMPL, "https://login.example.com/common/v1.0", 0 },
		{ TMPL, "https://login.example.com", 0 },
		{ "https://login.example.com/common/v2.0",
		    "https://login.example.com/common/v2.0", 0 },
	};
	static const struct {
		const char	*iss;
		int		 ok;
	} matches[] = {
		{ "https://login.example.com/" GUID "/v2.0", 1 },
		{ "https://login.example.com//v2.0", 0 },
		{ "https://login.example.com/common/v2.0", 0 },
		{ "https://login.example.com/" GUID "/v1.0", 0 },
		{ "https://evil.example.com/" GUID "/v2.0", 0 },
		{ "https://login.example.com/" GUID "/x/v2.0", 0 },
		{ TMPL, 0 },
	};

	ok(tenant_is_template(TMPL), "a template is one");
	ok(!tenant_is_template("https://login.example.com/" GUID "/v2.0"),
	    "a tenant's issuer is none");
	for (size_t i = 0; i < sizeof(of) / sizeof(of[0]); i++)
		is_int(tenant_template_of(of[i].issuer, of[i].expected),
		    of[i].ok, "template for %s: %s", of[i].expected,
		    of[i].ok ? "yes" : "no");
	for (size_t i = 0; i < sizeof(matches) / sizeof(matches[0]); i++)
		is_int(tenant_issuer_matches(TMPL, matches[i].iss),
		    matches[i].ok, "iss %s: %s", matches[i].iss,
		    matches[i].ok ? "matches" : "does not");
	is_int(tenant_issuer_matches("https://login.example.com/v2.0",
	    "https://login.example.com/v2.0"), 0,
	    "no placeholder: no template match");
}

static void
test_fill(void)
{
	char		out[128];
	char		small[20];

	is_int(tenant_issuer_fill(TMPL, GUID, out, sizeof(out)), ERR_OK,
	    "fill a template");
	is_str(out, "https://login.example.com/" GUID "/v2.0", "  filled");
	is_int(tenant_issuer_fill("a" TENANT_PLACEHOLDER "b" TENANT_PLACEHOLDER,
	    "t", out, sizeof(out)), ERR_OK, "two placeholders");
	is_str(out, "atbt", "  both filled");
	is_int(tenant_issuer_fill("https://x.example", GUID, out,
	    sizeof(out)), ERR_OK, "no placeholder");
	is_str(out, "https://x.example", "  copied");
	is_int(tenant_issuer_fill(TMPL, GUID, small, sizeof(small)),
	    ERR_TOO_BIG, "too small: ERR_TOO_BIG");
	is_int(tenant_issuer_fill("0123456789012345678", "", small,
	    sizeof(small)), ERR_OK, "exactly its size");
	is_int(tenant_issuer_fill("01234567890123456789", "", small,
	    sizeof(small)), ERR_TOO_BIG, "one byte more");
}

int
main(void)
{
	test_ids();
	test_templates();
	test_fill();
	return tap_done();
}
