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
/* Changed regions that end on the macroblock grid (boundary.h): garbage
 * over whole macroblocks is aligned on its borders; a region whose
 * outline lies inside its blocks, one whose change spills into the
 * neighbours, and a pan are not; the counts and the box. */

#include "vtest.h"
#include "boundary.h"

#include <stdlib.h>
#include <string.h>

#define TW 160                  /* a 640x360 picture's thumbnail */
#define TH 90
#define BW (TW / 4)
#define BH (TH / 4)

static uint8_t prev[TW * TH], cur[TW * TH], changed[BW * BH];

/* A smooth picture, and a copy of it. */
static void
picture (void)
{
  int x, y;

  for (y = 0; y < TH; y++)
    for (x = 0; x < TW; x++)
      prev[y * TW + x] = (uint8_t) (60 + (x * 3 + y * 2) % 120);
  memcpy (cur, prev, sizeof (cur));
  memset (changed, 0, sizeof (changed));
}

/* Garbage over thumbnail samples [x0, x1) x [y0, y1); the blocks it
 * touches marked changed. */
static void
garbage (int x0, int y0, int x1, int y1)
{
  uint32_t s = 5;
  int x, y;

  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++) {
      int v = prev[y * TW + x];

      /* garbage: far from what was there, with a texture of its own */
      s = s * 1103515245u + 12345u;
      v += (v < 128 ? 80 : -80) + (int) ((s >> 16) % 41) - 20;
      cur[y * TW + x] = (uint8_t) v;
      changed[(y / 4) * BW + x / 4] = 1;
    }
}

START_TEST (test_band_aligned)
{
  AvmBoundaryFrame f;

  /* a band of 3 x 8 macroblocks */
  picture ();
  garbage (4 * 5, 4 * 2, 4 * 13, 4 * 5);
  avm_boundary_measure (cur, prev, TW, TH, changed, BW, BH, &f);
  ck_assert_int_eq (f.blocks, 24);
  ck_assert_int_eq (f.borders, 2 * 8 + 2 * 3);
  ck_assert_int_eq (f.aligned, f.borders);
  ck_assert_int_eq (f.bbox.x, 16 * 5);
  ck_assert_int_eq (f.bbox.y, 16 * 2);
  ck_assert_int_eq (f.bbox.width, 16 * 8);
  ck_assert_int_eq (f.bbox.height, 16 * 3);
}
END_TEST;

START_TEST (test_outline_inside)
{
  AvmBoundaryFrame f;

  /* the same band, its outline 2 samples (8 px) inside its blocks */
  picture ();
  garbage (4 * 5 + 2, 4 * 2 + 2, 4 * 13 - 2, 4 * 5 - 2);
  avm_boundary_measure (cur, prev, TW, TH, changed, BW, BH, &f);
  ck_assert_int_eq (f.blocks, 24);
  ck_assert_int_eq (f.aligned, 0);
  /* a soft outline: the strong change 1 sample inside, a faint one (10
   * codes) out to the border, where the content's halo ends */
  picture ();
  {
    int x, y;
    for (y = 4 * 2; y < 4 * 5; y++)
      for (x = 4 * 5; x < 4 * 13; x++)
        cur[y * TW + x] = (uint8_t) (prev[y * TW + x] + 10);
  }
  garbage (4 * 5 + 1, 4 * 2 + 1, 4 * 13 - 1, 4 * 5 - 1);
  avm_boundary_measure (cur, prev, TW, TH, changed, BW, BH, &f);
  ck_assert_int_eq (f.blocks, 24);
  ck_assert_int_eq (f.aligned, 0);
  /* 2 samples outside the blocks the caller calls changed: the change
   * spills into the neighbours, whose rows beside the border change */
  picture ();
  garbage (4 * 5 - 2, 4 * 2 - 2, 4 * 13 + 2, 4 * 5 + 2);
  memset (changed, 0, sizeof (changed));
  {
    int bx, by;
    for (by = 2; by < 5; by++)
      for (bx = 5; bx < 13; bx++)
        changed[by * BW + bx] = 1;
  }
  avm_boundary_measure (cur, prev, TW, TH, changed, BW, BH, &f);
  ck_assert_int_eq (f.blocks, 24);
  ck_assert_int_eq (f.aligned, 0);
}
END_TEST;

/* A picture that moves: the neighbours change as much, nothing is
 * aligned; nothing changed: nothing counted. */
START_TEST (test_pan_and_nothing)
{
  AvmBoundaryFrame f;
  int x, y;

  picture ();
  for (y = 0; y < TH; y++)
    for (x = 0; x < TW; x++)
      cur[y * TW + x] = (uint8_t) (60 + ((x + 5) * 3 + y * 2) % 120);
  changed[3 * BW + 4] = changed[3 * BW + 5] = 1;
  avm_boundary_measure (cur, prev, TW, TH, changed, BW, BH, &f);
  ck_assert_int_eq (f.blocks, 2);
  ck_assert_int_eq (f.borders, 6);
  ck_assert_int_eq (f.aligned, 0);
  picture ();
  avm_boundary_measure (cur, prev, TW, TH, changed, BW, BH, &f);
  ck_assert_int_eq (f.blocks, 0);
  ck_assert_int_eq (f.borders, 0);
  ck_assert_int_eq (f.bbox.width, 0);
}
END_TEST;

/* Blocks at the picture's edges have no neighbour there: no border. */
START_TEST (test_picture_edges)
{
  AvmBoundaryFrame f;

  picture ();
  garbage (0, 0, 8, 4);
  avm_boundary_measure (cur, prev, TW, TH, changed, BW, BH, &f);
  ck_assert_int_eq (f.blocks, 2);
  ck_assert_int_eq (f.borders, 3);
  ck_assert_int_eq (f.aligned, 3);
  /* a block grid larger than the thumbnail is refused */
  avm_boundary_measure (cur, prev, TW, TH, changed, BW + 1, BH, &f);
  ck_assert_int_eq (f.blocks, 0);
}
END_TEST;

static Suite *
boundary_suite (void)
{
  Suite *s = suite_create ("analysis-video-boundary");
  TCase *tc = tcase_create ("boundary");

  tcase_add_test (tc, test_band_aligned);
  tcase_add_test (tc, test_outline_inside);
  tcase_add_test (tc, test_pan_and_nothing);
  tcase_add_test (tc, test_picture_edges);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return run_suite (boundary_suite ());
}
