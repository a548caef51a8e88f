#!/bin/bash
# Monitoring a branch of an existing pipeline: a "playout" pipeline (here a
# test pattern encoded to programme.ogg; yours is whatever you already run)
# gets a tee, and the monitor hangs off the second branch. The detector is
# pass-through and the monitor branch has its own queue, so the programme
# branch is not slowed down; the queue is leaky so a stuck monitor can never
# stall the programme (a frame it drops is a real gap for the detector: the
# leaky queue goes before the detector, never between it and defectsink).
# avdefectinject puts a freeze at 3 s and a black at 8 s into the programme
# so there is something to see: the defects are printed as JSON Lines.
#
# Usage: tee-branch.sh
# From a build tree: meson devenv -C build --workdir . pipelines/tee-branch.sh
set -eu
gst-launch-1.0 -q -e \
  videotestsrc is-live=true num-buffers=300 pattern=smpte horizontal-speed=4 ! \
    video/x-raw,format=I420,width=640,height=360,framerate=25/1 ! \
    avdefectinject schedule="freeze@3s+3s; black@8s+2.5s" ! \
    tee name=t \
  t. ! queue ! theoraenc ! oggmux ! filesink location=programme.ogg \
  t. ! queue leaky=downstream max-size-buffers=25 max-size-bytes=0 \
        max-size-time=0 ! \
    avqualitydetect ! defectsink location=-
