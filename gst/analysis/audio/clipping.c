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

#include "clipping.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Longest slice scanned at once: shorter than any merge gap (>= 1 s at
 * 8 kHz), so all clipped samples found in one slice belong to one span. */
#define SLICE 1024

typedef struct
{
  unsigned run_len;
  int run_sign;
  uint64_t run_start;
  uint64_t counted_to;          /* samples before this are already counted */
  float run_peak;
} ChanState;

struct _AvmClipping
{
  unsigned channels;
  unsigned rate;
  float full_scale;
  int overs;
  unsigned min_run;
  uint64_t merge_len;
  AvmAudioSpanFunc func;
  void *user_data;

  ChanState *cs;
  uint64_t pos;
  int have_pos;
  uint64_t total;

  int open;
  uint64_t span_start;
  uint64_t span_end;            /* after the last clipped sample */
  uint64_t span_mask;
  uint64_t span_count;
  float span_peak;

  /* found in the current slice */
  uint64_t sl_first, sl_end, sl_mask, sl_count;
  float sl_peak;
};

static double
lin_to_db (double x)
{
  return x > 0.0 ? 20.0 * log10 (x) : AVM_AUDIO_DB_FLOOR;
}

static void
emit (AvmClipping * c, AvmAudioSpanEvent ev, int trunc)
{
  AvmAudioSpan span;

  memset (&span, 0, sizeof (span));
  span.kind = AVM_AUDIO_DEFECT_CLIPPING;
  span.event = ev;
  span.start = c->span_start;
  span.end = ev == AVM_AUDIO_SPAN_END ? c->span_end : 0;
  span.value = lin_to_db (c->span_peak);
  span.threshold = lin_to_db (c->full_scale);
  span.channel_mask = c->span_mask;
  span.clipped_samples = c->span_count;
  span.truncated = trunc;
  if (c->func)
    c->func (&span, c->user_data);
}

void
avm_clipping_set_params (AvmClipping * c, unsigned min_run,
    double merge_gap)
{
  c->min_run = min_run < 1 ? 1 : min_run;
  if (merge_gap < 0.0)
    merge_gap = 0.0;
  c->merge_len = (uint64_t) llround (merge_gap * c->rate);
}

static void
reset_state (AvmClipping * c)
{
  memset (c->cs, 0, c->channels * sizeof (ChanState));
  c->have_pos = 0;
  c->open = 0;
}

AvmClipping *
avm_clipping_new (unsigned channels, unsigned rate, float full_scale,
    int overs, unsigned min_run, double merge_gap, AvmAudioSpanFunc func,
    void *user_data)
{
  AvmClipping *c;

  if (channels < 1 || channels > 64 || rate < 1)
    return NULL;
  c = calloc (1, sizeof (AvmClipping));
  if (!c)
    return NULL;
  c->cs = calloc (channels, sizeof (ChanState));
  if (!c->cs) {
    free (c);
    return NULL;
  }
  c->channels = channels;
  c->rate = rate;
  c->full_scale = full_scale;
  c->overs = overs;
  c->func = func;
  c->user_data = user_data;
  avm_clipping_set_params (c, min_run, merge_gap);
  reset_state (c);
  return c;
}

void
avm_clipping_free (AvmClipping * c)
{
  if (!c)
    return;
  free (c->cs);
  free (c);
}

/* Counts samples [from, to) of channel ch as clipped. */
static void
mark (AvmClipping * c, unsigned ch, uint64_t from, uint64_t to, float peak)
{
  ChanState *s = &c->cs[ch];
  uint64_t n;

  if (from < s->counted_to)
    from = s->counted_to;
  if (to <= from)
    return;
  n = to - from;
  s->counted_to = to;
  if (from < c->sl_first)
    c->sl_first = from;
  if (to > c->sl_end)
    c->sl_end = to;
  c->sl_mask |= (uint64_t) 1 << ch;
  c->sl_count += n;
  if (peak > c->sl_peak)
    c->sl_peak = peak;
}

