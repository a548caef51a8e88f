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

/* Luma plane access and the one pass over it.
 *
 * avm_luma_process() reads the luma samples of a frame exactly once, in
 * place, and produces what every video detector works from:
 * - a thumbnail: 8-bit, each sample the mean of a 4x4 block of the frame,
 *   from its rows 1 and 2 (half the memory traffic; one row of each field
 *   of interlaced content); 10-bit input is scaled to 8 bits;
 *   (width / 4) x (height / 4) samples,
 *   row-major without padding, aligned on the frame's 16 px macroblock grid
 *   (thumbnail column 4k is frame column 16k);
 * - black share, luma mean and a blockiness score (see AvmLumaStats).
 * The right and bottom remainders of sizes that are not multiples of 4
 * (at most 3 columns / rows) are not read; all statistics are over the
 * covered (width & ~3) x (height & ~3) area, on the rows read. */

#ifndef __AVM_LUMA_H__
#define __AVM_LUMA_H__

#include "videotypes.h"

/* How luma samples sit in memory.  The element maps GstVideoFormat to one
 * of these; formats not listed are refused before reaching us. */
typedef enum
{
  AVM_LUMA_Y8 = 0,      /* I420 YV12 NV12 NV21 NV16 Y42B Y444 GRAY8: Y plane,
                         * one byte per pixel */
  AVM_LUMA_YUY2,        /* packed 4:2:2, Y at byte 0 of each 2-byte pair */
  AVM_LUMA_UYVY,        /* packed 4:2:2, Y at byte 1 of each 2-byte pair */
  AVM_LUMA_Y10LE,       /* I420_10LE I422_10LE: 16-bit little endian,
                         * value in the low 10 bits */
  AVM_LUMA_P010LE,      /* P010_10LE: 16-bit little endian, value in the
                         * high 10 bits */
  AVM_LUMA_V210         /* v210: 6 pixels in 16 bytes (four 32-bit LE words
                         * of three 10-bit samples), as SDI cards deliver */
} AvmLumaLayout;

/* One frame's luma, as mapped by the caller (memory owned by the caller and
 * only read during the call).  @data points at row 0 of the Y plane (packed
 * formats: of the packed plane); @stride is in bytes and may be larger than
 * a row.  Samples beyond @width x @height are never read. */
typedef struct
{
  const uint8_t *data;
  size_t stride;
  int width;
  int height;
  AvmLumaLayout layout;
} AvmLumaPlane;

/* Per-frame statistics, all 0..1. */
typedef struct
{
  double mean;          /* mean luma code value / 2^bits (256 or 1024, so
                         * that 8- and 10-bit agree); not range-normalised */
  double black_ratio;   /* share of pixels <= the black pixel threshold */
  double blockiness;    /* (g8 - g) / (g8 + g) clamped at 0, g8 = mean
                         * horizontal luma step across the 8 px grid, g =
                         * elsewhere, on every 16th row: 0 none, 1 all
                         * steps on the grid.  Informative only: coding
                         * blockiness, not damage */
} AvmLumaStats;

/* Configuration-time state (about 4 bytes per frame column for 8-bit, 8
 * for 10-bit and packed layouts).  Fields are private. */
typedef struct
{
  int width, height;
  AvmLumaLayout layout;
  int tw, th;                   /* thumbnail size */
  unsigned black_code;          /* black if sample <= black_code */
  unsigned max_code;            /* 255 or 1023 */
  uint16_t *acc;                /* 10-bit: vertical 2-row sums, one per
                                 * column */
  uint16_t *blk;                /* black counts per column (8-bit
                                 * layouts: bytes, emptied every 127
                                 * strips) */
  void *rows;                   /* 4 unpacked rows for non-Y8 layouts */
} AvmLuma;

/* Prepares @l for frames of @width x @height (>= 4 x 4) in @layout.
 * @full_range: nonzero for full-range (0..255) luma, zero for limited
 * (16..235, 10-bit 64..940).  @black_pixel_threshold: 0..1 of the luma
 * range (default 0.10, as FFmpeg blackdetect's pixel_black_th): a pixel is
 * black when its code is <= black + threshold * range.  Returns 0, or -1
 * on bad arguments or allocation failure (then @l needs no clear). */
