/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <glib/gstdio.h>
#include <string.h>
#include "avmonitor.h"

static gchar *tmpdir;

static void
setup (void)
{
  tmpdir = g_dir_make_tmp ("defectsink-XXXXXX", NULL);
  fail_unless (tmpdir != NULL);
}

static void
remove_dir (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir))) {
    gchar *p = g_build_filename (path, name, NULL);

    g_chmod (p, 0700);
    if (g_file_test (p, G_FILE_TEST_IS_DIR))
      remove_dir (p);
    else
      g_unlink (p);
    g_free (p);
  }
  g_dir_close (dir);
  g_rmdir (path);
}

static void
teardown (void)
{
  remove_dir (tmpdir);
  g_free (tmpdir);
}

static gchar *
tmp_path (const gchar * name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static GstEvent *
defect_event (GstAvMonitorDefectKind kind, GstAvMonitorDefectEvent ev,
    const gchar * source, guint64 id, GstClockTime start, GstClockTime end)
{
  GstAvMonitorDefect *d = gst_av_monitor_defect_new (kind, ev, source, id);
  GstEvent *event;

  gst_av_monitor_defect_set_stream_type (d, GST_AV_MONITOR_STREAM_TYPE_VIDEO);
  if (ev == GST_AV_MONITOR_DEFECT_EVENT_START) {
    gst_av_monitor_defect_set_times (d, start, start, start);
  } else {
    gst_av_monitor_defect_set_times (d, end, end, end);
    gst_av_monitor_defect_set_start_times (d, start, start, start);
    gst_av_monitor_defect_set_duration (d, end - start);
  }
  gst_av_monitor_defect_set_measure (d, 0.5, 0.25, "ratio");
  event = gst_av_monitor_defect_new_event (d);
  gst_av_monitor_defect_free (d);
  return event;
}

static void
push_span_start (GstHarness * h, GstAvMonitorDefectKind kind,
    const gchar * source, guint64 id, GstClockTime start)
{
  fail_unless (gst_harness_push_event (h, defect_event (kind,
              GST_AV_MONITOR_DEFECT_EVENT_START, source, id, start, 0)));
}

static void
push_span_end (GstHarness * h, GstAvMonitorDefectKind kind,
    const gchar * source, guint64 id, GstClockTime start, GstClockTime end)
{
  fail_unless (gst_harness_push_event (h, defect_event (kind,
              GST_AV_MONITOR_DEFECT_EVENT_END, source, id, start, end)));
}

static void
push_buffer_at (GstHarness * h, GstClockTime pts, GstClockTime duration)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 16, NULL);

  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = duration;
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
}

static gchar **
read_lines (const gchar * path)
{
  gchar *contents = NULL;
  gchar **lines;
  gsize len;

  fail_unless (g_file_get_contents (path, &contents, &len, NULL), "%s", path);
  if (len > 0)
    fail_unless (contents[len - 1] == '\n', "partial last line");
  lines = g_strsplit (contents, "\n", -1);
  g_free (contents);
  /* drop the empty string after the last newline */
  if (lines[0] && g_strv_length (lines) > 0) {
    guint n = g_strv_length (lines);

    if (n > 0 && lines[n - 1][0] == '\0') {
      g_free (lines[n - 1]);
      lines[n - 1] = NULL;
    }
  }
  return lines;
}

/* The harness runs on the system clock, so utc_* change run to run: blank
 * them for exact comparisons (test_utc_* check them). */
static gchar *
blank_utc (const gchar * line)
{
  GRegex *re = g_regex_new ("\"(utc_start|utc_end)\":(\"[^\"]*\"|null)", 0, 0,
      NULL);
  gchar *out = g_regex_replace (re, line, -1, 0, "\"\\1\":X", 0, NULL);

  g_regex_unref (re);
  return out;
}

static void
assert_line (const gchar * line, const gchar * expected)
{
  gchar *a = blank_utc (line);
  gchar *b = blank_utc (expected);

  fail_unless_equals_string (a, b);
  g_free (a);
  g_free (b);
}

static GstHarness *
new_sink_harness (GstElement * sink, const gchar * caps)
{
  GstHarness *h = gst_harness_new_with_element (sink, "sink_%u", NULL);

  gst_harness_set_src_caps_str (h, caps);
  return h;
}

static GstElement *
new_sink (const gchar * location)
{
  GstElement *sink = gst_element_factory_make ("defectsink", "dsink");

  fail_unless (sink != NULL);
  g_object_set (sink, "location", location, NULL);
  return sink;
}

