#!/usr/bin/python3
# gst-avmonitor
# Copyright (C) 2026 the gst-avmonitor authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2.1 of the License, or (at your option) any later version.
"""Accuracy harness of gst-avmonitor (docs/accuracy.md).

  accuracy.py matrix   injects defects at seeded random positions into clean
                       test sources, runs them through the real elements
                       (x264enc/avdec_h264 where it applies, avqualitydetect,
                       defectsink) and scores the reports against the truth
  accuracy.py ffmpeg   cross-check of the injector: FFmpeg's freezedetect,
                       blackdetect and silencedetect run on files written
                       from avdefectinject's output must find the truth spans
  accuracy.py realdamage
                       block corruption on real decoder damage: damaged
                       H.264/MPEG-2 bitstreams against their undamaged
                       twins (PSNR-Y < 35 dB), plus clean encodes for false
                       alarms (realdamage.py)
  accuracy.py list     prints the matrix without running it

Kinds whose detector is not available (no avqualitydetect, or no
`<kind>-enabled` property on it yet) are skipped with a message. The last
line of every run is `ACCURACY {json}`; the exit status is 1 when a kind
misses its target (score.DEFAULT_TARGETS), 2 on a pipeline error.
"""

import argparse
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import score  # noqa: E402


def find_plugin_dir():
    """The newest build dir holding the plugin, for running from a tree."""
    root = os.path.dirname(os.path.dirname(HERE))
    found = glob.glob(os.path.join(root, "*", "gst", "elements",
                                   "libgstavmonitor.so"))
    if not found:
        return None
    return os.path.dirname(max(found, key=os.path.getmtime))


def init_gst(plugin_path):
    if plugin_path:
        old = os.environ.get("GST_PLUGIN_PATH")
        os.environ["GST_PLUGIN_PATH"] = plugin_path + (
            os.pathsep + old if old else "")
    import gi
    gi.require_version("Gst", "1.0")
    from gi.repository import Gst
    Gst.init(None)
    return Gst


# Clean sources: moving detail, noise, text that changes every frame.
# (first element, its properties, the rest of the chain)
VIDEO_SOURCES = {
    "smpte-scroll": ("videotestsrc", "pattern=smpte horizontal-speed=4",
                     "! timeoverlay font-desc=\"Sans 24\""),
    "ball-text": ("videotestsrc", "pattern=ball motion=sweep "
                  "background-color=0xff303060 foreground-color=0xffe0e040",
                  "! textoverlay text=\"STUDIO 1\" valignment=top "
                  "halignment=left ! timeoverlay valignment=bottom"),
    "zone-plate": ("videotestsrc", "pattern=zone-plate kx2=20 ky2=20 kt=1",
                   ""),
    "snow": ("videotestsrc", "pattern=snow", ""),
}
# Levels calibrated to a broadcast programme (-23 LUFS +/- 2, measured with
# avqualitydetect's integrated loudness): clean sources must not be out of
# loudness target, or every clean minute would count loudness alarms.
AUDIO_SOURCES = {
    "pink-noise": ("audiotestsrc", "wave=pink-noise volume=0.25", ""),
    # not wave=ticks: its digital silence between ticks is a real dropout
    "red-noise": ("audiotestsrc", "wave=red-noise volume=0.3", ""),
    "sine-low": ("audiotestsrc", "wave=sine freq=220 volume=0.08", ""),
}

W, H, FPS = 640, 360, 25
RATE, SPB = 48000, 1024

