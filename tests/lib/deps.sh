# tests/lib/deps.sh - what oidc-login needs, installed when missing, and the
# build.  Sourced by demo/run, tests/run and .ci/run; safe to run again.
#
# deps_install PKG...   apt-get installs the Debian packages that are missing
#                       (root only; DEPS_NO_INSTALL=1 only reports them)
# deps_npm              npm ci in tests/ when the lock file changed
# deps_build [ARGS]     autoreconf/configure when needed, then make
# deps_summary LOG      prints "N passed, N failed" from a test-suite.log

DEPS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# To build, and to run the program under lighttpd.
DEPS_BUILD=(build-essential autoconf automake pkg-config libfcgi-dev
    libcurl4-openssl-dev libjson-c-dev libssl-dev lighttpd curl)

# To run every test: the servers, the browser, the tools.
DEPS_TEST=(faketime valgrind apache2 libapache2-mod-fcgid nginx
    spawn-fcgi libfcgi-bin haproxy chromium openssl clang gcovr mandoc
    systemd python3 strace)
# lighttpd's mod_magnet: the identity headers of the Streamlit recipe.
DEPS_TEST+=(lighttpd-modules-lua)
# The https tests: lighttpd's TLS module, certutil to make Chromium trust
# the test CA (an NSS database in a private HOME), IO::Socket::SSL for
# LemonLDAP::NG's portal served over https by plackup.
DEPS_TEST+=(lighttpd-mod-openssl libnss3-tools libio-socket-ssl-perl)
# The real providers (tests/real/): LemonLDAP::NG's portal under plackup,
# with what its portal loads but Debian only recommends (the captcha
# modules, String::Random, IO::String: without them every request
# answers "Initialization failed"); Glewlwyd with its SQLite tool.
DEPS_TEST+=(liblemonldap-ng-portal-perl
    libplack-perl libgd-securityimage-perl libgd-perl libimage-magick-perl
    libstring-random-perl libio-string-perl glewlwyd dbconfig-no-thanks
    sqlite3)

deps_say() {
	printf '%s: %s\n' "$(basename "$0")" "$*"
}

deps_install() {
	local missing=() pkg
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
		    grep -q 'install ok installed' || missing+=("$pkg")
	done
	command -v node >/dev/null 2>&1 || missing+=(nodejs)
	command -v npm >/dev/null 2>&1 || missing+=(npm)
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "${DEPS_NO_INSTALL:-0}" = 1 ] || [ "$(id -u)" != 0 ] ||
	    ! command -v apt-get >/dev/null 2>&1; then
		deps_say "missing packages: ${missing[*]}" >&2
		deps_say "install them (as root: apt-get install ${missing[*]})" >&2
		return 1
	fi
	deps_say "installing ${missing[*]}"
	apt-get update -qq
	# Package scripts must not start the system's lighttpd, apache2, nginx.
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends "${missing[@]}" >/dev/null
	local rc=$?
	rm -f /usr/sbin/policy-rc.d
	return $rc
}

deps_npm() {
	local stamp=$DEPS_TOP/tests/node_modules/.package-lock.json
	if [ -f "$stamp" ] && [ ! "$DEPS_TOP/tests/package-lock.json" -nt "$stamp" ]; then
		return 0
	fi
	# A link to another tree's packages (a worktree, the sanitizer
	# build): npm ci would empty that tree's directory under its feet.
	if [ -L "$DEPS_TOP/tests/node_modules" ]; then
		deps_say "tests/node_modules is a link to $(readlink \
		    "$DEPS_TOP/tests/node_modules"), older than this" \
		    "package-lock.json: run npm ci there"
		return 0
	fi
	deps_say "installing the test provider's npm packages (tests/)"
	(cd "$DEPS_TOP/tests" && npm ci --no-audit --no-fund --loglevel=error)
}

deps_build() {
	(
		cd "$DEPS_TOP" || exit 1
		if [ ! -x configure ]; then
			deps_say "autoreconf -fi"
			autoreconf -fi >/dev/null || exit 1
		fi
		if [ ! -f Makefile ]; then
			deps_say "./configure $*"
			./configure -q "$@" || exit 1
		fi
		deps_say "make"
		make -s -j"$(nproc)" >/dev/null
	)
}

deps_summary() {
	awk '
		/^# PASS:/  { pass += $3 }
		/^# FAIL:/  { fail += $3 }
		/^# ERROR:/ { fail += $3 }
		/^# XPASS:/ { fail += $3 }
		END { printf "%d passed, %d failed\n", pass, fail }
	' "$@"
}
