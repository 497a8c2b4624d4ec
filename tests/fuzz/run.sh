#!/bin/sh
# make fuzz: runs each libFuzzer target for FUZZ_SECONDS (default 60),
# one after the other, on its committed corpus; new inputs and crash
# artifacts go to tests/fuzz/work/<target>/ in the build directory, never
# into the committed corpus.  Prints one summary line per target and
# fails when any target crashed.
#
#	sh run.sh SRCDIR BINDIR [target ...]

srcdir=$1
bindir=$2
shift 2
seconds=${FUZZ_SECONDS:-60}
targets=${*:-"chunks config cookie discovery form jwks jwt return_to seal \
session tmpl token toml userinfo"}

# The longest input worth trying: a little over each parser's bound.
max_len() {
	case $1 in
	cookie|chunks|seal|session)	echo 8192 ;;
	form|return_to)			echo 4096 ;;
	toml)				echo 16384 ;;
	*)				echo 65536 ;;
	esac
}

# A dictionary of the format's tokens, when there is one.
dict() {
	case $1 in
	discovery|jwks|token|userinfo|session)	echo json ;;
	jwt)					echo jwt ;;
	config|toml)				echo toml ;;
	tmpl)					echo tmpl ;;
	cookie|chunks)				echo cookie ;;
	form|return_to)				echo url ;;
	esac
}

status=0
printf '%-10s %8s %12s %8s %8s  %s\n' target seconds execs cov ft result
for t in $targets; do
	work=tests/fuzz/work/$t
	mkdir -p "$work/corpus"
	d=$(dict "$t")
	set -- -max_total_time="$seconds" -max_len="$(max_len "$t")" \
	    -artifact_prefix="$work/" -print_final_stats=1
	[ -n "$d" ] && set -- "$@" -dict="$srcdir/dict/$d.dict"
	start=$(date +%s)
	"$bindir/fuzz_$t" "$@" "$work/corpus" "$srcdir/corpus/$t" \
	    >"$work/log" 2>&1
	rc=$?
	took=$(( $(date +%s) - start ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
	last=$(grep -E '^#[0-9]+' "$work/log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	if [ $rc -eq 0 ]; then
		result=ok
	else
		status=1
		art=$(sed -n 's/.*Test unit written to //p' "$work/log" |
		    tail -n 1)
		result="FAILED (exit $rc) ${art:-see $work/log}"
	fi
	printf '%-10s %8s %12s %8s %8s  %s\n' "$t" "$took" "${execs:-?}" \
	    "${cov:-?}" "${ft:-?}" "$result"
done
exit $status
