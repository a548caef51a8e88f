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

/* Texture consistency of 16x16 macroblocks: the block-corruption test for
 * damage the thumbnails cannot see.
 *
 * A 4x4 mean smears fine detail to flat grey, so concealment that replaces
 * fine texture with a smooth fill (FFmpeg's spatial concealment, DC-only
 * macroblocks), or garbage coefficients that paint texture into a smooth
 * area, leave the thumbnails almost unchanged; on content whose every
 * frame changes (a zone plate with motion, water) the thumbnail test even
 * takes each frame for a cut.  The full-resolution texture of a block
 * (mean horizontal luma step on rows 1 and 2 of every 4, the rows the
 * luma pass reads; horizontal steps only, so a thin horizontal line
 * moving between the rows read is not taken for new texture) evolves
 * slowly in clean video: motion carries it over at most a block per frame
 * in any direction.  A block is *inconsistent* when its texture is K times
 * above the most textured, or K times below the least textured, of the
 * 3x3 blocks around it in the previous frame; and only when that ratio is
 * also twice what the blocks around it have shown recently (a slow
 * maximum): a starved encoder that codes noise as texture in one frame
 * and as flat blocks in the next does so over and over, damage does not.
 * The picture's outer ring of blocks is not judged (picture entering
 * under a pan has no past); a frame where more than a tenth of the
 * blocks are inconsistent is a cut, a flash or a fade step, not damage.
 * Key frames of a starved encoder: where the texture of more than 2 % of
 * the blocks doubles at once (the encoder codes again the detail its P
 * frames smoothed away), texture that appears is no evidence; where it
 * halves in as many in the frame after such a refresh (a P frame
 * smoothing it again), texture that goes away is none;
 * both teach the history each block's own swing.  Texture that appears
 * also needs the caller to see the block's coarse content change
 * (avm_texture_process()).
 *
 * Memory: about 21 bytes per macroblock (170 kB at 1080p). */

#ifndef __AVM_TEXTURE_H__
#define __AVM_TEXTURE_H__

#include "videotypes.h"
#include "luma.h"

typedef struct
{
  int blocks;                   /* inconsistent blocks (0 on a cut) */
  int up;                       /* of them, with more texture than
                                 * before */
  double worst;                 /* the largest ratio among them */
  AvmRect bbox;                 /* frame pixels, 0 size when none */
  int cut;                      /* too many blocks changed: skipped */
  int refresh;                  /* the texture of more than 2 % of the
                                 * blocks doubled (a key frame of a
                                 * starved encoder): texture that appears
                                 * is not judged */
} AvmTextureFrame;

typedef struct
{
  double ratio;                 /* K, 0 = off */
  int width, height, bw, bh, nblocks;
  uint16_t *map[2];             /* texture per block: this, previous */
  int cur;
  int have_prev;
  float *hist;                  /* slow maximum of each block's ratio */
  int16_t *lo;                  /* the previous map's least and most
                                 * over each 3x3 neighbourhood, and two
                                 * maps of scratch */
  float *now;                   /* this frame's ratio per block, negative
                                 * when the texture went down */
  uint8_t *row;                 /* one 8-bit row for layouts other than
                                 * Y8 */
  uint8_t *flag;                /* per block: this frame's ratio is over
                                 * K */
  uint64_t frames;              /* compared since reset */
  int filled;                   /* the caller filled the next map
                                 * (avm_texture_map_filled()) */
  int last_refresh;             /* the previous frame was a refresh */
} AvmTextureDetector;

/* State for @width x @height frames (>= 16 x 16).  @ratio: K above (3 is
 * the measured setting; 0 turns the test off).  Returns 0 or -1. */
int avm_texture_init (AvmTextureDetector * d, int width, int height,
    double ratio);
void avm_texture_set_ratio (AvmTextureDetector * d, double ratio);
/* Forgets the past (flush, caps change, cut of the caller's). */
void avm_texture_reset (AvmTextureDetector * d);
void avm_texture_clear (AvmTextureDetector * d);
size_t avm_texture_memory (const AvmTextureDetector * d);

/* Texture of every macroblock of @plane into @map (bw * bh values, the
 * sum of 128 absolute steps on the 8-bit scale); @row: width + 1 bytes
 * of scratch for layouts other than Y8.  Exposed for tests. */
void avm_texture_map (const AvmLumaPlane * plane, int bw, int bh,
    uint16_t * map, uint8_t * row);

/* For a caller whose own pass over the plane computes the map (the luma
 * pass, avm_luma_process_texture()): where the map of the frame the next
 * avm_texture_process() judges goes (NULL when the test is off), and,
 * once the caller has filled it, avm_texture_map_filled(): that call then
 * takes it as it is instead of reading the plane again. */
uint16_t *avm_texture_next_map (AvmTextureDetector * d);
void avm_texture_map_filled (AvmTextureDetector * d);

/* One frame.  @skip: the caller knows the frame is a cut (no block is
 * judged and the history is not taught by it).  @up_support: NULL, or
 * per block nonzero where the caller sees the block's coarse content
 * change (a residual the motion does not explain): texture that appears
 * only counts there.  At a key frame a starved encoder codes again the
 * detail its P frames smoothed away, block by block, without changing
 * the picture's coarse content; garbage painted by a decoder changes
 * both.  Texture that goes away counts anywhere (a smooth concealment of
 * fine detail keeps its mean).  Fills @out. */
void avm_texture_process (AvmTextureDetector * d, const AvmLumaPlane * plane,
    int skip, const uint8_t * up_support, AvmTextureFrame * out);

#endif /* __AVM_TEXTURE_H__ */
