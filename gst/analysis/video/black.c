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
#include "black.h"

#include <math.h>
#include <string.h>

void
avm_black_config_default (AvmBlackConfig * cfg)
{
  cfg->threshold = 0.98;
  cfg->duration = 2 * AVM_SECOND;
  cfg->uniform_threshold = 0.98;
  cfg->uniform_tolerance = 0.03;
  cfg->uniform_duration = 2 * AVM_SECOND;
}

int
avm_black_init (AvmBlackDetector * d, int width, int height,
    const AvmBlackConfig * cfg)
{
  memset (d, 0, sizeof (*d));
  if (width < 4 || height < 4 || !cfg)
    return -1;
  d->cfg = *cfg;
  d->tw = width / 4;
  d->th = height / 4;
  avm_black_reset (d);
  return 0;
}

void
avm_black_set_config (AvmBlackDetector * d, const AvmBlackConfig * cfg)
{
  d->cfg = *cfg;
}

void
avm_black_reset (AvmBlackDetector * d)
{
  avm_span_tracker_reset (&d->black);
  avm_span_tracker_reset (&d->uniform);
}

/* Largest share of @n samples inside a window of +/- @tol levels;
 * @centre gets the window's middle level. */
static double
peak_share (const uint32_t * hist, uint32_t n, int tol, int *centre)
{
  uint32_t best = 0, run = 0, top = 0;
  int v, end = 0, w = 2 * tol + 1;

  for (v = 0; v < 256 + tol; v++) {
    if (v < 256)
      run += hist[v];
    if (v >= w)
      run -= hist[v - w];
    if (run > best) {
      best = run;
      end = v < 255 ? v : 255;
    }
  }
  /* the level: the most populated one of the best window */
  *centre = end;
  for (v = end; v > end - w && v >= 0; v--) {
    if (hist[v] > top) {
      top = hist[v];
      *centre = v;
    }
  }
  return n ? (double) best / (double) n : 0.0;
}

static double
thumb_share (const AvmBlackDetector * d, const uint8_t * thumb, int step,
    int tol, int *centre)
{
  uint32_t hist[256];
  uint32_t n = 0;
  int x, y;

  memset (hist, 0, sizeof (hist));
  for (y = step / 2; y < d->th; y += step) {
    const uint8_t *row = thumb + (size_t) y * d->tw;
    for (x = step / 2; x < d->tw; x += step) {
      hist[row[x]]++;
      n++;
    }
  }
  return peak_share (hist, n, tol, centre);
}

static unsigned
chroma_at (const AvmChromaPlanes * c, int i, int x, int y)
{
  const uint8_t *p = c->data[i] + (size_t) y * c->stride[i] +
      (size_t) x * c->pixel_stride;
  unsigned v;

  if (c->sample == AVM_CHROMA_8BIT)
    return p[0];
  v = (unsigned) p[0] | ((unsigned) p[1] << 8);
  if (c->sample == AVM_CHROMA_16LE_HIGH10)
    v >>= 6;
  return (v & 0x3ff) >> 2;
}

/* Share of the dominant level of each chroma component on a grid of at
 * most 64 x 36 samples; returns the smaller of the two. */
static double
chroma_share (const AvmChromaPlanes * c, int tol, int *cb, int *cr)
{
  uint32_t hist[2][256];
  uint32_t n = 0;
  int sx = c->width / 64 > 1 ? c->width / 64 : 1;
  int sy = c->height / 36 > 1 ? c->height / 36 : 1;
  int x, y;
  double s0, s1;

  memset (hist, 0, sizeof (hist));
  for (y = sy / 2; y < c->height; y += sy) {
    for (x = sx / 2; x < c->width; x += sx) {
      hist[0][chroma_at (c, 0, x, y)]++;
      hist[1][chroma_at (c, 1, x, y)]++;
      n++;
    }
  }
  s0 = peak_share (hist[0], n, tol, cb);
  s1 = peak_share (hist[1], n, tol, cr);
  return s0 < s1 ? s0 : s1;
}

void
avm_black_classify (const AvmBlackDetector * d, const uint8_t * thumb,
    const AvmLumaStats * stats, const AvmChromaPlanes * chroma,
    AvmBlackFrame * out)
{
  const AvmBlackConfig *cfg = &d->cfg;
  int tol = (int) lround (cfg->uniform_tolerance * 255.0);
  int sparse, centre;
  double share;

  memset (out, 0, sizeof (*out));
  out->cb = out->cr = -1.0;
  out->black_ratio = stats->black_ratio;
  out->black = stats->black_ratio >= cfg->threshold;
  if (out->black)
    return;
  if (tol < 1)
    tol = 1;

  /* A sparse look first: textured pictures stop here, cheaply. */
  sparse = (int) sqrt ((double) d->tw * d->th / 2000.0);
  if (sparse < 1)
    sparse = 1;
  share = thumb_share (d, thumb, sparse, tol, &centre);
  if (share < cfg->uniform_threshold - 0.1)
    return;
  if (sparse > 1)
    share = thumb_share (d, thumb, sparse / 4 > 1 ? sparse / 4 : 1, tol,
        &centre);
  out->uniform_share = share;
  out->level = centre / 255.0;
  if (share < cfg->uniform_threshold)
    return;
  if (chroma && chroma->data[0] && chroma->data[1] && chroma->width > 0 &&
      chroma->height > 0) {
    int cb, cr;
    double cs = chroma_share (chroma, tol, &cb, &cr);
    out->cb = cb / 255.0;
    out->cr = cr / 255.0;
    if (cs < out->uniform_share)
      out->uniform_share = cs;
    if (cs < cfg->uniform_threshold)
      return;
  }
  out->uniform = 1;
}

void
avm_black_update (AvmBlackDetector * d, const AvmBlackFrame * f,
    uint64_t pts, uint64_t dur, AvmSpanEvent * black_ev,
    AvmSpanEvent * uniform_ev)
{
  avm_span_tracker_update (&d->black, f->black, pts, dur, d->cfg.duration,
      f->black_ratio, 1, 1.0, black_ev);
  avm_span_tracker_update (&d->uniform, f->uniform, pts, dur,
      d->cfg.uniform_duration, f->uniform_share, 1, 1.0, uniform_ev);
}

void
avm_black_finish (AvmBlackDetector * d, uint64_t end,
    AvmSpanEvent * black_ev, AvmSpanEvent * uniform_ev)
{
  avm_span_tracker_finish (&d->black, end, black_ev);
  avm_span_tracker_finish (&d->uniform, end, uniform_ev);
}
