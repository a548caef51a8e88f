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

/* Silence, channel-silence, clipping and dropout through AvmAudioMonitor:
 * injected defects with exact span checks, clean signals that must report
 * nothing, every format and layout, and buffers of any size. */

#include <check.h>
#include <stdio.h>

#include "audiomonitor.h"
#include "audiotest.h"

#define RATE 48000
#define MS(x) ((uint64_t) (x) * RATE / 1000)
/* 10 ms, the accuracy target for silence edges */
#define EDGE MS (10)

/* A programme-like stereo signal: tones under a slow envelope, -20 dBFS
 * or so, never near zero for long. */
static void
programme (float *l, float *r, size_t n, uint32_t seed)
{
  size_t i;

  for (i = 0; i < n; i++) {
    double t = (double) i / RATE;
    double env = 0.6 + 0.4 * sin (2.0 * M_PI * 0.7 * t);
    double v = 0.08 * sin (2.0 * M_PI * 220.0 * t)
        + 0.05 * sin (2.0 * M_PI * 660.0 * t + 0.5)
        + 0.03 * sin (2.0 * M_PI * 1870.0 * t + 1.0);
    l[i] = (float) (env * v + 0.002 * test_noise (&seed));
    r[i] = (float) (env * v * 0.8 + 0.002 * test_noise (&seed));
  }
}

/* Runs a monitor on planar float channels, in chunks of `chunk` frames. */
static void
run_monitor_cfg (const AvmAudioMonitorConfig * cfg, float *const *ch,
    unsigned channels, size_t n, size_t chunk, SpanLog * log)
{
  AvmAudioMonitor *m;
  size_t done = 0;
  unsigned c;

  memset (log, 0, sizeof (*log));
  m = avm_audio_monitor_new (cfg, AVM_SAMPLE_F32LE, 0, channels, RATE,
      NULL, NULL, span_log_func, log);
  ck_assert_ptr_nonnull (m);
  while (done < n) {
    size_t k = n - done < chunk ? n - done : chunk;
    const void *planes[64];
    for (c = 0; c < channels; c++)
      planes[c] = ch[c] + done;
    avm_audio_monitor_process (m, planes, k, 5000 + done);
    done += k;
  }
  avm_audio_monitor_finish (m);
  avm_audio_monitor_free (m);
}

static void
run_monitor (float *const *ch, unsigned channels, size_t n, size_t chunk,
    SpanLog * log)
{
  run_monitor_cfg (NULL, ch, channels, n, chunk, log);
}

static int
near (uint64_t got, uint64_t want, uint64_t tol)
{
  return got + tol >= want && got <= want + tol;
}

START_TEST (test_silence_zero_and_hiss)
{
  size_t n = 8 * RATE, i;
  float *l = malloc (n * 4), *r = malloc (n * 4);
  float *ch[2] = { l, r };
  SpanLog log;
  AvmAudioSpan sp = { 0 };
  uint32_t seed = 7;
  int hiss;

  for (hiss = 0; hiss < 2; hiss++) {
    programme (l, r, n, 1);
    /* 2.0 s .. 5.3 s: digital zero, or white noise at -70 dBFS RMS (uniform
     * noise of amplitude a has RMS a / sqrt (3)) */
    for (i = 2 * RATE; i < 5 * RATE + MS (300); i++) {
      float a = (float) (db_to_lin (-70.0) * sqrt (3.0));
      l[i] = hiss ? a * test_noise (&seed) : 0.0f;
      r[i] = hiss ? a * test_noise (&seed) : 0.0f;
    }
    run_monitor (ch, 2, n, 4096, &log);
    ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_SILENCE), 1);
    ck_assert_uint_eq (span_log_count (&log,
            AVM_AUDIO_DEFECT_CHANNEL_SILENCE), 0);
    ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_DROPOUT), 0);
    span_log_ends (&log, AVM_AUDIO_DEFECT_SILENCE, 0, &sp);
    ck_assert (near (sp.start, 5000 + 2 * RATE, EDGE));
    ck_assert (near (sp.end, 5000 + 5 * RATE + MS (300), EDGE));
    ck_assert_uint_eq (sp.channel_mask, 3);
    ck_assert (!sp.truncated);
    if (hiss)
      ck_assert (sp.value > -72.0 && sp.value < -60.0);
    else
      ck_assert_double_eq (sp.value, AVM_AUDIO_DB_FLOOR);
  }
  free (l);
  free (r);
}
END_TEST

