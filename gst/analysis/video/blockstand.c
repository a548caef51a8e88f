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
#include "blockstand.h"

/* -O2's cheap vectoriser cost model leaves the per-block loop scalar
 * (blocks.c, the same) */
#if defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
#pragma GCC optimize ("O3")
#endif

#include <stdlib.h>
#include <string.h>

/* differences are kept as SAD / 4: mean absolute difference per sample
 * x 4 (at the motion floor, a 0.1 ratio takes only a difference of 0) */
#define MOTION_Q ((unsigned) (AVM_STAND_MOTION * 4))
#define RATIO_PCT ((unsigned) (100 * AVM_STAND_RATIO + 0.5))
/* the share of frames moving, as an exponential mean of 0 / 255 over
 * about AVM_STAND_STEADY frames */
#define MOTION_MEAN_FRAMES (AVM_STAND_STEADY / 2)
#define MOTION_STEADY ((int) (AVM_STAND_STEADY_SHARE * 255))

int
avm_block_stand_init (AvmBlockStand * s, int bw, int bh)
{
  size_t n = (size_t) bw * bh;

  memset (s, 0, sizeof (*s));
  s->bw = bw;
  s->bh = bh;
  if (n == 0)
    return 0;
  s->diff = malloc (5 * n);
  if (!s->diff)
    return -1;
  s->diff_before = s->diff + n;
  s->motion = s->diff + 2 * n;
  s->since_dip = s->diff + 3 * n;
  s->stand = s->diff + 4 * n;
  avm_block_stand_reset (s);
  return 0;
}

void
avm_block_stand_clear (AvmBlockStand * s)
{
  free (s->diff);
  memset (s, 0, sizeof (*s));
}

void
avm_block_stand_reset (AvmBlockStand * s)
{
  if (s->diff)
    memset (s->diff, 0, 5 * (size_t) s->bw * s->bh);
  s->frames = 0;
}

static int
textured (const uint8_t * t, int tw, int bx, int by)
{
  const uint8_t *b = t + (size_t) 4 * by * tw + 4 * bx;
  int x, y, sum = 0, sq = 0;

  for (y = 0; y < 4; y++) {
    for (x = 0; x < 4; x++) {
      int v = b[y * tw + x];

      sum += v;
      sq += v * v;
    }
  }
  /* 256 x variance > 256 x sd^2, in integers */
  return 16 * sq - sum * sum >
      (int) (256 * AVM_STAND_TEXTURE * AVM_STAND_TEXTURE);
}

static int
standing (const AvmBlockStand * s, int bx, int by)
{
  return bx >= 0 && by >= 0 && bx < s->bw && by < s->bh &&
      s->stand[(size_t) by * s->bw + bx];
}

/* One frame's differences into every block's history; counts the moving
 * blocks and the candidates (their texture not yet judged).  Restrict
 * parameters (five disjoint planes of one allocation and the caller's
 * residuals), so that the stores are not taken to alias the input or each
 * other. */
static void
stand_update (int n, unsigned frames, const uint16_t * restrict sad,
    uint8_t * restrict diff, uint8_t * restrict diff_before,
    uint8_t * restrict motion, uint8_t * restrict since_dip,
    uint8_t * restrict stand, unsigned *moving_out, unsigned *candidates_out)
{
  const unsigned f1 = frames >= 1, f2 = frames >= 2;
  const unsigned steady = frames > AVM_STAND_STEADY;
  unsigned candidates = 0, moving_blocks = 0;
  int i;

  /* branch-free over every block, so that it vectorises: this loop runs
   * on all of them every frame (8160 at 1080p), the rest on candidates */
  for (i = 0; i < n; i++) {
    unsigned now = sad[i] >> 2;
    unsigned at = diff[i], before = diff_before[i];
    unsigned m = motion[i], since = since_dip[i];
    unsigned lo, moving, dip, st, mn;

    now = now < 255 ? now : 255;
    lo = now < before ? now : before;
    moving = f2 & (before > MOTION_Q) & (now > MOTION_Q);
    dip = moving & (100 * at < RATIO_PCT * lo);
    /* steady: a full history, moving in most of it (a mean over about
     * AVM_STAND_STEADY frames), and no stand in it */
    st = dip & steady & (m >= MOTION_STEADY) & (since >= AVM_STAND_STEADY);
    /* t's difference joins the history, for the next frame's t-1; the
     * step rounded away from the mean, so that it reaches 0 and 255 */
    mn = at > MOTION_Q ? m + (255 - m + MOTION_MEAN_FRAMES - 1) /
        MOTION_MEAN_FRAMES : m - (m + MOTION_MEAN_FRAMES - 1) /
        MOTION_MEAN_FRAMES;
    moving_blocks += moving;
    candidates += st;
    stand[i] = (uint8_t) st;
    motion[i] = (uint8_t) (f1 ? mn : m);
    since_dip[i] = (uint8_t) (dip ? 0 : since + (since < 255));
    diff_before[i] = (uint8_t) at;
    diff[i] = (uint8_t) now;
  }
  *moving_out = moving_blocks;
  *candidates_out = candidates;
}

int
avm_block_stand_process (AvmBlockStand * s, const uint16_t * sad,
    const uint8_t * last, int tw, AvmBlockStandFrame * out)
{
  int n = s->bw * s->bh, i, bx, by;
  int x0 = s->bw, y0 = s->bh, x1 = -1, y1 = -1;
  unsigned candidates, moving_blocks;

  memset (out, 0, sizeof (*out));
  stand_update (n, (unsigned) s->frames, sad, s->diff, s->diff_before,
      s->motion, s->since_dip, s->stand, &moving_blocks, &candidates);
  out->moving = (int) moving_blocks;
  if (s->frames <= AVM_STAND_STEADY)
    s->frames++;
  if ((int) candidates < AVM_STAND_MIN_BLOCKS)
    return 0;
  /* only now the texture: candidates are few */
  for (by = 0; by < s->bh; by++)
    for (bx = 0; bx < s->bw; bx++) {
      uint8_t *st = &s->stand[(size_t) by * s->bw + bx];

      if (*st && !textured (last, tw, bx, by))
        *st = 0;
    }
  for (by = 0; by < s->bh; by++) {
    for (bx = 0; bx < s->bw; bx++) {
      if (!standing (s, bx, by))
        continue;
      if (!standing (s, bx - 1, by) && !standing (s, bx + 1, by) &&
          !standing (s, bx, by - 1) && !standing (s, bx, by + 1))
        continue;
      s->stand[(size_t) by * s->bw + bx] = 2;
      out->blocks++;
      if (bx < x0)
        x0 = bx;
      if (bx > x1)
        x1 = bx;
      if (by < y0)
        y0 = by;
      if (by > y1)
        y1 = by;
    }
  }
  /* the isolated ones out: what is left is what was counted */
  for (i = 0; i < n; i++)
    s->stand[i] = s->stand[i] == 2;
  if (out->blocks > 0) {
    out->bbox.x = 16 * x0;
    out->bbox.y = 16 * y0;
    out->bbox.width = 16 * (x1 - x0 + 1);
    out->bbox.height = 16 * (y1 - y0 + 1);
  }
  return out->blocks >= AVM_STAND_MIN_BLOCKS &&
      out->blocks < AVM_STAND_SHARE * out->moving;
}
