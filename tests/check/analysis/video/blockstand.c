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
/* One-frame stands of moving blocks (blockstand.h): a region of textured
 * blocks that stands for one frame in steady motion is found, one frame
 * late, with its size and box; fewer blocks, blocks that touch no other,
 * a stand too shallow, a flat region, a short or unsteady history, a
 * region that stood before, the whole picture and motion that stops are
 * not. */

#include "vtest.h"
#include "blockstand.h"

#include <stdlib.h>
#include <string.h>

#define BW 16
#define BH 8
#define TW (4 * BW)
#define N (BW * BH)
#define MOVING_SAD 128          /* 8 codes a sample */

static uint8_t textured_thumb[TW * 4 * BH];
static uint8_t flat_thumb[TW * 4 * BH];

static void
make_thumbs (void)
{
  int i;

  for (i = 0; i < TW * 4 * BH; i++) {
    textured_thumb[i] = (uint8_t) (96 + (i * 37 + (i / TW) * 11) % 64);
    flat_thumb[i] = 100;
  }
}

/* Moving everywhere, except where @stand (N flags, NULL: none) says the
 * block shows @sad instead. */
static void
frame_sad (uint16_t * sad, const uint8_t * stand, unsigned v)
{
  int i;

  for (i = 0; i < N; i++)
    sad[i] = stand && stand[i] ? (uint16_t) v : MOVING_SAD;
}

/* A rectangle of blocks, columns x0..x1-1, rows y0..y1-1. */
static void
rect (uint8_t * m, int x0, int y0, int x1, int y1)
{
  int x, y;

  memset (m, 0, N);
  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++)
      m[y * BW + x] = 1;
}

/* @moving frames of motion, then one frame where @stand shows @v, then
 * @after frames of motion; returns the frames (counted from 0) whose
 * verdict was a stand, the last one's measure in *@out. */
static int
run (AvmBlockStand * s, int moving, const uint8_t * stand, unsigned v,
    int after, const uint8_t * thumb, AvmBlockStandFrame * out, int *at)
{
  uint16_t sad[N];
  int i, hits = 0;

  *at = -1;
  for (i = 0; i < moving + 1 + after; i++) {
    AvmBlockStandFrame f;

    frame_sad (sad, i == moving ? stand : NULL, v);
    if (avm_block_stand_process (s, sad, thumb, TW, &f)) {
      hits++;
      *at = i;
      *out = f;
    }
  }
  return hits;
}

START_TEST (test_stand_found)
{
  AvmBlockStand s;
  AvmBlockStandFrame f;
  uint8_t m[N];
  int at;

  make_thumbs ();
  ck_assert_int_eq (avm_block_stand_init (&s, BW, BH), 0);
  rect (m, 2, 3, 7, 7);         /* 5 x 4 = 20 blocks */
  ck_assert_int_eq (run (&s, 60, m, 0, 5, textured_thumb, &f, &at), 1);
  /* known on the frame after the stand */
  ck_assert_int_eq (at, 61);
  ck_assert_int_eq (f.blocks, 20);
  ck_assert_int_eq (f.moving, N);
  ck_assert_int_eq (f.bbox.x, 32);
  ck_assert_int_eq (f.bbox.y, 48);
  ck_assert_int_eq (f.bbox.width, 80);
  ck_assert_int_eq (f.bbox.height, 64);
  avm_block_stand_clear (&s);
}
END_TEST;

/* The block count and the depth at their edges. */
START_TEST (test_thresholds)
{
  static const struct
  {
    int w, h;
    unsigned v;
    int found;
  } cases[] = {
    {4, 4, 0, 1},               /* 16 blocks */
    {5, 3, 0, 0},               /* 15 */
    {4, 4, 12, 1},              /* 0.09 x the motion around it */
    {4, 4, 16, 0},              /* 0.125 x */
  };
  int k;

  make_thumbs ();
  for (k = 0; k < (int) (sizeof (cases) / sizeof (cases[0])); k++) {
    AvmBlockStand s;
    AvmBlockStandFrame f;
    uint8_t m[N];
    int at;

    ck_assert_int_eq (avm_block_stand_init (&s, BW, BH), 0);
    rect (m, 1, 1, 1 + cases[k].w, 1 + cases[k].h);
    ck_assert_msg (run (&s, 60, m, cases[k].v, 3, textured_thumb, &f,
            &at) == cases[k].found, "case %d", k);
    avm_block_stand_clear (&s);
  }
}
END_TEST;

/* 24 standing blocks on a checkerboard touch no other: a starved encoder
 * skipping blocks here and there, not a lost slice. */
START_TEST (test_scattered)
{
  AvmBlockStand s;
  AvmBlockStandFrame f;
  uint8_t m[N];
  int x, y, at;

  make_thumbs ();
  memset (m, 0, N);
  for (y = 1; y < 7; y++)
    for (x = 1; x < 9; x++)
      m[y * BW + x] = (x + y) % 2;
  ck_assert_int_eq (avm_block_stand_init (&s, BW, BH), 0);
  ck_assert_int_eq (run (&s, 60, m, 0, 3, textured_thumb, &f, &at), 0);
  avm_block_stand_clear (&s);
}
END_TEST;

