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
/* The grid scan (gridscan.h): misplaced macroblocks that the temporal
 * tests pass (each one matches the previous frame at a vector of its own)
 * are found against the stream's own level, in the block-corruption span
 * when the scan is on and not when it is off; clean motion, a static
 * graphic on the grid, a test card that steps on the grid in every frame
 * and a cut report nothing. */

#include "vtest.h"
#include "gridscan.h"

#include <stdlib.h>
#include <string.h>

#define W 320
#define H 192
#define SQ 40                   /* checkerboard squares, off the grid */

static uint8_t frame[W * H];

static uint8_t
board (int x, int y, int phase)
{
  return ((x + phase) / SQ + y / SQ) % 2 ? 200 : 40;
}

/* A checkerboard panning 3 px right and 2 px down a frame; from frame
 * @from to @to (excluded) 12 macroblocks, at other positions in every
 * frame, hold the picture 6 px right and down of where they are: the
 * board's edges break on their borders. */
static void
scene (int i, int from, int to, int phase)
{
  int x, y, k;

  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      frame[y * W + x] = board (x + 3 * i + 5, y + 2 * i + 3 + 400, phase);
  if (i < from || i >= to)
    return;
  for (k = 0; k < 12; k++) {
    int bx = 2 + (k * 5 + i) % 16, by = 2 + (k * 3 + i) % 9;
    for (y = 0; y < 16; y++)
      for (x = 0; x < 16; x++)
        frame[(16 * by + y) * W + 16 * bx + x] =
            board (16 * bx + x + 3 * i + 11, 16 * by + y + 2 * i + 9 + 400,
            phase);
  }
}

static AvmLumaPlane
plane8 (const uint8_t * p, int w, int h)
{
  AvmLumaPlane pl = { p, (size_t) w, w, h, AVM_LUMA_Y8 };
  return pl;
}

/* frames of @n judged damaged by the scan alone */
static int
scan_run (AvmGridScan * s, int n, int from, int to, int *first)
{
  int i, hits = 0;

  *first = -1;
  for (i = 0; i < n; i++) {
    AvmLumaPlane pl;
    AvmGridScanFrame f;

    scene (i, from, to, 0);
    pl = plane8 (frame, W, H);
    avm_grid_scan_process (s, &pl, 0, &f);
    if (f.damaged) {
      hits++;
      if (*first < 0)
        *first = i;
      /* the box holds the new blocks: inside the damaged rows and
       * columns of scene() */
      ck_assert_int_ge (f.bbox.x, 32);
      ck_assert_int_ge (f.bbox.y, 32);
      ck_assert_int_le (f.bbox.x + f.bbox.width, 16 * 18);
      ck_assert_int_le (f.bbox.y + f.bbox.height, 16 * 11);
    }
  }
  return hits;
}

START_TEST (test_clean_and_damaged)
{
  AvmGridScan s;
  int first, hits;

  ck_assert_int_eq (avm_grid_scan_init (&s, W, H, 6.0), 0);
  ck_assert_int_eq (scan_run (&s, 90, 1000, 1000, &first), 0);
  ck_assert_double_lt (s.level, 0.5);
  avm_grid_scan_reset (&s);
  /* measured: 6 of the 20 damaged frames are over the level, the first
   * at once (the others have fewer than 4 blocks with two new borders:
   * the board's edges cross few of the misplaced blocks) */
  hits = scan_run (&s, 90, 40, 60, &first);
  ck_assert_int_ge (hits, 3);
  ck_assert_int_eq (first, 40);
  avm_grid_scan_clear (&s);
}

END_TEST;

/* A flat box whose corners lie on the grid appears over the moving
 * board: its corner blocks step on two borders, counted in the frame the
 * box appears; after that the blocks along its edges step on one border
 * in every frame and on a second one whenever an edge of the board lands
 * on the grid beside it (every 8 frames, 6-16 blocks at once): one new
 * border, not counted. */
