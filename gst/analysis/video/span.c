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
#include "span.h"

#include <string.h>

void
avm_span_tracker_reset (AvmSpanTracker * t)
{
  memset (t, 0, sizeof (*t));
}

static void
fill (const AvmSpanTracker * t, AvmSpanEvent * ev)
{
  ev->start = t->start;
  ev->value = t->worst;
  ev->confidence = t->nframes ? t->conf_sum / (double) t->nframes : 0.0;
}

void
avm_span_tracker_update (AvmSpanTracker * t, int affected, uint64_t pts,
    uint64_t dur, uint64_t min_duration, double value, int higher_is_worse,
    double confidence, AvmSpanEvent * ev)
{
  memset (ev, 0, sizeof (*ev));
  if (!affected) {
    if (t->open) {
      ev->ended = 1;
      fill (t, ev);
      ev->end = pts;
    }
    avm_span_tracker_reset (t);
    return;
  }
  if (!t->active) {
    t->active = 1;
    t->start = pts;
    t->worst = value;
    t->conf_sum = 0.0;
    t->nframes = 0;
  }
  if (higher_is_worse ? value > t->worst : value < t->worst)
    t->worst = value;
  t->conf_sum += confidence;
  t->nframes++;
  if (!t->open) {
    uint64_t end = dur == AVM_TIME_NONE ? pts : pts + dur;
    if (end >= t->start + min_duration && (end > t->start ||
            min_duration == 0)) {
      t->open = 1;
      ev->started = 1;
      fill (t, ev);
    }
  }
}

void
avm_span_tracker_finish (AvmSpanTracker * t, uint64_t end, AvmSpanEvent * ev)
{
  memset (ev, 0, sizeof (*ev));
  if (t->open) {
    ev->ended = 1;
    fill (t, ev);
    ev->end = end;
  }
  avm_span_tracker_reset (t);
}
