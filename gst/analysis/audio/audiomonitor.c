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

#include "audiomonitor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK AVM_AUDIO_MONITOR_CHUNK

struct _AvmAudioMonitor
{
  AvmAudioMonitorConfig cfg;
  AvmSampleFormat format;
  int interleaved;
  unsigned channels;
  unsigned rate;

  float *scratch;               /* channels * CHUNK */
  float **ch;                   /* channel pointers into scratch */
  float *zeros;                 /* CHUNK zeros, for GAP */
  const float **gch;            /* every channel pointing at zeros */

  AvmSilence *silence;
  AvmClipping *clipping;
  AvmDropout *dropout;
  AvmTruePeak *true_peak;
  unsigned n_groups;
  AvmLoudness *loud[AVM_AUDIO_MONITOR_MAX_GROUPS];
  unsigned *g_n;                /* channels per group */
  unsigned *g_chan;             /* channel indices, grouped */
  const float **g_ptr;          /* per group channel pointers, grouped */

  uint64_t pos;
  int have_pos;

  double *lv_sum;
  float *lv_peak;
  uint64_t lv_n;
};

void
avm_audio_monitor_config_init (AvmAudioMonitorConfig * cfg)
{
  memset (cfg, 0, sizeof (*cfg));
  cfg->silence_enabled = 1;
  cfg->channel_silence_enabled = 1;
  cfg->silence_threshold = AVM_SILENCE_DEFAULT_THRESHOLD_DB;
  cfg->silence_duration = AVM_SILENCE_DEFAULT_DURATION_S;
  cfg->channel_silence_threshold = AVM_SILENCE_DEFAULT_THRESHOLD_DB;
  cfg->channel_silence_duration = AVM_SILENCE_DEFAULT_DURATION_S;
  cfg->clipping_enabled = 1;
  cfg->clipping_run = AVM_CLIPPING_DEFAULT_MIN_RUN;
  cfg->clipping_merge = AVM_CLIPPING_DEFAULT_MERGE_S;
  cfg->dropout_enabled = 1;
  cfg->dropout_threshold = AVM_DROPOUT_DEFAULT_THRESHOLD_DB;
  cfg->dropout_edge = AVM_DROPOUT_DEFAULT_EDGE_DB;
  cfg->dropout_duration = AVM_DROPOUT_DEFAULT_DURATION_S;
  cfg->loudness_enabled = 1;
  cfg->loudness_tolerance = AVM_LOUDNESS_DEFAULT_TOLERANCE_LU;
  cfg->loudness_duration = AVM_LOUDNESS_DEFAULT_DURATION_S;
  cfg->true_peak_enabled = 1;
  avm_audio_monitor_config_set_profile (cfg, AVM_LOUDNESS_PROFILE_EBU_R128);
}

void
avm_audio_monitor_config_set_profile (AvmAudioMonitorConfig * cfg,
    AvmLoudnessProfile profile)
{
  avm_loudness_profile_values (profile, &cfg->loudness_target,
      &cfg->true_peak_ceiling);
}

void
avm_audio_monitor_free (AvmAudioMonitor * m)
{
  unsigned g;

  if (!m)
    return;
  avm_silence_free (m->silence);
  avm_clipping_free (m->clipping);
  avm_dropout_free (m->dropout);
  avm_true_peak_free (m->true_peak);
  for (g = 0; g < m->n_groups; g++)
    avm_loudness_free (m->loud[g]);
  free (m->scratch);
  free (m->ch);
  free (m->zeros);
  free (m->gch);
  free (m->g_n);
  free (m->g_chan);
  free (m->g_ptr);
  free (m->lv_sum);
  free (m->lv_peak);
  free (m);
}

static void
apply_config (AvmAudioMonitor * m, const AvmAudioMonitorConfig * old)
{
  const AvmAudioMonitorConfig *c = &m->cfg;
  unsigned g;

  /* A detector that is switched off stops being fed: end its spans now so
   * that it restarts cleanly at the right position when switched on. */
  if (old && old->clipping_enabled && !c->clipping_enabled)
    avm_clipping_finish (m->clipping);
  if (old && old->dropout_enabled && !c->dropout_enabled)
    avm_dropout_finish (m->dropout);
  if (old && (old->silence_enabled || old->channel_silence_enabled)
      && !c->silence_enabled && !c->channel_silence_enabled)
    avm_silence_finish (m->silence);

  avm_silence_set_threshold (m->silence, c->silence_threshold,
      c->silence_duration);
  avm_silence_set_channel_threshold (m->silence,
      c->channel_silence_threshold, c->channel_silence_duration);
  avm_silence_set_enabled (m->silence, c->silence_enabled,
      c->channel_silence_enabled);
  avm_clipping_set_params (m->clipping, c->clipping_run, c->clipping_merge);
  avm_dropout_set_params (m->dropout, c->dropout_threshold, c->dropout_edge,
      c->dropout_duration, c->silence_duration);
  avm_true_peak_set_ceiling (m->true_peak, c->true_peak_ceiling,
      AVM_TRUE_PEAK_DEFAULT_MERGE_S);
  avm_true_peak_set_enabled (m->true_peak, c->true_peak_enabled);
  for (g = 0; g < m->n_groups; g++) {
    avm_loudness_set_target (m->loud[g], c->loudness_target,
        c->loudness_tolerance, c->loudness_duration);
    avm_loudness_set_enabled (m->loud[g], c->loudness_enabled);
  }
}