static float
max_abs (const float *restrict x, size_t n)
{
  float m[8] = { 0 };
  size_t i = 0, j;

  for (; i + 8 <= n; i += 8)
    for (j = 0; j < 8; j++) {
      float a = fabsf (x[i + j]);
      m[j] = a > m[j] ? a : m[j];
    }
  for (; i < n; i++) {
    float a = fabsf (x[i]);
    m[0] = a > m[0] ? a : m[0];
  }
  for (j = 1; j < 8; j++)
    m[0] = m[j] > m[0] ? m[j] : m[0];
  return m[0];
}

static void
scan_channel (AvmClipping * c, unsigned ch, const float *x, size_t n,
    uint64_t pos)
{
  ChanState *s = &c->cs[ch];
  float fs = c->full_scale;
  size_t i;

  for (i = 0; i < n; i++) {
    float v = x[i];
    float a = fabsf (v);
    int sign = v >= fs ? 1 : (v <= -1.0f ? -1 : 0);

    if (sign == 0) {
      s->run_len = 0;
      continue;
    }
    if (sign != s->run_sign || s->run_len == 0) {
      s->run_sign = sign;
      s->run_len = 0;
      s->run_start = pos + i;
      s->run_peak = 0.0f;
    }
    s->run_len++;
    if (a > s->run_peak)
      s->run_peak = a;
    if (s->run_len >= c->min_run)
      mark (c, ch, s->run_start, pos + i + 1, s->run_peak);
    else if (c->overs && a > 1.0f)
      mark (c, ch, pos + i, pos + i + 1, a);
  }
}

void
avm_clipping_process (AvmClipping * c, const float *const *ch, size_t n,
    uint64_t pos)
{
  size_t off = 0;
  unsigned k;
  float lim = c->full_scale < 1.0f ? c->full_scale : 1.0f;

  if (!c->have_pos) {
    c->have_pos = 1;
    c->pos = pos;
  }

  while (off < n) {
    size_t len = n - off < SLICE ? n - off : SLICE;
    uint64_t p = c->pos;

    c->sl_first = AVM_AUDIO_POS_NONE;
    c->sl_end = 0;
    c->sl_mask = 0;
    c->sl_count = 0;
    c->sl_peak = 0.0f;
    for (k = 0; k < c->channels; k++) {
      /* Nearly every slice of real audio is below full scale: one
       * vectorised pass proves it and skips the per-sample state machine. */
      if (c->cs[k].run_len == 0 && max_abs (ch[k] + off, len) < lim)
        continue;
      scan_channel (c, k, ch[k] + off, len, p);
    }

    if (c->sl_count) {
      if (c->open && c->sl_first > c->span_end + c->merge_len) {
        emit (c, AVM_AUDIO_SPAN_END, 0);
        c->open = 0;
      }
      if (!c->open) {
        c->open = 1;
        c->span_start = c->sl_first;
        c->span_end = c->sl_end;
        c->span_mask = c->sl_mask;
        c->span_count = c->sl_count;
        c->span_peak = c->sl_peak;
        emit (c, AVM_AUDIO_SPAN_START, 0);
      } else {
        if (c->sl_first < c->span_start)
          c->span_start = c->sl_first;
        if (c->sl_end > c->span_end)
          c->span_end = c->sl_end;
        c->span_mask |= c->sl_mask;
        c->span_count += c->sl_count;
        if (c->sl_peak > c->span_peak)
          c->span_peak = c->sl_peak;
      }
      c->total += c->sl_count;
    }
    c->pos += len;
    off += len;

    /* A run that started within the merge gap and is still short may yet
     * become a flat top and extend the span: wait for it. */
    if (c->open && c->pos > c->span_end + c->merge_len) {
      int running = 0;
      for (k = 0; k < c->channels; k++)
        if (c->cs[k].run_len > 0
            && c->cs[k].run_start <= c->span_end + c->merge_len)
          running = 1;
      if (!running) {
        emit (c, AVM_AUDIO_SPAN_END, 0);
        c->open = 0;
      }
    }
  }
}

void
avm_clipping_finish (AvmClipping * c)
{
  if (c->open)
    emit (c, AVM_AUDIO_SPAN_END, 1);
  reset_state (c);
}

uint64_t
avm_clipping_total (const AvmClipping * c)
{
  return c->total;
}
