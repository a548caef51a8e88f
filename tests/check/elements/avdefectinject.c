/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Tests of avdefectinject: every kind is checked on the buffers it
 * produces, against the truth file and the avmonitor-injected messages. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <math.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <gst/audio/audio.h>

#include "avmonitor.h"

/* The schedule parser is plain functions inside the plugin, which exports
 * nothing but its plugin descriptor: compile it in to unit-test it. */
#include "../../../gst/elements/inject-schedule.c"

#define FPS 30
#define RATE 48000

/* helpers */

static GstElement *
make_inject (const gchar * schedule, const gchar * truth, guint64 seed,
    GstBus ** bus)
{
  GstElement *e = gst_element_factory_make ("avdefectinject", "inject");

  fail_unless (e != NULL);
  g_object_set (e, "schedule", schedule, "seed", seed, NULL);
  if (truth)
    g_object_set (e, "truth-location", truth, NULL);
  *bus = gst_bus_new ();
  gst_element_set_bus (e, *bus);
  return e;
}

static GstHarness *
start_harness (GstElement * e, const gchar * caps)
{
  GstHarness *h = gst_harness_new_with_element (e, "sink", "src");

  gst_object_unref (e);
  gst_harness_set_src_caps_str (h, caps);
  return h;
}

static gchar *
tmp_truth (void)
{
  gchar *dir = g_dir_make_tmp ("avdefectinject-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "truth.jsonl", NULL);

  g_free (dir);
  return path;
}

static gchar **
read_truth (const gchar * path)
{
  gchar *text = NULL, **lines;
  guint n;

  fail_unless (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  /* the file ends with a newline: drop the empty last element */
  n = g_strv_length (lines);
  if (n > 0 && lines[n - 1][0] == '\0') {
    g_free (lines[n - 1]);
    lines[n - 1] = NULL;
  }
  g_free (text);
  return lines;
}

static void
remove_truth (gchar * path)
{
  gchar *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
  g_free (dir);
  g_free (path);
}

/* End events of the avmonitor-injected messages, as defect records; the
 * schedule kind of each is in its details (`injected`). */
static GPtrArray *
pop_injected (GstBus * bus, guint * n_start)
{
  GPtrArray *ends = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_av_monitor_defect_free);
  GstMessage *msg;

  if (n_start)
    *n_start = 0;
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (msg);

    if (gst_structure_has_name (s, GST_AV_MONITOR_INJECTED_NAME)) {
      GstStructure *c = gst_structure_copy (s);
      GstAvMonitorDefect *d;

      fail_unless (gst_structure_get_string (s, "injected") != NULL);
      gst_structure_set_name (c, GST_AV_MONITOR_DEFECT_NAME);
      d = gst_av_monitor_defect_new_from_structure (c);
      fail_unless (d != NULL);
      gst_structure_free (c);
      if (gst_av_monitor_defect_get_event (d) == GST_AV_MONITOR_DEFECT_EVENT_END)
        g_ptr_array_add (ends, d);
      else {
        if (n_start)
          (*n_start)++;
        gst_av_monitor_defect_free (d);
      }
    }
    gst_message_unref (msg);
  }
  return ends;
}

static void
check_span (GstAvMonitorDefect * d, const gchar * kind, GstClockTime start,
    GstClockTime end, gboolean truncated)
{
  fail_unless_equals_string (gst_av_monitor_defect_get_kind_nick (d), kind);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_start_stream_time (d),
      start);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_stream_time (d), end);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_duration (d),
      end - start);
  fail_unless_equals_int (gst_av_monitor_defect_get_truncated (d), truncated);
  fail_unless_equals_string (gst_av_monitor_defect_get_source (d), "inject");
}

static GstClockTime
frame_pts (guint n)
{
  return gst_util_uint64_scale (n, GST_SECOND, FPS);
}

/* a frame of pseudo-random bytes, different for every n */
static GstBuffer *
make_frame (const GstVideoInfo * info, guint n)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GstMapInfo map;
  GRand *r = g_rand_new_with_seed (1000 + n);
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < map.size; i++)
    map.data[i] = g_rand_int_range (r, 20, 236);
  gst_buffer_unmap (buf, &map);
  g_rand_free (r);
  GST_BUFFER_PTS (buf) = frame_pts (n);
  GST_BUFFER_DURATION (buf) = frame_pts (n + 1) - frame_pts (n);
  return buf;
}

static gboolean
buffers_equal (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo ma, mb;
  gboolean eq;

  gst_buffer_map (a, &ma, GST_MAP_READ);
  gst_buffer_map (b, &mb, GST_MAP_READ);
  eq = ma.size == mb.size && memcmp (ma.data, mb.data, ma.size) == 0;
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  return eq;
}

static gchar *
video_caps (const gchar * format, gint w, gint h)
{
  return g_strdup_printf ("video/x-raw,format=%s,width=%d,height=%d,"
      "framerate=%d/1", format, w, h, FPS);
}

/* schedule parser */

GST_START_TEST (test_schedule_parse)
{
  gchar *error = NULL;
  GArray *a;
  InjectEntry *e;
  gint64 t;

  a = inject_schedule_parse ("freeze@5s+3s; black@12s+2.5s; "
      "block-corruption@20s+1s,area=0.05; silence@30s+3s;", &error);
  fail_unless (a != NULL, "%s", error);
  fail_unless_equals_int (a->len, 4);
  e = &g_array_index (a, InjectEntry, 1);
  fail_unless_equals_int (e->kind, INJECT_KIND_BLACK);
  fail_unless_equals_uint64 (e->start, 12 * GST_SECOND);
  fail_unless_equals_uint64 (e->duration, 2500 * GST_MSECOND);
  e = &g_array_index (a, InjectEntry, 2);
  fail_unless_equals_float (e->area, 0.05);
  fail_unless_equals_int (e->block, 16);
  g_array_unref (a);

  a = inject_schedule_parse ("  ", &error);
  fail_unless (a != NULL && a->len == 0);
  g_array_unref (a);
  a = inject_schedule_parse (NULL, &error);
  fail_unless (a != NULL && a->len == 0);
  g_array_unref (a);

  a = inject_schedule_parse ("av-offset@0s+0s,offset=-120ms;"
      "uniform@1min+250us,color=#00ff80;channel-silence@1s+1s,channels=1+3;"
      "clipping@0.1s+1500000ns,gain=6dB;hiss@1h+1s,level=-80;"
      "dropout@0s+100ms,length=5ms,count=3;"
      "bitstream-damage@1s+1s,rate=0.01,buffers=0.5,keep=4", &error);
  fail_unless (a != NULL, "%s", error);
  e = &g_array_index (a, InjectEntry, 0);
  fail_unless_equals_int64 (e->offset, -120 * GST_MSECOND);
  fail_unless_equals_uint64 (e->duration, 0);
  e = &g_array_index (a, InjectEntry, 1);
  fail_unless_equals_uint64 (e->start, 60 * GST_SECOND);
  fail_unless_equals_uint64 (e->duration, 250 * GST_USECOND);
  fail_unless_equals_int (e->color, 0x00ff80);
  e = &g_array_index (a, InjectEntry, 2);
  fail_unless_equals_uint64 (e->channels, 0xa);
  e = &g_array_index (a, InjectEntry, 3);
  fail_unless_equals_uint64 (e->start, 100 * GST_MSECOND);
  fail_unless_equals_uint64 (e->duration, 1500 * GST_USECOND);
  fail_unless_equals_float (e->gain_db, 6.0);
  e = &g_array_index (a, InjectEntry, 4);
  fail_unless_equals_uint64 (e->start, 3600 * GST_SECOND);
  fail_unless_equals_float (e->level_db, -80.0);
  e = &g_array_index (a, InjectEntry, 5);
  fail_unless_equals_int (e->count, 3);
  /* runs spread over the window: the last one ends at its end */
  fail_unless_equals_uint64 (e->spacing, 47500 * GST_USECOND);
  e = &g_array_index (a, InjectEntry, 6);
  fail_unless_equals_float (e->rate, 0.01);
  fail_unless_equals_float (e->buffers, 0.5);
  fail_unless_equals_int (e->keep, 4);
  g_array_unref (a);

  /* exact decimal times, no float rounding */
  fail_unless (inject_parse_time ("0.1s", FALSE, &t, NULL));
  fail_unless_equals_int64 (t, 100000000);
  fail_unless (inject_parse_time ("2.000000001s", FALSE, &t, NULL));
  fail_unless_equals_int64 (t, 2000000001);
  fail_unless (inject_parse_time ("-40ms", TRUE, &t, NULL));
  fail_unless_equals_int64 (t, -40000000);
  fail_unless (!inject_parse_time ("-40ms", FALSE, &t, NULL));
  fail_unless (!inject_parse_time ("40", FALSE, &t, NULL));
  fail_unless (!inject_parse_time ("ms", FALSE, &t, NULL));
  fail_unless (!inject_parse_time ("1.5days", FALSE, &t, NULL));
}

