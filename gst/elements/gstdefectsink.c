/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-defectsink
 * @title: defectsink
 *
 * Collects the `avmonitor-defect` events that the gst-avmonitor detectors
 * push downstream and writes the reports: a JSON Lines file with one line per
 * span start and end (`location`), a summary document at EOS
 * (`summary-location`) and Prometheus metrics (`metrics-location`).
 *
 * It is a bin with request pads `sink_%u` that take any caps. Each pad feeds
 * an internal sink that consumes the media like fakesink (async off, so a
 * late or missing stream never blocks preroll); all pads share one report.
 * The same span reaching it twice (through a tee, or both avsyncmeter pads) is
 * written once: edges are deduplicated on (source, id, event).
 *
 * When the last pad receives EOS it closes the spans still open (truncated),
 * writes the summary and the metrics, and posts `avmonitor-summary` before
 * the bin's EOS:
 *
 * - `json` (string): the summary document
 * - `defects`, `errors`, `warnings` (guint64): span counts
 * - `duration` (guint64, ns): the analysed duration
 *
 * A flushing seek closes the spans that arrived on the flushed pad; releasing
 * a pad closes its spans; stopping the pipeline closes every open span and
 * writes an incomplete summary. Late ends of spans the sink has closed are
 * ignored. Lines already written are never rewritten.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=100 ! video/x-raw ! \
 *     defectsink location=defects.jsonl summary-location=summary.json
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstdefectsink.h"
#include "gstavmonitorelements.h"
#include "defect-report.h"
#include "avmonitor.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

GST_DEBUG_CATEGORY_STATIC (defect_sink_debug);
#define GST_CAT_DEFAULT defect_sink_debug

#define DEFAULT_LOCATION          NULL
#define DEFAULT_APPEND            FALSE
#define DEFAULT_SUMMARY_LOCATION  NULL
#define DEFAULT_SUMMARY_INTERVAL  0
#define DEFAULT_METRICS_LOCATION  NULL
#define DEFAULT_INTERVAL          GST_SECOND
#define MIN_INTERVAL              (10 * GST_MSECOND)
#define DEFAULT_INPUT_NAME        NULL
#define DEFAULT_SYNC              FALSE

enum
{
  PROP_0,
  PROP_LOCATION,
  PROP_APPEND,
  PROP_SUMMARY_LOCATION,
  PROP_SUMMARY_INTERVAL,
  PROP_METRICS_LOCATION,
  PROP_INTERVAL,
  PROP_INPUT_NAME,
  PROP_SYNC,
};

typedef struct
{
  guint index;
  GstPad *ghost;
  GstElement *sink;
  GstPad *sinkpad;
  gulong probe_id;
  gboolean eos;
  GstSegment segment;

  /* wall-clock mapping from GstReferenceTimestampMeta, when present */
  gboolean has_reference;
  GstClockTime reference_running_time;
  guint64 reference_unix_ns;
} SinkPad;

struct _GstDefectSink
{
  GstBin parent;

  /* protects everything below; never held while posting */
  GMutex lock;
  GCond cond;

  gchar *location;
  gboolean append;
  gchar *summary_location;
  GstClockTime summary_interval;
  gchar *metrics_location;
  GstClockTime interval;
  gchar *input_name;
  gboolean sync;

  GHashTable *pads;             /* index -> SinkPad */
  guint next_index;
  DefectReport *report;
  gboolean finished;

  GThread *timer;
  gboolean timer_stop;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink_%u",
    GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);

static GstCaps *reference_caps;

#define gst_defect_sink_parent_class parent_class
G_DEFINE_TYPE (GstDefectSink, gst_defect_sink, GST_TYPE_BIN);

static gboolean
defectsink_element_init (GstPlugin * plugin)
{
  avmonitor_element_init (plugin);
  return gst_element_register (plugin, "defectsink", GST_RANK_NONE,
      GST_TYPE_DEFECT_SINK);
}

GST_ELEMENT_REGISTER_DEFINE_CUSTOM (defectsink, defectsink_element_init);

static void gst_defect_sink_finalize (GObject * object);
static void gst_defect_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_defect_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstPad *gst_defect_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_defect_sink_release_pad (GstElement * element, GstPad * pad);
static GstStateChangeReturn gst_defect_sink_change_state (GstElement * element,
    GstStateChange transition);

