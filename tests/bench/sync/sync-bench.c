/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* sync-bench: cost of avsyncmeter's per-buffer maths on one core.
 *
 * Runs what the element runs for every buffer, on synthetic media with
 * flashes, cuts and beeps: the luma scan (flash region mean + 16x16
 * thumbnail), the flash and novelty detectors for video; the stereo to
 * mono mix, the beep detector and the onset filter bank for audio; and
 * the per-interval measurement (pairing, content lag search). One line
 * per case:
 *   bench=sync case=NAME media_s=S cpu_s=C core_pct=P
 * core_pct is CPU time / media time in percent of one core (the issue's
 * target for the 1080p30 + 48 kHz stereo pair is < 1). GStreamer's own
 * cost (mapping, pushing) is not included: measure the element in a
 * pipeline for that (docs/avsyncmeter.md).
 * Usage: sync-bench [seconds] (default 60 s of media per case). */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "syncstats.h"
#include "synctime.h"
#include "syncmarker.h"
#include "synccontent.h"

#ifndef __OPTIMIZE__
int
main (void)
{
  fprintf (stderr, "sync-bench: refusing to run an unoptimised build "
      "(use buildtype=debugoptimized or release)\n");
  return 2;
}
#else

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint32_t rng = 12345;

static uint32_t
next_rand (void)
{
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

static volatile double sink;

/* video: frames at fps, luma plane w x h with 1 or 2 bytes per sample */
static void
bench_video (const char *name, int w, int h, int bytes, double fps,
    double seconds)
{
  size_t stride = (size_t) w * bytes;
  uint8_t *planes[8];
  AvmFlashDetector flash;
  AvmVideoNovelty nov;
  float thumb[AVM_THUMB_SIZE];
  long frames = (long) (seconds * fps), i;
  double t0, t1, mean, n;
  size_t k;
  int p;

  /* a few distinct pictures (noise, cut levels, a flash) so the loads are
   * real memory reads, not one cached frame */
  for (p = 0; p < 8; p++) {
    planes[p] = malloc (stride * h);
    for (k = 0; k < stride * h; k++)
      planes[p][k] = (uint8_t) ((p == 7 ? 200 : 16 + p * 20) +
          (next_rand () & 15));
  }
  avm_flash_init (&flash, 0.04);
  avm_video_novelty_init (&nov, 0.02);

  t0 = cpu_now ();
  for (i = 0; i < frames; i++) {
    AvmLumaPlane pl;

    pl.data = planes[i % 30 == 0 ? 7 : (i / 45) % 7];
    pl.stride = (int) stride;
    pl.pstride = bytes;
    pl.width = w;
    pl.height = h;
    pl.bytes = bytes;
    pl.shift = bytes == 2 ? 6 : 0;
    pl.maxval = bytes == 2 ? 1023 : 255;
    avm_luma_scan (&pl, 0, 0, w, h, &mean, thumb);
    sink += avm_flash_push (&flash, mean);
    sink += avm_video_novelty_push (&nov, thumb, &n);
  }
  t1 = cpu_now ();
  printf ("bench=sync case=%s media_s=%.1f cpu_s=%.4f core_pct=%.4f\n", name,
      seconds, t1 - t0, 100.0 * (t1 - t0) / seconds);
  for (p = 0; p < 8; p++)
    free (planes[p]);
}

static double
bench_audio (const char *name, int rate, int channels, double seconds)
{
  const int buf = 1024;
  /* one second of programme-like sound (a tone, a beep, noise), made
   * before the clock starts and fed again and again */
  int16_t *in = malloc (sizeof (int16_t) * rate * channels);
  float mono[1024];
  AvmBeepDetector *beep = calloc (1, sizeof (*beep));
  AvmAudioOnset onset;
  int64_t idx = 0, out[64], total = (int64_t) (seconds * rate);
  double t0, t1;
  int i, c;

  for (i = 0; i < rate; i++) {
    int16_t v = (int16_t) (3000 * sin (2 * M_PI * 440.0 * i / rate) +
        (i < rate / 25 ? 8000 * sin (2 * M_PI * 1000.0 * i / rate) : 0) +
        (int) (next_rand () & 255) - 128);

    for (c = 0; c < channels; c++)
      in[i * channels + c] = v;
  }
  avm_beep_init (beep, rate, 0, -50);
  avm_audio_onset_init (&onset, rate);
  t0 = cpu_now ();
  while (idx < total) {
    int off = (int) (idx % rate);
    int n = rate - off < buf ? rate - off : buf;
    const int16_t *x = in + (size_t) off * channels;

    /* the element's mix: average of the channels, as float */
    memset (mono, 0, sizeof (mono));
    for (c = 0; c < channels; c++)
      for (i = 0; i < n; i++)
        mono[i] += x[i * channels + c] * (1.0f / 32768.0f / channels);
    sink += avm_beep_push (beep, mono, n, idx, out, 64);
    sink += avm_audio_onset_push (&onset, mono, n, idx, out, 64);
    idx += n;
  }
  t1 = cpu_now ();
  printf ("bench=sync case=%s media_s=%.1f cpu_s=%.4f core_pct=%.4f\n", name,
      seconds, t1 - t0, 100.0 * (t1 - t0) / seconds);
  free (beep);
  free (in);
  return t1 - t0;
}

static void
bench_measure (double seconds)
{
  AvmMarkerPairer pairer;
  AvmEventRing v, a;
  AvmContentParams cp;
  AvmSyncResult r;
  int64_t vev[AVM_CONTENT_MAX_EVENTS], aev[AVM_CONTENT_MAX_EVENTS];
  double t0, t1;
  long ticks = (long) seconds, i;
  unsigned k;

  /* one measurement per second with busy windows: 20 events a side */
  avm_marker_pairer_init (&pairer, 1000000000LL);
  avm_event_ring_clear (&v);
  avm_event_ring_clear (&a);
  avm_content_params_default (&cp);
  t0 = cpu_now ();
  for (i = 0; i < ticks; i++) {
    int64_t end = (i + 10) * 1000000000LL;

    avm_marker_pairer_add_flash (&pairer, end - 500000000LL);
    avm_marker_pairer_add_beep (&pairer, end - 520000000LL);
    avm_event_ring_push (&v, end - 300000000LL, 1);
    avm_event_ring_push (&v, end - 800000000LL, 1);
    avm_event_ring_push (&a, end - 340000000LL - (next_rand () % 1000000), 1);
    avm_event_ring_push (&a, end - 700000000LL, 1);
    avm_marker_pairer_update (&pairer, end);
    avm_marker_pairer_result (&pairer, end - 10000000000LL, end, &r);
    for (k = 0; k < v.count; k++)
      vev[k] = avm_event_ring_time (&v, k);
    for (k = 0; k < a.count; k++)
      aev[k] = avm_event_ring_time (&a, k);
    avm_content_correlate (vev, v.count > 20 ? 20 : v.count, aev,
        a.count > 20 ? 20 : a.count, &cp, &r);
    sink += r.offset;
  }
  t1 = cpu_now ();
  printf ("bench=sync case=measure-1s media_s=%.1f cpu_s=%.4f "
      "core_pct=%.4f\n", seconds, t1 - t0, 100.0 * (t1 - t0) / seconds);
}

int
main (int argc, char **argv)
{
  double seconds = argc > 1 ? atof (argv[1]) : 60.0;

  if (seconds <= 0)
    seconds = 60.0;
  bench_video ("video-1080p30-8bit", 1920, 1080, 1, 30, seconds);
  bench_video ("video-1080p30-10bit", 1920, 1080, 2, 30, seconds);
  bench_video ("video-2160p60-8bit", 3840, 2160, 1, 60, seconds);
  bench_audio ("audio-48k-stereo", 48000, 2, seconds);
  bench_audio ("audio-48k-5.1", 48000, 6, seconds);
  bench_measure (seconds);
  return 0;
}
#endif
