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
/* Repeated pictures in steady motion: see repeat.h. */

#include "repeat.h"

#include <string.h>

void
avm_repeat_reset (AvmRepeat * r)
{
  memset (r, 0, sizeof (*r));
}

static void
push (AvmRepeat * r, double diff)
{
  r->hist[r->at] = diff;
  r->at = (r->at + 1) % AVM_REPEAT_HISTORY;
  if (r->nhist < AVM_REPEAT_HISTORY)
    r->nhist++;
}

/* @diff becomes the last frame's; a catch-up (@caught_up: the frame a
 * repeat ended on) is no refresh two frames on, or a decoder that stands
 * again right after catching up would go unseen */
static void
shift (AvmRepeat * r, double diff, int caught_up)
{
  r->last2 = r->last_caught_up ? 0.0 : r->last;
  r->last = diff;
  r->last_caught_up = caught_up;
}

/* The median of a full history when it is steady, else -1: no frame
 * below half of it but one, and that one not among the last two (see
 * repeat.h). */
static double
steady_level (const AvmRepeat * r)
{
  double s[AVM_REPEAT_HISTORY], med;
  int i, j;

  if (r->nhist < AVM_REPEAT_HISTORY)
    return -1.0;
  for (i = 0; i < AVM_REPEAT_HISTORY; i++) {
    double v = r->hist[i];
    for (j = i - 1; j >= 0 && s[j] > v; j--)
      s[j + 1] = s[j];
    s[j + 1] = v;
  }
  med = s[AVM_REPEAT_HISTORY / 2];
  if (s[1] < 0.5 * med)
    return -1.0;
  for (i = 1; i <= 2; i++)
    if (r->hist[(r->at + AVM_REPEAT_HISTORY - i) % AVM_REPEAT_HISTORY] <
        0.5 * med)
      return -1.0;
  return med;
}

int
avm_repeat_process (AvmRepeat * r, double diff, double floor,
    uint64_t pts, uint64_t * start)
{
  r->frame++;
  if (r->run > 0) {
    uint64_t interval;
    int cadence;

    if (diff < AVM_REPEAT_RESUME * r->level) {
      if (diff < r->run_min)
        r->run_min = diff;
      r->run_still += diff < AVM_REPEAT_RATIO * r->level;
      if (++r->run > AVM_REPEAT_MAX_RUN) {
        /* a pause or a freeze: the motion after it is a new level */
        r->run = 0;
        r->nhist = r->at = 0;
      }
      return 0;
    }
    /* motion resumed */
    r->run = 0;
    push (r, diff);
    /* the encoder's pause after a refresh (see repeat.h): no repeat, so
     * its end is no catch-up, and a refresh two frames before a new stand
     * still guards it */
    if (r->run_refresh && r->run_still < AVM_REPEAT_REFRESH_RUN) {
      shift (r, diff, 0);
      return 0;
    }
    shift (r, diff, 1);
    /* from stand to stand: where motion resumes varies more */
    interval = r->run_frame - r->last_repeat;
    cadence = r->last_repeat > 0 && r->interval > 0 &&
        interval + 1 >= r->interval && interval <= r->interval + 1;
    r->interval = r->last_repeat > 0 ? interval : 0;
    r->last_repeat = r->run_frame;
    if (cadence)
      return 0;
    *start = r->run_start;
    r->depth = r->run_min / r->level;
    return 1;
  }
  {
    double level = steady_level (r);

    if (level >= floor && level > 0.0 && diff < AVM_REPEAT_RATIO * level) {
      r->level = level;
      r->run = 1;
      r->run_start = pts;
      r->run_frame = r->frame;
      r->run_min = diff;
      r->run_still = 1;
      /* a starved encoder's key frame changes the picture by twice its
       * motion, and the frames after it may code nothing at all (from
       * the first or from the second on): a short stand within two
       * frames of a refresh is the encoder's, not a decoder's */
      r->run_refresh = r->last > AVM_REPEAT_REFRESH * level ||
          r->last2 > AVM_REPEAT_REFRESH * level;
      shift (r, diff, 0);
      return 0;
    }
  }
  push (r, diff);
  shift (r, diff, 0);
  return 0;
}

double
avm_repeat_depth (const AvmRepeat * r)
{
  return r->depth;
}
