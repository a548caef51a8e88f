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

#include "defect-report.h"
#include "avmonitor-json.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

/* How many closed span keys are remembered to drop late duplicates (a span
 * reaching the sink through two paths, or an end after the sink closed the
 * span itself). Bounded, so a 24/7 channel keeps constant memory. */
#define CLOSED_KEYS_MAX 4096

typedef struct
{
  GstAvMonitorDefect *start;
  guint stream_index;
  GDateTime *utc_start;
} OpenSpan;

typedef struct
{
  guint64 count;
  guint64 errors;
  guint64 warnings;
  guint64 truncated;
  GstClockTime total;
  GstClockTime longest;
} Totals;

typedef struct
{
  gchar *pad_name;
  gchar *media;
  DefectReportPosition pos;
  gboolean released;
  gboolean has_loudness;
  gdouble integrated, range, true_peak_max;
} Stream;

/* Totals of one (stream type, stream id): the summary's "streams" list. */
typedef struct
{
  gchar *stream_type;
  gchar *stream_id;
  Totals all;
  GHashTable *kinds;            /* kind nick -> Totals */
} StreamTotals;

struct _DefectReport
{
  gint fd;
  gboolean own_fd;

  GHashTable *open;             /* span key -> OpenSpan */
  GHashTable *closed;           /* span key -> NULL */
  GQueue closed_order;          /* of keys owned by @closed */

  Totals all;
  GHashTable *kinds;            /* kind nick -> Totals */
  GHashTable *series;           /* "kind\nstream-type" -> Totals (metrics) */
  GHashTable *stream_totals;    /* "type\nid" -> StreamTotals */
  GHashTable *streams;          /* pad index -> Stream */
  guint64 closed_by_sink;

  gboolean has_av_offset;
  gdouble av_offset;

  DefectReportUtcFunc utc_func;
  gpointer utc_data;

  gint write_errno;             /* first write error not yet reported */
  gboolean write_failed;        /* reported once: stop repeating it */
};

static void
open_span_free (gpointer data)
{
  OpenSpan *span = data;

  gst_av_monitor_defect_free (span->start);
  if (span->utc_start)
    g_date_time_unref (span->utc_start);
  g_free (span);
}

static void
stream_free (gpointer data)
{
  Stream *stream = data;

  g_free (stream->pad_name);
  g_free (stream->media);
  g_free (stream);
}

static void
stream_totals_free (gpointer data)
{
  StreamTotals *st = data;

  g_free (st->stream_type);
  g_free (st->stream_id);
  g_hash_table_unref (st->kinds);
  g_free (st);
}

static GHashTable *
totals_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DefectReport *
defect_report_new (void)
{
  DefectReport *report = g_new0 (DefectReport, 1);

  report->fd = -1;
  report->open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      open_span_free);
  report->closed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  g_queue_init (&report->closed_order);
  report->kinds = totals_table_new ();
  report->series = totals_table_new ();
  report->stream_totals = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, stream_totals_free);
  report->streams = g_hash_table_new_full (g_direct_hash, g_direct_equal,
      NULL, stream_free);
  return report;
}

void
defect_report_free (DefectReport * report)
{
  if (report == NULL)
    return;
  defect_report_close (report);
  g_hash_table_unref (report->open);
  g_queue_clear (&report->closed_order);
  g_hash_table_unref (report->closed);
  g_hash_table_unref (report->kinds);
  g_hash_table_unref (report->series);
  g_hash_table_unref (report->stream_totals);
  g_hash_table_unref (report->streams);
  g_free (report);
}

gboolean
defect_report_open (DefectReport * report, const gchar * location,
    gboolean append, GError ** error)
{
  gint fd;

  defect_report_close (report);
  if (location == NULL || *location == '\0')
    return TRUE;

  if (g_str_equal (location, "-")) {
    report->fd = STDOUT_FILENO;
    report->own_fd = FALSE;
    return TRUE;
  }

  fd = g_open (location, O_WRONLY | O_CREAT | O_CLOEXEC |
      (append ? O_APPEND : O_TRUNC), 0644);
  if (fd < 0) {
    gint err = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
        "Could not open \"%s\" for writing: %s", location, g_strerror (err));
    return FALSE;
  }
  report->fd = fd;
  report->own_fd = TRUE;
  return TRUE;
}