/* Pauses shorter than 2 s, quiet passages above -60 dBFS: no silence. */
START_TEST (test_silence_clean)
{
  size_t n = 8 * RATE, i;
  float *l = malloc (n * 4), *r = malloc (n * 4);
  float *ch[2] = { l, r };
  SpanLog log;

  programme (l, r, n, 2);
  for (i = 1 * RATE; i < 2 * RATE + MS (900); i++)
    l[i] = r[i] = 0.0f;
  for (i = 4 * RATE; i < 7 * RATE; i++) {
    l[i] *= 0.02f;              /* about -55 dBFS RMS */
    r[i] *= 0.02f;
  }
  run_monitor (ch, 2, n, 4096, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_SILENCE), 0);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CHANNEL_SILENCE),
      0);
  free (l);
  free (r);
}
END_TEST

/* 6 channels: channel 4 dead 1.0-4.5 s, channel 1 dead 2.0-6.0 s; then
 * the whole programme silent 7-10 s while channel 1 ... stays live. */
START_TEST (test_channel_silence)
{
  size_t n = 12 * RATE, i;
  float *ch[6];
  SpanLog log;
  AvmAudioSpan sp = { 0 };
  unsigned c;

  for (c = 0; c < 6; c += 2) {
    ch[c] = malloc (n * 4);
    ch[c + 1] = malloc (n * 4);
    programme (ch[c], ch[c + 1], n, 10 + c);
  }
  for (i = 1 * RATE; i < 4 * RATE + MS (500); i++)
    ch[4][i] = 0.0f;
  for (i = 2 * RATE; i < 6 * RATE; i++)
    ch[1][i] = 0.0f;
  run_monitor (ch, 6, n, 1000, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_SILENCE), 0);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CHANNEL_SILENCE),
      1);
  span_log_ends (&log, AVM_AUDIO_DEFECT_CHANNEL_SILENCE, 0, &sp);
  ck_assert (near (sp.start, 5000 + 1 * RATE, EDGE));
  ck_assert (near (sp.end, 5000 + 6 * RATE, EDGE));
  ck_assert_uint_eq (sp.channel_mask, (1 << 4) | (1 << 1));
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_DROPOUT), 0);
  for (c = 0; c < 6; c++)
    free (ch[c]);
}
END_TEST

/* Left dead from 1 s; from 4 s the whole programme is silent until 8 s:
 * channel-silence [1, 4), then silence [4, 8), never both at once. */
START_TEST (test_channel_then_silence)
{
  size_t n = 10 * RATE, i;
  float *l = malloc (n * 4), *r = malloc (n * 4);
  float *ch[2] = { l, r };
  SpanLog log;
  AvmAudioSpan cs = { 0 }, s = { 0 };

  programme (l, r, n, 3);
  for (i = 1 * RATE; i < 8 * RATE; i++)
    l[i] = 0.0f;
  for (i = 4 * RATE; i < 8 * RATE; i++)
    r[i] = 0.0f;
  run_monitor (ch, 2, n, 4096, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_SILENCE), 1);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CHANNEL_SILENCE),
      1);
  span_log_ends (&log, AVM_AUDIO_DEFECT_CHANNEL_SILENCE, 0, &cs);
  span_log_ends (&log, AVM_AUDIO_DEFECT_SILENCE, 0, &s);
  ck_assert (near (cs.start, 5000 + 1 * RATE, EDGE));
  ck_assert (near (cs.end, 5000 + 4 * RATE, EDGE));
  ck_assert_uint_eq (cs.channel_mask, 1);
  ck_assert (near (s.start, 5000 + 4 * RATE, EDGE));
  ck_assert (near (s.end, 5000 + 8 * RATE, EDGE));
  ck_assert (cs.end <= s.start);
  free (l);
  free (r);
}
END_TEST

/* channel-silence has its own threshold and minimum duration; the
 * defaults are the silence ones. */
