/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The A/V sync maths without a pipeline: exact timestamp bookkeeping,
 * drift, flash and beep onsets, flash/beep pairing, and the content lag
 * search on related and unrelated event trains. */

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "syncstats.h"
#include "synctime.h"
#include "syncmarker.h"
#include "synccontent.h"

#define MS 1000000LL
#define SEC 1000000000LL

/* a small deterministic generator (xorshift), so runs are repeatable */
static uint64_t rng_state;

static double
rnd (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (rng_state >> 11) * (1.0 / 9007199254740992.0);
}

START_TEST (test_scale)
{
  ck_assert_int_eq (avm_scale (48000, SEC, 48000), SEC);
  ck_assert_int_eq (avm_scale (1, SEC * 1001, 30000), 33366666);
  /* no overflow on a day of 192 kHz audio */
  ck_assert_int_eq (avm_scale (192000LL * 86400, SEC, 192000), 86400 * SEC);
  ck_assert_int_eq (avm_scale (-1, SEC, 3), -333333334);
}

END_TEST
START_TEST (test_median_stddev)
{
  double v[] = { 5, 1, 4, 2, 3 };
  double w[] = { 1, 2, 3, 4 };

  ck_assert (fabs (avm_median (v, 5) - 3) < 1e-12);
  ck_assert (fabs (avm_median (w, 4) - 2.5) < 1e-12);
  ck_assert (fabs (avm_stddev (w, 4) - sqrt (5.0 / 3.0)) < 1e-12);
  ck_assert (avm_median (v, 0) == 0);
}

END_TEST
START_TEST (test_ring_bounded)
{
  AvmEventRing r;
  unsigned i;

  avm_event_ring_clear (&r);
  for (i = 0; i < 1000; i++)
    avm_event_ring_push (&r, i, i);
  ck_assert_uint_eq (r.count, AVM_SYNC_RING);
  ck_assert_int_eq (avm_event_ring_time (&r, 0), 1000 - AVM_SYNC_RING);
  ck_assert_int_eq (avm_event_ring_time (&r, AVM_SYNC_RING - 1), 999);
}

END_TEST
START_TEST (test_time_gaps_exact)
{
  AvmTimeTrack t;
  int64_t rt = 5 * SEC + 3, jump;
  uint64_t n = 0;
  int i;

  /* 44.1 kHz in buffers of 441: 10 ms each, exact */
  avm_time_track_init (&t, 44100, 1, 0);
  for (i = 0; i < 100; i++) {
    AvmTimeJump j;

    if (i == 30)
      rt += 123456789;          /* a gap */
    if (i == 60)
      rt -= 7;                  /* an overlap of 7 ns */
    j = avm_time_track_push (&t, rt, 441, &jump);
    if (i == 0)
      ck_assert_int_eq (j, AVM_TIME_FIRST);
    else if (i == 30) {
      ck_assert_int_eq (j, AVM_TIME_GAP);
      ck_assert_int_eq (jump, 123456789);
    } else if (i == 60) {
      ck_assert_int_eq (j, AVM_TIME_OVERLAP);
      ck_assert_int_eq (jump, -7);
    } else {
      ck_assert_int_eq (j, AVM_TIME_CONTINUOUS);
    }
    rt += 10 * MS;
    n += 441;
  }
  ck_assert_int_eq (t.first, 5 * SEC + 3);
  ck_assert_uint_eq (t.n_gaps, 1);
  ck_assert_uint_eq (t.n_overlaps, 1);
  ck_assert_int_eq (t.gap_total, 123456789);
  ck_assert_int_eq (t.overlap_total, 7);
}

END_TEST
START_TEST (test_time_rounding_does_not_accumulate)
{
  AvmTimeTrack t;
  uint64_t frames;
  int64_t jump;

  /* 29.97 fps: every PTS is rounded down, the expectation must follow */
  avm_time_track_init (&t, 30000, 1001, 0);
  for (frames = 0; frames < 100000; frames++) {
    int64_t pts = avm_scale ((int64_t) frames, SEC * 1001, 30000);

    ck_assert_int_le (avm_time_track_push (&t, pts, 1, &jump), AVM_TIME_FIRST);
  }
  ck_assert_uint_eq (t.n_gaps + t.n_overlaps, 0);
}