# schedule kind: (media, min s, max s, extra keys, detected kind, element)
KINDS = {
    "freeze": ("video", 2.5, 5.0, "", "freeze", "avqualitydetect"),
    "black": ("video", 2.5, 4.0, "", "black", "avqualitydetect"),
    "uniform": ("video", 2.5, 4.0, ",color=0x2040c0", "uniform",
                "avqualitydetect"),
    "block-corruption": ("video", 0.2, 1.0, ",area=0.03",
                         "block-corruption", "avqualitydetect"),
    "frame-drop": ("video", 0.2, 1.0, "", "frame-gap", "avqualitydetect"),
    "bitstream-damage": ("encoded", 0.2, 1.0, ",rate=0.005",
                         "block-corruption", "avqualitydetect"),
    "stall": ("video", 2.5, 4.0, "", "stall", "avqualitydetect"),
    "silence": ("audio", 2.5, 5.0, "", "silence", "avqualitydetect"),
    "hiss": ("audio", 2.5, 5.0, "", "silence", "avqualitydetect"),
    "channel-silence": ("audio", 2.5, 5.0, ",channels=1",
                        "channel-silence", "avqualitydetect"),
    "clipping": ("audio", 0.5, 2.0, ",gain=30", "clipping",
                 "avqualitydetect"),
    "dropout": ("audio", 0.05, 0.3, ",length=10ms", "dropout",
                "avqualitydetect"),
    # a drop, not a boost: a +15 dB step on these sources would clip, and
    # that real clipping would be scored as false clipping alarms
    "loudness": ("audio", 12.0, 15.0, ",gain=-15", "loudness",
                 "avqualitydetect"),
    "audio-gap": ("audio", 0.1, 0.5, "", "discontinuity",
                  "avqualitydetect"),
    "av-offset": ("av", 5.0, 8.0, ",offset=-200ms", "av-sync",
                  "avsyncmeter"),
}


def fmt_time(t):
    return "%dms" % round(t * 1000)


def random_schedule(kind, rng, duration, n):
    """n non-overlapping windows of `kind` at random positions, at least
    2 s from either end and 2 s apart (returns the schedule string)."""
    media, lo, hi, keys, _, _ = KINDS[kind]
    entries = []
    slot = (duration - 2.0) / n
    for i in range(n):
        d = rng.uniform(lo, hi)
        d = min(d, slot - 2.0)
        start = 2.0 + i * slot + rng.uniform(0, max(0.0, slot - 2.0 - d))
        entries.append("%s@%s+%s%s" % (kind, fmt_time(start), fmt_time(d),
                                       keys))
    return "; ".join(entries)


def q(s):
    # gst_parse_launch() strips double quotes, not single ones
    return '"' + s.replace('"', '') + '"'


def video_pipeline(source, schedule, seed, truth, report, duration, kind):
    el, props, rest = VIDEO_SOURCES[source]
    nbuf = int(duration * FPS)
    src = "%s %s num-buffers=%d ! video/x-raw,format=I420,width=%d," \
        "height=%d,framerate=%d/1 %s" % (el, props, nbuf, W, H, FPS, rest)
    # one thread each way: x264's sliced threads do not give the same
    # bits twice, nor FFmpeg's threads the same concealment, and a matrix
    # whose encodes differ from run to run does not measure a change
    enc = "x264enc speed-preset=ultrafast tune=zerolatency key-int-max=50 " \
        "bitrate=1500 threads=1 ! h264parse ! " \
        "video/x-h264,stream-format=byte-stream,alignment=au"
    inject = "avdefectinject name=inject schedule=%s seed=%d " \
        "truth-location=%s" % (q(schedule), seed, q(truth))
    if kind == "bitstream-damage":
        chain = "%s ! videoconvert ! %s ! %s ! avdec_h264 max-threads=1" % (
            src, enc, inject)
    else:
        chain = "%s ! videoconvert ! %s ! %s ! avdec_h264 max-threads=1" % (
            src, inject, enc)
    # a stall is only a stall for a sink that runs in real time, and only
    # as long as the detector sees it: a full queue in front would feed it
    # through the first second of the outage
    sync = "true" if kind == "stall" else "false"
    queue = "queue max-size-buffers=1" if kind == "stall" else "queue"
    return "%s ! %s ! avqualitydetect ! defectsink location=%s sync=%s" % (
        chain, queue, q(report), sync)


