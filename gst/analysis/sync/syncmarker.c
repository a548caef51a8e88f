/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "syncmarker.h"

#include <math.h>
#include <string.h>

#define MAX_COLS 512

static inline unsigned
read_sample (const uint8_t * p, int bytes, int shift)
{
  if (bytes == 1)
    return p[0];
  return (unsigned) ((p[0] | (p[1] << 8)) >> shift);
}

static double
region_mean (const AvmLumaPlane * p, int rx, int ry, int rw, int rh)
{
  /* about 64 x 64 samples are plenty for a mean */
  int sx = rw / 64 > 1 ? rw / 64 : 1;
  int sy = rh / 64 > 1 ? rh / 64 : 1;
  uint64_t acc = 0, n = 0;
  int x, y;

  for (y = ry; y < ry + rh; y += sy) {
    const uint8_t *row = p->data + (size_t) y * p->stride;

    for (x = rx; x < rx + rw; x += sx) {
      acc += read_sample (row + (size_t) x * p->pstride, p->bytes, p->shift);
      n++;
    }
  }
  return n ? (double) acc / n / p->maxval : 0.0;
}

void
avm_luma_scan (const AvmLumaPlane * p, int rx, int ry, int rw, int rh,
    double *region_mean_out, float *thumb)
{
  uint32_t acc[AVM_THUMB_SIZE];
  uint32_t cnt[AVM_THUMB_SIZE];
  uint8_t col_cell[MAX_COLS];
  int col_x[MAX_COLS];
  int step, stepx, ncols, x, y, i;

  if (rx < 0)
    rx = 0;
  if (ry < 0)
    ry = 0;
  if (rw > p->width - rx)
    rw = p->width - rx;
  if (rh > p->height - ry)
    rh = p->height - ry;

  if (region_mean_out)
    *region_mean_out = rw > 0 && rh > 0 ? region_mean (p, rx, ry, rw, rh) : 0;
  if (thumb == NULL)
    return;

  /* about 120 rows of samples: a thumbnail cell still sees ~7 x 7 */
  step = (p->width < p->height ? p->width : p->height) / 120;
  if (step < 1)
    step = 1;
  stepx = step;
  if ((p->width + stepx - 1) / stepx > MAX_COLS)
    stepx = (p->width + MAX_COLS - 1) / MAX_COLS;
  ncols = 0;
  for (x = 0; x < p->width && ncols < MAX_COLS; x += stepx) {
    col_x[ncols] = x * p->pstride;
    col_cell[ncols] = (uint8_t) ((int64_t) x * AVM_THUMB_W / p->width);
    ncols++;
  }
  memset (acc, 0, sizeof (acc));
  memset (cnt, 0, sizeof (cnt));
  for (y = 0; y < p->height; y += step) {
    const uint8_t *row = p->data + (size_t) y * p->stride;
    int cy = (int) ((int64_t) y * AVM_THUMB_H / p->height);
    uint32_t *a = acc + cy * AVM_THUMB_W;
    uint32_t *c = cnt + cy * AVM_THUMB_W;

    if (p->bytes == 1) {
      for (i = 0; i < ncols; i++) {
        a[col_cell[i]] += row[col_x[i]];
        c[col_cell[i]]++;
      }
    } else {
      for (i = 0; i < ncols; i++) {
        a[col_cell[i]] += read_sample (row + col_x[i], 2, p->shift);
        c[col_cell[i]]++;
      }
    }
  }
  for (i = 0; i < AVM_THUMB_SIZE; i++)
    thumb[i] = cnt[i] ? (float) acc[i] / cnt[i] / p->maxval : 0.0f;
}

void
avm_flash_init (AvmFlashDetector * d, double min_jump)
{
  memset (d, 0, sizeof (*d));
  d->min_jump = min_jump;
}

void
avm_flash_reset (AvmFlashDetector * d)
{
  avm_flash_init (d, d->min_jump);
}

