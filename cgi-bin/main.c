/*
 * oidc-login: an OpenID Connect login for any web server, as one
 * FastCGI (or CGI) program.  This file holds the command line, the
 * start-up, the accept loop and the FastCGI and CGI adapters that hand
 * each request to lib/router.c; everything else is in lib/.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
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
#include "num.h"
#include "provider.h"
#include "replay.h"
#include "req.h"
#include "router.h"
#include "session.h"
#include "workers.h"

#define DEFAULT_CONFIG	SYSCONF_DIR "/oidc-login/secrets.toml"

static volatile sig_atomic_t shutdown_requested;

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: oidc-login [-c FILE]                 run (FastCGI or CGI)\n"
	    "       oidc-login --workers N [-c FILE]     N FastCGI workers on "
	    "the\n"
	    "                                            listening socket given"
	    "\n"
	    "                                            (systemd, spawn-fcgi);"
	    "\n"
	    "                                            SIGHUP reloads\n"
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
	/* The body's deadline, from its first read; 0 until then. */
	struct timespec	 body_deadline;
	int		 timeout_armed;	/* SO_RCVTIMEO is set on ipcFd */
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

/*
 * Sets how long the next read(2) on the connection may wait: the time
 * left before the body's deadline.  Returns 0 when that time is up.
 */
static int
fcgi_arm_deadline(struct fcgi_io *io)
{
	struct timespec	now;
	struct timeval	tv;
	long long	left_ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (io->body_deadline.tv_sec == 0) {
		io->body_deadline = now;
		io->body_deadline.tv_sec += BOUND_BODY_SECONDS;
	}
	left_ns = (long long)(io->body_deadline.tv_sec - now.tv_sec) *
	    1000000000LL + (io->body_deadline.tv_nsec - now.tv_nsec);
	if (left_ns <= 0)
		return 0;
	tv.tv_sec = (time_t)(left_ns / 1000000000LL);
	tv.tv_usec = (suseconds_t)(left_ns % 1000000000LL / 1000);
	if (tv.tv_sec == 0 && tv.tv_usec == 0)
		tv.tv_usec = 1;		/* 0 would mean "wait forever" */
	if (setsockopt(io->request->ipcFd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) != 0)
		log_err("setsockopt SO_RCVTIMEO");
	io->timeout_armed = 1;
	return 1;
}

/* Lets later reads on a kept connection wait again as long as they like. */
static void
fcgi_disarm_deadline(struct fcgi_io *io)
{
	struct timeval	tv = { 0, 0 };

	if (io->timeout_armed && io->request->ipcFd >= 0)
		setsockopt(io->request->ipcFd, SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof(tv));
	io->timeout_armed = 0;
	io->body_deadline.tv_sec = 0;
	io->body_deadline.tv_nsec = 0;
}

/*
 * Reads body bytes with a total deadline (BOUND_BODY_SECONDS from the
 * first read).  FCGX_GetStr blocks until it has all it was asked for, and
 * a web server that streams the body as it comes (Apache's
 * mod_proxy_fcgi) hands on a slow client's trickle: so what libfcgi
 * already holds is taken as it is, and otherwise one byte is asked for
 * with the time left as the socket's receive timeout, which makes the
 * read(2) inside libfcgi give up with EAGAIN.
 */
