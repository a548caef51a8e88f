/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "synccontent.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* video: thumbnail difference novelty */

void
avm_video_novelty_init (AvmVideoNovelty * v, double min_novelty)
{
  memset (v, 0, sizeof (*v));
  v->min_novelty = min_novelty;
  v->ratio = 4.0;
}

void
avm_video_novelty_reset (AvmVideoNovelty * v)
{
  avm_video_novelty_init (v, v->min_novelty);
}

/* A turn of the moving part of the picture: the centroid of the change
 * (current - previous thumbnail) moves one way, then clearly the other. The
 * centroid of a difference lies between the old and the new position, so
 * the turn shows 1 to 2 frames after it happened. */
static int
reversal (AvmVideoNovelty * v, const float *thumb, double nov)
{
  double e = 0.0, sx = 0.0, sy = 0.0, cx, cy, vel[2], floor;
  int x, y, a, ret = 0;

  /* only cells that changed well above the frame's usual change: noise
   * spread over the picture has no position */
  floor = 3.0 * nov > 0.01 ? 3.0 * nov : 0.01;
  for (y = 0; y < AVM_THUMB_H; y++)
    for (x = 0; x < AVM_THUMB_W; x++) {
      double d = fabsf (thumb[y * AVM_THUMB_W + x] -
          v->prev[y * AVM_THUMB_W + x]);

      if (d < floor)
        continue;
      e += d;
      sx += d * x;
      sy += d * y;
    }
  if (e <= 0) {
    v->have_centroid = 0;
    v->last_v_age[0] = v->last_v_age[1] = 99;
    return 0;
  }
  cx = sx / e;
  cy = sy / e;
  if (v->have_centroid) {
    vel[0] = cx - v->cx;
    vel[1] = cy - v->cy;
    for (a = 0; a < 2; a++) {
      /* a clear move: a quarter of a thumbnail cell per frame */
      if (fabs (vel[a]) < 0.25) {
        v->last_v_age[a]++;
        continue;
      }
      if (v->last_v_age[a] <= 3 && vel[a] * v->last_v[a] < 0)
        ret = 1;
      v->last_v[a] = vel[a];
      v->last_v_age[a] = 0;
    }
  }
  v->have_centroid = 1;
  v->cx = cx;
  v->cy = cy;
  return ret;
}

AvmVideoEvent
avm_video_novelty_push (AvmVideoNovelty * v, const float *thumb,
    double *novelty)
{
  double nov = 0.0, thr;
  int i, turned;
  AvmVideoEvent ret = AVM_VIDEO_EVENT_NONE;

  if (!v->have_prev) {
    memcpy (v->prev, thumb, sizeof (v->prev));
    v->have_prev = 1;
    v->last_v_age[0] = v->last_v_age[1] = 99;
    if (novelty)
      *novelty = 0.0;
    return AVM_VIDEO_EVENT_NONE;
  }
  for (i = 0; i < AVM_THUMB_SIZE; i++)
    nov += fabsf (thumb[i] - v->prev[i]);
  nov /= AVM_THUMB_SIZE;
  if (novelty)
    *novelty = nov;
  turned = reversal (v, thumb, nov);
  memcpy (v->prev, thumb, sizeof (v->prev));

  v->frames++;
  if (v->frames == 1)
    v->baseline = nov;
  thr = v->ratio * v->baseline;
  if (thr < v->min_novelty)
    thr = v->min_novelty;
  /* an event is a sudden rise over the usual amount of change: constant
   * motion is no event, its start or a cut is */
  if (v->frames > 2 && nov >= thr && nov > 1.5 * v->last_novelty) {
    ret = AVM_VIDEO_EVENT_CHANGE;
    /* a cut moves the centroid anywhere: no reversal across it */
    v->have_centroid = 0;
    v->last_v_age[0] = v->last_v_age[1] = 99;
  } else {
    v->baseline += 0.1 * (nov - v->baseline);
    if (turned)
      ret = AVM_VIDEO_EVENT_REVERSAL;
  }
  v->last_novelty = nov;
  return ret;
}

/* audio: spectral flux of an octave filter bank */