static void
gst_defect_sink_class_init (GstDefectSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_defect_sink_finalize;
  gobject_class->set_property = gst_defect_sink_set_property;
  gobject_class->get_property = gst_defect_sink_get_property;

  /**
   * defectsink:location:
   *
   * JSON Lines report: one line per defect span start and end, written and
   * flushed line by line. `-` writes to stdout. Unset: no file.
   */
  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "JSON Lines report file, one line per defect start/end "
          "(\"-\" = stdout; unset = none)", DEFAULT_LOCATION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * defectsink:append:
   *
   * Keep an existing `location` file and add to it, for inputs that
   * reconnect.
   */
  g_object_class_install_property (gobject_class, PROP_APPEND,
      g_param_spec_boolean ("append", "Append",
          "Append to an existing report file instead of truncating it",
          DEFAULT_APPEND, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * defectsink:summary-location:
   *
   * Summary document (JSON), written at EOS through a temporary file and a
   * rename; also when the pipeline stops without EOS (then `complete` is
   * false), and every `summary-interval` if set.
   */
  g_object_class_install_property (gobject_class, PROP_SUMMARY_LOCATION,
      g_param_spec_string ("summary-location", "Summary location",
          "Summary JSON document written at EOS (unset = none)",
          DEFAULT_SUMMARY_LOCATION, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));

  /**
   * defectsink:summary-interval:
   *
   * Rewrite the summary every this many nanoseconds, for inputs that never
   * reach EOS. 0: only at EOS.
   */
  g_object_class_install_property (gobject_class, PROP_SUMMARY_INTERVAL,
      g_param_spec_uint64 ("summary-interval", "Summary interval",
          "Rewrite the summary periodically, in ns (0 = only at EOS; "
          "at least 10 ms)",
          0, G_MAXUINT64, DEFAULT_SUMMARY_INTERVAL, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));

  /**
   * defectsink:metrics-location:
   *
   * Prometheus text exposition file, rewritten atomically every `interval`
   * and at EOS (node_exporter textfile collector convention).
   */
  g_object_class_install_property (gobject_class, PROP_METRICS_LOCATION,
      g_param_spec_string ("metrics-location", "Metrics location",
          "Prometheus metrics file rewritten every interval (unset = none)",
          DEFAULT_METRICS_LOCATION, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));

  /**
   * defectsink:interval:
   *
   * How often the metrics file is rewritten, in nanoseconds.
   */
  g_object_class_install_property (gobject_class, PROP_INTERVAL,
      g_param_spec_uint64 ("interval", "Interval",
          "Metrics rewrite interval in ns", MIN_INTERVAL, G_MAXUINT64,
          DEFAULT_INTERVAL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * defectsink:input-name:
   *
   * The `input` label of every metric and the `input` of the summary, so
   * many inputs on one host never collide. Unset: the element name.
   */
  g_object_class_install_property (gobject_class, PROP_INPUT_NAME,
      g_param_spec_string ("input-name", "Input name",
          "Input label for metrics and summary (unset = element name)",
          DEFAULT_INPUT_NAME, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * defectsink:sync:
   *
   * Passed to the internal sinks: consume buffers in time with the clock.
   * Off by default, so a file is analysed as fast as it decodes.
   */
  g_object_class_install_property (gobject_class, PROP_SYNC,
      g_param_spec_boolean ("sync", "Sync",
          "Consume buffers in sync with the clock", DEFAULT_SYNC,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Defect report sink", "Sink/Analyzer",
      "Writes the defects found by gst-avmonitor detectors as JSON Lines, "
      "a summary and Prometheus metrics",
      "the gst-avmonitor authors");

  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_defect_sink_request_new_pad);
  element_class->release_pad = GST_DEBUG_FUNCPTR (gst_defect_sink_release_pad);
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_defect_sink_change_state);

  reference_caps = gst_caps_new_empty_simple ("timestamp/x-unix");
  GST_MINI_OBJECT_FLAG_SET (reference_caps,
      GST_MINI_OBJECT_FLAG_MAY_BE_LEAKED);

  GST_DEBUG_CATEGORY_INIT (defect_sink_debug, "defectsink", 0,
      "gst-avmonitor defect report sink");
}

static GDateTime *utc_for_running_time (guint index, GstClockTime running_time,
    gpointer user_data);

static void
sink_pad_free (gpointer data)
{
  g_free (data);
}

static void
gst_defect_sink_init (GstDefectSink * self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->append = DEFAULT_APPEND;
  self->summary_interval = DEFAULT_SUMMARY_INTERVAL;
  self->interval = DEFAULT_INTERVAL;
  self->sync = DEFAULT_SYNC;
  self->pads = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
      sink_pad_free);
  self->report = defect_report_new ();
  defect_report_set_utc_func (self->report, utc_for_running_time, self);
}

static void
gst_defect_sink_finalize (GObject * object)
{
  GstDefectSink *self = GST_DEFECT_SINK (object);

  defect_report_free (self->report);
  g_hash_table_unref (self->pads);
  g_free (self->location);
  g_free (self->summary_location);
  g_free (self->metrics_location);
  g_free (self->input_name);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* Setting a child's property emits notify and deep-notify at once; a
 * handler reading our properties would deadlock on our lock, so the
 * children are set after it is released. */
static void
set_sync (GstDefectSink * self, gboolean sync)
{
  GPtrArray *sinks = g_ptr_array_new_with_free_func (gst_object_unref);
  GHashTableIter iter;
  gpointer value;
  guint i;

  g_mutex_lock (&self->lock);
  self->sync = sync;
  g_hash_table_iter_init (&iter, self->pads);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sinks, gst_object_ref (((SinkPad *) value)->sink));
  g_mutex_unlock (&self->lock);
  for (i = 0; i < sinks->len; i++)
    g_object_set (sinks->pdata[i], "sync", sync, NULL);
  g_ptr_array_unref (sinks);
}

static void
gst_defect_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstDefectSink *self = GST_DEFECT_SINK (object);

  if (prop_id == PROP_SYNC) {
    set_sync (self, g_value_get_boolean (value));
    return;
  }
  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_LOCATION:
      g_free (self->location);
      self->location = g_value_dup_string (value);
      break;
    case PROP_APPEND:
      self->append = g_value_get_boolean (value);
      break;
    case PROP_SUMMARY_LOCATION:
      g_free (self->summary_location);
      self->summary_location = g_value_dup_string (value);
      break;
    case PROP_SUMMARY_INTERVAL:{
      guint64 v = g_value_get_uint64 (value);

      /* below the metrics minimum the timer would rewrite it in a loop */
      self->summary_interval = v ? MAX (v, MIN_INTERVAL) : 0;
      break;
    }
    case PROP_METRICS_LOCATION:
      g_free (self->metrics_location);
      self->metrics_location = g_value_dup_string (value);
      break;
    case PROP_INTERVAL:
      self->interval = g_value_get_uint64 (value);
      break;
    case PROP_INPUT_NAME:
      g_free (self->input_name);
      self->input_name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_defect_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstDefectSink *self = GST_DEFECT_SINK (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_APPEND:
      g_value_set_boolean (value, self->append);
      break;
    case PROP_SUMMARY_LOCATION:
      g_value_set_string (value, self->summary_location);
      break;
    case PROP_SUMMARY_INTERVAL:
      g_value_set_uint64 (value, self->summary_interval);
      break;
    case PROP_METRICS_LOCATION:
      g_value_set_string (value, self->metrics_location);
      break;
    case PROP_INTERVAL:
      g_value_set_uint64 (value, self->interval);
      break;
    case PROP_INPUT_NAME:
      g_value_set_string (value, self->input_name);
      break;
    case PROP_SYNC:
      g_value_set_boolean (value, self->sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

/* Called with self->lock held (from inside the report). */
static GDateTime *
utc_for_running_time (guint index, GstClockTime running_time,
    gpointer user_data)
{
  GstDefectSink *self = user_data;
  SinkPad *sp = g_hash_table_lookup (self->pads, GUINT_TO_POINTER (index));
  gint64 unix_us;
  GDateTime *epoch, *dt;

  if (sp && sp->has_reference) {
    gint64 delta = (gint64) running_time - (gint64) sp->reference_running_time;

    unix_us = ((gint64) sp->reference_unix_ns + delta) / 1000;
  } else {
    GstClock *clock;
    GstClockTime base_time, now;

    GST_OBJECT_LOCK (self);
    clock = GST_ELEMENT_CLOCK (self) ? gst_object_ref (GST_ELEMENT_CLOCK (self))
        : NULL;
    base_time = GST_ELEMENT_CAST (self)->base_time;
    GST_OBJECT_UNLOCK (self);
    if (clock == NULL || !GST_CLOCK_TIME_IS_VALID (base_time)) {
      if (clock)
        gst_object_unref (clock);
      return NULL;
    }
    /* the span happened at clock time base + running time; the clock says
     * what time it is now: map through the wall clock read at once */
    now = gst_clock_get_time (clock);
    gst_object_unref (clock);
    /* A span ahead of the clock is from media analysed faster than real
     * time (a file, sync=false): it has no wall-clock time. */
    if (base_time + running_time > now + GST_SECOND)
      return NULL;
    unix_us = g_get_real_time () -
        ((gint64) now - (gint64) (base_time + running_time)) / 1000;
  }
  if (unix_us < 0)
    return NULL;
  epoch = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  if (epoch == NULL)
    return NULL;
  dt = g_date_time_add (epoch, unix_us % G_USEC_PER_SEC);
  g_date_time_unref (epoch);
  return dt;
}

static const gchar *
input_name (GstDefectSink * self)
{
  return self->input_name ? self->input_name : GST_OBJECT_NAME (self);
}

typedef struct
{
  gchar *summary;
  gchar *metrics;
  gchar *summary_location;
  gchar *metrics_location;
  GstStructure *message;
} Outputs;

/* Builds what must be written, under the lock; the files are written and the
 * message posted after it is released. */
static void
collect_outputs (GstDefectSink * self, Outputs * out, gboolean summary,
    gboolean complete, gboolean message)
{
  memset (out, 0, sizeof (*out));
  if (summary && (self->summary_location || message))
    out->summary = defect_report_summary_json (self->report,
        input_name (self), complete);
  if (summary && self->summary_location)
    out->summary_location = g_strdup (self->summary_location);
  if (self->metrics_location) {
    out->metrics = defect_report_metrics_text (self->report,
        input_name (self), g_get_monotonic_time ());
    out->metrics_location = g_strdup (self->metrics_location);
  }
  if (message) {
    guint64 defects, errors, warnings;
    GstClockTime analysed;

    defect_report_totals (self->report, &defects, &errors, &warnings,
        &analysed);
    out->message = gst_structure_new (GST_AV_MONITOR_SUMMARY_NAME,
        GST_AV_MONITOR_SUMMARY_JSON, G_TYPE_STRING, out->summary,
        GST_AV_MONITOR_SUMMARY_DEFECTS, G_TYPE_UINT64, defects,
        GST_AV_MONITOR_SUMMARY_ERRORS, G_TYPE_UINT64, errors,
        GST_AV_MONITOR_SUMMARY_WARNINGS, G_TYPE_UINT64, warnings,
        GST_AV_MONITOR_SUMMARY_DURATION, G_TYPE_UINT64, analysed, NULL);
  }
}

static void
write_outputs (GstDefectSink * self, Outputs * out)
{
  GError *err = NULL;

  if (out->summary_location && out->summary &&
      !defect_report_write_atomically (out->summary_location, out->summary,
          &err)) {
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("Could not write summary file \"%s\".", out->summary_location),
        ("%s", err->message));
    g_clear_error (&err);
  }
  if (out->metrics_location && out->metrics &&
      !defect_report_write_atomically (out->metrics_location, out->metrics,
          &err)) {
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("Could not write metrics file \"%s\".", out->metrics_location),
        ("%s", err->message));
    g_clear_error (&err);
  }
  if (out->message)
    gst_element_post_message (GST_ELEMENT_CAST (self),
        gst_message_new_element (GST_OBJECT_CAST (self), out->message));
  g_free (out->summary);
  g_free (out->metrics);
  g_free (out->summary_location);
  g_free (out->metrics_location);
}

/* With the lock held: TRUE if every pad has seen EOS. */
static gboolean
all_pads_eos (GstDefectSink * self)
{
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->pads) == 0)
    return FALSE;
  g_hash_table_iter_init (&iter, self->pads);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!((SinkPad *) value)->eos)
      return FALSE;
  return TRUE;
}

/* With the lock held: the end of the run. Returns TRUE if @out must be
 * written (the first time only). */
static gboolean
finish_locked (GstDefectSink * self, Outputs * out, gboolean complete,
    gboolean message)
{
  guint closed;

  if (self->finished)
    return FALSE;
  self->finished = TRUE;
  closed = defect_report_close_open_spans (self->report, G_MAXUINT);
  if (closed)
    GST_INFO_OBJECT (self, "closed %u open spans as truncated", closed);
  collect_outputs (self, out, TRUE, complete, message);
  return TRUE;
}

static void
update_position (SinkPad * sp, DefectReportPosition * pos, GstClockTime ts,
    GstClockTime duration)
{
  GstClockTime end = ts, rt, st;

  if (!GST_CLOCK_TIME_IS_VALID (ts) || sp->segment.format != GST_FORMAT_TIME)
    return;
  if (GST_CLOCK_TIME_IS_VALID (duration))
    end = ts + duration;
  rt = gst_segment_to_running_time (&sp->segment, GST_FORMAT_TIME, end);
  st = gst_segment_to_stream_time (&sp->segment, GST_FORMAT_TIME, end);
  if (!GST_CLOCK_TIME_IS_VALID (rt))
    return;
  if (!GST_CLOCK_TIME_IS_VALID (pos->first_running_time)) {
    GstClockTime first = gst_segment_to_running_time (&sp->segment,
        GST_FORMAT_TIME, ts);

    pos->first_running_time = GST_CLOCK_TIME_IS_VALID (first) ? first : rt;
  }
  pos->last_timestamp = end;
  pos->last_stream_time = st;
  pos->last_running_time = rt;
}

static void
handle_buffer (GstDefectSink * self, SinkPad * sp, GstBuffer * buf)
{
  DefectReportPosition *pos = defect_report_get_position (self->report,
      sp->index);
  GstClockTime ts = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf) :
      GST_BUFFER_DTS (buf);
  GstReferenceTimestampMeta *meta;

  pos->last_buffer_monotonic_us = g_get_monotonic_time ();
  update_position (sp, pos, ts, GST_BUFFER_DURATION (buf));

  meta = gst_buffer_get_reference_timestamp_meta (buf, reference_caps);
  if (meta && GST_CLOCK_TIME_IS_VALID (ts) &&
      sp->segment.format == GST_FORMAT_TIME) {
    GstClockTime rt = gst_segment_to_running_time (&sp->segment,
        GST_FORMAT_TIME, ts);

    if (GST_CLOCK_TIME_IS_VALID (rt)) {
      sp->has_reference = TRUE;
      sp->reference_running_time = rt;
      sp->reference_unix_ns = meta->timestamp;
    }
  }
}

