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

#include "truepeak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define TAPS AVM_TRUE_PEAK_TAPS
#define HIST (TAPS - 1)
/* Input samples per skip decision: short enough that a loud transient
 * does not force interpolating much around it. */
#define BLOCK 64
/* Kaiser window beta: -60 dB side lobes, a trade between ripple and the
 * width of the transition band below Nyquist. */
#define KAISER_BETA 6.0

/* GCC can build this kernel twice, for plain x86-64 (SSE2) and x86-64-v3
 * (AVX2 + FMA), and pick one at load time (ifunc). */
#if defined (__GNUC__) && !defined (__clang__) && __GNUC__ >= 12 \
    && defined (__x86_64__) && defined (__linux__)
#define AVM_TARGET_CLONES \
    __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#else
#define AVM_TARGET_CLONES
#endif

typedef struct
{
  float buf[HIST + BLOCK];      /* HIST samples of history, then a block */
  float prev_max;               /* max |x| of the previous block */
  float max_all;
  float max_interval;
} ChanState;

struct _AvmTruePeak
{
  unsigned channels;
  unsigned rate;
  unsigned group;
  AvmAudioSpanFunc func;
  void *user_data;

  double ceiling_db;
  float ceiling;
  uint64_t merge_len;
  int enabled;

  /* phases 1..3 */
  float h[3][TAPS];
  float gain_bound;             /* max over phases of sum |h|, with margin */

  ChanState *cs;
  uint64_t pos;                 /* position of the next input sample */
  uint64_t base;                /* position of the first sample fed */
  size_t fill;                  /* samples in the current block */
  int have_pos;

  int open;
  uint64_t span_start, span_end, span_mask;
  float span_peak;
};

static double
bessel_i0 (double x)
{
  double sum = 1.0, term = 1.0, q = x * x / 4.0;
  int k;

  for (k = 1; k < 50; k++) {
    term *= q / ((double) k * k);
    sum += term;
    if (term < sum * 1e-17)
      break;
  }
  return sum;
}

/* Windowed sinc for a fractional delay p/4: h[k] weighs the sample at
 * offset k - (TAPS/2 - 1) from n, so the centre of the window sits at
 * n + p/4.  Each phase is normalised to unit DC gain. */
static void
design (AvmTruePeak * t)
{
  unsigned p, k;
  double half = TAPS / 2.0, i0b = bessel_i0 (KAISER_BETA), worst = 0.0;

  for (p = 1; p <= 3; p++) {
    double hd[TAPS], sum = 0.0, abs_sum = 0.0;

    for (k = 0; k < TAPS; k++) {
      double d = (double) k - (TAPS / 2 - 1) - p / 4.0;
      double s = d == 0.0 ? 1.0 : sin (M_PI * d) / (M_PI * d);
      double r = d / half;
      double w = r * r < 1.0 ?
          bessel_i0 (KAISER_BETA * sqrt (1.0 - r * r)) / i0b : 0.0;
      hd[k] = s * w;
      sum += hd[k];
    }
    for (k = 0; k < TAPS; k++) {
      t->h[p - 1][k] = (float) (hd[k] / sum);
      abs_sum += fabs ((double) t->h[p - 1][k]);
    }
    if (abs_sum > worst)
      worst = abs_sum;
  }
  /* margin for float rounding in the accumulation */
  t->gain_bound = (float) (worst * (1.0 + 1e-5));
}

void
avm_true_peak_set_ceiling (AvmTruePeak * t, double ceiling_dbtp,
    double merge_gap)
{
  t->ceiling_db = ceiling_dbtp;
  t->ceiling = (float) pow (10.0, ceiling_dbtp / 20.0);
  if (merge_gap < 0.0)
    merge_gap = 0.0;
  t->merge_len = (uint64_t) llround (merge_gap * t->rate);
}

/* Forgets the stream (history, position, open span), keeps the maxima. */
static void
reset_state (AvmTruePeak * t)
{
  unsigned c;

  for (c = 0; c < t->channels; c++) {
    memset (t->cs[c].buf, 0, sizeof (t->cs[c].buf));
    t->cs[c].prev_max = 0.0f;
  }
  t->have_pos = 0;
  t->open = 0;
  t->fill = 0;
}

AvmTruePeak *
avm_true_peak_new (unsigned channels, unsigned rate, double ceiling_dbtp,
    double merge_gap, unsigned group, AvmAudioSpanFunc func,
    void *user_data)
{
  AvmTruePeak *t;

  if (channels < 1 || channels > 64 || rate < 1 || rate > 768000)
    return NULL;
  t = calloc (1, sizeof (AvmTruePeak));
  if (!t)
    return NULL;
  t->cs = calloc (channels, sizeof (ChanState));
  if (!t->cs) {
    free (t);
    return NULL;
  }
  t->channels = channels;
  t->rate = rate;
  t->group = group;
  t->func = func;
  t->user_data = user_data;
  t->enabled = 1;
  design (t);
  avm_true_peak_set_ceiling (t, ceiling_dbtp, merge_gap);
  reset_state (t);
  return t;
}

