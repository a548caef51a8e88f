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
#include "frametiming.h"

#include <string.h>

void
avm_frame_timing_init (AvmFrameTiming * t, uint64_t frame_duration)
{
  memset (t, 0, sizeof (*t));
  t->gap_factor = 1.5;
  t->nominal = frame_duration;
  avm_frame_timing_reset (t);
}

void
avm_frame_timing_reset (AvmFrameTiming * t)
{
  t->last_pts = AVM_TIME_NONE;
  t->since_last = 0;
  t->last_dur = 0;
  t->nsteps = 0;
  t->pos = 0;
}

uint64_t
avm_frame_timing_duration (const AvmFrameTiming * t)
{
  uint64_t m = 0;
  int i;

  if (t->nominal)
    return t->nominal;
  if (t->last_dur)
    return t->last_dur;
  /* the smallest recent step: gaps only ever make steps longer */
  for (i = 0; i < t->nsteps; i++)
    if (m == 0 || t->steps[i] < m)
      m = t->steps[i];
  return m;
}

AvmTimingKind
avm_frame_timing_process (AvmFrameTiming * t, uint64_t pts, uint64_t dur,
    AvmTimingEvent * ev)
{
  uint64_t d, expected;

  memset (ev, 0, sizeof (*ev));
  if (dur != AVM_TIME_NONE && dur > 0)
    t->last_dur = dur;
  if (pts == AVM_TIME_NONE) {
    if (t->last_pts != AVM_TIME_NONE)
      t->since_last++;
    return AVM_TIMING_OK;
  }
  if (t->last_pts == AVM_TIME_NONE) {
    t->last_pts = pts;
    t->since_last = 0;
    return AVM_TIMING_OK;
  }

  if (pts <= t->last_pts) {
    ev->kind = pts == t->last_pts ? AVM_TIMING_DUPLICATE :
        AVM_TIMING_BACKWARDS;
    ev->start = ev->end = pts;
    ev->value_ms = (double) (t->last_pts - pts) / 1e6;
    t->last_pts = pts;
    t->since_last = 0;
    return ev->kind;
  }

  if (t->since_last == 0) {
    t->steps[t->pos] = pts - t->last_pts;
    t->pos = (t->pos + 1) % AVM_TIMING_HISTORY;
    if (t->nsteps < AVM_TIMING_HISTORY)
      t->nsteps++;
  }
  d = avm_frame_timing_duration (t);
  expected = t->last_pts + (t->since_last + 1) * d;
  if (d > 0 && pts > expected &&
      (double) (pts - expected) > (t->gap_factor - 1.0) * (double) d) {
    ev->kind = AVM_TIMING_GAP;
    ev->start = expected;
    ev->end = pts;
    ev->value_ms = (double) (pts - expected) / 1e6;
    ev->threshold_ms = t->gap_factor * (double) d / 1e6;
    ev->missing_frames = (pts - expected + d / 2) / d;
  }
  t->last_pts = pts;
  t->since_last = 0;
  return ev->kind;
}
