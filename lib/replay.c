#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "b64.h"
#include "bounds.h"
#include "crypto.h"
#include "replay.h"

/* Hash bytes in a record's name: 192 bits, 32 base64url characters. */
#define NAME_HASH_BYTES	24
#define NAME_LEN	32

/* The default when nothing else is writable: one per user, in /tmp. */
#define DEFAULT_SHARED	"/run/oidc-login"

struct replay {
	char		 configured[BOUND_REPLAY_DIR];	/* runtime_dir, or "" */
	char		 dir[BOUND_REPLAY_DIR];
	int		 ready;		/* dir is found and checked */
	int64_t		 swept;		/* when this process last swept */
};

enum err
replay_new(const char *dir, struct replay **out)
{
	struct replay	*r;

	*out = NULL;
	if (dir != NULL && strlen(dir) >= BOUND_REPLAY_DIR) {
		err_reason("runtime_dir %.64s...: path too long", dir);
		return ERR_CONFIG;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return ERR_NOMEM;
	if (dir != NULL)
		memcpy(r->configured, dir, strlen(dir) + 1);
	*out = r;
	return ERR_OK;
}

/* Accepts NULL, as free() does: nothing in the record needs more. */
void
replay_free(struct replay *r)
{
	free(r);
}

/*
 * A directory others cannot write to: whoever could delete a record
 * could replay its callback.
 */
static enum err
check_dir(const char *dir, int own)
{
	struct stat	st;

	if (lstat(dir, &st) != 0) {
		err_reason("runtime_dir %s: %s", dir, strerror(errno));
		return ERR_SYSTEM;
	}
	if (!S_ISDIR(st.st_mode)) {
		err_reason("runtime_dir %s: not a directory", dir);
		return ERR_CONFIG;
	}
	if ((st.st_mode & S_IWOTH) || (own && (st.st_uid != geteuid() ||
	    (st.st_mode & (S_IRWXG | S_IRWXO))))) {
		err_reason("runtime_dir %s: others may write or read there "
		    "(mode %03o, owner %u); make it mode 0700 (or 0770 for a "
		    "group of workers), owned by the user oidc-login runs as",
		    dir, (unsigned)(st.st_mode & 0777), (unsigned)st.st_uid);
		return ERR_CONFIG;
	}
	if (access(dir, W_OK | X_OK) != 0) {
		err_reason("runtime_dir %s: not writable by uid %u: %s", dir,
		    (unsigned)geteuid(), strerror(errno));
		return ERR_SYSTEM;
	}
	return ERR_OK;
}

static enum err
use_dir(struct replay *r, const char *dir, int make, int own)
{
	if (strlen(dir) >= sizeof(r->dir)) {
		err_reason("runtime_dir %.64s...: path too long", dir);
		return ERR_CONFIG;
	}
	if (make && mkdir(dir, 0700) != 0 && errno != EEXIST) {
		err_reason("runtime_dir %s: cannot make it: %s", dir,
		    strerror(errno));
		return ERR_SYSTEM;
	}
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	return check_dir(r->dir, own);
}

/* systemd's RUNTIME_DIRECTORY may list several: the first is ours. */
static const char *
systemd_dir(char *buf, size_t len)
{
	const char	*env = getenv("RUNTIME_DIRECTORY");

	if (env == NULL || env[0] != '/')
		return NULL;
	snprintf(buf, len, "%.*s", (int)strcspn(env, ":"), env);
	return buf;
}

static enum err
find_dir(struct replay *r)
{
	char		 path[BOUND_REPLAY_DIR];
	const char	*tmp = getenv("TMPDIR");
	struct stat	 st;

	if (r->configured[0] != '\0')
		return use_dir(r, r->configured, 1, 0);
	if (systemd_dir(path, sizeof(path)) != NULL)
		return use_dir(r, path, 0, 0);
	if (lstat(DEFAULT_SHARED, &st) == 0 && S_ISDIR(st.st_mode) &&
	    access(DEFAULT_SHARED, W_OK | X_OK) == 0)
		return use_dir(r, DEFAULT_SHARED, 0, 0);
	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	snprintf(path, sizeof(path), "%s/oidc-login-%u", tmp,
	    (unsigned)geteuid());
	return use_dir(r, path, 1, 1);
}

static enum err
ready(struct replay *r)
{
	enum err	e;

	if (r->ready)
		return ERR_OK;
	if ((e = find_dir(r)) != ERR_OK)
		return e;
	r->ready = 1;
	return ERR_OK;
}

static int
is_record_name(const char *name)
{
	return strlen(name) == NAME_LEN && strspn(name, "abcdefghijklmnopqrs"
	    "tuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == NAME_LEN;
}

/* Removes records older than any flow cookie can be, at most once a while. */
static void
sweep(struct replay *r, int64_t now)
{
	int64_t		 old = now - BOUND_FLOW_MAX_AGE - BOUND_CLOCK_SKEW_MAX;
	char		 path[BOUND_REPLAY_DIR + 64];
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;

	if (r->swept != 0 && now >= r->swept &&
	    now - r->swept < BOUND_REPLAY_SWEEP)
		return;
	r->swept = now;
	if ((d = opendir(r->dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!is_record_name(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", r->dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (int64_t)st.st_mtime < old)
			unlink(path);
	}
	closedir(d);
}

/* The record's file name: a hash, so the state itself is never stored. */
static enum err
record_path(const struct replay *r, const char *state, char *path,
    size_t len)
{
	static const char	 label[] = "oidc-login used state v1:";
	unsigned char		 md[64], in[sizeof(label) + 256];
	char			 name[NAME_LEN + 4];
	size_t			 mdlen, n = strlen(state);
	enum err		 e;

	if (n > 256)
		n = 256;
	memcpy(in, label, sizeof(label) - 1);
	memcpy(in + sizeof(label) - 1, state, n);
	if ((e = crypto_digest(CRYPTO_SHA256, in, sizeof(label) - 1 + n, md,
	    &mdlen)) != ERR_OK)
		return e;
	b64_url_encode(md, NAME_HASH_BYTES, name);
	snprintf(path, len, "%s/%s", r->dir, name);
	return ERR_OK;
}

enum err
replay_use(struct replay *r, const char *state, int64_t now)
{
	char		path[BOUND_REPLAY_DIR + 64];
	enum err	e;
	int		fd;

	if ((e = ready(r)) != ERR_OK || (e = record_path(r, state, path,
	    sizeof(path))) != ERR_OK)
		return e;
	sweep(r, now);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1 && errno == EEXIST) {
		err_reason("state already used: a callback replayed");
		return ERR_UNVERIFIED;
	}
	if (fd == -1) {
		err_reason("cannot record the used login state in %s: %s",
		    r->dir, strerror(errno));
		return ERR_SYSTEM;
	}
	close(fd);
	return ERR_OK;
}

int
replay_seen(struct replay *r, const char *state)
{
	char		path[BOUND_REPLAY_DIR + 64];
	struct stat	st;

	/* A reason recorded before this call stays: the first one wins. */
	if (ready(r) != ERR_OK || record_path(r, state, path,
	    sizeof(path)) != ERR_OK)
		return 0;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

enum err
replay_check(struct replay *r, const char **dir)
{
	char		path[BOUND_REPLAY_DIR + 32];
	enum err	e;
	int		fd;

	*dir = NULL;
	if ((e = ready(r)) != ERR_OK)
		return e;
	*dir = r->dir;
	snprintf(path, sizeof(path), "%s/.probe-%ld", r->dir, (long)getpid());
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		err_reason("runtime_dir %s: cannot write there: %s", r->dir,
		    strerror(errno));
		return ERR_SYSTEM;
	}
	close(fd);
	unlink(path);
	return ERR_OK;
}