GST_END_TEST;

GST_START_TEST (test_schedule_errors)
{
  static const struct
  {
    const gchar *schedule;
    const gchar *expect;
  } cases[] = {
    {"freez@1s+1s", "character 1 (\"freez\"): unknown kind"},
    {"freeze@1s+1x", "character 11 (\"1x\"): bad DURATION: unknown time unit"},
    {"freeze@1s+2", "character 11 (\"2\"): bad DURATION: missing time unit"},
    {"freeze@1s", "'+DURATION' is missing"},
    {"black@1s+1s; freeze 2s", "character 14 (\"freeze 2s\"): expected KIND@"},
    {"freeze@1s+0s", "DURATION must be > 0"},
    {"freeze@-1s+1s", "character 8 (\"-1s\"): bad START: a negative time"},
    {"block-corruption@1s+1s,area=2", "character 24 (\"area=2\")"},
    {"block-corruption@1s+1s,block=12", "block is 8 or 16"},
    {"silence@1s+1s,gain=3", "unknown key \"gain\" for silence"},
    {"clipping@1s+1s,gain=-3", "gain is in dB, > 0"},
    {"uniform@1s+1s,color=red", "color is 0xRRGGBB"},
    {"channel-silence@1s+1s,channels=64", "channels is a mask"},
    {"av-offset@0s+0s", "av-offset needs offset="},
    {"av-offset@0s+0s,offset=0ms", "offset must not be 0"},
    {"dropout@0s+100ms,length=20ms,count=10", "runs overlap"},
    {"dropout@0s+10ms,length=20ms", "longer than the window"},
    {"freeze@1s+2s; black@0s+1s; freeze@2s+1s",
        "character 28 (\"freeze@2s+1s\"): overlaps the freeze entry at "
          "character 1"},
    {"stall@1s+1s,x", "expected KEY=VALUE"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *error = NULL;
    GArray *a = inject_schedule_parse (cases[i].schedule, &error);

    fail_unless (a == NULL, "accepted: %s", cases[i].schedule);
    fail_unless (error != NULL);
    fail_unless (strstr (error, cases[i].expect) != NULL,
        "for \"%s\": got \"%s\", expected \"%s\"", cases[i].schedule, error,
        cases[i].expect);
    g_free (error);
  }
}

GST_END_TEST;

GST_START_TEST (test_schedule_property_refused)
{
  GstBus *bus;
  GstElement *e = make_inject ("freeze@1s+1s", NULL, 0, &bus);
  gchar *sched;
  GstMessage *msg;
  GError *err = NULL;

  gst_check_add_log_filter ("GstAvMonitorPlugin", G_LOG_LEVEL_WARNING,
      g_regex_new ("invalid schedule at character 8", 0, 0, NULL), NULL, NULL,
      NULL);
  g_object_set (e, "schedule", "freeze@1q+1s", NULL);
  g_object_get (e, "schedule", &sched, NULL);
  fail_unless_equals_string (sched, "freeze@1s+1s");
  g_free (sched);

  /* the refusal is not forgotten: starting fails with an element error */
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "character 8 (\"1q\")") != NULL,
      "%s", err->message);
  g_error_free (err);
  gst_message_unref (msg);

  /* a good schedule clears it */
  g_object_set (e, "schedule", "black@0s+1s", NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_SUCCESS);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_check_clear_log_filter ();
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_END_TEST;

/* video */

static void
run_freeze (const gchar * schedule, guint ref, guint first_moving,
    GstClockTime span_start, GstClockTime span_end)
{
  GstBus *bus;
  gchar *truth = tmp_truth (), **lines;
  GstElement *e = make_inject (schedule, truth, 0, &bus);
  gchar *caps = video_caps ("I420", 64, 48);
  GstHarness *h = start_harness (e, caps);
  GstVideoInfo info;
  GstBuffer *reference = NULL;
  GPtrArray *spans;
  guint n, n_start;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 64, 48);
  for (n = 0; n < 15; n++) {
    GstBuffer *in = make_frame (&info, n), *out;

    fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (in)),
        GST_FLOW_OK);
    out = gst_harness_pull (h);
    /* timestamps still advance */
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), frame_pts (n));
    if (n == ref)
      reference = gst_buffer_ref (in);
    if (n > ref && n < first_moving)
      fail_unless (buffers_equal (out, reference), "frame %u not frozen", n);
    else
      fail_unless (buffers_equal (out, in), "frame %u changed", n);
    gst_buffer_unref (in);
    gst_buffer_unref (out);
  }
  gst_harness_push_event (h, gst_event_new_eos ());

  spans = pop_injected (bus, &n_start);
  fail_unless_equals_int (spans->len, 1);
  fail_unless_equals_int (n_start, 1);
  check_span (g_ptr_array_index (spans, 0), "freeze", span_start, span_end,
      FALSE);
  g_ptr_array_unref (spans);

  lines = read_truth (truth);
  fail_unless_equals_int (g_strv_length (lines), 1);
  fail_unless (strstr (lines[0], "\"kind\":\"freeze\",\"event\":\"end\","
          "\"source\":\"inject\"") != NULL, "%s", lines[0]);
  fail_unless (strstr (lines[0], "\"injected\":\"freeze\"}") != NULL);
  g_strfreev (lines);

  gst_buffer_unref (reference);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
  remove_truth (truth);
}

