#!/usr/bin/python3
# gst-avmonitor
# Copyright (C) 2026 the gst-avmonitor authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2.1 of the License, or (at your option) any later version.
"""Self-test of replay.py (the kept real-damage set scored through
blocks-replay): span lines, file positions mapped to PTS across dropped
frames, run and frame counts, and one synthetic kept clip replayed through
the real blocks-replay (argv[1]): a smooth pan with 12 grey macroblocks
in 5 frames, and its undamaged twin, and clean-only clips as --keep-clean
leaves them. Runs under meson test as
`accuracy_replay`; needs no GStreamer."""

import io
import json
import os
import random
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import replay  # noqa: E402

BLOCKS_REPLAY = None
W, H, N = 320, 192, 60


def smooth_texture(tw, th, cell, seed):
    """Bilinear value noise, one random level per cell corner."""
    rng = random.Random(seed)
    gw, gh = tw // cell + 2, th // cell + 2
    grid = [[rng.randint(30, 220) for _ in range(gw)] for _ in range(gh)]
    tex = bytearray(tw * th)
    for y in range(th):
        gy, fy = divmod(y, cell)
        fy /= cell
        r0, r1 = grid[gy], grid[gy + 1]
        for x in range(tw):
            gx, fx = divmod(x, cell)
            fx /= cell
            a = r0[gx] * (1 - fx) + r0[gx + 1] * fx
            b = r1[gx] * (1 - fx) + r1[gx + 1] * fx
            tex[y * tw + x] = int(a * (1 - fy) + b * fy)
    return tex


def write_clip(d, damage_from, damage_to):
    """clip.twin.gray, clip.0.dmg.gray, clip.0.damaged.json in @d, as
    accuracy.py realdamage --keep leaves them."""
    tw = W + 4 * N
    tex = smooth_texture(tw, H, 16, 7)
    bad = []
    with open(os.path.join(d, "clip.twin.gray"), "wb") as t, \
            open(os.path.join(d, "clip.0.dmg.gray"), "wb") as g:
        for i in range(N):
            ox = 4 * i          # one thumbnail sample per frame
            f = bytearray(b"".join(tex[y * tw + ox:y * tw + ox + W]
                                   for y in range(H)))
            t.write(f)
            if damage_from <= i < damage_to:
                bad.append(i)
                for k in range(12):
                    bx, by = 2 + (k * 5) % 16, 2 + (k * 3) % 9
                    for j in range(16):
                        o = (16 * by + j) * W + 16 * bx
                        f[o:o + 16] = b"\x80" * 16
            g.write(f)
    with open(os.path.join(d, "clip.0.damaged.json"), "w") as f:
        json.dump({"width": W, "height": H, "fps": 25,
                   "decoded": list(range(N)),
                   "damaged": {str(i): 20.0 for i in bad}}, f)


class Scoring(unittest.TestCase):
    def test_parse_spans(self):
        out = ["frame 3 area 0.1 ...", "span 3 start 3", "span 60 end 52",
               "span 70 start 70", "junk"]
        self.assertEqual(replay.parse_spans(out), [(3, 52), (70, None)])
        self.assertEqual(replay.parse_spans(["span 5 end 9"]), [])

    def test_positions_to_pts(self):
        # frame 2 dropped in the damaged decode: file position 2 is PTS 3
        decoded = [0, 1, 3, 4]
        self.assertEqual(replay.to_pts_index(2, decoded), 3)
        self.assertEqual(replay.to_pts_index(4, decoded), 5)
        self.assertEqual(replay.to_pts_index(6, decoded), 7)

    def test_score_clip(self):
        decoded = [0, 1, 3, 4, 5, 6, 7, 8, 9]
        damaged = [2, 3, 4, 8]          # runs 2-4 and 8
        # a span over positions 2..3 = PTS 3..4: the first run, 2 frames
        self.assertEqual(replay.score_clip([(2, 4)], decoded, damaged),
                         (2, 1, 4, 2))
        # end exclusive: position 0 = PTS 0 only
        self.assertEqual(replay.score_clip([(0, 1)], decoded, damaged),
                         (2, 0, 4, 0))
        # the time of a dropped frame (PTS 2, between positions 1 and 2)
        # is covered, as by the element's span
        self.assertEqual(replay.score_clip([(1, 2)], decoded, damaged),
                         (2, 1, 4, 1))
        # an open span reaches the end
        self.assertEqual(replay.score_clip([(7, None)], decoded, damaged),
                         (2, 1, 4, 1))
        self.assertEqual(replay.score_clip([], decoded, damaged),
                         (2, 0, 4, 0))

    def test_codec_of(self):
        self.assertEqual(replay.codec_of("h264-low-ball-text.1"), "h264-low")
        self.assertEqual(replay.codec_of("h264-ball-text.1"), "h264")
        self.assertEqual(replay.codec_of("mpeg2-snow-mix.0"), "mpeg2")
        self.assertEqual(replay.codec_of("clip.0"), "other")


