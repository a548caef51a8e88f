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

/* True peak: EBU Tech 3341 cases 15-19 (sines at 48 kHz, synthesised from
 * their published description), the ceiling spans, and that skipping
 * slices by the bound never misses a peak. */

#include <check.h>
#include <stdio.h>

#include "truepeak.h"
#include "audiotest.h"

/* x[n] = amp * sin (2 pi f n / rate + phase_deg), `seconds` long, fed in
 * chunks of `chunk`; returns the max true peak in dBTP. */
static double
tp_of_sine (double freq, double amp, double phase_deg, double seconds,
    size_t chunk)
{
  const unsigned rate = 48000;
  size_t n = (size_t) llround (seconds * rate), i, done = 0;
  float *x = malloc (n * sizeof (float));
  AvmTruePeak *t = avm_true_peak_new (1, rate, 100.0, 1.0, 0, NULL, NULL);
  double r;

  for (i = 0; i < n; i++)
    x[i] = (float) (amp * sin (2.0 * M_PI * freq * i / rate
            + phase_deg * M_PI / 180.0));
  while (done < n) {
    size_t k = n - done < chunk ? n - done : chunk;
    const float *ch[1] = { x + done };
    avm_true_peak_process (t, ch, k, done);
    done += k;
  }
  avm_true_peak_finish (t);
  r = avm_true_peak_max (t, -1);
  free (x);
  avm_true_peak_free (t);
  return r;
}

static void
check_case (const char *name, double freq, double amp, double phase,
    double expect)
{
  double v = tp_of_sine (freq, amp, phase, 3.0, 4800);

  printf ("3341-%s: %.3f dBTP (expected %.1f +0.2/-0.4)\n", name, v, expect);
  ck_assert (v <= expect + 0.2 && v >= expect - 0.4);
}

START_TEST (test_3341_15_19)
{
  check_case ("15", 12000.0, 0.5, 0.0, -6.0);
  check_case ("16", 12000.0, 0.5, 45.0, -6.0);
  check_case ("17", 8000.0, 0.5, 60.0, -6.0);
  check_case ("18", 6000.0, 0.5, 67.5, -6.0);
  check_case ("19", 12000.0, 1.41, 45.0, 3.0);
}
END_TEST

/* Not in Tech 3341: sines of many frequencies and phases at -6 dBFS must
 * read within the same tolerance up to 16 kHz (beyond, a 4x grid alone can
 * miss up to 0.5 dB, as BS.1770 Annex 2 says). */
START_TEST (test_sweep)
{
  double f, worst_lo = 0.0, worst_hi = -100.0;
  unsigned k;

  for (f = 100.0; f <= 16000.0; f *= 1.37) {
    for (k = 0; k < 4; k++) {
      double v = tp_of_sine (f, 0.5, 17.0 + 23.0 * k, 0.3, 4800) + 6.0206;
      worst_lo = v < worst_lo ? v : worst_lo;
      worst_hi = v > worst_hi ? v : worst_hi;
    }
  }
  printf ("sweep 100 Hz-16 kHz: error %.3f .. %+.3f dB\n", worst_lo,
      worst_hi);
  ck_assert (worst_hi <= 0.2 && worst_lo >= -0.4);
}
END_TEST

/* The interpolator reproduces a band-limited signal between its samples. */
START_TEST (test_interpolator)
{
  AvmTruePeak *t = avm_true_peak_new (1, 48000, 0.0, 1.0, 0, NULL, NULL);
  unsigned p, k;
  const double f = 3000.0 / 48000.0;

  for (p = 1; p <= 3; p++) {
    const float *h = avm_true_peak_taps (t, p);
    double y = 0.0, want = sin (2.0 * M_PI * f * (100.0 + p / 4.0));
    for (k = 0; k < AVM_TRUE_PEAK_TAPS; k++)
      y += h[k] * sin (2.0 * M_PI * f * (100.0 - AVM_TRUE_PEAK_TAPS / 2 + 1
              + k));
    ck_assert_double_eq_tol (y, want, 1e-3);
  }
  ck_assert_ptr_null (avm_true_peak_taps (t, 0));
  avm_true_peak_free (t);
}
END_TEST

/* A programme-like signal (several tones under a moving envelope, peaks
 * varying all the time), where the bound skips most slices: the max of
 * each interval must equal the brute-force 4x interpolation. */
