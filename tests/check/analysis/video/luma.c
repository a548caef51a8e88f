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
/* Luma pass: one picture given in every layout yields the same thumbnail
 * and statistics; odd and tiny sizes; strides; black thresholds;
 * mismatched input refused.  Buffers are allocated to the byte so that
 * valgrind sees any read outside them. */

#include "vtest.h"

typedef struct
{
  uint8_t *buf;
  size_t stride;
  AvmLumaLayout layout;
} Packed;

static void
put16 (uint8_t * p, unsigned v)
{
  p[0] = (uint8_t) (v & 0xff);
  p[1] = (uint8_t) (v >> 8);
}

static void
put32 (uint8_t * p, uint32_t v)
{
  p[0] = (uint8_t) v;
  p[1] = (uint8_t) (v >> 8);
  p[2] = (uint8_t) (v >> 16);
  p[3] = (uint8_t) (v >> 24);
}

/* Packs an 8-bit picture into @layout; 10-bit layouts get y << 2. */
static Packed
pack (const uint8_t * y, int w, int h, AvmLumaLayout layout, size_t pad)
{
  Packed pk;
  int i, j;

  pk.layout = layout;
  pk.stride = avm_luma_min_stride (layout, w) + pad;
  /* the last row without padding: reading past it is a bug */
  pk.buf = calloc (1, pk.stride * (h - 1) + avm_luma_min_stride (layout, w));
  for (j = 0; j < h; j++) {
    uint8_t *row = pk.buf + (size_t) j * pk.stride;
    const uint8_t *src = y + (size_t) j * w;
    switch (layout) {
      case AVM_LUMA_Y8:
        memcpy (row, src, (size_t) w);
        break;
      case AVM_LUMA_YUY2:
      case AVM_LUMA_UYVY:{
        int off = layout == AVM_LUMA_UYVY ? 1 : 0;
        for (i = 0; i < (w + 1) / 2 * 2; i++) {
          row[2 * i + off] = i < w ? src[i] : 0;
          row[2 * i + 1 - off] = (uint8_t) (i % 2 ? 200 : 60);
        }
        break;
      }
      case AVM_LUMA_Y10LE:
        for (i = 0; i < w; i++)
          put16 (row + 2 * i, (unsigned) src[i] << 2);
        break;
      case AVM_LUMA_P010LE:
        for (i = 0; i < w; i++)
          put16 (row + 2 * i, ((unsigned) src[i] << 2) << 6);
        break;
      case AVM_LUMA_V210:
        for (i = 0; i < w; i += 6) {
          uint32_t yy[6], c = 512;
          int k;
          for (k = 0; k < 6; k++)
            yy[k] = i + k < w ? (uint32_t) src[i + k] << 2 : 64;
          put32 (row + i / 6 * 16, c | (yy[0] << 10) | (c << 20));
          put32 (row + i / 6 * 16 + 4, yy[1] | (c << 10) | (yy[2] << 20));
          put32 (row + i / 6 * 16 + 8, c | (yy[3] << 10) | (c << 20));
          put32 (row + i / 6 * 16 + 12, yy[4] | (c << 10) | (yy[5] << 20));
        }
        break;
    }
  }
  return pk;
}

static uint8_t *
test_picture (int w, int h)
{
  SynthTexture t;
  uint8_t *y = malloc ((size_t) w * h);
  int i;

  synth_texture_init (&t, w, h, 3);
  synth_pan (&t, y, (size_t) w, w, h, 0, 0);
  /* a black band so the black share is not trivial */
  for (i = 0; i < w * h / 3; i++)
    y[i] = (uint8_t) (16 + i % 20);
  synth_texture_free (&t);
  return y;
}

static const AvmLumaLayout layouts[] = {
  AVM_LUMA_Y8, AVM_LUMA_YUY2, AVM_LUMA_UYVY, AVM_LUMA_Y10LE, AVM_LUMA_P010LE,
  AVM_LUMA_V210
};