int avm_luma_init (AvmLuma * l, int width, int height, AvmLumaLayout layout,
    int full_range, double black_pixel_threshold);

/* Frees what avm_luma_init() allocated.  Safe on a zeroed struct. */
void avm_luma_clear (AvmLuma * l);

/* Thumbnail width and height of @l, in samples (width / 4, height / 4). */
void avm_luma_thumb_size (const AvmLuma * l, int *tw, int *th);

/* Bytes of the stride a @layout plane of @width pixels needs at least;
 * the caller checks its mapping against it (a buffer smaller than the caps
 * claim must be refused before avm_luma_process()). */
size_t avm_luma_min_stride (AvmLumaLayout layout, int width);

/* Reads @plane once and writes the thumbnail to @thumb (tw * th bytes, owned
 * by the caller) and @stats.  @plane must match the size and layout given
 * to avm_luma_init().  Returns 0, or -1 when it does not (nothing read). */
int avm_luma_process (AvmLuma * l, const AvmLumaPlane * plane,
    uint8_t * thumb, AvmLumaStats * stats);

/* As avm_luma_process(), and for planes read in place (AVM_LUMA_Y8) the
 * texture map of avm_texture_map() (texture.h) into @texture: (width / 16)
 * x (height / 16) values, from the rows this pass reads anyway, while
 * they are in the cache (reading them again cost a tenth of all the
 * video detectors at 1080p, measured).  @texture may be NULL.  Returns 1
 * when it filled @texture, 0 when not (other layouts, or NULL), -1 as
 * avm_luma_process(). */
int avm_luma_process_texture (AvmLuma * l, const AvmLumaPlane * plane,
    uint8_t * thumb, uint16_t * texture, AvmLumaStats * stats);

/* Adds to @acc[b], for each of the @bw 16 px block columns of the 8-bit
 * row @r, its 16 absolute horizontal steps (pairs x | x+1 for x = 16b ..
 * 16b+15; 15 in the last column when the row's @n samples end there).
 * The texture test's measure, shared by the luma pass and
 * avm_texture_map(). */
void avm_luma_block_steps8 (const uint8_t * r, int bw, int n,
    uint16_t * acc);

/* The texture map's values for one band of 16 rows of an 8-bit plane,
 * row 0 at @r: the steps of avm_luma_block_steps8() on rows 1, 2, 5, 6,
 * 9, 10, 13 and 14, summed per block into @out (@bw values, written). */
void avm_luma_band_texture8 (const uint8_t * r, size_t stride, int bw,
    int n, uint16_t * out);

/* One luma sample of @p at (@x, @y) on the 8-bit scale, any layout: for
 * the few samples a detector reads outside the luma pass (a switch per
 * sample; 8-bit planes are better read in place). */
static inline int
avm_luma_sample8 (const AvmLumaPlane * p, int x, int y)
{
  const uint8_t *row = p->data + (size_t) y * p->stride;

  switch (p->layout) {
    case AVM_LUMA_Y8:
      return row[x];
    case AVM_LUMA_YUY2:
      return row[2 * x];
    case AVM_LUMA_UYVY:
      return row[2 * x + 1];
    case AVM_LUMA_Y10LE:
      return ((row[2 * x] | (row[2 * x + 1] << 8)) & 0x3ff) >> 2;
    case AVM_LUMA_P010LE:
      return row[2 * x + 1];
    case AVM_LUMA_V210:{
      /* 6 pixels in four 32-bit words: Y0 w0[10..19], Y1 w1[0..9],
       * Y2 w1[20..29], Y3 w2[10..19], Y4 w3[0..9], Y5 w3[20..29] */
      static const uint8_t word[6] = { 0, 1, 1, 2, 3, 3 };
      static const uint8_t shift[6] = { 10, 0, 20, 10, 0, 20 };
      const uint8_t *g = row + (size_t) (x / 6) * 16 + 4 * word[x % 6];
      uint32_t w = (uint32_t) g[0] | ((uint32_t) g[1] << 8) |
          ((uint32_t) g[2] << 16) | ((uint32_t) g[3] << 24);
      return (int) ((w >> shift[x % 6]) & 0x3ff) >> 2;
    }
  }
  return 0;
}

#endif /* __AVM_LUMA_H__ */
