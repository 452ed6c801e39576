#!/usr/bin/env bash
# Serial line driver under load on pseudo-terminals (socat), with simulated V.253 modems:
# RING-to-ringing latency, then LINES calls at once with 8 kHz audio both ways for SECONDS.
#   benchmarks/serial-load.sh [LINES] [SECONDS]      (defaults 16 and 60; the README's 10-minute
#                                                     figure is  benchmarks/serial-load.sh 1 600)
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-16}"
seconds="${2:-60}"
command -v socat >/dev/null || { echo "serial-load: socat is missing (Debian package socat)" >&2; exit 1; }
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -ntp -q install -DskipTests
exec java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp benchmarks/target/benchmarks.jar \
    org.switchboard.line.serial.internal.SerialLoad "$lines" "$seconds"
