/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:gstavmonitordefect
 * @title: GstAvMonitorDefect
 * @short_description: one edge of a defect span, and its message, event,
 *   structure and JSON forms
 *
 * Every gst-avmonitor element reports a defect as a span with a start and
 * an end. Each edge travels as an element message on the bus and as a
 * serialized custom downstream event, both carrying the same
 * `avmonitor-defect` #GstStructure. #GstAvMonitorDefect is that structure as
 * a record: build one, post it, push it, or read one back from a message or
 * an event. The round trip record -> structure -> record is lossless, and
 * the parser accepts any integer type for integer fields, since structures
 * built from Python or from strings carry gint.
 *
 * |[<!-- language="C" -->
 * GstAvMonitorDefect *d = gst_av_monitor_defect_new_from_message (msg);
 * if (d) {
 *   g_print ("%s %s at %" GST_TIME_FORMAT "\n",
 *       gst_av_monitor_defect_get_kind_nick (d),
 *       gst_av_monitor_defect_get_event (d) ==
 *       GST_AV_MONITOR_DEFECT_EVENT_START ? "start" : "end",
 *       GST_TIME_ARGS (gst_av_monitor_defect_get_stream_time (d)));
 *   gst_av_monitor_defect_free (d);
 * }
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "avmonitor-defect.h"
#include "avmonitor-json.h"

#include <math.h>

struct _GstAvMonitorDefect
{
  GstAvMonitorDefectKind kind;
  /* the nick as read, kept so an unknown kind survives a round trip */
  gchar *kind_nick;
  GstAvMonitorDefectEvent event;
  gchar *source;
  guint64 id;
  GstAvMonitorStreamType stream_type;
  gchar *stream_id;

  GstClockTime timestamp;
  GstClockTime stream_time;
  GstClockTime running_time;
  GstClockTime duration;
  GstClockTime start_timestamp;
  GstClockTime start_stream_time;
  GstClockTime start_running_time;

  GstAvMonitorSeverity severity;
  gdouble value;
  gdouble threshold;
  gchar *unit;
  gdouble confidence;
  gboolean truncated;

  gboolean has_region;
  gint x, y, width, height;

  GstStructure *details;
};

G_DEFINE_BOXED_TYPE (GstAvMonitorDefect, gst_av_monitor_defect,
    gst_av_monitor_defect_copy, gst_av_monitor_defect_free);

/* enum <-> nick */

static const gchar *
enum_nick (GType type, gint value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);
  const gchar *nick = ev ? ev->value_nick : NULL;

  /* enum classes are static once referenced: the nick stays valid */
  g_type_class_unref (klass);
  return nick;
}

static gboolean
enum_from_nick (GType type, const gchar * nick, gint * value)
{
  GEnumClass *klass;
  GEnumValue *ev;

  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  ev = g_enum_get_value_by_nick (klass, nick);
  if (ev)
    *value = ev->value;
  g_type_class_unref (klass);
  return ev != NULL;
}

/**
 * gst_av_monitor_defect_kind_to_string:
 * @kind: a #GstAvMonitorDefectKind
 *
 * Returns: (transfer none): the nick of @kind, e.g. "block-corruption"
 */
const gchar *
gst_av_monitor_defect_kind_to_string (GstAvMonitorDefectKind kind)
{
  const gchar *nick = enum_nick (GST_TYPE_AV_MONITOR_DEFECT_KIND, kind);

  return nick ? nick : "unknown";
}

/**
 * gst_av_monitor_defect_kind_from_string:
 * @nick: (nullable): a kind nick such as "freeze"
 *
 * Returns: the kind, or %GST_AV_MONITOR_DEFECT_KIND_UNKNOWN for a nick this
 *   version does not know
 */
GstAvMonitorDefectKind
gst_av_monitor_defect_kind_from_string (const gchar * nick)
{
  gint v;

  if (enum_from_nick (GST_TYPE_AV_MONITOR_DEFECT_KIND, nick, &v))
    return v;
  return GST_AV_MONITOR_DEFECT_KIND_UNKNOWN;
}

/**
 * gst_av_monitor_defect_kind_default_severity:
 * @kind: a #GstAvMonitorDefectKind
 *
 * The severity a detector uses for @kind unless told otherwise: error for
 * kinds that break the service for a viewer (freeze, black, uniform,
 * block-corruption, silence, channel-silence, stall, av-sync), warning for
 * the others. An av-sync detector lowers this to warning when the offset is
 * only detectable, not unacceptable.
 *
 * Returns: the default severity
 */
GstAvMonitorSeverity
gst_av_monitor_defect_kind_default_severity (GstAvMonitorDefectKind kind)
{
  switch (kind) {
    case GST_AV_MONITOR_DEFECT_KIND_FREEZE:
    case GST_AV_MONITOR_DEFECT_KIND_BLACK:
    case GST_AV_MONITOR_DEFECT_KIND_UNIFORM:
    case GST_AV_MONITOR_DEFECT_KIND_BLOCK_CORRUPTION:
    case GST_AV_MONITOR_DEFECT_KIND_SILENCE:
    case GST_AV_MONITOR_DEFECT_KIND_CHANNEL_SILENCE:
    case GST_AV_MONITOR_DEFECT_KIND_STALL:
    case GST_AV_MONITOR_DEFECT_KIND_AV_SYNC:
      return GST_AV_MONITOR_SEVERITY_ERROR;
    default:
      return GST_AV_MONITOR_SEVERITY_WARNING;
  }
}

/**
 * gst_av_monitor_severity_to_string:
 * @severity: a #GstAvMonitorSeverity
 *
 * Returns: (transfer none): "warning" or "error"
 */
const gchar *
gst_av_monitor_severity_to_string (GstAvMonitorSeverity severity)
{
  const gchar *nick = enum_nick (GST_TYPE_AV_MONITOR_SEVERITY, severity);

  return nick ? nick : "warning";
}

