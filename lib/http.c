#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/x509_vfy.h>

#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "buf.h"
#include "crypto.h"
#include "http.h"
#include "log.h"
#include "url.h"

#define HTTP_USER_AGENT	"oidc-login/" PACKAGE_VERSION

struct http {
	CURL	*curl;
	long	 timeout;
	long	 connect_timeout;
	char	*ca_file;
	char	 errbuf[CURL_ERROR_SIZE];
};

/* Where the write callback puts the body; over marks the cap reached. */
struct sink {
	struct buf	buf;
	int		over;
};

/* One request: what differs between a GET and a POST. */
struct request {
	const char	*url;
	const char	*bearer;	/* NULL: no Bearer header */
	const char	*form;		/* NULL: GET */
	const char	*basic;		/* "user:pass", encoded; NULL: none */
	size_t		 cap;
};

static int curl_ready;

const char http_tls_tell[] = "The connection to the sign-in provider could "
    "not be verified as secure (TLS), so it was not used. The site's "
    "administrator will find the reason in the server's error log.";

static enum err
global_init(void)
{
	if (curl_ready)
		return ERR_OK;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		err_reason("curl_global_init failed");
		return ERR_SYSTEM;
	}
	curl_ready = 1;
	return ERR_OK;
}

enum err
http_new(long timeout, long connect_timeout, const char *ca_file,
    struct http **out)
{
	struct http	*h;
	enum err	 e;

	if (timeout < 1 || timeout > BOUND_HTTP_TIMEOUT_MAX ||
	    connect_timeout < 1 || connect_timeout > BOUND_HTTP_TIMEOUT_MAX) {
		err_reason("HTTP timeouts must be 1 to %d seconds",
		    BOUND_HTTP_TIMEOUT_MAX);
		return ERR_CONFIG;
	}
	if ((e = global_init()) != ERR_OK)
		return e;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return ERR_NOMEM;
	h->timeout = timeout;
	h->connect_timeout = connect_timeout;
	if (ca_file != NULL && (h->ca_file = strdup(ca_file)) == NULL)
		goto nomem;
	if ((h->curl = curl_easy_init()) == NULL)
		goto nomem;
	*out = h;
	return ERR_OK;
nomem:
	http_free(h);
	return ERR_NOMEM;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	free(h->ca_file);
	free(h);
}

static size_t
write_body(char *data, size_t size, size_t n, void *arg)
{
	struct sink	*sink = arg;

	/* libcurl documents size as always 1; n is the byte count. */
	if (size != 1 || buf_append(&sink->buf, data, n) != ERR_OK) {
		sink->over = 1;
		return 0;
	}
	return n;
}

/* Header values come from a provider: no byte may end the header line. */
static int
header_value_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* Wipes every header (credentials live there) and frees the list. */
static void
headers_free(struct curl_slist *list)
{
	for (struct curl_slist *l = list; l != NULL; l = l->next)
		crypto_wipe(l->data, strlen(l->data));
	curl_slist_free_all(list);
}

static enum err
headers_add(struct curl_slist **list, const char *header)
{
	struct curl_slist	*l;

	if ((l = curl_slist_append(*list, header)) == NULL)
		return ERR_NOMEM;
	*list = l;
	return ERR_OK;
}

static enum err
headers_build(struct arena *a, const struct request *rq,
    struct curl_slist **out)
{
	struct curl_slist	*list = NULL;
	enum err		 e;

	e = headers_add(&list, "Accept: application/json");
	if (e == ERR_OK && rq->bearer != NULL)
		e = headers_add(&list, arena_printf(a,
		    "Authorization: Bearer %s", rq->bearer));
	if (e == ERR_OK && rq->basic != NULL)
		e = headers_add(&list, arena_printf(a,
		    "Authorization: Basic %s", b64_std_encode_arena(a,
		    rq->basic, strlen(rq->basic))));
	if (e == ERR_OK && rq->form != NULL)
		e = headers_add(&list,
		    "Content-Type: application/x-www-form-urlencoded");
	/* No "Expect: 100-continue" round trip for a small form. */
	if (e == ERR_OK && rq->form != NULL)
		e = headers_add(&list, "Expect:");
	if (e != ERR_OK) {
		headers_free(list);
		return e;
	}
	*out = list;
	return ERR_OK;
}

