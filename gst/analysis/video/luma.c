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

/* The one pass over the luma plane.  It is bound by memory at 1080p, so
 * it reads two rows of every four (rows 1 and 2: one of each field of
 * interlaced content), prefetches the next strip's rows, and keeps the
 * loops to what GCC turns into plain vector code: 8-bit strips give their
 * thumbnail row straight from 32-bit words of the two rows and count black
 * samples in byte counters (strip8); 10-bit ones sum each column first
 * (strip16), then reduce the sums into the thumbnail (thumb_row).  Other
 * layouts are first unpacked row by row into a small buffer so that these
 * kernels serve all of them. */

/* meson's debugoptimized is -O2, whose "very cheap" vectoriser cost model
 * leaves these per-sample loops scalar (3x slower, measured); the project
 * flags stay as they are for everything else. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
#pragma GCC optimize ("O3")
#endif

#include "luma.h"
#include "vsimd.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(AVM_HAVE_AVX2_TARGET)
#include <immintrin.h>
#endif

#define BLOCKINESS_ROW_STEP 4   /* strips: every 16th frame row */

size_t
avm_luma_min_stride (AvmLumaLayout layout, int width)
{
  size_t w = (size_t) width;

  switch (layout) {
    case AVM_LUMA_Y8:
      return w;
    case AVM_LUMA_YUY2:
    case AVM_LUMA_UYVY:
      /* a 4:2:2 pair is 4 bytes; an odd width still stores the pair */
      return ((w + 1) / 2) * 4;
    case AVM_LUMA_Y10LE:
    case AVM_LUMA_P010LE:
      return w * 2;
    case AVM_LUMA_V210:
      return ((w + 5) / 6) * 16;
  }
  return 0;
}

static int
layout_is_16bit (AvmLumaLayout layout)
{
  return layout == AVM_LUMA_Y10LE || layout == AVM_LUMA_P010LE ||
      layout == AVM_LUMA_V210;
}

int
avm_luma_init (AvmLuma * l, int width, int height, AvmLumaLayout layout,
    int full_range, double black_pixel_threshold)
{
  double black, range;
  size_t rowbytes;

  memset (l, 0, sizeof (*l));
  if (width < 4 || height < 4 || width > 16384 || height > 16384)
    return -1;
  if (layout < AVM_LUMA_Y8 || layout > AVM_LUMA_V210)
    return -1;
  if (!(black_pixel_threshold >= 0.0 && black_pixel_threshold <= 1.0))
    return -1;

  l->width = width;
  l->height = height;
  l->layout = layout;
  l->tw = width / 4;
  l->th = height / 4;
  l->max_code = layout_is_16bit (layout) ? 1023 : 255;
  if (full_range) {
    black = 0.0;
    range = l->max_code;
  } else {
    black = layout_is_16bit (layout) ? 64.0 : 16.0;
    range = layout_is_16bit (layout) ? 876.0 : 219.0;
  }
  l->black_code = (unsigned) (black + black_pixel_threshold * range);

  /* columns rounded up to 16 so kernels may run whole vectors */
  l->acc = calloc ((size_t) width + 16, sizeof (uint16_t));
  l->blk = calloc ((size_t) width + 16, sizeof (uint16_t));
  rowbytes = ((size_t) width + 16 + 3) & ~(size_t) 3;
  if (layout_is_16bit (layout))
    rowbytes *= 2;
  /* two rows; v210 unpacks whole 6-pixel groups (+16 covers them) */
  if (layout != AVM_LUMA_Y8)
    l->rows = calloc (2, rowbytes + 16);
  if (!l->acc || !l->blk || (layout != AVM_LUMA_Y8 && !l->rows)) {
    avm_luma_clear (l);
    return -1;
  }
  return 0;
}

void
avm_luma_clear (AvmLuma * l)
{
  free (l->acc);
  free (l->blk);
  free (l->rows);
  l->acc = NULL;
  l->blk = NULL;
  l->rows = NULL;
}

void
avm_luma_thumb_size (const AvmLuma * l, int *tw, int *th)
{
  *tw = l->tw;
  *th = l->th;
}

