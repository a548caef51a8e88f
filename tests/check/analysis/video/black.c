/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 *
 * You should have received a copy of the GNU Library General Public
 * License along with this library; if not, write to the
 * Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
 * Boston, MA 02110-1301, USA.
 */
/* Black and uniform: the 98% share, exact spans, minimum duration, uniform
 * colour with and without chroma, slates with a little text. */

#include "vtest.h"

#define W 320
#define H 180

static uint8_t y[W * H], cb[(W / 2) * (H / 2)], cr[(W / 2) * (H / 2)];

static void
classify (const AvmBlackDetector * d, int with_chroma, AvmBlackFrame * f)
{
  AvmLuma l;
  AvmLumaStats st;
  AvmLumaPlane p = { y, W, W, H, AVM_LUMA_Y8 };
  AvmChromaPlanes c;
  uint8_t th[(W / 4) * (H / 4)];

  memset (&c, 0, sizeof (c));
  c.data[0] = cb;
  c.data[1] = cr;
  c.stride[0] = c.stride[1] = W / 2;
  c.pixel_stride = 1;
  c.width = W / 2;
  c.height = H / 2;
  c.sample = AVM_CHROMA_8BIT;
  ck_assert_int_eq (avm_luma_init (&l, W, H, AVM_LUMA_Y8, 0, 0.1), 0);
  ck_assert_int_eq (avm_luma_process (&l, &p, th, &st), 0);
  avm_black_classify (d, th, &st, with_chroma ? &c : NULL, f);
  avm_luma_clear (&l);
}

/* rows of pure black over a share of the picture, the rest mid grey */
static void
black_share (double share)
{
  int rows = (int) (share * H + 0.5);
  memset (y, 120, sizeof (y));
  memset (y, 16, (size_t) rows * W);
}

START_TEST (test_black_share)
{
  AvmBlackDetector d;
  AvmBlackConfig cfg;
  AvmBlackFrame f;

  avm_black_config_default (&cfg);
  ck_assert_int_eq (avm_black_init (&d, W, H, &cfg), 0);
  memset (y, 16, sizeof (y));
  classify (&d, 0, &f);
  ck_assert (f.black && !f.uniform);
  /* 176 of 180 rows (97.8%) is not black, a dark scene with a few lit
   * rows; 100% with noise below the threshold is */
  black_share (176.0 / 180);
  classify (&d, 0, &f);
  ck_assert (!f.black);
  ck_assert (f.black_ratio > 0.97 && f.black_ratio < 0.98);
  black_share (178.0 / 180);
  classify (&d, 0, &f);
  ck_assert (f.black);
  {
    uint32_t s = 3;
    memset (y, 20, sizeof (y));
    synth_noise (y, W, W, H, 3.0, &s);
    classify (&d, 0, &f);
    ck_assert (f.black);
  }
}
END_TEST;

START_TEST (test_black_span)
{
  AvmBlackDetector d;
  AvmBlackConfig cfg;
  AvmBlackFrame f;
  AvmSpanEvent be, ue;
  SpanLog log;
  int i;

  SynthTexture t;

  memset (&log, 0, sizeof (log));
  avm_black_config_default (&cfg);
  avm_black_init (&d, W, H, &cfg);
  synth_texture_init (&t, W, H, 5);
  for (i = 0; i < 200; i++) {
    /* black 10..69 (2.4 s), then 100..139 (1.6 s, too short) */
    if ((i >= 10 && i < 70) || (i >= 100 && i < 140))
      memset (y, 16, sizeof (y));
    else
      synth_pan (&t, y, W, W, H, 0, 0);
    classify (&d, 0, &f);
    avm_black_update (&d, &f, PTS (i), FRAME_NS, &be, &ue);
    span_log (&log, &be, i);
    ck_assert (!ue.started);
  }
  synth_texture_free (&t);
  ck_assert_int_eq (log.n, 1);
  ck_assert_uint_eq (log.start[0], PTS (10));
  ck_assert_uint_eq (log.end[0], PTS (70));
  /* posted once the 50th frame ended: 2 s */
  ck_assert_int_eq (log.start_frame[0], 59);
  ck_assert (log.value[0] == 1.0);
}
END_TEST;