static gboolean
buffer_list_cb (GstBuffer ** buf, guint idx, gpointer user_data)
{
  gpointer *args = user_data;

  handle_buffer (args[0], args[1], *buf);
  return TRUE;
}

static const gchar *
media_of_caps (GstCaps * caps)
{
  const gchar *name;

  if (caps == NULL || gst_caps_get_size (caps) == 0)
    return "unknown";
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_has_prefix (name, "video/") || g_str_has_prefix (name, "image/"))
    return "video";
  if (g_str_has_prefix (name, "audio/"))
    return "audio";
  return "other";
}

static void
handle_sync_measurement (GstDefectSink * self, const GstStructure * s)
{
  gboolean valid = FALSE;
  gdouble offset_ms;

  if (gst_structure_get_boolean (s, GST_AV_MONITOR_SYNC_VALID, &valid) &&
      valid && gst_structure_get_double (s, GST_AV_MONITOR_SYNC_OFFSET_MS,
          &offset_ms))
    defect_report_set_av_offset (self->report, offset_ms / 1000.0);
}

/* Audio measurements from avqualitydetect, in-band: the programme loudness
 * of the summary and metrics. */
static void
handle_loudness (GstDefectSink * self, guint index, const GstStructure * s)
{
  gdouble integrated, range, true_peak;

  if (gst_structure_get_double (s, GST_AV_MONITOR_STATS_INTEGRATED_LOUDNESS,
          &integrated) &&
      gst_structure_get_double (s, GST_AV_MONITOR_STATS_LOUDNESS_RANGE,
          &range) &&
      gst_structure_get_double (s, GST_AV_MONITOR_STATS_TRUE_PEAK,
          &true_peak))
    defect_report_set_loudness (self->report, index, integrated, range,
        true_peak);
}

