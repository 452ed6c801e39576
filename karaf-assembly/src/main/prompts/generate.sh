#!/usr/bin/env bash
# Generates the built-in prompts (prompts.tsv) as 8 kHz 16-bit mono WAV files:
#   generate.sh OUTDIR     ->  OUTDIR/en/NAME.wav, OUTDIR/zh/NAME.wav
# Needs espeak-ng and sox (Debian packages espeak-ng, sox; .ci/deps installs them).
set -euo pipefail
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
for tool in espeak-ng sox; do
    command -v "$tool" >/dev/null || { echo "prompts: $tool is missing (Debian package $tool)" >&2; exit 1; }
done
mkdir -p "$out/en" "$out/zh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS=$'\t' read -r name en zh; do
    case "$name" in ''|'#'*) continue ;; esac
    for lang in en zh; do
        text="$en"; voice="en-gb"
        if [ "$lang" = zh ]; then text="$zh"; voice="cmn"; fi
        # English text inside the Mandarin set (and the reverse) is spoken by its own voice
        if [ "$lang" = zh ] && ! printf '%s' "$text" | grep -qP '[^\x00-\x7F]'; then voice="en-gb"; fi
        if [ "$lang" = en ] && printf '%s' "$text" | grep -qP '[^\x00-\x7F]'; then voice="cmn"; fi
        espeak-ng -v "$voice" -s 150 -w "$tmp/p.wav" "$text"
        sox -q "$tmp/p.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out/$lang/$name.wav" norm -3
    done
done < "$here/prompts.tsv"
echo "prompts: $(ls "$out/en" | wc -l) prompts in en and zh under $out"
