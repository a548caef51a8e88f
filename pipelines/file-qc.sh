#!/bin/bash
# File QC with a report: decodes FILE once, as fast as the machine allows,
# runs the detectors on its video and its audio and writes, in the current
# folder, NAME.defects.jsonl (one line per defect start and end) and
# NAME.summary.json (totals per kind and stream). Prints the summary; exits
# 1 when a defect of severity error was found, 0 otherwise (a QC gate).
#
# A file without audio (or video): AUDIO=0 (or VIDEO=0) file-qc.sh FILE,
# since defectsink waits for the end of every branch it is given.
# The avmonitor command does the same for many files at once, finding the
# streams by itself: avmonitor FILE...
#
# Usage: file-qc.sh FILE
# From a build tree: meson devenv -C build --workdir . pipelines/file-qc.sh FILE
set -eu
file=${1:?usage: file-qc.sh FILE}
name=$(basename "$file")
name=${name%.*}

branches=()
if [ "${VIDEO:-1}" != 0 ]; then
  # videoconvert passes through when the format is already accepted
  branches+=(d. ! video/x-raw ! queue ! videoconvert ! avqualitydetect ! r.)
fi
if [ "${AUDIO:-1}" != 0 ]; then
  branches+=(d. ! audio/x-raw ! queue ! audioconvert ! avqualitydetect ! r.)
fi

gst-launch-1.0 -q filesrc location="$file" ! decodebin name=d \
  "${branches[@]}" \
  defectsink name=r input-name="$name" \
    location="$name.defects.jsonl" summary-location="$name.summary.json"

cat "$name.summary.json"
echo
if grep -q '"errors":0,' "$name.summary.json"; then
  echo "$file: no error-severity defect"
else
  echo "$file: defects of severity error, see $name.defects.jsonl"
  exit 1
fi
