# Shared by the SIP benchmarks (sourced, not run): unpacks the firmware image as shipped into a
# temporary directory, changes only the ports and the per-source INVITE/REGISTER rate limits (every
# sipp call comes from 127.0.0.1, which the default of 10 INVITEs/s per address would refuse),
# starts it, adds extensions 1001 (the callers) and 1002 (a sipp UAS that answers), registers the
# UAS and starts it in the background. Needs: work_prefix, uas_seconds. Leaves: work, box, pid,
# shell (a function: a shell command over SSH), pw1, sip, common (sipp options), ticks.
command -v sipp >/dev/null || { echo "sipp is missing: apt-get install sip-tester" >&2; exit 1; }
sip=35960; ssh=38960; uas=35970
if ss -Hlntu | awk '{print $5}' | grep -qE ":(35960|35961|35970|35971|35980|35981|38960)$"; then
    echo "a port this benchmark needs (35960, 35970, 35980, 38960) is in use: is another run still going?" >&2; exit 1
fi
. benchmarks/box.sh
uas_pid=
box_unpack
sed -i -e "s/^udp.port = .*/udp.port = $sip/" -e "s/^tcp.port = .*/tcp.port = $sip/" \
    -e "s/^rate.invite.per.second = .*/rate.invite.per.second = 100000/" \
    -e "s/^rate.register.per.second = .*/rate.register.per.second = 1000/" "$box/etc/org.switchboard.sip.cfg"
box_start
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

