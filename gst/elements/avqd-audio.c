/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* avqualitydetect on audio: maps each buffer read-only (interleaved or
 * planar), feeds gst/analysis/audio's monitor and turns its span edges, in
 * sample positions, into timed defects. Timestamp gaps and overlaps are
 * checked here, against the sample count. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "avqd-private.h"

#include <math.h>
#include <stdlib.h>

#define GST_CAT_DEFAULT av_quality_detect_debug

static gboolean
sample_format (GstAudioFormat format, AvmSampleFormat * out)
{
  switch (format) {
    case GST_AUDIO_FORMAT_S16LE:
      *out = AVM_SAMPLE_S16LE;
      return TRUE;
    case GST_AUDIO_FORMAT_S32LE:
      *out = AVM_SAMPLE_S32LE;
      return TRUE;
    case GST_AUDIO_FORMAT_F32LE:
      *out = AVM_SAMPLE_F32LE;
      return TRUE;
    case GST_AUDIO_FORMAT_F64LE:
      *out = AVM_SAMPLE_F64LE;
      return TRUE;
    default:
      return FALSE;
  }
}

/* BS.1770 channel weights from positions: LFE excluded, surrounds +1.5 dB. */
static gdouble
channel_weight (GstAudioChannelPosition pos)
{
  switch (pos) {
    case GST_AUDIO_CHANNEL_POSITION_LFE1:
    case GST_AUDIO_CHANNEL_POSITION_LFE2:
      return AVM_LOUDNESS_WEIGHT_LFE;
    case GST_AUDIO_CHANNEL_POSITION_REAR_LEFT:
    case GST_AUDIO_CHANNEL_POSITION_REAR_RIGHT:
    case GST_AUDIO_CHANNEL_POSITION_SIDE_LEFT:
    case GST_AUDIO_CHANNEL_POSITION_SIDE_RIGHT:
    case GST_AUDIO_CHANNEL_POSITION_REAR_CENTER:
    case GST_AUDIO_CHANNEL_POSITION_SURROUND_LEFT:
    case GST_AUDIO_CHANNEL_POSITION_SURROUND_RIGHT:
      return AVM_LOUDNESS_WEIGHT_SURROUND;
    default:
      return AVM_LOUDNESS_WEIGHT_FRONT;
  }
}

/* "6,2" -> group index per channel. FALSE when the counts do not add up. */
static gboolean
parse_groups (const gchar * spec, guint channels, unsigned *groups)
{
  gchar **parts;
  guint c = 0, g, i;
  gboolean ok = TRUE;

  if (spec == NULL || *spec == '\0')
    return FALSE;
  parts = g_strsplit (spec, ",", -1);
  for (g = 0; parts[g] && ok; g++) {
    gchar *end;
    guint64 n = g_ascii_strtoull (g_strstrip (parts[g]), &end, 10);

    if (*end != '\0' || n == 0 || c + n > channels ||
        g >= AVM_AUDIO_MONITOR_MAX_GROUPS) {
      ok = FALSE;
      break;
    }
    for (i = 0; i < n; i++)
      groups[c++] = g;
  }
  g_strfreev (parts);
  return ok && c == channels;
}

static GstClockTime
position_to_pts (GstAvQualityDetect * self, guint64 pos)
{
  AvqdAudio *a = &self->audio;

  if (!GST_CLOCK_TIME_IS_VALID (a->base_pts) || pos == AVM_AUDIO_POS_NONE)
    return GST_CLOCK_TIME_NONE;
  if (pos >= a->base_pos)
    return a->base_pts + gst_util_uint64_scale_int (pos - a->base_pos,
        GST_SECOND, GST_AUDIO_INFO_RATE (&a->info));
  else {
    GstClockTime back = gst_util_uint64_scale_int (a->base_pos - pos,
        GST_SECOND, GST_AUDIO_INFO_RATE (&a->info));

    return back <= a->base_pts ? a->base_pts - back : 0;
  }
}

