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
/* Freeze detector: exact spans on injected freezes, re-encoded freezes
 * with refresh spikes, partial freezes, and nothing on noise, fades,
 * moving content, black or uniform pictures. */

#include "vtest.h"

#define W 640
#define H 360

static SynthTexture tex;
static uint8_t *frame;

static void
setup (void)
{
  synth_texture_init (&tex, W + 800, H, 11);
  frame = malloc ((size_t) W * H);
}

static void
teardown (void)
{
  synth_texture_free (&tex);
  free (frame);
}

static void
pan_frame (int i)
{
  ck_assert_int_le (3 * i, 800);
  synth_pan (&tex, frame, W, W, H, 3 * i, 0);
}

START_TEST (test_exact_span)
{
  AvmVideoAnalysis a;
  RunLog r;
  int i;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 200; i++) {
    /* frames 50..149 repeat frame 49 */
    pan_frame (i >= 50 && i < 150 ? 49 : i);
    feed_y8 (&a, &r, frame, W, H, i);
  }
  finish_run (&a, &r, 200);
  ck_assert_int_eq (r.freeze.n, 1);
  ck_assert_uint_eq (r.freeze.start[0], PTS (49));
  ck_assert_uint_eq (r.freeze.end[0], PTS (150));
  /* reported once it lasted 2 s: frame 98 ends at 49 + 50 frames */
  ck_assert_int_eq (r.freeze.start_frame[0], 98);
  ck_assert_int_eq (r.black.n, 0);
  ck_assert_int_eq (r.uniform.n, 0);
  ck_assert_int_eq (r.blocks.n, 0);
  avm_video_analysis_clear (&a);
}
END_TEST;

/* Too short: 1.5 s of frozen picture is not reported. */
START_TEST (test_short_freeze)
{
  AvmVideoAnalysis a;
  RunLog r;
  int i;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 150; i++) {
    pan_frame (i >= 50 && i < 87 ? 49 : i);
    feed_y8 (&a, &r, frame, W, H, i);
  }
  finish_run (&a, &r, 150);
  ck_assert_int_eq (r.freeze.n, 0);
  avm_video_analysis_clear (&a);
}
END_TEST;

/* A stalled encoder repeating one picture: each I-frame (every 12 frames)
 * re-encodes it slightly differently, P-frames repeat it exactly. */
START_TEST (test_reencoded_freeze)
{
  AvmVideoAnalysis a;
  RunLog r;
  uint32_t seed = 5;
  uint8_t *iframe = malloc ((size_t) W * H);
  int i;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 260; i++) {
    if (i < 50 || i >= 200) {
      pan_frame (i);
      feed_y8 (&a, &r, frame, W, H, i);
      continue;
    }
    if ((i - 50) % 12 == 0) {
      synth_pan (&tex, iframe, W, W, H, 3 * 49, 0);
      synth_noise (iframe, W, W, H, 1.5, &seed);
    }
    feed_y8 (&a, &r, iframe, W, H, i);
  }
  finish_run (&a, &r, 260);
  ck_assert_int_eq (r.freeze.n, 1);
  /* the first I-frame differs from the last moving frame: within a frame */
  ck_assert_uint_ge (r.freeze.start[0], PTS (49));
  ck_assert_uint_le (r.freeze.start[0], PTS (50));
  ck_assert_uint_eq (r.freeze.end[0], PTS (200));
  free (iframe);
  avm_video_analysis_clear (&a);
}
END_TEST;

/* The same, with each I-frame's picture touched up again two frames later
 * (a refinement P-frame): spike, still, spike is still one refresh. Four
 * touches within the window are not, and end the freeze. */
START_TEST (test_reencoded_freeze_touched_up)
{
  int variant;

  for (variant = 0; variant < 2; variant++) {
    AvmVideoAnalysis a;
    RunLog r;
    uint32_t seed = 5;
    uint8_t *iframe = malloc ((size_t) W * H);
    int i;

    memset (&r, 0, sizeof (r));
    init_analysis (&a, W, H);
    for (i = 0; i < 260; i++) {
      int k = (i - 50) % 25;

      if (i < 50 || i >= 200) {
        pan_frame (i);
        feed_y8 (&a, &r, frame, W, H, i);
        continue;
      }
      if (k == 0 || k == 2 || (variant == 1 && i > 100 && (k == 1 ||
                  k == 3))) {
        if (k == 0)
          synth_pan (&tex, iframe, W, W, H, 3 * 49, 0);
        synth_noise (iframe, W, W, H, 1.5, &seed);
      }
      feed_y8 (&a, &r, iframe, W, H, i);
    }
    finish_run (&a, &r, 260);
    if (variant == 0) {
      ck_assert_int_eq (r.freeze.n, 1);
      ck_assert_uint_le (r.freeze.start[0], PTS (50));
      ck_assert_uint_eq (r.freeze.end[0], PTS (200));
    } else {
      /* the first freeze ends at the I-frame whose burst was too long */
      ck_assert_int_ge (r.freeze.n, 1);
      ck_assert_uint_eq (r.freeze.end[0], PTS (100));
    }
    free (iframe);
    avm_video_analysis_clear (&a);
  }
}
END_TEST;

