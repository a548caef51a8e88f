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

#include "dropout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SLICE 1024

typedef struct
{
  uint64_t run_start;           /* AVM_AUDIO_POS_NONE: not in a hole */
  int pre_ok;
  uint64_t last_loud;           /* AVM_AUDIO_POS_NONE: never */
  /* a hole waiting for a loud sample after it */
  int waiting;
  uint64_t w_start, w_end;
} ChanState;

struct _AvmDropout
{
  unsigned channels;
  unsigned rate;
  float zero;
  float edge;
  double threshold_db;
  uint64_t min_len, max_len, edge_len;
  AvmAudioSpanFunc func;
  void *user_data;

  ChanState *cs;
  uint64_t pos;
  int have_pos;

  int pending;
  uint64_t p_start, p_end, p_mask;
};

void
avm_dropout_set_params (AvmDropout * d, double threshold_db, double edge_db,
    double min_duration, double max_duration)
{
  d->threshold_db = threshold_db;
  d->zero = (float) pow (10.0, threshold_db / 20.0);
  d->edge = (float) pow (10.0, edge_db / 20.0);
  d->min_len = (uint64_t) llround (min_duration * d->rate);
  if (d->min_len < 1)
    d->min_len = 1;
  d->max_len = (uint64_t) llround (max_duration * d->rate);
  d->edge_len = (uint64_t) llround (AVM_DROPOUT_EDGE_WINDOW_S * d->rate);
  if (d->edge_len < 1)
    d->edge_len = 1;
}

static void
reset_state (AvmDropout * d)
{
  unsigned c;

  for (c = 0; c < d->channels; c++) {
    d->cs[c].run_start = AVM_AUDIO_POS_NONE;
    d->cs[c].last_loud = AVM_AUDIO_POS_NONE;
    d->cs[c].waiting = 0;
    d->cs[c].pre_ok = 0;
  }
  d->have_pos = 0;
  d->pending = 0;
}

AvmDropout *
avm_dropout_new (unsigned channels, unsigned rate, double threshold_db,
    double edge_db, double min_duration, double max_duration,
    AvmAudioSpanFunc func, void *user_data)
{
  AvmDropout *d;

  if (channels < 1 || channels > 64 || rate < 1)
    return NULL;
  d = calloc (1, sizeof (AvmDropout));
  if (!d)
    return NULL;
  d->cs = calloc (channels, sizeof (ChanState));
  if (!d->cs) {
    free (d);
    return NULL;
  }
  d->channels = channels;
  d->rate = rate;
  d->func = func;
  d->user_data = user_data;
  avm_dropout_set_params (d, threshold_db, edge_db, min_duration,
      max_duration);
  reset_state (d);
  return d;
}

void
avm_dropout_free (AvmDropout * d)
{
  if (!d)
    return;
  free (d->cs);
  free (d);
}

static void
emit_pending (AvmDropout * d)
{
  AvmAudioSpan span;

  memset (&span, 0, sizeof (span));
  span.kind = AVM_AUDIO_DEFECT_DROPOUT;
  span.start = d->p_start;
  span.end = d->p_end;
  span.value = 1000.0 * (double) (d->p_end - d->p_start) / d->rate;
  span.threshold = 1000.0 * (double) d->min_len / d->rate;
  span.channel_mask = d->p_mask;
  if (d->func) {
    span.event = AVM_AUDIO_SPAN_START;
    d->func (&span, d->user_data);
    span.event = AVM_AUDIO_SPAN_END;
    d->func (&span, d->user_data);
  }
  d->pending = 0;
}

static void
confirm (AvmDropout * d, unsigned ch)
{
  ChanState *s = &d->cs[ch];

  s->waiting = 0;
  if (d->pending && s->w_start < d->p_end && s->w_end > d->p_start) {
    if (s->w_start < d->p_start)
      d->p_start = s->w_start;
    if (s->w_end > d->p_end)
      d->p_end = s->w_end;
    d->p_mask |= (uint64_t) 1 << ch;
    return;
  }
  if (d->pending)
    emit_pending (d);
  d->pending = 1;
  d->p_start = s->w_start;
  d->p_end = s->w_end;
  d->p_mask = (uint64_t) 1 << ch;
}