static void
fill_config (GstAvQualityDetect * self, const AvqdSettings * s,
    AvmAudioMonitorConfig * cfg)
{
  avm_audio_monitor_config_init (cfg);
  cfg->silence_enabled = s[AVQD_SILENCE].enabled;
  cfg->channel_silence_enabled = s[AVQD_CHANNEL_SILENCE].enabled;
  cfg->silence_threshold = s[AVQD_SILENCE].threshold;
  cfg->silence_duration = s[AVQD_SILENCE].duration / (gdouble) GST_SECOND;
  cfg->channel_silence_threshold = s[AVQD_CHANNEL_SILENCE].threshold;
  cfg->channel_silence_duration =
      s[AVQD_CHANNEL_SILENCE].duration / (gdouble) GST_SECOND;
  cfg->clipping_enabled = s[AVQD_CLIPPING].enabled;
  cfg->clipping_run = (unsigned) MAX (1.0, s[AVQD_CLIPPING].threshold);
  cfg->clipping_merge = s[AVQD_CLIPPING].duration / (gdouble) GST_SECOND;
  cfg->dropout_enabled = s[AVQD_DROPOUT].enabled;
  cfg->dropout_threshold = s[AVQD_DROPOUT].threshold;
  cfg->dropout_duration = s[AVQD_DROPOUT].duration / (gdouble) GST_SECOND;
  cfg->loudness_enabled = s[AVQD_LOUDNESS].enabled;
  cfg->loudness_duration = s[AVQD_LOUDNESS].duration / (gdouble) GST_SECOND;
  cfg->true_peak_enabled = s[AVQD_TRUE_PEAK].enabled;
  GST_OBJECT_LOCK (self);
  cfg->loudness_target = self->loudness_target;
  cfg->loudness_tolerance = self->loudness_tolerance;
  cfg->true_peak_ceiling = self->true_peak_ceiling;
  GST_OBJECT_UNLOCK (self);
}

static AvqdKind
kind_of (AvmAudioDefect kind)
{
  switch (kind) {
    case AVM_AUDIO_DEFECT_SILENCE:
      return AVQD_SILENCE;
    case AVM_AUDIO_DEFECT_CHANNEL_SILENCE:
      return AVQD_CHANNEL_SILENCE;
    case AVM_AUDIO_DEFECT_CLIPPING:
      return AVQD_CLIPPING;
    case AVM_AUDIO_DEFECT_DROPOUT:
      return AVQD_DROPOUT;
    case AVM_AUDIO_DEFECT_LOUDNESS_SHORT_TERM:
      return AVQD_LOUDNESS;
    case AVM_AUDIO_DEFECT_TRUE_PEAK:
    default:
      return AVQD_TRUE_PEAK;
  }
}

static const gchar *
unit_of (AvmAudioDefect kind)
{
  switch (kind) {
    case AVM_AUDIO_DEFECT_DROPOUT:
      return "ms";
    case AVM_AUDIO_DEFECT_LOUDNESS_SHORT_TERM:
      return "LUFS";
    case AVM_AUDIO_DEFECT_TRUE_PEAK:
      return "dBTP";
    default:
      return "dBFS";
  }
}

static GstStructure *
span_details (const AvmAudioSpan * span)
{
  GstStructure *d = gst_structure_new ("details",
      GST_AV_MONITOR_DETAIL_CHANNEL_MASK, G_TYPE_UINT64,
      (guint64) span->channel_mask, NULL);

  if (span->kind == AVM_AUDIO_DEFECT_CLIPPING)
    gst_structure_set (d, GST_AV_MONITOR_DETAIL_CLIPPED_SAMPLES,
        G_TYPE_UINT64, (guint64) span->clipped_samples, NULL);
  if (span->kind == AVM_AUDIO_DEFECT_LOUDNESS_SHORT_TERM ||
      span->kind == AVM_AUDIO_DEFECT_TRUE_PEAK) {
    gst_structure_set (d, GST_AV_MONITOR_DETAIL_SUBKIND, G_TYPE_STRING,
        span->kind == AVM_AUDIO_DEFECT_TRUE_PEAK ? "true-peak" :
        "short-term", "group", G_TYPE_UINT, span->group, NULL);
  }
  return d;
}

/* Called by the monitor from inside avm_audio_monitor_process/finish, in
 * the streaming thread. */
static void
on_span (const AvmAudioSpan * span, void *user_data)
{
  GstAvQualityDetect *self = user_data;
  AvqdAudio *a = &self->audio;
  AvqdKind kind = kind_of (span->kind);
  AvqdSpan *slot = &self->spans[kind];

  if (kind == AVQD_LOUDNESS && span->group < AVM_AUDIO_MONITOR_MAX_GROUPS)
    slot = &a->loudness[span->group];

  if (span->event == AVM_AUDIO_SPAN_START) {
    avqd_span_start_in (self, kind, slot, position_to_pts (self, span->start),
        span->value, span->threshold, unit_of (span->kind), 1.0,
        span_details (span), NULL);
  } else {
    avqd_span_end_in (self, slot, position_to_pts (self, span->end),
        span->value, span->truncated, span_details (span), NULL);
  }
}