void
defect_report_close (DefectReport * report)
{
  if (report->fd >= 0 && report->own_fd)
    close (report->fd);
  report->fd = -1;
  report->own_fd = FALSE;
}

void
defect_report_reset (DefectReport * report)
{
  g_hash_table_remove_all (report->open);
  g_queue_clear (&report->closed_order);
  g_hash_table_remove_all (report->closed);
  memset (&report->all, 0, sizeof (report->all));
  g_hash_table_remove_all (report->kinds);
  g_hash_table_remove_all (report->series);
  g_hash_table_remove_all (report->stream_totals);
  report->closed_by_sink = 0;
  report->has_av_offset = FALSE;
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, report->streams);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      ((Stream *) value)->has_loudness = FALSE;
  }
}

static void
position_init (DefectReportPosition * pos)
{
  pos->first_running_time = GST_CLOCK_TIME_NONE;
  pos->last_timestamp = GST_CLOCK_TIME_NONE;
  pos->last_stream_time = GST_CLOCK_TIME_NONE;
  pos->last_running_time = GST_CLOCK_TIME_NONE;
  pos->last_buffer_monotonic_us = 0;
}

void
defect_report_set_stream (DefectReport * report, guint index,
    const gchar * pad_name, const gchar * media)
{
  Stream *stream = g_hash_table_lookup (report->streams,
      GUINT_TO_POINTER (index));

  if (stream == NULL) {
    stream = g_new0 (Stream, 1);
    position_init (&stream->pos);
    g_hash_table_insert (report->streams, GUINT_TO_POINTER (index), stream);
  }
  stream->released = FALSE;
  if (pad_name) {
    g_free (stream->pad_name);
    stream->pad_name = g_strdup (pad_name);
  }
  if (media) {
    g_free (stream->media);
    stream->media = g_strdup (media);
  }
}

void
defect_report_release_stream (DefectReport * report, guint index)
{
  Stream *stream = g_hash_table_lookup (report->streams,
      GUINT_TO_POINTER (index));

  if (stream)
    stream->released = TRUE;
}

DefectReportPosition *
defect_report_get_position (DefectReport * report, guint index)
{
  Stream *stream = g_hash_table_lookup (report->streams,
      GUINT_TO_POINTER (index));

  if (stream == NULL) {
    defect_report_set_stream (report, index, NULL, NULL);
    stream = g_hash_table_lookup (report->streams, GUINT_TO_POINTER (index));
  }
  return &stream->pos;
}

void
defect_report_set_utc_func (DefectReport * report, DefectReportUtcFunc func,
    gpointer user_data)
{
  report->utc_func = func;
  report->utc_data = user_data;
}

void
defect_report_set_loudness (DefectReport * report, guint index,
    gdouble integrated, gdouble range, gdouble true_peak)
{
  Stream *stream;

  defect_report_get_position (report, index);
  stream = g_hash_table_lookup (report->streams, GUINT_TO_POINTER (index));
  if (!stream->has_loudness || true_peak > stream->true_peak_max)
    stream->true_peak_max = true_peak;
  stream->has_loudness = TRUE;
  stream->integrated = integrated;
  stream->range = range;
}

void
defect_report_set_av_offset (DefectReport * report, gdouble offset_seconds)
{
  report->has_av_offset = TRUE;
  report->av_offset = offset_seconds;
}

static gchar *
span_key (const GstAvMonitorDefect * defect)
{
  const gchar *source = gst_av_monitor_defect_get_source (defect);

  return g_strdup_printf ("%s\n%" G_GUINT64_FORMAT, source ? source : "",
      gst_av_monitor_defect_get_id (defect));
}

static void
remember_closed (DefectReport * report, gchar * key)
{
  if (g_hash_table_contains (report->closed, key)) {
    g_free (key);
    return;
  }
  g_hash_table_add (report->closed, key);
  g_queue_push_tail (&report->closed_order, key);
  while (g_queue_get_length (&report->closed_order) > CLOSED_KEYS_MAX) {
    gchar *oldest = g_queue_pop_head (&report->closed_order);

    g_hash_table_remove (report->closed, oldest);
  }
}

