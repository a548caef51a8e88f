/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_AV_MONITOR_DEFECT_H__
#define __GST_AV_MONITOR_DEFECT_H__

#include "avmonitor-prelude.h"
#include "avmonitor-types.h"
#include "avmonitor-enumtypes.h"

G_BEGIN_DECLS

/* Structure names of the messages and events (the stable contract). */
#define GST_AV_MONITOR_DEFECT_NAME   "avmonitor-defect"
#define GST_AV_MONITOR_STATS_NAME    "avmonitor-stats"
#define GST_AV_MONITOR_SYNC_NAME     "avmonitor-sync"
#define GST_AV_MONITOR_SUMMARY_NAME  "avmonitor-summary"
#define GST_AV_MONITOR_INJECTED_NAME "avmonitor-injected"

/* Fields of the avmonitor-defect structure. */
#define GST_AV_MONITOR_FIELD_KIND               "kind"
#define GST_AV_MONITOR_FIELD_EVENT              "event"
#define GST_AV_MONITOR_FIELD_SOURCE             "source"
#define GST_AV_MONITOR_FIELD_ID                 "id"
#define GST_AV_MONITOR_FIELD_STREAM_TYPE        "stream-type"
#define GST_AV_MONITOR_FIELD_STREAM_ID          "stream-id"
#define GST_AV_MONITOR_FIELD_TIMESTAMP          "timestamp"
#define GST_AV_MONITOR_FIELD_STREAM_TIME        "stream-time"
#define GST_AV_MONITOR_FIELD_RUNNING_TIME       "running-time"
#define GST_AV_MONITOR_FIELD_DURATION           "duration"
#define GST_AV_MONITOR_FIELD_START_TIMESTAMP    "start-timestamp"
#define GST_AV_MONITOR_FIELD_START_STREAM_TIME  "start-stream-time"
#define GST_AV_MONITOR_FIELD_START_RUNNING_TIME "start-running-time"
#define GST_AV_MONITOR_FIELD_SEVERITY           "severity"
#define GST_AV_MONITOR_FIELD_VALUE              "value"
#define GST_AV_MONITOR_FIELD_THRESHOLD          "threshold"
#define GST_AV_MONITOR_FIELD_UNIT               "unit"
#define GST_AV_MONITOR_FIELD_CONFIDENCE         "confidence"
#define GST_AV_MONITOR_FIELD_TRUNCATED          "truncated"
#define GST_AV_MONITOR_FIELD_X                  "x"
#define GST_AV_MONITOR_FIELD_Y                  "y"
#define GST_AV_MONITOR_FIELD_WIDTH              "width"
#define GST_AV_MONITOR_FIELD_HEIGHT             "height"
#define GST_AV_MONITOR_FIELD_DETAILS            "details"

/* Well-known fields of the details structure (docs/defects.md). */
#define GST_AV_MONITOR_DETAIL_PARTIAL         "partial"
#define GST_AV_MONITOR_DETAIL_MOVING_RATIO    "moving-ratio"
#define GST_AV_MONITOR_DETAIL_AREA            "area"
#define GST_AV_MONITOR_DETAIL_CHANNEL_MASK    "channel-mask"
#define GST_AV_MONITOR_DETAIL_CLIPPED_SAMPLES "clipped-samples"
#define GST_AV_MONITOR_DETAIL_SUBKIND         "subkind"

/* Fields of avmonitor-stats (besides timestamp, stream-time, running-time,
 * duration). Video: */
#define GST_AV_MONITOR_STATS_LUMA_MEAN           "luma-mean"
#define GST_AV_MONITOR_STATS_MOTION              "motion"
#define GST_AV_MONITOR_STATS_BLOCKINESS          "blockiness"
#define GST_AV_MONITOR_STATS_BLACK_RATIO         "black-ratio"
#define GST_AV_MONITOR_STATS_FRAMES              "frames"
#define GST_AV_MONITOR_STATS_FPS                 "fps"
/* Audio (rms and peak: GST_TYPE_ARRAY of gdouble dBFS, one per channel): */
#define GST_AV_MONITOR_STATS_RMS                 "rms"
#define GST_AV_MONITOR_STATS_PEAK                "peak"
#define GST_AV_MONITOR_STATS_MOMENTARY_LOUDNESS  "momentary-loudness"
#define GST_AV_MONITOR_STATS_SHORT_TERM_LOUDNESS "short-term-loudness"
#define GST_AV_MONITOR_STATS_INTEGRATED_LOUDNESS "integrated-loudness"
#define GST_AV_MONITOR_STATS_LOUDNESS_RANGE      "loudness-range"
#define GST_AV_MONITOR_STATS_TRUE_PEAK           "true-peak"

