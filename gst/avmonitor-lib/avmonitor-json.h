/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* A small JSON writer shared by the library and the plugin. Not public API:
 * it is linked statically into both, with hidden visibility.
 *
 * Policy: strings are escaped per RFC 8259 (control characters as \uXXXX,
 * invalid UTF-8 replaced by U+FFFD); non-finite doubles (NaN, +-inf) have no
 * JSON form and are written as null; doubles use the shortest form that reads
 * back to the same double; times are seconds written exactly from
 * nanoseconds. */

#ifndef __GST_AV_MONITOR_JSON_H__
#define __GST_AV_MONITOR_JSON_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct
{
  GString *str;
  /* one flag per open object/array level: nothing written yet */
  guint depth;
  gboolean empty[32];
  gboolean after_key;
  guint overflow;               /* levels too deep, written as null */
} GstAvMonitorJson;

G_GNUC_INTERNAL void gst_av_monitor_json_init (GstAvMonitorJson * json, GString * str);

G_GNUC_INTERNAL void gst_av_monitor_json_begin_object (GstAvMonitorJson * json);
G_GNUC_INTERNAL void gst_av_monitor_json_end_object (GstAvMonitorJson * json);
G_GNUC_INTERNAL void gst_av_monitor_json_begin_array (GstAvMonitorJson * json);
G_GNUC_INTERNAL void gst_av_monitor_json_end_array (GstAvMonitorJson * json);

/* Starts a member of the current object; the value call follows. */
G_GNUC_INTERNAL void gst_av_monitor_json_key (GstAvMonitorJson * json, const gchar * key);

G_GNUC_INTERNAL void gst_av_monitor_json_string (GstAvMonitorJson * json, const gchar * s);
G_GNUC_INTERNAL void gst_av_monitor_json_null (GstAvMonitorJson * json);
G_GNUC_INTERNAL void gst_av_monitor_json_boolean (GstAvMonitorJson * json, gboolean b);
G_GNUC_INTERNAL void gst_av_monitor_json_int64 (GstAvMonitorJson * json, gint64 v);
G_GNUC_INTERNAL void gst_av_monitor_json_uint64 (GstAvMonitorJson * json, guint64 v);
G_GNUC_INTERNAL void gst_av_monitor_json_double (GstAvMonitorJson * json, gdouble v);
/* GST_CLOCK_TIME_NONE -> null, else exact decimal seconds */
G_GNUC_INTERNAL void gst_av_monitor_json_seconds (GstAvMonitorJson * json, GstClockTime t);
/* nanoseconds as an integer, GST_CLOCK_TIME_NONE -> null */
G_GNUC_INTERNAL void gst_av_monitor_json_clock_time (GstAvMonitorJson * json, GstClockTime t);
/* ISO 8601 UTC with milliseconds, NULL -> null */
G_GNUC_INTERNAL void gst_av_monitor_json_date_time (GstAvMonitorJson * json, GDateTime * dt);
/* Any GValue a GstStructure holds: numbers, strings, booleans, enums (nick),
 * nested structures (objects), GST_TYPE_ARRAY/LIST (arrays); others as their
 * serialised string. Field names stay as they are. */
G_GNUC_INTERNAL void gst_av_monitor_json_value (GstAvMonitorJson * json, const GValue * value);
G_GNUC_INTERNAL void gst_av_monitor_json_structure (GstAvMonitorJson * json, const GstStructure * s);

/* Appends the snake_case form of a dashed name ("stream-type" -> "stream_type"). */
G_GNUC_INTERNAL void gst_av_monitor_json_key_snake (GstAvMonitorJson * json, const gchar * name);

G_END_DECLS

#endif /* __GST_AV_MONITOR_JSON_H__ */