/* Sets everything a request needs on a freshly reset handle. */
static CURLcode
options_apply(struct http *h, const struct request *rq,
    struct curl_slist *headers, struct sink *sink)
{
	CURL		*c = h->curl;
	CURLcode	 rc = CURLE_OK;

#define SET(opt, val) do {						\
	if (rc == CURLE_OK)						\
		rc = curl_easy_setopt(c, (opt), (val));			\
} while (0)
	SET(CURLOPT_URL, rq->url);
	SET(CURLOPT_PROTOCOLS_STR, "https,http");
	/* Redirects are not followed; were they ever, never to http. */
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (h->ca_file != NULL)
		SET(CURLOPT_CAINFO, h->ca_file);
	SET(CURLOPT_CONNECTTIMEOUT, h->connect_timeout);
	SET(CURLOPT_TIMEOUT, h->timeout);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_USERAGENT, HTTP_USER_AGENT);
	SET(CURLOPT_HTTPHEADER, headers);
	SET(CURLOPT_ERRORBUFFER, h->errbuf);
	SET(CURLOPT_WRITEFUNCTION, write_body);
	SET(CURLOPT_WRITEDATA, sink);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)rq->cap);
	if (rq->form != NULL) {
		SET(CURLOPT_POST, 1L);
		SET(CURLOPT_POSTFIELDS, rq->form);
		SET(CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)strlen(rq->form));
	} else
		SET(CURLOPT_HTTPGET, 1L);
#undef SET
	return rc;
}

/*
 * Why a TLS connection failed, in words an operator can act on, or NULL
 * when code is not a TLS failure.  libcurl reports every certificate
 * problem as CURLE_PEER_FAILED_VERIFICATION and every failed handshake as
 * CURLE_SSL_CONNECT_ERROR; which one it was is in OpenSSL's verify result
 * (CURLINFO_SSL_VERIFYRESULT, an X509_V_ERR_* code) and in the error
 * buffer.  Observed with libcurl 7.88.1 and OpenSSL 3.0 (Debian 12): an
 * unknown CA is 20 (18 for a self-signed certificate), an expired
 * certificate 10, a not yet valid one 9; a host name mismatch is found by
 * curl itself, the verify result left at 1 (X509_V_ERR_UNSPECIFIED): its
 * text says "no alternative certificate subject name matches target host
 * name"; a server offering only TLS 1.0/1.1
 * answers our TLS 1.2 minimum with "tlsv1 alert protocol version"; a
 * plain HTTP server gives "wrong version number".
 */
const char *
http_tls_cause(int code, long verify, const char *errbuf, int have_ca_file)
{
	if (errbuf == NULL)
		errbuf = "";
	switch (code) {
	case CURLE_PEER_FAILED_VERIFICATION:
		switch (verify) {
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
			return have_ca_file ? "certificate not trusted (unknown "
			    "CA): its issuer is not in http_ca_file" :
			    "certificate not trusted (unknown CA): set "
			    "http_ca_file to the CA certificate that issued it";
		case X509_V_ERR_CERT_HAS_EXPIRED:
			return "the certificate has expired (or this server's "
			    "clock is wrong)";
		case X509_V_ERR_CERT_NOT_YET_VALID:
			return "the certificate is not yet valid (or this "
			    "server's clock is wrong)";
		case X509_V_ERR_HOSTNAME_MISMATCH:
		case X509_V_ERR_IP_ADDRESS_MISMATCH:
			return "the certificate is for another host name";
		default:
			break;
		}
		if (strstr(errbuf, "subject name") != NULL ||
		    strstr(errbuf, "host name") != NULL)
			return "the certificate is for another host name";
		return "the certificate was rejected";
	case CURLE_SSL_CONNECT_ERROR:
		if (strstr(errbuf, "protocol version") != NULL ||
		    strstr(errbuf, "unsupported protocol") != NULL ||
		    strstr(errbuf, "no protocols available") != NULL)
			return "protocol version too old: the server offers "
			    "only versions older than TLS 1.2, which are "
			    "refused";
		if (strstr(errbuf, "wrong version number") != NULL)
			return "the server does not speak TLS on this port "
			    "(plain http on an https URL?)";
		if (strstr(errbuf, "SSL_ERROR_SYSCALL") != NULL ||
		    strstr(errbuf, "unexpected eof") != NULL)
			return "the server closed the connection during the "
			    "handshake";
		return "the handshake failed";
	case CURLE_SSL_CACERT_BADFILE:
		return "http_ca_file cannot be used (not a PEM file of CA "
		    "certificates?)";
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
		return "the connection failed";
	default:
		return NULL;
	}
}

