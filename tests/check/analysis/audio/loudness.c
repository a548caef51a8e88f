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

/* Loudness (BS.1770-4 / EBU R128): EBU Tech 3341 and 3342 cases that can
 * be synthesised from their published descriptions. */

#include <check.h>
#include <stdio.h>

#include "loudness.h"
#include "audiotest.h"

#define TOL 0.1

/* A stereo (or n-channel) programme of 1 kHz sine segments. */
typedef struct
{
  double level_db[8];           /* per channel, dBFS peak */
  double seconds;
} Segment;

static AvmLoudness *
run_segments (unsigned rate, unsigned channels, const double *weights,
    const Segment * seg, unsigned n_seg, size_t chunk)
{
  AvmLoudness *l = avm_loudness_new (channels, rate, weights, 0, 0, NULL,
      NULL);
  float *buf[8];
  double phase[8] = { 0 };
  unsigned s, c;
  uint64_t pos = 0;

  ck_assert_ptr_nonnull (l);
  for (c = 0; c < channels; c++)
    buf[c] = malloc (chunk * sizeof (float));
  for (s = 0; s < n_seg; s++) {
    size_t left = (size_t) llround (seg[s].seconds * rate);
    while (left > 0) {
      size_t n = left < chunk ? left : chunk;
      for (c = 0; c < channels; c++)
        test_sine (buf[c], 0, n, db_to_lin (seg[s].level_db[c]), 1000.0,
            rate, &phase[c]);
      avm_loudness_process (l, (const float *const *) buf, n, pos);
      pos += n;
      left -= n;
    }
  }
  for (c = 0; c < channels; c++)
    free (buf[c]);
  return l;
}

static Segment
stereo (double db, double seconds)
{
  Segment s;

  memset (&s, 0, sizeof (s));
  s.level_db[0] = s.level_db[1] = db;
  s.seconds = seconds;
  return s;
}

START_TEST (test_k_weighting_48k)
{
  double b[2][3], a[2][3];

  /* ITU-R BS.1770-4, tables 1 and 2 */
  avm_loudness_k_weighting (48000, b, a);
  ck_assert_double_eq_tol (b[0][0], 1.53512485958697, 1e-8);
  ck_assert_double_eq_tol (b[0][1], -2.69169618940638, 1e-8);
  ck_assert_double_eq_tol (b[0][2], 1.19839281085285, 1e-8);
  ck_assert_double_eq_tol (a[0][1], -1.69065929318241, 1e-8);
  ck_assert_double_eq_tol (a[0][2], 0.73248077421585, 1e-8);
  ck_assert_double_eq_tol (b[1][0], 1.0, 1e-12);
  ck_assert_double_eq_tol (b[1][1], -2.0, 1e-12);
  ck_assert_double_eq_tol (b[1][2], 1.0, 1e-12);
  ck_assert_double_eq_tol (a[1][1], -1.99004745483398, 1e-8);
  ck_assert_double_eq_tol (a[1][2], 0.99007225036621, 1e-8);
}
END_TEST

/* Tech 3341 case 1: stereo 1 kHz at -23 dBFS, 20 s: M, S, I = -23.0, at
 * 48 kHz and, with coefficients derived for the rate, 44.1 and 96 kHz. */
static void
check_case1 (unsigned rate)
{
  Segment s = stereo (-23.0, 20.0);
  AvmLoudness *l = run_segments (rate, 2, NULL, &s, 1, 4096);

  printf ("3341-1 @%u: M %.3f S %.3f I %.3f\n", rate,
      avm_loudness_momentary (l), avm_loudness_short_term (l),
      avm_loudness_integrated (l));
  ck_assert_double_eq_tol (avm_loudness_momentary (l), -23.0, TOL);
  ck_assert_double_eq_tol (avm_loudness_short_term (l), -23.0, TOL);
  ck_assert_double_eq_tol (avm_loudness_integrated (l), -23.0, TOL);
  avm_loudness_free (l);
}

