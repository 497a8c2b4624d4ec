/*
 * One line per event on stderr, which FastCGI servers put in their
 * error log.  Nothing secret is ever passed here: callers log names,
 * sizes and reasons, never tokens, codes, cookies or secrets.
 */
#ifndef LOG_H
#define LOG_H

#include "err.h"

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
	LOG_LEVEL__MAX
};

/* Sets the least severe level that is written; the default is INFO. */
void	log_set_level(enum log_level);

/*
 * Appends the log lines to path instead of stderr (created 0640 when
 * absent); returns ERR_SYSTEM with errno set when it cannot be opened,
 * and the lines then keep going where they went.  Once a line cannot be
 * written to it (a full disk), that line and the later ones go to stderr
 * after one line saying why, until log_open_file is called again.
 */
enum err log_open_file(const char *path);

/* Returns the current level. */
enum log_level log_get_level(void);

/* Parses "error", "warn", "info" or "debug" into *out; else ERR_INPUT. */
enum err log_level_parse(const char *, enum log_level *out);

/* Logs at ERROR, then exits with status 1; the errno variant adds strerror. */
void	log_fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	log_fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* Logs at ERROR; the variant without x appends strerror(errno). */
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_errx(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Logs at WARN. */
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Logs at INFO. */
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Logs at DEBUG. */
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif /* LOG_H */