GST_START_TEST (test_freeze)
{
  /* START on a frame: that frame stays on screen */
  run_freeze ("freeze@100ms+200ms", 3, 9, frame_pts (3), frame_pts (9));
}

GST_END_TEST;

GST_START_TEST (test_freeze_between_frames)
{
  /* START between frames: the frame shown at START stays, and the span
   * starts at its PTS, the last frame that moved */
  run_freeze ("freeze@110ms+200ms", 3, 10, frame_pts (3), frame_pts (10));
}

GST_END_TEST;

static void
check_flat (GstVideoFrame * f, const guint8 yuv[3], const gchar * what)
{
  guint c, n = MIN (GST_VIDEO_FRAME_N_COMPONENTS (f), 3);
  gint x, y;

  for (c = 0; c < n; c++) {
    guint8 *d = GST_VIDEO_FRAME_COMP_DATA (f, c);
    gint st = GST_VIDEO_FRAME_COMP_STRIDE (f, c);
    gint ps = GST_VIDEO_FRAME_COMP_PSTRIDE (f, c);

    for (y = 0; y < GST_VIDEO_FRAME_COMP_HEIGHT (f, c); y++)
      for (x = 0; x < GST_VIDEO_FRAME_COMP_WIDTH (f, c); x++)
        fail_unless (d[y * st + x * ps] == yuv[c],
            "%s %s comp %u at %d,%d: %u", what,
            GST_VIDEO_FORMAT_INFO_NAME (f->info.finfo), c, x, y,
            d[y * st + x * ps]);
  }
}

static void
run_flat (const gchar * format, const gchar * schedule, guint8 y, guint8 u,
    guint8 v)
{
  GstBus *bus;
  GstElement *e = make_inject (schedule, NULL, 0, &bus);
  /* odd sizes: the subsampled edges must be covered too */
  gchar *caps = video_caps (format, 37, 21);
  GstHarness *h = start_harness (e, caps);
  GstVideoInfo info;
  GstVideoFrame f;
  GstBuffer *in, *out;
  guint8 yuv[3] = { y, u, v };

  gst_video_info_from_caps (&info, gst_caps_from_string (caps));
  in = make_frame (&info, 0);
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (in)),
      GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless (gst_video_frame_map (&f, &info, out, GST_MAP_READ));
  check_flat (&f, yuv, schedule);
  if (GST_VIDEO_FORMAT_INFO_HAS_ALPHA (info.finfo)) {
    GstVideoFrame fi;

    /* alpha is left alone */
    fail_unless (gst_video_frame_map (&fi, &info, in, GST_MAP_READ));
    fail_unless_equals_int (GST_VIDEO_FRAME_COMP_DATA (&f, 3)[0],
        GST_VIDEO_FRAME_COMP_DATA (&fi, 3)[0]);
    gst_video_frame_unmap (&fi);
  }
  gst_video_frame_unmap (&f);
  gst_buffer_unref (in);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
}

GST_START_TEST (test_black_formats)
{
  static const gchar *formats[] = { "I420", "YV12", "NV12", "NV21", "NV16",
    "NV61", "NV24", "Y41B", "Y42B", "Y444", "YUY2", "UYVY", "YVYU", "AYUV",
    "v308"
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    run_flat (formats[i], "black@0s+1s", 16, 128, 128);
  /* GRAY8 is full range in GStreamer: black is 0 */
  run_flat ("GRAY8", "black@0s+1s", 0, 128, 128);
}

GST_END_TEST;

GST_START_TEST (test_uniform)
{
  /* BT.601 limited range (the default for SD sizes): pure red */
  run_flat ("I420", "uniform@0s+1s,color=0xff0000", 81, 90, 240);
  run_flat ("YUY2", "uniform@0s+1s,color=0xff0000", 81, 90, 240);
  /* white */
  run_flat ("NV12", "uniform@0s+1s,color=#ffffff", 235, 128, 128);
}

GST_END_TEST;

/* Runs block-corruption on 10 frames of 128x96 I420 and returns the output
 * frames concatenated; counts the 16x16 luma blocks changed per frame. */
static GBytes *
run_blocks (guint64 seed, guint changed[10], GstAvMonitorDefect ** span)
{
  GstBus *bus;
  GstElement *e = make_inject ("block-corruption@100ms+100ms,area=0.25",
      NULL, seed, &bus);
  gchar *caps = video_caps ("I420", 128, 96);
  GstHarness *h = start_harness (e, caps);
  GstVideoInfo info;
  GByteArray *all = g_byte_array_new ();
  GPtrArray *spans;
  guint n;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 128, 96);
  for (n = 0; n < 10; n++) {
    GstBuffer *in = make_frame (&info, n), *out;
    GstMapInfo mi, mo;
    guint bx, by, x, y;

    gst_harness_push (h, gst_buffer_ref (in));
    out = gst_harness_pull (h);
    gst_buffer_map (in, &mi, GST_MAP_READ);
    gst_buffer_map (out, &mo, GST_MAP_READ);
    changed[n] = 0;
    for (by = 0; by < 6; by++) {
      for (bx = 0; bx < 8; bx++) {
        gboolean diff = FALSE;

        for (y = 0; y < 16; y++)
          for (x = 0; x < 16; x++)
            diff |= mi.data[(by * 16 + y) * 128 + bx * 16 + x] !=
                mo.data[(by * 16 + y) * 128 + bx * 16 + x];
        changed[n] += diff;
      }
    }
    /* chroma changes only where luma blocks did */
    if (changed[n] == 0)
      fail_unless (mi.size == mo.size
          && memcmp (mi.data, mo.data, mi.size) == 0);
    g_byte_array_append (all, mo.data, mo.size);
    gst_buffer_unmap (in, &mi);
    gst_buffer_unmap (out, &mo);
    gst_buffer_unref (in);
    gst_buffer_unref (out);
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  spans = pop_injected (bus, NULL);
  fail_unless_equals_int (spans->len, 1);
  *span = g_ptr_array_steal_index (spans, 0);
  g_ptr_array_unref (spans);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
  return g_byte_array_free_to_bytes (all);
}

GST_START_TEST (test_block_corruption)
{
  guint c1[10], c2[10], c3[10], n;
  GstAvMonitorDefect *s1, *s2, *s3;
  GBytes *o1 = run_blocks (7, c1, &s1);
  GBytes *o2 = run_blocks (7, c2, &s2);
  GBytes *o3 = run_blocks (8, c3, &s3);
  const GstStructure *details;
  gdouble area;
  gint x, y, w, h;

  for (n = 0; n < 10; n++) {
    /* frames 3, 4, 5 (100, 133, 166 ms): 25% of the 48 blocks */
    fail_unless (c1[n] == ((n >= 3 && n <= 5) ? 12 : 0),
        "frame %u: %u blocks", n, c1[n]);
  }
  /* same seed, same output; another seed, another output */
  fail_unless (g_bytes_equal (o1, o2));
  fail_unless (!g_bytes_equal (o1, o3));

  check_span (s1, "block-corruption", frame_pts (3), frame_pts (6), FALSE);
  details = gst_av_monitor_defect_get_details (s1);
  fail_unless (gst_structure_get_double (details, "area", &area));
  fail_unless_equals_float (area, 12.0 * 256 / (128 * 96));
  fail_unless (gst_av_monitor_defect_get_region (s1, &x, &y, &w, &h));
  fail_unless (x >= 0 && y >= 0 && x + w <= 128 && y + h <= 96 && w >= 16);

  g_bytes_unref (o1);
  g_bytes_unref (o2);
  g_bytes_unref (o3);
  gst_av_monitor_defect_free (s1);
  gst_av_monitor_defect_free (s2);
  gst_av_monitor_defect_free (s3);
}

GST_END_TEST;

GST_START_TEST (test_frame_drop)
{
  GstBus *bus;
  gchar *truth = tmp_truth (), **lines;
  GstElement *e = make_inject ("frame-drop@100ms+100ms", truth, 0, &bus);
  gchar *caps = video_caps ("I420", 32, 32);
  GstHarness *h = start_harness (e, caps);
  GstVideoInfo info;
  GPtrArray *spans;
  guint n;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 32, 32);
  for (n = 0; n < 10; n++)
    fail_unless_equals_int (gst_harness_push (h, make_frame (&info, n)),
        GST_FLOW_OK);
  /* frames 3, 4, 5 (100, 133, 166 ms) are gone */
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 7);
  for (n = 0; n < 10; n++) {
    GstBuffer *out;

    if (n >= 3 && n <= 5)
      continue;
    out = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), frame_pts (n));
    gst_buffer_unref (out);
  }
  spans = pop_injected (bus, NULL);
  fail_unless_equals_int (spans->len, 1);
  /* the missing interval: first dropped frame to the next one shown */
  check_span (g_ptr_array_index (spans, 0), "frame-gap", frame_pts (3),
      frame_pts (6), FALSE);
  g_ptr_array_unref (spans);
  lines = read_truth (truth);
  fail_unless_equals_int (g_strv_length (lines), 1);
  fail_unless (strstr (lines[0], "\"kind\":\"frame-gap\"") != NULL);
  fail_unless (strstr (lines[0], "\"injected\":\"frame-drop\"}") != NULL);
  g_strfreev (lines);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
  remove_truth (truth);
}

