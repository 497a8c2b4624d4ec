/*
 * The configuration: the [auth] sections of a Streamlit-style
 * secrets.toml, read with lib/toml.c (an INI parser cannot read TOML's
 * multi-line strings and arrays, which real secrets files hold).
 *
 * It is read and validated once per process; afterwards it is
 * read-only.  Every string is NUL-terminated and owned by the struct
 * cfg; secrets are wiped by cfg_free.  The key table, with each key's
 * checks, is lib/cfg_keys.c; the messages, lib/cfg_diag.c.
 */
#ifndef CFG_H
#define CFG_H

#include <stddef.h>
#include <stdio.h>

#include "bounds.h"

#include "err.h"
#include "log.h"

enum cfg_token_auth {
	CFG_TOKEN_AUTH_AUTO = 0,	/* from the provider's metadata */
	CFG_TOKEN_AUTH_BASIC,		/* client_secret_basic */
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
	char			*user_claim;	/* the identity; [auth]'s default */
	int			 assume_email_verified;
	long long		 revalidate_after; /* -1 until [auth]'s is known */
	int			 use_refresh_token;
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
	long long		 cookie_max_age;	/* absolute session lifetime */
	long long		 idle_timeout;	/* 0: none */
	long long		 revalidate_after; /* 0: never */
	char			*cookie_name;	/* base, without __Host- */
	char			*cookie_path;
	char			*page_title;	/* default: redirect_uri's host */
	char			*home_url;	/* default: the origin + "/" */
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
	char			*runtime_dir;	/* NULL: chosen at run time */
	struct cfg_rules	 rules;
	struct cfg_provider	*providers;
	size_t			 nproviders;
	struct cfg_list		 warnings;	/* FILE:LINE: what, not fatal */
};

/*
 * Reads and validates the file.  On success *out is owned by the
 * caller (cfg_free), with what deserves a warning in its warnings.  On
 * failure returns ERR_CONFIG (or ERR_NOMEM, ERR_SYSTEM) with one
 * precise err_reason(): file, line, key, what is wrong and how to fix
 * it.  No message holds the value of a secret.
 */
enum err	cfg_load(const char *path, struct cfg **out);

/* Same, from text in memory; path only names it in messages. */
enum err	cfg_load_string(const char *text, const char *path,
		    struct cfg **out);

/* Wipes the secrets and frees everything; accepts NULL. */
void		cfg_free(struct cfg *);

/* Returns the provider of that name, owned by cfg, or NULL. */
const struct cfg_provider *cfg_provider_find(const struct cfg *,
		    const char *name, size_t namelen);

/* Writes the help text for every key (for --help and the docs). */
void		cfg_print_keys(FILE *);

#endif /* CFG_H */
