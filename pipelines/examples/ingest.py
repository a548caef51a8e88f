#!/usr/bin/env python3
# gst-avmonitor
# Copyright (C) 2026 the gst-avmonitor authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""ingest.py: how a Python application embeds gst-avmonitor, through GI.

The same as ingest.c: a test pattern and a tone (standing in for a capture
or network source), avdefectinject putting known defects in, one
avqualitydetect per stream in front of the application's own branches
(fakesink here, or defectsink with --report), and the defects read from the
bus with GstAvMonitor.Defect.new_from_message().

Exit status: 0 when every expected kind was reported, 1 when one was not,
2 on a pipeline error.

    ./ingest.py                                  # expects black and silence
    ./ingest.py --expect frame-gap --schedule "frame-drop@2s+500ms"
    ./ingest.py --report report.jsonl
"""

import argparse
import math
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstAvMonitor", "1.0")
from gi.repository import GLib, Gst, GstAvMonitor  # noqa: E402


def describe(d):
    start = d.get_event() == GstAvMonitor.DefectEvent.START
    line = "%-8s %-16s %-5s at %.3f s %-7s" % (
        d.get_source(), d.get_kind_nick(), "start" if start else "end",
        d.get_stream_time() / Gst.SECOND,
        GstAvMonitor.severity_to_string(d.get_severity()))
    # NaN: the detector had no measure to give
    if not math.isnan(d.get_value()):
        line += " value %g %s" % (d.get_value(), d.get_unit() or "")
    if not start and d.get_duration() != Gst.CLOCK_TIME_NONE:
        line += " lasted %.3f s" % (d.get_duration() / Gst.SECOND)
    return line


def build(args):
    if args.report:
        sinks = 'defectsink name=report location="%s"' % args.report
        vout = aout = "report."
    else:
        sinks = "fakesink name=vout sync=false fakesink name=aout sync=false"
        vout, aout = "vout.", "aout."
    live = "true" if args.live else "false"
    # the detectors are pass-through: they sit in front of whatever the
    # application does with the media without changing it
    return Gst.parse_launch(
        "videotestsrc is-live=%s num-buffers=%d pattern=smpte "
        "horizontal-speed=4 ! "
        "video/x-raw,format=I420,width=320,height=180,framerate=25/1 ! "
        'avdefectinject schedule="%s" ! queue ! avqualitydetect name=video ! '
        "%s "
        "audiotestsrc is-live=%s num-buffers=%d samplesperbuffer=960 "
        "volume=0.1 ! audio/x-raw,format=S16LE,rate=48000,channels=2 ! "
        'avdefectinject schedule="%s" ! queue ! avqualitydetect name=audio ! '
        "%s %s" % (live, args.seconds * 25, args.schedule, vout,
                   live, args.seconds * 50, args.schedule, aout, sinks))


def main():
    parser = argparse.ArgumentParser(
        description="gst-avmonitor ingest example (Python, GI)")
    parser.add_argument("--expect", action="append", metavar="KIND",
                        help="defect kind that must be reported (repeatable;"
                        " default black and silence)")
    parser.add_argument("--schedule", default="black@2s+3s; silence@2s+3s",
                        help="avdefectinject schedule for both streams")
    parser.add_argument("--seconds", type=int, default=8,
                        help="length of the stream (default 8)")
    parser.add_argument("--report", metavar="FILE",
                        help="write a JSON Lines report through defectsink")
    parser.add_argument("--live", action="store_true",
                        help="run in real time, like a capture")
    args = parser.parse_args()
    expected = args.expect or ["black", "silence"]

    Gst.init(None)
    try:
        pipeline = build(args)
    except GLib.Error as e:
        # a missing element here is a missing or uninstalled plugin
        print("cannot build the pipeline: %s" % e.message, file=sys.stderr)
        return 2

    loop = GLib.MainLoop()
    seen = {}
    status = [0]

    def on_message(bus, msg):
        if msg.type == Gst.MessageType.ELEMENT:
            # other element messages: stats, the injector's own records,
            # other plugins' messages. (Check first: through GI,
            # new_from_message() raises on a message that is not a defect.)
            s = msg.get_structure()
            if s is not None and GstAvMonitor.structure_is_defect(s):
                d = GstAvMonitor.Defect.new_from_message(msg)
                print(describe(d), flush=True)
                if d.get_event() == GstAvMonitor.DefectEvent.START:
                    kind = d.get_kind_nick()
                    seen[kind] = seen.get(kind, 0) + 1
        elif msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            print("error from %s: %s\n%s" % (msg.src.get_name(), err.message,
                                             debug or ""), file=sys.stderr)
            status[0] = 2
            loop.quit()
        elif msg.type == Gst.MessageType.EOS:
            loop.quit()
        return True

    def on_sigint():
        # EOS, so the detectors close their open spans: a complete report
        pipeline.send_event(Gst.Event.new_eos())
        return True

    bus = pipeline.get_bus()
    watch = bus.add_watch(GLib.PRIORITY_DEFAULT, on_message)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGINT, on_sigint)
    if pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
        print("the pipeline does not start", file=sys.stderr)
        status[0] = 2
    else:
        loop.run()
    pipeline.set_state(Gst.State.NULL)
    GLib.source_remove(watch)

    if status[0] == 0:
        missing = [k for k in expected if k not in seen]
        for kind in missing:
            print("expected defect not reported: %s" % kind, file=sys.stderr)
        if missing:
            return 1
        print("every expected defect was reported")
    return status[0]


if __name__ == "__main__":
    sys.exit(main())