GST_END_TEST;

GST_START_TEST (test_unsupported_video_format)
{
  GstBus *bus;
  GstElement *e = make_inject ("black@0s+1s", NULL, 0, &bus);
  gchar *caps = video_caps ("RGB", 32, 32);
  GstHarness *h = start_harness (e, caps);
  GstVideoInfo info;
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, 32, 32);
  fail_unless_equals_int (gst_harness_push (h, make_frame (&info, 0)),
      GST_FLOW_NOT_NEGOTIATED);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (strstr (err->message, "black") != NULL, "%s", err->message);
  fail_unless (strstr (dbg, "videoconvert") != NULL, "%s", dbg);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (msg);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);

  /* frame-drop needs no pixel access: RGB is fine */
  e = make_inject ("frame-drop@0s+40ms", NULL, 0, &bus);
  caps = video_caps ("RGB", 32, 32);
  h = start_harness (e, caps);
  gst_harness_push (h, make_frame (&info, 0));
  gst_harness_push (h, make_frame (&info, 1));
  gst_harness_push (h, make_frame (&info, 2));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 1);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
}

GST_END_TEST;

GST_START_TEST (test_kind_not_applicable)
{
  GstBus *bus;
  GstElement *e = make_inject ("silence@0s+1s", NULL, 0, &bus);
  gchar *caps = video_caps ("I420", 32, 32);
  GstHarness *h = start_harness (e, caps);
  GstVideoInfo info;
  GstBuffer *in, *out;
  GstMessage *msg;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 32, 32);
  in = make_frame (&info, 0);
  gst_harness_push (h, gst_buffer_ref (in));
  out = gst_harness_pull (h);
  fail_unless (buffers_equal (in, out));
  /* a schedule where nothing applies is worth a warning */
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  gst_buffer_unref (in);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
}

GST_END_TEST;

/* audio */

/* the value of sample i of channel c in the test signal, never 0 */
static gdouble
signal_at (guint64 i, gint c)
{
  gdouble v = 0.5 * sin (2 * G_PI * 440.0 * i / RATE + c);

  return fabs (v) < 0.01 ? 0.01 : v;
}

static gdouble
fullscale (GstAudioFormat f)
{
  return f == GST_AUDIO_FORMAT_S16LE ? 32768.0 :
      f == GST_AUDIO_FORMAT_S32LE ? 2147483648.0 : 1.0;
}

static gdouble
read_sample (GstAudioFormat f, const guint8 * p)
{
  switch (f) {
    case GST_AUDIO_FORMAT_S16LE:
      return *(const gint16 *) p;
    case GST_AUDIO_FORMAT_S32LE:
      return *(const gint32 *) p;
    case GST_AUDIO_FORMAT_F32LE:
      return *(const gfloat *) p;
    default:
      return *(const gdouble *) p;
  }
}

static void
write_sample (GstAudioFormat f, guint8 * p, gdouble v)
{
  switch (f) {
    case GST_AUDIO_FORMAT_S16LE:
      *(gint16 *) p = (gint16) lround (v * 32767);
      break;
    case GST_AUDIO_FORMAT_S32LE:
      *(gint32 *) p = (gint32) lround (v * 2147483647.0);
      break;
    case GST_AUDIO_FORMAT_F32LE:
      *(gfloat *) p = v;
      break;
    default:
      *(gdouble *) p = v;
      break;
  }
}

static GstBuffer *
make_audio (const GstAudioInfo * info, guint64 first, guint n)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, (gsize) n * info->bpf, NULL);
  gboolean planar = info->layout == GST_AUDIO_LAYOUT_NON_INTERLEAVED;
  gint bps = info->finfo->width / 8, ch = info->channels, c;
  GstMapInfo map;
  guint i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < n; i++)
    for (c = 0; c < ch; c++) {
      gsize idx = planar ? (gsize) c * n + i : (gsize) i * ch + c;

      write_sample (info->finfo->format, map.data + idx * bps,
          signal_at (first + i, c));
    }
  gst_buffer_unmap (buf, &map);
  if (planar)
    gst_buffer_add_audio_meta (buf, info, n, NULL);
  GST_BUFFER_PTS (buf) = gst_util_uint64_scale_int (first, GST_SECOND, RATE);
  GST_BUFFER_DURATION (buf) = gst_util_uint64_scale_int (first + n,
      GST_SECOND, RATE) - GST_BUFFER_PTS (buf);
  GST_BUFFER_OFFSET (buf) = first;
  GST_BUFFER_OFFSET_END (buf) = first + n;
  return buf;
}

/* Sample i of channel c of an output buffer (raw, format scale). */
static gdouble
out_sample (const GstAudioInfo * info, GstAudioBuffer * ab, guint i, gint c)
{
  gint bps = info->finfo->width / 8;

  if (info->layout == GST_AUDIO_LAYOUT_NON_INTERLEAVED)
    return read_sample (info->finfo->format,
        (guint8 *) ab->planes[c] + (gsize) i * bps);
  return read_sample (info->finfo->format,
      (guint8 *) ab->planes[0] + ((gsize) i * info->channels + c) * bps);
}

