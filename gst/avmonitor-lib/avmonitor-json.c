/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "avmonitor-json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
gst_av_monitor_json_init (GstAvMonitorJson * json, GString * str)
{
  memset (json, 0, sizeof (*json));
  json->str = str;
  json->empty[0] = TRUE;
}

/* Called before every value: separates array elements. Object members get
 * their separator in _key(), so a value right after a key adds nothing. */
static void
before_value (GstAvMonitorJson * json)
{
  if (json->after_key)
    json->after_key = FALSE;
  else if (json->empty[json->depth])
    json->empty[json->depth] = FALSE;
  else
    g_string_append_c (json->str, ',');
}

/* Nesting deeper than we track (details built by users can nest) is
 * written as null, and everything inside it dropped, so the output stays
 * valid JSON. */
static void
open_level (GstAvMonitorJson * json, gchar c)
{
  if (json->overflow > 0 || json->depth + 1 >= G_N_ELEMENTS (json->empty)) {
    if (json->overflow == 0) {
      before_value (json);
      g_string_append (json->str, "null");
    }
    json->overflow++;
    return;
  }
  before_value (json);
  g_string_append_c (json->str, c);
  json->depth++;
  json->empty[json->depth] = TRUE;
}

static void
close_level (GstAvMonitorJson * json, gchar c)
{
  if (json->overflow > 0) {
    json->overflow--;
    return;
  }
  g_return_if_fail (json->depth > 0);
  json->depth--;
  g_string_append_c (json->str, c);
}

void
gst_av_monitor_json_begin_object (GstAvMonitorJson * json)
{
  open_level (json, '{');
}

void
gst_av_monitor_json_end_object (GstAvMonitorJson * json)
{
  close_level (json, '}');
}

void
gst_av_monitor_json_begin_array (GstAvMonitorJson * json)
{
  open_level (json, '[');
}

void
gst_av_monitor_json_end_array (GstAvMonitorJson * json)
{
  close_level (json, ']');
}

static void
append_escaped (GString * str, const gchar * s)
{
  const gchar *p = s;
  const gchar *end = s + strlen (s);

  g_string_append_c (str, '"');
  while (p < end) {
    gunichar c = g_utf8_get_char_validated (p, end - p);

    if (c == (gunichar) - 1 || c == (gunichar) - 2) {
      /* invalid byte: replace it and resynchronise on the next one */
      g_string_append (str, "\\ufffd");
      p++;
      continue;
    }
    switch (c) {
      case '"':
        g_string_append (str, "\\\"");
        break;
      case '\\':
        g_string_append (str, "\\\\");
        break;
      case '\n':
        g_string_append (str, "\\n");
        break;
      case '\r':
        g_string_append (str, "\\r");
        break;
      case '\t':
        g_string_append (str, "\\t");
        break;
      case '\b':
        g_string_append (str, "\\b");
        break;
      case '\f':
        g_string_append (str, "\\f");
        break;
      default:
        /* U+2028/2029 are valid JSON but break JavaScript readers */
        if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029)
          g_string_append_printf (str, "\\u%04x", c);
        else
          g_string_append_len (str, p, g_utf8_next_char (p) - p);
        break;
    }
    p = g_utf8_next_char (p);
  }
  g_string_append_c (str, '"');
}

void
gst_av_monitor_json_key (GstAvMonitorJson * json, const gchar * key)
{
  if (json->overflow)
    return;
  if (json->empty[json->depth])
    json->empty[json->depth] = FALSE;
  else
    g_string_append_c (json->str, ',');
  append_escaped (json->str, key);
  g_string_append_c (json->str, ':');
  json->after_key = TRUE;
}

void
gst_av_monitor_json_key_snake (GstAvMonitorJson * json, const gchar * name)
{
  gchar *snake = g_strdup (name);

  g_strdelimit (snake, "-", '_');
  gst_av_monitor_json_key (json, snake);
  g_free (snake);
}

void
gst_av_monitor_json_string (GstAvMonitorJson * json, const gchar * s)
{
  if (json->overflow)
    return;
  before_value (json);
  if (s == NULL)
    g_string_append (json->str, "null");
  else
    append_escaped (json->str, s);
}

void
gst_av_monitor_json_null (GstAvMonitorJson * json)
{
  if (json->overflow)
    return;
  before_value (json);
  g_string_append (json->str, "null");
}

void
gst_av_monitor_json_boolean (GstAvMonitorJson * json, gboolean b)
{
  if (json->overflow)
    return;
  before_value (json);
  g_string_append (json->str, b ? "true" : "false");
}

void
gst_av_monitor_json_int64 (GstAvMonitorJson * json, gint64 v)
{
  if (json->overflow)
    return;
  before_value (json);
  g_string_append_printf (json->str, "%" G_GINT64_FORMAT, v);
}

void
gst_av_monitor_json_uint64 (GstAvMonitorJson * json, guint64 v)
{
  if (json->overflow)
    return;
  before_value (json);
  g_string_append_printf (json->str, "%" G_GUINT64_FORMAT, v);
}

void
gst_av_monitor_json_double (GstAvMonitorJson * json, gdouble v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  gint precision;

  if (json->overflow)
    return;
  before_value (json);
  if (!isfinite (v)) {
    g_string_append (json->str, "null");
    return;
  }
  /* the shortest %g form that reads back to the same double */
  for (precision = 15; precision <= 17; precision++) {
    gchar fmt[8];

    g_snprintf (fmt, sizeof (fmt), "%%.%dg", precision);
    g_ascii_formatd (buf, sizeof (buf), fmt, v);
    if (g_ascii_strtod (buf, NULL) == v)
      break;
  }
  g_string_append (json->str, buf);
  /* keep it a float for typed readers: 2 -> 2.0 */
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (json->str, ".0");
}

