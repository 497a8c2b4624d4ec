/*
 * lib/http, the two provider calls of lib/oidc and lib/provider's cache,
 * against a tiny HTTP server on 127.0.0.1 run in a child process.  The
 * server answers one request per connection (Connection: close) and
 * keeps a little state: counters, the JWKS it serves, the status of its
 * discovery document.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
/* <openssl/types.h> declares a type named like our ERR_UNVERIFIED. */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <json-c/json.h>

#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "cfg.h"
#include "crypto.h"
#include "discovery.h"
#include "http.h"
#include "num.h"
#include "oidc.h"
#include "provider.h"
#include "tap.h"

#define REQ_MAX		(256 * 1024)
#define SMALL_CAP	1000
#define CLIENT_ID	"client-1"
#define CLIENT_SECRET	"a secret: with/odd&chars=0123456789abcdef"

static int	port;
static pid_t	server_pid;
static char	base[64];	/* http://127.0.0.1:PORT */

/* --- The server (child process). ------------------------------------ */

struct server {
	char	jwks[16384];
	long	disc_status;
	int	disc_count;
	int	jwks_count;
};

static struct server	srv = { "{\"keys\":[]}", 200, 0, 0 };

static void
send_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static void
respond(int fd, int status, const char *ctype, const char *body, size_t len)
{
	char	head[512];
	int	n;

	n = snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", status, ctype, len);
	send_all(fd, head, (size_t)n);
	send_all(fd, body, len);
}

static void
respond_json(int fd, int status, const char *body)
{
	respond(fd, status, "application/json", body, strlen(body));
}

/* Returns the value of header name in the request head, or NULL. */
static const char *
header(const char *req, const char *name, size_t *len)
{
	size_t		 nlen = strlen(name);
	const char	*line = strstr(req, "\r\n");

	while (line != NULL && line[2] != '\r') {
		line += 2;
		if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
			const char *v = line + nlen + 1;
			while (*v == ' ')
				v++;
			*len = (size_t)(strstr(v, "\r\n") - v);
			return v;
		}
		line = strstr(line, "\r\n");
	}
	return NULL;
}

static size_t
read_request(int fd, char *buf, size_t cap, const char **body)
{
	size_t	len = 0;

	*body = NULL;
	while (len < cap) {
		ssize_t		 n = read(fd, buf + len, cap - len);
		const char	*end, *cl;
		long long	 clen = 0;
		size_t		 cllen;

		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		/* Not HTTP (a TLS hello, say): hang up at once. */
		if (buf[0] < 'A' || buf[0] > 'Z')
			break;
		if ((end = strstr(buf, "\r\n\r\n")) == NULL)
			continue;
		*body = end + 4;
		if ((cl = header(buf, "Content-Length", &cllen)) != NULL &&
		    num_parse(cl, cllen, 0, REQ_MAX, &clen) != ERR_OK)
			break;
		if (len >= (size_t)(*body - buf) + (size_t)clen)
			break;
	}
	return len;
}

static void
serve_discovery(int fd)
{
	char	doc[2048];

	srv.disc_count++;
	if (srv.disc_status != 200) {
		respond_json(fd, (int)srv.disc_status, "{}");
		return;
	}
	snprintf(doc, sizeof(doc), "{\"issuer\":\"%s\","
	    "\"authorization_endpoint\":\"%s/authorize\","
	    "\"token_endpoint\":\"%s/token\",\"jwks_uri\":\"%s/jwks\","
	    "\"userinfo_endpoint\":\"%s/userinfo\"}", base, base, base, base,
	    base);
	respond_json(fd, 200, doc);
}

static void
serve_token(int fd, const char *body)
{
	if (strstr(body, "grant_type=authorization_code") == NULL)
		respond_json(fd, 400, "{\"error\":\"unsupported_grant_type\"}");
	else if (strstr(body, "code=bad&") != NULL)
		respond_json(fd, 400, "{\"error\":\"invalid_grant\","
		    "\"error_description\":\"expired\"}");
	else if (strstr(body, "code=html&") != NULL)
		respond(fd, 502, "text/html", "<h1>Bad gateway</h1>", 20);
	else if (strstr(body, "code=notjson&") != NULL)
		respond(fd, 200, "text/html", "<h1>ok</h1>", 11);
	else
		respond_json(fd, 200, "{\"id_token\":\"h.p.s\","
		    "\"access_token\":\"at-1\",\"token_type\":\"Bearer\","
		    "\"expires_in\":3600}");
}

static void
serve_token_echo(int fd, const char *req, size_t len)
{
	static char	enc[REQ_MAX / 3 * 4 + 8], doc[REQ_MAX / 3 * 4 + 64];

	if (b64_url_encoded_len(len) + 1 > sizeof(enc)) {
		respond_json(fd, 413, "{}");
		return;
	}
	b64_url_encode(req, len, enc);
	snprintf(doc, sizeof(doc), "{\"id_token\":\"%s\"}", enc);
	respond_json(fd, 200, doc);
}

static void
serve_big(int fd, int with_length)
{
	static char	body[SMALL_CAP + 1];
	char		head[256];
	int		n;

	memset(body, 'x', sizeof(body));
	if (with_length) {
		respond(fd, 200, "application/json", body, sizeof(body));
		return;
	}
	n = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
	    "Content-Type: application/json\r\nConnection: close\r\n\r\n");
	send_all(fd, head, (size_t)n);
	send_all(fd, body, sizeof(body));
}