static gdouble
in_sample (const GstAudioInfo * info, guint64 i, gint c)
{
  guint8 tmp[8];

  write_sample (info->finfo->format, tmp, signal_at (i, c));
  return read_sample (info->finfo->format, tmp);
}

typedef gdouble (*ExpectFunc) (const GstAudioInfo * info, guint64 i, gint c,
    gdouble in);

/* Pushes 100 ms in 10 ms buffers and checks every output sample against
 * @expect (which gets the absolute sample index). Returns the end spans. */
static GPtrArray *
run_audio (const gchar * caps, const gchar * schedule, ExpectFunc expect,
    guint64 seed)
{
  GstBus *bus;
  GstElement *e = make_inject (schedule, NULL, seed, &bus);
  GstHarness *h = start_harness (e, caps);
  GstAudioInfo info;
  GstCaps *c = gst_caps_from_string (caps);
  guint b;
  GPtrArray *spans;

  fail_unless (gst_audio_info_from_caps (&info, c));
  gst_caps_unref (c);
  for (b = 0; b < 10; b++) {
    GstBuffer *out;
    GstAudioBuffer ab;
    guint i;
    gint ch;

    fail_unless_equals_int (gst_harness_push (h, make_audio (&info, b * 480,
                480)), GST_FLOW_OK);
    out = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out),
        gst_util_uint64_scale_int (b * 480, GST_SECOND, RATE));
    fail_unless (gst_audio_buffer_map (&ab, &info, out, GST_MAP_READ));
    fail_unless_equals_int (ab.n_samples, 480);
    for (i = 0; i < 480; i++)
      for (ch = 0; ch < info.channels; ch++) {
        guint64 idx = b * 480 + i;
        gdouble want = expect (&info, idx, ch, in_sample (&info, idx, ch));
        gdouble got = out_sample (&info, &ab, i, ch);

        if (!isnan (want))
          fail_unless (got == want, "%s %s: sample %" G_GUINT64_FORMAT
              " ch %d: got %g, want %g", schedule,
              gst_audio_format_to_string (info.finfo->format), idx, ch, got,
              want);
      }
    gst_audio_buffer_unmap (&ab);
    gst_buffer_unref (out);
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  spans = pop_injected (bus, NULL);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  return spans;
}

/* silence@25ms+30ms: samples [1200, 2640) */
static gdouble
expect_silence (const GstAudioInfo * info, guint64 i, gint c, gdouble in)
{
  return i >= 1200 && i < 2640 ? 0.0 : in;
}

GST_START_TEST (test_silence_formats)
{
  static const gchar *formats[] = { "S16LE", "S32LE", "F32LE", "F64LE" };
  guint f, l;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    for (l = 0; l < 2; l++) {
      gchar *caps = g_strdup_printf ("audio/x-raw,format=%s,rate=%d,"
          "channels=2,layout=%s,channel-mask=(bitmask)0x3", formats[f], RATE,
          l ? "non-interleaved" : "interleaved");
      GPtrArray *spans = run_audio (caps, "silence@25ms+30ms",
          expect_silence, 0);

      fail_unless_equals_int (spans->len, 1);
      /* exact to the sample */
      check_span (g_ptr_array_index (spans, 0), "silence", 25 * GST_MSECOND,
          55 * GST_MSECOND, FALSE);
      g_ptr_array_unref (spans);
      g_free (caps);
    }
  }
}

GST_END_TEST;

#define CAPS_S16 "audio/x-raw,format=S16LE,rate=48000,channels=2," \
  "layout=interleaved,channel-mask=(bitmask)0x3"
#define CAPS_F32 "audio/x-raw,format=F32LE,rate=48000,channels=2," \
  "layout=interleaved,channel-mask=(bitmask)0x3"

/* channel-silence@10ms+20ms,channels=1: channel 1 of [480, 1440) */
static gdouble
expect_channel (const GstAudioInfo * info, guint64 i, gint c, gdouble in)
{
  return c == 1 && i >= 480 && i < 1440 ? 0.0 : in;
}

GST_START_TEST (test_channel_silence)
{
  GPtrArray *spans = run_audio (CAPS_S16,
      "channel-silence@10ms+20ms,channels=1", expect_channel, 0);
  GstAvMonitorDefect *d;
  guint64 mask = 0;

  fail_unless_equals_int (spans->len, 1);
  d = g_ptr_array_index (spans, 0);
  check_span (d, "channel-silence", 10 * GST_MSECOND, 30 * GST_MSECOND, FALSE);
  fail_unless (gst_structure_get_uint64 (gst_av_monitor_defect_get_details (d),
          "channel-mask", &mask));
  fail_unless_equals_uint64 (mask, 0x2);
  g_ptr_array_unref (spans);
}

GST_END_TEST;

/* dropout@20ms+50ms,length=5ms,count=3: runs at 20, 42.5, 65 ms */
static gdouble
expect_dropout (const GstAudioInfo * info, guint64 i, gint c, gdouble in)
{
  if ((i >= 960 && i < 1200) || (i >= 2040 && i < 2280) || (i >= 3120
          && i < 3360))
    return 0.0;
  return in;
}

GST_START_TEST (test_dropout)
{
  GPtrArray *spans = run_audio (CAPS_S16, "dropout@20ms+50ms,length=5ms,"
      "count=3", expect_dropout, 0);

  fail_unless_equals_int (spans->len, 3);
  check_span (g_ptr_array_index (spans, 0), "dropout", 20 * GST_MSECOND,
      25 * GST_MSECOND, FALSE);
  check_span (g_ptr_array_index (spans, 1), "dropout", 42500 * GST_USECOND,
      47500 * GST_USECOND, FALSE);
  check_span (g_ptr_array_index (spans, 2), "dropout", 65 * GST_MSECOND,
      70 * GST_MSECOND, FALSE);
  g_ptr_array_unref (spans);
}

GST_END_TEST;

/* clipping@50ms+20ms,gain=20: x10 then hard clip, samples [2400, 3360) */
static gdouble
expect_clip (const GstAudioInfo * info, guint64 i, gint c, gdouble in)
{
  gdouble fs = fullscale (info->finfo->format);

  if (i < 2400 || i >= 3360)
    return in;
  if (info->finfo->format == GST_AUDIO_FORMAT_F32LE)
    return (gfloat) CLAMP (in * 10.0, -1.0, 1.0);
  return CLAMP (round (in * 10.0), -fs, fs - 1);
}

GST_START_TEST (test_clipping)
{
  GPtrArray *spans = run_audio (CAPS_S16, "clipping@50ms+20ms,gain=20",
      expect_clip, 0);
  GstAvMonitorDefect *d;
  guint64 clipped = 0;

  fail_unless_equals_int (spans->len, 1);
  d = g_ptr_array_index (spans, 0);
  check_span (d, "clipping", 50 * GST_MSECOND, 70 * GST_MSECOND, FALSE);
  fail_unless (gst_structure_get_uint64 (gst_av_monitor_defect_get_details (d),
          "clipped-samples", &clipped));
  /* a 0.5 sine times 10 is over full scale most of the time */
  fail_unless (clipped > 960 && clipped < 1920, "%" G_GUINT64_FORMAT, clipped);
  g_ptr_array_unref (spans);

  spans = run_audio (CAPS_F32, "clipping@50ms+20ms,gain=20", expect_clip, 0);
  fail_unless_equals_int (spans->len, 1);
  g_ptr_array_unref (spans);
}

