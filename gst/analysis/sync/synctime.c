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

#include "synctime.h"

#include <string.h>

int64_t
avm_scale (int64_t a, int64_t b, int64_t c)
{
  __int128 r = (__int128) a * b;

  if (c <= 0)
    return 0;
  if (r < 0)
    return (int64_t) - ((-r + c - 1) / c);
  return (int64_t) (r / c);
}

void
avm_time_track_init (AvmTimeTrack * t, int rate_num, int rate_den,
    int64_t tolerance)
{
  memset (t, 0, sizeof (*t));
  t->rate_num = rate_num;
  t->rate_den = rate_den > 0 ? rate_den : 1;
  t->tolerance = tolerance;
  avm_linfit_clear (&t->fit);
}

void
avm_time_track_reset (AvmTimeTrack * t)
{
  avm_time_track_init (t, t->rate_num, t->rate_den, t->tolerance);
}

static int64_t
units_to_ns (const AvmTimeTrack * t, uint64_t units)
{
  if (t->rate_num <= 0)
    return 0;
  return avm_scale ((int64_t) units, 1000000000LL * t->rate_den, t->rate_num);
}

AvmTimeJump
avm_time_track_push (AvmTimeTrack * t, int64_t rt, uint64_t n, int64_t * jump)
{
  AvmTimeJump ret = AVM_TIME_CONTINUOUS;
  int64_t d = 0, nominal;

  if (!t->started) {
    t->started = 1;
    t->first = rt;
    ret = AVM_TIME_FIRST;
  } else {
    /* against the previous buffer's end, not the first buffer's count: a
     * slow drift never adds up into a false gap */
    d = rt - t->expected;
    if (d > t->tolerance) {
      ret = AVM_TIME_GAP;
      t->n_gaps++;
      t->gap_total += d;
      t->jump_total += d;
    } else if (d < -t->tolerance) {
      ret = AVM_TIME_OVERLAP;
      t->n_overlaps++;
      t->overlap_total += -d;
      t->jump_total += d;
    }
  }
  if (jump)
    *jump = ret == AVM_TIME_GAP || ret == AVM_TIME_OVERLAP ? d : 0;

  /* the exact end of this buffer from its unit count: rounding does not
   * accumulate because the expectation restarts from each buffer */
  nominal = units_to_ns (t, t->units) + t->jump_total;
  /* fit the residual, not the time itself: slope - 1 would lose the ppm
   * in the rounding of long runs */
  avm_linfit_add (&t->fit, nominal / 1e9,
      (double) (rt - t->first - nominal) / 1e9);
  t->expected = rt + units_to_ns (t, t->units + n) - units_to_ns (t, t->units);
  t->units += n;
  return ret;
}

void
avm_time_track_add_slip (AvmTimeTrack * t, int64_t jump)
{
  t->slip += jump;
}

int
avm_time_track_drift_ppm (const AvmTimeTrack * t, double *ppm)
{
  double slope;

  if (!t->started || avm_linfit_x_span (&t->fit) < 2.0)
    return 0;
  if (!avm_linfit_slope (&t->fit, &slope))
    return 0;
  *ppm = slope * 1e6;
  return 1;
}

int64_t
avm_time_track_end (const AvmTimeTrack * t)
{
  return t->expected;
}
