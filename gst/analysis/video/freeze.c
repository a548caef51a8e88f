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
/* meson's debugoptimized is -O2, whose "very cheap" vectoriser cost model
 * leaves these per-sample loops scalar (3x slower, measured); the project
 * flags stay as they are for everything else. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
#pragma GCC optimize ("O3")
#endif

#include "freeze.h"
#include "vsimd.h"

#include <stdlib.h>
#include <string.h>

#define CELL 16                 /* thumbnail samples per cell side */
#define SPIKE_MAX_FRAMES 3
#define SPIKE_MIN_GAP 8
#define SPIKE_WINDOW 4          /* frames a burst may spread over: an
                                 * encoder refreshing a repeated picture
                                 * at a key frame may touch it up once more
                                 * a frame or two later */

void
avm_freeze_config_default (AvmFreezeConfig * cfg)
{
  cfg->threshold = 0.0015;
  cfg->drift_threshold = 0.01;
  cfg->cell_threshold = 0.02;
  cfg->partial_max_ratio = 0.25;
  cfg->duration = 2 * AVM_SECOND;
}

int
avm_freeze_init (AvmFreezeDetector * d, int width, int height,
    const AvmFreezeConfig * cfg)
{
  int cx, cy;

  memset (d, 0, sizeof (*d));
  if (width < 4 || height < 4 || !cfg)
    return -1;
  d->cfg = *cfg;
  d->width = width;
  d->height = height;
  d->tw = width / 4;
  d->th = height / 4;
  d->cw = (d->tw + CELL - 1) / CELL;
  d->ch = (d->th + CELL - 1) / CELL;
  d->ncells = d->cw * d->ch;
  d->ref = malloc ((size_t) d->tw * d->th);
  d->dp = calloc ((size_t) d->ncells, sizeof (uint32_t));
  d->da = calloc ((size_t) d->ncells, sizeof (uint32_t));
  d->cell_px = calloc ((size_t) d->ncells, sizeof (uint32_t));
  d->moving = calloc ((size_t) d->ncells, 1);
  if (!d->ref || !d->dp || !d->da || !d->cell_px || !d->moving) {
    avm_freeze_clear (d);
    return -1;
  }
  for (cy = 0; cy < d->ch; cy++) {
    for (cx = 0; cx < d->cw; cx++) {
      int w = d->tw - cx * CELL, h = d->th - cy * CELL;
      d->cell_px[cy * d->cw + cx] =
          (uint32_t) ((w < CELL ? w : CELL) * (h < CELL ? h : CELL));
    }
  }
  avm_freeze_reset (d);
  return 0;
}

void
avm_freeze_set_config (AvmFreezeDetector * d, const AvmFreezeConfig * cfg)
{
  d->cfg = *cfg;
}

static void
new_reference (AvmFreezeDetector * d, int from_current, uint64_t pts)
{
  d->have_ref = 0;
  d->ref_is_prev = from_current;
  d->ref_pts = pts;
  memset (d->moving, 0, (size_t) d->ncells);
  d->moving_px = 0;
  d->burst_len = 0;
  d->burst_age = 0;
  d->still_count = 0;
  d->open = 0;
  d->worst = 0.0;
  d->max_still_diff = 0.0;
}

void
avm_freeze_reset (AvmFreezeDetector * d)
{
  new_reference (d, 0, AVM_TIME_NONE);
  d->have_prev = 0;
  d->last_pts = AVM_TIME_NONE;
  d->last_dur = AVM_TIME_NONE;
}

void
avm_freeze_clear (AvmFreezeDetector * d)
{
  free (d->ref);
  free (d->dp);
  free (d->da);
  free (d->cell_px);
  free (d->moving);
  d->ref = NULL;
  d->dp = d->da = d->cell_px = NULL;
  d->moving = NULL;
}

/* Sum of absolute differences of one thumbnail row, per cell.  Written
 * as a flat absolute-difference loop and a sum of 8-byte words: GCC
 * otherwise vectorises across cells with shuffles, 7x slower here. */
