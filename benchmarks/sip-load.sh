#!/usr/bin/env bash
# SIP call setup load against the firmware image, sipp on the same machine.
#
#   benchmarks/sip-load.sh RATE [SECONDS] [HOLD_MS]   (default 60 s, 0 ms; needs: mvn -DskipTests install)
#   env WARMUP=S   seconds of calls at RATE before the measured run (default 15; 0 = measure a cold box)
#   env KEEP_BOX=1 leaves the box running after the run (for jcmd/jmap)
#
# Unpacks the image as shipped into a temporary directory, changes only the ports and the per-source
# INVITE/REGISTER rate limits (every sipp call comes from 127.0.0.1, which the default of 10 INVITEs/s
# per address would refuse), adds extensions 1001 (the callers) and 1002 (a sipp UAS that answers),
# then runs RATE calls per second for SECONDS: INVITE -> 407 -> INVITE with digest -> 180 -> 200 ->
# ACK -> (HOLD_MS) -> BYE, each call bridged through the call engine to extension 1002 (two SIP
# legs, two RTP port pairs). Reports: calls made, failed calls, INVITE->200 p50/p95/p99 (the whole
# setup, challenge included), the box's CPU in cores and its RSS; the sipp files stay in the printed
# directory.
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:?usage: benchmarks/sip-load.sh RATE [SECONDS] [HOLD_MS]}"
seconds="${2:-60}"
hold="${3:-0}"
command -v sipp >/dev/null || { echo "sipp is missing: apt-get install sip-tester" >&2; exit 1; }
image=$(ls karaf-assembly/target/switchboard-firmware-*.tar.gz 2>/dev/null | head -1)
[ -n "$image" ] || { echo "no firmware image: run mvn -DskipTests install first" >&2; exit 1; }
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
work=$(mktemp -d /tmp/sip-load.XXXXXX)
box="$work/box"
mkdir -p "$box"
tar xzf "$image" -C "$box" --strip-components=1
uas_pid=
pid=
cleanup() {
    [ -n "$uas_pid" ] && kill "$uas_pid" 2>/dev/null || true
    "$box/bin/stop" >/dev/null 2>&1 || true
    if [ -n "$pid" ]; then # bin/stop only asks; the next run needs the ports
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
sip=35960; ssh=38960; uas=35970
if ss -Hlntu | awk '{print $5}' | grep -qE ":(35960|35961|35970|35971|35980|35981|38960)$"; then
    echo "a port this benchmark needs (35960, 35970, 35980, 38960) is in use: is another run still going?" >&2; exit 1
fi
sed -i "s/sshPort = 8101/sshPort = $ssh/" "$box/etc/org.apache.karaf.shell.cfg"
sed -i -e "s/^udp.port = .*/udp.port = $sip/" -e "s/^tcp.port = .*/tcp.port = $sip/" \
    -e "s/^rate.invite.per.second = .*/rate.invite.per.second = 100000/" \
    -e "s/^rate.register.per.second = .*/rate.register.per.second = 1000/" "$box/etc/org.switchboard.sip.cfg"
KARAF_REDIRECT="$work/console.out" "$box/bin/start" </dev/null
for _ in $(seq 1 100); do pid=$(sed -n 's/^item.0.pid *= *//p' "$box/instances/instance.properties" 2>/dev/null || true); [ -n "$pid" ] && break; sleep 0.1; done
pwfile="$box/data/switchboard/initial-admin-password"
for _ in $(seq 1 600); do [ -s "$pwfile" ] && grep -q '^password=' "$pwfile" && break; sleep 0.1; done
admin=$(sed -n 's/^password=//p' "$pwfile")
jar="$PWD/benchmarks/target/benchmarks.jar"
shell() { SWITCHBOARD_PASSWORD="$admin" java -cp "$jar" org.switchboard.bench.BoxShell "$ssh" admin "$*" 2>/dev/null || true; }
for _ in $(seq 1 120); do shell sip:status | grep -q "running on" && break; sleep 1; done
shell sip:status | grep -q "running on" || { echo "SIP did not start; see $box/data/log/karaf.log"; exit 1; }
pw1=$(shell sip:extensions add 1001 | sed -n 's/.*shown once): //p')
pw2=$(shell sip:extensions add 1002 | sed -n 's/.*shown once): //p')
[ -n "$pw1" ] && [ -n "$pw2" ] || { echo "could not add the extensions"; shell sip:status; exit 1; }

cd "$work"
cp "$OLDPWD"/benchmarks/sipp/*.xml .
common=(-i 127.0.0.1 -mi 127.0.0.1 -nostdin -timeout_error)
sipp 127.0.0.1:$sip "${common[@]}" -p $uas -cp $((uas + 1)) -m 1 -timeout 20s -sf register.xml \
    -s 1002 -au 1002 -ap "$pw2" </dev/null >register.out 2>&1 || { echo "the UAS could not register"; cat register.out; exit 1; }
sipp "${common[@]}" -p $uas -cp $((uas + 1)) -mp 36000 -sf uas_answer.xml -timeout $((seconds + 120))s \
    -max_socket 65000 -trace_err </dev/null >uas.out 2>&1 &
uas_pid=$!

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# warm-up at the same rate first (a box in service is warm; the JIT compiling under a cold start is
# reported on its own line, not mixed into the figures)
warm="${WARMUP:-15}"
if [ "$warm" -gt 0 ]; then
    mkdir -p warmup && (cd warmup && cp ../uac_load.xml . && sipp 127.0.0.1:$sip "${common[@]}" -p 35980 -cp 35981 \
        -mp 36100 -sf uac_load.xml -s 1002 -key caller 1001 -au 1001 -ap "$pw1" -r "$rate" -m $((rate * warm)) \
        -l 20000 -d "$hold" -timeout $((warm + 120))s -max_socket 65000 </dev/null >uac.out 2>&1 || true)
    printf 'warm-up: %s s, %s successful, %s failed\n' "$warm" \
        "$(grep -E 'Successful call' warmup/uac.out | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')" \
        "$(grep -E 'Failed call' warmup/uac.out | tail -1 | awk -F'|' '{print $3}' | tr -d ' ')"
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
