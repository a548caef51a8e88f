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
/* A picture repeated in steady motion: the stutter a decoder leaves when it
 * loses a frame, or the reference a frame was predicted from.
 *
 * Concealment of a lost picture shows the last one again, or predicts the
 * next frames from a reference that is frames old: on real H.264 damage the
 * picture then stands (a frame difference of 0.4-3 codes, in content that
 * had moved by 8-11 codes a frame, at full resolution) for 1-3 frames and
 * then jumps to catch up, often more than once in one damaged run, while the
 * blocks themselves are whole, so the spatial and temporal tests of blocks.h
 * see nothing.  The measure is the frame's mean absolute difference to the
 * previous frame (@diff, at zero motion, any unit).  A frame *stands* when
 * @diff < AVM_REPEAT_RATIO x the median of the last AVM_REPEAT_HISTORY
 * frames that did not stand, when those were steady (none below half the
 * median but one, and that one not among the last two: a ball crossing
 * block borders moves the picture unevenly, a slowdown to a stop comes
 * down over its last frames) and their median at least @floor (a still
 * picture with sensor noise is no motion).  The run of frames from there
 * is a repeat when motion comes back to AVM_REPEAT_RESUME x that median
 * after 1..AVM_REPEAT_MAX_RUN frames below it (frames between the two
 * ratios keep the run going: the picture may stand in part); a longer one
 * is a pause or a freeze, the freeze detector's business, and teaches the
 * level afresh.  So the verdict comes at the frame where motion resumes,
 * and names the first standing frame as the start.  Motion that slows
 * down to a stop over a few frames is no repeat: the frames before the
 * stop are not steady.
 *
 * A run that starts within two frames of a refresh (a frame above
 * AVM_REPEAT_REFRESH x the median) is a repeat only with
 * AVM_REPEAT_REFRESH_RUN frames or more below AVM_REPEAT_RATIO x the
 * median: a starved encoder's key frame changes the picture by twice its
 * motion, and the P frames after it may code nothing for a frame or two,
 * from the first or from the second on (a zone plate at 1500 kbit/s codes
 * one P frame after its key frame, then none); but content also changes
 * by more than its usual motion now and then (a time code whose seconds
 * digit turns), and a decoder may stop right after.  The end of such an
 * encoder's pause is no catch-up; the frame a repeat ended on is, and is
 * no refresh for a run starting two frames later.
 *
 * Content repeats pictures too: frame rate conversion by repetition repeats
 * one at a steady interval.  Dense cadences (every 2nd to 8th frame) never
 * look steady; a sparse one (24 to 25 fps, once a second) is taken for what
 * it is when the interval since the last repeat's first frame is the
 * interval before it (+/- 1 frame): from the third repeat on, nothing is
 * reported. */

#ifndef __AVM_REPEAT_H__
#define __AVM_REPEAT_H__

#include <stdint.h>

#define AVM_REPEAT_HISTORY 8
#define AVM_REPEAT_RATIO 0.35
#define AVM_REPEAT_RESUME 0.7
#define AVM_REPEAT_MAX_RUN 12
#define AVM_REPEAT_REFRESH 1.3
#define AVM_REPEAT_REFRESH_RUN 3

typedef struct
{
  double hist[AVM_REPEAT_HISTORY];      /* diffs of the last moving frames */
  int nhist, at;
  double level;                 /* median of hist when the run started */
  int run;                      /* standing frames so far, 0 = none */
  uint64_t run_start;           /* pts of the first standing frame */
  uint64_t run_frame;           /* and its number */
  double run_min;               /* the run's least diff */
  int run_still;                /* of its frames, the ones below
                                 * AVM_REPEAT_RATIO x the level */
  int run_refresh;              /* it started within two frames of a
                                 * refresh */
  double depth;                 /* the last repeat's least diff / level */
  double last;                  /* the previous frame's diff */
  double last2;                 /* and the one before's (0 after a
                                 * catch-up) */
  int last_caught_up;           /* the last frame ended a repeat */
  uint64_t frame;               /* frames seen since reset */
  uint64_t last_repeat;         /* first frame of the last repeat, or 0 */
  uint64_t interval;            /* frames between the last two, or 0 */
} AvmRepeat;

void avm_repeat_reset (AvmRepeat * r);

/* One frame: @diff its mean absolute difference to the previous frame,
 * @floor the least steady level that counts as motion.  Returns 1 when
 * this frame ends a repeat (motion resumed after 1..AVM_REPEAT_MAX_RUN
 * frames of the run), with *@start the first standing frame's @pts; 0
 * otherwise (also for a repeat taken for a cadence, and for a run after a
 * refresh with fewer than AVM_REPEAT_REFRESH_RUN standing frames). */
int avm_repeat_process (AvmRepeat * r, double diff, double floor,
    uint64_t pts, uint64_t * start);

/* How far the last repeat reported stood: its least diff over the level
 * (0 = an exact copy; below AVM_REPEAT_RATIO). */
double avm_repeat_depth (const AvmRepeat * r);

#endif /* __AVM_REPEAT_H__ */
