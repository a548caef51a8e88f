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
/* The grid test (gridstep.h) on every macroblock of every frame, judged
 * against the stream's own level: block corruption that the temporal
 * tests of blocks.h cannot see.
 *
 * A decoder carries damage by prediction until its next refresh: once in
 * the picture, a torn edge or a misplaced block moves with the content
 * and matches the previous frame, so the temporal tests pass it; but its
 * borders still step on the macroblock grid where the content does not.
 * Per frame, every macroblock gets the grid test; a block that passes is
 * *new* when two of its stepping borders did not step in the last
 * AVM_GRID_SCAN_MEMORY frames: static content that lies on the grid (a
 * graphic's corner) passes in the same blocks frame after frame and
 * counts once, and a graphic's edge on the grid, over moving content
 * whose own edges land on the grid now and then, makes blocks pass with
 * one new border only.  The frame is
 * damaged when its new blocks number >= AVM_GRID_SCAN_MIN_BLOCKS and >=
 * 3 x the stream's mean (over ~10 s) + AVM_GRID_SCAN_MIN_BLOCKS: test
 * cards whose bars lie on the grid pass a few blocks in every frame of a
 * clean encode, damage many more.  Not judged for 25 frames after a
 * reset, while the stream's level is learnt, nor for
 * AVM_GRID_SCAN_CUT_SETTLE frames after a cut, while the history fills
 * with the new scene (judged then against the old scene's level, which
 * learns the new one's over ~1 s).
 *
 * It sums the steps across every line of the 16 px grid once a frame
 * (avm_grid_lines_measure(), the whole plane read) and measures in full
 * only the macroblocks those sums cannot rule out (avm_grid_lines_mask()):
 * about 0.16 ms a 1080p frame of textured motion, 0.1-0.37 ms a 1280x720
 * frame of real encodes (in cache / read from memory), on 8-bit planes
 * read in place; packed and 10-bit layouts, read a sample at a time, cost
 * 2-3x more, v210 more (docs/bench.md).  Hence off by default above
 * 1280x720 (blocks.h scan_max_pixels). */

#ifndef __AVM_GRIDSCAN_H__
#define __AVM_GRIDSCAN_H__

#include "videotypes.h"
#include "luma.h"
#include "gridstep.h"

#define AVM_GRID_SCAN_MEMORY 2
#define AVM_GRID_SCAN_MIN_BLOCKS 4
#define AVM_GRID_SCAN_LEVEL_RATIO 3.0
#define AVM_GRID_SCAN_CUT_SETTLE 3

/* the history holds 4 bits a frame under the flag of the blocks counted
 * in the last frame (bit 15) */
#if AVM_GRID_SCAN_MEMORY > 3
#error "AVM_GRID_SCAN_MEMORY: at most 3 frames fit the history"
#endif

typedef struct
{
  int blocks;                   /* new blocks passing the grid test */
  int damaged;                  /* over the stream's level: damage */
  double level;                 /* the stream's mean of new blocks before
                                 * this frame: what it was judged
                                 * against */
  AvmRect bbox;                 /* of the new blocks, frame pixels */
} AvmGridScanFrame;

typedef struct
{
  int bw, bh, width, height;
  double ratio;
  uint16_t *seen;               /* per block: the stepping borders of
                                 * the last frames, 4 bits a frame, and
                                 * bit 15 when it counted in the last */
  double level;
  uint64_t frames;              /* learnt since reset; at most 25 after
                                 * a cut, so the new scene's level is
                                 * learnt at the start-up rate */
  unsigned unjudged;            /* frames still to learn before judging */
  AvmGridLines lines;           /* this frame's grid lines */
} AvmGridScan;

/* For @width x @height frames; @ratio: the grid test's (blocks.h
 * grid_ratio, > 0).  Returns 0 or -1. */
int avm_grid_scan_init (AvmGridScan * s, int width, int height, double ratio);
void avm_grid_scan_set_ratio (AvmGridScan * s, double ratio);
void avm_grid_scan_reset (AvmGridScan * s);
void avm_grid_scan_clear (AvmGridScan * s);
/* Bytes allocated by init: the history and the grid lines. */
size_t avm_grid_scan_memory (const AvmGridScan * s);

/* One frame.  @cut: the frame is a scene cut (not judged, nor are the
 * next AVM_GRID_SCAN_CUT_SETTLE; the level learns the new scene's).
 * @plane must be width x height. */
void avm_grid_scan_process (AvmGridScan * s, const AvmLumaPlane * plane,
    int cut, AvmGridScanFrame * out);

/* Block (@bx, @by) counted in the last frame processed. */
static inline int
avm_grid_scan_counted (const AvmGridScan * s, int bx, int by)
{
  return s->seen && bx >= 0 && by >= 0 && bx < s->bw && by < s->bh &&
      (s->seen[by * s->bw + bx] >> 15);
}

#endif /* __AVM_GRIDSCAN_H__ */
