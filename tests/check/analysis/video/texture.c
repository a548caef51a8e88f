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
/* Tests of the texture consistency test (texture.h) on synthetic frames:
 * the map itself, clean motion, fine texture turned flat, texture painted
 * into a flat area, a starved encoder's recurring noise, cuts, and the
 * picture's border. */

#include "texture.h"
#include "luma.h"
#include "synth.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define W 320
#define H 192

static uint8_t frame[W * H];

static AvmLumaPlane
plane8 (uint8_t * p, int w, int h)
{
  AvmLumaPlane pl;

  pl.data = p;
  pl.stride = (size_t) w;
  pl.width = w;
  pl.height = h;
  pl.layout = AVM_LUMA_Y8;
  return pl;
}

/* fine texture: 1-2 px detail that a 4x4 mean smears to grey */
static void
fine_texture (uint8_t * p, int w, int h, int ox, uint32_t seed)
{
  int x, y;

  for (y = 0; y < h; y++) {
    for (x = 0; x < w; x++) {
      uint32_t v = (uint32_t) (x + ox) * 2654435761u ^ (uint32_t) y *
          40503u ^ seed;
      v ^= v >> 13;
      v *= 0x5bd1e995u;
      v ^= v >> 15;
      p[(size_t) y * w + x] = (uint8_t) (60 + (v & 0x7f));
    }
  }
}

START_TEST (test_map)
{
  uint16_t map[3 * 2];
  uint8_t row[49];
  uint8_t p[48 * 32], yuy2[96 * 32];
  AvmLumaPlane pl = plane8 (p, 48, 32), pk;
  int x, y;

  /* block (0,0): columns alternating 0 / 255; the rest flat 100 */
  memset (p, 100, sizeof (p));
  for (y = 0; y < 16; y++)
    for (x = 0; x < 16; x++)
      p[y * 48 + x] = (x & 1) ? 255 : 0;
  avm_texture_map (&pl, 3, 2, map, row);
  /* 8 rows read; steps x|x+1 for x = 0..15: 15 inside at 255, one into
   * the flat neighbour (255 -> 100) */
  ck_assert_uint_eq (map[0], 8 * (15 * 255 + 155));
  ck_assert_uint_eq (map[1], 0);
  ck_assert_uint_eq (map[3], 0);
  /* the last column of a picture 48 px wide has 15 steps per row */
  for (y = 16; y < 32; y++)
    for (x = 32; x < 48; x++)
      p[y * 48 + x] = (x & 1) ? 10 : 0;
  avm_texture_map (&pl, 3, 2, map, row);
  ck_assert_uint_eq (map[5], 8 * 15 * 10);
  /* a packed layout gives the same map */
  for (y = 0; y < 32; y++)
    for (x = 0; x < 48; x++) {
      yuy2[y * 96 + 2 * x] = p[y * 48 + x];
      yuy2[y * 96 + 2 * x + 1] = 128;
    }
  pk = pl;
  pk.data = yuy2;
  pk.stride = 96;
  pk.layout = AVM_LUMA_YUY2;
  {
    uint16_t m2[6];
    avm_texture_map (&pk, 3, 2, m2, row);
    ck_assert (memcmp (map, m2, sizeof (m2)) == 0);
  }
}

END_TEST;

/* the map by its definition, one sample at a time */
static void
reference_map (const uint8_t * p, size_t stride, int w, int h, uint16_t * m)
{
  int bw = w / 16, bh = h / 16, n = 16 * bw + 1 <= w ? 16 * bw + 1 : w;
  int bx, by, k, x;

  for (by = 0; by < bh; by++)
    for (bx = 0; bx < bw; bx++) {
      unsigned s = 0;
      int e = 16 * bx + 16 < n ? 16 * bx + 16 : n - 1;

      for (k = 0; k < 16; k++) {
        const uint8_t *r = p + (size_t) (16 * by + k) * stride;

        if (k % 4 != 1 && k % 4 != 2)
          continue;
        for (x = 16 * bx; x < e; x++)
          s += (unsigned) abs ((int) r[x + 1] - (int) r[x]);
      }
      m[by * bw + bx] = (uint16_t) s;
    }
}

/* The map of avm_texture_map() and of the luma pass (which computes it
 * while it reads the plane) against its definition: every width from 16
 * to 100 (blocks whose 17th column is inside the row or not, an odd
 * number of blocks for the two-block vector loop), full-range content, in
 * buffers of exactly the plane's size (AddressSanitizer catches a read
 * past the end), and the luma pass declines layouts it does not read in
 * place. */