AVM_SIMD_CLONES static void
row_sad_cells (const uint8_t * restrict a, const uint8_t * restrict b, int n,
    uint32_t * restrict cells)
{
  uint64_t tmp64[4096 / 8];     /* thumbnails are at most 4096 wide */
  uint8_t *tmp = (uint8_t *) tmp64;
  int full = n / CELL, c, x;

  for (x = 0; x < n; x++) {
    uint8_t p = a[x], q = b[x];
    tmp[x] = (uint8_t) (p > q ? p - q : q - p);
  }
  for (c = 0; c < full; c++) {
    const uint64_t m = 0x00ff00ff00ff00ffull;
    uint64_t v0 = tmp64[2 * c], v1 = tmp64[2 * c + 1];
    uint64_t s = (v0 & m) + ((v0 >> 8) & m) + (v1 & m) + ((v1 >> 8) & m);
    /* four 16-bit lanes summed into the top one */
    cells[c] += (uint32_t) ((s * 0x0001000100010001ull) >> 48);
  }
  if (full * CELL < n) {
    unsigned s = 0;
    for (x = full * CELL; x < n; x++)
      s += tmp[x];
    cells[full] += s;
  }
}

static void
sad_cells (const AvmFreezeDetector * d, const uint8_t * a, const uint8_t * b,
    uint32_t * cells)
{
  int y;

  memset (cells, 0, (size_t) d->ncells * sizeof (uint32_t));
  for (y = 0; y < d->th; y++)
    row_sad_cells (a + (size_t) y * d->tw, b + (size_t) y * d->tw, d->tw,
        cells + (y / CELL) * d->cw);
}

static uint64_t
resolve_pts (AvmFreezeDetector * d, uint64_t pts, uint64_t * dur)
{
  if (pts == AVM_TIME_NONE) {
    if (d->last_pts != AVM_TIME_NONE && d->last_dur != AVM_TIME_NONE)
      pts = d->last_pts + d->last_dur;
    else if (d->last_pts != AVM_TIME_NONE)
      pts = d->last_pts;
    else
      pts = 0;
  }
  if (*dur == AVM_TIME_NONE) {
    if (d->last_pts != AVM_TIME_NONE && pts > d->last_pts)
      *dur = pts - d->last_pts;
    else
      *dur = d->last_dur;
  }
  d->last_pts = pts;
  d->last_dur = *dur;
  return pts;
}

static void
end_span (AvmFreezeDetector * d, uint64_t end, AvmSpanEvent * ev)
{
  if (!d->open)
    return;
  ev->ended = 1;
  ev->start = d->ref_pts;
  ev->end = end;
  ev->value = d->worst;
  ev->confidence = 1.0 - 0.5 * (d->max_still_diff / d->cfg.threshold);
  if (ev->confidence < 0.5)
    ev->confidence = 0.5;
  d->open = 0;
}

