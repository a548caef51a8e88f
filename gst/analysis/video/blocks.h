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
/* Block corruption: what a broken bitstream leaves after decoding
 * (misplaced or smeared macroblocks, grey or green fills), told apart from
 * motion, cuts, sharp graphics and ordinary coding blockiness.
 *
 * Works on luma thumbnails (luma.h, one sample per 4x4 pixels), in blocks
 * of 4x4 thumbnail samples = one 16x16 macroblock.  Per frame:
 * 1. residual of every block against the previous thumbnail at zero motion
 *    and at the previous frame's global motion (one vectorised pass);
 *    when the frame's median residual is high, a global motion search on a
 *    half-resolution thumbnail first (a pan that just started);
 * 2. a frame whose median residual stays high is a scene cut: skipped, and
 *    an open span ends there; unless part of the last picture is still
 *    there (partialcut.h): then it is damage over most of the picture
 *    (a broken frame), and the cut-like frames right after it do not end
 *    its span;
 * 3. blocks whose residual is >= residual_ratio x the frame median get a
 *    motion search of their own: their neighbours' vectors, then a coarse
 *    full search on the half-resolution thumbnail reaching search_range
 *    frame pixels, refined +/- 1 thumbnail sample;
 * 4. a block is damaged when, after the search, its residual is still
 *    >= residual_ratio x max(frame median, median of its undamaged
 *    neighbours, floor) and >= min_residual, AND the frame difference
 *    (current - previous) steps at the block's 16 px boundary by
 *    >= edge_ratio x the difference's own variation inside the block.
 * 5. blocks that pass looser temporal tests (ratio 3, edge 0.7) are also
 *    damaged when the full-resolution picture steps at two of their
 *    borders far more than their content and their neighbours' borders
 *    explain (the grid test, gridstep.h), where the test's background
 *    pass rate, probed on blocks in turn, is low.
 * The frame is damaged when grid_min_blocks blocks passed the grid test,
 * or when the damaged area of the others exceeds twice the stream's own
 * recent level (a ~10 s mean) by >= area_threshold with at least
 * min_blocks blocks, one of them stepping on the grid at one border
 * where the grid test is usable (in mosaic-like pictures, where it is
 * not, only when they are local), or (with the scan, gridscan.h) when
 * more blocks pass the grid test among all than the stream's own level
 * explains, or when the frame ends a repeat (repeat.h: the picture, or
 * all of its moving part, stood for a few frames in steady motion; the
 * span then starts at its first frame), or when the frame before had a
 * stand (blockstand.h: a region of blocks that stood for one frame while
 * it and the blocks around it moved; the span starts there), or (with
 * the texture test,
 * texture.h) when 3 blocks' texture is inconsistent with the last frame's
 * around them, or when the caller says the decoder flagged the buffer
 * corrupted.  The span starts
 * at the first damaged frame and ends at the first frame hold (2 s)
 * after the last damaged one, or at a cut, whichever is first: a decoder
 * propagates damage by prediction until its next refresh (key frame), and
 * damage that moves with the picture is invisible to per-frame features
 * (on real H.264 damage every damaged run ended at a key frame, 2 or 4 s
 * GOPs, with most of its frames not flagged on their own). */

#ifndef __AVM_BLOCKS_H__
#define __AVM_BLOCKS_H__

#include "videotypes.h"
#include "luma.h"
#include "texture.h"
#include "gridscan.h"
#include "repeat.h"
#include "boundary.h"
#include "partialcut.h"
#include "blockstand.h"

/* the texture test's measured ratio (docs/defects.md, step 6): what it
 * runs at on pictures of at most texture_max_pixels */
#define AVM_BLOCKS_TEXTURE_RATIO 3.0