void
avm_true_peak_free (AvmTruePeak * t)
{
  if (!t)
    return;
  free (t->cs);
  free (t);
}

static double
lin_to_db (double x)
{
  return x > 0.0 ? 20.0 * log10 (x) : AVM_AUDIO_DB_FLOOR;
}

static void
emit (AvmTruePeak * t, AvmAudioSpanEvent ev, int trunc)
{
  AvmAudioSpan span;

  memset (&span, 0, sizeof (span));
  span.kind = AVM_AUDIO_DEFECT_TRUE_PEAK;
  span.event = ev;
  span.start = t->span_start;
  span.end = ev == AVM_AUDIO_SPAN_END ? t->span_end : 0;
  span.value = lin_to_db (t->span_peak);
  span.threshold = t->ceiling_db;
  span.channel_mask = t->span_mask;
  span.group = t->group;
  span.truncated = trunc;
  if (t->func)
    t->func (&span, t->user_data);
}

void
avm_true_peak_set_enabled (AvmTruePeak * t, int enabled)
{
  if (!enabled && t->open) {
    emit (t, AVM_AUDIO_SPAN_END, 0);
    t->open = 0;
  }
  t->enabled = enabled;
}

/* n: a multiple of 8 */
static float
block_max_abs (const float *restrict x, size_t n)
{
  float m[8] = { 0 };
  size_t i, j;

  for (i = 0; i < n; i += 8)
    for (j = 0; j < 8; j++) {
      float a = fabsf (x[i + j]);
      m[j] = a > m[j] ? a : m[j];
    }
  for (j = 1; j < 8; j++)
    m[0] = m[j] > m[0] ? m[j] : m[0];
  return m[0];
}

/* out[j] = max (|x(n)|, |x(n + 1/4)|, |x(n + 2/4)|, |x(n + 3/4)|) for
 * n = the sample at x[j + TAPS/2 - 1], j in [0, n_out); n_out is a multiple
 * of 8 and x holds n_out + TAPS - 1 samples.  Eight outputs at a time with
 * the three phases sharing each load: the accumulators stay in registers
 * and the fixed trip counts let GCC turn the lane loops into vector
 * instructions. */
AVM_TARGET_CLONES static void
interpolate_block (const float h[3][TAPS], const float *restrict x,
    size_t n_out, float *restrict out)
{
  size_t j, k, l;

  for (j = 0; j < n_out; j += 8) {
    float a1[8] = { 0 }, a2[8] = { 0 }, a3[8] = { 0 };

    for (k = 0; k < TAPS; k++) {
      float h1 = h[0][k], h2 = h[1][k], h3 = h[2][k];
      for (l = 0; l < 8; l++) {
        float v = x[j + k + l];
        a1[l] += h1 * v;
        a2[l] += h2 * v;
        a3[l] += h3 * v;
      }
    }
    for (l = 0; l < 8; l++) {
      float m = fabsf (x[j + l + TAPS / 2 - 1]);
      float b1 = fabsf (a1[l]), b2 = fabsf (a2[l]), b3 = fabsf (a3[l]);
      m = b1 > m ? b1 : m;
      m = b2 > m ? b2 : m;
      m = b3 > m ? b3 : m;
      out[j + l] = m;
    }
  }
}

static void
add_over (AvmTruePeak * t, unsigned ch, uint64_t p, float v)
{
  if (t->open && p > t->span_end + t->merge_len) {
    emit (t, AVM_AUDIO_SPAN_END, 0);
    t->open = 0;
  }
  if (!t->open) {
    t->open = 1;
    t->span_start = p;
    t->span_end = p + 1;
    t->span_mask = (uint64_t) 1 << ch;
    t->span_peak = v;
    emit (t, AVM_AUDIO_SPAN_START, 0);
    return;
  }
  if (p < t->span_start)
    t->span_start = p;
  if (p + 1 > t->span_end)
    t->span_end = p + 1;
  t->span_mask |= (uint64_t) 1 << ch;
  if (v > t->span_peak)
    t->span_peak = v;
}

/* buf holds HIST + BLOCK samples; the block's first sample is at position
 * bpos.  Outputs are for samples bpos - TAPS/2 .. bpos + BLOCK - TAPS/2. */