void
avqd_audio_clear (GstAvQualityDetect * self)
{
  AvqdAudio *a = &self->audio;
  guint g;

  if (a->monitor)
    avm_audio_monitor_free (a->monitor);
  a->monitor = NULL;
  g_clear_pointer (&a->rms, g_free);
  g_clear_pointer (&a->peak, g_free);
  g_clear_pointer (&a->tp, g_free);
  for (g = 0; g < AVM_AUDIO_MONITOR_MAX_GROUPS; g++) {
    g_clear_pointer (&a->loudness[g].start, gst_av_monitor_defect_free);
    a->loudness[g].open = FALSE;
  }
  a->ready = FALSE;
}

gboolean
avqd_audio_configure (GstAvQualityDetect * self, const GstAudioInfo * info)
{
  AvqdAudio *a = &self->audio;
  AvqdSettings s[AVQD_N_KINDS];
  AvmAudioMonitorConfig cfg;
  AvmSampleFormat format;
  guint channels = GST_AUDIO_INFO_CHANNELS (info), c;
  gdouble weights[64];
  unsigned groups[64];
  gboolean have_groups;
  gchar *spec;

  if (!sample_format (GST_AUDIO_INFO_FORMAT (info), &format) ||
      channels < 1 || channels > 64) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("avqualitydetect does not read %s audio with %u channels; insert "
            "audioconvert before it.", GST_AUDIO_INFO_NAME (info), channels),
        (NULL));
    return FALSE;
  }

  if (a->ready)
    avqd_audio_finish (self);
  avqd_audio_clear (self);

  for (c = 0; c < channels; c++)
    weights[c] = (info->flags & GST_AUDIO_FLAG_UNPOSITIONED) ?
        AVM_LOUDNESS_WEIGHT_FRONT : channel_weight (info->position[c]);
  GST_OBJECT_LOCK (self);
  spec = g_strdup (self->loudness_groups);
  GST_OBJECT_UNLOCK (self);
  have_groups = parse_groups (spec, channels, groups);
  if (spec && !have_groups)
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS,
        ("loudness-groups \"%s\" does not cover the %u channels; using the "
            "default grouping.", spec, channels), (NULL));
  g_free (spec);

  avqd_get_settings (self, s, NULL);
  fill_config (self, s, &cfg);
  a->monitor = avm_audio_monitor_new (&cfg, format,
      GST_AUDIO_INFO_LAYOUT (info) == GST_AUDIO_LAYOUT_INTERLEAVED, channels,
      GST_AUDIO_INFO_RATE (info), weights, have_groups ? groups : NULL,
      on_span, self);
  if (a->monitor == NULL) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot analyse %s audio, %u channels at %d Hz.",
            GST_AUDIO_INFO_NAME (info), channels, GST_AUDIO_INFO_RATE (info)),
        (NULL));
    return FALSE;
  }
  a->info = *info;
  a->rms = g_new0 (gdouble, channels);
  a->peak = g_new0 (gdouble, channels);
  a->tp = g_new0 (gdouble, channels);
  a->position = 0;
  a->base_pts = GST_CLOCK_TIME_NONE;
  a->base_pos = 0;
  a->next_pts = GST_CLOCK_TIME_NONE;
  a->seen_buffer = FALSE;
  a->stats_start_pos = 0;
  a->ready = TRUE;
  self->span_time_running = FALSE;
  GST_INFO_OBJECT (self, "watching %s audio, %u channels at %d Hz",
      GST_AUDIO_INFO_NAME (info), channels, GST_AUDIO_INFO_RATE (info));
  return TRUE;
}

void
avqd_audio_reset (GstAvQualityDetect * self)
{
  AvqdAudio *a = &self->audio;

  if (!a->ready)
    return;
  a->base_pts = GST_CLOCK_TIME_NONE;
  a->next_pts = GST_CLOCK_TIME_NONE;
  a->seen_buffer = FALSE;
  a->stats_start_pos = a->position;
}

static void
set_array (GstStructure * s, const gchar * field, const gdouble * values,
    guint n)
{
  GValue arr = G_VALUE_INIT, v = G_VALUE_INIT;
  guint i;

  g_value_init (&arr, GST_TYPE_ARRAY);
  g_value_init (&v, G_TYPE_DOUBLE);
  for (i = 0; i < n; i++) {
    g_value_set_double (&v, values[i]);
    gst_value_array_append_value (&arr, &v);
  }
  gst_structure_take_value (s, field, &arr);
  g_value_unset (&v);
}

