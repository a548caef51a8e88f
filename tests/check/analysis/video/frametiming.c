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
/* Frame timing: gaps cover the missing interval, duplicates and backwards
 * steps are zero-length discontinuities, missing timestamps are fine. */

#include "frametiming.h"
#include "vtest.h"

START_TEST (test_regular)
{
  AvmFrameTiming t;
  AvmTimingEvent ev;
  int i;

  avm_frame_timing_init (&t, FRAME_NS);
  for (i = 0; i < 100; i++)
    ck_assert_int_eq (avm_frame_timing_process (&t, PTS (i), FRAME_NS, &ev),
        AVM_TIMING_OK);
  /* jitter well inside half a frame is not a gap */
  for (i = 100; i < 200; i++)
    ck_assert_int_eq (avm_frame_timing_process (&t,
            PTS (i) + (i % 2 ? 15000000 : 0), FRAME_NS, &ev), AVM_TIMING_OK);
}
END_TEST;

static void
gap_case (uint64_t nominal, uint64_t dur)
{
  AvmFrameTiming t;
  AvmTimingEvent ev;
  int i, gaps = 0;

  avm_frame_timing_init (&t, nominal);
  for (i = 0; i < 60; i++) {
    AvmTimingKind k;
    if (i >= 20 && i < 23)
      continue;                 /* frames 20, 21, 22 dropped */
    k = avm_frame_timing_process (&t, PTS (i), dur, &ev);
    if (k == AVM_TIMING_GAP) {
      gaps++;
      ck_assert_int_eq (i, 23);
      ck_assert_uint_eq (ev.start, PTS (20));
      ck_assert_uint_eq (ev.end, PTS (23));
      ck_assert_uint_eq (ev.missing_frames, 3);
      ck_assert (ev.value_ms > 119.0 && ev.value_ms < 121.0);
      ck_assert (ev.threshold_ms > 59.0 && ev.threshold_ms < 61.0);
    } else {
      ck_assert_int_eq (k, AVM_TIMING_OK);
    }
  }
  ck_assert_int_eq (gaps, 1);
}

START_TEST (test_gap)
{
  gap_case (FRAME_NS, FRAME_NS);        /* framerate known */
  gap_case (0, FRAME_NS);       /* buffer durations only */
  gap_case (0, AVM_TIME_NONE);  /* estimated from the PTS */
}
END_TEST;

/* One dropped frame (a 2-frame step) is a gap; 1.4 frames is not. */
START_TEST (test_gap_threshold)
{
  AvmFrameTiming t;
  AvmTimingEvent ev;

  avm_frame_timing_init (&t, FRAME_NS);
  ck_assert_int_eq (avm_frame_timing_process (&t, PTS (0), FRAME_NS, &ev),
      AVM_TIMING_OK);
  ck_assert_int_eq (avm_frame_timing_process (&t, PTS (2), FRAME_NS, &ev),
      AVM_TIMING_GAP);
  ck_assert_uint_eq (ev.start, PTS (1));
  ck_assert_uint_eq (ev.end, PTS (2));
  ck_assert_int_eq (avm_frame_timing_process (&t, PTS (2) + 56000000,
          FRAME_NS, &ev), AVM_TIMING_OK);
}
END_TEST;

START_TEST (test_duplicate_backwards)
{
  AvmFrameTiming t;
  AvmTimingEvent ev;
  int i;

  avm_frame_timing_init (&t, FRAME_NS);
  for (i = 0; i < 10; i++)
    avm_frame_timing_process (&t, PTS (i), FRAME_NS, &ev);
  ck_assert_int_eq (avm_frame_timing_process (&t, PTS (9), FRAME_NS, &ev),
      AVM_TIMING_DUPLICATE);
  ck_assert_uint_eq (ev.start, PTS (9));
  ck_assert_uint_eq (ev.end, PTS (9));
  ck_assert_int_eq (avm_frame_timing_process (&t, PTS (10), FRAME_NS, &ev),
      AVM_TIMING_OK);
  ck_assert_int_eq (avm_frame_timing_process (&t, PTS (5), FRAME_NS, &ev),
      AVM_TIMING_BACKWARDS);
  ck_assert_uint_eq (ev.start, PTS (5));
  ck_assert_uint_eq (ev.end, PTS (5));
  ck_assert (ev.value_ms > 199.0 && ev.value_ms < 201.0);
  /* the stream continues from there without further reports */
  for (i = 6; i < 20; i++)
    ck_assert_int_eq (avm_frame_timing_process (&t, PTS (i), FRAME_NS, &ev),
        AVM_TIMING_OK);
}
END_TEST;

/* Frames without PTS are counted, so the next stamped frame is not a gap;
 * a real gap after them is still found. */
START_TEST (test_missing_timestamps)
{
  AvmFrameTiming t;
  AvmTimingEvent ev;
  int i;

  avm_frame_timing_init (&t, 0);
  for (i = 0; i < 10; i++)
    avm_frame_timing_process (&t, PTS (i), AVM_TIME_NONE, &ev);
  for (i = 10; i < 13; i++)
    ck_assert_int_eq (avm_frame_timing_process (&t, AVM_TIME_NONE,
            AVM_TIME_NONE, &ev), AVM_TIMING_OK);
  ck_assert_int_eq (avm_frame_timing_process (&t, PTS (13), AVM_TIME_NONE,
          &ev), AVM_TIMING_OK);
  ck_assert_int_eq (avm_frame_timing_process (&t, AVM_TIME_NONE,
          AVM_TIME_NONE, &ev), AVM_TIMING_OK);
  ck_assert_int_eq (avm_frame_timing_process (&t, PTS (17), AVM_TIME_NONE,
          &ev), AVM_TIMING_GAP);
  ck_assert_uint_eq (ev.start, PTS (15));
  ck_assert_uint_eq (ev.end, PTS (17));
  /* a stream with no timestamps at all reports nothing */
  avm_frame_timing_init (&t, FRAME_NS);
  for (i = 0; i < 50; i++)
    ck_assert_int_eq (avm_frame_timing_process (&t, AVM_TIME_NONE,
            AVM_TIME_NONE, &ev), AVM_TIMING_OK);
}
END_TEST;

START_TEST (test_reset)
{
  AvmFrameTiming t;
  AvmTimingEvent ev;

  avm_frame_timing_init (&t, FRAME_NS);
  avm_frame_timing_process (&t, PTS (100), FRAME_NS, &ev);
  avm_frame_timing_reset (&t);
  /* after a flushing seek, an earlier PTS is not backwards */
  ck_assert_int_eq (avm_frame_timing_process (&t, PTS (3), FRAME_NS, &ev),
      AVM_TIMING_OK);
}
END_TEST;

static Suite *
timing_suite (void)
{
  Suite *s = suite_create ("analysis-video-frametiming");
  TCase *tc = tcase_create ("frametiming");

  tcase_add_test (tc, test_regular);
  tcase_add_test (tc, test_gap);
  tcase_add_test (tc, test_gap_threshold);
  tcase_add_test (tc, test_duplicate_backwards);
  tcase_add_test (tc, test_missing_timestamps);
  tcase_add_test (tc, test_reset);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return run_suite (timing_suite ());
}
