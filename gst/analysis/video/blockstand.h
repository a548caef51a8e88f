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
/* Blocks that stand for one frame in steady motion: what a decoder leaves
 * where it conceals a lost slice by copying the last picture.
 *
 * A decoder that loses part of a frame fills the lost macroblocks from the
 * last picture at zero motion; the frames after it predict from that
 * picture correctly, so the region lags from then on, moving with the rest
 * and invisible to per-frame tests.  Only the frame of the loss shows it:
 * there the region stands (its difference to the last frame at zero
 * motion a fraction of what it was in the frames around it) while the
 * blocks around it go on moving.  On the kept real damage of
 * docs/accuracy.md (H.264 and MPEG-2 with lost packets) such stands come in
 * regions of tens to hundreds of blocks.
 *
 * A block *stands* in frame t when it is textured there (a flat block
 * matches anything), its zero-motion difference in t is below
 * AVM_STAND_RATIO x the smaller of those of t-1 and t+1, both above
 * AVM_STAND_MOTION, and its motion before t was steady: it moved in
 * AVM_STAND_STEADY_SHARE of the frames (a mean over about
 * AVM_STAND_STEADY frames) and stood in none of the last AVM_STAND_STEADY,
 * which the stream has had since a reset or a cut.  Content that moves at
 * a cadence (a crawl moving one sample every second frame, a zone plate
 * whose pattern comes back, an encoder that skips a block every few
 * frames) stands again and again and is never steady.  The frame t had a
 * stand when at least AVM_STAND_MIN_BLOCKS such blocks touch another one
 * (losses come in regions; a starved encoder skips a block here and
 * there) and they are under AVM_STAND_SHARE of the blocks that moved at
 * t-1 and t+1 (a whole picture repeated is repeat.h's business).  On the
 * kept set, 10 blocks gave one false alarm in a clean zone plate at 300
 * kbit/s and 16 found the runs that 12 did; a ratio of 0.1 or 0.15 the
 * same runs, 0.25 four clean clips with a span.  The verdict needs t+1, so it
 * comes one frame late. */

#ifndef __AVM_BLOCK_STAND_H__
#define __AVM_BLOCK_STAND_H__

#include "videotypes.h"

#define AVM_STAND_RATIO 0.1
#define AVM_STAND_MOTION 2.0    /* codes per thumbnail sample */
#define AVM_STAND_STEADY 50     /* frames, about 2 s */
#define AVM_STAND_STEADY_SHARE 0.85
#define AVM_STAND_TEXTURE 3.0   /* standard deviation of the block's 16
                                 * thumbnail samples, codes */
#define AVM_STAND_MIN_BLOCKS 16
#define AVM_STAND_SHARE 0.6

typedef struct
{
  int bw, bh;
  uint8_t *diff;                /* per block, zero-motion SAD / 4 (mean
                                 * difference x 4, saturated) of t vs t-1 */
  uint8_t *diff_before;         /* and of t-1 vs t-2 */
  uint8_t *motion;              /* share of frames it moved, up to t-1
                                 * (a mean, 255 = all) */
  uint8_t *since_dip;           /* frames since it last stood, up to t */
  uint8_t *stand;               /* scratch: the blocks standing in t */
  int frames;                   /* frames seen since reset, up to
                                 * AVM_STAND_STEADY + 1 */
} AvmBlockStand;

typedef struct
{
  int blocks;                   /* standing blocks that touch another */
  int moving;                   /* blocks that moved at t-1 and t+1 */
  AvmRect bbox;                 /* of the former, frame pixels (a block
                                 * is 16 x 16) */
} AvmBlockStandFrame;

/* @bw x @bh blocks of 4x4 thumbnail samples.  Returns 0 or -1. */
int avm_block_stand_init (AvmBlockStand * s, int bw, int bh);
void avm_block_stand_clear (AvmBlockStand * s);
/* Forgets all history (flush, a cut). */
void avm_block_stand_reset (AvmBlockStand * s);

/* One frame, t+1: @sad its per-block zero-motion SAD of 16 thumbnail
 * samples against the last frame; @last the last frame's (t's) thumbnail,
 * @tw samples a row.  Returns 1 when frame t had a stand (@out filled
 * either way). */
int avm_block_stand_process (AvmBlockStand * s, const uint16_t * sad,
    const uint8_t * last, int tw, AvmBlockStandFrame * out);

#endif /* __AVM_BLOCK_STAND_H__ */
