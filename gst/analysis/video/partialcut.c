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
/* -O3 for the per-frame age loop, as in blocks.c: debugoptimized's -O2
 * leaves it scalar */
#if defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
#pragma GCC optimize ("O3")
#endif

#include "partialcut.h"

#include <stdlib.h>
#include <string.h>

static int
textured (const uint8_t * t, int tw, int bx, int by)
{
  const uint8_t *b = t + (size_t) 4 * by * tw + 4 * bx;
  int x, y, sum = 0;

  /* 12 horizontal and 12 vertical steps inside the 4x4 samples */
  for (y = 0; y < 4; y++)
    for (x = 0; x < 3; x++)
      sum += abs (b[y * tw + x] - b[y * tw + x + 1]);
  for (y = 0; y < 3; y++)
    for (x = 0; x < 4; x++)
      sum += abs (b[y * tw + x] - b[(y + 1) * tw + x]);
  return sum >= 24 * AVM_CUT_TEXTURE;
}

void
avm_partial_cut_measure (const uint8_t * t, int tw, const uint16_t * res,
    const uint8_t * still, int bw, int bh, unsigned lim, AvmPartialCut * out)
{
  int bx, by, x0 = bw, y0 = bh, x1 = -1, y1 = -1;

  memset (out, 0, sizeof (*out));
  for (by = 0; by < bh; by++) {
    int judged = 0, kept = 0;

    for (bx = 0; bx < bw; bx++) {
      int i = by * bw + bx;

      if (still[i] >= AVM_CUT_STILL_FRAMES || !textured (t, tw, bx, by))
        continue;
      judged++;
      if (res[i] <= lim) {
        kept++;
        continue;
      }
      x0 = bx < x0 ? bx : x0;
      x1 = bx > x1 ? bx : x1;
      y0 = by < y0 ? by : y0;
      y1 = by > y1 ? by : y1;
    }
    out->blocks += judged;
    out->kept += kept;
    if (judged > 0 && 4 * judged >= bw &&
        (double) kept / judged > out->best_row)
      out->best_row = (double) kept / judged;
  }
  if (x1 >= 0) {
    out->bbox.x = 16 * x0;
    out->bbox.y = 16 * y0;
    out->bbox.width = 16 * (x1 + 1 - x0);
    out->bbox.height = 16 * (y1 + 1 - y0);
  }
}

void
avm_partial_cut_age (uint8_t * restrict still, const uint16_t * restrict res,
    const int8_t * restrict vx, const int8_t * restrict vy, int n,
    unsigned lim)
{
  int i;
  uint16_t l = lim > 0xffff ? 0xffff : (uint16_t) lim;

  /* branch-free, so that it vectorises: every block of every frame */
  for (i = 0; i < n; i++) {
    uint8_t s = still[i];
    uint8_t keep = (uint8_t) (-(uint8_t) ((res[i] <= l) & (vx[i] == 0) &
            (vy[i] == 0)));

    still[i] = (uint8_t) ((s + (s < 255)) & keep);
  }
}