static GstPadProbeReturn
sink_pad_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstDefectSink *self = GST_DEFECT_SINK (gst_object_get_parent
      (GST_OBJECT (GST_PAD_PARENT (pad))));
  guint index = GPOINTER_TO_UINT (user_data);
  SinkPad *sp;
  Outputs out;
  gboolean write = FALSE;
  gint write_errno;

  if (self == NULL)
    return GST_PAD_PROBE_OK;

  g_mutex_lock (&self->lock);
  sp = g_hash_table_lookup (self->pads, GUINT_TO_POINTER (index));
  if (sp == NULL)
    goto done;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    handle_buffer (self, sp, GST_PAD_PROBE_INFO_BUFFER (info));
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    gpointer args[2] = { self, sp };

    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        buffer_list_cb, args);
  } else if (info->type & GST_PAD_PROBE_TYPE_EVENT_BOTH) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    switch (GST_EVENT_TYPE (event)) {
      case GST_EVENT_CAPS:{
        GstCaps *caps;

        gst_event_parse_caps (event, &caps);
        defect_report_set_stream (self->report, index, NULL,
            media_of_caps (caps));
        break;
      }
      case GST_EVENT_SEGMENT:
        gst_event_copy_segment (event, &sp->segment);
        break;
      case GST_EVENT_GAP:{
        GstClockTime ts, dur;

        gst_event_parse_gap (event, &ts, &dur);
        update_position (sp, defect_report_get_position (self->report, index),
            ts, dur);
        break;
      }
      case GST_EVENT_CUSTOM_DOWNSTREAM:{
        const GstStructure *s = gst_event_get_structure (event);
        GstAvMonitorDefect *defect;

        if (s && gst_structure_has_name (s, GST_AV_MONITOR_SYNC_NAME)) {
          handle_sync_measurement (self, s);
          break;
        }
        if (s && gst_structure_has_name (s, GST_AV_MONITOR_STATS_NAME)) {
          handle_loudness (self, index, s);
          break;
        }
        defect = gst_av_monitor_defect_new_from_event (event);
        if (defect) {
          if (!defect_report_add (self->report, index, defect))
            GST_LOG_OBJECT (self, "dropped duplicate or late %s %s",
                gst_av_monitor_defect_get_kind_nick (defect),
                gst_av_monitor_defect_get_event (defect) ==
                GST_AV_MONITOR_DEFECT_EVENT_START ? "start" : "end");
          gst_av_monitor_defect_free (defect);
        }
        break;
      }
      case GST_EVENT_FLUSH_STOP:{
        guint closed = defect_report_close_open_spans (self->report, index);

        if (closed)
          GST_INFO_OBJECT (self, "flush on pad %u closed %u spans", index,
              closed);
        sp->eos = FALSE;
        self->finished = FALSE;
        gst_segment_init (&sp->segment, GST_FORMAT_TIME);
        break;
      }
      case GST_EVENT_STREAM_START:
        sp->eos = FALSE;
        break;
      case GST_EVENT_EOS:
        sp->eos = TRUE;
        if (all_pads_eos (self))
          write = finish_locked (self, &out, TRUE, TRUE);
        break;
      default:
        break;
    }
  }