void
avm_audio_onset_init (AvmAudioOnset * o, double rate)
{
  double fc = 150.0;
  int b;

  memset (o, 0, sizeof (*o));
  o->rate = rate;
  o->hop = (int) (rate * 0.005 + 0.5);
  if (o->hop < 8)
    o->hop = 8;
  o->min_flux = 10.0;
  o->floor_ms = 1e-6;           /* -60 dBFS */
  o->last_onset = INT64_MIN / 2;
  for (b = 0; b < AVM_ONSET_BANDS && fc < rate * 0.4; b++, fc *= 2.0) {
    /* RBJ band-pass, 0 dB peak, Q ~ 1.4 (one octave) */
    double w0 = 2.0 * M_PI * fc / rate;
    double alpha = sin (w0) / (2.0 * 1.41);
    double a0 = 1.0 + alpha;

    o->b0[b] = alpha / a0;
    o->a1[b] = -2.0 * cos (w0) / a0;
    o->a2[b] = (1.0 - alpha) / a0;
  }
  o->nbands = b;
}

void
avm_audio_onset_reset (AvmAudioOnset * o)
{
  avm_audio_onset_init (o, o->rate);
}

static int
end_hop (AvmAudioOnset * o)
{
  double cur[AVM_ONSET_BANDS];
  double flux = 0.0, ms = o->total / o->hop;
  int b, onset = 0;

  for (b = 0; b < o->nbands; b++) {
    double db = 10.0 * log10 (o->acc[b] / o->hop + 1e-12);

    /* below -80 dB nothing is an event, and silence -> hiss is no flux */
    cur[b] = db < -80.0 ? -80.0 : db;
    o->acc[b] = 0.0;
  }
  if (o->hops >= 4) {
    for (b = 0; b < o->nbands; b++) {
      double ref = o->db[0][b];
      int h;

      /* against the loudest of the last 20 ms: a decaying or wobbling
       * sound is no onset (SuperFlux) */
      for (h = 1; h < 4; h++)
        if (o->db[h][b] > ref)
          ref = o->db[h][b];
      /* a band that always moves (noise in a narrow low band) must move
       * much more than usual to count */
      if (cur[b] - ref > 3.0 * o->dev[b])
        flux += cur[b] - ref - 3.0 * o->dev[b];
      o->dev[b] += 0.05 * (fabs (cur[b] - o->db[0][b]) - o->dev[b]);
    }
    if (flux >= o->min_flux && flux >= 4.0 * o->flux_mean
        && ms >= o->floor_ms
        && o->hop_start - o->last_onset >= (int64_t) (o->rate * 0.1)) {
      onset = 1;
      o->last_onset = o->hop_start;
    }
    o->flux_mean += 0.05 * (flux - o->flux_mean);
  }
  memmove (o->db[1], o->db[0], sizeof (o->db[0]) * 3);
  memcpy (o->db[0], cur, sizeof (cur));
  o->hops++;
  o->total = 0.0;
  return onset;
}

int
avm_audio_onset_push (AvmAudioOnset * o, const float *x, int n,
    int64_t first, int64_t * onsets, int max)
{
  int i, b, found = 0;

  if (first != o->next) {
    o->next = first;
    o->pos = 0;
    o->total = 0.0;
    for (b = 0; b < o->nbands; b++)
      o->acc[b] = 0.0;
    o->hops = 0;
  }
  for (i = 0; i < n; i++) {
    double in = x[i];

    if (o->pos == 0)
      o->hop_start = o->next;
    o->total += in * in;
    for (b = 0; b < o->nbands; b++) {
      double y = o->b0[b] * in + o->z1[b];

      o->z1[b] = -o->a1[b] * y + o->z2[b];
      o->z2[b] = -o->b0[b] * in - o->a2[b] * y;
      o->acc[b] += y * y;
    }
    o->next++;
    if (++o->pos == o->hop) {
      o->pos = 0;
      if (end_hop (o) && found < max)
        onsets[found++] = o->hop_start;
    }
  }
  for (b = 0; b < o->nbands; b++) {
    /* denormals in silence would cost more than the whole detector */
    if (fabs (o->z1[b]) < 1e-20)
      o->z1[b] = 0.0;
    if (fabs (o->z2[b]) < 1e-20)
      o->z2[b] = 0.0;
  }
  return found;
}

/* lag search */

void
avm_content_params_default (AvmContentParams * p)
{
  p->max_offset = 1000000000LL;
  p->tolerance = 35000000LL;
  p->min_matches = 4;
  p->min_coverage = 0.5;
  p->max_ambiguity = 0.5;
  p->max_chance = 1e-3;
}

