/*
 * lib/replay: a state is used once per host, across processes; records
 * outlive a login, then are swept; a directory others may write to, or
 * none at all, refuses logins rather than letting replays through.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include "bounds.h"
#include "err.h"
#include "replay.h"
#include "tap.h"

static char	top[256];

static size_t
count_records(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	size_t		 n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
test_once(void)
{
	char		 dir[512];
	struct replay	*r;
	const char	*used;
	int64_t		 now = 1700000000;

	snprintf(dir, sizeof(dir), "%s/records", top);
	replay_new(dir, &r);
	is_int(replay_check(r, &used), ERR_OK, "a configured directory is made");
	is_str(used, dir, "... and used");
	ok(!replay_seen(r, "state-A"), "a state not used yet is not seen");
	is_int(replay_use(r, "state-A", now), ERR_OK, "a new state");
	ok(replay_seen(r, "state-A"), "a used state is seen");
	ok(!replay_seen(r, "state-Z"), "another one is not");
	err_reason_clear();
	is_int(replay_use(r, "state-A", now + 1), ERR_UNVERIFIED,
	    "the same state again: a replay");
	ok(strstr(err_reason_get(), "state already used") != NULL,
	    "the reason says so");
	is_int(replay_use(r, "state-B", now), ERR_OK, "another state");
	is_int(count_records(dir), 2, "one file per state");
	replay_free(r);
}

/* Another process of the host sees the same record. */
static void
test_other_process(void)
{
	char		 dir[512];
	struct replay	*r;
	pid_t		 pid;
	int		 status = 0;

	snprintf(dir, sizeof(dir), "%s/records", top);
	replay_new(dir, &r);
	is_int(replay_use(r, "state-C", 1700000000), ERR_OK,
	    "a state used here");
	replay_free(r);
	if ((pid = fork()) == 0) {
		replay_new(dir, &r);
		_exit(replay_use(r, "state-C", 1700000001) == ERR_UNVERIFIED ?
		    0 : 1);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "is a replay in another process");
}

static void
test_sweep(void)
{
	char		 dir[512], path[1024];
	struct replay	*r;
	DIR		*d;
	struct dirent	*de;
	struct utimbuf	 old = { 1000, 1000 };

	snprintf(dir, sizeof(dir), "%s/swept", top);
	replay_new(dir, &r);
	replay_use(r, "old-state", 2000);
	/* Age the record beyond any flow's life. */
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", dir,
				    de->d_name);
				utime(path, &old);
			}
		closedir(d);
	}
	replay_free(r);
	replay_new(dir, &r);
	replay_use(r, "new-state", 1000 + BOUND_FLOW_MAX_AGE +
	    BOUND_CLOCK_SKEW_MAX + 10);
	is_int(count_records(dir), 1, "an old record is swept");
	replay_free(r);
}

static void
test_bad_dirs(void)
{
	char		 dir[512];
	struct replay	*r;
	const char	*used;

	snprintf(dir, sizeof(dir), "%s/open", top);
	mkdir(dir, 0777);
	chmod(dir, 0777);
	replay_new(dir, &r);
	err_reason_clear();
	is_int(replay_use(r, "s", 1), ERR_CONFIG, "a world-writable directory "
	    "is refused");
	ok(strstr(err_reason_get(), "others may write") != NULL,
	    "the reason says why");
	replay_free(r);

	snprintf(dir, sizeof(dir), "%s/file", top);
	fclose(fopen(dir, "w"));
	replay_new(dir, &r);
	err_reason_clear();
	is_int(replay_check(r, &used), ERR_CONFIG, "a file is no directory");
	replay_free(r);

	replay_new("/proc/oidc-login-cannot", &r);
	err_reason_clear();
	is_int(replay_use(r, "s", 1), ERR_SYSTEM, "a directory that cannot "
	    "be made refuses the login");
	ok(strstr(err_reason_get(), "runtime_dir /proc/oidc-login-cannot") !=
	    NULL, "naming it");
	replay_free(r);
}

/* Without runtime_dir: $RUNTIME_DIRECTORY, else a private one in TMPDIR. */
static void
test_defaults(void)
{
	char		 dir[512], want[512];
	struct replay	*r;
	const char	*used;
	struct stat	 st;

	snprintf(dir, sizeof(dir), "%s/systemd", top);
	mkdir(dir, 0750);
	setenv("RUNTIME_DIRECTORY", dir, 1);
	replay_new(NULL, &r);
	is_int(replay_check(r, &used), ERR_OK, "RUNTIME_DIRECTORY is used");
	is_str(used, dir, "... that one");
	replay_free(r);
	unsetenv("RUNTIME_DIRECTORY");

	setenv("TMPDIR", top, 1);
	replay_new(NULL, &r);
	if (access("/run/oidc-login", W_OK) == 0) {
		ok(1, "# SKIP /run/oidc-login exists here");
		replay_free(r);
		return;
	}
	snprintf(want, sizeof(want), "%s/oidc-login-%u", top,
	    (unsigned)geteuid());
	is_int(replay_check(r, &used), ERR_OK, "TMPDIR/oidc-login-UID");
	is_str(used, want, "... made");
	ok(stat(want, &st) == 0 && (st.st_mode & 0777) == 0700,
	    "... mode 0700");
	replay_free(r);
	chmod(want, 0755);
	replay_new(NULL, &r);
	is_int(replay_use(r, "s", 1), ERR_CONFIG, "a private directory others "
	    "can read is refused");
	replay_free(r);
}

int
main(void)
{
	char	cmd[600];

	snprintf(top, sizeof(top), "%s/test_replay.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(top) == NULL) {
		tap_skip_all("no temporary directory");
		return 0;
	}
	test_once();
	test_other_process();
	test_sweep();
	test_bad_dirs();
	test_defaults();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		diag("could not remove %s", top);
	return tap_done();
}
