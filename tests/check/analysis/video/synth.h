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
/* Synthetic pictures for the video detector tests and benchmark: a
 * natural-looking texture (value noise in three octaves, features from
 * 64 px down to 4 px) that pans, a textured sprite that moves over it, and
 * the defects injected on top.  Deterministic from a seed. */

#ifndef __AVM_TEST_SYNTH_H__
#define __AVM_TEST_SYNTH_H__

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

typedef struct
{
  int w, h;                     /* texture size */
  uint8_t *pix;
} SynthTexture;

static inline uint32_t
synth_rand (uint32_t * s)
{
  /* xorshift32: reproducible on every platform */
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

/* Gaussian-ish noise, sigma 1 (sum of 4 uniforms, scaled). */
static inline double
synth_gauss (uint32_t * s)
{
  double a = 0.0;
  int i;
  for (i = 0; i < 4; i++)
    a += (synth_rand (s) & 0xffff) / 65536.0;
  return (a - 2.0) * 1.7320508;
}

static inline void
synth_octave (double *acc, int w, int h, int cell, double amp, uint32_t * s)
{
  int gw = w / cell + 2, gh = h / cell + 2, x, y;
  double *g = malloc (sizeof (double) * gw * gh);

  for (x = 0; x < gw * gh; x++)
    g[x] = ((synth_rand (s) & 0xffff) / 65535.0 * 2.0 - 1.0) * amp;
  for (y = 0; y < h; y++) {
    int gy = y / cell;
    double fy = (double) (y % cell) / cell;
    fy = fy * fy * (3 - 2 * fy);
    for (x = 0; x < w; x++) {
      int gx = x / cell;
      double fx = (double) (x % cell) / cell;
      double a, b;
      fx = fx * fx * (3 - 2 * fx);
      a = g[gy * gw + gx] * (1 - fx) + g[gy * gw + gx + 1] * fx;
      b = g[(gy + 1) * gw + gx] * (1 - fx) + g[(gy + 1) * gw + gx + 1] * fx;
      acc[(size_t) y * w + x] += a * (1 - fy) + b * fy;
    }
  }
  free (g);
}

static inline void
synth_texture_init (SynthTexture * t, int w, int h, uint32_t seed)
{
  double *acc = calloc ((size_t) w * h, sizeof (double));
  uint32_t s = seed ? seed : 1;
  size_t i;

  t->w = w;
  t->h = h;
  t->pix = malloc ((size_t) w * h);
  synth_octave (acc, w, h, 64, 70.0, &s);
  synth_octave (acc, w, h, 16, 30.0, &s);
  synth_octave (acc, w, h, 4, 10.0, &s);
  for (i = 0; i < (size_t) w * h; i++) {
    double v = 126.0 + acc[i];
    t->pix[i] = (uint8_t) (v < 16 ? 16 : (v > 235 ? 235 : v));
  }
  free (acc);
}

static inline void
synth_texture_free (SynthTexture * t)
{
  free (t->pix);
  t->pix = NULL;
}

/* Copies the texture window at (@ox, @oy) into a @w x @h 8-bit plane. */
static inline void
synth_pan (const SynthTexture * t, uint8_t * dst, size_t stride, int w,
    int h, int ox, int oy)
{
  int y;
  for (y = 0; y < h; y++)
    memcpy (dst + (size_t) y * stride,
        t->pix + (size_t) ((y + oy) % t->h) * t->w + ox, (size_t) w);
}

/* Pastes a @sw x @sh window of texture @t (at tx, ty) into @dst at
 * (x, y), clipped. */
static inline void
synth_sprite (const SynthTexture * t, uint8_t * dst, size_t stride, int w,
    int h, int x, int y, int sw, int sh, int tx, int ty)
{
  int i, j;
  for (j = 0; j < sh; j++) {
    if (y + j < 0 || y + j >= h)
      continue;
    for (i = 0; i < sw; i++) {
      if (x + i < 0 || x + i >= w)
        continue;
      dst[(size_t) (y + j) * stride + x + i] =
          t->pix[(size_t) ((ty + j) % t->h) * t->w + (tx + i) % t->w];
    }
  }
}

static inline void
synth_fill (uint8_t * dst, size_t stride, int x, int y, int w, int h,
    uint8_t v)
{
  int j;
  for (j = 0; j < h; j++)
    memset (dst + (size_t) (y + j) * stride + x, v, (size_t) w);
}

/* Adds gaussian noise of @sigma to a plane. */
static inline void
synth_noise (uint8_t * p, size_t stride, int w, int h, double sigma,
    uint32_t * s)
{
  int x, y;
  for (y = 0; y < h; y++) {
    for (x = 0; x < w; x++) {
      double v = p[(size_t) y * stride + x] + sigma * synth_gauss (s);
      p[(size_t) y * stride + x] =
          (uint8_t) (v < 0 ? 0 : (v > 255 ? 255 : lround (v)));
    }
  }
}

#endif /* __AVM_TEST_SYNTH_H__ */
