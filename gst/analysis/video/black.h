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
/* Black and uniform pictures.
 *
 * Black: the share of pixels whose luma is <= the black pixel threshold
 * (AvmLumaStats.black_ratio, computed by luma.c: 10% of the range above
 * black by default) is >= threshold (default 0.98) for >= duration
 * (default 2 s): FFmpeg blackdetect's defaults.
 *
 * Uniform: a picture of one flat colour that is not black (blue or green
 * screen, an encoder's no-signal slate).  The share of thumbnail samples
 * (4x4-averaged luma) within +/- tolerance of the most populated luma level
 * is >= uniform_threshold (default 0.98), and, when chroma is given, the
 * same holds for Cb and Cr sampled on a grid.  A frame that is black is
 * never uniform.  Both spans start at the first affected frame and end at
 * the first unaffected one. */

#ifndef __AVM_BLACK_H__
#define __AVM_BLACK_H__

#include "videotypes.h"
#include "luma.h"
#include "span.h"

/* Optional chroma of the frame, for uniform-colour detection: two
 * components, each addressed as data[i] + y * stride[i] + x * pixel_stride
 * for chroma sample (x, y).  Interleaved layouts point both at one plane:
 * NV12 Cb = uv, Cr = uv + 1, pixel_stride 2 (NV21 swapped); YUY2 Cb = base
 * + 1, Cr = base + 3, pixel_stride 4; UYVY base + 0, base + 2; P010 uv,
 * uv + 2, pixel_stride 4.  Memory owned by the caller, read only during
 * the call; v210 chroma is not supported (pass NULL). */
typedef enum
{
  AVM_CHROMA_8BIT = 0,
  AVM_CHROMA_16LE_LOW10,        /* I420_10LE, I422_10LE */
  AVM_CHROMA_16LE_HIGH10        /* P010_10LE */
} AvmChromaSample;

typedef struct
{
  const uint8_t *data[2];
  size_t stride[2];
  int pixel_stride;             /* bytes */
  int width, height;            /* chroma samples */
  AvmChromaSample sample;
} AvmChromaPlanes;

typedef struct
{
  double threshold;             /* black share, default 0.98 */
  uint64_t duration;            /* ns, default 2 s */
  double uniform_threshold;     /* share at one level, default 0.98 */
  double uniform_tolerance;     /* +/- level, 0..1 of 8-bit codes,
                                 * default 0.03 (about 8 codes) */
  uint64_t uniform_duration;    /* ns, default 2 s */
} AvmBlackConfig;

typedef struct
{
  int black;                    /* this frame is black */
  int uniform;                  /* this frame is uniform (and not black) */
  double black_ratio;           /* 0..1 */
  double uniform_share;         /* 0..1; 0 when not computed (clearly
                                 * textured pictures skip the histogram) */
  double level;                 /* uniform luma level, 0..1 of codes */
  double cb, cr;                /* uniform chroma, 0..1 of codes; -1 when
                                 * no chroma given */
} AvmBlackFrame;

typedef struct
{
  AvmBlackConfig cfg;
  int tw, th;
  AvmSpanTracker black, uniform;
} AvmBlackDetector;

/* Fills @cfg with the defaults above. */
void avm_black_config_default (AvmBlackConfig * cfg);

/* No allocation: @d holds everything.  Returns 0, or -1 on bad size. */
int avm_black_init (AvmBlackDetector * d, int width, int height,
    const AvmBlackConfig * cfg);
void avm_black_set_config (AvmBlackDetector * d, const AvmBlackConfig * cfg);
void avm_black_reset (AvmBlackDetector * d);

/* Classifies one frame without touching span state (the freeze detector
 * needs the verdict first).  @thumb: tw * th thumbnail; @stats: from
 * avm_luma_process(); @chroma may be NULL. */
void avm_black_classify (const AvmBlackDetector * d, const uint8_t * thumb,
    const AvmLumaStats * stats, const AvmChromaPlanes * chroma,
    AvmBlackFrame * out);

/* Feeds a classified frame to the black and uniform spans. */
void avm_black_update (AvmBlackDetector * d, const AvmBlackFrame * f,
    uint64_t pts, uint64_t dur, AvmSpanEvent * black_ev,
    AvmSpanEvent * uniform_ev);

/* EOS / flush: ends open spans at @end. */
void avm_black_finish (AvmBlackDetector * d, uint64_t end,
    AvmSpanEvent * black_ev, AvmSpanEvent * uniform_ev);

#endif /* __AVM_BLACK_H__ */
