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
#include "gridscan.h"
#include "gridstep.h"

#include <stdlib.h>
#include <string.h>

#define WARM_UP_FRAMES 25
#define LEVEL_FRAMES 250        /* ~10 s at 25 fps */

int
avm_grid_scan_init (AvmGridScan * s, int width, int height, double ratio)
{
  memset (s, 0, sizeof (*s));
  if (width < 16 || height < 16)
    return -1;
  s->width = width;
  s->height = height;
  s->bw = width / 16;
  s->bh = height / 16;
  s->ratio = ratio;
  s->seen = calloc ((size_t) s->bw * s->bh, sizeof (uint16_t));
  if (!s->seen || avm_grid_lines_init (&s->lines, width, height) < 0) {
    avm_grid_scan_clear (s);
    return -1;
  }
  avm_grid_scan_reset (s);
  return 0;
}

void
avm_grid_scan_set_ratio (AvmGridScan * s, double ratio)
{
  s->ratio = ratio;
}

void
avm_grid_scan_reset (AvmGridScan * s)
{
  if (s->seen)
    memset (s->seen, 0, (size_t) s->bw * s->bh * sizeof (uint16_t));
  s->level = 0.0;
  s->frames = 0;
  s->unjudged = WARM_UP_FRAMES;
}

size_t
avm_grid_scan_memory (const AvmGridScan * s)
{
  if (!s->seen)
    return 0;
  return (size_t) s->bw * s->bh * sizeof (uint16_t) +
      avm_grid_lines_memory (&s->lines);
}

void
avm_grid_scan_clear (AvmGridScan * s)
{
  free (s->seen);
  avm_grid_lines_clear (&s->lines);
  memset (s, 0, sizeof (*s));
}

void
avm_grid_scan_process (AvmGridScan * s, const AvmLumaPlane * plane,
    int cut, AvmGridScanFrame * out)
{
  const unsigned keep = (1u << (4 * AVM_GRID_SCAN_MEMORY)) - 1;
  int bx, by, n = 0, x0 = s->bw, y0 = s->bh, x1 = -1, y1 = -1;
  uint64_t w;

  memset (out, 0, sizeof (*out));
  if (!s->seen || !plane || plane->width != s->width ||
      plane->height != s->height || s->ratio <= 0.0 ||
      avm_grid_lines_measure (&s->lines, plane) < 0)
    return;
  for (by = 0; by < s->bh; by++) {
    for (bx = 0; bx < s->bw; bx++) {
      uint16_t *seen = &s->seen[by * s->bw + bx];
      unsigned m = avm_grid_lines_mask (&s->lines, plane, bx, by, s->ratio);
      unsigned fresh, past = 0, k, counted;
      for (k = 0; k < AVM_GRID_SCAN_MEMORY; k++)
        past |= (*seen >> (4 * k)) & 0xf;
      fresh = m & ~past;
      /* two borders stepping (the grid test), two of them new */
      counted = (m & (m - 1)) && (fresh & (fresh - 1));
      if (counted) {
        n++;
        x0 = bx < x0 ? bx : x0;
        x1 = bx > x1 ? bx : x1;
        y0 = by < y0 ? by : y0;
        y1 = by > y1 ? by : y1;
      }
      *seen = (uint16_t) ((((*seen << 4) | m) & keep) | (counted << 15));
    }
  }
  if (cut) {
    /* The new scene's blocks are all new, so the cut is not judged.
     * From the next frames the history holds the new scene, and its
     * static content on the grid counts no more; after a few frames it
     * is judged again, against the old scene's level, learnt over to
     * the new scene's at the start-up rate.  Damage right after a cut
     * (a lost reference at the new scene's first frame) is common. */
    if (s->unjudged < AVM_GRID_SCAN_CUT_SETTLE)
      s->unjudged = AVM_GRID_SCAN_CUT_SETTLE;
    if (s->frames > WARM_UP_FRAMES)
      s->frames = WARM_UP_FRAMES;
    return;
  }
  out->blocks = n;
  if (n > 0) {
    out->bbox.x = 16 * x0;
    out->bbox.y = 16 * y0;
    out->bbox.width = 16 * (x1 + 1) - out->bbox.x;
    out->bbox.height = 16 * (y1 + 1) - out->bbox.y;
  }
  out->level = s->level;
  out->damaged = s->unjudged == 0 &&
      n >= AVM_GRID_SCAN_MIN_BLOCKS &&
      n >= AVM_GRID_SCAN_LEVEL_RATIO * s->level + AVM_GRID_SCAN_MIN_BLOCKS;
  /* every frame teaches the level, damaged ones too: damage that goes on
   * for seconds is the stream's state by then, and a frame taken for
   * damage by mistake is forgotten */
  s->frames++;
  if (s->unjudged > 0)
    s->unjudged--;
  w = s->frames < LEVEL_FRAMES ? s->frames : LEVEL_FRAMES;
  s->level += (n - s->level) / (double) w;
}