END_TEST
START_TEST (test_time_drift)
{
  static const double ppms[] = { 100, -100, 20, 0 };
  unsigned k;

  for (k = 0; k < 4; k++) {
    AvmTimeTrack t;
    uint64_t samples;
    double ppm = 0;

    avm_time_track_init (&t, 48000, 1, 40 * MS);
    /* 60 s of 1024-sample buffers with 0.2 ms of arrival jitter */
    for (samples = 0; samples < 48000ULL * 60; samples += 1024) {
      double ideal = samples / 48000.0 * (1.0 + ppms[k] * 1e-6);
      int64_t rt = (int64_t) ((ideal + (rnd () - 0.5) * 0.0004) * 1e9);

      avm_time_track_push (&t, rt, 1024, NULL);
    }
    ck_assert (avm_time_track_drift_ppm (&t, &ppm));
    ck_assert_msg (fabs (ppm - ppms[k]) < 5.0, "drift %f for %f", ppm, ppms[k]);
  }
}

END_TEST static void
fill_plane (uint8_t * p, int w, int h, uint8_t bg, int bx, int by, int bw,
    int bh, uint8_t fg)
{
  int x, y;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      p[y * w + x] = (x >= bx && x < bx + bw && y >= by && y < by + bh) ?
          fg : bg;
}

START_TEST (test_flash_box)
{
  enum
  { W = 320, H = 180 };
  static uint8_t plane[W * H];
  AvmLumaPlane p = { plane, W, 1, W, H, 1, 0, 255 };
  AvmFlashDetector d;
  float thumb[AVM_THUMB_SIZE];
  double mean;
  int i, flashes = 0;

  /* a box flash covering 8% of the frame, seen through the full frame */
  avm_flash_init (&d, 0.04);
  for (i = 0; i < 200; i++) {
    int on = i % 50 == 20;

    fill_plane (plane, W, H, 16 + (i % 3), 100, 60, 113, 45, on ? 255 : 16);
    avm_luma_scan (&p, 0, 0, W, H, &mean, thumb);
    if (avm_flash_push (&d, mean)) {
      ck_assert_int_eq (i % 50, 20);
      flashes++;
    }
  }
  ck_assert_int_eq (flashes, 4);

  /* the same through the region of the box: a much larger jump */
  avm_luma_scan (&p, 100, 60, 113, 45, &mean, NULL);
  ck_assert (mean < 0.1);
  fill_plane (plane, W, H, 16, 100, 60, 113, 45, 255);
  avm_luma_scan (&p, 100, 60, 113, 45, &mean, NULL);
  ck_assert (mean > 0.99);
}

END_TEST
START_TEST (test_luma_16bit_packed)
{
  /* P010-like: 10 bits in the top of 16, two bytes per sample */
  static uint8_t buf[64 * 2 * 16];
  AvmLumaPlane p = { buf, 64 * 2, 2, 64, 16, 2, 6, 1023 };
  double mean;
  int i;

  for (i = 0; i < 64 * 16; i++) {
    uint16_t v = (uint16_t) (512 << 6);

    buf[2 * i] = v & 0xff;
    buf[2 * i + 1] = v >> 8;
  }
  avm_luma_scan (&p, 0, 0, 64, 16, &mean, NULL);
  ck_assert (fabs (mean - 512.0 / 1023.0) < 1e-9);
}

END_TEST
/* Beeps to the sample: broadband and at a frequency, with and without
 * background noise, at random positions and phases. */
    static void