START_TEST (test_channel_silence_own_config)
{
  size_t n = 6 * RATE, i;
  float *l = malloc (n * 4), *r = malloc (n * 4);
  float *ch[2] = { l, r };
  AvmAudioMonitorConfig cfg;
  SpanLog log;
  AvmAudioSpan sp = { 0 };
  float g = (float) pow (10.0, -40.0 / 20.0);

  avm_audio_monitor_config_init (&cfg);
  ck_assert_double_eq (cfg.channel_silence_threshold, cfg.silence_threshold);
  ck_assert_double_eq (cfg.channel_silence_duration, cfg.silence_duration);

  /* left 40 dB down (about -65 dBFS) for 0.5 s from 1 s */
  programme (l, r, n, 5);
  for (i = 1 * RATE; i < 1 * RATE + MS (500); i++)
    l[i] *= g;

  /* defaults: nothing */
  run_monitor_cfg (&cfg, ch, 2, n, 1000, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CHANNEL_SILENCE),
      0);

  /* a changed silence threshold and duration alone change nothing */
  cfg.silence_threshold = -50.0;
  cfg.silence_duration = 0.2;
  run_monitor_cfg (&cfg, ch, 2, n, 1000, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CHANNEL_SILENCE),
      0);

  /* its own: found, with its own threshold in the span */
  avm_audio_monitor_config_init (&cfg);
  cfg.channel_silence_threshold = -50.0;
  cfg.channel_silence_duration = 0.2;
  run_monitor_cfg (&cfg, ch, 2, n, 1000, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_SILENCE), 0);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CHANNEL_SILENCE),
      1);
  span_log_ends (&log, AVM_AUDIO_DEFECT_CHANNEL_SILENCE, 0, &sp);
  ck_assert (near (sp.start, 5000 + 1 * RATE, EDGE));
  ck_assert (near (sp.end, 5000 + 1 * RATE + MS (500), EDGE));
  ck_assert_uint_eq (sp.channel_mask, 1);
  ck_assert_double_eq (sp.threshold, -50.0);
  ck_assert (sp.value < -60.0);

  /* the same quiet window on both channels is a quiet programme (not
   * silence either, too short): no channel is missing next to a live
   * one */
  for (i = 1 * RATE; i < 1 * RATE + MS (500); i++)
    r[i] *= g;
  run_monitor_cfg (&cfg, ch, 2, n, 1000, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CHANNEL_SILENCE),
      0);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_SILENCE), 0);

  /* live change through set_config */
  {
    AvmAudioMonitor *m;
    const void *planes[2];
    size_t done = 0;

    for (i = 1 * RATE; i < 1 * RATE + MS (500); i++)
      r[i] /= g;
    memset (&log, 0, sizeof (log));
    avm_audio_monitor_config_init (&cfg);
    m = avm_audio_monitor_new (&cfg, AVM_SAMPLE_F32LE, 0, 2, RATE, NULL,
        NULL, span_log_func, &log);
    ck_assert_ptr_nonnull (m);
    while (done < n) {
      if (done == MS (500)) {
        cfg.channel_silence_threshold = -50.0;
        cfg.channel_silence_duration = 0.2;
        avm_audio_monitor_set_config (m, &cfg);
      }
      planes[0] = l + done;
      planes[1] = r + done;
      avm_audio_monitor_process (m, planes, MS (100), 5000 + done);
      done += MS (100);
    }
    avm_audio_monitor_finish (m);
    avm_audio_monitor_free (m);
    ck_assert_uint_eq (span_log_count (&log,
            AVM_AUDIO_DEFECT_CHANNEL_SILENCE), 1);
  }
  free (l);
  free (r);
}
END_TEST

/* Reference count of clipped samples: runs >= 3 at full scale, or overs. */
static uint64_t
ref_clipped (const float *x, size_t n, float fs, int overs,
    uint64_t * first, uint64_t * last)
{
  size_t i = 0;
  uint64_t cnt = 0;

  *first = UINT64_MAX;
  *last = 0;
  while (i < n) {
    int s = x[i] >= fs ? 1 : (x[i] <= -1.0f ? -1 : 0);
    size_t j = i;
    if (!s) {
      i++;
      continue;
    }
    while (j < n && (s > 0 ? x[j] >= fs : x[j] <= -1.0f))
      j++;
    if (j - i >= 3) {
      cnt += j - i;
      *first = i < *first ? i : *first;
      *last = j;
    } else if (overs) {
      size_t k;
      for (k = i; k < j; k++)
        if (fabsf (x[k]) > 1.0f) {
          cnt++;
          *first = k < *first ? k : *first;
          *last = k + 1;
        }
    }
    i = j;
  }
  return cnt;
}

