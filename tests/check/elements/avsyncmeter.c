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
#include <gst/video/video.h>
#include <math.h>
#include <string.h>
#include "avmonitor.h"

#define VW 64
#define VH 36

/* Two harnesses on one element: one per pad pair. */
typedef struct
{
  GstHarness *v, *a;
  GstBus *bus;
  gint fps_n, fps_d, rate;
  guint64 frames, samples;
  GstClockTime a_shift;         /* added to every audio PTS */
} Pair;

static void
pair_init (Pair * p, gint fps_n, gint fps_d, gint rate, const gchar * props)
{
  gchar *caps;

  memset (p, 0, sizeof (*p));
  p->fps_n = fps_n;
  p->fps_d = fps_d;
  p->rate = rate;
  p->v = gst_harness_new_with_padnames ("avsyncmeter", "video_sink",
      "video_src");
  p->a = gst_harness_new_with_element (p->v->element, "audio_sink",
      "audio_src");
  if (props)
    gst_util_set_object_arg (G_OBJECT (p->v->element), "mode", props);
  p->bus = gst_bus_new ();
  gst_element_set_bus (p->v->element, p->bus);
  caps = g_strdup_printf ("video/x-raw,format=GRAY8,width=%d,height=%d,"
      "framerate=%d/%d", VW, VH, fps_n, fps_d);
  gst_harness_set_src_caps_str (p->v, caps);
  g_free (caps);
  caps = g_strdup_printf ("audio/x-raw,format=S16LE,layout=interleaved,"
      "rate=%d,channels=1", rate);
  gst_harness_set_src_caps_str (p->a, caps);
  g_free (caps);
}

static void
pair_clear (Pair * p)
{
  gst_bus_set_flushing (p->bus, TRUE);
  gst_element_set_bus (p->v->element, NULL);
  gst_object_unref (p->bus);
  gst_harness_teardown (p->a);
  gst_harness_teardown (p->v);
}

static GstClockTime
frame_pts (Pair * p, guint64 n)
{
  return gst_util_uint64_scale (n, GST_SECOND * p->fps_d, p->fps_n);
}

static void
push_frame (Pair * p, guint8 luma)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, VW * VH, NULL);

  gst_buffer_memset (buf, 0, luma, VW * VH);
  GST_BUFFER_PTS (buf) = frame_pts (p, p->frames);
  GST_BUFFER_DURATION (buf) = frame_pts (p, p->frames + 1) -
      frame_pts (p, p->frames);
  p->frames++;
  fail_unless_equals_int (gst_harness_push (p->v, buf), GST_FLOW_OK);
  gst_buffer_unref (gst_harness_pull (p->v));
}

/* Audio as a function of the absolute sample index. */
typedef gint16 (*SampleFunc) (gpointer data, gint64 index);

static void
push_audio (Pair * p, guint n, SampleFunc f, gpointer data)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, n * 2, NULL);
  GstMapInfo map;
  guint i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < n; i++)
    ((gint16 *) map.data)[i] = f (data, (gint64) (p->samples + i));
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = p->a_shift +
      gst_util_uint64_scale (p->samples, GST_SECOND, p->rate);
  GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (n, GST_SECOND, p->rate);
  p->samples += n;
  fail_unless_equals_int (gst_harness_push (p->a, buf), GST_FLOW_OK);
  gst_buffer_unref (gst_harness_pull (p->a));
}

static GstClockTime
audio_pts (Pair * p)
{
  return gst_util_uint64_scale (p->samples, GST_SECOND, p->rate);
}

