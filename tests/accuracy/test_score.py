#!/usr/bin/python3
# gst-avmonitor
# Copyright (C) 2026 the gst-avmonitor authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2.1 of the License, or (at your option) any later version.
"""Self-test of the accuracy scoring on synthetic truth and reports: hits,
misses, false alarms, fragmented detections, edge errors, the report's
start/end records, targets and the command's output. Runs under meson test
as `accuracy_scoring`; needs no GStreamer."""

import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import score  # noqa: E402


def truth_line(kind, start, end, id, source="inject", injected=None):
    return json.dumps({"kind": kind, "event": "end", "source": source,
                       "id": id, "start": start, "end": end,
                       "duration": end - start, "truncated": False,
                       "injected": injected or kind})


def report_lines(kind, start, end, id, source="avqualitydetect0"):
    """A start and an end record, as defectsink writes them."""
    return [json.dumps({"kind": kind, "event": "start", "source": source,
                        "id": id, "start": start, "end": None}),
            json.dumps({"kind": kind, "event": "end", "source": source,
                        "id": id, "start": start, "end": end,
                        "duration": end - start})]


class ParseTest(unittest.TestCase):
    def test_start_end_pairs_and_duplicates(self):
        lines = report_lines("freeze", 1.0, 4.0, 1)
        # the same span reaching defectsink twice is one span
        lines += report_lines("freeze", 1.0, 4.0, 1)
        lines += report_lines("black", 5.0, 6.0, 2)
        lines.append(json.dumps({"defects": 2}))  # not a span record
        spans = score.parse_records(lines)
        self.assertEqual([(s.kind, s.start, s.end) for s in spans],
                         [("freeze", 1.0, 4.0), ("black", 5.0, 6.0)])

    def test_open_span(self):
        lines = [report_lines("silence", 2.0, 3.0, 7)[0]]
        self.assertEqual(score.parse_records(lines)[0].end, 2.0)
        s = score.parse_records(lines, media_end=10.0)[0]
        self.assertEqual((s.start, s.end, s.truncated), (2.0, 10.0, True))

    def test_truth_file(self):
        s = score.parse_records([truth_line("frame-gap", 2.5, 2.6, 1,
                                            injected="frame-drop")])[0]
        self.assertEqual((s.kind, s.injected), ("frame-gap", "frame-drop"))

    def test_bad_line(self):
        with self.assertRaises(ValueError):
            score.parse_records(["{not json"])


def spans(*items):
    return [score.Span(k, s, e) for k, s, e in items]


