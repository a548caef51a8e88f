/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* avqualitydetect on video, through GstHarness: spans on the bus and
 * in-band, EOS/flush/renegotiation, timestamps, formats, stall. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <math.h>
#include <string.h>
#include "avmonitor.h"

#define FPS 25
#define FRAME (GST_SECOND / FPS)
#define W 128
#define H 96

typedef enum
{
  CONTENT_NOISE,                /* changes every frame */
  CONTENT_STILL,                /* the same textured picture every frame */
  CONTENT_BLACK,
} Content;

static GRand *rnd;

/* Fills luma with @content and chroma with neutral grey, any format. */
static GstBuffer *
make_frame (const GstVideoInfo * info, Content content, GstClockTime pts)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GstVideoFrame f;
  guint c, x, y;
  GRand *still = g_rand_new_with_seed (7);

  fail_unless (gst_video_frame_map (&f, info, buf, GST_MAP_WRITE));
  for (c = 0; c < GST_VIDEO_FRAME_N_COMPONENTS (&f); c++) {
    guint w = GST_VIDEO_FRAME_COMP_WIDTH (&f, c);
    guint h = GST_VIDEO_FRAME_COMP_HEIGHT (&f, c);
    guint pstride = GST_VIDEO_FRAME_COMP_PSTRIDE (&f, c);
    guint depth = GST_VIDEO_FORMAT_INFO_DEPTH (f.info.finfo, c);
    guint shift = GST_VIDEO_FORMAT_INFO_SHIFT (f.info.finfo, c);

    if (GST_VIDEO_INFO_FORMAT (info) == GST_VIDEO_FORMAT_v210)
      break;
    for (y = 0; y < h; y++) {
      guint8 *row = GST_VIDEO_FRAME_COMP_DATA (&f, c) +
          y * GST_VIDEO_FRAME_COMP_STRIDE (&f, c);

      for (x = 0; x < w; x++) {
        guint v8;

        if (c != 0)
          v8 = 128;
        else if (content == CONTENT_BLACK)
          v8 = 16;
        else if (content == CONTENT_STILL)
          v8 = g_rand_int_range (still, 40, 220);
        else
          v8 = g_rand_int_range (rnd, 40, 220);
        if (depth > 8) {
          guint16 v = (guint16) ((v8 << (depth - 8)) << shift);

          /* byte by byte: 16-bit samples may sit at odd offsets */
          row[x * pstride] = v & 0xff;
          row[x * pstride + 1] = v >> 8;
        } else {
          row[x * pstride] = v8;
        }
      }
    }
  }
  if (GST_VIDEO_INFO_FORMAT (info) == GST_VIDEO_FORMAT_v210) {
    /* 6 pixels in 16 bytes: words hold Cb Y Cr / Y Cb Y / Cr Y Cb / Y Cr Y */
    for (y = 0; y < (guint) GST_VIDEO_INFO_HEIGHT (info); y++) {
      guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0) +
          y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0);

      for (x = 0; x < (guint) GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0) / 4; x++) {
        guint32 luma = content == CONTENT_BLACK ? 64 :
            (guint32) g_rand_int_range (content == CONTENT_STILL ? still : rnd,
            160, 880);
        guint32 w = 512 | (luma << 10) | (512u << 20);

        if (x % 4 == 1 || x % 4 == 3)
          w = luma | (512u << 10) | (luma << 20);
        GST_WRITE_UINT32_LE (row + 4 * x, w);
      }
    }
  }
  gst_video_frame_unmap (&f);
  g_rand_free (still);
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = FRAME;
  return buf;
}

typedef struct
{
  GstHarness *h;
  GstBus *bus;
  GstVideoInfo info;
} Fixture;

static void
fixture_init (Fixture * fx, const gchar * format, gint w, gint h)
{
  gchar *caps = g_strdup_printf ("video/x-raw,format=%s,width=%d,height=%d,"
      "framerate=%d/1", format, w, h, FPS);

  fx->h = gst_harness_new ("avqualitydetect");
  fx->bus = gst_bus_new ();
  gst_element_set_bus (fx->h->element, fx->bus);
  g_object_set (fx->h->element, "interval", (guint64) 0, NULL);
  gst_harness_set_src_caps_str (fx->h, caps);
  gst_video_info_set_format (&fx->info, gst_video_format_from_string (format),
      w, h);
  g_free (caps);
}

static void
fixture_clear (Fixture * fx)
{
  gst_element_set_bus (fx->h->element, NULL);
  gst_harness_teardown (fx->h);
  gst_object_unref (fx->bus);
}

static void
push_frames (Fixture * fx, Content content, guint first, guint n)
{
  guint i;

  for (i = first; i < first + n; i++)
    fail_unless_equals_int (gst_harness_push (fx->h, make_frame (&fx->info,
                content, i * FRAME)), GST_FLOW_OK);
}

/* The defects posted so far, in order. */
static GList *
pop_defects (GstBus * bus)
{
  GList *list = NULL;
  GstMessage *msg;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    GstAvMonitorDefect *d = gst_av_monitor_defect_new_from_message (msg);

    if (d)
      list = g_list_append (list, d);
    gst_message_unref (msg);
  }
  return list;
}

/* The defect events that went downstream so far, in order; @saw_eos is set
 * when EOS came, and the defects after it are counted in @after_eos. */
