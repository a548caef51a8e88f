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
#include "gridstep.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

/* Sum over the 16 pixels of a border of |a - b| for the pair (@d0, @d1)
 * offsets across it: vertical borders step in x, horizontal ones in y. */
static int
border_sum (const AvmLumaPlane * p, int x, int y, int vertical, int d0, int d1)
{
  int k, s = 0;

  if (p->layout == AVM_LUMA_Y8) {
    /* the common case (I420, NV12, ...) read in place: the blocks of every
     * frame's probes and candidates go through here */
    const uint8_t *r = p->data + (size_t) y * p->stride + x;
    size_t step = vertical ? p->stride : 1;
    ptrdiff_t o0 = vertical ? d0 : (ptrdiff_t) d0 * (ptrdiff_t) p->stride;
    ptrdiff_t o1 = vertical ? d1 : (ptrdiff_t) d1 * (ptrdiff_t) p->stride;

    for (k = 0; k < 16; k++, r += step)
      s += abs ((int) r[o1] - (int) r[o0]);
    return s;
  }
  for (k = 0; k < 16; k++) {
    if (vertical)
      s += abs (avm_luma_sample8 (p, x + d1, y + k) - avm_luma_sample8 (p,
              x + d0, y + k));
    else
      s += abs (avm_luma_sample8 (p, x + k, y + d1) - avm_luma_sample8 (p,
              x + k, y + d0));
  }
  return s;
}

int
avm_grid_step (const AvmLumaPlane * p, int mbx, int mby, AvmGridStep * out)
{
  int x0 = 16 * mbx, y0 = 16 * mby, b, k, j;
  int bsum = 0, bmax = 0, side = 0, nside = 0, in = 0;
  /* the four borders: position and direction */
  struct
  {
    int x, y, vertical, inside;
  } br[4];

  memset (out, 0, sizeof (*out));
  if (mbx < 0 || mby < 0 || x0 + 16 > p->width || y0 + 16 > p->height)
    return -1;
  br[0].x = x0;
  br[0].y = y0;
  br[0].vertical = 1;
  br[0].inside = x0 >= 2;
  br[1].x = x0 + 16;
  br[1].y = y0;
  br[1].vertical = 1;
  br[1].inside = x0 + 17 < p->width;
  br[2].x = x0;
  br[2].y = y0;
  br[2].vertical = 0;
  br[2].inside = y0 >= 2;
  br[3].x = x0;
  br[3].y = y0 + 16;
  br[3].vertical = 0;
  br[3].inside = y0 + 17 < p->height;
  for (b = 0; b < 4; b++) {
    int s, bs;

    if (!br[b].inside)
      continue;
    /* across: pixel before the border to the pixel on it */
    s = border_sum (p, br[b].x, br[b].y, br[b].vertical, -1, 0);
    bsum += s;
    if (s > bmax)
      bmax = s;
    bs = border_sum (p, br[b].x, br[b].y, br[b].vertical, -2, -1) +
        border_sum (p, br[b].x, br[b].y, br[b].vertical, 0, 1);
    side += bs;
    nside += 2;
    out->step[b] = s / 16.0;
    out->step_beside[b] = bs / 32.0;
    out->borders++;
  }
  for (b = 0; b < 2; b++) {
    /* b = 0: far vertical borders left and right, 1: top and bottom */
    int k, hi = -1;

    for (k = 0; k < 2; k++) {
      int bx = b == 0 ? (k == 0 ? x0 - 16 : x0 + 32) : x0;
      int by = b == 1 ? (k == 0 ? y0 - 16 : y0 + 32) : y0;
      int s;

      if (b == 0 ? bx < 2 || bx + 1 >= p->width : by < 2 || by + 1 >= p->height)
        continue;
      s = border_sum (p, bx, by, b == 0, -1, 0);
      if (s > hi)
        hi = s;
    }
    out->neighbour_step[b] = hi >= 0 ? hi / 16.0 : -1.0;
  }
  /* inside: pairs (x0+k+1 | x0+k+2) for k = 0, 4, 8, 12, i.e. steps that
   * straddle no 4 px transform edge, every second row and column */
  for (j = 0; j < 16; j += 2) {
    for (k = 0; k < 16; k += 4) {
      if (p->layout == AVM_LUMA_Y8) {
        const uint8_t *r = p->data + (size_t) (y0 + j) * p->stride + x0;
        const uint8_t *c = p->data + (size_t) (y0 + k + 1) * p->stride + x0 + j;
        in += abs ((int) r[k + 2] - (int) r[k + 1]);
        in += abs ((int) c[p->stride] - (int) c[0]);
      } else {
        in +=
            abs (avm_luma_sample8 (p, x0 + k + 2, y0 + j) - avm_luma_sample8 (p,
                x0 + k + 1, y0 + j));
        in +=
            abs (avm_luma_sample8 (p, x0 + j, y0 + k + 2) - avm_luma_sample8 (p,
                x0 + j, y0 + k + 1));
      }
    }
  }
  if (out->borders) {
    out->border = bsum / (16.0 * out->borders);
    out->border_max = bmax / 16.0;
    out->beside = side / (16.0 * nside);
  }
  out->inner = in / 64.0;
  return 0;
}