/* Collects every element message posted so far. */
static GList *
take_messages (Pair * p, const gchar * name)
{
  GList *l = NULL;
  GstMessage *m;

  while ((m = gst_bus_pop_filtered (p->bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (m);

    if (s && (name == NULL || gst_structure_has_name (s, name)))
      l = g_list_append (l, gst_structure_copy (s));
    gst_message_unref (m);
  }
  return l;
}

static void
free_list (GList * l)
{
  g_list_free_full (l, (GDestroyNotify) gst_structure_free);
}

/* markers: black frames with a white flash, silence with a 1 kHz beep */

typedef struct
{
  gint rate;
  GArray *beeps;                /* gint64 first sample of each beep, sorted */
  gint len;
  guint cur;                    /* samples come in order: a cursor */
} Beeps;

static gint16
beep_sample (gpointer data, gint64 idx)
{
  Beeps *b = data;

  while (b->cur < b->beeps->len &&
      idx >= g_array_index (b->beeps, gint64, b->cur) + b->len)
    b->cur++;
  if (b->cur < b->beeps->len) {
    gint64 s = g_array_index (b->beeps, gint64, b->cur);

    if (idx >= s)
      return (gint16) (16000 * sin (2 * G_PI * 1000.0 * (idx - s) / b->rate));
  }
  return 0;
}

/* Runs `seconds` of flash/beep media where each beep is placed `offset`
 * before its flash (BT.1359: offset = video - audio). Returns the sync
 * messages. */
static GList *
run_markers (gint fps_n, gint fps_d, gint rate, gint64 offset,
    GstClockTime period, gdouble seconds, const gchar * extra_prop,
    guint extra_value)
{
  Pair p;
  Beeps b;
  GstClockTime next_marker = GST_SECOND / 2;
  guint64 total_frames = (guint64) (seconds * fps_n / fps_d);
  GList *msgs;

  pair_init (&p, fps_n, fps_d, rate, "markers");
  if (extra_prop)
    g_object_set (p.v->element, extra_prop, extra_value, NULL);
  b.rate = rate;
  b.cur = 0;
  b.len = rate / 25;
  b.beeps = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* the beep positions are known before the audio is made: fill them in
   * while the video is generated one frame ahead */
  while (p.frames < total_frames) {
    GstClockTime pts = frame_pts (&p, p.frames);
    gboolean flash = FALSE;

    if (pts >= next_marker) {
      gint64 at = (gint64) pts - offset;
      gint64 s = gst_util_uint64_scale_round (at, rate, GST_SECOND);

      g_array_append_val (b.beeps, s);
      flash = TRUE;
      next_marker += period;
    }
    push_frame (&p, flash ? 235 : 16);
    /* audio runs 0.6 s behind the video: beeps placed before their flash
     * are known by then */
    while (audio_pts (&p) + 600 * GST_MSECOND < frame_pts (&p, p.frames))
      push_audio (&p, 1024, beep_sample, &b);
  }
  while (audio_pts (&p) < frame_pts (&p, p.frames) + GST_SECOND)
    push_audio (&p, 1024, beep_sample, &b);
  gst_harness_push_event (p.a, gst_event_new_eos ());
  gst_harness_push_event (p.v, gst_event_new_eos ());
  msgs = take_messages (&p, NULL);
  g_array_free (b.beeps, TRUE);
  pair_clear (&p);
  return msgs;
}

static void
check_marker_offset (gint fps_n, gint fps_d, gint rate, gint64 offset)
{
  GstClockTime period = ABS (offset) > 400 * GST_MSECOND ?
      2 * GST_SECOND : GST_SECOND;
  GList *msgs = run_markers (fps_n, fps_d, rate, offset, period, 12.0,
      NULL, 0), *l;
  guint valid = 0;
  gdouble worst = 0;

  for (l = msgs; l; l = l->next) {
    const GstStructure *s = l->data;
    gboolean v;
    gint64 off;
    gdouble ms;

    if (!gst_structure_has_name (s, GST_AV_MONITOR_SYNC_NAME))
      continue;
    fail_unless (gst_structure_get_boolean (s, "valid", &v));
    fail_unless_equals_string (gst_structure_get_string (s, "method"),
        "markers");
    if (!v)
      continue;
    valid++;
    fail_unless (gst_structure_get_int64 (s, "offset", &off));
    fail_unless (gst_structure_get_double (s, "offset-ms", &ms));
    fail_unless (fabs (ms - off / 1e6) < 1e-3);
    worst = MAX (worst, fabs ((gdouble) (off - offset)));
  }
  GST_INFO ("%d/%d fps %d Hz offset %" G_GINT64_FORMAT " ms: %u valid, "
      "worst error %.3f ms", fps_n, fps_d, rate, offset / GST_MSECOND,
      valid, worst / 1e6);
  fail_unless (valid >= 8, "only %u valid measurements", valid);
  fail_unless (worst <= 1e6, "error %.3f ms at offset %" G_GINT64_FORMAT
      " ms, %d/%d fps, %d Hz", worst / 1e6, offset / GST_MSECOND, fps_n,
      fps_d, rate);
  free_list (msgs);
}

static const gint64 marker_offsets_ms[] = { -500, -250, -100, -40, 0, 40,
  100, 250, 500
};

GST_START_TEST (test_markers_accuracy)
{
  static const gint fps[][2] = { {24000, 1001}, {25, 1}, {30000, 1001},
  {50, 1}, {60000, 1001}
  };
  static const gint rates[] = { 48000, 44100 };
  guint f, r, o;

  for (f = 0; f < G_N_ELEMENTS (fps); f++)
    for (r = 0; r < G_N_ELEMENTS (rates); r++)
      for (o = 0; o < G_N_ELEMENTS (marker_offsets_ms); o++)
        check_marker_offset (fps[f][0], fps[f][1], rates[r],
            marker_offsets_ms[o] * GST_MSECOND);
}

GST_END_TEST;

/* BT.1359: a beep before its flash is audio leading: positive offset. */
GST_START_TEST (test_markers_sign)
{
  GList *msgs = run_markers (25, 1, 48000, 120 * GST_MSECOND, GST_SECOND,
      6.0, NULL, 0), *l;
  gboolean seen = FALSE;

  for (l = msgs; l; l = l->next) {
    gboolean v = FALSE;
    gdouble ms;

    if (!gst_structure_has_name (l->data, GST_AV_MONITOR_SYNC_NAME))
      continue;
    gst_structure_get_boolean (l->data, "valid", &v);
    if (!v)
      continue;
    gst_structure_get_double (l->data, "offset-ms", &ms);
    fail_unless (ms > 119 && ms < 121, "audio leading gave %f ms", ms);
    seen = TRUE;
  }
  fail_unless (seen);
  free_list (msgs);

  /* and a beep after its flash (audio late) is negative */
  msgs = run_markers (25, 1, 48000, -120 * GST_MSECOND, GST_SECOND, 6.0,
      NULL, 0);
  seen = FALSE;
  for (l = msgs; l; l = l->next) {
    gboolean v = FALSE;
    gdouble ms;

    if (!gst_structure_has_name (l->data, GST_AV_MONITOR_SYNC_NAME))
      continue;
    gst_structure_get_boolean (l->data, "valid", &v);
    if (!v)
      continue;
    gst_structure_get_double (l->data, "offset-ms", &ms);
    fail_unless (ms < -119 && ms > -121, "audio lagging gave %f ms", ms);
    seen = TRUE;
  }
  fail_unless (seen);
  free_list (msgs);
}

GST_END_TEST;

/* FFmpeg's avsynctest pattern, redrawn: black frames with a moving marker
 * (its progress bar), a white box over ~9% of the frame on flash frames,
 * an 800 Hz beep at -30 dBFS one frame long every 3 s, and a first beep
 * that has no flash. Default settings: full-frame region, broadband. */
static void
draw_avsynctest (guint8 * y, guint64 n, gboolean flash)
{
  guint i, j, x0 = (guint) (n * 3 % (VW - 4));

  memset (y, 0, VW * VH);
  for (j = 26; j < 29; j++)
    for (i = x0; i < x0 + 3; i++)
      y[j * VW + i] = 255;
  if (flash)
    for (j = 12; j < 21; j++)
      for (i = 21; i < 43; i++)
        y[j * VW + i] = 255;
}

typedef struct
{
  gint rate;
  gint64 first;                 /* sample of the first beep */
  gint64 period;                /* samples */
  gint len;
} Pattern;

static gint16
pattern_sample (gpointer data, gint64 idx)
{
  Pattern *pt = data;
  gint64 k;

  if (idx < pt->first)
    return 0;
  k = (idx - pt->first) % pt->period;
  if (k >= pt->len)
    return 0;
  return (gint16) (1024 * sin (2 * G_PI * 800.0 * k / pt->rate));
}

GST_START_TEST (test_markers_avsynctest_pattern)
{
  static const gint64 offsets_ms[] = { -300, -100, 0, 133, 400 };
  guint o;

  for (o = 0; o < G_N_ELEMENTS (offsets_ms); o++) {
    gint64 offset = offsets_ms[o] * GST_MSECOND;
    Pair p;
    Pattern pt;
    GList *msgs, *l;
    guint valid = 0;

    pair_init (&p, 30, 1, 48000, "auto");
    pt.rate = 48000;
    pt.period = 3 * 48000;
    pt.len = 48000 / 30;
    /* flashes at 3 s, 6 s, ...; beeps at 0, 3 s, ... shifted by -offset */
    pt.first = -gst_util_uint64_scale_int (ABS (offset), 48000, GST_SECOND)
        * (offset > 0 ? 1 : -1) + 3 * 48000;
    pt.first = pt.first % pt.period;
    while (p.frames < 30 * 20) {
      GstBuffer *buf = gst_buffer_new_allocate (NULL, VW * VH, NULL);
      GstMapInfo map;

      gst_buffer_map (buf, &map, GST_MAP_WRITE);
      draw_avsynctest (map.data, p.frames, p.frames % 90 == 0 && p.frames);
      gst_buffer_unmap (buf, &map);
      GST_BUFFER_PTS (buf) = frame_pts (&p, p.frames);
      GST_BUFFER_DURATION (buf) = frame_pts (&p, 1);
      p.frames++;
      gst_harness_push (p.v, buf);
      gst_buffer_unref (gst_harness_pull (p.v));
      while (audio_pts (&p) + 600 * GST_MSECOND < frame_pts (&p, p.frames))
        push_audio (&p, 1024, pattern_sample, &pt);
    }
    gst_harness_push_event (p.a, gst_event_new_eos ());
    gst_harness_push_event (p.v, gst_event_new_eos ());
    msgs = take_messages (&p, GST_AV_MONITOR_SYNC_NAME);
    for (l = msgs; l; l = l->next) {
      gboolean v = FALSE;
      gint64 off;

      gst_structure_get_boolean (l->data, "valid", &v);
      if (!v || g_strcmp0 (gst_structure_get_string (l->data, "method"),
              "markers"))
        continue;
      valid++;
      gst_structure_get_int64 (l->data, "offset", &off);
      fail_unless (ABS (off - offset) <= GST_MSECOND,
          "avsynctest pattern: %" G_GINT64_FORMAT " ns for %" G_GINT64_FORMAT
          " ms", off, offsets_ms[o]);
    }
    GST_INFO ("avsynctest pattern at %" G_GINT64_FORMAT " ms: %u valid",
        offsets_ms[o], valid);
    fail_unless (valid >= 10, "%u valid marker measurements", valid);
    free_list (msgs);
    pair_clear (&p);
  }
}

GST_END_TEST;

static gint16
silence (gpointer data, gint64 idx)
{
  return 0;
}

GST_START_TEST (test_timestamps_start_offset_and_gaps)
{
  Pair p;
  GList *msgs, *l;
  const GstStructure *last;
  gint64 start;
  guint64 gaps, gap_time, overlaps;
  guint i;

  pair_init (&p, 25, 1, 48000, "timestamps");
  g_object_set (p.v->element, "gap-tolerance", (guint64) 0, NULL);
  p.a_shift = 123456789;
  for (i = 0; i < 100; i++) {
    push_frame (&p, 16);
    while (audio_pts (&p) < frame_pts (&p, p.frames))
      push_audio (&p, 480, silence, NULL);
    if (i == 50) {
      /* a gap of 100 ms + 7 ns, then later an overlap of 5 ms */
      p.a_shift += 100 * GST_MSECOND + 7;
    } else if (i == 70) {
      p.a_shift -= 5 * GST_MSECOND;
    }
  }
  gst_harness_push_event (p.a, gst_event_new_eos ());
  gst_harness_push_event (p.v, gst_event_new_eos ());
  msgs = take_messages (&p, GST_AV_MONITOR_SYNC_NAME);
  fail_unless (g_list_length (msgs) >= 3);
  last = g_list_last (msgs)->data;
  fail_unless (gst_structure_get_int64 (last, "start-offset", &start));
  /* video first frame at 0, first audio sample at 123456789 */
  fail_unless_equals_int64 (start, -123456789);
  fail_unless (gst_structure_get_uint64 (last, "audio-gaps", &gaps));
  fail_unless_equals_uint64 (gaps, 1);
  fail_unless (gst_structure_get_uint64 (last, "audio-gap-time", &gap_time));
  fail_unless_equals_uint64 (gap_time, 100 * GST_MSECOND + 7);
  fail_unless (gst_structure_get_uint64 (last, "audio-overlaps", &overlaps));
  fail_unless_equals_uint64 (overlaps, 1);
  fail_unless (gst_structure_get_uint64 (last, "audio-overlap-time",
          &gap_time));
  fail_unless_equals_uint64 (gap_time, 5 * GST_MSECOND);
  /* the jumps without DISCONT moved the sound: 95 ms + 7 ns later, which
   * is audio lagging: offset = video - audio < 0 */
  for (l = msgs; l; l = l->next) {
    gboolean v;

    fail_unless (gst_structure_get_boolean (l->data, "valid", &v) && v);
    fail_unless_equals_string (gst_structure_get_string (l->data, "method"),
        "timestamps");
  }
  {
    gint64 off;

    fail_unless (gst_structure_get_int64 (last, "offset", &off));
    fail_unless_equals_int64 (off, -(95 * GST_MSECOND + 7));
  }
  free_list (msgs);
  pair_clear (&p);
}

GST_END_TEST;

GST_START_TEST (test_timestamps_drift)
{
  Pair p;
  GList *msgs;
  const GstStructure *last;
  gdouble appm, drift;
  guint i;

  /* 60 s of audio whose timestamps run 100 ppm fast against its samples */
  pair_init (&p, 25, 1, 48000, "timestamps");
  for (i = 0; i < 60 * 25; i++) {
    push_frame (&p, 16);
    while (audio_pts (&p) < frame_pts (&p, p.frames)) {
      GstBuffer *buf = gst_buffer_new_allocate (NULL, 960 * 2, NULL);

      gst_buffer_memset (buf, 0, 0, 960 * 2);
      GST_BUFFER_PTS (buf) = (GstClockTime) (audio_pts (&p) * 1.0001);
      p.samples += 960;
      gst_harness_push (p.a, buf);
      gst_buffer_unref (gst_harness_pull (p.a));
    }
  }
  gst_harness_push_event (p.a, gst_event_new_eos ());
  gst_harness_push_event (p.v, gst_event_new_eos ());
  msgs = take_messages (&p, GST_AV_MONITOR_SYNC_NAME);
  last = g_list_last (msgs)->data;
  fail_unless (gst_structure_get_double (last, "audio-drift-ppm", &appm));
  fail_unless (fabs (appm - 100.0) < 1.0, "audio drift %f ppm", appm);
  fail_unless (gst_structure_get_double (last, "drift-ppm", &drift));
  fail_unless (fabs (drift + 100.0) < 1.0, "relative drift %f ppm", drift);
  free_list (msgs);
  pair_clear (&p);
}

GST_END_TEST;

/* persistence and spans */

GST_START_TEST (test_span_persistence)
{
  guint persistence;

  for (persistence = 1; persistence <= 4; persistence += 3) {
    Pair p;
    Beeps b;
    GstClockTime next_marker = GST_SECOND / 2;
    GList *all = NULL, *l;
    GstMessage *m;
    guint valid_before_start = 0, starts = 0, ends = 0;
    gboolean started = FALSE;
    GstEvent *ev;
    gboolean end_before_eos = FALSE, eos_seen = FALSE;

    pair_init (&p, 25, 1, 48000, "markers");
    g_object_set (p.v->element, "persistence", persistence, NULL);
    b.rate = 48000;
    b.cur = 0;
    b.len = 1920;
    b.beeps = g_array_new (FALSE, FALSE, sizeof (gint64));
    while (p.frames < 25 * 12) {
      GstClockTime pts = frame_pts (&p, p.frames);
      gboolean flash = FALSE;

      if (pts >= next_marker) {
        /* 150 ms lead: an error for BT.1359 */
        gint64 s = gst_util_uint64_scale_round (pts - 150 * GST_MSECOND,
            48000, GST_SECOND);

        g_array_append_val (b.beeps, s);
        flash = TRUE;
        next_marker += GST_SECOND;
      }
      push_frame (&p, flash ? 235 : 16);
      while (audio_pts (&p) + 600 * GST_MSECOND < frame_pts (&p, p.frames))
        push_audio (&p, 1024, beep_sample, &b);
    }
    gst_harness_push_event (p.a, gst_event_new_eos ());
    gst_harness_push_event (p.v, gst_event_new_eos ());

    while ((m = gst_bus_pop_filtered (p.bus, GST_MESSAGE_ELEMENT))) {
      all = g_list_append (all,
          gst_structure_copy (gst_message_get_structure (m)));
      gst_message_unref (m);
    }
    for (l = all; l; l = l->next) {
      const GstStructure *s = l->data;

      if (gst_structure_has_name (s, GST_AV_MONITOR_SYNC_NAME)) {
        gboolean v = FALSE;

        gst_structure_get_boolean (s, "valid", &v);
        if (v && !started)
          valid_before_start++;
      } else if (gst_av_monitor_structure_is_defect (s)) {
        GstAvMonitorDefect *d = gst_av_monitor_defect_new_from_structure (s);

        fail_unless_equals_int (gst_av_monitor_defect_get_kind (d),
            GST_AV_MONITOR_DEFECT_KIND_AV_SYNC);
        fail_unless_equals_int (gst_av_monitor_defect_get_stream_type (d),
            GST_AV_MONITOR_STREAM_TYPE_AV);
        fail_unless_equals_int (gst_av_monitor_defect_get_severity (d),
            GST_AV_MONITOR_SEVERITY_ERROR);
        fail_unless_equals_string (gst_av_monitor_defect_get_unit (d), "ms");
        fail_unless (fabs (gst_av_monitor_defect_get_value (d) - 150) < 1);
        fail_unless_equals_float (gst_av_monitor_defect_get_threshold (d),
            90.0);
        if (gst_av_monitor_defect_get_event (d) ==
            GST_AV_MONITOR_DEFECT_EVENT_START) {
          started = TRUE;
          starts++;
        } else {
          ends++;
          fail_unless (gst_av_monitor_defect_get_truncated (d));
        }
        gst_av_monitor_defect_free (d);
      }
    }
    /* the span starts with the persistence-th out-of-tolerance value (its
     * message comes just before the start) */
    fail_unless_equals_int (valid_before_start, persistence);
    fail_unless_equals_int (starts, 1);
    fail_unless_equals_int (ends, 1);

    /* in-band: the end event reaches video_src before EOS, and nothing of
     * ours goes to audio_src */
    while ((ev = gst_harness_try_pull_event (p.v))) {
      if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS) {
        eos_seen = TRUE;
      } else if (GST_EVENT_TYPE (ev) == GST_EVENT_CUSTOM_DOWNSTREAM) {
        GstAvMonitorDefect *d = gst_av_monitor_defect_new_from_event (ev);

        if (d && gst_av_monitor_defect_get_event (d) ==
            GST_AV_MONITOR_DEFECT_EVENT_END && !eos_seen)
          end_before_eos = TRUE;
        if (d)
          gst_av_monitor_defect_free (d);
      }
      gst_event_unref (ev);
    }
    fail_unless (eos_seen && end_before_eos);
    while ((ev = gst_harness_try_pull_event (p.a))) {
      fail_if (GST_EVENT_TYPE (ev) == GST_EVENT_CUSTOM_DOWNSTREAM);
      gst_event_unref (ev);
    }
    g_array_free (b.beeps, TRUE);
    free_list (all);
    pair_clear (&p);
  }
}

GST_END_TEST;

GST_START_TEST (test_no_span_within_tolerance)
{
  GList *msgs, *l;
  Pair p;
  GstMessage *m;
  guint i;

  /* 30 ms lead: inside BT.1359 */
  msgs = run_markers (25, 1, 48000, 30 * GST_MSECOND, GST_SECOND, 8.0,
      "persistence", 1);
  for (l = msgs; l; l = l->next)
    fail_if (gst_av_monitor_structure_is_defect (l->data));
  free_list (msgs);

  /* and no defect messages at all */
  pair_init (&p, 25, 1, 48000, "timestamps");
  for (i = 0; i < 100; i++) {
    push_frame (&p, 16);
    while (audio_pts (&p) < frame_pts (&p, p.frames))
      push_audio (&p, 480, silence, NULL);
  }
  gst_harness_push_event (p.v, gst_event_new_eos ());
  while ((m = gst_bus_pop_filtered (p.bus, GST_MESSAGE_ELEMENT))) {
    fail_if (gst_av_monitor_structure_is_defect (gst_message_get_structure
            (m)));
    gst_message_unref (m);
  }
  pair_clear (&p);
}

GST_END_TEST;

/* A non-live pipeline lets the video race to its EOS before the audio
 * starts: not a stall. The audio goes on being measured up to the video's
 * end, every interval valid, none flagged audio-stalled. */
GST_START_TEST (test_video_finishes_first)
{
  Pair p;
  GstMessage *m;
  guint i, valid = 0, stalled = 0;

  pair_init (&p, 25, 1, 48000, "timestamps");
  /* the audio has started, then the video runs to its end */
  while (audio_pts (&p) < GST_SECOND / 5)
    push_audio (&p, 480, silence, NULL);
  for (i = 0; i < 125; i++)
    push_frame (&p, 16);
  gst_harness_push_event (p.v, gst_event_new_eos ());
  while (audio_pts (&p) < 5 * GST_SECOND)
    push_audio (&p, 480, silence, NULL);
  gst_harness_push_event (p.a, gst_event_new_eos ());
  while ((m = gst_bus_pop_filtered (p.bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (m);
    gboolean v = FALSE, st = FALSE;

    if (gst_structure_has_name (s, GST_AV_MONITOR_SYNC_NAME)) {
      gst_structure_get_boolean (s, "valid", &v);
      gst_structure_get_boolean (s, "audio-stalled", &st);
      valid += v;
      stalled += st;
    }
    gst_message_unref (m);
  }
  fail_unless (valid >= 4, "only %u valid measurements", valid);
  fail_unless_equals_int (stalled, 0);
  pair_clear (&p);
}

GST_END_TEST;

/* av-sync-enabled=false: measurements, but no av-sync spans. */
GST_START_TEST (test_av_sync_disabled)
{
  GList *msgs, *l;
  guint defects = 0, sync = 0;

  msgs = run_markers (25, 1, 48000, 300 * GST_MSECOND, GST_SECOND, 8.0,
      "av-sync-enabled", FALSE);
  for (l = msgs; l; l = l->next) {
    if (gst_av_monitor_structure_is_defect (l->data))
      defects++;
    else if (gst_structure_has_name (l->data, GST_AV_MONITOR_SYNC_NAME))
      sync++;
  }
  fail_unless_equals_int (defects, 0);
  fail_unless (sync > 3);
  free_list (msgs);

  /* the same stream with it on does raise one */
  msgs = run_markers (25, 1, 48000, 300 * GST_MSECOND, GST_SECOND, 8.0,
      "av-sync-enabled", TRUE);
  defects = 0;
  for (l = msgs; l; l = l->next)
    if (gst_av_monitor_structure_is_defect (l->data))
      defects++;
  fail_unless (defects > 0);
  free_list (msgs);
}

GST_END_TEST;

GST_START_TEST (test_events_forwarded_on_own_pair)
{
  Pair p;
  GstAvMonitorDefect *d;
  GstEvent *ev;
  gboolean on_audio = FALSE;

  pair_init (&p, 25, 1, 48000, "timestamps");
  /* drain the startup events */
  while ((ev = gst_harness_try_pull_event (p.v)))
    gst_event_unref (ev);
  while ((ev = gst_harness_try_pull_event (p.a)))
    gst_event_unref (ev);

  d = gst_av_monitor_defect_new (GST_AV_MONITOR_DEFECT_KIND_SILENCE,
      GST_AV_MONITOR_DEFECT_EVENT_START, "upstream", 7);
  fail_unless (gst_harness_push_event (p.a,
          gst_av_monitor_defect_new_event (d)));
  gst_av_monitor_defect_free (d);

  while ((ev = gst_harness_try_pull_event (p.a))) {
    GstAvMonitorDefect *r = gst_av_monitor_defect_new_from_event (ev);

    if (r) {
      fail_unless_equals_string (gst_av_monitor_defect_get_source (r),
          "upstream");
      on_audio = TRUE;
      gst_av_monitor_defect_free (r);
    }
    gst_event_unref (ev);
  }
  fail_unless (on_audio);
  fail_unless (gst_harness_try_pull_event (p.v) == NULL);
  pair_clear (&p);
}

GST_END_TEST;

/* A video stream blocked downstream must not hold the audio back. */

static GMutex block_lock;
static GCond block_cond;
static gboolean block_released, block_entered;

static GstPadProbeReturn
block_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  g_mutex_lock (&block_lock);
  block_entered = TRUE;
  g_cond_broadcast (&block_cond);
  while (!block_released)
    g_cond_wait (&block_cond, &block_lock);
  g_mutex_unlock (&block_lock);
  return GST_PAD_PROBE_OK;
}

static gpointer
push_video_thread (gpointer data)
{
  Pair *p = data;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, VW * VH, NULL);

  gst_buffer_memset (buf, 0, 16, VW * VH);
  GST_BUFFER_PTS (buf) = 0;
  GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
  gst_harness_push (p->v, buf);
  return NULL;
}

GST_START_TEST (test_stalled_video_does_not_block_audio)
{
  Pair p;
  GThread *t;
  gulong id;
  guint i;
  GList *msgs, *l;
  gboolean stalled = FALSE;

  pair_init (&p, 25, 1, 48000, "auto");
  g_object_set (p.v->element, "stall-timeout", 100 * GST_MSECOND,
      "interval", 200 * GST_MSECOND, NULL);
  block_released = block_entered = FALSE;
  id = gst_pad_add_probe (p.v->sinkpad, GST_PAD_PROBE_TYPE_BUFFER,
      block_probe, NULL, NULL);
  t = g_thread_new ("video", push_video_thread, &p);
  g_mutex_lock (&block_lock);
  while (!block_entered)
    g_cond_wait (&block_cond, &block_lock);
  g_mutex_unlock (&block_lock);

  /* the video thread now sits inside the element's push: 3 s of audio */
  for (i = 0; i < 150; i++) {
    push_audio (&p, 960, silence, NULL);
    if (i % 50 == 49)
      g_usleep (120 * 1000);
  }
  fail_unless_equals_int (gst_harness_buffers_received (p.a), 150);

  g_mutex_lock (&block_lock);
  block_released = TRUE;
  g_cond_broadcast (&block_cond);
  g_mutex_unlock (&block_lock);
  g_thread_join (t);
  gst_pad_remove_probe (p.v->sinkpad, id);

  msgs = take_messages (&p, GST_AV_MONITOR_SYNC_NAME);
  for (l = msgs; l; l = l->next) {
    gboolean v = FALSE;

    gst_structure_get_boolean (l->data, "video-stalled", &v);
    stalled |= v;
  }
  fail_unless (stalled, "the stalled video stream was not reported");
  free_list (msgs);
  pair_clear (&p);
}

GST_END_TEST;

/* content: cuts with tone changes, and unrelated streams */

typedef struct
{
  gint rate;
  GArray *switches;             /* gint64 sample index of each tone change */
  guint cur;
} Tones;

static gint16
tone_sample (gpointer data, gint64 idx)
{
  static const gdouble freqs[] = { 220, 1760, 440, 3520, 880, 5000 };
  Tones *t = data;

  while (t->cur < t->switches->len &&
      idx >= g_array_index (t->switches, gint64, t->cur))
    t->cur++;
  return (gint16) (8000 * sin (2 * G_PI * freqs[t->cur % 6] * idx / t->rate));
}

/* Cuts (luma steps) at random times; the audio changes tone at the same
 * times minus offset (related) or at independent random times. */
static GList *
run_content (gint64 offset, gboolean related, guint32 seed, gdouble seconds)
{
  Pair p;
  Tones t;
  GRand *rv = g_rand_new_with_seed (seed);
  GRand *ra = g_rand_new_with_seed (seed * 7 + 1);
  GstClockTime next_cut = GST_SECOND / 2, next_tone = GST_SECOND / 2;
  guint8 luma = 40;
  guint64 total = (guint64) (seconds * 25);
  GList *msgs;

  pair_init (&p, 25, 1, 48000, "content");
  t.rate = 48000;
  t.cur = 0;
  t.switches = g_array_new (FALSE, FALSE, sizeof (gint64));
  while (p.frames < total) {
    GstClockTime pts = frame_pts (&p, p.frames);

    if (pts >= next_cut) {
      luma = (guint8) g_rand_int_range (rv, 16, 235);
      if (related) {
        gint64 s = gst_util_uint64_scale_round (pts - offset, 48000,
            GST_SECOND);

        g_array_append_val (t.switches, s);
      }
      next_cut += g_rand_int_range (rv, 600, 2500) * GST_MSECOND;
    }
    if (!related && pts >= next_tone) {
      gint64 s = gst_util_uint64_scale_round (pts, 48000, GST_SECOND);

      g_array_append_val (t.switches, s);
      next_tone += g_rand_int_range (ra, 600, 2500) * GST_MSECOND;
    }
    push_frame (&p, luma);
    while (audio_pts (&p) + 600 * GST_MSECOND < frame_pts (&p, p.frames))
      push_audio (&p, 960, tone_sample, &t);
  }
  gst_harness_push_event (p.a, gst_event_new_eos ());
  gst_harness_push_event (p.v, gst_event_new_eos ());
  msgs = take_messages (&p, GST_AV_MONITOR_SYNC_NAME);
  g_array_free (t.switches, TRUE);
  g_rand_free (rv);
  g_rand_free (ra);
  pair_clear (&p);
  return msgs;
}

GST_START_TEST (test_content_related)
{
  static const gint64 offsets_ms[] = { -500, -200, -40, 40, 200, 500 };
  guint o;

  for (o = 0; o < G_N_ELEMENTS (offsets_ms); o++) {
    gint64 offset = offsets_ms[o] * GST_MSECOND;
    GList *msgs = run_content (offset, TRUE, 11 + o, 40.0), *l;
    guint valid = 0, n = 0;

    for (l = msgs; l; l = l->next) {
      gboolean v = FALSE;
      gint64 off;
      gdouble conf;

      n++;
      gst_structure_get_boolean (l->data, "valid", &v);
      if (!v)
        continue;
      valid++;
      gst_structure_get_int64 (l->data, "offset", &off);
      gst_structure_get_double (l->data, "confidence", &conf);
      fail_unless (conf >= 0.5);
      /* within one frame */
      fail_unless (ABS (off - offset) <= 40 * GST_MSECOND,
          "content offset %" G_GINT64_FORMAT " ms for %" G_GINT64_FORMAT,
          off / GST_MSECOND, offsets_ms[o]);
    }
    GST_INFO ("offset %" G_GINT64_FORMAT " ms: %u/%u valid", offsets_ms[o],
        valid, n);
    /* the first window fills in ~10 s */
    fail_unless (valid >= n / 2, "only %u of %u valid at %" G_GINT64_FORMAT
        " ms", valid, n, offsets_ms[o]);
    free_list (msgs);
  }
}

GST_END_TEST;

/* A ball bouncing between the left and right edges at a speed that
 * changes at each bounce (so the bounces are not periodic), and a click at
 * each bounce, offset earlier. */
#define BALL 6
#define MAX_BOUNCES 128

typedef struct
{
  gdouble t[MAX_BOUNCES];       /* bounce times, s */
  gdouble speed[MAX_BOUNCES];   /* px/s after each bounce */
  guint n;
} Bounces;

static void
make_bounces (Bounces * b, GRand * r, gdouble seconds)
{
  gdouble t = 0;

  b->n = 0;
  while (t < seconds + 2 && b->n < MAX_BOUNCES) {
    b->t[b->n] = t;
    b->speed[b->n] = g_rand_double_range (r, 50, 160);
    t += (VW - BALL) / b->speed[b->n];
    b->n++;
  }
}

static gdouble
ball_x (const Bounces * b, gdouble t)
{
  guint i = 0;

  while (i + 1 < b->n && b->t[i + 1] <= t)
    i++;
  /* even segments go right from 0, odd ones left from the right edge */
  if (i % 2 == 0)
    return (t - b->t[i]) * b->speed[i];
  return (VW - BALL) - (t - b->t[i]) * b->speed[i];
}

typedef struct
{
  gint rate;
  GArray *clicks;               /* gint64 sample of each click */
  guint cur;
  guint32 noise;
} Clicks;

static gint16
click_sample (gpointer data, gint64 idx)
{
  Clicks *c = data;

  while (c->cur < c->clicks->len &&
      idx >= g_array_index (c->clicks, gint64, c->cur) + c->rate / 200)
    c->cur++;
  c->noise = c->noise * 1664525u + 1013904223u;
  if (c->cur < c->clicks->len &&
      idx >= g_array_index (c->clicks, gint64, c->cur))
    return (gint16) ((gint32) (c->noise >> 16) - 32768) / 2;
  /* a quiet room */
  return (gint16) (((gint32) (c->noise >> 16) - 32768) / 512);
}

/* related: a click at each bounce, offset earlier; else clicks at
 * independent random times */
static GList *
run_ball (gint64 offset, gboolean related, guint32 seed, gdouble seconds)
{
  GRand *r = g_rand_new_with_seed (seed);
  Bounces b;
  Clicks c;
  Pair p;
  GList *msgs;
  guint i;

  make_bounces (&b, r, seconds);
  c.rate = 48000;
  c.cur = 0;
  c.noise = 1;
  c.clicks = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (related) {
    for (i = 1; i < b.n; i++) {
      gint64 s = (gint64) ((b.t[i] - offset / 1e9) * 48000);

      g_array_append_val (c.clicks, s);
    }
  } else {
    gdouble t = 0.3;

    while (t < seconds + 2) {
      gint64 s = (gint64) (t * 48000);

      g_array_append_val (c.clicks, s);
      t += g_rand_double_range (r, 0.2, 1.2);
    }
  }
  pair_init (&p, 25, 1, 48000, "content");
  while (p.frames < (guint64) (25 * seconds)) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, VW * VH, NULL);
    GstMapInfo map;
    gint x0 = (gint) (ball_x (&b, frame_pts (&p, p.frames) / 1e9) + 0.5);
    gint x, y;

    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    memset (map.data, 30, VW * VH);
    for (y = 15; y < 15 + BALL; y++)
      for (x = x0; x < x0 + BALL; x++)
        map.data[y * VW + CLAMP (x, 0, VW - 1)] = 220;
    gst_buffer_unmap (buf, &map);
    GST_BUFFER_PTS (buf) = frame_pts (&p, p.frames);
    GST_BUFFER_DURATION (buf) = frame_pts (&p, 1);
    p.frames++;
    gst_harness_push (p.v, buf);
    gst_buffer_unref (gst_harness_pull (p.v));
    while (audio_pts (&p) + 600 * GST_MSECOND < frame_pts (&p, p.frames))
      push_audio (&p, 960, click_sample, &c);
  }
  gst_harness_push_event (p.a, gst_event_new_eos ());
  gst_harness_push_event (p.v, gst_event_new_eos ());
  msgs = take_messages (&p, GST_AV_MONITOR_SYNC_NAME);
  g_array_free (c.clicks, TRUE);
  g_rand_free (r);
  pair_clear (&p);
  return msgs;
}