static enum err
fcgi_read(void *ctx, char *p, size_t len, size_t *got)
{
	struct fcgi_io	*io = ctx;
	FCGX_Stream	*in = io->request->in;
	size_t		 held = (size_t)(in->stop - in->rdNext);
	int		 n, error;

	*got = 0;
	if (len == 0)
		return ERR_OK;
	if (held == 0) {
		if (!fcgi_arm_deadline(io))
			return ERR_TIMEOUT_CLIENT;
		if ((n = FCGX_GetStr(p, 1, in)) == 1) {
			*got = 1;
			return ERR_OK;
		}
		error = FCGX_GetError(in);
		if (error == EAGAIN || error == EWOULDBLOCK)
			return ERR_TIMEOUT_CLIENT;
		return error != 0 ? ERR_SYSTEM : ERR_OK;
	}
	n = (int)(len < held ? len : held);
	if (n > 65536)
		n = 65536;
	if ((n = FCGX_GetStr(p, n, in)) < 0)
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

	sigset_t	 stops;

	memset(&io, 0, sizeof(io));
	io.request = &request;
	if (FCGX_Init() != 0 || FCGX_InitRequest(&request, 0, 0) != 0)
		log_fatalx("cannot initialise FastCGI");
	install_signals();
	/*
	 * The stop signals interrupt a wait for the next request only: a
	 * request in hand is served to the end, and libfcgi takes a read(2)
	 * interrupted by a signal for a broken connection.  They wait,
	 * blocked, until it is answered.
	 */
	sigemptyset(&stops);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGUSR1);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGALRM);
	while (!shutdown_requested) {
		sigprocmask(SIG_UNBLOCK, &stops, NULL);
		if (FCGX_Accept_r(&request) < 0) {
			if (errno == EINTR && !shutdown_requested)
				continue;
			break;
		}
		sigprocmask(SIG_BLOCK, &stops, NULL);
		fcgi_index(&io);
		router_serve(app, a, fcgi_param, fcgi_read, fcgi_write, &io);
		fcgi_disarm_deadline(&io);
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

/* --- Workers (--workers N). ----------------------------------------------- */

/* One configuration, loaded and checked: what a worker runs. */
struct loaded {
	struct cfg	*cfg;
	struct app	*app;
};

struct service {
	const char	*path;		/* the configuration file */
	int		 started;	/* a configuration was loaded before */
};

static void	open_log_file(const struct cfg *);

/*
 * Reads and checks the configuration as a start-up would (cfg_load,
 * then app_new: the keys derived, the templates read), in the
 * supervisor.  At a reload the log keeps its file and level until the
 * new configuration has passed.
 */
static void *
service_load(void *ctx)
{
	struct service	*svc = ctx;
	struct loaded	*l;
	enum err	 e;

	if ((l = calloc(1, sizeof(*l))) == NULL) {
		log_errx("out of memory");
		return NULL;
	}
	err_clear();
	if (cfg_load(svc->path, &l->cfg) != ERR_OK) {
		log_errx("%s", err_reason_get());
		free(l);
		return NULL;
	}
	if (!svc->started) {
		log_set_level(l->cfg->log_level);
		open_log_file(l->cfg);
	}
	err_clear();
	if ((e = app_new(l->cfg, &l->app)) != ERR_OK) {
		log_errx("%s", err_reason_get()[0] != '\0' ?
		    err_reason_get() : err_str(e));
		cfg_free(l->cfg);
		free(l);
		return NULL;
	}
	if (svc->started) {
		log_set_level(l->cfg->log_level);
		open_log_file(l->cfg);
	}
	svc->started = 1;
	for (size_t i = 0; i < l->cfg->warnings.n; i++)
		log_warnx("%s", l->cfg->warnings.items[i]);
	return l;
}

static void
service_release(void *ctx, void *conf)
{
	struct loaded	*l = conf;

	if (l == NULL)
		return;
	app_free(l->app);
	cfg_free(l->cfg);
	free(l);
}

static int	run_fastcgi(struct app *);

static int
service_serve(void *ctx, void *conf)
{
	struct loaded	*l = conf;
	int		 rc;

	log_info("ready: %zu provider(s), callback %s", l->app->nproviders,
	    l->cfg->redirect_path);
	rc = run_fastcgi(l->app);
	service_release(ctx, conf);
	return rc;
}

static const struct workers_ops service_ops = {
	service_load, service_release, service_serve,
};

static int
run_workers(const char *path, unsigned n)
{
	struct service	 svc = { path, 0 };
	void		*conf;

	if ((conf = service_load(&svc)) == NULL)
		return 1;
	return workers_run(n, &service_ops, &svc, conf);
}

/*
 * systemd's socket activation passes the listening socket as file
 * descriptor 3 (LISTEN_FDS=1 and LISTEN_PID ours); libfcgi accepts on
 * descriptor 0, as spawn-fcgi and StandardInput=socket leave it: so 3
 * becomes 0.  Returns -1 when systemd passed something else.
 */
static int
take_listen_fds(void)
{
	const char	*pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	long long	 p, n;

	if (pid == NULL || fds == NULL ||
	    num_parse_str(pid, 1, INT_MAX, &p) != ERR_OK ||
	    (pid_t)p != getpid())
		return 0;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (num_parse_str(fds, 0, INT_MAX, &n) != ERR_OK || n != 1) {
		fprintf(stderr, "oidc-login: systemd passed LISTEN_FDS=%.20s; "
		    "its socket unit must have exactly one ListenStream=\n",
		    fds);
		return -1;
	}
	if (dup2(3, 0) == -1) {
		fprintf(stderr, "oidc-login: dup2 of the socket from systemd: "
		    "%s\n", strerror(errno));
		return -1;
	}
	close(3);
	return 0;
}

/* --- main. --------------------------------------------------------------- */

/*
 * Sends the log to log_file.  A file that cannot be opened (a missing
 * directory, a full disk, no permission) is reported on stderr, where
 * the lines then keep going: the gate must not stop over its log.
 */
static void
open_log_file(const struct cfg *cfg)
{
	if (cfg->log_file == NULL || log_open_file(cfg->log_file) == ERR_OK)
		return;
	log_err("%s: [auth] log_file: cannot open %s; logging to stderr "
	    "instead", cfg->path, cfg->log_file);
}

enum mode { MODE_RUN, MODE_CHECK, MODE_GEN_SECRET, MODE_HELP, MODE_VERSION };

static const struct option long_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "check-config", no_argument, NULL, 'C' },
	{ "gen-secret", no_argument, NULL, 'G' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "workers", required_argument, NULL, 'W' },
	{ NULL, 0, NULL, 0 },
};

static int
parse_args(int argc, char *argv[], enum mode *mode, const char **path,
    unsigned *workers)
{
	long long	n;
	int		c;

	*mode = MODE_RUN;
	*path = NULL;
	*workers = 0;
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
		case 'W':
			if (num_parse_str(optarg, 1, BOUND_WORKERS, &n) !=
			    ERR_OK) {
				fprintf(stderr, "oidc-login: --workers: a number "
				    "from 1 to %d\n", BOUND_WORKERS);
				return -1;
			}
			*workers = (unsigned)n;
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
	unsigned	 workers;
	int		 rc, is_cgi;

	if (parse_args(argc, argv, &mode, &path, &workers) != 0) {
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
	if (mode == MODE_RUN && take_listen_fds() != 0)
		return 2;
	is_cgi = mode == MODE_RUN && FCGX_IsCGI();
	if (workers > 0 && (mode != MODE_RUN || is_cgi)) {
		fprintf(stderr, "oidc-login: --workers needs a listening "
		    "socket as standard input (a systemd socket unit, "
		    "spawn-fcgi); see --help\n");
		return 2;
	}
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
	if (workers > 0)
		return run_workers(path, workers);
	if (cfg_load(path, &cfg) != ERR_OK) {
		log_errx("%s", err_reason_get());
		return 1;
	}
	log_set_level(cfg->log_level);
	open_log_file(cfg);
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
