#!/usr/bin/env python3
# gst-avmonitor
# Copyright (C) 2026 the gst-avmonitor authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The avmonitor command and the embedding examples, run as a user runs
them: as subprocesses, on media generated here (no network, no display)."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

Gst.init(None)

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
AVMONITOR = os.path.join(SOURCE_ROOT, "pipelines", "avmonitor")
INGEST_PY = os.path.join(SOURCE_ROOT, "pipelines", "examples", "ingest.py")
TIMEOUT = 60


def build_dir():
    """The build the test runs against: meson puts <build>/gst/elements
    first on GST_PLUGIN_PATH_1_0."""
    first = os.environ.get("GST_PLUGIN_PATH_1_0", "").split(os.pathsep)[0]
    if not first:
        return None
    return os.path.dirname(os.path.dirname(os.path.normpath(first)))


def env():
    e = dict(os.environ)
    # the environment is the build's already: never switch to another
    e["AVMONITOR_UNINSTALLED"] = "1"
    e.pop("AVMONITOR_BUILD", None)
    e["NO_COLOR"] = "1"
    return e


def run(args, **kw):
    """avmonitor with this interpreter (the one with python3-gi)."""
    return subprocess.run([sys.executable, AVMONITOR] + args, env=env(),
                          capture_output=True, text=True, timeout=TIMEOUT,
                          **kw)