static GList *
pull_defect_events (GstHarness * h, gboolean * saw_eos, guint * after_eos)
{
  GList *list = NULL;
  GstEvent *ev;

  if (saw_eos)
    *saw_eos = FALSE;
  if (after_eos)
    *after_eos = 0;
  while ((ev = gst_harness_try_pull_event (h))) {
    GstAvMonitorDefect *d = gst_av_monitor_defect_new_from_event (ev);

    if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS && saw_eos)
      *saw_eos = TRUE;
    if (d) {
      if (saw_eos && *saw_eos && after_eos)
        (*after_eos)++;
      list = g_list_append (list, d);
    }
    gst_event_unref (ev);
  }
  return list;
}

static void
free_defects (GList * list)
{
  g_list_free_full (list, (GDestroyNotify) gst_av_monitor_defect_free);
}

static GstAvMonitorDefect *
find (GList * list, GstAvMonitorDefectKind kind, GstAvMonitorDefectEvent ev)
{
  for (; list; list = list->next)
    if (gst_av_monitor_defect_get_kind (list->data) == kind &&
        gst_av_monitor_defect_get_event (list->data) == ev)
      return list->data;
  return NULL;
}

static guint
count_kind (GList * list, GstAvMonitorDefectKind kind)
{
  guint n = 0;

  for (; list; list = list->next)
    if (gst_av_monitor_defect_get_kind (list->data) == kind)
      n++;
  return n;
}

static void
setup (void)
{
  rnd = g_rand_new_with_seed (1);
}

static void
teardown (void)
{
  g_rand_free (rnd);
}

/* A freeze: starts at the last frame that moved, ends at the first that
 * differs; the same spans on the bus and downstream; fields of the
 * contract. */
GST_START_TEST (test_freeze_span)
{
  Fixture fx;
  GList *msgs, *events;
  GstAvMonitorDefect *s, *e;

  fixture_init (&fx, "I420", W, H);
  push_frames (&fx, CONTENT_NOISE, 0, 25);
  /* frame 25 is the last that moved: the still picture follows it */
  push_frames (&fx, CONTENT_STILL, 25, 75);
  push_frames (&fx, CONTENT_NOISE, 100, 10);

  msgs = pop_defects (fx.bus);
  events = pull_defect_events (fx.h, NULL, NULL);
  fail_unless_equals_int (g_list_length (msgs), 2);
  fail_unless_equals_int (g_list_length (events), 2);
  s = find (msgs, GST_AV_MONITOR_DEFECT_KIND_FREEZE,
      GST_AV_MONITOR_DEFECT_EVENT_START);
  e = find (msgs, GST_AV_MONITOR_DEFECT_KIND_FREEZE,
      GST_AV_MONITOR_DEFECT_EVENT_END);
  fail_unless (s && e);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (s),
      25 * FRAME);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_running_time (s),
      25 * FRAME);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (e),
      100 * FRAME);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_duration (e),
      75 * FRAME);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_start_stream_time (e),
      25 * FRAME);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_id (s),
      gst_av_monitor_defect_get_id (e));
  fail_unless_equals_string (gst_av_monitor_defect_get_source (s),
      GST_OBJECT_NAME (fx.h->element));
  fail_unless_equals_int (gst_av_monitor_defect_get_stream_type (s),
      GST_AV_MONITOR_STREAM_TYPE_VIDEO);
  fail_unless_equals_int (gst_av_monitor_defect_get_severity (s),
      GST_AV_MONITOR_SEVERITY_ERROR);
  fail_unless_equals_string (gst_av_monitor_defect_get_unit (s), "ratio");
  fail_if (gst_av_monitor_defect_get_truncated (e));
  fail_unless (gst_structure_has_field (gst_av_monitor_defect_get_details (s),
          "partial"));
  /* in-band copy is the same */
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp
      (find (events, GST_AV_MONITOR_DEFECT_KIND_FREEZE,
              GST_AV_MONITOR_DEFECT_EVENT_END)), 100 * FRAME);
  free_defects (msgs);
  free_defects (events);
  fixture_clear (&fx);
}

GST_END_TEST;

/* Shorter than freeze-duration: nothing. Changing it in PLAYING works. */
GST_START_TEST (test_freeze_duration_property)
{
  Fixture fx;
  GList *msgs;

  fixture_init (&fx, "I420", W, H);
  push_frames (&fx, CONTENT_NOISE, 0, 10);
  push_frames (&fx, CONTENT_STILL, 10, 40);     /* 1.6 s < 2 s */
  push_frames (&fx, CONTENT_NOISE, 50, 5);
  msgs = pop_defects (fx.bus);
  fail_unless_equals_int (g_list_length (msgs), 0);

  g_object_set (fx.h->element, "freeze-duration", GST_SECOND, NULL);
  push_frames (&fx, CONTENT_STILL, 55, 40);
  push_frames (&fx, CONTENT_NOISE, 95, 5);
  msgs = pop_defects (fx.bus);
  fail_unless_equals_int (count_kind (msgs,
          GST_AV_MONITOR_DEFECT_KIND_FREEZE), 2);
  free_defects (msgs);

  g_object_set (fx.h->element, "freeze-enabled", FALSE, NULL);
  push_frames (&fx, CONTENT_STILL, 100, 60);
  msgs = pop_defects (fx.bus);
  fail_unless_equals_int (g_list_length (msgs), 0);
  fixture_clear (&fx);
}