static Totals *
totals_lookup (GHashTable * table, const gchar * key)
{
  Totals *t = g_hash_table_lookup (table, key);

  if (t == NULL) {
    t = g_new0 (Totals, 1);
    g_hash_table_insert (table, g_strdup (key), t);
  }
  return t;
}

static StreamTotals *
stream_totals_lookup (DefectReport * report, const GstAvMonitorDefect * d)
{
  const gchar *type = gst_av_monitor_stream_type_to_string
      (gst_av_monitor_defect_get_stream_type (d));
  const gchar *id = gst_av_monitor_defect_get_stream_id (d);
  gchar *key = g_strdup_printf ("%s\n%s", type, id ? id : "");
  StreamTotals *st = g_hash_table_lookup (report->stream_totals, key);

  if (st == NULL) {
    st = g_new0 (StreamTotals, 1);
    st->stream_type = g_strdup (type);
    st->stream_id = g_strdup (id ? id : "");
    st->kinds = totals_table_new ();
    g_hash_table_insert (report->stream_totals, key, st);
  } else {
    g_free (key);
  }
  return st;
}

static gchar *
series_key (const GstAvMonitorDefect * d)
{
  return g_strdup_printf ("%s\n%s", gst_av_monitor_defect_get_kind_nick (d),
      gst_av_monitor_stream_type_to_string
      (gst_av_monitor_defect_get_stream_type (d)));
}

/* Every table a span counts in, so start and end are counted alike. */
static void
for_each_totals (DefectReport * report, const GstAvMonitorDefect * d,
    void (*func) (Totals * t, const GstAvMonitorDefect * d))
{
  StreamTotals *st = stream_totals_lookup (report, d);
  gchar *skey = series_key (d);

  func (&report->all, d);
  func (totals_lookup (report->kinds, gst_av_monitor_defect_get_kind_nick (d)),
      d);
  func (totals_lookup (report->series, skey), d);
  func (&st->all, d);
  func (totals_lookup (st->kinds, gst_av_monitor_defect_get_kind_nick (d)), d);
  g_free (skey);
}

static void
count_span (Totals * t, const GstAvMonitorDefect * d)
{
  t->count++;
  if (gst_av_monitor_defect_get_severity (d) == GST_AV_MONITOR_SEVERITY_ERROR)
    t->errors++;
  else
    t->warnings++;
}

static GstClockTime
span_duration (const GstAvMonitorDefect * end)
{
  GstClockTime dur = gst_av_monitor_defect_get_duration (end);
  GstClockTime a, b;

  if (GST_CLOCK_TIME_IS_VALID (dur))
    return dur;
  a = gst_av_monitor_defect_get_start_running_time (end);
  b = gst_av_monitor_defect_get_running_time (end);
  if (GST_CLOCK_TIME_IS_VALID (a) && GST_CLOCK_TIME_IS_VALID (b) && b >= a)
    return b - a;
  a = gst_av_monitor_defect_get_start_stream_time (end);
  b = gst_av_monitor_defect_get_stream_time (end);
  if (GST_CLOCK_TIME_IS_VALID (a) && GST_CLOCK_TIME_IS_VALID (b) && b >= a)
    return b - a;
  return GST_CLOCK_TIME_NONE;
}

static void
end_span (Totals * t, const GstAvMonitorDefect * d)
{
  GstClockTime dur = span_duration (d);

  if (GST_CLOCK_TIME_IS_VALID (dur)) {
    t->total += dur;
    t->longest = MAX (t->longest, dur);
  }
  if (gst_av_monitor_defect_get_truncated (d))
    t->truncated++;
}

static GDateTime *
utc_for (DefectReport * report, guint index, GstClockTime running_time)
{
  if (report->utc_func == NULL || !GST_CLOCK_TIME_IS_VALID (running_time))
    return NULL;
  return report->utc_func (index, running_time, report->utc_data);
}

/* One write() per line, so a reader tailing the file never sees half a
 * line and a crash loses at most the line being written. */