/* Events in, exact JSON lines out: start and end, in arrival order. */
GST_START_TEST (test_lines_written)
{
  gchar *path = tmp_path ("r.jsonl");
  GstElement *sink = new_sink (path);
  GstHarness *h = new_sink_harness (sink, "video/x-raw");
  gchar **lines;

  push_buffer_at (h, 0, GST_SECOND);
  push_span_start (h, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "det", 1,
      2 * GST_SECOND);
  lines = read_lines (path);
  /* written when the event arrives, not later */
  fail_unless_equals_int (g_strv_length (lines), 1);
  assert_line (lines[0],
      "{\"kind\":\"freeze\",\"event\":\"start\",\"source\":\"det\",\"id\":1,"
      "\"stream_type\":\"video\",\"stream_id\":\"\",\"start\":2.0,"
      "\"end\":null,\"duration\":null,\"start_running_ns\":2000000000,"
      "\"end_running_ns\":null,\"utc_start\":null,\"utc_end\":null,"
      "\"severity\":\"error\",\"value\":0.5,\"threshold\":0.25,"
      "\"unit\":\"ratio\",\"confidence\":1.0,\"truncated\":false,"
      "\"details\":null}");
  g_strfreev (lines);

  push_span_end (h, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "det", 1,
      2 * GST_SECOND, 4500 * GST_MSECOND);
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 2);
  assert_line (lines[1],
      "{\"kind\":\"freeze\",\"event\":\"end\",\"source\":\"det\",\"id\":1,"
      "\"stream_type\":\"video\",\"stream_id\":\"\",\"start\":2.0,"
      "\"end\":4.5,\"duration\":2.5,\"start_running_ns\":2000000000,"
      "\"end_running_ns\":4500000000,\"utc_start\":null,\"utc_end\":null,"
      "\"severity\":\"error\",\"value\":0.5,\"threshold\":0.25,"
      "\"unit\":\"ratio\",\"confidence\":1.0,\"truncated\":false,"
      "\"details\":null}");
  g_strfreev (lines);

  gst_harness_teardown (h);
  gst_object_unref (sink);
  g_free (path);
}

GST_END_TEST;

/* Events that are not defects, or are malformed, are ignored; media flows
 * and is consumed. */
GST_START_TEST (test_other_events_ignored)
{
  gchar *path = tmp_path ("r.jsonl");
  GstElement *sink = new_sink (path);
  GstHarness *h = new_sink_harness (sink, "audio/x-raw");
  gchar **lines;

  fail_unless (gst_harness_push_event (h,
          gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
              gst_structure_new ("something-else", "kind", G_TYPE_STRING,
                  "freeze", NULL))));
  fail_unless (gst_harness_push_event (h,
          gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
              gst_structure_new (GST_AV_MONITOR_DEFECT_NAME, "kind",
                  G_TYPE_STRING, "freeze", NULL))));
  push_buffer_at (h, 0, GST_SECOND);
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 0);
  g_strfreev (lines);
  gst_harness_teardown (h);
  gst_object_unref (sink);
  g_free (path);
}

GST_END_TEST;

/* The same span through two pads (tee, avsyncmeter) is written once. */
GST_START_TEST (test_two_pads_dedup)
{
  gchar *path = tmp_path ("r.jsonl");
  GstElement *sink = new_sink (path);
  GstHarness *hv = new_sink_harness (sink, "video/x-raw");
  GstHarness *ha = new_sink_harness (sink, "audio/x-raw");
  gchar **lines;

  push_span_start (hv, GST_AV_MONITOR_DEFECT_KIND_AV_SYNC, "sync", 3,
      GST_SECOND);
  push_span_start (ha, GST_AV_MONITOR_DEFECT_KIND_AV_SYNC, "sync", 3,
      GST_SECOND);
  /* same id from another source is another span */
  push_span_start (ha, GST_AV_MONITOR_DEFECT_KIND_SILENCE, "audio-det", 3,
      GST_SECOND);
  push_span_end (ha, GST_AV_MONITOR_DEFECT_KIND_AV_SYNC, "sync", 3,
      GST_SECOND, 2 * GST_SECOND);
  push_span_end (hv, GST_AV_MONITOR_DEFECT_KIND_AV_SYNC, "sync", 3,
      GST_SECOND, 2 * GST_SECOND);
  /* a late duplicate start after the end must not reopen it */
  push_span_start (hv, GST_AV_MONITOR_DEFECT_KIND_AV_SYNC, "sync", 3,
      GST_SECOND);

  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 3);
  fail_unless (strstr (lines[0], "\"kind\":\"av-sync\",\"event\":\"start\""));
  fail_unless (strstr (lines[1], "\"kind\":\"silence\",\"event\":\"start\""));
  fail_unless (strstr (lines[2], "\"kind\":\"av-sync\",\"event\":\"end\""));
  g_strfreev (lines);

  gst_harness_teardown (ha);
  gst_harness_teardown (hv);
  gst_object_unref (sink);
  g_free (path);
}

