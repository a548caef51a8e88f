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
/* Repeated pictures in steady motion (repeat.h): a few standing frames
 * followed by motion are a repeat, starting at the first standing frame;
 * a pause or a freeze, a picture that never moved, motion that was not
 * steady, a slow stop and a sparse frame rate cadence are not. */

#include "vtest.h"
#include "repeat.h"

#define FLOOR 2.0

/* Frame difference of steady motion around 10 codes, with jitter. */
static double
moving (int i)
{
  return 10.0 + (double) ((i * 7) % 5) * 0.6 - 1.2;
}

/* Feeds @n frames from frame *@i on, a diff of @v (< 0: moving()), and
 * returns how many repeats were reported, the last one's start in
 * *@start. */
static int
feed (AvmRepeat * r, int *i, int n, double v, uint64_t * start)
{
  int k, hits = 0;

  for (k = 0; k < n; k++, (*i)++) {
    uint64_t s = AVM_TIME_NONE;

    if (avm_repeat_process (r, v < 0.0 ? moving (*i) : v, FLOOR, PTS (*i),
            &s)) {
      hits++;
      *start = s;
    }
  }
  return hits;
}

START_TEST (test_repeat_found)
{
  static const int lens[] = { 1, 2, 3, AVM_REPEAT_MAX_RUN };
  int k;

  for (k = 0; k < 4; k++) {
    AvmRepeat r;
    uint64_t start = AVM_TIME_NONE, s;
    int i = 0;

    avm_repeat_reset (&r);
    ck_assert_int_eq (feed (&r, &i, 20, -1.0, &start), 0);
    /* concealment: the picture stands, then jumps to catch up */
    ck_assert_int_eq (feed (&r, &i, lens[k], 0.6, &start), 0);
    s = AVM_TIME_NONE;
    ck_assert_int_eq (avm_repeat_process (&r, 25.0, FLOOR, PTS (i), &s), 1);
    ck_assert_uint_eq (s, PTS (20));
    i++;
    /* and the motion goes on as before: nothing more */
    ck_assert_int_eq (feed (&r, &i, 30, -1.0, &start), 0);
  }
}
END_TEST;

/* The thresholds: a stand is below 0.35x the level, motion is back at
 * 0.7x; the depth says how far below it stood. */
START_TEST (test_thresholds)
{
  AvmRepeat r;
  uint64_t start = AVM_TIME_NONE;
  int i = 0;

  avm_repeat_reset (&r);
  feed (&r, &i, 20, 10.0, &start);
  /* 0.4x the level: slower, not standing */
  ck_assert_int_eq (feed (&r, &i, 1, 4.0, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 1, 10.0, &start), 0);
  feed (&r, &i, 20, 10.0, &start);
  /* 0.3x, back at 0.65x: still standing in part, then back at 0.75x */
  ck_assert_int_eq (feed (&r, &i, 1, 3.0, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 1, 6.5, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 1, 7.5, &start), 1);
  ck_assert_uint_eq (start, PTS (i - 3));
  ck_assert (avm_repeat_depth (&r) > 0.29 && avm_repeat_depth (&r) < 0.31);
}
END_TEST;

/* Catching up need not overshoot: motion back at its level ends it. */
START_TEST (test_repeat_resumes_at_level)
{
  AvmRepeat r;
  uint64_t start = AVM_TIME_NONE;
  int i = 0;

  avm_repeat_reset (&r);
  feed (&r, &i, 20, -1.0, &start);
  feed (&r, &i, 2, 1.0, &start);
  /* a frame between the thresholds keeps the run going */
  feed (&r, &i, 1, 5.0, &start);
  ck_assert_int_eq (feed (&r, &i, 1, -1.0, &start), 1);
  ck_assert_uint_eq (start, PTS (20));
}
END_TEST;

START_TEST (test_pause_is_no_repeat)
{
  AvmRepeat r;
  uint64_t start = AVM_TIME_NONE;
  int i = 0;

  avm_repeat_reset (&r);
  feed (&r, &i, 20, -1.0, &start);
  /* a pause or a freeze longer than the longest run, then motion again:
   * the freeze detector's business */
  ck_assert_int_eq (feed (&r, &i, AVM_REPEAT_MAX_RUN + 1, 0.5, &start), 0);
  /* the motion after it is learnt afresh: a stand within its first
   * frames is judged against nothing */
  ck_assert_int_eq (feed (&r, &i, 3, -1.0, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 1, 0.5, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 40, -1.0, &start), 0);
  /* motion that stops for good, then starts again: the stand is over
   * long before */
  ck_assert_int_eq (feed (&r, &i, 100, 0.3, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 1, -1.0, &start), 0);
}
END_TEST;