START_TEST (test_clipping)
{
  size_t n = 6 * RATE, i;
  float *l = malloc (n * 4), *r = malloc (n * 4);
  float *ch[2] = { l, r };
  SpanLog log;
  AvmAudioSpan sp = { 0 };
  uint64_t first, last, cnt;

  /* clean: a sine peaking at -0.1 dBFS, and one single full-scale sample */
  for (i = 0; i < n; i++)
    l[i] = r[i] = (float) (db_to_lin (-0.1) * sin (2.0 * M_PI * 997.0 * i
            / RATE));
  l[RATE] = 1.0f;
  r[2 * RATE] = -1.0f;
  run_monitor (ch, 2, n, 4096, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CLIPPING), 0);

  /* hard clipping of the right channel at 2.0-2.5 s: flat tops */
  for (i = 2 * RATE; i < 2 * RATE + MS (500); i++) {
    double v = 1.5 * sin (2.0 * M_PI * 997.0 * i / RATE);
    r[i] = (float) (v > 1.0 ? 1.0 : (v < -1.0 ? -1.0 : v));
  }
  cnt = ref_clipped (r, n, 1.0f, 1, &first, &last);
  ck_assert (cnt > 1000);
  run_monitor (ch, 2, n, 4096, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CLIPPING), 1);
  span_log_ends (&log, AVM_AUDIO_DEFECT_CLIPPING, 0, &sp);
  ck_assert_uint_eq (sp.start, 5000 + first);
  ck_assert_uint_eq (sp.end, 5000 + last);
  ck_assert_uint_eq (sp.clipped_samples, cnt);
  ck_assert_uint_eq (sp.channel_mask, 2);
  ck_assert_double_eq_tol (sp.value, 0.0, 1e-6);

  /* overs only (lossy-coded clipping): left at 4.0-4.2 s, peaks 1.06 */
  for (i = 4 * RATE; i < 4 * RATE + MS (200); i++)
    l[i] = (float) (1.06 * sin (2.0 * M_PI * 997.0 * i / RATE));
  run_monitor (ch, 2, n, 4096, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CLIPPING), 2);
  span_log_ends (&log, AVM_AUDIO_DEFECT_CLIPPING, 1, &sp);
  cnt = ref_clipped (l, n, 1.0f, 1, &first, &last);
  ck_assert_uint_eq (sp.start, 5000 + first);
  ck_assert_uint_eq (sp.end, 5000 + last);
  ck_assert_uint_eq (sp.clipped_samples, cnt);
  ck_assert_uint_eq (sp.channel_mask, 1);
  ck_assert (sp.value > 0.4 && sp.value < 0.6);
  free (l);
  free (r);
}
END_TEST

/* Holes of exact zeros in a programme: 5 ms (L only), 12 ms (both), 40 ms
 * (R only), and a 4 ms one that is too short. */