START_TEST (test_map_reference)
{
  int w, h;
  uint32_t seed = 1;

  for (w = 16; w <= 100; w++) {
    for (h = 16; h <= 40; h += 11) {
      int bw = w / 16, bh = h / 16, i;
      size_t stride = (size_t) w + (w % 3 == 0 ? 5 : 0);
      uint8_t *buf = malloc (stride * h), *thumb = malloc ((size_t) w * h);
      uint16_t *want = malloc ((size_t) bw * bh * 2);
      uint16_t *got = malloc ((size_t) bw * bh * 2);
      uint8_t *row = malloc ((size_t) w + 1);
      AvmLumaPlane pl = plane8 (buf, w, h);
      AvmLuma l;
      AvmLumaStats st;

      pl.stride = stride;
      for (i = 0; i < (int) (stride * h); i++) {
        seed = seed * 1103515245u + 12345u;
        /* sharp detail: whole-range steps are what may overflow */
        buf[i] = (uint8_t) ((seed >> 16) & 1 ? 255 : (seed >> 20) & 0xff);
      }
      reference_map (buf, stride, w, h, want);
      avm_texture_map (&pl, bw, bh, got, row);
      ck_assert_msg (memcmp (want, got, (size_t) bw * bh * 2) == 0,
          "avm_texture_map differs at %dx%d", w, h);
      memset (got, 0xa5, (size_t) bw * bh * 2);
      ck_assert_int_eq (avm_luma_init (&l, w, h, AVM_LUMA_Y8, 0, 0.1), 0);
      ck_assert_int_eq (avm_luma_process_texture (&l, &pl, thumb, got, &st),
          1);
      ck_assert_msg (memcmp (want, got, (size_t) bw * bh * 2) == 0,
          "the luma pass's map differs at %dx%d", w, h);
      avm_luma_clear (&l);
      /* other layouts: the map is left to avm_texture_map() */
      pl.layout = AVM_LUMA_YUY2;
      pl.width = (int) (stride / 4) * 2;
      ck_assert_int_eq (avm_luma_init (&l, pl.width, h, AVM_LUMA_YUY2, 0,
              0.1), 0);
      ck_assert_int_eq (avm_luma_process_texture (&l, &pl, thumb, got, &st),
          0);
      avm_luma_clear (&l);
      free (buf);
      free (thumb);
      free (want);
      free (got);
      free (row);
    }
  }
}

END_TEST;

/* Runs @n frames of fine texture panning 3 px per frame; at frame @at (if
 * >= 0) @edit changes the frame.  Returns the frames with blocks found;
 * @first_blocks / @box: what the first such frame reported. */
typedef void (*Edit) (uint8_t * p, int i);

static int
run (int n, int at, Edit edit, int *first, AvmTextureFrame * first_out,
    int *cuts)
{
  AvmTextureDetector d;
  AvmLumaPlane pl = plane8 (frame, W, H);
  int i, hits = 0;

  ck_assert_int_eq (avm_texture_init (&d, W, H, 3.5), 0);
  *first = -1;
  if (cuts)
    *cuts = 0;
  for (i = 0; i < n; i++) {
    AvmTextureFrame f;

    fine_texture (frame, W, H, 3 * i, 7);
    if (edit && at >= 0 && i >= at)
      edit (frame, i);
    avm_texture_process (&d, &pl, 0, NULL, &f);
    if (f.cut && cuts)
      (*cuts)++;
    if (f.blocks > 0) {
      if (*first < 0) {
        *first = i;
        *first_out = f;
      }
      hits++;
    }
  }
  avm_texture_clear (&d);
  return hits;
}

START_TEST (test_clean_motion)
{
  AvmTextureFrame f;
  int first;

  ck_assert_int_eq (run (200, -1, NULL, &first, &f, NULL), 0);
}

END_TEST;

/* a 48x48 region turned flat grey at frame 100, aligned on the grid
 * (concealment by a smooth fill) */
static void
flatten (uint8_t * p, int i)
{
  synth_fill (p, W, 128, 64, 48, 48, 120);
}

START_TEST (test_flattened)
{
  AvmTextureFrame f;
  int first;

  run (160, 100, flatten, &first, &f, NULL);
  ck_assert_int_eq (first, 100);
  ck_assert_int_ge (f.blocks, 3);
  ck_assert_double_gt (f.worst, 3.5);
  /* the box lies on the flattened blocks (those whose whole 3x3
   * neighbourhood was textured: the inner one at least) */
  ck_assert_int_ge (f.bbox.x, 128 - 16);
  ck_assert_int_le (f.bbox.x + f.bbox.width, 128 + 48 + 16);
  ck_assert_int_ge (f.bbox.y, 64 - 16);
  ck_assert_int_le (f.bbox.y + f.bbox.height, 64 + 48 + 16);
}

END_TEST;

/* Texture painted into 2x2 blocks of a flat picture at frame 90: found
 * where @support (per block, or NULL) allows it.  With @sharpen, the
 * rest of the picture's texture is doubled at the same frame (a
 * starved encoder's key frame): a refresh, where appearing texture does
 * not count.  Returns the first frame with blocks, or -1. */
