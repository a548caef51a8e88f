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

#include "silence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct _AvmSilence
{
  unsigned channels;
  unsigned rate;
  AvmAudioSpanFunc func;
  void *user_data;

  double threshold_db;
  double thr_ms;                /* threshold as mean square */
  uint64_t min_len;             /* samples */
  double cs_threshold_db;       /* the same three for channel-silence */
  double cs_thr_ms;
  uint64_t cs_min_len;
  int silence_enabled;
  int channel_enabled;

  size_t win_len;
  size_t win_fill;
  uint64_t win_start;
  uint64_t next_pos;            /* position after the last sample fed */
  int have_pos;
  double *acc;                  /* per channel: sum of squares in window */

  /* per channel, by the channel-silence threshold; POS_NONE = loud */
  uint64_t *quiet_since;
  uint64_t all_since;           /* start of the run of all-quiet windows */
  uint64_t cs_all_since;        /* the same by the channel threshold */
  uint64_t silence_end;         /* end of the last silence span */
  double all_max_ms;            /* loudest window in the all-quiet run */

  int silence_open;
  double silence_max_ms;

  int cs_open;
  uint64_t cs_start;
  uint64_t cs_mask;
  double cs_max_ms;
  double *quiet_max_ms;         /* per channel: loudest quiet window */
};

static double
ms_to_db (double ms)
{
  if (ms <= 0.0)
    return AVM_AUDIO_DB_FLOOR;
  ms = 10.0 * log10 (ms);
  return ms < AVM_AUDIO_DB_FLOOR ? AVM_AUDIO_DB_FLOOR : ms;
}

static void
emit (AvmSilence * s, AvmAudioDefect kind, AvmAudioSpanEvent ev,
    uint64_t start, uint64_t end, double max_ms, uint64_t mask, int trunc)
{
  AvmAudioSpan span;

  memset (&span, 0, sizeof (span));
  span.kind = kind;
  span.event = ev;
  span.start = start;
  span.end = end;
  span.value = ms_to_db (max_ms);
  span.threshold = kind == AVM_AUDIO_DEFECT_CHANNEL_SILENCE ?
      s->cs_threshold_db : s->threshold_db;
  span.channel_mask = mask;
  span.truncated = trunc;
  if (s->func)
    s->func (&span, s->user_data);
}

static uint64_t
all_mask (unsigned channels)
{
  return channels >= 64 ? UINT64_MAX : (((uint64_t) 1 << channels) - 1);
}

void
avm_silence_set_channel_threshold (AvmSilence * s, double threshold_db,
    double min_duration)
{
  s->cs_threshold_db = threshold_db;
  s->cs_thr_ms = pow (10.0, threshold_db / 10.0);
  if (min_duration < 0.0)
    min_duration = 0.0;
  s->cs_min_len = (uint64_t) llround (min_duration * s->rate);
}

void
avm_silence_set_threshold (AvmSilence * s, double threshold_db,
    double min_duration)
{
  s->threshold_db = threshold_db;
  s->thr_ms = pow (10.0, threshold_db / 10.0);
  if (min_duration < 0.0)
    min_duration = 0.0;
  s->min_len = (uint64_t) llround (min_duration * s->rate);
  avm_silence_set_channel_threshold (s, threshold_db, min_duration);
}

static void
reset_state (AvmSilence * s)
{
  unsigned c;

  s->win_fill = 0;
  s->have_pos = 0;
  s->all_since = AVM_AUDIO_POS_NONE;
  s->cs_all_since = AVM_AUDIO_POS_NONE;
  s->silence_end = 0;
  s->all_max_ms = 0.0;
  s->silence_open = 0;
  s->cs_open = 0;
  s->cs_mask = 0;
  for (c = 0; c < s->channels; c++) {
    s->acc[c] = 0.0;
    s->quiet_since[c] = AVM_AUDIO_POS_NONE;
    s->quiet_max_ms[c] = 0.0;
  }
}