/* Handles one request; returns 0 when fd must stay open (a hang). */
static int
handle(int fd)
{
	static char	 req[REQ_MAX + 1];
	const char	*body, *auth;
	size_t		 len, alen;
	char		 count[128];

	len = read_request(fd, req, REQ_MAX, &body);
	if (len == 0 || body == NULL)
		return 1;
	auth = header(req, "Authorization", &alen);
	if (strncmp(req, "GET /.well-known/openid-configuration ", 38) == 0)
		serve_discovery(fd);
	else if (strncmp(req, "GET /jwks ", 10) == 0) {
		srv.jwks_count++;
		respond_json(fd, 200, srv.jwks);
	} else if (strncmp(req, "POST /set/jwks ", 15) == 0) {
		snprintf(srv.jwks, sizeof(srv.jwks), "%s", body);
		respond_json(fd, 200, "{}");
	} else if (strncmp(req, "POST /set/discovery-status ", 27) == 0) {
		long long s = 200;
		(void)num_parse_str(body, 100, 599, &s);
		srv.disc_status = (long)s;
		respond_json(fd, 200, "{}");
	} else if (strncmp(req, "GET /count ", 11) == 0) {
		snprintf(count, sizeof(count), "{\"discovery\":%d,\"jwks\":%d}",
		    srv.disc_count, srv.jwks_count);
		respond_json(fd, 200, count);
	} else if (strncmp(req, "GET /status/404 ", 16) == 0)
		respond_json(fd, 404, "{\"error\":\"not_found\"}");
	else if (strncmp(req, "GET /redirect ", 14) == 0) {
		const char *r = "HTTP/1.1 302 Found\r\nLocation: /echo\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n";
		send_all(fd, r, strlen(r));
	} else if (strncmp(req, "GET /redirect-away ", 19) == 0) {
		const char *r = "HTTP/1.1 301 Moved\r\nLocation: "
		    "https://idp.example:8443/x?code=secret\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n";
		send_all(fd, r, strlen(r));
	} else if (strncmp(req, "GET /redirect-nowhere ", 22) == 0) {
		const char *r = "HTTP/1.1 302 Found\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n";
		send_all(fd, r, strlen(r));
	} else if (strncmp(req, "GET /echo ", 10) == 0 ||
	    strncmp(req, "POST /echo ", 11) == 0)
		respond(fd, 200, "text/plain", req, len);
	else if (strncmp(req, "GET /big ", 9) == 0)
		serve_big(fd, 1);
	else if (strncmp(req, "GET /big-stream ", 16) == 0)
		serve_big(fd, 0);
	else if (strncmp(req, "GET /hang ", 10) == 0)
		return 0;
	else if (strncmp(req, "POST /token ", 12) == 0)
		serve_token(fd, body);
	else if (strncmp(req, "POST /token-echo ", 17) == 0)
		serve_token_echo(fd, req, len);
	else if (strncmp(req, "GET /userinfo ", 14) == 0) {
		if (auth != NULL && alen == 11 &&
		    strncmp(auth, "Bearer at-1", 11) == 0)
			respond_json(fd, 200, "{\"sub\":\"u1\","
			    "\"email\":\"u1@example.com\"}");
		else
			respond_json(fd, 401, "{\"error\":\"invalid_token\"}");
	} else if (strncmp(req, "GET /userinfo-jwt ", 18) == 0)
		respond(fd, 200, "application/jwt; charset=utf-8", "h.p.s", 5);
	else if (strncmp(req, "GET /userinfo-array ", 20) == 0)
		respond_json(fd, 200, "[{\"sub\":\"u1\"}]");
	else
		respond_json(fd, 404, "{}");
	return 1;
}

static void
serve(int lfd)
{
	/* Never outlive a test that died without killing us. */
	alarm(120);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		if (handle(fd))
			close(fd);
	}
}

static int
server_start(void)
{
	struct sockaddr_in	sin;
	socklen_t		slen = sizeof(sin);
	int			lfd;

	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(lfd, 16) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &slen) < 0)
		return -1;
	port = ntohs(sin.sin_port);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
	fflush(stdout);
	if ((server_pid = fork()) < 0)
		return -1;
	if (server_pid == 0)
		serve(lfd);
	close(lfd);
	return 0;
}

static void
server_stop(void)
{
	kill(server_pid, SIGTERM);
	waitpid(server_pid, NULL, 0);
}

/* --- Helpers. --------------------------------------------------------- */

static char *
url(struct arena *a, const char *path)
{
	return arena_printf(a, "%s%s", base, path);
}

