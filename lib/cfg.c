#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>
#include <openssl/crypto.h>

#include "arena.h"
#include "bounds.h"
#include "cfg.h"
#include "num.h"
#include "toml.h"
#include "url.h"

#define STR_(x)		#x
#define STR(x)		STR_(x)

#define UTF8_BOM	"\xef\xbb\xbf"
#define GEN_SECRET_HINT	"Generate one with: oidc-login --gen-secret"

/* Distinct characters a secret needs, and enough to look random. */
#define SECRET_DISTINCT_MIN	10
#define SECRET_DISTINCT_RANDOM	24

/*
 * One logical line that concerns [auth]: a table header or a key with
 * its raw value text (a range of the file, lines already joined).
 */
enum line_kind {
	LINE_HEADER,
	LINE_KEY,
};

struct line {
	enum line_kind		 kind;
	const char		*at;		/* first byte of the line */
	struct toml_key		 key;		/* header path, or the key */
	const char		*value;		/* LINE_KEY: raw value text */
	size_t			 valuelen;
	struct toml_table	*table;		/* LINE_HEADER: once opened */
};

struct loader {
	const char		*path;
	const char		*text;
	size_t			 len;
	size_t			 pos;		/* the reader's place */
	struct arena		*arena;		/* what lives until the end */
	struct arena		*scratch;	/* one line, then reset */
	struct line		*lines;
	size_t			 nlines;
	size_t			 alloc;
	int			 in_root;	/* no [header] seen yet */
	int			 relevant;	/* inside [auth] or [auth.*] */
	size_t			 pending;	/* 1 + header to open next */
	char			 section[128];	/* header, for messages */
	struct toml_table	*root;
	struct cfg		*cfg;
	char			*msg;
	size_t			 msglen;
	int			 failed;
	enum err		 e;
};

/* Where a key may be written. */
#define K_GLOBAL	0x1	/* [auth] */
#define K_PROVIDER	0x2	/* [auth.NAME], and [auth] for "default" */
#define K_REQUIRED	0x4	/* for the help text; checked by finish_* */

enum ktype {
	KT_STRING,
	KT_INT,
	KT_BOOL,
	KT_LIST,		/* a string or an array of strings */
	KT_TABLE,
};

/* What a key's value is applied to. */
struct target {
	struct cfg		*cfg;
	struct cfg_provider	*p;		/* NULL: the [auth] globals */
	const char		*section;	/* "auth" or "auth.NAME" */
	const char		*at;		/* the section's start */
	unsigned char		 seen[64];
};

struct kdef;
typedef enum err (*setter)(struct loader *, struct target *,
    const struct kdef *, const struct toml_value *);

struct kdef {
	const char	*name;
	unsigned	 where;		/* K_* */
	enum ktype	 type;
	long long	 min, max;	/* KT_INT */
	size_t		 off;		/* KT_INT: its field in struct cfg */
	const char	*def;		/* default as TOML text, or NULL */
	const char	*def_doc;	/* the default in words, when not def */
	const char	*help;
	setter		 set;
};

