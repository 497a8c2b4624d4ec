/*
 * lib/log.c: level names, the threshold, one line per call whatever the
 * message holds (control characters replaced, long lines cut, errno
 * appended and kept), the log file, and log_fatal's exit.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

static char	logpath[] = "/tmp/oidc-login-test_log.XXXXXX";

/* Returns what the log file holds now and empties it. */
static const char *
drain(void)
{
	static char	text[8192];
	ssize_t		n;
	int		fd;

	text[0] = '\0';
	if ((fd = open(logpath, O_RDONLY)) == -1)
		return text;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	if (truncate(logpath, 0) != 0)
		diag("truncate: %s", strerror(errno));
	return text;
}

static int
lines(const char *s)
{
	int	n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_levels(void)
{
	static const struct {
		const char	*name;
		int		 ok;
		enum log_level	 level;
	} table[] = {
		{ "error", 1, LOG_LEVEL_ERROR },
		{ "warn", 1, LOG_LEVEL_WARN },
		{ "info", 1, LOG_LEVEL_INFO },
		{ "debug", 1, LOG_LEVEL_DEBUG },
		{ "", 0, 0 },
		{ "INFO", 0, 0 },
		{ "warning", 0, 0 },
		{ "info ", 0, 0 },
		{ "trace", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		enum log_level l = LOG_LEVEL__MAX;
		int rc = log_level_parse(table[i].name, &l);
		is_int(rc == 0, table[i].ok, "level \"%s\" %s", table[i].name,
		    table[i].ok ? "known" : "refused");
		if (table[i].ok)
			is_int(l, table[i].level, "level \"%s\" value",
			    table[i].name);
	}
	log_set_level(LOG_LEVEL_WARN);
	log_set_level(LOG_LEVEL__MAX);
	is_int(log_get_level(), LOG_LEVEL_WARN, "an out-of-range level is ignored");
}

static void
test_threshold(void)
{
	const char	*s;

	log_set_level(LOG_LEVEL_INFO);
	log_debug("hidden %d", 1);
	log_info("shown %d", 2);
	log_warnx("warned");
	log_errx("failed");
	s = drain();
	is_int(lines(s), 3, "info: debug is dropped, three lines");
	ok(strstr(s, "hidden") == NULL, "no debug line");
	ok(strstr(s, ": info: shown 2\n") != NULL, "the info line");
	ok(strstr(s, ": warn: warned\n") != NULL, "the warn line");
	ok(strstr(s, ": error: failed\n") != NULL, "the error line");
	ok(strncmp(s, "oidc-login[", 11) == 0, "lines start with the pid");
	log_set_level(LOG_LEVEL_ERROR);
	log_info("quiet");
	log_warnx("quiet");
	log_errx("loud");
	is_int(lines(drain()), 1, "error: only errors");
	log_set_level(LOG_LEVEL_DEBUG);
	log_debug("now shown");
	ok(strstr(drain(), ": debug: now shown\n") != NULL, "debug: shown");
}

static void
test_lines(void)
{
	static const struct {
		const char	*msg;
		const char	*want;
	} table[] = {
		{ "a\nb", "a?b" },
		{ "a\r\nInjected: 1", "a??Injected: 1" },
		{ "tab\there", "tab?here" },
		{ "del\x7f", "del?" },
		{ "esc\x1b[31m", "esc?[31m" },
		{ "utf-8 \xc3\xa9 kept", "utf-8 \xc3\xa9 kept" },
	};
	char		 big[3000];
	const char	*s;

	log_set_level(LOG_LEVEL_INFO);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		log_info("%s", table[i].msg);
		s = drain();
		is_int(lines(s), 1, "message %zu: one line", i);
		ok(strstr(s, table[i].want) != NULL, "message %zu: %s", i,
		    table[i].want);
	}
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_info("%s", big);
	s = drain();
	is_int(lines(s), 1, "a long message: one line");
	ok(strlen(s) <= 1024, "a long message: cut to the line buffer (%zu)",
	    strlen(s));
	errno = ENOENT;
	log_info("%s", big);
	log_err("%s", big);
	is_int(lines(drain()), 2, "a long message with errno: one line each");
}

static void
test_errno(void)
{
	const char	*s;

	log_set_level(LOG_LEVEL_INFO);
	errno = ENOENT;
	log_err("opening %s", "x");
	is_int(errno, ENOENT, "log_err keeps errno");
	s = drain();
	ok(strstr(s, ": error: opening x: ") != NULL &&
	    strstr(s, strerror(ENOENT)) != NULL, "log_err appends strerror");
	errno = EACCES;
	log_err("reading");
	ok(strstr(drain(), strerror(EACCES)) != NULL, "log_err appends strerror");
	errno = EACCES;
	log_warnx("plain");
	s = drain();
	ok(strstr(s, strerror(EACCES)) == NULL, "log_warnx does not");
	is_int(errno, EACCES, "log_warnx keeps errno");
}

static void
test_file(void)
{
	is_int(log_open_file("/nonexistent-dir/x.log"), ERR_SYSTEM,
	    "a log file that cannot be opened: ERR_SYSTEM");
	log_info("still here");
	ok(strstr(drain(), "still here") != NULL,
	    "the previous log file stays in use");
	is_int(log_open_file(logpath), 0, "reopening the log file");
	log_info("reopened");
	ok(strstr(drain(), "reopened") != NULL, "lines go to the new file");
}

/* Runs a fatal call in a child; returns its exit status. */
static int
fatal_child(int with_errno)
{
	pid_t	pid;
	int	status;

	fflush(stdout);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		errno = ENOENT;
		if (with_errno)
			log_fatal("fatal %s", "with errno");
		log_fatalx("fatal %s", "without");
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void
test_fatal(void)
{
	const char	*s;

	is_int(fatal_child(1), 1, "log_fatal exits 1");
	s = drain();
	ok(strstr(s, ": error: fatal with errno: ") != NULL,
	    "log_fatal logs with strerror");
	is_int(fatal_child(0), 1, "log_fatalx exits 1");
	s = drain();
	ok(strstr(s, ": error: fatal without\n") != NULL, "log_fatalx logs");
}

int
main(void)
{
	int	fd;

	if ((fd = mkstemp(logpath)) == -1) {
		tap_skip_all("mkstemp failed");
		return 0;
	}
	close(fd);
	if (log_open_file(logpath) != 0) {
		tap_skip_all("cannot open the log file");
		return 0;
	}
	test_levels();
	test_threshold();
	test_lines();
	test_errno();
	test_file();
	test_fatal();
	unlink(logpath);
	return tap_done();
}
