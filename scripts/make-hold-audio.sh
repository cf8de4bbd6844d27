#!/bin/sh
# Regenerates bridge-server/assets/hold.opus, the bundled hold audio: an 8-second loop of a soft, low-passed
# plucked arpeggio over a quiet sine pad (Cmaj7 - Am7 - Fmaj7 - G7, 2 s each, eighth notes at 120 bpm) with a
# little reverb, encoded as 48 kHz mono Opus in 20 ms packets, constrained VBR near 24 kbit/s (~26 KB).
# The .opus file is committed; this script documents how it was made and is not run by CI.
# Needs Debian's `sox` and `opus-tools`. Usage: scripts/make-hold-audio.sh [output.opus]
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/bridge-server/assets/hold.opus"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

note() { # note <file> <pitch> : a 0.25 s plucked note
  sox -n -r 48000 -c 1 -b 16 "$1" synth 0.25 pluck "$2" vol 0.5 lowpass 2500 fade q 0.005 0.25 0.12
}
pad() { # pad <file> <pitch> <pitch> : a 2 s soft two-note sine pad that swells in and out
  sox -n -r 48000 -c 1 -b 16 "$tmp/pa.wav" synth 2 sine "$2" fade h 0.4 2 0.6 vol 0.5
  sox -n -r 48000 -c 1 -b 16 "$tmp/pb.wav" synth 2 sine "$3" fade h 0.4 2 0.6 vol 0.5
  sox -m "$tmp/pa.wav" "$tmp/pb.wav" "$1"
}

i=0
notes=""
pads=""
for chord in "C4 E4 G4 B4 C5 B4 G4 E4:C3 G3" "A3 C4 E4 G4 A4 G4 E4 C4:A2 E3" \
             "F3 A3 C4 E4 F4 E4 C4 A3:F2 C3" "G3 B3 D4 F4 G4 F4 D4 B3:G2 D3"; do
  for p in ${chord%%:*}; do
    i=$((i + 1))
    note "$tmp/n$i.wav" "$p"
    notes="$notes $tmp/n$i.wav"
  done
  i=$((i + 1))
  # shellcheck disable=SC2086
  pad "$tmp/p$i.wav" ${chord##*:}
  pads="$pads $tmp/p$i.wav"
done

# shellcheck disable=SC2086
sox $notes "$tmp/arp.wav"
# shellcheck disable=SC2086
sox $pads "$tmp/pad.wav"
sox -m -v 1.0 "$tmp/arp.wav" -v 0.35 "$tmp/pad.wav" "$tmp/mix.wav" gain -3 \
  reverb 35 50 60 fade t 0.02 8 0.25 gain -n -6
opusenc --quiet --bitrate 24 --cvbr --framesize 20 "$tmp/mix.wav" "$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
