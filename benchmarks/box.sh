# Shared by the benchmarks (sourced, not run): unpacks the firmware image as shipped into a
# temporary directory and starts it with its shell on port $ssh.
#   box_unpack           needs work_prefix; leaves work, box, and a cleanup trap that stops the box
#   box_start            (after any change to $box/etc) starts it; leaves pid, admin, shell (a
#                        function: one shell command over SSH) and ticks (CPU ticks of a process)
command -v java >/dev/null || { echo "java is missing" >&2; exit 1; }
image=$(ls karaf-assembly/target/switchboard-firmware-*.tar.gz 2>/dev/null | head -1)
[ -n "$image" ] || { echo "no firmware image: run mvn -DskipTests install first" >&2; exit 1; }
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
jar="$PWD/benchmarks/target/benchmarks.jar"

box_unpack() {
    work=$(mktemp -d "/tmp/$work_prefix.XXXXXX")
    box="$work/box"
    mkdir -p "$box"
    tar xzf "$image" -C "$box" --strip-components=1
    pid=
    trap box_cleanup EXIT
    sed -i "s/sshPort = 8101/sshPort = $ssh/" "$box/etc/org.apache.karaf.shell.cfg"
}

box_cleanup() {
    [ -n "${uas_pid:-}" ] && kill "$uas_pid" 2>/dev/null || true
    [ -n "${uac_pid:-}" ] && kill "$uac_pid" 2>/dev/null || true
    "$box/bin/stop" >/dev/null 2>&1 || true
    if [ -n "$pid" ]; then # bin/stop only asks; the next run needs the ports
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
}

box_start() {
    KARAF_REDIRECT="$work/console.out" "$box/bin/start" </dev/null
    for _ in $(seq 1 100); do pid=$(sed -n 's/^item.0.pid *= *//p' "$box/instances/instance.properties" 2>/dev/null || true); [ -n "$pid" ] && break; sleep 0.1; done
    local pwfile="$box/data/switchboard/initial-admin-password"
    for _ in $(seq 1 600); do [ -s "$pwfile" ] && grep -q '^password=' "$pwfile" && break; sleep 0.1; done
    admin=$(sed -n 's/^password=//p' "$pwfile")
}

shell() { SWITCHBOARD_PASSWORD="$admin" java -cp "$jar" org.switchboard.bench.BoxShell "$ssh" admin "$*" 2>/dev/null || true; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