static int
cmp_i64 (const void *a, const void *b)
{
  int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;

  return x < y ? -1 : x > y;
}

/* P (X >= k) for X ~ Poisson (mu) */
static double
poisson_tail (double mu, unsigned k)
{
  double p = 0.0;
  unsigned i;

  if (k == 0)
    return 1.0;
  if (mu <= 0)
    return 0.0;
  for (i = k; i < k + 80; i++)
    p += exp (-mu + i * log (mu) - lgamma (i + 1.0));
  return p > 1.0 ? 1.0 : p;
}

#define MAX_DIFFS (AVM_CONTENT_MAX_EVENTS * 16)

void
avm_content_correlate (const int64_t * v, unsigned nv, const int64_t * a,
    unsigned na, const AvmContentParams * p, AvmSyncResult * res)
{
  int64_t d[MAX_DIFFS];
  double m[MAX_DIFFS];
  unsigned n = 0, i, j, k, c1 = 0, k1 = 0, c2 = 0, nm = 0;
  int64_t w = 2 * p->tolerance, centre;
  double mu, chance, chance2, ambiguity, coverage, sparse;

  memset (res, 0, sizeof (*res));
  if (nv == 0 || na == 0 || w <= 0 || p->max_offset <= 0)
    return;
  for (i = 0; i < nv; i++)
    for (j = 0; j < na && n < MAX_DIFFS; j++) {
      int64_t x = v[i] - a[j];

      if (x >= -p->max_offset && x <= p->max_offset)
        d[n++] = x;
    }
  if (n == 0)
    return;
  qsort (d, n, sizeof (d[0]), cmp_i64);

  /* the densest window of width 2 * tolerance */
  for (k = 0, j = 0; k < n; k++) {
    if (j < k)
      j = k;
    while (j < n && d[j] <= d[k] + w)
      j++;
    if (j - k > c1) {
      c1 = j - k;
      k1 = k;
    }
  }
  /* the best window that does not overlap it: a second, unrelated lag
   * that explains the events nearly as well means periodic or unrelated
   * content, not a measurement */
  for (k = 0; k < n; k++) {
    unsigned c = 0, q;

    if (d[k] >= d[k1] - w && d[k] <= d[k1] + 2 * w)
      continue;
    for (q = k; q < n && d[q] <= d[k] + w; q++)
      if (d[q] < d[k1] - w || d[q] > d[k1] + 2 * w)
        c++;
    if (c > c2)
      c2 = c;
  }

  for (i = 0; i < c1; i++)
    m[i] = (double) d[k1 + i];
  centre = (int64_t) avm_median (m, c1);
  /* re-centre the window on the median so an edge of the first window
   * does not pull the estimate */
  for (i = 0; i < n; i++)
    if (d[i] >= centre - p->tolerance && d[i] <= centre + p->tolerance)
      m[nm++] = (double) d[i];
  if (nm == 0)
    return;
  res->stddev = avm_stddev (m, nm);
  res->offset = avm_median (m, nm);
  if (nm > c1)
    c1 = nm;
  res->n_events = c1;

  sparse = nv < na ? nv : na;
  coverage = c1 / sparse;
  if (coverage > 1.0)
    coverage = 1.0;
  /* the background density of lags, without the matches under test */
  mu = (double) (n - c1) * w / (2.0 * p->max_offset - w);
  if (mu < 1e-9)
    mu = 1e-9;
  chance = poisson_tail (mu, c1) * (2.0 * p->max_offset / w);
  if (chance > 1.0)
    chance = 1.0;
  /* a second peak only matters if it is no accident itself (periodic
   * events, repeated patterns): the best of ~2 max_offset / w windows of
   * random diffs is often 2 or 3 */
  chance2 = poisson_tail (mu, c2) * (2.0 * p->max_offset / w);
  ambiguity = chance2 <= 0.05 ? (double) c2 / c1 : 0.0;
  res->confidence = (1.0 - chance) * (0.5 + 0.5 * coverage) * (1.0 - ambiguity);
  if (res->confidence < 0)
    res->confidence = 0;
  res->valid = c1 >= p->min_matches && coverage >= p->min_coverage
      && ambiguity <= p->max_ambiguity && chance <= p->max_chance;
}