GST_END_TEST;

/* An end whose start never arrived is written and counted. */
GST_START_TEST (test_end_without_start)
{
  gchar *path = tmp_path ("r.jsonl");
  gchar *summary = tmp_path ("s.json");
  GstElement *sink = new_sink (path);
  GstHarness *h;
  gchar **lines, *contents;

  g_object_set (sink, "summary-location", summary, NULL);
  h = new_sink_harness (sink, "video/x-raw");
  push_span_end (h, GST_AV_MONITOR_DEFECT_KIND_BLACK, "det", 9,
      GST_SECOND, 3 * GST_SECOND);
  gst_harness_push_event (h, gst_event_new_eos ());
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 1);
  fail_unless (strstr (lines[0], "\"start\":1.0,\"end\":3.0,\"duration\":2.0"));
  g_strfreev (lines);
  fail_unless (g_file_get_contents (summary, &contents, NULL, NULL));
  fail_unless (strstr (contents, "\"black\":{\"count\":1,\"errors\":1,"
          "\"warnings\":0,\"truncated\":0,\"seconds\":2.0,\"longest\":2.0}"),
      "%s", contents);
  g_free (contents);
  gst_harness_teardown (h);
  gst_object_unref (sink);
  g_free (path);
  g_free (summary);
}

GST_END_TEST;

static GstMessage *
pop_element_message (GstBus * bus, const gchar * name)
{
  GstMessage *msg;

  while ((msg = gst_bus_pop (bus))) {
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT &&
        gst_message_has_name (msg, name))
      return msg;
    gst_message_unref (msg);
  }
  return NULL;
}

/* At EOS on the last pad: open spans closed (truncated) at the stream's
 * position, summary file written, avmonitor-summary posted before EOS. */