GST_END_TEST;

/* block-corruption-hold: how long a block-corruption span outlives the last
 * damaged frame (here one frame the decoder flagged corrupted); changing
 * it in PLAYING takes effect. */
GST_START_TEST (test_block_corruption_hold)
{
  Fixture fx;
  GList *msgs;
  GstAvMonitorDefect *e;
  guint64 hold = 0;
  GstBuffer *buf;

  fixture_init (&fx, "I420", W, H);
  g_object_get (fx.h->element, "block-corruption-hold", &hold, NULL);
  fail_unless_equals_uint64 (hold, 2 * GST_SECOND);

  /* default: the span lasts 2 s after the damaged frame */
  push_frames (&fx, CONTENT_STILL, 0, 10);
  buf = make_frame (&fx.info, CONTENT_STILL, 10 * FRAME);
  GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_CORRUPTED);
  fail_unless_equals_int (gst_harness_push (fx.h, buf), GST_FLOW_OK);
  push_frames (&fx, CONTENT_STILL, 11, 70);
  msgs = pop_defects (fx.bus);
  e = find (msgs, GST_AV_MONITOR_DEFECT_KIND_BLOCK_CORRUPTION,
      GST_AV_MONITOR_DEFECT_EVENT_END);
  fail_unless (e != NULL);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_start_timestamp (e),
      10 * FRAME);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (e),
      10 * FRAME + 2 * GST_SECOND);
  free_defects (msgs);

  /* 0.4 s, set in PLAYING */
  g_object_set (fx.h->element, "block-corruption-hold",
      (guint64) (400 * GST_MSECOND), NULL);
  buf = make_frame (&fx.info, CONTENT_STILL, 81 * FRAME);
  GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_CORRUPTED);
  fail_unless_equals_int (gst_harness_push (fx.h, buf), GST_FLOW_OK);
  push_frames (&fx, CONTENT_STILL, 82, 20);
  msgs = pop_defects (fx.bus);
  e = find (msgs, GST_AV_MONITOR_DEFECT_KIND_BLOCK_CORRUPTION,
      GST_AV_MONITOR_DEFECT_EVENT_END);
  fail_unless (e != NULL);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (e),
      81 * FRAME + 400 * GST_MSECOND);
  free_defects (msgs);
  fixture_clear (&fx);
}

GST_END_TEST;

/* The bus's defects so far: a block-corruption start at @start when
 * @expected, none otherwise. */
static void
expect_block_corruption_start (Fixture * fx, gboolean expected,
    GstClockTime start)
{
  GList *msgs = pop_defects (fx->bus);
  GstAvMonitorDefect *e = find (msgs,
      GST_AV_MONITOR_DEFECT_KIND_BLOCK_CORRUPTION,
      GST_AV_MONITOR_DEFECT_EVENT_START);

  if (expected) {
    fail_unless (e != NULL);
    fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (e),
        start);
  } else {
    fail_unless (e == NULL);
  }
  free_defects (msgs);
}

/* block-corruption-texture: 0 by default, which leaves the texture test
 * to block-corruption-texture-max-pixels (1280 x 720): pictures up to
 * that size get it at its measured ratio. It finds fine texture turned
 * flat (3x3 macroblocks of a still, finely textured picture filled with
 * grey, as a smooth concealment leaves them): with the defaults; not with
 * the size limit at 0 nor below the picture; again with a ratio set, and
 * with the limit raised over the picture while streaming. */
GST_START_TEST (test_block_corruption_texture)
{
  guint c;

  for (c = 0; c < 5; c++) {
    Fixture fx;
    gdouble k = -1.0;
    guint i, max_pixels = 0;

    fixture_init (&fx, "I420", 320, 192);
    g_object_get (fx.h->element, "block-corruption-texture", &k,
        "block-corruption-texture-max-pixels", &max_pixels, NULL);
    fail_unless (k == 0.0);
    fail_unless_equals_int (max_pixels, 1280 * 720);
    if (c == 1 || c == 3 || c == 4)
      g_object_set (fx.h->element, "block-corruption-texture-max-pixels", 0,
          NULL);
    else if (c == 2)
      g_object_set (fx.h->element, "block-corruption-texture-max-pixels",
          320 * 192 - 1, NULL);
    if (c == 3)
      g_object_set (fx.h->element, "block-corruption-texture", 3.0, NULL);
    push_frames (&fx, CONTENT_STILL, 0, 5);
    if (c == 4)
      g_object_set (fx.h->element, "block-corruption-texture-max-pixels",
          1280 * 720, NULL);
    push_frames (&fx, CONTENT_STILL, 5, 55);
    for (i = 60; i < 70; i++) {
      GstBuffer *buf = make_frame (&fx.info, CONTENT_STILL, i * FRAME);
      GstMapInfo m;
      guint y;

      fail_unless (gst_buffer_map (buf, &m, GST_MAP_WRITE));
      for (y = 64; y < 112; y++)
        memset (m.data + y * 320 + 128, 128, 48);
      gst_buffer_unmap (buf, &m);
      fail_unless_equals_int (gst_harness_push (fx.h, buf), GST_FLOW_OK);
    }
    expect_block_corruption_start (&fx, c == 0 || c == 3 || c == 4,
        60 * FRAME);
    fixture_clear (&fx);
  }
}

GST_END_TEST;

