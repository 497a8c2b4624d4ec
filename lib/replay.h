/*
 * The login states already used on this host, so that a callback cannot
 * be replayed with its old flow cookie even when the provider would
 * redeem a code twice.
 *
 * One empty file per used state, named after a hash of it, in a
 * directory every process of the host shares (runtime_dir): creating
 * it with O_EXCL is the test, so two processes racing on one state
 * cannot both win.  Files older than a login may take are swept away.
 * Across hosts nothing is shared: see docs/scale-out.md.
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <stdint.h>

#include "err.h"

struct replay;

/*
 * Makes the record; dir is runtime_dir, or NULL for the default
 * ($RUNTIME_DIRECTORY, /run/oidc-login when writable, else
 * $TMPDIR/oidc-login-UID, made mode 0700).  Nothing is touched before
 * the first use, so a bad directory stops logins only, never the gate.
 * *out is owned by the caller (replay_free).
 */
enum err	replay_new(const char *dir, struct replay **out);

/* Frees the record; accepts NULL. */
void		replay_free(struct replay *);

/*
 * Records state as used.  ERR_UNVERIFIED when it was used before (a
 * replay), ERR_SYSTEM when the record cannot be written (then nobody can
 * tell, so the login is refused), each with err_reason().
 */
enum err	replay_use(struct replay *, const char *state, int64_t now);

/*
 * Returns 1 when state was recorded as used on this host (and not swept
 * away yet), else 0; changes nothing.  For the words of a page only:
 * replay_use is the test.
 */
int		replay_seen(struct replay *, const char *state);

/*
 * Makes sure the directory can be used (for --check-config): finds or
 * makes it, then writes and removes a probe file.  Sets *dir to its
 * path (owned by the record).  ERR_SYSTEM or ERR_CONFIG with a reason.
 */
enum err	replay_check(struct replay *, const char **dir);

#endif /* REPLAY_H */