/* Fields of avmonitor-sync (message, and in-band event for defectsink). */
#define GST_AV_MONITOR_SYNC_VALID      "valid"
#define GST_AV_MONITOR_SYNC_OFFSET     "offset"
#define GST_AV_MONITOR_SYNC_OFFSET_MS  "offset-ms"
#define GST_AV_MONITOR_SYNC_CONFIDENCE "confidence"
#define GST_AV_MONITOR_SYNC_METHOD     "method"
#define GST_AV_MONITOR_SYNC_N_EVENTS   "n-events"
#define GST_AV_MONITOR_SYNC_STDDEV_MS  "stddev-ms"
#define GST_AV_MONITOR_SYNC_DRIFT_PPM  "drift-ppm"

/* Fields of avmonitor-summary. */
#define GST_AV_MONITOR_SUMMARY_JSON     "json"
#define GST_AV_MONITOR_SUMMARY_DEFECTS  "defects"
#define GST_AV_MONITOR_SUMMARY_ERRORS   "errors"
#define GST_AV_MONITOR_SUMMARY_WARNINGS "warnings"
#define GST_AV_MONITOR_SUMMARY_DURATION "duration"

/**
 * GstAvMonitorDefect:
 *
 * One edge (start or end) of a defect span, as carried by the
 * `avmonitor-defect` element message and custom downstream event. Opaque:
 * use the accessors.
 */
typedef struct _GstAvMonitorDefect GstAvMonitorDefect;

#define GST_TYPE_AV_MONITOR_DEFECT (gst_av_monitor_defect_get_type ())

GST_AV_MONITOR_API
GType gst_av_monitor_defect_get_type (void);

GST_AV_MONITOR_API
GstAvMonitorDefect * gst_av_monitor_defect_new (GstAvMonitorDefectKind kind,
    GstAvMonitorDefectEvent event, const gchar * source, guint64 id);

GST_AV_MONITOR_API
GstAvMonitorDefect * gst_av_monitor_defect_copy (const GstAvMonitorDefect * defect);

GST_AV_MONITOR_API
void gst_av_monitor_defect_free (GstAvMonitorDefect * defect);

/* conversions */

GST_AV_MONITOR_API
GstStructure * gst_av_monitor_defect_to_structure (const GstAvMonitorDefect * defect);

GST_AV_MONITOR_API
GstAvMonitorDefect * gst_av_monitor_defect_new_from_structure (const GstStructure * structure);

GST_AV_MONITOR_API
gchar * gst_av_monitor_defect_to_json (const GstAvMonitorDefect * defect,
    GDateTime * utc_start, GDateTime * utc_end);

GST_AV_MONITOR_API
GstMessage * gst_av_monitor_defect_new_message (const GstAvMonitorDefect * defect,
    GstObject * src);

GST_AV_MONITOR_API
gboolean gst_av_monitor_defect_post (const GstAvMonitorDefect * defect,
    GstElement * element);

GST_AV_MONITOR_API
GstEvent * gst_av_monitor_defect_new_event (const GstAvMonitorDefect * defect);

GST_AV_MONITOR_API
GstAvMonitorDefect * gst_av_monitor_defect_new_from_message (GstMessage * message);

GST_AV_MONITOR_API
GstAvMonitorDefect * gst_av_monitor_defect_new_from_event (GstEvent * event);

GST_AV_MONITOR_API
gboolean gst_av_monitor_structure_is_defect (const GstStructure * structure);

/* The same as the new_from_* constructors, as plain functions: language
 * bindings raise on a constructor that returns NULL, these return None. */
GST_AV_MONITOR_API
GstAvMonitorDefect * gst_av_monitor_defect_parse_message (GstMessage * message);

GST_AV_MONITOR_API
GstAvMonitorDefect * gst_av_monitor_defect_parse_event (GstEvent * event);

GST_AV_MONITOR_API
GstAvMonitorDefect * gst_av_monitor_defect_parse_structure (const GstStructure * structure);

/* enum <-> nick */

GST_AV_MONITOR_API
const gchar * gst_av_monitor_defect_kind_to_string (GstAvMonitorDefectKind kind);

GST_AV_MONITOR_API
GstAvMonitorDefectKind gst_av_monitor_defect_kind_from_string (const gchar * nick);

GST_AV_MONITOR_API
const gchar * gst_av_monitor_severity_to_string (GstAvMonitorSeverity severity);

GST_AV_MONITOR_API
gboolean gst_av_monitor_severity_from_string (const gchar * nick,
    GstAvMonitorSeverity * severity);

