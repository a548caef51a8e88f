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

/* audio-bench: speed of the audio detectors on one core.
 *
 * Synthesises a programme-like signal (tones under a moving envelope,
 * noise, pauses) and runs AvmAudioMonitor (all detectors: silence,
 * channel-silence, clipping, dropout, loudness, true peak, levels) over it,
 * then each detector alone.  One line per case:
 *   bench audio detector=all format=F32LE channels=2 rate=48000 seconds=N
 *     xrealtime=X
 * When ffmpeg is on the PATH, the same stereo samples go through FFmpeg's
 * silencedetect + ebur128 (true peak) + astats in the same run, timed by
 * wall clock from a raw file (process start included), and the ratio is
 * printed:
 *   bench audio tool=ffmpeg filters=silencedetect,ebur128=peak=true,astats
 *     format=F32LE channels=2 rate=48000 seconds=N xrealtime=X
 *   bench audio ratio-vs-ffmpeg=R (ours "all" / ffmpeg, same samples)
 * Usage: audio-bench [seconds] (default 600 s of audio per case). */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audiomonitor.h"

#ifndef __OPTIMIZE__
#error "audio-bench needs an optimised build (buildtype=debugoptimized)"
#endif

#define RATE 48000
/* one 10 s block of signal, fed again and again as 100 ms buffers */
#define BLOCK_S 10

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static float
noise (uint32_t * s)
{
  uint32_t x = *s;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return (float) ((double) x / 2147483648.0 - 1.0);
}

/* planar float, channels * n */
static float *
make_signal (unsigned channels, size_t n)
{
  float *x = malloc (channels * n * sizeof (float));
  uint32_t seed = 12345;
  unsigned c;
  size_t i;

  for (c = 0; c < channels; c++) {
    double f0 = 110.0 * (1 + c % 5);
    for (i = 0; i < n; i++) {
      double t = (double) i / RATE;
      double env = 0.5 + 0.3 * sin (2 * M_PI * 0.23 * t + c)
          + 0.2 * sin (2 * M_PI * 3.1 * t);
      double v = 0.25 * sin (2 * M_PI * f0 * t)
          + 0.12 * sin (2 * M_PI * 3.01 * f0 * t + 1.0)
          + 0.05 * sin (2 * M_PI * 9.7 * f0 * t + 2.0);
      /* a pause every 4 s, as speech and music have */
      if (fmod (t, 4.0) > 3.7)
        env *= 0.01;
      x[c * n + i] = (float) (env * v + 0.01 * noise (&seed));
    }
  }
  return x;
}

static void *
encode (const float *x, unsigned channels, size_t n, AvmSampleFormat fmt)
{
  size_t w = avm_sample_format_width (fmt), i;
  uint8_t *out = malloc (channels * n * w);
  unsigned c;

  for (i = 0; i < n; i++)
    for (c = 0; c < channels; c++) {
      float v = x[c * n + i];
      uint8_t *p = out + (i * channels + c) * w;
      if (fmt == AVM_SAMPLE_S32LE) {
        int32_t s = (int32_t) lrint (v * 2147483647.0);
        memcpy (p, &s, 4);
      } else if (fmt == AVM_SAMPLE_S16LE) {
        int16_t s = (int16_t) lrint (v * 32767.0);
        memcpy (p, &s, 2);
      } else {
        memcpy (p, &v, 4);
      }
    }
  return out;
}

static const char *
fmt_name (AvmSampleFormat f)
{
  switch (f) {
    case AVM_SAMPLE_S16LE:
      return "S16LE";
    case AVM_SAMPLE_S32LE:
      return "S32LE";
    case AVM_SAMPLE_F32LE:
      return "F32LE";
    default:
      return "F64LE";
  }
}

static unsigned long spans;

static void
count_span (const AvmAudioSpan * span, void *user_data)
{
  (void) span;
  (void) user_data;
  spans++;
}

typedef enum
{
  ALL, SILENCE, CLIPPING, DROPOUT, LOUDNESS, TRUE_PEAK, READ
} Which;

static const char *which_name[] = {
  "all", "silence", "clipping", "dropout", "loudness", "true-peak", "read"
};