static double
now_seconds(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads one of the server's counters. */
static long long
counter(struct http *h, struct arena *a, const char *name)
{
	struct http_response	 r;
	json_object		*o, *v;
	long long		 n = -1;

	if (http_get(h, a, url(a, "/count"), NULL, 4096, &r) != ERR_OK)
		return -1;
	if ((o = json_tokener_parse(r.body)) == NULL)
		return -1;
	if (json_object_object_get_ex(o, name, &v))
		n = json_object_get_int64(v);
	json_object_put(o);
	return n;
}

static void
server_set(struct http *h, struct arena *a, const char *what,
    const char *value)
{
	struct http_response	r;

	if (http_post_form(h, a, url(a, what), value, NULL, NULL, 4096, &r) !=
	    ERR_OK || r.status != 200)
		diag("could not set %s", what);
}

/* --- lib/http. ---------------------------------------------------------- */

static void
test_get(struct http *h, struct arena *a)
{
	struct http_response	r;
	enum err		e;

	e = http_get(h, a, url(a, "/echo"), NULL, 65536, &r);
	is_int(e, ERR_OK, "get: echo");
	is_int(r.status, 200, "get: status 200");
	is_str(r.content_type, "text/plain", "get: content type");
	ok(r.body != NULL && r.body[r.len] == '\0', "get: NUL-terminated");
	ok(strstr(r.body, "GET /echo HTTP/1.1\r\n") != NULL, "get: method");
	ok(strstr(r.body, "\r\nUser-Agent: oidc-login/" PACKAGE_VERSION
	    "\r\n") != NULL, "get: user agent");
	ok(strstr(r.body, "\r\nAccept: application/json\r\n") != NULL,
	    "get: accept");
	ok(strstr(r.body, "Authorization") == NULL, "get: no authorization");

	e = http_get(h, a, url(a, "/echo"), "tok-123", 65536, &r);
	is_int(e, ERR_OK, "get: with bearer");
	ok(strstr(r.body, "\r\nAuthorization: Bearer tok-123\r\n") != NULL,
	    "get: bearer header");

	err_reason_clear();
	e = http_get(h, a, url(a, "/echo"), "tok\r\nX-Evil: 1", 65536, &r);
	is_int(e, ERR_PROVIDER, "get: bearer with CR LF refused");
	ok(strstr(err_reason_get(), "127.0.0.1") != NULL,
	    "get: bearer reason names the host: %s", err_reason_get());

	e = http_get(h, a, url(a, "/status/404"), NULL, 65536, &r);
	is_int(e, ERR_OK, "get: 404 is not an error");
	is_int(r.status, 404, "get: status 404 passed through");
	is_str(r.body, "{\"error\":\"not_found\"}", "get: 404 body");

	/* A redirect is refused, never followed; its origin is named. */
	err_reason_clear();
	e = http_get(h, a, url(a, "/redirect"), NULL, 65536, &r);
	is_int(e, ERR_PROVIDER, "get: redirect refused");
	is_str(err_reason_get(), arena_printf(a, "%s: answered HTTP 302, a "
	    "redirect to %s: redirects are not followed (configure the URL "
	    "it points to)", base, base), "get: redirect reason");
	err_reason_clear();
	e = http_get(h, a, url(a, "/redirect-away"), NULL, 65536, &r);
	is_int(e, ERR_PROVIDER, "get: redirect elsewhere refused");
	ok(strstr(err_reason_get(), "a redirect to https://idp.example:8443:"
	    ) != NULL && strstr(err_reason_get(), "secret") == NULL,
	    "get: its origin only, not its query (%s)", err_reason_get());
	e = http_get(h, a, url(a, "/redirect-nowhere"), NULL, 65536, &r);
	is_int(e, ERR_OK, "get: a 3xx without Location is a status");
	is_int(r.status, 302, "get: ... left to the caller");
}

/* Every TLS failure gets a cause an operator can act on. */
static void
test_tls_causes(void)
{
	static const struct {
		int		 code;
		long		 verify;
		const char	*errbuf;
		int		 ca_file;
		const char	*want;
	} cases[] = {
		/* What libcurl 7.88.1 / OpenSSL 3.0 said in each case. */
		{ 60, 20, "SSL certificate problem: unable to get local "
		    "issuer certificate", 0, "unknown CA): set http_ca_file" },
		{ 60, 20, "SSL certificate problem: unable to get local "
		    "issuer certificate", 1, "its issuer is not in "
		    "http_ca_file" },
		{ 60, 18, "SSL certificate problem: self-signed certificate",
		    0, "unknown CA" },
		{ 60, 19, "", 1, "unknown CA" },
		{ 60, 10, "SSL certificate problem: certificate has expired",
		    1, "has expired" },
		{ 60, 9, "SSL certificate problem: certificate is not yet "
		    "valid", 1, "not yet valid" },
		{ 60, 1, "SSL: no alternative certificate subject name "
		    "matches target host name '127.0.0.1'", 1,
		    "for another host name" },
		{ 60, 0, "SSL: certificate subject name 'x' does not match "
		    "target host name 'y'", 1, "for another host name" },
		{ 60, 62, "", 1, "for another host name" },
		{ 60, 23, "SSL certificate problem: certificate revoked", 1,
		    "was rejected" },
		{ 35, 1, "OpenSSL/3.0.19: error:0A00042E:SSL routines::tlsv1 "
		    "alert protocol version", 1, "older than TLS 1.2" },
		{ 35, 1, "OpenSSL/3.0.19: error:0A000102:SSL routines::"
		    "unsupported protocol", 1, "older than TLS 1.2" },
		{ 35, 1, "OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong "
		    "version number", 1, "does not speak TLS" },
		{ 35, 1, "OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection "
		    "to 127.0.0.1:1", 1, "closed the connection" },
		{ 35, 1, "OpenSSL/3.0.19: error:0A000410:SSL routines::sslv3 "
		    "alert handshake failure", 1, "handshake failed" },
		{ 77, 1, "error setting certificate file: /x.pem", 1,
		    "http_ca_file cannot be used" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = http_tls_cause(cases[i].code,
		    cases[i].verify, cases[i].errbuf, cases[i].ca_file);
		ok(got != NULL && strstr(got, cases[i].want) != NULL,
		    "tls cause %d/%ld: %s", cases[i].code, cases[i].verify,
		    got ? got : "(null)");
	}
	ok(http_tls_cause(7, 0, "Failed to connect", 1) == NULL,
	    "tls cause: a refused connection is not TLS");
	ok(http_tls_cause(28, 0, "timed out", 1) == NULL,
	    "tls cause: a timeout is not TLS");
	ok(http_tls_cause(60, 1, NULL, 0) != NULL,
	    "tls cause: no error text");
}

static void
test_post(struct http *h, struct arena *a)
{
	struct http_response	r;
	enum err		e;
	const char		*want;

	e = http_post_form(h, a, url(a, "/echo"), "a=1&b=%20", NULL, NULL,
	    65536, &r);
	is_int(e, ERR_OK, "post: echo");
	ok(strstr(r.body, "POST /echo HTTP/1.1\r\n") != NULL, "post: method");
	ok(strstr(r.body, "\r\nContent-Type: application/x-www-form-urlencoded"
	    "\r\n") != NULL, "post: content type");
	ok(strstr(r.body, "\r\n\r\na=1&b=%20") != NULL, "post: body");
	ok(strstr(r.body, "Authorization") == NULL, "post: no authorization");
	ok(strstr(r.body, "Expect") == NULL, "post: no Expect");

	e = http_post_form(h, a, url(a, "/echo"), "x=y", "my client",
	    "p@ss:w/rd", 65536, &r);
	is_int(e, ERR_OK, "post: basic auth");
	/* base64("my%20client:p%40ss%3Aw%2Frd") */
	want = arena_printf(a, "\r\nAuthorization: Basic %s\r\n",
	    b64_std_encode_arena(a, "my%20client:p%40ss%3Aw%2Frd", 27));
	ok(strstr(r.body, want) != NULL, "post: basic credentials encoded");
}

static void
test_caps(struct http *h, struct arena *a)
{
	struct http_response	r;
	enum err		e;

	err_reason_clear();
	e = http_get(h, a, url(a, "/big"), NULL, SMALL_CAP, &r);
	is_int(e, ERR_PROVIDER, "cap: Content-Length over cap");
	ok(strstr(err_reason_get(), "over 1000 bytes") != NULL,
	    "cap: reason %s", err_reason_get());
	err_reason_clear();
	e = http_get(h, a, url(a, "/big-stream"), NULL, SMALL_CAP, &r);
	is_int(e, ERR_PROVIDER, "cap: streamed body over cap");
	ok(strstr(err_reason_get(), "over 1000 bytes") != NULL,
	    "cap: stream reason %s", err_reason_get());
	e = http_get(h, a, url(a, "/big"), NULL, SMALL_CAP + 1, &r);
	is_int(e, ERR_OK, "cap: body at the cap");
	is_int(r.len, SMALL_CAP + 1, "cap: whole body");
	e = http_get(h, a, url(a, "/big-stream"), NULL, SMALL_CAP + 1, &r);
	is_int(e, ERR_OK, "cap: streamed body at the cap");
}

static void
test_refused(struct http *h, struct arena *a)
{
	static const struct {
		const char	*url;
		const char	*reason;
	} urls[] = {
		{ "http://example.com/x", "http://example.com: plain http" },
		{ "http://10.0.0.1/x", "plain http" },
		{ "http://127.0.0.1.nip.io/x", "plain http" },
		{ "ftp://127.0.0.1/x", "scheme" },
		{ "file:///etc/passwd", "" },
		{ "gopher://127.0.0.1/", "scheme" },
		{ "/relative", "" },
		{ "https://user:pw@127.0.0.1/", "user" },
	};
	struct http_response	r;
	double			t0;

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		err_reason_clear();
		t0 = now_seconds();
		is_int(http_get(h, a, urls[i].url, NULL, 4096, &r),
		    ERR_PROVIDER, "refused: %s", urls[i].url);
		ok(now_seconds() - t0 < 0.5 &&
		    strstr(err_reason_get(), urls[i].reason) != NULL,
		    "refused at once: %s (%s)", urls[i].url, err_reason_get());
	}
}

static void
test_failures(struct arena *a)
{
	struct http		*h = NULL;
	struct http_response	 r;
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof(sin);
	enum err		 e;
	double			 t0;
	int			 fd;
	char			*dead;

	is_int(http_new(0, 1, NULL, &h), ERR_CONFIG, "new: zero timeout");
	is_int(http_new(1, BOUND_HTTP_TIMEOUT_MAX + 1, NULL, &h), ERR_CONFIG,
	    "new: connect timeout too long");
	is_int(http_new(1, 1, NULL, &h), ERR_OK, "new: one second");

	err_reason_clear();
	t0 = now_seconds();
	e = http_get(h, a, url(a, "/hang"), NULL, 4096, &r);
	is_int(e, ERR_TIMEOUT, "timeout: server never answers");
	ok(now_seconds() - t0 < 3.0, "timeout: within the limit (%.2f s)",
	    now_seconds() - t0);
	ok(strstr(err_reason_get(), base) != NULL, "timeout: reason %s",
	    err_reason_get());

	/* A port nobody listens on: bind one, learn it, close it. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	getsockname(fd, (struct sockaddr *)&sin, &slen);
	close(fd);
	dead = arena_printf(a, "http://127.0.0.1:%d/x", ntohs(sin.sin_port));
	err_reason_clear();
	is_int(http_get(h, a, dead, NULL, 4096, &r), ERR_PROVIDER,
	    "refused connection");
	ok(strstr(err_reason_get(), "http://127.0.0.1:") != NULL,
	    "refused connection: reason %s", err_reason_get());

	/* TLS to a plain HTTP server fails, it is never downgraded. */
	err_reason_clear();
	is_int(http_get(h, a, arena_printf(a, "https://127.0.0.1:%d/echo",
	    port), NULL, 4096, &r), ERR_PROVIDER, "TLS to a plain server");
	ok(strstr(err_reason_get(), "https://127.0.0.1:") != NULL &&
	    strstr(err_reason_get(), ": TLS: the server closed the "
	    "connection during the handshake") != NULL,
	    "TLS failure: reason %s", err_reason_get());
	ok(err_tell_get() == http_tls_tell, "TLS failure: the page says TLS");
	err_clear();

	/* The handle still works after failures. */
	is_int(http_get(h, a, url(a, "/echo"), NULL, 65536, &r), ERR_OK,
	    "handle reusable after failures");
	http_free(h);
	http_free(NULL);
}

/* --- lib/oidc calls. ---------------------------------------------------- */

static struct cfg		cfg;
static struct cfg_provider	prov;

static void
test_exchange(struct http *h, struct arena *a)
{
	struct discovery	d;
	struct oidc_tokens	t;
	json_object		*claims;
	enum err		e;

	memset(&d, 0, sizeof(d));
	d.issuer = base;
	d.token_endpoint = url(a, "/token");
	d.userinfo_endpoint = url(a, "/userinfo");

	e = oidc_exchange_code(h, a, &cfg, &prov, &d, "good", "v", &t);
	is_int(e, ERR_OK, "exchange: good code");
	is_str(t.id_token, "h.p.s", "exchange: id_token");
	is_str(t.access_token, "at-1", "exchange: access_token");

	err_reason_clear();
	e = oidc_exchange_code(h, a, &cfg, &prov, &d, "bad", "v", &t);
	is_int(e, ERR_UNVERIFIED, "exchange: invalid_grant is a stale code");
	is_str(err_reason_get(), "token endpoint answered HTTP 400 "
	    "(error=invalid_grant)", "exchange: reason with the OAuth error");
	err_reason_clear();
	e = oidc_exchange_code(h, a, &cfg, &prov, &d, "html", "v", &t);
	is_int(e, ERR_PROVIDER, "exchange: 502 page");
	is_str(err_reason_get(), "token endpoint answered HTTP 502",
	    "exchange: reason without an OAuth error");
	err_reason_clear();
	e = oidc_exchange_code(h, a, &cfg, &prov, &d, "notjson", "v", &t);
	is_int(e, ERR_PROVIDER, "exchange: 200 but not JSON");
	is_str(err_reason_get(), "token response is not a JSON object",
	    "exchange: not JSON reason");

	e = oidc_userinfo(h, a, &d, "at-1", &claims);
	is_int(e, ERR_OK, "userinfo: ok");
	ok(claims != NULL && json_object_is_type(claims, json_type_object),
	    "userinfo: claims object");
	err_reason_clear();
	e = oidc_userinfo(h, a, &d, "wrong", &claims);
	is_int(e, ERR_PROVIDER, "userinfo: 401");
	is_str(err_reason_get(), "userinfo endpoint answered HTTP 401",
	    "userinfo: 401 reason");
	d.userinfo_endpoint = url(a, "/userinfo-jwt");
	err_reason_clear();
	e = oidc_userinfo(h, a, &d, "at-1", &claims);
	is_int(e, ERR_PROVIDER, "userinfo: signed answer");
	is_str(err_reason_get(), "signed userinfo not supported",
	    "userinfo: signed reason");
	d.userinfo_endpoint = url(a, "/userinfo-array");
	err_reason_clear();
	e = oidc_userinfo(h, a, &d, "at-1", &claims);
	is_int(e, ERR_PROVIDER, "userinfo: array");
	ok(claims == NULL, "userinfo: no claims on failure");
}

/*
 * Checks the exact request per token endpoint authentication method:
 * /token-echo answers a token response whose id_token is the request
 * it got, base64url-encoded.
 */
static void
test_exchange_bodies(struct http *h, struct arena *a)
{
	static const struct {
		enum cfg_token_auth	 auth;
		const char		*name;
		const char		*body;
		int			 basic;
	} cases[] = {
		{ CFG_TOKEN_AUTH_BASIC, "client_secret_basic", "", 1 },
		{ CFG_TOKEN_AUTH_POST, "client_secret_post",
		    "&client_secret=a%20secret%3A%20with%2Fodd%26chars%3D"
		    "0123456789abcdef", 0 },
		{ CFG_TOKEN_AUTH_NONE, "none", "", 0 },
	};
	const char		*form = "grant_type=authorization_code"
	    "&code=c%2F1%20x&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb"
	    "&code_verifier=ver&client_id=" CLIENT_ID;
	const char		*basic;
	struct discovery	 d;

	memset(&d, 0, sizeof(d));
	d.token_endpoint = url(a, "/token-echo");
	basic = arena_printf(a, "\r\nAuthorization: Basic %s\r\n",
	    b64_std_encode_arena(a, CLIENT_ID ":a%20secret%3A%20with%2Fodd"
	    "%26chars%3D0123456789abcdef", strlen(CLIENT_ID ":a%20secret%3A"
	    "%20with%2Fodd%26chars%3D0123456789abcdef")));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oidc_tokens	 t;
		unsigned char		*req;
		size_t			 len;
		const char		*body;

		prov.token_auth = cases[i].auth;
		prov.client_secret = cases[i].auth == CFG_TOKEN_AUTH_NONE ?
		    NULL : CLIENT_SECRET;
		if (oidc_exchange_code(h, a, &cfg, &prov, &d, "c/1 x", "ver",
		    &t) != ERR_OK || b64_url_decode_arena(a, t.id_token,
		    strlen(t.id_token), &req, &len) != ERR_OK) {
			ok(0, "%s: exchange (%s)", cases[i].name,
			    err_reason_get());
			continue;
		}
		body = strstr((char *)req, "\r\n\r\n");
		is_str(body ? body + 4 : NULL, arena_printf(a, "%s%s", form,
		    cases[i].body), "%s: form body", cases[i].name);
		ok((strstr((char *)req, basic) != NULL) == cases[i].basic,
		    "%s: basic credentials", cases[i].name);
		ok((strstr((char *)req, "Authorization:") != NULL) ==
		    cases[i].basic, "%s: no other authorization",
		    cases[i].name);
	}
	prov.token_auth = CFG_TOKEN_AUTH_BASIC;
	prov.client_secret = CLIENT_SECRET;
}