GST_START_TEST (test_eos_closes_and_summarises)
{
  gchar *path = tmp_path ("r.jsonl");
  gchar *summary = tmp_path ("s.json");
  GstElement *sink = new_sink (path);
  GstBus *bus = gst_bus_new ();
  GstHarness *hv, *ha;
  GstMessage *msg;
  const GstStructure *s;
  gchar **lines, *contents;
  guint64 defects, errors, warnings, duration;
  const gchar *json;

  g_object_set (sink, "summary-location", summary, "input-name", "ch1", NULL);
  gst_element_set_bus (sink, bus);
  hv = new_sink_harness (sink, "video/x-raw");
  ha = new_sink_harness (sink, "audio/x-raw");

  push_buffer_at (hv, 0, GST_SECOND);
  push_buffer_at (ha, 0, GST_SECOND);
  push_span_start (hv, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "v", 1, GST_SECOND);
  push_span_end (hv, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "v", 1, GST_SECOND,
      4 * GST_SECOND);
  push_span_start (hv, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "v", 2,
      5 * GST_SECOND);
  push_span_start (ha, GST_AV_MONITOR_DEFECT_KIND_CLIPPING, "a", 1,
      6 * GST_SECOND);
  push_buffer_at (hv, 9 * GST_SECOND, GST_SECOND);
  push_buffer_at (ha, 7 * GST_SECOND, GST_SECOND);

  gst_harness_push_event (hv, gst_event_new_eos ());
  /* one pad still running: nothing closed yet, no summary */
  fail_if (g_file_test (summary, G_FILE_TEST_EXISTS));
  fail_unless (pop_element_message (bus, "avmonitor-summary") == NULL);

  gst_harness_push_event (ha, gst_event_new_eos ());
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 6);
  /* truncated at each stream's own last position */
  fail_unless (strstr (lines[4], "\"event\":\"end\""));
  fail_unless (strstr (lines[5], "\"event\":\"end\""));
  fail_unless (strstr (lines[4], "\"truncated\":true"));
  fail_unless (strstr (lines[5], "\"truncated\":true"));
  fail_unless ((strstr (lines[4], "\"source\":\"v\"") &&
          strstr (lines[4], "\"start\":5.0,\"end\":10.0,\"duration\":5.0") &&
          strstr (lines[5], "\"start\":6.0,\"end\":8.0,\"duration\":2.0")) ||
      (strstr (lines[5], "\"source\":\"v\"") &&
          strstr (lines[5], "\"start\":5.0,\"end\":10.0,\"duration\":5.0") &&
          strstr (lines[4], "\"start\":6.0,\"end\":8.0,\"duration\":2.0")),
      "%s\n%s", lines[4], lines[5]);
  g_strfreev (lines);

  msg = pop_element_message (bus, "avmonitor-summary");
  fail_unless (msg != NULL);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_get_uint64 (s, "defects", &defects));
  fail_unless (gst_structure_get_uint64 (s, "errors", &errors));
  fail_unless (gst_structure_get_uint64 (s, "warnings", &warnings));
  fail_unless (gst_structure_get_uint64 (s, "duration", &duration));
  fail_unless_equals_uint64 (defects, 3);
  fail_unless_equals_uint64 (errors, 2);
  fail_unless_equals_uint64 (warnings, 1);
  fail_unless_equals_uint64 (duration, 10 * GST_SECOND);
  json = gst_structure_get_string (s, "json");
  fail_unless (g_file_get_contents (summary, &contents, NULL, NULL));
  fail_unless_equals_string (json, contents);
  fail_unless (strstr (contents, "\"input\":\"ch1\",\"complete\":true"));
  fail_unless (strstr (contents, "\"analysed_duration\":10.0,\"defects\":3,"
          "\"errors\":2,\"warnings\":1,\"seconds\":10.0,\"open\":0,"
          "\"closed_by_sink\":2"), "%s", contents);
  fail_unless (strstr (contents, "\"freeze\":{\"count\":2,\"errors\":2,"
          "\"warnings\":0,\"truncated\":1,\"seconds\":8.0,\"longest\":5.0}"),
      "%s", contents);
  fail_unless (strstr (contents, "\"clipping\":{\"count\":1,\"errors\":0,"
          "\"warnings\":1,\"truncated\":1,\"seconds\":2.0,\"longest\":2.0}"),
      "%s", contents);
  fail_unless (strstr (contents, "{\"pad\":\"sink_0\",\"media\":\"video\","
          "\"analysed_duration\":10.0}"), "%s", contents);
  g_free (contents);
  gst_message_unref (msg);

  gst_harness_teardown (ha);
  gst_harness_teardown (hv);
  gst_element_set_bus (sink, NULL);
  gst_object_unref (bus);
  gst_object_unref (sink);
  g_free (path);
  g_free (summary);
}

GST_END_TEST;

/* A flushing seek closes the spans that came through the flushed pad and
 * keeps what was written; the other pad's spans stay open. */
GST_START_TEST (test_flush_closes_pad_spans)
{
  gchar *path = tmp_path ("r.jsonl");
  GstElement *sink = new_sink (path);
  GstHarness *hv = new_sink_harness (sink, "video/x-raw");
  GstHarness *ha = new_sink_harness (sink, "audio/x-raw");
  gchar **lines;

  push_buffer_at (hv, 2 * GST_SECOND, GST_SECOND);
  push_span_start (hv, GST_AV_MONITOR_DEFECT_KIND_BLACK, "v", 1, GST_SECOND);
  push_span_start (ha, GST_AV_MONITOR_DEFECT_KIND_SILENCE, "a", 1,
      GST_SECOND);
  gst_harness_push_event (hv, gst_event_new_flush_start ());
  gst_harness_push_event (hv, gst_event_new_flush_stop (TRUE));
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 3);
  fail_unless (strstr (lines[2], "\"kind\":\"black\",\"event\":\"end\""));
  fail_unless (strstr (lines[2], "\"start\":1.0,\"end\":3.0"));
  fail_unless (strstr (lines[2], "\"truncated\":true"));
  g_strfreev (lines);

  /* the detector's own end arriving later is ignored */
  push_span_end (hv, GST_AV_MONITOR_DEFECT_KIND_BLACK, "v", 1, GST_SECOND,
      3 * GST_SECOND);
  push_span_end (ha, GST_AV_MONITOR_DEFECT_KIND_SILENCE, "a", 1, GST_SECOND,
      4 * GST_SECOND);
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 4);
  fail_unless (strstr (lines[3], "\"kind\":\"silence\",\"event\":\"end\""));
  fail_unless (strstr (lines[3], "\"truncated\":false"));
  g_strfreev (lines);

  gst_harness_teardown (ha);
  gst_harness_teardown (hv);
  gst_object_unref (sink);
  g_free (path);
}

