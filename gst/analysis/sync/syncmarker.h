/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Test-signal markers: a white flash in a region of the picture and a beep
 * in the sound. Also the one read of the luma plane that both the flash
 * detector and the content detector use. */

#ifndef __AVM_SYNC_MARKER_H__
#define __AVM_SYNC_MARKER_H__

#include <stdint.h>

#define AVM_THUMB_W 16
#define AVM_THUMB_H 16
#define AVM_THUMB_SIZE (AVM_THUMB_W * AVM_THUMB_H)

/* A luma plane as the element maps it: 8 or 16 bit samples, pstride bytes
 * between neighbours (2 or 4 for packed YUY2/UYVY), values up to maxval. */
typedef struct
{
  const uint8_t *data;
  int stride;                   /* bytes per row */
  int pstride;                  /* bytes per luma sample */
  int width, height;
  int bytes;                    /* 1 or 2 (little endian) */
  int shift;                    /* right shift (MSB-aligned P010) */
  int maxval;                   /* 255, 1023, ... */
} AvmLumaPlane;

/* Reads the plane once, subsampled: the mean luma (0..1) of the region
 * [rx, rx + rw) x [ry, ry + rh) (pixels) and a 16x16 thumbnail (0..1). */
void avm_luma_scan (const AvmLumaPlane * p, int rx, int ry, int rw, int rh,
    double *region_mean, float *thumb);

/* Flash: a frame whose region mean jumps up by at least min_jump (0..1)
 * against both the previous frame and the recent baseline. */
typedef struct
{
  double min_jump;
  int have_prev;
  double prev;
  double baseline;              /* level between flashes */
  int in_flash;
  double flash_level;
} AvmFlashDetector;

void avm_flash_init (AvmFlashDetector * d, double min_jump);
void avm_flash_reset (AvmFlashDetector * d);
/* Returns 1 when this frame is the first frame of a flash. */
int avm_flash_push (AvmFlashDetector * d, double mean);

/* Beep: an onset after at least 50 ms of quiet, to the sample. */
#define AVM_BEEP_HISTORY 16384

typedef struct
{
  double rate;
  double freq;                  /* Hz, 0 = broadband */
  double min_level;             /* linear rms an onset must reach */

  /* band-pass (freq > 0) or DC blocker (broadband) */
  double b0, b1, b2, a1, a2, z1, z2;

  int block;                    /* samples per 1 ms block */
  int block_pos;
  double block_acc, block_peak, block_raw;
  double conf_band, conf_raw;   /* energy since the trigger */
  double floor_rms, floor_peak; /* background, tracked while quiet */
  int have_floor;

  int state;                    /* 0 quiet, 1 confirming, 2 active */
  int quiet_blocks, active_blocks, low_blocks;
  int64_t trigger;              /* sample index at the end of the block */
  double peak;                  /* largest |y| since the trigger */
  double peak_rms;

  float hist[AVM_BEEP_HISTORY]; /* filtered samples, by index */
  int64_t next;                 /* index of the next sample */
} AvmBeepDetector;

void avm_beep_init (AvmBeepDetector * d, double rate, double freq,
    double min_level_dbfs);
void avm_beep_reset (AvmBeepDetector * d);
/* Feeds n mono samples with indices first .. first + n - 1 (must follow the
 * previous call; a jump resets the history). Writes onset sample indices
 * to onsets (up to max) and returns their number. */
int avm_beep_push (AvmBeepDetector * d, const float *x, int n,
    int64_t first, int64_t * onsets, int max);

#endif /* __AVM_SYNC_MARKER_H__ */
