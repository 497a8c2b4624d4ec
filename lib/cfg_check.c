#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "bounds.h"
#include "cfg_check.h"
#include "err.h"
#include "tenant.h"
#include "toml.h"
#include "url.h"

/* Distinct characters a secret needs, and enough to look random. */
#define SECRET_DISTINCT_MIN	10
#define SECRET_DISTINCT_RANDOM	24

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Parts of a sample value that mark a secret as a placeholder. */
static const char *const placeholder_words[] = {
	"xxx", "changeme", "change_me", "change-me", "secret", "your",
	"example", "placeholder", "replace", "12345678", "abcdefgh",
	"password",
};

int
cfg_check_has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Printable ASCII without blanks; reject lists the bytes also refused. */
static int
is_token(const char *s, const char *reject)
{
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~' || strchr(reject, *s) != NULL)
			return 0;
	return 1;
}

const char *
cfg_check_url(struct arena *a, const struct toml_value *v)
{
	struct url_info	 info;
	const char	*why = NULL;

	/* lib/url says why in the reason slot: borrow it, then free it. */
	err_reason_clear();
	if (url_parse_http(a, v->str, &info) != ERR_OK)
		why = arena_printf(a, "not a usable URL (%s). Write an "
		    "absolute URL such as \"https://example.com/path\"",
		    err_reason_get());
	err_reason_clear();
	return why;
}

const char *
cfg_check_callable_url(struct arena *a, const struct toml_value *v)
{
	struct url_info	 info;
	const char	*why;

	if ((why = cfg_check_url(a, v)) != NULL)
		return why;
	if (url_parse_http(a, v->str, &info) == ERR_OK && !info.https &&
	    !info.loopback)
		return "must use https (plain http is accepted only for "
		    "localhost / 127.0.0.1)";
	return NULL;
}

const char *
cfg_check_nonempty(struct arena *a, const struct toml_value *v)
{
	return v->len == 0 ? "must not be empty" : NULL;
}

const char *
cfg_check_label(struct arena *a, const struct toml_value *v)
{
	if (v->len > BOUND_CONFIG_LABEL)
		return arena_printf(a, "too long (%zu bytes, at most %d)",
		    v->len, BOUND_CONFIG_LABEL);
	return NULL;
}

const char *
cfg_check_display_name(struct arena *a, const struct toml_value *v)
{
	const char	*why = cfg_check_nonempty(a, v);

	return why != NULL ? why : cfg_check_label(a, v);
}

const char *
cfg_check_cookie_name(struct arena *a, const struct toml_value *v)
{
	if (v->len == 0 || v->len > BOUND_CONFIG_COOKIE_NAME ||
	    strspn(v->str, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
	    "WXYZ0123456789_-") != v->len)
		return arena_printf(a, "\"%s\" is not a valid cookie name. Use "
		    "1 to %d letters, digits, '_' or '-'", v->str,
		    BOUND_CONFIG_COOKIE_NAME);
	if (strncmp(v->str, "__", 2) == 0)
		return "must not start with \"__\". The __Host- prefix is "
		    "added by itself under https";
	return NULL;
}

const char *
cfg_check_cookie_path(struct arena *a, const struct toml_value *v)
{
	if (v->str[0] != '/' || v->len > BOUND_URL || !is_token(v->str, ";,"))
		return arena_printf(a, "\"%s\" is not a cookie path. Start it "
		    "with '/' and use no spaces, ';' or ','", v->str);
	return NULL;
}

const char *
cfg_check_ca_file(struct arena *a, const struct toml_value *v)
{
	if (v->len == 0)
		return "cannot read \"\": empty path. Give a readable PEM "
		    "file, or remove the key to use the system's CA store";
	if (access(v->str, R_OK) != 0)
		return arena_printf(a, "cannot read \"%s\": %s. Give a "
		    "readable PEM file, or remove the key to use the system's "
		    "CA store", v->str, strerror(errno));
	return NULL;
}