def audio_pipeline(source, schedule, seed, truth, report, duration, kind):
    el, props, rest = AUDIO_SOURCES[source]
    nbuf = int(duration * RATE / SPB)
    # Two loudness windows fit a 30 s case only at up to 12 s each; the
    # short-term meter (3 s) needs about 2.5 s to leave the target range, so
    # the 10 s default minimum would miss them: 8 s here (docs/accuracy.md).
    detector = "avqualitydetect loudness-duration=8000000000" \
        if kind == "loudness" else "avqualitydetect"
    return "%s %s samplesperbuffer=%d num-buffers=%d ! audio/x-raw," \
        "format=S16LE,rate=%d,channels=2 %s ! avdefectinject name=inject " \
        "schedule=%s seed=%d truth-location=%s ! queue ! %s ! " \
        "defectsink location=%s sync=false" % (
            el, props, SPB, nbuf, RATE, rest, q(schedule), seed, q(truth),
            detector, q(report))


def av_pipeline(source, schedule, seed, truth, report, duration, kind):
    """A video source and pink noise into avsyncmeter (timestamp mode), the
    offset injected on the audio; both pads into one defectsink, which
    writes avsyncmeter's av spans once (they travel on video_src)."""
    el, props, rest = VIDEO_SOURCES[source]
    nvid = int(duration * FPS)
    naud = int(duration * RATE / SPB)
    return "avsyncmeter name=m mode=timestamps " \
        "%s %s num-buffers=%d ! video/x-raw,format=I420,width=%d," \
        "height=%d,framerate=%d/1 %s ! queue ! m.video_sink " \
        "audiotestsrc wave=pink-noise volume=0.25 samplesperbuffer=%d " \
        "num-buffers=%d ! audio/x-raw,format=S16LE,rate=%d,channels=2 ! " \
        "avdefectinject name=inject schedule=%s seed=%d truth-location=%s " \
        "! queue ! m.audio_sink " \
        "m.video_src ! queue ! r.sink_0 m.audio_src ! queue ! r.sink_1 " \
        "defectsink name=r location=%s sync=false" % (
            el, props, nvid, W, H, FPS, rest, SPB, naud, RATE,
            q(schedule), seed, q(truth), q(report))


def run_pipeline(Gst, desc, timeout):
    pipe = Gst.parse_launch(desc)
    bus = pipe.get_bus()
    pipe.set_state(Gst.State.PLAYING)
    err = None
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            err = "timeout after %d s" % timeout
            break
        msg = bus.timed_pop_filtered(
            int(min(left, 1.0) * Gst.SECOND),
            Gst.MessageType.EOS | Gst.MessageType.ERROR)
        if msg is None:
            continue
        if msg.type == Gst.MessageType.ERROR:
            e, dbg = msg.parse_error()
            err = "%s (%s)" % (e.message, dbg)
        break
    pipe.set_state(Gst.State.NULL)
    return err


def detector_kinds(Gst):
    """Detected kinds that some registered element can report, and why the
    others cannot."""
    have = set()
    missing = {}
    for elem in ("avqualitydetect", "avsyncmeter"):
        f = Gst.ElementFactory.find(elem)
        if f is None:
            missing[elem] = "element '%s' is not registered" % elem
            continue
        e = f.create(None)
        for p in e.list_properties():
            if p.name.endswith("-enabled"):
                have.add((elem, p.name[:-len("-enabled")]))
    if Gst.ElementFactory.find("defectsink") is None:
        missing["defectsink"] = "element 'defectsink' is not registered"
    return have, missing


def build_matrix(kinds, seeds, duration, per_case):
    cases = []
    for kind in kinds:
        media = KINDS[kind][0]
        sources = list(AUDIO_SOURCES) if media == "audio" else \
            list(VIDEO_SOURCES)
        for seed in range(seeds):
            source = sources[seed % len(sources)]
            rng = random.Random("%s-%d" % (kind, seed))
            cases.append({"kind": kind, "source": source, "seed": seed,
                          "schedule": random_schedule(kind, rng, duration,
                                                      per_case)})
    return cases