/* --- lib/provider. ------------------------------------------------------ */

static EVP_PKEY	*rsa;
static char	*rsa_n;

static char *
bn_b64(struct arena *a, const char *param)
{
	BIGNUM		*bn = NULL;
	unsigned char	 bin[1024];
	int		 n;

	if (!EVP_PKEY_get_bn_param(rsa, param, &bn))
		return NULL;
	n = BN_bn2bin(bn, bin);
	BN_free(bn);
	return b64_url_encode_arena(a, bin, (size_t)n);
}

static const char *
jwks_with(struct arena *a, const char *kid)
{
	return arena_printf(a, "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\","
	    "\"alg\":\"RS256\",\"kid\":\"%s\",\"n\":\"%s\",\"e\":\"AQAB\"}]}",
	    kid, rsa_n);
}

static char *
segment(struct arena *a, const char *json)
{
	return b64_url_encode_arena(a, json, strlen(json));
}

/* Returns a compact JWS over claims: RS256 with kid, or HS256. */
static char *
sign(struct arena *a, const char *alg, const char *kid, const char *claims)
{
	unsigned char	 sig[512];
	size_t		 siglen = sizeof(sig);
	char		*input;
	EVP_MD_CTX	*md;

	input = arena_printf(a, "%s.%s", segment(a, arena_printf(a,
	    "{\"alg\":\"%s\",\"kid\":\"%s\",\"typ\":\"JWT\"}", alg, kid)),
	    segment(a, claims));
	if (strcmp(alg, "HS256") == 0) {
		if (crypto_hmac(CRYPTO_SHA256, CLIENT_SECRET,
		    strlen(CLIENT_SECRET), input, strlen(input), sig,
		    &siglen) != ERR_OK)
			return NULL;
	} else {
		md = EVP_MD_CTX_new();
		if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, rsa) !=
		    1 || EVP_DigestSign(md, sig, &siglen,
		    (unsigned char *)input, strlen(input)) != 1)
			siglen = 0;
		EVP_MD_CTX_free(md);
	}
	return arena_printf(a, "%s.%s", input,
	    b64_url_encode_arena(a, sig, siglen));
}

