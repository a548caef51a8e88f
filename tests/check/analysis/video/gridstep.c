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
/* Grid steps at full resolution: a foreign block steps at its borders and
 * not beside them; an edge on the grid steps at one border; a thin line on
 * a border steps beside it too; coarse blocking everywhere raises the
 * neighbours' level; every luma layout reads the same values; blocks not
 * wholly inside the picture are refused. */

#include "gridstep.h"
#include "vtest.h"

#include <stdlib.h>
#include <string.h>

#define GW 96
#define GH 64

/* Smooth ramp background with a flat block of @v at macroblock (2, 1). */
static void
fill (uint8_t * y, int foreign, int v)
{
  int i, j;

  for (j = 0; j < GH; j++)
    for (i = 0; i < GW; i++)
      y[j * GW + i] = (uint8_t) (60 + i / 4 + j / 8);
  if (foreign)
    for (j = 16; j < 32; j++)
      memset (y + j * GW + 32, v, 16);
}

static AvmLumaPlane
plane_y8 (const uint8_t * y)
{
  AvmLumaPlane p = { y, GW, GW, GH, AVM_LUMA_Y8 };
  return p;
}

START_TEST (test_foreign_block)
{
  uint8_t *y = malloc (GW * GH);
  AvmLumaPlane p = plane_y8 (y);
  AvmGridStep g, clean;
  int b;

  fill (y, 0, 0);
  ck_assert_int_eq (avm_grid_step (&p, 2, 1, &clean), 0);
  ck_assert_int_eq (clean.borders, 4);
  ck_assert (clean.border_max < 2.0);
  fill (y, 1, 200);
  ck_assert_int_eq (avm_grid_step (&p, 2, 1, &g), 0);
  ck_assert_int_eq (g.borders, 4);
  for (b = 0; b < 4; b++) {
    ck_assert_msg (g.step[b] > 100.0, "border %d step %.1f", b, g.step[b]);
    ck_assert (g.step_beside[b] < 2.0);
  }
  ck_assert (g.inner < 1.0);
  ck_assert (g.neighbour_step[0] >= 0.0 && g.neighbour_step[0] < 2.0);
  ck_assert (g.neighbour_step[1] >= 0.0 && g.neighbour_step[1] < 2.0);
  ck_assert (g.border > 100.0 && g.border_max >= g.border);
  free (y);
}

END_TEST;

/* A vertical edge exactly on x = 32: only the left border steps. */
START_TEST (test_edge_one_border)
{
  uint8_t *y = malloc (GW * GH);
  AvmLumaPlane p = plane_y8 (y);
  AvmGridStep g;
  int i, j;

  for (j = 0; j < GH; j++)
    for (i = 0; i < GW; i++)
      y[j * GW + i] = i < 32 ? 40 : 180;
  ck_assert_int_eq (avm_grid_step (&p, 2, 1, &g), 0);
  ck_assert (g.step[0] > 100.0);
  ck_assert (g.step[1] < 1.0 && g.step[2] < 1.0 && g.step[3] < 1.0);
  /* a one-pixel line on the border steps beside it as much */
  for (j = 0; j < GH; j++)
    for (i = 0; i < GW; i++)
      y[j * GW + i] = i == 32 ? 200 : 50;
  ck_assert_int_eq (avm_grid_step (&p, 2, 1, &g), 0);
  ck_assert (g.step[0] > 100.0);
  ck_assert (g.step_beside[0] >= 0.4 * g.step[0]);
  free (y);
}

END_TEST;

/* 16x16 blocks of alternating levels everywhere: every border steps, and
 * so do the neighbours' far borders. */
START_TEST (test_blocking_everywhere)
{
  uint8_t *y = malloc (GW * GH);
  AvmLumaPlane p = plane_y8 (y);
  AvmGridStep g;
  int i, j;

  for (j = 0; j < GH; j++)
    for (i = 0; i < GW; i++)
      y[j * GW + i] = (uint8_t) (((i / 16 + j / 16) & 1) ? 90 : 110);
  ck_assert_int_eq (avm_grid_step (&p, 2, 1, &g), 0);
  ck_assert (g.step[0] > 15.0);
  ck_assert (g.neighbour_step[0] > 15.0);
  ck_assert (g.neighbour_step[1] > 15.0);
  free (y);
}

END_TEST;