done:
  write_errno = defect_report_take_write_error (self->report);
  g_mutex_unlock (&self->lock);
  if (write_errno)
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("Could not write to the report file \"%s\"; defects are still "
            "posted on the bus.", self->location ? self->location : ""),
        ("%s", g_strerror (write_errno)));
  if (write)
    write_outputs (self, &out);
  gst_object_unref (self);
  return GST_PAD_PROBE_OK;
}

static GstPad *
gst_defect_sink_request_new_pad (GstElement * element, GstPadTemplate * templ,
    const gchar * name, const GstCaps * caps)
{
  GstDefectSink *self = GST_DEFECT_SINK (element);
  SinkPad *sp;
  guint index;
  gchar *pad_name, *sink_name;
  GstElement *sink;
  GstPad *ghost, *target;

  g_mutex_lock (&self->lock);
  if (name && sscanf (name, "sink_%u", &index) == 1) {
    if (g_hash_table_contains (self->pads, GUINT_TO_POINTER (index))) {
      g_mutex_unlock (&self->lock);
      GST_WARNING_OBJECT (self, "pad %s already exists", name);
      return NULL;
    }
  } else {
    index = self->next_index;
    while (g_hash_table_contains (self->pads, GUINT_TO_POINTER (index)))
      index++;
  }
  self->next_index = MAX (self->next_index, index + 1);
  g_mutex_unlock (&self->lock);

  sink = gst_element_factory_make ("fakesink", NULL);
  if (sink == NULL) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("The fakesink element (GStreamer core) is missing."), (NULL));
    return NULL;
  }
  sink_name = g_strdup_printf ("sink_%u-consumer", index);
  gst_object_set_name (GST_OBJECT (sink), sink_name);
  g_free (sink_name);
  g_object_set (sink, "async", FALSE, "sync", self->sync,
      "enable-last-sample", FALSE, "qos", FALSE, NULL);

  /* the sink must be in the bin before the ghost pad targets it */
  gst_object_ref (sink);
  gst_bin_add (GST_BIN (self), sink);

  pad_name = g_strdup_printf ("sink_%u", index);
  target = gst_element_get_static_pad (sink, "sink");
  ghost = gst_ghost_pad_new_from_template (pad_name, target, templ);
  g_free (pad_name);

  sp = g_new0 (SinkPad, 1);
  sp->index = index;
  sp->ghost = ghost;
  sp->sink = sink;
  sp->sinkpad = target;
  gst_segment_init (&sp->segment, GST_FORMAT_TIME);

  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->pads, GUINT_TO_POINTER (index), sp);
  defect_report_set_stream (self->report, index, GST_PAD_NAME (ghost), NULL);
  /* a pad added after EOS reopens the run */
  self->finished = FALSE;
  g_mutex_unlock (&self->lock);

  sp->probe_id = gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
      GST_PAD_PROBE_TYPE_EVENT_FLUSH, sink_pad_probe, GUINT_TO_POINTER (index),
      NULL);

  gst_element_sync_state_with_parent (sink);
  if (GST_STATE (self) > GST_STATE_READY)
    gst_pad_set_active (ghost, TRUE);
  gst_element_add_pad (element, ghost);
  return ghost;
}