AvmSilence *
avm_silence_new (unsigned channels, unsigned rate, double threshold_db,
    double min_duration, AvmAudioSpanFunc func, void *user_data)
{
  AvmSilence *s;

  if (channels < 1 || channels > 64 || rate < 1 || rate > 768000)
    return NULL;
  s = calloc (1, sizeof (AvmSilence));
  if (!s)
    return NULL;
  s->channels = channels;
  s->rate = rate;
  s->func = func;
  s->user_data = user_data;
  s->silence_enabled = 1;
  s->channel_enabled = 1;
  s->win_len = (size_t) (rate * AVM_SILENCE_WINDOW_S + 0.5);
  if (s->win_len < 1)
    s->win_len = 1;
  s->acc = calloc (channels, sizeof (double));
  s->quiet_max_ms = calloc (channels, sizeof (double));
  s->quiet_since = calloc (channels, sizeof (uint64_t));
  if (!s->acc || !s->quiet_max_ms || !s->quiet_since) {
    avm_silence_free (s);
    return NULL;
  }
  avm_silence_set_threshold (s, threshold_db, min_duration);
  reset_state (s);
  return s;
}

void
avm_silence_free (AvmSilence * s)
{
  if (!s)
    return;
  free (s->acc);
  free (s->quiet_max_ms);
  free (s->quiet_since);
  free (s);
}

static void
close_cs (AvmSilence * s, uint64_t end, int trunc)
{
  if (!s->cs_open)
    return;
  emit (s, AVM_AUDIO_DEFECT_CHANNEL_SILENCE, AVM_AUDIO_SPAN_END, s->cs_start,
      end, s->cs_max_ms, s->cs_mask, trunc);
  s->cs_open = 0;
  s->cs_mask = 0;
}

static void
close_silence (AvmSilence * s, uint64_t end, int trunc)
{
  if (!s->silence_open)
    return;
  emit (s, AVM_AUDIO_DEFECT_SILENCE, AVM_AUDIO_SPAN_END, s->all_since, end,
      s->silence_max_ms, all_mask (s->channels), trunc);
  s->silence_open = 0;
  s->silence_end = end;
}

void
avm_silence_set_enabled (AvmSilence * s, int silence, int channel)
{
  if (!silence && s->silence_open)
    close_silence (s, s->next_pos, 0);
  if (!channel && s->cs_open)
    close_cs (s, s->next_pos, 0);
  s->silence_enabled = silence;
  s->channel_enabled = channel;
}