/**
 * gst_av_monitor_severity_from_string:
 * @nick: (nullable): "warning" or "error"
 * @severity: (out): the severity
 *
 * Returns: %TRUE if @nick is a known severity
 */
gboolean
gst_av_monitor_severity_from_string (const gchar * nick,
    GstAvMonitorSeverity * severity)
{
  gint v;

  g_return_val_if_fail (severity != NULL, FALSE);
  if (!enum_from_nick (GST_TYPE_AV_MONITOR_SEVERITY, nick, &v))
    return FALSE;
  *severity = v;
  return TRUE;
}

/**
 * gst_av_monitor_stream_type_to_string:
 * @type: a #GstAvMonitorStreamType
 *
 * Returns: (transfer none): "video", "audio", "av" or "unknown"
 */
const gchar *
gst_av_monitor_stream_type_to_string (GstAvMonitorStreamType type)
{
  const gchar *nick = enum_nick (GST_TYPE_AV_MONITOR_STREAM_TYPE, type);

  return nick ? nick : "unknown";
}

/**
 * gst_av_monitor_stream_type_from_string:
 * @nick: (nullable): "video", "audio" or "av"
 *
 * Returns: the stream type, %GST_AV_MONITOR_STREAM_TYPE_UNKNOWN for anything
 *   else
 */
GstAvMonitorStreamType
gst_av_monitor_stream_type_from_string (const gchar * nick)
{
  gint v;

  if (enum_from_nick (GST_TYPE_AV_MONITOR_STREAM_TYPE, nick, &v))
    return v;
  return GST_AV_MONITOR_STREAM_TYPE_UNKNOWN;
}

/* record */

/**
 * gst_av_monitor_defect_new:
 * @kind: the kind of defect
 * @event: whether this is the start or the end of the span
 * @source: (nullable): name of the element that found it
 * @id: pairs a start with its end; unique per @source
 *
 * Creates a defect edge with every time unknown, the default severity of
 * @kind, confidence 1, value and threshold unset (NaN) and no details.
 *
 * Returns: (transfer full): a new #GstAvMonitorDefect
 */
GstAvMonitorDefect *
gst_av_monitor_defect_new (GstAvMonitorDefectKind kind,
    GstAvMonitorDefectEvent event, const gchar * source, guint64 id)
{
  GstAvMonitorDefect *d = g_new0 (GstAvMonitorDefect, 1);

  d->kind = kind;
  d->event = event;
  d->source = g_strdup (source);
  d->id = id;
  d->timestamp = d->stream_time = d->running_time = GST_CLOCK_TIME_NONE;
  d->duration = GST_CLOCK_TIME_NONE;
  d->start_timestamp = d->start_stream_time = d->start_running_time =
      GST_CLOCK_TIME_NONE;
  d->severity = gst_av_monitor_defect_kind_default_severity (kind);
  d->value = NAN;
  d->threshold = NAN;
  d->confidence = 1.0;
  return d;
}

/**
 * gst_av_monitor_defect_copy:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: (transfer full): a deep copy of @defect
 */
GstAvMonitorDefect *
gst_av_monitor_defect_copy (const GstAvMonitorDefect * defect)
{
  GstAvMonitorDefect *d;

  g_return_val_if_fail (defect != NULL, NULL);

  d = g_memdup2 (defect, sizeof (*defect));
  d->kind_nick = g_strdup (defect->kind_nick);
  d->source = g_strdup (defect->source);
  d->stream_id = g_strdup (defect->stream_id);
  d->unit = g_strdup (defect->unit);
  d->details = defect->details ? gst_structure_copy (defect->details) : NULL;
  return d;
}

/**
 * gst_av_monitor_defect_free:
 * @defect: (transfer full) (nullable): a #GstAvMonitorDefect
 */
void
gst_av_monitor_defect_free (GstAvMonitorDefect * defect)
{
  if (defect == NULL)
    return;
  g_free (defect->kind_nick);
  g_free (defect->source);
  g_free (defect->stream_id);
  g_free (defect->unit);
  if (defect->details)
    gst_structure_free (defect->details);
  g_free (defect);
}

/* structure <-> record */

/**
 * gst_av_monitor_defect_to_structure:
 * @defect: a #GstAvMonitorDefect
 *
 * Builds the `avmonitor-defect` structure of the contract. Fields that are
 * not set are left out: `value`, `threshold` (NaN), `unit`, `stream-type`
 * (unknown), the region, `details`; `duration` and the `start-*` times on
 * start events. Unknown times are written as %GST_CLOCK_TIME_NONE.
 *
 * Returns: (transfer full): a new #GstStructure
 */
