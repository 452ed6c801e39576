#!/usr/bin/env bash
# The span bridge's native tests (sbspan_test.c over the simulated pair): once built with
# AddressSanitizer and UndefinedBehaviorSanitizer (leaks included), once under valgrind.
set -euo pipefail
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
main="$here/../../main/c"
mkdir -p "$out"
gcc -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Wall -Wextra -Werror \
    -I"$main" "$main/sbspan.c" "$here/sbspan_test.c" -L/usr/lib -lpri -lopenr2 -lpthread -o "$out/sbspan_test_asan"
echo "== native span tests under AddressSanitizer"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 "$out/sbspan_test_asan" 100
if command -v valgrind >/dev/null 2>&1; then
    gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror -I"$main" "$main/sbspan.c" "$here/sbspan_test.c" -L/usr/lib -lpri -lopenr2 -lpthread \
        -o "$out/sbspan_test_plain"
    echo "== native span tests under valgrind"
    valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite,indirect "$out/sbspan_test_plain" 10
else
    echo "span bridge: valgrind missing (Debian package valgrind; run .ci/deps test)" >&2
    exit 1
fi