/* One strip of 8-bit luma, rows @r0 and @r1: the thumbnail row into @out
 * (@tw samples) and the black samples counted per column into the byte
 * counters @blk; returns the sum of the samples.  A thumbnail sample's 4
 * columns are one 32-bit word of each row, summed lane-wise in 32-bit
 * arithmetic (no shuffles; the byte order does not matter for a sum), so
 * no per-column sums are stored and read back.
 *
 * The pass waits on memory (rows 1 and 2 of every 4 defeat the hardware's
 * stream prefetch), so it asks for @pf0 and @pf1, the rows of the next
 * strip, one cache line of each per 64 columns while it works: the luma
 * pass ran 1.3-1.4x faster at 1080p, measured; all at once per strip
 * gained less. */
AVM_SIMD_CLONES static unsigned
strip8 (const uint8_t * restrict r0, const uint8_t * restrict r1, int tw,
    uint8_t thr, uint8_t * restrict out, uint8_t * restrict blk,
    const uint8_t * pf0, const uint8_t * pf1)
{
  unsigned s = 0;
  int c, i, x, n = 4 * tw;

  /* chunks of 32 samples: one pass of the AVX2 loop (8 x 32-bit lanes,
   * unrolled 4 times) */
  for (c = 0; c < tw; c += 32) {
    int e = c + 32 < tw ? c + 32 : tw;

    __builtin_prefetch (pf0 + 4 * c, 0, 1);
    __builtin_prefetch (pf1 + 4 * c, 0, 1);
    if (e - c > 16) {
      __builtin_prefetch (pf0 + 4 * c + 64, 0, 1);
      __builtin_prefetch (pf1 + 4 * c + 64, 0, 1);
    }
    for (i = c; i < e; i++) {
      uint32_t a, b, v;

      memcpy (&a, r0 + 4 * i, 4);
      memcpy (&b, r1 + 4 * i, 4);
      v = (a & 0x00ff00ffu) + ((a >> 8) & 0x00ff00ffu) +
          (b & 0x00ff00ffu) + ((b >> 8) & 0x00ff00ffu);
      v = (v & 0xffffu) + (v >> 16);
      s += v;
      /* 4 columns x 2 rows */
      out[i] = (uint8_t) ((v + 4) >> 3);
    }
  }
  for (x = 0; x < n; x++)
    blk[x] = (uint8_t) (blk[x] + (r0[x] <= thr) + (r1[x] <= thr));
  return s;
}

AVM_SIMD_CLONES static void
strip16 (const uint16_t * restrict r0, const uint16_t * restrict r1, int n,
    uint16_t thr, uint16_t * restrict acc, uint16_t * restrict blk)
{
  int x;

  for (x = 0; x < n; x++) {
    uint16_t a = r0[x], b = r1[x];
    acc[x] = (uint16_t) (a + b);
    blk[x] = (uint16_t) (blk[x] + (uint16_t) ((a <= thr) + (b <= thr)));
  }
}

/* Horizontal reduction of 4 column sums into one thumbnail sample.  The
 * sums are read four at a time as one 64-bit word and added lane-wise in
 * 64-bit arithmetic, which vectorises without shuffles (the byte order of
 * the lanes does not matter for a sum).  @acc is 8-byte aligned. */
AVM_SIMD_CLONES static void
thumb_row (const uint16_t * restrict acc, int tw, int shift,
    uint8_t * restrict out, uint64_t * sum)
{
  const uint64_t *q = (const uint64_t *) (const void *) acc;
  uint64_t round = (uint64_t) 1 << (shift - 1);
  uint64_t s = 0;
  int i;

  for (i = 0; i < tw; i++) {
    uint64_t v = q[i];
    v = (v & 0x0000ffff0000ffffull) + ((v >> 16) & 0x0000ffff0000ffffull);
    v = (v & 0xffffffffull) + (v >> 32);
    s += v;
    out[i] = (uint8_t) ((v + round) >> shift);
  }
  *sum += s;
}

/* Horizontal steps of one row: all of them and those across the 8 px
 * grid, for the informative blockiness score. */
AVM_SIMD_CLONES static void
row_steps8 (const uint8_t * restrict p, int n, uint64_t * all,
    uint64_t * grid)
{
  unsigned s = 0, g = 0;
  int x;

  for (x = 1; x < n; x++)
    s += (unsigned) abs ((int) p[x] - (int) p[x - 1]);
  for (x = 8; x < n; x += 8)
    g += (unsigned) abs ((int) p[x] - (int) p[x - 1]);
  *all += s;
  *grid += g;
}