GstStructure *
gst_av_monitor_defect_to_structure (const GstAvMonitorDefect * defect)
{
  GstStructure *s;

  g_return_val_if_fail (defect != NULL, NULL);

  s = gst_structure_new (GST_AV_MONITOR_DEFECT_NAME,
      GST_AV_MONITOR_FIELD_KIND, G_TYPE_STRING,
      gst_av_monitor_defect_get_kind_nick (defect),
      GST_AV_MONITOR_FIELD_EVENT, G_TYPE_STRING,
      defect->event == GST_AV_MONITOR_DEFECT_EVENT_END ? "end" : "start",
      GST_AV_MONITOR_FIELD_SOURCE, G_TYPE_STRING,
      defect->source ? defect->source : "",
      GST_AV_MONITOR_FIELD_ID, G_TYPE_UINT64, defect->id,
      GST_AV_MONITOR_FIELD_STREAM_ID, G_TYPE_STRING,
      defect->stream_id ? defect->stream_id : "",
      GST_AV_MONITOR_FIELD_TIMESTAMP, G_TYPE_UINT64, defect->timestamp,
      GST_AV_MONITOR_FIELD_STREAM_TIME, G_TYPE_UINT64, defect->stream_time,
      GST_AV_MONITOR_FIELD_RUNNING_TIME, G_TYPE_UINT64, defect->running_time,
      GST_AV_MONITOR_FIELD_SEVERITY, G_TYPE_STRING,
      gst_av_monitor_severity_to_string (defect->severity),
      GST_AV_MONITOR_FIELD_CONFIDENCE, G_TYPE_DOUBLE, defect->confidence,
      GST_AV_MONITOR_FIELD_TRUNCATED, G_TYPE_BOOLEAN, defect->truncated, NULL);

  if (defect->stream_type != GST_AV_MONITOR_STREAM_TYPE_UNKNOWN)
    gst_structure_set (s, GST_AV_MONITOR_FIELD_STREAM_TYPE, G_TYPE_STRING,
        gst_av_monitor_stream_type_to_string (defect->stream_type), NULL);

  if (defect->event == GST_AV_MONITOR_DEFECT_EVENT_END)
    gst_structure_set (s,
        GST_AV_MONITOR_FIELD_DURATION, G_TYPE_UINT64, defect->duration,
        GST_AV_MONITOR_FIELD_START_TIMESTAMP, G_TYPE_UINT64,
        defect->start_timestamp,
        GST_AV_MONITOR_FIELD_START_STREAM_TIME, G_TYPE_UINT64,
        defect->start_stream_time,
        GST_AV_MONITOR_FIELD_START_RUNNING_TIME, G_TYPE_UINT64,
        defect->start_running_time, NULL);

  if (!isnan (defect->value))
    gst_structure_set (s, GST_AV_MONITOR_FIELD_VALUE, G_TYPE_DOUBLE,
        defect->value, NULL);
  if (!isnan (defect->threshold))
    gst_structure_set (s, GST_AV_MONITOR_FIELD_THRESHOLD, G_TYPE_DOUBLE,
        defect->threshold, NULL);
  if (defect->unit)
    gst_structure_set (s, GST_AV_MONITOR_FIELD_UNIT, G_TYPE_STRING,
        defect->unit, NULL);

  if (defect->has_region)
    gst_structure_set (s,
        GST_AV_MONITOR_FIELD_X, G_TYPE_INT, defect->x,
        GST_AV_MONITOR_FIELD_Y, G_TYPE_INT, defect->y,
        GST_AV_MONITOR_FIELD_WIDTH, G_TYPE_INT, defect->width,
        GST_AV_MONITOR_FIELD_HEIGHT, G_TYPE_INT, defect->height, NULL);

  if (defect->details)
    gst_structure_set (s, GST_AV_MONITOR_FIELD_DETAILS, GST_TYPE_STRUCTURE,
        defect->details, NULL);

  return s;
}

/* Reads an integer field of any integer type. Negative values are refused,
 * except -1 which Python and string users write for "none". */
static gboolean
get_uint64_any (const GstStructure * s, const gchar * field, guint64 * out,
    gboolean minus_one_is_none)
{
  const GValue *v = gst_structure_get_value (s, field);
  gint64 sv;

  if (v == NULL)
    return FALSE;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (v))) {
    case G_TYPE_UINT64:
      *out = g_value_get_uint64 (v);
      return TRUE;
    case G_TYPE_UINT:
      *out = g_value_get_uint (v);
      return TRUE;
    case G_TYPE_ULONG:
      *out = g_value_get_ulong (v);
      return TRUE;
    case G_TYPE_UCHAR:
      *out = g_value_get_uchar (v);
      return TRUE;
    case G_TYPE_INT64:
      sv = g_value_get_int64 (v);
      break;
    case G_TYPE_INT:
      sv = g_value_get_int (v);
      break;
    case G_TYPE_LONG:
      sv = g_value_get_long (v);
      break;
    case G_TYPE_CHAR:
      sv = g_value_get_schar (v);
      break;
    default:
      return FALSE;
  }
  if (sv >= 0) {
    *out = (guint64) sv;
    return TRUE;
  }
  if (sv == -1 && minus_one_is_none) {
    *out = GST_CLOCK_TIME_NONE;
    return TRUE;
  }
  return FALSE;
}

static gboolean
get_int_any (const GstStructure * s, const gchar * field, gint * out)
{
  const GValue *v = gst_structure_get_value (s, field);
  gint64 sv;

  if (v == NULL)
    return FALSE;
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (v))) {
    case G_TYPE_INT:
      sv = g_value_get_int (v);
      break;
    case G_TYPE_UINT:
      sv = g_value_get_uint (v);
      break;
    case G_TYPE_INT64:
      sv = g_value_get_int64 (v);
      break;
    case G_TYPE_UINT64:
      if (g_value_get_uint64 (v) > G_MAXINT)
        return FALSE;
      sv = (gint64) g_value_get_uint64 (v);
      break;
    case G_TYPE_LONG:
      sv = g_value_get_long (v);
      break;
    case G_TYPE_ULONG:
      if (g_value_get_ulong (v) > G_MAXINT)
        return FALSE;
      sv = (gint64) g_value_get_ulong (v);
      break;
    default:
      return FALSE;
  }
  if (sv < G_MININT || sv > G_MAXINT)
    return FALSE;
  *out = (gint) sv;
  return TRUE;
}

static gboolean
get_double_any (const GstStructure * s, const gchar * field, gdouble * out)
{
  const GValue *v = gst_structure_get_value (s, field);
  guint64 u;
  gint i;

  if (v == NULL)
    return FALSE;
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (v))) {
    case G_TYPE_DOUBLE:
      *out = g_value_get_double (v);
      return TRUE;
    case G_TYPE_FLOAT:
      *out = g_value_get_float (v);
      return TRUE;
    default:
      break;
  }
  if (get_int_any (s, field, &i)) {
    *out = i;
    return TRUE;
  }
  if (get_uint64_any (s, field, &u, FALSE)) {
    *out = (gdouble) u;
    return TRUE;
  }
  return FALSE;
}