START_TEST (test_static_graphic)
{
  AvmGridScan s;
  int i, x, y;

  ck_assert_int_eq (avm_grid_scan_init (&s, W, H, 6.0), 0);
  for (i = 0; i < 120; i++) {
    AvmLumaPlane pl;
    AvmGridScanFrame f;

    scene (i, 1000, 1000, 0);
    if (i >= 40)
      for (y = 64; y < 128; y++)
        for (x = 64; x < 192; x++)
          frame[y * W + x] = 235;
    pl = plane8 (frame, W, H);
    avm_grid_scan_process (&s, &pl, 0, &f);
    if (i == 40)
      ck_assert_int_eq (f.blocks, 4);
    else
      ck_assert_int_eq (f.blocks, 0);
  }
  avm_grid_scan_clear (&s);
}

END_TEST;

/* Content that steps on the grid in new blocks all the time (the bars of
 * a test card, a starved encoder's mosaic) sets the stream's level:
 * damage of the same size as its usual number is not over it. */
START_TEST (test_level)
{
  AvmGridScan s;
  int i, hits = 0, first;

  ck_assert_int_eq (avm_grid_scan_init (&s, W, H, 6.0), 0);
  /* the damage of scene() in every frame: the stream's level */
  for (i = 0; i < 200; i++) {
    AvmLumaPlane pl;
    AvmGridScanFrame f;

    scene (i, 0, 1000, 0);
    pl = plane8 (frame, W, H);
    avm_grid_scan_process (&s, &pl, 0, &f);
    hits += f.damaged && i >= 100;
  }
  ck_assert_double_gt (s.level, 1.0);
  ck_assert_int_eq (hits, 0);
  /* a reset forgets it: the same frames are damage again */
  avm_grid_scan_reset (&s);
  ck_assert_int_gt (scan_run (&s, 90, 40, 60, &first), 0);
  avm_grid_scan_clear (&s);
}

END_TEST;

/* Damage that starts right after a cut is found once the history holds
 * the new scene: the cut and the AVM_GRID_SCAN_CUT_SETTLE frames after
 * it are not judged (though some of them are over the level), the next
 * are, against the old scene's level.  A cut in the warm-up after a reset
 * does not shorten it. */
START_TEST (test_cut)
{
  AvmGridScan s;
  int i, first = -1, over = 0;

  ck_assert_int_eq (avm_grid_scan_init (&s, W, H, 6.0), 0);
  for (i = 0; i < 100; i++) {
    AvmLumaPlane pl;
    AvmGridScanFrame f;

    scene (i, 49, 70, 0);
    pl = plane8 (frame, W, H);
    avm_grid_scan_process (&s, &pl, i == 48, &f);
    if (i == 48)
      ck_assert_int_eq (f.blocks, 0);
    if (i <= 48 + AVM_GRID_SCAN_CUT_SETTLE) {
      ck_assert (!f.damaged);
      over += f.blocks >= AVM_GRID_SCAN_MIN_BLOCKS &&
          f.blocks >= AVM_GRID_SCAN_LEVEL_RATIO * f.level +
          AVM_GRID_SCAN_MIN_BLOCKS;
    }
    if (f.damaged && first < 0)
      first = i;
    ck_assert (!f.damaged || (i >= 49 && i < 70));
  }
  ck_assert_int_gt (over, 0);
  /* found well within the 25 frames of a warm-up */
  ck_assert_int_gt (first, 48 + AVM_GRID_SCAN_CUT_SETTLE);
  ck_assert_int_lt (first, 70);

  /* a cut at frame 10 of the warm-up: the damage of frames 14-21 is in
   * it, the damage of frames 50-69 is found */
  avm_grid_scan_reset (&s);
  first = -1;
  for (i = 0; i < 80; i++) {
    AvmLumaPlane pl;
    AvmGridScanFrame f;

    if (i < 40)
      scene (i, 14, 22, 0);
    else
      scene (i, 50, 70, 0);
    pl = plane8 (frame, W, H);
    avm_grid_scan_process (&s, &pl, i == 10, &f);
    if (f.damaged && first < 0)
      first = i;
  }
  ck_assert_int_ge (first, 50);
  ck_assert_int_lt (first, 70);
  avm_grid_scan_clear (&s);
}

END_TEST;

/* Odd sizes in buffers of exactly the plane's size (AddressSanitizer
 * catches a read past the end); a plane of another size is not read. */
