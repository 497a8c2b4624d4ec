#include "config.h"

#include <string.h>

#include "bounds.h"
#include "num.h"
#include "tenant.h"

/* The multi-tenant path segments a template issuer stands for. */
static const char *const multi_tenant_segments[] = {
	"common", "organizations", "consumers",
};

int
tenant_id_ok(const char *s, size_t len)
{
	if (len == 0 || len > BOUND_TENANT_ID)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '-' && !num_hex_digit((unsigned char)s[i], NULL))
			return 0;
	return 1;
}

int
tenant_is_template(const char *issuer)
{
	return strstr(issuer, TENANT_PLACEHOLDER) != NULL;
}

static int
is_multi_tenant_segment(const char *seg, size_t len)
{
	for (size_t i = 0; i < sizeof(multi_tenant_segments) /
	    sizeof(multi_tenant_segments[0]); i++)
		if (strlen(multi_tenant_segments[i]) == len &&
		    strncmp(seg, multi_tenant_segments[i], len) == 0)
			return 1;
	return 0;
}

int
tenant_template_of(const char *issuer, const char *expected)
{
	const char	*seg, *end;
	size_t		 pre;

	if ((seg = strstr(expected, "://")) == NULL ||
	    (seg = strchr(seg + 3, '/')) == NULL)
		return 0;
	seg++;
	end = seg + strcspn(seg, "/?");
	if (!is_multi_tenant_segment(seg, (size_t)(end - seg)))
		return 0;
	pre = (size_t)(seg - expected);
	return strncmp(issuer, expected, pre) == 0 &&
	    strncmp(issuer + pre, TENANT_PLACEHOLDER,
	    TENANT_PLACEHOLDER_LEN) == 0 &&
	    strcmp(issuer + pre + TENANT_PLACEHOLDER_LEN, end) == 0;
}

int
tenant_issuer_matches(const char *tmpl, const char *iss)
{
	const char	*hole, *rest;
	size_t		 pre, post, len = strlen(iss);

	if ((hole = strstr(tmpl, TENANT_PLACEHOLDER)) == NULL)
		return 0;
	rest = hole + TENANT_PLACEHOLDER_LEN;
	pre = (size_t)(hole - tmpl);
	post = strlen(rest);
	return len > pre + post && strncmp(iss, tmpl, pre) == 0 &&
	    strcmp(iss + len - post, rest) == 0 &&
	    tenant_id_ok(iss + pre, len - pre - post);
}

enum err
tenant_issuer_fill(const char *tmpl, const char *tid, char *out, size_t size)
{
	const char	*p, *hole;
	size_t		 o = 0, n, tidlen = strlen(tid);

	for (p = tmpl; *p != '\0'; p = hole + TENANT_PLACEHOLDER_LEN) {
		if ((hole = strstr(p, TENANT_PLACEHOLDER)) == NULL)
			hole = p + strlen(p);
		n = (size_t)(hole - p);
		if (o + n >= size)
			return ERR_TOO_BIG;
		memcpy(out + o, p, n);
		o += n;
		if (*hole == '\0')
			break;
		if (o + tidlen >= size)
			return ERR_TOO_BIG;
		memcpy(out + o, tid, tidlen);
		o += tidlen;
	}
	out[o] = '\0';
	return ERR_OK;
}
