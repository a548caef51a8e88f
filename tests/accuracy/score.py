#!/usr/bin/python3
# gst-avmonitor
# Copyright (C) 2026 the gst-avmonitor authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2.1 of the License, or (at your option) any later version.
"""Scores a defect report against the ground truth of avdefectinject.

Both files are JSON Lines in defectsink's report schema (one object per
defect edge: kind, event, source, id, start, end, ... in seconds of stream
time). The truth file of avdefectinject holds end records only; a report
holds start and end records. Spans are keyed on (source, id); an end record
wins over its start record; a start with no end is a span open to the end of
the media (or zero long when the media duration is not known).

Per kind:
  - a truth span is *found* when a detected span of the same kind overlaps
    it, with a collar of `collar` seconds on both sides (so zero-length
    truth spans and edges that are a few frames off still meet);
  - a detected span is *right* when it overlaps (with the collar) some truth
    span of its kind, *a false alarm* otherwise;
  - recall = found / truth, precision = right / detected, F1 their harmonic
    mean; several detected spans inside one truth span (a freeze split at an
    I-frame) are all right, and the truth span is found once;
  - start error = start of the first detected span overlapping a truth span
    minus the truth start; end error = end of the last one minus the truth
    end (ms, signed: positive = late); median and worst are of the absolute
    values;
  - false alarms per hour = false alarms / hours of clean media, where clean
    media is the total duration minus the union of all truth spans (of every
    kind). Without a duration it is not computed.

`score_cases()` aggregates several (truth, report, duration) cases; the
command prints a table, then one machine-readable line starting with
`ACCURACY ` followed by JSON, and exits 1 when a kind misses a target.
"""

import argparse
import json
import math
import statistics
import sys

# Targets a kind must reach (recall, precision: minimum; fa_per_hour,
# median_edge_ms: maximum). Kinds without targets are reported, not judged.
# They are starting points from DESIGN.md's defaults; each detector issue
# tightens its own.
DEFAULT_TARGETS = {
    "freeze": {"recall": 0.9, "precision": 0.9, "fa_per_hour": 2.0,
               "median_edge_ms": 500.0},
    "black": {"recall": 0.95, "precision": 0.95, "fa_per_hour": 1.0,
              "median_edge_ms": 200.0},
    "uniform": {"recall": 0.9, "precision": 0.9, "fa_per_hour": 1.0,
                "median_edge_ms": 200.0},
    "block-corruption": {"recall": 0.8, "precision": 0.8,
                         "fa_per_hour": 5.0, "median_edge_ms": 1000.0},
    "frame-gap": {"recall": 0.9, "precision": 0.9, "fa_per_hour": 1.0,
                  "median_edge_ms": 100.0},
    "silence": {"recall": 0.95, "precision": 0.95, "fa_per_hour": 1.0,
                "median_edge_ms": 200.0},
    "channel-silence": {"recall": 0.9, "precision": 0.9, "fa_per_hour": 1.0,
                        "median_edge_ms": 300.0},
    "clipping": {"recall": 0.9, "precision": 0.9, "fa_per_hour": 2.0,
                 "median_edge_ms": 1000.0},
    "dropout": {"recall": 0.9, "precision": 0.9, "fa_per_hour": 2.0,
                "median_edge_ms": 50.0},
    "loudness": {"recall": 0.8, "precision": 0.8, "fa_per_hour": 2.0,
                 "median_edge_ms": 3000.0},
    "discontinuity": {"recall": 0.9, "precision": 0.9, "fa_per_hour": 1.0,
                      "median_edge_ms": 100.0},
    "av-sync": {"recall": 0.8, "precision": 0.8, "fa_per_hour": 2.0,
                "median_edge_ms": 5000.0},
    "stall": {"recall": 0.9, "precision": 0.9, "fa_per_hour": 1.0,
              "median_edge_ms": 3000.0},
}

DEFAULT_COLLAR = 0.5


class Span:
    __slots__ = ("kind", "start", "end", "source", "id", "truncated",
                 "injected")

    def __init__(self, kind, start, end, source="", id=0, truncated=False,
                 injected=None):
        self.kind = kind
        self.start = float(start)
        self.end = float(end) if end is not None else float(start)
        if self.end < self.start:
            self.end = self.start
        self.source = source
        self.id = id
        self.truncated = truncated
        self.injected = injected

    def __repr__(self):
        return "Span(%s %.3f-%.3f)" % (self.kind, self.start, self.end)