def clean_cases(media_set):
    cases = []
    for media in sorted(media_set):
        sources = AUDIO_SOURCES if media == "audio" else VIDEO_SOURCES
        for source in sources:
            cases.append({"kind": None, "media": media, "source": source,
                          "seed": 0, "schedule": ""})
    return cases


def cmd_matrix(args):
    Gst = init_gst(args.plugin_path)
    kinds = args.kinds.split(",") if args.kinds else list(KINDS)
    for k in kinds:
        if k not in KINDS:
            sys.exit("unknown kind %s (kinds: %s)" % (k, ", ".join(KINDS)))
    have, missing = detector_kinds(Gst)
    runnable = []
    for k in kinds:
        media, _, _, _, detected, elem = KINDS[k]
        why = missing.get("defectsink") or missing.get(elem)
        if why is None and (elem, detected) not in have:
            why = "%s has no '%s-enabled' property (detector not written " \
                "yet)" % (elem, detected)
        if why:
            print("SKIP %s: %s" % (k, why))
        else:
            runnable.append(k)

    workdir = args.keep or tempfile.mkdtemp(prefix="avmonitor-accuracy-")
    os.makedirs(workdir, exist_ok=True)
    matrix = build_matrix(runnable, args.seeds, args.duration, args.per_case)
    medias = {"audio" if KINDS[k][0] == "audio" else "video"
              for k in runnable if KINDS[k][0] != "av"}
    if args.clean:
        matrix += clean_cases(medias)
    if not matrix:
        print("nothing to measure: no kind has a detector yet")
        print("ACCURACY " + json.dumps({"ok": True, "skipped": kinds,
                                        "kinds": {}}, sort_keys=True))
        return 0

    scored = []
    t0 = time.monotonic()
    for i, c in enumerate(matrix):
        name = "%03d-%s-%s-%d" % (i, c["kind"] or "clean", c["source"],
                                  c["seed"])
        truth = os.path.join(workdir, name + ".truth.jsonl")
        report = os.path.join(workdir, name + ".report.jsonl")
        media = c.get("media") or KINDS[c["kind"]][0]
        build = {"audio": audio_pipeline, "av": av_pipeline}.get(
            media, video_pipeline)
        desc = build(c["source"], c["schedule"], c["seed"], truth, report,
                     args.duration, c["kind"])
        err = run_pipeline(Gst, desc, args.timeout)
        print("%-40s %s" % (name, err or "ok"), flush=True)
        if err:
            print("pipeline: gst-launch-1.0 " + desc, file=sys.stderr)
            return 2
        t = score.load_spans(truth, args.duration) \
            if os.path.exists(truth) else []
        r = score.load_spans(report, args.duration) \
            if os.path.exists(report) else []
        scored.append((t, r, args.duration))
    scores, clean_hours = score.score_cases(scored, args.collar)
    failures = score.check_targets(scores, clean_hours,
                                   {} if args.no_targets else
                                   score.DEFAULT_TARGETS)
    score.print_table(scores, clean_hours, failures, extra={
        "mode": "matrix", "cases": len(matrix), "seconds":
        round(time.monotonic() - t0, 1), "skipped":
        [k for k in kinds if k not in runnable]})
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


# FFmpeg cross-check

FF_PATTERNS = [
    ("freeze", re.compile(r"freeze_start: *([0-9.]+)"), "start"),
    ("freeze", re.compile(r"freeze_end: *([0-9.]+)"), "end"),
    ("black", re.compile(r"black_start: *([0-9.]+) black_end: *([0-9.]+)"),
     "both"),
    ("silence", re.compile(r"silence_start: *(-?[0-9.]+)"), "start"),
    ("silence", re.compile(r"silence_end: *([0-9.]+)"), "end"),
]