GST_END_TEST;

/* loudness@0ms+30ms,gain=-20: x0.1 on [0, 1440) */
static gdouble
expect_loudness (const GstAudioInfo * info, guint64 i, gint c, gdouble in)
{
  return i < 1440 ? round (in * pow (10.0, -1.0)) : in;
}

GST_START_TEST (test_loudness)
{
  GPtrArray *spans = run_audio (CAPS_S16, "loudness@0ms+30ms,gain=-20",
      expect_loudness, 0);

  fail_unless_equals_int (spans->len, 1);
  check_span (g_ptr_array_index (spans, 0), "loudness", 0, 30 * GST_MSECOND,
      FALSE);
  g_ptr_array_unref (spans);
}

GST_END_TEST;

static gdouble hiss_sum, hiss_peak;
static guint64 hiss_n;

GST_START_TEST (test_hiss)
{
  GstBus *bus;
  GstElement *e = make_inject ("hiss@10ms+80ms", NULL, 3, &bus);
  GstHarness *h = start_harness (e, CAPS_F32);
  GstAudioInfo info;
  GstCaps *c = gst_caps_from_string (CAPS_F32);
  GPtrArray *spans;
  gdouble rms_db;
  guint b;

  gst_audio_info_from_caps (&info, c);
  gst_caps_unref (c);
  hiss_sum = hiss_peak = 0;
  hiss_n = 0;
  for (b = 0; b < 10; b++) {
    GstBuffer *out;
    GstMapInfo map;
    const gfloat *s;
    guint i;

    gst_harness_push (h, make_audio (&info, b * 480, 480));
    out = gst_harness_pull (h);
    gst_buffer_map (out, &map, GST_MAP_READ);
    s = (const gfloat *) map.data;
    for (i = 0; i < 960; i++) {
      guint64 idx = b * 480 + i / 2;

      if (idx >= 480 && idx < 4320) {
        hiss_sum += s[i] * s[i];
        hiss_peak = MAX (hiss_peak, fabs (s[i]));
        hiss_n++;
      } else {
        fail_unless (s[i] == (gfloat) signal_at (idx, i % 2));
      }
    }
    gst_buffer_unmap (out, &map);
    gst_buffer_unref (out);
  }
  rms_db = 10 * log10 (hiss_sum / hiss_n);
  /* a -70 dBFS noise floor, not digital zero, peaks well below -50 dBFS */
  fail_unless (fabs (rms_db + 70.0) < 0.5, "rms %f dBFS", rms_db);
  fail_unless (hiss_peak > 0 && 20 * log10 (hiss_peak) < -60.0);
  gst_harness_push_event (h, gst_event_new_eos ());
  spans = pop_injected (bus, NULL);
  fail_unless_equals_int (spans->len, 1);
  check_span (g_ptr_array_index (spans, 0), "silence", 10 * GST_MSECOND,
      90 * GST_MSECOND, FALSE);
  g_ptr_array_unref (spans);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_END_TEST;

/* Checks that the buffers out of an audio-gap hold exactly the samples
 * outside [gap_start, gap_end), with timestamps that jump over the gap. */
static void
run_audio_gap (const gchar * schedule, guint64 gap_start, guint64 gap_end,
    guint n_buffers, guint buffer_samples)
{
  GstBus *bus;
  GstElement *e = make_inject (schedule, NULL, 0, &bus);
  GstHarness *h = start_harness (e, CAPS_S16);
  GstAudioInfo info;
  GstCaps *c = gst_caps_from_string (CAPS_S16);
  GstBuffer *out;
  GPtrArray *spans;
  guint64 next = 0, total = 0;
  guint b;

  gst_audio_info_from_caps (&info, c);
  gst_caps_unref (c);
  for (b = 0; b < n_buffers; b++)
    fail_unless_equals_int (gst_harness_push (h, make_audio (&info,
                b * buffer_samples, buffer_samples)), GST_FLOW_OK);
  gst_harness_push_event (h, gst_event_new_eos ());

  while ((out = gst_harness_try_pull (h))) {
    guint64 first_s = gst_util_uint64_scale_int_round (GST_BUFFER_PTS (out),
        RATE, GST_SECOND);
    GstMapInfo map;
    const gint16 *s;
    guint i, n;

    gst_buffer_map (out, &map, GST_MAP_READ);
    n = map.size / info.bpf;
    s = (const gint16 *) map.data;
    if (next == gap_start && first_s == gap_end)
      fail_unless (GST_BUFFER_FLAG_IS_SET (out, GST_BUFFER_FLAG_DISCONT));
    else
      fail_unless_equals_uint64 (first_s, next);
    fail_unless (first_s + n <= gap_start || first_s >= gap_end);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (out),
        gst_util_uint64_scale_int (first_s + n, GST_SECOND, RATE) -
        gst_util_uint64_scale_int (first_s, GST_SECOND, RATE));
    for (i = 0; i < n; i++)
      fail_unless (s[2 * i] == (gint) in_sample (&info, first_s + i, 0),
          "%s: sample %" G_GUINT64_FORMAT ": %d != %d", schedule, first_s + i,
          s[2 * i], (gint) in_sample (&info, first_s + i, 0));
    next = first_s + n;
    total += n;
    gst_buffer_unmap (out, &map);
    gst_buffer_unref (out);
  }
  fail_unless_equals_uint64 (total, (guint64) n_buffers * buffer_samples -
      (gap_end - gap_start));
  spans = pop_injected (bus, NULL);
  fail_unless_equals_int (spans->len, 1);
  check_span (g_ptr_array_index (spans, 0), "discontinuity",
      gst_util_uint64_scale_int (gap_start, GST_SECOND, RATE),
      gst_util_uint64_scale_int (gap_end, GST_SECOND, RATE), FALSE);
  g_ptr_array_unref (spans);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

GST_START_TEST (test_audio_gap)
{
  /* across buffers: head of one, two whole, tail of another */
  run_audio_gap ("audio-gap@25ms+30ms", 1200, 2640, 10, 480);
  /* inside one buffer: it is cut in two */
  run_audio_gap ("audio-gap@2ms+3ms", 96, 240, 3, 480);
}

GST_END_TEST;

/* encoded */

#define H264_CAPS "video/x-h264,stream-format=byte-stream,alignment=au"

static GstBuffer *
make_au (guint n)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 2000, NULL);
  GRand *r = g_rand_new_with_seed (n);
  GstMapInfo map;
  guint i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < map.size; i++)
    map.data[i] = g_rand_int_range (r, 0, 256);
  /* start codes at 0 and 1000 */
  memcpy (map.data, "\0\0\0\1\x41", 5);
  memcpy (map.data + 1000, "\0\0\1\x41", 4);
  gst_buffer_unmap (buf, &map);
  g_rand_free (r);
  GST_BUFFER_PTS (buf) = n * 40 * GST_MSECOND;
  GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
  if (n % 10 != 0)
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
  return buf;
}

