#!/bin/bash
# Live monitor of an SRT or UDP input (any URI uridecodebin takes): the
# defects are printed as JSON Lines the moment they start and end, and
# appended to NAME.defects.jsonl; NAME.summary.json is rewritten every 10 s
# (a live channel never reaches its end) and NAME.prom every second for a
# Prometheus node_exporter textfile collector. A feed that stops sending is
# a `stall` after 2 s. Ctrl-C ends it with EOS (-e), so the files are
# complete.
#
# gst-launch cannot reconnect: when the input fails, the pipeline ends.
# avmonitor URI does reconnect (with back-off), finds the streams by itself
# and handles many inputs in one process.
# An input without audio (or video): AUDIO=0 (or VIDEO=0) live-monitor.sh URI
#
# Usage: live-monitor.sh URI [NAME]
#   live-monitor.sh "srt://:9000?mode=listener"        # wait for a caller
#   live-monitor.sh "srt://encoder.example:9000"        # call an encoder
#   live-monitor.sh udp://239.1.1.1:5000                # MPEG-TS multicast
# From a build tree: meson devenv -C build --workdir . pipelines/live-monitor.sh URI
set -eu
uri=${1:?usage: live-monitor.sh URI [NAME]}
name=${2:-live}

branches=()
if [ "${VIDEO:-1}" != 0 ]; then
  branches+=(d. ! video/x-raw ! queue ! videoconvert ! avqualitydetect ! r.)
fi
if [ "${AUDIO:-1}" != 0 ]; then
  branches+=(d. ! audio/x-raw ! queue ! audioconvert ! avqualitydetect ! r.)
fi

# tee -i: Ctrl-C is for gst-launch, which then drains the pipeline
gst-launch-1.0 -q -e uridecodebin uri="$uri" name=d \
  "${branches[@]}" \
  defectsink name=r location=- input-name="$name" \
    summary-location="$name.summary.json" summary-interval=10000000000 \
    metrics-location="$name.prom" |
  tee -i -a "$name.defects.jsonl"