/* The same picture in every layout gives the same measures. */
START_TEST (test_layouts)
{
  uint8_t *y = malloc (GW * GH), *buf = malloc ((size_t) GW * GH * 4);
  AvmLumaPlane p8 = plane_y8 (y);
  AvmGridStep ref, g;
  AvmLumaLayout lay[5] = { AVM_LUMA_YUY2, AVM_LUMA_UYVY, AVM_LUMA_Y10LE,
    AVM_LUMA_P010LE, AVM_LUMA_V210
  };
  int k, i, j;

  fill (y, 1, 220);
  for (i = 0; i < GW * GH; i++)
    y[i] = (uint8_t) (y[i] + (i * 7) % 5);
  ck_assert_int_eq (avm_grid_step (&p8, 2, 1, &ref), 0);
  for (k = 0; k < 5; k++) {
    AvmLumaPlane p = { buf, 0, GW, GH, lay[k] };
    size_t stride = lay[k] == AVM_LUMA_V210 ? (size_t) GW / 6 * 16 :
        (size_t) GW * 2;

    p.stride = stride;
    memset (buf, 0, stride * GH);
    for (j = 0; j < GH; j++) {
      uint8_t *row = buf + (size_t) j * stride;
      for (i = 0; i < GW; i++) {
        unsigned v = y[j * GW + i], v10 = v << 2;
        switch (lay[k]) {
          case AVM_LUMA_YUY2:
            row[2 * i] = (uint8_t) v;
            break;
          case AVM_LUMA_UYVY:
            row[2 * i + 1] = (uint8_t) v;
            break;
          case AVM_LUMA_Y10LE:
            row[2 * i] = v10 & 0xff;
            row[2 * i + 1] = (uint8_t) (v10 >> 8);
            break;
          case AVM_LUMA_P010LE:
            row[2 * i + 1] = (uint8_t) v;
            break;
          default:{
            static const int word[6] = { 0, 1, 1, 2, 3, 3 };
            static const int shift[6] = { 10, 0, 20, 10, 0, 20 };
            uint8_t *w = row + (size_t) (i / 6) * 16 + 4 * word[i % 6];
            uint32_t x = (uint32_t) w[0] | ((uint32_t) w[1] << 8) |
                ((uint32_t) w[2] << 16) | ((uint32_t) w[3] << 24);
            x |= (uint32_t) v10 << shift[i % 6];
            w[0] = x & 0xff;
            w[1] = (x >> 8) & 0xff;
            w[2] = (x >> 16) & 0xff;
            w[3] = x >> 24;
            break;
          }
        }
      }
    }
    ck_assert_int_eq (avm_grid_step (&p, 2, 1, &g), 0);
    ck_assert_msg (g.border == ref.border && g.inner == ref.inner &&
        g.beside == ref.beside && g.neighbour_step[0] == ref.neighbour_step[0]
        && g.neighbour_step[1] == ref.neighbour_step[1], "layout %d differs",
        lay[k]);
  }
  free (y);
  free (buf);
}

END_TEST;

/* avm_grid_lines_mask() (the grid lines measured
 * once, on the plane read in place and on a 10-bit copy read a sample at a
 * time) against the full measure on every macroblock of pictures of every
 * kind (flat, smooth, noise, flat patches with edges on and off the grid,
 * blocks of noise on flat, flat blocks with noise beside their borders),
 * sizes whose last blocks lie at and inside the
 * picture's edges, and several ratios: the same mask. */
START_TEST (test_mask_matches_measure)
{
  static const int sz[][2] = { {96, 64}, {97, 65}, {112, 50}, {33, 33} };
  static const double ratios[] = { 0.0, 1.0, 3.0, 6.0, 12.0 };
  size_t k, r;
  int kind, passed = 0;

  for (k = 0; k < sizeof (sz) / sizeof (sz[0]); k++) {
    int w = sz[k][0], h = sz[k][1];
    uint8_t *p = malloc ((size_t) w * h), *p10 = malloc ((size_t) w * h * 2);
    AvmLumaPlane pl = { p, (size_t) w, w, h, AVM_LUMA_Y8 };
    AvmLumaPlane pl10 = { p10, (size_t) w * 2, w, h, AVM_LUMA_Y10LE };
    AvmGridLines lines, lines10;

    ck_assert_int_eq (avm_grid_lines_init (&lines, w, h), 0);
    ck_assert_int_eq (avm_grid_lines_init (&lines10, w, h), 0);

    for (kind = 0; kind < 6; kind++) {
      int x, y, bx, by;
      uint32_t seed = 12345u + (uint32_t) kind;

      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++) {
          seed = seed * 1103515245u + 12345u;
          switch (kind) {
            case 0:
              p[y * w + x] = 90;
              break;
            case 1:
              p[y * w + x] = (uint8_t) (40 + x + y / 2);
              break;
            case 2:
              p[y * w + x] = (uint8_t) (seed >> 24);
              break;
            case 3:            /* patches of 16 (on the grid) and 21 */
              p[y * w + x] = ((x / 16 + y / 21) % 2) ? 200 : 30;
              break;
            case 4:            /* noisy blocks on flat */
              p[y * w + x] = ((x / 16 + y / 16) % 3 == 0) ?
                  (uint8_t) (seed >> 24) : 128;
              break;
            default:{          /* flat blocks of their own levels, and
                                 * noise 2-3 pixels off each border on
                                 * the rows (columns) the inner step does
                                 * not sample: only the steps beside the
                                 * border and the far borders tell these
                                 * blocks apart */
              int level = (int) (((unsigned) (x / 16) * 2654435761u ^
                      (unsigned) (y / 16) * 40503u) >> 7 & 0xff);

              if (((x % 16 == 2 || x % 16 == 13) && y % 2 == 1) ||
                  ((y % 16 == 2 || y % 16 == 13) && x % 2 == 1))
                level += (int) (seed >> 25) - 64;
              p[y * w + x] = (uint8_t) (level < 0 ? 0 : level > 255 ? 255 : level);
              break;
            }
          }
        }
      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++) {
          unsigned v10 = (unsigned) p[y * w + x] << 2;
          p10[2 * (y * w + x)] = v10 & 0xff;
          p10[2 * (y * w + x) + 1] = (uint8_t) (v10 >> 8);
        }
      ck_assert_int_eq (avm_grid_lines_measure (&lines, &pl), 0);
      ck_assert_int_eq (avm_grid_lines_measure (&lines10, &pl10), 0);
      for (r = 0; r < sizeof (ratios) / sizeof (ratios[0]); r++)
        for (by = 0; by <= h / 16; by++)
          for (bx = 0; bx <= w / 16; bx++) {
            AvmGridStep g;
            unsigned full = 0;

            if (avm_grid_step (&pl, bx, by, &g) == 0 && g.borders > 0)
              full = avm_grid_step_borders_mask (&g, ratios[r]);
            ck_assert_uint_eq (avm_grid_lines_mask (&lines, &pl, bx, by,
                    ratios[r]), full);
            ck_assert_uint_eq (avm_grid_lines_mask (&lines10, &pl10, bx, by,
                    ratios[r]), full);
            passed += full != 0;
          }
    }
    avm_grid_lines_clear (&lines);
    avm_grid_lines_clear (&lines10);
    free (p);
    free (p10);
  }
  /* the pictures make borders pass (45 non-zero masks, measured): the
   * masks compared are not all 0 */
  ck_assert_int_gt (passed, 20);
}

