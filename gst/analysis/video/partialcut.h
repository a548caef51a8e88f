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
/* What a cut leaves unchanged.
 *
 * A scene cut replaces the whole picture.  A decoder that loses most of a
 * frame (a broken key frame, a slice lost in a frame that everything
 * after it predicts from) changes so much of the picture that its median
 * residual looks like a cut too, yet part of the picture is still the one
 * before: the macroblocks decoded ahead of the error, or the rows the
 * decoder concealed by copying the last frame.  Among the blocks that can
 * tell (textured in the thumbnail, so a match means something, and not
 * standing still for the last AVM_CUT_STILL_FRAMES frames, so that
 * graphics that stay over a cut, a logo or a news channel's L-band, do
 * not count), the share that still matches the last frame is near 0 at a
 * cut, a flash or a key frame that re-codes starved content, and 0.2 to
 * 0.6 where damage changed most of the picture. */

#ifndef __AVM_PARTIAL_CUT_H__
#define __AVM_PARTIAL_CUT_H__

#include "videotypes.h"

#define AVM_CUT_STILL_FRAMES 50 /* ~2 s: a block that stood that long is
                                 * part of the layout, not of the scene */
#define AVM_CUT_TEXTURE 2       /* codes: mean step between neighbouring
                                 * thumbnail samples of a textured block */

typedef struct
{
  int blocks;                   /* textured moving blocks judged */
  int kept;                     /* of those, matching the last frame */
  double best_row;              /* the highest share kept in one block row
                                 * (rows with a quarter of their blocks
                                 * judged) */
  AvmRect bbox;                 /* the changed blocks', frame pixels */
} AvmPartialCut;

/* @t: this frame's thumbnail (@tw samples a row, @bw x @bh blocks of 4x4
 * samples); @res: each block's residual (SAD of its 16 samples against
 * the last frame); @still: each block's frames standing still (see
 * avm_partial_cut_age()); @lim: the residual up to which a block is
 * kept.  Fills @out. */
void avm_partial_cut_measure (const uint8_t * t, int tw, const uint16_t * res,
    const uint8_t * still, int bw, int bh, unsigned lim, AvmPartialCut * out);

/* One frame of each block's standing still: @res up to @lim at zero
 * motion (@vx, @vy the block's vector) counts one more frame
 * (saturating), anything else starts again; on every frame, cuts
 * included (what stays through a cut is layout all the more). */
void avm_partial_cut_age (uint8_t * still, const uint16_t * res,
    const int8_t * vx, const int8_t * vy, int n, unsigned lim);

#endif /* __AVM_PARTIAL_CUT_H__ */