static char *
claims_for(struct arena *a, int64_t now, const char *nonce)
{
	return arena_printf(a, "{\"iss\":\"%s\",\"aud\":\"" CLIENT_ID "\","
	    "\"sub\":\"u1\",\"email\":\"u1@example.com\",\"iat\":%lld,"
	    "\"exp\":%lld,\"nonce\":\"%s\"}", base, (long long)now,
	    (long long)now + 100000, nonce);
}

static int
has_email(json_object *claims)
{
	json_object	*v;

	return json_object_object_get_ex(claims, "email", &v) &&
	    strcmp(json_object_get_string(v), "u1@example.com") == 0;
}

static void
test_provider_cache(struct http *h, struct arena *a, int64_t t)
{
	struct provider		*p = NULL;
	const struct discovery	*d;
	int64_t			 dage, jage;
	long long		 c0;

	is_int(provider_new(&cfg, &prov, h, &p), ERR_OK, "provider: new");
	c0 = counter(h, a, "discovery");
	ok(provider_cfg(p) == &prov, "provider: cfg");
	provider_ages(p, t, &dage, &jage);
	ok(dage == -1 && jage == -1, "provider: nothing cached at first");
	is_int(counter(h, a, "discovery"), c0, "provider: new fetches nothing");

	is_int(provider_metadata(p, a, t, &d), ERR_OK, "provider: metadata");
	ok(d != NULL && strcmp(d->issuer, base) == 0, "provider: issuer");
	is_int(counter(h, a, "discovery"), c0 + 1, "provider: one fetch");
	is_int(provider_metadata(p, a, t + 10, &d), ERR_OK,
	    "provider: cached");
	is_int(counter(h, a, "discovery"), c0 + 1, "provider: no refetch");
	provider_ages(p, t + 10, &dage, &jage);
	ok(dage == 10 && jage == -1, "provider: ages %lld %lld",
	    (long long)dage, (long long)jage);

	is_int(provider_metadata(p, a, t + cfg.metadata_ttl, &d), ERR_OK,
	    "provider: expired, refetched");
	is_int(counter(h, a, "discovery"), c0 + 2, "provider: second fetch");

	/* Clock going backwards: refetch rather than trust forever. */
	is_int(provider_metadata(p, a, t - 100, &d), ERR_OK,
	    "provider: clock went back");
	is_int(counter(h, a, "discovery"), c0 + 3, "provider: refetched");

	/* A failing refresh keeps the stale document. */
	server_set(h, a, "/set/discovery-status", "500");
	err_reason_clear();
	d = NULL;
	is_int(provider_metadata(p, a, t + 3 * cfg.metadata_ttl, &d), ERR_OK,
	    "provider: refresh failed, stale used");
	ok(d != NULL, "provider: stale document");
	is_str(err_reason_get(), "", "provider: no reason left behind");
	is_int(counter(h, a, "discovery"), c0 + 4, "provider: one attempt");
	is_int(provider_metadata(p, a, t + 3 * cfg.metadata_ttl + 1, &d),
	    ERR_OK, "provider: within retry delay, stale");
	is_int(counter(h, a, "discovery"), c0 + 4, "provider: no attempt");
	is_int(provider_metadata(p, a, t + 3 * cfg.metadata_ttl +
	    BOUND_DISCOVERY_RETRY, &d), ERR_OK, "provider: retried, stale");
	is_int(counter(h, a, "discovery"), c0 + 5, "provider: new attempt");
	provider_free(p);

	/* No document: the error, then the same error without a fetch. */
	p = NULL;
	is_int(provider_new(&cfg, &prov, h, &p), ERR_OK, "provider: new 2");
	err_reason_clear();
	is_int(provider_metadata(p, a, t, &d), ERR_PROVIDER,
	    "provider: down at first");
	ok(strstr(err_reason_get(), "answered HTTP 500") != NULL,
	    "provider: reason %s", err_reason_get());
	is_int(counter(h, a, "discovery"), c0 + 6, "provider: attempted");
	err_reason_clear();
	is_int(provider_metadata(p, a, t + 1, &d), ERR_PROVIDER,
	    "provider: still down");
	ok(strstr(err_reason_get(), "answered HTTP 500") != NULL,
	    "provider: reason replayed: %s", err_reason_get());
	is_int(counter(h, a, "discovery"), c0 + 6, "provider: not hammered");
	server_set(h, a, "/set/discovery-status", "200");
	is_int(provider_metadata(p, a, t + BOUND_DISCOVERY_RETRY, &d), ERR_OK,
	    "provider: back up");
	is_int(counter(h, a, "discovery"), c0 + 7, "provider: fetched");
	provider_free(p);
	provider_free(NULL);
}