static void
gst_defect_sink_release_pad (GstElement * element, GstPad * pad)
{
  GstDefectSink *self = GST_DEFECT_SINK (element);
  SinkPad *sp = NULL;
  GHashTableIter iter;
  gpointer value;
  GstElement *sink;
  GstPad *target;
  gulong probe_id;
  Outputs out;
  gboolean write = FALSE;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->pads);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    if (((SinkPad *) value)->ghost == pad) {
      sp = value;
      break;
    }
  }
  if (sp == NULL) {
    g_mutex_unlock (&self->lock);
    return;
  }
  defect_report_close_open_spans (self->report, sp->index);
  /* kept for the summary's analysed duration, gone from the metrics (a
   * released pad is not a dead input) */
  defect_report_release_stream (self->report, sp->index);
  sink = sp->sink;
  target = sp->sinkpad;
  probe_id = sp->probe_id;
  g_hash_table_remove (self->pads, GUINT_TO_POINTER (sp->index));
  /* the remaining pads may all be at EOS already */
  if (all_pads_eos (self))
    write = finish_locked (self, &out, TRUE, TRUE);
  g_mutex_unlock (&self->lock);

  gst_pad_remove_probe (target, probe_id);
  gst_object_unref (target);
  gst_element_set_state (sink, GST_STATE_NULL);
  /* during dispose the bin has already dropped its children */
  if (GST_OBJECT_PARENT (sink) == GST_OBJECT_CAST (self))
    gst_bin_remove (GST_BIN (self), sink);
  gst_object_unref (sink);
  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (element, pad);

  if (write)
    write_outputs (self, &out);
}