END_TEST;

/* The grid lines: pictures under one macroblock refused, a plane of
 * another size not measured, and a foreign block found through them as
 * through the full measure. */
START_TEST (test_lines)
{
  uint8_t *y = malloc (GW * GH);
  AvmLumaPlane p = plane_y8 (y), small = p;
  AvmGridLines l;

  ck_assert_int_eq (avm_grid_lines_init (&l, 15, 64), -1);
  ck_assert_int_eq (avm_grid_lines_init (&l, GW, GH), 0);
  /* one sum per grid line crossing a block: (bw + 2) x bh vertical,
   * bw x (bh + 2) horizontal */
  ck_assert_uint_eq (avm_grid_lines_memory (&l), 2 *
      ((GW / 16 + 2) * (GH / 16) + (GW / 16) * (GH / 16 + 2)));
  small.height = GH - 16;
  ck_assert_int_eq (avm_grid_lines_measure (&l, &small), -1);
  fill (y, 1, 220);
  ck_assert_int_eq (avm_grid_lines_measure (&l, &p), 0);
  ck_assert_uint_eq (avm_grid_lines_mask (&l, &p, 2, 1, 6.0), 0xf);
  ck_assert_uint_eq (avm_grid_lines_mask (&l, &p, 0, 0, 6.0), 0);
  ck_assert_uint_eq (avm_grid_lines_mask (&l, &p, GW / 16, 0, 6.0), 0);
  avm_grid_lines_clear (&l);
  ck_assert_uint_eq (avm_grid_lines_memory (&l), 0);
  free (y);
}

END_TEST;

/* Blocks not wholly inside are refused; borders on the picture's edge do
 * not count. */
START_TEST (test_edges_of_picture)
{
  uint8_t *y = malloc (GW * GH);
  AvmLumaPlane p = plane_y8 (y);
  AvmGridStep g;

  fill (y, 0, 0);
  ck_assert_int_eq (avm_grid_step (&p, 6, 0, &g), -1);
  ck_assert_int_eq (avm_grid_step (&p, 0, 4, &g), -1);
  ck_assert_int_eq (avm_grid_step (&p, -1, 0, &g), -1);
  ck_assert_int_eq (avm_grid_step (&p, 0, 0, &g), 0);
  ck_assert_int_eq (g.borders, 2);      /* right and bottom */
  ck_assert (g.step[0] == 0.0 && g.step[2] == 0.0);
  ck_assert_int_eq (avm_grid_step (&p, 5, 3, &g), 0);
  ck_assert_int_eq (g.borders, 2);      /* left and top */
  free (y);
}

END_TEST;

static Suite *
gridstep_suite (void)
{
  Suite *s = suite_create ("analysis-video-gridstep");
  TCase *tc = tcase_create ("gridstep");

  tcase_add_test (tc, test_foreign_block);
  tcase_add_test (tc, test_edge_one_border);
  tcase_add_test (tc, test_blocking_everywhere);
  tcase_add_test (tc, test_layouts);
  tcase_add_test (tc, test_edges_of_picture);
  tcase_add_test (tc, test_mask_matches_measure);
  tcase_add_test (tc, test_lines);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return run_suite (gridstep_suite ());
}