/*
 * OpenSSL's verify result, when libcurl's TLS library is OpenSSL (the
 * X509_V_ERR_* codes mean nothing for another one); -1 otherwise.
 */
static long
verify_result(CURL *c)
{
	const curl_version_info_data	*v = curl_version_info(CURLVERSION_NOW);
	long				 result = -1;

	if (v->ssl_version == NULL ||
	    strncmp(v->ssl_version, "OpenSSL/", 8) != 0 ||
	    curl_easy_getinfo(c, CURLINFO_SSL_VERIFYRESULT, &result) !=
	    CURLE_OK)
		return -1;
	return result;
}

/* Turns a failed transfer into our error, with a reason naming the host. */
static enum err
transfer_error(const struct http *h, const char *origin, CURLcode rc,
    const struct sink *sink, size_t cap)
{
	const char	*why = h->errbuf[0] != '\0' ? h->errbuf :
	    curl_easy_strerror(rc);
	const char	*tls;
	int		 n = (int)strlen(why);

	/* curl's messages may end in a space or a newline. */
	while (n > 0 && (why[n - 1] == ' ' || why[n - 1] == '\n'))
		n--;
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		err_reason("%s: timed out (total %ld s, connect %ld s): %.*s",
		    origin, h->timeout, h->connect_timeout, n, why);
		return ERR_TIMEOUT;
	}
	tls = http_tls_cause((int)rc, verify_result(h->curl), h->errbuf,
	    h->ca_file != NULL);
	if (sink->over || rc == CURLE_FILESIZE_EXCEEDED)
		err_reason("%s: response over %zu bytes", origin, cap);
	else if (tls != NULL) {
		err_reason("%s: TLS: %s (curl: %.*s)", origin, tls, n, why);
		err_tell(http_tls_tell);
	} else
		err_reason("%s: %.*s", origin, n, why);
	return ERR_PROVIDER;
}

/*
 * A redirect is never followed (CURLOPT_FOLLOWLOCATION off): the URLs a
 * provider publishes are the ones to call.  Says where it pointed (its
 * origin only: a path or query may carry a token), and whether it went
 * from https down to plain http.  A 3xx without a Location is left to
 * the caller, as any other status.
 */
static enum err
redirect_refused(CURL *c, const struct url_info *from, long status)
{
	char		*loc = NULL;
	const char	*rest;
	int		 https, n;

	if (status < 300 || status > 399 ||
	    curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc) != CURLE_OK ||
	    loc == NULL)
		return ERR_OK;
	https = strncasecmp(loc, "https://", 8) == 0;
	if (!https && strncasecmp(loc, "http://", 7) != 0) {
		err_reason("%s: answered HTTP %ld, a redirect to a URL that "
		    "is not http(s): redirects are not followed",
		    from->origin, status);
		return ERR_PROVIDER;
	}
	/* The origin: scheme and authority, up to the path. */
	rest = loc + (https ? 8 : 7);
	n = (int)(rest - loc) + (int)strcspn(rest, "/?#");
	err_reason("%s: answered HTTP %ld, a redirect to %.*s%s: redirects "
	    "are not followed (configure the URL it points to)", from->origin,
	    status, n > 200 ? 200 : n, loc, from->https && !https ?
	    " (from https down to plain http)" : "");
	return ERR_PROVIDER;
}

