#!/usr/bin/env bash
# Four simulated E1 spans (120 channels) fully busy with audio, against the firmware image.
#
#   benchmarks/span-load.sh [MINUTES]        (default 10; needs: mvn -DskipTests install)
#
# Boots the image with a hardware profile of four simulated E1 PRI spans (each wired back to back
# to its simulated carrier inside the native bridge), routes every call arriving on span1 out on
# span2 and every call on span3 out on span4, and has the carriers place 30 calls on span1 and 30
# on span3: 60 calls, 120 B-channels busy, each call bridged through the core. Every carrier leg
# speaks a tone (the callers 1000 Hz, the called 500 Hz), so every channel carries audio both ways.
# After a 10 s warm-up it measures for MINUTES: the box's CPU (cores, and per busy channel), the
# spans' 20 ms ticks that started late (a tick whose timer had already fired again: a frame
# deadline missed), frames short at the box (none expected), and the media clock's late ticks.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
work_prefix=span-load
ssh=38961
if ss -Hlnt | awk '{print $4}' | grep -qE ":$ssh$"; then
    echo "port $ssh is in use: is another run still going?" >&2; exit 1
fi
. benchmarks/box.sh
hz=$(getconf CLK_TCK)
box_unpack

cat > "$box/hardware-profiles/bench-4e1.yaml" <<'YAML'
name: bench-4e1
description: Four simulated E1 PRI spans, for benchmarks/span-load.sh
country: cn
cards:
  - id: e1
    driver: sim-span
    spans:
      - {id: span1, type: e1, signalling: pri-cpe, number: "01011110000"}
      - {id: span2, type: e1, signalling: pri-cpe, number: "01022220000"}
      - {id: span3, type: e1, signalling: pri-cpe, number: "01033330000"}
      - {id: span4, type: e1, signalling: pri-cpe, number: "01044440000"}
YAML
sed -i 's/^profile = .*/profile = bench-4e1/' "$box/etc/org.switchboard.hw.cfg"
cat > "$box/etc/switchboard-routes.yaml" <<'YAML'
timezone: UTC
routes:
  - name: span1 out on span2
    line: span1
    to: external:span2:13900000002
  - name: span3 out on span4
    line: span3
    to: external:span4:13900000004
fallback: reject:NORMAL_TEMPORARY_FAILURE
YAML
box_start
for _ in $(seq 1 120); do [ "$(shell span:list | grep -c '| ONLINE')" = 4 ] && break; sleep 1; done
[ "$(shell span:list | grep -c '| ONLINE')" = 4 ] || { echo "the spans did not come up:"; shell span:list; exit 1; }
for _ in $(seq 1 60); do shell router:routes | grep -q "span1 out on span2" && break; sleep 1; done

calls=""
for i in $(seq 1 30); do
    calls="$calls span:sim span1 call --from 1380000$((1000 + i)) --to 01011110000; span:sim span3 call --from 1380000$((2000 + i)) --to 01033330000;"
done
shell "$calls" >/dev/null
for _ in $(seq 1 60); do
    busy=$(shell span:list | grep -c '30/0' || true)
    [ "$busy" = 4 ] && break
    sleep 1
done
[ "$busy" = 4 ] || { echo "not every channel got busy:"; shell span:list; exit 1; }
tones=""
for ts in $(seq 1 31); do
    [ "$ts" = 16 ] && continue
    tones="$tones span:sim span1 tone $ts 1000; span:sim span3 tone $ts 1000; span:sim span2 tone $ts 500; span:sim span4 tone $ts 500;"
done
shell "$tones" >/dev/null
sleep 10

late() { for s in span1 span2 span3 span4; do shell line:info "$s" | sed -n "s/^audio: */$s: /p"; done; }
clock() { shell media:clock | tr '\n' ' '; }
echo "before: $(late | tr '\n' ';')"
echo "clock before: $(clock)"
t0=$(ticks "$pid"); s0=$(date +%s.%N)
sleep $((minutes * 60))
t1=$(ticks "$pid"); s1=$(date +%s.%N)
echo "after:  $(late | tr '\n' ';')"
echo "clock after: $(clock)"
shell span:list
cores=$(echo "($t1 - $t0) / $hz / ($s1 - $s0)" | bc -l)
printf 'box CPU: %.3f cores for 120 busy channels = %.2f %% of a core per channel, over %d min\n' "$cores" "$(echo "$cores * 100 / 120" | bc -l)" "$minutes"
carrier_hears=$(shell span:sim span2 status | grep -c "hears 1000 Hz" || true)
echo "span2 carrier legs hearing the callers' 1000 Hz: $carrier_hears of 30"