void
avm_freeze_process (AvmFreezeDetector * d, const uint8_t * thumb,
    const uint8_t * prev, uint64_t pts, uint64_t dur, int suppress,
    AvmSpanEvent * ev, AvmFreezeFrame * out)
{
  const AvmFreezeConfig *cfg = &d->cfg;
  uint64_t npix = (uint64_t) d->tw * d->th;
  uint64_t total = 0, sp = 0, sa = 0, spx = 0;
  double cell_thr = cfg->cell_threshold * 255.0;
  double dps = 0.0, das = 0.0;
  int c, differs = 0, spike = 0;

  memset (ev, 0, sizeof (*ev));
  pts = resolve_pts (d, pts, &dur);
  if (!prev)
    d->have_prev = 0;
  else
    d->have_prev = 1;

  if (prev) {
    sad_cells (d, thumb, prev, d->dp);
    for (c = 0; c < d->ncells; c++)
      total += d->dp[c];
  }
  if (out) {
    out->motion = prev ? (double) total / (double) npix / 255.0 : 0.0;
    out->static_diff = 0.0;
    out->in_freeze = 0;
  }

  if (suppress) {
    end_span (d, pts, ev);
    new_reference (d, 0, AVM_TIME_NONE);
    return;
  }
  if (!prev || (!d->have_ref && !d->ref_is_prev)) {
    end_span (d, pts, ev);
    new_reference (d, 1, pts);
    return;
  }

  if (d->ref_is_prev)
    memcpy (d->da, d->dp, (size_t) d->ncells * sizeof (uint32_t));
  else
    sad_cells (d, thumb, d->ref, d->da);

  for (c = 0; c < d->ncells; c++) {
    double lim = cell_thr * d->cell_px[c];
    if (!d->moving[c] && (d->dp[c] > lim || d->da[c] > lim)) {
      d->moving[c] = 1;
      d->moving_px += d->cell_px[c];
    }
    if (!d->moving[c]) {
      sp += d->dp[c];
      sa += d->da[c];
      spx += d->cell_px[c];
    }
  }

  if (spx == 0 || (double) d->moving_px > cfg->partial_max_ratio * npix) {
    differs = 1;
  } else {
    dps = (double) sp / (double) spx / 255.0;
    das = (double) sa / (double) spx / 255.0;
    if (das > cfg->drift_threshold) {
      differs = 1;
    } else if (dps > cfg->threshold) {
      /* a refresh spike is short and rare; live noise is neither */
      if (d->burst_len == 0 && d->still_count >= SPIKE_MIN_GAP) {
        d->burst_len = 1;
        d->burst_age = 0;
        d->burst_pts = pts;
        spike = 1;
      } else if (d->burst_len > 0 && d->burst_len < SPIKE_MAX_FRAMES &&
          d->burst_age < SPIKE_WINDOW) {
        d->burst_len++;
        spike = 1;
      } else {
        differs = 1;
      }
    }
  }
  if (out)
    out->static_diff = dps;

  if (differs) {
    end_span (d, d->burst_len ? d->burst_pts : pts, ev);
    new_reference (d, 1, pts);
    /* the new reference counts as the first spike of a burst: an encoder
     * that starts repeating a picture codes it at the next I-frame and
     * may touch it up a frame or two later; without this the freeze would
     * start at the touch-up */
    d->burst_len = 1;
    d->burst_pts = pts;
    return;
  }

  if (d->ref_is_prev) {
    memcpy (d->ref, prev, (size_t) npix);
    d->ref_is_prev = 0;
    d->have_ref = 1;
  }
  if (das > d->worst)
    d->worst = das;
  if (!spike) {
    /* a still frame inside a burst's window keeps the burst open: its
     * second spike may follow */
    if (d->burst_len > 0 && d->burst_age + 1 < SPIKE_WINDOW)
      d->burst_age++;
    else
      d->burst_len = 0;
    d->still_count++;
    if (dps > d->max_still_diff)
      d->max_still_diff = dps;
    if (!d->open && dur != AVM_TIME_NONE &&
        pts + dur >= d->ref_pts + cfg->duration) {
      d->open = 1;
      ev->started = 1;
      ev->start = d->ref_pts;
      ev->value = d->worst;
      ev->confidence = 1.0 - 0.5 * (d->max_still_diff / cfg->threshold);
      if (ev->confidence < 0.5)
        ev->confidence = 0.5;
    }
  } else {
    d->still_count = 0;
    d->burst_age++;
  }
  if (out)
    out->in_freeze = d->open;
}

int
avm_freeze_get_region (const AvmFreezeDetector * d, AvmFreezeRegion * r)
{
  int cx, cy, x0 = d->cw, y0 = d->ch, x1 = -1, y1 = -1;

  memset (r, 0, sizeof (*r));
  if (!d->open)
    return 0;
  for (cy = 0; cy < d->ch; cy++) {
    for (cx = 0; cx < d->cw; cx++) {
      if (!d->moving[cy * d->cw + cx])
        continue;
      if (cx < x0)
        x0 = cx;
      if (cx > x1)
        x1 = cx;
      if (cy < y0)
        y0 = cy;
      if (cy > y1)
        y1 = cy;
    }
  }
  if (x1 >= 0) {
    int px = 4 * CELL;
    r->partial = 1;
    r->moving_ratio = (double) d->moving_px / ((double) d->tw * d->th);
    r->region.x = x0 * px;
    r->region.y = y0 * px;
    r->region.width = (x1 + 1) * px > d->width ? d->width - r->region.x :
        (x1 + 1) * px - r->region.x;
    r->region.height = (y1 + 1) * px > d->height ? d->height - r->region.y :
        (y1 + 1) * px - r->region.y;
  }
  return 1;
}

void
avm_freeze_finish (AvmFreezeDetector * d, uint64_t end, AvmSpanEvent * ev)
{
  memset (ev, 0, sizeof (*ev));
  end_span (d, end, ev);
  avm_freeze_reset (d);
}