START_TEST (test_dropout)
{
  size_t n = 5 * RATE, i;
  float *l = malloc (n * 4), *r = malloc (n * 4);
  float *ch[2] = { l, r };
  SpanLog log;
  AvmAudioSpan sp = { 0 };
  const size_t a = 1 * RATE + 17, b = 2 * RATE + 101, c = 3 * RATE + 3,
      d = 4 * RATE;

  programme (l, r, n, 4);
  run_monitor (ch, 2, n, 4096, &log);
  ck_assert_uint_eq (log.n, 0);

  for (i = a; i < a + MS (5); i++)
    l[i] = 0.0f;
  for (i = b; i < b + MS (12); i++)
    l[i] = r[i] = 0.0f;
  for (i = c; i < c + MS (40); i++)
    r[i] = 0.0f;
  for (i = d; i < d + MS (4); i++)
    l[i] = r[i] = 0.0f;
  run_monitor (ch, 2, n, 4096, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_DROPOUT), 3);
  span_log_ends (&log, AVM_AUDIO_DEFECT_DROPOUT, 0, &sp);
  /* a sample next to the hole may be near zero too: the span is the run of
   * near-zero samples, which the hole is part of */
  ck_assert (sp.start <= 5000 + a && sp.start + 2 >= 5000 + a);
  ck_assert (sp.end >= 5000 + a + MS (5) && sp.end <= 5000 + a + MS (5) + 2);
  ck_assert_uint_eq (sp.channel_mask, 1);
  span_log_ends (&log, AVM_AUDIO_DEFECT_DROPOUT, 1, &sp);
  ck_assert (sp.start <= 5000 + b && sp.start + 2 >= 5000 + b);
  ck_assert (sp.end >= 5000 + b + MS (12) && sp.end <= 5000 + b + MS (12) + 2);
  ck_assert_uint_eq (sp.channel_mask, 3);
  ck_assert_double_eq_tol (sp.value, 12.0, 0.1);
  span_log_ends (&log, AVM_AUDIO_DEFECT_DROPOUT, 2, &sp);
  ck_assert (sp.start <= 5000 + c && sp.start + 2 >= 5000 + c);
  ck_assert_uint_eq (sp.channel_mask, 2);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_SILENCE), 0);
  free (l);
  free (r);
}
END_TEST

/* Speech-like (syllables of modulated tones, pauses that decay naturally
 * to -100 dBFS and below, down to digital zero), fades to zero and back,
 * quiet passages at -70 dBFS: no dropout. */
START_TEST (test_dropout_clean)
{
  size_t n = 12 * RATE, i;
  float *l = malloc (n * 4), *r = malloc (n * 4);
  float *ch[2] = { l, r };
  SpanLog log;

  for (i = 0; i < n; i++) {
    double t = (double) i / RATE;
    double syl = fmod (t, 0.6);         /* 0.35 s syllable, then a pause */
    double env = syl < 0.35 ? sin (M_PI * syl / 0.35) :
        exp (-(syl - 0.35) / 0.012);    /* decay: -36 dB per 50 ms */
    double v = env * (0.2 * sin (2.0 * M_PI * (180.0 + 40.0 * sin (t * 3.0))
            * t) + 0.05 * sin (2.0 * M_PI * 2400.0 * t));
    /* the tail of the decay reaches digital zero in S16-like steps */
    if (fabs (v) < 1.0 / 65536.0)
      v = 0.0;
    l[i] = (float) v;
    r[i] = (float) (0.7 * v);
  }
  /* 6-8 s: a fade out to zero over 300 ms, 200 ms of zeros, fade in */
  for (i = 6 * RATE; i < 8 * RATE; i++) {
    double t = (double) (i - 6 * RATE) / RATE, g;
    g = t < 0.3 ? 1.0 - t / 0.3 : (t < 0.5 ? 0.0 : (t < 0.8 ?
            (t - 0.5) / 0.3 : 1.0));
    l[i] *= (float) (g * g * g);
    r[i] *= (float) (g * g * g);
  }
  /* 9-11 s: a quiet passage at -70 dBFS */
  for (i = 9 * RATE; i < 11 * RATE; i++) {
    l[i] *= 0.0005f;
    r[i] *= 0.0005f;
  }
  run_monitor (ch, 2, n, 4096, &log);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_DROPOUT), 0);
  ck_assert_uint_eq (span_log_count (&log, AVM_AUDIO_DEFECT_CLIPPING), 0);
  free (l);
  free (r);
}
END_TEST

/* A signal with one of each defect, at full scale codes for the integer
 * formats, written in every format and layout, must give the same spans
 * (values apart: quantisation moves a level by a hair). */
