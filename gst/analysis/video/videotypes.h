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

/* Types shared by the video detectors of gst/analysis/video.
 *
 * Times are plain uint64_t nanoseconds; AVM_TIME_NONE (all ones, the same
 * bit pattern as GST_CLOCK_TIME_NONE) means unknown.  Detectors never see
 * GStreamer types: the element converts GstClockTime and GstVideoFrame. */

#ifndef __AVM_VIDEO_TYPES_H__
#define __AVM_VIDEO_TYPES_H__

#include <stdint.h>
#include <stddef.h>

#define AVM_TIME_NONE ((uint64_t) -1)
#define AVM_SECOND ((uint64_t) 1000000000)

/* A rectangle in pixels of the full frame. */
typedef struct
{
  int x, y, width, height;
} AvmRect;

/* What a span detector says about the frame it was just given.
 *
 * On one frame a detector may end the span that was open (@ended) and, for
 * detectors whose spans are complete the moment they are seen (frame gaps),
 * also report a span start (@started) with its end (@complete).  Start and
 * end times follow DESIGN.md: a span starts at its first affected frame and
 * ends at the first unaffected one (freeze: starts at the last frame that
 * moved).  @start is valid when @started or @ended is set, @end when @ended
 * or @complete is set.  @value is the worst measure seen in the span so
 * far, in the detector's unit. */
typedef struct
{
  int started;                  /* span certain now: post the start */
  int ended;                    /* open span ended: post the end */
  int complete;                 /* @started span is already over (gaps) */
  uint64_t start;               /* ns, PTS of the span start */
  uint64_t end;                 /* ns, PTS of the span end */
  double value;                 /* worst measure in the span */
  double confidence;            /* 0..1 */
} AvmSpanEvent;

#endif /* __AVM_VIDEO_TYPES_H__ */