START_TEST (test_slow_motion_no_repeat)
{
  AvmRepeat r;
  uint64_t start = AVM_TIME_NONE;
  int i = 0;

  /* a picture that hardly moves: sensor noise, a still shot */
  avm_repeat_reset (&r);
  feed (&r, &i, 20, 1.5, &start);
  feed (&r, &i, 3, 0.1, &start);
  ck_assert_int_eq (feed (&r, &i, 20, 1.5, &start), 0);
  /* the same pattern at the floor is found: the floor is what stops it */
  avm_repeat_reset (&r);
  i = 0;
  feed (&r, &i, 20, 2.5, &start);
  feed (&r, &i, 3, 0.1, &start);
  ck_assert_int_eq (feed (&r, &i, 20, 2.5, &start), 1);
}
END_TEST;

START_TEST (test_unsteady_no_repeat)
{
  AvmRepeat r;
  uint64_t start = AVM_TIME_NONE;
  int i = 0, k, hits = 0;

  /* animation on twos: a new drawing every second frame */
  avm_repeat_reset (&r);
  for (k = 0; k < 60; k++)
    hits += feed (&r, &i, 1, k % 2 ? 0.2 : 12.0, &start);
  ck_assert_int_eq (hits, 0);
  /* motion that slows down to a stop over a few frames and starts again */
  avm_repeat_reset (&r);
  i = 0;
  feed (&r, &i, 20, 10.0, &start);
  hits = feed (&r, &i, 1, 7.0, &start);
  hits += feed (&r, &i, 1, 4.5, &start);
  hits += feed (&r, &i, 1, 2.0, &start);
  hits += feed (&r, &i, 4, 0.2, &start);
  hits += feed (&r, &i, 20, 10.0, &start);
  ck_assert_int_eq (hits, 0);
  /* a stop, then slower motion that never comes back to the level */
  avm_repeat_reset (&r);
  i = 0;
  feed (&r, &i, 20, 10.0, &start);
  hits = feed (&r, &i, 2, 0.2, &start);
  hits += feed (&r, &i, 40, 5.0, &start);
  ck_assert_int_eq (hits, 0);
}
END_TEST;

/* 24 fps shown at 25 by repeating a frame a second: the first two
 * repeats are reported (nothing tells them from damage yet), the
 * cadence then is not; a repeat off the cadence is again. */
START_TEST (test_cadence)
{
  AvmRepeat r;
  uint64_t start = AVM_TIME_NONE;
  int i = 0, k, hits = 0;

  avm_repeat_reset (&r);
  feed (&r, &i, 20, -1.0, &start);
  for (k = 0; k < 10; k++) {
    /* the stand's length varies (a starved encoder's), its start not */
    int len = 1 + (k * 2) % 3;
    int h = feed (&r, &i, len, 0.3, &start);
    h += feed (&r, &i, 25 - len, -1.0, &start);
    if (k < 2)
      ck_assert_int_eq (h, 1);
    hits += h;
  }
  ck_assert_int_eq (hits, 2);
  /* an interval off by one frame from the one before is the cadence
   * still (23.976 to 25 fps repeats every 23 or 24 frames), by two it is
   * not */
  ck_assert_int_eq (feed (&r, &i, 1, 0.3, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 25, -1.0, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 1, 0.3, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 23, -1.0, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 1, 0.3, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 26, -1.0, &start), 1);
  feed (&r, &i, 11, -1.0, &start);
  ck_assert_int_eq (feed (&r, &i, 1, 0.3, &start), 0);
  ck_assert_int_eq (feed (&r, &i, 1, -1.0, &start), 1);
  ck_assert_uint_eq (start, PTS (i - 2));
}
END_TEST;

