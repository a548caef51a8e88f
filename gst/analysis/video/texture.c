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

/* as in blocks.c: -O2's "very cheap" vectoriser leaves the per-block
 * loops scalar */
#if defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
#pragma GCC optimize ("O3")
#endif

#include "texture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FLOOR_SUM (4 * 128)     /* 4 codes per step: below it a block is
                                 * flat, and ratios of flat blocks are
                                 * noise */
#define HISTORY_DECAY 0.999f    /* per frame: the slow maximum halves in
                                 * about 28 s at 25 fps (at 5 s the noise
                                 * patch of smpte at 300 kbit/s 720p was
                                 * forgotten between its swings) */
#define HISTORY_RATIO 2.0f      /* a ratio must be this far above the
                                 * recent maximum around the block */
#define WARM_FRAMES 50          /* compared frames that only teach the
                                 * history: an encoder settles its rate
                                 * over the first second or two */
#define CUT_SHARE 0.1           /* of the blocks judged: over K, before
                                 * the history and the key frame rules */
#define REFRESH_STEP 2          /* a block's own texture doubled ... */
#define REFRESH_SHARE 0.02      /* ... in this share of the blocks: the
                                 * frame is a refresh (key frame) */

int
avm_texture_init (AvmTextureDetector * d, int width, int height, double ratio)
{
  size_t nb;

  memset (d, 0, sizeof (*d));
  if (width < 16 || height < 16)
    return -1;
  d->ratio = ratio;
  d->width = width;
  d->height = height;
  d->bw = width / 16;
  d->bh = height / 16;
  d->nblocks = d->bw * d->bh;
  nb = (size_t) d->nblocks;
  d->map[0] = malloc (nb * sizeof (uint16_t));
  d->map[1] = malloc (nb * sizeof (uint16_t));
  d->hist = malloc (nb * sizeof (float));
  d->now = malloc (nb * sizeof (float));
  d->lo = malloc (4 * nb * sizeof (int16_t));
  d->row = malloc ((size_t) width + 1);
  d->flag = malloc (nb);
  if (!d->map[0] || !d->map[1] || !d->hist || !d->now || !d->row || !d->lo
      || !d->flag) {
    avm_texture_clear (d);
    return -1;
  }
  avm_texture_reset (d);
  return 0;
}

void
avm_texture_set_ratio (AvmTextureDetector * d, double ratio)
{
  d->ratio = ratio;
}

void
avm_texture_reset (AvmTextureDetector * d)
{
  d->have_prev = 0;
  d->frames = 0;
  d->last_refresh = 0;
  d->filled = 0;
  if (d->hist)
    memset (d->hist, 0, (size_t) d->nblocks * sizeof (float));
}

void
avm_texture_clear (AvmTextureDetector * d)
{
  free (d->map[0]);
  free (d->map[1]);
  free (d->hist);
  free (d->now);
  free (d->lo);
  free (d->row);
  free (d->flag);
  memset (d, 0, sizeof (*d));
}

size_t
avm_texture_memory (const AvmTextureDetector * d)
{
  return (size_t) d->nblocks * (6 * sizeof (uint16_t) + 2 * sizeof (float) +
      1) + (size_t) d->width + 1;
}

/* Row @y of @p unpacked to the 8-bit scale into @buf (@n samples) */
static const uint8_t *
row8 (const AvmLumaPlane * p, int y, int n, uint8_t * buf)
{
  int x;

  for (x = 0; x < n; x++)
    buf[x] = (uint8_t) avm_luma_sample8 (p, x, y);
  return buf;
}

void
avm_texture_map (const AvmLumaPlane * p, int bw, int bh, uint16_t * map,
    uint8_t * row)
{
  int by, k, j;
  int n = bw * 16 + 1 <= p->width ? bw * 16 + 1 : p->width;

  if (p->layout == AVM_LUMA_Y8) {
    for (by = 0; by < bh; by++)
      avm_luma_band_texture8 (p->data + (size_t) 16 * by * p->stride,
          p->stride, bw, n, map + by * bw);
    return;
  }
  memset (map, 0, (size_t) bw * bh * sizeof (uint16_t));
  /* rows 1 and 2 of every 4: 8 rows x 16 steps <= 32640 */
  for (by = 0; by < bh; by++)
    for (k = 0; k < 16; k += 4)
      for (j = 1; j <= 2; j++)
        avm_luma_block_steps8 (row8 (p, 16 * by + k + j, n, row), bw, n,
            map + by * bw);
}