static void
noise_static (double sigma)
{
  AvmVideoAnalysis a;
  RunLog r;
  uint32_t seed = 77;
  int i;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 150; i++) {
    pan_frame (0);
    synth_noise (frame, W, W, H, sigma, &seed);
    feed_y8 (&a, &r, frame, W, H, i);
  }
  finish_run (&a, &r, 150);
  ck_assert_int_eq (r.freeze.n, 0);
  ck_assert_int_eq (r.blocks.n, 0);
  avm_video_analysis_clear (&a);
}

START_TEST (test_noise_static_shot)
{
  noise_static (2.0);
  noise_static (3.0);
}
END_TEST;

/* A static picture fading at 1 code every 2 frames, and at 1 code every 8
 * frames (each step then an isolated spike): never a freeze. */
static void
fade (int frames_per_code)
{
  AvmVideoAnalysis a;
  RunLog r;
  int i, k;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 200; i++) {
    int dec = i / frames_per_code;
    pan_frame (0);
    for (k = 0; k < W * H; k++)
      frame[k] = (uint8_t) (frame[k] > dec + 40 ? frame[k] - dec : 40);
    feed_y8 (&a, &r, frame, W, H, i);
  }
  finish_run (&a, &r, 200);
  ck_assert_int_eq (r.freeze.n, 0);
  avm_video_analysis_clear (&a);
}

START_TEST (test_slow_fade)
{
  fade (2);
  fade (8);
}
END_TEST;

/* A frozen programme under a live clock: partial freeze with the clock's
 * region. */
START_TEST (test_partial_freeze)
{
  AvmVideoAnalysis a;
  RunLog r;
  AvmFreezeRegion reg;
  int i, got_region = 0;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 200; i++) {
    pan_frame (i >= 50 && i < 170 ? 49 : i);
    /* the clock: a patch that changes every second */
    synth_sprite (&tex, frame, W, W, H, 480, 280, 64, 40, 700 + 64 * (i / 25),
        0);
    feed_y8 (&a, &r, frame, W, H, i);
    if (r.freeze.n == 1 && r.freeze.open && !got_region && i > 110) {
      ck_assert (avm_freeze_get_region (&a.freeze, &reg));
      got_region = 1;
    }
  }
  finish_run (&a, &r, 200);
  ck_assert_int_eq (r.freeze.n, 1);
  ck_assert_uint_eq (r.freeze.start[0], PTS (49));
  ck_assert_uint_eq (r.freeze.end[0], PTS (170));
  ck_assert (got_region);
  ck_assert (reg.partial);
  ck_assert (reg.moving_ratio > 0.0 && reg.moving_ratio < 0.1);
  /* the box holds the clock and is not much larger */
  ck_assert_int_le (reg.region.x, 480);
  ck_assert_int_le (reg.region.y, 280);
  ck_assert_int_ge (reg.region.x + reg.region.width, 544);
  ck_assert_int_ge (reg.region.y + reg.region.height, 320);
  ck_assert_int_le (reg.region.width * reg.region.height, 4 * 128 * 128);
  avm_video_analysis_clear (&a);
}
END_TEST;

/* A whole-picture freeze reports no region. */
START_TEST (test_whole_freeze_not_partial)
{
  AvmVideoAnalysis a;
  RunLog r;
  AvmFreezeRegion reg;
  int i;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 120; i++) {
    pan_frame (i >= 10 ? 10 : i);
    feed_y8 (&a, &r, frame, W, H, i);
  }
  ck_assert_int_eq (r.freeze.n, 1);
  ck_assert (avm_freeze_get_region (&a.freeze, &reg));
  ck_assert (!reg.partial);
  ck_assert_int_eq (reg.region.width, 0);
  avm_video_analysis_clear (&a);
}
END_TEST;