def parse_ffmpeg(stderr, media_end):
    spans = []
    open_ = {}
    for line in stderr.splitlines():
        for kind, rx, what in FF_PATTERNS:
            m = rx.search(line)
            if not m:
                continue
            if what == "both":
                spans.append(score.Span(kind, float(m.group(1)),
                                        float(m.group(2)), "ffmpeg",
                                        len(spans)))
            elif what == "start":
                open_[kind] = max(0.0, float(m.group(1)))
            elif kind in open_:
                spans.append(score.Span(kind, open_.pop(kind),
                                        float(m.group(1)), "ffmpeg",
                                        len(spans)))
    for kind, start in open_.items():
        spans.append(score.Span(kind, start, media_end, "ffmpeg", len(spans),
                                True))
    return spans


FFMPEG_CASES = [
    # (name, media, schedule kind, source)
    ("freeze", "video", "freeze", "smpte-scroll"),
    ("black", "video", "black", "ball-text"),
    ("silence", "audio", "silence", "pink-noise"),
    ("hiss", "audio", "hiss", "sine-low"),
]


def cmd_ffmpeg(args):
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        print("SKIP ffmpeg cross-check: ffmpeg is not installed")
        print("ACCURACY " + json.dumps({"ok": True, "mode": "ffmpeg",
                                        "skipped": True}))
        return 0
    Gst = init_gst(args.plugin_path)
    if Gst.ElementFactory.find("avdefectinject") is None:
        sys.exit("avdefectinject is not registered: build the plugin and "
                 "pass --plugin-path BUILD/gst/elements")
    workdir = args.keep or tempfile.mkdtemp(prefix="avmonitor-ffmpeg-")
    os.makedirs(workdir, exist_ok=True)
    duration = args.duration
    scored = []
    for name, media, kind, source in FFMPEG_CASES:
        for seed in range(args.seeds):
            rng = random.Random("ffmpeg-%s-%d" % (name, seed))
            sched = random_schedule(kind, rng, duration, args.per_case)
            base = os.path.join(workdir, "%s-%d" % (name, seed))
            truth = base + ".truth.jsonl"
            if media == "video":
                el, props, rest = VIDEO_SOURCES[source]
                out = base + ".y4m"
                desc = "%s %s num-buffers=%d ! video/x-raw,format=I420," \
                    "width=320,height=240,framerate=%d/1 %s ! videoconvert " \
                    "! video/x-raw,format=I420 ! avdefectinject " \
                    "schedule=%s seed=%d truth-location=%s ! y4menc ! " \
                    "filesink location=%s" % (
                        el, props, int(duration * FPS), FPS, rest, q(sched),
                        seed, q(truth), q(out))
                # FFmpeg's defaults, with the durations shorter than ours
                filt = ["-vf", "freezedetect=n=-60dB:d=1,"
                        "blackdetect=d=1:pix_th=0.10"]
            else:
                el, props, rest = AUDIO_SOURCES[source]
                out = base + ".wav"
                desc = "%s %s samplesperbuffer=%d num-buffers=%d ! " \
                    "audio/x-raw,format=S16LE,rate=%d,channels=1 %s ! " \
                    "avdefectinject schedule=%s seed=%d truth-location=%s " \
                    "! wavenc ! filesink location=%s" % (
                        el, props, SPB, int(duration * RATE / SPB), RATE,
                        rest, q(sched), seed, q(truth), q(out))
                filt = ["-af", "silencedetect=n=-60dB:d=1"]
            err = run_pipeline(Gst, desc, args.timeout)
            if err:
                print("pipeline error: %s\n  gst-launch-1.0 %s" % (err, desc),
                      file=sys.stderr)
                return 2
            p = subprocess.run([ffmpeg, "-hide_banner", "-nostats", "-i", out]
                               + filt + ["-f", "null", "-"],
                               capture_output=True, text=True,
                               timeout=args.timeout)
            media_end = duration
            det = parse_ffmpeg(p.stderr, media_end)
            # only the kinds this case injected: black is also a freeze
            want = score.load_spans(truth, duration)
            kinds = {s.kind for s in want}
            det = [s for s in det if s.kind in kinds]
            print("%-12s seed %d: truth %s ffmpeg %s" % (
                name, seed, [(round(s.start, 3), round(s.end, 3))
                             for s in want],
                [(round(s.start, 3), round(s.end, 3)) for s in det]),
                flush=True)
            scored.append((want, det, duration))
    scores, clean_hours = score.score_cases(scored, args.collar)
    # the injector is exact: every span found, nothing else, within a frame
    targets = {k: {"recall": 1.0, "precision": 1.0,
                   "median_edge_ms": 1000.0 / FPS + 1.0}
               for k in ("freeze", "black", "silence")}
    failures = score.check_targets(scores, clean_hours, targets)
    score.print_table(scores, clean_hours, failures, extra={"mode": "ffmpeg"})
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


