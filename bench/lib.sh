# shellcheck shell=bash
# bench/lib.sh - bench/run's measuring tools: the state of the machine
# (load, CPU steal, the CPU other processes took), wrk runs, and ratios
# with their spread.  Sourced after tests/lib/common.sh ($T, _pids) and
# with bench/run's die and say.
#
# Why the machine is recorded: a rate measured while something else runs
# is not the rate of a quiet machine, and not even the ratios survive it.
# The kernel shares a busy CPU between sessions (sched_autogroup), so a
# gate whose work is spread over more sessions (Apache, and FastCGI
# processes that spawn-fcgi starts in a session of their own) gets more of
# it than an in-process module: bench/README.md, "Why figures differed".

BENCH_MAX_LOAD=${BENCH_MAX_LOAD:-0.5}
BENCH_MAX_OTHER=${BENCH_MAX_OTHER:-5}
BENCH_MAX_STEAL=${BENCH_MAX_STEAL:-2}

# machine_line: what the figures were taken on.
machine_line() {
	local model hv=no ag=-
	model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	grep -qw hypervisor /proc/cpuinfo && hv=yes
	[ -r /proc/sys/kernel/sched_autogroup_enabled ] &&
	    ag=$(cat /proc/sys/kernel/sched_autogroup_enabled)
	printf '%s CPUs (%s), virtual machine: %s, Linux %s, sched_autogroup %s\n' \
	    "$(nproc)" "${model:-unknown}" "$hv" "$(uname -r)" "$ag"
}

# load1: the 1-minute load average.
load1() {
	cut -d ' ' -f 1 /proc/loadavg
}

# cpu_ticks: "busy steal total" over all CPUs since boot, in clock ticks
# (/proc/stat).  Busy is user, nice and system time: what processes are
# charged with, comparable with ours_ticks.
cpu_ticks() {
	awk '$1 == "cpu" {
		t = 0
		for (i = 2; i <= NF; i++) t += $i
		print $2 + $3 + $4, $9, t
		exit }' /proc/stat
}

# ours_ticks: the CPU time (ticks) of the bench's own processes: this
# shell and every process started from it or from a pid in _pids
# (spawn-fcgi's children have init as their parent), with the time of
# their children already reaped (wrk, curl, mod_fcgid's processes).
ours_ticks() {
	# shellcheck disable=SC2154  # _pids: tests/lib/common.sh
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v roots="$$ ${_pids[*]}" '
	    {
		pid = $1
		rest = $0
		sub(/^.*\) /, "", rest)
		split(rest, f, " ")
		parent[pid] = f[2]
		ticks[pid] = f[12] + f[13] + f[14] + f[15]
	    }
	    END {
		n = split(roots, r, " ")
		for (i = 1; i <= n; i++) mine[r[i]] = 1
		do {
			more = 0
			for (p in parent)
				if (!(p in mine) && (parent[p] in mine)) {
					mine[p] = 1
					more = 1
				}
		} while (more)
		s = 0
		for (p in mine) s += ticks[p]
		print s
	    }'
}

# machine_mark: a snapshot "busy steal total ours" for machine_since.
machine_mark() {
	printf '%s %s\n' "$(cpu_ticks)" "$(ours_ticks)"
}

# machine_since MARK: "other% steal%" since MARK: the share of all CPUs
# that processes other than the bench's took, and the share the
# hypervisor took (steal).
machine_since() {
	local now
	now=$(machine_mark)
	awk -v a="$1" -v b="$now" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		t = y[3] - x[3]
		if (t <= 0) { print "- -"; exit }
		other = (y[1] - x[1]) - (y[4] - x[4])
		if (other < 0) other = 0
		printf "%.1f %.1f\n", 100 * other / t, 100 * (y[2] - x[2]) / t }'
}

# quiet_window SECONDS: "busy% steal%" of the whole machine over SECONDS
# while the bench does nothing (its servers idle): what else runs.
quiet_window() {
	local a b
	a=$(cpu_ticks)
	sleep "$1"
	b=$(cpu_ticks)
	awk -v a="$a" -v b="$b" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		t = y[3] - x[3]
		if (t <= 0) { print "- -"; exit }
		printf "%.1f %.1f\n", 100 * (y[1] - x[1]) / t, 100 * (y[2] - x[2]) / t }'
}