GST_AV_MONITOR_API
GstAvMonitorSeverity gst_av_monitor_defect_kind_default_severity (GstAvMonitorDefectKind kind);

GST_AV_MONITOR_API
const gchar * gst_av_monitor_stream_type_to_string (GstAvMonitorStreamType type);

GST_AV_MONITOR_API
GstAvMonitorStreamType gst_av_monitor_stream_type_from_string (const gchar * nick);

/* accessors */

GST_AV_MONITOR_API
GstAvMonitorDefectKind gst_av_monitor_defect_get_kind (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_kind (GstAvMonitorDefect * defect, GstAvMonitorDefectKind kind);

GST_AV_MONITOR_API
const gchar * gst_av_monitor_defect_get_kind_nick (const GstAvMonitorDefect * defect);

GST_AV_MONITOR_API
GstAvMonitorDefectEvent gst_av_monitor_defect_get_event (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_event (GstAvMonitorDefect * defect, GstAvMonitorDefectEvent event);

GST_AV_MONITOR_API
const gchar * gst_av_monitor_defect_get_source (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_source (GstAvMonitorDefect * defect, const gchar * source);

GST_AV_MONITOR_API
guint64 gst_av_monitor_defect_get_id (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_id (GstAvMonitorDefect * defect, guint64 id);

GST_AV_MONITOR_API
GstAvMonitorStreamType gst_av_monitor_defect_get_stream_type (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_stream_type (GstAvMonitorDefect * defect, GstAvMonitorStreamType type);

GST_AV_MONITOR_API
const gchar * gst_av_monitor_defect_get_stream_id (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_stream_id (GstAvMonitorDefect * defect, const gchar * stream_id);

GST_AV_MONITOR_API
void gst_av_monitor_defect_set_times (GstAvMonitorDefect * defect,
    GstClockTime timestamp, GstClockTime stream_time, GstClockTime running_time);
GST_AV_MONITOR_API
GstClockTime gst_av_monitor_defect_get_timestamp (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
GstClockTime gst_av_monitor_defect_get_stream_time (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
GstClockTime gst_av_monitor_defect_get_running_time (const GstAvMonitorDefect * defect);

GST_AV_MONITOR_API
void gst_av_monitor_defect_set_start_times (GstAvMonitorDefect * defect,
    GstClockTime timestamp, GstClockTime stream_time, GstClockTime running_time);
GST_AV_MONITOR_API
GstClockTime gst_av_monitor_defect_get_start_timestamp (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
GstClockTime gst_av_monitor_defect_get_start_stream_time (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
GstClockTime gst_av_monitor_defect_get_start_running_time (const GstAvMonitorDefect * defect);

GST_AV_MONITOR_API
GstClockTime gst_av_monitor_defect_get_duration (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_duration (GstAvMonitorDefect * defect, GstClockTime duration);

GST_AV_MONITOR_API
GstAvMonitorSeverity gst_av_monitor_defect_get_severity (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_severity (GstAvMonitorDefect * defect, GstAvMonitorSeverity severity);

GST_AV_MONITOR_API
gdouble gst_av_monitor_defect_get_value (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
gdouble gst_av_monitor_defect_get_threshold (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
const gchar * gst_av_monitor_defect_get_unit (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_measure (GstAvMonitorDefect * defect,
    gdouble value, gdouble threshold, const gchar * unit);

GST_AV_MONITOR_API
gdouble gst_av_monitor_defect_get_confidence (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_confidence (GstAvMonitorDefect * defect, gdouble confidence);

GST_AV_MONITOR_API
gboolean gst_av_monitor_defect_get_truncated (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_truncated (GstAvMonitorDefect * defect, gboolean truncated);

GST_AV_MONITOR_API
gboolean gst_av_monitor_defect_get_region (const GstAvMonitorDefect * defect,
    gint * x, gint * y, gint * width, gint * height);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_region (GstAvMonitorDefect * defect,
    gint x, gint y, gint width, gint height);
GST_AV_MONITOR_API
void gst_av_monitor_defect_unset_region (GstAvMonitorDefect * defect);

GST_AV_MONITOR_API
const GstStructure * gst_av_monitor_defect_get_details (const GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
GstStructure * gst_av_monitor_defect_writable_details (GstAvMonitorDefect * defect);
GST_AV_MONITOR_API
void gst_av_monitor_defect_set_details (GstAvMonitorDefect * defect,
    GstStructure * details);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstAvMonitorDefect, gst_av_monitor_defect_free)

G_END_DECLS

#endif /* __GST_AV_MONITOR_DEFECT_H__ */