def cmd_list(args):
    for c in build_matrix(args.kinds.split(",") if args.kinds else
                          list(KINDS), args.seeds, args.duration,
                          args.per_case):
        print("%-18s %-14s seed %d  %s" % (c["kind"], c["source"], c["seed"],
                                           c["schedule"]))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("mode", nargs="?", default="matrix",
                    choices=("matrix", "ffmpeg", "list", "realdamage"))
    ap.add_argument("--kinds", help="comma separated schedule kinds "
                    "(default: all)")
    ap.add_argument("--seeds", type=int, default=3,
                    help="cases per kind (default %(default)s)")
    ap.add_argument("--per-case", type=int, default=2,
                    help="defects per case (default %(default)s)")
    ap.add_argument("--duration", type=float, default=30.0,
                    help="seconds of media per case (default %(default)s)")
    ap.add_argument("--collar", type=float, default=score.DEFAULT_COLLAR,
                    help="overlap collar, s (default %(default)s)")
    ap.add_argument("--no-clean", dest="clean", action="store_false",
                    help="skip the clean (false alarm) cases")
    ap.add_argument("--no-targets", action="store_true",
                    help="never fail on targets")
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="per pipeline, s (default %(default)s)")
    ap.add_argument("--keep", metavar="DIR",
                    help="keep truth, reports and media in DIR")
    ap.add_argument("--keep-clean", action="store_true",
                    help="realdamage, with --keep: keep the luma of the "
                    "clean-only clips too (NAME.gray and NAME.clean.json, "
                    "for replay.py; about 20 GB for 30 minutes)")
    ap.add_argument("--plugin-path", default=os.environ.get(
        "AVMONITOR_PLUGIN_PATH") or find_plugin_dir(),
        help="directory of libgstavmonitor.so (default: newest build dir "
        "of this tree)")
    ap.add_argument("--codecs", help="realdamage: h264,h264-low,mpeg2 "
                    "(default: all)")
    ap.add_argument("--sources", help="realdamage: comma separated "
                    "contents (default: all of realdamage.DAMAGE_SOURCES)")
    ap.add_argument("--clean-minutes", type=float, default=30.0,
                    help="realdamage: minutes of clean encodes to check, "
                    "the damaged clips' twins included (default "
                    "%(default)s)")
    ap.add_argument("--clean-codecs", default="h264,h264-low360,h264-low,"
                    "mpeg2", help="realdamage: codecs of the clean-only "
                    "clips (default %(default)s)")
    ap.add_argument("--detect-props", default="", help="realdamage: extra "
                    "avqualitydetect properties, e.g. "
                    "\"block-corruption-threshold=0.005\"")
    args = ap.parse_args(argv)
    if args.mode == "realdamage":
        import realdamage
        if "--duration" not in (argv or sys.argv):
            args.duration = 20.0
        return realdamage.cmd_realdamage(args, init_gst(args.plugin_path),
                                         score)
    if args.mode == "ffmpeg" and "--collar" not in (argv or sys.argv):
        args.collar = 0.1
    return {"matrix": cmd_matrix, "ffmpeg": cmd_ffmpeg,
            "list": cmd_list}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