def parse_records(lines, media_end=None):
    """Spans from JSON Lines records (an iterable of strings or dicts)."""
    ends = {}
    starts = {}
    order = []
    for n, line in enumerate(lines):
        if isinstance(line, str):
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except ValueError as e:
                raise ValueError("line %d: not JSON: %s" % (n + 1, e))
        else:
            rec = line
        if not isinstance(rec, dict) or "kind" not in rec:
            # summary or other record types are not spans
            continue
        key = (rec.get("source", ""), rec.get("id", n))
        if key not in starts and key not in ends:
            order.append(key)
        if rec.get("event", "end") == "end":
            ends[key] = rec
        else:
            starts.setdefault(key, rec)
    spans = []
    for key in order:
        if key in ends:
            rec = ends[key]
            start = rec.get("start")
            if start is None and key in starts:
                start = starts[key].get("start")
            end = rec.get("end")
            if start is None:
                start = end
            if start is None:
                continue
            spans.append(Span(rec["kind"], start, end, key[0], key[1],
                              bool(rec.get("truncated", False)),
                              rec.get("injected")))
        else:
            rec = starts[key]
            if rec.get("start") is None:
                continue
            spans.append(Span(rec["kind"], rec["start"],
                              media_end if media_end is not None
                              else rec["start"], key[0], key[1], True,
                              rec.get("injected")))
    return spans


def load_spans(path, media_end=None):
    with open(path, encoding="utf-8") as f:
        return parse_records(f, media_end)


def _overlap(a, b, collar):
    return a.start - collar <= b.end and b.start - collar <= a.end


def _union_length(spans):
    total = 0.0
    cur_s = cur_e = None
    for s in sorted(spans, key=lambda s: s.start):
        if cur_e is None or s.start > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s.start, s.end
        else:
            cur_e = max(cur_e, s.end)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


class KindScore:
    def __init__(self, kind):
        self.kind = kind
        self.truth = 0
        self.found = 0
        self.detected = 0
        self.right = 0
        self.false_alarms = 0
        self.start_errors = []
        self.end_errors = []

    @staticmethod
    def _ratio(a, b):
        return a / b if b else None

    @property
    def recall(self):
        return self._ratio(self.found, self.truth)

    @property
    def precision(self):
        return self._ratio(self.right, self.detected)

    @property
    def f1(self):
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def edge(self, which, how):
        errs = self.start_errors if which == "start" else self.end_errors
        if not errs:
            return None
        vals = [abs(e) for e in errs]
        v = statistics.median(vals) if how == "median" else max(vals)
        # nanosecond times through float seconds: keep microseconds
        return round(v, 3)


# Detections that an injected defect of another kind really causes: they
# are neither right nor false alarms. Samples clipped at full scale have a
# true peak over any ceiling below 0 dBTP (a loudness span, subkind
# true-peak).
IMPLIED = {("clipping", "loudness")}


def _implied(ds, truth, collar):
    return any((ts.kind, ds.kind) in IMPLIED and _overlap(ts, ds, collar)
               for ts in truth)


def score_case(truth, detected, scores, collar):
    """Adds one case to `scores` (dict kind -> KindScore); returns the
    number of false alarms per kind in this case."""
    detected = [s for s in detected if not _implied(s, truth, collar)]
    kinds = {s.kind for s in truth} | {s.kind for s in detected}
    fa = {}
    for kind in kinds:
        ks = scores.setdefault(kind, KindScore(kind))
        t = [s for s in truth if s.kind == kind]
        d = [s for s in detected if s.kind == kind]
        ks.truth += len(t)
        ks.detected += len(d)
        for ts in t:
            hits = [ds for ds in d if _overlap(ts, ds, collar)]
            if hits:
                ks.found += 1
                first = min(hits, key=lambda s: s.start)
                last = max(hits, key=lambda s: s.end)
                ks.start_errors.append((first.start - ts.start) * 1000.0)
                ks.end_errors.append((last.end - ts.end) * 1000.0)
        for ds in d:
            if any(_overlap(ts, ds, collar) for ts in t):
                ks.right += 1
            else:
                ks.false_alarms += 1
                fa[kind] = fa.get(kind, 0) + 1
    return fa


def score_cases(cases, collar=DEFAULT_COLLAR):
    """cases: iterable of (truth spans, detected spans, duration seconds or
    None). Returns (dict kind -> KindScore, clean hours or None)."""
    scores = {}
    clean = 0.0
    have_duration = True
    for truth, detected, duration in cases:
        if duration is None:
            have_duration = False
            c = 0.0
        else:
            c = max(0.0, duration - _union_length(truth))
        clean += c
        score_case(truth, detected, scores, collar)
    return scores, (clean / 3600.0 if have_duration else None)


def fa_per_hour(ks, clean_hours):
    if clean_hours is None or clean_hours <= 0:
        return None
    return ks.false_alarms / clean_hours


