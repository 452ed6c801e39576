#!/usr/bin/env bash
# RTP relay load on loopback: N bridged calls, two RTP peers per call at 50 packets/s each way.
#
#   benchmarks/relay-load.sh CALLS [SECONDS] [frames]     (default 60 s; needs: mvn -DskipTests install)
#
# Starts the media path of the box (RelayBox: real call engine, media clock, RTP engine; calls
# bridged in the core) in one JVM and the peers (rtp-peers.c, compiled here: a generator that
# batches its system calls, so that it is not what is measured) on the same machine. After
# a 5 s warm-up it measures for SECONDS: the box's CPU (from /proc, in cores), the loss end to end
# (each packet carries its sender's sequence number) and the delay the box adds per hop (each
# packet carries its send time). "frames" keeps every leg on the media clock instead of the
# direct relay.
set -euo pipefail
cd "$(dirname "$0")/.."
calls="${1:?usage: benchmarks/relay-load.sh CALLS [SECONDS] [frames]}"
seconds="${2:-60}"
mode="${3:-relay}"
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "no $jar: run mvn -DskipTests install first" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "$box" 2>/dev/null || true; rm -rf "$work"' EXIT

java ${BOX_OPTS:-} -Xms64m -Xmx256m -XX:+UseG1GC -XX:MaxGCPauseMillis=10 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$jar" org.switchboard.bench.RelayBox "$calls" "$work/ports" "$mode" > "$work/box.log" 2>&1 &
box=$!
for _ in $(seq 1 600); do [ -f "$work/ports" ] && break; sleep 0.1; done
[ -f "$work/ports" ] || { cat "$work/box.log"; exit 1; }

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
user() { awk '{print $14}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
gcc -O2 -o "$work/rtp-peers" benchmarks/rtp-peers.c -lpthread
"$work/rtp-peers" "$work/ports" "$seconds" 5 > "$work/peers.log" 2>&1 &
peers=$!
sleep 5
t0=$(ticks "$box"); u0=$(user "$box"); g0=$(ticks "$peers"); s0=$(date +%s.%N)
sleep "$seconds"
t1=$(ticks "$box"); u1=$(user "$box"); g1=$(ticks "$peers"); s1=$(date +%s.%N)
wait "$peers"
cpu=$(echo "($t1 - $t0) / $hz / ($s1 - $s0)" | bc -l)
gen=$(echo "($g1 - $g0) / $hz / ($s1 - $s0)" | bc -l)
usr=$(echo "($u1 - $u0) / $hz / ($s1 - $s0)" | bc -l)
echo "mode=$mode calls=$calls seconds=$seconds"
printf 'box_cpu_cores=%.3f (user %.3f, kernel %.3f) cpu_per_call_ms_per_s=%.3f generator_cpu_cores=%.3f\n' \
    "$cpu" "$usr" "$(echo "$cpu - $usr" | bc -l)" "$(echo "$cpu * 1000 / $calls" | bc -l)" "$gen"
cat "$work/peers.log"
echo "box RSS: $(awk '/VmRSS/ {print $2 / 1024 " MiB"}' /proc/$box/status)"
