#!/bin/bash
# Lip-sync check on a test signal: a moving pattern and a tone; after 2 s
# the audio is shifted by a known offset (avdefectinject av-offset, BT.1359
# sign: negative = audio late) and avsyncmeter measures it from the
# timestamps. It shows the meter reading back what was injected, once a
# second, and the av-sync defect span (JSON Lines) when the offset is beyond
# the profile (BT.1359: audio late by more than 185 ms or early by more than
# 90 ms is an error; try 60 for one inside it).
#
# Needs avsyncmeter (part of the avmonitor plugin): the script says so and
# stops when the plugin at hand does not have it.
#
# Usage: lipsync-check.sh [OFFSET_MS]     (default -250: audio 250 ms late)
# From a build tree: meson devenv -C build --workdir . pipelines/lipsync-check.sh
set -eu
offset=${1:--250}
if ! gst-inspect-1.0 avsyncmeter >/dev/null 2>&1; then
  echo "lipsync-check.sh needs the avsyncmeter element, which this" \
    "gst-avmonitor build does not have" >&2
  exit 2
fi

gst-launch-1.0 -m avsyncmeter name=m mode=timestamps \
  videotestsrc num-buffers=250 pattern=smpte horizontal-speed=4 ! \
    video/x-raw,format=I420,width=640,height=360,framerate=25/1 ! \
    queue ! m.video_sink \
  audiotestsrc num-buffers=500 samplesperbuffer=960 volume=0.1 ! \
    audio/x-raw,format=S16LE,rate=48000,channels=2 ! \
    avdefectinject schedule="av-offset@2s+0s,offset=${offset}ms" ! \
    queue ! m.audio_sink \
  m.video_src ! r. \
  m.audio_src ! r. \
  defectsink name=r location=- |
  sed -n -E \
    -e 's/.*avmonitor-sync, .*stream-time=\(guint64\)([0-9]+)[0-9]{9},.*offset-ms=\(double\)([-0-9.e+]+),.*/at \1 s: A\/V offset \2 ms/p' \
    -e '/^\{/p'
echo "injected: ${offset} ms from 2 s on"
