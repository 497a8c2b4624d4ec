#include "config.h"

#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bounds.h"
#include "log.h"
#include "workers.h"

/* Old and new workers side by side during a reload. */
#define SLOTS	(2 * BOUND_WORKERS)

struct worker {
	pid_t		 pid;		/* 0: a free slot */
	unsigned	 gen;		/* the configuration it runs */
	double		 started;
	double		 stop_sent;	/* 0 until it is told to stop */
	int		 killed;	/* SIGKILL sent */
};

struct sup {
	const struct workers_ops *ops;
	void		*ctx;
	void		*conf;
	unsigned	 n;		/* workers wanted */
	unsigned	 gen;		/* the current configuration */
	struct worker	 w[SLOTS];
	int		 stopping;	/* a stop signal came */
	int		 killed;	/* a worker had to be killed */
	double		 respawn_delay;	/* grows while workers die young */
	double		 respawn_at;
	const char	*last_reload;	/* for STATUS= */
	char		 status[128];	/* the last STATUS= sent */
};

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Tells systemd (Type=notify) where things stand, when it listens: one
 * datagram to NOTIFY_SOCKET, as sd_notify(3) sends, without linking
 * libsystemd for it.
 */
static void	notify(const char *, ...) __attribute__((format(printf, 1, 2)));

static void
notify(const char *fmt, ...)
{
	const char		*path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un	 sun;
	char			 msg[512];
	socklen_t		 len;
	va_list			 ap;
	int			 fd, n;

	if (path == NULL || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof(sun.sun_path))
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if (path[0] == '@')
		sun.sun_path[0] = '\0';	/* an abstract socket */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	if (sendto(fd, msg, (size_t)n, 0, (struct sockaddr *)&sun, len) < 0)
		log_debug("NOTIFY_SOCKET: %s", strerror(errno));
	close(fd);
}

static unsigned
count(const struct sup *s, int current, int stopping)
{
	unsigned	k = 0;

	for (size_t i = 0; i < SLOTS; i++)
		if (s->w[i].pid != 0 && (s->w[i].gen == s->gen) == current &&
		    (s->w[i].stop_sent != 0) == stopping)
			k++;
	return k;
}

static unsigned
alive(const struct sup *s)
{
	return count(s, 1, 0) + count(s, 1, 1) + count(s, 0, 0) +
	    count(s, 0, 1);
}

/* Sends systemd a STATUS= line when it changed. */
static void
status(struct sup *s)
{
	char	line[sizeof(s->status)];

	snprintf(line, sizeof(line), "%u worker(s) of %u%s%s",
	    count(s, 1, 0), s->n, s->last_reload ? "; " : "",
	    s->last_reload ? s->last_reload : "");
	if (strcmp(line, s->status) == 0)
		return;
	memcpy(s->status, line, sizeof(line));
	notify("STATUS=%s", line);
}