/* Half of the picture moving is moving content, not a partial freeze. */
START_TEST (test_half_moving)
{
  AvmVideoAnalysis a;
  RunLog r;
  int i;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 150; i++) {
    pan_frame (0);
    synth_sprite (&tex, frame, W, W, H, 0, 0, W / 2, H, 3 * i, 0);
    feed_y8 (&a, &r, frame, W, H, i);
  }
  finish_run (&a, &r, 150);
  ck_assert_int_eq (r.freeze.n, 0);
  avm_video_analysis_clear (&a);
}
END_TEST;

/* Black and uniform pictures are static but reported as what they are. */
START_TEST (test_black_uniform_not_freeze)
{
  AvmVideoAnalysis a;
  RunLog r;
  int i;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 300; i++) {
    if (i < 20 || (i >= 120 && i < 140) || i >= 240)
      pan_frame (i / 2);
    else
      memset (frame, i < 120 ? 16 : 41, (size_t) W * H);
    feed_y8 (&a, &r, frame, W, H, i);
  }
  finish_run (&a, &r, 300);
  ck_assert_int_eq (r.freeze.n, 0);
  ck_assert_int_eq (r.black.n, 1);
  ck_assert_uint_eq (r.black.start[0], PTS (20));
  ck_assert_uint_eq (r.black.end[0], PTS (120));
  ck_assert_int_eq (r.uniform.n, 1);
  ck_assert_uint_eq (r.uniform.start[0], PTS (140));
  ck_assert_uint_eq (r.uniform.end[0], PTS (240));
  avm_video_analysis_clear (&a);
}
END_TEST;

/* A freeze open at EOS is ended there; a freeze that turns black ends at
 * the first black frame. */
START_TEST (test_finish_and_black_after)
{
  AvmVideoAnalysis a;
  RunLog r;
  int i;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 100; i++) {
    pan_frame (i >= 10 ? 10 : i);
    feed_y8 (&a, &r, frame, W, H, i);
  }
  finish_run (&a, &r, 100);
  ck_assert_int_eq (r.freeze.n, 1);
  ck_assert_uint_eq (r.freeze.start[0], PTS (10));
  ck_assert_uint_eq (r.freeze.end[0], PTS (100));

  memset (&r, 0, sizeof (r));
  for (i = 0; i < 120; i++) {
    if (i < 80)
      pan_frame (i >= 10 ? 10 : i);
    else
      memset (frame, 16, (size_t) W * H);
    feed_y8 (&a, &r, frame, W, H, i);
  }
  ck_assert_int_eq (r.freeze.n, 1);
  ck_assert_uint_eq (r.freeze.end[0], PTS (80));
  avm_video_analysis_clear (&a);
}
END_TEST;

/* Timestamps missing on some frames: extrapolated, span still exact. */
START_TEST (test_missing_pts)
{
  AvmVideoAnalysis a;
  RunLog r;
  int i;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  for (i = 0; i < 150; i++) {
    AvmLumaPlane p = { frame, W, W, H, AVM_LUMA_Y8 };
    AvmVideoResult res;
    pan_frame (i >= 20 && i < 120 ? 20 : i);
    ck_assert_int_eq (avm_video_analysis_process (&a, &p, NULL,
            i % 3 == 1 ? AVM_TIME_NONE : PTS (i), AVM_TIME_NONE, 0, &res),
        0);
    run_log (&r, &res, i);
  }
  ck_assert_int_eq (r.freeze.n, 1);
  ck_assert_uint_eq (r.freeze.start[0], PTS (20));
  ck_assert_uint_eq (r.freeze.end[0], PTS (120));
  avm_video_analysis_clear (&a);
}
END_TEST;

static Suite *
freeze_suite (void)
{
  Suite *s = suite_create ("analysis-video-freeze");
  TCase *tc = tcase_create ("freeze");

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_exact_span);
  tcase_add_test (tc, test_short_freeze);
  tcase_add_test (tc, test_reencoded_freeze);
  tcase_add_test (tc, test_reencoded_freeze_touched_up);
  tcase_add_test (tc, test_noise_static_shot);
  tcase_add_test (tc, test_slow_fade);
  tcase_add_test (tc, test_partial_freeze);
  tcase_add_test (tc, test_whole_freeze_not_partial);
  tcase_add_test (tc, test_half_moving);
  tcase_add_test (tc, test_black_uniform_not_freeze);
  tcase_add_test (tc, test_finish_and_black_after);
  tcase_add_test (tc, test_missing_pts);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return run_suite (freeze_suite ());
}