/* A checkerboard of 40 px squares panning 3 px right and 2 down a frame;
 * in frames 40-59, 12 macroblocks (other ones in every frame) hold the
 * picture 6 px further on: each matches the previous frame at a vector of
 * its own, so only the grid scan sees the board's edges broken on their
 * borders (tests/check/analysis/video/gridscan.c). */
static GstBuffer *
make_torn_frame (const GstVideoInfo * info, guint i)
{
  GstBuffer *buf = make_frame (info, CONTENT_BLACK, i * FRAME);
  GstVideoFrame f;
  guint x, y, k;

  fail_unless (gst_video_frame_map (&f, info, buf, GST_MAP_WRITE));
  for (y = 0; y < 192; y++) {
    guint8 *row = GST_VIDEO_FRAME_COMP_DATA (&f, 0) +
        y * GST_VIDEO_FRAME_COMP_STRIDE (&f, 0);
    for (x = 0; x < 320; x++) {
      guint sx = x + 3 * i + 5, sy = y + 2 * i + 403;
      gboolean torn = FALSE;

      if (i >= 40 && i < 60)
        for (k = 0; k < 12; k++)
          torn |= x / 16 == 2 + (k * 5 + i) % 16 &&
              y / 16 == 2 + (k * 3 + i) % 9;
      if (torn) {
        sx += 6;
        sy += 6;
      }
      row[x] = (sx / 40 + sy / 40) % 2 ? 200 : 40;
    }
  }
  gst_video_frame_unmap (&f);
  return buf;
}

/* block-corruption-scan: off by default, but pictures of at most
 * block-corruption-scan-max-pixels (1280 x 720 by default) get the scan
 * anyway: a block-corruption span from the first torn frame at 320x192
 * with the defaults; nothing with both off; a span with the scan on and
 * the size limit below the picture. */
GST_START_TEST (test_block_corruption_scan)
{
  guint k;

  for (k = 0; k < 3; k++) {
    Fixture fx;
    gboolean scan = TRUE;
    guint i, max_pixels = 0;

    fixture_init (&fx, "I420", 320, 192);
    g_object_get (fx.h->element, "block-corruption-scan", &scan,
        "block-corruption-scan-max-pixels", &max_pixels, NULL);
    fail_unless (scan == FALSE);
    fail_unless_equals_int (max_pixels, 1280 * 720);
    if (k == 0)
      g_object_set (fx.h->element, "block-corruption-scan-max-pixels", 0, NULL);
    else if (k == 2)
      g_object_set (fx.h->element, "block-corruption-scan", TRUE,
          "block-corruption-scan-max-pixels", 320 * 192 - 1, NULL);
    for (i = 0; i < 70; i++)
      fail_unless_equals_int (gst_harness_push (fx.h,
              make_torn_frame (&fx.info, i)), GST_FLOW_OK);
    expect_block_corruption_start (&fx, k > 0, 40 * FRAME);
    fixture_clear (&fx);
  }
}

GST_END_TEST;

/* block-corruption-repeat: on by default; a panning picture that stands
 * for two frames and then goes on (a decoder concealing a lost picture)
 * reports a block-corruption span from the first repeated
 * frame, and nothing with the property off. */
GST_START_TEST (test_block_corruption_repeat)
{
  gboolean on;

  for (on = FALSE; on <= TRUE; on++) {
    Fixture fx;
    gboolean repeat = FALSE;
    guint i;

    fixture_init (&fx, "I420", 320, 192);
    g_object_get (fx.h->element, "block-corruption-repeat", &repeat, NULL);
    fail_unless (repeat == TRUE);
    if (!on)
      g_object_set (fx.h->element, "block-corruption-repeat", FALSE, NULL);
    for (i = 0; i < 50; i++) {
      /* the board past frame 60 is whole; it stands in frames 30 and 31,
       * and goes on two frames late */
      GstBuffer *buf = make_torn_frame (&fx.info,
          100 + (i < 30 ? i : i < 32 ? 29 : i - 2));

      GST_BUFFER_PTS (buf) = i * FRAME;
      fail_unless_equals_int (gst_harness_push (fx.h, buf), GST_FLOW_OK);
    }
    expect_block_corruption_start (&fx, on, 30 * FRAME);
    fixture_clear (&fx);
  }
}

GST_END_TEST;

/* Smooth texture panning 5 px right and 2 down a frame; in frame
 * @stand_at, rows 64-95 and columns 32-191 (2 x 10 macroblocks) keep the
 * frame before (a lost slice concealed from the last picture). */
static GstBuffer *
make_stand_frame (const GstVideoInfo * info, guint i, guint stand_at)
{
  GstBuffer *buf = make_frame (info, CONTENT_BLACK, i * FRAME);
  GstVideoFrame f;
  guint x, y;

  fail_unless (gst_video_frame_map (&f, info, buf, GST_MAP_WRITE));
  for (y = 0; y < 192; y++) {
    guint8 *row = GST_VIDEO_FRAME_COMP_DATA (&f, 0) +
        y * GST_VIDEO_FRAME_COMP_STRIDE (&f, 0);
    for (x = 0; x < 320; x++) {
      guint at = i == stand_at && y >= 64 && y < 96 && x >= 32 && x < 192 ?
          i - 1 : i;
      double sx = x + 5.0 * at, sy = y + 2.0 * at;

      row[x] = (guint8) (128.0 + 50.0 * sin (sx * 0.09) * cos (sy * 0.07) +
          40.0 * sin (sy * 0.11 + sx * 0.03));
    }
  }
  gst_video_frame_unmap (&f);
  return buf;
}

