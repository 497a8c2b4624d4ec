/*
 * What a configuration value must look like: one function per kind of
 * value, each returning NULL when the value is good or the message that
 * says what is wrong and how to fix it (arena text).  The key table in
 * cfg_keys.c names the check of every key.  No message quotes a secret.
 *
 * Internal to the configuration reader (lib/cfg*.c).
 */
#ifndef CFG_CHECK_H
#define CFG_CHECK_H

#include <stddef.h>

struct arena;
struct toml_value;

/* Returns 1 when s holds a control character (below 0x20, or 0x7f). */
int		 cfg_check_has_control(const char *s);

/* An absolute http(s) URL. */
const char	*cfg_check_url(struct arena *, const struct toml_value *);

/* An absolute URL we may call: https, or http to a loopback host. */
const char	*cfg_check_callable_url(struct arena *,
		    const struct toml_value *);

/* Not empty. */
const char	*cfg_check_nonempty(struct arena *, const struct toml_value *);

/* At most BOUND_CONFIG_LABEL bytes (page_title). */
const char	*cfg_check_label(struct arena *, const struct toml_value *);

/* A label that is not empty (display_name). */
const char	*cfg_check_display_name(struct arena *,
		    const struct toml_value *);

/* A cookie name we may prefix: letters, digits, '_', '-'; no "__". */
const char	*cfg_check_cookie_name(struct arena *,
		    const struct toml_value *);

/* A cookie Path attribute. */
const char	*cfg_check_cookie_path(struct arena *,
		    const struct toml_value *);

/* A readable file (http_ca_file). */
const char	*cfg_check_ca_file(struct arena *, const struct toml_value *);

/* A claim name: printable ASCII without blanks. */
const char	*cfg_check_claim_name(struct arena *,
		    const struct toml_value *);

/* An absolute path. */
const char	*cfg_check_absolute_path(struct arena *,
		    const struct toml_value *);

/* A mount point: "" or "/x" without a final '/'. */
const char	*cfg_check_base_path(struct arena *,
		    const struct toml_value *);

/* A client secret: not empty (a public client has none at all). */
const char	*cfg_check_client_secret(struct arena *,
		    const struct toml_value *);

/* A domain name, for allowed_email_domains. */
const char	*cfg_check_domain(struct arena *, const struct toml_value *);

/* An e-mail address, for allowed_emails. */
const char	*cfg_check_email(struct arena *, const struct toml_value *);

/* HS256, HS384 or HS512. */
const char	*cfg_check_hmac_alg(struct arena *, const struct toml_value *);

/* A Microsoft Entra tenant id (a GUID: hexadecimal digits and dashes). */
const char	*cfg_check_tenant(struct arena *, const struct toml_value *);

/*
 * A cookie secret of len bytes: long, varied and no placeholder such as
 * "xxx" or "changeme" (unless it looks random).
 */
const char	*cfg_check_secret(struct arena *, const char *s, size_t len);

#endif /* CFG_CHECK_H */