START_TEST (test_reset)
{
  AvmRepeat r;
  uint64_t start = AVM_TIME_NONE;
  int i = 0;

  avm_repeat_reset (&r);
  feed (&r, &i, 20, -1.0, &start);
  feed (&r, &i, 2, 0.3, &start);
  /* a flush in the middle of a run: the history is gone, so motion after
   * it is no repeat */
  avm_repeat_reset (&r);
  ck_assert_int_eq (feed (&r, &i, 1, 20.0, &start), 0);
  /* the first frames after a reset build a history first: a stand
   * before it is full is none */
  feed (&r, &i, AVM_REPEAT_HISTORY - 2, -1.0, &start);
  feed (&r, &i, 1, 0.3, &start);
  ck_assert_int_eq (feed (&r, &i, 1, -1.0, &start), 0);
  feed (&r, &i, AVM_REPEAT_HISTORY, -1.0, &start);
  feed (&r, &i, 1, 0.3, &start);
  ck_assert_int_eq (feed (&r, &i, 1, -1.0, &start), 1);
}
END_TEST;

/* A starved encoder's key frame (twice the motion in two frames, or in
 * one with one P frame coded after it), then P frames that code nothing
 * for a while: the encoder's stand, not a decoder's; the same stand after
 * a normal frame is one. */
START_TEST (test_refresh_no_repeat)
{
  AvmRepeat r;
  uint64_t start = AVM_TIME_NONE;
  int i = 0, k, hits = 0;

  avm_repeat_reset (&r);
  feed (&r, &i, 20, -1.0, &start);
  for (k = 0; k < 5; k++) {
    hits += feed (&r, &i, 2, 18.0, &start);
    hits += feed (&r, &i, 2, 1.0, &start);
    hits += feed (&r, &i, 40, -1.0, &start);
  }
  ck_assert_int_eq (hits, 0);
  /* the P frame right after the key frame codes, the next ones do not */
  for (k = 0; k < 5; k++) {
    hits += feed (&r, &i, 1, 18.0, &start);
    hits += feed (&r, &i, 1, -1.0, &start);
    hits += feed (&r, &i, 2, 1.0, &start);
    hits += feed (&r, &i, 40, -1.0, &start);
  }
  ck_assert_int_eq (hits, 0);
  hits = feed (&r, &i, 1, 12.0, &start);
  hits += feed (&r, &i, 2, 1.0, &start);
  hits += feed (&r, &i, 1, -1.0, &start);
  ck_assert_int_eq (hits, 1);
}
END_TEST;

/* A decoder that stands again two frames after catching up: the catch-up
 * (twice the level) is no refresh, both stands are found. */
START_TEST (test_repeat_after_catch_up)
{
  AvmRepeat r;
  uint64_t start = AVM_TIME_NONE;
  int i = 0, hits;

  avm_repeat_reset (&r);
  feed (&r, &i, 20, -1.0, &start);
  hits = feed (&r, &i, 1, 0.5, &start);
  hits += feed (&r, &i, 1, 20.0, &start);
  ck_assert_int_eq (hits, 1);
  hits = feed (&r, &i, 1, -1.0, &start);
  hits += feed (&r, &i, 1, 0.5, &start);
  hits += feed (&r, &i, 1, 20.0, &start);
  ck_assert_int_eq (hits, 1);
  ck_assert_uint_eq (start, PTS (23));
}
END_TEST;

/* A fresh detector fed 20 frames of steady motion and a refresh (a key
 * frame at twice the motion); *@i is the next frame. */
static void
after_refresh (AvmRepeat * r, int *i, uint64_t * start)
{
  avm_repeat_reset (r);
  *i = 0;
  feed (r, i, 20, -1.0, start);
  feed (r, i, 1, 18.0, start);
}

/* A decoder may stop right after content that changed by more than its
 * motion (a time code whose seconds digit turns): a stand from the next
 * frame on that outlasts an encoder's pause after its key frame is a
 * repeat, named from its first frame; one within it is not, and does not
 * keep a stand soon after from being seen. */