/* avmonitor-stats, every interval of samples, and once more at EOS. */
void
avqd_audio_post_stats (GstAvQualityDetect * self, gboolean force)
{
  AvqdAudio *a = &self->audio;
  GstClockTime interval, ts, dur;
  guint64 interval_samples, n;
  guint channels;
  AvmLoudness *l;
  GstStructure *s;
  gdouble tp;

  if (!a->ready)
    return;
  interval = self->stats_interval;
  if (interval == 0)
    return;
  interval_samples = gst_util_uint64_scale (interval,
      GST_AUDIO_INFO_RATE (&a->info), GST_SECOND);
  n = a->position - a->stats_start_pos;
  if (n == 0 || (!force && n < MAX (interval_samples, 1)))
    return;

  channels = GST_AUDIO_INFO_CHANNELS (&a->info);
  avm_audio_monitor_take_levels (a->monitor, a->rms, a->peak);
  tp = avm_true_peak_take_interval (avm_audio_monitor_true_peak (a->monitor),
      a->tp);
  l = avm_audio_monitor_loudness (a->monitor, 0);

  s = gst_structure_new_empty (GST_AV_MONITOR_STATS_NAME);
  set_array (s, GST_AV_MONITOR_STATS_RMS, a->rms, channels);
  set_array (s, GST_AV_MONITOR_STATS_PEAK, a->peak, channels);
  gst_structure_set (s,
      GST_AV_MONITOR_STATS_MOMENTARY_LOUDNESS, G_TYPE_DOUBLE,
      avm_loudness_momentary (l),
      GST_AV_MONITOR_STATS_SHORT_TERM_LOUDNESS, G_TYPE_DOUBLE,
      avm_loudness_short_term (l),
      GST_AV_MONITOR_STATS_INTEGRATED_LOUDNESS, G_TYPE_DOUBLE,
      avm_loudness_integrated (l),
      GST_AV_MONITOR_STATS_LOUDNESS_RANGE, G_TYPE_DOUBLE,
      avm_loudness_range (l),
      GST_AV_MONITOR_STATS_TRUE_PEAK, G_TYPE_DOUBLE, tp, NULL);
  ts = position_to_pts (self, a->stats_start_pos);
  dur = gst_util_uint64_scale_int (n, GST_SECOND,
      GST_AUDIO_INFO_RATE (&a->info));
  avqd_stats_fill_times (self, s, ts, dur);
  g_queue_push_tail (&self->pending_messages, s);
  a->stats_start_pos = a->position;
}

/* Timestamp gaps and overlaps beyond the tolerance, and DISCONT flags. */
static void
check_continuity (GstAvQualityDetect * self, const AvqdSettings * s,
    GstBuffer * buf, GstClockTime pts)
{
  AvqdAudio *a = &self->audio;
  GstClockTime tolerance = s[AVQD_DISCONTINUITY].threshold * GST_MSECOND;
  GstClockTimeDiff diff;
  gboolean discont = FALSE;
  GstStructure *details;

  if (!GST_CLOCK_TIME_IS_VALID (pts)) {
    return;
  }
  if (!a->seen_buffer || !GST_CLOCK_TIME_IS_VALID (a->next_pts)) {
    a->base_pts = pts;
    a->base_pos = a->position;
    return;
  }
  diff = GST_CLOCK_DIFF (a->next_pts, pts);
  if ((GstClockTime) ABS (diff) > tolerance) {
    discont = TRUE;
    if (s[AVQD_DISCONTINUITY].enabled) {
      details = gst_structure_new ("details", "cause", G_TYPE_STRING,
          diff > 0 ? "gap" : "overlap", NULL);
      /* a gap covers the missing interval; an overlap is a point */
      avqd_span_complete (self, AVQD_DISCONTINUITY,
          diff > 0 ? a->next_pts : pts, pts, diff / 1e6,
          s[AVQD_DISCONTINUITY].threshold, "ms", details);
    }
  } else if (buf && GST_BUFFER_IS_DISCONT (buf)) {
    discont = TRUE;
    if (s[AVQD_DISCONTINUITY].enabled) {
      details = gst_structure_new ("details", "cause", G_TYPE_STRING,
          "discont-flag", NULL);
      avqd_span_complete (self, AVQD_DISCONTINUITY, pts, pts, diff / 1e6,
          s[AVQD_DISCONTINUITY].threshold, "ms", details);
    }
  }
  if (discont) {
    /* the monitor takes its input as contiguous: what was open ends at the
     * break, and sample positions map to the new timestamps from here */
    avm_audio_monitor_finish (a->monitor);
    a->base_pts = pts;
    a->base_pos = a->position;
  }
}