static gboolean
get_boolean_any (const GstStructure * s, const gchar * field, gboolean * out)
{
  const GValue *v = gst_structure_get_value (s, field);
  gint i;

  if (v == NULL)
    return FALSE;
  if (G_VALUE_HOLDS_BOOLEAN (v)) {
    *out = g_value_get_boolean (v);
    return TRUE;
  }
  if (get_int_any (s, field, &i)) {
    *out = i != 0;
    return TRUE;
  }
  return FALSE;
}

static GstClockTime
get_time (const GstStructure * s, const gchar * field)
{
  guint64 t;

  if (get_uint64_any (s, field, &t, TRUE))
    return t;
  return GST_CLOCK_TIME_NONE;
}

/**
 * gst_av_monitor_structure_is_defect:
 * @structure: a #GstStructure
 *
 * Returns: %TRUE if @structure is named `avmonitor-defect`
 */
gboolean
gst_av_monitor_structure_is_defect (const GstStructure * structure)
{
  g_return_val_if_fail (structure != NULL, FALSE);
  return gst_structure_has_name (structure, GST_AV_MONITOR_DEFECT_NAME);
}

/**
 * gst_av_monitor_defect_new_from_structure:
 * @structure: an `avmonitor-defect` structure
 *
 * Parses a defect structure. `kind`, `event` and `id` are required; every
 * other field is optional. Integer fields may be of any integer type (-1
 * means unknown for times); a kind nick this version does not know gives
 * %GST_AV_MONITOR_DEFECT_KIND_UNKNOWN and is kept for
 * gst_av_monitor_defect_get_kind_nick().
 *
 * Returns: (transfer full) (nullable): the defect, or %NULL if @structure is
 *   not a valid `avmonitor-defect` structure
 */
GstAvMonitorDefect *
gst_av_monitor_defect_new_from_structure (const GstStructure * structure)
{
  GstAvMonitorDefect *d;
  const gchar *kind, *event, *str;
  GstAvMonitorDefectEvent ev;
  guint64 id;
  gdouble dbl;
  gboolean b;
  gint x, y, w, h;
  const GValue *details;

  g_return_val_if_fail (structure != NULL, NULL);

  if (!gst_av_monitor_structure_is_defect (structure))
    return NULL;
  kind = gst_structure_get_string (structure, GST_AV_MONITOR_FIELD_KIND);
  event = gst_structure_get_string (structure, GST_AV_MONITOR_FIELD_EVENT);
  if (kind == NULL || event == NULL)
    return NULL;
  if (g_str_equal (event, "start"))
    ev = GST_AV_MONITOR_DEFECT_EVENT_START;
  else if (g_str_equal (event, "end"))
    ev = GST_AV_MONITOR_DEFECT_EVENT_END;
  else
    return NULL;
  if (!get_uint64_any (structure, GST_AV_MONITOR_FIELD_ID, &id, FALSE))
    return NULL;

  d = gst_av_monitor_defect_new (gst_av_monitor_defect_kind_from_string (kind),
      ev, gst_structure_get_string (structure, GST_AV_MONITOR_FIELD_SOURCE),
      id);
  if (d->kind == GST_AV_MONITOR_DEFECT_KIND_UNKNOWN)
    d->kind_nick = g_strdup (kind);

  d->stream_type = gst_av_monitor_stream_type_from_string
      (gst_structure_get_string (structure, GST_AV_MONITOR_FIELD_STREAM_TYPE));
  d->stream_id = g_strdup (gst_structure_get_string (structure,
          GST_AV_MONITOR_FIELD_STREAM_ID));

  d->timestamp = get_time (structure, GST_AV_MONITOR_FIELD_TIMESTAMP);
  d->stream_time = get_time (structure, GST_AV_MONITOR_FIELD_STREAM_TIME);
  d->running_time = get_time (structure, GST_AV_MONITOR_FIELD_RUNNING_TIME);
  d->duration = get_time (structure, GST_AV_MONITOR_FIELD_DURATION);
  d->start_timestamp = get_time (structure,
      GST_AV_MONITOR_FIELD_START_TIMESTAMP);
  d->start_stream_time = get_time (structure,
      GST_AV_MONITOR_FIELD_START_STREAM_TIME);
  d->start_running_time = get_time (structure,
      GST_AV_MONITOR_FIELD_START_RUNNING_TIME);

  str = gst_structure_get_string (structure, GST_AV_MONITOR_FIELD_SEVERITY);
  if (str)
    gst_av_monitor_severity_from_string (str, &d->severity);

  if (get_double_any (structure, GST_AV_MONITOR_FIELD_VALUE, &dbl))
    d->value = dbl;
  if (get_double_any (structure, GST_AV_MONITOR_FIELD_THRESHOLD, &dbl))
    d->threshold = dbl;
  d->unit = g_strdup (gst_structure_get_string (structure,
          GST_AV_MONITOR_FIELD_UNIT));
  if (get_double_any (structure, GST_AV_MONITOR_FIELD_CONFIDENCE, &dbl))
    d->confidence = dbl;
  if (get_boolean_any (structure, GST_AV_MONITOR_FIELD_TRUNCATED, &b))
    d->truncated = b;

  if (get_int_any (structure, GST_AV_MONITOR_FIELD_X, &x) &&
      get_int_any (structure, GST_AV_MONITOR_FIELD_Y, &y) &&
      get_int_any (structure, GST_AV_MONITOR_FIELD_WIDTH, &w) &&
      get_int_any (structure, GST_AV_MONITOR_FIELD_HEIGHT, &h))
    gst_av_monitor_defect_set_region (d, x, y, w, h);

  details = gst_structure_get_value (structure, GST_AV_MONITOR_FIELD_DETAILS);
  if (details && GST_VALUE_HOLDS_STRUCTURE (details) &&
      gst_value_get_structure (details))
    d->details = gst_structure_copy (gst_value_get_structure (details));

  return d;
}

/* JSON */