uint16_t *
avm_texture_next_map (AvmTextureDetector * d)
{
  if (d->nblocks == 0 || d->ratio <= 0.0)
    return NULL;
  return d->map[d->cur ^ 1];
}

void
avm_texture_map_filled (AvmTextureDetector * d)
{
  d->filled = 1;
}

/* @lo / @hi: the least and the most of @m over each block's 3x3
 * neighbourhood (clipped at the picture's edges), in two separable
 * passes through @tlo / @thi.  Map values are < 32768 (texture_map()),
 * so signed 16-bit arithmetic, which SSE2 has min / max for, holds
 * them. */
static void
neighbourhood (const uint16_t * restrict m, int bw, int bh,
    int16_t * restrict tlo, int16_t * restrict thi, int16_t * restrict lo,
    int16_t * restrict hi)
{
  int bx, by;

  for (by = 0; by < bh; by++) {
    const uint16_t *r = m + by * bw;
    int16_t *l = tlo + by * bw, *h = thi + by * bw;

    l[0] = h[0] = (int16_t) r[0];
    if (bw > 1) {
      int16_t a = (int16_t) r[0], b = (int16_t) r[1];
      l[0] = a < b ? a : b;
      h[0] = a > b ? a : b;
    }
    for (bx = 1; bx + 1 < bw; bx++) {
      int16_t a = (int16_t) r[bx - 1], b = (int16_t) r[bx];
      int16_t c = (int16_t) r[bx + 1];
      int16_t mn = a < b ? a : b, mx = a > b ? a : b;
      l[bx] = mn < c ? mn : c;
      h[bx] = mx > c ? mx : c;
    }
    if (bw > 1) {
      int16_t a = (int16_t) r[bw - 2], b = (int16_t) r[bw - 1];
      l[bw - 1] = a < b ? a : b;
      h[bw - 1] = a > b ? a : b;
    }
  }
  for (by = 0; by < bh; by++) {
    const int16_t *l0 = tlo + (by > 0 ? by - 1 : by) * bw;
    const int16_t *l1 = tlo + by * bw;
    const int16_t *l2 = tlo + (by + 1 < bh ? by + 1 : by) * bw;
    const int16_t *h0 = thi + (by > 0 ? by - 1 : by) * bw;
    const int16_t *h1 = thi + by * bw;
    const int16_t *h2 = thi + (by + 1 < bh ? by + 1 : by) * bw;
    int16_t *l = lo + by * bw, *h = hi + by * bw;

    for (bx = 0; bx < bw; bx++) {
      int16_t a = l0[bx] < l1[bx] ? l0[bx] : l1[bx];
      int16_t b = h0[bx] > h1[bx] ? h0[bx] : h1[bx];
      l[bx] = a < l2[bx] ? a : l2[bx];
      h[bx] = b > h2[bx] ? b : h2[bx];
    }
  }
}

/* Per block: the larger of texture over the neighbourhood's most and the
 * neighbourhood's least over texture (negative for the latter), and the
 * blocks whose own texture doubled or halved. */
static void
ratios (const uint16_t * restrict cur, const uint16_t * restrict prev,
    const int16_t * restrict lo, const int16_t * restrict hi, int n,
    float *restrict now, int *sharper, int *softer)
{
  int i, up = 0, dn = 0;

  for (i = 0; i < n; i++) {
    float e = (float) cur[i] + FLOOR_SUM, q = (float) prev[i] + FLOOR_SUM;
    float u = e / ((float) hi[i] + FLOOR_SUM);
    float w = ((float) lo[i] + FLOOR_SUM) / e;

    now[i] = u > w ? u : -w;
    up += e > REFRESH_STEP * q;
    dn += q > REFRESH_STEP * e;
  }
  *sharper = up;
  *softer = dn;
}

/* Marks (@flag 1) the inner blocks whose ratio is over @k either way;
 * returns how many.  The outer ring is not written. */
static int
mark_changed (const float *restrict now, int bw, int bh, float k,
    uint8_t * restrict flag)
{
  int bx, by, n = 0;

  for (by = 1; by + 1 < bh; by++) {
    const float *r = now + by * bw;
    uint8_t *f = flag + by * bw;

    for (bx = 1; bx + 1 < bw; bx++) {
      int c = fabsf (r[bx]) > k;

      f[bx] = (uint8_t) c;
      n += c;
    }
  }
  return n;
}