AvmAudioMonitor *
avm_audio_monitor_new (const AvmAudioMonitorConfig * cfg,
    AvmSampleFormat format, int interleaved, unsigned channels,
    unsigned rate, const double *weights, const unsigned *groups,
    AvmAudioSpanFunc func, void *user_data)
{
  AvmAudioMonitor *m;
  unsigned c, g, k;
  double gw[64];

  if (channels < 1 || channels > 64 || rate < 8000 || rate > 384000)
    return NULL;
  m = calloc (1, sizeof (AvmAudioMonitor));
  if (!m)
    return NULL;
  if (cfg)
    m->cfg = *cfg;
  else
    avm_audio_monitor_config_init (&m->cfg);
  m->format = format;
  m->interleaved = interleaved;
  m->channels = channels;
  m->rate = rate;

  m->scratch = malloc ((size_t) channels * CHUNK * sizeof (float));
  m->ch = calloc (channels, sizeof (float *));
  m->zeros = calloc (CHUNK, sizeof (float));
  m->gch = calloc (channels, sizeof (float *));
  m->g_n = calloc (channels, sizeof (unsigned));
  m->g_chan = calloc (channels, sizeof (unsigned));
  m->g_ptr = calloc (channels, sizeof (float *));
  m->lv_sum = calloc (channels, sizeof (double));
  m->lv_peak = calloc (channels, sizeof (float));
  if (!m->scratch || !m->ch || !m->zeros || !m->gch || !m->g_n
      || !m->g_chan || !m->g_ptr || !m->lv_sum || !m->lv_peak)
    goto fail;
  for (c = 0; c < channels; c++) {
    m->ch[c] = m->scratch + (size_t) c * CHUNK;
    m->gch[c] = m->zeros;
  }

  /* groups */
  for (c = 0; c < channels; c++) {
    if (groups)
      g = groups[c];
    else
      g = channels <= 8 ? 0 : c / 2;
    if (g >= channels || g >= AVM_AUDIO_MONITOR_MAX_GROUPS)
      goto fail;
    if (g + 1 > m->n_groups)
      m->n_groups = g + 1;
    m->g_n[g]++;
  }
  k = 0;
  for (g = 0; g < m->n_groups; g++) {
    unsigned n = 0;
    uint64_t mask = 0;

    if (m->g_n[g] == 0)
      goto fail;
    for (c = 0; c < channels; c++) {
      unsigned gc = groups ? groups[c] : (channels <= 8 ? 0 : c / 2);
      if (gc != g)
        continue;
      m->g_chan[k + n] = c;
      gw[n] = weights ? weights[c] : 1.0;
      mask |= (uint64_t) 1 << c;
      n++;
    }
    m->loud[g] = avm_loudness_new (n, rate, gw, mask, g, func, user_data);
    if (!m->loud[g])
      goto fail;
    k += n;
  }

  m->silence = avm_silence_new (channels, rate, m->cfg.silence_threshold,
      m->cfg.silence_duration, func, user_data);
  m->clipping = avm_clipping_new (channels, rate,
      avm_sample_format_full_scale (format),
      avm_sample_format_is_float (format), m->cfg.clipping_run,
      m->cfg.clipping_merge, func, user_data);
  m->dropout = avm_dropout_new (channels, rate, m->cfg.dropout_threshold,
      m->cfg.dropout_edge, m->cfg.dropout_duration,
      m->cfg.silence_duration, func, user_data);
  m->true_peak = avm_true_peak_new (channels, rate,
      m->cfg.true_peak_ceiling, AVM_TRUE_PEAK_DEFAULT_MERGE_S, 0, func,
      user_data);
  if (!m->silence || !m->clipping || !m->dropout || !m->true_peak)
    goto fail;
  apply_config (m, NULL);
  return m;

fail:
  avm_audio_monitor_free (m);
  return NULL;
}

