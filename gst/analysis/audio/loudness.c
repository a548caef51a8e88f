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

#include "loudness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define ABS_GATE (-70.0)
#define REL_GATE_I (-10.0)
#define REL_GATE_LRA (-20.0)
#define OFFSET (-0.691)

/* Histograms cover [-70, +20) LUFS: 64 channels of full-scale square waves
 * with surround weights stay below +20; anything louder lands in the top
 * bin. */
#define H_MIN (-70.0)
#define H_MAX (20.0)
#define I_BIN 0.01
#define I_BINS 9000
#define R_BIN 0.05
#define R_BINS 1800

/* GCC can build the filters twice, for plain x86-64 and for x86-64-v3
 * (FMA shortens the recursion's critical path), picked at load time. */
#if defined (__GNUC__) && !defined (__clang__) && __GNUC__ >= 12 \
    && defined (__x86_64__) && defined (__linux__)
#define AVM_TARGET_CLONES \
    __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#else
#define AVM_TARGET_CLONES
#endif

#define RING 30                 /* 3 s of 100 ms sub-blocks */
#define ZN 6                    /* filter states per channel, see kfilter2 */

struct _AvmLoudness
{
  unsigned channels;
  unsigned rate;
  unsigned group;
  uint64_t mask;
  AvmAudioSpanFunc func;
  void *user_data;

  double *w;
  double k[7];                  /* b0 b1 b2 a1 a2 (shelf), a1 a2 (hp) */
  double *z;                    /* ZN filter states per channel */
  double *acc;                  /* per channel sum of squares, sub-block */

  uint64_t pos;
  int have_pos;
  uint64_t sub_index;
  size_t sub_len, sub_fill;

  double ring_e[RING];
  double ring_n[RING];
  unsigned ring_head;           /* next slot to write */
  uint64_t subs_done;

  double momentary, short_term, m_max, s_max;

  double i_sum;
  uint64_t i_count;
  uint32_t *i_hist;
  double r_sum;
  uint64_t r_count;
  uint32_t *r_hist;

  double target, tolerance;
  uint64_t min_len;
  int enabled;
  int run;
  uint64_t run_start;
  double run_worst;
  int open;
};

void
avm_loudness_profile_values (AvmLoudnessProfile profile,
    double *target_lufs, double *ceiling_dbtp)
{
  double t = -23.0, c = -1.0;

  if (profile == AVM_LOUDNESS_PROFILE_ATSC_A85) {
    t = -24.0;
    c = -2.0;
  }
  if (target_lufs)
    *target_lufs = t;
  if (ceiling_dbtp)
    *ceiling_dbtp = c;
}

/* The BS.1770 pre-filter is a high shelf (+4 dB above about 1.7 kHz, the
 * acoustic effect of the head) followed by the RLB high pass (about
 * 38 Hz).  These are the analog prototype's parameters; the bilinear
 * transform with frequency prewarping maps them to any rate. */
void
avm_loudness_k_weighting (unsigned rate, double b[2][3], double a[2][3])
{
  const double f0 = 1681.974450955533, g = 3.999843853973347,
      q = 0.7071752369554196;
  const double f1 = 38.13547087602444, q1 = 0.5003270373238773;
  double k = tan (M_PI * f0 / rate);
  double vh = pow (10.0, g / 20.0);
  double vb = pow (vh, 0.4996667741545416);
  double a0 = 1.0 + k / q + k * k;

  b[0][0] = (vh + vb * k / q + k * k) / a0;
  b[0][1] = 2.0 * (k * k - vh) / a0;
  b[0][2] = (vh - vb * k / q + k * k) / a0;
  a[0][0] = 1.0;
  a[0][1] = 2.0 * (k * k - 1.0) / a0;
  a[0][2] = (1.0 - k / q + k * k) / a0;

  k = tan (M_PI * f1 / rate);
  a0 = 1.0 + k / q1 + k * k;
  b[1][0] = 1.0;
  b[1][1] = -2.0;
  b[1][2] = 1.0;
  a[1][0] = 1.0;
  a[1][1] = 2.0 * (k * k - 1.0) / a0;
  a[1][2] = (1.0 - k / q1 + k * k) / a0;
}

