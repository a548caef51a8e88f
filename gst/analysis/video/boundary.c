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
/* Changed regions that end on the macroblock grid: see boundary.h. */

#include "boundary.h"

#include <stdlib.h>
#include <string.h>

#define AD(x, y) abs ((int) t[(size_t) (y) * tw + (x)] - \
    (int) p[(size_t) (y) * tw + (x)])

/* Sum of the differences of 4 samples from (@x, @y) on, along x or y. */
static int
strip (const uint8_t * t, const uint8_t * p, int tw, int x, int y,
    int along_x)
{
  int k, s = 0;

  for (k = 0; k < 4; k++)
    s += along_x ? AD (x + k, y) : AD (x, y + k);
  return s;
}

void
avm_boundary_measure (const uint8_t * t, const uint8_t * p, int tw,
    int th, const uint8_t * changed, int bw, int bh, AvmBoundaryFrame * out)
{
  int bx, by, x0 = bw, y0 = bh, x1 = -1, y1 = -1;

  memset (out, 0, sizeof (*out));
  if (bw * 4 > tw || bh * 4 > th)
    return;
  for (by = 0; by < bh; by++) {
    for (bx = 0; bx < bw; bx++) {
      int sx = 4 * bx, sy = 4 * by, mean = 0, k, side;

      if (!changed[by * bw + bx])
        continue;
      out->blocks++;
      x0 = bx < x0 ? bx : x0;
      x1 = bx > x1 ? bx : x1;
      y0 = by < y0 ? by : y0;
      y1 = by > y1 ? by : y1;
      for (k = 0; k < 4; k++)
        mean += strip (t, p, tw, sx, sy + k, 1);
      /* left, right, top, bottom */
      for (side = 0; side < 4; side++) {
        int nx = bx + (side == 0 ? -1 : side == 1 ? 1 : 0);
        int ny = by + (side == 2 ? -1 : side == 3 ? 1 : 0);
        int in, beside;

        if (nx < 0 || ny < 0 || nx >= bw || ny >= bh ||
            changed[ny * bw + nx])
          continue;
        switch (side) {
          case 0:
            in = strip (t, p, tw, sx, sy, 0);
            beside = strip (t, p, tw, sx - 1, sy, 0);
            break;
          case 1:
            in = strip (t, p, tw, sx + 3, sy, 0);
            beside = strip (t, p, tw, sx + 4, sy, 0);
            break;
          case 2:
            in = strip (t, p, tw, sx, sy, 1);
            beside = strip (t, p, tw, sx, sy - 1, 1);
            break;
          default:
            in = strip (t, p, tw, sx, sy + 3, 1);
            beside = strip (t, p, tw, sx, sy + 4, 1);
            break;
        }
        out->borders++;
        /* in and beside are sums of 4 samples, mean of 16: in / 4 >=
         * mean / 16 / 2, and in / 4 >= STEP x (beside / 4 + 1) */
        if (8 * in >= mean && in >= AVM_BOUNDARY_STEP * (beside + 4))
          out->aligned++;
      }
    }
  }
  if (out->blocks > 0) {
    out->bbox.x = 16 * x0;
    out->bbox.y = 16 * y0;
    out->bbox.width = 16 * (x1 - x0 + 1);
    out->bbox.height = 16 * (y1 - y0 + 1);
  }
}