/* Starts one worker with the current configuration. */
static void
spawn(struct sup *s)
{
	struct worker	*w = NULL;
	sigset_t	 none;
	pid_t		 pid, self;

	for (size_t i = 0; i < SLOTS && w == NULL; i++)
		if (s->w[i].pid == 0)
			w = &s->w[i];
	if (w == NULL)
		return;
	self = getpid();
	if ((pid = fork()) == -1) {
		log_err("cannot start a worker");
		s->respawn_at = now() + 1;
		return;
	}
	if (pid == 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		for (int sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				sigaction(sig, &sa, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef __linux__
		/*
		 * A supervisor that dies (killed) leaves no worker behind:
		 * each finishes its request and exits, and whoever restarts
		 * the supervisor (systemd) finds the socket free of them.
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 && getppid() != self)
			exit(0);
#endif
		exit(s->ops->serve(s->ctx, s->conf));
	}
	w->pid = pid;
	w->gen = s->gen;
	w->started = now();
	w->stop_sent = 0;
	w->killed = 0;
	log_debug("worker %ld started", (long)pid);
}

static void
stop(struct worker *w)
{
	if (w->stop_sent != 0)
		return;
	kill(w->pid, SIGTERM);
	w->stop_sent = now();
}

/* Forgets the workers that ended, and says how each one did. */
static void
reap(struct sup *s)
{
	struct worker	*w;
	pid_t		 pid;
	int		 st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		w = NULL;
		for (size_t i = 0; i < SLOTS && w == NULL; i++)
			if (s->w[i].pid == pid)
				w = &s->w[i];
		if (w == NULL)
			continue;
		if (w->stop_sent != 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			log_debug("worker %ld stopped", (long)pid);
		else if (WIFSIGNALED(st))
			log_warnx("worker %ld killed by signal %d%s", (long)pid,
			    WTERMSIG(st), s->stopping || w->stop_sent != 0 ?
			    "" : "; starting another");
		else
			log_warnx("worker %ld exited with status %d%s",
			    (long)pid, WEXITSTATUS(st), s->stopping ||
			    w->stop_sent != 0 ? "" : "; starting another");
		/* Workers that die young are restarted less and less often. */
		if (w->stop_sent == 0 && now() - w->started < 1.0) {
			s->respawn_delay = s->respawn_delay == 0 ? 0.1 :
			    s->respawn_delay * 2;
			if (s->respawn_delay > BOUND_WORKER_RESPAWN_MAX)
				s->respawn_delay = BOUND_WORKER_RESPAWN_MAX;
			s->respawn_at = now() + s->respawn_delay;
		} else if (w->stop_sent == 0)
			s->respawn_delay = 0;
		w->pid = 0;
	}
}

/*
 * One step of a reload: while workers of an older configuration remain
 * and none of them is stopping, start one with the new configuration,
 * then tell one old worker to stop.  The listening socket stays open
 * throughout and at least n workers accept on it, so no connection
 * waits for a worker that is gone.
 */
static void
replace_step(struct sup *s)
{
	if (count(s, 0, 1) > 0)
		return;
	for (size_t i = 0; i < SLOTS; i++) {
		if (s->w[i].pid == 0 || s->w[i].gen == s->gen)
			continue;
		spawn(s);
		stop(&s->w[i]);
		return;
	}
}

static void
fill(struct sup *s)
{
	if (now() < s->respawn_at)
		return;
	while (count(s, 1, 0) + count(s, 0, 0) < s->n) {
		size_t before = alive(s);

		spawn(s);
		if (alive(s) == before)
			break;
	}
}

/* Workers that do not stop in time are killed. */
static void
kill_overdue(struct sup *s)
{
	double	t = now();

	for (size_t i = 0; i < SLOTS; i++) {
		struct worker *w = &s->w[i];

		if (w->pid == 0 || w->stop_sent == 0 || w->killed ||
		    t - w->stop_sent < BOUND_WORKER_STOP_SECONDS)
			continue;
		log_warnx("worker %ld still busy %d s after SIGTERM: killed",
		    (long)w->pid, BOUND_WORKER_STOP_SECONDS);
		kill(w->pid, SIGKILL);
		w->killed = 1;
		s->killed = 1;
	}
}

static void
reload(struct sup *s)
{
	void	*conf;

	notify("RELOADING=1");
	log_info("reload: checking the configuration");
	if ((conf = s->ops->load(s->ctx)) == NULL) {
		log_errx("reload: configuration refused (see above); the %u "
		    "worker(s) keep the previous one", count(s, 1, 0) +
		    count(s, 0, 0));
		s->last_reload = "last reload refused: see the log";
		notify("READY=1");
		status(s);
		return;
	}
	s->ops->release(s->ctx, s->conf);
	s->conf = conf;
	s->gen++;
	s->respawn_delay = 0;
	s->respawn_at = 0;
	s->last_reload = NULL;
	log_info("reload: configuration valid; replacing %u worker(s) one by "
	    "one", count(s, 0, 0));
}

static void
begin_stop(struct sup *s)
{
	if (s->stopping)
		return;
	s->stopping = 1;
	notify("STOPPING=1");
	log_info("stopping %u worker(s)", alive(s));
	for (size_t i = 0; i < SLOTS; i++)
		if (s->w[i].pid != 0)
			stop(&s->w[i]);
}

static void
on_child(int sig)
{
	/* Nothing: a handler only so that SIGCHLD is queued, not ignored. */
}

int
workers_run(unsigned n, const struct workers_ops *ops, void *ctx, void *conf)
{
	struct sup		 s;
	struct sigaction	 sa;
	struct timespec		 tick = { 0, 200 * 1000 * 1000 };
	sigset_t		 set;
	int			 sig, reloading = 0, ready = 0;

	memset(&s, 0, sizeof(s));
	s.ops = ops;
	s.ctx = ctx;
	s.conf = conf;
	s.n = n;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	log_info("supervisor: %u worker(s)", n);
	for (;;) {
		reap(&s);
		if (s.stopping && alive(&s) == 0)
			break;
		if (!s.stopping) {
			replace_step(&s);
			fill(&s);
			if (reloading && count(&s, 0, 0) + count(&s, 0, 1) == 0) {
				reloading = 0;
				log_info("reload: done, %u worker(s) on the new "
				    "configuration", count(&s, 1, 0));
				notify("READY=1");
			}
			if (!ready && count(&s, 1, 0) == s.n) {
				ready = 1;
				notify("READY=1\nMAINPID=%ld", (long)getpid());
			}
			status(&s);
		}
		kill_overdue(&s);
		if ((sig = sigtimedwait(&set, NULL, &tick)) == -1)
			continue;
		if (sig == SIGHUP && !s.stopping) {
			reload(&s);
			reloading = count(&s, 0, 0) > 0;
		} else if (sig == SIGTERM || sig == SIGINT || sig == SIGUSR1)
			begin_stop(&s);
	}
	ops->release(ctx, s.conf);
	log_info("supervisor: stopped");
	return s.killed;
}
