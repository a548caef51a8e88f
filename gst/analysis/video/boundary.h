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
/* Where a change ends: on the macroblock grid, or not.
 *
 * A decoder that loses part of a slice paints garbage, or a stale or
 * misplaced picture, over whole macroblocks: the frame difference is
 * large up to the macroblock's border and small beyond it.  Content that
 * changes (a caption, an object, a graphic popping in) ends where its own
 * outline does, at any offset to the grid.  Each border between a changed
 * block (the caller's @changed, 16x16 pixels = 4x4 thumbnail samples) and
 * an unchanged neighbour is *aligned* when the difference in the changed
 * block's outermost thumbnail row (or column) along it is at least half
 * the block's mean difference and at least AVM_BOUNDARY_STEP x (the
 * difference in the neighbour's row beside it + 1 code).  A straight
 * outline parallel to the grid is aligned when it lies within about 2 px
 * of a border (thumbnail rows are 4 px), about 1 time in 4 at a random
 * offset, a curved one seldom, a region's whole boundary more seldom
 * still; garbage over a band of macroblocks is aligned on most of its
 * borders (60 to 100 % of them, on the frames of real H.264 and MPEG-2
 * damage where it changes at least 4 blocks).  Differences are at zero
 * motion: under a pan the neighbours change too and nothing is
 * aligned. */

#ifndef __AVM_BOUNDARY_H__
#define __AVM_BOUNDARY_H__

#include "videotypes.h"

#define AVM_BOUNDARY_STEP 3

typedef struct
{
  int blocks;                   /* changed blocks */
  int borders;                  /* their borders with unchanged blocks */
  int aligned;                  /* of those, aligned */
  AvmRect bbox;                 /* the changed blocks', frame pixels */
} AvmBoundaryFrame;

/* @t, @p: this and the previous thumbnail (@tw x @th samples); @changed:
 * one flag per block, @bw x @bh blocks of 4x4 samples.  Fills @out. */
void avm_boundary_measure (const uint8_t * t, const uint8_t * p, int tw,
    int th, const uint8_t * changed, int bw, int bh, AvmBoundaryFrame * out);

#endif /* __AVM_BOUNDARY_H__ */