/**
 * gst_av_monitor_defect_to_json:
 * @defect: a #GstAvMonitorDefect
 * @utc_start: (nullable): wall-clock time of the span start, if known
 * @utc_end: (nullable): wall-clock time of the span end (end events)
 *
 * Writes the defect as one JSON object, the line format of defectsink's
 * report (docs/report-format.md): the contract's fields in snake_case, with
 * `start`, `end` and `duration` as seconds of stream time, running times as
 * `start_running_ns`/`end_running_ns`, and null for anything unknown. An end
 * event carries both `start` and `end`. Non-finite numbers become null.
 *
 * Returns: (transfer full): the JSON object, without a trailing newline
 */
gchar *
gst_av_monitor_defect_to_json (const GstAvMonitorDefect * defect,
    GDateTime * utc_start, GDateTime * utc_end)
{
  GstAvMonitorJson json;
  GString *str;
  gboolean is_end;

  g_return_val_if_fail (defect != NULL, NULL);

  is_end = defect->event == GST_AV_MONITOR_DEFECT_EVENT_END;
  str = g_string_sized_new (512);
  gst_av_monitor_json_init (&json, str);

  gst_av_monitor_json_begin_object (&json);
  gst_av_monitor_json_key (&json, "kind");
  gst_av_monitor_json_string (&json, gst_av_monitor_defect_get_kind_nick
      (defect));
  gst_av_monitor_json_key (&json, "event");
  gst_av_monitor_json_string (&json, is_end ? "end" : "start");
  gst_av_monitor_json_key (&json, "source");
  gst_av_monitor_json_string (&json, defect->source);
  gst_av_monitor_json_key (&json, "id");
  gst_av_monitor_json_uint64 (&json, defect->id);
  gst_av_monitor_json_key (&json, "stream_type");
  if (defect->stream_type == GST_AV_MONITOR_STREAM_TYPE_UNKNOWN)
    gst_av_monitor_json_null (&json);
  else
    gst_av_monitor_json_string (&json,
        gst_av_monitor_stream_type_to_string (defect->stream_type));
  gst_av_monitor_json_key (&json, "stream_id");
  gst_av_monitor_json_string (&json, defect->stream_id ? defect->stream_id :
      "");

  gst_av_monitor_json_key (&json, "start");
  gst_av_monitor_json_seconds (&json, is_end ? defect->start_stream_time :
      defect->stream_time);
  gst_av_monitor_json_key (&json, "end");
  gst_av_monitor_json_seconds (&json, is_end ? defect->stream_time :
      GST_CLOCK_TIME_NONE);
  gst_av_monitor_json_key (&json, "duration");
  gst_av_monitor_json_seconds (&json, is_end ? defect->duration :
      GST_CLOCK_TIME_NONE);
  gst_av_monitor_json_key (&json, "start_running_ns");
  gst_av_monitor_json_clock_time (&json, is_end ? defect->start_running_time :
      defect->running_time);
  gst_av_monitor_json_key (&json, "end_running_ns");
  gst_av_monitor_json_clock_time (&json, is_end ? defect->running_time :
      GST_CLOCK_TIME_NONE);
  gst_av_monitor_json_key (&json, "utc_start");
  gst_av_monitor_json_date_time (&json, utc_start);
  gst_av_monitor_json_key (&json, "utc_end");
  gst_av_monitor_json_date_time (&json, is_end ? utc_end : NULL);

  gst_av_monitor_json_key (&json, "severity");
  gst_av_monitor_json_string (&json,
      gst_av_monitor_severity_to_string (defect->severity));
  gst_av_monitor_json_key (&json, "value");
  gst_av_monitor_json_double (&json, defect->value);
  gst_av_monitor_json_key (&json, "threshold");
  gst_av_monitor_json_double (&json, defect->threshold);
  gst_av_monitor_json_key (&json, "unit");
  gst_av_monitor_json_string (&json, defect->unit);
  gst_av_monitor_json_key (&json, "confidence");
  gst_av_monitor_json_double (&json, defect->confidence);
  gst_av_monitor_json_key (&json, "truncated");
  gst_av_monitor_json_boolean (&json, defect->truncated);

  if (defect->has_region) {
    gst_av_monitor_json_key (&json, "x");
    gst_av_monitor_json_int64 (&json, defect->x);
    gst_av_monitor_json_key (&json, "y");
    gst_av_monitor_json_int64 (&json, defect->y);
    gst_av_monitor_json_key (&json, "width");
    gst_av_monitor_json_int64 (&json, defect->width);
    gst_av_monitor_json_key (&json, "height");
    gst_av_monitor_json_int64 (&json, defect->height);
  }

  gst_av_monitor_json_key (&json, "details");
  if (defect->details)
    gst_av_monitor_json_structure (&json, defect->details);
  else
    gst_av_monitor_json_null (&json);
  gst_av_monitor_json_end_object (&json);

  return g_string_free (str, FALSE);
}

/* messages and events */

/**
 * gst_av_monitor_defect_new_message:
 * @defect: a #GstAvMonitorDefect
 * @src: (nullable): the object posting it
 *
 * Returns: (transfer full): an element message carrying the defect structure
 */
GstMessage *
gst_av_monitor_defect_new_message (const GstAvMonitorDefect * defect,
    GstObject * src)
{
  g_return_val_if_fail (defect != NULL, NULL);
  return gst_message_new_element (src,
      gst_av_monitor_defect_to_structure (defect));
}

/**
 * gst_av_monitor_defect_post:
 * @defect: a #GstAvMonitorDefect
 * @element: the element posting it
 *
 * Posts the defect as an element message from @element. Never call this
 * with a lock held.
 *
 * Returns: %TRUE if the message was posted (%FALSE when @element has no bus)
 */
gboolean
gst_av_monitor_defect_post (const GstAvMonitorDefect * defect,
    GstElement * element)
{
  g_return_val_if_fail (defect != NULL, FALSE);
  g_return_val_if_fail (GST_IS_ELEMENT (element), FALSE);
  return gst_element_post_message (element,
      gst_av_monitor_defect_new_message (defect, GST_OBJECT (element)));
}