int
avm_flash_push (AvmFlashDetector * d, double mean)
{
  int ret = 0;

  if (!d->have_prev) {
    d->have_prev = 1;
    d->prev = d->baseline = mean;
    return 0;
  }
  if (d->in_flash) {
    d->in_flash++;
    /* back down: re-arm. A flash that never ends is a brighter scene:
     * take it as the new baseline. */
    if (mean < d->baseline + 0.5 * (d->flash_level - d->baseline)) {
      d->in_flash = 0;
    } else if (d->in_flash > 12) {
      d->in_flash = 0;
      d->baseline = mean;
    }
  } else if (mean - d->prev >= d->min_jump
      && mean - d->baseline >= d->min_jump) {
    d->in_flash = 1;
    d->flash_level = mean;
    ret = 1;
  } else {
    d->baseline += 0.25 * (mean - d->baseline);
  }
  d->prev = mean;
  return ret;
}

void
avm_beep_init (AvmBeepDetector * d, double rate, double freq,
    double min_level_dbfs)
{
  memset (d, 0, sizeof (*d));
  d->rate = rate;
  d->freq = freq > 0 && freq < rate * 0.45 ? freq : 0.0;
  d->min_level = pow (10.0, min_level_dbfs / 20.0);
  d->block = (int) (rate / 1000.0 + 0.5);
  if (d->block < 8)
    d->block = 8;
  if (d->freq > 0) {
    /* RBJ band-pass, 0 dB peak, Q = 2: selective enough to ignore
     * programme sound, fast enough (tau = Q / (pi f)) to keep the onset */
    double w0 = 2.0 * M_PI * d->freq / rate;
    double alpha = sin (w0) / (2.0 * 2.0);
    double a0 = 1.0 + alpha;

    d->b0 = alpha / a0;
    d->b1 = 0.0;
    d->b2 = -alpha / a0;
    d->a1 = -2.0 * cos (w0) / a0;
    d->a2 = (1.0 - alpha) / a0;
  } else {
    /* DC blocker at ~20 Hz: a DC offset is no beep */
    double r = 1.0 - 2.0 * M_PI * 20.0 / rate;

    d->b0 = 1.0;
    d->b1 = -1.0;
    d->b2 = 0.0;
    d->a1 = -r;
    d->a2 = 0.0;
  }
}

void
avm_beep_reset (AvmBeepDetector * d)
{
  avm_beep_init (d, d->rate, d->freq, 20.0 * log10 (d->min_level));
}

static int64_t
refine_onset (const AvmBeepDetector * d)
{
  double thr = 0.05 * d->peak;
  int64_t i, earliest = d->trigger - 1, oldest;
  int64_t quiet_run = 0, max_quiet;

  if (thr < 4.0 * d->floor_peak)
    thr = 4.0 * d->floor_peak;
  if (d->freq > 0)
    max_quiet = (int64_t) (d->rate / d->freq * 0.5) + 2;
  else
    max_quiet = (int64_t) (d->rate * 0.002) + 2;
  oldest = d->next - AVM_BEEP_HISTORY + 1;
  if (oldest < d->trigger - (int64_t) (d->rate * 0.05))
    oldest = d->trigger - (int64_t) (d->rate * 0.05);
  if (oldest < 0)
    oldest = 0;
  /* walk back from the triggering block while the signal is on; the first
   * sample over a small fraction of the beep's peak is the onset */
  for (i = d->trigger - 1; i >= oldest; i--) {
    float y = d->hist[i % AVM_BEEP_HISTORY];

    if (fabsf (y) > thr) {
      earliest = i;
      quiet_run = 0;
    } else if (++quiet_run > max_quiet) {
      break;
    }
  }
  return earliest;
}