static void
run_block (AvmTruePeak * t, unsigned ch, uint64_t bpos)
{
  ChanState *s = &t->cs[ch];
  float bm = block_max_abs (s->buf + HIST, BLOCK);
  float wm = bm > s->prev_max ? bm : s->prev_max;
  float lim = s->max_interval;
  float out[BLOCK];
  size_t j;

  if (t->enabled && t->ceiling < lim)
    lim = t->ceiling;
  s->prev_max = bm;

  if (wm * t->gain_bound > lim) {
    float m = 0.0f;
    size_t j0 = 0;

    interpolate_block ((const float (*)[TAPS]) t->h, s->buf, BLOCK, out);
    if (bpos < t->base + TAPS) {
      /* Near the stream start the window reaches into the zero history:
       * interpolating there shows the ringing of a step that is only the
       * start of our view of the stream.  Those samples count with their
       * sample peak, as the last ones of a stream do. */
      for (j = 0; j < BLOCK; j++) {
        uint64_t p = bpos + j;  /* + TAPS/2 = position of output j */
        if (p < t->base + TAPS / 2)
          j0 = j + 1;
        else if (p < t->base + TAPS - 1)
          out[j] = fabsf (s->buf[j + TAPS / 2 - 1]);
      }
    }
    for (j = j0; j < BLOCK; j++)
      m = out[j] > m ? out[j] : m;
    if (m > s->max_interval)
      s->max_interval = m;
    if (m > s->max_all)
      s->max_all = m;
    if (t->enabled && m > t->ceiling) {
      /* the stream starts at the first position fed; earlier outputs are
       * the filter ringing into the zero history */
      for (j = j0; j < BLOCK; j++)
        if (out[j] > t->ceiling)
          add_over (t, ch, bpos + j - TAPS / 2, out[j]);
    }
  }
  memmove (s->buf, s->buf + BLOCK, HIST * sizeof (float));
}

void
avm_true_peak_process (AvmTruePeak * t, const float *const *ch, size_t n,
    uint64_t pos)
{
  unsigned c;
  size_t off = 0;

  if (n == 0)
    return;
  if (!t->have_pos) {
    t->have_pos = 1;
    t->pos = pos;
    t->base = pos;
    t->fill = 0;
  }

  /* block-synchronous over channels, so overs reach the span merger in
   * time order (to the block) */
  while (off < n) {
    size_t len = BLOCK - t->fill;

    if (len > n - off)
      len = n - off;
    for (c = 0; c < t->channels; c++)
      memcpy (t->cs[c].buf + HIST + t->fill, ch[c] + off,
          len * sizeof (float));
    t->fill += len;
    t->pos += len;
    off += len;
    if (t->fill == BLOCK) {
      uint64_t bpos = t->pos - BLOCK;
      for (c = 0; c < t->channels; c++)
        run_block (t, c, bpos);
      t->fill = 0;
    }
  }

  /* outputs up to TAPS/2 + BLOCK samples back are still to come */
  if (t->open && t->pos > t->span_end + t->merge_len + TAPS / 2 + BLOCK) {
    emit (t, AVM_AUDIO_SPAN_END, 0);
    t->open = 0;
  }
}

void
avm_true_peak_finish (AvmTruePeak * t)
{
  unsigned c;
  size_t i;

  if (t->have_pos) {
    /* The last samples have no future to interpolate with: count them with
     * their sample peak (a lower bound of their true peak). */
    uint64_t first = t->pos - t->fill - TAPS / 2;
    for (c = 0; c < t->channels; c++) {
      ChanState *s = &t->cs[c];
      for (i = TAPS / 2 - 1; i < HIST + t->fill; i++) {
        float a = fabsf (s->buf[i]);
        uint64_t p = first + (i - (TAPS / 2 - 1));
        if (p < t->base)
          continue;
        if (a > s->max_all)
          s->max_all = a;
        if (a > s->max_interval)
          s->max_interval = a;
        if (t->enabled && a > t->ceiling)
          add_over (t, c, p, a);
      }
    }
    if (t->open)
      emit (t, AVM_AUDIO_SPAN_END, 1);
  }
  reset_state (t);
}

double
avm_true_peak_max (const AvmTruePeak * t, int channel)
{
  float m = 0.0f;
  unsigned c;

  if (channel >= 0 && (unsigned) channel < t->channels)
    return lin_to_db (t->cs[channel].max_all);
  for (c = 0; c < t->channels; c++)
    if (t->cs[c].max_all > m)
      m = t->cs[c].max_all;
  return lin_to_db (m);
}

double
avm_true_peak_take_interval (AvmTruePeak * t, double *per_channel)
{
  float m = 0.0f;
  unsigned c;

  for (c = 0; c < t->channels; c++) {
    if (per_channel)
      per_channel[c] = lin_to_db (t->cs[c].max_interval);
    if (t->cs[c].max_interval > m)
      m = t->cs[c].max_interval;
    t->cs[c].max_interval = 0.0f;
  }
  return lin_to_db (m);
}

const float *
avm_true_peak_taps (const AvmTruePeak * t, unsigned phase)
{
  if (phase < 1 || phase > 3)
    return NULL;
  return t->h[phase - 1];
}