static void
write_line (DefectReport * report, const gchar * json)
{
  gchar *line;
  gsize len, done = 0;

  if (report->fd < 0)
    return;
  line = g_strconcat (json, "\n", NULL);
  len = strlen (line);
  if (report->fd == STDOUT_FILENO)
    fflush (stdout);
  while (done < len) {
    gssize n = write (report->fd, line + done, len - done);

    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (!report->write_failed) {
        report->write_failed = TRUE;
        report->write_errno = errno;
      }
      break;
    }
    done += n;
  }
  g_free (line);
}

static void
write_edge (DefectReport * report, const GstAvMonitorDefect * d,
    GDateTime * utc_start, GDateTime * utc_end)
{
  gchar *json = gst_av_monitor_defect_to_json (d, utc_start, utc_end);

  write_line (report, json);
  g_free (json);
}

static gboolean
same_start (const GstAvMonitorDefect * a, const GstAvMonitorDefect * b)
{
  return gst_av_monitor_defect_get_running_time (a) ==
      gst_av_monitor_defect_get_running_time (b) &&
      gst_av_monitor_defect_get_timestamp (a) ==
      gst_av_monitor_defect_get_timestamp (b) &&
      g_strcmp0 (gst_av_monitor_defect_get_stream_id (a),
      gst_av_monitor_defect_get_stream_id (b)) == 0;
}

static void close_span (DefectReport * report, const gchar * key);

gboolean
defect_report_add (DefectReport * report, guint index,
    const GstAvMonitorDefect * defect)
{
  gchar *key = span_key (defect);

  if (gst_av_monitor_defect_get_event (defect) ==
      GST_AV_MONITOR_DEFECT_EVENT_START) {
    OpenSpan *span;

    span = g_hash_table_lookup (report->open, key);
    if (span && !same_start (span->start, defect)) {
      /* the same key for another span: the source was restarted (ids start
       * over) while we kept running. The old one will never end: close
       * it, and take the new one. */
      close_span (report, key);
      span = NULL;
    }
    if (span || g_hash_table_contains (report->closed, key)) {
      g_free (key);
      return FALSE;
    }
    span = g_new0 (OpenSpan, 1);
    span->start = gst_av_monitor_defect_copy (defect);
    span->stream_index = index;
    span->utc_start = utc_for (report, index,
        gst_av_monitor_defect_get_running_time (defect));
    write_edge (report, defect, span->utc_start, NULL);
    for_each_totals (report, defect, count_span);
    g_hash_table_insert (report->open, key, span);
    return TRUE;
  } else {
    OpenSpan *span = g_hash_table_lookup (report->open, key);
    GDateTime *utc_start, *utc_end;

    if (span == NULL && g_hash_table_contains (report->closed, key)) {
      g_free (key);
      return FALSE;
    }
    utc_end = utc_for (report, index,
        gst_av_monitor_defect_get_running_time (defect));
    if (span) {
      utc_start = span->utc_start ? g_date_time_ref (span->utc_start) : NULL;
    } else {
      /* the start never reached us: the end carries the whole span */
      utc_start = utc_for (report, index,
          gst_av_monitor_defect_get_start_running_time (defect));
      for_each_totals (report, defect, count_span);
    }
    write_edge (report, defect, utc_start, utc_end);
    for_each_totals (report, defect, end_span);
    g_hash_table_remove (report->open, key);
    remember_closed (report, key);
    if (utc_start)
      g_date_time_unref (utc_start);
    if (utc_end)
      g_date_time_unref (utc_end);
    return TRUE;
  }
}

