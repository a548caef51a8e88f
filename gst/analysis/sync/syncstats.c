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

#include "syncstats.h"

#include <math.h>
#include <string.h>

void
avm_event_ring_clear (AvmEventRing * r)
{
  r->head = 0;
  r->count = 0;
}

void
avm_event_ring_push (AvmEventRing * r, int64_t t, double v)
{
  unsigned idx;

  if (r->count == AVM_SYNC_RING) {
    r->head = (r->head + 1) % AVM_SYNC_RING;
    r->count--;
  }
  idx = (r->head + r->count) % AVM_SYNC_RING;
  r->t[idx] = t;
  r->v[idx] = v;
  r->count++;
}

void
avm_event_ring_pop (AvmEventRing * r)
{
  if (r->count == 0)
    return;
  r->head = (r->head + 1) % AVM_SYNC_RING;
  r->count--;
}

int64_t
avm_event_ring_time (const AvmEventRing * r, unsigned i)
{
  return r->t[(r->head + i) % AVM_SYNC_RING];
}

double
avm_event_ring_value (const AvmEventRing * r, unsigned i)
{
  return r->v[(r->head + i) % AVM_SYNC_RING];
}

double
avm_median (double *v, unsigned n)
{
  unsigned i, j;

  if (n == 0)
    return 0.0;
  /* n is at most a few hundred: insertion sort is plenty */
  for (i = 1; i < n; i++) {
    double x = v[i];

    for (j = i; j > 0 && v[j - 1] > x; j--)
      v[j] = v[j - 1];
    v[j] = x;
  }
  if (n & 1)
    return v[n / 2];
  return 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double
avm_stddev (const double *v, unsigned n)
{
  double mean = 0.0, acc = 0.0;
  unsigned i;

  if (n < 2)
    return 0.0;
  for (i = 0; i < n; i++)
    mean += v[i];
  mean /= n;
  for (i = 0; i < n; i++)
    acc += (v[i] - mean) * (v[i] - mean);
  return sqrt (acc / (n - 1));
}

void
avm_linfit_clear (AvmLinFit * f)
{
  memset (f, 0, sizeof (*f));
}

void
avm_linfit_add (AvmLinFit * f, double x, double y)
{
  if (f->n == 0) {
    f->x0 = x;
    f->y0 = y;
  }
  x -= f->x0;
  y -= f->y0;
  f->n += 1;
  f->sx += x;
  f->sy += y;
  f->sxx += x * x;
  f->sxy += x * y;
}

int
avm_linfit_slope (const AvmLinFit * f, double *slope)
{
  double den;

  if (f->n < 2)
    return 0;
  den = f->n * f->sxx - f->sx * f->sx;
  if (!(den > 1e-12 * f->n * f->sxx) || den <= 0)
    return 0;
  *slope = (f->n * f->sxy - f->sx * f->sy) / den;
  return 1;
}

double
avm_linfit_x_span (const AvmLinFit * f)
{
  double mean, var;

  if (f->n < 2)
    return 0.0;
  mean = f->sx / f->n;
  var = f->sxx / f->n - mean * mean;
  /* a uniform spread of width w has variance w^2 / 12 */
  return var > 0 ? sqrt (12.0 * var) : 0.0;
}

void
avm_marker_pairer_init (AvmMarkerPairer * p, int64_t max_offset)
{
  memset (p, 0, sizeof (*p));
  p->max_offset = max_offset;
}

void
avm_marker_pairer_reset (AvmMarkerPairer * p)
{
  avm_marker_pairer_init (p, p->max_offset);
}

void
avm_marker_pairer_add_flash (AvmMarkerPairer * p, int64_t t)
{
  avm_event_ring_push (&p->pending, t, 0.0);
  avm_event_ring_push (&p->flash_times, t, 0.0);
}

void
avm_marker_pairer_add_beep (AvmMarkerPairer * p, int64_t t)
{
  /* v = 1 once a flash took it, so one beep is never paired twice */
  avm_event_ring_push (&p->beeps, t, 0.0);
}

int64_t
avm_marker_pairer_half_window (const AvmMarkerPairer * p)
{
  double iv[16];
  unsigned n = 0, i, c = p->flash_times.count;
  double period;

  for (i = c > 9 ? c - 9 : 0; i + 1 < c && n < 16; i++)
    iv[n++] = (double) (avm_event_ring_time (&p->flash_times, i + 1) -
        avm_event_ring_time (&p->flash_times, i));
  if (n < 2)
    return p->max_offset;
  period = avm_median (iv, n);
  if (period <= 0 || period / 2 > (double) p->max_offset)
    return p->max_offset;
  return (int64_t) (period / 2);
}

unsigned
avm_marker_pairer_update (AvmMarkerPairer * p, int64_t audio_done)
{
  unsigned made = 0;
  int64_t hw = avm_marker_pairer_half_window (p);

  while (p->pending.count > 0) {
    int64_t f = avm_event_ring_time (&p->pending, 0);
    unsigned i, best = 0;
    int64_t best_d = INT64_MAX;

    if (audio_done != INT64_MAX && f > audio_done - hw)
      break;
    for (i = 0; i < p->beeps.count; i++) {
      int64_t b = avm_event_ring_time (&p->beeps, i);
      int64_t d = f - b;
      int64_t ad = d < 0 ? -d : d;

      if (avm_event_ring_value (&p->beeps, i) != 0.0)
        continue;
      if (ad <= hw && ad < (best_d < 0 ? -best_d : best_d)) {
        best_d = d;
        best = i;
      }
    }
    if (best_d != INT64_MAX) {
      p->beeps.v[(p->beeps.head + best) % AVM_SYNC_RING] = 1.0;
      avm_event_ring_push (&p->pairs, f, (double) best_d);
      made++;
    }
    avm_event_ring_pop (&p->pending);
  }
  return made;
}

void
avm_marker_pairer_result (const AvmMarkerPairer * p, int64_t from,
    int64_t to, AvmSyncResult * res)
{
  double v[AVM_SYNC_RING];
  AvmLinFit fit;
  unsigned i, n = 0;
  double sd, slope;

  memset (res, 0, sizeof (*res));
  avm_linfit_clear (&fit);
  for (i = 0; i < p->pairs.count; i++) {
    int64_t t = avm_event_ring_time (&p->pairs, i);
    double off = avm_event_ring_value (&p->pairs, i);

    if (t >= to)
      continue;
    /* drift from every pair kept (up to 128 markers, minutes), the offset
     * from the window only */
    avm_linfit_add (&fit, t / 1e9, off / 1e9);
    if (t < from)
      continue;
    v[n++] = off;
  }
  if (n == 0)
    return;
  sd = avm_stddev (v, n);
  res->valid = 1;
  res->n_events = n;
  res->stddev = sd;
  res->offset = avm_median (v, n);
  /* a few consistent pairs are certain; spread lowers the trust */
  res->confidence = (n >= 3 ? 1.0 : n / 3.0) / (1.0 + sd / 10e6);
  if (fit.n >= 3 && avm_linfit_x_span (&fit) >= 10.0
      && avm_linfit_slope (&fit, &slope)) {
    res->have_drift = 1;
    res->drift_ppm = slope * 1e6;
  }
}