static void
encode (const float *const *src, unsigned channels, size_t n,
    AvmSampleFormat fmt, int interleaved, uint8_t * out, const void **planes)
{
  size_t w = avm_sample_format_width (fmt), i;
  unsigned c;

  for (c = 0; c < channels; c++) {
    for (i = 0; i < n; i++) {
      size_t idx = interleaved ? i * channels + c : c * n + i;
      uint8_t *p = out + idx * w;
      double v = src[c][i];
      if (fmt == AVM_SAMPLE_S16LE) {
        long q = lrint (v * 32768.0);
        int16_t s = (int16_t) (q > 32767 ? 32767 : (q < -32768 ? -32768 :
                q));
        memcpy (p, &s, 2);
      } else if (fmt == AVM_SAMPLE_S32LE) {
        long long q = llrint (v * 2147483648.0);
        int32_t s = (int32_t) (q > 2147483647LL ? 2147483647LL :
            (q < -2147483648LL ? -2147483648LL : q));
        memcpy (p, &s, 4);
      } else if (fmt == AVM_SAMPLE_F32LE) {
        float f = (float) v;
        memcpy (p, &f, 4);
      } else {
        memcpy (p, &v, 8);
      }
    }
    planes[c] = interleaved ? (const void *) out : out + c * n * w;
  }
}

static void
run_format (const float *const *src, size_t n, AvmSampleFormat fmt,
    int interleaved, size_t chunk, SpanLog * log)
{
  size_t w = avm_sample_format_width (fmt);
  uint8_t *buf = malloc (2 * n * w);
  const void *planes[2];
  AvmAudioMonitor *m;
  size_t done = 0;

  encode (src, 2, n, fmt, interleaved, buf, planes);
  memset (log, 0, sizeof (*log));
  m = avm_audio_monitor_new (NULL, fmt, interleaved, 2, RATE, NULL, NULL,
      span_log_func, log);
  while (done < n) {
    size_t k = n - done < chunk ? n - done : chunk;
    const void *p[2];
    if (interleaved) {
      p[0] = (const uint8_t *) planes[0] + done * 2 * w;
    } else {
      p[0] = (const uint8_t *) planes[0] + done * w;
      p[1] = (const uint8_t *) planes[1] + done * w;
    }
    avm_audio_monitor_process (m, p, k, done);
    done += k;
  }
  avm_audio_monitor_finish (m);
  avm_audio_monitor_free (m);
  free (buf);
}

static int
same_spans (const SpanLog * a, const SpanLog * b)
{
  unsigned k;

  if (a->n != b->n)
    return 0;
  for (k = 0; k < a->n; k++)
    if (a->ev[k].event == AVM_AUDIO_SPAN_END
        && (a->ev[k].kind != b->ev[k].kind || a->ev[k].start != b->ev[k].start
            || a->ev[k].end != b->ev[k].end
            || a->ev[k].channel_mask != b->ev[k].channel_mask
            || a->ev[k].clipped_samples != b->ev[k].clipped_samples))
      return 0;
  return 1;
}

static void
defect_signal (float *l, float *r, size_t n)
{
  size_t i;

  programme (l, r, n, 5);
  for (i = RATE / 2; i < RATE / 2 + MS (8); i++)
    l[i] = r[i] = 0.0f;
  for (i = 1 * RATE; i < 1 * RATE + MS (100); i++) {
    double v = 2.0 * sin (2.0 * M_PI * 997.0 * i / RATE);
    l[i] = (float) (v > 1.0 ? 1.0 : (v < -1.0 ? -1.0 : v));
  }
  for (i = 2 * RATE; i < 4 * RATE + MS (500); i++)
    l[i] = r[i] = 0.0f;
  for (i = 5 * RATE; i < 8 * RATE; i++)
    r[i] = 0.0f;
}

START_TEST (test_formats_identical)
{
  size_t n = 9 * RATE;
  float *l = malloc (n * 4), *r = malloc (n * 4);
  const float *src[2] = { l, r };
  SpanLog ref, log;
  AvmSampleFormat f;
  int il;

  defect_signal (l, r, n);
  run_format (src, n, AVM_SAMPLE_F32LE, 0, 4096, &ref);
  ck_assert_uint_eq (span_log_count (&ref, AVM_AUDIO_DEFECT_DROPOUT), 1);
  ck_assert_uint_eq (span_log_count (&ref, AVM_AUDIO_DEFECT_CLIPPING), 1);
  ck_assert_uint_eq (span_log_count (&ref, AVM_AUDIO_DEFECT_SILENCE), 1);
  ck_assert_uint_eq (span_log_count (&ref, AVM_AUDIO_DEFECT_CHANNEL_SILENCE),
      1);
  for (f = AVM_SAMPLE_S16LE; f <= AVM_SAMPLE_F64LE; f++)
    for (il = 0; il < 2; il++) {
      run_format (src, n, f, il, 4096, &log);
      ck_assert_msg (same_spans (&ref, &log), "format %d interleaved %d",
          (int) f, il);
    }
  free (l);
  free (r);
}
END_TEST