check_beeps (double rate, double freq, double detect_freq, double noise,
    double amplitude)
{
  AvmBeepDetector *d = calloc (1, sizeof (*d));
  float buf[777];
  int64_t onsets[8], starts[16];
  int64_t idx = 0, total = (int64_t) (rate * 16);
  int nb = 0, found = 0, i, k;
  double phase = rnd () * 2 * M_PI;

  for (k = 0; k < 14; k++)
    starts[k] = (int64_t) ((k + 1) * rate + rnd () * rate * 0.3);
  starts[14] = INT64_MAX;
  avm_beep_init (d, rate, detect_freq, -50);
  while (idx < total) {
    int n = (int) (total - idx < 777 ? total - idx : 777);
    int got;

    for (i = 0; i < n; i++) {
      int64_t s = idx + i;
      double v = noise * (rnd () * 2 - 1);

      while (nb < 14 && s >= starts[nb] + (int64_t) (rate * 0.04))
        nb++;
      if (nb < 14 && s >= starts[nb])
        v += amplitude * sin (phase + 2 * M_PI * freq * (s - starts[nb]) /
            rate);
      buf[i] = (float) v;
    }
    got = avm_beep_push (d, buf, n, idx, onsets, 8);
    for (i = 0; i < got; i++) {
      int64_t err;

      ck_assert_int_lt (found, 14);
      err = onsets[i] - starts[found];
      /* to the sample: a sine starting near a zero crossing needs a
       * sample or two to show */
      ck_assert_msg (err >= -1 && err <= (int64_t) (rate * 0.0005),
          "beep %d at %.0f Hz: error %d samples", found, freq, (int) err);
      found++;
    }
    idx += n;
  }
  ck_assert_int_eq (found, 14);
  free (d);
}

START_TEST (test_beep_onsets)
{
  check_beeps (48000, 1000, 0, 0, 0.5);
  check_beeps (44100, 1000, 1000, 0, 0.5);
  check_beeps (48000, 800, 0, 0, 1024.0 / 32768);       /* avsynctest */
  check_beeps (48000, 1000, 1000, 0.01, 0.3);   /* -40 dBFS hiss */
  check_beeps (96000, 440, 0, 0.001, 0.5);
}

END_TEST
START_TEST (test_beep_ignores_other_frequency)
{
  AvmBeepDetector *d = calloc (1, sizeof (*d));
  float buf[48000];
  int64_t onsets[8];
  int i, got = 0, k;

  avm_beep_init (d, 48000, 1000, -50);
  for (k = 0; k < 4; k++) {
    for (i = 0; i < 48000; i++)
      buf[i] = i < 24000 ? 0.0f : (float) (0.5 * sin (2 * M_PI * 6000 * i /
              48000.0));
    got += avm_beep_push (d, buf, 48000, k * 48000, onsets, 8);
  }
  ck_assert_int_eq (got, 0);
  free (d);
}

END_TEST
START_TEST (test_pairer)
{
  AvmMarkerPairer p;
  AvmSyncResult r;
  int k;

  avm_marker_pairer_init (&p, SEC);
  /* flashes every 2 s, beeps 300 ms earlier (audio leads) plus one stray
   * beep without a flash */
  for (k = 0; k < 10; k++) {
    avm_marker_pairer_add_beep (&p, k * 2 * SEC + 700 * MS);
    avm_marker_pairer_add_flash (&p, k * 2 * SEC + SEC);
  }
  avm_marker_pairer_add_beep (&p, 30 * SEC);
  /* audio only reached 10 s: flashes after 10 s - half window wait */
  avm_marker_pairer_update (&p, 10 * SEC);
  ck_assert_uint_eq (p.pairs.count, 5);
  avm_marker_pairer_update (&p, INT64_MAX);
  ck_assert_uint_eq (p.pairs.count, 10);
  avm_marker_pairer_result (&p, 0, 100 * SEC, &r);
  ck_assert (r.valid);
  ck_assert_uint_eq (r.n_events, 10);
  ck_assert (fabs (r.offset - 300 * MS) < 1);
  ck_assert (r.stddev < 1);
  avm_marker_pairer_result (&p, 100 * SEC, 200 * SEC, &r);
  ck_assert (!r.valid);
}