const char *
cfg_check_claim_name(struct arena *a, const struct toml_value *v)
{
	if (v->len == 0 || !is_token(v->str, ""))
		return arena_printf(a, "\"%s\" is not a claim name. Use a name "
		    "such as \"email\", \"sub\" or \"preferred_username\"",
		    v->str);
	return NULL;
}

const char *
cfg_check_absolute_path(struct arena *a, const struct toml_value *v)
{
	return v->len == 0 || v->str[0] != '/' ? "must be an absolute path" :
	    NULL;
}

const char *
cfg_check_base_path(struct arena *a, const struct toml_value *v)
{
	if (v->len > 0 && (v->str[0] != '/' || v->str[v->len - 1] == '/' ||
	    v->len > BOUND_URL || !is_token(v->str, ";,?#")))
		return arena_printf(a, "\"%s\" is not a mount point. Use \"\" "
		    "for the root, or a path such as \"/auth\" without a "
		    "trailing '/'", v->str);
	return NULL;
}

const char *
cfg_check_client_secret(struct arena *a, const struct toml_value *v)
{
	return v->len == 0 ? "must not be empty. For a public client, remove "
	    "it and set token_endpoint_auth_method = \"none\"" : NULL;
}

const char *
cfg_check_domain(struct arena *a, const struct toml_value *v)
{
	const char	*d = v->str;

	if (d[0] == '\0' || !is_token(d, "@/:") || d[0] == '.')
		return arena_printf(a, "\"%s\" is not a domain. Write it as "
		    "\"example.com\", without '@'", d);
	return NULL;
}

const char *
cfg_check_email(struct arena *a, const struct toml_value *v)
{
	const char	*m = v->str, *at = strchr(m, '@');

	if (at == NULL || at == m || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || !is_token(m, ""))
		return arena_printf(a, "\"%s\" is not an email address", m);
	return NULL;
}

const char *
cfg_check_hmac_alg(struct arena *a, const struct toml_value *v)
{
	if (strcmp(v->str, "HS256") != 0 && strcmp(v->str, "HS384") != 0 &&
	    strcmp(v->str, "HS512") != 0)
		return arena_printf(a, "\"%s\" is not an HMAC algorithm. Use "
		    "\"HS256\", \"HS384\" or \"HS512\"", v->str);
	return NULL;
}

const char *
cfg_check_tenant(struct arena *a, const struct toml_value *v)
{
	if (!tenant_id_ok(v->str, v->len))
		return arena_printf(a, "\"%s\" is not a tenant id (a GUID "
		    "such as \"9188040d-6c67-4c5b-b112-36a304b66dad\")",
		    v->str);
	return NULL;
}

/* Returns NULL when the secret is good, else what is wrong with it. */
const char *
cfg_check_secret(struct arena *a, const char *s, size_t len)
{
	unsigned char	seen[256] = { 0 };
	size_t		distinct = 0;

	if (len < BOUND_SECRET_MIN)
		return arena_printf(a, "too short (%zu characters, need at "
		    "least %d)", len, BOUND_SECRET_MIN);
	for (size_t i = 0; i < len; i++)
		if (!seen[(unsigned char)s[i]]++)
			distinct++;
	if (distinct < SECRET_DISTINCT_MIN)
		return arena_printf(a, "too weak (only %zu distinct "
		    "character%s)", distinct, distinct == 1 ? "" : "s");
	/*
	 * A generated secret is random enough to hold "xxx" by chance;
	 * only a value that does not look random is taken for a sample.
	 */
	if (distinct >= SECRET_DISTINCT_RANDOM)
		return NULL;
	for (size_t i = 0; i < NELEM(placeholder_words); i++) {
		const char	*w = placeholder_words[i];
		size_t		 wl = strlen(w);

		for (size_t j = 0; j + wl <= len; j++)
			if (strncasecmp(s + j, w, wl) == 0)
				return arena_printf(a, "looks like a "
				    "placeholder (it contains \"%s\")", w);
	}
	return NULL;
}