/* block-corruption-stand: on by default; in a pan that moved for 3 s, a
 * band of 20 macroblocks that keeps the last frame for one frame reports
 * a block-corruption span from that frame, and nothing with the property
 * off. */
GST_START_TEST (test_block_corruption_stand)
{
  gboolean on;

  for (on = FALSE; on <= TRUE; on++) {
    Fixture fx;
    gboolean stand = FALSE;
    guint i;

    fixture_init (&fx, "I420", 320, 192);
    g_object_get (fx.h->element, "block-corruption-stand", &stand, NULL);
    fail_unless (stand == TRUE);
    if (!on)
      g_object_set (fx.h->element, "block-corruption-stand", FALSE, NULL);
    for (i = 0; i < 90; i++) {
      GstBuffer *buf = make_stand_frame (&fx.info, i, 75);

      GST_BUFFER_PTS (buf) = i * FRAME;
      fail_unless_equals_int (gst_harness_push (fx.h, buf), GST_FLOW_OK);
    }
    expect_block_corruption_start (&fx, on, 75 * FRAME);
    fixture_clear (&fx);
  }
}

GST_END_TEST;

/* A black picture is black, never also freeze. */
GST_START_TEST (test_black_not_freeze)
{
  Fixture fx;
  GList *msgs;
  GstAvMonitorDefect *s, *e;

  fixture_init (&fx, "I420", W, H);
  push_frames (&fx, CONTENT_NOISE, 0, 10);
  push_frames (&fx, CONTENT_BLACK, 10, 75);
  push_frames (&fx, CONTENT_NOISE, 85, 5);
  msgs = pop_defects (fx.bus);
  fail_unless_equals_int (count_kind (msgs, GST_AV_MONITOR_DEFECT_KIND_FREEZE),
      0);
  s = find (msgs, GST_AV_MONITOR_DEFECT_KIND_BLACK,
      GST_AV_MONITOR_DEFECT_EVENT_START);
  e = find (msgs, GST_AV_MONITOR_DEFECT_KIND_BLACK,
      GST_AV_MONITOR_DEFECT_EVENT_END);
  fail_unless (s && e);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (s),
      10 * FRAME);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (e),
      85 * FRAME);
  fail_unless (gst_av_monitor_defect_get_value (s) >= 0.98);
  free_defects (msgs);
  fixture_clear (&fx);
}

GST_END_TEST;

/* EOS in the middle of a freeze: the truncated end goes out before EOS. */
GST_START_TEST (test_eos_truncates_before_eos)
{
  Fixture fx;
  GList *msgs, *events;
  gboolean saw_eos;
  guint after;
  GstAvMonitorDefect *e;

  fixture_init (&fx, "I420", W, H);
  push_frames (&fx, CONTENT_NOISE, 0, 5);
  push_frames (&fx, CONTENT_STILL, 5, 60);
  fail_unless (gst_harness_push_event (fx.h, gst_event_new_eos ()));
  events = pull_defect_events (fx.h, &saw_eos, &after);
  fail_unless (saw_eos);
  fail_unless_equals_int (after, 0);
  e = find (events, GST_AV_MONITOR_DEFECT_KIND_FREEZE,
      GST_AV_MONITOR_DEFECT_EVENT_END);
  fail_unless (e != NULL);
  fail_unless (gst_av_monitor_defect_get_truncated (e));
  /* ends at the end of the last frame */
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (e),
      65 * FRAME);
  msgs = pop_defects (fx.bus);
  fail_unless_equals_int (g_list_length (msgs), 2);
  free_defects (msgs);
  free_defects (events);
  fixture_clear (&fx);
}

GST_END_TEST;

/* A flush in the middle: the end is posted on the bus only. */
GST_START_TEST (test_flush_posts_end_only)
{
  Fixture fx;
  GList *msgs, *events;
  GstAvMonitorDefect *e;

  fixture_init (&fx, "I420", W, H);
  push_frames (&fx, CONTENT_NOISE, 0, 5);
  push_frames (&fx, CONTENT_STILL, 5, 60);
  events = pull_defect_events (fx.h, NULL, NULL);
  fail_unless_equals_int (g_list_length (events), 1);   /* the start */
  free_defects (events);
  gst_harness_push_event (fx.h, gst_event_new_flush_start ());
  gst_harness_push_event (fx.h, gst_event_new_flush_stop (TRUE));
  msgs = pop_defects (fx.bus);
  e = find (msgs, GST_AV_MONITOR_DEFECT_KIND_FREEZE,
      GST_AV_MONITOR_DEFECT_EVENT_END);
  fail_unless (e != NULL);
  fail_unless (gst_av_monitor_defect_get_truncated (e));
  events = pull_defect_events (fx.h, NULL, NULL);
  fail_unless_equals_int (g_list_length (events), 0);
  free_defects (msgs);
  fixture_clear (&fx);
}

GST_END_TEST;

/* Missing frames: a frame-gap span covering the missing interval; a
 * repeated and a backwards timestamp: zero-length discontinuities. */