START_TEST (test_uniform)
{
  AvmBlackDetector d;
  AvmBlackConfig cfg;
  AvmBlackFrame f;
  int i;

  avm_black_config_default (&cfg);
  avm_black_init (&d, W, H, &cfg);
  /* blue screen: Y 41, Cb 240, Cr 110 */
  memset (y, 41, sizeof (y));
  memset (cb, 240, sizeof (cb));
  memset (cr, 110, sizeof (cr));
  classify (&d, 1, &f);
  ck_assert (f.uniform && !f.black);
  ck_assert (fabs (f.cb - 240 / 255.0) < 0.02);
  ck_assert (fabs (f.level - 41 / 255.0) < 0.02);
  classify (&d, 0, &f);
  ck_assert (f.uniform);
  /* a slate with a line of text (under 1% of the picture) */
  memset (y, 90, sizeof (y));
  for (i = 0; i < 60; i++)
    y[(H / 2) * W + 100 + i] = y[(H / 2 + 1) * W + 100 + i] = 235;
  classify (&d, 0, &f);
  ck_assert (f.uniform);
  /* flat luma, chroma in two halves: not one colour */
  memset (y, 90, sizeof (y));
  memset (cb, 60, sizeof (cb) / 2);
  classify (&d, 1, &f);
  ck_assert (!f.uniform);
  /* texture: no */
  {
    SynthTexture t;
    synth_texture_init (&t, W, H, 5);
    synth_pan (&t, y, W, W, H, 0, 0);
    synth_texture_free (&t);
    classify (&d, 0, &f);
    ck_assert (!f.uniform && !f.black);
  }
  /* a gentle gradient across the picture (a sky): no */
  for (i = 0; i < W * H; i++)
    y[i] = (uint8_t) (80 + (i % W) * 40 / W);
  classify (&d, 0, &f);
  ck_assert (!f.uniform);
}
END_TEST;

START_TEST (test_finish)
{
  AvmBlackDetector d;
  AvmBlackConfig cfg;
  AvmBlackFrame f;
  AvmSpanEvent be, ue;
  int i, started = 0;

  avm_black_config_default (&cfg);
  cfg.duration = 0;
  avm_black_init (&d, W, H, &cfg);
  memset (y, 16, sizeof (y));
  for (i = 0; i < 5; i++) {
    classify (&d, 0, &f);
    avm_black_update (&d, &f, PTS (i), FRAME_NS, &be, &ue);
    started += be.started;
  }
  /* duration 0: reported on the first black frame, once */
  ck_assert_int_eq (started, 1);
  avm_black_finish (&d, PTS (5), &be, &ue);
  ck_assert (be.ended);
  ck_assert_uint_eq (be.start, PTS (0));
  ck_assert_uint_eq (be.end, PTS (5));
  ck_assert (!ue.ended);
}
END_TEST;

/* 16x16 and odd sizes run through the whole analysis. */
START_TEST (test_tiny_sizes)
{
  static const int sz[][2] = { {16, 16}, {17, 19}, {33, 17}, {18, 31} };
  int k, i;

  for (k = 0; k < 4; k++) {
    int w = sz[k][0], h = sz[k][1];
    AvmVideoAnalysis a;
    RunLog r;
    uint8_t *pic = malloc ((size_t) w * h);
    memset (&r, 0, sizeof (r));
    init_analysis (&a, w, h);
    for (i = 0; i < 80; i++) {
      memset (pic, i < 60 ? 16 : 100 + i, (size_t) w * h);
      feed_y8 (&a, &r, pic, w, h, i);
    }
    finish_run (&a, &r, 80);
    ck_assert_int_eq (r.black.n, 1);
    ck_assert_uint_eq (r.black.end[0], PTS (60));
    ck_assert_int_eq (r.freeze.n, 0);
    ck_assert (avm_video_analysis_memory (&a) < 4096 + sizeof (a));
    avm_video_analysis_clear (&a);
    free (pic);
  }
}
END_TEST;

START_TEST (test_memory_1080p)
{
  AvmVideoAnalysis a;

  init_analysis (&a, 1920, 1080);
  ck_assert_uint_le (avm_video_analysis_memory (&a), 1024 * 1024);
  avm_video_analysis_clear (&a);
}
END_TEST;

static Suite *
black_suite (void)
{
  Suite *s = suite_create ("analysis-video-black");
  TCase *tc = tcase_create ("black");

  tcase_add_test (tc, test_black_share);
  tcase_add_test (tc, test_black_span);
  tcase_add_test (tc, test_uniform);
  tcase_add_test (tc, test_finish);
  tcase_add_test (tc, test_tiny_sizes);
  tcase_add_test (tc, test_memory_1080p);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return run_suite (black_suite ());
}