static void
row_steps16 (const uint16_t * restrict p, int n, uint64_t * all,
    uint64_t * grid)
{
  unsigned s = 0, g = 0;
  int x;

  for (x = 1; x < n; x++)
    s += (unsigned) abs ((int) p[x] - (int) p[x - 1]);
  for (x = 8; x < n; x += 8)
    g += (unsigned) abs ((int) p[x] - (int) p[x - 1]);
  *all += s;
  *grid += g;
}

static void
unpack_packed8 (const uint8_t * restrict src, int n, int off,
    uint8_t * restrict dst)
{
  int x;

  for (x = 0; x < n; x++)
    dst[x] = src[2 * x + off];
}

static void
unpack_16le (const uint8_t * restrict src, int n, int shift,
    uint16_t * restrict dst)
{
  int x;

  /* byte assembly keeps this endian-neutral; GCC folds it into loads */
  for (x = 0; x < n; x++)
    dst[x] = (uint16_t) (((unsigned) src[2 * x] |
            ((unsigned) src[2 * x + 1] << 8)) >> shift) & 0x3ff;
}

static inline uint32_t
rd32le (const uint8_t * p)
{
  return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16) |
      ((uint32_t) p[3] << 24);
}

static void
unpack_v210 (const uint8_t * restrict src, int n, uint16_t * restrict dst)
{
  int x;

  /* dst has room for whole groups; the group of the last pixel lies inside
   * the row (avm_luma_min_stride) */
  for (x = 0; x < n; x += 6, src += 16) {
    uint32_t w0 = rd32le (src), w1 = rd32le (src + 4);
    uint32_t w2 = rd32le (src + 8), w3 = rd32le (src + 12);
    dst[x] = (w0 >> 10) & 0x3ff;
    dst[x + 1] = w1 & 0x3ff;
    dst[x + 2] = (w1 >> 20) & 0x3ff;
    dst[x + 3] = (w2 >> 10) & 0x3ff;
    dst[x + 4] = w3 & 0x3ff;
    dst[x + 5] = (w3 >> 20) & 0x3ff;
  }
}

static void
unpack_row16 (const AvmLumaPlane * p, int y, int n, uint16_t * dst)
{
  const uint8_t *src = p->data + (size_t) y * p->stride;

  switch (p->layout) {
    case AVM_LUMA_Y10LE:
      unpack_16le (src, n, 0, dst);
      break;
    case AVM_LUMA_P010LE:
      unpack_16le (src, n, 6, dst);
      break;
    default:
      unpack_v210 (src, n, dst);
      break;
  }
}

/* avm_luma_block_steps8() from block column @b on */
static void
block_steps8_from (const uint8_t * restrict r, int b, int bw, int n,
    uint16_t * restrict acc)
{
  int x;

#if defined(__SSE2__)
  /* one psadbw per block: plain x86-64 has SSE2, and GCC does not turn
   * this reduction into it by itself (4x slower, measured) */
  for (; b < bw && 16 * b + 16 < n; b++) {
    __m128i s = _mm_sad_epu8 (_mm_loadu_si128 ((const __m128i *)
            (const void *) (r + 16 * b)),
        _mm_loadu_si128 ((const __m128i *) (const void *) (r + 16 * b + 1)));
    acc[b] = (uint16_t) (acc[b] + _mm_cvtsi128_si32 (s) +
        _mm_extract_epi16 (s, 4));
  }
  /* the last column of a row that ends with it: read one sample to the
   * left (16 steps, minus the one across the block's left border) so
   * that no load passes the row's end */
  if (b + 1 == bw && b > 0 && n == 16 * bw) {
    const uint8_t *q = r + 16 * b;
    __m128i s = _mm_sad_epu8 (_mm_loadu_si128 ((const __m128i *)
            (const void *) (q - 1)),
        _mm_loadu_si128 ((const __m128i *) (const void *) q));
    acc[b] = (uint16_t) (acc[b] + _mm_cvtsi128_si32 (s) +
        _mm_extract_epi16 (s, 4) - abs ((int) q[0] - (int) q[-1]));
    b++;
  }
#endif
  for (; b < bw; b++) {
    unsigned s = 0;
    int e = 16 * b + 16 < n ? 16 * b + 16 : n - 1;

    for (x = 16 * b; x < e; x++)
      s += (unsigned) abs ((int) r[x + 1] - (int) r[x]);
    acc[b] = (uint16_t) (acc[b] + s);
  }
}