typedef struct
{
  double area_threshold;        /* damaged share of the picture, default
                                 * 0.01 */
  uint64_t duration;            /* ns, minimum span, default 0 (1 frame) */
  int min_blocks;               /* damaged 16x16 blocks a frame needs at
                                 * least, default 4: on small pictures 1%
                                 * is 2-3 blocks, within reach of sharp
                                 * fine detail moving by a fraction of a
                                 * thumbnail sample */
  uint64_t hold;                /* ns after the last damaged frame, default
                                 * 2 s (a common key frame interval) */
  double residual_ratio;        /* default 4.0 */
  double min_residual;          /* mean abs residual per thumbnail sample,
                                 * 8-bit codes, default 6 */
  double edge_ratio;            /* default 1.5 */
  double cut_residual;          /* frame median residual above which the
                                 * frame is a cut, default 12 codes */
  int search_range;             /* frame pixels, default 0 = 24 px at 720p
                                 * scaled with the width (36 at 1080p) */
  double grid_ratio;            /* full-resolution grid test (gridstep.h):
                                 * a border's step over (steps beside it +
                                 * inside the block + 1) and over the
                                 * neighbours' grid steps, needed on two
                                 * borders, default 6; 0 turns the test
                                 * off */
  int grid_min_blocks;          /* blocks confirmed by the grid test that
                                 * make a damaged frame, default 1 */
  double texture_ratio;         /* full-resolution texture test
                                 * (texture.h): a block's texture over or
                                 * under all of its neighbourhood's in the
                                 * previous frame by this factor, in 3
                                 * blocks at least, at every size;
                                 * default 0: then only on pictures of at
                                 * most texture_max_pixels, at
                                 * AVM_BLOCKS_TEXTURE_RATIO (it costs
                                 * 0.13-0.18 ms per 1080p frame, which
                                 * takes all detectors below 4000 fps) */
  int texture_max_pixels;       /* the texture test runs at the measured
                                 * ratio also with texture_ratio 0 on
                                 * pictures of at most this many pixels,
                                 * default 1280 x 720; 0 = only with
                                 * texture_ratio */
  int scan;                     /* the grid test on every macroblock of
                                 * every frame against the stream's own
                                 * level (gridscan.h): damage carried by
                                 * prediction, which the temporal tests
                                 * pass; uses grid_ratio (none when it
                                 * is 0); default 0 (off): about 0.16 ms
                                 * per 1080p 8-bit frame, all detectors
                                 * below 4000 fps */
  int scan_max_pixels;          /* the scan runs also with scan off on
                                 * pictures of at most this many pixels,
                                 * default 1280 x 720 (SD and 720p, where
                                 * MPEG-2, which has no deblocking,
                                 * leaves its damage on the grid, and a
                                 * frame costs under 0.4 ms); 0 = only
                                 * with scan */
  int repeat;                   /* a picture that stood for 1-12 frames
                                 * in steady motion, motion resuming,
                                 * makes a damaged span from its first
                                 * frame (repeat.h); default 1 */
  int stand;                    /* a region of blocks that stood for one
                                 * frame while it and the blocks around
                                 * it moved (blockstand.h: a lost slice
                                 * concealed from the last picture) makes
                                 * a damaged span from that frame;
                                 * default 1 */
  double boundary_share;        /* a region of >= min_blocks blocks
                                 * changed beyond what motion explains
                                 * (the residual test, edges aside) is
                                 * damaged when this share of its borders
                                 * is aligned with the macroblock grid
                                 * (boundary.h); 0 = off, the default:
                                 * at 0.6 it found 6 more of 100 kept
                                 * damaged runs, but gave 12 false
                                 * alarms in 30 min of clean encodes */
} AvmBlocksConfig;

typedef struct
{
  double area;                  /* damaged share of the picture, 0..1 */
  AvmRect bbox;                 /* frame pixels, 0 size when none */
  double confidence;            /* 0..1, 0 when nothing damaged */
  int cut;                      /* this frame is a scene cut (skipped) */
  double cut_kept;              /* a frame whose median residual is a
                                 * cut's: the share of its textured moving
                                 * blocks still matching the last frame
                                 * (partialcut.h); 0 otherwise */
  int broken;                   /* that frame is damage, not a cut: part
                                 * of the last picture is still there */
  int damaged_blocks;
  double median_residual;       /* codes per thumbnail sample */
  int searched_blocks;          /* blocks given a search of their own */
  int grid_blocks;              /* damaged blocks the grid test confirmed */
  int texture_blocks;           /* blocks the texture test found
                                 * inconsistent (counted when they make
                                 * the frame damaged) */
  int scan_blocks;              /* new blocks of the grid scan (counted
                                 * when they make the frame damaged) */
  int boundary_blocks;          /* blocks of a changed region that ends
                                 * on the grid (boundary.h), counted when
                                 * they make the frame damaged */
  int boundary_changed;         /* the boundary test's measure, when it
                                 * ran: changed blocks, their borders */
  int boundary_borders;         /* with unchanged blocks, and of those */
  int boundary_aligned;         /* the aligned ones (boundary.h) */
  int stand_blocks;             /* blocks of the last frame that stood
                                 * (blockstand.h), counted when they make
                                 * this frame damaged */
  int repeated;                 /* this frame ends a repeat (repeat.h)
                                 * that makes it damaged */
} AvmBlocksFrame;