static void
test_provider_tokens(struct http *h, struct arena *a, int64_t t)
{
	struct provider	*p = NULL;
	json_object	*claims;
	const char	*s;
	const char	*summary, *warnings;
	long long	 j0;
	enum err	 e;

	server_set(h, a, "/set/jwks", jwks_with(a, "k1"));
	is_int(provider_new(&cfg, &prov, h, &p), ERR_OK, "tokens: provider");
	j0 = counter(h, a, "jwks");

	e = provider_verify_id_token(p, a, sign(a, "RS256", "k1",
	    claims_for(a, t, "n1")), "n1", NULL, t, &claims);
	is_int(e, ERR_OK, "tokens: good token (%s)", err_reason_get());
	ok(claims != NULL && has_email(claims), "tokens: claims");
	is_int(counter(h, a, "jwks"), j0 + 1, "tokens: JWKS fetched once");

	err_reason_clear();
	e = provider_verify_id_token(p, a, sign(a, "RS256", "k1",
	    claims_for(a, t, "n1")), "other", NULL, t + 1, &claims);
	is_int(e, ERR_TOKEN, "tokens: wrong nonce");
	ok(claims == NULL, "tokens: no claims on failure");
	is_int(counter(h, a, "jwks"), j0 + 1, "tokens: JWKS cached");

	err_reason_clear();
	e = provider_verify_id_token(p, a, "not.a.jwt", "n1", NULL, t + 1,
	    &claims);
	is_int(e, ERR_TOKEN, "tokens: garbage");

	/* Rotation: a new kid makes one refetch, which finds it. */
	server_set(h, a, "/set/jwks", jwks_with(a, "k2"));
	err_reason_clear();
	e = provider_verify_id_token(p, a, sign(a, "RS256", "k2",
	    claims_for(a, t, "n2")), "n2", NULL, t + 2, &claims);
	is_int(e, ERR_OK, "tokens: rotated key found (%s)", err_reason_get());
	is_int(counter(h, a, "jwks"), j0 + 2, "tokens: one refetch");
	is_str(err_reason_get(), "", "tokens: no reason left after rotation");

	/* Unknown kids within the interval: no refetch. */
	err_reason_clear();
	e = provider_verify_id_token(p, a, sign(a, "RS256", "k3",
	    claims_for(a, t, "n3")), "n3", NULL, t + 3, &claims);
	is_int(e, ERR_TOKEN, "tokens: unknown kid refused");
	is_int(counter(h, a, "jwks"), j0 + 2, "tokens: no refetch yet");
	ok(strstr(err_reason_get(), "kid") != NULL ||
	    strstr(err_reason_get(), "key id") != NULL, "tokens: reason %s",
	    err_reason_get());
	err_reason_clear();
	e = provider_verify_id_token(p, a, sign(a, "RS256", "k3",
	    claims_for(a, t, "n3")), "n3", NULL,
	    t + 2 + BOUND_JWKS_REFETCH_INTERVAL, &claims);
	is_int(e, ERR_TOKEN, "tokens: unknown kid after the interval");
	is_int(counter(h, a, "jwks"), j0 + 3, "tokens: refetched once more");

	/* HS256, allowed for this provider, needs no JWKS. */
	e = provider_verify_id_token(p, a, sign(a, "HS256", "h",
	    claims_for(a, t, "n4")), "n4", NULL, t + 4, &claims);
	is_int(e, ERR_OK, "tokens: HS256 keyed by the secret (%s)",
	    err_reason_get());
	is_int(counter(h, a, "jwks"), j0 + 3, "tokens: no JWKS for HS256");

	e = provider_check(p, a, t + 5, &summary, &warnings);
	is_int(e, ERR_OK, "check: ok");
	s = arena_printf(a, "issuer %s, 1 key (RS256 kid=k2), client "
	    "authentication client_secret_basic (configured), userinfo off "
	    "(userinfo = false), end_session no, identity email", base);
	is_str(summary, s, "check: summary");
	is_str(warnings, "", "check: no warning");
	is_int(counter(h, a, "jwks"), j0 + 4, "check: fetched anew");

	/* With HMAC-signed tokens enabled, the JWKS may be missing. */
	server_set(h, a, "/set/jwks", "{\"keys\":[]}");
	err_reason_clear();
	e = provider_check(p, a, t + 6, &summary, &warnings);
	is_int(e, ERR_OK, "check: empty JWKS, HMAC enabled: usable");
	ok(strstr(warnings, "the JWKS is not available") != NULL &&
	    strstr(warnings, "id_token_hmac_algs") != NULL,
	    "check: ... with a warning (%s)", warnings);
	prov.hmac_algs.n = 0;
	err_reason_clear();
	e = provider_check(p, a, t + 7, &summary, &warnings);
	is_int(e, ERR_PROVIDER, "check: empty JWKS");
	ok(strcasestr(err_reason_get(), "jwks") != NULL, "check: reason %s",
	    err_reason_get());
	prov.hmac_algs.n = 1;
	provider_free(p);
}

