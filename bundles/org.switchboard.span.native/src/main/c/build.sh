#!/usr/bin/env bash
# Builds the span bridge's JNI library: build.sh OUTPUT_DIR PLATFORMS
# Needs gcc, libpri-dev and dahdi-source (dahdi/user.h); .ci/deps installs them.
set -euo pipefail
out="$1"
platforms="$2"
src="$(cd "$(dirname "$0")" && pwd)"

machine="$(uname -s)/$(uname -m)"
case "$machine" in
    Linux/x86_64) ;;
    *) echo "span bridge: the native library is built for $platforms only; this machine is $machine" >&2; exit 1 ;;
esac
[ -n "${JAVA_HOME:-}" ] || JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
for f in /usr/include/libpri.h /usr/include/openr2.h /usr/include/dahdi/user.h "$JAVA_HOME/include/jni.h"; do
    [ -f "$f" ] || { echo "span bridge: $f missing (Debian packages libpri-dev, libopenr2-dev, dahdi-source and a JDK; run .ci/deps build)" >&2; exit 1; }
done
mkdir -p "$out"
# Only the JNI entry points are exported; everything else stays inside the library.
cat > "$out/../sbspan.map" <<'MAP'
{ global: Java_*; JNI_OnLoad; local: *; };
MAP
gcc -std=gnu11 -O2 -g -fPIC -shared -Wall -Wextra -Werror -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
    -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" -I"$src" \
    -Wl,--version-script="$out/../sbspan.map" -Wl,-z,defs -Wl,-z,relro,-z,now \
    -o "$out/libsbspan.so" "$src/sbspan.c" "$src/sbspan_jni.c" -L/usr/lib -lpri -lopenr2 -lpthread
rm -f "$out/../sbspan.map"