GST_START_TEST (test_content_bouncing_ball)
{
  static const gint64 offsets_ms[] = { -300, -40, 40, 300 };
  guint o;

  for (o = 0; o < G_N_ELEMENTS (offsets_ms); o++) {
    gint64 offset = offsets_ms[o] * GST_MSECOND;
    GList *msgs = run_ball (offset, TRUE, 100 + o, 40), *l;
    guint valid = 0, n = 0;

    for (l = msgs; l; l = l->next) {
      gboolean v = FALSE;
      gint64 off;

      n++;
      gst_structure_get_boolean (l->data, "valid", &v);
      if (!v)
        continue;
      valid++;
      gst_structure_get_int64 (l->data, "offset", &off);
      fail_unless (ABS (off - offset) <= 40 * GST_MSECOND,
          "bouncing ball: %" G_GINT64_FORMAT " ms for %" G_GINT64_FORMAT,
          off / GST_MSECOND, offsets_ms[o]);
    }
    GST_INFO ("bouncing ball at %" G_GINT64_FORMAT " ms: %u/%u valid",
        offsets_ms[o], valid, n);
    fail_unless (valid >= n / 2, "bouncing ball: %u of %u valid", valid, n);
    free_list (msgs);
  }
}

GST_END_TEST;

GST_START_TEST (test_content_unrelated)
{
  guint valid = 0, n = 0, seed;

  for (seed = 1; seed <= 4; seed++) {
    GList *msgs = run_content (0, FALSE, seed, 60.0), *l;

    for (l = msgs; l; l = l->next) {
      gboolean v = TRUE;

      n++;
      gst_structure_get_boolean (l->data, "valid", &v);
      valid += v;
    }
    free_list (msgs);
  }
  /* a bouncing ball with clicks that have nothing to do with it */
  for (seed = 1; seed <= 3; seed++) {
    GList *msgs = run_ball (0, FALSE, seed, 60.0), *l;

    for (l = msgs; l; l = l->next) {
      gboolean v = TRUE;

      n++;
      gst_structure_get_boolean (l->data, "valid", &v);
      valid += v;
    }
    free_list (msgs);
  }
  GST_INFO ("unrelated content: %u of %u windows valid", valid, n);
  fail_unless (n >= 200);
  fail_unless (valid * 100 <= n, "%u of %u unrelated windows valid", valid, n);
}

