#!/usr/bin/env bash
# Concurrent SIP calls with RTP flowing, against the firmware image, everything on the same machine.
#
#   benchmarks/sip-media-load.sh CALLS [SECONDS]   (default 800 calls, 60 s; needs: mvn -DskipTests install)
#
# Boots the image as shipped (benchmarks/sip-box.sh) and sets up CALLS calls with sipp at 50 calls/s
# from extension 1001 to extension 1002 (a sipp UAS), each bridged through the call engine (two SIP
# legs, two RTP port pairs). Then benchmarks/rtp-peers.c becomes the far end of every leg: 50 packets/s
# of 20 ms G.711 each way on each leg (CALLS x 4 x 50 packets/s through the box); the box latches onto
# it (symmetric RTP, as with a phone behind NAT). After a 5 s warm-up it measures for SECONDS: the box's
# CPU in cores, the loss and delay end to end (from the generator), and the memory an established call
# costs: live heap after a full GC with the calls up minus before them, and the resident size.
set -euo pipefail
cd "$(dirname "$0")/.."
calls="${1:-800}"
seconds="${2:-60}"
work_prefix=sip-media
uas_seconds=$((calls / 50 + seconds + 180))
. benchmarks/sip-box.sh
hz=$(getconf CLK_TCK)

live_heap_kb() { # used heap after a full collection, in KB
    jcmd "$pid" GC.run >/dev/null
    jcmd "$pid" GC.heap_info | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
heap0=$(live_heap_kb); rss0=$(rss_kb)

# the calls: set up at 50/s, held for longer than the measurement (sipp hangs them up afterwards)
hold_ms=$(( (calls / 50 + seconds + 60) * 1000 ))
sipp 127.0.0.1:$sip "${common[@]}" -p 35980 -cp 35981 -mp 36100 -sf uac_load.xml -s 1002 -key caller 1001 \
    -au 1001 -ap "$pw1" -r 50 -m "$calls" -l "$calls" -d "$hold_ms" -timeout "${uas_seconds}s" -max_socket 65000 \
    -trace_err </dev/null >uac.out 2>&1 &
uac_pid=$!
up=0
for _ in $(seq 1 $((calls / 25 + 60))); do
    up=$(shell sip:status | sed -n 's/^SIP legs: *//p')
    [ "${up:-0}" -ge $((calls * 2)) ] && break
    sleep 1
done
[ "${up:-0}" -ge $((calls * 2)) ] || { echo "only ${up:-0} of $((calls * 2)) legs came up; see $work"; kill $uac_pid; exit 1; }

# the box's two RTP ports of every call: call:list pairs the legs, media:streams gives each leg's port
shell call:list > calls.txt
shell media:streams > streams.txt
awk -F'|' 'NR==FNR { gsub(/ /, "", $1); gsub(/ /, "", $2); if ($2 ~ /^[0-9]+$/) port[$1] = $2; next }
           { for (i = 1; i <= NF; i++) gsub(/ /, "", $i) }
           $4 == "in" && ($2 in port) && ($10 in port) { print port[$2], port[$10] }' streams.txt calls.txt > ports
[ "$(wc -l < ports)" -eq "$calls" ] || { echo "found the ports of $(wc -l < ports) calls, not $calls; see $work"; exit 1; }
heap1=$(live_heap_kb); rss1=$(rss_kb)

gcc -O2 -o rtp-peers "$OLDPWD/benchmarks/rtp-peers.c" -lpthread
./rtp-peers ports "$seconds" 5 > peers.log 2>&1 &
peers=$!
sleep 5
t0=$(ticks "$pid"); g0=$(ticks "$peers"); s0=$(date +%s.%N)
sleep "$seconds"
t1=$(ticks "$pid"); g1=$(ticks "$peers"); s1=$(date +%s.%N)
wait "$peers" || true
shell media:streams > streams-after.txt
echo "calls=$calls seconds=$seconds (SIP calls through the call engine, RTP both ways on both legs)"
printf 'box_cpu_cores=%.3f generator_cpu_cores=%.3f\n' "$(echo "($t1 - $t0) / $hz / ($s1 - $s0)" | bc -l)" \
    "$(echo "($g1 - $g0) / $hz / ($s1 - $s0)" | bc -l)"
cat peers.log
printf 'memory per established call: %.1f KB live heap, %.1f KB resident (box RSS %s MiB with the calls up)\n' \
    "$(echo "($heap1 - $heap0) / $calls" | bc -l)" "$(echo "($rss1 - $rss0) / $calls" | bc -l)" "$((rss1 / 1024))"
kill "$uac_pid" 2>/dev/null || true
echo "files: $work"