START_TEST (test_skip_never_misses)
{
  const unsigned rate = 48000, n = rate * 4, per = rate / 4;
  float *x = malloc (n * sizeof (float));
  AvmTruePeak *t = avm_true_peak_new (1, rate, 100.0, 1.0, 0, NULL, NULL);
  const float *h[3];
  unsigned i, k, p, iv;
  uint32_t seed = 99;

  for (i = 0; i < n; i++) {
    double env = 0.3 + 0.25 * sin (2.0 * M_PI * 1.3 * i / rate)
        + 0.2 * sin (2.0 * M_PI * 0.37 * i / rate);
    x[i] = (float) (env * (0.5 * sin (2.0 * M_PI * 220.0 * i / rate)
            + 0.3 * sin (2.0 * M_PI * 3520.0 * i / rate + 1.0)
            + 0.2 * sin (2.0 * M_PI * 11025.0 * i / rate + 2.0))
        + 0.01 * test_noise (&seed));
  }
  for (p = 0; p < 3; p++)
    h[p] = avm_true_peak_taps (t, p + 1);

  for (iv = 0; iv < n / per; iv++) {
    const float *ch[1] = { x + iv * per };
    double got, want = 0.0;
    unsigned lo = iv * per, hi = lo + per;

    avm_true_peak_process (t, ch, per, lo);
    got = avm_true_peak_take_interval (t, NULL);
    /* the meter lags TAPS/2 + up to one 64-sample block: compare over the
     * samples whose outputs it has computed */
    hi = ((iv + 1) * per / 64) * 64 - AVM_TRUE_PEAK_TAPS / 2;
    lo = iv == 0 ? 0 : (iv * per / 64) * 64 - AVM_TRUE_PEAK_TAPS / 2;
    for (i = lo; i < hi; i++) {
      double m = fabs (x[i]);
      if (i + 1 < AVM_TRUE_PEAK_TAPS / 2 || i + AVM_TRUE_PEAK_TAPS / 2 >= n)
        continue;
      for (p = 0; p < 3; p++) {
        double y = 0.0;
        for (k = 0; k < AVM_TRUE_PEAK_TAPS; k++)
          y += h[p][k] * x[i - AVM_TRUE_PEAK_TAPS / 2 + 1 + k];
        m = fabs (y) > m ? fabs (y) : m;
      }
      want = m > want ? m : want;
    }
    ck_assert_double_eq_tol (got, 20.0 * log10 (want), 1e-3);
  }
  free (x);
  avm_true_peak_free (t);
}
END_TEST

static void
run_ceiling (size_t chunk, SpanLog * log, double *max_db)
{
  const unsigned rate = 48000;
  size_t n = rate * 6, i, done = 0;
  float *x = calloc (n, sizeof (float)), *y = calloc (n, sizeof (float));
  AvmTruePeak *t = avm_true_peak_new (2, rate, -1.0, 1.0, 3, span_log_func,
      log);

  /* channel 1: fs/4 at 45 degrees, samples at -3 dBFS, true peak 0 dBTP,
   * from 1 s to 2 s and from 4.5 s to 5 s; channel 0 quiet */
  for (i = rate; i < 2 * rate; i++)
    y[i] = (float) sin (2.0 * M_PI * i / 4.0 + M_PI / 4.0);
  for (i = 9 * rate / 2; i < 5 * rate; i++)
    y[i] = (float) sin (2.0 * M_PI * i / 4.0 + M_PI / 4.0);
  for (i = 0; i < n; i++)
    x[i] = (float) (0.1 * sin (2.0 * M_PI * 440.0 * i / rate));
  memset (log, 0, sizeof (*log));
  while (done < n) {
    size_t k = n - done < chunk ? n - done : chunk;
    const float *ch[2] = { x + done, y + done };
    avm_true_peak_process (t, ch, k, 1000 + done);
    done += k;
  }
  avm_true_peak_finish (t);
  *max_db = avm_true_peak_max (t, 1);
  free (x);
  free (y);
  avm_true_peak_free (t);
}

START_TEST (test_ceiling_spans)
{
  SpanLog a, b;
  AvmAudioSpan sp = { 0 };
  double m, m1;
  const unsigned rate = 48000;

  run_ceiling (4096, &a, &m);
  ck_assert_uint_eq (span_log_count (&a, AVM_AUDIO_DEFECT_TRUE_PEAK), 2);
  span_log_ends (&a, AVM_AUDIO_DEFECT_TRUE_PEAK, 0, &sp);
  /* the burst's own onset rings a little before it: a few samples */
  ck_assert (sp.start + 16 >= 1000 + rate && sp.start <= 1000 + rate + 2);
  ck_assert (sp.end >= 1000 + 2 * rate - 2 && sp.end <= 1000 + 2 * rate + 16);
  ck_assert_uint_eq (sp.channel_mask, 2);
  ck_assert_uint_eq (sp.group, 3);
  ck_assert_double_eq_tol (sp.threshold, -1.0, 1e-9);
  ck_assert (sp.value > -0.4 && sp.value < 0.6);
  ck_assert (!sp.truncated);
  span_log_ends (&a, AVM_AUDIO_DEFECT_TRUE_PEAK, 1, &sp);
  ck_assert (sp.start + 16 >= 1000 + 9 * rate / 2);
  ck_assert (sp.end <= 1000 + 5 * rate + 16);
  ck_assert (m > -0.4 && m < 0.6);

  /* buffers of one sample give the same spans */
  run_ceiling (1, &b, &m1);
  ck_assert (span_log_equal (&a, &b));
  ck_assert_double_eq (m, m1);
  run_ceiling (333, &b, &m1);
  ck_assert (span_log_equal (&a, &b));
}
END_TEST

static Suite *
truepeak_suite (void)
{
  Suite *s = suite_create ("analysis-audio-truepeak");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 60);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_3341_15_19);
  tcase_add_test (tc, test_sweep);
  tcase_add_test (tc, test_interpolator);
  tcase_add_test (tc, test_skip_never_misses);
  tcase_add_test (tc, test_ceiling_spans);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (truepeak_suite ());
  int failed;

  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
