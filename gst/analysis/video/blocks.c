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
/* meson's debugoptimized is -O2, whose "very cheap" vectoriser cost model
 * leaves these per-sample loops scalar (3x slower, measured); the project
 * flags stay as they are for everything else. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__)
#pragma GCC optimize ("O3")
#endif

#include "blocks.h"
#include "vsimd.h"
#include "gridstep.h"

#include <stdlib.h>
#include <string.h>

#define BAD_SAD 0xffff
#define FLOOR_RES 2.0           /* codes: below it residuals are noise */
#define BOUNDARY_WARM_FRAMES 50 /* compared frames after a start, flush or
                                 * caps change before the boundary test
                                 * judges: an encoder's rate settles */
#define REPEAT_FLOOR 2.0        /* codes: the least frame difference that
                                 * counts as motion for repeat.h */
#define MOVING_FLOOR 2.0        /* codes per thumbnail sample a block
                                 * moves by beyond noise, for the moving
                                 * part's repeat test */
#define MOVING_REPEAT_FLOOR 16.0        /* its least steady level: the
                                         * moving part's codes above that
                                         * floor, summed over the blocks */
#define MOVING_REPEAT_DEPTH 0.1 /* the moving part stood still to this
                                 * share of its level at least once: a
                                 * decoder's repeat copies it (0.00-0.03
                                 * measured), a pause in content seldom
                                 * stops every motion at once */
#define WARM_UP_FRAMES 1        /* compared frames not judged after a
                                 * reset or cut */
#define ENVELOPE_MIN 1.0        /* codes per sample outside the 3x3
                                 * envelope of the match (sad_envelope) */
#define GLOBAL_SEARCH_RES 3.0   /* codes: median that asks for a global
                                 * search */
#define GRID_PROBES 16          /* blocks per frame probed for the grid
                                 * test's background rate, after the
                                 * first 1600 probes */
#define GRID_PROBES_WARM 1600   /* or twice the blocks, if fewer */
#define GRID_FLOOR_TIME (2 * AVM_SECOND)        /* see grid_after_frame() */
#define GRID_BACKGROUND_MAX 0.002       /* background pass rate above which
                                         * the grid test is not used */
#define TEXTURE_MIN_BLOCKS 3    /* inconsistent blocks (texture.h) that
                                 * make a damaged frame: two are within
                                 * reach of a starved encoder's noise
                                 * (smpte's noise patch at 300 kbit/s
                                 * 720p) */
#define REPAIR_QUIET_BLOCKS 2   /* damaged blocks in a frame that call
                                 * the damage's going away in doubt */
#define PARTIAL_CUT_KEPT 0.15   /* share of a cut's textured moving
                                 * blocks still matching the last frame
                                 * that makes it no cut: keeps a span
                                 * open (0.00-0.16 at key frames
                                 * re-coding a starved zone plate, 0.18-
                                 * 0.62 where damage changed most of the
                                 * picture, partialcut.h) */
#define PARTIAL_CUT_ROW 0.7     /* and with one block row kept at this
                                 * share: damage (the rows decoded before
                                 * the error); at most 0.5 on those key
                                 * frames */
#define PARTIAL_CUT_RATE 0.1    /* share of the stream's last ~10 s of
                                 * frames with a median residual of half
                                 * a cut's or more, above which no frame
                                 * is taken for a broken one */
#define PARTIAL_CUT_WARM AVM_CUT_STILL_FRAMES   /* compared frames
                                                 * before a broken frame: that rate, and
                                                 * the picture's layout (what stands
                                                 * still), known */
#define AREA_GRID_RATIO 4.0     /* one border's step for the area rule */
#define AREA_DENSITY_MIN 0.04   /* damaged blocks per block of their
                                 * bounding box, for the area rule in
                                 * mosaic-like pictures */
#define GRID_RESIDUAL_RATIO 3.0 /* looser temporal tests for blocks that */
#define GRID_EDGE_RATIO 0.7     /* the full-resolution grid test confirms
                                 * (measured on real damage: an edge ratio
                                 * below 0.7 finds nothing more; a residual
                                 * ratio of 2 finds 4 % more damaged frames
                                 * but searches so many more blocks on
                                 * moving texture that 1080p drops to the
                                 * 4000 fps target) */