static size_t
sub_length (const AvmLoudness * l, uint64_t k)
{
  return (size_t) (((k + 1) * l->rate) / 10 - (k * l->rate) / 10);
}

static void
reset_measures (AvmLoudness * l)
{
  unsigned i;

  memset (l->z, 0, ZN * l->channels * sizeof (double));
  memset (l->acc, 0, l->channels * sizeof (double));
  memset (l->i_hist, 0, I_BINS * sizeof (uint32_t));
  memset (l->r_hist, 0, R_BINS * sizeof (uint32_t));
  l->have_pos = 0;
  l->sub_index = 0;
  l->sub_fill = 0;
  l->sub_len = sub_length (l, 0);
  for (i = 0; i < RING; i++) {
    /* not yet measured = silence of the nominal length */
    l->ring_e[i] = 0.0;
    l->ring_n[i] = l->rate / 10.0;
  }
  l->ring_head = 0;
  l->subs_done = 0;
  l->momentary = l->short_term = -INFINITY;
  l->m_max = l->s_max = -INFINITY;
  l->i_sum = l->r_sum = 0.0;
  l->i_count = l->r_count = 0;
  l->run = 0;
  l->open = 0;
}

AvmLoudness *
avm_loudness_new (unsigned channels, unsigned rate, const double *weights,
    uint64_t mask, unsigned group, AvmAudioSpanFunc func, void *user_data)
{
  AvmLoudness *l;
  double b[2][3], a[2][3];
  unsigned c;

  if (channels < 1 || channels > 64 || rate < 8000 || rate > 384000)
    return NULL;
  l = calloc (1, sizeof (AvmLoudness));
  if (!l)
    return NULL;
  l->channels = channels;
  l->rate = rate;
  l->mask = mask;
  l->group = group;
  l->func = func;
  l->user_data = user_data;
  l->w = calloc (channels, sizeof (double));
  l->z = calloc (ZN * channels, sizeof (double));
  l->acc = calloc (channels, sizeof (double));
  l->i_hist = calloc (I_BINS, sizeof (uint32_t));
  l->r_hist = calloc (R_BINS, sizeof (uint32_t));
  if (!l->w || !l->z || !l->acc || !l->i_hist || !l->r_hist) {
    avm_loudness_free (l);
    return NULL;
  }
  for (c = 0; c < channels; c++)
    l->w[c] = weights ? weights[c] : 1.0;
  avm_loudness_k_weighting (rate, b, a);
  l->k[0] = b[0][0];
  l->k[1] = b[0][1];
  l->k[2] = b[0][2];
  l->k[3] = a[0][1];
  l->k[4] = a[0][2];
  l->k[5] = a[1][1];
  l->k[6] = a[1][2];
  l->enabled = 1;
  avm_loudness_set_target (l, -23.0, AVM_LOUDNESS_DEFAULT_TOLERANCE_LU,
      AVM_LOUDNESS_DEFAULT_DURATION_S);
  reset_measures (l);
  return l;
}

void
avm_loudness_free (AvmLoudness * l)
{
  if (!l)
    return;
  free (l->w);
  free (l->z);
  free (l->acc);
  free (l->i_hist);
  free (l->r_hist);
  free (l);
}

void
avm_loudness_set_target (AvmLoudness * l, double target_lufs,
    double tolerance_lu, double min_duration)
{
  l->target = target_lufs;
  l->tolerance = tolerance_lu < 0.0 ? 0.0 : tolerance_lu;
  if (min_duration < 0.0)
    min_duration = 0.0;
  l->min_len = (uint64_t) llround (min_duration * l->rate);
}