static GstAvMonitorDefect *
make_truncated_end (DefectReport * report, OpenSpan * span)
{
  GstAvMonitorDefect *end = gst_av_monitor_defect_copy (span->start);
  Stream *stream = g_hash_table_lookup (report->streams,
      GUINT_TO_POINTER (span->stream_index));
  GstClockTime s_ts = gst_av_monitor_defect_get_timestamp (span->start);
  GstClockTime s_st = gst_av_monitor_defect_get_stream_time (span->start);
  GstClockTime s_rt = gst_av_monitor_defect_get_running_time (span->start);
  GstClockTime e_ts = GST_CLOCK_TIME_NONE, e_st = GST_CLOCK_TIME_NONE,
      e_rt = GST_CLOCK_TIME_NONE;

  if (stream) {
    e_ts = stream->pos.last_timestamp;
    e_st = stream->pos.last_stream_time;
    e_rt = stream->pos.last_running_time;
  }
  /* The stream never got past the start (or we know nothing): a span of
   * zero length at its start rather than one that ends before it begins. */
  if (!GST_CLOCK_TIME_IS_VALID (e_rt) || (GST_CLOCK_TIME_IS_VALID (s_rt)
          && e_rt < s_rt)) {
    e_ts = s_ts;
    e_st = s_st;
    e_rt = s_rt;
  }

  gst_av_monitor_defect_set_event (end, GST_AV_MONITOR_DEFECT_EVENT_END);
  gst_av_monitor_defect_set_truncated (end, TRUE);
  gst_av_monitor_defect_set_start_times (end, s_ts, s_st, s_rt);
  gst_av_monitor_defect_set_times (end, e_ts, e_st, e_rt);
  if (GST_CLOCK_TIME_IS_VALID (s_rt) && GST_CLOCK_TIME_IS_VALID (e_rt))
    gst_av_monitor_defect_set_duration (end, e_rt - s_rt);
  else if (GST_CLOCK_TIME_IS_VALID (s_st) && GST_CLOCK_TIME_IS_VALID (e_st)
      && e_st >= s_st)
    gst_av_monitor_defect_set_duration (end, e_st - s_st);
  else
    gst_av_monitor_defect_set_duration (end, GST_CLOCK_TIME_NONE);
  return end;
}

/* Writes a truncated end for the open span @key and forgets it. */
static void
close_span (DefectReport * report, const gchar * key)
{
  OpenSpan *span = g_hash_table_lookup (report->open, key);
  GstAvMonitorDefect *end;
  GDateTime *utc_end;

  if (span == NULL)
    return;
  end = make_truncated_end (report, span);
  utc_end = utc_for (report, span->stream_index,
      gst_av_monitor_defect_get_running_time (end));
  write_edge (report, end, span->utc_start, utc_end);
  for_each_totals (report, end, end_span);
  report->closed_by_sink++;
  g_hash_table_remove (report->open, key);
  gst_av_monitor_defect_free (end);
  if (utc_end)
    g_date_time_unref (utc_end);
}

guint
defect_report_close_open_spans (DefectReport * report, guint index)
{
  GHashTableIter iter;
  gpointer key, value;
  GPtrArray *keys = g_ptr_array_new ();
  guint i, closed = 0;

  g_hash_table_iter_init (&iter, report->open);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    OpenSpan *span = value;

    if (index == G_MAXUINT || span->stream_index == index)
      g_ptr_array_add (keys, key);
  }
  for (i = 0; i < keys->len; i++) {
    gchar *key = g_strdup (keys->pdata[i]);

    close_span (report, key);
    remember_closed (report, key);
    closed++;
  }
  g_ptr_array_free (keys, TRUE);
  return closed;
}

static GstClockTime
analysed_duration (DefectReport * report)
{
  GHashTableIter iter;
  gpointer value;
  GstClockTime longest = 0;

  g_hash_table_iter_init (&iter, report->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Stream *stream = value;

    if (GST_CLOCK_TIME_IS_VALID (stream->pos.first_running_time) &&
        GST_CLOCK_TIME_IS_VALID (stream->pos.last_running_time) &&
        stream->pos.last_running_time > stream->pos.first_running_time)
      longest = MAX (longest, stream->pos.last_running_time -
          stream->pos.first_running_time);
  }
  return longest;
}

void
defect_report_totals (DefectReport * report, guint64 * defects,
    guint64 * errors, guint64 * warnings, GstClockTime * analysed)
{
  if (defects)
    *defects = report->all.count;
  if (errors)
    *errors = report->all.errors;
  if (warnings)
    *warnings = report->all.warnings;
  if (analysed)
    *analysed = analysed_duration (report);
}

