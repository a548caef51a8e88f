/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* avqualitydetect's insides, shared by the element (gstavqualitydetect.c)
 * and its two adapters (avqd-video.c, avqd-audio.c). The adapters map the
 * media, call gst/analysis and turn the detectors' span edges into defects
 * with avqd_span_start()/avqd_span_end(); the element posts and pushes them
 * once the buffer is done, with no lock held. */

#ifndef __AVQD_PRIVATE_H__
#define __AVQD_PRIVATE_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/audio/audio.h>

#include "gstavqualitydetect.h"
#include "avmonitor.h"

#include "videoanalysis.h"
#include "audiomonitor.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (av_quality_detect_debug);

typedef enum
{
  AVQD_FREEZE,
  AVQD_BLACK,
  AVQD_UNIFORM,
  AVQD_BLOCK_CORRUPTION,
  AVQD_FRAME_GAP,
  AVQD_DISCONTINUITY,
  AVQD_SILENCE,
  AVQD_CHANNEL_SILENCE,
  AVQD_CLIPPING,
  AVQD_DROPOUT,
  AVQD_LOUDNESS,
  AVQD_TRUE_PEAK,
  AVQD_STALL,
  AVQD_N_KINDS
} AvqdKind;

typedef struct
{
  gboolean enabled;
  gdouble threshold;
  GstClockTime duration;
} AvqdSettings;

/* One open span of the element: what it needs to write the end edge. */
typedef struct
{
  gboolean open;
  guint64 id;
  GstClockTime start_ts, start_st, start_rt;
  GstAvMonitorDefect *start;    /* the start edge, for the end's fields */
} AvqdSpan;

typedef enum
{
  AVQD_MEDIA_NONE,
  AVQD_MEDIA_VIDEO,
  AVQD_MEDIA_AUDIO,
} AvqdMedia;

typedef struct
{
  GstClockTime start_rt;        /* running time the interval began */
  guint64 frames;
  gdouble luma, motion, blockiness, black;
} AvqdVideoStats;

typedef struct
{
  gboolean ready;
  GstVideoInfo info;
  AvmVideoAnalysis analysis;
  AvqdVideoStats stats;
} AvqdVideo;

typedef struct
{
  gboolean ready;
  GstAudioInfo info;
  AvmAudioMonitor *monitor;
  guint64 position;             /* samples fed to the monitor */
  /* pts of sample position base_pos: maps detector positions to time */
  GstClockTime base_pts;
  guint64 base_pos;
  GstClockTime next_pts;        /* expected timestamp of the next buffer */
  gboolean seen_buffer;
  guint64 stats_start_pos;
  gdouble *rms, *peak, *tp;
  guint64 discont_count;
  /* short-term loudness spans, one per channel group */
  AvqdSpan loudness[AVM_AUDIO_MONITOR_MAX_GROUPS];
} AvqdAudio;

struct _GstAvQualityDetect
{
  GstBaseTransform parent;

  /* properties, under the object lock */
  AvqdSettings settings[AVQD_N_KINDS];
  gdouble black_pixel_threshold;
  GstClockTime block_corruption_hold;
  gdouble block_corruption_texture;
  guint block_corruption_texture_max_pixels;
  gboolean block_corruption_scan;
  guint block_corruption_scan_max_pixels;
  gboolean block_corruption_repeat;
  gboolean block_corruption_stand;
  GstClockTime interval;
  GstClockTime stall_timeout;
  GstAvQualityDetectLoudnessProfile loudness_profile;
  gdouble loudness_target;
  gdouble loudness_tolerance;
  gdouble true_peak_ceiling;
  gchar *loudness_groups;
  gboolean settings_changed;    /* detectors re-read the settings */

  /* streaming thread's copy of `interval`, taken with the settings, so
   * the per-buffer path takes the object lock once */
  GstClockTime stats_interval;

  /* streaming thread */
  AvqdMedia media;
  /* the adapter gives span times as running time (video: its analysis runs
   * on running time, monotonic across segments) rather than PTS (audio) */
  gboolean span_time_running;
  gchar *stream_id;
  guint64 next_id;
  AvqdSpan spans[AVQD_N_KINDS];
  GQueue pending;               /* of GstAvMonitorDefect, to post and push */
  GQueue pending_messages;      /* of GstStructure, stats to post */
  AvqdVideo video;
  AvqdAudio audio;
  gboolean eos;