GST_START_TEST (test_timestamps)
{
  Fixture fx;
  GList *msgs;
  GstAvMonitorDefect *s, *e;

  fixture_init (&fx, "I420", W, H);
  push_frames (&fx, CONTENT_NOISE, 0, 10);
  push_frames (&fx, CONTENT_NOISE, 15, 5);      /* frames 10..14 missing */
  msgs = pop_defects (fx.bus);
  s = find (msgs, GST_AV_MONITOR_DEFECT_KIND_FRAME_GAP,
      GST_AV_MONITOR_DEFECT_EVENT_START);
  e = find (msgs, GST_AV_MONITOR_DEFECT_KIND_FRAME_GAP,
      GST_AV_MONITOR_DEFECT_EVENT_END);
  fail_unless (s && e);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (s),
      10 * FRAME);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (e),
      15 * FRAME);
  free_defects (msgs);

  /* one frame late is within 1.5 frame durations: nothing */
  push_frames (&fx, CONTENT_NOISE, 20, 1);
  msgs = pop_defects (fx.bus);
  fail_unless_equals_int (g_list_length (msgs), 0);

  push_frames (&fx, CONTENT_NOISE, 20, 1);      /* repeated */
  push_frames (&fx, CONTENT_NOISE, 18, 1);      /* backwards */
  msgs = pop_defects (fx.bus);
  fail_unless_equals_int (count_kind (msgs,
          GST_AV_MONITOR_DEFECT_KIND_DISCONTINUITY), 4);
  e = find (msgs, GST_AV_MONITOR_DEFECT_KIND_DISCONTINUITY,
      GST_AV_MONITOR_DEFECT_EVENT_END);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_duration (e), 0);
  free_defects (msgs);
  fixture_clear (&fx);
}

GST_END_TEST;

/* Buffers without timestamps are analysed without judging time. */
GST_START_TEST (test_missing_timestamps)
{
  Fixture fx;
  GList *msgs;
  guint i;

  fixture_init (&fx, "I420", W, H);
  for (i = 0; i < 30; i++)
    fail_unless_equals_int (gst_harness_push (fx.h, make_frame (&fx.info,
                CONTENT_NOISE, GST_CLOCK_TIME_NONE)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (fx.h, gst_event_new_eos ()));
  msgs = pop_defects (fx.bus);
  fail_unless_equals_int (g_list_length (msgs), 0);
  fixture_clear (&fx);
}

GST_END_TEST;

/* A buffer smaller than the caps say is not read: a warning, and it
 * passes through. */
GST_START_TEST (test_short_buffer)
{
  Fixture fx;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 100, NULL);
  GstMessage *msg;

  fixture_init (&fx, "I420", W, H);
  gst_buffer_memset (buf, 0, 0, 100);
  GST_BUFFER_PTS (buf) = 0;
  fail_unless_equals_int (gst_harness_push (fx.h, buf), GST_FLOW_OK);
  msg = gst_bus_pop_filtered (fx.bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  buf = gst_harness_pull (fx.h);
  fail_unless_equals_int (gst_buffer_get_size (buf), 100);
  gst_buffer_unref (buf);
  fixture_clear (&fx);
}

GST_END_TEST;

/* Buffers pass unmodified (the same buffer, pass-through). */
GST_START_TEST (test_passthrough)
{
  Fixture fx;
  GstBuffer *in, *out;

  fixture_init (&fx, "I420", W, H);
  in = make_frame (&fx.info, CONTENT_NOISE, 0);
  gst_buffer_ref (in);
  gst_harness_push (fx.h, in);
  out = gst_harness_pull (fx.h);
  fail_unless (out == in);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  fixture_clear (&fx);
}

GST_END_TEST;

/* Renegotiation mid-freeze ends the span; detection restarts on the new
 * size. */
GST_START_TEST (test_renegotiation)
{
  Fixture fx;
  GList *msgs;
  GstVideoInfo small;

  fixture_init (&fx, "I420", W, H);
  push_frames (&fx, CONTENT_NOISE, 0, 5);
  push_frames (&fx, CONTENT_STILL, 5, 60);
  gst_harness_set_src_caps_str (fx.h,
      "video/x-raw,format=NV12,width=33,height=17,framerate=25/1");
  msgs = pop_defects (fx.bus);
  fail_unless (find (msgs, GST_AV_MONITOR_DEFECT_KIND_FREEZE,
          GST_AV_MONITOR_DEFECT_EVENT_END) != NULL);
  free_defects (msgs);

  gst_video_info_set_format (&small, GST_VIDEO_FORMAT_NV12, 33, 17);
  fx.info = small;
  push_frames (&fx, CONTENT_NOISE, 65, 5);
  push_frames (&fx, CONTENT_BLACK, 70, 60);
  msgs = pop_defects (fx.bus);
  fail_unless (find (msgs, GST_AV_MONITOR_DEFECT_KIND_BLACK,
          GST_AV_MONITOR_DEFECT_EVENT_START) != NULL);
  free_defects (msgs);
  fixture_clear (&fx);
}

GST_END_TEST;

/* Every supported format, odd and tiny sizes: black is found. */
GST_START_TEST (test_formats)
{
  const gchar *formats[] = { "I420", "YV12", "NV12", "NV21", "NV16", "Y42B",
    "Y444", "GRAY8", "YUY2", "UYVY", "I420_10LE", "I422_10LE", "P010_10LE",
    "v210",
  };
  const gint sizes[][2] = { {W, H}, {17, 19}, {16, 16} };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    for (j = 0; j < G_N_ELEMENTS (sizes); j++) {
      Fixture fx;
      GList *msgs;

      fixture_init (&fx, formats[i], sizes[j][0], sizes[j][1]);
      push_frames (&fx, CONTENT_NOISE, 0, 3);
      push_frames (&fx, CONTENT_BLACK, 3, 55);
      msgs = pop_defects (fx.bus);
      fail_unless (find (msgs, GST_AV_MONITOR_DEFECT_KIND_BLACK,
              GST_AV_MONITOR_DEFECT_EVENT_START) != NULL, "%s %dx%d",
          formats[i], sizes[j][0], sizes[j][1]);
      fail_unless_equals_int (count_kind (msgs,
              GST_AV_MONITOR_DEFECT_KIND_FREEZE), 0);
      free_defects (msgs);
      fixture_clear (&fx);
    }
  }
}