/* A flat region matches whatever moves over it. */
START_TEST (test_flat)
{
  AvmBlockStand s;
  AvmBlockStandFrame f;
  uint8_t m[N];
  int at;

  make_thumbs ();
  rect (m, 2, 2, 8, 6);
  ck_assert_int_eq (avm_block_stand_init (&s, BW, BH), 0);
  ck_assert_int_eq (run (&s, 60, m, 0, 3, flat_thumb, &f, &at), 0);
  avm_block_stand_clear (&s);
}
END_TEST;

/* Only after AVM_STAND_STEADY frames of motion: a stand 40 frames after a
 * reset is not judged, one at 60 is; and after reset() again not. */
START_TEST (test_history)
{
  AvmBlockStand s;
  AvmBlockStandFrame f;
  uint8_t m[N];
  int at;

  make_thumbs ();
  rect (m, 2, 2, 8, 6);
  ck_assert_int_eq (avm_block_stand_init (&s, BW, BH), 0);
  ck_assert_int_eq (run (&s, 40, m, 0, 3, textured_thumb, &f, &at), 0);
  /* 64 frames from the reset: the history is long enough, but the region
   * stood 24 frames ago */
  ck_assert_int_eq (run (&s, 20, m, 0, 3, textured_thumb, &f, &at), 0);
  ck_assert_int_eq (run (&s, 60, m, 0, 3, textured_thumb, &f, &at), 1);
  avm_block_stand_reset (&s);
  ck_assert_int_eq (run (&s, 30, m, 0, 3, textured_thumb, &f, &at), 0);
  avm_block_stand_clear (&s);
}
END_TEST;

/* Content that moves in every second frame only (a slow crawl) is never
 * steady, though each still frame stands between two moving ones. */
START_TEST (test_cadence)
{
  AvmBlockStand s;
  AvmBlockStandFrame f;
  uint8_t m[N];
  uint16_t sad[N];
  int i, hits = 0;

  make_thumbs ();
  rect (m, 2, 2, 8, 6);
  ck_assert_int_eq (avm_block_stand_init (&s, BW, BH), 0);
  for (i = 0; i < 200; i++) {
    frame_sad (sad, i % 2 ? m : NULL, 0);
    hits += avm_block_stand_process (&s, sad, textured_thumb, TW, &f);
  }
  ck_assert_int_eq (hits, 0);
  avm_block_stand_clear (&s);
}
END_TEST;

/* A region that stood still for 40 frames and moved for 20 has no stand
 * behind it, but its motion is not steady yet. */
START_TEST (test_unsteady)
{
  AvmBlockStand s;
  AvmBlockStandFrame f;
  uint8_t m[N];
  uint16_t sad[N];
  int i, hits = 0;

  make_thumbs ();
  rect (m, 2, 2, 8, 6);
  ck_assert_int_eq (avm_block_stand_init (&s, BW, BH), 0);
  for (i = 0; i < 65; i++) {
    frame_sad (sad, i < 40 || i == 60 ? m : NULL, 0);
    hits += avm_block_stand_process (&s, sad, textured_thumb, TW, &f);
  }
  ck_assert_int_eq (hits, 0);
  avm_block_stand_clear (&s);
}
END_TEST;

/* Most of the moving blocks standing is a whole picture repeated
 * (repeat.h); and a region that stops for good, not moving in the frame
 * after, is content. */
START_TEST (test_not_partial)
{
  AvmBlockStand s;
  AvmBlockStandFrame f;
  uint8_t m[N];
  uint16_t sad[N];
  int i, at, hits = 0;

  make_thumbs ();
  rect (m, 0, 0, BW, 5);        /* 80 of 128 blocks */
  ck_assert_int_eq (avm_block_stand_init (&s, BW, BH), 0);
  ck_assert_int_eq (run (&s, 60, m, 0, 3, textured_thumb, &f, &at), 0);
  avm_block_stand_clear (&s);

  rect (m, 2, 2, 8, 6);
  ck_assert_int_eq (avm_block_stand_init (&s, BW, BH), 0);
  for (i = 0; i < 100; i++) {
    frame_sad (sad, i >= 60 ? m : NULL, 0);
    hits += avm_block_stand_process (&s, sad, textured_thumb, TW, &f);
  }
  ck_assert_int_eq (hits, 0);
  avm_block_stand_clear (&s);
}
END_TEST;

/* A picture without blocks (smaller than 16 x 16 pixels) has nothing to
 * judge. */
START_TEST (test_empty)
{
  AvmBlockStand s;
  AvmBlockStandFrame f;
  uint16_t sad[1] = { 0 };

  ck_assert_int_eq (avm_block_stand_init (&s, 0, 3), 0);
  ck_assert_int_eq (avm_block_stand_process (&s, sad, textured_thumb, TW,
          &f), 0);
  avm_block_stand_reset (&s);
  avm_block_stand_clear (&s);
}
END_TEST;

static Suite *
blockstand_suite (void)
{
  Suite *s = suite_create ("analysis-video-blockstand");
  TCase *tc = tcase_create ("blockstand");

  tcase_add_test (tc, test_stand_found);
  tcase_add_test (tc, test_thresholds);
  tcase_add_test (tc, test_scattered);
  tcase_add_test (tc, test_flat);
  tcase_add_test (tc, test_history);
  tcase_add_test (tc, test_cadence);
  tcase_add_test (tc, test_unsteady);
  tcase_add_test (tc, test_not_partial);
  tcase_add_test (tc, test_empty);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return run_suite (blockstand_suite ());
}
