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
/* What a cut leaves unchanged (partialcut.h): the share of textured
 * moving blocks still matching, the best row, the changed blocks' box;
 * flat blocks and blocks that stood still are not judged; standing still
 * is counted at zero motion only. */

#include "vtest.h"
#include "partialcut.h"

#include <stdlib.h>
#include <string.h>

#define TW 160                  /* a 640x360 picture's thumbnail */
#define TH 88
#define BW (TW / 4)
#define BH (TH / 4)
#define N (BW * BH)
#define LIM 32

static uint8_t thumb[TW * TH], still[N];
static uint16_t res[N];
static int8_t vx[N], vy[N];

/* A textured thumbnail, every block changed, nothing standing still. */
static void
changed_picture (void)
{
  int x, y;

  for (y = 0; y < TH; y++)
    for (x = 0; x < TW; x++)
      thumb[y * TW + x] = (uint8_t) ((x + y) % 2 ? 60 : 90);
  for (x = 0; x < N; x++)
    res[x] = 16 * 40;
  memset (still, 0, sizeof (still));
  memset (vx, 0, sizeof (vx));
  memset (vy, 0, sizeof (vy));
}

START_TEST (test_everything_changed)
{
  AvmPartialCut c;

  changed_picture ();
  avm_partial_cut_measure (thumb, TW, res, still, BW, BH, LIM, &c);
  ck_assert_int_eq (c.blocks, N);
  ck_assert_int_eq (c.kept, 0);
  ck_assert (c.best_row == 0.0);
  ck_assert_int_eq (c.bbox.x, 0);
  ck_assert_int_eq (c.bbox.y, 0);
  ck_assert_int_eq (c.bbox.width, 16 * BW);
  ck_assert_int_eq (c.bbox.height, 16 * BH);
}
END_TEST;

/* The rows decoded before the error still match; the box is the rest. */
START_TEST (test_top_rows_kept)
{
  AvmPartialCut c;
  int i;

  changed_picture ();
  for (i = 0; i < 5 * BW; i++)
    res[i] = LIM;               /* up to the limit is kept */
  /* half of row 5 too: the error's row */
  for (i = 5 * BW; i < 5 * BW + BW / 2; i++)
    res[i] = 8;
  avm_partial_cut_measure (thumb, TW, res, still, BW, BH, LIM, &c);
  ck_assert_int_eq (c.blocks, N);
  ck_assert_int_eq (c.kept, 5 * BW + BW / 2);
  ck_assert (c.best_row == 1.0);
  ck_assert_int_eq (c.bbox.y, 16 * 5);
  ck_assert_int_eq (c.bbox.height, 16 * (BH - 5));
  ck_assert_int_eq (c.bbox.width, 16 * BW);
}
END_TEST;

/* Flat blocks match whatever happens, and blocks that stood still are
 * the layout (a logo, an L-band): neither is judged.  A row needs a
 * quarter of its blocks judged to count for the best row. */
START_TEST (test_flat_and_still_not_judged)
{
  AvmPartialCut c;
  int x, y, i;

  changed_picture ();
  /* rows 0-3 flat (a letterbox), matching */
  for (y = 0; y < 16; y++)
    for (x = 0; x < TW; x++)
      thumb[y * TW + x] = 16;
  for (i = 0; i < 4 * BW; i++)
    res[i] = 0;
  /* rows 4-7 a band of graphics that stood for 2 s, matching */
  for (i = 4 * BW; i < 8 * BW; i++) {
    res[i] = 0;
    still[i] = AVM_CUT_STILL_FRAMES;
  }
  /* row 8: only 3 blocks judged, all kept */
  for (i = 8 * BW; i < 9 * BW; i++)
    still[i] = 255;
  for (i = 8 * BW; i < 8 * BW + 3; i++) {
    still[i] = AVM_CUT_STILL_FRAMES - 1;
    res[i] = 0;
  }
  avm_partial_cut_measure (thumb, TW, res, still, BW, BH, LIM, &c);
  ck_assert_int_eq (c.blocks, N - 9 * BW + 3);
  ck_assert_int_eq (c.kept, 3);
  ck_assert (c.best_row == 0.0);
  ck_assert_int_eq (c.bbox.y, 16 * 9);  /* row 8 has no changed block */
  /* a block whose samples step by just under the texture level is flat */
  changed_picture ();
  for (y = 0; y < TH; y++)
    for (x = 0; x < TW; x++)
      thumb[y * TW + x] = (uint8_t) ((x + y) % 2 ? 60 : 60 +
          AVM_CUT_TEXTURE - 1);
  avm_partial_cut_measure (thumb, TW, res, still, BW, BH, LIM, &c);
  ck_assert_int_eq (c.blocks, 0);
  ck_assert_int_eq (c.bbox.width, 0);
}
END_TEST;

/* A thumbnail whose rows are wider than its blocks (a width that is not
 * a multiple of 16 px): blocks are read at the row stride given.  Block
 * rows alternate textured and flat; the columns past the last block are
 * textured and never read into a block. */
START_TEST (test_stride)
{
  enum
  { TW2 = TW + 3 };
  static uint8_t wide[TW2 * TH];
  AvmPartialCut c;
  int x, y;

  changed_picture ();
  for (y = 0; y < TH; y++)
    for (x = 0; x < TW2; x++)
      wide[y * TW2 + x] = (uint8_t) (x >= TW || (y / 4) % 2 == 0 ?
          ((x + y) % 2 ? 60 : 90) : 75);
  avm_partial_cut_measure (wide, TW2, res, still, BW, BH, LIM, &c);
  ck_assert_int_eq (c.blocks, BW * ((BH + 1) / 2));
  ck_assert_int_eq (c.bbox.width, 16 * BW);
}
END_TEST;

START_TEST (test_age)
{
  int k;

  changed_picture ();
  res[0] = LIM;                 /* still at zero motion */
  res[1] = LIM + 1;             /* changed */
  res[2] = 0;
  vx[2] = 1;                    /* matched, but moving */
  res[3] = 0;
  vy[3] = -1;
  for (k = 0; k < 300; k++)
    avm_partial_cut_age (still, res, vx, vy, N, LIM);
  ck_assert_int_eq (still[0], 255);     /* saturates */
  ck_assert_int_eq (still[1], 0);
  ck_assert_int_eq (still[2], 0);
  ck_assert_int_eq (still[3], 0);
  res[0] = LIM + 1;
  avm_partial_cut_age (still, res, vx, vy, N, LIM);
  ck_assert_int_eq (still[0], 0);       /* starts again */
}
END_TEST;

static Suite *
partial_cut_suite (void)
{
  Suite *s = suite_create ("analysis-video-partialcut");
  TCase *tc = tcase_create ("partialcut");

  tcase_add_test (tc, test_everything_changed);
  tcase_add_test (tc, test_top_rows_kept);
  tcase_add_test (tc, test_flat_and_still_not_judged);
  tcase_add_test (tc, test_stride);
  tcase_add_test (tc, test_age);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return run_suite (partial_cut_suite ());
}
