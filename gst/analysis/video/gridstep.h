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
/* Steps of the full-resolution luma at the borders of one 16x16
 * macroblock.
 *
 * Bitstream damage is decoded macroblock by macroblock: a lost or
 * misplaced macroblock differs from its neighbours along its borders, on
 * the 16 px grid, while an edge of the picture's own content lies on that
 * grid only by chance.  For a macroblock this measures, on the 8-bit scale:
 * - border: the mean absolute luma step across each of its borders that
 *   lies inside the picture (pixel pairs x0-1|x0, x0+15|x0+16 per row,
 *   y0-1|y0, y0+15|y0+16 per column), reported for the strongest border
 *   and as the mean of all;
 * - beside: the same steps one pixel inside and one pixel outside each
 *   border (a thin line lying on the border steps there too, an edge
 *   does not);
 * - inner: the mean step between neighbours inside the macroblock, away
 *   from every 4 px transform edge (its own texture).
 * Reads the plane in place, at most 18x18 pixels around the macroblock; the
 * thumbnails cannot show this: a 4x4 mean smears a one-pixel step. */

#ifndef __AVM_GRIDSTEP_H__
#define __AVM_GRIDSTEP_H__

#include "luma.h"

typedef struct
{
  double border;                /* mean step across all inner borders */
  double border_max;            /* the strongest border's mean step */
  double beside;                /* mean step beside the borders */
  double inner;                 /* mean step inside, off the 4 px grid */
  int borders;                  /* borders inside the picture, 0..4 */
  /* per border (left, right, top, bottom), 0 when outside the picture */
  double step[4];               /* mean step across it */
  double step_beside[4];        /* mean step beside it */
  /* the grid's own level around the block, per direction: the stronger
   * mean step across the far borders of its left and right neighbours
   * (x0-16, x0+32; [0], for the vertical borders) and of its top and
   * bottom ones (y0-16, y0+32; [1]).  Content coded with visible blocking
   * steps at every border, damage only at its own.  -1 when neither lies
   * inside the picture. */
  double neighbour_step[2];
} AvmGridStep;

/* Measures macroblock (@mbx, @mby) of @plane (any layout of luma.h, 10-bit
 * scaled to 8).  Returns 0, or -1 when the macroblock does not lie wholly
 * inside the plane (nothing read). */
int avm_grid_step (const AvmLumaPlane * plane, int mbx, int mby,
    AvmGridStep * out);

/* How many borders of a measured macroblock step by >= @ratio x what its
 * content explains there (the steps beside that border and inside the
 * block) and x the grid steps of its neighbours in the same direction.
 * The grid test wants two or more: a foreign block differs from its
 * surroundings on more than one side; the edge of a moving object or
 * graphic lands on the grid now and then, but on one side of a block at a
 * time; coarsely coded content steps at every border. */
int avm_grid_step_borders_over (const AvmGridStep * g, double ratio);
/* The same borders as a mask: bit b for border b of AvmGridStep.step. */
unsigned avm_grid_step_borders_mask (const AvmGridStep * g, double ratio);

/* The steps across every line of the 16 px grid, measured once a frame
 * for a scan of every macroblock (gridscan.h): each border is shared by
 * two macroblocks, and its neighbours' far borders by two more, so a scan
 * measuring each macroblock on its own reads every grid line four times;
 * from these sums alone most macroblocks of textured content are ruled
 * out (a border passes only when it steps by the ratio over its
 * neighbours' far borders too), and only the rest are measured in full. */
typedef struct
{
  int width, height, bw, bh;
  /* per block row, AVM_GRID_LINE_STRIDE (bw) entries: the sum over its
   * 16 rows of |p(x) - p(x - 1)| at x = 16 k, k = 0 .. bw + 1; 0 for a
   * line avm_grid_step() does not count as inside */
  uint16_t *v;
  /* per grid row k = 0 .. bh + 1, bw entries: the sum over the 16
   * columns of each block column of |p(y) - p(y - 1)| at y = 16 k; 0 as
   * for v */
  uint16_t *h;
} AvmGridLines;

#define AVM_GRID_LINE_STRIDE(bw) ((bw) + 2)

/* For @width x @height planes (>= 16 x 16).  Returns 0 or -1. */
int avm_grid_lines_init (AvmGridLines * l, int width, int height);
void avm_grid_lines_clear (AvmGridLines * l);
/* Bytes allocated by init. */
size_t avm_grid_lines_memory (const AvmGridLines * l);
/* Measures every grid line of @plane (its size must be the one of
 * init; returns -1 and measures nothing otherwise). */
int avm_grid_lines_measure (AvmGridLines * l, const AvmLumaPlane * plane);
/* avm_grid_step_borders_mask() of macroblock (@mbx, @mby) of the plane
 * @l last measured, exactly, measured in full only where the sums cannot
 * rule it out.  0 when the macroblock is not wholly inside. */
unsigned avm_grid_lines_mask (const AvmGridLines * l,
    const AvmLumaPlane * plane, int mbx, int mby, double ratio);

#endif /* __AVM_GRIDSTEP_H__ */
