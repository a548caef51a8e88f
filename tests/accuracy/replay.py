# gst-avmonitor
# Copyright (C) 2026 the gst-avmonitor authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2.1 of the License, or (at your option) any later version.
"""Scores a kept real-damage set (accuracy.py realdamage --keep DIR)
through blocks-replay, without a pipeline, for tuning blocks.c:

  replay.py DIR [--replay BUILD/tests/bench/video/blocks-replay] [-v]
      [-- blocks-replay settings, e.g. texture=3 hold=4]

Every damaged decode (DIR/NAME.SEED.dmg.gray, labelled by
NAME.SEED.damaged.json) and every twin (NAME.twin.gray) is replayed with
the same settings; the counts are those of the realdamage run (a damaged
run found when a span covers one of its frames, frames matched by PTS),
the false alarms are the twins with a span, and the clean-only clips
with a span when the set was kept with --keep-clean (NAME.gray,
NAME.clean.json). The last line is
`REPLAY {json}`. One run of the whole kept set of docs/accuracy.md takes
about 15 s, against minutes for the pipeline run.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdamage  # noqa: E402  (CODECS, runs(): no GStreamer needed)

SPAN_RE = re.compile(r"^span (\d+) (start|end) (\d+)$")


def parse_spans(lines):
    """blocks-replay's `span N start|end F` lines -> [(start, end)] in
    file positions, end exclusive. A span still open after the last line
    (an old blocks-replay that did not end it at the end of the file)
    gets no end: None."""
    spans, start = [], None
    for line in lines:
        m = SPAN_RE.match(line.strip())
        if not m:
            continue
        pos = int(m.group(3))
        if m.group(2) == "start":
            start = pos
        elif start is not None:
            spans.append((start, pos))
            start = None
    if start is not None:
        spans.append((start, None))
    return spans


def to_pts_index(pos, decoded):
    """File position -> the frame index by PTS of the frame there; past
    the last frame, the frames after it."""
    if pos < len(decoded):
        return decoded[pos]
    last = decoded[-1] if decoded else -1
    return last + 1 + (pos - len(decoded))


def score_clip(spans, decoded, damaged):
    """spans: [(start, end)] file positions (end None: to the end);
    decoded: PTS index of every frame in the file; damaged: PTS indices
    of the damaged frames. Returns (runs, runs_found, frames,
    frames_found)."""
    ranges = []
    for s, e in spans:
        lo = to_pts_index(s, decoded)
        hi = to_pts_index(e, decoded) if e is not None else float("inf")
        ranges.append((lo, hi))

    def hit(i):
        return any(lo <= i < hi for lo, hi in ranges)

    runs = realdamage.runs(damaged)
    found = sum(1 for r in runs if any(hit(i) for i in r))
    frames_found = sum(1 for i in damaged if hit(i))
    return len(runs), found, len(damaged), frames_found


def codec_of(name):
    best = ""
    for c in realdamage.CODECS:
        if name.startswith(c + "-") and len(c) > len(best):
            best = c
    return best or "other"


def replay(binary, path, w, h, settings):
    out = subprocess.run([binary, path, str(w), str(h)] + settings,
                         stdout=subprocess.PIPE, universal_newlines=True,
                         check=True).stdout
    return parse_spans(out.splitlines())


def totals_of(total, key):
    """The counts of one codec (or "all"), made at their first use."""
    return total.setdefault(key, {"spans": 0, "spans_found": 0,
                                  "frames": 0, "frames_found": 0,
                                  "twins": 0, "twins_alarmed": 0})


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Scores a kept real-damage set through blocks-replay.")
    ap.add_argument("dir")
    ap.add_argument("--replay", default=os.environ.get(
        "REPLAY", "build/tests/bench/video/blocks-replay"))
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="one line per clip")
    ap.add_argument("settings", nargs="*",
                    help="blocks-replay settings (after --)")
    a = ap.parse_intermixed_args(argv)

    labels = sorted(glob.glob(os.path.join(a.dir, "*.damaged.json")))
    if not labels:
        print("no *.damaged.json in %s (accuracy.py realdamage --keep)"
              % a.dir, file=sys.stderr)
        return 2
    total = {}
    sizes = {}
    for lab in labels:
        with open(lab) as f:
            j = json.load(f)
        base = lab[:-len(".damaged.json")]
        name = os.path.basename(base)
        clip = name.rsplit(".", 1)[0]
        sizes[clip] = (j["width"], j["height"])
        damaged = sorted(int(k) for k in j["damaged"])
        spans = replay(a.replay, base + ".dmg.gray", j["width"],
                       j["height"], a.settings)
        r, rf, fr, ff = score_clip(spans, j["decoded"], damaged)
        for key in (codec_of(name), "all"):
            t = totals_of(total, key)
            t["spans"] += r
            t["spans_found"] += rf
            t["frames"] += fr
            t["frames_found"] += ff
        if a.verbose:
            print("%-28s runs %2d/%-2d frames %4d/%-4d spans %s"
                  % (name, rf, r, ff, fr, spans))
    for clip, (w, h) in sorted(sizes.items()):
        twin = os.path.join(a.dir, clip + ".twin.gray")
        if not os.path.exists(twin):
            continue
        spans = replay(a.replay, twin, w, h, a.settings)
        for key in (codec_of(clip), "all"):
            total[key]["twins"] += 1
            total[key]["twins_alarmed"] += bool(spans)
        if a.verbose and spans:
            print("%-28s twin: false alarm %s" % (clip, spans))
    # clean-only clips kept with accuracy.py realdamage --keep-clean
    for lab in sorted(glob.glob(os.path.join(a.dir, "clean-*.clean.json"))):
        with open(lab) as f:
            j = json.load(f)
        base = lab[:-len(".clean.json")]
        spans = replay(a.replay, base + ".gray", j["width"], j["height"],
                       a.settings)
        codec = os.path.basename(base).split("-", 2)[2]
        for key in (codec_of(codec), "all"):
            t = totals_of(total, key)
            t.setdefault("clean", 0)
            t.setdefault("clean_alarmed", 0)
            t["clean"] += 1
            t["clean_alarmed"] += bool(spans)
        if a.verbose and spans:
            print("%-28s clean: false alarm %s"
                  % (os.path.basename(base), spans))
    for key, t in sorted(total.items()):
        t["frame_share"] = round(t["frames_found"] / t["frames"], 3) \
            if t["frames"] else 0.0
        print("%-9s runs %3d/%-3d frames %5d/%-5d (%.3f) twins with a "
              "span %d/%d" % (key, t["spans_found"], t["spans"],
                              t["frames_found"], t["frames"],
                              t["frame_share"], t["twins_alarmed"],
                              t["twins"]) +
              (" clean clips with a span %d/%d" % (t["clean_alarmed"],
                                                   t["clean"])
               if "clean" in t else ""))
    print("REPLAY " + json.dumps({"settings": a.settings, "codecs": total},
                                 sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