def check_targets(scores, clean_hours, targets):
    """Returns a list of "kind: what" failures."""
    failures = []
    for kind, ks in sorted(scores.items()):
        t = targets.get(kind)
        if not t:
            continue
        if "recall" in t and ks.truth and ks.recall < t["recall"]:
            failures.append("%s: recall %.3f < %.3f" %
                            (kind, ks.recall, t["recall"]))
        if "precision" in t and ks.detected and \
                ks.precision < t["precision"]:
            failures.append("%s: precision %.3f < %.3f" %
                            (kind, ks.precision, t["precision"]))
        fa = fa_per_hour(ks, clean_hours)
        if "fa_per_hour" in t and fa is not None and fa > t["fa_per_hour"]:
            failures.append("%s: %.2f false alarms/h > %.2f" %
                            (kind, fa, t["fa_per_hour"]))
        for which in ("start", "end"):
            m = ks.edge(which, "median")
            if "median_edge_ms" in t and m is not None and \
                    m > t["median_edge_ms"]:
                failures.append("%s: median %s error %.0f ms > %.0f ms" %
                                (kind, which, m, t["median_edge_ms"]))
    return failures


def _fmt(v, f="%.3f"):
    return "-" if v is None else f % v


def summary(scores, clean_hours, failures, extra=None):
    """The machine-readable summary (a dict)."""
    out = {"clean_hours": clean_hours, "kinds": {}, "failures": failures,
           "ok": not failures}
    for kind, ks in sorted(scores.items()):
        out["kinds"][kind] = {
            "truth": ks.truth, "found": ks.found, "detected": ks.detected,
            "right": ks.right, "false_alarms": ks.false_alarms,
            "precision": ks.precision, "recall": ks.recall, "f1": ks.f1,
            "fa_per_hour": fa_per_hour(ks, clean_hours),
            "start_error_ms": {"median": ks.edge("start", "median"),
                               "worst": ks.edge("start", "worst")},
            "end_error_ms": {"median": ks.edge("end", "median"),
                             "worst": ks.edge("end", "worst")},
        }
    if extra:
        out.update(extra)
    return out


def print_table(scores, clean_hours, failures, out=None, extra=None):
    if out is None:
        out = sys.stdout
    cols = ("kind", "truth", "det", "prec", "recall", "F1", "FA/h",
            "start med/worst ms", "end med/worst ms")
    rows = [cols]
    for kind, ks in sorted(scores.items()):
        rows.append((
            kind, str(ks.truth), str(ks.detected), _fmt(ks.precision),
            _fmt(ks.recall), _fmt(ks.f1),
            _fmt(fa_per_hour(ks, clean_hours), "%.2f"),
            "%s / %s" % (_fmt(ks.edge("start", "median"), "%.0f"),
                         _fmt(ks.edge("start", "worst"), "%.0f")),
            "%s / %s" % (_fmt(ks.edge("end", "median"), "%.0f"),
                         _fmt(ks.edge("end", "worst"), "%.0f"))))
    widths = [max(len(r[i]) for r in rows) for i in range(len(cols))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip(),
              file=out)
    if clean_hours is not None:
        print("clean media: %.4f h" % clean_hours, file=out)
    for f in failures:
        print("BELOW TARGET: " + f, file=out)
    print("ACCURACY " + json.dumps(summary(scores, clean_hours, failures,
                                           extra), sort_keys=True,
                                   allow_nan=False), file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Score a defectsink report against avdefectinject truth")
    ap.add_argument("--truth", required=True, action="append",
                    help="truth JSONL (repeat, paired with --report)")
    ap.add_argument("--report", required=True, action="append",
                    help="report JSONL (repeat, paired with --truth)")
    ap.add_argument("--duration", type=float, action="append",
                    help="media duration in seconds, per pair (enables "
                    "false alarms per hour)")
    ap.add_argument("--collar", type=float, default=DEFAULT_COLLAR,
                    help="overlap collar in seconds (default %(default)s)")
    ap.add_argument("--no-targets", action="store_true",
                    help="report only, never fail on targets")
    ap.add_argument("--targets", help="JSON file of targets per kind "
                    "(default: the harness's own)")
    args = ap.parse_args(argv)
    if len(args.truth) != len(args.report):
        ap.error("give as many --truth as --report")
    durations = args.duration or [None] * len(args.truth)
    if len(durations) != len(args.truth):
        ap.error("give one --duration per pair, or none")
    cases = []
    for t, r, d in zip(args.truth, args.report, durations):
        cases.append((load_spans(t, d), load_spans(r, d), d))
    scores, clean_hours = score_cases(cases, args.collar)
    targets = {}
    if not args.no_targets:
        targets = DEFAULT_TARGETS
        if args.targets:
            with open(args.targets, encoding="utf-8") as f:
                targets = json.load(f)
    failures = check_targets(scores, clean_hours, targets)
    print_table(scores, clean_hours, failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