static int
painted (const uint8_t * support, int sharpen)
{
  AvmTextureDetector d;
  AvmLumaPlane pl = plane8 (frame, W, H);
  int i, found = -1;

  ck_assert_int_eq (avm_texture_init (&d, W, H, 3.5), 0);
  for (i = 0; i < 120; i++) {
    AvmTextureFrame f;
    int x, y;

    /* a smooth gradient that moves, with a faint texture (+-4 codes)
     * that a refresh makes 3 times as strong */
    for (y = 0; y < H; y++)
      for (x = 0; x < W; x++)
        frame[y * W + x] = (uint8_t) (40 + (x + 2 * i) / 4 + y / 8 +
            (sharpen && i == 90 ? 6 : 2) * (((x + 2 * i) & 1) ? 2 : -2));
    if (i == 90) {
      uint8_t tex[W * H];
      fine_texture (tex, W, H, 0, 3);
      for (y = 80; y < 112; y++)
        memcpy (frame + y * W + 160, tex + y * W + 160, 32);
    }
    avm_texture_process (&d, &pl, 0, support, &f);
    if (i == 90)
      ck_assert_int_eq (f.refresh, sharpen);
    if (f.blocks > 0 && found < 0) {
      found = i;
      ck_assert_int_eq (f.blocks, 4);
      ck_assert_int_eq (f.up, 4);
    }
  }
  avm_texture_clear (&d);
  return found;
}

START_TEST (test_painted)
{
  uint8_t support[(W / 16) * (H / 16)];

  ck_assert_int_eq (painted (NULL, 0), 90);
  /* the caller sees no coarse change there: nothing */
  memset (support, 0, sizeof (support));
  ck_assert_int_eq (painted (support, 0), -1);
  /* ... or sees it: found */
  support[5 * (W / 16) + 10] = 1;
  support[5 * (W / 16) + 11] = 1;
  support[6 * (W / 16) + 10] = 1;
  support[6 * (W / 16) + 11] = 1;
  ck_assert_int_eq (painted (support, 0), 90);
  /* a refresh: appearing texture is no evidence */
  ck_assert_int_eq (painted (NULL, 1), -1);
}

END_TEST;

/* A key frame's detail (the whole picture's texture 3x as strong on
 * frame 90) smoothed away again on frame 91 together with 3x3 blocks of
 * it: the frame after a refresh, where texture that goes away is no
 * evidence.  The same smoothing two frames later is found. */
static int
after_refresh (int at)
{
  AvmTextureDetector d;
  AvmLumaPlane pl = plane8 (frame, W, H);
  int i, x, y, found = -1;

  ck_assert_int_eq (avm_texture_init (&d, W, H, 3.0), 0);
  for (i = 0; i < 120; i++) {
    AvmTextureFrame f;
    int amp = i == 90 ? 60 : 20;

    for (y = 0; y < H; y++)
      for (x = 0; x < W; x++)
        frame[y * W + x] = (uint8_t) (100 + (((x + y + i) & 1) ? amp : -amp));
    if (i >= at)
      synth_fill (frame, W, 128, 64, 48, 48, 100);
    avm_texture_process (&d, &pl, 0, NULL, &f);
    if (f.blocks > 0 && found < 0)
      found = i;
  }
  avm_texture_clear (&d);
  return found;
}

START_TEST (test_after_refresh)
{
  ck_assert_int_eq (after_refresh (91), -1);
  ck_assert_int_eq (after_refresh (93), 93);
}

END_TEST;

/* a starved encoder: one region flat in every other frame from the start
 * (learnt in the warm-up), then the same on frame 100 onwards is nothing
 * new */
static void
flicker (uint8_t * p, int i)
{
  if (i & 1)
    synth_fill (p, W, 128, 64, 48, 48, 120);
}

START_TEST (test_recurring)
{
  AvmTextureFrame f;
  int first;

  ck_assert_int_eq (run (200, 0, flicker, &first, &f, NULL), 0);
}

END_TEST;

/* the whole picture replaced: a cut, not damage */
static void
cut_to_flat (uint8_t * p, int i)
{
  int x, y;

  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      p[y * W + x] = (uint8_t) (50 + x / 8);
}

START_TEST (test_cut)
{
  AvmTextureFrame f;
  int first, cuts;

  ck_assert_int_eq (run (160, 100, cut_to_flat, &first, &f, &cuts), 0);
  ck_assert_int_ge (cuts, 1);
}

END_TEST;

/* the outer ring of blocks has no past under motion: not judged */
static void
flatten_border (uint8_t * p, int i)
{
  synth_fill (p, W, 0, 0, W, 16, 120);
}