START_TEST (test_3341_case1)
{
  check_case1 (48000);
  check_case1 (44100);
  check_case1 (96000);
}
END_TEST

START_TEST (test_3341_case1_other_rates)
{
  /* not in Tech 3341: the same tone at the ends of the supported range */
  check_case1 (8000);
  check_case1 (192000);
}
END_TEST

START_TEST (test_3341_case2)
{
  Segment s = stereo (-33.0, 20.0);
  AvmLoudness *l = run_segments (48000, 2, NULL, &s, 1, 1000);

  printf ("3341-2: M %.3f S %.3f I %.3f\n", avm_loudness_momentary (l),
      avm_loudness_short_term (l), avm_loudness_integrated (l));
  ck_assert_double_eq_tol (avm_loudness_momentary (l), -33.0, TOL);
  ck_assert_double_eq_tol (avm_loudness_short_term (l), -33.0, TOL);
  ck_assert_double_eq_tol (avm_loudness_integrated (l), -33.0, TOL);
  avm_loudness_free (l);
}
END_TEST

START_TEST (test_3341_case3)
{
  Segment s[3] = { stereo (-36, 10), stereo (-23, 60), stereo (-36, 10) };
  AvmLoudness *l = run_segments (48000, 2, NULL, s, 3, 4800);

  printf ("3341-3: I %.3f\n", avm_loudness_integrated (l));
  ck_assert_double_eq_tol (avm_loudness_integrated (l), -23.0, TOL);
  avm_loudness_free (l);
}
END_TEST

START_TEST (test_3341_case4)
{
  Segment s[5] = { stereo (-72, 10), stereo (-36, 10), stereo (-23, 60),
    stereo (-36, 10), stereo (-72, 10)
  };
  AvmLoudness *l = run_segments (48000, 2, NULL, s, 5, 4800);

  printf ("3341-4: I %.3f\n", avm_loudness_integrated (l));
  ck_assert_double_eq_tol (avm_loudness_integrated (l), -23.0, TOL);
  avm_loudness_free (l);
}
END_TEST

START_TEST (test_3341_case5)
{
  Segment s[3] = { stereo (-26, 20), stereo (-20, 20.1), stereo (-26, 20) };
  AvmLoudness *l = run_segments (48000, 2, NULL, s, 3, 4800);

  printf ("3341-5: I %.3f\n", avm_loudness_integrated (l));
  ck_assert_double_eq_tol (avm_loudness_integrated (l), -23.0, TOL);
  avm_loudness_free (l);
}
END_TEST

/* 5.0: L, R, C, Ls, Rs at -28, -28, -24, -30, -30 dBFS, surrounds weighted
 * 1.41.  Without the weights it reads about -23.7. */
START_TEST (test_3341_case6)
{
  const double w[5] = { 1.0, 1.0, 1.0, AVM_LOUDNESS_WEIGHT_SURROUND,
    AVM_LOUDNESS_WEIGHT_SURROUND
  };
  Segment s;
  AvmLoudness *l;

  memset (&s, 0, sizeof (s));
  s.level_db[0] = s.level_db[1] = -28.0;
  s.level_db[2] = -24.0;
  s.level_db[3] = s.level_db[4] = -30.0;
  s.seconds = 20.0;
  l = run_segments (48000, 5, w, &s, 1, 4800);
  printf ("3341-6: I %.3f\n", avm_loudness_integrated (l));
  ck_assert_double_eq_tol (avm_loudness_integrated (l), -23.0, TOL);
  avm_loudness_free (l);

  /* the same with a silent LFE as a 6th channel of weight 0 */
  {
    const double w6[6] = { 1.0, 1.0, 1.0, AVM_LOUDNESS_WEIGHT_LFE,
      AVM_LOUDNESS_WEIGHT_SURROUND, AVM_LOUDNESS_WEIGHT_SURROUND
    };
    memset (&s, 0, sizeof (s));
    s.level_db[0] = s.level_db[1] = -28.0;
    s.level_db[2] = -24.0;
    s.level_db[3] = -10.0;      /* LFE: loud, and must not count */
    s.level_db[4] = s.level_db[5] = -30.0;
    s.seconds = 20.0;
    l = run_segments (48000, 6, w6, &s, 1, 4800);
    ck_assert_double_eq_tol (avm_loudness_integrated (l), -23.0, TOL);
    avm_loudness_free (l);
  }
}
END_TEST