static void
check_layouts (int w, int h)
{
  uint8_t *y = test_picture (w, h);
  uint8_t *ref = NULL, *th;
  AvmLumaStats rs, st;
  int tw, tht, k;

  memset (&rs, 0, sizeof (rs));

  for (k = 0; k < (int) (sizeof (layouts) / sizeof (layouts[0])); k++) {
    AvmLuma l;
    Packed pk = pack (y, w, h, layouts[k], k % 2 ? 0 : 24);
    AvmLumaPlane p = { pk.buf, pk.stride, w, h, layouts[k] };

    ck_assert_int_eq (avm_luma_init (&l, w, h, layouts[k], 0, 0.1), 0);
    avm_luma_thumb_size (&l, &tw, &tht);
    ck_assert_int_eq (tw, w / 4);
    ck_assert_int_eq (tht, h / 4);
    th = malloc ((size_t) tw * tht);
    ck_assert_int_eq (avm_luma_process (&l, &p, th, &st), 0);
    if (!ref) {
      ref = th;
      rs = st;
      if (w >= 64)
        ck_assert (rs.black_ratio > 0.2 && rs.black_ratio < 0.45);
    } else {
      ck_assert_msg (memcmp (ref, th, (size_t) tw * tht) == 0,
          "thumbnail of layout %d differs", layouts[k]);
      ck_assert_msg (fabs (st.mean - rs.mean) < 1e-3, "mean %f vs %f (%d)",
          st.mean, rs.mean, layouts[k]);
      ck_assert (fabs (st.black_ratio - rs.black_ratio) < 1e-9);
      ck_assert (fabs (st.blockiness - rs.blockiness) < 0.02);
      free (th);
    }
    avm_luma_clear (&l);
    free (pk.buf);
  }
  free (ref);
  free (y);
}

START_TEST (test_layouts_agree)
{
  check_layouts (640, 360);
}
END_TEST;

START_TEST (test_odd_and_tiny_sizes)
{
  check_layouts (17, 19);
  check_layouts (16, 16);
  check_layouts (33, 17);
  check_layouts (4, 4);
}
END_TEST;

START_TEST (test_thumbnail_values)
{
  uint8_t y[16 * 8];
  uint8_t th[4 * 2];
  AvmLuma l;
  AvmLumaStats st;
  AvmLumaPlane p = { y, 16, 16, 8, AVM_LUMA_Y8 };
  int i;

  for (i = 0; i < 16 * 8; i++)
    y[i] = (uint8_t) ((i % 16) / 4 * 50 + (i / 16 >= 4 ? 3 : 0));
  ck_assert_int_eq (avm_luma_init (&l, 16, 8, AVM_LUMA_Y8, 1, 0.1), 0);
  ck_assert_int_eq (avm_luma_process (&l, &p, th, &st), 0);
  for (i = 0; i < 4; i++) {
    ck_assert_int_eq (th[i], 50 * i);
    ck_assert_int_eq (th[4 + i], 50 * i + 3);
  }
  /* full range: black is <= 25; columns 0-3 of both rows (0 and 3) */
  ck_assert (fabs (st.black_ratio - 0.25) < 1e-9);
  ck_assert (fabs (st.mean - (75.0 + 1.5) / 256.0) < 1e-9);
  avm_luma_clear (&l);
}
END_TEST;

/* Limited range black is 16 + 10% of 219 = 37.9: code 30 is black there and
 * not in full range (25.5); 40 is black in neither. */
START_TEST (test_black_threshold_range)
{
  uint8_t y[64 * 64];
  uint8_t th[16 * 16];
  AvmLuma l;
  AvmLumaStats st;
  AvmLumaPlane p = { y, 64, 64, 64, AVM_LUMA_Y8 };

  memset (y, 30, sizeof (y));
  avm_luma_init (&l, 64, 64, AVM_LUMA_Y8, 0, 0.1);
  avm_luma_process (&l, &p, th, &st);
  ck_assert (st.black_ratio == 1.0);
  avm_luma_clear (&l);
  avm_luma_init (&l, 64, 64, AVM_LUMA_Y8, 1, 0.1);
  avm_luma_process (&l, &p, th, &st);
  ck_assert (st.black_ratio == 0.0);
  avm_luma_clear (&l);
  memset (y, 37, sizeof (y));
  avm_luma_init (&l, 64, 64, AVM_LUMA_Y8, 0, 0.1);
  avm_luma_process (&l, &p, th, &st);
  ck_assert (st.black_ratio == 1.0);
  memset (y, 38, sizeof (y));
  avm_luma_process (&l, &p, th, &st);
  ck_assert (st.black_ratio == 0.0);
  avm_luma_clear (&l);
}
END_TEST;