/**
 * gst_av_monitor_defect_new_event:
 * @defect: a #GstAvMonitorDefect
 *
 * Makes the serialized, non-sticky custom downstream event that carries the
 * defect in-band to defectsink.
 *
 * Returns: (transfer full): a %GST_EVENT_CUSTOM_DOWNSTREAM event
 */
GstEvent *
gst_av_monitor_defect_new_event (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, NULL);
  return gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
      gst_av_monitor_defect_to_structure (defect));
}

/**
 * gst_av_monitor_defect_new_from_message:
 * @message: any #GstMessage
 *
 * Returns: (transfer full) (nullable): the defect, or %NULL if @message is
 *   not an `avmonitor-defect` element message
 */
GstAvMonitorDefect *
gst_av_monitor_defect_new_from_message (GstMessage * message)
{
  const GstStructure *s;

  g_return_val_if_fail (GST_IS_MESSAGE (message), NULL);
  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT)
    return NULL;
  s = gst_message_get_structure (message);
  if (s == NULL)
    return NULL;
  return gst_av_monitor_defect_new_from_structure (s);
}

/**
 * gst_av_monitor_defect_new_from_event:
 * @event: any #GstEvent
 *
 * Returns: (transfer full) (nullable): the defect, or %NULL if @event is
 *   not an `avmonitor-defect` custom downstream event
 */
GstAvMonitorDefect *
gst_av_monitor_defect_new_from_event (GstEvent * event)
{
  const GstStructure *s;

  g_return_val_if_fail (GST_IS_EVENT (event), NULL);
  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_DOWNSTREAM)
    return NULL;
  s = gst_event_get_structure (event);
  if (s == NULL)
    return NULL;
  return gst_av_monitor_defect_new_from_structure (s);
}

/**
 * gst_av_monitor_defect_parse_message:
 * @message: any #GstMessage
 *
 * Like gst_av_monitor_defect_new_from_message(), but not a constructor, so
 * that bindings return None for messages that are not defects (Python
 * raises TypeError when a constructor returns NULL):
 * `d = GstAvMonitor.Defect.parse_message (msg)`.
 *
 * Returns: (transfer full) (nullable): the defect, or %NULL
 */
GstAvMonitorDefect *
gst_av_monitor_defect_parse_message (GstMessage * message)
{
  return gst_av_monitor_defect_new_from_message (message);
}

/**
 * gst_av_monitor_defect_parse_event:
 * @event: any #GstEvent
 *
 * Like gst_av_monitor_defect_new_from_event(), for bindings.
 *
 * Returns: (transfer full) (nullable): the defect, or %NULL
 */
GstAvMonitorDefect *
gst_av_monitor_defect_parse_event (GstEvent * event)
{
  return gst_av_monitor_defect_new_from_event (event);
}

/**
 * gst_av_monitor_defect_parse_structure:
 * @structure: any #GstStructure
 *
 * Like gst_av_monitor_defect_new_from_structure(), for bindings.
 *
 * Returns: (transfer full) (nullable): the defect, or %NULL
 */
GstAvMonitorDefect *
gst_av_monitor_defect_parse_structure (const GstStructure * structure)
{
  return gst_av_monitor_defect_new_from_structure (structure);
}

/* accessors */

/**
 * gst_av_monitor_defect_get_kind:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the kind
 */
GstAvMonitorDefectKind
gst_av_monitor_defect_get_kind (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, GST_AV_MONITOR_DEFECT_KIND_UNKNOWN);
  return defect->kind;
}

/**
 * gst_av_monitor_defect_set_kind:
 * @defect: a #GstAvMonitorDefect
 * @kind: the kind
 */
void
gst_av_monitor_defect_set_kind (GstAvMonitorDefect * defect,
    GstAvMonitorDefectKind kind)
{
  g_return_if_fail (defect != NULL);
  defect->kind = kind;
  g_clear_pointer (&defect->kind_nick, g_free);
}

/**
 * gst_av_monitor_defect_get_kind_nick:
 * @defect: a #GstAvMonitorDefect
 *
 * The kind as written in the `kind` field. For a kind this version does not
 * know, this is the nick that was read.
 *
 * Returns: (transfer none): the kind nick
 */
const gchar *
gst_av_monitor_defect_get_kind_nick (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, NULL);
  if (defect->kind == GST_AV_MONITOR_DEFECT_KIND_UNKNOWN && defect->kind_nick)
    return defect->kind_nick;
  return gst_av_monitor_defect_kind_to_string (defect->kind);
}

/**
 * gst_av_monitor_defect_get_event:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: whether this is the start or the end of the span
 */
GstAvMonitorDefectEvent
gst_av_monitor_defect_get_event (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, GST_AV_MONITOR_DEFECT_EVENT_START);
  return defect->event;
}

/**
 * gst_av_monitor_defect_set_event:
 * @defect: a #GstAvMonitorDefect
 * @event: start or end
 */
void
gst_av_monitor_defect_set_event (GstAvMonitorDefect * defect,
    GstAvMonitorDefectEvent event)
{
  g_return_if_fail (defect != NULL);
  defect->event = event;
}

/**
 * gst_av_monitor_defect_get_source:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: (transfer none) (nullable): the name of the element that found it
 */
const gchar *
gst_av_monitor_defect_get_source (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, NULL);
  return defect->source;
}

/**
 * gst_av_monitor_defect_set_source:
 * @defect: a #GstAvMonitorDefect
 * @source: (nullable): the name of the element that found it
 */
void
gst_av_monitor_defect_set_source (GstAvMonitorDefect * defect,
    const gchar * source)
{
  g_return_if_fail (defect != NULL);
  g_free (defect->source);
  defect->source = g_strdup (source);
}

/**
 * gst_av_monitor_defect_get_id:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the span id, unique per source
 */
guint64
gst_av_monitor_defect_get_id (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, 0);
  return defect->id;
}