/* Feeds 100 ms at a time and records M and S after each update. */
static void
run_pattern (const double *levels, const double *durs, unsigned n_pat,
    double total, double *m_out, double *s_out, unsigned *n_out)
{
  const unsigned rate = 48000;
  AvmLoudness *l = avm_loudness_new (2, rate, NULL, 0, 0, NULL, NULL);
  size_t n_total = (size_t) llround (total * rate), i;
  float *x = malloc (n_total * sizeof (float));
  double t0 = 0.0, phase = 0.0;
  const float *ch[2];
  unsigned k = 0, u = 0;
  size_t done = 0;

  /* the level pattern repeats every sum (durs) seconds */
  i = 0;
  while (i < n_total) {
    size_t end = (size_t) llround ((t0 + durs[k]) * rate);
    if (end > n_total)
      end = n_total;
    test_sine (x, i, end - i, db_to_lin (levels[k]), 1000.0, rate, &phase);
    i = end;
    t0 += durs[k];
    k = (k + 1) % n_pat;
  }
  while (done < n_total) {
    ch[0] = ch[1] = x + done;
    avm_loudness_process (l, ch, rate / 10, done);
    done += rate / 10;
    m_out[u] = avm_loudness_momentary (l);
    s_out[u] = avm_loudness_short_term (l);
    u++;
  }
  *n_out = u;
  free (x);
  avm_loudness_free (l);
}

/* Tech 3341 case 9 (from its description: 1 kHz, 1.34 s at -20 dBFS then
 * 1.66 s at -30 dBFS, repeated): S = -23.0 constant once 3 s are in. */
START_TEST (test_3341_case9)
{
  const double lv[2] = { -20.0, -30.0 }, du[2] = { 1.34, 1.66 };
  double m[200], s[200], lo = 0, hi = -100;
  unsigned n, i;

  run_pattern (lv, du, 2, 20.0, m, s, &n);
  for (i = 30; i < n; i++) {
    ck_assert_double_eq_tol (s[i], -23.0, TOL);
    lo = s[i] < lo ? s[i] : lo;
    hi = s[i] > hi ? s[i] : hi;
  }
  printf ("3341-9: S in [%.3f, %.3f] after 3 s\n", lo, hi);
}
END_TEST

/* Tech 3341 case 12 (0.18 s at -20 dBFS, 0.22 s at -30 dBFS, repeated;
 * -22.97 exactly): M = -23.0 constant after 1 s. */
START_TEST (test_3341_case12)
{
  const double lv[2] = { -20.0, -30.0 }, du[2] = { 0.18, 0.22 };
  double m[200], s[200], lo = 0, hi = -100;
  unsigned n, i;

  run_pattern (lv, du, 2, 20.0, m, s, &n);
  for (i = 10; i < n; i++) {
    ck_assert_double_eq_tol (m[i], -23.0, TOL);
    lo = m[i] < lo ? m[i] : lo;
    hi = m[i] > hi ? m[i] : hi;
  }
  printf ("3341-12: M in [%.3f, %.3f] after 1 s\n", lo, hi);
}
END_TEST

/* In the manner of cases 11 and 14: tone bursts at -38 ... -19 LUFS, 3 s
 * (short-term) or 0.4 s (momentary) long, separated by silence: the
 * highest S / M of each burst is its level.  Bursts start on the 100 ms
 * update grid (the EBU files also test other offsets: out of reach). */