static void
json_totals (GstAvMonitorJson * json, const Totals * t)
{
  gst_av_monitor_json_key (json, "count");
  gst_av_monitor_json_uint64 (json, t->count);
  gst_av_monitor_json_key (json, "errors");
  gst_av_monitor_json_uint64 (json, t->errors);
  gst_av_monitor_json_key (json, "warnings");
  gst_av_monitor_json_uint64 (json, t->warnings);
  gst_av_monitor_json_key (json, "truncated");
  gst_av_monitor_json_uint64 (json, t->truncated);
  gst_av_monitor_json_key (json, "seconds");
  gst_av_monitor_json_seconds (json, t->total);
  gst_av_monitor_json_key (json, "longest");
  gst_av_monitor_json_seconds (json, t->longest);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar **) a, *(const gchar **) b);
}

/* Keys of a table, sorted, so reports are stable run to run. */
static GPtrArray *
sorted_keys (GHashTable * table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static void
json_kinds (GstAvMonitorJson * json, GHashTable * kinds)
{
  GPtrArray *keys = sorted_keys (kinds);
  guint i;

  gst_av_monitor_json_begin_object (json);
  for (i = 0; i < keys->len; i++) {
    gst_av_monitor_json_key (json, keys->pdata[i]);
    gst_av_monitor_json_begin_object (json);
    json_totals (json, g_hash_table_lookup (kinds, keys->pdata[i]));
    gst_av_monitor_json_end_object (json);
  }
  gst_av_monitor_json_end_object (json);
  g_ptr_array_free (keys, TRUE);
}

static gint
compare_uint_keys (gconstpointer a, gconstpointer b)
{
  guint x = GPOINTER_TO_UINT (*(gpointer *) a);
  guint y = GPOINTER_TO_UINT (*(gpointer *) b);

  return x < y ? -1 : (x > y);
}

static GPtrArray *
sorted_stream_indexes (DefectReport * report)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, report->streams);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_uint_keys);
  return keys;
}

gchar *
defect_report_summary_json (DefectReport * report, const gchar * input_name,
    gboolean complete)
{
  GstAvMonitorJson json;
  GString *str = g_string_new (NULL);
  GPtrArray *keys;
  guint i;
  GDateTime *now = g_date_time_new_now_utc ();

  gst_av_monitor_json_init (&json, str);
  gst_av_monitor_json_begin_object (&json);
  gst_av_monitor_json_key (&json, "input");
  gst_av_monitor_json_string (&json, input_name);
  gst_av_monitor_json_key (&json, "complete");
  gst_av_monitor_json_boolean (&json, complete);
  gst_av_monitor_json_key (&json, "written_utc");
  gst_av_monitor_json_date_time (&json, now);
  gst_av_monitor_json_key (&json, "analysed_duration");
  gst_av_monitor_json_seconds (&json, analysed_duration (report));
  gst_av_monitor_json_key (&json, "defects");
  gst_av_monitor_json_uint64 (&json, report->all.count);
  gst_av_monitor_json_key (&json, "errors");
  gst_av_monitor_json_uint64 (&json, report->all.errors);
  gst_av_monitor_json_key (&json, "warnings");
  gst_av_monitor_json_uint64 (&json, report->all.warnings);
  gst_av_monitor_json_key (&json, "seconds");
  gst_av_monitor_json_seconds (&json, report->all.total);
  gst_av_monitor_json_key (&json, "open");
  gst_av_monitor_json_uint64 (&json, g_hash_table_size (report->open));
  gst_av_monitor_json_key (&json, "closed_by_sink");
  gst_av_monitor_json_uint64 (&json, report->closed_by_sink);
  gst_av_monitor_json_key (&json, "av_offset_ms");
  if (report->has_av_offset)
    gst_av_monitor_json_double (&json, report->av_offset * 1000.0);
  else
    gst_av_monitor_json_null (&json);

  gst_av_monitor_json_key (&json, "kinds");
  json_kinds (&json, report->kinds);

  gst_av_monitor_json_key (&json, "streams");
  gst_av_monitor_json_begin_array (&json);
  keys = sorted_keys (report->stream_totals);
  for (i = 0; i < keys->len; i++) {
    StreamTotals *st = g_hash_table_lookup (report->stream_totals,
        keys->pdata[i]);

    gst_av_monitor_json_begin_object (&json);
    gst_av_monitor_json_key (&json, "stream_type");
    gst_av_monitor_json_string (&json, st->stream_type);
    gst_av_monitor_json_key (&json, "stream_id");
    gst_av_monitor_json_string (&json, st->stream_id);
    json_totals (&json, &st->all);
    gst_av_monitor_json_key (&json, "kinds");
    json_kinds (&json, st->kinds);
    gst_av_monitor_json_end_object (&json);
  }
  g_ptr_array_free (keys, TRUE);
  gst_av_monitor_json_end_array (&json);

  gst_av_monitor_json_key (&json, "pads");
  gst_av_monitor_json_begin_array (&json);
  keys = sorted_stream_indexes (report);
  for (i = 0; i < keys->len; i++) {
    Stream *s = g_hash_table_lookup (report->streams, keys->pdata[i]);
    GstClockTime dur = GST_CLOCK_TIME_NONE;

    if (GST_CLOCK_TIME_IS_VALID (s->pos.first_running_time) &&
        GST_CLOCK_TIME_IS_VALID (s->pos.last_running_time) &&
        s->pos.last_running_time >= s->pos.first_running_time)
      dur = s->pos.last_running_time - s->pos.first_running_time;
    gst_av_monitor_json_begin_object (&json);
    gst_av_monitor_json_key (&json, "pad");
    gst_av_monitor_json_string (&json, s->pad_name);
    gst_av_monitor_json_key (&json, "media");
    gst_av_monitor_json_string (&json, s->media);
    gst_av_monitor_json_key (&json, "analysed_duration");
    gst_av_monitor_json_seconds (&json, dur);
    if (s->has_loudness) {
      /* -inf (nothing measured yet) is written as null */
      gst_av_monitor_json_key (&json, "integrated_loudness");
      gst_av_monitor_json_double (&json, s->integrated);
      gst_av_monitor_json_key (&json, "loudness_range");
      gst_av_monitor_json_double (&json, s->range);
      gst_av_monitor_json_key (&json, "true_peak_max");
      gst_av_monitor_json_double (&json, s->true_peak_max);
    }
    gst_av_monitor_json_end_object (&json);
  }
  g_ptr_array_free (keys, TRUE);
  gst_av_monitor_json_end_array (&json);

  gst_av_monitor_json_end_object (&json);
  g_date_time_unref (now);
  return g_string_free (str, FALSE);
}