GST_END_TEST;

/* A flush ends the open span on the bus only: nothing can be pushed. */
GST_START_TEST (test_flush_posts_end_only)
{
  Pair p;
  Beeps b;
  GstClockTime next_marker = GST_SECOND / 2;
  GstMessage *m;
  GstEvent *ev;
  guint starts = 0, ends = 0, pushed_ends = 0;

  pair_init (&p, 25, 1, 48000, "markers");
  g_object_set (p.v->element, "persistence", 1, NULL);
  b.rate = 48000;
  b.cur = 0;
  b.len = 1920;
  b.beeps = g_array_new (FALSE, FALSE, sizeof (gint64));
  while (p.frames < 25 * 8) {
    GstClockTime pts = frame_pts (&p, p.frames);
    gboolean flash = FALSE;

    if (pts >= next_marker) {
      gint64 s = gst_util_uint64_scale_round (pts + 300 * GST_MSECOND,
          48000, GST_SECOND);

      g_array_append_val (b.beeps, s);
      flash = TRUE;
      next_marker += GST_SECOND;
    }
    push_frame (&p, flash ? 235 : 16);
    while (audio_pts (&p) + 600 * GST_MSECOND < frame_pts (&p, p.frames))
      push_audio (&p, 1024, beep_sample, &b);
  }
  fail_unless (gst_harness_push_event (p.v, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (p.v, gst_event_new_flush_stop (TRUE)));

  while ((m = gst_bus_pop_filtered (p.bus, GST_MESSAGE_ELEMENT))) {
    GstAvMonitorDefect *d = gst_av_monitor_defect_new_from_message (m);

    if (d) {
      if (gst_av_monitor_defect_get_event (d) ==
          GST_AV_MONITOR_DEFECT_EVENT_START) {
        starts++;
        /* audio 300 ms late */
        fail_unless (gst_av_monitor_defect_get_value (d) < -299);
        fail_unless_equals_float (gst_av_monitor_defect_get_threshold (d),
            -185.0);
      } else {
        ends++;
        fail_unless (gst_av_monitor_defect_get_truncated (d));
      }
      gst_av_monitor_defect_free (d);
    }
    gst_message_unref (m);
  }
  fail_unless_equals_int (starts, 1);
  fail_unless_equals_int (ends, 1);
  while ((ev = gst_harness_try_pull_event (p.v))) {
    GstAvMonitorDefect *d = gst_av_monitor_defect_new_from_event (ev);

    if (d && gst_av_monitor_defect_get_event (d) ==
        GST_AV_MONITOR_DEFECT_EVENT_END)
      pushed_ends++;
    if (d)
      gst_av_monitor_defect_free (d);
    gst_event_unref (ev);
  }
  fail_unless_equals_int (pushed_ends, 0);
  g_array_free (b.beeps, TRUE);
  pair_clear (&p);
}

GST_END_TEST;

/* Queries go along their own pair, and caps are proxied. */
GST_START_TEST (test_queries_on_own_pair)
{
  Pair p;
  GstCaps *caps, *vcaps;
  GstPad *vsrc, *asink;

  pair_init (&p, 25, 1, 48000, "timestamps");
  vsrc = gst_element_get_static_pad (p.v->element, "video_src");
  asink = gst_element_get_static_pad (p.v->element, "audio_sink");
  /* answered upstream of video_sink: the harness's GRAY8 caps, not the
   * template */
  caps = gst_pad_query_caps (vsrc, NULL);
  fail_unless_equals_int (gst_caps_get_size (caps), 1);
  fail_unless_equals_string (gst_structure_get_string
      (gst_caps_get_structure (caps, 0), "format"), "GRAY8");
  gst_caps_unref (caps);
  vcaps = gst_caps_from_string ("video/x-raw,format=GRAY8,width=64,"
      "height=36,framerate=25/1");
  fail_if (gst_pad_query_accept_caps (asink, vcaps));
  gst_caps_unref (vcaps);
  gst_object_unref (vsrc);
  gst_object_unref (asink);
  pair_clear (&p);
}

GST_END_TEST;

static Suite *
avsyncmeter_suite (void)
{
  Suite *s = suite_create ("avsyncmeter");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_markers_sign);
  tcase_add_test (tc, test_markers_accuracy);
  tcase_add_test (tc, test_markers_avsynctest_pattern);
  tcase_add_test (tc, test_timestamps_start_offset_and_gaps);
  tcase_add_test (tc, test_timestamps_drift);
  tcase_add_test (tc, test_span_persistence);
  tcase_add_test (tc, test_av_sync_disabled);
  tcase_add_test (tc, test_video_finishes_first);
  tcase_add_test (tc, test_no_span_within_tolerance);
  tcase_add_test (tc, test_events_forwarded_on_own_pair);
  tcase_add_test (tc, test_flush_posts_end_only);
  tcase_add_test (tc, test_queries_on_own_pair);
  tcase_add_test (tc, test_stalled_video_does_not_block_audio);
  tcase_add_test (tc, test_content_related);
  tcase_add_test (tc, test_content_bouncing_ball);
  tcase_add_test (tc, test_content_unrelated);
  return s;
}

GST_CHECK_MAIN (avsyncmeter);