END_TEST
START_TEST (test_pairer_drift)
{
  AvmMarkerPairer p;
  AvmSyncResult r;
  int k;

  /* the beep slips 500 ppm against the flash over 60 s: offset goes from
   * 20 ms to 50 ms; the window median follows, the drift is the slope */
  avm_marker_pairer_init (&p, SEC);
  for (k = 0; k < 60; k++) {
    int64_t f = (int64_t) k * SEC + SEC / 2;
    int64_t off = 20 * MS + (int64_t) (500e-6 * f);

    avm_marker_pairer_add_beep (&p, f - off);
    avm_marker_pairer_add_flash (&p, f);
  }
  avm_marker_pairer_update (&p, INT64_MAX);
  avm_marker_pairer_result (&p, 50 * SEC, 61 * SEC, &r);
  ck_assert (r.valid);
  ck_assert (r.have_drift);
  ck_assert_msg (fabs (r.drift_ppm - 500) < 1, "drift %f", r.drift_ppm);
  ck_assert (fabs (r.offset - (20 * MS + 500e-6 * 55.5e9)) < 0.6 * MS);
}

END_TEST
/* content lag search */
    static unsigned
poisson_train (int64_t * t, unsigned max, int64_t from, int64_t to,
    double mean_gap_s)
{
  unsigned n = 0;
  double x = from / 1e9;

  for (;;) {
    x += 0.1 + -log (1.0 - rnd ()) * (mean_gap_s - 0.1);
    if (x * 1e9 >= to || n >= max)
      return n;
    t[n++] = (int64_t) (x * 1e9);
  }
}

START_TEST (test_content_related)
{
  static const int64_t offsets[] = { -500, -200, -40, 40, 120, 500 };
  AvmContentParams cp;
  unsigned k, rep;

  avm_content_params_default (&cp);
  cp.tolerance = 35 * MS;
  for (k = 0; k < 6; k++) {
    unsigned valid = 0;

    for (rep = 0; rep < 20; rep++) {
      int64_t v[64], a[64];
      unsigned nv, na, i;
      AvmSyncResult r;

      /* visual events on frames (25 fps), their sound offset earlier, the
       * onset found within the 5 ms hop; one event of five has no sound
       * and there is a stray onset */
      nv = poisson_train (v, 64, 0, 10 * SEC, 1.3);
      na = 0;
      for (i = 0; i < nv; i++) {
        v[i] -= v[i] % (40 * MS);
        if (i % 5 == 3)
          continue;
        a[na++] = v[i] - offsets[k] * MS + (int64_t) (rnd () * 40 * MS);
      }
      a[na++] = 4 * SEC + 3 * MS;
      avm_content_correlate (v, nv, a, na, &cp, &r);
      if (!r.valid)
        continue;
      /* a window with too few events may refuse; a valid one is right */
      valid++;
      ck_assert_msg (fabs (r.offset - offsets[k] * MS) <= 40 * MS,
          "offset %d measured %f", (int) offsets[k], r.offset / 1e6);
    }
    ck_assert_msg (valid >= 16, "offset %d: only %u of 20 windows valid",
        (int) offsets[k], valid);
  }
}

END_TEST
START_TEST (test_content_unrelated)
{
  AvmContentParams cp;
  unsigned rep, valid = 0, n = 0;

  avm_content_params_default (&cp);
  cp.tolerance = 35 * MS;
  for (rep = 0; rep < 2000; rep++) {
    int64_t v[128], a[128];
    /* dense and sparse trains, independent */
    double gv = 0.3 + rnd () * 2.0, ga = 0.3 + rnd () * 2.0;
    unsigned nv = poisson_train (v, 128, 0, 10 * SEC, gv);
    unsigned na = poisson_train (a, 128, -1 * SEC, 11 * SEC, ga);
    AvmSyncResult r;

    avm_content_correlate (v, nv, a, na, &cp, &r);
    valid += r.valid;
    n++;
  }
  fprintf (stderr, "unrelated event trains: %u of %u windows valid\n",
      valid, n);
  ck_assert_msg (valid * 100 <= n, "%u of %u unrelated windows valid",
      valid, n);
}