GST_END_TEST;

/* RGB is refused at negotiation, with a warning that names the fix. */
GST_START_TEST (test_refuses_rgb)
{
  GstHarness *h = gst_harness_new ("avqualitydetect");
  GstBus *bus = gst_bus_new ();
  GstCaps *caps = gst_caps_from_string ("video/x-raw,format=RGB,width=64,"
      "height=64,framerate=25/1");
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_bus (h->element, bus);
  fail_if (gst_pad_query_accept_caps (h->srcpad ?
          GST_PAD_PEER (h->srcpad) : NULL, caps));
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (strstr (err->message, "videoconvert") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_caps_unref (caps);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* avmonitor-stats every interval, with the four time fields. */
GST_START_TEST (test_stats)
{
  Fixture fx;
  GstMessage *msg;
  const GstStructure *s;
  guint64 frames, dur, ts;
  gdouble motion, fps;
  guint n = 0;

  fixture_init (&fx, "I420", W, H);
  g_object_set (fx.h->element, "interval", GST_SECOND, NULL);
  push_frames (&fx, CONTENT_NOISE, 0, 76);
  while ((msg = gst_bus_pop_filtered (fx.bus, GST_MESSAGE_ELEMENT))) {
    if (gst_message_has_name (msg, "avmonitor-stats")) {
      s = gst_message_get_structure (msg);
      fail_unless (gst_structure_get_uint64 (s, "frames", &frames));
      fail_unless (gst_structure_get_uint64 (s, "duration", &dur));
      fail_unless (gst_structure_get_uint64 (s, "timestamp", &ts));
      fail_unless (gst_structure_get_double (s, "motion", &motion));
      fail_unless (gst_structure_get_double (s, "fps", &fps));
      fail_unless (gst_structure_has_field (s, "luma-mean"));
      fail_unless (gst_structure_has_field (s, "blockiness"));
      fail_unless (gst_structure_has_field (s, "black-ratio"));
      fail_unless (gst_structure_has_field (s, "running-time"));
      fail_unless (gst_structure_has_field (s, "stream-time"));
      fail_unless_equals_uint64 (frames, 25);
      fail_unless_equals_uint64 (dur, GST_SECOND);
      fail_unless_equals_uint64 (ts, n * GST_SECOND);
      fail_unless (motion > 0.05, "%f", motion);
      fail_unless (fps > 24.9 && fps < 25.1, "%f", fps);
      n++;
    }
    gst_message_unref (msg);
  }
  fail_unless_equals_int (n, 3);
  fixture_clear (&fx);
}

GST_END_TEST;

/* No buffer for stall-timeout in PLAYING: the timer posts the start on the
 * bus; when data resumes, start and end go downstream. */
GST_START_TEST (test_stall)
{
  Fixture fx;
  GList *msgs, *events;
  GstAvMonitorDefect *s, *e;
  gint i;

  fixture_init (&fx, "I420", W, H);
  g_object_set (fx.h->element, "stall-timeout", 100 * GST_MSECOND, NULL);
  fail_unless_equals_int (GST_STATE (fx.h->element), GST_STATE_PLAYING);
  push_frames (&fx, CONTENT_NOISE, 0, 3);
  msgs = NULL;
  for (i = 0; i < 100 && msgs == NULL; i++) {
    g_usleep (20000);
    msgs = pop_defects (fx.bus);
  }
  s = find (msgs, GST_AV_MONITOR_DEFECT_KIND_STALL,
      GST_AV_MONITOR_DEFECT_EVENT_START);
  fail_unless (s != NULL, "no stall posted");
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (s),
      3 * FRAME);
  /* nothing in-band from the timer */
  events = pull_defect_events (fx.h, NULL, NULL);
  fail_unless_equals_int (g_list_length (events), 0);
  free_defects (msgs);

  push_frames (&fx, CONTENT_NOISE, 50, 1);
  events = pull_defect_events (fx.h, NULL, NULL);
  /* the stall's start and end, and the frame gap the pause left */
  fail_unless_equals_int (count_kind (events,
          GST_AV_MONITOR_DEFECT_KIND_STALL), 2);
  fail_unless_equals_int (count_kind (events,
          GST_AV_MONITOR_DEFECT_KIND_FRAME_GAP), 2);
  e = find (events, GST_AV_MONITOR_DEFECT_KIND_STALL,
      GST_AV_MONITOR_DEFECT_EVENT_END);
  fail_unless (e != NULL);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (e),
      50 * FRAME);
  fail_if (gst_av_monitor_defect_get_truncated (e));
  free_defects (events);
  msgs = pop_defects (fx.bus);
  fail_unless (find (msgs, GST_AV_MONITOR_DEFECT_KIND_STALL,
          GST_AV_MONITOR_DEFECT_EVENT_END) != NULL);
  free_defects (msgs);
  fixture_clear (&fx);
}