/* Decides on one complete window [ws, ws + win_len). */
static void
window_done (AvmSilence * s)
{
  uint64_t ws = s->win_start;
  uint64_t we = ws + s->win_len;
  unsigned c, n_quiet = 0, n_cs_quiet = 0;
  uint64_t dead = 0, dead_start = AVM_AUDIO_POS_NONE, quiet_from;
  double win_max = 0.0, dead_max = 0.0;

  for (c = 0; c < s->channels; c++) {
    double ms = s->acc[c] / (double) s->win_len;

    s->acc[c] = 0.0;
    if (ms < s->thr_ms) {
      n_quiet++;
      if (ms > win_max)
        win_max = ms;
    }
    if (ms < s->cs_thr_ms) {
      n_cs_quiet++;
      if (s->quiet_since[c] == AVM_AUDIO_POS_NONE) {
        s->quiet_since[c] = ws;
        s->quiet_max_ms[c] = 0.0;
      }
      if (ms > s->quiet_max_ms[c])
        s->quiet_max_ms[c] = ms;
    } else {
      s->quiet_since[c] = AVM_AUDIO_POS_NONE;
    }
  }

  if (n_quiet == s->channels) {
    if (s->all_since == AVM_AUDIO_POS_NONE) {
      s->all_since = ws;
      s->all_max_ms = 0.0;
    }
    if (win_max > s->all_max_ms)
      s->all_max_ms = win_max;
    if (s->silence_open && win_max > s->silence_max_ms)
      s->silence_max_ms = win_max;
  } else {
    close_silence (s, ws, 0);
    s->all_since = AVM_AUDIO_POS_NONE;
  }
  if (n_cs_quiet == s->channels) {
    if (s->cs_all_since == AVM_AUDIO_POS_NONE)
      s->cs_all_since = ws;
  } else {
    s->cs_all_since = AVM_AUDIO_POS_NONE;
  }

  if (s->silence_enabled && !s->silence_open
      && s->all_since != AVM_AUDIO_POS_NONE
      && we - s->all_since >= s->min_len) {
    /* The programme is silent: a channel-silence span ends where the
     * silence began, so the two never overlap. */
    close_cs (s, s->all_since > s->cs_start ? s->all_since : s->cs_start, 0);
    s->silence_open = 1;
    s->silence_max_ms = s->all_max_ms;
    emit (s, AVM_AUDIO_DEFECT_SILENCE, AVM_AUDIO_SPAN_START, s->all_since, 0,
        s->silence_max_ms, all_mask (s->channels), 0);
  }

  if (!s->channel_enabled || s->channels < 2)
    return;

  /* A silent programme (reported as silence, or silence disabled), or one
   * where every channel is quiet by the channel threshold: nothing is
   * missing next to a live channel. */
  quiet_from = AVM_AUDIO_POS_NONE;
  if (s->silence_open
      || (s->all_since != AVM_AUDIO_POS_NONE
          && we - s->all_since >= s->min_len))
    quiet_from = s->all_since;
  else if (s->cs_all_since != AVM_AUDIO_POS_NONE
      && we - s->cs_all_since >= s->cs_min_len)
    quiet_from = s->cs_all_since;
  if (quiet_from != AVM_AUDIO_POS_NONE) {
    close_cs (s, quiet_from > s->cs_start ? quiet_from : s->cs_start, 0);
    return;
  }

  for (c = 0; c < s->channels; c++) {
    uint64_t q = s->quiet_since[c];
    if (q != AVM_AUDIO_POS_NONE && we - q >= s->cs_min_len) {
      dead |= (uint64_t) 1 << c;
      if (q < dead_start)
        dead_start = q;
      if (s->quiet_max_ms[c] > dead_max)
        dead_max = s->quiet_max_ms[c];
    }
  }

  if (!dead) {
    close_cs (s, ws, 0);
    return;
  }
  if (!s->cs_open) {
    s->cs_open = 1;
    s->cs_start = dead_start > s->silence_end ? dead_start : s->silence_end;
    s->cs_mask = dead;
    s->cs_max_ms = dead_max;
    emit (s, AVM_AUDIO_DEFECT_CHANNEL_SILENCE, AVM_AUDIO_SPAN_START,
        s->cs_start, 0, s->cs_max_ms, s->cs_mask, 0);
  } else {
    s->cs_mask |= dead;
    if (dead_max > s->cs_max_ms)
      s->cs_max_ms = dead_max;
  }
}

static double
sum_sq (const float *restrict x, size_t n)
{
  /* float partial sums in 8 lanes vectorise; the window is short (5 ms), so
   * the rounding is far below what a dB threshold can see */
  float acc[8] = { 0 };
  double total = 0.0;
  size_t i = 0, j;

  for (; i + 8 <= n; i += 8)
    for (j = 0; j < 8; j++)
      acc[j] += x[i + j] * x[i + j];
  for (; i < n; i++)
    total += (double) x[i] * x[i];
  for (j = 0; j < 8; j++)
    total += acc[j];
  return total;
}

void
avm_silence_process (AvmSilence * s, const float *const *ch, size_t n,
    uint64_t pos)
{
  size_t i = 0;
  unsigned c;

  if (n == 0)
    return;
  if (!s->have_pos) {
    s->have_pos = 1;
    s->win_start = pos;
    s->win_fill = 0;
    s->next_pos = pos;
  }

  while (i < n) {
    size_t seg = s->win_len - s->win_fill;

    if (seg > n - i)
      seg = n - i;
    for (c = 0; c < s->channels; c++)
      s->acc[c] += sum_sq (ch[c] + i, seg);
    s->win_fill += seg;
    i += seg;
    if (s->win_fill == s->win_len) {
      window_done (s);
      s->win_start += s->win_len;
      s->win_fill = 0;
    }
  }
  s->next_pos += n;
}

void
avm_silence_finish (AvmSilence * s)
{
  if (s->have_pos) {
    close_cs (s, s->next_pos, 1);
    close_silence (s, s->next_pos, 1);
  }
  reset_state (s);
}

int
avm_silence_is_silent (const AvmSilence * s)
{
  return s->silence_open;
}

int
avm_silence_channel_is_open (const AvmSilence * s)
{
  return s->cs_open;
}
