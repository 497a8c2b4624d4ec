/*
 * oidc-login: an OpenID Connect login for any web server, as one
 * FastCGI (or CGI) program.  This file holds the command line, the
 * start-up, the accept loop and the FastCGI and CGI adapters that hand
 * each request to lib/router.c; everything else is in lib/.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fastcgi.h>
#include <fcgiapp.h>

#include "app.h"
#include "arena.h"
#include "bounds.h"
#include "cfg.h"
#include "crypto.h"
#include "log.h"
#include "provider.h"
#include "replay.h"
#include "req.h"
#include "router.h"
#include "session.h"

#define DEFAULT_CONFIG	SYSCONF_DIR "/oidc-login/secrets.toml"

static volatile sig_atomic_t shutdown_requested;

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: oidc-login [-c FILE]                 run (FastCGI or CGI)\n"
	    "       oidc-login --check-config [-c FILE]  validate, fetch "
	    "providers, exit\n"
	    "       oidc-login --gen-secret              print a new "
	    "cookie_secret\n"
	    "       oidc-login --help | --version\n"
	    "\n"
	    "The configuration is FILE, else $OIDC_LOGIN_CONFIG, else\n"
	    "%s.\n"
	    "It is a Streamlit-style secrets.toml; these keys are read:\n\n",
	    DEFAULT_CONFIG);
}

/* Prints 256 random bits as 64 hex digits: a cookie_secret. */
static int
gen_secret(void)
{
	unsigned char	raw[32];
	char		hex[sizeof(raw) * 2 + 1];

	if (crypto_random(raw, sizeof(raw)) != ERR_OK) {
		fprintf(stderr, "oidc-login: the random generator failed\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(hex + i * 2, 3, "%02x", raw[i]);
	printf("%s\n", hex);
	crypto_wipe(raw, sizeof(raw));
	crypto_wipe(hex, sizeof(hex));
	return 0;
}

static void
on_shutdown(int sig)
{
	shutdown_requested = 1;
	/* Makes FCGX_Accept_r return instead of waiting for the next request. */
	FCGX_ShutdownPending();
	/*
	 * A signal that lands after the loop checked the flag but before
	 * accept(2) blocks interrupts nothing; the alarm interrupts that
	 * accept a second later.
	 */
	alarm(1);
}

static void
on_alarm(int sig)
{
	if (shutdown_requested)
		alarm(1);
}

static void
install_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_shutdown;
	/* No SA_RESTART: a blocked accept() must return on SIGTERM. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* --- FastCGI and CGI adapters. ------------------------------------------- */

/* Parameters of one FastCGI request indexed by name length (FCGI_* limits). */
#define FCGI_INDEXED	128	/* parameters indexed; the rest are scanned */
#define FCGI_NAME_MAX	64	/* longer names are scanned too */

struct fcgi_io {
	FCGX_Request	*request;
	/* By name length: the first parameter, then each one's next. */
	short		 first[FCGI_NAME_MAX];
	short		 next[FCGI_INDEXED];
	int		 overflow;	/* some parameters were not indexed */
};

/*
 * Indexes the request's parameters by the length of their names: a
 * request asks for some twenty names among thirty or more parameters,
 * and a lookup then compares only names of its own length.
 */
static void
fcgi_index(struct fcgi_io *io)
{
	char	**envp = io->request->envp;
	int	  i;

	memset(io->first, -1, sizeof(io->first));
	io->overflow = 0;
	for (i = 0; envp != NULL && envp[i] != NULL; i++)
		;
	/* Backwards, so each list is in order: the first of a name wins. */
	while (--i >= 0) {
		const char *eq = strchr(envp[i], '=');
		size_t len = eq ? (size_t)(eq - envp[i]) : 0;

		if (i >= FCGI_INDEXED || eq == NULL || len >= FCGI_NAME_MAX) {
			io->overflow = 1;
			continue;
		}
		io->next[i] = io->first[len];
		io->first[len] = (short)i;
	}
}

static const char *
fcgi_param(void *ctx, const char *name)
{
	struct fcgi_io	 *io = ctx;
	char		**envp = io->request->envp;
	size_t		  len = strlen(name);

	if (len < FCGI_NAME_MAX)
		for (int i = io->first[len]; i >= 0; i = io->next[i])
			if (memcmp(envp[i], name, len) == 0)
				return envp[i] + len + 1;
	if (!io->overflow && len < FCGI_NAME_MAX)
		return NULL;
	/* What the index left out: FCGX_GetParam's own search. */
	return FCGX_GetParam(name, envp);
}

static enum err
fcgi_read(void *ctx, char *p, size_t len, size_t *got)
{
	struct fcgi_io	*io = ctx;
	int		 n = len > 65536 ? 65536 : (int)len;

	if ((n = FCGX_GetStr(p, n, io->request->in)) < 0)
		return ERR_SYSTEM;
	*got = (size_t)n;
	return ERR_OK;
}

static enum err
fcgi_write(void *ctx, const char *p, size_t len)
{
	struct fcgi_io	*io = ctx;

	while (len > 0) {
		int n = len > 65536 ? 65536 : (int)len;
		if (FCGX_PutStr(p, n, io->request->out) != n)
			return ERR_SYSTEM;
		p += n;
		len -= (size_t)n;
	}
	return ERR_OK;
}

static const char *
cgi_param(void *ctx, const char *name)
{
	return getenv(name);
}

static enum err
cgi_read(void *ctx, char *p, size_t len, size_t *got)
{
	*got = fread(p, 1, len, stdin);
	return ferror(stdin) ? ERR_SYSTEM : ERR_OK;
}

static enum err
cgi_write(void *ctx, const char *p, size_t len)
{
	return fwrite(p, 1, len, stdout) == len ? ERR_OK : ERR_SYSTEM;
}

/* Whether the request declares a body (a CONTENT_LENGTH other than 0). */
static int
body_announced(struct fcgi_io *io)
{
	const char	*length = fcgi_param(io, "CONTENT_LENGTH");

	return length != NULL && *length != '\0' && strcmp(length, "0") != 0;
}

/*
 * Whether the web server has sent everything it will send on this
 * connection, so that closing it cannot reset it.  libfcgi's close
 * otherwise shuts down the sending side and sleeps until the server
 * closes its own: three system calls and a wake-up per request, during
 * which the process serves nobody.  That linger exists for input still
 * on its way; here it is kept only when some may be.
 */
static int
input_complete(struct fcgi_io *io)
{
	FCGX_Request	*request = io->request;
	char		 scrap[1024];
	int		 n, total = 0, pending = 1;

	if (request->keepConnection)
		return 0;
	switch (request->role) {
	case FCGI_AUTHORIZER:
		/*
		 * No body reaches an authorizer (FastCGI 1.0, 6.3); lighttpd
		 * sends an empty FCGI_STDIN in the same write as the
		 * parameters, mod_authnz_fcgi and mod_fcgid send none.
		 */
		break;
	case FCGI_RESPONDER:
		/*
		 * A responder's input always ends with an empty record: read
		 * up to it when no body was announced.  A body the handler
		 * left unread is the linger's to drain as it comes.
		 */
		if (FCGX_HasSeenEOF(request->in) != EOF &&
		    body_announced(io))
			return 0;
		while ((n = FCGX_GetStr(scrap, sizeof(scrap), request->in)) > 0)
			if ((total += n) > BOUND_FCGI_DRAIN)
				return 0;
		if (FCGX_GetError(request->in) != 0 ||
		    FCGX_HasSeenEOF(request->in) != EOF)
			return 0;
		break;
	default:
		return 0;
	}
	/* Nothing unread either: a close then sends a FIN, not a reset. */
	if (ioctl(request->ipcFd, FIONREAD, &pending) != 0)
		return 0;
	return pending == 0;
}

static int
run_fastcgi(struct app *app)
{
	FCGX_Request	 request;
	struct fcgi_io	 io;
	struct arena	*a = arena_new();

	memset(&io, 0, sizeof(io));
	io.request = &request;
	if (FCGX_Init() != 0 || FCGX_InitRequest(&request, 0, 0) != 0)
		log_fatalx("cannot initialise FastCGI");
	install_signals();
	while (!shutdown_requested) {
		if (FCGX_Accept_r(&request) < 0) {
			if (errno == EINTR && !shutdown_requested)
				continue;
			break;
		}
		fcgi_index(&io);
		router_serve(app, a, fcgi_param, fcgi_read, fcgi_write, &io);
		if (input_complete(&io))
			FCGX_Detach(&request);
		FCGX_Finish_r(&request);
		arena_reset(a);
	}
	FCGX_Free(&request, 1);
	arena_free(a);
	log_debug("shutting down");
	return 0;
}

static int
run_cgi(struct app *app)
{
	struct arena	*a = arena_new();

	router_serve(app, a, cgi_param, cgi_read, cgi_write, NULL);
	fflush(stdout);
	arena_free(a);
	return 0;
}

/* --- --check-config. ----------------------------------------------------- */

/* Prints each line of text as "    warning: LINE". */
static void
print_warnings(const char *text)
{
	while (*text != '\0') {
		size_t	n = strcspn(text, "\n");

		printf("    warning: %.*s\n", (int)n, text);
		text += n + (text[n] == '\n');
	}
}

static int
check_provider(struct app *app, size_t i, struct arena *a)
{
	const struct cfg_provider *p = &app->cfg->providers[i];
	const char	*summary, *warnings;
	enum err	 e;

	err_reason_clear();
	e = provider_check(app->providers[i], a, (int64_t)time(NULL), &summary,
	    &warnings);
	if (e != ERR_OK) {
		printf("  provider %-10s FAILED: %s: %s\n", p->name, err_str(e),
		    err_reason_get());
		return 1;
	}
	printf("  provider %-10s ok: %s\n", p->name, summary);
	print_warnings(warnings);
	return 0;
}

static int
check_config(const struct cfg *cfg, struct app *app)
{
	struct arena	*a = arena_new();
	const char	*dir;
	int		 failed = 0;

	printf("%s: configuration valid\n", cfg->path);
	for (size_t i = 0; i < cfg->warnings.n; i++)
		printf("    warning: %s\n", cfg->warnings.items[i]);
	printf("  redirect_uri  %s\n", cfg->redirect_uri);
	printf("  mounted at    %s/\n", cfg->base_path);
	/* The name a browser sees: __Host- or __Secure- under https. */
	printf("  cookies       %s (Path=%s%s), sessions last %lld s\n",
	    session_cookie_name(a, cfg), cfg->cookie_path,
	    cfg->secure ? ", Secure" : "", cfg->cookie_max_age);
	printf("  templates     %s\n", cfg->template_dir);
	err_reason_clear();
	if (replay_check(app->replay, &dir) == ERR_OK)
		printf("  runtime_dir   %s (used login states)\n", dir);
	else {
		printf("  runtime_dir   FAILED: %s\n", err_reason_get());
		failed = 1;
	}
	for (size_t i = 0; i < app->nproviders; i++) {
		failed |= check_provider(app, i, a);
		arena_reset(a);
	}
	arena_free(a);
	if (failed)
		printf("%s: a provider or the runtime directory cannot be used "
		    "(see above)\n", cfg->path);
	return failed;
}

/* --- main. --------------------------------------------------------------- */

enum mode { MODE_RUN, MODE_CHECK, MODE_GEN_SECRET, MODE_HELP, MODE_VERSION };

static const struct option long_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "check-config", no_argument, NULL, 'C' },
	{ "gen-secret", no_argument, NULL, 'G' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int
parse_args(int argc, char *argv[], enum mode *mode, const char **path)
{
	int	c;

	*mode = MODE_RUN;
	*path = NULL;
	while ((c = getopt_long(argc, argv, "c:hV", long_options, NULL)) != -1) {
		switch (c) {
		case 'c':
			*path = optarg;
			break;
		case 'C':
			*mode = MODE_CHECK;
			break;
		case 'G':
			*mode = MODE_GEN_SECRET;
			break;
		case 'h':
			*mode = MODE_HELP;
			break;
		case 'V':
			*mode = MODE_VERSION;
			break;
		default:
			return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	struct cfg	*cfg = NULL;
	struct app	*app = NULL;
	const char	*path;
	enum mode	 mode;
	enum err	 e;
	int		 rc, is_cgi;

	if (parse_args(argc, argv, &mode, &path) != 0) {
		usage(stderr);
		return 2;
	}
	switch (mode) {
	case MODE_HELP:
		usage(stdout);
		cfg_print_keys(stdout);
		return 0;
	case MODE_VERSION:
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	case MODE_GEN_SECRET:
		return gen_secret();
	default:
		break;
	}
	is_cgi = mode == MODE_RUN && FCGX_IsCGI();
	if (is_cgi && getenv("GATEWAY_INTERFACE") == NULL &&
	    getenv("REQUEST_METHOD") == NULL) {
		fprintf(stderr, "oidc-login: not started by a web server (no "
		    "FastCGI socket, no CGI environment); see --help\n");
		return 2;
	}
	if (path == NULL)
		path = getenv("OIDC_LOGIN_CONFIG");
	if (path == NULL || *path == '\0')
		path = DEFAULT_CONFIG;
	if (cfg_load(path, &cfg) != ERR_OK) {
		log_errx("%s", err_reason_get());
		return 1;
	}
	log_set_level(cfg->log_level);
	if (cfg->log_file != NULL && log_open_file(cfg->log_file) != ERR_OK) {
		log_err("%s: [auth] log_file: cannot open %s", cfg->path,
		    cfg->log_file);
		cfg_free(cfg);
		return 1;
	}
	for (size_t i = 0; i < cfg->warnings.n; i++)
		log_warnx("%s", cfg->warnings.items[i]);
	err_clear();
	if ((e = app_new(cfg, &app)) != ERR_OK) {
		log_errx("%s", err_reason_get()[0] != '\0' ? err_reason_get() :
		    err_str(e));
		cfg_free(cfg);
		return 1;
	}
	if (mode == MODE_CHECK)
		rc = check_config(cfg, app);
	else if (is_cgi)
		rc = run_cgi(app);
	else {
		log_info("ready: %zu provider(s), callback %s", app->nproviders,
		    cfg->redirect_path);
		rc = run_fastcgi(app);
	}
	app_free(app);
	cfg_free(cfg);
	return rc;
}