static void
emit (AvmLoudness * l, AvmAudioSpanEvent ev, uint64_t end, int trunc)
{
  AvmAudioSpan span;

  memset (&span, 0, sizeof (span));
  span.kind = AVM_AUDIO_DEFECT_LOUDNESS_SHORT_TERM;
  span.event = ev;
  span.start = l->run_start;
  span.end = end;
  span.value = l->run_worst;
  span.threshold = l->run_worst > l->target ? l->target + l->tolerance :
      l->target - l->tolerance;
  span.channel_mask = l->mask;
  span.group = l->group;
  span.truncated = trunc;
  if (l->func)
    l->func (&span, l->user_data);
}

void
avm_loudness_set_enabled (AvmLoudness * l, int enabled)
{
  if (!enabled && l->open) {
    emit (l, AVM_AUDIO_SPAN_END, l->pos, 0);
    l->open = 0;
  }
  if (!enabled)
    l->run = 0;
  l->enabled = enabled;
}

/* The two cascaded biquads in direct form I, double (the 38 Hz high pass
 * needs it at high rates), and the sum of squares of the output.
 *
 * Speed is the latency of the recursion, not the arithmetic: in direct
 * form I the only loop-carried chain of each stage is one multiply-add
 * (y = ff - a1 * y1, where ff and a2 * y2 are known a sample ahead), half
 * the chain of the transposed form II.  Direct form I keeps its inputs
 * and outputs, not sums of them, as state, so double precision loses
 * nothing here (Tech 3341/3342 conformance is the check).  The stereo pair
 * shares one SIMD register: one chain, two channels.
 *
 * State per channel: x1 x2 (input), y1 y2 (shelf output), u1 u2 (high-pass
 * output). */
#if defined (__GNUC__)
typedef double v2d __attribute__ ((vector_size (16)));

