# Shared by the SIP benchmarks (sourced, not run): unpacks the firmware image as shipped into a
# temporary directory, changes only the ports and the per-source INVITE/REGISTER rate limits (every
# sipp call comes from 127.0.0.1, which the default of 10 INVITEs/s per address would refuse),
# starts it, adds extensions 1001 (the callers) and 1002 (a sipp UAS that answers), registers the
# UAS and starts it in the background. Needs: work_prefix, uas_seconds. Leaves: work, box, pid,
# shell (a function: a shell command over SSH), pw1, sip, common (sipp options), ticks.
command -v sipp >/dev/null || { echo "sipp is missing: apt-get install sip-tester" >&2; exit 1; }
image=$(ls karaf-assembly/target/switchboard-firmware-*.tar.gz 2>/dev/null | head -1)
[ -n "$image" ] || { echo "no firmware image: run mvn -DskipTests install first" >&2; exit 1; }
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
work=$(mktemp -d "/tmp/$work_prefix.XXXXXX")
box="$work/box"
mkdir -p "$box"
tar xzf "$image" -C "$box" --strip-components=1
uas_pid=
pid=
cleanup() {
    [ -n "$uas_pid" ] && kill "$uas_pid" 2>/dev/null || true
    [ -n "${uac_pid:-}" ] && kill "$uac_pid" 2>/dev/null || true
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
sipp "${common[@]}" -p $uas -cp $((uas + 1)) -mp 36000 -sf uas_answer.xml -timeout "${uas_seconds}s" \
    -max_socket 65000 -trace_err </dev/null >uas.out 2>&1 &
uas_pid=$!

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