@unittest.skipUnless(len(sys.argv) > 1, "needs the blocks-replay path")
class Replay(unittest.TestCase):
    def run_replay(self, d, *settings):
        buf = io.StringIO()
        with redirect_stdout(buf):
            rc = replay.main([d, "--replay", BLOCKS_REPLAY] + list(settings))
        self.assertEqual(rc, 0)
        last = buf.getvalue().splitlines()[-1]
        self.assertTrue(last.startswith("REPLAY "))
        return json.loads(last[len("REPLAY "):])["codecs"]["all"]

    def test_synthetic_clip(self):
        with tempfile.TemporaryDirectory() as d:
            write_clip(d, 20, 25)
            # one span from the first damaged frame; the hold (2 s) after
            # the last outlasts the clip, so the end of the file ends it
            spans = replay.replay(BLOCKS_REPLAY,
                                  os.path.join(d, "clip.0.dmg.gray"), W, H,
                                  [])
            self.assertEqual(spans, [(20, N)])
            t = self.run_replay(d)
            self.assertEqual((t["spans"], t["spans_found"]), (1, 1))
            self.assertEqual((t["frames"], t["frames_found"]), (5, 5))
            self.assertEqual((t["twins"], t["twins_alarmed"]), (1, 0))
            # the settings reach blocks-replay: no frame can qualify
            t = self.run_replay(d, "gridmin=100", "minblocks=100")
            self.assertEqual(t["spans_found"], 0)

    def test_clean_clips(self):
        # clean-only clips kept with --keep-clean: a clean one and, as a
        # stand-in for a false alarm, the damaged decode under a clean name
        with tempfile.TemporaryDirectory() as d:
            write_clip(d, 20, 25)
            for k, src in ((1, "clip.twin.gray"), (2, "clip.0.dmg.gray")):
                name = os.path.join(d, "clean-%03d-h264-pan" % k)
                with open(os.path.join(d, src), "rb") as f, \
                        open(name + ".gray", "wb") as g:
                    g.write(f.read())
                with open(name + ".clean.json", "w") as f:
                    json.dump({"width": W, "height": H, "fps": 25}, f)
            buf = io.StringIO()
            with redirect_stdout(buf):
                rc = replay.main([d, "--replay", BLOCKS_REPLAY, "-v"])
            self.assertEqual(rc, 0)
            out = buf.getvalue().splitlines()
            codecs = json.loads(out[-1][len("REPLAY "):])["codecs"]
            self.assertEqual((codecs["all"]["clean"],
                              codecs["all"]["clean_alarmed"]), (2, 1))
            self.assertEqual(codecs["h264"]["clean_alarmed"], 1)
            # the damaged runs are counted as before
            self.assertEqual(codecs["all"]["spans_found"], 1)
            self.assertTrue(any(x.startswith("clean-002-h264-pan") and
                                "false alarm" in x for x in out))
            self.assertFalse(any(x.startswith("clean-001") for x in out))

    def test_empty_dir(self):
        with tempfile.TemporaryDirectory() as d:
            with redirect_stdout(io.StringIO()):
                self.assertEqual(replay.main([d, "--replay", BLOCKS_REPLAY]),
                                 2)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        BLOCKS_REPLAY = sys.argv.pop(1)
    unittest.main()