START_TEST (test_refuses_mismatch)
{
  uint8_t y[32 * 32];
  uint8_t th[64];
  AvmLuma l;
  AvmLumaStats st;
  AvmLumaPlane p = { y, 32, 32, 32, AVM_LUMA_Y8 };

  ck_assert_int_eq (avm_luma_init (&l, 3, 32, AVM_LUMA_Y8, 0, 0.1), -1);
  ck_assert_int_eq (avm_luma_init (&l, 32, 32, AVM_LUMA_Y8, 0, 1.5), -1);
  ck_assert_int_eq (avm_luma_init (&l, 32, 32, AVM_LUMA_Y8, 0, 0.1), 0);
  p.stride = 31;
  ck_assert_int_eq (avm_luma_process (&l, &p, th, &st), -1);
  p.stride = 32;
  p.width = 30;
  ck_assert_int_eq (avm_luma_process (&l, &p, th, &st), -1);
  p.width = 32;
  p.layout = AVM_LUMA_YUY2;
  ck_assert_int_eq (avm_luma_process (&l, &p, th, &st), -1);
  p.layout = AVM_LUMA_Y8;
  p.data = NULL;
  ck_assert_int_eq (avm_luma_process (&l, &p, th, &st), -1);
  avm_luma_clear (&l);
  ck_assert_uint_eq (avm_luma_min_stride (AVM_LUMA_V210, 7), 32);
  ck_assert_uint_eq (avm_luma_min_stride (AVM_LUMA_YUY2, 17), 36);
}
END_TEST;

/* The informative blockiness score: high for an 8x8 block-averaged
 * picture, low for smooth texture. */
START_TEST (test_blockiness_score)
{
  int w = 320, h = 192, x, y, bx, by;
  uint8_t *pic = test_picture (w, h), *blk = malloc ((size_t) w * h);
  uint8_t *th = malloc ((size_t) (w / 4) * (h / 4));
  AvmLuma l;
  AvmLumaStats st;
  AvmLumaPlane p = { pic, (size_t) w, w, h, AVM_LUMA_Y8 };

  for (by = 0; by < h; by += 8) {
    for (bx = 0; bx < w; bx += 8) {
      int s = 0;
      for (y = 0; y < 8; y++)
        for (x = 0; x < 8; x++)
          s += pic[(by + y) * w + bx + x];
      for (y = 0; y < 8; y++)
        for (x = 0; x < 8; x++)
          blk[(by + y) * w + bx + x] = (uint8_t) (s / 64);
    }
  }
  avm_luma_init (&l, w, h, AVM_LUMA_Y8, 0, 0.1);
  avm_luma_process (&l, &p, th, &st);
  ck_assert (st.blockiness < 0.2);
  p.data = blk;
  avm_luma_process (&l, &p, th, &st);
  ck_assert (st.blockiness > 0.8);
  avm_luma_clear (&l);
  free (pic);
  free (blk);
  free (th);
}
END_TEST;

static Suite *
luma_suite (void)
{
  Suite *s = suite_create ("analysis-video-luma");
  TCase *tc = tcase_create ("luma");

  tcase_add_test (tc, test_layouts_agree);
  tcase_add_test (tc, test_odd_and_tiny_sizes);
  tcase_add_test (tc, test_thumbnail_values);
  tcase_add_test (tc, test_black_threshold_range);
  tcase_add_test (tc, test_refuses_mismatch);
  tcase_add_test (tc, test_blockiness_score);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return run_suite (luma_suite ());
}