static int
handle_block (AvmBeepDetector * d, double rms, double peak, double raw,
    int64_t * onset)
{
  double thr_on = d->floor_rms * 8.0;   /* 18 dB over the background */

  if (thr_on < d->min_level)
    thr_on = d->min_level;

  switch (d->state) {
    case 0:
      if (d->have_floor && d->quiet_blocks >= 50 && rms > thr_on) {
        d->state = 1;
        d->trigger = d->next;
        d->peak = peak;
        d->peak_rms = rms;
        d->active_blocks = 1;
        d->low_blocks = 0;
        d->conf_band = rms * rms;
        d->conf_raw = raw * raw;
        return 0;
      }
      if (!d->have_floor) {
        d->floor_rms = rms;
        d->floor_peak = peak;
        d->have_floor = 1;
      } else if (rms < d->floor_rms) {
        d->floor_rms = 0.5 * (d->floor_rms + rms);
        d->floor_peak = 0.5 * (d->floor_peak + peak);
      } else {
        /* a steady sound becomes the background after ~0.1 s */
        d->floor_rms += 0.01 * (rms - d->floor_rms);
        d->floor_peak += 0.01 * (peak - d->floor_peak);
      }
      if (rms > thr_on)
        d->quiet_blocks = 0;
      else
        d->quiet_blocks++;
      return 0;
    case 1:
      d->conf_band += rms * rms;
      d->conf_raw += raw * raw;
      if (peak > d->peak)
        d->peak = peak;
      if (rms > d->peak_rms)
        d->peak_rms = rms;
      if (rms > thr_on * 0.5)
        d->active_blocks++;
      else
        d->low_blocks++;
      if (d->active_blocks + d->low_blocks < 5)
        return 0;
      /* at a given frequency most of the energy must be in the band: a
       * loud sound elsewhere leaks through a band-pass too */
      if (d->active_blocks >= 3 && (d->freq <= 0
              || d->conf_band >= 0.25 * d->conf_raw)) {
        *onset = refine_onset (d);
        d->state = 2;
        d->low_blocks = 0;
        return 1;
      }
      d->state = 0;
      d->quiet_blocks = 0;
      return 0;
    default:
      if (rms < d->peak_rms * 0.1 || rms < thr_on * 0.5) {
        if (++d->low_blocks >= 20) {
          d->state = 0;
          d->quiet_blocks = d->low_blocks;
        }
      } else {
        d->low_blocks = 0;
      }
      return 0;
  }
}

int
avm_beep_push (AvmBeepDetector * d, const float *x, int n, int64_t first,
    int64_t * onsets, int max)
{
  int i, found = 0;
  double b0 = d->b0, b1 = d->b1, b2 = d->b2, a1 = d->a1, a2 = d->a2;
  double z1 = d->z1, z2 = d->z2;

  if (first != d->next) {
    /* a hole in the sample count: the history no longer lines up */
    d->next = first;
    d->state = 0;
    d->quiet_blocks = 0;
    d->block_pos = 0;
    d->block_acc = d->block_peak = d->block_raw = 0;
  }
  for (i = 0; i < n; i++) {
    /* transposed direct form II */
    double in = x[i];
    double y = b0 * in + z1;
    double ay = fabs (y);

    z1 = b1 * in - a1 * y + z2;
    z2 = b2 * in - a2 * y;
    d->hist[d->next % AVM_BEEP_HISTORY] = (float) y;
    d->next++;
    d->block_acc += y * y;
    d->block_raw += in * in;
    if (ay > d->block_peak)
      d->block_peak = ay;
    if (++d->block_pos == d->block) {
      int64_t onset;

      if (handle_block (d, sqrt (d->block_acc / d->block), d->block_peak,
              sqrt (d->block_raw / d->block), &onset) && found < max)
        onsets[found++] = onset;
      d->block_pos = 0;
      d->block_acc = d->block_peak = d->block_raw = 0;
    }
  }
  /* denormals in silence would cost more than the whole detector */
  if (fabs (z1) < 1e-20)
    z1 = 0;
  if (fabs (z2) < 1e-20)
    z2 = 0;
  d->z1 = z1;
  d->z2 = z2;
  return found;
}
