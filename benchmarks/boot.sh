#!/usr/bin/env bash
# Boot to shell-ready and idle memory of the lab appliance, on this machine.
#
#   benchmarks/boot.sh [RUNS]      (default 5; needs the image: run .ci/lab or mvn install first)
#
# For each run: unpack the image afresh, bin/start, and time until the shell answers with the
# lab lines and an open database (first boot: creates the database and the admin); then stop and
# start again and time that (a normal restart). Shell-ready is polled every 50 ms with OpenSSH.
# After the last run the appliance idles 60 s and its resident memory (VmRSS) is read.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
image=$(ls karaf-assembly/target/switchboard-firmware-*.tar.gz 2>/dev/null) \
    || { echo "no firmware image: run .ci/lab or mvn -DskipTests install first" >&2; exit 1; }
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
work=$(mktemp -d)
trap 'for h in "$work"/run*; do "$h/bin/stop" >/dev/null 2>&1 || true; done; rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }

# ssh with the password from a file, no prompts, no host key bookkeeping
ask="$work/askpass"
printf '#!/bin/sh\ncat "%s/pw"\n' "$work" > "$ask"
chmod +x "$ask"
shell() {
    SSH_ASKPASS="$ask" SSH_ASKPASS_REQUIRE=force DISPLAY=none timeout 10 ssh -q -p "$1" \
        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o PreferredAuthentications=password \
        -o NumberOfPasswordPrompts=1 admin@127.0.0.1 "$2" 2>/dev/null
}

wait_ready() { # home port -> ms until ready
    local home=$1 port=$2 t0=$3
    while true; do
        if [ -f "$home/data/switchboard/initial-admin-password" ]; then
            sed -n 's/^password=//p' "$home/data/switchboard/initial-admin-password" > "$work/pw"
            if shell "$port" "line:list" | grep -q lab-1 && shell "$port" "store:info" | grep -q OPEN; then
                echo $(( $(now_ms) - t0 )); return
            fi
        fi
        [ $(( $(now_ms) - t0 )) -gt 180000 ] && { echo "not ready after 180 s" >&2; exit 1; }
        sleep 0.05
    done
}

stop_box() {
    local home=$1
    "$home/bin/stop" >/dev/null 2>&1 || true
    local pid
    pid=$(sed -n 's/^item.0.pid *= *//p' "$home/instances/instance.properties")
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

first=(); again=()
for i in $(seq 1 "$runs"); do
    home="$work/run$i"
    mkdir -p "$home"
    tar xzf "$image" -C "$home" --strip-components=1
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    sed -i "s/^sshPort = .*/sshPort = $port/" "$home/etc/org.apache.karaf.shell.cfg"
    t0=$(now_ms); "$home/bin/start" 2>/dev/null; first+=("$(wait_ready "$home" "$port" "$t0")")
    stop_box "$home"
    t0=$(now_ms); "$home/bin/start" 2>/dev/null; again+=("$(wait_ready "$home" "$port" "$t0")")
    echo "run $i: first boot ${first[-1]} ms, restart ${again[-1]} ms" >&2
    if [ "$i" -lt "$runs" ]; then stop_box "$home"; fi
done

pid=$(sed -n 's/^item.0.pid *= *//p' "$home/instances/instance.properties")
sleep 60
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
echo
echo "Boot to shell-ready, median of $runs: first boot $(printf '%s\n' "${first[@]}" | median) ms, restart $(printf '%s\n' "${again[@]}" | median) ms"
echo "Resident memory after 60 s idle: $(( rss_kb / 1024 )) MiB"
echo "($(nproc) cores, $(java -version 2>&1 | head -1))"