GST_END_TEST;

/* Releasing a pad closes its spans. */
GST_START_TEST (test_release_pad_closes_spans)
{
  gchar *path = tmp_path ("r.jsonl");
  GstElement *sink = new_sink (path);
  GstHarness *hv = new_sink_harness (sink, "video/x-raw");
  GstHarness *ha = new_sink_harness (sink, "audio/x-raw");
  gchar **lines;

  push_span_start (ha, GST_AV_MONITOR_DEFECT_KIND_SILENCE, "a", 1,
      GST_SECOND);
  gst_harness_teardown (ha);
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 2);
  fail_unless (strstr (lines[1], "\"event\":\"end\""));
  fail_unless (strstr (lines[1], "\"truncated\":true"));
  g_strfreev (lines);
  fail_unless_equals_int (sink->numsinkpads, 1);

  gst_harness_teardown (hv);
  gst_object_unref (sink);
  g_free (path);
}

GST_END_TEST;

/* Stopping without EOS: spans closed and an incomplete summary. */
GST_START_TEST (test_stop_without_eos)
{
  gchar *path = tmp_path ("r.jsonl");
  gchar *summary = tmp_path ("s.json");
  GstElement *sink = new_sink (path);
  GstHarness *h;
  gchar **lines, *contents;

  g_object_set (sink, "summary-location", summary, NULL);
  h = new_sink_harness (sink, "video/x-raw");
  push_span_start (h, GST_AV_MONITOR_DEFECT_KIND_UNIFORM, "v", 1, GST_SECOND);
  fail_unless_equals_int (gst_element_set_state (sink, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 2);
  fail_unless (strstr (lines[1], "\"truncated\":true"));
  g_strfreev (lines);
  fail_unless (g_file_get_contents (summary, &contents, NULL, NULL));
  fail_unless (strstr (contents, "\"complete\":false"), "%s", contents);
  fail_unless (strstr (contents, "\"uniform\":{\"count\":1"), "%s", contents);
  g_free (contents);
  gst_harness_teardown (h);
  gst_object_unref (sink);
  g_free (path);
  g_free (summary);
}

GST_END_TEST;

static gchar *
find_metric (const gchar * text, const gchar * series)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  gchar *value = NULL;
  guint i;

  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], series) &&
        lines[i][strlen (series)] == ' ') {
      value = g_strdup (lines[i] + strlen (series) + 1);
      break;
    }
  }
  g_strfreev (lines);
  return value;
}

/* The metrics file parses back: HELP/TYPE lines, labelled series, values. */
GST_START_TEST (test_metrics_file)
{
  gchar *metrics = tmp_path ("m.prom");
  GstElement *sink = new_sink (NULL);
  GstHarness *h;
  gchar *contents, *v;
  gchar **lines;
  guint i;

  g_object_set (sink, "metrics-location", metrics, "input-name", "studio \"A\"",
      "interval", 20 * GST_MSECOND, NULL);
  h = new_sink_harness (sink, "video/x-raw");
  push_buffer_at (h, 0, GST_SECOND);
  push_span_start (h, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "v", 1, 0);
  push_span_end (h, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "v", 1, 0,
      1500 * GST_MSECOND);
  push_span_start (h, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "v", 2,
      2 * GST_SECOND);
  fail_unless (gst_harness_push_event (h, gst_event_new_custom
          (GST_EVENT_CUSTOM_DOWNSTREAM, gst_structure_new ("avmonitor-sync",
                  "valid", G_TYPE_BOOLEAN, TRUE, "offset-ms", G_TYPE_DOUBLE,
                  -40.0, NULL))));

  /* rewritten by the timer while running */
  for (i = 0; i < 200; i++) {
    contents = NULL;
    if (g_file_get_contents (metrics, &contents, NULL, NULL) &&
        strstr (contents, "avmonitor_av_offset_seconds{"))
      break;
    g_free (contents);
    contents = NULL;
    g_usleep (20000);
  }
  fail_unless (contents != NULL, "metrics never written");

  v = find_metric (contents, "avmonitor_defects_total{input=\"studio "
      "\\\"A\\\"\",kind=\"freeze\",stream=\"video\"}");
  fail_unless_equals_string (v, "2");
  g_free (v);
  v = find_metric (contents, "avmonitor_defect_seconds_total{input=\"studio "
      "\\\"A\\\"\",kind=\"freeze\",stream=\"video\"}");
  fail_unless_equals_string (v, "1.5");
  g_free (v);
  v = find_metric (contents, "avmonitor_defect_active{input=\"studio "
      "\\\"A\\\"\",kind=\"freeze\",stream=\"video\"}");
  fail_unless_equals_string (v, "1");
  g_free (v);
  v = find_metric (contents, "avmonitor_av_offset_seconds{input=\"studio "
      "\\\"A\\\"\"}");
  fail_unless_equals_string (v, "-0.04");
  g_free (v);
  v = find_metric (contents, "avmonitor_last_buffer_age_seconds{input="
      "\"studio \\\"A\\\"\",pad=\"sink_0\",stream=\"video\"}");
  fail_unless (v != NULL);
  fail_unless (g_ascii_strtod (v, NULL) >= 0.0);
  g_free (v);
  fail_unless (strstr (contents, "# TYPE avmonitor_defects_total counter\n"));
  fail_unless (strstr (contents, "# TYPE avmonitor_defect_active gauge\n"));

  /* every line is a comment or "name{labels} number" */
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    gchar *sp;

    if (lines[i][0] == '\0' || lines[i][0] == '#')
      continue;
    sp = strrchr (lines[i], ' ');
    fail_unless (sp != NULL, "%s", lines[i]);
    fail_unless (g_ascii_isdigit (sp[1]) || sp[1] == '-', "%s", lines[i]);
  }
  g_strfreev (lines);
  g_free (contents);

  gst_harness_teardown (h);
  gst_object_unref (sink);
  g_free (metrics);
}