def make_media(path, seconds, schedule=None):
    """Raw video and audio in Matroska (gst-plugins-good only): a moving
    pattern and a tone, with defects injected by avdefectinject."""
    inject = ('avdefectinject schedule="%s" ! ' % schedule) if schedule \
        else ""
    pipeline = Gst.parse_launch(
        "videotestsrc num-buffers=%d pattern=smpte horizontal-speed=4 ! "
        "video/x-raw,format=I420,width=320,height=180,framerate=25/1 ! %s"
        "queue ! matroskamux name=m ! filesink location=\"%s\" "
        "audiotestsrc num-buffers=%d samplesperbuffer=960 volume=0.1 ! "
        "audio/x-raw,format=S16LE,rate=48000,channels=2 ! queue ! m."
        % (seconds * 25, inject, path, seconds * 50))
    pipeline.set_state(Gst.State.PLAYING)
    msg = pipeline.get_bus().timed_pop_filtered(
        30 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    assert msg is not None and msg.type == Gst.MessageType.EOS, \
        "cannot generate %s" % path


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class AvmonitorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.media = tempfile.mkdtemp(prefix="avmonitor-media-")
        cls.clean = os.path.join(cls.media, "clean.mkv")
        cls.bad = os.path.join(cls.media, "bad.mkv")
        cls.short_black = os.path.join(cls.media, "short-black.mkv")
        make_media(cls.clean, 6)
        make_media(cls.bad, 6, "black@1s+2.5s")
        make_media(cls.short_black, 5, "black@1s+1.5s")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.media, ignore_errors=True)

    def setUp(self):
        self.out = tempfile.mkdtemp(prefix="avmonitor-out-")
        self.addCleanup(shutil.rmtree, self.out, True)

    def assertComplete(self, name, kinds=None):
        """One complete report per input: lines, summary, metrics."""
        lines = read_lines(os.path.join(self.out, name + ".defects.jsonl"))
        summary = read_json(os.path.join(self.out, name + ".summary.json"))
        self.assertEqual(summary["input"], name)
        self.assertTrue(summary["complete"], summary)
        self.assertEqual(summary["open"], 0)
        with open(os.path.join(self.out, name + ".prom")) as f:
            self.assertIn('input="%s"' % name, f.read())
        if kinds is not None:
            self.assertEqual(set(summary["kinds"]), set(kinds), summary)
        return lines, summary

    # usage ---------------------------------------------------------------

    def test_argument_errors(self):
        """Bad command lines exit 2 with a message saying what is wrong."""
        cases = [
            ([], "no INPUT"),
            (["--bogus", self.clean], "unrecognized arguments"),
            (["--set", "no-such-setting=1", self.clean], "no-such-setting"),
            (["--set", "freeze-duration=soon", self.clean], "freeze-duration"),
            (["--set", "freeze-enabled=maybe", self.clean], "freeze-enabled"),
            (["--set", "location=x", self.clean], "location"),
            (["--fast", self.clean], "--fast"),
            (["--demo", self.clean], "--demo"),
            (["--duration", "-1", self.clean], "--duration"),
            (["--config", os.path.join(self.out, "none.ini"), self.clean],
             "none.ini"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = run(["--out", self.out] + args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(message, r.stderr)

    def test_unreachable_input(self):
        """A missing file fails before anything runs, naming it; a file that
        is not media fails naming it too. Both exit 2."""
        missing = os.path.join(self.media, "missing.ts")
        r = run(["--out", self.out, self.clean, missing])
        self.assertEqual(r.returncode, 2)
        self.assertIn(missing, r.stderr)
        self.assertIn("no such file", r.stderr)

        text = os.path.join(self.out, "notes.txt")
        with open(text, "w") as f:
            f.write("not a media file\n")
        r = run(["--out", self.out, text])
        self.assertEqual(r.returncode, 2)
        self.assertIn("notes", r.stderr)
        self.assertIn("notes.txt", r.stderr)

    # runs ----------------------------------------------------------------

    def test_two_inputs(self):
        """Two files in one process: one complete report each; exit 1 for
        the error-severity black, 0 on clean media alone."""
        r = run(["--out", self.out, self.bad, self.clean])
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        lines, summary = self.assertComplete("bad", ["black"])
        self.assertEqual([(l["kind"], l["event"]) for l in lines],
                         [("black", "start"), ("black", "end")])
        self.assertAlmostEqual(lines[0]["start"], 1.0, delta=0.05)
        self.assertEqual(summary["errors"], 1)
        self.assertComplete("clean", [])
        self.assertIn("black", r.stdout)
        self.assertRegex(r.stdout, r"bad\s+black\s+1\s+1\s+2\.5")
        self.assertRegex(r.stdout, r"clean\s+\(no defects\)")

        r = run(["--out", self.out, self.clean])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertComplete("clean", [])

    def test_same_names_stay_apart(self):
        """Inputs with the same file name get distinct report names."""
        other = os.path.join(self.out, "sub")
        os.mkdir(other)
        copy = os.path.join(other, "clean.mkv")
        shutil.copy(self.clean, copy)
        r = run(["--out", self.out, "--quiet", self.clean, copy])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertComplete("clean")
        self.assertComplete("clean-2")

    def test_json_output(self):
        """--json prints the report's lines, with the input's name."""
        r = run(["--out", self.out, "--json", self.bad])
        self.assertEqual(r.returncode, 1, r.stderr)
        docs = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        self.assertEqual([(d["input"], d["kind"], d["event"]) for d in docs],
                         [("bad", "black", "start"), ("bad", "black", "end")])
        self.assertIsNotNone(docs[1]["utc_end"])

    def test_set_changes_what_is_found(self):
        """A 1.5 s black is below the default 2 s; --set black-duration=1s
        finds it."""
        r = run(["--out", self.out, self.short_black])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertComplete("short-black", [])
        r = run(["--out", self.out, "--set", "black-duration=1s",
                 self.short_black])
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertComplete("short-black", ["black"])
        r = run(["--out", self.out, "--set", "black-enabled=false", self.bad])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_config_file(self):
        """Settings and named inputs from an INI file, and the same in
        JSON; the command line wins."""
        ini = os.path.join(self.out, "channels.ini")
        with open(ini, "w") as f:
            f.write("[options]\nquiet = true\n\n[set]\nblack-duration = 1s\n\n"
                    "[input studio-a]\nuri = %s\n\n"
                    "[input studio-b]\nuri = %s\nblack-enabled = false\n"
                    % (self.short_black, self.bad))
        r = run(["--out", self.out, "--config", ini])
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertComplete("studio-a", ["black"])
        self.assertComplete("studio-b", [])

        js = os.path.join(self.out, "channels.json")
        with open(js, "w") as f:
            json.dump({"set": {"black-duration": "1s"},
                       "inputs": [{"name": "studio-c",
                                   "uri": self.short_black}]}, f)
        r = run(["--out", self.out, "--config", js,
                 "--set", "black-enabled=false"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertComplete("studio-c", [])

    def test_duration_cuts_media(self):
        """--duration stops a file after that much media, with a complete
        report: the black starting at 1 s is cut by the end."""
        r = run(["--out", self.out, "--duration", "1.5",
                 "--set", "black-duration=200ms", self.bad])
        self.assertEqual(r.returncode, 1, r.stderr)
        lines, summary = self.assertComplete("bad", ["black"])
        self.assertTrue(lines[-1]["truncated"])
        self.assertLess(summary["analysed_duration"], 2.5)

    def test_sigint_leaves_complete_reports(self):
        """Ctrl-C in the middle: every input ends with EOS, the reports are
        complete and valid JSON."""
        p = subprocess.Popen(
            [sys.executable, AVMONITOR, "--out", self.out,
             "--set", "sync=true", self.bad, self.clean],
            env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        # in real time (sync=true): interrupt once the black (1 s to 3.5 s,
        # reported at 3 s) has started, well before the end at 6 s
        report = os.path.join(self.out, "bad.defects.jsonl")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if os.path.exists(report) and os.path.getsize(report) > 0:
                break
            time.sleep(0.05)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=TIMEOUT)
        self.assertEqual(p.returncode, 1, out + err)
        self.assertIn("SIGINT", err)
        lines, summary = self.assertComplete("bad", ["black"])
        self.assertLess(summary["analysed_duration"], 5.5)
        self.assertEqual(lines[-1]["event"], "end")
        _, summary = self.assertComplete("clean", [])
        self.assertLess(summary["analysed_duration"], 5.5)

    def test_demo_fast(self):
        """The demo's first defects, as fast as possible."""
        r = run(["--out", self.out, "--demo", "--fast", "--duration", "10"])
        self.assertIn(r.returncode, (0, 1), r.stderr)
        self.assertRegex(r.stdout, r"audio0\s+silence\s+START")
        self.assertRegex(r.stdout, r"video0\s+black\s+START")
        self.assertRegex(r.stdout, r"inject")
        lines, _ = self.assertComplete("demo")
        self.assertIn("silence", {l["kind"] for l in lines})

    def test_live_input_outage(self):
        """A live input that cannot open (bind to an address this host does
        not have) is retried with back-off; the outage is a stall written
        into its report by avmonitor, ended (truncated) at the stop."""
        r = run(["--out", self.out, "--duration", "3",
                 "udp://192.0.2.1:5004"])
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("reconnecting in 1 s", r.stderr)
        self.assertIn("reconnecting in 2 s", r.stderr)
        lines = read_lines(os.path.join(self.out,
                                        "192.0.2.1-5004.defects.jsonl"))
        own = [l for l in lines if l["source"] == "avmonitor"]
        self.assertEqual([(l["kind"], l["event"]) for l in own],
                         [("stall", "start"), ("stall", "end")])
        self.assertTrue(own[1]["truncated"])
        self.assertGreater(own[1]["duration"], 2.0)
        self.assertIsNotNone(own[1]["utc_start"])

    # examples ------------------------------------------------------------

    def test_c_example(self):
        """pipelines/examples/ingest.c, built by meson, finds its defects."""
        exe = os.path.join(build_dir() or "", "pipelines", "ingest")
        self.assertTrue(os.path.exists(exe), "not built: %s" % exe)
        r = subprocess.run([exe], env=env(), capture_output=True, text=True,
                           timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"video\s+black\s+start")
        self.assertRegex(r.stdout, r"audio\s+silence\s+start")
        report = os.path.join(self.out, "ingest.jsonl")
        r = subprocess.run([exe, "--report", report, "--expect", "frame-gap",
                            "--schedule", "frame-drop@2s+500ms"], env=env(),
                           capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("frame-gap", {l["kind"] for l in read_lines(report)})
        # an expected defect that is not there fails the run
        r = subprocess.run([exe, "--expect", "clipping"], env=env(),
                           capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 1)
        self.assertIn("clipping", r.stderr)

    def test_python_example(self):
        """pipelines/examples/ingest.py, through GI, finds its defects."""
        r = subprocess.run([sys.executable, INGEST_PY], env=env(),
                           capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"video\s+black\s+start")
        self.assertRegex(r.stdout, r"audio\s+silence\s+start")
        r = subprocess.run([sys.executable, INGEST_PY, "--expect",
                            "clipping"], env=env(), capture_output=True,
                           text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 1)


if __name__ == "__main__":
    unittest.main()