  /* stall watch: the clock callback only posts and sets flags */
  GMutex stall_lock;
  GstClockID stall_clock_id;
  gint64 last_buffer_us;        /* monotonic arrival of the last buffer */
  GstClockTime last_end_ts;     /* end of the last buffer, ns */
  gboolean stalled;             /* start posted on the bus */
  GstAvMonitorDefect *stall_start;      /* that start, for the in-band copy */
  gchar *warned_caps;           /* last refused caps warned about */
  guint64 stall_id;
  GstClockTime stall_start_ts, stall_start_st, stall_start_rt;
};

/* element helpers for the adapters */
G_GNUC_INTERNAL void avqd_span_start (GstAvQualityDetect * self, AvqdKind kind,
    GstClockTime ts, gdouble value, gdouble threshold, const gchar * unit,
    gdouble confidence, GstStructure * details, const AvmRect * region);
G_GNUC_INTERNAL void avqd_span_end (GstAvQualityDetect * self, AvqdKind kind,
    GstClockTime ts, gdouble value, gboolean truncated,
    GstStructure * details, const AvmRect * region);
G_GNUC_INTERNAL void avqd_span_start_in (GstAvQualityDetect * self,
    AvqdKind kind, AvqdSpan * span, GstClockTime ts, gdouble value,
    gdouble threshold, const gchar * unit, gdouble confidence,
    GstStructure * details, const AvmRect * region);
G_GNUC_INTERNAL void avqd_span_end_in (GstAvQualityDetect * self,
    AvqdSpan * span, GstClockTime ts, gdouble value, gboolean truncated,
    GstStructure * details, const AvmRect * region);
/* a span that is over as soon as it is known (gaps, discontinuities) */
G_GNUC_INTERNAL void avqd_span_complete (GstAvQualityDetect * self,
    AvqdKind kind, GstClockTime start, GstClockTime end, gdouble value,
    gdouble threshold, const gchar * unit, GstStructure * details);
G_GNUC_INTERNAL void avqd_get_settings (GstAvQualityDetect * self,
    AvqdSettings * settings, gboolean * changed);
G_GNUC_INTERNAL void avqd_stats_fill_times (GstAvQualityDetect * self,
    GstStructure * s, GstClockTime ts, GstClockTime duration);

/* video adapter */
G_GNUC_INTERNAL gboolean avqd_video_configure (GstAvQualityDetect * self,
    const GstVideoInfo * info);
G_GNUC_INTERNAL GstFlowReturn avqd_video_process (GstAvQualityDetect * self,
    GstBuffer * buf);
G_GNUC_INTERNAL void avqd_video_gap (GstAvQualityDetect * self,
    GstClockTime ts, GstClockTime duration);
G_GNUC_INTERNAL void avqd_video_finish (GstAvQualityDetect * self,
    GstClockTime end);
G_GNUC_INTERNAL void avqd_video_reset (GstAvQualityDetect * self);
G_GNUC_INTERNAL void avqd_video_clear (GstAvQualityDetect * self);
G_GNUC_INTERNAL void avqd_video_post_stats (GstAvQualityDetect * self);

/* audio adapter */
G_GNUC_INTERNAL gboolean avqd_audio_configure (GstAvQualityDetect * self,
    const GstAudioInfo * info);
G_GNUC_INTERNAL GstFlowReturn avqd_audio_process (GstAvQualityDetect * self,
    GstBuffer * buf);
G_GNUC_INTERNAL void avqd_audio_gap (GstAvQualityDetect * self,
    GstClockTime ts, GstClockTime duration);
G_GNUC_INTERNAL void avqd_audio_finish (GstAvQualityDetect * self);
G_GNUC_INTERNAL void avqd_audio_reset (GstAvQualityDetect * self);
G_GNUC_INTERNAL void avqd_audio_clear (GstAvQualityDetect * self);
G_GNUC_INTERNAL void avqd_audio_post_stats (GstAvQualityDetect * self,
    gboolean force);

G_END_DECLS

#endif /* __AVQD_PRIVATE_H__ */