GstFlowReturn
avqd_audio_process (GstAvQualityDetect * self, GstBuffer * buf)
{
  AvqdAudio *a = &self->audio;
  AvqdSettings s[AVQD_N_KINDS];
  gboolean changed;
  GstAudioBuffer abuf;
  GstClockTime pts = GST_BUFFER_PTS (buf);
  gsize frames;

  if (!a->ready)
    return GST_FLOW_OK;

  avqd_get_settings (self, s, &changed);
  if (changed) {
    AvmAudioMonitorConfig cfg;

    fill_config (self, s, &cfg);
    avm_audio_monitor_set_config (a->monitor, &cfg);
  }

  check_continuity (self, s, buf, pts);

  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP)) {
    /* silence by contract: not read */
    frames = gst_buffer_get_size (buf) / GST_AUDIO_INFO_BPF (&a->info);
    avm_audio_monitor_process_silence (a->monitor, frames, a->position);
  } else {
    if (!gst_audio_buffer_map (&abuf, &a->info, buf, GST_MAP_READ)) {
      GST_ELEMENT_WARNING (self, STREAM, FORMAT,
          ("An audio buffer does not match its caps; it was not analysed."),
          ("buffer %" GST_PTR_FORMAT, buf));
      return GST_FLOW_OK;
    }
    frames = abuf.n_samples;
    if (frames > 0)
      avm_audio_monitor_process (a->monitor,
          (const void *const *) abuf.planes, frames, a->position);
    gst_audio_buffer_unmap (&abuf);
  }
  a->position += frames;
  a->seen_buffer = TRUE;
  /* from the anchor, not buffer by buffer: no rounding drift */
  a->next_pts = position_to_pts (self, a->position);

  avqd_audio_post_stats (self, FALSE);
  return GST_FLOW_OK;
}

void
avqd_audio_gap (GstAvQualityDetect * self, GstClockTime ts,
    GstClockTime duration)
{
  AvqdAudio *a = &self->audio;
  guint64 frames;
  AvqdSettings s[AVQD_N_KINDS];
  gboolean changed;
  GstClockTime cap;
  guint64 max_frames;

  if (!a->ready || !GST_CLOCK_TIME_IS_VALID (duration))
    return;
  avqd_get_settings (self, s, &changed);
  if (changed) {
    AvmAudioMonitorConfig cfg;

    fill_config (self, s, &cfg);
    avm_audio_monitor_set_config (a->monitor, &cfg);
  }
  /* a GAP that starts later than expected leaves a hole before it */
  check_continuity (self, s, NULL, ts);
  frames = gst_util_uint64_scale (duration, GST_AUDIO_INFO_RATE (&a->info),
      GST_SECOND);
  if (frames == 0)
    return;
  /* Sparse and live streams send long GAPs (hours): feed only what the
   * detectors need to reach a verdict, then move the time base past the
   * rest, so the work does not grow with the GAP. */
  cap = MAX (MAX (s[AVQD_SILENCE].duration, s[AVQD_CHANNEL_SILENCE].duration),
      MAX (s[AVQD_LOUDNESS].duration, s[AVQD_DROPOUT].duration));
  cap = MIN (cap, 60 * GST_SECOND) + 3 * GST_SECOND;
  max_frames = gst_util_uint64_scale (cap, GST_AUDIO_INFO_RATE (&a->info),
      GST_SECOND);
  if (frames > max_frames) {
    avm_audio_monitor_process_silence (a->monitor, max_frames, a->position);
    a->position += max_frames;
    if (GST_CLOCK_TIME_IS_VALID (ts) && duration <= G_MAXUINT64 - 1 - ts) {
      a->base_pts = ts + duration;
      a->base_pos = a->position;
    }
  } else {
    avm_audio_monitor_process_silence (a->monitor, frames, a->position);
    a->position += frames;
  }
  a->seen_buffer = TRUE;
  a->next_pts = position_to_pts (self, a->position);
  avqd_audio_post_stats (self, FALSE);
}

void
avqd_audio_finish (GstAvQualityDetect * self)
{
  AvqdAudio *a = &self->audio;
  guint g;

  if (!a->ready)
    return;
  avm_audio_monitor_finish (a->monitor);
  /* whatever the monitor did not end itself */
  for (g = 0; g < AVM_AUDIO_MONITOR_MAX_GROUPS; g++)
    if (a->loudness[g].open)
      avqd_span_end_in (self, &a->loudness[g],
          position_to_pts (self, a->position), NAN, TRUE, NULL, NULL);
}
