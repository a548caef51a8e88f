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

#include <stdlib.h>
#include <string.h>

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
      s += abs (avm_luma_sample8 (p, x + d1, y + k) - avm_luma_sample8 (p, x + d0, y + k));
    else
      s += abs (avm_luma_sample8 (p, x + k, y + d1) - avm_luma_sample8 (p, x + k, y + d0));
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
        const uint8_t *c = p->data + (size_t) (y0 + k + 1) * p->stride +
            x0 + j;
        in += abs ((int) r[k + 2] - (int) r[k + 1]);
        in += abs ((int) c[p->stride] - (int) c[0]);
      } else {
        in += abs (avm_luma_sample8 (p, x0 + k + 2, y0 + j) - avm_luma_sample8 (p, x0 + k + 1,
                y0 + j));
        in += abs (avm_luma_sample8 (p, x0 + j, y0 + k + 2) - avm_luma_sample8 (p, x0 + j,
                y0 + k + 1));
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

unsigned
avm_grid_step_mask (const AvmLumaPlane * p, int mbx, int mby, double ratio)
{
  int x0 = 16 * mbx, y0 = 16 * mby, hi = 0;
  AvmGridStep g;

  if (mbx < 0 || mby < 0 || x0 + 16 > p->width || y0 + 16 > p->height)
    return 0;
  /* the steps across the borders that avm_grid_step() measures (the same
   * inside conditions): a border passes only with a mean step >= ratio
   * (the content's terms are >= 1) */
  if (x0 >= 2)
    hi = MAX (hi, border_sum (p, x0, y0, 1, -1, 0));
  if (x0 + 17 < p->width)
    hi = MAX (hi, border_sum (p, x0 + 16, y0, 1, -1, 0));
  if (y0 >= 2)
    hi = MAX (hi, border_sum (p, x0, y0, 0, -1, 0));
  if (y0 + 17 < p->height)
    hi = MAX (hi, border_sum (p, x0, y0 + 16, 0, -1, 0));
  if (hi / 16.0 < ratio)
    return 0;
  if (avm_grid_step (p, mbx, mby, &g) < 0 || g.borders == 0)
    return 0;
  return avm_grid_step_borders_mask (&g, ratio);
}