/**
 * gst_av_monitor_defect_set_id:
 * @defect: a #GstAvMonitorDefect
 * @id: the span id
 */
void
gst_av_monitor_defect_set_id (GstAvMonitorDefect * defect, guint64 id)
{
  g_return_if_fail (defect != NULL);
  defect->id = id;
}

/**
 * gst_av_monitor_defect_get_stream_type:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the stream type
 */
GstAvMonitorStreamType
gst_av_monitor_defect_get_stream_type (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, GST_AV_MONITOR_STREAM_TYPE_UNKNOWN);
  return defect->stream_type;
}

/**
 * gst_av_monitor_defect_set_stream_type:
 * @defect: a #GstAvMonitorDefect
 * @type: the stream type
 */
void
gst_av_monitor_defect_set_stream_type (GstAvMonitorDefect * defect,
    GstAvMonitorStreamType type)
{
  g_return_if_fail (defect != NULL);
  defect->stream_type = type;
}

/**
 * gst_av_monitor_defect_get_stream_id:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: (transfer none) (nullable): the stream id from STREAM_START
 */
const gchar *
gst_av_monitor_defect_get_stream_id (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, NULL);
  return defect->stream_id;
}

/**
 * gst_av_monitor_defect_set_stream_id:
 * @defect: a #GstAvMonitorDefect
 * @stream_id: (nullable): the stream id
 */
void
gst_av_monitor_defect_set_stream_id (GstAvMonitorDefect * defect,
    const gchar * stream_id)
{
  g_return_if_fail (defect != NULL);
  g_free (defect->stream_id);
  defect->stream_id = g_strdup (stream_id);
}

/**
 * gst_av_monitor_defect_set_times:
 * @defect: a #GstAvMonitorDefect
 * @timestamp: buffer timestamp of this edge, or %GST_CLOCK_TIME_NONE
 * @stream_time: stream time of this edge, or %GST_CLOCK_TIME_NONE
 * @running_time: running time of this edge, or %GST_CLOCK_TIME_NONE
 *
 * Sets the times of this edge: the span start on a start event, the span
 * end on an end event.
 */
void
gst_av_monitor_defect_set_times (GstAvMonitorDefect * defect,
    GstClockTime timestamp, GstClockTime stream_time,
    GstClockTime running_time)
{
  g_return_if_fail (defect != NULL);
  defect->timestamp = timestamp;
  defect->stream_time = stream_time;
  defect->running_time = running_time;
}

/**
 * gst_av_monitor_defect_get_timestamp:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the timestamp of this edge, or %GST_CLOCK_TIME_NONE
 */
GstClockTime
gst_av_monitor_defect_get_timestamp (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, GST_CLOCK_TIME_NONE);
  return defect->timestamp;
}

/**
 * gst_av_monitor_defect_get_stream_time:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the stream time of this edge, or %GST_CLOCK_TIME_NONE
 */
GstClockTime
gst_av_monitor_defect_get_stream_time (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, GST_CLOCK_TIME_NONE);
  return defect->stream_time;
}

/**
 * gst_av_monitor_defect_get_running_time:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the running time of this edge, or %GST_CLOCK_TIME_NONE
 */
GstClockTime
gst_av_monitor_defect_get_running_time (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, GST_CLOCK_TIME_NONE);
  return defect->running_time;
}

/**
 * gst_av_monitor_defect_set_start_times:
 * @defect: a #GstAvMonitorDefect
 * @timestamp: timestamp of the span start, or %GST_CLOCK_TIME_NONE
 * @stream_time: stream time of the span start, or %GST_CLOCK_TIME_NONE
 * @running_time: running time of the span start, or %GST_CLOCK_TIME_NONE
 *
 * Sets the span start again on an end event, so that a reader that missed
 * the start still has the whole span.
 */
void
gst_av_monitor_defect_set_start_times (GstAvMonitorDefect * defect,
    GstClockTime timestamp, GstClockTime stream_time,
    GstClockTime running_time)
{
  g_return_if_fail (defect != NULL);
  defect->start_timestamp = timestamp;
  defect->start_stream_time = stream_time;
  defect->start_running_time = running_time;
}

/**
 * gst_av_monitor_defect_get_start_timestamp:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the timestamp of the span start (end events)
 */
GstClockTime
gst_av_monitor_defect_get_start_timestamp (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, GST_CLOCK_TIME_NONE);
  return defect->start_timestamp;
}

/**
 * gst_av_monitor_defect_get_start_stream_time:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the stream time of the span start (end events)
 */
GstClockTime
gst_av_monitor_defect_get_start_stream_time (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, GST_CLOCK_TIME_NONE);
  return defect->start_stream_time;
}

/**
 * gst_av_monitor_defect_get_start_running_time:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the running time of the span start (end events)
 */
GstClockTime
gst_av_monitor_defect_get_start_running_time (const GstAvMonitorDefect *
    defect)
{
  g_return_val_if_fail (defect != NULL, GST_CLOCK_TIME_NONE);
  return defect->start_running_time;
}

/**
 * gst_av_monitor_defect_get_duration:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the length of the span (end events), or %GST_CLOCK_TIME_NONE
 */
GstClockTime
gst_av_monitor_defect_get_duration (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, GST_CLOCK_TIME_NONE);
  return defect->duration;
}

/**
 * gst_av_monitor_defect_set_duration:
 * @defect: a #GstAvMonitorDefect
 * @duration: the length of the span, or %GST_CLOCK_TIME_NONE
 */
void
gst_av_monitor_defect_set_duration (GstAvMonitorDefect * defect,
    GstClockTime duration)
{
  g_return_if_fail (defect != NULL);
  defect->duration = duration;
}

/**
 * gst_av_monitor_defect_get_severity:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the severity
 */
GstAvMonitorSeverity
gst_av_monitor_defect_get_severity (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, GST_AV_MONITOR_SEVERITY_WARNING);
  return defect->severity;
}

/**
 * gst_av_monitor_defect_set_severity:
 * @defect: a #GstAvMonitorDefect
 * @severity: the severity
 */
