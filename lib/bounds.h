/*
 * Every size and time limit of oidc-login, in one place.
 *
 * Untrusted input is measured against these before it is copied or
 * parsed; going over one is a 4xx for the client (or a failed exchange
 * for a provider) and one log line, never a truncation.
 */
#ifndef BOUNDS_H
#define BOUNDS_H

/* --- The HTTP request we serve. ------------------------------------ */

/* The whole Cookie header; browsers send at most ~8 KiB to most servers. */
#define BOUND_COOKIE_HEADER		16384
/* Cookies in one header, ours and the site's together. */
#define BOUND_COOKIE_COUNT		128
/* One cookie's name. */
#define BOUND_COOKIE_NAME		128
/* The raw query string. */
#define BOUND_QUERY			8192
/* Parameters in a query string or a form body. */
#define BOUND_PARAM_COUNT		64
/* A POST body (only /logout takes one: a CSRF token and return_to). */
#define BOUND_FORM_BODY			8192
/*
 * Request body bytes the accept loop reads past what the handler took,
 * to reach the end of the input and close without lingering; a longer
 * rest is left to libfcgi's lingering close.
 */
#define BOUND_FCGI_DRAIN		(64 * 1024)
/* REQUEST_URI, SCRIPT_NAME, PATH_INFO. */
#define BOUND_REQUEST_PATH		4096
/* A return_to path, before and after validation. */
#define BOUND_RETURN_TO			2048
/* Other request headers we read (Accept, Host, X-Requested-With, ...). */
#define BOUND_HEADER_VALUE		4096
/* A method name (REQUEST_METHOD, REDIRECT_REQUEST_METHOD). */
#define BOUND_METHOD			16
/* A number the server passes as text (CONTENT_LENGTH). */
#define BOUND_NUMBER_TEXT		32

/* --- Cookies we issue. --------------------------------------------- */

/* One Set-Cookie value; browsers keep at least 4096 bytes per cookie. */
#define BOUND_COOKIE_CHUNK		3800
/* A session cookie may be split in at most this many chunks. */
#define BOUND_SESSION_CHUNKS		4
/*
 * A whole sealed session.  Apache refuses request header lines over
 * 8190 bytes and lighttpd whole headers over 8 KiB by default, so a
 * session must leave room for the rest of the Cookie header.
 */
#define BOUND_SESSION_SEALED		6144
/* A sealed flow cookie (provider, state, nonce, verifier, return_to). */
#define BOUND_FLOW_SEALED		3072
/* Login attempts in flight in one browser; older ones are expired. */
#define BOUND_FLOWS_LIVE		3
/* Seconds a login attempt may take, provider pages included. */
#define BOUND_FLOW_MAX_AGE		600
/* Seconds between two sweeps of old used-state records, per process. */
#define BOUND_REPLAY_SWEEP		60
/* A directory path for the used-state records. */
#define BOUND_REPLAY_DIR		1024
/* Bytes of randomness in state, nonce and the PKCE verifier. */
#define BOUND_RANDOM_BYTES		32
/* Random bytes in a failure's reference (8 characters of base64url). */
#define BOUND_FAILURE_REF_BYTES		6

/* --- What providers send us. --------------------------------------- */

/* Discovery document. */
#define BOUND_DISCOVERY_BODY		(64 * 1024)
/* JWKS document. */
#define BOUND_JWKS_BODY			(128 * 1024)
/* Keys kept from one JWKS. */
#define BOUND_JWKS_KEYS			32
/* Token endpoint response. */
#define BOUND_TOKEN_BODY		(64 * 1024)
/* Userinfo response. */
#define BOUND_USERINFO_BODY		(64 * 1024)
/* A compact JWS (the ID token). */
#define BOUND_JWT			(32 * 1024)
/* Nesting depth json-c may parse; OIDC documents are shallow. */
#define BOUND_JSON_DEPTH		16
/* Claims kept in a session. */
#define BOUND_CLAIMS			64
/* The identity handed to the site (REMOTE_USER): e-mail addresses are at most 254. */
#define BOUND_IDENTITY			256
/* A URL taken from configuration or a provider's metadata. */
#define BOUND_URL			2048
/* A key id ("kid"), in a JWKS or in a token header. */
#define BOUND_JWK_KID			256
/* RSA signature keys: weaker ones are refused, larger ones are absurd. */
#define BOUND_RSA_BITS_MIN		2048
#define BOUND_RSA_BITS_MAX		16384
/* An RSA public exponent, in bytes (65537 takes three). */
#define BOUND_RSA_EXPONENT_BYTES	8
/* Entries of an ID token's "aud" array. */
#define BOUND_JWT_AUDIENCES		32
/* An ID token's "sub" (OpenID Connect Core §2: at most 255 ASCII characters). */
#define BOUND_JWT_SUB			255
/* An Entra tenant id ("tid") put into an issuer template. */
#define BOUND_TENANT_ID			64
/* An OAuth "error" code we repeat in a log line (RFC 6749 §5.2: ASCII). */
#define BOUND_OAUTH_ERROR		64

/* --- Time. ----------------------------------------------------------- */

