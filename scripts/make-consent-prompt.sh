#!/bin/sh
# Regenerates bridge-server/src/media/assets/consent-en.opus, the recording-consent announcement a caller hears
# when a recorded queue has `recordingConsent` on: "This call may be recorded for quality and training."
#
# Made by speech synthesis (espeak-ng, its default American English voice at 150 words per minute), then with
# sox: resampled to 48 kHz mono, a gentle 100 Hz high-pass (no rumble on phone speakers), normalised to -3 dBFS
# peak, 150 ms of silence before the words and 500 ms after them, so the hold music that follows does not butt
# against the last word. Encoded as Ogg Opus (RFC 7845) in 20 ms packets, as `media/hold-player.ts` plays them,
# tuned for speech at 24 kbit/s (about 13 KB, 4.3 s). Reproducible: sox runs without dither (`-D`) and opusenc
# with a fixed Ogg stream serial (`--serial 1`), so the same tool versions write the same bytes.
#
# The .opus file is committed; this script documents how it was made and is not run by CI.
# Needs Debian's `espeak-ng`, `sox` and `opus-tools`:  apt-get install -y espeak-ng sox opus-tools
# Usage: scripts/make-consent-prompt.sh [output.opus]
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/bridge-server/src/media/assets/consent-en.opus"}
text='This call may be recorded for quality and training.'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

espeak-ng -v en-us -s 150 -w "$tmp/voice.wav" "$text"
sox -D "$tmp/voice.wav" -r 48000 -c 1 -b 16 "$tmp/prompt.wav" highpass 100 gain -n -3 pad 0.15 0.5
mkdir -p "$(dirname "$out")"
opusenc --quiet --speech --bitrate 24 --framesize 20 --serial 1 "$tmp/prompt.wav" "$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