typedef struct
{
  AvmBlocksConfig cfg;
  int width, height, tw, th;
  int bw, bh, nblocks;          /* 16x16 blocks */
  int hw, hh;                   /* half-resolution thumbnail */
  int range;                    /* in half-resolution samples */
  uint8_t *half[2];             /* current / previous half thumbnails */
  int cur_half;
  int have_prev;
  uint16_t *res;                /* residual (SAD of 16 samples) per block */
  uint16_t *tmp;                /* per-block SAD of one candidate */
  int8_t *vx, *vy;              /* per-block vectors, thumbnail samples */
  int8_t *pvx, *pvy;            /* the previous frame's */
  uint8_t *flag;
  /* the frame before the last damaged one, and that frame's damaged
   * blocks: damage that reverts to it was undone (a damaged frame that
   * no other frame refers to, damage drawn into a single frame) */
  uint8_t *prev2;
  uint8_t *undo;
  int have_undo;
  int undo_gx, undo_gy;         /* global vector of the damaged frame */
  int gx, gy;                   /* global vector */
  int warm;                     /* frames compared since reset or cut */
  /* the stream's own level of "foreign" blocks (area share, slow mean):
   * starved encodes of noisy content refresh random blocks in every
   * frame, which look like damage one frame at a time but not against
   * this baseline */
  double area_baseline;
  uint64_t baseline_frames;
  /* how often the grid test passes on blocks picked regardless of the
   * temporal tests (a slow mean of the pass rate): content whose every
   * border steps by chance (noise coded as a mosaic of flat blocks by a
   * starved encoder without deblocking) has no use for the test */
  double grid_background;
  double grid_floor;            /* the rate before a cut, or 0 */
  uint64_t grid_floor_until;    /* the floor's end, or NONE */
  uint64_t grid_probes;
  uint32_t probe_at, probe_step;
  /* span */
  int open;
  uint64_t start, last_flag, last_pts;
  uint64_t repair_pts;          /* damage seen to go away, or NONE */
  uint64_t last_end;            /* end of the last span reported, or NONE */
  double worst, conf_sum;
  uint64_t nflagged;
  uint64_t blocks_sum;          /* damaged blocks over its flagged frames */
  uint64_t blocks_frames;       /* its flagged frames with damaged blocks */
  int quiet_last;               /* the last frame had a few damaged blocks */
  AvmRect span_box;
  AvmTextureDetector tex;
  uint8_t *support;             /* per block: residual for the texture
                                 * test */
  uint8_t *changed;             /* per block: the boundary test's region */
  uint8_t *still;               /* per block: frames standing still
                                 * (partialcut.h) */
  double cut_rate;              /* share of frames near a cut's median */
  uint64_t cut_frames;          /* compared frames, for that share */
  int spreading;                /* the last frame was broken, or a
                                 * partial cut right after one */
  unsigned last_med;            /* the last compared frame's median
                                 * residual that was not a cut's, or 0 */
  AvmGridScan scan;
  AvmRepeat repeat;             /* repeats in the frame's mean difference */
  AvmRepeat repeat_moving;      /* and in its moving part's */
  AvmBlockStand stand;          /* one-frame stands of moving blocks */
} AvmBlocksDetector;

void avm_blocks_config_default (AvmBlocksConfig * cfg);

/* State for @width x @height frames (>= 16 x 16): about 2 bytes per
 * thumbnail sample (about 280 kB at 1080p).  Returns 0 or -1. */
int avm_blocks_init (AvmBlocksDetector * d, int width, int height,
    const AvmBlocksConfig * cfg);
void avm_blocks_set_config (AvmBlocksDetector * d, const AvmBlocksConfig * cfg);
/* Forgets the previous frame and ends nothing (flush, caps change after
 * avm_blocks_finish()). */
void avm_blocks_reset (AvmBlocksDetector * d);
void avm_blocks_clear (AvmBlocksDetector * d);

/* One frame.  @thumb / @prev: this and the previous frame's thumbnails
 * (tw * th, caller's memory; @prev NULL on the first frame).  @pts, @dur
 * in ns.  @decoder_corrupted: the buffer carries
 * GST_BUFFER_FLAG_CORRUPTED (counts as damaged over the whole picture).
 * Fills @ev (span) and @out (per-frame measure; may be NULL). */
void avm_blocks_process (AvmBlocksDetector * d, const uint8_t * thumb,
    const uint8_t * prev, const AvmLumaPlane * plane, uint64_t pts,
    uint64_t dur, int decoder_corrupted, AvmSpanEvent * ev,
    AvmBlocksFrame * out);

/* Bounding box of the damage seen in the open span (frame pixels). */
int avm_blocks_get_region (const AvmBlocksDetector * d, AvmRect * r);

/* EOS / flush: ends an open span at @end and resets. */
void avm_blocks_finish (AvmBlocksDetector * d, uint64_t end, AvmSpanEvent * ev);

#endif /* __AVM_BLOCKS_H__ */