static double
bench (Which which, AvmSampleFormat fmt, unsigned channels, double seconds,
    const float *planar, const void *packed, size_t n)
{
  size_t w = avm_sample_format_width (fmt);
  size_t step = RATE / 10, total = (size_t) (seconds * RATE), done = 0;
  AvmAudioMonitor *m = NULL;
  AvmSilence *s = NULL;
  AvmClipping *cl = NULL;
  AvmDropout *d = NULL;
  AvmLoudness *l[32] = { NULL };
  AvmTruePeak *tp = NULL;
  float *scratch = malloc (channels * step * sizeof (float));
  float *ch[64];
  unsigned c, g, ng = channels <= 8 ? 1 : channels / 2;
  double t0, t;

  for (c = 0; c < channels; c++)
    ch[c] = scratch + c * step;
  switch (which) {
    case ALL:
      m = avm_audio_monitor_new (NULL, fmt, 1, channels, RATE, NULL, NULL,
          count_span, NULL);
      break;
    case SILENCE:
      s = avm_silence_new (channels, RATE, -60, 2, count_span, NULL);
      break;
    case CLIPPING:
      cl = avm_clipping_new (channels, RATE, 1.0f, 1, 3, 1.0, count_span,
          NULL);
      break;
    case DROPOUT:
      d = avm_dropout_new (channels, RATE, -80, -50, 0.005, 2, count_span,
          NULL);
      break;
    case LOUDNESS:
      for (g = 0; g < ng; g++)
        l[g] = avm_loudness_new (channels / ng, RATE, NULL, 0, g,
            count_span, NULL);
      break;
    case TRUE_PEAK:
      tp = avm_true_peak_new (channels, RATE, -1, 1, 0, count_span, NULL);
      break;
    case READ:
      break;
  }

  t0 = now ();
  while (done < total) {
    size_t off = done % n;
    uint64_t pos = done;

    if (which == ALL) {
      const void *p[1] = { (const uint8_t *) packed + off * channels * w };
      avm_audio_monitor_process (m, p, step, pos);
    } else {
      /* the single detectors read the converted samples like the monitor
       * does, so "read" is their common cost */
      const void *p[1] = { (const uint8_t *) packed + off * channels * w };
      avm_samples_read (fmt, 1, p, channels, 0, step, ch);
      switch (which) {
        case SILENCE:
          avm_silence_process (s, (const float *const *) ch, step, pos);
          break;
        case CLIPPING:
          avm_clipping_process (cl, (const float *const *) ch, step, pos);
          break;
        case DROPOUT:
          avm_dropout_process (d, (const float *const *) ch, step, pos);
          break;
        case LOUDNESS:
          for (g = 0; g < ng; g++)
            avm_loudness_process (l[g],
                (const float *const *) ch + g * (channels / ng), step, pos);
          break;
        case TRUE_PEAK:
          avm_true_peak_process (tp, (const float *const *) ch, step, pos);
          break;
        default:
          break;
      }
    }
    done += step;
  }
  t = now () - t0;
  (void) planar;

  printf ("bench audio detector=%s format=%s channels=%u rate=%u "
      "seconds=%.0f xrealtime=%.0f\n", which_name[which], fmt_name (fmt),
      channels, RATE, seconds, seconds / t);
  fflush (stdout);

  avm_audio_monitor_free (m);
  avm_silence_free (s);
  avm_clipping_free (cl);
  avm_dropout_free (d);
  for (g = 0; g < ng; g++)
    avm_loudness_free (l[g]);
  avm_true_peak_free (tp);
  free (scratch);
  return seconds / t;
}

/* FFmpeg on the same interleaved F32 samples: a raw file of `seconds` of
 * the block repeated, then one ffmpeg process, timed by wall clock.
 * Returns its x realtime, or 0 when ffmpeg is not there. */
