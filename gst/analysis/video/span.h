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
/* A minimum-duration span over per-frame verdicts: the part every
 * detector whose frames are simply "affected or not" shares (black,
 * uniform, block corruption).  The span starts at the first affected
 * frame, is reported once pts + frame duration - start >= min_duration
 * and ends at the first unaffected frame (DESIGN.md). */

#ifndef __AVM_SPAN_H__
#define __AVM_SPAN_H__

#include "videotypes.h"

typedef struct
{
  int active;                   /* affected frames are running */
  int open;                     /* start reported */
  uint64_t start;
  double worst;
  double conf_sum;
  uint64_t nframes;
} AvmSpanTracker;

void avm_span_tracker_reset (AvmSpanTracker * t);

/* Feeds one frame.  @affected: verdict; @pts, @dur in ns (@dur may be
 * AVM_TIME_NONE: then the span is reported from the next frame on);
 * @value: this frame's measure, kept as worst when @higher_is_worse
 * agrees; @confidence 0..1, averaged over the span.  Fills @ev. */
void avm_span_tracker_update (AvmSpanTracker * t, int affected,
    uint64_t pts, uint64_t dur, uint64_t min_duration, double value,
    int higher_is_worse, double confidence, AvmSpanEvent * ev);

/* Ends an open span at @end (EOS, flush) and resets. */
void avm_span_tracker_finish (AvmSpanTracker * t, uint64_t end,
    AvmSpanEvent * ev);

#endif /* __AVM_SPAN_H__ */