static gpointer
timer_thread (gpointer user_data)
{
  GstDefectSink *self = user_data;
  gint64 next_metrics, next_summary = G_MAXINT64;

  g_mutex_lock (&self->lock);
  next_metrics = g_get_monotonic_time () + self->interval / GST_USECOND;
  if (self->summary_interval > 0 && self->summary_location)
    next_summary = g_get_monotonic_time () +
        self->summary_interval / GST_USECOND;
  while (!self->timer_stop) {
    gint64 now = g_get_monotonic_time ();
    gint64 deadline = MIN (next_metrics, next_summary);
    gboolean do_summary = FALSE;
    Outputs out;

    if (now < deadline) {
      g_cond_wait_until (&self->cond, &self->lock, deadline);
      continue;
    }
    if (now >= next_summary) {
      do_summary = !self->finished;
      next_summary = now + self->summary_interval / GST_USECOND;
    }
    if (now >= next_metrics)
      next_metrics = now + self->interval / GST_USECOND;
    if (!self->metrics_location && !do_summary)
      continue;
    collect_outputs (self, &out, do_summary, FALSE, FALSE);
    g_mutex_unlock (&self->lock);
    write_outputs (self, &out);
    g_mutex_lock (&self->lock);
  }
  g_mutex_unlock (&self->lock);
  return NULL;
}

