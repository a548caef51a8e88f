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
/* All video detectors behind one call per frame: what avqualitydetect
 * (video) calls.  Reads the luma plane once (luma.h), then runs black /
 * uniform (black.h), freeze (freeze.h), block corruption (blocks.h) and
 * frame timing (frametiming.h) on the thumbnail and the timestamps.
 *
 * Memory: allocated in avm_video_analysis_init() only, about 0.5 MB at
 * 1080p (avm_video_analysis_memory()), constant over time.  Not thread
 * safe: one instance per stream, called from its streaming thread. */

#ifndef __AVM_VIDEOANALYSIS_H__
#define __AVM_VIDEOANALYSIS_H__

#include "videotypes.h"
#include "luma.h"
#include "black.h"
#include "freeze.h"
#include "blocks.h"
#include "frametiming.h"

typedef struct
{
  int width, height;            /* pixels, >= 16 x 16 */
  AvmLumaLayout layout;
  int full_range;               /* nonzero: full-range luma */
  uint64_t frame_duration;      /* ns from the framerate, 0 unknown */
} AvmVideoFormat;

typedef struct
{
  int freeze_enabled, black_enabled, uniform_enabled, blocks_enabled;
  int timing_enabled;
  double black_pixel_threshold; /* 0..1 of the range, default 0.10 */
  AvmFreezeConfig freeze;
  AvmBlackConfig black;
  AvmBlocksConfig blocks;
} AvmVideoConfig;

/* Everything one frame produced.  Span events of disabled detectors are
 * all zero. */
typedef struct
{
  AvmLumaStats luma;            /* luma mean, black share, blockiness */
  double motion;                /* 0..1, mean abs thumbnail difference to
                                 * the previous frame */
  AvmBlackFrame black;
  AvmFreezeFrame freeze;
  AvmBlocksFrame blocks;
  AvmSpanEvent freeze_ev, black_ev, uniform_ev, blocks_ev;
  AvmTimingEvent timing;        /* frame-gap / discontinuity */
} AvmVideoResult;

typedef struct
{
  AvmVideoFormat fmt;
  AvmVideoConfig cfg;
  AvmLuma luma;
  AvmBlackDetector black;
  AvmFreezeDetector freeze;
  AvmBlocksDetector blocks;
  AvmFrameTiming timing;
  uint8_t *thumb[2];
  int cur;
  int have_prev;
  uint64_t last_pts, last_dur;
  uint64_t frames;
} AvmVideoAnalysis;

/* Defaults: every detector enabled, thresholds as documented per module. */
void avm_video_config_default (AvmVideoConfig * cfg);

/* Returns 0, or -1 on unsupported size / layout or no memory (then
 * nothing needs clearing).  @fmt and @cfg are copied. */
int avm_video_analysis_init (AvmVideoAnalysis * a, const AvmVideoFormat * fmt,
    const AvmVideoConfig * cfg);

/* Thresholds, durations and enables, between frames (PLAYING-safe).
 * black_pixel_threshold changes take effect at the next init. */
void avm_video_analysis_set_config (AvmVideoAnalysis * a,
    const AvmVideoConfig * cfg);

/* One frame.  @luma: the mapped luma (must match the format); @chroma:
 * optional, for uniform colour; @pts, @dur in ns or AVM_TIME_NONE (a
 * missing PTS is extrapolated for the span detectors, and not judged by
 * frame timing); @decoder_corrupted: GST_BUFFER_FLAG_CORRUPTED.  Returns 0,
 * or -1 when @luma does not match (nothing read, nothing changed). */
int avm_video_analysis_process (AvmVideoAnalysis * a,
    const AvmLumaPlane * luma, const AvmChromaPlanes * chroma, uint64_t pts,
    uint64_t dur, int decoder_corrupted, AvmVideoResult * r);

/* EOS / flush / stop: ends every open span at @end (ns; AVM_TIME_NONE:
 * the end of the last frame) and forgets the history.  Only the *_ev
 * fields of @r are filled. */
void avm_video_analysis_finish (AvmVideoAnalysis * a, uint64_t end,
    AvmVideoResult * r);

/* Forgets history without ending spans (after finish, or on DISCONT). */
void avm_video_analysis_reset (AvmVideoAnalysis * a);

void avm_video_analysis_clear (AvmVideoAnalysis * a);

/* Bytes allocated for this stream. */
size_t avm_video_analysis_memory (const AvmVideoAnalysis * a);

#endif /* __AVM_VIDEOANALYSIS_H__ */