void
avm_texture_process (AvmTextureDetector * d, const AvmLumaPlane * p,
    int skip, const uint8_t * up_support, AvmTextureFrame * out)
{
  uint16_t *cur, *prev;
  int bx, by, x0 = d->bw, y0 = d->bh, x1 = -1, y1 = -1;
  int sharper = 0, softer = 0, refresh, resmooth;
  float k = (float) d->ratio;

  memset (out, 0, sizeof (*out));
  if (d->nblocks == 0 || d->ratio <= 0.0 || p->width != d->width ||
      p->height != d->height)
    return;
  d->cur ^= 1;
  cur = d->map[d->cur];
  prev = d->map[d->cur ^ 1];
  if (!d->filled)
    avm_texture_map (p, d->bw, d->bh, cur, d->row);
  d->filled = 0;
  if (!d->have_prev) {
    d->have_prev = 1;
    return;
  }
  d->frames++;
  neighbourhood (prev, d->bw, d->bh, d->lo + 2 * d->nblocks,
      d->lo + 3 * d->nblocks, d->lo, d->lo + d->nblocks);
  ratios (cur, prev, d->lo, d->lo + d->nblocks, d->nblocks, d->now,
      &sharper, &softer);
  /* a starved encoder's key frame codes again, all over the picture, the
   * detail its P frames smoothed away: texture appearing then is no
   * evidence */
  refresh = sharper > REFRESH_SHARE * d->nblocks;
  /* and in the P frame after it smooths that detail away again (only
   * there: elsewhere a smooth fill over as many blocks is concealment) */
  resmooth = softer > REFRESH_SHARE * d->nblocks && d->last_refresh;
  d->last_refresh = refresh;
  out->refresh = refresh | (resmooth << 1);
  if (!skip && d->frames > WARM_FRAMES && d->bw > 2 && d->bh > 2) {
    int judged = (d->bw - 2) * (d->bh - 2);

    /* most blocks are under K: mark them in one branch-free pass and
     * judge only the marked ones (the sign of a ratio is as random as
     * the content, a branch on it per block cost more than the maps) */
    if (mark_changed (d->now, d->bw, d->bh, k, d->flag) > CUT_SHARE * judged) {
      out->cut = 1;
      skip = 1;
    }
    for (by = 1; !skip && by + 1 < d->bh; by++) {
      const uint8_t *f = d->flag + by * d->bw;

      for (bx = 1; bx + 1 < d->bw; bx++) {
        int i = by * d->bw + bx, dx, dy, is_up;
        float r, h = 0.0f;
        uint64_t word;

        if (bx + 8 < d->bw) {
          memcpy (&word, f + bx, sizeof (word));
          if (word == 0) {
            bx += 7;
            continue;
          }
        }
        if (!f[bx])
          continue;
        r = d->now[i];
        is_up = r > 0.0f;
        r = is_up ? r : -r;
        if ((!is_up && resmooth) || (is_up && (refresh || (up_support &&
                        !up_support[i]))))
          continue;
        for (dy = -1; dy <= 1; dy++)
          for (dx = -1; dx <= 1; dx++)
            h = d->hist[i + dy * d->bw + dx] > h ?
                d->hist[i + dy * d->bw + dx] : h;
        if (r <= HISTORY_RATIO * h)
          continue;
        out->blocks++;
        if (is_up)
          out->up++;
        if (r > out->worst)
          out->worst = r;
        x0 = bx < x0 ? bx : x0;
        x1 = bx > x1 ? bx : x1;
        y0 = by < y0 ? by : y0;
        y1 = by > y1 ? by : y1;
      }
    }
  }
  if (skip) {
    out->blocks = 0;
    out->worst = 0.0;
    return;
  }
  for (by = 0; by < d->nblocks; by++) {
    float h = d->hist[by] * HISTORY_DECAY;
    float r = d->now[by] > 0.0f ? d->now[by] : -d->now[by];

    if (refresh || resmooth) {
      /* the encoder's swing of each block's own texture, which the P
       * frames after a key frame undo against the whole neighbourhood */
      float a = (float) cur[by] + FLOOR_SUM, b = (float) prev[by] + FLOOR_SUM;
      float own = a > b ? a / b : b / a;
      r = own > r ? own : r;
    }
    d->hist[by] = r > h ? r : h;
  }
  if (out->blocks > 0) {
    out->bbox.x = 16 * x0;
    out->bbox.y = 16 * y0;
    out->bbox.width = 16 * (x1 + 1) - out->bbox.x;
    out->bbox.height = 16 * (y1 + 1) - out->bbox.y;
  }
}