START_TEST (test_sizes)
{
  static const int sz[][2] = { {16, 16}, {17, 33}, {47, 21}, {333, 199} };
  AvmGridScan s;
  size_t k;
  int i;

  ck_assert_int_eq (avm_grid_scan_init (&s, 15, 64, 6.0), -1);
  for (k = 0; k < sizeof (sz) / sizeof (sz[0]); k++) {
    int w = sz[k][0], h = sz[k][1];
    uint8_t *p = malloc ((size_t) w * h);
    AvmLumaPlane pl = plane8 (p, w, h);
    AvmGridScanFrame f;

    ck_assert_int_eq (avm_grid_scan_init (&s, w, h, 6.0), 0);
    /* the history, and the grid lines' sums */
    ck_assert_uint_eq (avm_grid_scan_memory (&s), 2 * (s.bw * s.bh +
            (s.bw + 2) * s.bh + s.bw * (s.bh + 2)));
    for (i = 0; i < 30; i++) {
      int j;
      for (j = 0; j < w * h; j++)
        p[j] = (uint8_t) ((j * 7 + i * 13) & 0xff);
      avm_grid_scan_process (&s, &pl, 0, &f);
    }
    pl.width = w + 16;
    avm_grid_scan_process (&s, &pl, 0, &f);
    ck_assert_int_eq (f.blocks, 0);
    ck_assert_int_eq (f.damaged, 0);
    avm_grid_scan_clear (&s);
    ck_assert_uint_eq (avm_grid_scan_memory (&s), 0);
    free (p);
  }
}

END_TEST;

/* In the detector: the temporal tests pass these blocks (each matches the
 * previous frame at a vector of its own), so without the scan there is no
 * span; with it, one from the first damaged frame. Turned on in the
 * middle of a stream it learns the level first. */
static int
detector_run (int on_at, int off_at, int on_again, int max_pixels,
    int *start_frame)
{
  AvmVideoAnalysis a;
  AvmVideoConfig cfg;
  RunLog r;
  int i;

  memset (&r, 0, sizeof (r));
  init_analysis (&a, W, H);
  avm_video_config_default (&cfg);
  cfg.blocks.scan_max_pixels = max_pixels;
  avm_video_analysis_set_config (&a, &cfg);
  for (i = 0; i < 90; i++) {
    if (i == on_at || i == off_at || i == on_again) {
      cfg.blocks.scan = i != off_at;
      avm_video_analysis_set_config (&a, &cfg);
    }
    scene (i, 40, 60, 0);
    feed_y8 (&a, &r, frame, W, H, i);
  }
  finish_run (&a, &r, 90);
  avm_video_analysis_clear (&a);
  *start_frame = r.blocks.n ? r.blocks.start_frame[0] : -1;
  return r.blocks.n;
}

START_TEST (test_in_detector)
{
  int start;

  /* never on */
  ck_assert_int_eq (detector_run (-1, -1, -1, 0, &start), 0);
  ck_assert_int_eq (detector_run (-1, -1, -1, W * H - 1, &start), 0);
  /* on through the size limit (the default covers 640x360) */
  ck_assert_int_eq (detector_run (-1, -1, -1, W * H, &start), 1);
  ck_assert_int_eq (start, 40);
  {
    AvmVideoConfig cfg;
    avm_video_config_default (&cfg);
    ck_assert_int_ge (cfg.blocks.scan_max_pixels, W * H);
  }
  ck_assert_int_eq (detector_run (0, -1, -1, 0, &start), 1);
  ck_assert_int_eq (start, 40);
  ck_assert_int_eq (detector_run (10, -1, -1, 0, &start), 1);
  ck_assert_int_eq (start, 40);
  /* on for frames 0-19, off, on again at 30: its past is forgotten, so
   * it is judged from frame 55 on (25 frames of warm-up), not from 35
   * (the 20 frames of before and 5 more), which would find frame 40 */
  detector_run (0, 20, 30, 0, &start);
  ck_assert_int_ne (start, 40);
  ck_assert (start == -1 || start >= 55);
}

END_TEST;

static Suite *
gridscan_suite (void)
{
  Suite *s = suite_create ("gridscan");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_clean_and_damaged);
  tcase_add_test (tc, test_static_graphic);
  tcase_add_test (tc, test_level);
  tcase_add_test (tc, test_cut);
  tcase_add_test (tc, test_sizes);
  tcase_add_test (tc, test_in_detector);
  return s;
}

int
main (void)
{
  return run_suite (gridscan_suite ());
}