static gboolean
check_writable_dir (GstDefectSink * self, const gchar * path)
{
  gchar *dir;
  gboolean ok;

  if (path == NULL)
    return TRUE;
  dir = g_path_get_dirname (path);
  ok = g_access (dir, W_OK) == 0;
  if (!ok) {
    gint err = errno;

    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
        ("Could not write \"%s\": its folder \"%s\" is not writable.", path,
            dir), ("%s", g_strerror (err)));
  }
  g_free (dir);
  return ok;
}

static gboolean
gst_defect_sink_start (GstDefectSink * self)
{
  GError *err = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = defect_report_open (self->report, self->location, self->append, &err);
  g_mutex_unlock (&self->lock);
  if (!ok) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
        ("Could not open report file \"%s\" for writing.", self->location),
        ("%s", err->message));
    g_clear_error (&err);
    return FALSE;
  }
  if (!check_writable_dir (self, self->summary_location) ||
      !check_writable_dir (self, self->metrics_location)) {
    g_mutex_lock (&self->lock);
    defect_report_close (self->report);
    g_mutex_unlock (&self->lock);
    return FALSE;
  }
  return TRUE;
}

static void
gst_defect_sink_reset (GstDefectSink * self)
{
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->lock);
  defect_report_reset (self->report);
  g_hash_table_iter_init (&iter, self->pads);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    SinkPad *sp = value;
    DefectReportPosition *pos = defect_report_get_position (self->report,
        sp->index);

    sp->eos = FALSE;
    sp->has_reference = FALSE;
    gst_segment_init (&sp->segment, GST_FORMAT_TIME);
    pos->first_running_time = GST_CLOCK_TIME_NONE;
    pos->last_timestamp = GST_CLOCK_TIME_NONE;
    pos->last_stream_time = GST_CLOCK_TIME_NONE;
    pos->last_running_time = GST_CLOCK_TIME_NONE;
    pos->last_buffer_monotonic_us = 0;
  }
  self->finished = FALSE;
  self->timer_stop = FALSE;
  if (self->timer == NULL && (self->metrics_location ||
          (self->summary_interval > 0 && self->summary_location)))
    self->timer = g_thread_new ("defectsink-timer", timer_thread, self);
  g_mutex_unlock (&self->lock);
}

static void
gst_defect_sink_stop (GstDefectSink * self)
{
  GThread *timer;
  Outputs out;
  gboolean write;

  g_mutex_lock (&self->lock);
  self->timer_stop = TRUE;
  g_cond_broadcast (&self->cond);
  timer = self->timer;
  self->timer = NULL;
  g_mutex_unlock (&self->lock);
  if (timer)
    g_thread_join (timer);

  /* stopped without EOS: keep what was written, close what is open and
   * leave an incomplete summary rather than none */
  g_mutex_lock (&self->lock);
  write = finish_locked (self, &out, FALSE, FALSE);
  g_mutex_unlock (&self->lock);
  if (write)
    write_outputs (self, &out);
}

static GstStateChangeReturn
gst_defect_sink_change_state (GstElement * element, GstStateChange transition)
{
  GstDefectSink *self = GST_DEFECT_SINK (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      /* like filesink: location and append may change in READY */
      if (!gst_defect_sink_start (self))
        return GST_STATE_CHANGE_FAILURE;
      gst_defect_sink_reset (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
      gst_defect_sink_stop (self);
    return ret;
  }

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      gst_defect_sink_stop (self);
      g_mutex_lock (&self->lock);
      defect_report_close (self->report);
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
  }
  return ret;
}
