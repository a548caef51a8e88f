# gst-avmonitor
# Copyright (C) 2026 the gst-avmonitor authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2.1 of the License, or (at your option) any later version.
"""Block corruption on real decoder damage (accuracy.py realdamage).

For every (content, codec) clip:
  1. encode the clean content once (x264enc at a normal and a low bitrate,
     avenc_mpeg2video) into Matroska;
  2. decode it (the *twin*) through avqualitydetect: its report is the
     false-alarm check on a clean encode, its luma planes the reference;
  3. for each seed, decode it again with avdefectinject bitstream-damage
     at seeded positions between the demuxer and the decoder, through
     avqualitydetect, keeping the luma planes;
  4. a frame is *damaged* when its decode differs from the twin's by
     PSNR-Y < 35 dB (FFmpeg's psnr filter on the aligned luma planes), or
     when the twin has it and the damaged decode has not (dropped);
  5. a damaged frame is *found* when a block-corruption span covers its
     PTS (start <= pts < end), a dropped one also when a frame-gap span
     does. A damaged *span* is a run of consecutive damaged frames; it is
     found when one of its frames is.
Then clean-only clips (encode, decode, detect in one pipeline, no files)
of more varied content until --clean-minutes of clean encodes are checked.
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

PSNR_DAMAGED = 35.0
FPS = 25

# codec: (width, height, encoder, parser after the demuxer, decoder)
CODECS = {
    "h264": (640, 360,
             "x264enc bitrate=1000 speed-preset=veryfast key-int-max=50 "
             "threads=1 ! h264parse",
             "h264parse ! video/x-h264,stream-format=byte-stream,"
             "alignment=au",
             "avdec_h264 max-threads=1"),
    "h264-low": (1280, 720,
                 "x264enc bitrate=300 speed-preset=superfast "
                 "key-int-max=100 threads=1 ! h264parse",
                 "h264parse ! video/x-h264,stream-format=byte-stream,"
                 "alignment=au",
                 "avdec_h264 max-threads=1"),
    # encoded by the ffmpeg command: avenc_mpeg2video of gst-libav 1.22
    # refuses every framerate with FFmpeg 5.1 ("does not support
    # 1000000000/1 fps", a time base bug)
    "mpeg2": (720, 576,
              "ffmpeg -c:v mpeg2video -b:v 3M -maxrate 3M -bufsize 1835k "
              "-g 15 -bf 2",
              "mpegvideoparse",
              "avdec_mpeg2video max-threads=1"),
}

# Clean-only clips: the low bitrate also at 360p (the same bits per pixel
# as 300 kbit/s at 720p), so more minutes fit in the time.
CLEAN_CODECS = dict(CODECS)
CLEAN_CODECS["h264-low360"] = (
    640, 360,
    "x264enc bitrate=100 speed-preset=superfast key-int-max=100 threads=1 "
    "! h264parse", "", "avdec_h264 max-threads=1")


# Where pictures are looked for: documentation images and icons, and the
# photographs of scikit-image's sample data (Debian python3-skimage:
# portraits, a cat, a coffee cup, motorcycles, grass, gravel, a rocket).
IMAGE_DIRS = ("/usr/share/doc", "/usr/share/backgrounds",
              "/usr/share/pixmaps", "/usr/share/wallpapers",
              "/usr/share/icons/Adwaita/512x512",
              "/usr/lib/python3/dist-packages/skimage/data")


def _images():
    """Real pictures shipped on the machine."""
    found = []
    for root in IMAGE_DIRS:
        for dirpath, _, files in os.walk(root):
            for f in files:
                p = os.path.join(dirpath, f)
                if f.lower().endswith((".png", ".jpg", ".jpeg")) and \
                        os.path.getsize(p) > 50000:
                    found.append(p)
    return sorted(found)


def _dec_for(path):
    return "jpegdec" if path.lower().endswith((".jpg", ".jpeg")) else \
        "pngdec"


# A source is (description, controls): the description holds the branch
# named `src` (ending where the encoder chain is appended) and extra
# branches after it; controls are (element name, pad name, property,
# value at 0, value at the end) driven linearly by GstController.
def source(name, w, h, nbuf, seed):
    rng = random.Random("%s-%d" % (name, seed))
    caps = "video/x-raw,width=%d,height=%d,framerate=%d/1" % (w, h, FPS)
    font = "Sans %d" % max(10, h // 18)
    if name == "smpte-scroll":
        return ("videotestsrc pattern=smpte horizontal-speed=%d "
                "num-buffers=%d ! %s ! timeoverlay font-desc=\"%s\"" % (
                    rng.choice([1, 2, 4, 7]), nbuf, caps, font), [])
    if name == "ball-text":
        return ("videotestsrc pattern=ball motion=%s animation-mode=frames "
                "background-color=0xff%06x foreground-color=0xffe0e040 "
                "num-buffers=%d ! %s ! textoverlay text=\"STUDIO 1\" "
                "valignment=top halignment=left "
                "font-desc=\"%s\" ! timeoverlay valignment=bottom "
                "font-desc=\"%s\"" % (
                    rng.choice(["wavy", "sweep", "hsweep"]),
                    rng.randrange(0x202020, 0x606080), nbuf, caps, font,
                    font), [])
    if name == "zone-plate":
        return ("videotestsrc pattern=zone-plate kx2=%d ky2=%d kt=%d "
                "num-buffers=%d ! %s" % (rng.choice([10, 20, 30]),
                                         rng.choice([10, 20, 30]),
                                         rng.choice([1, 2, 3]), nbuf, caps),
                [])
    if name == "snow-mix":
        # moving bars under live noise (a noisy camera on a moving scene)
        return ("compositor name=mix background=black sink_1::alpha=%.2f "
                "! %s ! queue" % (rng.choice([0.1, 0.2, 0.35]), caps) +
                " videotestsrc pattern=smpte75 horizontal-speed=%d "
                "num-buffers=%d ! %s ! mix.sink_0" % (
                    rng.choice([1, 3, 5]), nbuf, caps) +
                " videotestsrc pattern=snow num-buffers=%d ! %s ! "
                "mix.sink_1" % (nbuf, caps), [])
    if name == "pinwheel":
        return ("videotestsrc pattern=pinwheel horizontal-speed=%d "
                "num-buffers=%d ! %s ! timeoverlay font-desc=\"%s\"" % (
                    rng.choice([1, 2, 3]), nbuf, caps, font), [])
    if name == "text-crawl":
        # a text crawl over a moving picture: a wide transparent canvas with
        # text, panned across by the compositor
        text = ("BREAKING: gst-avmonitor accuracy harness crawl %d +++ "
                "0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ +++ the quick brown "
                "fox jumps over the lazy dog" % seed)
        cw = 4 * w
        return ("compositor name=mix background=black ! %s ! queue" % caps +
                " videotestsrc pattern=ball motion=sweep num-buffers=%d "
                "! %s ! mix.sink_0" % (nbuf, caps) +
                " videotestsrc pattern=solid-color foreground-color=0x00000000"
                " num-buffers=%d ! video/x-raw,format=AYUV,width=%d,height=%d,"
                "framerate=%d/1 ! textoverlay text=\"%s\" valignment=%s "
                "font-desc=\"Sans Bold %d\" ! mix.sink_1" % (
                    nbuf, cw, h, FPS, text, rng.choice(["bottom", "center"]),
                    max(12, h // 10)),
                [("mix", "sink_1", "xpos", 0, -(cw - w))])
    if name == "image-cuts":
        return _image_cuts(rng, w, h, nbuf, caps)
    if name.startswith("image"):
        imgs = _images()
        if not imgs:
            return None
        # drawn from the seed's generator: the clean clips cycle through
        # the same (codec, content) pairs, each time with another picture
        img = imgs[rng.randrange(len(imgs))]
        if name == "image-still":
            return ("filesrc location=\"%s\" ! %s ! imagefreeze "
                    "num-buffers=%d ! videoconvert ! videoscale ! "
                    "video/x-raw,format=I420,width=%d,height=%d,"
                    "pixel-aspect-ratio=1/1,framerate=%d/1 ! "
                    "timeoverlay font-desc=\"%s\"" % (
                        img, _dec_for(img), nbuf, w, h, FPS, font), [])
        # a slow pan across the picture scaled to 1.6x the frame
        iw, ih = int(1.6 * w) // 2 * 2, int(1.6 * h) // 2 * 2
        return ("compositor name=mix background=black ! %s ! queue" % caps +
                " filesrc location=\"%s\" ! %s ! imagefreeze num-buffers=%d "
                "! videoconvert ! videoscale ! video/x-raw,format=AYUV,"
                "width=%d,height=%d,pixel-aspect-ratio=1/1,framerate=%d/1 ! "
                "mix.sink_0" % (img, _dec_for(img), nbuf, iw, ih, FPS),
                [("mix", "sink_0", "xpos", 0, -(iw - w)),
                 ("mix", "sink_0", "ypos", 0, -(ih - h))])
    raise KeyError(name)


def _image_cuts(rng, w, h, nbuf, caps):
    """Hard cuts every 1-4 s between three pictures, each panned its own
    way: what every edited programme has, and what a block-corruption
    detector must not take for damage (nor miss damage across)."""
    imgs = _images()
    if len(imgs) < 2:
        return None
    pics = rng.sample(imgs, min(3, len(imgs)))
    duration = nbuf / float(FPS)
    cuts, t = [], 0.0
    while t < duration:
        cuts.append(t)
        t += rng.uniform(1.0, 4.0)
    iw, ih = int(1.6 * w) // 2 * 2, int(1.6 * h) // 2 * 2
    desc = "compositor name=mix background=black ! %s ! queue" % caps
    controls = []
    for k, img in enumerate(pics):
        pad = "sink_%d" % k
        desc += (" filesrc location=\"%s\" ! %s ! imagefreeze "
                 "num-buffers=%d ! videoconvert ! videoscale ! "
                 "video/x-raw,format=AYUV,width=%d,height=%d,"
                 "pixel-aspect-ratio=1/1,framerate=%d/1 ! mix.%s" % (
                     img, _dec_for(img), nbuf, iw, ih, FPS, pad))
        x0, x1 = (0, -(iw - w)) if k % 2 == 0 else (-(iw - w), 0)
        y0, y1 = (0, -(ih - h)) if k < 2 else (-(ih - h), 0)
        controls.append(("mix", pad, "xpos", x0, x1))
        controls.append(("mix", pad, "ypos", y0, y1))
        # on from its cuts to the next: (time, value) steps
        controls.append(("mix", pad, "alpha", [
            (c, 1.0 if i % len(pics) == k else 0.0)
            for i, c in enumerate(cuts)]))
    return desc, controls


DAMAGE_SOURCES = ["smpte-scroll", "ball-text", "zone-plate", "snow-mix",
                  "pinwheel", "text-crawl", "image-pan", "image-still",
                  "image-cuts"]


def add_controls(Gst, pipe, controls, duration):
    if not controls:
        return
    import gi
    gi.require_version("GstController", "1.0")
    from gi.repository import GstController
    # (element, pad, property, value at 0, value at the end): linear;
    # (element, pad, property, [(seconds, value), ...]): steps
    for c in controls:
        elem, padname, prop = c[:3]
        pad = pipe.get_by_name(elem).get_static_pad(padname)
        cs = GstController.InterpolationControlSource()
        if len(c) == 4:
            cs.set_property("mode", GstController.InterpolationMode.NONE)
            for t, v in c[3]:
                cs.set(int(t * Gst.SECOND), float(v))
        else:
            cs.set_property("mode", GstController.InterpolationMode.LINEAR)
            cs.set(0, float(c[3]))
            cs.set(int(duration * Gst.SECOND), float(c[4]))
        pad.add_control_binding(
            GstController.DirectControlBinding.new_absolute(pad, prop, cs))


class Frames:
    """appsink callback target: the luma plane of every frame appended to
    a file, with its frame index (from the PTS)."""

    def __init__(self, Gst, path, w, h):
        self.Gst = Gst
        self.f = open(path, "wb")
        self.w, self.h = w, h
        self.index = []

    def on_sample(self, sink):
        Gst = self.Gst
        sample = sink.emit("pull-sample")
        if sample is None:
            return Gst.FlowReturn.EOS
        buf = sample.get_buffer()
        ok, info = buf.map(Gst.MapFlags.READ)
        if ok:
            # I420 with stride == width (widths here are multiples of 16)
            self.f.write(info.data[:self.w * self.h])
            buf.unmap(info)
            self.index.append(int(round(buf.pts * FPS / Gst.SECOND)))
        return Gst.FlowReturn.OK

    def close(self):
        self.f.close()


def run(Gst, desc, timeout, frames=None, controls=None, duration=0.0):
    pipe = Gst.parse_launch(desc)
    if frames is not None:
        sink = pipe.get_by_name("frames")
        sink.set_property("emit-signals", True)
        sink.connect("new-sample", frames.on_sample)
    add_controls(Gst, pipe, controls, duration)
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
    if frames is not None:
        frames.close()
    return err


# extra avqualitydetect properties (--detect-props), e.g. to try settings
# on the whole clean set before changing a default
DETECT_PROPS = ""


def clean_tail(report, frames):
    """A clean-only clip's detector, after its decoder; with @frames, its
    luma is kept as well."""
    if frames is None:
        return "queue ! avqualitydetect %s ! defectsink location=\"%s\" " \
            "sync=false" % (DETECT_PROPS, report)
    return "video/x-raw,format=I420 ! tee name=t t. ! queue ! appsink " \
        "name=frames sync=false " + detect_branch(report)


def detect_branch(report):
    return "t. ! queue ! avqualitydetect %s ! defectsink location=\"%s\" " \
        "sync=false" % (DETECT_PROPS, report)


def psnr_y(ffmpeg, a, b, w, h, workdir):
    """Per-frame PSNR-Y of two raw GRAY8 files of the same frame count."""
    stats = os.path.join(workdir, "psnr.log")
    raw = ["-f", "rawvideo", "-pix_fmt", "gray", "-s", "%dx%d" % (w, h),
           "-r", str(FPS)]
    subprocess.run([ffmpeg, "-hide_banner", "-nostats", "-loglevel", "error",
                    "-threads", "1"] + raw + ["-i", a] + raw + ["-i", b] +
                   ["-lavfi", "psnr=stats_file=%s" % stats, "-f", "null",
                    "-"], check=True)
    out = []
    with open(stats) as f:
        for line in f:
            m = re.search(r"psnr_y:([0-9.inf]+)", line)
            if m:
                out.append(float("inf") if m.group(1) == "inf"
                           else float(m.group(1)))
    return out


def damaged_frames(ffmpeg, twin_path, twin_idx, dmg_path, dmg_idx, w, h,
                   workdir):
    """{frame index: psnr or None (dropped)} of the damaged frames."""
    fs = w * h
    pos_twin = {i: k for k, i in enumerate(twin_idx)}
    pairs = [(k, pos_twin[i], i) for k, i in enumerate(dmg_idx)
             if i in pos_twin]
    a = os.path.join(workdir, "a.gray")
    b = os.path.join(workdir, "b.gray")
    with open(twin_path, "rb") as ft, open(dmg_path, "rb") as fd, \
            open(a, "wb") as fa, open(b, "wb") as fb:
        for kd, kt, _ in pairs:
            fd.seek(kd * fs)
            fa.write(fd.read(fs))
            ft.seek(kt * fs)
            fb.write(ft.read(fs))
    ps = psnr_y(ffmpeg, a, b, w, h, workdir)
    bad = {}
    for (kd, kt, i), p in zip(pairs, ps):
        if p < PSNR_DAMAGED:
            bad[i] = p
    have = set(dmg_idx)
    for i in twin_idx:
        if i not in have:
            bad[i] = None
    return bad


def runs(indices):
    out = []
    for i in sorted(indices):
        if out and i == out[-1][-1] + 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def covered(t, spans):
    half = 0.5 / FPS
    return any(s.start - half <= t < s.end - 1e-6 or
               (s.start == s.end and abs(s.start - t) < half)
               for s in spans)


def damage_schedule(rng, duration, n):
    """n windows of 0.04-0.6 s, at least 2 s from the ends and apart."""
    entries = []
    slot = (duration - 2.0) / n
    for i in range(n):
        d = rng.uniform(0.04, 0.6)
        start = 2.0 + i * slot + rng.uniform(0, max(0.0, slot - 2.0 - d))
        entries.append("bitstream-damage@%dms+%dms,rate=%s" % (
            round(start * 1000), round(d * 1000),
            rng.choice(["0.001", "0.003", "0.01"])))
    return "; ".join(entries)


def cmd_realdamage(args, Gst, score):
    global DETECT_PROPS
    DETECT_PROPS = args.detect_props or ""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        print("SKIP realdamage: ffmpeg is not installed (PSNR)")
        return 0
    for e in ("avqualitydetect", "defectsink", "avdefectinject"):
        if Gst.ElementFactory.find(e) is None:
            sys.exit("%s is not registered: pass --plugin-path" % e)
    codecs = args.codecs.split(",") if args.codecs else list(CODECS)
    sources = args.sources.split(",") if args.sources else DAMAGE_SOURCES
    workdir = args.keep or tempfile.mkdtemp(prefix="avmonitor-realdamage-")
    os.makedirs(workdir, exist_ok=True)
    dur = args.duration
    nbuf = int(dur * FPS)
    t0 = time.monotonic()
    tot = {}                    # codec -> counters
    clean_s = {"damage-twins": 0.0, "clean-only": 0.0}
    clean_fa = []
    misses = []

    def counters(codec):
        return tot.setdefault(codec, {"spans": 0, "spans_found": 0,
                                      "frames": 0, "frames_found": 0,
                                      "dropped": 0, "dropped_found": 0,
                                      "det": 0, "det_right": 0})

    for codec in codecs:
        w, h, enc, parse, dec = CODECS[codec]
        for src in sources:
            s = source(src, w, h, nbuf, 0)
            if s is None:
                print("SKIP %s: no picture found on this machine" % src)
                continue
            desc, controls = s
            base = os.path.join(workdir, "%s-%s" % (codec, src))
            mkv = base + ".mkv"
            err = encode(Gst, ffmpeg, desc, controls, enc, mkv, dur,
                         args.timeout)
            if err:
                print("encode error %s" % err, file=sys.stderr)
                return 2
            dec_head = "filesrc location=\"%s\" ! matroskademux ! %s" % (
                mkv, parse)
            tail = " ! %s ! video/x-raw,format=I420 ! tee name=t " \
                "t. ! queue ! appsink name=frames sync=false " % dec
            twin = Frames(Gst, base + ".twin.gray", w, h)
            rep = base + ".twin.report.jsonl"
            err = run(Gst, dec_head + tail + detect_branch(rep),
                      args.timeout, frames=twin)
            if err:
                print("pipeline error %s" % err, file=sys.stderr)
                return 2
            fa = [x for x in score.load_spans(rep, dur)
                  if x.kind in ("block-corruption", "frame-gap")]
            clean_s["damage-twins"] += len(twin.index) / FPS
            for x in fa:
                clean_fa.append((codec, src, "twin", x.kind, x.start, x.end))
            for seed in range(args.seeds):
                rng = random.Random("realdamage-%s-%s-%d" % (codec, src,
                                                             seed))
                sched = damage_schedule(rng, dur, args.per_case)
                truth = base + ".%d.truth.jsonl" % seed
                rep = base + ".%d.report.jsonl" % seed
                inj = " ! avdefectinject schedule=\"%s\" seed=%d " \
                    "truth-location=\"%s\"" % (sched, seed, truth)
                dmg = base + ".%d.dmg.gray" % seed
                fr = Frames(Gst, dmg, w, h)
                err = run(Gst, dec_head + inj + tail + detect_branch(rep),
                          args.timeout, frames=fr)
                if err:
                    print("pipeline error %s" % err, file=sys.stderr)
                    return 2
                bad = damaged_frames(ffmpeg, base + ".twin.gray",
                                     twin.index, dmg, fr.index, w, h,
                                     workdir)
                if args.keep:
                    # frame index of every damaged frame, for tuning with
                    # blocks-replay on the kept *.dmg.gray
                    with open(base + ".%d.damaged.json" % seed, "w") as f:
                        json.dump({"width": w, "height": h, "fps": FPS,
                                   "decoded": fr.index, "damaged":
                                   {str(i): p for i, p in bad.items()}}, f)
                elif os.path.exists(dmg):
                    os.unlink(dmg)
                spans = score.load_spans(rep, dur)
                bc = [x for x in spans if x.kind == "block-corruption"]
                fg = [x for x in spans if x.kind == "frame-gap"]
                c = counters(codec)
                nf = nff = 0
                for i, p in bad.items():
                    t = i / FPS
                    hit = covered(t, bc) or (p is None and covered(t, fg))
                    c["frames"] += 1
                    c["frames_found"] += hit
                    nf += 1
                    nff += hit
                    if p is None:
                        c["dropped"] += 1
                        c["dropped_found"] += hit
                rr = runs(bad)
                nrun = 0
                for r in rr:
                    c["spans"] += 1
                    ok = any(covered(i / FPS, bc) or
                             (bad[i] is None and covered(i / FPS, fg))
                             for i in r)
                    c["spans_found"] += ok
                    nrun += ok
                    if not ok:
                        misses.append("%s %s seed %d: frames %d-%d (%.2f-"
                                      "%.2f s) min PSNR %s" % (
                                          codec, src, seed, r[0], r[-1],
                                          r[0] / FPS, (r[-1] + 1) / FPS,
                                          min((bad[i] or 0.0) for i in r)))
                for x in bc:
                    c["det"] += 1
                    right = any(x.start - 0.5 / FPS <= i / FPS <= x.end
                                for i in bad)
                    c["det_right"] += right
                print("%-9s %-13s seed %d: damaged frames %3d found %3d, "
                      "spans %d found %d, detections %d" % (
                          codec, src, seed, nf, nff, len(rr), nrun, len(bc)),
                      flush=True)
            for p in (base + ".twin.gray", mkv):
                if not args.keep and os.path.exists(p):
                    os.unlink(p)

    # clean-only clips of more varied content
    clean_codecs = args.clean_codecs.split(",")
    k = 0
    while clean_s["damage-twins"] + clean_s["clean-only"] < \
            args.clean_minutes * 60.0 - 1e-6:
        codec = clean_codecs[k % len(clean_codecs)]
        src = DAMAGE_SOURCES[(k // len(clean_codecs)) % len(DAMAGE_SOURCES)]
        seed = 1 + k
        k += 1
        w, h, enc, _, dec = CLEAN_CODECS[codec]
        s = source(src, w, h, nbuf, seed)
        if s is None:
            continue
        desc, controls = s
        rep = os.path.join(workdir, "clean-%03d-%s-%s.jsonl" % (k, codec,
                                                                src))
        frames = None
        if args.keep and getattr(args, "keep_clean", False):
            # the decode's luma for replay.py, beside the detector
            frames = Frames(Gst, rep[:-len(".jsonl")] + ".gray", w, h)
        if enc.startswith("ffmpeg"):
            mkv = rep + ".mkv"
            err = encode(Gst, ffmpeg, desc, controls, enc, mkv, dur,
                         args.timeout)
            d = "filesrc location=\"%s\" ! matroskademux ! %s ! %s ! " \
                "%s" % (mkv, CODECS[codec][3], dec, clean_tail(rep, frames))
            err = err or run(Gst, d, args.timeout, frames=frames)
            if os.path.exists(mkv):
                os.unlink(mkv)
        else:
            d = _chain(desc, "videoconvert ! video/x-raw,format=I420 ! %s ! "
                       "%s ! %s" % (enc, dec, clean_tail(rep, frames)))
            err = run(Gst, d, args.timeout, frames=frames, controls=controls,
                      duration=dur)
        if err:
            print("pipeline error %s\n  %s" % (err, d), file=sys.stderr)
            return 2
        spans = score.load_spans(rep, dur)
        fa = [x for x in spans if x.kind in ("block-corruption",
                                             "frame-gap")]
        clean_s["clean-only"] += dur
        for x in fa:
            clean_fa.append((codec, src, "clean-%d" % seed, x.kind, x.start,
                             x.end))
        if frames is not None:
            with open(rep[:-len(".jsonl")] + ".clean.json", "w") as f:
                json.dump({"width": w, "height": h, "fps": FPS}, f)
        print("clean %-11s %-13s seed %2d: %d false alarms" % (
            codec, src, seed, len(fa)), flush=True)

    print()
    print("codec     damaged spans found   damaged frames inside spans   "
          "dropped found   detections right")
    res = {}
    allc = {}
    for codec, c in tot.items():
        for kk, v in c.items():
            allc[kk] = allc.get(kk, 0) + v
    for codec, c in list(tot.items()) + [("all", allc)]:
        if not c:
            continue
        fr = c["frames_found"] / c["frames"] if c["frames"] else None
        print("%-9s %5d / %-5d %5s    %5d / %-5d %6s             %3d / %-3d"
              "       %d / %d" % (
                  codec, c["spans_found"], c["spans"],
                  _pct(c["spans_found"], c["spans"]), c["frames_found"],
                  c["frames"], _pct(c["frames_found"], c["frames"]),
                  c["dropped_found"], c["dropped"], c["det_right"],
                  c["det"]))
        res[codec] = dict(c, frame_share=fr)
    minutes = (clean_s["damage-twins"] + clean_s["clean-only"]) / 60.0
    print("clean encodes checked: %.1f min (%.1f twins of the damaged clips, "
          "%.1f clean-only), block-corruption/frame-gap false alarms: %d" % (
              minutes, clean_s["damage-twins"] / 60.0,
              clean_s["clean-only"] / 60.0, len(clean_fa)))
    for x in clean_fa:
        print("  FALSE ALARM %s %s %s: %s %.2f-%.2f s" % x)
    for m in misses:
        print("  MISSED %s" % m)
    failures = []
    if allc.get("spans") and allc["spans_found"] < allc["spans"]:
        failures.append("damaged spans missed: %d" % (allc["spans"] -
                                                      allc["spans_found"]))
    if allc.get("frames") and allc["frames_found"] < 0.95 * allc["frames"]:
        failures.append("damaged frames inside spans %.3f < 0.95" % (
            allc["frames_found"] / allc["frames"]))
    if clean_fa:
        failures.append("false alarms on clean encodes: %d" % len(clean_fa))
    if minutes < args.clean_minutes - 1e-6:
        failures.append("clean minutes %.1f < %.1f" % (minutes,
                                                       args.clean_minutes))
    for f in failures:
        print("BELOW TARGET: " + f)
    print("ACCURACY " + json.dumps({
        "mode": "realdamage", "ok": not failures, "failures": failures,
        "codecs": res, "clean_minutes": round(minutes, 2),
        "clean_false_alarms": len(clean_fa),
        "seconds": round(time.monotonic() - t0, 1)}, sort_keys=True))
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


def encode(Gst, ffmpeg, desc, controls, enc, mkv, duration, timeout):
    """Encodes source `desc` into Matroska `mkv` with a GStreamer encoder
    chain, or with the ffmpeg command (`enc` starting with "ffmpeg") from
    a temporary Y4M file. Returns None or an error string."""
    if not enc.startswith("ffmpeg"):
        # the first branch of desc is the one the encoder chain extends
        d = _chain(desc, "videoconvert ! video/x-raw,format=I420 ! %s ! "
                   "matroskamux ! filesink location=\"%s\"" % (enc, mkv))
        return run(Gst, d, timeout, controls=controls, duration=duration)
    y4m = mkv + ".y4m"
    d = _chain(desc, "videoconvert ! video/x-raw,format=I420 ! y4menc ! "
               "filesink location=\"%s\"" % y4m)
    err = run(Gst, d, timeout, controls=controls, duration=duration)
    if not err:
        p = subprocess.run([ffmpeg, "-hide_banner", "-nostats", "-loglevel",
                            "error", "-y", "-threads", "1", "-i", y4m] +
                           enc.split()[1:] + ["-threads", "1", mkv],
                           capture_output=True, text=True)
        if p.returncode != 0:
            err = "ffmpeg: " + p.stderr.strip()
    if os.path.exists(y4m):
        os.unlink(y4m)
    return err


def _pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "-"


def _chain(desc, rest):
    """Appends `rest` to the first branch of a source description (the
    branches after it stay where they are)."""
    if desc.startswith("compositor"):
        # extra branches of compositor sources start after the first one
        cut = [i for i in (desc.find(" videotestsrc"), desc.find(" filesrc"))
               if i > 0]
        if cut:
            i = min(cut)
            return desc[:i] + " ! " + rest + desc[i:]
    return desc + " ! " + rest
