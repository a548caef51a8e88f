#!/usr/bin/python3
# gst-avmonitor
# Copyright (C) 2026 the gst-avmonitor authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2.1 of the License, or (at your option) any later version.
"""Video detectors against FFmpeg and against identity, in the same run.

  compare.py BUILD_DIR [--frames N] [--seconds S]

1. BUILD_DIR/tests/bench/video/video-bench S (our detectors, one thread);
2. one raw I420 1920x1080 file of N frames (videotestsrc smpte scrolling,
   with a time code), written once; FFmpeg's freezedetect, blackdetect and
   blockdetect timed on it with -threads 1 (wall time), and a plain
   `-f null` read of the same file as the cost every tool pays to read it;
3. the element on the same file (filesrc ! rawvideoparse ! avqualitydetect
   ! fakesink) against the same pipeline with identity, and the same with
   videotestsrc as the source.
Every result is one line `bench video-compare ...`; ratios are
`bench video-ratio ...` (ours / theirs: > 1 means we are faster).
Skips the FFmpeg part, with a message, when ffmpeg is not installed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

W, H = 1920, 1080


def wall(cmd, env=None):
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr[-2000:]))
    return dt


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("build")
    ap.add_argument("--frames", type=int, default=150)
    ap.add_argument("--seconds", type=float, default=1.0)
    args = ap.parse_args()
    n = args.frames
    bench = os.path.join(args.build, "tests", "bench", "video", "video-bench")
    out = subprocess.run([bench, str(args.seconds)], capture_output=True,
                         text=True, check=True).stdout
    sys.stdout.write(out)
    ours = None
    for line in out.splitlines():
        m = re.search(r"detector=all size=1920x1080 .*fps=([0-9.]+)", line)
        if m:
            ours = float(m.group(1))
    env = dict(os.environ)
    env["GST_PLUGIN_PATH"] = os.path.join(args.build, "gst", "elements")
    tmp = tempfile.mkdtemp(prefix="avmonitor-bench-")
    raw = os.path.join(tmp, "frames.i420")
    try:
        wall(["gst-launch-1.0", "-q", "videotestsrc", "pattern=smpte",
              "horizontal-speed=4", "num-buffers=%d" % n, "!",
              "video/x-raw,format=I420,width=%d,height=%d,framerate=25/1"
              % (W, H), "!", "timeoverlay", "!", "filesink",
              "location=" + raw])
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            print("SKIP ffmpeg comparison: ffmpeg is not installed")
        else:
            base = [ffmpeg, "-hide_banner", "-nostats", "-threads", "1",
                    "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s",
                    "%dx%d" % (W, H), "-r", "25", "-i", raw]
            tail = ["-threads", "1", "-filter_threads", "1", "-f", "null",
                    "-"]
            read = min(wall(base + tail) for _ in range(2))
            print("bench video-compare tool=ffmpeg-read size=%dx%d frames=%d"
                  " fps=%.1f" % (W, H, n, n / read))
            for f in ("freezedetect", "blackdetect", "blockdetect",
                      "freezedetect,blackdetect,blockdetect"):
                dt = wall(base + ["-vf", f] + tail)
                net = max(dt - read, 1e-6)
                name = "ffmpeg-" + f.replace(",", "+")
                print("bench video-compare tool=%s size=%dx%d frames=%d "
                      "fps=%.1f fps_net_of_read=%.1f" % (
                          name, W, H, n, n / dt, n / net))
                if ours:
                    print("bench video-ratio ours=all theirs=%s ratio=%.1f"
                          % (name, ours / (n / net)))
        parse = ["filesrc", "location=" + raw, "!", "rawvideoparse",
                 "format=i420", "width=%d" % W, "height=%d" % H,
                 "framerate=25/1", "!"]
        src = ["videotestsrc", "pattern=smpte", "horizontal-speed=4",
               "num-buffers=%d" % (4 * n), "!",
               "video/x-raw,format=I420,width=%d,height=%d,framerate=25/1"
               % (W, H), "!"]
        for name, head, frames in (("file", parse, n),
                                   ("videotestsrc", src, 4 * n)):
            t = {}
            for el in ("identity", "avqualitydetect"):
                t[el] = min(wall(["gst-launch-1.0", "-q"] + head +
                                 [el, "!", "fakesink", "sync=false"],
                                 env=env) for _ in range(2))
            extra = t["avqualitydetect"] - t["identity"]
            print("bench video-compare tool=element source=%s frames=%d "
                  "identity_s=%.3f avqualitydetect_s=%.3f "
                  "element_fps=%.1f" % (name, frames, t["identity"],
                                        t["avqualitydetect"],
                                        frames / max(extra, 1e-6)))
            print("bench video-ratio ours=pipeline-avqualitydetect "
                  "theirs=pipeline-identity source=%s ratio=%.3f" % (
                      name, t["avqualitydetect"] / t["identity"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