/* Refuses, before any connection, a URL we must not call. */
static enum err
url_allowed(struct arena *a, const char *url, struct url_info *info)
{
	if (url_parse_http(a, url, info) != ERR_OK)
		return ERR_PROVIDER;
	if (!info->https && !info->loopback) {
		err_reason("%s: plain http is allowed only to loopback hosts",
		    info->origin);
		return ERR_PROVIDER;
	}
	if (url_check_callable(a, url) != ERR_OK)
		return ERR_PROVIDER;
	return ERR_OK;
}

/*
 * At debug level, how long the provider took and whether the connection
 * was reused: what an operator needs to tell a slow provider from a slow
 * relying party.  The origin only: a path or query may carry a token.
 */
static void
log_timing(CURL *c, const char *method, const char *origin, long status)
{
	curl_off_t	total = 0;
	long		connects = 0;

	if (log_get_level() < LOG_LEVEL_DEBUG)
		return;
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME_T, &total);
	curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
	log_debug("provider call: %s %s: HTTP %ld in %lld us (%s connection)",
	    method, origin, status, (long long)total,
	    connects == 0 ? "reused" : "new");
}

static enum err
perform(struct http *h, struct arena *a, const struct request *rq,
    struct http_response *out)
{
	struct url_info		 info;
	struct curl_slist	*headers = NULL;
	struct sink		 sink;
	const char		*ctype = NULL;
	CURLcode		 rc;
	enum err		 e;

	memset(out, 0, sizeof(*out));
	if ((e = url_allowed(a, rq->url, &info)) != ERR_OK)
		return e;
	if (rq->bearer != NULL && !header_value_ok(rq->bearer)) {
		err_reason("%s: access token holds bytes not allowed in a "
		    "header", info.origin);
		return ERR_PROVIDER;
	}
	if ((e = headers_build(a, rq, &headers)) != ERR_OK)
		return e;
	buf_init(&sink.buf, a, rq->cap);
	sink.over = 0;
	/* Reset forgets the last request's options, not its connections. */
	curl_easy_reset(h->curl);
	h->errbuf[0] = '\0';
	if ((rc = options_apply(h, rq, headers, &sink)) != CURLE_OK) {
		err_reason("%s: curl option refused: %s", info.origin,
		    curl_easy_strerror(rc));
		e = ERR_SYSTEM;
		goto out;
	}
	if ((rc = curl_easy_perform(h->curl)) != CURLE_OK) {
		e = transfer_error(h, info.origin, rc, &sink, rq->cap);
		goto out;
	}
	if (curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE,
	    &out->status) != CURLE_OK ||
	    curl_easy_getinfo(h->curl, CURLINFO_CONTENT_TYPE, &ctype) !=
	    CURLE_OK) {
		err_reason("%s: no HTTP status", info.origin);
		e = ERR_PROVIDER;
		goto out;
	}
	log_timing(h->curl, rq->form != NULL ? "POST" : "GET", info.origin,
	    out->status);
	if ((e = redirect_refused(h->curl, &info, out->status)) != ERR_OK)
		goto out;
	out->body = sink.buf.data;
	out->len = sink.buf.len;
	out->content_type = ctype != NULL ? arena_strdup(a, ctype) : NULL;
	e = ERR_OK;
out:
	/* Drop the pointers into this request's memory before freeing it. */
	curl_easy_reset(h->curl);
	headers_free(headers);
	return e;
}

enum err
http_get(struct http *h, struct arena *a, const char *url,
    const char *bearer, size_t cap, struct http_response *out)
{
	struct request	rq = { url, bearer, NULL, NULL, cap };

	return perform(h, a, &rq, out);
}

enum err
http_post_form(struct http *h, struct arena *a, const char *url,
    const char *body, const char *basic_user, const char *basic_pass,
    size_t cap, struct http_response *out)
{
	struct request	rq = { url, NULL, body, NULL, cap };

	if (basic_user != NULL && basic_pass != NULL)
		rq.basic = arena_printf(a, "%s:%s",
		    url_encode(a, basic_user, strlen(basic_user)),
		    url_encode(a, basic_pass, strlen(basic_pass)));
	return perform(h, a, &rq, out);
}