/* Buffers of 1, 7, 1000 frames and one buffer give identical events (all
 * detectors, loudness and true peak included, values too). */
START_TEST (test_buffer_sizes)
{
  size_t n = 9 * RATE, i;
  float *l = malloc (n * 4), *r = malloc (n * 4);
  const float *src[2] = { l, r };
  SpanLog ref, log;
  const size_t sizes[3] = { 1, 7, 1000 };

  defect_signal (l, r, n);
  /* a true-peak over and a loudness excursion as well */
  for (i = 6 * RATE; i < 6 * RATE + MS (50); i++)
    l[i] = (float) (0.99 * sin (2.0 * M_PI * i / 4.0 + M_PI / 4.0));
  run_format (src, n, AVM_SAMPLE_F32LE, 1, n, &ref);
  /* the clipped burst at 1 s and this one */
  ck_assert_uint_eq (span_log_count (&ref, AVM_AUDIO_DEFECT_TRUE_PEAK), 2);
  for (i = 0; i < 3; i++) {
    run_format (src, n, AVM_SAMPLE_F32LE, 1, sizes[i], &log);
    if (!span_log_equal (&ref, &log)) {
      span_log_print (&ref, "one buffer");
      span_log_print (&log, "small buffers");
    }
    ck_assert_msg (span_log_equal (&ref, &log), "buffer size %u",
        (unsigned) sizes[i]);
  }
  free (l);
  free (r);
}
END_TEST

START_TEST (test_levels_and_groups)
{
  size_t n = RATE, i;
  float *ch[16];
  AvmAudioMonitor *m;
  const void *planes[16];
  double rms[16], peak[16];
  unsigned c;

  for (c = 0; c < 16; c++) {
    ch[c] = malloc (n * 4);
    for (i = 0; i < n; i++)
      ch[c][i] = (float) (db_to_lin (-20.0 - c) * sin (2.0 * M_PI * 1000.0
              * i / RATE));
    planes[c] = ch[c];
  }
  m = avm_audio_monitor_new (NULL, AVM_SAMPLE_F32LE, 0, 16, RATE, NULL,
      NULL, NULL, NULL);
  ck_assert_uint_eq (avm_audio_monitor_n_groups (m), 8);
  avm_audio_monitor_process (m, planes, n, 0);
  avm_audio_monitor_take_levels (m, rms, peak);
  for (c = 0; c < 16; c++) {
    ck_assert_double_eq_tol (peak[c], -20.0 - c, 0.01);
    ck_assert_double_eq_tol (rms[c], -20.0 - c - 3.0103, 0.01);
  }
  /* pair 3 (channels 6, 7 at -26, -27 dBFS) */
  ck_assert_double_eq_tol (avm_loudness_momentary (avm_audio_monitor_loudness
          (m, 3)), 10.0 * log10 ((pow (10, -2.6) + pow (10, -2.7)) / 2.0),
      0.1);
  ck_assert_ptr_null (avm_audio_monitor_loudness (m, 8));
  avm_audio_monitor_free (m);
  for (c = 0; c < 16; c++)
    free (ch[c]);
}
END_TEST

static Suite *
detectors_suite (void)
{
  Suite *s = suite_create ("analysis-audio-detectors");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 60);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_silence_zero_and_hiss);
  tcase_add_test (tc, test_silence_clean);
  tcase_add_test (tc, test_channel_silence);
  tcase_add_test (tc, test_channel_then_silence);
  tcase_add_test (tc, test_channel_silence_own_config);
  tcase_add_test (tc, test_clipping);
  tcase_add_test (tc, test_dropout);
  tcase_add_test (tc, test_dropout_clean);
  tcase_add_test (tc, test_formats_identical);
  tcase_add_test (tc, test_buffer_sizes);
  tcase_add_test (tc, test_levels_and_groups);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (detectors_suite ());
  int failed;

  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
