#!/usr/bin/env bash
# SIP call setup load against the firmware image, sipp on the same machine.
#
#   benchmarks/sip-load.sh RATE [SECONDS] [HOLD_MS]   (default 60 s, 0 ms; needs: mvn -DskipTests install)
#   env WARMUP=S   seconds of calls at up to 300/s, then S more at RATE, before the measured run
#                  (default 15; 0 = measure a cold box)
#   env KEEP_BOX=1 leaves the box running after the run (for jcmd/jmap)
#
# Boots the image as shipped (benchmarks/sip-box.sh), then runs RATE calls per second for SECONDS:
# INVITE -> 407 -> INVITE with digest -> 180 -> 200 -> ACK -> (HOLD_MS) -> BYE, each call bridged through the call engine to extension 1002 (two SIP
# legs, two RTP port pairs). Reports: calls made, failed calls, INVITE->200 p50/p95/p99 (the whole
# setup, challenge included), the box's CPU in cores and its RSS; the sipp files stay in the printed
# directory.
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:?usage: benchmarks/sip-load.sh RATE [SECONDS] [HOLD_MS]}"
seconds="${2:-60}"
hold="${3:-0}"
work_prefix=sip-load
uas_seconds=$((seconds + 2 * ${WARMUP:-15} + 240))
. benchmarks/sip-box.sh
hz=$(getconf CLK_TCK)
# Warm-up first (a box in service is warm): WARMUP seconds at up to 300/s (a cold JVM interprets the
# first thousands of calls several times slower), then WARMUP seconds at RATE (a step up in load
# costs several seconds of slow setups while the heap grows to the new rate's 32 s of transaction
# state). Reported on their own lines, not mixed into the figures.
warm="${WARMUP:-15}"
warmup() { # NAME RATE
    mkdir -p "$1" && (cd "$1" && cp ../uac_load.xml . && sipp 127.0.0.1:$sip "${common[@]}" -p 35980 -cp 35981 \
        -mp 36100 -sf uac_load.xml -s 1002 -key caller 1001 -au 1001 -ap "$pw1" -r "$2" -m $(($2 * warm)) \
        -l 20000 -d "$hold" -timeout $((warm + 120))s -max_socket 65000 </dev/null >uac.out 2>&1 || true)
    printf 'warm-up: %s s at %s/s, %s successful, %s failed\n' "$warm" "$2" \
        "$(grep -E 'Successful call' "$1/uac.out" | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')" \
        "$(grep -E 'Failed call' "$1/uac.out" | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')"
}
if [ "$warm" -gt 0 ]; then
    warmup warmup $(( rate < 300 ? rate : 300 ))
    [ "$rate" -gt 300 ] && warmup warmup-full "$rate"
fi
total=$((rate * seconds))
t0=$(ticks "$pid"); s0=$(date +%s.%N)
sipp 127.0.0.1:$sip "${common[@]}" -p 35980 -cp 35981 -mp 36100 -sf uac_load.xml -s 1002 -key caller 1001 \
    -au 1001 -ap "$pw1" -r "$rate" -m "$total" -l 20000 -d "$hold" -timeout $((seconds + 120))s -max_socket 65000 \
    -trace_stat -fd 5 -trace_rtt -rtt_freq 1 -trace_err </dev/null >uac.out 2>&1 || true
t1=$(ticks "$pid"); s1=$(date +%s.%N)
stat=$(ls uac_load_*_.csv 2>/dev/null | head -1 || true)
rtt=$(ls uac_load_*_rtt.csv | head -1)
ok=$(grep -E "Successful call" uac.out | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')
failed=$(grep -E "Failed call" uac.out | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')
pct() { tail -n +2 "$rtt" | awk -F';' '{print $2}' | sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int(NR*p/100); if (i<1) i=1; printf "%.1f", a[i]}'; }
elapsed=$(echo "$s1 - $s0" | bc -l)
echo "rate=$rate/s seconds=$seconds hold=${hold}ms calls=$total successful=$ok failed=$failed"
printf 'INVITE->200 ms: p50=%s p95=%s p99=%s\n' "$(pct 50)" "$(pct 95)" "$(pct 99)"
printf 'achieved=%.0f calls/s box_cpu_cores=%.2f box_rss=%s\n' "$(echo "$ok / $elapsed" | bc -l)" \
    "$(echo "($t1 - $t0) / $hz / $elapsed" | bc -l)" "$(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' /proc/$pid/status)"
printf 'left up after the run: %s\n' "$(shell sip:status | grep -E '^SIP legs' | tr -s ' ' | paste -sd ';')"
if [ -n "${KEEP_BOX:-}" ]; then
    echo "box left running (KEEP_BOX): pid $pid, ssh $ssh; stop it with $box/bin/stop"
    trap - EXIT
    [ -n "$uas_pid" ] && kill "$uas_pid" 2>/dev/null || true
fi
echo "sipp files: $work"