GST_END_TEST;

/* An unwritable location fails the state change with an error naming it. */
GST_START_TEST (test_bad_location)
{
  gchar *path = g_build_filename (tmpdir, "no-such-dir", "r.jsonl", NULL);
  GstElement *sink = new_sink (path);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;

  gst_element_set_bus (sink, bus);
  fail_unless_equals_int (gst_element_set_state (sink, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (strstr (err->message, path) != NULL, "%s", err->message);
  fail_unless (strstr (debug, "No such file") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);

  gst_element_set_state (sink, GST_STATE_NULL);
  gst_element_set_bus (sink, NULL);
  gst_object_unref (bus);
  gst_object_unref (sink);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_bad_summary_location)
{
  gchar *summary = g_build_filename (tmpdir, "missing", "s.json", NULL);
  GstElement *sink = new_sink (NULL);

  g_object_set (sink, "summary-location", summary, NULL);
  fail_unless_equals_int (gst_element_set_state (sink, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (sink, GST_STATE_NULL);
  gst_object_unref (sink);
  g_free (summary);
}

GST_END_TEST;

/* append=TRUE keeps an existing report (reconnecting inputs). */
GST_START_TEST (test_append)
{
  gchar *path = tmp_path ("r.jsonl");
  GstElement *sink;
  GstHarness *h;
  gchar **lines;

  fail_unless (g_file_set_contents (path, "{\"old\":1}\n", -1, NULL));
  sink = new_sink (path);
  g_object_set (sink, "append", TRUE, NULL);
  h = new_sink_harness (sink, "video/x-raw");
  push_span_start (h, GST_AV_MONITOR_DEFECT_KIND_STALL, "v", 1, 0);
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 2);
  fail_unless_equals_string (lines[0], "{\"old\":1}");
  g_strfreev (lines);
  gst_harness_teardown (h);
  gst_object_unref (sink);

  /* without append the file starts over */
  sink = new_sink (path);
  h = new_sink_harness (sink, "video/x-raw");
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 0);
  g_strfreev (lines);
  gst_harness_teardown (h);
  gst_object_unref (sink);
  g_free (path);
}

GST_END_TEST;

static GDateTime *
parse_utc (const gchar * line, const gchar * key)
{
  gchar *pat = g_strdup_printf ("\"%s\":\"", key);
  const gchar *p = strstr (line, pat);
  gchar *iso;
  GDateTime *dt;

  fail_unless (p != NULL, "%s in %s", key, line);
  p += strlen (pat);
  iso = g_strndup (p, strchr (p, '"') - p);
  dt = g_date_time_new_from_iso8601 (iso, NULL);
  fail_unless (dt != NULL, "%s", iso);
  g_free (iso);
  g_free (pat);
  return dt;
}

/* UTC is the wall-clock time of the span itself, from the clock: a span
 * that started 8 s ago on the pipeline clock gets a utc_start 8 s ago. */
GST_START_TEST (test_utc_from_clock)
{
  gchar *path = tmp_path ("r.jsonl");
  GstElement *sink = new_sink (path);
  GstHarness *h = new_sink_harness (sink, "video/x-raw");
  GstClock *clock = gst_system_clock_obtain ();
  GstClockTime now = gst_clock_get_time (clock);
  GDateTime *wall_now, *u0, *u1;
  gchar **lines;
  GTimeSpan ago, span;

  gst_element_set_clock (sink, clock);
  gst_element_set_base_time (sink, now - 10 * GST_SECOND);
  wall_now = g_date_time_new_now_utc ();
  push_span_start (h, GST_AV_MONITOR_DEFECT_KIND_BLACK, "v", 1,
      2 * GST_SECOND);
  push_span_end (h, GST_AV_MONITOR_DEFECT_KIND_BLACK, "v", 1, 2 * GST_SECOND,
      5 * GST_SECOND);
  lines = read_lines (path);
  u0 = parse_utc (lines[1], "utc_start");
  u1 = parse_utc (lines[1], "utc_end");
  ago = g_date_time_difference (wall_now, u0);
  span = g_date_time_difference (u1, u0);
  fail_unless (ago > 7900 * G_TIME_SPAN_MILLISECOND &&
      ago < 8500 * G_TIME_SPAN_MILLISECOND, "%" G_GINT64_FORMAT, ago);
  fail_unless (ABS (span - 3 * G_TIME_SPAN_SECOND) <
      20 * G_TIME_SPAN_MILLISECOND, "%" G_GINT64_FORMAT, span);
  g_date_time_unref (u0);
  g_date_time_unref (u1);
  g_date_time_unref (wall_now);
  g_strfreev (lines);
  gst_harness_teardown (h);
  gst_object_unref (clock);
  gst_object_unref (sink);
  g_free (path);
}

GST_END_TEST;

/* Reference timestamp meta (timestamp/x-unix) wins over the clock. */
GST_START_TEST (test_utc_from_reference_meta)
{
  gchar *path = tmp_path ("r.jsonl");
  GstElement *sink = new_sink (path);
  GstHarness *h = new_sink_harness (sink, "video/x-raw");
  GstCaps *ref = gst_caps_new_empty_simple ("timestamp/x-unix");
  GstBuffer *buf = gst_buffer_new ();
  GDateTime *u0;
  gchar **lines;

  GST_BUFFER_PTS (buf) = GST_SECOND;
  /* 2026-01-01T00:00:00Z at running time 1 s */
  gst_buffer_add_reference_timestamp_meta (buf, ref,
      G_GUINT64_CONSTANT (1767225600) * GST_SECOND, GST_CLOCK_TIME_NONE);
  gst_harness_push (h, buf);
  push_span_start (h, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "v", 1,
      3500 * GST_MSECOND);
  lines = read_lines (path);
  fail_unless (strstr (lines[0], "\"utc_start\":\"2026-01-01T00:00:02.500Z\""),
      "%s", lines[0]);
  u0 = parse_utc (lines[0], "utc_start");
  g_date_time_unref (u0);
  g_strfreev (lines);
  gst_caps_unref (ref);
  gst_harness_teardown (h);
  gst_object_unref (sink);
  g_free (path);
}

GST_END_TEST;

/* Media of any kind is consumed, sync is passed to the internal sinks. */
GST_START_TEST (test_any_caps_and_sync)
{
  GstElement *sink = new_sink (NULL);
  GstHarness *h = new_sink_harness (sink, "application/x-whatever");
  GstElement *child;
  gboolean sync;

  push_buffer_at (h, 0, GST_SECOND);
  push_buffer_at (h, GST_CLOCK_TIME_NONE, GST_CLOCK_TIME_NONE);
  g_object_set (sink, "sync", TRUE, NULL);
  child = gst_bin_get_by_name (GST_BIN (sink), "sink_0-consumer");
  fail_unless (child != NULL);
  g_object_get (child, "sync", &sync, NULL);
  fail_unless (sync);
  gst_object_unref (child);
  gst_harness_teardown (h);
  gst_object_unref (sink);
}

GST_END_TEST;

/* In a real pipeline the bin's EOS waits for every pad, and the summary
 * message comes before it. */
GST_START_TEST (test_pipeline_eos_order)
{
  gchar *summary = tmp_path ("s.json");
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=5 ! "
      "defectsink name=d summary-location=\"%s\" "
      "audiotestsrc num-buffers=30 ! d.", summary);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstBus *bus;
  GstMessage *msg;
  gboolean seen_summary = FALSE;

  fail_unless (pipeline != NULL);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
              GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT))) {
    GstMessageType t = GST_MESSAGE_TYPE (msg);

    fail_if (t == GST_MESSAGE_ERROR);
    if (t == GST_MESSAGE_ELEMENT &&
        gst_message_has_name (msg, "avmonitor-summary"))
      seen_summary = TRUE;
    gst_message_unref (msg);
    if (t == GST_MESSAGE_EOS)
      break;
  }
  fail_unless (seen_summary, "no summary before EOS");
  fail_unless (g_file_test (summary, G_FILE_TEST_EXISTS));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  g_free (desc);
  g_free (summary);
}