static void
scan_channel (AvmDropout * d, unsigned ch, const float *x, size_t n,
    uint64_t pos)
{
  ChanState *s = &d->cs[ch];
  float zero = d->zero, edge = d->edge;
  size_t i;

  for (i = 0; i < n; i++) {
    float a = fabsf (x[i]);
    uint64_t p = pos + i;

    if (a < zero) {
      if (s->run_start == AVM_AUDIO_POS_NONE) {
        s->run_start = p;
        s->pre_ok = s->last_loud != AVM_AUDIO_POS_NONE
            && p - s->last_loud <= d->edge_len;
      }
    } else {
      if (s->run_start != AVM_AUDIO_POS_NONE) {
        uint64_t len = p - s->run_start;
        if (s->pre_ok && len >= d->min_len && len < d->max_len) {
          s->waiting = 1;
          s->w_start = s->run_start;
          s->w_end = p;
        }
        s->run_start = AVM_AUDIO_POS_NONE;
      }
      if (a >= edge) {
        s->last_loud = p;
        if (s->waiting)
          confirm (d, ch);
      }
    }
    if (s->waiting && p >= s->w_end + d->edge_len - 1 && a < edge)
      s->waiting = 0;
  }
}

/* Position of the last sample >= edge in x[0..n), or -1. */
static long
last_loud (const float *x, size_t n, float edge)
{
  size_t i = n;

  while (i > 0) {
    i--;
    if (fabsf (x[i]) >= edge)
      return (long) i;
  }
  return -1;
}

/* 1 if x[0..n) may hold a run of min_len near-zero samples or ends on a
 * near-zero sample.  A run of min_len samples covers a whole aligned block
 * of b = (min_len + 1) / 2 samples, so it is enough to look for blocks made
 * only of near-zero samples: isolated near-zero samples (zero crossings,
 * noise) then cost one vectorised pass instead of the state machine. */
static int
may_hold_run (const float *restrict x, size_t n, float zero, size_t b)
{
  size_t i, j;

  if (n == 0)
    return 0;
  if (fabsf (x[n - 1]) < zero)
    return 1;
  for (i = 0; i + b <= n; i += b) {
    unsigned cnt = 0;
    for (j = 0; j < b; j++)
      cnt += fabsf (x[i + j]) < zero;
    if (cnt == b)
      return 1;
  }
  return 0;
}

void
avm_dropout_process (AvmDropout * d, const float *const *ch, size_t n,
    uint64_t pos)
{
  size_t off = 0;
  unsigned k;

  if (!d->have_pos) {
    d->have_pos = 1;
    d->pos = pos;
  }

  while (off < n) {
    size_t len = n - off < SLICE ? n - off : SLICE;

    for (k = 0; k < d->channels; k++) {
      ChanState *s = &d->cs[k];
      const float *x = ch[k] + off;

      /* Almost always: no hole open or pending and none possible in the
       * slice; then only the last loud position matters. */
      if (s->run_start == AVM_AUDIO_POS_NONE && !s->waiting
          && !may_hold_run (x, len, d->zero,
              (size_t) ((d->min_len + 1) / 2))) {
        long l = last_loud (x, len, d->edge);
        if (l >= 0)
          s->last_loud = d->pos + (uint64_t) l;
        continue;
      }
      scan_channel (d, k, x, len, d->pos);
    }
    d->pos += len;
    off += len;

    /* A held span is final once no channel has a hole that could still
     * overlap it. */
    if (d->pending) {
      int busy = 0;
      for (k = 0; k < d->channels; k++) {
        ChanState *s = &d->cs[k];
        if ((s->run_start != AVM_AUDIO_POS_NONE && s->run_start < d->p_end)
            || (s->waiting && s->w_start < d->p_end))
          busy = 1;
      }
      if (!busy)
        emit_pending (d);
    }
  }
}

void
avm_dropout_finish (AvmDropout * d)
{
  if (d->pending)
    emit_pending (d);
  reset_state (d);
}