START_TEST (test_stand_after_refresh)
{
  int run;

  for (run = 1; run <= AVM_REPEAT_MAX_RUN; run++) {
    AvmRepeat r;
    uint64_t start = AVM_TIME_NONE;
    int i = 0, hits, first;

    after_refresh (&r, &i, &start);
    first = i;
    hits = feed (&r, &i, run, 0.6, &start);
    hits += feed (&r, &i, 1, 25.0, &start);
    if (run < AVM_REPEAT_REFRESH_RUN) {
      ck_assert_int_eq (hits, 0);
      /* the short stand left the history steady */
      feed (&r, &i, 3, -1.0, &start);
      first = i;
      hits = feed (&r, &i, 2, 0.6, &start);
      hits += feed (&r, &i, 1, 25.0, &start);
    }
    ck_assert_int_eq (hits, 1);
    ck_assert_uint_eq (start, PTS (first));
  }
  for (run = 1; run < AVM_REPEAT_REFRESH_RUN; run++) {
    AvmRepeat r;
    uint64_t start = AVM_TIME_NONE;
    int i = 0, hits, first;

    /* the end of the encoder's pause is no decoder's catch-up: it still
     * guards a pause that starts two frames after it */
    after_refresh (&r, &i, &start);
    hits = feed (&r, &i, run, 0.6, &start);
    hits += feed (&r, &i, 1, 25.0, &start);
    hits += feed (&r, &i, 1, -1.0, &start);
    hits += feed (&r, &i, run, 0.6, &start);
    hits += feed (&r, &i, 1, 25.0, &start);
    ck_assert_int_eq (hits, 0);
    /* only the frames that stand count: two, and one coded in part */
    after_refresh (&r, &i, &start);
    hits = feed (&r, &i, 2, 0.6, &start);
    hits += feed (&r, &i, 1, 5.0, &start);
    hits += feed (&r, &i, 1, 25.0, &start);
    ck_assert_int_eq (hits, 0);
    /* a stand from the second frame after the refresh (one P frame
     * coded) that outlasts the pause */
    after_refresh (&r, &i, &start);
    feed (&r, &i, 1, -1.0, &start);
    first = i;
    hits = feed (&r, &i, AVM_REPEAT_REFRESH_RUN, 0.6, &start);
    hits += feed (&r, &i, 1, 25.0, &start);
    ck_assert_int_eq (hits, 1);
    ck_assert_uint_eq (start, PTS (first));
  }
}
END_TEST;

/* Steady motion may have one uneven frame (a ball crossing block
 * borders moves the mean unevenly): a stand after it is a repeat, unless
 * that frame is one of the last two before the stand (motion slowing to
 * a stop), or there are two of them. */
START_TEST (test_one_uneven_frame)
{
  int before;

  for (before = 0; before <= 5; before++) {
    AvmRepeat r;
    uint64_t start = AVM_TIME_NONE;
    int i = 0, hits, first;

    avm_repeat_reset (&r);
    feed (&r, &i, 20, -1.0, &start);
    feed (&r, &i, 1, 4.0, &start);
    feed (&r, &i, before, -1.0, &start);
    first = i;
    hits = feed (&r, &i, 3, 0.6, &start);
    hits += feed (&r, &i, 1, 25.0, &start);
    ck_assert_int_eq (hits, before >= 2);
    if (hits)
      ck_assert_uint_eq (start, PTS (first));
  }
  {
    AvmRepeat r;
    uint64_t start = AVM_TIME_NONE;
    int i = 0, hits;

    avm_repeat_reset (&r);
    feed (&r, &i, 20, -1.0, &start);
    feed (&r, &i, 1, 4.0, &start);
    feed (&r, &i, 2, -1.0, &start);
    feed (&r, &i, 1, 4.0, &start);
    feed (&r, &i, 2, -1.0, &start);
    hits = feed (&r, &i, 3, 0.6, &start);
    hits += feed (&r, &i, 1, 25.0, &start);
    ck_assert_int_eq (hits, 0);
  }
}
END_TEST;

static Suite *
repeat_suite (void)
{
  Suite *s = suite_create ("analysis-video-repeat");
  TCase *tc = tcase_create ("repeat");

  tcase_add_test (tc, test_repeat_found);
  tcase_add_test (tc, test_thresholds);
  tcase_add_test (tc, test_repeat_resumes_at_level);
  tcase_add_test (tc, test_pause_is_no_repeat);
  tcase_add_test (tc, test_slow_motion_no_repeat);
  tcase_add_test (tc, test_unsteady_no_repeat);
  tcase_add_test (tc, test_cadence);
  tcase_add_test (tc, test_refresh_no_repeat);
  tcase_add_test (tc, test_repeat_after_catch_up);
  tcase_add_test (tc, test_stand_after_refresh);
  tcase_add_test (tc, test_one_uneven_frame);
  tcase_add_test (tc, test_reset);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return run_suite (repeat_suite ());
}