unsigned
avm_grid_step_borders_mask (const AvmGridStep * g, double ratio)
{
  unsigned b, m = 0;

  for (b = 0; b < 4; b++)
    if (g->step[b] > 0.0 &&
        g->step[b] >= ratio * (g->step_beside[b] + g->inner + 1.0) &&
        g->step[b] >= ratio * (g->neighbour_step[b / 2] + 1.0))
      m |= 1u << b;
  return m;
}

int
avm_grid_step_borders_over (const AvmGridStep * g, double ratio)
{
  unsigned m = avm_grid_step_borders_mask (g, ratio);

  return (int) ((m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + (m >> 3));
}

int
avm_grid_lines_init (AvmGridLines * l, int width, int height)
{
  memset (l, 0, sizeof (*l));
  if (width < 16 || height < 16)
    return -1;
  l->width = width;
  l->height = height;
  l->bw = width / 16;
  l->bh = height / 16;
  l->v = malloc ((size_t) AVM_GRID_LINE_STRIDE (l->bw) * l->bh *
      sizeof (uint16_t));
  l->h = malloc ((size_t) (l->bh + 2) * l->bw * sizeof (uint16_t));
  if (!l->v || !l->h) {
    avm_grid_lines_clear (l);
    return -1;
  }
  return 0;
}

void
avm_grid_lines_clear (AvmGridLines * l)
{
  free (l->v);
  free (l->h);
  memset (l, 0, sizeof (*l));
}

size_t
avm_grid_lines_memory (const AvmGridLines * l)
{
  if (!l->v)
    return 0;
  return ((size_t) AVM_GRID_LINE_STRIDE (l->bw) * l->bh +
      (size_t) (l->bh + 2) * l->bw) * sizeof (uint16_t);
}

/* Sums of |a - b| over each run of 16 bytes, @n runs. */
static void
row_pair_sums (const uint8_t * a, const uint8_t * b, int n, uint16_t * out)
{
  int i;
#if defined(__SSE2__)
  for (i = 0; i < n; i++) {
    __m128i s = _mm_sad_epu8 (_mm_loadu_si128 ((const __m128i *)
            (const void *) (a + 16 * i)),
        _mm_loadu_si128 ((const __m128i *) (const void *) (b + 16 * i)));

    out[i] = (uint16_t) (_mm_cvtsi128_si32 (s) +
        _mm_cvtsi128_si32 (_mm_srli_si128 (s, 8)));
  }
#else
  for (i = 0; i < n; i++) {
    int j, t = 0;

    for (j = 0; j < 16; j++)
      t += abs ((int) a[16 * i + j] - (int) b[16 * i + j]);
    out[i] = (uint16_t) t;
  }
#endif
}

int
avm_grid_lines_measure (AvmGridLines * l, const AvmLumaPlane * p)
{
  int stride_v = AVM_GRID_LINE_STRIDE (l->bw), k, by, bx, y;
  /* the lines avm_grid_step() counts as inside: x (y) >= 2 and x + 1 <
   * width (y + 1 < height) */
  int kv = (l->width - 2) / 16, kh = (l->height - 2) / 16;

  if (!l->v || !p || p->width != l->width || p->height != l->height)
    return -1;
  if (kv > l->bw + 1)
    kv = l->bw + 1;
  if (kh > l->bh + 1)
    kh = l->bh + 1;
  for (by = 0; by < l->bh; by++) {
    uint16_t *v = l->v + (size_t) by * stride_v;

    for (k = 0; k < stride_v; k++)
      v[k] = 0;
    for (y = 16 * by; y < 16 * by + 16; y++) {
      if (p->layout == AVM_LUMA_Y8) {
        const uint8_t *r = p->data + (size_t) y * p->stride;

        for (k = 1; k <= kv; k++)
          v[k] += (uint16_t) abs ((int) r[16 * k] - (int) r[16 * k - 1]);
      } else {
        for (k = 1; k <= kv; k++)
          v[k] += (uint16_t) abs (avm_luma_sample8 (p, 16 * k, y) -
              avm_luma_sample8 (p, 16 * k - 1, y));
      }
    }
  }
  for (k = 0; k < l->bh + 2; k++) {
    uint16_t *h = l->h + (size_t) k * l->bw;

    if (k < 1 || k > kh) {
      memset (h, 0, (size_t) l->bw * sizeof (uint16_t));
    } else if (p->layout == AVM_LUMA_Y8) {
      row_pair_sums (p->data + (size_t) (16 * k) * p->stride,
          p->data + (size_t) (16 * k - 1) * p->stride, l->bw, h);
    } else {
      for (bx = 0; bx < l->bw; bx++) {
        int x, t = 0;

        for (x = 16 * bx; x < 16 * bx + 16; x++)
          t += abs (avm_luma_sample8 (p, x, 16 * k) -
              avm_luma_sample8 (p, x, 16 * k - 1));
        h[bx] = (uint16_t) t;
      }
    }
  }
  return 0;
}

unsigned
avm_grid_lines_mask (const AvmGridLines * l, const AvmLumaPlane * p,
    int mbx, int mby, double ratio)
{
  size_t stride_v = AVM_GRID_LINE_STRIDE (l->bw), bw = l->bw;
  const uint16_t *v, *h;
  int own[4], far[2], b;
  AvmGridStep g;

  if (mbx < 0 || mby < 0 || mbx >= l->bw || mby >= l->bh)
    return 0;
  if (ratio <= 0.0)
    goto full;                  /* every stepping border passes */
  v = l->v + mby * stride_v + mbx;
  h = l->h + mby * bw + mbx;
  own[0] = v[0];
  own[1] = v[1];
  own[2] = h[0];
  own[3] = h[bw];
  far[0] = MAX (mbx >= 1 ? v[-1] : 0, v[2]);
  far[1] = MAX (mby >= 1 ? h[-(ptrdiff_t) bw] : 0, h[2 * bw]);
  /* what avm_grid_step_borders_mask() asks of a border, less the
   * content's terms not known yet (each >= 0), in sums rather than means
   * (the scale is 16, exact in binary floating point): first own / 16 >=
   * ratio x (far / 16 + 1), where a line not inside is 0 and so asks own
   * / 16 >= ratio, as the full test does; then, from the steps beside the
   * border, read only for the borders that passed, own / 16 >= ratio x
   * (beside / 32 + 1).  No border can pass the full test that fails
   * either, and on coarsely coded content, which steps at every border,
   * the second rules out nine in ten of the blocks the first lets by. */
  for (b = 0; b < 4; b++) {
    int vertical = b < 2, x = b == 1 ? 16 * mbx + 16 : 16 * mbx;
    int y = b == 3 ? 16 * mby + 16 : 16 * mby, beside;

    if (own[b] == 0 || own[b] < ratio * (far[b / 2] + 16))
      continue;
    beside = border_sum (p, x, y, vertical, -2, -1) +
        border_sum (p, x, y, vertical, 0, 1);
    if (own[b] >= ratio * (beside / 2.0 + 16))
      break;
  }
  if (b == 4)
    return 0;
full:
  if (avm_grid_step (p, mbx, mby, &g) < 0 || g.borders == 0)
    return 0;
  return avm_grid_step_borders_mask (&g, ratio);
}