static GBytes *
run_damage (guint64 seed, guint changed[15], GstAvMonitorDefect ** span)
{
  GstBus *bus;
  GstElement *e = make_inject ("bitstream-damage@80ms+120ms,rate=0.01", NULL,
      seed, &bus);
  GstHarness *h = start_harness (e, H264_CAPS);
  GByteArray *all = g_byte_array_new ();
  GPtrArray *spans;
  guint n;

  for (n = 0; n < 15; n++) {
    GstBuffer *in = make_au (n), *out;
    GstMapInfo mi, mo;
    guint i;

    gst_harness_push (h, gst_buffer_ref (in));
    out = gst_harness_pull (h);
    gst_buffer_map (in, &mi, GST_MAP_READ);
    gst_buffer_map (out, &mo, GST_MAP_READ);
    fail_unless_equals_int (mi.size, mo.size);
    changed[n] = 0;
    for (i = 0; i < mi.size; i++) {
      if (mi.data[i] == mo.data[i])
        continue;
      changed[n]++;
      /* headers and start codes survive, no new start code appears */
      fail_unless (i >= 8 && (i < 1000 || i >= 1011), "byte %u", i);
      fail_unless (mi.data[i] > 1 && mo.data[i] > 1);
    }
    g_byte_array_append (all, mo.data, mo.size);
    gst_buffer_unmap (in, &mi);
    gst_buffer_unmap (out, &mo);
    gst_buffer_unref (in);
    gst_buffer_unref (out);
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  spans = pop_injected (bus, NULL);
  fail_unless_equals_int (spans->len, 1);
  *span = g_ptr_array_steal_index (spans, 0);
  g_ptr_array_unref (spans);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  return g_byte_array_free_to_bytes (all);
}

GST_START_TEST (test_bitstream_damage)
{
  guint c1[15], c2[15], c3[15], n;
  GstAvMonitorDefect *s1, *s2, *s3;
  GBytes *o1 = run_damage (1, c1, &s1);
  GBytes *o2 = run_damage (1, c2, &s2);
  GBytes *o3 = run_damage (2, c3, &s3);

  for (n = 0; n < 15; n++) {
    if (n >= 2 && n <= 4)
      /* about 1% of the bytes; protected ones are skipped */
      fail_unless (c1[n] >= 10 && c1[n] <= 20, "AU %u: %u bytes", n, c1[n]);
    else
      fail_unless_equals_int (c1[n], 0);
  }
  fail_unless (g_bytes_equal (o1, o2));
  fail_unless (!g_bytes_equal (o1, o3));
  /* the damage lasts until the next keyframe (AU 10, 400 ms) */
  check_span (s1, "block-corruption", 80 * GST_MSECOND, 400 * GST_MSECOND,
      FALSE);
  g_bytes_unref (o1);
  g_bytes_unref (o2);
  g_bytes_unref (o3);
  gst_av_monitor_defect_free (s1);
  gst_av_monitor_defect_free (s2);
  gst_av_monitor_defect_free (s3);
}

GST_END_TEST;

/* any stream */

/* Running time of @pts under the last segment event the harness got;
 * @seg keeps the last one between calls (format undefined: none yet). */
static GstClockTime
out_running_time (GstHarness * h, GstSegment * seg, GstClockTime pts)
{
  GstEvent *ev;

  while ((ev = gst_harness_try_pull_event (h))) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_SEGMENT)
      gst_event_copy_segment (ev, seg);
    gst_event_unref (ev);
  }
  fail_unless_equals_int (seg->format, GST_FORMAT_TIME);
  return gst_segment_to_running_time (seg, GST_FORMAT_TIME, pts);
}

static void
run_av_offset (const gchar * caps, const gchar * offset,
    GstClockTime pts, GstClockTime want_running)
{
  GstBus *bus;
  gchar *sched = g_strdup_printf ("av-offset@0s+0s,offset=%s", offset);
  GstElement *e = make_inject (sched, NULL, 0, &bus);
  GstHarness *h = start_harness (e, caps);
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 1920, NULL), *out;
  GPtrArray *spans;
  GstAvMonitorDefect *d;
  GstSegment seg;

  gst_buffer_memset (buf, 0, 1, 1920);
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = 10 * GST_MSECOND;
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  out = gst_harness_pull (h);
  /* the PTS is not rewritten: the segment carries the shift */
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), pts);
  gst_segment_init (&seg, GST_FORMAT_UNDEFINED);
  fail_unless_equals_uint64 (out_running_time (h, &seg, pts), want_running);
  gst_buffer_unref (out);
  gst_harness_push_event (h, gst_event_new_eos ());
  spans = pop_injected (bus, NULL);
  fail_unless_equals_int (spans->len, 1);
  d = g_ptr_array_index (spans, 0);
  fail_unless_equals_string (gst_av_monitor_defect_get_kind_nick (d),
      "av-sync");
  fail_unless_equals_int (gst_av_monitor_defect_get_stream_type (d),
      GST_AV_MONITOR_STREAM_TYPE_AV);
  /* until the end: ended by EOS */
  fail_unless (gst_av_monitor_defect_get_truncated (d));
  g_ptr_array_unref (spans);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (sched);
}

GST_START_TEST (test_av_offset)
{
  gchar *vcaps = video_caps ("I420", 32, 40);

  /* BT.1359: +120 ms = audio leads. On audio: audio 120 ms earlier. */
  run_av_offset (CAPS_S16, "120ms", 200 * GST_MSECOND, 80 * GST_MSECOND);
  run_av_offset (CAPS_S16, "-120ms", 200 * GST_MSECOND, 320 * GST_MSECOND);
  /* On video: video 120 ms later, the same relation */
  run_av_offset (vcaps, "120ms", 200 * GST_MSECOND, 320 * GST_MSECOND);
  run_av_offset (vcaps, "-120ms", 200 * GST_MSECOND, 80 * GST_MSECOND);
  /* encoded streams too, by their media type */
  run_av_offset (H264_CAPS, "40ms", 200 * GST_MSECOND, 240 * GST_MSECOND);
  g_free (vcaps);
}

GST_END_TEST;

GST_START_TEST (test_av_offset_window)
{
  GstBus *bus;
  GstElement *e = make_inject ("av-offset@100ms+100ms,offset=-50ms", NULL, 0,
      &bus);
  gchar *caps = video_caps ("I420", 32, 32);
  GstHarness *h = start_harness (e, caps);
  GstPad *src = gst_element_get_static_pad (h->element, "src");
  GstVideoInfo info;
  GPtrArray *spans;
  GstSegment seg;
  guint n;

  gst_segment_init (&seg, GST_FORMAT_UNDEFINED);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 32, 32);
  for (n = 0; n < 9; n++) {
    GstBuffer *out;
    GstClockTime pts = frame_pts (n), want;

    gst_harness_push (h, make_frame (&info, n));
    out = gst_harness_pull (h);
    /* video earlier by 50 ms (audio lags) inside [100 ms, 200 ms) */
    fail_unless_equals_int64 (gst_pad_get_offset (src),
        pts >= 100 * GST_MSECOND && pts < 200 * GST_MSECOND ?
        -50 * GST_MSECOND : 0);
    want = pts >= 100 * GST_MSECOND && pts < 200 * GST_MSECOND ?
        pts - 50 * GST_MSECOND : pts;
    fail_unless_equals_uint64 (out_running_time (h, &seg, pts), want);
    gst_buffer_unref (out);
  }
  spans = pop_injected (bus, NULL);
  fail_unless_equals_int (spans->len, 1);
  check_span (g_ptr_array_index (spans, 0), "av-sync", frame_pts (3),
      frame_pts (6), FALSE);
  g_ptr_array_unref (spans);
  gst_object_unref (src);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
}