void
gst_av_monitor_defect_set_severity (GstAvMonitorDefect * defect,
    GstAvMonitorSeverity severity)
{
  g_return_if_fail (defect != NULL);
  defect->severity = severity;
}

/**
 * gst_av_monitor_defect_get_value:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the worst measure within the span, NaN when not set
 */
gdouble
gst_av_monitor_defect_get_value (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, NAN);
  return defect->value;
}

/**
 * gst_av_monitor_defect_get_threshold:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the threshold the measure crossed, NaN when not set
 */
gdouble
gst_av_monitor_defect_get_threshold (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, NAN);
  return defect->threshold;
}

/**
 * gst_av_monitor_defect_get_unit:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: (transfer none) (nullable): the unit of value and threshold
 */
const gchar *
gst_av_monitor_defect_get_unit (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, NULL);
  return defect->unit;
}

/**
 * gst_av_monitor_defect_set_measure:
 * @defect: a #GstAvMonitorDefect
 * @value: the worst measure within the span (NaN: not set)
 * @threshold: the threshold it crossed (NaN: not set)
 * @unit: (nullable): "ratio", "dBFS", "LUFS", "ms", ...
 */
void
gst_av_monitor_defect_set_measure (GstAvMonitorDefect * defect,
    gdouble value, gdouble threshold, const gchar * unit)
{
  g_return_if_fail (defect != NULL);
  defect->value = value;
  defect->threshold = threshold;
  g_free (defect->unit);
  defect->unit = g_strdup (unit);
}

/**
 * gst_av_monitor_defect_get_confidence:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: the confidence, 0..1
 */
gdouble
gst_av_monitor_defect_get_confidence (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, 0.0);
  return defect->confidence;
}

/**
 * gst_av_monitor_defect_set_confidence:
 * @defect: a #GstAvMonitorDefect
 * @confidence: 0..1 (clamped)
 */
void
gst_av_monitor_defect_set_confidence (GstAvMonitorDefect * defect,
    gdouble confidence)
{
  g_return_if_fail (defect != NULL);
  if (isnan (confidence))
    confidence = 0.0;
  defect->confidence = CLAMP (confidence, 0.0, 1.0);
}

/**
 * gst_av_monitor_defect_get_truncated:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: %TRUE if the end was forced by EOS, flush or stop rather than by
 *   recovery
 */
gboolean
gst_av_monitor_defect_get_truncated (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, FALSE);
  return defect->truncated;
}

/**
 * gst_av_monitor_defect_set_truncated:
 * @defect: a #GstAvMonitorDefect
 * @truncated: whether the end was forced
 */
void
gst_av_monitor_defect_set_truncated (GstAvMonitorDefect * defect,
    gboolean truncated)
{
  g_return_if_fail (defect != NULL);
  defect->truncated = truncated;
}

/**
 * gst_av_monitor_defect_get_region:
 * @defect: a #GstAvMonitorDefect
 * @x: (out) (optional): left edge in pixels
 * @y: (out) (optional): top edge in pixels
 * @width: (out) (optional): width in pixels
 * @height: (out) (optional): height in pixels
 *
 * Returns: %TRUE if the defect is spatial and has a region
 */
gboolean
gst_av_monitor_defect_get_region (const GstAvMonitorDefect * defect,
    gint * x, gint * y, gint * width, gint * height)
{
  g_return_val_if_fail (defect != NULL, FALSE);
  if (!defect->has_region)
    return FALSE;
  if (x)
    *x = defect->x;
  if (y)
    *y = defect->y;
  if (width)
    *width = defect->width;
  if (height)
    *height = defect->height;
  return TRUE;
}

/**
 * gst_av_monitor_defect_set_region:
 * @defect: a #GstAvMonitorDefect
 * @x: left edge in pixels
 * @y: top edge in pixels
 * @width: width in pixels
 * @height: height in pixels
 */
void
gst_av_monitor_defect_set_region (GstAvMonitorDefect * defect,
    gint x, gint y, gint width, gint height)
{
  g_return_if_fail (defect != NULL);
  defect->has_region = TRUE;
  defect->x = x;
  defect->y = y;
  defect->width = width;
  defect->height = height;
}

/**
 * gst_av_monitor_defect_unset_region:
 * @defect: a #GstAvMonitorDefect
 */
void
gst_av_monitor_defect_unset_region (GstAvMonitorDefect * defect)
{
  g_return_if_fail (defect != NULL);
  defect->has_region = FALSE;
  defect->x = defect->y = defect->width = defect->height = 0;
}

/**
 * gst_av_monitor_defect_get_details:
 * @defect: a #GstAvMonitorDefect
 *
 * Returns: (transfer none) (nullable): the per-kind fields
 */
const GstStructure *
gst_av_monitor_defect_get_details (const GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, NULL);
  return defect->details;
}

/**
 * gst_av_monitor_defect_writable_details: (skip)
 * @defect: a #GstAvMonitorDefect
 *
 * The details structure, created empty (named `details`) if there is none.
 * Bindings copy boxed returns, so they use
 * gst_av_monitor_defect_set_details() instead (skipped for them).
 *
 * Returns: (transfer none) (skip): the details, owned by @defect
 */
GstStructure *
gst_av_monitor_defect_writable_details (GstAvMonitorDefect * defect)
{
  g_return_val_if_fail (defect != NULL, NULL);
  if (defect->details == NULL)
    defect->details = gst_structure_new_empty ("details");
  return defect->details;
}

/**
 * gst_av_monitor_defect_set_details:
 * @defect: a #GstAvMonitorDefect
 * @details: (transfer full) (nullable): the per-kind fields
 */
void
gst_av_monitor_defect_set_details (GstAvMonitorDefect * defect,
    GstStructure * details)
{
  g_return_if_fail (defect != NULL);
  if (defect->details)
    gst_structure_free (defect->details);
  defect->details = details;
}