class ScoreTest(unittest.TestCase):
    def run_cases(self, cases, collar=0.5):
        return score.score_cases(cases, collar)

    def test_perfect(self):
        t = spans(("freeze", 5, 8), ("black", 12, 14.5))
        scores, clean = self.run_cases([(t, list(t), 60.0)])
        for kind in ("freeze", "black"):
            ks = scores[kind]
            self.assertEqual((ks.precision, ks.recall, ks.f1), (1, 1, 1))
            self.assertEqual(ks.edge("start", "worst"), 0)
            self.assertEqual(ks.edge("end", "worst"), 0)
            self.assertEqual(score.fa_per_hour(ks, clean), 0)
        self.assertAlmostEqual(clean * 3600, 60 - 3 - 2.5)

    def test_miss(self):
        t = spans(("freeze", 5, 8), ("freeze", 20, 23))
        d = spans(("freeze", 5.2, 8.1))
        ks = self.run_cases([(t, d, 60.0)])[0]["freeze"]
        self.assertEqual((ks.found, ks.truth), (1, 2))
        self.assertEqual(ks.recall, 0.5)
        self.assertEqual(ks.precision, 1.0)
        self.assertAlmostEqual(ks.f1, 2 * 0.5 / 1.5)

    def test_false_alarms_per_hour(self):
        # one hour of clean media, two false alarms, one detection right
        t = spans(("silence", 100, 110))
        d = spans(("silence", 100, 110), ("silence", 500, 503),
                  ("silence", 2000, 2001))
        scores, clean = self.run_cases([(t, d, 3610.0)])
        ks = scores["silence"]
        self.assertAlmostEqual(clean, 1.0)
        self.assertEqual(ks.false_alarms, 2)
        self.assertAlmostEqual(score.fa_per_hour(ks, clean), 2.0)
        self.assertAlmostEqual(ks.precision, 1 / 3)
        self.assertEqual(ks.recall, 1.0)

    def test_clean_case_only_false_alarms(self):
        scores, clean = self.run_cases([([], spans(("black", 3, 4)), 1800.0)])
        ks = scores["black"]
        self.assertEqual((ks.truth, ks.detected, ks.false_alarms), (0, 1, 1))
        self.assertIsNone(ks.recall)
        self.assertAlmostEqual(score.fa_per_hour(ks, clean), 2.0)

    def test_wrong_kind_is_a_miss_and_a_false_alarm(self):
        t = spans(("black", 5, 7))
        d = spans(("freeze", 5, 7))
        scores = self.run_cases([(t, d, 60.0)])[0]
        self.assertEqual(scores["black"].recall, 0.0)
        self.assertEqual(scores["freeze"].false_alarms, 1)

    def test_implied_detection_not_a_false_alarm(self):
        # injected clipping really makes a true-peak (loudness) span: not a
        # false alarm inside the clipping, still one elsewhere
        t = spans(("clipping", 5, 7))
        d = spans(("clipping", 5, 7), ("loudness", 5.2, 6.9),
                  ("loudness", 30, 31))
        scores = self.run_cases([(t, d, 60.0)])[0]
        self.assertEqual(scores["clipping"].recall, 1.0)
        self.assertEqual(scores["loudness"].detected, 1)
        self.assertEqual(scores["loudness"].false_alarms, 1)

    def test_edge_errors(self):
        t = spans(("freeze", 5, 8), ("freeze", 20, 22), ("freeze", 30, 31))
        # start late 120 ms / 40 ms / 300 ms; end early 40 / late 80 / 0 ms
        d = spans(("freeze", 5.12, 7.96), ("freeze", 20.04, 22.08),
                  ("freeze", 30.3, 31.0))
        ks = self.run_cases([(t, d, 60.0)])[0]["freeze"]
        self.assertAlmostEqual(ks.edge("start", "median"), 120, places=6)
        self.assertAlmostEqual(ks.edge("start", "worst"), 300, places=6)
        self.assertAlmostEqual(ks.edge("end", "median"), 40, places=6)
        self.assertAlmostEqual(ks.edge("end", "worst"), 80, places=6)
        # signed: late is positive, early negative
        self.assertAlmostEqual(ks.start_errors[0], 120, places=6)
        self.assertAlmostEqual(ks.end_errors[0], -40, places=6)

    def test_fragmented_detection(self):
        # a freeze split at an I-frame: both pieces are right, one found
        t = spans(("freeze", 5, 9))
        d = spans(("freeze", 5, 6.9), ("freeze", 7.1, 9))
        ks = self.run_cases([(t, d, 60.0)])[0]["freeze"]
        self.assertEqual((ks.found, ks.right, ks.false_alarms), (1, 2, 0))
        self.assertEqual(ks.end_errors, [0.0])

    def test_collar(self):
        # a zero-length truth span (an overlap is a span of zero duration)
        t = spans(("discontinuity", 10, 10))
        d = spans(("discontinuity", 10.3, 10.3))
        self.assertEqual(self.run_cases([(t, d, 60.0)], 0.5)[0]
                         ["discontinuity"].recall, 1.0)
        self.assertEqual(self.run_cases([(t, d, 60.0)], 0.1)[0]
                         ["discontinuity"].recall, 0.0)

    def test_cases_aggregate(self):
        c1 = (spans(("black", 1, 2)), spans(("black", 1, 2)), 10.0)
        c2 = (spans(("black", 1, 2)), [], 10.0)
        scores, clean = self.run_cases([c1, c2])
        self.assertEqual(scores["black"].recall, 0.5)
        self.assertAlmostEqual(clean * 3600, 18.0)

    def test_targets(self):
        t = spans(("freeze", 5, 8), ("freeze", 20, 23))
        d = spans(("freeze", 5, 8))
        scores, clean = self.run_cases([(t, d, 60.0)])
        failures = score.check_targets(scores, clean,
                                       {"freeze": {"recall": 0.9}})
        self.assertEqual(len(failures), 1)
        self.assertIn("freeze: recall 0.500 < 0.900", failures[0])
        self.assertEqual(score.check_targets(scores, clean,
                                             {"freeze": {"recall": 0.5}}), [])
        failures = score.check_targets(
            scores, clean, {"freeze": {"median_edge_ms": 10}})
        self.assertEqual(failures, [])


class CommandTest(unittest.TestCase):
    def write(self, d, name, lines):
        path = os.path.join(d, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def run_main(self, args):
        out = io.StringIO()
        with redirect_stdout(out):
            rc = score.main(args)
        return rc, out.getvalue().splitlines()

    def test_pass_and_fail(self):
        with tempfile.TemporaryDirectory() as d:
            truth = self.write(d, "t.jsonl", [
                truth_line("black", 2.0, 4.0, 1),
                truth_line("silence", 10.0, 13.0, 2)])
            good = self.write(d, "good.jsonl",
                              report_lines("black", 2.04, 4.0, 1) +
                              report_lines("silence", 10.0, 13.02, 2))
            bad = self.write(d, "bad.jsonl",
                             report_lines("black", 2.04, 4.0, 1) +
                             report_lines("black", 30.0, 31.0, 3))
            rc, lines = self.run_main(["--truth", truth, "--report", good,
                                       "--duration", "60"])
            self.assertEqual(rc, 0, "\n".join(lines))
            self.assertTrue(lines[-1].startswith("ACCURACY "))
            res = json.loads(lines[-1][len("ACCURACY "):])
            self.assertTrue(res["ok"])
            self.assertEqual(res["kinds"]["black"]["recall"], 1.0)
            self.assertAlmostEqual(
                res["kinds"]["black"]["start_error_ms"]["median"], 40.0)
            self.assertTrue(any(line.startswith("kind") for line in lines))

            rc, lines = self.run_main(["--truth", truth, "--report", bad,
                                       "--duration", "60"])
            self.assertEqual(rc, 1)
            res = json.loads(lines[-1][len("ACCURACY "):])
            self.assertFalse(res["ok"])
            self.assertEqual(res["kinds"]["silence"]["recall"], 0.0)
            self.assertEqual(res["kinds"]["black"]["false_alarms"], 1)
            self.assertTrue(any("silence: recall" in f
                                for f in res["failures"]))

            rc, _ = self.run_main(["--truth", truth, "--report", bad,
                                   "--no-targets"])
            self.assertEqual(rc, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