static double
bench_ffmpeg (const void *packed, unsigned channels, size_t n,
    double seconds)
{
  const char *filters = "silencedetect=n=-60dB:d=2,ebur128=peak=true,astats";
  char path[] = "/tmp/audio-bench-XXXXXX";
  char cmd[512];
  size_t total = (size_t) (seconds * RATE), done = 0, bpf = channels * 4;
  double t0, t;
  FILE *f;
  int fd, rc;

  if (system ("ffmpeg -version >/dev/null 2>&1") != 0) {
    printf ("# ffmpeg not found: no comparison\n");
    return 0.0;
  }
  fd = mkstemp (path);
  if (fd < 0 || !(f = fdopen (fd, "wb"))) {
    perror ("audio-bench: temporary file");
    return 0.0;
  }
  while (done < total) {
    size_t k = total - done < n ? total - done : n;
    if (fwrite (packed, bpf, k, f) != k)
      break;
    done += k;
  }
  fclose (f);
  /* one thread, like our numbers; silencedetect at our threshold and
   * duration; -loglevel error keeps ebur128's per-100 ms log off the
   * terminal (it is still computed) */
  snprintf (cmd, sizeof (cmd), "ffmpeg -nostdin -hide_banner -loglevel error "
      "-threads 1 -filter_threads 1 -f f32le -ar %u -ac %u -i %s "
      "-af '%s' -f null - >/dev/null 2>&1", RATE, channels, path, filters);
  t0 = now ();
  rc = system (cmd);
  t = now () - t0;
  unlink (path);
  if (rc != 0) {
    fprintf (stderr, "audio-bench: ffmpeg failed (%d): %s\n", rc, cmd);
    return 0.0;
  }
  printf ("bench audio tool=ffmpeg filters=%s format=F32LE channels=%u "
      "rate=%u seconds=%.0f xrealtime=%.0f\n", filters, channels, RATE,
      seconds, seconds / t);
  fflush (stdout);
  return seconds / t;
}

/* A -6 dBFS 997 Hz sine: every true-peak slice must be interpolated (the
 * worst case of the skip), reported apart. */
static void
bench_sine (double seconds)
{
  size_t n = BLOCK_S * RATE, i;
  float *x = malloc (2 * n * sizeof (float));
  void *packed;

  for (i = 0; i < n; i++)
    x[i] = x[n + i] = (float) (0.5 * sin (2 * M_PI * 997.0 * i / RATE));
  packed = encode (x, 2, n, AVM_SAMPLE_F32LE);
  printf ("# constant sine: the true-peak bound never skips\n");
  bench (TRUE_PEAK, AVM_SAMPLE_F32LE, 2, seconds, x, packed, n);
  (void) bench (ALL, AVM_SAMPLE_F32LE, 2, seconds, x, packed, n);
  free (packed);
  free (x);
}

int
main (int argc, char **argv)
{
  double seconds = argc > 1 ? atof (argv[1]) : 600.0;
  size_t n = BLOCK_S * RATE;
  struct
  {
    unsigned channels;
    AvmSampleFormat fmt;
  } cases[2] = { {2, AVM_SAMPLE_F32LE}, {16, AVM_SAMPLE_S32LE} };
  unsigned k;
  Which w;
  double ours = 0.0, theirs = 0.0;

  if (seconds <= 0.0) {
    fprintf (stderr, "usage: %s [seconds of audio per case]\n", argv[0]);
    return 2;
  }
  for (k = 0; k < 2; k++) {
    float *x = make_signal (cases[k].channels, n);
    void *packed = encode (x, cases[k].channels, n, cases[k].fmt);
    for (w = ALL; w <= READ; w++) {
      double xr = bench (w, cases[k].fmt, cases[k].channels, seconds, x,
          packed, n);
      if (k == 0 && w == ALL)
        ours = xr;
    }
    if (k == 0) {
      /* right after our run on the same samples: the machine's load is as
       * close to the same as it gets */
      theirs = bench_ffmpeg (packed, cases[k].channels, n, seconds);
      if (theirs > 0.0)
        printf ("bench audio ratio-vs-ffmpeg=%.2f ours=%.0f ffmpeg=%.0f "
            "format=F32LE channels=2 rate=%u\n", ours / theirs, ours,
            theirs, RATE);
    }
    free (packed);
    free (x);
  }
  bench_sine (seconds);
  fprintf (stderr, "(%lu spans)\n", spans);
  return 0;
}