static uint32_t
gcd_u32 (uint32_t a, uint32_t b)
{
  while (b) {
    uint32_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

void
avm_blocks_config_default (AvmBlocksConfig * cfg)
{
  cfg->area_threshold = 0.01;
  cfg->min_blocks = 4;
  cfg->duration = 0;
  cfg->hold = 2 * AVM_SECOND;
  cfg->residual_ratio = 4.0;
  cfg->min_residual = 6.0;
  cfg->edge_ratio = 1.5;
  cfg->cut_residual = 12.0;
  cfg->search_range = 0;
  cfg->grid_ratio = 6.0;
  cfg->grid_min_blocks = 1;
  cfg->texture_ratio = 0.0;     /* see blocks.h */
  cfg->texture_max_pixels = 1280 * 720;
  cfg->scan = 0;
  cfg->scan_max_pixels = 1280 * 720;
  cfg->repeat = 1;
  cfg->stand = 1;
  cfg->boundary_share = 0.0;    /* see blocks.h */
}

static void
set_range (AvmBlocksDetector * d)
{
  int px = d->cfg.search_range;

  if (px <= 0)
    px = (24 * d->width + 640) / 1280;
  /* half-resolution samples are 8 frame pixels */
  d->range = (px + 7) / 8;
  if (d->range < 2)
    d->range = 2;
  if (d->range > 8)
    d->range = 8;
}

/* the texture test's ratio: the one asked for, else the measured one on
 * a picture small enough, else 0 (off) */
static double
texture_ratio_for (const AvmBlocksConfig * cfg, int width, int height)
{
  if (cfg->texture_ratio > 0.0)
    return cfg->texture_ratio;
  if (cfg->texture_max_pixels > 0 &&
      (int64_t) width * height <= cfg->texture_max_pixels)
    return AVM_BLOCKS_TEXTURE_RATIO;
  return 0.0;
}

int
avm_blocks_init (AvmBlocksDetector * d, int width, int height,
    const AvmBlocksConfig * cfg)
{
  size_t nb;

  memset (d, 0, sizeof (*d));
  if (width < 16 || height < 16 || !cfg)
    return -1;
  d->cfg = *cfg;
  d->width = width;
  d->height = height;
  d->tw = width / 4;
  d->th = height / 4;
  d->bw = d->tw / 4;
  d->bh = d->th / 4;
  d->nblocks = d->bw * d->bh;
  d->hw = d->tw / 2;
  d->hh = d->th / 2;
  set_range (d);
  nb = (size_t) d->nblocks;
  /* probes step by about 0.618 of the block count, coprime with it, so
   * that they visit every block before repeating */
  d->probe_step = (uint32_t) (0.618 * nb) | 1;
  while (nb > 1 && gcd_u32 (d->probe_step, (uint32_t) nb) != 1)
    d->probe_step += 2;
  d->half[0] = malloc ((size_t) d->hw * d->hh);
  d->half[1] = malloc ((size_t) d->hw * d->hh);
  d->res = malloc (nb * sizeof (uint16_t));
  d->tmp = malloc (nb * sizeof (uint16_t));
  d->vx = malloc (nb);
  d->vy = malloc (nb);
  d->pvx = calloc (nb, 1);
  d->pvy = calloc (nb, 1);
  d->flag = malloc (nb);
  d->prev2 = malloc ((size_t) d->tw * d->th);
  d->undo = malloc (nb);
  d->support = malloc (nb);
  d->changed = malloc (nb);
  d->still = calloc (nb, 1);
  if (!d->still || !d->half[0] || !d->half[1] || !d->res || !d->tmp || !d->vx
      || !d->vy || !d->flag || !d->prev2 || !d->undo || !d->support
      || !d->changed
      || avm_texture_init (&d->tex, width, height,
          texture_ratio_for (cfg, width, height)) < 0
      || avm_grid_scan_init (&d->scan, width, height, cfg->grid_ratio) < 0
      || avm_block_stand_init (&d->stand, d->bw, d->bh) < 0) {
    avm_blocks_clear (d);
    return -1;
  }
  avm_blocks_reset (d);
  return 0;
}

/* the grid scan: asked for, or on a picture small enough */
static int
scan_on (const AvmBlocksConfig * cfg, int width, int height)
{
  return cfg->grid_ratio > 0.0 && (cfg->scan || (cfg->scan_max_pixels > 0 &&
          (int64_t) width * height <= cfg->scan_max_pixels));
}

void
avm_blocks_set_config (AvmBlocksDetector * d, const AvmBlocksConfig * cfg)
{
  int scan_was_on = scan_on (&d->cfg, d->width, d->height);
  double tex_ratio = texture_ratio_for (cfg, d->width, d->height);

  if (!d->cfg.repeat && cfg->repeat) {
    avm_repeat_reset (&d->repeat);      /* its history stopped */
    avm_repeat_reset (&d->repeat_moving);
  }
  if (!d->cfg.stand && cfg->stand)
    avm_block_stand_reset (&d->stand);  /* likewise */
  d->cfg = *cfg;
  set_range (d);
  if (d->tex.ratio <= 0.0 && tex_ratio > 0.0)
    avm_texture_reset (&d->tex);        /* its past is stale */
  avm_texture_set_ratio (&d->tex, tex_ratio);
  if (!scan_was_on && scan_on (cfg, d->width, d->height))
    avm_grid_scan_reset (&d->scan);     /* likewise */
  avm_grid_scan_set_ratio (&d->scan, cfg->grid_ratio);
}

#define CLAMP_FRAMES(n, lo, hi) ((n) < (lo) ? (lo) : (n) > (hi) ? (hi) : (n))

static void
span_reset (AvmBlocksDetector * d)
{
  d->open = 0;
  d->start = AVM_TIME_NONE;
  d->last_flag = AVM_TIME_NONE;
  d->repair_pts = AVM_TIME_NONE;
  d->worst = 0.0;
  d->conf_sum = 0.0;
  d->nflagged = 0;
  d->blocks_sum = 0;
  d->blocks_frames = 0;
  d->quiet_last = 0;
  memset (&d->span_box, 0, sizeof (d->span_box));
}

void
avm_blocks_reset (AvmBlocksDetector * d)
{
  d->have_prev = 0;
  d->warm = 0;
  d->gx = d->gy = 0;
  d->last_pts = AVM_TIME_NONE;
  d->area_baseline = 0.0;
  d->baseline_frames = 0;
  d->grid_background = 0.0;
  d->grid_floor = 0.0;
  d->grid_floor_until = AVM_TIME_NONE;
  d->grid_probes = 0;
  d->probe_at = 0;
  d->have_undo = 0;
  d->last_med = 0;
  d->spreading = 0;
  d->cut_rate = 0.0;
  d->cut_frames = 0;
  if (d->still)
    memset (d->still, 0, (size_t) d->nblocks);
  avm_texture_reset (&d->tex);
  avm_grid_scan_reset (&d->scan);
  avm_repeat_reset (&d->repeat);
  avm_repeat_reset (&d->repeat_moving);
  avm_block_stand_reset (&d->stand);
  d->last_end = AVM_TIME_NONE;
  span_reset (d);
}

void
avm_blocks_clear (AvmBlocksDetector * d)
{
  free (d->half[0]);
  free (d->half[1]);
  free (d->res);
  free (d->tmp);
  free (d->vx);
  free (d->vy);
  free (d->pvx);
  free (d->pvy);
  free (d->flag);
  free (d->prev2);
  free (d->undo);
  free (d->support);
  free (d->changed);
  free (d->still);
  avm_texture_clear (&d->tex);
  avm_grid_scan_clear (&d->scan);
  avm_block_stand_clear (&d->stand);
  memset (d, 0, sizeof (*d));
}

/* Each output sample's 2 columns are one 16-bit word of each row, summed
 * lane-wise: GCC vectorises that without the shuffles that the
 * even / odd byte loads cost (the byte order does not matter for a
 * sum). */
AVM_SIMD_CLONES static void
make_half (const uint8_t * restrict t, int tw, uint8_t * restrict h, int hw,
    int hh)
{
  int x, y;

  for (y = 0; y < hh; y++) {
    const uint8_t *r0 = t + (size_t) (2 * y) * tw, *r1 = r0 + tw;
    uint8_t *o = h + (size_t) y * hw;
    for (x = 0; x < hw; x++) {
      uint16_t a, b;

      memcpy (&a, r0 + 2 * x, 2);
      memcpy (&b, r1 + 2 * x, 2);
      o[x] = (uint8_t) (((a & 0xffu) + (a >> 8) + (b & 0xffu) + (b >> 8) +
              2) >> 2);
    }
  }
}

/* SAD of 4-sample groups of one row, added to one accumulator per group:
 * a flat absolute-difference loop, then 32-bit words summed lane-wise
 * (vectorises without shuffles). */
AVM_SIMD_CLONES static void
row_sad4 (const uint8_t * restrict a, const uint8_t * restrict b, int n,
    uint16_t * restrict acc)
{
  uint32_t tmp32[4096 / 4];     /* thumbnails are at most 4096 wide */
  uint8_t *tmp = (uint8_t *) tmp32;
  int i;

  for (i = 0; i < 4 * n; i++) {
    uint8_t p = a[i], q = b[i];
    tmp[i] = (uint8_t) (p > q ? p - q : q - p);
  }
  for (i = 0; i < n; i++) {
    uint32_t v = tmp32[i];
    v = (v & 0x00ff00ffu) + ((v >> 8) & 0x00ff00ffu);
    acc[i] = (uint16_t) (acc[i] + (v & 0xffffu) + (v >> 16));
  }
}

/* SAD of every block against the previous thumbnail displaced by
 * (@dx, @dy); blocks whose displaced match leaves the picture get BAD_SAD. */
static void
sad_all_blocks (const AvmBlocksDetector * d, const uint8_t * t,
    const uint8_t * p, int dx, int dy, uint16_t * out)
{
  int tw = d->tw, by, r, bx;
  int lo = dx < 0 ? (-dx + 3) / 4 : 0;
  int hi = (tw - 4 - dx) / 4 + 1;       /* exclusive */

  if (hi > d->bw)
    hi = d->bw;
  if (tw - 4 - dx < 0)
    hi = 0;
  for (by = 0; by < d->bh; by++) {
    uint16_t *o = out + (size_t) by * d->bw;
    int y0 = 4 * by;

    if (y0 + dy < 0 || y0 + 3 + dy >= d->th || lo >= hi) {
      for (bx = 0; bx < d->bw; bx++)
        o[bx] = BAD_SAD;
      continue;
    }
    for (bx = 0; bx < lo; bx++)
      o[bx] = BAD_SAD;
    for (bx = hi; bx < d->bw; bx++)
      o[bx] = BAD_SAD;
    memset (o + lo, 0, (size_t) (hi - lo) * sizeof (uint16_t));
    for (r = 0; r < 4; r++) {
      const uint8_t *a = t + (size_t) (y0 + r) * tw + 4 * lo;
      const uint8_t *b = p + (size_t) (y0 + r + dy) * tw + 4 * lo + dx;
      row_sad4 (a, b, hi - lo, o + lo);
    }
  }
}

/* Frame-level SAD of the half-resolution pictures at (@dx, @dy), every
 * second row, per sample compared (lower is better). */
static double
half_sad (const AvmBlocksDetector * d, const uint8_t * a, const uint8_t * b,
    int dx, int dy)
{
  int hw = d->hw, hh = d->hh, x0, x1, y0, y1, y, x;
  uint64_t s = 0, n = 0;

  x0 = dx < 0 ? -dx : 0;
  x1 = dx > 0 ? hw - dx : hw;
  y0 = dy < 0 ? -dy : 0;
  y1 = dy > 0 ? hh - dy : hh;
  for (y = y0; y < y1; y += 2) {
    const uint8_t *ra = a + (size_t) y * hw, *rb = b + (size_t) (y + dy) * hw
        + dx;
    unsigned rs = 0;
    for (x = x0; x < x1; x++)
      rs += (unsigned) abs (ra[x] - rb[x]);
    s += rs;
    n += (uint64_t) (x1 - x0);
  }
  return n ? (double) s / (double) n : 1e9;
}

/* SAD of a @w x @h window of @a at (ax, ay) against @b at (bx, by), both
 * of row length @stride; -1 when the @b window leaves the picture. */
static int
sad_win (const uint8_t * a, const uint8_t * b, int stride, int rows,
    int ax, int ay, int bx, int by, int w, int h)
{
  int x, y, s = 0;

  if (bx < 0 || by < 0 || bx + w > stride || by + h > rows)
    return -1;
  for (y = 0; y < h; y++) {
    const uint8_t *ra = a + (size_t) (ay + y) * stride + ax;
    const uint8_t *rb = b + (size_t) (by + y) * stride + bx;
    for (x = 0; x < w; x++)
      s += abs (ra[x] - rb[x]);
  }
  return s;
}

/* Four histograms filled in turn: residuals crowd into a few bins, and
 * one histogram makes each increment wait for the previous one's store
 * to the same bin. */
static unsigned
median_sad (const uint16_t * res, int n)
{
  uint32_t hist[4][256];
  int i, acc = 0;

#define MEDIAN_BIN(v) ((v) >> 4 > 255 ? 255 : (v) >> 4)
  memset (hist, 0, sizeof (hist));
  for (i = 0; i + 4 <= n; i += 4) {
    hist[0][MEDIAN_BIN (res[i])]++;
    hist[1][MEDIAN_BIN (res[i + 1])]++;
    hist[2][MEDIAN_BIN (res[i + 2])]++;
    hist[3][MEDIAN_BIN (res[i + 3])]++;
  }
  for (; i < n; i++)
    hist[0][MEDIAN_BIN (res[i])]++;
#undef MEDIAN_BIN
  for (i = 0; i < 256; i++) {
    acc += (int) (hist[0][i] + hist[1][i] + hist[2][i] + hist[3][i]);
    if (2 * acc >= n)
      return 16 * (unsigned) i + 8;
  }
  return 255 * 16;
}

/* TRUE when block (@bx, @by) sits on the frame border and one of its
 * neighbours' vectors, applied to it, would fetch from outside the
 * previous frame: new picture entering, not damage. */
static int
border_entering (const AvmBlocksDetector * d, int bx, int by)
{
  int nx, ny;

  if (bx > 0 && by > 0 && bx < d->bw - 1 && by < d->bh - 1)
    return 0;
  for (ny = by - 1; ny <= by + 1; ny++) {
    for (nx = bx - 1; nx <= bx + 1; nx++) {
      int j = ny * d->bw + nx, vx, vy;

      if ((nx == bx && ny == by) || nx < 0 || ny < 0 || nx >= d->bw ||
          ny >= d->bh)
        continue;
      vx = d->vx[j];
      vy = d->vy[j];
      if (4 * bx + vx < 0 || 4 * bx + 4 + vx > d->tw ||
          4 * by + vy < 0 || 4 * by + 4 + vy > d->th)
        return 1;
    }
  }
  return 0;
}

/* For a block on the frame border: is the block next to it towards the
 * inside still a candidate? Blocks not on the border: always TRUE. */
static int
inward_neighbour_flagged (const AvmBlocksDetector * d, int bx, int by)
{
  int ix = bx, iy = by;

  if (bx == 0)
    ix = 1;
  else if (bx == d->bw - 1)
    ix = d->bw - 2;
  if (by == 0)
    iy = 1;
  else if (by == d->bh - 1)
    iy = d->bh - 2;
  if (ix == bx && iy == by)
    return 1;
  if (ix < 0 || iy < 0 || ix >= d->bw || iy >= d->bh)
    return 1;
  return d->flag[iy * d->bw + ix] != 0;
}

/* Zero motion and @gx,@gy into res/vx/vy; returns the mean zero-motion
 * residual per sample, and in *@moving the zero-motion residual above
 * MOVING_FLOOR summed over the blocks (codes per sample); both are 0 when
 * the repeat test is off (its only user); in *@stood whether the last
 * frame had a stand (blockstand.h, measured into @sf; 0 with the test
 * off). */
static double
cheap_pass (AvmBlocksDetector * d, const uint8_t * t, const uint8_t * p,
    int gx, int gy, double *moving, int *stood, AvmBlockStandFrame * sf)
{
  int8_t *sw;
  int i;
  uint64_t still = 0;

  *moving = 0.0;

  sw = d->pvx;
  d->pvx = d->vx;
  d->vx = sw;
  sw = d->pvy;
  d->pvy = d->vy;
  d->vy = sw;
  sad_all_blocks (d, t, p, 0, 0, d->res);
  /* the stand test wants the zero-motion residual alone */
  *stood = d->cfg.stand &&
      avm_block_stand_process (&d->stand, d->res, p, d->tw, sf);
  if (d->cfg.repeat) {
    /* at zero motion a block's SAD is at most 16 x 255: 32 bits hold the
     * sum of any picture, and a local copy lets it vectorise */
    const uint16_t *restrict res = d->res;
    const unsigned floor = (unsigned) (MOVING_FLOOR * 16);
    uint32_t sum = 0, above = 0;
    int n = d->nblocks;

    for (i = 0; i < n; i++) {
      unsigned r = res[i];

      sum += r;
      above += r > floor ? r - floor : 0;
    }
    still = sum;
    *moving = above / 16.0;
  }
  if (gx == 0 && gy == 0) {
    memset (d->vx, 0, (size_t) d->nblocks);
    memset (d->vy, 0, (size_t) d->nblocks);
    return still / (16.0 * d->nblocks);
  }
  sad_all_blocks (d, t, p, gx, gy, d->tmp);
  {
    /* restrict copies and selects: through d the stores to the vectors
     * might alias everything, which kept this loop scalar and reloading */
    uint16_t *restrict res = d->res;
    const uint16_t *restrict tmp = d->tmp;
    int8_t *restrict vx = d->vx, *restrict vy = d->vy;
    int n = d->nblocks;

    for (i = 0; i < n; i++) {
      int m = tmp[i] < res[i];

      res[i] = m ? tmp[i] : res[i];
      vx[i] = (int8_t) (m ? gx : 0);
      vy[i] = (int8_t) (m ? gy : 0);
    }
  }
  return still / (16.0 * d->nblocks);
}

/* Global motion on the half-resolution thumbnails, refined at thumbnail
 * resolution; returns it in thumbnail samples. */
static void
global_search (AvmBlocksDetector * d, const uint8_t * t, const uint8_t * p,
    const uint8_t * hc, const uint8_t * hp, int *gx, int *gy)
{
  int R = d->range, dx, dy, bx = 0, by = 0;
  double best = 1e18;

  for (dy = -R; dy <= R; dy++) {
    for (dx = -R; dx <= R; dx++) {
      double s = half_sad (d, hc, hp, dx, dy);
      if (s < best) {
        best = s;
        bx = dx;
        by = dy;
      }
    }
  }
  {
    int cx = 2 * bx, cy = 2 * by, rx = cx, ry = cy;
    double b2 = 1e18;

    /* thumbnail samples: every 4th row is enough to choose */
    for (dy = cy - 1; dy <= cy + 1; dy++) {
      for (dx = cx - 1; dx <= cx + 1; dx++) {
        int x0 = dx < 0 ? -dx : 0, x1 = dx > 0 ? d->tw - dx : d->tw;
        int y0 = dy < 0 ? -dy : 0, y1 = dy > 0 ? d->th - dy : d->th;
        uint64_t s = 0, n = 0;
        int y, x;
        for (y = y0; y < y1; y += 4) {
          const uint8_t *ra = t + (size_t) y * d->tw;
          const uint8_t *rb = p + (size_t) (y + dy) * d->tw + dx;
          for (x = x0; x < x1; x++)
            s += (unsigned) abs (ra[x] - rb[x]);
          n += (uint64_t) (x1 - x0);
        }
        if (n && (double) s / n < b2) {
          b2 = (double) s / n;
          rx = dx;
          ry = dy;
        }
      }
    }
    *gx = rx;
    *gy = ry;
  }
}

typedef struct
{
  int best, bvx, bvy;           /* whole block */
  int q[4];                     /* best of each 8x8 px quarter, any vector */
} Search;

/* Tries vector (@vx, @vy) for block @i, for the whole block and, with
 * @quarters, for each quarter on its own (only with the few vectors of the
 * surroundings: the minimum of 4 samples over a whole search would
 * explain anything). */
static void
try_vector (const AvmBlocksDetector * d, const uint8_t * t, const uint8_t * p,
    int i, int vx, int vy, Search * s, int quarters)
{
  int x0 = 4 * (i % d->bw), y0 = 4 * (i / d->bw), k, tot = 0;

  if (x0 + vx < 0 || y0 + vy < 0 || x0 + vx + 4 > d->tw || y0 + vy + 4 > d->th)
    return;
  for (k = 0; k < 4; k++) {
    int qx = x0 + 2 * (k & 1), qy = y0 + 2 * (k >> 1);
    int q = sad_win (t, p, d->tw, d->th, qx, qy, qx + vx, qy + vy, 2, 2);
    tot += q;
    if (quarters && q < s->q[k])
      s->q[k] = q;
  }
  if (tot < s->best) {
    s->best = tot;
    s->bvx = vx;
    s->bvy = vy;
  }
}

/* SAD of block @i against the previous thumbnail at (@qx, @qy) quarter
 * samples (one frame pixel), bilinear; -1 when the window leaves the
 * picture. */
static int
sad_frac (const AvmBlocksDetector * d, const uint8_t * t, const uint8_t * p,
    int i, int qx, int qy)
{
  int x0 = 4 * (i % d->bw), y0 = 4 * (i / d->bw), tw = d->tw;
  int ix = x0 + (qx >> 2), iy = y0 + (qy >> 2), fx = qx & 3, fy = qy & 3;
  int w00 = (4 - fx) * (4 - fy), w01 = fx * (4 - fy), w10 = (4 - fx) * fy;
  int w11 = fx * fy, x, y, s = 0;

  if (ix < 0 || iy < 0 || ix + 5 > tw || iy + 5 > d->th)
    return -1;
  for (y = 0; y < 4; y++) {
    const uint8_t *a = t + (size_t) (y0 + y) * tw + x0;
    const uint8_t *r0 = p + (size_t) (iy + y) * tw + ix, *r1 = r0 + tw;
    for (x = 0; x < 4; x++) {
      int v = (w00 * r0[x] + w01 * r0[x + 1] + w10 * r1[x] +
          w11 * r1[x + 1] + 8) >> 4;
      s += abs (a[x] - v);
    }
  }
  return s;
}

/* Motion is rarely a whole number of thumbnail samples (4 px): a slow pan
 * of 1 px per frame leaves every sharp edge with a residual at any whole
 * vector.  Refines the best whole vector in half, then quarter samples
 * (what a codec's sub-pixel prediction does); returns the best SAD. */
static int
subsample_refine (const AvmBlocksDetector * d, const uint8_t * t,
    const uint8_t * p, int i, const Search * s)
{
  int cx = 4 * s->bvx, cy = 4 * s->bvy, best = s->best, step, dx, dy;

  for (step = 2; step >= 1; step--) {
    int nx = cx, ny = cy;
    for (dy = -step; dy <= step; dy += step) {
      for (dx = -step; dx <= step; dx += step) {
        int c;
        if (!dx && !dy)
          continue;
        c = sad_frac (d, t, p, i, cx + dx, cy + dy);
        if (c >= 0 && c < best) {
          best = c;
          nx = cx + dx;
          ny = cy + dy;
        }
      }
    }
    cx = nx;
    cy = ny;
  }
  return best;
}

/* SAD of block @i against the envelope of the previous thumbnail at
 * vector (@vx, @vy): each sample counts only by how far it lies outside
 * the range of the 3x3 samples around its match.  Motion by a fraction
 * of a sample puts a sharp edge between its neighbours (a box-filtered
 * edge moving 1 px changes its sample by a quarter of the step, which no
 * interpolation of the neighbours predicts); a damaged block of flat or
 * foreign values lies outside.  -1 when the window leaves the picture. */
static int
sad_envelope (const AvmBlocksDetector * d, const uint8_t * t,
    const uint8_t * p, int i, int vx, int vy)
{
  int x0 = 4 * (i % d->bw), y0 = 4 * (i / d->bw), tw = d->tw;
  int px = x0 + vx - 1, py = y0 + vy - 1, x, y, s = 0;

  if (px < 0 || py < 0 || px + 6 > tw || py + 6 > d->th)
    return -1;
  for (y = 0; y < 4; y++) {
    const uint8_t *a = t + (size_t) (y0 + y) * tw + x0;
    const uint8_t *r = p + (size_t) (py + y) * tw + px;
    for (x = 0; x < 4; x++) {
      int lo = 255, hi = 0, u, v, c = a[x];
      for (v = 0; v < 3; v++)
        for (u = 0; u < 3; u++) {
          int q = r[(size_t) v * tw + x + u];
          lo = q < lo ? q : lo;
          hi = q > hi ? q : hi;
        }
      s += c < lo ? lo - c : c > hi ? c - hi : 0;
    }
  }
  return s;
}

/* What the previous frame cannot explain: the best whole-block match, or
 * each quarter matched on its own when that is better (a block across
 * the edge of a moving object, or of a scrolling band, holds two motions;
 * damage leaves every quarter unexplained). */
static int
search_residual (const Search * s)
{
  int q = s->q[0] + s->q[1] + s->q[2] + s->q[3];
  return q < s->best ? q : s->best;
}

/* A search of its own for block @i, stopping as soon as its residual is
 * below @lim: first the vectors its surroundings predict (its own and its
 * neighbours' in the previous frame, its left and top neighbours' now: a
 * block of a moving object), then a coarse full search on the
 * half-resolution thumbnails around the global vector (a 4x4 window: the
 * block and a ring of 8 px around it, more robust than the block alone),
 * refined +/- 1 thumbnail sample. */
static void
block_search (AvmBlocksDetector * d, int i, int lim, const uint8_t * t,
    const uint8_t * p, const uint8_t * hc, const uint8_t * hp)
{
  int bx = i % d->bw, by = i / d->bw;
  int hx = 2 * bx, hy = 2 * by;
  int wx = hx - 1, wy = hy - 1, ww = 4, wh = 4;
  int R = d->range, cx = d->gx / 2, cy = d->gy / 2;
  int cbest = -1, cvx = 0, cvy = 0, dx, dy, k;
  Search s;

  s.best = 1 << 30;
  s.bvx = d->vx[i];
  s.bvy = d->vy[i];
  for (k = 0; k < 4; k++)
    s.q[k] = 1 << 28;
  try_vector (d, t, p, i, 0, 0, &s, 1);
  try_vector (d, t, p, i, d->gx, d->gy, &s, 1);
  try_vector (d, t, p, i, d->pvx[i], d->pvy[i], &s, 1);
  if (bx > 0) {
    try_vector (d, t, p, i, d->vx[i - 1], d->vy[i - 1], &s, 1);
    try_vector (d, t, p, i, d->pvx[i - 1], d->pvy[i - 1], &s, 1);
  }
  if (by > 0) {
    try_vector (d, t, p, i, d->vx[i - d->bw], d->vy[i - d->bw], &s, 1);
    try_vector (d, t, p, i, d->pvx[i - d->bw], d->pvy[i - d->bw], &s, 1);
  }
  if (bx + 1 < d->bw)
    try_vector (d, t, p, i, d->pvx[i + 1], d->pvy[i + 1], &s, 1);
  if (by + 1 < d->bh)
    try_vector (d, t, p, i, d->pvx[i + d->bw], d->pvy[i + d->bw], &s, 1);
  if (search_residual (&s) >= lim) {
    int px = s.bvx, py = s.bvy;
    /* the best prediction may be off by one sample */
    for (dy = -1; dy <= 1; dy++)
      for (dx = -1; dx <= 1; dx++)
        if (dx || dy)
          try_vector (d, t, p, i, px + dx, py + dy, &s, 0);
  }
  if (search_residual (&s) >= lim) {
    if (wx < 0 || wy < 0 || wx + 4 > d->hw || wy + 4 > d->hh) {
      wx = hx;
      wy = hy;
      ww = wh = 2;
    }
    for (dy = cy - R; dy <= cy + R; dy++) {
      for (dx = cx - R; dx <= cx + R; dx++) {
        int c = sad_win (hc, hp, d->hw, d->hh, wx, wy, wx + dx, wy + dy, ww,
            wh);
        if (c >= 0 && (cbest < 0 || c < cbest)) {
          cbest = c;
          cvx = dx;
          cvy = dy;
        }
      }
    }
    if (cbest >= 0) {
      for (dy = -1; dy <= 1; dy++)
        for (dx = -1; dx <= 1; dx++)
          try_vector (d, t, p, i, 2 * cvx + dx, 2 * cvy + dy, &s, 0);
    }
  }
  k = search_residual (&s);
  if (k >= lim) {
    int f = subsample_refine (d, t, p, i, &s);
    if (f < k)
      k = f;
  }
  if (k < d->res[i])
    d->res[i] = (uint16_t) k;
  d->vx[i] = (int8_t) s.bvx;
  d->vy[i] = (int8_t) s.bvy;
}

/* Step of the frame difference at the block's boundary against its
 * variation inside; both per sample pair. */
/* Nonzero when the residual of block @i (against its best vector) sits in
 * one band of thumbnail rows or columns: a thin line or edge that jumped
 * (sweeping cross-hairs, a ruler, a ticker's baseline), not a damaged
 * block, whose whole content is foreign. Two adjacent rows (or columns)
 * holding >= 85% of the residual: a 1-px line straddles at most two. */
static int
thin_residual (const AvmBlocksDetector * d, const uint8_t * t,
    const uint8_t * p, int i)
{
  int tw = d->tw, x0 = 4 * (i % d->bw), y0 = 4 * (i / d->bw);
  int vx = d->vx[i], vy = d->vy[i], x, y, total = 0, k;
  int row[4] = { 0, 0, 0, 0 }, col[4] = { 0, 0, 0, 0 };

  if (x0 + vx < 0 || y0 + vy < 0 || x0 + vx + 4 > tw || y0 + vy + 4 > d->th)
    vx = vy = 0;
  for (y = 0; y < 4; y++) {
    for (x = 0; x < 4; x++) {
      int r = abs ((int) t[(size_t) (y0 + y) * tw + x0 + x] -
          (int) p[(size_t) (y0 + y + vy) * tw + x0 + x + vx]);

      row[y] += r;
      col[x] += r;
      total += r;
    }
  }
  if (total == 0)
    return 0;
  for (k = 0; k < 3; k++) {
    if (100 * (row[k] + row[k + 1]) >= 85 * total ||
        100 * (col[k] + col[k + 1]) >= 85 * total)
      return 1;
  }
  return 0;
}

static void
edge_step (const AvmBlocksDetector * d, const uint8_t * t, const uint8_t * p,
    int i, double *edge, double *inner)
{
  int tw = d->tw, x0 = 4 * (i % d->bw), y0 = 4 * (i / d->bw);
  int k, j, se = 0, ne = 0, si = 0;

#define DF(x, y) ((int) t[(size_t) (y) * tw + (x)] - \
    (int) p[(size_t) (y) * tw + (x)])
  for (k = 0; k < 4; k++) {
    for (j = 0; j < 3; j++) {
      si += abs (DF (x0 + j + 1, y0 + k) - DF (x0 + j, y0 + k));
      si += abs (DF (x0 + k, y0 + j + 1) - DF (x0 + k, y0 + j));
    }
    if (x0 > 0) {
      se += abs (DF (x0, y0 + k) - DF (x0 - 1, y0 + k));
      ne++;
    }
    if (x0 + 4 < tw) {
      se += abs (DF (x0 + 4, y0 + k) - DF (x0 + 3, y0 + k));
      ne++;
    }
    if (y0 > 0) {
      se += abs (DF (x0 + k, y0) - DF (x0 + k, y0 - 1));
      ne++;
    }
    if (y0 + 4 < d->th) {
      se += abs (DF (x0 + k, y0 + 4) - DF (x0 + k, y0 + 3));
      ne++;
    }
  }
#undef DF
  *edge = ne ? (double) se / ne : 0.0;
  *inner = si / 24.0;
}

/* Borders of macroblock (@bx, @by) of the full-resolution picture over
 * @ratio (avm_grid_step_borders_over()); 0 when it cannot be measured. */
static int
grid_borders (const AvmLumaPlane * plane, int bx, int by, double ratio)
{
  AvmGridStep g;

  if (avm_grid_step (plane, bx, by, &g) < 0 || g.borders == 0)
    return 0;
  return avm_grid_step_borders_over (&g, ratio);
}

/* Probes that make the rate known. */
static uint64_t
grid_warm_target (const AvmBlocksDetector * d)
{
  uint64_t t = 2 * (uint64_t) d->nblocks;

  return t < GRID_PROBES_WARM ? t : GRID_PROBES_WARM;
}

/* Block @i or one of its four neighbours was found damaged in this frame
 * or in the last damaged one. */
static int
damage_near (const AvmBlocksDetector * d, int i)
{
  int bx = i % d->bw, by = i / d->bw, k;
  int nbr[5];

  nbr[0] = i;
  nbr[1] = bx > 0 ? i - 1 : -1;
  nbr[2] = bx + 1 < d->bw ? i + 1 : -1;
  nbr[3] = by > 0 ? i - d->bw : -1;
  nbr[4] = by + 1 < d->bh ? i + d->bw : -1;
  for (k = 0; k < 5; k++) {
    if (nbr[k] < 0)
      continue;
    if (d->flag[nbr[k]] == 2 || (d->have_undo && d->undo[nbr[k]]))
      return 1;
  }
  return 0;
}

/* Runs the grid test on a few blocks spread over the picture in turn,
 * whatever the tests of this frame said, and updates the background pass
 * rate (a mean over the last 4000 or so probes).  With @skip_damage,
 * blocks found damaged in this frame or the last damaged one, and their
 * neighbours (which step on the borders they share with damage), are
 * passed over: damage that goes on must not teach the rate, or it would
 * turn the test off while it lasts. */
static void
grid_probe (AvmBlocksDetector * d, const AvmLumaPlane * plane, int skip_damage)
{
  uint32_t nb = (uint32_t) d->nblocks, k;
  int n = GRID_PROBES, taken = 0, pass = 0;
  double w;

  /* the rate must be known by the first judged frame: until then neither
   * the grid test nor the mosaic rule of the area test could be applied,
   * and an encoder settling on noise after its first key frame changes
   * blocks all over the picture (one frame at 1080p holds the warm-up's
   * 1600 probes) */
  if (d->grid_probes < grid_warm_target (d)) {
    n = (int) (grid_warm_target (d) - d->grid_probes);
    if ((uint32_t) n > nb)
      n = (int) nb;
  }

  for (k = 0; k < nb && taken < n; k++) {
    int i = (int) (d->probe_at % nb);

    d->probe_at = (d->probe_at + d->probe_step) % nb;
    if (skip_damage && damage_near (d, i))
      continue;
    taken++;
    pass += grid_borders (plane, i % d->bw, i / d->bw, d->cfg.grid_ratio) >= 2;
  }
  if (taken == 0)
    return;
  d->grid_probes += (uint64_t) taken;
  w = (double) taken / (double) (d->grid_probes < 4000 ? d->grid_probes : 4000);
  d->grid_background += ((double) pass / taken - d->grid_background) * w;
  /* for a while after a cut, not below the rate before it (see
   * grid_after_frame()) */
  if (d->grid_background < d->grid_floor)
    d->grid_background = d->grid_floor;
}

/* The grid test means something here: its background rate is known and
 * low. */
static int
grid_usable (const AvmBlocksDetector * d)
{
  return d->grid_probes >= grid_warm_target (d) &&
      d->grid_background < GRID_BACKGROUND_MAX;
}

/* The rate's bookkeeping at the end of a frame.  A cut may bring content
 * of another kind: the rate is measured afresh from the next frame (the
 * one not judged after a cut; on the cut frame itself the burst would run
 * on every frame of content that cuts all the time).  For GRID_FLOOR_TIME
 * after it, the rate is not taken below the one before the cut, since a
 * starved encoder's key frame, taken for a cut, and the frame or two after
 * it are clean where the picture is a mosaic again soon after; then it is
 * measured afresh once more and taken as it is. */
static void
grid_after_frame (AvmBlocksDetector * d, const AvmLumaPlane * plane,
    int cut, uint64_t pts)
{
  if (cut) {
    /* a cut during the measure after another keeps that one's floor */
    if (d->grid_probes >= grid_warm_target (d) &&
        d->grid_background > d->grid_floor)
      d->grid_floor = d->grid_background;
    d->grid_floor_until = pts + GRID_FLOOR_TIME;
    d->grid_probes = 0;
    d->grid_background = 0.0;
    return;
  }
  if (d->grid_floor_until != AVM_TIME_NONE && pts >= d->grid_floor_until) {
    d->grid_floor = 0.0;
    d->grid_floor_until = AVM_TIME_NONE;
    d->grid_probes = 0;
    d->grid_background = 0.0;
  }
  /* inside a span only: outside one, the blocks that look damaged in a
   * picture that steps on the grid everywhere are what the rate must
   * see */
  grid_probe (d, plane, d->start != AVM_TIME_NONE);
}

/* SAD of block @i of @t against the frame before the last damaged one:
 * at rest, or moved by the global motion of the two frames since, in half
 * samples +/- 1 sample (a pan is rarely a whole number of samples); -1
 * when every window leaves the picture. */
static int
undo_residual (const AvmBlocksDetector * d, const uint8_t * t, int i)
{
  int best = -1, k, dx, dy;

  for (k = 0; k < 2; k++) {
    int cx = k ? 4 * (d->undo_gx + d->gx) : 0;
    int cy = k ? 4 * (d->undo_gy + d->gy) : 0;

    if (k && cx == 0 && cy == 0)
      break;
    for (dy = -4; dy <= 4; dy += 2) {
      for (dx = -4; dx <= 4; dx += 2) {
        int s = sad_frac (d, t, d->prev2, i, cx + dx, cy + dy);
        if (s >= 0 && (best < 0 || s < best))
          best = s;
      }
    }
  }
  return best;
}

static void
update_span (AvmBlocksDetector * d, int damaged, int repaired, int cut,
    uint64_t first, uint64_t pts, uint64_t dur, const AvmBlocksFrame * f,
    AvmSpanEvent * ev)
{
  const AvmBlocksConfig *cfg = &d->cfg;

  if (d->start != AVM_TIME_NONE) {
    /* the hold covers damage that stays in the picture unseen (a decoder
     * predicting from a damaged reference until the next key frame); a
     * span whose damage was seen to go away, with no new damage after it
     * until the hold ran out (the tests miss a frame now and then in
     * damage that goes on, and damage that recurs is one span), ends
     * where it went */
    int expired;

    /* the doubt is damage going on below a damaged frame's threshold:
     * damaged blocks in two frames running, or of the order of the
     * span's own per frame (over its frames that had damaged blocks:
     * repeats, the texture test and the scan count none); not the few
     * that busy content gives a clean
     * frame now and then (smpte's moving bars: 1-5 in one frame of 10 or
     * 20, against 12-20 a frame in a span of injected damage) */
    int quiet = f->damaged_blocks >= REPAIR_QUIET_BLOCKS;

    if (damaged || (d->repair_pts != AVM_TIME_NONE && quiet &&
            (d->quiet_last ||
                2 * (uint64_t) f->damaged_blocks * d->blocks_frames >=
                d->blocks_sum)))
      d->repair_pts = AVM_TIME_NONE;
    else if (repaired && d->repair_pts == AVM_TIME_NONE)
      d->repair_pts = pts;
    d->quiet_last = quiet;
    expired = !damaged && pts >= d->last_flag + cfg->hold;
    if (cut || expired) {
      if (d->open) {
        ev->ended = 1;
        ev->start = d->start;
        ev->end = d->repair_pts != AVM_TIME_NONE ? d->repair_pts : pts;
        d->last_end = ev->end;
        ev->value = d->worst;
        ev->confidence = d->nflagged ? d->conf_sum / d->nflagged : 0.0;
      }
      span_reset (d);
    }
  }
  if (!damaged || cut)
    return;
  if (d->start == AVM_TIME_NONE) {
    /* damage seen late (a repeat, known when motion resumes) started at
     * its first frame, but not inside the span before */
    d->start = d->last_end != AVM_TIME_NONE && first < d->last_end ?
        d->last_end : first;
    memset (&d->span_box, 0, sizeof (d->span_box));
  }
  d->last_flag = pts;
  if (f->area > d->worst)
    d->worst = f->area;
  d->conf_sum += f->confidence;
  d->nflagged++;
  d->blocks_sum += (uint64_t) f->damaged_blocks;
  d->blocks_frames += f->damaged_blocks > 0;
  if (f->bbox.width > 0) {
    if (d->span_box.width == 0) {
      d->span_box = f->bbox;
    } else {
      int x1 = d->span_box.x + d->span_box.width;
      int y1 = d->span_box.y + d->span_box.height;
      int fx1 = f->bbox.x + f->bbox.width, fy1 = f->bbox.y + f->bbox.height;
      if (f->bbox.x < d->span_box.x)
        d->span_box.x = f->bbox.x;
      if (f->bbox.y < d->span_box.y)
        d->span_box.y = f->bbox.y;
      d->span_box.width = (fx1 > x1 ? fx1 : x1) - d->span_box.x;
      d->span_box.height = (fy1 > y1 ? fy1 : y1) - d->span_box.y;
    }
  }
  if (!d->open) {
    uint64_t end = dur == AVM_TIME_NONE ? pts : pts + dur;
    if (end >= d->start + cfg->duration) {
      d->open = 1;
      ev->started = 1;
      ev->start = d->start;
      ev->value = d->worst;
      ev->confidence = d->conf_sum / d->nflagged;
    }
  }
}

/* Grows the box of damaged blocks (inclusive block indices) by @r, in
 * frame pixels on the 16 px grid. */
static void
grow_block_box (const AvmRect * r, int *x0, int *y0, int *x1, int *y1)
{
  int rx1 = (r->x + r->width) / 16 - 1, ry1 = (r->y + r->height) / 16 - 1;

  *x0 = r->x / 16 < *x0 ? r->x / 16 : *x0;
  *y0 = r->y / 16 < *y0 ? r->y / 16 : *y0;
  *x1 = rx1 > *x1 ? rx1 : *x1;
  *y1 = ry1 > *y1 ? ry1 : *y1;
}

void
avm_blocks_process (AvmBlocksDetector * d, const uint8_t * t,
    const uint8_t * p, const AvmLumaPlane * plane, uint64_t pts,
    uint64_t dur, int decoder_corrupted, AvmSpanEvent * ev,
    AvmBlocksFrame * out)
{
  const AvmBlocksConfig *cfg = &d->cfg;
  AvmBlocksFrame f;
  uint8_t *hc, *hp;
  unsigned med, lim;
  int i, cut = 0, x0 = d->bw, y0 = d->bh, x1 = -1, y1 = -1;
  double conf = 0.0, strong_area;
  int damaged, strong, gridded, nstrong = 0;
  int sx0 = d->bw, sy0 = d->bh, sx1 = -1, sy1 = -1, mosaic = 0, nstepped = 0;
  int undo_total = 0, undone = 0, repaired;
  int same_plane = plane && plane->width == d->width &&
      plane->height == d->height;
  int have_plane = same_plane && cfg->grid_ratio > 0.0;
  int have_tex = same_plane && d->tex.ratio > 0.0;
  int have_scan = have_plane && scan_on (cfg, d->width, d->height);
  int grid = have_plane, textured = 0, scanned = 0, scan_extra = 0;
  int repeated = 0, bounded = 0, boundary_extra = 0;
  int partial = 0, broken = 0;
  AvmPartialCut pc;
  AvmBoundaryFrame bf;
  uint64_t first = pts, last = d->last_pts;
  double still, moving, repeat_depth = 1.0;
  int stood = 0, stand_extra = 0;
  AvmBlockStandFrame stf;
  AvmTextureFrame tf;
  AvmGridScanFrame sf;

  memset (ev, 0, sizeof (*ev));
  memset (&f, 0, sizeof (f));
  if (pts == AVM_TIME_NONE)
    pts = d->last_pts == AVM_TIME_NONE ? 0 : d->last_pts;
  d->last_pts = pts;

  d->cur_half ^= 1;
  hc = d->half[d->cur_half];
  hp = d->half[d->cur_half ^ 1];
  make_half (t, d->tw, hc, d->hw, d->hh);

  if (!p || !d->have_prev || d->nblocks == 0) {
    /* the previous half thumbnail is only ours after one frame */
    d->have_prev = 1;
    d->have_undo = 0;
    if (have_plane && d->nblocks > 0)
      grid_probe (d, plane, 0);
    if (have_tex)
      avm_texture_process (&d->tex, plane, 1, NULL, &tf);
    if (have_scan && d->nblocks > 0)
      avm_grid_scan_process (&d->scan, plane, 0, &sf);
    f.confidence = decoder_corrupted ? 1.0 : 0.0;
    update_span (d, decoder_corrupted, 0, 0, pts, pts, dur, &f, ev);
    if (out)
      *out = f;
    return;
  }

  /* the grid test only where it means something: see grid_probe() */
  if (have_plane) {
    grid = grid_usable (d);
    /* until the background rate is known the picture may be a mosaic */
    mosaic = !grid;
  }
  still = cheap_pass (d, t, p, d->gx, d->gy, &moving, &stood, &stf);
  med = median_sad (d->res, d->nblocks);
  if (med > GLOBAL_SEARCH_RES * 16) {
    int gx, gy;
    global_search (d, t, p, hc, hp, &gx, &gy);
    if (gx != d->gx || gy != d->gy) {
      sad_all_blocks (d, t, p, gx, gy, d->tmp);
      for (i = 0; i < d->nblocks; i++) {
        if (d->tmp[i] < d->res[i]) {
          d->res[i] = d->tmp[i];
          d->vx[i] = (int8_t) gx;
          d->vy[i] = (int8_t) gy;
        }
      }
      d->gx = gx;
      d->gy = gy;
      med = median_sad (d->res, d->nblocks);
    }
  }
  f.median_residual = med / 16.0;
  memset (d->flag, 0, (size_t) d->nblocks);
  d->warm++;
  /* a picture that stood for a few frames in steady motion (repeat.h) */
  if (cfg->repeat) {
    uint64_t first_moving = pts;
    int moving_repeated;

    repeated = avm_repeat_process (&d->repeat, still, REPEAT_FLOOR, pts,
        &first);
    if (repeated)
      repeat_depth = avm_repeat_depth (&d->repeat);
    /* the same in the moving part alone: a still picture under a running
     * clock or a ticker, where the whole picture's mean hardly moves, and
     * a lost frame stops the clock */
    moving_repeated = avm_repeat_process (&d->repeat_moving, moving,
        MOVING_REPEAT_FLOOR, pts, &first_moving) &&
        avm_repeat_depth (&d->repeat_moving) <= MOVING_REPEAT_DEPTH;
    if (moving_repeated && !repeated) {
      repeated = 1;
      first = first_moving;
      repeat_depth = avm_repeat_depth (&d->repeat_moving);
    }
  }
  if (med > cfg->cut_residual * 16) {
    /* a cut, or damage over most of the picture (partialcut.h) */
    unsigned klim = 2 * d->last_med > FLOOR_RES * 16 ?
        2 * d->last_med : (unsigned) (FLOOR_RES * 16);

    avm_partial_cut_measure (t, d->tw, d->res, d->still, d->bw, d->bh, klim,
        &pc);
    /* only in a stream whose frames seldom come near a cut: noise starved
     * by its encoder (skipped in some frames, re-coded in others) has
     * medians from 0.5 to 17 codes, a third or more of them above half
     * a cut's, and its cut-like frames keep the blocks it skipped */
    partial = d->cut_frames >= PARTIAL_CUT_WARM &&
        d->cut_rate < PARTIAL_CUT_RATE && 4 * pc.blocks >= d->nblocks &&
        pc.kept >= PARTIAL_CUT_KEPT * pc.blocks;
    /* in an open span, unless the damage is still spreading, a frame with
     * that layout is the key frame that repairs the damage (the rows
     * kept, the rest changed back): a cut, which ends the span */
    broken = partial && pc.best_row >= PARTIAL_CUT_ROW &&
        (!d->open || d->spreading);
    f.cut_kept = pc.blocks ? (double) pc.kept / pc.blocks : 0.0;
    cut = 1;
    repeated = 0;               /* a cut tells nothing of a stand */
    stood = 0;
    d->warm = 0;
    avm_repeat_reset (&d->repeat);
    avm_repeat_reset (&d->repeat_moving);
    avm_block_stand_reset (&d->stand);  /* the new scene's motion is new */
  } else if (d->warm <= WARM_UP_FRAMES) {
    /* no vector field yet to predict from: periodic patterns (a scrolling
     * checkerboard) can match a wrong global vector on the first frame */
    stood = 0;
  } else {
    double base = med > FLOOR_RES * 16 ? med : FLOOR_RES * 16;
    double cand_ratio = grid && GRID_RESIDUAL_RATIO < cfg->residual_ratio ?
        GRID_RESIDUAL_RATIO : cfg->residual_ratio;
    double edge_cand = grid && GRID_EDGE_RATIO < cfg->edge_ratio ?
        GRID_EDGE_RATIO : cfg->edge_ratio;
    unsigned strong_lim = (unsigned) (cfg->residual_ratio * base);

    if (strong_lim < cfg->min_residual * 16)
      strong_lim = (unsigned) (cfg->min_residual * 16);
    lim = (unsigned) (cand_ratio * base);
    if (lim < cfg->min_residual * 16)
      lim = (unsigned) (cfg->min_residual * 16);
    for (i = 0; i < d->nblocks; i++) {
      if (d->res[i] >= lim) {
        block_search (d, i, (int) lim, t, p, hc, hp);
        f.searched_blocks++;
        if (d->res[i] >= strong_lim)
          d->flag[i] = 1;       /* candidate */
        else if (d->res[i] >= lim)
          d->flag[i] = 3;       /* candidate for the grid test only */
      }
    }
    /* the last damaged frame's blocks that are back to the frame before
     * it: damage undone, not new damage */
    if (d->have_undo) {
      for (i = 0; i < d->nblocks; i++) {
        int s2;

        if (!d->undo[i])
          continue;
        undo_total++;
        s2 = undo_residual (d, t, i);
        if (s2 >= 0 && s2 < (int) lim && 2 * s2 <= d->res[i]) {
          d->undo[i] = 2;
          undone++;
        }
      }
    }
    memset (d->changed, 0, (size_t) d->nblocks);
    /* judge candidates against their neighbours that are not candidates */
    for (i = 0; i < d->nblocks; i++) {
      int bx = i % d->bw, by = i / d->bw, nx, ny, n = 0;
      uint16_t nb[8];
      double nbmed, b2, edge, inner, c1, c2;

      if (!d->flag[i])
        continue;
      if (d->have_undo && d->undo[i] == 2) {
        d->flag[i] = 0;
        continue;
      }
      /* picture entering at the border under global motion has no past */
      if (4 * bx + d->gx < 0 || 4 * bx + 4 + d->gx > d->tw ||
          4 * by + d->gy < 0 || 4 * by + 4 + d->gy > d->th) {
        d->flag[i] = 0;
        continue;
      }
      /* the same under local motion: a border block whose neighbours move
       * so that this block's content came from outside the frame (a pan
       * the global search skipped because most blocks matched without
       * moving, e.g. vertical bars scrolling sideways) */
      if (border_entering (d, bx, by)) {
        d->flag[i] = 0;
        continue;
      }
      /* a border block has no neighbour on one side to judge it against,
       * and under any motion new picture enters there (pans, scrolls):
       * it counts only as part of damage that reaches inward */
      if (!inward_neighbour_flagged (d, bx, by)) {
        d->flag[i] = 0;
        continue;
      }
      for (ny = by - 1; ny <= by + 1; ny++) {
        for (nx = bx - 1; nx <= bx + 1; nx++) {
          int j = ny * d->bw + nx;
          if ((nx == bx && ny == by) || nx < 0 || ny < 0 || nx >= d->bw ||
              ny >= d->bh || d->flag[j] == 1 || d->flag[j] == 2)
            continue;
          nb[n++] = d->res[j];
        }
      }
      if (n > 0) {
        int a, b;
        for (a = 1; a < n; a++) {
          uint16_t v = nb[a];
          for (b = a - 1; b >= 0 && nb[b] > v; b--)
            nb[b + 1] = nb[b];
          nb[b + 1] = v;
        }
        nbmed = nb[n / 2];
      } else {
        nbmed = med;
      }
      b2 = base > nbmed ? base : nbmed;
      /* a sharp edge moving by a fraction of a sample (any slow pan over
       * graphics) leaves a large residual at every whole vector, but
       * every sample between its neighbours: no damage */
      {
        int env = sad_envelope (d, t, p, i, d->vx[i], d->vy[i]);
        if (env >= 0 && env < ENVELOPE_MIN * 16) {
          d->flag[i] = 0;
          continue;
        }
      }
      /* changed beyond what motion explains, whatever its edges: the
       * boundary test's region */
      d->changed[i] = d->res[i] >= cfg->residual_ratio * b2 &&
          d->res[i] >= cfg->min_residual * 16 && !(d->have_undo && d->undo[i]);
      if (d->res[i] < cand_ratio * b2 || d->res[i] < cfg->min_residual * 16
          || thin_residual (d, t, p, i)) {
        d->flag[i] = 0;
        continue;
      }
      edge_step (d, t, p, i, &edge, &inner);
      if (inner < 1.0)
        inner = 1.0;
      if (edge < edge_cand * inner) {
        d->flag[i] = 0;
        continue;
      }
      c1 = d->res[i] / (cfg->residual_ratio * b2);
      c2 = edge / (cfg->edge_ratio * inner);
      strong = c1 >= 1.0 && c2 >= 1.0;
      /* the looser candidates (and the strong ones) are confirmed by the
       * picture itself: steps on the macroblock grid that its content
       * does not explain */
      gridded = 0;
      if (grid) {
        AvmGridStep g;

        if (avm_grid_step (plane, bx, by, &g) == 0 && g.borders > 0) {
          gridded = avm_grid_step_borders_over (&g, cfg->grid_ratio) >= 2;
          if (strong && (gridded ||
                  avm_grid_step_borders_over (&g, AREA_GRID_RATIO) >= 1))
            nstepped++;
        }
      }
      if (!strong && !gridded) {
        d->flag[i] = 0;
        continue;
      }
      d->flag[i] = 2;           /* damaged */
      f.damaged_blocks++;
      if (strong) {
        nstrong++;
        sx0 = bx < sx0 ? bx : sx0;
        sx1 = bx > sx1 ? bx : sx1;
        sy0 = by < sy0 ? by : sy0;
        sy1 = by > sy1 ? by : sy1;
      }
      if (gridded) {
        f.grid_blocks++;
        if (!strong)
          c1 = c2 = 1.0;
      }
      {
        double c = c1 < c2 ? c1 : c2;
        c = 0.5 + 0.25 * (c - 1.0);
        conf += c > 1.0 ? 1.0 : c;
      }
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

  /* how often the stream's frames come near a cut's median (a ~10 s
   * mean), damage aside */
  if (!d->open) {
    d->cut_frames++;
    d->cut_rate += ((double) (med >= cfg->cut_residual * 8) - d->cut_rate) /
        (double) CLAMP_FRAMES (d->cut_frames, 25, 250);
  }
  /* what stands still, for the next cut: the layout of the picture
   * (what stays through a cut, a logo or an L-band, keeps its age) */
  avm_partial_cut_age (d->still, d->res, d->vx, d->vy, d->nblocks,
      (unsigned) (FLOOR_RES * 16));
  if (!cut)
    d->last_med = med;
  /* a partial cut is no cut only while damage spreads from a broken
   * frame: a key frame that repairs damage is a partial cut too (the
   * damaged part changes back, the rest stays), and ends the span */
  partial = partial && (broken || d->spreading);
  d->spreading = partial;
  f.cut = cut && !partial;
  f.broken = broken;
  if (!cut && d->warm > WARM_UP_FRAMES && cfg->boundary_share > 0.0 &&
      grid && d->baseline_frames >= BOUNDARY_WARM_FRAMES) {
    /* a changed region that ends on the macroblock grid (boundary.h):
     * garbage over a band of macroblocks, whose own texture fails the
     * edge test of every block; only where the grid test is usable: in
     * a mosaic-like picture every change ends on the grid; and not
     * where the last damaged frame's blocks change (damage going away
     * ends on the grid too) */
    avm_boundary_measure (t, p, d->tw, d->th, d->changed, d->bw, d->bh, &bf);
    f.boundary_changed = bf.blocks;
    f.boundary_borders = bf.borders;
    f.boundary_aligned = bf.aligned;
    bounded = bf.blocks >= cfg->min_blocks && bf.borders >= 4 &&
        bf.aligned >= cfg->boundary_share * bf.borders;
    if (bounded) {
      double share = (double) bf.aligned / bf.borders;
      double c = 0.5 + 0.5 * (share - cfg->boundary_share) /
          (1.0 - cfg->boundary_share + 1e-9);

      f.boundary_blocks = bf.blocks;
      /* the area counts the blocks the other tests did not find */
      for (i = 0; i < d->nblocks; i++)
        boundary_extra += d->changed[i] && d->flag[i] != 2;
      conf += (c > 1.0 ? 1.0 : c) * boundary_extra;
      grow_block_box (&bf.bbox, &x0, &y0, &x1, &y1);
    }
  }
  if (have_tex) {
    /* damage the thumbnails cannot see: fine texture turned flat, or
     * texture painted into a flat area (texture.h); a cut teaches the
     * test nothing */
    unsigned sup = (unsigned) (cfg->min_residual * 16);

    for (i = 0; i < d->nblocks; i++)
      d->support[i] = d->res[i] >= sup;
    avm_texture_process (&d->tex, plane, cut, d->support, &tf);
    textured = tf.blocks >= TEXTURE_MIN_BLOCKS && !tf.cut;
    if (textured) {
      double c = 0.5 + 0.25 * (tf.worst / d->tex.ratio - 1.0);

      f.texture_blocks = tf.blocks;
      conf += (c > 1.0 ? 1.0 : c) * tf.blocks;
      grow_block_box (&tf.bbox, &x0, &y0, &x1, &y1);
    }
  }
  if (have_scan) {
    /* damage carried by prediction, which the temporal tests pass: more
     * blocks stepping on the grid than the stream's own level (a cut
     * starts a new level) */
    avm_grid_scan_process (&d->scan, plane, cut, &sf);
    /* not where the grid test is not used (grid_probe()): in a picture
     * that steps on the grid everywhere by chance (noise coded as a
     * mosaic by a starved encoder), a key frame re-codes blocks scattered
     * all over it, new steps on the grid by the dozen */
    scanned = sf.damaged && grid;
    if (scanned) {
      double c = 0.5 + 0.25 * (sf.blocks /
          (AVM_GRID_SCAN_LEVEL_RATIO * sf.level + AVM_GRID_SCAN_MIN_BLOCKS) -
          1.0);

      f.scan_blocks = sf.blocks;
      /* the area counts the blocks the other tests did not find */
      for (i = 0; i < d->nblocks; i++)
        scan_extra += d->flag[i] != 2 &&
            avm_grid_scan_counted (&d->scan, i % d->bw, i / d->bw);
      conf += (c > 1.0 ? 1.0 : c) * scan_extra;
      grow_block_box (&sf.bbox, &x0, &y0, &x1, &y1);
    }
  }
  if (stood) {
    /* the region that stood in the last frame lags from there on: a lost
     * slice concealed from the picture before (blockstand.h); 0.5 at the
     * block count, 1.0 at twice it */
    double c = 0.5 * stf.blocks / AVM_STAND_MIN_BLOCKS;

    f.stand_blocks = stf.blocks;
    for (i = 0; i < d->nblocks; i++)
      stand_extra += d->flag[i] != 2 && d->stand.stand[i];
    conf += (c > 1.0 ? 1.0 : c) * stand_extra;
    grow_block_box (&stf.bbox, &x0, &y0, &x1, &y1);
  }
  if (f.damaged_blocks + f.texture_blocks + scan_extra + boundary_extra +
      stand_extra > 0) {
    /* a block the texture test and another found counts twice (its
     * count does not say which blocks); the area is at most the
     * picture */
    int nb = f.damaged_blocks + f.texture_blocks + scan_extra +
        boundary_extra + stand_extra;

    f.area = (double) (nb < d->nblocks ? nb : d->nblocks) * 256.0 /
        ((double) d->width * d->height);
    f.bbox.x = 16 * x0;
    f.bbox.y = 16 * y0;
    f.bbox.width = 16 * (x1 + 1) - f.bbox.x;
    f.bbox.height = 16 * (y1 + 1) - f.bbox.y;
    f.confidence = conf / nb;
  }
  if (decoder_corrupted && !cut) {
    f.confidence = 1.0;
    if (f.bbox.width == 0) {
      f.bbox.width = d->width;
      f.bbox.height = d->height;
    }
  }
  if (cut) {
    d->gx = d->gy = 0;
  }
  {
    /* against the stream's own level: an exponential mean over 25 frames
     * at first (so a stream that starts noisy settles in about a second,
     * while a damaged first frame still stands out), stretching to 250
     * frames (~10 s): a burst stands out, a steady trickle of
     * foreign-looking blocks does not */
    double excess, density;

    strong_area = 256.0 * nstrong / ((double) d->width * d->height);
    /* where the grid test is usable, the area rule also needs one of its
     * blocks to step on the grid at one border at least (4x, see
     * grid_borders()): a starved encoder recoding a band of thin lines or
     * text at once changes many blocks without breaking the grid; a
     * decoder's damage breaks it somewhere */
    /* in a picture that steps on the grid everywhere by chance (the grid
     * test's background rate is high: noise coded as a mosaic of flat
     * blocks), an encoder redrawing it at a key frame changes blocks
     * scattered thinly over all of it; there only damage that is local
     * (a lost slice, a misplaced region) counts */
    density = nstrong ? (double) nstrong /
        ((double) (sx1 - sx0 + 1) * (sy1 - sy0 + 1)) : 0.0;
    excess = strong_area - 2.0 * d->area_baseline;
    damaged = !cut && (decoder_corrupted ||
        (excess >= cfg->area_threshold && nstrong >= cfg->min_blocks &&
            (!mosaic || density >= AREA_DENSITY_MIN) && (!grid || nstepped > 0))
        || (grid && cfg->grid_min_blocks > 0
            && f.grid_blocks >= cfg->grid_min_blocks) || textured || scanned
        || repeated || bounded || stood);
    if (broken) {
      /* the changed blocks, the ones the picture still has excluded */
      double c = 0.5 + 0.5 * (pc.best_row - PARTIAL_CUT_ROW) /
          (1.0 - PARTIAL_CUT_ROW);

      damaged = 1;
      f.area = (double) (pc.blocks - pc.kept) * 256.0 /
          ((double) d->width * d->height);
      f.bbox = pc.bbox;
      f.confidence = c > 1.0 ? 1.0 : c;
    }
    f.repeated = repeated && damaged;
    if (!cut) {
      d->baseline_frames++;
      d->area_baseline += (strong_area - d->area_baseline) /
          (double) CLAMP_FRAMES (d->baseline_frames, 25, 250);
    }
  }
  if (f.repeated) {
    /* the whole picture stood: 0.5 at the stand threshold, 1.0 at half
     * of it and below */
    double c = 0.5 + (1.0 - repeat_depth / AVM_REPEAT_RATIO);

    f.area = 1.0;
    f.bbox.x = f.bbox.y = 0;
    f.bbox.width = d->width;
    f.bbox.height = d->height;
    c = c > 1.0 ? 1.0 : c;
    f.confidence = c > f.confidence ? c : f.confidence;
  }
  /* most of the last damaged frame's blocks reverted, and at least twice
   * as many as this frame still shows damaged (what did not pass the
   * revert test: blocks on a moving object) */
  repaired = !damaged && undo_total >= (cfg->min_blocks > 1 ?
      cfg->min_blocks : 1) &&
      2 * undone >= undo_total && 2 * f.damaged_blocks <= undone;
  if (have_plane)
    grid_after_frame (d, plane, cut, pts);
  if (damaged && (f.damaged_blocks > 0 || bounded)) {
    memcpy (d->prev2, p, (size_t) d->tw * d->th);
    d->undo_gx = d->gx;
    d->undo_gy = d->gy;
    for (i = 0; i < d->nblocks; i++)
      d->undo[i] = d->flag[i] == 2 || (bounded && d->changed[i]);
    d->have_undo = 1;
  } else {
    d->have_undo = 0;
  }
  /* a repeat, and a stand, are known late: the span starts where the
   * picture stood */
  if (damaged && stood && last != AVM_TIME_NONE && last < first)
    first = last;
  update_span (d, damaged, repaired, f.cut,
      damaged && (repeated || stood) ? first : pts, pts, dur, &f, ev);
  if (out)
    *out = f;
}

int
avm_blocks_get_region (const AvmBlocksDetector * d, AvmRect * r)
{
  *r = d->span_box;
  return d->open;
}

void
avm_blocks_finish (AvmBlocksDetector * d, uint64_t end, AvmSpanEvent * ev)
{
  memset (ev, 0, sizeof (*ev));
  if (d->open) {
    ev->ended = 1;
    ev->start = d->start;
    /* damage seen to go away before the end, not yet confirmed */
    ev->end = d->repair_pts != AVM_TIME_NONE && d->repair_pts < end ?
        d->repair_pts : end;
    ev->value = d->worst;
    ev->confidence = d->nflagged ? d->conf_sum / d->nflagged : 0.0;
  }
  avm_blocks_reset (d);
}