void
gst_av_monitor_json_seconds (GstAvMonitorJson * json, GstClockTime t)
{
  gchar frac[16];
  gint len;

  if (json->overflow)
    return;
  before_value (json);
  if (!GST_CLOCK_TIME_IS_VALID (t)) {
    g_string_append (json->str, "null");
    return;
  }
  g_snprintf (frac, sizeof (frac), "%09u", (guint) (t % GST_SECOND));
  len = 9;
  while (len > 1 && frac[len - 1] == '0')
    len--;
  frac[len] = '\0';
  g_string_append_printf (json->str, "%" G_GUINT64_FORMAT ".%s",
      (guint64) (t / GST_SECOND), frac);
}

void
gst_av_monitor_json_clock_time (GstAvMonitorJson * json, GstClockTime t)
{
  if (!GST_CLOCK_TIME_IS_VALID (t))
    gst_av_monitor_json_null (json);
  else
    gst_av_monitor_json_uint64 (json, t);
}

void
gst_av_monitor_json_date_time (GstAvMonitorJson * json, GDateTime * dt)
{
  gchar *s;

  if (json->overflow)
    return;
  if (dt == NULL) {
    gst_av_monitor_json_null (json);
    return;
  }
  s = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  if (s == NULL) {
    gst_av_monitor_json_null (json);
    return;
  }
  before_value (json);
  g_string_append_printf (json->str, "\"%s.%03dZ\"", s,
      g_date_time_get_microsecond (dt) / 1000);
  g_free (s);
}

static gboolean
structure_field_cb (GQuark field, const GValue * value, gpointer user_data)
{
  GstAvMonitorJson *json = user_data;

  gst_av_monitor_json_key (json, g_quark_to_string (field));
  gst_av_monitor_json_value (json, value);
  return TRUE;
}

void
gst_av_monitor_json_structure (GstAvMonitorJson * json, const GstStructure * s)
{
  gst_av_monitor_json_begin_object (json);
  gst_structure_foreach (s, structure_field_cb, json);
  gst_av_monitor_json_end_object (json);
}

void
gst_av_monitor_json_value (GstAvMonitorJson * json, const GValue * value)
{
  GType type = G_VALUE_TYPE (value);

  switch (G_TYPE_FUNDAMENTAL (type)) {
    case G_TYPE_BOOLEAN:
      gst_av_monitor_json_boolean (json, g_value_get_boolean (value));
      return;
    case G_TYPE_CHAR:
      gst_av_monitor_json_int64 (json, g_value_get_schar (value));
      return;
    case G_TYPE_UCHAR:
      gst_av_monitor_json_uint64 (json, g_value_get_uchar (value));
      return;
    case G_TYPE_INT:
      gst_av_monitor_json_int64 (json, g_value_get_int (value));
      return;
    case G_TYPE_UINT:
      gst_av_monitor_json_uint64 (json, g_value_get_uint (value));
      return;
    case G_TYPE_LONG:
      gst_av_monitor_json_int64 (json, g_value_get_long (value));
      return;
    case G_TYPE_ULONG:
      gst_av_monitor_json_uint64 (json, g_value_get_ulong (value));
      return;
    case G_TYPE_INT64:
      gst_av_monitor_json_int64 (json, g_value_get_int64 (value));
      return;
    case G_TYPE_UINT64:
      gst_av_monitor_json_uint64 (json, g_value_get_uint64 (value));
      return;
    case G_TYPE_FLOAT:
      gst_av_monitor_json_double (json, g_value_get_float (value));
      return;
    case G_TYPE_DOUBLE:
      gst_av_monitor_json_double (json, g_value_get_double (value));
      return;
    case G_TYPE_STRING:
      gst_av_monitor_json_string (json, g_value_get_string (value));
      return;
    case G_TYPE_ENUM:{
      GEnumClass *klass = g_type_class_ref (type);
      GEnumValue *ev = g_enum_get_value (klass, g_value_get_enum (value));

      if (ev)
        gst_av_monitor_json_string (json, ev->value_nick);
      else
        gst_av_monitor_json_int64 (json, g_value_get_enum (value));
      g_type_class_unref (klass);
      return;
    }
    default:
      break;
  }

  if (type == GST_TYPE_STRUCTURE) {
    const GstStructure *s = gst_value_get_structure (value);

    if (s)
      gst_av_monitor_json_structure (json, s);
    else
      gst_av_monitor_json_null (json);
  } else if (type == GST_TYPE_ARRAY || type == GST_TYPE_LIST) {
    gboolean is_array = (type == GST_TYPE_ARRAY);
    guint i, n = is_array ? gst_value_array_get_size (value) :
        gst_value_list_get_size (value);

    gst_av_monitor_json_begin_array (json);
    for (i = 0; i < n; i++)
      gst_av_monitor_json_value (json, is_array ?
          gst_value_array_get_value (value, i) :
          gst_value_list_get_value (value, i));
    gst_av_monitor_json_end_array (json);
  } else {
    gchar *s = gst_value_serialize (value);

    gst_av_monitor_json_string (json, s);
    g_free (s);
  }
}
