/*
 * A small supervisor: N worker processes sharing one listening socket,
 * a dead worker replaced, a reload that checks the new configuration
 * before it replaces the workers one by one, and a stop that lets every
 * request in flight finish.  `oidc-login --workers N` runs it on the
 * socket it was given as standard input (systemd socket activation,
 * spawn-fcgi); docs/hosting.md says why multiwatch and spawn-fcgi -F,
 * which the operator may still use, cannot do the same.
 *
 * It knows nothing of FastCGI or of the configuration: the caller's
 * load() reads and checks one, serve() runs one worker on it.  The
 * workers are forked, not executed again: each runs the configuration
 * the supervisor checked, never a file changed since.
 *
 * Signals to the supervisor: SIGHUP reloads; SIGTERM, SIGINT and SIGUSR1
 * stop (each worker gets SIGTERM, finishes the request in hand and
 * exits; one that takes longer than BOUND_WORKER_STOP_SECONDS is
 * killed).  With systemd, NOTIFY_SOCKET gets READY=1, RELOADING=1,
 * STOPPING=1 and a STATUS= line (Type=notify).
 */
#ifndef WORKERS_H
#define WORKERS_H

struct workers_ops {
	/*
	 * Reads and checks the configuration; returns it, or NULL after
	 * logging why it cannot be used.  Called at start and at each
	 * reload, in the supervisor.
	 */
	void	*(*load)(void *ctx);
	/* Frees what load returned (in the supervisor; NULL accepted). */
	void	 (*release)(void *ctx, void *conf);
	/*
	 * Runs one worker with conf, in a child whose signal mask and
	 * dispositions are the defaults again; returns its exit status.
	 */
	int	 (*serve)(void *ctx, void *conf);
};

/*
 * Runs n workers (1 to BOUND_WORKERS) with conf, which load() made,
 * until a stop signal, then returns the supervisor's exit status: 0
 * when every worker ended by itself, 1 when one had to be killed.
 * Takes over conf (released at the end or at a reload).
 */
int	workers_run(unsigned n, const struct workers_ops *, void *ctx,
	    void *conf);

#endif /* WORKERS_H */