void
avm_audio_monitor_set_config (AvmAudioMonitor * m,
    const AvmAudioMonitorConfig * cfg)
{
  AvmAudioMonitorConfig old = m->cfg;

  m->cfg = *cfg;
  apply_config (m, &old);
}

static void
levels (AvmAudioMonitor * m, const float *const *ch, size_t n)
{
  unsigned c;

  for (c = 0; c < m->channels; c++) {
    const float *restrict x = ch[c];
    float s[8] = { 0 }, p[8] = { 0 };
    double sum = 0.0;
    size_t i = 0, j;

    for (; i + 8 <= n; i += 8)
      for (j = 0; j < 8; j++) {
        float a = fabsf (x[i + j]);
        s[j] += a * a;
        p[j] = a > p[j] ? a : p[j];
      }
    for (; i < n; i++) {
      float a = fabsf (x[i]);
      sum += (double) a * a;
      p[0] = a > p[0] ? a : p[0];
    }
    for (j = 0; j < 8; j++) {
      sum += s[j];
      if (p[j] > m->lv_peak[c])
        m->lv_peak[c] = p[j];
    }
    m->lv_sum[c] += sum;
  }
  m->lv_n += n;
}

static void
run_chunk (AvmAudioMonitor * m, const float *const *ch, size_t n)
{
  unsigned g, k = 0, i;
  uint64_t p = m->pos;

  if (m->cfg.silence_enabled || m->cfg.channel_silence_enabled)
    avm_silence_process (m->silence, ch, n, p);
  if (m->cfg.clipping_enabled)
    avm_clipping_process (m->clipping, ch, n, p);
  if (m->cfg.dropout_enabled)
    avm_dropout_process (m->dropout, ch, n, p);
  avm_true_peak_process (m->true_peak, ch, n, p);
  for (g = 0; g < m->n_groups; g++) {
    unsigned gn = m->g_n[g];
    for (i = 0; i < gn; i++)
      m->g_ptr[k + i] = ch[m->g_chan[k + i]];
    avm_loudness_process (m->loud[g], m->g_ptr + k, n, p);
    k += gn;
  }
  levels (m, ch, n);
  m->pos += n;
}

void
avm_audio_monitor_process (AvmAudioMonitor * m, const void *const *planes,
    size_t frames, uint64_t offset)
{
  size_t off = 0;

  if (!m->have_pos) {
    m->have_pos = 1;
    m->pos = offset;
  }
  while (off < frames) {
    size_t n = frames - off < CHUNK ? frames - off : CHUNK;

    avm_samples_read (m->format, m->interleaved, planes, m->channels, off,
        n, m->ch);
    run_chunk (m, (const float *const *) m->ch, n);
    off += n;
  }
}

void
avm_audio_monitor_process_silence (AvmAudioMonitor * m, size_t frames,
    uint64_t offset)
{
  size_t off = 0;

  if (!m->have_pos) {
    m->have_pos = 1;
    m->pos = offset;
  }
  while (off < frames) {
    size_t n = frames - off < CHUNK ? frames - off : CHUNK;

    run_chunk (m, m->gch, n);
    off += n;
  }
}

void
avm_audio_monitor_finish (AvmAudioMonitor * m)
{
  unsigned g;

  avm_silence_finish (m->silence);
  avm_clipping_finish (m->clipping);
  avm_dropout_finish (m->dropout);
  avm_true_peak_finish (m->true_peak);
  for (g = 0; g < m->n_groups; g++)
    avm_loudness_finish (m->loud[g]);
  m->have_pos = 0;
}

void
avm_audio_monitor_take_levels (AvmAudioMonitor * m, double *rms_db,
    double *peak_db)
{
  unsigned c;

  for (c = 0; c < m->channels; c++) {
    double ms = m->lv_n ? m->lv_sum[c] / m->lv_n : 0.0;
    if (rms_db)
      rms_db[c] = ms > 0.0 ? 10.0 * log10 (ms) : AVM_AUDIO_DB_FLOOR;
    if (peak_db)
      peak_db[c] = m->lv_peak[c] > 0.0f ?
          20.0 * log10 (m->lv_peak[c]) : AVM_AUDIO_DB_FLOOR;
    m->lv_sum[c] = 0.0;
    m->lv_peak[c] = 0.0f;
  }
  m->lv_n = 0;
}

unsigned
avm_audio_monitor_n_groups (const AvmAudioMonitor * m)
{
  return m->n_groups;
}

AvmLoudness *
avm_audio_monitor_loudness (AvmAudioMonitor * m, unsigned group)
{
  return group < m->n_groups ? m->loud[group] : NULL;
}

AvmTruePeak *
avm_audio_monitor_true_peak (AvmAudioMonitor * m)
{
  return m->true_peak;
}