GST_END_TEST;

/* location can change in READY (it is opened going to PAUSED). */
GST_START_TEST (test_location_in_ready)
{
  gchar *a = tmp_path ("a.jsonl");
  gchar *b = tmp_path ("b.jsonl");
  GstElement *sink = new_sink (a);
  GstHarness *h;
  gchar **lines;

  fail_unless_equals_int (gst_element_set_state (sink, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  g_object_set (sink, "location", b, NULL);
  h = new_sink_harness (sink, "video/x-raw");
  push_span_start (h, GST_AV_MONITOR_DEFECT_KIND_BLACK, "v", 1, 0);
  fail_if (g_file_test (a, G_FILE_TEST_EXISTS));
  lines = read_lines (b);
  fail_unless_equals_int (g_strv_length (lines), 1);
  g_strfreev (lines);
  gst_harness_teardown (h);
  gst_object_unref (sink);
  g_free (a);
  g_free (b);
}

GST_END_TEST;

/* A source restarted while the sink runs reuses its ids: a start with the
 * same key but another start time is a new span; the old one, which will
 * never end, is closed (truncated). */
GST_START_TEST (test_restarted_source_reuses_id)
{
  gchar *path = tmp_path ("r.jsonl");
  GstElement *sink = new_sink (path);
  GstHarness *h = new_sink_harness (sink, "video/x-raw");
  gchar **lines;

  push_buffer_at (h, 0, GST_SECOND);
  push_span_start (h, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "v", 1, 0);
  push_span_start (h, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "v", 1,
      5 * GST_SECOND);
  push_span_end (h, GST_AV_MONITOR_DEFECT_KIND_FREEZE, "v", 1,
      5 * GST_SECOND, 8 * GST_SECOND);
  lines = read_lines (path);
  fail_unless_equals_int (g_strv_length (lines), 4);
  fail_unless (strstr (lines[1], "\"event\":\"end\""));
  fail_unless (strstr (lines[1], "\"truncated\":true"));
  fail_unless (strstr (lines[2], "\"event\":\"start\",") &&
      strstr (lines[2], "\"start\":5.0"));
  fail_unless (strstr (lines[3], "\"start\":5.0,\"end\":8.0"));
  g_strfreev (lines);
  gst_harness_teardown (h);
  gst_object_unref (sink);
  g_free (path);
}

GST_END_TEST;

static Suite *
defectsink_suite (void)
{
  Suite *s = suite_create ("defectsink");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_lines_written);
  tcase_add_test (tc, test_other_events_ignored);
  tcase_add_test (tc, test_two_pads_dedup);
  tcase_add_test (tc, test_end_without_start);
  tcase_add_test (tc, test_eos_closes_and_summarises);
  tcase_add_test (tc, test_flush_closes_pad_spans);
  tcase_add_test (tc, test_release_pad_closes_spans);
  tcase_add_test (tc, test_stop_without_eos);
  tcase_add_test (tc, test_metrics_file);
  tcase_add_test (tc, test_bad_location);
  tcase_add_test (tc, test_bad_summary_location);
  tcase_add_test (tc, test_append);
  tcase_add_test (tc, test_utc_from_clock);
  tcase_add_test (tc, test_utc_from_reference_meta);
  tcase_add_test (tc, test_any_caps_and_sync);
  tcase_add_test (tc, test_pipeline_eos_order);
  tcase_add_test (tc, test_location_in_ready);
  tcase_add_test (tc, test_restarted_source_reuses_id);
  return s;
}

GST_CHECK_MAIN (defectsink);