static void
check_bursts (double burst, double gap, int short_term)
{
  const unsigned rate = 48000;
  const size_t step = rate / 10;
  AvmLoudness *l = avm_loudness_new (2, rate, NULL, 0, 0, NULL, NULL);
  size_t nb = (size_t) llround (burst * rate);
  size_t ng = (size_t) llround (gap * rate);
  float *x = calloc (nb + ng, sizeof (float));
  const float *ch[2];
  int level;

  for (level = -38; level <= -19; level++) {
    double phase = 0.0, best = -INFINITY;
    size_t done = 0;

    memset (x, 0, (nb + ng) * sizeof (float));
    test_sine (x, 0, nb, db_to_lin (level), 1000.0, rate, &phase);
    while (done < nb + ng) {
      double v;
      ch[0] = ch[1] = x + done;
      avm_loudness_process (l, ch, step, 0);
      done += step;
      v = short_term ? avm_loudness_short_term (l) :
          avm_loudness_momentary (l);
      best = v > best ? v : best;
    }
    ck_assert_double_eq_tol (best, (double) level, TOL);
  }
  free (x);
  avm_loudness_free (l);
}

START_TEST (test_3341_bursts)
{
  check_bursts (3.0, 3.0, 1);
  check_bursts (0.4, 1.0, 0);
}
END_TEST

static double
lra_of (const Segment * s, unsigned n)
{
  AvmLoudness *l = run_segments (48000, 2, NULL, s, n, 4800);
  double r = avm_loudness_range (l);

  avm_loudness_free (l);
  return r;
}

START_TEST (test_3342_cases)
{
  Segment c1[2] = { stereo (-20, 20), stereo (-30, 20) };
  Segment c2[2] = { stereo (-20, 20), stereo (-15, 20) };
  Segment c3[2] = { stereo (-40, 20), stereo (-20, 20) };
  Segment c4[5] = { stereo (-50, 20), stereo (-35, 20), stereo (-20, 20),
    stereo (-35, 20), stereo (-50, 20)
  };
  double r1 = lra_of (c1, 2), r2 = lra_of (c2, 2), r3 = lra_of (c3, 2),
      r4 = lra_of (c4, 5);

  printf ("3342-1..4: LRA %.2f %.2f %.2f %.2f\n", r1, r2, r3, r4);
  ck_assert_double_eq_tol (r1, 10.0, 1.0);
  ck_assert_double_eq_tol (r2, 5.0, 1.0);
  ck_assert_double_eq_tol (r3, 20.0, 1.0);
  ck_assert_double_eq_tol (r4, 15.0, 1.0);
}
END_TEST

/* Integrated and range stay fixed-memory: a long programme of alternating
 * levels gives the exact power mean of its gated blocks. */
START_TEST (test_integrated_long)
{
  Segment s[40];
  unsigned i;
  AvmLoudness *l;
  double e = 0.0;

  for (i = 0; i < 40; i++)
    s[i] = stereo (i % 2 ? -20.0 : -26.0, 15.0);
  l = run_segments (48000, 2, NULL, s, 40, 4800);
  /* both levels pass the gates: the mean of their powers, give or take the
   * blocks straddling each step */
  e = (pow (10.0, -2.0) + pow (10.0, -2.6)) / 2.0;
  ck_assert_double_eq_tol (avm_loudness_integrated (l), 10.0 * log10 (e),
      TOL);
  avm_loudness_free (l);
}
END_TEST

static void
count_span (const AvmAudioSpan * span, void *user_data)
{
  SpanLog *log = user_data;
  span_log_func (span, log);
}

/* Short-term defect: 20 s at -23, 20 s at -12 (11 LU too loud), 20 s at
 * -23, then 20 s at -35.  Two spans of at least 10 s each. */