# machine_warnings LOAD_START QUIET_BEFORE QUIET_AFTER DURING: one line per
# sign that the machine was not quiet (lines starting "note: " are not
# warnings); nothing when it was.
#   LOAD_START    the 1-minute load average before the bench started
#   QUIET_*       "busy% steal%" of quiet_window before and after
#   DURING        "other% steal%" over the measured rounds
machine_warnings() {
	awk -v l="$1" -v qb="$2" -v qa="$3" -v d="$4" \
	    -v ml="$BENCH_MAX_LOAD" -v mo="$BENCH_MAX_OTHER" \
	    -v ms="$BENCH_MAX_STEAL" 'BEGIN {
		split(qb, b, " "); split(qa, a, " "); split(d, r, " ")
		# The load average lags by minutes: with the CPUs idle while
		# the bench was, it is the tail of earlier work, not a busy
		# machine (a note, not a warning).
		if (l + 0 > ml + 0 && (b[1] + 0 > mo + 0 || r[1] + 0 > mo + 0))
			printf "load average %s before the bench started (more than %s)\n", l, ml
		else if (l + 0 > ml + 0)
			printf "note: load average %s before the bench started (more than %s), but the CPUs were %s%% busy with the bench idle and other processes took %s%% during the rounds: the tail of earlier work\n", l, ml, b[1], r[1]
		if (b[1] + 0 > 2 * mo)
			printf "the machine was %s%% busy before the rounds, with the bench idle\n", b[1]
		if (a[1] + 0 > 2 * mo)
			printf "the machine was %s%% busy after the rounds, with the bench idle\n", a[1]
		if (r[1] + 0 > mo + 0)
			printf "other processes took %s%% of the CPUs during the rounds (more than %s%%)\n", r[1], mo
		if (b[2] + 0 > ms || a[2] + 0 > ms || r[2] + 0 > ms)
			printf "the hypervisor took CPU time (steal %s%% before, %s%% during, %s%% after; more than %s%%)\n", b[2], r[2], a[2], ms
	}'
}

# --- wrk ----------------------------------------------------------------

# to_ms VALUE: wrk's "1.23ms", "456.00us", "1.01s" in milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n;
		else if (v ~ /s$/) n *= 1000
		printf "%.3f", n }'
}

# wrk_run NAME SECONDS URL COOKIE: one wrk run (BENCH_THREADS,
# BENCH_CONNECTIONS); its output appended to $T/results/NAME.wrk; prints
# "rps p50 p99 max" (latencies in ms).  Stops the bench on any answer
# that is not 2xx or 3xx.
wrk_run() {
	local name=$1 secs=$2 url=$3 cookie=$4 out rps p50 p99 max bad
	out=$(wrk -t "$BENCH_THREADS" -c "$BENCH_CONNECTIONS" -d "${secs}s" \
	    --latency ${cookie:+-H "Cookie: $cookie"} "$url" 2>&1)
	printf '%s\n' "$out" >>"$T/results/$name.wrk"
	bad=$(printf '%s\n' "$out" | sed -n 's/.*Non-2xx or 3xx responses: *//p')
	[ -z "$bad" ] || die "$name: $bad answers not 2xx/3xx"
	printf '%s\n' "$out" | grep -q 'Socket errors' &&
	    say "$name: $(printf '%s\n' "$out" | grep 'Socket errors')"
	rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ { print $2 }')
	p50=$(to_ms "$(printf '%s\n' "$out" | awk '$1 == "50%" { print $2 }')")
	p99=$(to_ms "$(printf '%s\n' "$out" | awk '$1 == "99%" { print $2 }')")
	max=$(to_ms "$(printf '%s\n' "$out" | awk '$1 == "Latency" { print $4; exit }')")
	[ -n "$rps" ] || die "$name: wrk printed no rate: $out"
	printf '%s %s %s %s\n' "$rps" "$p50" "$p99" "$max"
}

# --- Ratios and their spread --------------------------------------------

# round_ratios A B: A's rate / B's rate in each round both ran, one a line
# (the .runs files: "rps p50 p99 max round ...").
round_ratios() {
	local fa=$T/results/$1.runs fb=$T/results/$2.runs
	[ -s "$fa" ] && [ -s "$fb" ] || return 0
	awk 'NR == FNR { a[$5] = $1; next }
	    ($5 in a) && $1 > 0 { printf "%.4f\n", a[$5] / $1 }' "$fa" "$fb"
}

# spread: "median p25 p75 min max n" of the numbers on stdin ("-" when
# none); quartiles by nearest rank.
spread() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		q1 = int(0.25 * NR + 0.999); if (q1 < 1) q1 = 1
		q3 = int(0.75 * NR + 0.999); if (q3 > NR) q3 = NR
		printf "%.4f %.4f %.4f %.4f %.4f %d\n", m, v[q1], v[q3], v[1], v[NR], NR }'
}

# ratio A B: the median over rounds of A's rate / B's rate in the same
# round, two decimals ("-" when either did not run).
ratio() {
	local s
	s=$(round_ratios "$1" "$2" | spread)
	[ "$s" = - ] && { echo -; return; }
	awk -v s="$s" 'BEGIN { split(s, v, " "); printf "%.2f\n", v[1] }'
}

# ratio_spread A B: "p25–p75  min–max" of the same round ratios.
ratio_spread() {
	local s
	s=$(round_ratios "$1" "$2" | spread)
	[ "$s" = - ] && return 0
	awk -v s="$s" 'BEGIN { split(s, v, " ")
		printf "%.2f–%.2f  %.2f–%.2f\n", v[2], v[3], v[4], v[5] }'
}
