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

/* Helpers shared by the audio analysis tests: a span recorder and signal
 * generators.  Header-only so each test stays one executable. */

#ifndef __AVM_AUDIO_TEST_H__
#define __AVM_AUDIO_TEST_H__

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audiospan.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define MAX_SPANS 256

typedef struct
{
  AvmAudioSpan ev[MAX_SPANS];
  unsigned n;
} SpanLog;

static inline void
span_log_func (const AvmAudioSpan * span, void *user_data)
{
  SpanLog *log = user_data;

  if (log->n < MAX_SPANS)
    log->ev[log->n] = *span;
  log->n++;
}

/* Number of END events of a kind; *out (may be NULL) gets the i-th. */
static inline unsigned
span_log_ends (const SpanLog * log, AvmAudioDefect kind, unsigned i,
    AvmAudioSpan * out)
{
  unsigned k, n = 0;

  for (k = 0; k < log->n && k < MAX_SPANS; k++) {
    if (log->ev[k].kind != kind || log->ev[k].event != AVM_AUDIO_SPAN_END)
      continue;
    if (n == i && out)
      *out = log->ev[k];
    n++;
  }
  return n;
}

static inline unsigned
span_log_count (const SpanLog * log, AvmAudioDefect kind)
{
  return span_log_ends (log, kind, 0, NULL);
}

/* 1 if two logs hold the same events, in the same order within each kind
 * (detectors run one after the other on each chunk, so events of different
 * kinds may interleave differently).  Start events are compared on their
 * position only: the measures they carry are those known when the start
 * became certain, which depends on how much audio came at once. */
static inline int
span_log_equal (const SpanLog * a, const SpanLog * b)
{
  int kind;

  if (a->n != b->n)
    return 0;
  for (kind = 0; kind <= AVM_AUDIO_DEFECT_TRUE_PEAK; kind++) {
    unsigned i = 0, j = 0;
    for (;;) {
      const AvmAudioSpan *x, *y;
      while (i < a->n && a->ev[i].kind != (AvmAudioDefect) kind)
        i++;
      while (j < b->n && b->ev[j].kind != (AvmAudioDefect) kind)
        j++;
      if (i >= a->n || j >= b->n)
        break;
      x = &a->ev[i++];
      y = &b->ev[j++];
      if (x->event != y->event || x->start != y->start)
        return 0;
      if (x->event == AVM_AUDIO_SPAN_END && (x->end != y->end
              || x->channel_mask != y->channel_mask
              || x->clipped_samples != y->clipped_samples
              || x->truncated != y->truncated
              || fabs (x->value - y->value) > 1e-9))
        return 0;
    }
    if (i < a->n || j < b->n)
      return 0;
  }
  return 1;
}

static inline void
span_log_print (const SpanLog * log, const char *name)
{
  unsigned k;

  for (k = 0; k < log->n && k < MAX_SPANS; k++) {
    const AvmAudioSpan *x = &log->ev[k];
    printf ("%s: kind %d %s %llu..%llu value %.4f mask %llx count %llu%s\n",
        name, (int) x->kind, x->event == AVM_AUDIO_SPAN_END ? "end" : "start",
        (unsigned long long) x->start, (unsigned long long) x->end, x->value,
        (unsigned long long) x->channel_mask,
        (unsigned long long) x->clipped_samples,
        x->truncated ? " truncated" : "");
  }
}

/* Deterministic noise (xorshift), uniform in [-1, 1). */
static inline float
test_noise (uint32_t * state)
{
  uint32_t x = *state;

  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return (float) ((double) x / 2147483648.0 - 1.0);
}

static inline double
db_to_lin (double db)
{
  return pow (10.0, db / 20.0);
}

/* Appends a sine of `frames` samples to x[from ..), phase-continuous
 * through *phase (radians). */
static inline void
test_sine (float *x, size_t from, size_t frames, double amp, double freq,
    unsigned rate, double *phase)
{
  size_t i;
  double w = 2.0 * M_PI * freq / rate;

  for (i = 0; i < frames; i++)
    x[from + i] = (float) (amp * sin (*phase + w * i));
  *phase = fmod (*phase + w * frames, 2.0 * M_PI);
}

#endif
