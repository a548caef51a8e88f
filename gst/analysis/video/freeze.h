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
/* Whole-picture and partial freeze, on luma thumbnails (luma.h).
 *
 * Measure: mean absolute difference of 8-bit thumbnail samples, divided by
 * 255 (0..1), computed per cell of 16x16 thumbnail samples (64x64 frame
 * pixels) against the previous frame and against the freeze's reference
 * frame (the last frame that moved).  A frame continues a freeze when,
 * over the cells that have not moved since the reference:
 * - the difference to the previous frame is <= threshold, except for
 *   isolated refresh spikes (bursts of at most 3 frames within 4, at
 *   least 8 still frames apart, the first frame of a freeze counting as
 *   one: the I-frames of an encoder repeating a stalled picture, touched
 *   up once more a frame or two later),
 * - the difference to the reference stays <= drift_threshold (a slow fade
 *   moves away from the reference even when consecutive frames look equal).
 * Cells whose difference to the previous frame or to the reference exceeds
 * cell_threshold are "moving"; while they cover <= partial_max_ratio of the
 * picture the freeze is partial (a live clock over a frozen programme),
 * above it the picture is moving.  Live sensor noise makes every frame
 * differ from the previous one by more than threshold: not a freeze.
 *
 * Span: starts at the PTS of the reference frame, ends at the PTS of the
 * first frame that differs (the first frame of the spike burst when the
 * burst turned out not to be isolated); started once
 * pts + frame duration - start >= duration. */

#ifndef __AVM_FREEZE_H__
#define __AVM_FREEZE_H__

#include "videotypes.h"

typedef struct
{
  double threshold;             /* default 0.0015: frame-to-frame mean abs
                                 * difference, 0..1 of 8-bit thumbnail codes */
  double drift_threshold;       /* default 0.01: difference to the
                                 * reference frame */
  double cell_threshold;        /* default 0.02: a cell moved */
  double partial_max_ratio;     /* default 0.25: moving share of the picture
                                 * still called a (partial) freeze; 0 turns
                                 * partial freezes off */
  uint64_t duration;            /* default 2 s, in ns */
} AvmFreezeConfig;

/* Per-frame results, for stats and the element. */
typedef struct
{
  double motion;                /* mean abs difference to the previous
                                 * frame over the whole picture, 0..1
                                 * (0 on the first frame) */
  double static_diff;           /* the same over the static cells */
  int in_freeze;                /* a reported freeze is open */
} AvmFreezeFrame;

/* Where a (partial) freeze moves; valid while a freeze is open. */
typedef struct
{
  int partial;                  /* part of the picture still moves */
  double moving_ratio;          /* share of the picture's area, 0..1 */
  AvmRect region;               /* moving region, frame pixels; 0 size if
                                 * !partial */
} AvmFreezeRegion;

typedef struct
{
  AvmFreezeConfig cfg;
  int width, height, tw, th;
  int cw, ch, ncells;
  uint8_t *ref;                 /* reference thumbnail (tw * th) */
  uint32_t *dp, *da;            /* per-cell sums */
  uint32_t *cell_px;            /* thumbnail samples per cell */
  uint8_t *moving;              /* per-cell sticky moving flags */
  uint64_t moving_px;
  int have_ref;                 /* ref holds the reference */
  int ref_is_prev;              /* the reference is the previous frame,
                                 * not yet copied */
  int have_prev;
  uint64_t ref_pts;
  uint64_t last_pts, last_dur;
  int burst_len, burst_age, still_count;
  uint64_t burst_pts;
  int open;                     /* start reported */
  double worst;
  double max_still_diff;
} AvmFreezeDetector;

/* Fills @cfg with the defaults above. */
void avm_freeze_config_default (AvmFreezeConfig * cfg);

/* Allocates state for frames of @width x @height (the thumbnail is
 * (width / 4) x (height / 4)).  About 1.1 bytes per thumbnail sample.
 * @cfg is copied.  Returns 0, or -1 on bad arguments / no memory. */
int avm_freeze_init (AvmFreezeDetector * d, int width, int height,
    const AvmFreezeConfig * cfg);

/* Changes thresholds and duration between frames (safe in PLAYING). */
void avm_freeze_set_config (AvmFreezeDetector * d,
    const AvmFreezeConfig * cfg);

/* Forgets the history (flush, discontinuity) without reporting; the caller
 * ends an open span itself first with avm_freeze_finish(). */
void avm_freeze_reset (AvmFreezeDetector * d);

void avm_freeze_clear (AvmFreezeDetector * d);

/* One frame.  @thumb: this frame's thumbnail; @prev: the previous frame's
 * (NULL on the first frame or after a reset); both tw * th, owned by the
 * caller and only read.  @pts and @dur in ns (AVM_TIME_NONE: extrapolated
 * from the previous frame).  @suppress: nonzero when this frame is black or
 * uniform, so that such pictures are never also reported as a freeze (an
 * open freeze ends at this frame).  Fills @ev (span start/end) and, when
 * not NULL, @out. */
void avm_freeze_process (AvmFreezeDetector * d, const uint8_t * thumb,
    const uint8_t * prev, uint64_t pts, uint64_t dur, int suppress,
    AvmSpanEvent * ev, AvmFreezeFrame * out);

/* Region of the open freeze (moving part).  Returns 0 if none is open. */
int avm_freeze_get_region (const AvmFreezeDetector * d, AvmFreezeRegion * r);

/* EOS / flush: ends an open span at @end (ns) and resets.  @ev->ended is
 * set when there was one. */
void avm_freeze_finish (AvmFreezeDetector * d, uint64_t end,
    AvmSpanEvent * ev);

#endif /* __AVM_FREEZE_H__ */