START_TEST (test_border)
{
  AvmTextureFrame f;
  int first;

  ck_assert_int_eq (run (160, 100, flatten_border, &first, &f, NULL), 0);
}

END_TEST;

/* within the warm-up nothing is judged; a reset starts it again */
START_TEST (test_warm_up_and_reset)
{
  AvmTextureFrame f;
  int first;

  run (160, 30, flatten, &first, &f, NULL);
  ck_assert_int_eq (first, -1);
  {
    AvmTextureDetector d;
    AvmLumaPlane pl = plane8 (frame, W, H);
    int i;

    ck_assert_int_eq (avm_texture_init (&d, W, H, 3.5), 0);
    for (i = 0; i < 150; i++) {
      fine_texture (frame, W, H, 3 * i, 7);
      if (i == 80)
        avm_texture_reset (&d);
      if (i >= 120)
        flatten (frame, i);
      avm_texture_process (&d, &pl, 0, NULL, &f);
      if (i == 120)
        ck_assert_int_eq (f.blocks, 0); /* 40 frames after the reset */
    }
    /* off: nothing at all */
    avm_texture_set_ratio (&d, 0.0);
    avm_texture_process (&d, &pl, 0, NULL, &f);
    ck_assert_int_eq (f.blocks, 0);
    ck_assert_uint_gt (avm_texture_memory (&d), (size_t) (W / 16) * (H / 16));
    avm_texture_clear (&d);
  }
}

END_TEST;

/* the caller's cut: nothing judged */
START_TEST (test_skip)
{
  AvmTextureDetector d;
  AvmLumaPlane pl = plane8 (frame, W, H);
  AvmTextureFrame f;
  int i;

  ck_assert_int_eq (avm_texture_init (&d, W, H, 3.5), 0);
  for (i = 0; i < 120; i++) {
    fine_texture (frame, W, H, 3 * i, 7);
    if (i >= 100)
      flatten (frame, i);
    /* the onset skipped, then the flat region is steady: nothing */
    avm_texture_process (&d, &pl, i == 100, NULL, &f);
    ck_assert_int_eq (f.blocks, 0);
  }
  avm_texture_clear (&d);
}

END_TEST;

/* odd sizes, in buffers of exactly the plane's size (AddressSanitizer
 * catches a read past the end), every layout */
START_TEST (test_odd_sizes)
{
  static const int sz[][2] = { {16, 16}, {32, 32}, {35, 21}, {47, 33},
  {64, 17}
  };
  static const struct
  {
    AvmLumaLayout layout;
    int bytes;                  /* per pixel, v210 aside */
  } lay[] = { {AVM_LUMA_Y8, 1}, {AVM_LUMA_YUY2, 2}, {AVM_LUMA_UYVY, 2},
  {AVM_LUMA_Y10LE, 2}, {AVM_LUMA_P010LE, 2}, {AVM_LUMA_V210, 0}
  };
  size_t k, j;

  for (k = 0; k < sizeof (sz) / sizeof (sz[0]); k++) {
    for (j = 0; j < sizeof (lay) / sizeof (lay[0]); j++) {
      int w = sz[k][0], h = sz[k][1], i;
      size_t stride = lay[j].bytes ? (size_t) w * lay[j].bytes :
          (size_t) (w + 5) / 6 * 16;
      uint8_t *buf = malloc (stride * h);
      AvmTextureDetector d;
      AvmLumaPlane pl;

      pl.data = buf;
      pl.stride = stride;
      pl.width = w;
      pl.height = h;
      pl.layout = lay[j].layout;
      ck_assert_int_eq (avm_texture_init (&d, w, h, 3.0), 0);
      for (i = 0; i < 60; i++) {
        AvmTextureFrame f;
        size_t b;
        for (b = 0; b < stride * h; b++)
          buf[b] = (uint8_t) ((b * 7 + i * 13) & 0x3f);
        avm_texture_process (&d, &pl, 0, NULL, &f);
      }
      avm_texture_clear (&d);
      free (buf);
    }
  }
}

END_TEST;

static Suite *
texture_suite (void)
{
  Suite *s = suite_create ("texture");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_map);
  tcase_add_test (tc, test_map_reference);
  tcase_add_test (tc, test_odd_sizes);
  tcase_add_test (tc, test_clean_motion);
  tcase_add_test (tc, test_flattened);
  tcase_add_test (tc, test_painted);
  tcase_add_test (tc, test_after_refresh);
  tcase_add_test (tc, test_recurring);
  tcase_add_test (tc, test_cut);
  tcase_add_test (tc, test_border);
  tcase_add_test (tc, test_warm_up_and_reset);
  tcase_add_test (tc, test_skip);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (texture_suite ());
  int nf;

  srunner_run_all (sr, CK_NORMAL);
  nf = srunner_ntests_failed (sr);
  srunner_free (sr);
  return nf == 0 ? 0 : 1;
}