/* Prometheus label values: backslash, double quote and newline escaped. */
static void
append_label (GString * str, const gchar * name, const gchar * value,
    gboolean first)
{
  const gchar *p;

  if (!first)
    g_string_append_c (str, ',');
  g_string_append_printf (str, "%s=\"", name);
  for (p = value ? value : ""; *p; p++) {
    if (*p == '\\')
      g_string_append (str, "\\\\");
    else if (*p == '"')
      g_string_append (str, "\\\"");
    else if (*p == '\n')
      g_string_append (str, "\\n");
    else
      g_string_append_c (str, *p);
  }
  g_string_append_c (str, '"');
}

static void
append_double (GString * str, gdouble v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* nanosecond resolution is plenty, and keeps 0.00829 from printing as
   * 0.0082900000000000005 */
  g_string_append (str, g_ascii_formatd (buf, sizeof (buf), "%.9g", v));
}

static void
metric_header (GString * str, const gchar * name, const gchar * type,
    const gchar * help)
{
  g_string_append_printf (str, "# HELP %s %s\n# TYPE %s %s\n", name, help,
      name, type);
}

typedef enum
{
  SERIES_COUNT,
  SERIES_SECONDS,
  SERIES_ACTIVE,
} SeriesValue;

static void
append_series (GString * str, DefectReport * report, const gchar * metric,
    const gchar * input_name, GPtrArray * keys, SeriesValue what)
{
  guint i;

  for (i = 0; i < keys->len; i++) {
    const gchar *key = keys->pdata[i];
    gchar **parts = g_strsplit (key, "\n", 2);
    Totals *t = g_hash_table_lookup (report->series, key);

    g_string_append_printf (str, "%s{", metric);
    append_label (str, "input", input_name, TRUE);
    append_label (str, "kind", parts[0], FALSE);
    append_label (str, "stream", parts[1], FALSE);
    g_string_append (str, "} ");
    if (what == SERIES_COUNT) {
      g_string_append_printf (str, "%" G_GUINT64_FORMAT, t->count);
    } else if (what == SERIES_SECONDS) {
      append_double (str, (gdouble) t->total / GST_SECOND);
    } else {
      GHashTableIter iter;
      gpointer value;
      gboolean active = FALSE;

      g_hash_table_iter_init (&iter, report->open);
      while (!active && g_hash_table_iter_next (&iter, NULL, &value)) {
        gchar *skey = series_key (((OpenSpan *) value)->start);

        active = g_str_equal (skey, key);
        g_free (skey);
      }
      g_string_append (str, active ? "1" : "0");
    }
    g_string_append_c (str, '\n');
    g_strfreev (parts);
  }
}

