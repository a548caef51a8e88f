#!/usr/bin/env python3
# gst-avmonitor
# Copyright (C) 2026 the gst-avmonitor authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library and defectsink driven through GObject introspection, the way
a Python user writes it (README)."""

import json
import os
import tempfile
import unittest

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstAvMonitor", "1.0")
from gi.repository import Gst, GstAvMonitor  # noqa: E402

Gst.init(None)


def make_defect(event, kind=GstAvMonitor.DefectKind.FREEZE, ident=1):
    d = GstAvMonitor.Defect.new(kind, event, "detector0", ident)
    d.set_stream_type(GstAvMonitor.StreamType.VIDEO)
    d.set_stream_id("stream/0")
    if event == GstAvMonitor.DefectEvent.START:
        d.set_times(Gst.SECOND, Gst.SECOND, Gst.SECOND)
    else:
        d.set_times(3 * Gst.SECOND, 3 * Gst.SECOND, 3 * Gst.SECOND)
        d.set_start_times(Gst.SECOND, Gst.SECOND, Gst.SECOND)
        d.set_duration(2 * Gst.SECOND)
    d.set_measure(0.0004, 0.001, "ratio")
    details = Gst.Structure.new_empty("details")
    details.set_value("partial", True)
    d.set_details(details)
    return d


class DefectRecordTest(unittest.TestCase):
    def test_fields_from_the_bus(self):
        """A defect posted from an element in a pipeline comes back from the
        bus with every field of the contract."""
        pipeline = Gst.parse_launch("fakesrc num-buffers=1 ! fakesink")
        src = pipeline.get_by_name("fakesrc0")
        bus = pipeline.get_bus()
        self.assertTrue(make_defect(GstAvMonitor.DefectEvent.END).post(src))
        msg = bus.timed_pop_filtered(Gst.SECOND, Gst.MessageType.ELEMENT)
        self.assertIsNotNone(msg)
        s = msg.get_structure()
        self.assertEqual(s.get_name(), "avmonitor-defect")
        self.assertEqual(s.get_string("kind"), "freeze")
        self.assertEqual(s.get_string("event"), "end")
        self.assertEqual(s.get_string("source"), "detector0")
        self.assertEqual(s.get_value("id"), 1)
        self.assertEqual(s.get_string("stream-type"), "video")
        self.assertEqual(s.get_string("stream-id"), "stream/0")
        self.assertEqual(s.get_value("stream-time"), 3 * Gst.SECOND)
        self.assertEqual(s.get_value("start-stream-time"), Gst.SECOND)
        self.assertEqual(s.get_value("duration"), 2 * Gst.SECOND)
        self.assertEqual(s.get_string("severity"), "error")
        self.assertAlmostEqual(s.get_value("value"), 0.0004)
        self.assertEqual(s.get_string("unit"), "ratio")
        self.assertFalse(s.get_value("truncated"))
        self.assertTrue(s.get_value("details").get_value("partial"))

        d = GstAvMonitor.Defect.new_from_message(msg)
        self.assertEqual(d.get_kind(), GstAvMonitor.DefectKind.FREEZE)
        self.assertEqual(d.get_duration(), 2 * Gst.SECOND)
        pipeline.set_state(Gst.State.NULL)

    def test_structure_from_python_ints(self):
        """Structures built in Python carry gint: the parser takes them."""
        s = Gst.Structure.new_empty("avmonitor-defect")
        s.set_value("kind", "black")
        s.set_value("event", "start")
        s.set_value("source", "py")
        s.set_value("id", 5)
        s.set_value("stream-time", 2000)
        d = GstAvMonitor.Defect.new_from_structure(s)
        self.assertIsNotNone(d)
        self.assertEqual(d.get_id(), 5)
        self.assertEqual(d.get_stream_time(), 2000)
        self.assertEqual(d.get_kind_nick(), "black")

    def test_parse_returns_none(self):
        """Messages and events that are not defects parse to None (the
        new_from_* constructors would raise in Python)."""
        self.assertIsNone(GstAvMonitor.Defect.parse_message(
            Gst.Message.new_eos(None)))
        self.assertIsNone(GstAvMonitor.Defect.parse_event(
            Gst.Event.new_eos()))
        d = make_defect(GstAvMonitor.DefectEvent.START)
        back = GstAvMonitor.Defect.parse_event(d.new_event())
        self.assertEqual(back.get_kind(), GstAvMonitor.DefectKind.FREEZE)

    def test_unknown_kind(self):
        s = Gst.Structure.new_from_string(
            "avmonitor-defect, kind=future-kind, event=start, id=(int)1")
        d = GstAvMonitor.Defect.new_from_structure(s)
        self.assertEqual(d.get_kind(), GstAvMonitor.DefectKind.UNKNOWN)
        self.assertEqual(d.get_kind_nick(), "future-kind")

    def test_json(self):
        line = json.loads(make_defect(GstAvMonitor.DefectEvent.END).to_json(
            None, None))
        self.assertEqual(line["kind"], "freeze")
        self.assertEqual(line["start"], 1.0)
        self.assertEqual(line["end"], 3.0)
        self.assertEqual(line["duration"], 2.0)
        self.assertIsNone(line["utc_start"])
        self.assertEqual(line["details"], {"partial": True})


class DefectSinkTest(unittest.TestCase):
    def test_report_through_pipeline(self):
        """Defect events pushed in-band reach defectsink, which writes them
        and posts a summary before EOS."""
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, "r.jsonl")
            summary = os.path.join(tmp, "s.json")
            pipeline = Gst.parse_launch(
                "videotestsrc name=src num-buffers=10 ! video/x-raw,"
                "framerate=10/1 ! defectsink name=sink location=%s "
                "summary-location=%s" % (report, summary))
            src = pipeline.get_by_name("src")
            pipeline.set_state(Gst.State.PAUSED)
            pipeline.get_state(Gst.CLOCK_TIME_NONE)
            for ev in (GstAvMonitor.DefectEvent.START,
                       GstAvMonitor.DefectEvent.END):
                self.assertTrue(src.send_event(make_defect(ev).new_event()))
            pipeline.set_state(Gst.State.PLAYING)
            bus = pipeline.get_bus()
            got_summary = None
            while True:
                msg = bus.timed_pop_filtered(
                    10 * Gst.SECOND, Gst.MessageType.EOS
                    | Gst.MessageType.ERROR | Gst.MessageType.ELEMENT)
                self.assertIsNotNone(msg, "timed out")
                self.assertNotEqual(msg.type, Gst.MessageType.ERROR)
                if msg.type == Gst.MessageType.EOS:
                    break
                if msg.get_structure().get_name() == "avmonitor-summary":
                    got_summary = msg.get_structure()
            pipeline.set_state(Gst.State.NULL)

            self.assertIsNotNone(got_summary)
            self.assertEqual(got_summary.get_value("defects"), 1)
            doc = json.loads(got_summary.get_string("json"))
            self.assertEqual(doc["kinds"]["freeze"]["seconds"], 2.0)
            with open(report) as f:
                lines = [json.loads(x) for x in f]
            self.assertEqual([x["event"] for x in lines], ["start", "end"])
            self.assertEqual(lines[1]["duration"], 2.0)
            with open(summary) as f:
                self.assertEqual(json.load(f)["defects"], 1)


class StatsTest(unittest.TestCase):
    def test_audio_stats_arrays(self):
        """Per-channel rms/peak are GST_TYPE_ARRAY: readable from Python
        (with the python3-gst-1.0 overrides)."""
        pipeline = Gst.parse_launch(
            "audiotestsrc num-buffers=60 samplesperbuffer=1600 volume=0.5 ! "
            "audio/x-raw,format=F32LE,rate=48000,channels=2 ! "
            "avqualitydetect interval=500000000 ! fakesink")
        bus = pipeline.get_bus()
        pipeline.set_state(Gst.State.PLAYING)
        stats = []
        while True:
            msg = bus.timed_pop_filtered(
                10 * Gst.SECOND, Gst.MessageType.EOS
                | Gst.MessageType.ERROR | Gst.MessageType.ELEMENT)
            self.assertIsNotNone(msg, "timed out")
            self.assertNotEqual(msg.type, Gst.MessageType.ERROR)
            if msg.type == Gst.MessageType.EOS:
                break
            s = msg.get_structure()
            if s.get_name() == "avmonitor-stats":
                stats.append(s)
        pipeline.set_state(Gst.State.NULL)
        self.assertGreaterEqual(len(stats), 4)
        rms = stats[1].get_value("rms")
        peak = stats[1].get_value("peak")
        self.assertEqual(len(rms), 2)
        # a 0.5 sine: peak -6 dBFS, rms -9 dBFS
        self.assertAlmostEqual(peak[0], -6.02, delta=0.1)
        self.assertAlmostEqual(rms[1], -9.03, delta=0.1)
        self.assertAlmostEqual(stats[-1].get_value("true-peak"), -6.02,
                               delta=0.2)


class SyncMeterTest(unittest.TestCase):
    def test_offset_from_python(self):
        """avsyncmeter driven from Python: measurements with the BT.1359
        sign, and an av-sync defect read back with parse_message."""
        # synchronised sinks (3 s of media): unsynchronised, the video
        # branch can reach EOS before the audio's offset persists, and an
        # av-sync span cannot start after the video's EOS
        pipeline = Gst.parse_launch(
            "avsyncmeter name=m mode=timestamps persistence=1 "
            "videotestsrc num-buffers=75 ! video/x-raw,format=I420,"
            "width=160,height=96,framerate=25/1 ! queue ! m.video_sink "
            "audiotestsrc num-buffers=150 samplesperbuffer=960 ! "
            "audio/x-raw,format=S16LE,rate=48000,channels=2 ! "
            "avdefectinject schedule=av-offset@1s+0s,offset=-250ms ! "
            "queue ! m.audio_sink "
            "m.video_src ! fakesink sync=true "
            "m.audio_src ! fakesink sync=true")
        bus = pipeline.get_bus()
        pipeline.set_state(Gst.State.PLAYING)
        offsets, defects = [], []
        while True:
            msg = bus.timed_pop_filtered(
                20 * Gst.SECOND, Gst.MessageType.EOS
                | Gst.MessageType.ERROR | Gst.MessageType.ELEMENT)
            self.assertIsNotNone(msg, "timed out")
            self.assertNotEqual(msg.type, Gst.MessageType.ERROR)
            if msg.type == Gst.MessageType.EOS:
                break
            s = msg.get_structure()
            if s.get_name() == "avmonitor-sync" and s.get_value("valid"):
                offsets.append(s.get_value("offset-ms"))
            d = GstAvMonitor.Defect.parse_message(msg)
            if d and d.get_kind() == GstAvMonitor.DefectKind.AV_SYNC:
                defects.append(d)
        pipeline.set_state(Gst.State.NULL)
        # audio 250 ms late: negative offset
        self.assertAlmostEqual(offsets[-1], -250.0, delta=1.0)
        self.assertTrue(defects)
        self.assertEqual(defects[0].get_stream_type(),
                         GstAvMonitor.StreamType.AV)
        self.assertEqual(defects[0].get_severity(),
                         GstAvMonitor.Severity.ERROR)


class LoudnessSummaryTest(unittest.TestCase):
    def test_summary_has_programme_loudness(self):
        """avqualitydetect's audio measurements reach defectsink in-band:
        integrated loudness and range are in the summary."""
        with tempfile.TemporaryDirectory() as tmp:
            summary = os.path.join(tmp, "s.json")
            pipeline = Gst.parse_launch(
                "audiotestsrc num-buffers=250 samplesperbuffer=960 "
                "volume=0.5 ! audio/x-raw,format=F32LE,rate=48000,"
                "channels=2 ! avqualitydetect ! defectsink "
                "summary-location=%s" % summary)
            bus = pipeline.get_bus()
            pipeline.set_state(Gst.State.PLAYING)
            msg = bus.timed_pop_filtered(10 * Gst.SECOND,
                                         Gst.MessageType.EOS
                                         | Gst.MessageType.ERROR)
            self.assertEqual(msg.type, Gst.MessageType.EOS)
            pipeline.set_state(Gst.State.NULL)
            with open(summary) as f:
                pad = json.load(f)["pads"][0]
            # audiotestsrc's 440 Hz sine at 0.5 on two channels, where
            # K-weighting is about 0 dB: -0.691 + 10 log10 (2 x 0.125)
            self.assertAlmostEqual(pad["integrated_loudness"], -6.71,
                                   delta=0.1)
            self.assertAlmostEqual(pad["loudness_range"], 0.0, delta=0.5)
            self.assertAlmostEqual(pad["true_peak_max"], -6.02, delta=0.2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
