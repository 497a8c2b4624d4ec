#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static enum log_level log_threshold = LOG_LEVEL_INFO;
static int log_fd = STDERR_FILENO;

static const char *const level_names[LOG_LEVEL__MAX] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARN] = "warn",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

void
log_set_level(enum log_level level)
{
	if (level < LOG_LEVEL__MAX)
		log_threshold = level;
}

enum err
log_open_file(const char *path)
{
	/* O_APPEND: one write(2) per line stays whole across processes. */
	int	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

	if (fd == -1)
		return ERR_SYSTEM;
	if (log_fd != STDERR_FILENO)
		close(log_fd);
	log_fd = fd;
	return ERR_OK;
}

enum log_level
log_get_level(void)
{
	return log_threshold;
}

enum err
log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i < LOG_LEVEL__MAX; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return ERR_OK;
		}
	}
	return ERR_INPUT;
}

/*
 * Writes one line.  When log_file cannot take it (a full disk, an I/O
 * error), the line and every later one go to stderr, with one line
 * saying why: a log that fills the disk must not silence the program,
 * nor stop it.  A reload opens log_file again.
 */
static void
log_write(const char *line, size_t len)
{
	char	note[160];
	int	n;

	while (write(log_fd, line, len) < 0) {
		if (errno == EINTR)
			continue;
		if (log_fd == STDERR_FILENO)
			return;
		n = snprintf(note, sizeof(note), "oidc-login[%ld]: error: "
		    "log_file: cannot write: %s; logging to stderr instead\n",
		    (long)getpid(), strerror(errno));
		close(log_fd);
		log_fd = STDERR_FILENO;
		if (n > 0 && (size_t)n < sizeof(note))
			(void)!write(log_fd, note, (size_t)n);
	}
}

/*
 * One write(2) per line, so lines from several processes sharing the
 * server's error log never interleave.  Control characters are replaced:
 * a log line must stay one line whatever a client or provider sent.
 */
static void	log_emit(enum log_level, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

static void
log_emit(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	char	 line[1024];
	size_t	 len;
	int	 n;

	if (level > log_threshold)
		return;
	n = snprintf(line, sizeof(line), "oidc-login[%ld]: %s: ",
	    (long)getpid(), level_names[level]);
	if (n < 0)
		return;
	len = (size_t)n;
	n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
	if (n < 0)
		return;
	len += (size_t)n;
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	if (errnum != 0) {
		n = snprintf(line + len, sizeof(line) - len, ": %s",
		    strerror(errnum));
		if (n > 0)
			len += (size_t)n;
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c < 0x20 || c == 0x7f)
			line[i] = '?';
	}
	line[len++] = '\n';
	log_write(line, len);
}

#define LOG_DEFINE(name, level, with_errno)				\
void									\
name(const char *fmt, ...)						\
{									\
	int	saved = errno;						\
	va_list	ap;							\
									\
	va_start(ap, fmt);						\
	log_emit(level, with_errno ? saved : 0, fmt, ap);		\
	va_end(ap);							\
	errno = saved;							\
}

LOG_DEFINE(log_err, LOG_LEVEL_ERROR, 1)
LOG_DEFINE(log_errx, LOG_LEVEL_ERROR, 0)
LOG_DEFINE(log_warnx, LOG_LEVEL_WARN, 0)
LOG_DEFINE(log_info, LOG_LEVEL_INFO, 0)
LOG_DEFINE(log_debug, LOG_LEVEL_DEBUG, 0)

void
log_fatal(const char *fmt, ...)
{
	int	saved = errno;
	va_list	ap;

	va_start(ap, fmt);
	log_emit(LOG_LEVEL_ERROR, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_emit(LOG_LEVEL_ERROR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
