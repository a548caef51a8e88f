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
/* Video frame timing: missing frames (frame-gap) and duplicated or
 * backwards timestamps (discontinuity), from PTS alone, in ns.
 *
 * Frame duration D: the nominal one from the framerate when the caller
 * gives it, else the buffer's duration, else the smallest positive PTS
 * step of the last 16 frames.  A frame whose PTS lies more than 0.5 D
 * after where it was expected (last stamped PTS + D per frame since, i.e.
 * a step of more than 1.5 D between consecutive frames) closes a gap span
 * covering the missing interval: from the expected PTS to this frame's.
 * A PTS equal to (duplicated) or before (backwards) the previous one is a
 * zero-duration span at this frame's PTS.  Frames without PTS are counted
 * but not judged. */

#ifndef __AVM_FRAMETIMING_H__
#define __AVM_FRAMETIMING_H__

#include "videotypes.h"

typedef enum
{
  AVM_TIMING_OK = 0,
  AVM_TIMING_GAP,               /* kind frame-gap */
  AVM_TIMING_DUPLICATE,         /* kind discontinuity */
  AVM_TIMING_BACKWARDS          /* kind discontinuity */
} AvmTimingKind;

typedef struct
{
  AvmTimingKind kind;
  uint64_t start, end;          /* ns; start == end for discontinuities */
  double value_ms;              /* gap length, or how far back (0 for a
                                 * duplicate) */
  double threshold_ms;          /* 1.5 D for gaps, 0 otherwise */
  uint64_t missing_frames;      /* gaps: about how many frames */
} AvmTimingEvent;

#define AVM_TIMING_HISTORY 16

typedef struct
{
  double gap_factor;            /* 1.5 */
  uint64_t nominal;             /* ns, 0 = unknown */
  uint64_t last_pts;
  uint64_t since_last;          /* frames since the last stamped one */
  uint64_t last_dur;
  uint64_t steps[AVM_TIMING_HISTORY];
  int nsteps, pos;
} AvmFrameTiming;

/* @frame_duration: ns per frame from the framerate, 0 when unknown or
 * variable.  Gap threshold 1.5 frame durations. */
void avm_frame_timing_init (AvmFrameTiming * t, uint64_t frame_duration);

/* Forget the last timestamp (flush, new segment, DISCONT). */
void avm_frame_timing_reset (AvmFrameTiming * t);

/* One frame: @pts and @dur in ns or AVM_TIME_NONE.  Returns the kind of
 * @ev (AVM_TIMING_OK: nothing to report). */
AvmTimingKind avm_frame_timing_process (AvmFrameTiming * t, uint64_t pts,
    uint64_t dur, AvmTimingEvent * ev);

/* The frame duration in use (ns), 0 while unknown. */
uint64_t avm_frame_timing_duration (const AvmFrameTiming * t);

#endif /* __AVM_FRAMETIMING_H__ */