START_TEST (test_short_term_defect)
{
  const unsigned rate = 48000;
  SpanLog log;
  AvmLoudness *l;
  float *x = malloc (rate * sizeof (float));
  const float *ch[2] = { x, x };
  double lv[4] = { -23.0, -12.0, -23.0, -35.0 }, phase = 0.0;
  unsigned seg, sec;
  uint64_t pos = 0;
  AvmAudioSpan sp = { 0 };

  memset (&log, 0, sizeof (log));
  l = avm_loudness_new (2, rate, NULL, 3, 0, count_span, &log);
  for (seg = 0; seg < 4; seg++)
    for (sec = 0; sec < 20; sec++) {
      test_sine (x, 0, rate, db_to_lin (lv[seg]), 1000.0, rate, &phase);
      avm_loudness_process (l, ch, rate, pos);
      pos += rate;
    }
  avm_loudness_finish (l);
  ck_assert_uint_eq (span_log_count (&log,
          AVM_AUDIO_DEFECT_LOUDNESS_SHORT_TERM), 2);
  span_log_ends (&log, AVM_AUDIO_DEFECT_LOUDNESS_SHORT_TERM, 0, &sp);
  /* S crosses -18 a little after the step at 20 s (3 s window), and
   * falls back below it a little after 40 s */
  ck_assert (sp.start > 20 * rate && sp.start < 21 * rate);
  ck_assert (sp.end > 40 * rate && sp.end < 43 * rate);
  ck_assert_double_eq_tol (sp.value, -12.0, TOL);
  ck_assert_double_eq_tol (sp.threshold, -18.0, 1e-9);
  ck_assert_uint_eq (sp.channel_mask, 3);
  ck_assert (!sp.truncated);
  span_log_ends (&log, AVM_AUDIO_DEFECT_LOUDNESS_SHORT_TERM, 1, &sp);
  ck_assert (sp.start > 60 * rate && sp.start < 63 * rate);
  ck_assert_uint_eq (sp.end, 80 * rate);
  ck_assert (sp.truncated);
  ck_assert_double_eq_tol (sp.value, -35.0, TOL);
  free (x);
  avm_loudness_free (l);
}
END_TEST

START_TEST (test_profiles)
{
  double t, c;

  avm_loudness_profile_values (AVM_LOUDNESS_PROFILE_EBU_R128, &t, &c);
  ck_assert_double_eq (t, -23.0);
  ck_assert_double_eq (c, -1.0);
  avm_loudness_profile_values (AVM_LOUDNESS_PROFILE_ATSC_A85, &t, &c);
  ck_assert_double_eq (t, -24.0);
  ck_assert_double_eq (c, -2.0);
}
END_TEST

/* Digital silence: nothing passes the gates, and the filters do not fall
 * into denormals (it would only be slow, so check the values). */
START_TEST (test_silence_values)
{
  const unsigned rate = 48000;
  AvmLoudness *l = avm_loudness_new (2, rate, NULL, 0, 0, NULL, NULL);
  float *x = calloc (rate, sizeof (float));
  const float *ch[2] = { x, x };
  unsigned i;

  for (i = 0; i < 5; i++)
    avm_loudness_process (l, ch, rate, 0);
  ck_assert (isinf (avm_loudness_integrated (l)));
  ck_assert (isinf (avm_loudness_momentary (l)));
  ck_assert_double_eq (avm_loudness_range (l), 0.0);
  free (x);
  avm_loudness_free (l);
}
END_TEST

static Suite *
loudness_suite (void)
{
  Suite *s = suite_create ("analysis-audio-loudness");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 60);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_k_weighting_48k);
  tcase_add_test (tc, test_3341_case1);
  tcase_add_test (tc, test_3341_case1_other_rates);
  tcase_add_test (tc, test_3341_case2);
  tcase_add_test (tc, test_3341_case3);
  tcase_add_test (tc, test_3341_case4);
  tcase_add_test (tc, test_3341_case5);
  tcase_add_test (tc, test_3341_case6);
  tcase_add_test (tc, test_3341_case9);
  tcase_add_test (tc, test_3341_case12);
  tcase_add_test (tc, test_3341_bursts);
  tcase_add_test (tc, test_3342_cases);
  tcase_add_test (tc, test_integrated_long);
  tcase_add_test (tc, test_short_term_defect);
  tcase_add_test (tc, test_profiles);
  tcase_add_test (tc, test_silence_values);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (loudness_suite ());
  int failed;

  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