static int
provider_fixtures(struct arena *a)
{
	static char	*hmac[] = { "HS256" };

	cfg.redirect_uri = "https://app.example.com/cb";
	cfg.metadata_ttl = 3600;
	cfg.clock_skew = 60;
	prov.name = "local";
	prov.user_claim = "email";
	prov.client_id = CLIENT_ID;
	prov.client_secret = CLIENT_SECRET;
	prov.server_metadata_url = url(a,
	    "/.well-known/openid-configuration");
	prov.issuer = base;
	prov.hmac_algs.items = hmac;
	prov.hmac_algs.n = 1;
	prov.token_auth = CFG_TOKEN_AUTH_BASIC;
	if ((rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)) == NULL)
		return -1;
	rsa_n = bn_b64(a, OSSL_PKEY_PARAM_RSA_N);
	return rsa_n != NULL ? 0 : -1;
}

int
main(void)
{
	struct arena	*a, *keep;
	struct http	*h = NULL;
	int64_t		 t = (int64_t)time(NULL);

	signal(SIGPIPE, SIG_IGN);
	if (server_start() != 0) {
		tap_skip_all("cannot run a server on 127.0.0.1");
		return 0;
	}
	a = arena_new();
	keep = arena_new();
	if (http_new(5, 2, NULL, &h) != ERR_OK ||
	    provider_fixtures(keep) != 0) {
		ok(0, "set-up");
		goto out;
	}
	test_get(h, a);
	test_post(h, a);
	test_caps(h, a);
	test_refused(h, a);
	test_tls_causes();
	arena_reset(a);
	test_failures(a);
	arena_reset(a);
	test_exchange(h, a);
	test_exchange_bodies(h, a);
	arena_reset(a);
	test_provider_cache(h, a, t);
	arena_reset(a);
	test_provider_tokens(h, a, t);
out:
	arena_free(a);
	http_free(h);
	EVP_PKEY_free(rsa);
	arena_free(keep);
	server_stop();
	return tap_done();
}