static enum err	set_redirect_uri(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_cookie_secret(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_previous(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_expose(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_int(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_cookie_name(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_cookie_path(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_label(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_template_dir(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_logout_mode(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_post_logout(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_ca_file(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_user_claim(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_log_level(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_log_file(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_base_path(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_email_domains(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_emails(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_required_claims(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_client_id(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_client_secret(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_metadata_url(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_auth_params(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_token_auth(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_userinfo(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_issuer(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_hmac_algs(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);
static enum err	set_tenants(struct loader *, struct target *,
		    const struct kdef *, const struct toml_value *);

/*
 * Every key: parsing, defaults, the known-key lists of error messages
 * and cfg_print_keys all come from here.
 */
static const struct kdef kdefs[] = {
	{ "redirect_uri", K_GLOBAL | K_REQUIRED, KT_STRING, 0, 0, 0, NULL,
	    NULL, "Absolute URL of the callback (https, or http on "
	    "localhost); its path is the callback route.", set_redirect_uri },
	{ "cookie_secret", K_GLOBAL | K_REQUIRED, KT_STRING, 0, 0, 0, NULL,
	    NULL, "Signs and encrypts the cookies; at least "
	    STR(BOUND_SECRET_MIN) " random characters (oidc-login "
	    "--gen-secret).", set_cookie_secret },
	{ "cookie_secret_previous", K_GLOBAL, KT_LIST, 0, 0, 0, NULL, "none",
	    "Earlier secrets (at most " STR(BOUND_SECRETS_PREVIOUS) "), "
	    "still accepted to verify cookies, never used to sign.",
	    set_previous },
	{ "expose_tokens", K_GLOBAL, KT_LIST, 0, 0, 0, NULL, "none",
	    "\"id\", \"access\" or both: those tokens are kept (encrypted) "
	    "and shown in /user.", set_expose },
	{ "cookie_max_age", K_GLOBAL, KT_INT, BOUND_SESSION_MAX_AGE_MIN,
	    BOUND_SESSION_MAX_AGE_MAX, offsetof(struct cfg, cookie_max_age),
	    STR(BOUND_SESSION_MAX_AGE_DEFAULT), NULL,
	    "Session lifetime in seconds (" STR(BOUND_SESSION_MAX_AGE_MIN)
	    " to " STR(BOUND_SESSION_MAX_AGE_MAX) ").", set_int },
	{ "cookie_name", K_GLOBAL, KT_STRING, 0, 0, 0, "\"oidc_login\"",
	    NULL, "Base name of the cookies (letters, digits, '_', '-'); "
	    "__Host- is added under https.", set_cookie_name },
	{ "cookie_path", K_GLOBAL, KT_STRING, 0, 0, 0, "\"/\"", NULL,
	    "Path attribute of the cookies.", set_cookie_path },
	{ "page_title", K_GLOBAL, KT_STRING, 0, 0, 0, "\"Sign in\"", NULL,
	    "Title of the provider-choice page.", set_label },
	{ "template_dir", K_GLOBAL, KT_STRING, 0, 0, 0,
	    "\"" TEMPLATE_DIR "\"", NULL,
	    "Directory of the HTML templates.", set_template_dir },
	{ "logout_mode", K_GLOBAL, KT_STRING, 0, 0, 0, "\"provider\"", NULL,
	    "\"provider\": also sign out at the provider when it offers it; "
	    "\"local\": clear our cookies only.", set_logout_mode },
	{ "post_logout_redirect_uri", K_GLOBAL | K_PROVIDER, KT_STRING, 0,
	    0, 0, NULL, "the origin of redirect_uri + \"/\"",
	    "Where the browser goes after logout (per provider: overrides "
	    "the [auth] value).", set_post_logout },
	{ "http_timeout", K_GLOBAL, KT_INT, 1, BOUND_HTTP_TIMEOUT_MAX,
	    offsetof(struct cfg, http_timeout),
	    STR(BOUND_HTTP_TIMEOUT_DEFAULT), NULL,
	    "Total seconds one call to a provider may take.", set_int },
	{ "http_connect_timeout", K_GLOBAL, KT_INT, 1,
	    BOUND_HTTP_TIMEOUT_MAX, offsetof(struct cfg,
	    http_connect_timeout), STR(BOUND_HTTP_CONNECT_DEFAULT), NULL,
	    "Seconds to connect to a provider (at most http_timeout).",
	    set_int },
	{ "http_ca_file", K_GLOBAL, KT_STRING, 0, 0, 0, NULL,
	    "the system's CA store", "CA certificates (PEM) that providers' "
	    "TLS certificates are checked against.", set_ca_file },
	{ "clock_skew", K_GLOBAL, KT_INT, 0, BOUND_CLOCK_SKEW_MAX,
	    offsetof(struct cfg, clock_skew), STR(BOUND_CLOCK_SKEW_DEFAULT),
	    NULL, "Seconds of clock difference allowed for exp, nbf and iat.",
	    set_int },
	{ "metadata_ttl", K_GLOBAL, KT_INT, BOUND_METADATA_TTL_MIN,
	    BOUND_METADATA_TTL_MAX, offsetof(struct cfg, metadata_ttl),
	    STR(BOUND_METADATA_TTL_DEFAULT), NULL,
	    "Seconds discovery documents and JWKS are cached.", set_int },
	{ "user_claim", K_GLOBAL, KT_STRING, 0, 0, 0, "\"email\"", NULL,
	    "The claim that becomes REMOTE_USER (falling back to sub).",
	    set_user_claim },
	{ "log_level", K_GLOBAL, KT_STRING, 0, 0, 0, "\"info\"", NULL,
	    "\"error\", \"warn\", \"info\" or \"debug\".", set_log_level },
	{ "log_file", K_GLOBAL, KT_STRING, 0, 0, 0, NULL,
	    "stderr (the server's error log)", "A file the log lines are "
	    "appended to instead, for servers that discard their FastCGI "
	    "programs' stderr.", set_log_file },
	{ "base_path", K_GLOBAL, KT_STRING, 0, 0, 0, NULL,
	    "the directory of redirect_uri's path",
	    "Where the program is mounted, e.g. \"/auth\" (\"\" for the "
	    "root).", set_base_path },
	{ "allowed_email_domains", K_GLOBAL | K_PROVIDER, KT_LIST, 0, 0, 0,
	    NULL, "any", "Only users whose email is in one of these domains "
	    "may sign in.", set_email_domains },
	{ "allowed_emails", K_GLOBAL | K_PROVIDER, KT_LIST, 0, 0, 0, NULL,
	    "any", "Only these email addresses may sign in.", set_emails },
	{ "required_claims", K_GLOBAL | K_PROVIDER, KT_TABLE, 0, 0, 0, NULL,
	    "none", "Table of claim = value pairs the identity must carry.",
	    set_required_claims },
	{ "client_id", K_PROVIDER | K_REQUIRED, KT_STRING, 0, 0, 0, NULL,
	    NULL, "The client id registered at the provider.",
	    set_client_id },
	{ "client_secret", K_PROVIDER | K_REQUIRED, KT_STRING, 0, 0, 0, NULL,
	    NULL, "The client secret (not with token_endpoint_auth_method "
	    "= \"none\").", set_client_secret },
	{ "server_metadata_url", K_PROVIDER | K_REQUIRED, KT_STRING, 0, 0, 0,
	    NULL, NULL, "The provider's discovery document "
	    "(.../.well-known/openid-configuration).", set_metadata_url },
	{ "client_kwargs", K_PROVIDER, KT_TABLE, 0, 0, 0, NULL,
	    "scope = \"openid email profile\"", "scope (string or array, "
	    "with openid) and extra authorization parameters (prompt, "
	    "login_hint, hd, ...).", set_auth_params },
	{ "authorize_params", K_PROVIDER, KT_TABLE, 0, 0, 0, NULL, "none",
	    "More authorization parameters (Authlib's spelling).",
	    set_auth_params },
	{ "display_name", K_PROVIDER, KT_STRING, 0, 0, 0, NULL,
	    "from the name, e.g. \"Google\"", "Label of the provider's "
	    "button.", set_label },
	{ "token_endpoint_auth_method", K_PROVIDER, KT_STRING, 0, 0, 0,
	    "\"client_secret_basic\"", NULL, "\"client_secret_basic\", "
	    "\"client_secret_post\" or \"none\" (public client, PKCE only).",
	    set_token_auth },
	{ "userinfo", K_PROVIDER, KT_BOOL, 0, 0, 0, "true", NULL,
	    "Call the userinfo endpoint after the code exchange.",
	    set_userinfo },
	{ "issuer", K_PROVIDER, KT_STRING, 0, 0, 0, NULL,
	    "server_metadata_url without /.well-known/...",
	    "The expected issuer.", set_issuer },
	{ "id_token_hmac_algs", K_PROVIDER, KT_LIST, 0, 0, 0, NULL, "none",
	    "HS256, HS384, HS512: ID tokens signed with the client secret "
	    "that are accepted.", set_hmac_algs },
	{ "allowed_tenants", K_PROVIDER, KT_LIST, 0, 0, 0, NULL, "none",
	    "Microsoft Entra tenant ids accepted from a multi-tenant issuer.",
	    set_tenants },
};

#define NKDEFS	(sizeof(kdefs) / sizeof(kdefs[0]))

_Static_assert(NKDEFS <= sizeof(((struct target *)0)->seen),
    "target.seen has a flag per key");

/* Parameters the login flow sets itself. */
static const char *const owned_params[] = {
	"response_type", "client_id", "redirect_uri", "state", "nonce",
	"code_challenge", "code_challenge_method", "code_verifier",
};

/* Parts of a sample value that mark a secret as a placeholder. */
static const char *const placeholder_words[] = {
	"xxx", "changeme", "change_me", "change-me", "secret", "your",
	"example", "placeholder", "replace", "12345678", "abcdefgh",
	"password",
};

static const struct {
	const char	*name;
	const char	*label;
} known_providers[] = {
	{ "google", "Google" },
	{ "microsoft", "Microsoft" },
	{ "okta", "Okta" },
	{ "auth0", "Auth0" },
	{ "keycloak", "Keycloak" },
	{ "github", "GitHub" },
	{ "gitlab", "GitLab" },
};

/* --- Messages. -------------------------------------------------------- */

static int
line_of(const struct loader *L, const char *at)
{
	int	line = 1;

	if (at == NULL || at < L->text || at > L->text + L->len)
		return 0;
	for (const char *p = L->text; p < at; p++)
		if (*p == '\n')
			line++;
	return line;
}

static int
column_of(const struct loader *L, const char *at)
{
	const char	*p = at;

	if (line_of(L, at) == 0)
		return 0;
	while (p > L->text && p[-1] != '\n')
		p--;
	return (int)(at - p) + 1;
}

/*
 * Writes the one message of this load: FILE:LINE: [section] key: what
 * is wrong. How to fix it.  Only the first failure is kept.
 */
static enum err __attribute__((format(printf, 5, 0)))
vsay(struct loader *L, const char *at, const char *section, const char *key,
    const char *fmt, va_list ap)
{
	size_t	n = 0;
	int	line = line_of(L, at), r;

	if (L->failed)
		return L->e;
	L->failed = 1;
	L->e = ERR_CONFIG;
	if (L->msglen == 0)
		return L->e;
	r = line > 0 ? snprintf(L->msg, L->msglen, "%s:%d: ", L->path, line) :
	    snprintf(L->msg, L->msglen, "%s: ", L->path);
	n = r < 0 ? 0 : (size_t)r;
	if (n < L->msglen && section != NULL && *section != '\0') {
		r = snprintf(L->msg + n, L->msglen - n, "[%s] ", section);
		n += r < 0 ? 0 : (size_t)r;
	}
	if (n < L->msglen && key != NULL) {
		r = snprintf(L->msg + n, L->msglen - n, "%s: ", key);
		n += r < 0 ? 0 : (size_t)r;
	}
	if (n < L->msglen)
		vsnprintf(L->msg + n, L->msglen - n, fmt, ap);
	return L->e;
}

static enum err __attribute__((format(printf, 5, 6)))
say(struct loader *L, const char *at, const char *section, const char *key,
    const char *fmt, ...)
{
	va_list		ap;
	enum err	e;

	va_start(ap, fmt);
	e = vsay(L, at, section, key, fmt, ap);
	va_end(ap);
	return e;
}

static enum err
say_nomem(struct loader *L)
{
	say(L, NULL, NULL, NULL, "out of memory");
	L->e = ERR_NOMEM;
	return ERR_NOMEM;
}

/* A TOML error, with its column and the earlier definition it clashes with. */
static enum err
say_toml(struct loader *L, const char *section, const char *key,
    const struct toml_error *err)
{
	char	where[64] = "", prev[64] = "";
	int	col = column_of(L, err->at), pline = line_of(L, err->prev);

	if (col > 0)
		snprintf(where, sizeof(where), " (column %d)", col);
	if (pline > 0)
		snprintf(prev, sizeof(prev), " (first at line %d)", pline);
	return say(L, err->at, section, key, "%s%s%s", err->reason, where,
	    prev);
}

/* Joins a key's parts with dots, for messages. */
static char *
key_label(struct arena *a, const struct toml_key *k)
{
	char	*s = arena_strdup(a, "");

	for (size_t i = 0; i < k->n; i++)
		s = arena_printf(a, "%s%s%s", s, i ? "." : "", k->parts[i]);
	return s;
}

/* --- The reader inih pulls logical lines from. ---------------------- */

static int
part_is(const struct toml_key *k, size_t i, const char *s)
{
	return k->n > i && strcmp(k->parts[i], s) == 0;
}

static const char *
rest_of_line(const struct loader *L, const char *p)
{
	const char	*end = L->text + L->len;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '#')
		while (p < end && *p != '\n')
			p++;
	if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
		p++;
	return p;
}

/* Moves the reader past the newline at p (or to the end). */
static void
advance_past(struct loader *L, const char *p)
{
	const char	*end = L->text + L->len;

	while (p < end && *p != '\n')
		p++;
	L->pos = (size_t)(p - L->text) + (p < end ? 1 : 0);
}

static size_t
add_line(struct loader *L, enum line_kind kind, const char *at)
{
	struct line	*ln;

	if (L->nlines == L->alloc) {
		size_t	grown = L->alloc == 0 ? 16 : L->alloc * 2;

		L->lines = arena_grow(L->arena, L->lines,
		    L->alloc * sizeof(*ln), grown * sizeof(*ln));
		L->alloc = grown;
	}
	ln = &L->lines[L->nlines];
	memset(ln, 0, sizeof(*ln));
	ln->kind = kind;
	ln->at = at;
	return L->nlines++;
}

/*
 * A [header] or [[header]].  *emit is set when it concerns [auth] and
 * inih must see it.  Returns ERR_CONFIG after a syntax error.
 */
static enum err
read_header(struct loader *L, const char *start, int *emit, size_t *idx)
{
	const char		*end = L->text + L->len, *p;
	struct toml_key		 key;
	struct toml_error	 err;
	size_t			 used;
	int			 array = end - start > 1 && start[1] == '[';

	p = start + (array ? 2 : 1);
	if (toml_key_parse(L->scratch, p, (size_t)(end - p), &used, &key,
	    &err) != ERR_OK)
		return say_toml(L, NULL, NULL, &err);
	p += used;
	if (end - p < 1 + array || p[0] != ']' || (array && p[1] != ']'))
		return say(L, p, NULL, NULL, "expected '%s' to close the "
		    "table header (column %d)", array ? "]]" : "]",
		    column_of(L, p));
	p = rest_of_line(L, p + 1 + array);
	if (p < end && *p != '\n')
		return say(L, p, NULL, NULL, "unexpected text after the "
		    "table header (column %d)", column_of(L, p));
	advance_past(L, p);
	L->in_root = 0;
	L->relevant = part_is(&key, 0, "auth");
	snprintf(L->section, sizeof(L->section), "%s",
	    key_label(L->scratch, &key));
	if (array && L->relevant)
		return say(L, start, L->section, NULL, "arrays of tables "
		    "([[...]]) are not allowed in the [auth] sections. Use "
		    "[auth.NAME] for each provider");
	if (array)
		L->relevant = 0;
	if (!L->relevant)
		return ERR_OK;
	*idx = add_line(L, LINE_HEADER, start);
	p = start + (array ? 2 : 1);
	*emit = 1;
	return toml_key_parse(L->arena, p, (size_t)(end - p), &used,
	    &L->lines[*idx].key, &err);
}

/* A key = value line, joined with the lines its value spans; as above. */
static enum err
read_key(struct loader *L, const char *start, int *emit, size_t *idx)
{
	const char		*end = L->text + L->len, *p = start;
	const char		*label;
	struct toml_key		 key;
	struct toml_error	 err;
	size_t			 used, vend, total;

	if (toml_key_parse(L->scratch, p, (size_t)(end - p), &used, &key,
	    &err) != ERR_OK)
		return say_toml(L, L->section, NULL, &err);
	label = key_label(L->scratch, &key);
	p += used;
	if (p >= end || *p != '=')
		return say(L, p, L->section, label, "expected '=' after the "
		    "key (column %d). Write key = value", column_of(L, p));
	p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (toml_value_extent(p, (size_t)(end - p), &vend, &err) != ERR_OK)
		return say_toml(L, L->section, label, &err);
	if ((total = (size_t)(p + vend - start)) > BOUND_CONFIG_LINE)
		return say(L, start, L->section, label, "line too long (%zu "
		    "bytes with its continuation lines, at most %d)", total,
		    BOUND_CONFIG_LINE);
	advance_past(L, p + vend);
	if (!(L->in_root ? part_is(&key, 0, "auth") : L->relevant))
		return ERR_OK;
	*idx = add_line(L, LINE_KEY, start);
	L->lines[*idx].value = p;
	L->lines[*idx].valuelen = vend;
	*emit = 1;
	return toml_key_parse(L->arena, start, (size_t)(end - start), &used,
	    &L->lines[*idx].key, &err);
}

/*
 * Reads logical lines until one concerns [auth]; returns 1 with *idx
 * set, 0 at the end, -1 after a syntax error.
 */
static int
next_line(struct loader *L, size_t *idx)
{
	const char	*end = L->text + L->len, *p;
	int		 emit = 0;
	enum err	 e;

	while (L->pos < L->len && !L->failed) {
		arena_reset(L->scratch);
		p = L->text + L->pos;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end || *p == '\n' || *p == '#' || (*p == '\r' &&
		    p + 1 < end && p[1] == '\n')) {
			advance_past(L, p);
			continue;
		}
		e = *p == '[' ? read_header(L, p, &emit, idx) :
		    read_key(L, p, &emit, idx);
		if (e != ERR_OK)
			return -1;
		if (emit)
			return 1;
	}
	return 0;
}

/*
 * inih's reader.  inih never sees a byte of the file: it gets "[@N]"
 * and "table = @N" for a header and "key = @N" for a key, where N
 * names a stored line.  So its line limit, ';' comments and
 * continuation lines cannot touch a value, and its 50-byte section
 * names cannot cut [auth.NAME.authorize_params].
 */
static char *
read_synthetic(char *str, int num, void *stream)
{
	struct loader	*L = stream;
	size_t		 idx = 0;
	int		 n;

	if (L->failed)
		return NULL;
	if (L->pending > 0) {
		n = snprintf(str, (size_t)num, "table = @%zu\n",
		    L->pending - 1);
		L->pending = 0;
	} else {
		if (next_line(L, &idx) <= 0)
			return NULL;
		if (L->lines[idx].kind == LINE_HEADER) {
			L->pending = idx + 1;
			n = snprintf(str, (size_t)num, "[@%zu]\n", idx);
		} else
			n = snprintf(str, (size_t)num, "key = @%zu\n", idx);
	}
	if (n < 0 || n >= num) {
		say(L, NULL, NULL, NULL, "internal error: inih line buffer "
		    "of %d bytes too small", num);
		return NULL;
	}
	return str;
}

static struct line *
line_ref(struct loader *L, const char *ref)
{
	long long	i;

	if (ref == NULL || ref[0] != '@' || num_parse_str(ref + 1, 0,
	    (long long)L->nlines - 1, &i) != ERR_OK)
		return NULL;
	return &L->lines[i];
}

/* inih's handler: applies one stored header or key to the tree. */
static int
on_synthetic(void *user, const char *section, const char *name,
    const char *value)
{
	struct loader		*L = user;
	struct line		*ln = line_ref(L, value), *hd;
	struct toml_table	*table = L->root;
	struct toml_value	 v;
	struct toml_error	 err;

	if (L->failed)
		return 0;
	if (ln == NULL) {
		say(L, NULL, NULL, NULL, "internal error: bad line %s = %s",
		    name, value);
		return 0;
	}
	if (ln->kind == LINE_HEADER) {
		if (toml_table_open(L->arena, L->root, &ln->key, ln->at,
		    &ln->table, &err) != ERR_OK) {
			say_toml(L, key_label(L->arena, &ln->key), NULL, &err);
			return 0;
		}
		return 1;
	}
	if (section[0] != '\0') {
		if ((hd = line_ref(L, section)) == NULL || hd->table == NULL) {
			say(L, NULL, NULL, NULL, "internal error: section %s",
			    section);
			return 0;
		}
		table = hd->table;
	}
	if (arena_used(L->arena) > BOUND_CONFIG_MEMORY) {
		say(L, ln->at, NULL, NULL, "the [auth] sections are too large "
		    "(over %d bytes once parsed)", BOUND_CONFIG_MEMORY);
		return 0;
	}
	if (toml_value_parse(L->arena, ln->value, ln->valuelen, &v, &err) !=
	    ERR_OK || toml_table_put(L->arena, table, &ln->key, &v, &err) !=
	    ERR_OK) {
		say_toml(L, L->section, key_label(L->arena, &ln->key), &err);
		return 0;
	}
	return 1;
}

/* --- Copies kept in struct cfg. ----------------------------------- */

static enum err
keep(struct loader *L, char **dst, const char *s)
{
	char	*copy;

	if ((copy = strdup(s)) == NULL)
		return say_nomem(L);
	free(*dst);
	*dst = copy;
	return ERR_OK;
}

static enum err
keep_secret(struct loader *L, struct cfg_secret *dst, const char *s,
    size_t len)
{
	if ((dst->bytes = malloc(len)) == NULL)
		return say_nomem(L);
	memcpy(dst->bytes, s, len);
	dst->len = len;
	return ERR_OK;
}

static enum err
keep_pair(struct loader *L, struct cfg_pair **pairs, size_t *n,
    const char *name, const char *value)
{
	struct cfg_pair	*grown;

	grown = reallocarray(*pairs, *n + 1, sizeof(**pairs));
	if (grown == NULL)
		return say_nomem(L);
	*pairs = grown;
	grown[*n].name = strdup(name);
	grown[*n].value = strdup(value);
	(*n)++;
	if (grown[*n - 1].name == NULL || grown[*n - 1].value == NULL)
		return say_nomem(L);
	return ERR_OK;
}

static enum err
keep_item(struct loader *L, struct cfg_list *l, const char *s)
{
	char	**grown;

	grown = reallocarray(l->items, l->n + 1, sizeof(*l->items));
	if (grown == NULL)
		return say_nomem(L);
	l->items = grown;
	if ((l->items[l->n] = strdup(s)) == NULL)
		return say_nomem(L);
	l->n++;
	return ERR_OK;
}

/* --- Checks shared by several keys. --------------------------------- */

static enum err __attribute__((format(printf, 5, 6)))
bad(struct loader *L, const struct target *t, const char *key,
    const char *at, const char *fmt, ...)
{
	va_list		ap;
	enum err	e;

	va_start(ap, fmt);
	e = vsay(L, at != NULL ? at : t->at, t->section, key, fmt, ap);
	va_end(ap);
	return e;
}

static int
has_control(const char *s)
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

static void
items_of(const struct toml_value *v, const struct toml_value **items,
    size_t *n)
{
	if (v->type == TOML_ARRAY) {
		*items = v->items;
		*n = v->nitems;
	} else {
		*items = v;
		*n = 1;
	}
}

static const char *
a_type(enum toml_type type)
{
	return type == TOML_INTEGER || type == TOML_ARRAY ? "an" : "a";
}

/* The checks a key's type implies, before its own. */
static enum err
check_type(struct loader *L, const struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	const struct toml_value	*items;
	size_t			 n;

	switch (k->type) {
	case KT_STRING:
		if (v->type != TOML_STRING)
			return bad(L, t, k->name, v->at, "must be a string in "
			    "quotes, not %s %s", a_type(v->type),
			    toml_type_name(v->type));
		if (has_control(v->str))
			return bad(L, t, k->name, v->at, "must not contain "
			    "control characters");
		return ERR_OK;
	case KT_INT:
		if (v->type != TOML_INTEGER)
			return bad(L, t, k->name, v->at, "must be an integer "
			    "(a number without quotes), not %s %s",
			    a_type(v->type), toml_type_name(v->type));
		if (v->integer < k->min || v->integer > k->max)
			return bad(L, t, k->name, v->at, "%lld is out of "
			    "range. Use a value from %lld to %lld",
			    v->integer, k->min, k->max);
		return ERR_OK;
	case KT_BOOL:
		if (v->type != TOML_BOOLEAN)
			return bad(L, t, k->name, v->at, "must be true or "
			    "false (without quotes), not %s %s",
			    a_type(v->type), toml_type_name(v->type));
		return ERR_OK;
	case KT_LIST:
		items_of(v, &items, &n);
		for (size_t i = 0; i < n; i++) {
			if (items[i].type != TOML_STRING)
				return bad(L, t, k->name, items[i].at, "must "
				    "be a string or an array of strings, "
				    "not %s %s", a_type(items[i].type),
				    toml_type_name(items[i].type));
			if (has_control(items[i].str))
				return bad(L, t, k->name, items[i].at, "must "
				    "not contain control characters");
		}
		return ERR_OK;
	case KT_TABLE:
		if (v->type != TOML_TABLE)
			return bad(L, t, k->name, v->at, "must be a table, "
			    "e.g. %s = { name = \"value\" }, not %s %s",
			    k->name, a_type(v->type), toml_type_name(v->type));
		return ERR_OK;
	}
	return ERR_OK;
}

/* Returns NULL when the secret is good, else what is wrong with it. */
static const char *
secret_weakness(const char *s, size_t len, char *why, size_t whylen)
{
	unsigned char	seen[256] = { 0 };
	size_t		distinct = 0;

	if (len < BOUND_SECRET_MIN) {
		snprintf(why, whylen, "too short (%zu characters, need at "
		    "least %d)", len, BOUND_SECRET_MIN);
		return why;
	}
	for (size_t i = 0; i < len; i++)
		if (!seen[(unsigned char)s[i]]++)
			distinct++;
	if (distinct < SECRET_DISTINCT_MIN) {
		snprintf(why, whylen, "too weak (only %zu distinct "
		    "character%s)", distinct, distinct == 1 ? "" : "s");
		return why;
	}
	/*
	 * A generated secret is random enough to hold "xxx" by chance;
	 * only a value that does not look random is taken for a sample.
	 */
	if (distinct >= SECRET_DISTINCT_RANDOM)
		return NULL;
	for (size_t i = 0; i < sizeof(placeholder_words) /
	    sizeof(placeholder_words[0]); i++) {
		const char	*w = placeholder_words[i];
		size_t		 wl = strlen(w);

		for (size_t j = 0; j + wl <= len; j++)
			if (strncasecmp(s + j, w, wl) == 0) {
				snprintf(why, whylen, "looks like a "
				    "placeholder (it contains \"%s\")", w);
				return why;
			}
	}
	return NULL;
}

static enum err
check_secret(struct loader *L, const struct target *t, const char *key,
    const struct toml_value *v)
{
	char	why[128];

	if (secret_weakness(v->str, v->len, why, sizeof(why)) != NULL)
		return bad(L, t, key, v->at, "%s. " GEN_SECRET_HINT, why);
	return ERR_OK;
}

/* Parses a URL with lib/url, turning its reason into our message. */
static enum err
check_url(struct loader *L, const struct target *t, const char *key,
    const struct toml_value *v, struct url_info *info)
{
	enum err	e;

	err_reason_clear();
	e = url_parse_http(L->arena, v->str, info);
	if (e != ERR_OK)
		bad(L, t, key, v->at, "not a usable URL (%s). Write an "
		    "absolute URL such as \"https://example.com/path\"",
		    err_reason_get());
	err_reason_clear();
	return e == ERR_OK ? ERR_OK : L->e;
}

static char *
lower(struct arena *a, const char *s)
{
	char	*l = arena_strdup(a, s);

	for (char *p = l; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return l;
}

/* --- Setters: [auth]. ------------------------------------------------- */

static enum err
set_redirect_uri(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	struct cfg	*cfg = t->cfg;
	struct url_info	 info;
	enum err	 e;

	if ((e = check_url(L, t, k->name, v, &info)) != ERR_OK)
		return e;
	if (!info.https && !info.loopback)
		return bad(L, t, k->name, v->at, "redirect_uri must use "
		    "https; plain http is accepted only for localhost / "
		    "127.0.0.1");
	cfg->secure = info.https;
	if ((e = keep(L, &cfg->redirect_uri, v->str)) != ERR_OK ||
	    (e = keep(L, &cfg->redirect_path, info.path)) != ERR_OK)
		return e;
	return keep(L, &cfg->origin, info.origin);
}

static enum err
set_cookie_secret(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	enum err	e;

	if ((e = check_secret(L, t, k->name, v)) != ERR_OK)
		return e;
	return keep_secret(L, &t->cfg->secret, v->str, v->len);
}

static enum err
set_previous(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	const struct toml_value	*items;
	size_t			 n;
	enum err		 e;

	items_of(v, &items, &n);
	if (n > BOUND_SECRETS_PREVIOUS)
		return bad(L, t, k->name, v->at, "%zu secrets; at most %d are "
		    "accepted. Drop the oldest", n, BOUND_SECRETS_PREVIOUS);
	for (size_t i = 0; i < n; i++) {
		if ((e = check_secret(L, t, k->name, &items[i])) != ERR_OK ||
		    (e = keep_secret(L, &t->cfg->previous[i], items[i].str,
		    items[i].len)) != ERR_OK)
			return e;
		t->cfg->nprevious = i + 1;
	}
	return ERR_OK;
}

static enum err
set_expose(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	const struct toml_value	*items;
	size_t			 n;

	items_of(v, &items, &n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(items[i].str, "id") == 0)
			t->cfg->expose_id = 1;
		else if (strcmp(items[i].str, "access") == 0)
			t->cfg->expose_access = 1;
		else
			return bad(L, t, k->name, items[i].at, "\"%s\": only "
			    "'id' and 'access' are allowed", items[i].str);
	}
	return ERR_OK;
}

static enum err
set_int(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	*(long long *)(void *)((char *)t->cfg + k->off) = v->integer;
	return ERR_OK;
}

static enum err
set_cookie_name(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	const char	*s = v->str;

	if (v->len == 0 || v->len > BOUND_CONFIG_COOKIE_NAME ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-") != v->len)
		return bad(L, t, k->name, v->at, "\"%s\" is not a valid cookie "
		    "name. Use 1 to %d letters, digits, '_' or '-'", s,
		    BOUND_CONFIG_COOKIE_NAME);
	if (strncmp(s, "__", 2) == 0)
		return bad(L, t, k->name, v->at, "must not start with \"__\". "
		    "The __Host- prefix is added by itself under https");
	return keep(L, &t->cfg->cookie_name, s);
}

static enum err
set_cookie_path(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (v->str[0] != '/' || v->len > BOUND_URL || !is_token(v->str, ";,"))
		return bad(L, t, k->name, v->at, "\"%s\" is not a cookie "
		    "path. Start it with '/' and use no spaces, ';' or ','",
		    v->str);
	return keep(L, &t->cfg->cookie_path, v->str);
}

/* page_title for [auth], display_name for a provider. */
static enum err
set_label(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (v->len > BOUND_CONFIG_LABEL)
		return bad(L, t, k->name, v->at, "too long (%zu bytes, at "
		    "most %d)", v->len, BOUND_CONFIG_LABEL);
	if (t->p != NULL) {
		if (v->len == 0)
			return bad(L, t, k->name, v->at, "must not be empty");
		return keep(L, &t->p->display_name, v->str);
	}
	return keep(L, &t->cfg->page_title, v->str);
}

static enum err
set_template_dir(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (v->len == 0)
		return bad(L, t, k->name, v->at, "must not be empty");
	return keep(L, &t->cfg->template_dir, v->str);
}

static enum err
set_logout_mode(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (strcmp(v->str, "provider") == 0)
		t->cfg->logout = CFG_LOGOUT_PROVIDER;
	else if (strcmp(v->str, "local") == 0)
		t->cfg->logout = CFG_LOGOUT_LOCAL;
	else
		return bad(L, t, k->name, v->at, "\"%s\" is not a logout mode. "
		    "Use \"provider\" or \"local\"", v->str);
	return ERR_OK;
}

static enum err
set_post_logout(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	struct url_info	info;
	enum err	e;

	if ((e = check_url(L, t, k->name, v, &info)) != ERR_OK)
		return e;
	return keep(L, t->p != NULL ? &t->p->post_logout_redirect_uri :
	    &t->cfg->post_logout_redirect_uri, v->str);
}

static enum err
set_ca_file(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (v->len == 0 || access(v->str, R_OK) != 0)
		return bad(L, t, k->name, v->at, "cannot read \"%s\": %s. "
		    "Give a readable PEM file, or remove the key to use the "
		    "system's CA store", v->str, v->len == 0 ? "empty path" :
		    strerror(errno));
	return keep(L, &t->cfg->http_ca_file, v->str);
}

static enum err
set_user_claim(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (v->len == 0 || !is_token(v->str, ""))
		return bad(L, t, k->name, v->at, "\"%s\" is not a claim name. "
		    "Use a name such as \"email\" or \"preferred_username\"",
		    v->str);
	return keep(L, &t->cfg->user_claim, v->str);
}

static enum err
set_log_level(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (log_level_parse(v->str, &t->cfg->log_level) != 0)
		return bad(L, t, k->name, v->at, "\"%s\" is not a log level. "
		    "Use \"error\", \"warn\", \"info\" or \"debug\"", v->str);
	return ERR_OK;
}

static enum err
set_log_file(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (v->len == 0 || v->str[0] != '/')
		return bad(L, t, k->name, v->at, "must be an absolute path");
	return keep(L, &t->cfg->log_file, v->str);
}

static enum err
set_base_path(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (v->len > 0 && (v->str[0] != '/' || v->str[v->len - 1] == '/' ||
	    v->len > BOUND_URL || !is_token(v->str, ";,?#")))
		return bad(L, t, k->name, v->at, "\"%s\" is not a mount "
		    "point. Use \"\" for the root, or a path such as \"/auth\" "
		    "without a trailing '/'", v->str);
	return keep(L, &t->cfg->base_path, v->str);
}

static struct cfg_rules *
rules_of(const struct target *t)
{
	return t->p != NULL ? &t->p->rules : &t->cfg->rules;
}

/* Says what is wrong with one item of a string list, or NULL when it is good. */
typedef const char *(*item_problem)(const struct toml_value *);

/*
 * Keeps every item of a string-or-array value in list, after check; fold
 * keeps them in lower case (e-mail rules compare case-insensitively).
 */
static enum err
keep_list(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v, struct cfg_list *list, item_problem check,
    int fold)
{
	const struct toml_value	*items;
	const char		*why;
	size_t			 n;
	enum err		 e;

	items_of(v, &items, &n);
	if (n > BOUND_CONFIG_LIST)
		return bad(L, t, k->name, v->at, "more than %d entries",
		    BOUND_CONFIG_LIST);
	for (size_t i = 0; i < n; i++) {
		const char *item = items[i].str;

		if ((why = check(&items[i])) != NULL)
			return bad(L, t, k->name, items[i].at, "\"%s\" %s",
			    item, why);
		if ((e = keep_item(L, list, fold ? lower(L->arena, item) :
		    item)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static const char *
domain_problem(const struct toml_value *item)
{
	const char	*d = item->str;

	if (d[0] == '\0' || !is_token(d, "@/:") || d[0] == '.')
		return "is not a domain. Write it as \"example.com\", "
		    "without '@'";
	return NULL;
}

static const char *
email_problem(const struct toml_value *item)
{
	const char	*m = item->str, *at = strchr(m, '@');

	if (at == NULL || at == m || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || !is_token(m, ""))
		return "is not an email address";
	return NULL;
}

static const char *
hmac_alg_problem(const struct toml_value *item)
{
	const char	*alg = item->str;

	if (strcmp(alg, "HS256") != 0 && strcmp(alg, "HS384") != 0 &&
	    strcmp(alg, "HS512") != 0)
		return "is not an HMAC algorithm. Use \"HS256\", "
		    "\"HS384\" or \"HS512\"";
	return NULL;
}

static const char *
tenant_problem(const struct toml_value *item)
{
	if (item->len == 0 || item->len > BOUND_TENANT_ID ||
	    !is_token(item->str, "/?#@:"))
		return "is not a tenant id (a GUID or a domain name)";
	return NULL;
}

static enum err
set_email_domains(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	return keep_list(L, t, k, v, &rules_of(t)->email_domains,
	    domain_problem, 1);
}

static enum err
set_emails(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	return keep_list(L, t, k, v, &rules_of(t)->emails, email_problem, 1);
}


/* A scalar table entry as text: strings as they are, numbers, booleans. */
static const char *
scalar_text(struct arena *a, const struct toml_value *v)
{
	switch (v->type) {
	case TOML_STRING:
		return v->str;
	case TOML_INTEGER:
		return arena_printf(a, "%lld", v->integer);
	case TOML_BOOLEAN:
		return v->boolean ? "true" : "false";
	default:
		return NULL;
	}
}

static enum err
set_required_claims(struct loader *L, struct target *t,
    const struct kdef *k, const struct toml_value *v)
{
	const struct toml_table	*tb = v->table;
	struct cfg_rules	*r = rules_of(t);
	enum err		 e;

	if (tb->n > BOUND_CONFIG_LIST)
		return bad(L, t, k->name, v->at, "more than %d claims",
		    BOUND_CONFIG_LIST);
	for (size_t i = 0; i < tb->n; i++) {
		const struct toml_member *m = tb->members[i];
		const char	*text = scalar_text(L->arena, &m->value);
		char		*key = arena_printf(L->arena, "%s.%s",
				    k->name, m->key);

		if (m->key[0] == '\0' || has_control(m->key))
			return bad(L, t, key, m->at, "not a claim name");
		if (text == NULL)
			return bad(L, t, key, m->at, "must be a string, an "
			    "integer or a boolean, not %s %s",
			    a_type(m->value.type),
			    toml_type_name(m->value.type));
		if (has_control(text))
			return bad(L, t, key, m->at, "must not contain control "
			    "characters");
		if ((e = keep_pair(L, &r->claims, &r->nclaims, m->key,
		    text)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

/* --- Setters: providers. ---------------------------------------------- */

static enum err
set_client_id(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (v->len == 0)
		return bad(L, t, k->name, v->at, "must not be empty");
	return keep(L, &t->p->client_id, v->str);
}

static enum err
set_client_secret(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (v->len == 0)
		return bad(L, t, k->name, v->at, "must not be empty. For a "
		    "public client, remove it and set "
		    "token_endpoint_auth_method = \"none\"");
	return keep(L, &t->p->client_secret, v->str);
}

static enum err
set_metadata_url(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	struct url_info	info;
	enum err	e;

	if ((e = check_url(L, t, k->name, v, &info)) != ERR_OK)
		return e;
	if (!info.https && !info.loopback)
		return bad(L, t, k->name, v->at, "must use https (plain http "
		    "is accepted only for localhost / 127.0.0.1)");
	return keep(L, &t->p->server_metadata_url, v->str);
}

static int
is_owned_param(const char *name, const struct toml_value *v)
{
	for (size_t i = 0; i < sizeof(owned_params) / sizeof(owned_params[0]);
	    i++)
		if (strcmp(name, owned_params[i]) == 0)
			return 1;
	return strcmp(name, "response_mode") == 0 &&
	    (v->type != TOML_STRING || strcmp(v->str, "query") != 0);
}

/* scope: a string or an array of words, that must hold "openid". */
static enum err
set_scope(struct loader *L, struct target *t, const char *key,
    const struct toml_value *v)
{
	const struct toml_value	*items;
	char			*scope = arena_strdup(L->arena, ""), *w;
	size_t			 n;
	int			 openid = 0;

	if (t->p->scope != NULL)
		return bad(L, t, key, v->at, "scope is given twice (in "
		    "client_kwargs and authorize_params). Keep one");
	if (v->type != TOML_STRING && v->type != TOML_ARRAY)
		return bad(L, t, key, v->at, "must be a string such as "
		    "\"openid email profile\" or an array of strings");
	items_of(v, &items, &n);
	for (size_t i = 0; i < n; i++) {
		if (items[i].type != TOML_STRING ||
		    has_control(items[i].str))
			return bad(L, t, key, items[i].at, "must be a string "
			    "or an array of strings");
		scope = arena_printf(L->arena, "%s%s%s", scope,
		    i > 0 ? " " : "", items[i].str);
	}
	for (char *p = arena_strdup(L->arena, scope); (w = strsep(&p, " ")) !=
	    NULL;)
		if (strcmp(w, "openid") == 0)
			openid = 1;
	if (!openid)
		return bad(L, t, key, v->at, "\"%s\" does not contain "
		    "\"openid\". Add it: OpenID Connect needs it", scope);
	return keep(L, &t->p->scope, scope);
}

/* client_kwargs and authorize_params. */
static enum err
set_auth_params(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	const struct toml_table	*tb = v->table;
	struct cfg_provider	*p = t->p;
	enum err		 e;

	for (size_t i = 0; i < tb->n; i++) {
		const struct toml_member *m = tb->members[i];
		const char	*text = scalar_text(L->arena, &m->value);
		char		*key = arena_printf(L->arena, "%s.%s",
				    k->name, m->key);

		if (strcmp(m->key, "scope") == 0) {
			if ((e = set_scope(L, t, key, &m->value)) != ERR_OK)
				return e;
			continue;
		}
		if (m->key[0] == '\0' || strspn(m->key, "abcdefghijklmnopqrs"
		    "tuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
		    strlen(m->key))
			return bad(L, t, key, m->at, "not a parameter name "
			    "(letters, digits, '_', '.' and '-')");
		if (is_owned_param(m->key, &m->value))
			return bad(L, t, key, m->at, "oidc-login sets this "
			    "itself. Remove it (refused: response_type, "
			    "client_id, redirect_uri, state, nonce, "
			    "code_challenge*, code_verifier, response_mode "
			    "other than \"query\")");
		if (text == NULL)
			return bad(L, t, key, m->at, "must be a string, an "
			    "integer or a boolean, not %s %s",
			    a_type(m->value.type),
			    toml_type_name(m->value.type));
		if (has_control(text))
			return bad(L, t, key, m->at, "must not contain control "
			    "characters");
		for (size_t j = 0; j < p->nparams; j++)
			if (strcmp(p->params[j].name, m->key) == 0)
				return bad(L, t, key, m->at, "given in both "
				    "client_kwargs and authorize_params. "
				    "Keep one");
		if (p->nparams == BOUND_CONFIG_LIST)
			return bad(L, t, key, m->at, "more than %d "
			    "authorization parameters", BOUND_CONFIG_LIST);
		if ((e = keep_pair(L, &p->params, &p->nparams, m->key,
		    text)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static enum err
set_token_auth(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	if (strcmp(v->str, "client_secret_basic") == 0)
		t->p->token_auth = CFG_TOKEN_AUTH_BASIC;
	else if (strcmp(v->str, "client_secret_post") == 0)
		t->p->token_auth = CFG_TOKEN_AUTH_POST;
	else if (strcmp(v->str, "none") == 0)
		t->p->token_auth = CFG_TOKEN_AUTH_NONE;
	else
		return bad(L, t, k->name, v->at, "\"%s\" is not supported. Use "
		    "\"client_secret_basic\", \"client_secret_post\" or "
		    "\"none\"", v->str);
	return ERR_OK;
}

static enum err
set_userinfo(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	t->p->userinfo = v->boolean;
	return ERR_OK;
}

static enum err
set_issuer(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	struct url_info	info;
	enum err	e;

	if ((e = check_url(L, t, k->name, v, &info)) != ERR_OK)
		return e;
	t->p->issuer_explicit = 1;
	return keep(L, &t->p->issuer, v->str);
}

static enum err
set_hmac_algs(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	return keep_list(L, t, k, v, &t->p->hmac_algs, hmac_alg_problem, 0);
}

static enum err
set_tenants(struct loader *L, struct target *t, const struct kdef *k,
    const struct toml_value *v)
{
	return keep_list(L, t, k, v, &t->p->allowed_tenants, tenant_problem,
	    0);
}

/* --- Walking the [auth] tree. ----------------------------------------- */

static const struct kdef *
kdef_find(const char *name, size_t *idx)
{
	for (size_t i = 0; i < NKDEFS; i++)
		if (strcmp(kdefs[i].name, name) == 0) {
			if (idx != NULL)
				*idx = i;
			return &kdefs[i];
		}
	return NULL;
}

static const char *
known_keys(struct arena *a, unsigned where)
{
	char	*s = arena_strdup(a, "");

	for (size_t i = 0; i < NKDEFS; i++)
		if (kdefs[i].where & where)
			s = arena_printf(a, "%s%s%s", s, *s ? ", " : "",
			    kdefs[i].name);
	return s;
}

static enum err
apply(struct loader *L, struct target *t, const struct toml_member *m)
{
	size_t			 idx;
	const struct kdef	*k = kdef_find(m->key, &idx);
	enum err		 e;

	if ((e = check_type(L, t, k, &m->value)) != ERR_OK)
		return e;
	t->seen[idx] = 1;
	return k->set(L, t, k, &m->value);
}

/* Gives every key of this scope that was not set its default. */
static enum err
apply_defaults(struct loader *L, struct target *t, unsigned where)
{
	struct toml_value	v;
	struct toml_error	err;
	enum err		e;

	for (size_t i = 0; i < NKDEFS; i++) {
		const struct kdef	*k = &kdefs[i];

		if (!(k->where & where) || k->def == NULL || t->seen[i])
			continue;
		if (toml_value_parse(L->arena, k->def, strlen(k->def), &v,
		    &err) != ERR_OK)
			return say(L, NULL, t->section, k->name, "internal "
			    "error: bad default %s", k->def);
		if ((e = k->set(L, t, k, &v)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static enum err
unknown_key(struct loader *L, const struct target *t,
    const struct toml_member *m, unsigned where)
{
	const struct kdef	*k = kdef_find(m->key, NULL);

	if (k != NULL && (k->where & K_GLOBAL))
		return bad(L, t, m->key, m->at, "this key belongs in [auth], "
		    "not in a provider section. Move it there");
	if (m->value.type == TOML_TABLE && where == K_PROVIDER)
		return bad(L, t, NULL, m->at, "unknown table [%s.%s]. Known "
		    "sub-tables: client_kwargs, authorize_params, "
		    "required_claims", t->section, m->key);
	return bad(L, t, m->key, m->at, "unknown key. Known keys in [%s]: %s",
	    where == K_PROVIDER ? "auth.NAME" : "auth",
	    known_keys(L->arena, where));
}

static int
is_provider_member(const struct toml_member *m)
{
	return kdef_find(m->key, NULL) == NULL && m->value.type == TOML_TABLE;
}

static int
is_default_member(const struct toml_member *m)
{
	const struct kdef	*k = kdef_find(m->key, NULL);

	return k != NULL && !(k->where & K_GLOBAL);
}

static enum err
check_provider_name(struct loader *L, const struct target *t,
    const struct toml_member *m)
{
	const char	*s = m->key;
	size_t		 n = strlen(s);

	if (n > 0 && n <= BOUND_PROVIDER_NAME && strcspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") < n && strspn(lower(L->arena, s),
	    "abcdefghijklmnopqrstuvwxyz0123456789_-") == n)
		return bad(L, t, NULL, m->at, "provider name \"%s\" must be "
		    "lower case (it is the NAME in /login/NAME). Write "
		    "[auth.%s]", s, lower(L->arena, s));
	if (n == 0 || n > BOUND_PROVIDER_NAME || s[0] == '_' || s[0] == '-' ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n)
		return bad(L, t, NULL, m->at, "\"%s\" is not a provider name. "
		    "Use 1 to %d characters a-z, 0-9, '_' and '-', starting "
		    "with a letter or digit", s, BOUND_PROVIDER_NAME);
	return ERR_OK;
}

static void
default_display_name(struct loader *L, struct cfg_provider *p)
{
	struct url_info	 info;
	const char	*host;
	size_t		 n;

	for (size_t i = 0; i < sizeof(known_providers) /
	    sizeof(known_providers[0]); i++)
		if (strcmp(p->name, known_providers[i].name) == 0) {
			keep(L, &p->display_name, known_providers[i].label);
			return;
		}
	if (strcmp(p->name, "default") == 0 && url_parse_http(L->arena,
	    p->server_metadata_url, &info) == ERR_OK) {
		host = strstr(info.origin, "://") + 3;
		n = host[0] == '[' ? strcspn(host, "]") + 1 :
		    strcspn(host, ":");
		keep(L, &p->display_name, arena_strndup(L->arena, host, n));
		err_reason_clear();
		return;
	}
	keep(L, &p->display_name, arena_printf(L->arena, "%c%s",
	    p->name[0] >= 'a' && p->name[0] <= 'z' ? p->name[0] - 'a' + 'A' :
	    p->name[0], p->name + 1));
}

/*
 * The issuer of https://h/x/.well-known/openid-configuration is
 * https://h/x; RFC 8414 puts the well-known part first:
 * https://h/.well-known/oauth-authorization-server/x is https://h/x.
 */
static char *
derive_issuer(struct arena *a, const char *url)
{
	const char	*oidc = "/.well-known/openid-configuration";
	const char	*rfc = "/.well-known/oauth-authorization-server";
	const char	*host, *path, *w;
	size_t		 n = strlen(url), on = strlen(oidc), rn = strlen(rfc);

	if (strchr(url, '?') != NULL || (host = strstr(url, "://")) == NULL)
		return NULL;
	if ((path = strchr(host + 3, '/')) == NULL)
		return NULL;
	if (n > on && strcmp(url + n - on, oidc) == 0)
		return arena_strndup(a, url, n - on);
	w = path;
	if (strncmp(w, rfc, rn) == 0 && (w[rn] == '\0' || w[rn] == '/'))
		return arena_printf(a, "%.*s%s", (int)(w - url), url, w + rn);
	return NULL;
}

static enum err
finish_provider(struct loader *L, struct target *t)
{
	struct cfg_provider	*p = t->p;
	const char		*missing = NULL;
	char			*issuer;
	enum err		 e;

	if (p->client_id == NULL)
		missing = "client_id";
	if (p->client_secret == NULL && p->token_auth != CFG_TOKEN_AUTH_NONE)
		missing = missing == NULL ? "client_secret" :
		    arena_printf(L->arena, "%s, client_secret", missing);
	if (p->server_metadata_url == NULL)
		missing = missing == NULL ? "server_metadata_url" :
		    arena_printf(L->arena, "%s, server_metadata_url", missing);
	if (missing != NULL && strcmp(t->section, "auth") == 0)
		return bad(L, t, NULL, t->at, "the default provider is "
		    "incomplete: missing %s. Add the missing keys to [auth], "
		    "or move the provider keys into a [auth.NAME] section",
		    missing);
	if (missing != NULL)
		return bad(L, t, NULL, t->at, "missing %s. A provider needs "
		    "client_id, client_secret and server_metadata_url",
		    missing);
	if (p->token_auth == CFG_TOKEN_AUTH_NONE && p->client_secret != NULL)
		return bad(L, t, "client_secret", t->at, "not used with "
		    "token_endpoint_auth_method = \"none\". Remove one of "
		    "them");
	if (p->hmac_algs.n > 0 && p->client_secret == NULL)
		return bad(L, t, "id_token_hmac_algs", t->at, "HMAC-signed ID "
		    "tokens need a client_secret");
	if (p->scope == NULL && (e = keep(L, &p->scope,
	    "openid email profile")) != ERR_OK)
		return e;
	if (p->issuer == NULL) {
		if ((issuer = derive_issuer(L->arena,
		    p->server_metadata_url)) == NULL)
			return bad(L, t, "issuer", t->at, "cannot be derived "
			    "from server_metadata_url (it does not end in "
			    "/.well-known/openid-configuration). Add "
			    "issuer = \"...\" with the provider's issuer URL");
		if ((e = keep(L, &p->issuer, issuer)) != ERR_OK)
			return e;
	}
	if (p->display_name == NULL)
		default_display_name(L, p);
	p->line = line_of(L, t->at);
	return L->failed ? L->e : ERR_OK;
}

static void
target_init(struct target *t, struct cfg *cfg, struct cfg_provider *p,
    const char *section, const char *at)
{
	memset(t, 0, sizeof(*t));
	t->cfg = cfg;
	t->p = p;
	t->section = section;
	t->at = at;
}

static enum err
walk_provider(struct loader *L, struct cfg_provider *p,
    const struct toml_member *m)
{
	const struct toml_table	*tb = m->value.table;
	struct target		 t;
	enum err		 e;

	target_init(&t, L->cfg, p, arena_printf(L->arena, "auth.%s", m->key),
	    tb->at);
	if ((e = keep(L, &p->name, m->key)) != ERR_OK)
		return e;
	p->userinfo = 1;
	for (size_t i = 0; i < tb->n; i++) {
		const struct toml_member	*km = tb->members[i];
		const struct kdef		*k = kdef_find(km->key, NULL);

		if (k == NULL || !(k->where & K_PROVIDER))
			e = unknown_key(L, &t, km, K_PROVIDER);
		else
			e = apply(L, &t, km);
		if (e != ERR_OK)
			return e;
	}
	if ((e = apply_defaults(L, &t, K_PROVIDER)) != ERR_OK)
		return e;
	return finish_provider(L, &t);
}

/* Counts the providers and checks their number. */
static enum err
count_providers(struct loader *L, const struct target *g,
    const struct toml_table *auth, size_t *n, int *has_default)
{
	const struct toml_member	*dm;

	*n = 0;
	*has_default = 0;
	for (size_t i = 0; i < auth->n; i++) {
		const struct toml_member	*m = auth->members[i];

		if (is_default_member(m))
			*has_default = 1;
		if (is_provider_member(m) && ++*n > BOUND_PROVIDERS)
			return bad(L, g, NULL, m->at, "more than %d "
			    "providers", BOUND_PROVIDERS);
	}
	if (*has_default && ++*n > BOUND_PROVIDERS)
		return bad(L, g, NULL, auth->at, "more than %d providers",
		    BOUND_PROVIDERS);
	if (*has_default && (dm = toml_table_get(auth, "default")) != NULL)
		return bad(L, g, NULL, dm->at,
		    "[auth.default] clashes with the provider configured in "
		    "[auth] itself, which is named \"default\". Rename the "
		    "section");
	return ERR_OK;
}

static enum err
finish_global(struct loader *L, struct target *g)
{
	struct cfg	*cfg = L->cfg;
	const char	*slash;
	enum err	 e;

	if (cfg->redirect_uri == NULL)
		return bad(L, g, "redirect_uri", g->at, "missing. Set it to "
		    "the absolute URL of the callback, e.g. redirect_uri = "
		    "\"https://example.com/oauth2callback\"");
	if (cfg->secret.bytes == NULL)
		return bad(L, g, "cookie_secret", g->at, "missing. "
		    GEN_SECRET_HINT);
	for (size_t i = 0; i < cfg->nprevious; i++)
		if (cfg->previous[i].len == cfg->secret.len &&
		    CRYPTO_memcmp(cfg->previous[i].bytes, cfg->secret.bytes,
		    cfg->secret.len) == 0)
			return bad(L, g, "cookie_secret_previous", g->at,
			    "must differ from cookie_secret. Keep only the "
			    "old secrets there");
	if (cfg->http_connect_timeout > cfg->http_timeout)
		return bad(L, g, "http_connect_timeout", g->at, "%lld is more "
		    "than http_timeout (%lld). Lower it or raise "
		    "http_timeout", cfg->http_connect_timeout,
		    cfg->http_timeout);
	if (cfg->post_logout_redirect_uri == NULL && (e = keep(L,
	    &cfg->post_logout_redirect_uri, arena_printf(L->arena, "%s/",
	    cfg->origin))) != ERR_OK)
		return e;
	if (cfg->base_path == NULL) {
		slash = strrchr(cfg->redirect_path, '/');
		if ((e = keep(L, &cfg->base_path, arena_strndup(L->arena,
		    cfg->redirect_path, (size_t)(slash - cfg->redirect_path))))
		    != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static enum err
walk_auth(struct loader *L, const struct toml_member *am)
{
	const struct toml_table	*auth;
	struct cfg		*cfg = L->cfg;
	struct target		 g, d;
	size_t			 n, next = 0;
	int			 has_default;
	enum err		 e;

	target_init(&g, cfg, NULL, "auth", am->value.at);
	if (am->value.type != TOML_TABLE)
		return bad(L, &g, NULL, am->at, "auth must be a table: write "
		    "[auth] on a line of its own");
	auth = am->value.table;
	g.at = auth->at;
	if ((e = count_providers(L, &g, auth, &n, &has_default)) != ERR_OK)
		return e;
	if (n > 0 && (cfg->providers = calloc(n, sizeof(*cfg->providers))) ==
	    NULL)
		return say_nomem(L);
	cfg->nproviders = n;
	target_init(&d, cfg, has_default ? &cfg->providers[next++] : NULL,
	    "auth", auth->at);
	if (d.p != NULL) {
		d.p->userinfo = 1;
		if ((e = keep(L, &d.p->name, "default")) != ERR_OK)
			return e;
	}
	for (size_t i = 0; i < auth->n; i++) {
		const struct toml_member	*m = auth->members[i];
		const struct kdef		*k = kdef_find(m->key, NULL);

		if (k != NULL)
			e = apply(L, (k->where & K_GLOBAL) ? &g : &d, m);
		else if (m->value.type != TOML_TABLE)
			e = unknown_key(L, &g, m, K_GLOBAL | K_PROVIDER);
		else if ((e = check_provider_name(L, &g, m)) == ERR_OK)
			e = walk_provider(L, &cfg->providers[next++], m);
		if (e != ERR_OK)
			return e;
	}
	if ((e = apply_defaults(L, &g, K_GLOBAL)) != ERR_OK)
		return e;
	if (d.p != NULL && ((e = apply_defaults(L, &d, K_PROVIDER)) !=
	    ERR_OK || (e = finish_provider(L, &d)) != ERR_OK))
		return e;
	if ((e = finish_global(L, &g)) != ERR_OK)
		return e;
	if (n == 0)
		return bad(L, &g, NULL, auth->at, "no provider: add client_id, "
		    "client_secret and server_metadata_url to [auth], or a "
		    "[auth.NAME] section");
	return ERR_OK;
}

/* --- Loading. ----------------------------------------------------------- */

static enum err
load(struct loader *L)
{
	const struct toml_member	*auth;
	int				 r;

	L->root = toml_table_new(L->arena, L->text);
	L->in_root = 1;
	if (L->len >= 3 && memcmp(L->text, UTF8_BOM, 3) == 0)
		L->pos = 3;
	r = ini_parse_stream(read_synthetic, L, on_synthetic, L);
	if (L->failed)
		return L->e;
	if (r != 0)
		return say(L, NULL, NULL, NULL, "internal error: inih refused "
		    "line %d", r);
	if ((auth = toml_table_get(L->root, "auth")) == NULL)
		return say(L, NULL, NULL, NULL, "no [auth] section. Add one "
		    "with redirect_uri, cookie_secret and a provider "
		    "(see oidc-login --help)");
	return walk_auth(L, auth);
}

enum err
cfg_load_string(const char *text, const char *path, struct cfg **out,
    char *msg, size_t msglen)
{
	struct loader	L;
	size_t		len = strlen(text);
	enum err	e;

	*out = NULL;
	memset(&L, 0, sizeof(L));
	L.path = path;
	L.text = text;
	L.len = len;
	L.msg = msg;
	L.msglen = msglen;
	if (msglen > 0)
		msg[0] = '\0';
	if (len > BOUND_CONFIG_FILE)
		return say(&L, NULL, NULL, NULL, "file too large (%zu bytes, "
		    "at most %d)", len, BOUND_CONFIG_FILE);
	if ((L.cfg = calloc(1, sizeof(*L.cfg))) == NULL)
		return say_nomem(&L);
	L.arena = arena_new();
	L.scratch = arena_new();
	if ((e = keep(&L, &L.cfg->path, path)) == ERR_OK)
		e = load(&L);
	arena_free(L.scratch);
	arena_free(L.arena);
	if (e != ERR_OK) {
		cfg_free(L.cfg);
		return e;
	}
	*out = L.cfg;
	return ERR_OK;
}

enum err
cfg_load(const char *path, struct cfg **out, char *msg, size_t msglen)
{
	FILE		*f;
	char		*text;
	size_t		 len;
	enum err	 e;

	*out = NULL;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(msg, msglen, "%s: cannot read: %s", path,
		    strerror(errno));
		return ERR_SYSTEM;
	}
	if ((text = malloc(BOUND_CONFIG_FILE + 2)) == NULL) {
		fclose(f);
		snprintf(msg, msglen, "%s: out of memory", path);
		return ERR_NOMEM;
	}
	len = fread(text, 1, BOUND_CONFIG_FILE + 1, f);
	if (ferror(f)) {
		snprintf(msg, msglen, "%s: cannot read: %s", path,
		    strerror(errno));
		e = ERR_SYSTEM;
	} else if (len > BOUND_CONFIG_FILE) {
		snprintf(msg, msglen, "%s: file too large (more than %d "
		    "bytes)", path, BOUND_CONFIG_FILE);
		e = ERR_CONFIG;
	} else if (memchr(text, '\0', len) != NULL) {
		snprintf(msg, msglen, "%s: a NUL byte in the file; it must be "
		    "UTF-8 text", path);
		e = ERR_CONFIG;
	} else {
		text[len] = '\0';
		e = cfg_load_string(text, path, out, msg, msglen);
	}
	fclose(f);
	OPENSSL_cleanse(text, len);
	free(text);
	return e;
}

static void
free_string(char *s, int wipe)
{
	if (s != NULL && wipe)
		OPENSSL_cleanse(s, strlen(s));
	free(s);
}

static void
free_list(struct cfg_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
}

static void
free_pairs(struct cfg_pair *pairs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pairs[i].name);
		free(pairs[i].value);
	}
	free(pairs);
}

static void
free_rules(struct cfg_rules *r)
{
	free_list(&r->email_domains);
	free_list(&r->emails);
	free_pairs(r->claims, r->nclaims);
}

static void
free_secret(struct cfg_secret *s)
{
	if (s->bytes != NULL)
		OPENSSL_cleanse(s->bytes, s->len);
	free(s->bytes);
}

static void
free_provider(struct cfg_provider *p)
{
	free(p->name);
	free(p->display_name);
	free(p->client_id);
	free_string(p->client_secret, 1);
	free(p->server_metadata_url);
	free(p->issuer);
	free(p->scope);
	free_pairs(p->params, p->nparams);
	free_list(&p->hmac_algs);
	free_list(&p->allowed_tenants);
	free(p->post_logout_redirect_uri);
	free_rules(&p->rules);
}

void
cfg_free(struct cfg *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->redirect_uri);
	free(cfg->redirect_path);
	free(cfg->origin);
	free(cfg->base_path);
	free_secret(&cfg->secret);
	for (size_t i = 0; i < BOUND_SECRETS_PREVIOUS; i++)
		free_secret(&cfg->previous[i]);
	free(cfg->cookie_name);
	free(cfg->cookie_path);
	free(cfg->page_title);
	free(cfg->template_dir);
	free(cfg->post_logout_redirect_uri);
	free(cfg->http_ca_file);
	free(cfg->log_file);
	free(cfg->user_claim);
	free_rules(&cfg->rules);
	for (size_t i = 0; i < cfg->nproviders; i++)
		free_provider(&cfg->providers[i]);
	free(cfg->providers);
	OPENSSL_cleanse(cfg, sizeof(*cfg));
	free(cfg);
}

const struct cfg_provider *
cfg_provider_find(const struct cfg *cfg, const char *name, size_t namelen)
{
	for (size_t i = 0; i < cfg->nproviders; i++) {
		const char	*n = cfg->providers[i].name;

		if (n != NULL && strlen(n) == namelen &&
		    memcmp(n, name, namelen) == 0)
			return &cfg->providers[i];
	}
	return NULL;
}

static const char *
type_doc(enum ktype type)
{
	switch (type) {
	case KT_STRING:
		return "string";
	case KT_INT:
		return "integer";
	case KT_BOOL:
		return "boolean";
	case KT_LIST:
		return "string or array of strings";
	case KT_TABLE:
		return "table";
	}
	return "value";
}

static void
print_group(FILE *fp, unsigned where)
{
	for (size_t i = 0; i < NKDEFS; i++) {
		const struct kdef	*k = &kdefs[i];

		if (!(k->where & where))
			continue;
		fprintf(fp, "  %s (%s", k->name, type_doc(k->type));
		if (k->where & K_REQUIRED)
			fprintf(fp, ", required");
		else if (k->def != NULL)
			fprintf(fp, ", default: %s", k->def);
		else if (k->def_doc != NULL)
			fprintf(fp, ", default: %s", k->def_doc);
		fprintf(fp, ")\n      %s\n", k->help);
	}
}

void
cfg_print_keys(FILE *fp)
{
	fprintf(fp, "[auth]: shared by all providers\n");
	print_group(fp, K_GLOBAL);
	fprintf(fp, "\n[auth.NAME]: one provider; its keys may also sit in "
	    "[auth] for the provider named \"default\"\n");
	print_group(fp, K_PROVIDER);
}
