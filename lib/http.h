/*
 * Calls to providers over libcurl, strictly: https (plain http only to
 * loopback hosts), TLS 1.2 or later, verification always on (the system's
 * CA store, or http_ca_file), no redirects followed,
 * connect and total timeouts, and a cap on every response body.
 *
 * One struct http lives as long as the process and reuses one curl
 * handle, so connections to a provider stay open between requests.
 * http_new() calls curl_global_init() the first time it runs; the
 * process is single-threaded when it does (start-up, before the accept
 * loop), as libcurl requires.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>

#include "err.h"

struct arena;
struct http;

struct http_response {
	long		 status;	/* HTTP status code */
	const char	*body;		/* arena-owned, NUL-terminated */
	size_t		 len;		/* bytes in body, without the NUL */
	const char	*content_type;	/* arena-owned; NULL when not sent */
};

/*
 * Makes a client with the total and connect timeouts in seconds (each
 * 1..BOUND_HTTP_TIMEOUT_MAX; ERR_CONFIG otherwise) and a CA bundle file
 * (NULL: the system store).  *out is owned by the caller (http_free).
 */
enum err	http_new(long timeout, long connect_timeout,
		    const char *ca_file, struct http **out);

/* Closes the connections and frees the client; accepts NULL. */
void		http_free(struct http *);

/*
 * GETs url, with "Authorization: Bearer <bearer>" unless bearer is
 * NULL, and fills *out with the status and the body (at most cap bytes,
 * arena-owned).  A non-2xx status is not an error here: the caller
 * reads out->status.  Returns ERR_TIMEOUT when the provider did not
 * answer in time, ERR_PROVIDER for everything else that failed (URL not
 * callable, DNS, refused, TLS, body over cap, a redirect: 3xx with a
 * Location, never followed), with err_reason() naming the host and the
 * cause ("TLS: the certificate has expired ...").
 */
enum err	http_get(struct http *, struct arena *, const char *url,
		    const char *bearer, size_t cap, struct http_response *out);

/*
 * POSTs body as application/x-www-form-urlencoded; with basic_user and
 * basic_pass non-NULL, they are sent as HTTP Basic credentials, each
 * form-encoded first (RFC 6749 §2.3.1).  Results and errors as for
 * http_get.
 */
enum err	http_post_form(struct http *, struct arena *, const char *url,
		    const char *body, const char *basic_user,
		    const char *basic_pass, size_t cap,
		    struct http_response *out);

/*
 * What the error page tells the person when a call failed on TLS (set
 * with err_tell by a failed call; a cache replaying the failure sets it
 * again).
 */
extern const char	 http_tls_tell[];

/*
 * Why a TLS connection failed, for the reason of a failed call: curl_code
 * is libcurl's CURLcode, verify_result OpenSSL's X509_V_ERR_* code (-1
 * when unknown), errbuf libcurl's error text.  Returns a static phrase
 * ("the certificate has expired ..."), or NULL when curl_code is not a
 * TLS failure.  have_ca_file: http_ca_file is set (the hint for an
 * unknown CA differs).  Exported for the unit tests.
 */
const char	*http_tls_cause(int curl_code, long verify_result,
		    const char *errbuf, int have_ca_file);

#endif /* HTTP_H */