END_TEST
START_TEST (test_content_periodic_is_ambiguous)
{
  AvmContentParams cp;
  int64_t v[32], a[32];
  unsigned i;
  AvmSyncResult r;

  /* events every 400 ms on both sides: every lag of 400 ms fits */
  avm_content_params_default (&cp);
  for (i = 0; i < 25; i++) {
    v[i] = i * 400 * MS;
    a[i] = i * 400 * MS + 130 * MS;
  }
  avm_content_correlate (v, 25, a, 25, &cp, &r);
  ck_assert (!r.valid);
}

END_TEST
START_TEST (test_audio_onsets)
{
  AvmAudioOnset o;
  static float buf[48000];
  int64_t onsets[16];
  int i, k, found = 0;

  /* a tone changing pitch at each second, at equal level: spectral flux
   * sees it where energy would not */
  avm_audio_onset_init (&o, 48000);
  for (k = 0; k < 8; k++) {
    double f = k % 2 ? 440 : 2500;
    int got;

    for (i = 0; i < 48000; i++)
      buf[i] = (float) (0.25 * sin (2 * M_PI * f * i / 48000.0));
    got = avm_audio_onset_push (&o, buf, 48000, (int64_t) k * 48000,
        onsets, 16);
    for (i = 0; i < got; i++) {
      int64_t err = onsets[i] - (int64_t) k * 48000;

      ck_assert_msg (err >= -240 && err <= 480, "onset error %d", (int) err);
      found++;
    }
  }
  ck_assert_int_ge (found, 6);

  /* steady noise has no onsets */
  avm_audio_onset_init (&o, 48000);
  found = 0;
  for (k = 0; k < 10; k++) {
    for (i = 0; i < 48000; i++)
      buf[i] = (float) (0.1 * (rnd () * 2 - 1));
    found += avm_audio_onset_push (&o, buf, 48000, (int64_t) k * 48000,
        onsets, 16);
  }
  ck_assert_int_le (found, 1);
}

END_TEST
START_TEST (test_video_novelty)
{
  AvmVideoNovelty v;
  float thumb[AVM_THUMB_SIZE];
  int i, j, events = 0;
  double nov;

  avm_video_novelty_init (&v, 0.02);
  for (i = 0; i < 250; i++) {
    /* slow noise, and a cut every 50 frames */
    float base = (i / 50) % 2 ? 0.7f : 0.2f;

    for (j = 0; j < AVM_THUMB_SIZE; j++)
      thumb[j] = base + (float) (rnd () * 0.01);
    if (avm_video_novelty_push (&v, thumb, &nov)) {
      ck_assert_int_eq (i % 50, 0);
      events++;
    }
  }
  ck_assert_int_eq (events, 4);
}

END_TEST static Suite *
sync_suite (void)
{
  Suite *s = suite_create ("analysis-sync");
  TCase *tc = tcase_create ("general");

  rng_state = 0x9e3779b97f4a7c15ULL;
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_scale);
  tcase_add_test (tc, test_median_stddev);
  tcase_add_test (tc, test_ring_bounded);
  tcase_add_test (tc, test_time_gaps_exact);
  tcase_add_test (tc, test_time_rounding_does_not_accumulate);
  tcase_add_test (tc, test_time_drift);
  tcase_add_test (tc, test_flash_box);
  tcase_add_test (tc, test_luma_16bit_packed);
  tcase_add_test (tc, test_beep_onsets);
  tcase_add_test (tc, test_beep_ignores_other_frequency);
  tcase_add_test (tc, test_pairer);
  tcase_add_test (tc, test_pairer_drift);
  tcase_add_test (tc, test_content_related);
  tcase_add_test (tc, test_content_unrelated);
  tcase_add_test (tc, test_content_periodic_is_ambiguous);
  tcase_add_test (tc, test_audio_onsets);
  tcase_add_test (tc, test_video_novelty);
  return s;
}

int
main (void)
{
  Suite *s = sync_suite ();
  SRunner *sr = srunner_create (s);
  int failed;

  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