void
avm_luma_block_steps8 (const uint8_t * restrict r, int bw, int n,
    uint16_t * restrict acc)
{
  block_steps8_from (r, 0, bw, n, acc);
}

/* The texture rows of a band: 1 and 2 of every 4 */
static const int band_rows[8] = { 1, 2, 5, 6, 9, 10, 13, 14 };

#if defined(__SSE2__)
/* The first @nb blocks of a band (their 17th column inside the row), the
 * 8 rows summed in a register: one store per block */
static int
band_sse2 (const uint8_t * r, size_t stride, int b, int nb, uint16_t * out)
{
  int k;

  for (; b < nb; b++) {
    __m128i s = _mm_setzero_si128 ();

    for (k = 0; k < 8; k++) {
      const uint8_t *a = r + (size_t) band_rows[k] * stride + 16 * b;
      s = _mm_add_epi64 (s,
          _mm_sad_epu8 (_mm_loadu_si128 ((const __m128i *) (const void *) a),
              _mm_loadu_si128 ((const __m128i *) (const void *) (a + 1))));
    }
    out[b] = (uint16_t) (_mm_cvtsi128_si32 (s) + _mm_extract_epi16 (s, 4));
  }
  return b;
}
#endif

#if defined(AVM_HAVE_AVX2_TARGET)
/* two blocks per vpsadbw: a third of the SSE2 loop's time, measured */
__attribute__ ((target ("avx2")))
static int
band_avx2 (const uint8_t * r, size_t stride, int nb, uint16_t * out)
{
  int b, k;

  for (b = 0; b + 2 <= nb; b += 2) {
    __m256i s = _mm256_setzero_si256 ();
    __m128i lo, hi;

    for (k = 0; k < 8; k++) {
      const uint8_t *a = r + (size_t) band_rows[k] * stride + 16 * b;
      s = _mm256_add_epi64 (s,
          _mm256_sad_epu8 (_mm256_loadu_si256 ((const __m256i *)
                  (const void *) a), _mm256_loadu_si256 ((const __m256i *)
                  (const void *) (a + 1))));
    }
    lo = _mm256_castsi256_si128 (s);
    hi = _mm256_extracti128_si256 (s, 1);
    out[b] = (uint16_t) (_mm_cvtsi128_si32 (lo) + _mm_extract_epi16 (lo, 4));
    out[b + 1] = (uint16_t) (_mm_cvtsi128_si32 (hi) +
        _mm_extract_epi16 (hi, 4));
  }
  return b;
}
#endif

void
avm_luma_band_texture8 (const uint8_t * r, size_t stride, int bw, int n,
    uint16_t * out)
{
  int b = 0, k, nb = 0;

  while (nb < bw && 16 * nb + 16 < n)
    nb++;
#if defined(AVM_HAVE_AVX2_TARGET)
  if (__builtin_cpu_supports ("avx2"))
    b = band_avx2 (r, stride, nb, out);
#endif
#if defined(__SSE2__)
  b = band_sse2 (r, stride, b, nb, out);
#endif
  if (b == bw)
    return;
  memset (out + b, 0, (size_t) (bw - b) * sizeof (uint16_t));
  for (k = 0; k < 8; k++)
    block_steps8_from (r + (size_t) band_rows[k] * stride, b, bw, n, out);
}

int
avm_luma_process (AvmLuma * l, const AvmLumaPlane * p, uint8_t * thumb,
    AvmLumaStats * st)
{
  return avm_luma_process_texture (l, p, thumb, NULL, st);
}