/*
 * Seconds a request body may take to arrive, in all (OpenBSD's slowcgi
 * has such a deadline).  A web server that streams the body as the
 * client sends it (Apache's mod_proxy_fcgi) would otherwise let one
 * slow client hold a process; a sign-out form of a few hundred bytes
 * arrives with its headers.  Past it: 408.
 */
#define BOUND_BODY_SECONDS		5

/* Default total time for one call to a provider, in seconds. */
#define BOUND_HTTP_TIMEOUT_DEFAULT	10
/* Default connect time for one call to a provider, in seconds. */
#define BOUND_HTTP_CONNECT_DEFAULT	5
/* Largest timeout a configuration may set, in seconds. */
#define BOUND_HTTP_TIMEOUT_MAX		120
/* Default clock-skew allowance for exp, nbf and iat, in seconds. */
#define BOUND_CLOCK_SKEW_DEFAULT	60
/* Largest clock-skew allowance a configuration may set. */
#define BOUND_CLOCK_SKEW_MAX		600
/* Default session lifetime (Streamlit's: 30 days). */
#define BOUND_SESSION_MAX_AGE_DEFAULT	2592000
/* Longest session lifetime a configuration may set (400 days, RFC 6265bis). */
#define BOUND_SESSION_MAX_AGE_MAX	34560000
/* How long discovery and JWKS documents are trusted, by default. */
#define BOUND_METADATA_TTL_DEFAULT	3600
/* Least time between two JWKS fetches caused by an unknown kid. */
#define BOUND_JWKS_REFETCH_INTERVAL	60
/* Least time between two discovery attempts after a failure. */
#define BOUND_DISCOVERY_RETRY		5
/* How long a provider a login failed at is marked on the choice page. */
#define BOUND_PROVIDER_TROUBLE		300
/* Largest time value accepted in a token: 9999-12-31T23:59:59Z. */
#define BOUND_TIME_MAX			253402300799LL
/* Shortest session lifetime a configuration may set. */
#define BOUND_SESSION_MAX_AGE_MIN	60
/* Shortest idle timeout and re-validation interval (0 turns them off). */
#define BOUND_SESSION_IDLE_MIN		60
/* Shortest and longest metadata_ttl a configuration may set (a week). */
#define BOUND_METADATA_TTL_MIN		60
#define BOUND_METADATA_TTL_MAX		604800

/* --- Configuration. -------------------------------------------------- */

/* The configuration file. */
#define BOUND_CONFIG_FILE		(256 * 1024)
/* One logical configuration line (a multi-line array joined). */
#define BOUND_CONFIG_LINE		8192
/* One configuration error or warning, file and line included. */
#define BOUND_CONFIG_MESSAGE		1024
/* Warnings kept from loading one configuration; later ones are dropped. */
#define BOUND_CONFIG_WARNINGS		32
/* Providers in one configuration. */
#define BOUND_PROVIDERS			16
/* A provider name, as used in /login/NAME. */
#define BOUND_PROVIDER_NAME		32
/* Entries in one array or inline table value. */
#define BOUND_CONFIG_LIST		64
/* Least length of cookie_secret. */
#define BOUND_SECRET_MIN		32
/* Previous cookie secrets accepted for verification. */
#define BOUND_SECRETS_PREVIOUS		4
/* A template file. */
#define BOUND_TEMPLATE_FILE		(64 * 1024)
/* A rendered page. */
#define BOUND_PAGE			(256 * 1024)
/* A name in a template tag ({{name}}). */
#define BOUND_TEMPLATE_NAME		32
/* Sections nested in a template. */
#define BOUND_TEMPLATE_DEPTH		8
/* Nesting of arrays and inline tables in one value, and parts of a dotted key. */
#define BOUND_CONFIG_DEPTH		8
/* Keys in one table of the [auth] sections. */
#define BOUND_CONFIG_KEYS		128
/* Memory the parsed [auth] sections may take (well under BOUND_ARENA_TOTAL). */
#define BOUND_CONFIG_MEMORY		(1024 * 1024)
/* cookie_name, before any __Host- prefix. */
#define BOUND_CONFIG_COOKIE_NAME	32
/* page_title and display_name. */
#define BOUND_CONFIG_LABEL		200

/* --- Processes (oidc-login --workers N). --------------------------- */

/* Workers one supervisor runs. */
#define BOUND_WORKERS			64
/*
 * Seconds a worker told to stop (a reload, a stop) may take to finish
 * the request in hand: a callback may wait for several provider calls
 * of http_timeout each.  Then it is killed.  systemd's TimeoutStopSec
 * (90 s by default) must be longer.
 */
#define BOUND_WORKER_STOP_SECONDS	60
/* Most seconds between restarts of a worker that keeps dying at once. */
#define BOUND_WORKER_RESPAWN_MAX	10

/* --- Memory. --------------------------------------------------------- */

/* The request arena's first block, kept across requests. */
#define BOUND_ARENA_BLOCK		(32 * 1024)
/* Everything one request may allocate. */
#define BOUND_ARENA_TOTAL		(4 * 1024 * 1024)
/* Sessions whose gate answer (authorizer, /check) a process remembers. */
#define BOUND_MEMO_ENTRIES		32

#endif /* BOUNDS_H */
