#!/usr/bin/env bash
# Callers in an IVR menu with its prompt streaming, against the firmware image, all on this machine.
#
#   benchmarks/ivr-load.sh [CALLS] [SECONDS]    (default 800 calls, 60 s; needs: mvn -DskipTests install)
#
# Boots the image as shipped (benchmarks/sip-box.sh), installs the router and the IVR, adds a DID
# 5550000 on a peering trunk, routes it to a menu whose node plays a 240 s prompt, and sets up CALLS
# calls from sipp at 50 calls/s (no RTP from the callers; each waits in the menu). Every call's SDP
# names port 37000, where benchmarks/rtp-listen.c receives every prompt stream. After a 5 s warm-up
# with all calls in the menu it measures for SECONDS: the box's CPU in cores and the spacing of each
# stream's packets (20 ms expected), by the kernel's receive stamp (when the box sent each packet)
# and by when the listener read it. The callers send no RTP, so the box's RTP inactivity timeout is
# raised for the run (rtp.timeout.seconds, 60 s by default, would end them).
# Meanwhile PROBES more calls (default 200, 4 at a time, benchmarks IvrProbe) time the first prompt
# packet after the answer and a key (RFC 4733, 100 ms long) to the first packet of the next prompt.
#
#   benchmarks/ivr-load.sh [CALLS] [SECONDS] [PROBES]
set -euo pipefail
cd "$(dirname "$0")/.."
calls="${1:-800}"
seconds="${2:-60}"
probes="${3:-200}"
work_prefix=ivr-load
uas_seconds=$((calls / 50 + seconds + 120))
command -v sox >/dev/null || { echo "sox is missing (Debian package sox)" >&2; exit 1; }
. benchmarks/sip-box.sh
hz=$(getconf CLK_TCK)

# the menu: one node playing a long prompt; the DID on a peering trunk routed to it
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$box/etc/prompts/en/bench-long.wav" synth 240 sine 300-3000 vol 0.3
cp "$box/etc/prompts/en/bench-long.wav" "$box/etc/prompts/zh/bench-long.wav"
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$box/etc/prompts/en/bench-next.wav" synth 5 sine 1000 vol 0.5
cp "$box/etc/prompts/en/bench-next.wav" "$box/etc/prompts/zh/bench-next.wav"
cat > "$box/etc/ivr/bench.yaml" <<'YAML'
language: en
languages: [en, zh]
nodes:
  listen:
    prompts: [bench-long]
    timeout: 60
    options:
      "1": node:next
  next:
    prompts: [bench-next]
    timeout: 60
    options:
      "9": repeat
YAML
cat > "$box/etc/switchboard-routes.yaml" <<'YAML'
timezone: UTC
routes:
  - name: benchmark DID
    trunk: "*"
    to: ivr:bench
YAML
printf 'name = bench\nhost = 127.0.0.2\nport = 5060\nregister = false\noptions.interval.seconds = 0\ndids = 5550000\n' \
    > "$box/etc/org.switchboard.sip.trunk-bench.cfg"
# the callers send no RTP (they only listen): keep the box's RTP inactivity timeout from ending them
shell config:property-set -p org.switchboard.sip rtp.timeout.seconds 3600 >/dev/null
shell feature:install switchboard-router switchboard-ivr >/dev/null
for _ in $(seq 1 60); do shell ivr:list | grep -q "bench.*serving" && shell sip:trunks | grep -q bench && break; sleep 1; done
shell ivr:list | grep -q "bench.*serving" || { echo "the bench menu did not load; see $box/data/log/karaf.log"; exit 1; }

gcc -O2 -o rtp-listen "$OLDPWD/benchmarks/rtp-listen.c"
ramp=$((calls / 50 + 5))
./rtp-listen 37000 "$seconds" "$ramp" > listen.log 2>&1 &
listener=$!
hold_ms=$(( (ramp + seconds + 30) * 1000 ))
sipp 127.0.0.1:$sip "${common[@]}" -p 35980 -cp 35981 -mp 36100 -sf uac_ivr.xml -s 5550000 -key caller 13800000000 \
    -r 50 -m "$calls" -l "$calls" -d "$hold_ms" -timeout "$((hold_ms / 1000 + 60))s" -max_socket 65000 -trace_err \
    </dev/null >uac.out 2>&1 &
uac_pid=$!
inmenu=0
for _ in $(seq 1 $((ramp + 30))); do
    inmenu=$(shell ivr:calls | grep -c "| bench" || true)
    [ "$inmenu" -ge "$calls" ] && break
    sleep 1
done
[ "$inmenu" -ge "$calls" ] || echo "warning: only $inmenu of $calls callers reached the menu; see $work"
t0=$(ticks "$pid"); s0=$(date +%s.%N)
java -cp "$jar" org.switchboard.bench.IvrProbe 127.0.0.1:$sip 5550000 "$probes" 4 "$box/etc/prompts/en/bench-next.wav" \
    > probe.log 2>&1 &
prober=$!
wait "$listener" || true
t1=$(ticks "$pid"); s1=$(date +%s.%N)
echo "calls=$calls callers_in_menu=$inmenu seconds=$seconds (SIP callers from a trunk DID listening to an IVR prompt)"
printf 'box_cpu_cores=%.3f\n' "$(echo "($t1 - $t0) / $hz / ($s1 - $s0)" | bc -l)"
cat listen.log
wait "$prober" || true
cat probe.log
shell media:clock | grep -iE "late|overrun|work" || true
echo "callers still in the menu at the end: $(shell ivr:calls | grep -c "| bench" || true)"
kill "$uac_pid" 2>/dev/null || true
echo "files: $work"