int
avm_luma_process_texture (AvmLuma * l, const AvmLumaPlane * p,
    uint8_t * thumb, uint16_t * texture, AvmLumaStats * st)
{
  int n = l->tw * 4;            /* covered columns */
  int s, x, shift, bw, bh, tn;
  uint8_t *blk8 = (uint8_t *) l->blk;   /* 8-bit layouts: byte counters */
  uint64_t sum = 0, all = 0, grid = 0, black = 0, npix;
  int is16 = layout_is_16bit (l->layout);
  /* in samples; a multiple of 4 keeps rows 8-byte aligned */
  size_t rowlen = ((size_t) l->width + 16 + 3) & ~(size_t) 3;

  if (!p || !p->data || p->width != l->width || p->height != l->height ||
      p->layout != l->layout ||
      p->stride < avm_luma_min_stride (p->layout, p->width))
    return -1;

  memset (l->blk, 0, (size_t) n * sizeof (uint16_t));
  if (l->layout != AVM_LUMA_Y8)
    texture = NULL;
  /* texture blocks: 16 x 16, rows 1 and 2 of every 4 (strips 4 by .. 4 by
   * + 3); their steps need the sample right of the block when there is
   * one */
  bw = l->width / 16;
  bh = l->height / 16;
  tn = 16 * bw + 1 <= l->width ? 16 * bw + 1 : l->width;
  /* a thumbnail sample sums 4 columns x 2 rows */
  shift = is16 ? 5 : 3;

  for (s = 0; s < l->th; s++) {
    /* Rows 1 and 2 of each 4: half the memory traffic, and one row of each
     * field of interlaced content. */
    int y = 4 * s + 1;
    int sample = (s % BLOCKINESS_ROW_STEP) == 0;
    uint8_t *out = thumb + (size_t) s * l->tw;

    if (l->layout == AVM_LUMA_Y8) {
      const uint8_t *r0 = p->data + (size_t) y * p->stride;
      /* the next strip's rows; the last strip asks for its own again */
      const uint8_t *q = s + 1 < l->th ? r0 + 4 * p->stride : r0;

      sum += strip8 (r0, r0 + p->stride, l->tw, (uint8_t) l->black_code,
          out, blk8, q, q + p->stride);
      if (sample)
        row_steps8 (r0, l->width, &all, &grid);
      /* a band's last strip: its 8 texture rows are still in the cache */
      if (texture && s % 4 == 3 && s / 4 < bh)
        avm_luma_band_texture8 (r0 - (size_t) 13 * p->stride, p->stride, bw,
            tn, texture + (s / 4) * bw);
    } else if (!is16) {
      uint8_t *rows = l->rows;
      int off = l->layout == AVM_LUMA_UYVY ? 1 : 0;

      unpack_packed8 (p->data + (size_t) y * p->stride, n, off, rows);
      unpack_packed8 (p->data + (size_t) (y + 1) * p->stride, n, off,
          rows + rowlen);
      sum += strip8 (rows, rows + rowlen, l->tw, (uint8_t) l->black_code,
          out, blk8, rows, rows + rowlen);
      if (sample)
        row_steps8 (rows, n, &all, &grid);
    } else {
      uint16_t *rows = l->rows;

      unpack_row16 (p, y, n, rows);
      unpack_row16 (p, y + 1, n, rows + rowlen);
      strip16 (rows, rows + rowlen, n, (uint16_t) l->black_code, l->acc,
          l->blk);
      if (sample)
        row_steps16 (rows, n, &all, &grid);
      thumb_row (l->acc, l->tw, shift, out, &sum);
    }
    /* the byte counters take 127 strips of 2 rows */
    if (!is16 && (s % 127 == 126 || s + 1 == l->th)) {
      for (x = 0; x < n; x++)
        black += blk8[x];
      memset (blk8, 0, (size_t) n);
    }
  }

  if (is16)
    for (x = 0; x < n; x++)
      black += l->blk[x];

  npix = (uint64_t) n * (uint64_t) (l->th * 2);
  /* code / 2^bits: the same picture in 8 and 10 bits gives the same mean */
  st->mean = (double) sum / (double) npix / (double) (l->max_code + 1);
  st->black_ratio = (double) black / (double) npix;
  {
    /* steps per pixel on the grid and elsewhere */
    int rows_sampled = (l->th + BLOCKINESS_ROW_STEP - 1) / BLOCKINESS_ROW_STEP;
    int w = l->layout == AVM_LUMA_Y8 ? l->width : n;
    uint64_t ng = (uint64_t) ((w - 1) / 8) * rows_sampled;
    uint64_t na = (uint64_t) (w - 1) * rows_sampled - ng;
    double g8 = ng ? (double) grid / ng : 0.0;
    double go = na ? (double) (all - grid) / na : 0.0;

    st->blockiness = g8 > go ? (g8 - go) / (g8 + go) : 0.0;
  }
  return texture ? 1 : 0;
}