GST_END_TEST;

/* Ids stay unique when the element is restarted: a defectsink that kept
 * running must not mistake a new span for one it holds. */
GST_START_TEST (test_ids_unique_across_restart)
{
  Fixture fx;
  GList *first, *second;
  guint64 id1, id2;

  fixture_init (&fx, "I420", W, H);
  push_frames (&fx, CONTENT_NOISE, 0, 3);
  push_frames (&fx, CONTENT_BLACK, 3, 55);
  first = pop_defects (fx.bus);
  fail_unless (first != NULL);
  id1 = gst_av_monitor_defect_get_id (first->data);
  gst_element_set_state (fx.h->element, GST_STATE_READY);
  gst_element_set_state (fx.h->element, GST_STATE_PLAYING);
  gst_harness_set_src_caps_str (fx.h, "video/x-raw,format=I420,width=128,"
      "height=96,framerate=25/1");
  push_frames (&fx, CONTENT_NOISE, 0, 3);
  push_frames (&fx, CONTENT_BLACK, 3, 55);
  second = pop_defects (fx.bus);
  fail_unless (second != NULL);
  id2 = gst_av_monitor_defect_get_id (g_list_last (second)->data);
  fail_unless (id1 != id2);
  free_defects (first);
  free_defects (second);
  fixture_clear (&fx);
}

GST_END_TEST;

/* A span across a segment change (concat, HLS discontinuity): PTS restart,
 * running time goes on, and the duration follows running time. */
GST_START_TEST (test_duration_across_segments)
{
  Fixture fx;
  GList *msgs;
  GstAvMonitorDefect *e;
  GstSegment seg;

  fixture_init (&fx, "I420", W, H);
  push_frames (&fx, CONTENT_NOISE, 0, 3);
  push_frames (&fx, CONTENT_BLACK, 3, 47);      /* 0.12 .. 2.0 s */
  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.base = 2 * GST_SECOND;
  fail_unless (gst_harness_push_event (fx.h, gst_event_new_segment (&seg)));
  push_frames (&fx, CONTENT_BLACK, 0, 50);      /* PTS 0 .. 2 s again */
  push_frames (&fx, CONTENT_NOISE, 50, 2);
  msgs = pop_defects (fx.bus);
  e = find (msgs, GST_AV_MONITOR_DEFECT_KIND_BLACK,
      GST_AV_MONITOR_DEFECT_EVENT_END);
  fail_unless (e != NULL);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_running_time (e),
      4 * GST_SECOND);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_duration (e),
      4 * GST_SECOND - 3 * FRAME);
  free_defects (msgs);
  fixture_clear (&fx);
}

GST_END_TEST;

/* The partial stats interval is posted at EOS. */
GST_START_TEST (test_stats_at_eos)
{
  Fixture fx;
  GstMessage *msg;
  guint64 frames = 0;
  guint n = 0;

  fixture_init (&fx, "I420", W, H);
  g_object_set (fx.h->element, "interval", GST_SECOND, NULL);
  push_frames (&fx, CONTENT_NOISE, 0, 35);
  fail_unless (gst_harness_push_event (fx.h, gst_event_new_eos ()));
  while ((msg = gst_bus_pop_filtered (fx.bus, GST_MESSAGE_ELEMENT))) {
    if (gst_message_has_name (msg, "avmonitor-stats")) {
      fail_unless (gst_structure_get_uint64 (gst_message_get_structure (msg),
              "frames", &frames));
      n++;
    }
    gst_message_unref (msg);
  }
  fail_unless_equals_int (n, 2);
  fail_unless_equals_uint64 (frames, 10);
  fixture_clear (&fx);
}

GST_END_TEST;

static Suite *
avqualitydetect_video_suite (void)
{
  Suite *s = suite_create ("avqualitydetect_video");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_freeze_span);
  tcase_add_test (tc, test_freeze_duration_property);
  tcase_add_test (tc, test_block_corruption_hold);
  tcase_add_test (tc, test_block_corruption_texture);
  tcase_add_test (tc, test_block_corruption_scan);
  tcase_add_test (tc, test_block_corruption_repeat);
  tcase_add_test (tc, test_block_corruption_stand);
  tcase_add_test (tc, test_black_not_freeze);
  tcase_add_test (tc, test_eos_truncates_before_eos);
  tcase_add_test (tc, test_flush_posts_end_only);
  tcase_add_test (tc, test_timestamps);
  tcase_add_test (tc, test_missing_timestamps);
  tcase_add_test (tc, test_short_buffer);
  tcase_add_test (tc, test_passthrough);
  tcase_add_test (tc, test_renegotiation);
  tcase_add_test (tc, test_formats);
  tcase_add_test (tc, test_refuses_rgb);
  tcase_add_test (tc, test_stats);
  tcase_add_test (tc, test_stall);
  tcase_add_test (tc, test_ids_unique_across_restart);
  tcase_add_test (tc, test_duration_across_segments);
  tcase_add_test (tc, test_stats_at_eos);
  return s;
}

GST_CHECK_MAIN (avqualitydetect_video);