gchar *
defect_report_metrics_text (DefectReport * report, const gchar * input_name,
    gint64 now_us)
{
  GString *str = g_string_new (NULL);
  GPtrArray *keys = sorted_keys (report->series);
  GPtrArray *streams;
  guint i;

  metric_header (str, "avmonitor_defects_total", "counter",
      "Defect spans seen, per kind and stream type.");
  append_series (str, report, "avmonitor_defects_total", input_name, keys,
      SERIES_COUNT);
  metric_header (str, "avmonitor_defect_seconds_total", "counter",
      "Seconds of ended defect spans, per kind and stream type.");
  append_series (str, report, "avmonitor_defect_seconds_total", input_name,
      keys, SERIES_SECONDS);
  metric_header (str, "avmonitor_defect_active", "gauge",
      "1 while a defect span of this kind and stream type is open.");
  append_series (str, report, "avmonitor_defect_active", input_name, keys,
      SERIES_ACTIVE);
  g_ptr_array_free (keys, TRUE);

  metric_header (str, "avmonitor_av_offset_seconds", "gauge",
      "Latest audio/video offset (BT.1359 sign: positive = audio leads).");
  if (report->has_av_offset) {
    g_string_append (str, "avmonitor_av_offset_seconds{");
    append_label (str, "input", input_name, TRUE);
    g_string_append (str, "} ");
    append_double (str, report->av_offset);
    g_string_append_c (str, '\n');
  }

  metric_header (str, "avmonitor_last_buffer_age_seconds", "gauge",
      "Seconds since the last buffer arrived, per sink pad.");
  streams = sorted_stream_indexes (report);
  for (i = 0; i < streams->len; i++) {
    Stream *s = g_hash_table_lookup (report->streams, streams->pdata[i]);

    if (s->pos.last_buffer_monotonic_us == 0 || s->released)
      continue;
    g_string_append (str, "avmonitor_last_buffer_age_seconds{");
    append_label (str, "input", input_name, TRUE);
    append_label (str, "pad", s->pad_name, FALSE);
    append_label (str, "stream", s->media ? s->media : "unknown", FALSE);
    g_string_append (str, "} ");
    append_double (str, MAX (0, now_us - s->pos.last_buffer_monotonic_us) /
        1e6);
    g_string_append_c (str, '\n');
  }

  metric_header (str, "avmonitor_loudness_integrated_lufs", "gauge",
      "Integrated programme loudness so far (BS.1770), per audio pad.");
  for (i = 0; i < streams->len; i++) {
    Stream *s = g_hash_table_lookup (report->streams, streams->pdata[i]);

    /* -inf (nothing measured yet) has no place in the exposition */
    if (!s->has_loudness || s->released || !isfinite (s->integrated))
      continue;
    g_string_append (str, "avmonitor_loudness_integrated_lufs{");
    append_label (str, "input", input_name, TRUE);
    append_label (str, "pad", s->pad_name, FALSE);
    g_string_append (str, "} ");
    append_double (str, s->integrated);
    g_string_append_c (str, '\n');
  }
  g_ptr_array_free (streams, TRUE);
  return g_string_free (str, FALSE);
}

gint
defect_report_take_write_error (DefectReport * report)
{
  gint err = report->write_errno;

  report->write_errno = 0;
  return err;
}

gboolean
defect_report_write_atomically (const gchar * path, const gchar * contents,
    GError ** error)
{
  /* g_file_set_contents writes a temporary file in the same directory, syncs
   * it and renames it over @path. */
  return g_file_set_contents (path, contents, -1, error);
}
