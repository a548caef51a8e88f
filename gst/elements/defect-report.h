/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The report state behind defectsink: the spans it holds open, deduplication,
 * the JSON Lines file, per kind / per stream totals, the summary document and
 * the Prometheus metrics text. No element code: the sink feeds it under its
 * own lock and posts messages itself. */

#ifndef __DEFECT_REPORT_H__
#define __DEFECT_REPORT_H__

#include <gst/gst.h>
#include "avmonitor.h"

G_BEGIN_DECLS

typedef struct _DefectReport DefectReport;

/* Where a stream (one sink pad) is, for closing spans ourselves and for the
 * analysed duration and buffer-age metrics. */
typedef struct
{
  GstClockTime first_running_time;
  GstClockTime last_timestamp;
  GstClockTime last_stream_time;
  GstClockTime last_running_time;
  gint64 last_buffer_monotonic_us;  /* 0: no buffer yet */
} DefectReportPosition;

G_GNUC_INTERNAL DefectReport *defect_report_new (void);
G_GNUC_INTERNAL void defect_report_free (DefectReport * report);

/* Opens the JSON Lines file ("-" is stdout). NULL location: no file. */
G_GNUC_INTERNAL gboolean defect_report_open (DefectReport * report,
    const gchar * location, gboolean append, GError ** error);
G_GNUC_INTERNAL void defect_report_close (DefectReport * report);

/* Forgets the totals and spans of a previous run (READY->PAUSED). */
G_GNUC_INTERNAL void defect_report_reset (DefectReport * report);

/* Streams are the sink pads; index is the pad's number. */
G_GNUC_INTERNAL void defect_report_set_stream (DefectReport * report,
    guint index, const gchar * pad_name, const gchar * media);
G_GNUC_INTERNAL void defect_report_release_stream (DefectReport * report,
    guint index);
G_GNUC_INTERNAL DefectReportPosition *defect_report_get_position (DefectReport * report,
    guint index);

/* Maps a running time to wall-clock time for the utc_* fields. Returns NULL
 * when unknown. */
typedef GDateTime *(*DefectReportUtcFunc) (guint stream_index,
    GstClockTime running_time, gpointer user_data);
G_GNUC_INTERNAL void defect_report_set_utc_func (DefectReport * report,
    DefectReportUtcFunc func, gpointer user_data);

/* Takes one defect edge that arrived on stream @index. Returns TRUE if it was
 * new and written, FALSE if it was a duplicate or a late end of a span
 * already closed. */
G_GNUC_INTERNAL gboolean defect_report_add (DefectReport * report,
    guint index, const GstAvMonitorDefect * defect);

/* Closes (truncated) the open spans that arrived on stream @index, or on
 * every stream if @index is G_MAXUINT, at the stream's last position.
 * Returns how many were closed. */
G_GNUC_INTERNAL guint defect_report_close_open_spans (DefectReport * report,
    guint index);

G_GNUC_INTERNAL void defect_report_set_av_offset (DefectReport * report,
    gdouble offset_seconds);

/* Latest programme loudness of stream @index (from avmonitor-stats):
 * integrated LUFS and range LU so far, and the interval's true peak (dBTP;
 * the highest one is kept). */
G_GNUC_INTERNAL void defect_report_set_loudness (DefectReport * report,
    guint index, gdouble integrated, gdouble range, gdouble true_peak);

/* The summary document (one JSON object). @complete: the run reached EOS. */
G_GNUC_INTERNAL gchar *defect_report_summary_json (DefectReport * report,
    const gchar * input_name, gboolean complete);
G_GNUC_INTERNAL void defect_report_totals (DefectReport * report,
    guint64 * defects, guint64 * errors, guint64 * warnings,
    GstClockTime * analysed);

/* Prometheus text exposition format. @now_us: g_get_monotonic_time (). */
G_GNUC_INTERNAL gchar *defect_report_metrics_text (DefectReport * report,
    const gchar * input_name, gint64 now_us);

/* The errno of the first failed line write, once (0 otherwise): the sink
 * turns it into an element warning. */
G_GNUC_INTERNAL gint defect_report_take_write_error (DefectReport * report);

/* Writes @contents to @path through a temporary file and a rename, so a
 * reader never sees a partial file. */
G_GNUC_INTERNAL gboolean defect_report_write_atomically (const gchar * path,
    const gchar * contents, GError ** error);

G_END_DECLS

#endif /* __DEFECT_REPORT_H__ */