AVM_TARGET_CLONES static void
kfilter2 (const double *restrict k, double *restrict za,
    double *restrict zb, const float *restrict xa,
    const float *restrict xb, size_t n, double *sa, double *sb)
{
  const v2d b0 = { k[0], k[0] }, b1 = { k[1], k[1] }, b2 = { k[2], k[2] },
      a1 = { k[3], k[3] }, a2 = { k[4], k[4] }, c1 = { k[5], k[5] },
      c2 = { k[6], k[6] }, two = { 2.0, 2.0 };
  v2d x1 = { za[0], zb[0] }, x2 = { za[1], zb[1] };
  v2d y1 = { za[2], zb[2] }, y2 = { za[3], zb[3] };
  v2d u1 = { za[4], zb[4] }, u2 = { za[5], zb[5] };
  v2d acc = { 0.0, 0.0 };
  size_t i;

  for (i = 0; i < n; i++) {
    v2d x = { xa[i], xb[i] };
    v2d y = (b0 * x + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1;
    v2d u = ((y + y2) - two * y1 - c2 * u2) - c1 * u1;

    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    u2 = u1;
    u1 = u;
    acc += u * u;
  }
  za[0] = x1[0];
  zb[0] = x1[1];
  za[1] = x2[0];
  zb[1] = x2[1];
  za[2] = y1[0];
  zb[2] = y1[1];
  za[3] = y2[0];
  zb[3] = y2[1];
  za[4] = u1[0];
  zb[4] = u1[1];
  za[5] = u2[0];
  zb[5] = u2[1];
  *sa += acc[0];
  *sb += acc[1];
}
#else
static void kfilter1 (const double *restrict k, double *restrict z,
    const float *restrict x, size_t n, double *s);

static void
kfilter2 (const double *restrict k, double *restrict za,
    double *restrict zb, const float *restrict xa,
    const float *restrict xb, size_t n, double *sa, double *sb)
{
  kfilter1 (k, za, xa, n, sa);
  kfilter1 (k, zb, xb, n, sb);
}
#endif

AVM_TARGET_CLONES static void
kfilter1 (const double *restrict k, double *restrict z,
    const float *restrict x, size_t n, double *s)
{
  const double b0 = k[0], b1 = k[1], b2 = k[2], a1 = k[3], a2 = k[4],
      c1 = k[5], c2 = k[6];
  double x1 = z[0], x2 = z[1], y1 = z[2], y2 = z[3], u1 = z[4], u2 = z[5];
  double acc = 0.0;
  size_t i;

  for (i = 0; i < n; i++) {
    double v = x[i];
    double y = (b0 * v + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1;
    double u = ((y + y2) - 2.0 * y1 - c2 * u2) - c1 * u1;

    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = y;
    u2 = u1;
    u1 = u;
    acc += u * u;
  }
  z[0] = x1;
  z[1] = x2;
  z[2] = y1;
  z[3] = y2;
  z[4] = u1;
  z[5] = u2;
  *s += acc;
}

static double
energy_to_lufs (double e)
{
  return e > 0.0 ? OFFSET + 10.0 * log10 (e) : -INFINITY;
}

static int
bin_of (double lufs, double width, int bins)
{
  int b = (int) floor ((lufs - H_MIN) / width);
  return b < 0 ? 0 : (b >= bins ? bins - 1 : b);
}

static double
window_energy (const AvmLoudness * l, unsigned subs)
{
  double e = 0.0, n = 0.0;
  unsigned i, idx = l->ring_head;

  for (i = 0; i < subs; i++) {
    idx = idx == 0 ? RING - 1 : idx - 1;
    e += l->ring_e[idx];
    n += l->ring_n[idx];
  }
  return n > 0.0 ? e / n : 0.0;
}

static void
judge (AvmLoudness * l, double s, uint64_t p)
{
  int out = s > ABS_GATE && (s < l->target - l->tolerance
      || s > l->target + l->tolerance);

  if (!out) {
    if (l->open)
      emit (l, AVM_AUDIO_SPAN_END, p, 0);
    l->open = 0;
    l->run = 0;
    return;
  }
  if (!l->run) {
    l->run = 1;
    l->run_start = p;
    l->run_worst = s;
  } else if (fabs (s - l->target) > fabs (l->run_worst - l->target)) {
    l->run_worst = s;
  }
  if (!l->open && p - l->run_start >= l->min_len) {
    l->open = 1;
    emit (l, AVM_AUDIO_SPAN_START, 0, 0);
  }
}

static void
sub_block_done (AvmLoudness * l)
{
  double e = 0.0, zb;
  unsigned c;

  for (c = 0; c < l->channels; c++) {
    double *z = l->z + ZN * c;
    unsigned j;

    e += l->w[c] * l->acc[c];
    l->acc[c] = 0.0;
    /* keep the filters out of denormals after a long silence */
    for (j = 0; j < ZN; j++)
      if (fabs (z[j]) < 1e-30)
        z[j] = 0.0;
  }
  l->ring_e[l->ring_head] = e;
  l->ring_n[l->ring_head] = (double) l->sub_len;
  l->ring_head = (l->ring_head + 1) % RING;
  l->subs_done++;

  l->momentary = energy_to_lufs (window_energy (l, 4));
  zb = window_energy (l, RING);
  l->short_term = energy_to_lufs (zb);
  if (l->momentary > l->m_max)
    l->m_max = l->momentary;
  if (l->short_term > l->s_max)
    l->s_max = l->short_term;

  if (l->subs_done >= 4 && l->momentary > ABS_GATE) {
    l->i_sum += window_energy (l, 4);
    l->i_count++;
    l->i_hist[bin_of (l->momentary, I_BIN, I_BINS)]++;
  }
  if (l->subs_done >= RING) {
    if (l->short_term > ABS_GATE) {
      l->r_sum += zb;
      l->r_count++;
      l->r_hist[bin_of (l->short_term, R_BIN, R_BINS)]++;
    }
    if (l->enabled)
      judge (l, l->short_term, l->pos);
  }
}

void
avm_loudness_process (AvmLoudness * l, const float *const *ch, size_t n,
    uint64_t pos)
{
  size_t off = 0;
  unsigned c;

  if (!l->have_pos) {
    l->have_pos = 1;
    l->pos = pos;
  }
  while (off < n) {
    size_t seg = l->sub_len - l->sub_fill;

    if (seg > n - off)
      seg = n - off;
    for (c = 0; c + 1 < l->channels; c += 2)
      kfilter2 (l->k, l->z + ZN * c, l->z + ZN * (c + 1), ch[c] + off,
          ch[c + 1] + off, seg, &l->acc[c], &l->acc[c + 1]);
    if (c < l->channels)
      kfilter1 (l->k, l->z + ZN * c, ch[c] + off, seg, &l->acc[c]);
    l->sub_fill += seg;
    l->pos += seg;
    off += seg;
    if (l->sub_fill == l->sub_len) {
      sub_block_done (l);
      l->sub_index++;
      l->sub_len = sub_length (l, l->sub_index);
      l->sub_fill = 0;
    }
  }
}

double
avm_loudness_momentary (const AvmLoudness * l)
{
  return l->momentary;
}

double
avm_loudness_short_term (const AvmLoudness * l)
{
  return l->short_term;
}

double
avm_loudness_momentary_max (const AvmLoudness * l)
{
  return l->m_max;
}

double
avm_loudness_short_term_max (const AvmLoudness * l)
{
  return l->s_max;
}

uint64_t
avm_loudness_updates (const AvmLoudness * l)
{
  return l->subs_done;
}

/* The energy of a bin's centre is walked up from the first bin by the
 * constant ratio between neighbours: one pow () per call, not per bin. */
double
avm_loudness_integrated (const AvmLoudness * l)
{
  double gate, e, ratio, sum = 0.0;
  uint64_t cnt = 0;
  int i, first;

  if (l->i_count == 0)
    return -INFINITY;
  gate = energy_to_lufs (l->i_sum / l->i_count) + REL_GATE_I;
  /* blocks in the bin holding the gate count when the bin's centre is
   * above it: an error of at most half a bin (0.005 LU) on the gate */
  first = (int) floor ((gate - H_MIN) / I_BIN + 0.5);
  if (first < 0)
    first = 0;
  e = pow (10.0, (H_MIN + (first + 0.5) * I_BIN - OFFSET) / 10.0);
  ratio = pow (10.0, I_BIN / 10.0);
  for (i = first; i < I_BINS; i++) {
    if (l->i_hist[i]) {
      sum += e * l->i_hist[i];
      cnt += l->i_hist[i];
    }
    e *= ratio;
  }
  return cnt ? energy_to_lufs (sum / cnt) : -INFINITY;
}

static double
percentile (const AvmLoudness * l, int first, uint64_t index)
{
  uint64_t seen = 0;
  int i;

  for (i = first; i < R_BINS; i++) {
    seen += l->r_hist[i];
    if (seen > index)
      return H_MIN + (i + 0.5) * R_BIN;
  }
  return H_MIN + (R_BINS - 0.5) * R_BIN;
}

double
avm_loudness_range (const AvmLoudness * l)
{
  double gate;
  uint64_t n = 0;
  int i, first;

  if (l->r_count < 2)
    return 0.0;
  gate = energy_to_lufs (l->r_sum / l->r_count) + REL_GATE_LRA;
  first = (int) floor ((gate - H_MIN) / R_BIN + 0.5);
  if (first < 0)
    first = 0;
  for (i = first; i < R_BINS; i++)
    n += l->r_hist[i];
  if (n < 2)
    return 0.0;
  /* nearest rank, as the Tech 3342 reference code */
  return percentile (l, first, (uint64_t) llround (0.95 * (n - 1)))
      - percentile (l, first, (uint64_t) llround (0.10 * (n - 1)));
}

void
avm_loudness_finish (AvmLoudness * l)
{
  if (l->open)
    emit (l, AVM_AUDIO_SPAN_END, l->pos, 1);
  l->open = 0;
  l->run = 0;
}

void
avm_loudness_reset (AvmLoudness * l)
{
  avm_loudness_finish (l);
  reset_measures (l);
}
