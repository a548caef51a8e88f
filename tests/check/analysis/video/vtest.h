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
/* Helpers shared by the video detector tests: run frames through
 * AvmVideoAnalysis and record the spans each kind reports. */

#ifndef __AVM_VTEST_H__
#define __AVM_VTEST_H__

#include "videoanalysis.h"
#include "synth.h"

#include <check.h>

#define FRAME_NS ((uint64_t) 40000000)  /* 25 fps */
#define PTS(i) ((uint64_t) (i) * FRAME_NS)
#define MAX_SPANS 32

typedef struct
{
  int n;                        /* spans started */
  int nend;                     /* spans ended */
  uint64_t start[MAX_SPANS], end[MAX_SPANS];
  int start_frame[MAX_SPANS];   /* frame on which the start was posted */
  double value[MAX_SPANS];
  int open;
} SpanLog;

static inline void
span_log (SpanLog * l, const AvmSpanEvent * ev, int frame)
{
  if (ev->ended) {
    ck_assert_msg (l->open, "end without start");
    ck_assert_uint_eq (ev->start, l->start[l->n - 1]);
    l->end[l->n - 1] = ev->end;
    l->nend++;
    l->open = 0;
  }
  if (ev->started) {
    ck_assert_msg (!l->open, "start while open");
    ck_assert_int_lt (l->n, MAX_SPANS);
    l->start[l->n] = ev->start;
    l->start_frame[l->n] = frame;
    l->value[l->n] = ev->value;
    l->end[l->n] = AVM_TIME_NONE;
    l->n++;
    l->open = 1;
    if (ev->complete) {
      l->end[l->n - 1] = ev->end;
      l->nend++;
      l->open = 0;
    }
  }
}

typedef struct
{
  SpanLog freeze, black, uniform, blocks;
  AvmVideoResult last;
  int frames;
} RunLog;

static inline void
run_log (RunLog * r, const AvmVideoResult * res, int frame)
{
  span_log (&r->freeze, &res->freeze_ev, frame);
  span_log (&r->black, &res->black_ev, frame);
  span_log (&r->uniform, &res->uniform_ev, frame);
  span_log (&r->blocks, &res->blocks_ev, frame);
  r->last = *res;
  r->frames++;
}

/* One 8-bit luma frame into @a at frame index @i. */
static inline void
feed_y8 (AvmVideoAnalysis * a, RunLog * r, const uint8_t * y, int w, int h,
    int i)
{
  AvmLumaPlane p = { y, (size_t) w, w, h, AVM_LUMA_Y8 };
  AvmVideoResult res;

  ck_assert_int_eq (avm_video_analysis_process (a, &p, NULL, PTS (i),
          FRAME_NS, 0, &res), 0);
  run_log (r, &res, i);
}

static inline void
finish_run (AvmVideoAnalysis * a, RunLog * r, int nframes)
{
  AvmVideoResult res;

  avm_video_analysis_finish (a, PTS (nframes), &res);
  run_log (r, &res, nframes);
}

static inline void
init_analysis (AvmVideoAnalysis * a, int w, int h)
{
  AvmVideoFormat fmt = { w, h, AVM_LUMA_Y8, 0, FRAME_NS };
  AvmVideoConfig cfg;

  avm_video_config_default (&cfg);
  ck_assert_int_eq (avm_video_analysis_init (a, &fmt, &cfg), 0);
}

/* Runs a check suite; the exit code reflects failures. */
static inline int
run_suite (Suite * s)
{
  SRunner *sr = srunner_create (s);
  int nf;

  srunner_run_all (sr, CK_NORMAL);
  nf = srunner_ntests_failed (sr);
  srunner_free (sr);
  return nf == 0 ? 0 : 1;
}

#endif /* __AVM_VTEST_H__ */
