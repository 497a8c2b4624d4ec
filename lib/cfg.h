/*
 * The configuration: a Streamlit-style secrets.toml read with inih.
 *
 * It is read and validated once per process; afterwards it is
 * read-only.  Every string is NUL-terminated and owned by the struct
 * cfg; secrets are wiped by cfg_free.
 */
#ifndef CFG_H
#define CFG_H

#include <stddef.h>
#include <stdio.h>

#include "bounds.h"

#include "err.h"
#include "log.h"

enum cfg_token_auth {
	CFG_TOKEN_AUTH_BASIC = 0,	/* client_secret_basic (default) */
	CFG_TOKEN_AUTH_POST,		/* client_secret_post */
	CFG_TOKEN_AUTH_NONE,		/* public client: PKCE only */
};

enum cfg_logout {
	CFG_LOGOUT_PROVIDER = 0,	/* RP-initiated logout when offered */
	CFG_LOGOUT_LOCAL,		/* clear our cookies only */
};

/* One name = value pair, in file order. */
struct cfg_pair {
	char	*name;
	char	*value;
};

/* One secret, as raw bytes (the text of the value). */
struct cfg_secret {
	unsigned char	*bytes;
	size_t		 len;
};

/* A list of strings. */
struct cfg_list {
	char	**items;
	size_t	  n;
};

/*
 * Access rules.  All present rules must hold; an empty rule is no rule.
 * Global rules apply to every provider, a provider's own in addition.
 */
struct cfg_rules {
	struct cfg_list	 email_domains;	/* allowed_email_domains */
	struct cfg_list	 emails;	/* allowed_emails */
	struct cfg_pair	*claims;	/* required_claims: name = value */
	size_t		 nclaims;
};

struct cfg_provider {
	char			*name;		/* "default" for [auth] itself */
	char			*display_name;	/* button label */
	char			*client_id;
	char			*client_secret;	/* NULL with auth method none */
	char			*server_metadata_url;
	char			*issuer;	/* explicit, or derived from the URL */
	int			 issuer_explicit;
	char			*scope;		/* "openid email profile" default */
	struct cfg_pair		*params;	/* extra authorization parameters */
	size_t			 nparams;
	enum cfg_token_auth	 token_auth;
	int			 userinfo;	/* call userinfo (default 1) */
	struct cfg_list		 hmac_algs;	/* HS* allowed, keyed by secret */
	struct cfg_list		 allowed_tenants; /* Entra {tenantid} */
	char			*post_logout_redirect_uri; /* NULL: global */
	struct cfg_rules	 rules;
	int			 line;		/* where its section starts */
};

struct cfg {
	char			*path;
	/* [auth] */
	char			*redirect_uri;
	char			*redirect_path;	/* path of redirect_uri */
	char			*origin;	/* scheme://host[:port] of it */
	int			 secure;	/* redirect_uri is https */
	char			*base_path;	/* mount point, "" for root */
	struct cfg_secret	 secret;
	struct cfg_secret	 previous[BOUND_SECRETS_PREVIOUS];
	size_t			 nprevious;
	int			 expose_id;
	int			 expose_access;
	long long		 cookie_max_age;
	char			*cookie_name;	/* base, without __Host- */
	char			*cookie_path;
	char			*page_title;
	char			*template_dir;
	enum cfg_logout		 logout;
	char			*post_logout_redirect_uri;
	long long		 http_timeout;
	long long		 http_connect_timeout;
	char			*http_ca_file;	/* NULL: system store */
	long long		 clock_skew;
	long long		 metadata_ttl;
	char			*user_claim;	/* REMOTE_USER: default email */
	enum log_level		 log_level;
	char			*log_file;	/* NULL: stderr */
	struct cfg_rules	 rules;
	struct cfg_provider	*providers;
	size_t			 nproviders;
};

/*
 * Reads and validates the file.  On success *out is owned by the
 * caller (cfg_free).  On failure returns ERR_CONFIG (or ERR_NOMEM,
 * ERR_SYSTEM) and writes one precise message into msg: file, line, key,
 * what is wrong and how to fix it.
 */
enum err	cfg_load(const char *path, struct cfg **out, char *msg,
		    size_t msglen);

/* Same, from text in memory; path only names it in messages. */
enum err	cfg_load_string(const char *text, const char *path,
		    struct cfg **out, char *msg, size_t msglen);

/* Wipes the secrets and frees everything; accepts NULL. */
void		cfg_free(struct cfg *);

/* Returns the provider of that name, owned by cfg, or NULL. */
const struct cfg_provider *cfg_provider_find(const struct cfg *,
		    const char *name, size_t namelen);

/* Writes the help text for every key (for --help and the docs). */
void		cfg_print_keys(FILE *);

#endif /* CFG_H */