GST_END_TEST;

GST_START_TEST (test_stall)
{
  GstBus *bus;
  GstElement *e = make_inject ("stall@100ms+300ms", NULL, 0, &bus);
  gchar *caps = video_caps ("I420", 32, 32);
  GstHarness *h = start_harness (e, caps);
  GstVideoInfo info;
  GPtrArray *spans;
  GstAvMonitorDefect *d;
  gint64 t0, held;
  guint n;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 32, 32);
  for (n = 0; n < 6; n++) {
    t0 = g_get_monotonic_time ();
    fail_unless_equals_int (gst_harness_push (h, make_frame (&info, n)),
        GST_FLOW_OK);
    held = g_get_monotonic_time () - t0;
    if (n == 3)
      fail_unless (held >= 300000 && held < 2000000, "held %" G_GINT64_FORMAT,
          held);
    else
      fail_unless (held < 200000, "frame %u held %" G_GINT64_FORMAT, n, held);
  }
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 6);
  spans = pop_injected (bus, NULL);
  fail_unless_equals_int (spans->len, 1);
  d = g_ptr_array_index (spans, 0);
  fail_unless_equals_string (gst_av_monitor_defect_get_kind_nick (d), "stall");
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_start_stream_time (d),
      frame_pts (3));
  fail_unless (gst_av_monitor_defect_get_duration (d) >= 300 * GST_MSECOND);
  fail_unless (!gst_av_monitor_defect_get_truncated (d));
  g_ptr_array_unref (spans);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
}

GST_END_TEST;

typedef struct
{
  GstHarness *h;
  GstBuffer *buf;
  GstFlowReturn ret;
} PushData;

static gpointer
push_thread (gpointer data)
{
  PushData *p = data;

  p->ret = gst_harness_push (p->h, p->buf);
  return NULL;
}

static void
run_stall_interrupted (gboolean by_flush)
{
  GstBus *bus;
  GstElement *e = make_inject ("stall@0s+30s", NULL, 0, &bus);
  gchar *caps = video_caps ("I420", 32, 32);
  GstHarness *h = start_harness (e, caps);
  GstVideoInfo info;
  PushData p;
  GThread *t;
  gint64 t0;
  GPtrArray *spans;
  GstMessage *msg;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 32, 32);
  p.h = h;
  p.buf = make_frame (&info, 0);
  p.ret = GST_FLOW_OK;
  t = g_thread_new ("push", push_thread, &p);
  /* wait until the stall has started */
  while (!(msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT)))
    g_usleep (10000);
  gst_message_unref (msg);

  t0 = g_get_monotonic_time ();
  if (by_flush)
    gst_harness_push_event (h, gst_event_new_flush_start ());
  else
    fail_unless_equals_int (gst_element_set_state (h->element,
            GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  g_thread_join (t);
  /* woken at once, not after 30 s */
  fail_unless (g_get_monotonic_time () - t0 < 2000000);
  fail_unless_equals_int (p.ret, GST_FLOW_FLUSHING);

  spans = pop_injected (bus, NULL);
  fail_unless_equals_int (spans->len, 1);
  fail_unless (gst_av_monitor_defect_get_truncated (g_ptr_array_index (spans,
              0)));
  g_ptr_array_unref (spans);
  if (by_flush)
    gst_harness_push_event (h, gst_event_new_flush_stop (TRUE));
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
}

GST_START_TEST (test_stall_interrupted)
{
  run_stall_interrupted (TRUE);
  run_stall_interrupted (FALSE);
}

GST_END_TEST;

GST_START_TEST (test_eos_truncates)
{
  GstBus *bus;
  gchar *truth = tmp_truth (), **lines;
  GstElement *e = make_inject ("black@100ms+10s", truth, 0, &bus);
  gchar *caps = video_caps ("I420", 32, 32);
  GstHarness *h = start_harness (e, caps);
  GstVideoInfo info;
  GPtrArray *spans;
  guint n;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 32, 32);
  for (n = 0; n < 6; n++)
    gst_harness_push (h, make_frame (&info, n));
  gst_harness_push_event (h, gst_event_new_eos ());
  spans = pop_injected (bus, NULL);
  fail_unless_equals_int (spans->len, 1);
  /* ends with the last frame that was black */
  check_span (g_ptr_array_index (spans, 0), "black", frame_pts (3),
      frame_pts (6), TRUE);
  g_ptr_array_unref (spans);
  lines = read_truth (truth);
  fail_unless_equals_int (g_strv_length (lines), 1);
  fail_unless (strstr (lines[0], "\"truncated\":true") != NULL);
  g_strfreev (lines);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
  remove_truth (truth);
}

GST_END_TEST;

GST_START_TEST (test_idle_passthrough)
{
  GstBus *bus;
  GstElement *e = make_inject ("black@10s+1s", NULL, 0, &bus);
  gchar *caps = video_caps ("I420", 32, 32);
  GstHarness *h = start_harness (e, caps);
  GstVideoInfo info;
  GstBuffer *in, *out;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 32, 32);
  in = make_frame (&info, 0);
  gst_harness_push (h, gst_buffer_ref (in));
  out = gst_harness_pull (h);
  /* outside every window the very same buffer goes through */
  fail_unless (out == in);
  gst_buffer_unref (in);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_object_unref (bus);
  g_free (caps);
}

GST_END_TEST;

static Suite *
avdefectinject_suite (void)
{
  Suite *s = suite_create ("avdefectinject");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_schedule_parse);
  tcase_add_test (tc, test_schedule_errors);
  tcase_add_test (tc, test_schedule_property_refused);
  tcase_add_test (tc, test_freeze);
  tcase_add_test (tc, test_freeze_between_frames);
  tcase_add_test (tc, test_black_formats);
  tcase_add_test (tc, test_uniform);
  tcase_add_test (tc, test_block_corruption);
  tcase_add_test (tc, test_frame_drop);
  tcase_add_test (tc, test_unsupported_video_format);
  tcase_add_test (tc, test_kind_not_applicable);
  tcase_add_test (tc, test_silence_formats);
  tcase_add_test (tc, test_channel_silence);
  tcase_add_test (tc, test_dropout);
  tcase_add_test (tc, test_clipping);
  tcase_add_test (tc, test_loudness);
  tcase_add_test (tc, test_hiss);
  tcase_add_test (tc, test_audio_gap);
  tcase_add_test (tc, test_bitstream_damage);
  tcase_add_test (tc, test_av_offset);
  tcase_add_test (tc, test_av_offset_window);
  tcase_add_test (tc, test_stall);
  tcase_add_test (tc, test_stall_interrupted);
  tcase_add_test (tc, test_eos_truncates);
  tcase_add_test (tc, test_idle_passthrough);
  return s;
}

GST_CHECK_MAIN (avdefectinject);
