/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-avdefectinject
 * @title: avdefectinject
 * @short_description: injects known defects into clean media
 *
 * avdefectinject passes buffers through untouched, except inside the time
 * windows of its #GstAvDefectInject:schedule, where it injects the defect
 * the schedule names: a frozen, black, flat or block-damaged picture,
 * dropped frames, silence, a -70 dBFS hiss, a silent channel, clipping,
 * dropouts, a loudness step, removed audio samples, damaged bytes of an
 * encoded stream, an A/V offset or a stall. It is deterministic for a given
 * #GstAvDefectInject:seed and input, and it records what it actually did:
 * an `avmonitor-injected` element message at the start and at the end of
 * every span, and one JSON Lines record per span (end record) in
 * #GstAvDefectInject:truth-location, in the schema of defectsink's report.
 *
 * The schedule is a list of `KIND@START+DURATION[,KEY=VALUE...]` entries
 * separated by `;`, START in stream time, times with a unit (ns, us, ms, s,
 * min, h). Entries whose kind does not apply to the stream (a freeze on
 * audio) are ignored, so one schedule can drive the audio and the video
 * injector of a pipeline. docs/avdefectinject.md lists every kind, key and
 * span convention.
 *
 * The `avmonitor-injected` message carries the fields of an
 * `avmonitor-defect` message (see the library), with `kind` the kind a
 * detector should report (frame-drop -> frame-gap, hiss -> silence,
 * audio-gap -> discontinuity, bitstream-damage -> block-corruption,
 * av-offset -> av-sync), plus `injected`, the schedule kind. Its `details`
 * holds `injected`, `entry` (index in the schedule) and per-kind fields.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=300 pattern=ball ! \
 *   video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! \
 *   avdefectinject schedule="freeze@2s+3s; black@6s+1s" \
 *   truth-location=truth.jsonl ! fakesink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <math.h>

#include "gstavmonitorelements.h"
#include "gstavdefectinject.h"
#include "inject-schedule.h"

GST_DEBUG_CATEGORY_STATIC (gst_av_defect_inject_debug);
#define GST_CAT_DEFAULT gst_av_defect_inject_debug

#define DEFAULT_SCHEDULE       NULL
#define DEFAULT_SEED           0
#define DEFAULT_TRUTH_LOCATION NULL
#define DEFAULT_POST_MESSAGES  TRUE

enum
{
  PROP_0,
  PROP_SCHEDULE,
  PROP_SEED,
  PROP_TRUTH_LOCATION,
  PROP_POST_MESSAGES,
};

/* The run-time state of one schedule entry (a dropout entry becomes one
 * state per run, so that every run is its own span). */
typedef struct
{
  InjectEntry e;
  guint index;
  gboolean applies;
  GRand *rand;

  gboolean open;
  gboolean finished;
  guint64 id;
  GstClockTime start_ts;
  GstClockTime start_stream;
  GstClockTime start_running;
  /* end (buffer time) of the last buffer or sample affected: the span end
   * when EOS, flush or stop cuts it */
  GstClockTime last_end;

  GstBuffer *ref;               /* freeze: the repeated picture */
  guint64 n_affected;           /* frames, buffers or samples */
  guint64 n_extra;              /* clipped samples, damaged bytes */
  gdouble area_sum;
  gint rx0, ry0, rx1, ry1;
  GstClockTime held;            /* stall */
} InjectState;

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

#define gst_av_defect_inject_parent_class parent_class
G_DEFINE_TYPE (GstAvDefectInject, gst_av_defect_inject,
    GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (avdefectinject, "avdefectinject",
    GST_RANK_NONE, GST_TYPE_AV_DEFECT_INJECT, avmonitor_element_init (plugin));

static void state_free (InjectState * st);
static void gst_av_defect_inject_finalize (GObject * object);
static void gst_av_defect_inject_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_av_defect_inject_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_av_defect_inject_change_state (GstElement *
    element, GstStateChange transition);
static gboolean gst_av_defect_inject_start (GstBaseTransform * trans);
static gboolean gst_av_defect_inject_stop (GstBaseTransform * trans);
static gboolean gst_av_defect_inject_set_caps (GstBaseTransform * trans,
    GstCaps * incaps, GstCaps * outcaps);
static gboolean gst_av_defect_inject_sink_event (GstBaseTransform * trans,
    GstEvent * event);
static GstFlowReturn gst_av_defect_inject_generate_output (GstBaseTransform *
    trans, GstBuffer ** outbuf);
static GstFlowReturn gst_av_defect_inject_transform_ip (GstBaseTransform *
    trans, GstBuffer * buf);

static GstCaps *gst_av_defect_inject_transform_caps (GstBaseTransform *
    trans, GstPadDirection direction, GstCaps * caps, GstCaps * filter);
static gboolean gst_av_defect_inject_accept_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps);

static void
gst_av_defect_inject_class_init (GstAvDefectInjectClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_av_defect_inject_debug, "avdefectinject", 0,
      "avmonitor defect injection");

  gobject_class->finalize = gst_av_defect_inject_finalize;
  gobject_class->set_property = gst_av_defect_inject_set_property;
  gobject_class->get_property = gst_av_defect_inject_get_property;

  /**
   * GstAvDefectInject:schedule:
   *
   * What to inject: `KIND@START+DURATION[,KEY=VALUE...]` entries separated
   * by `;`, START in stream time, e.g. `freeze@5s+3s; black@12s+2.5s;
   * block-corruption@20s+1s,area=0.05; silence@30s+3s`. Times need a unit:
   * ns, us, ms, s, min or h. An invalid schedule is refused with a warning
   * naming the character and token at fault; the property keeps its
   * previous value, and the next READY->PAUSED fails with an element error
   * so a pipeline never runs silently without its defects. Changing the
   * schedule while playing ends the open spans (truncated) and starts over
   * with the new one at the next buffer. Default: none (pass-through).
   */
  g_object_class_install_property (gobject_class, PROP_SCHEDULE,
      g_param_spec_string ("schedule", "Schedule",
          "Defects to inject: KIND@START+DURATION[,KEY=VALUE...] entries "
          "separated by ';' (see docs/avdefectinject.md)", DEFAULT_SCHEDULE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstAvDefectInject:seed:
   *
   * Seed of the pseudo-random choices (damaged blocks and bytes, hiss
   * noise). The same seed, schedule and input give the same output. Each
   * entry draws from its own generator, seeded from this seed and the
   * entry's index, so adding an entry does not change the others.
   * Default: 0.
   */
  g_object_class_install_property (gobject_class, PROP_SEED,
      g_param_spec_uint64 ("seed", "Seed",
          "Seed of the pseudo-random choices", 0, G_MAXUINT64, DEFAULT_SEED,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstAvDefectInject:truth-location:
   *
   * JSON Lines file of the spans actually injected, one end record per
   * span (with `start`, `end` and `duration`), in the schema of
   * defectsink's report, `source` the element name, plus `injected` (the
   * schedule kind). Written line by line and flushed, truncated at
   * READY->PAUSED. Default: none.
   */
  g_object_class_install_property (gobject_class, PROP_TRUTH_LOCATION,
      g_param_spec_string ("truth-location", "Truth location",
          "JSON Lines file of the injected spans (ground truth)",
          DEFAULT_TRUTH_LOCATION, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstAvDefectInject:post-messages:
   *
   * Whether to post `avmonitor-injected` element messages at the start and
   * end of each span. Default: %TRUE.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post avmonitor-injected element messages", DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "A/V defect injector", "Filter/Effect/Audio/Video",
      "Injects known defects (freeze, black, block corruption, silence, "
      "clipping, dropouts, A/V offset, ...) into clean media and records the "
      "ground truth", "the gst-avmonitor authors");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_av_defect_inject_change_state);

  trans_class->start = GST_DEBUG_FUNCPTR (gst_av_defect_inject_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_av_defect_inject_stop);
  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_av_defect_inject_set_caps);
  trans_class->transform_caps =
      GST_DEBUG_FUNCPTR (gst_av_defect_inject_transform_caps);
  trans_class->accept_caps =
      GST_DEBUG_FUNCPTR (gst_av_defect_inject_accept_caps);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_av_defect_inject_sink_event);
  trans_class->generate_output =
      GST_DEBUG_FUNCPTR (gst_av_defect_inject_generate_output);
  trans_class->transform_ip =
      GST_DEBUG_FUNCPTR (gst_av_defect_inject_transform_ip);
  trans_class->passthrough_on_same_caps = FALSE;
}

static void
gst_av_defect_inject_init (GstAvDefectInject * self)
{
  self->seed = DEFAULT_SEED;
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->entries = g_array_new (FALSE, TRUE, sizeof (InjectEntry));
  self->states = g_ptr_array_new_with_free_func ((GDestroyNotify) state_free);
  self->stream_type = GST_AV_MONITOR_STREAM_TYPE_UNKNOWN;
  g_mutex_init (&self->truth_lock);
  g_mutex_init (&self->stall_lock);
  g_cond_init (&self->stall_cond);
  /* always in place, never passthrough: generate_output decides per buffer
   * whether to touch it, and only then makes it writable */
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), FALSE);
}

static void
state_free (InjectState * st)
{
  if (st->rand)
    g_rand_free (st->rand);
  gst_clear_buffer (&st->ref);
  g_free (st);
}

static void
gst_av_defect_inject_finalize (GObject * object)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (object);

  g_free (self->schedule);
  g_free (self->schedule_error);
  g_free (self->truth_location);
  g_free (self->stream_id);
  g_free (self->scratch);
  g_array_unref (self->entries);
  g_ptr_array_free (self->states, TRUE);
  gst_clear_buffer (&self->pending_out);
  g_mutex_clear (&self->truth_lock);
  g_mutex_clear (&self->stall_lock);
  g_cond_clear (&self->stall_cond);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_av_defect_inject_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (object);

  switch (prop_id) {
    case PROP_SCHEDULE:{
      const gchar *text = g_value_get_string (value);
      gchar *error = NULL;
      GArray *entries = inject_schedule_parse (text, &error);

      GST_OBJECT_LOCK (self);
      if (entries == NULL) {
        g_free (self->schedule_error);
        self->schedule_error = g_strdup (error);
      } else {
        g_free (self->schedule);
        self->schedule = g_strdup (text);
        g_array_unref (self->entries);
        self->entries = entries;
        self->schedule_changed = TRUE;
        g_clear_pointer (&self->schedule_error, g_free);
      }
      GST_OBJECT_UNLOCK (self);
      if (error) {
        /* a gst-launch user sees this; the state change error follows */
        g_warning ("%s: %s; the schedule is left unchanged",
            GST_OBJECT_NAME (self), error);
        g_free (error);
      }
      break;
    }
    case PROP_SEED:
      GST_OBJECT_LOCK (self);
      self->seed = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_TRUTH_LOCATION:
      GST_OBJECT_LOCK (self);
      g_free (self->truth_location);
      self->truth_location = g_value_dup_string (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_POST_MESSAGES:
      GST_OBJECT_LOCK (self);
      self->post_messages = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_av_defect_inject_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (object);

  switch (prop_id) {
    case PROP_SCHEDULE:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->schedule);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_SEED:
      GST_OBJECT_LOCK (self);
      g_value_set_uint64 (value, self->seed);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_TRUTH_LOCATION:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->truth_location);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_POST_MESSAGES:
      GST_OBJECT_LOCK (self);
      g_value_set_boolean (value, self->post_messages);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

/* time */

static GstClockTime
buffer_time (GstBuffer * buf)
{
  if (GST_BUFFER_PTS_IS_VALID (buf))
    return GST_BUFFER_PTS (buf);
  return GST_BUFFER_DTS (buf);
}

static GstClockTime
to_stream_time (GstAvDefectInject * self, GstClockTime ts)
{
  GstSegment *seg = &GST_BASE_TRANSFORM (self)->segment;

  if (!GST_CLOCK_TIME_IS_VALID (ts))
    return GST_CLOCK_TIME_NONE;
  if (seg->format != GST_FORMAT_TIME)
    return ts;
  return gst_segment_to_stream_time (seg, GST_FORMAT_TIME, ts);
}

static GstClockTime
to_running_time (GstAvDefectInject * self, GstClockTime ts)
{
  GstSegment *seg = &GST_BASE_TRANSFORM (self)->segment;

  if (!GST_CLOCK_TIME_IS_VALID (ts) || seg->format != GST_FORMAT_TIME)
    return GST_CLOCK_TIME_NONE;
  return gst_segment_to_running_time (seg, GST_FORMAT_TIME, ts);
}

/* stream time -> buffer time, so audio windows are exact to the sample */
static GstClockTime
from_stream_time (GstAvDefectInject * self, GstClockTime st)
{
  GstSegment *seg = &GST_BASE_TRANSFORM (self)->segment;
  GstClockTime ts;

  if (seg->format != GST_FORMAT_TIME)
    return st;
  ts = gst_segment_position_from_stream_time (seg, GST_FORMAT_TIME, st);
  /* a window before the segment start lies before every buffer */
  return GST_CLOCK_TIME_IS_VALID (ts) ? ts : 0;
}

static GstClockTime
entry_end (const InjectEntry * e)
{
  return e->duration ? e->start + e->duration : GST_CLOCK_TIME_NONE;
}

/* spans: messages and truth */

static GstAvMonitorDefect *
make_defect (GstAvDefectInject * self, InjectState * st,
    GstAvMonitorDefectEvent event, GstClockTime end_ts, gboolean truncated)
{
  const InjectEntry *e = &st->e;
  GstAvMonitorDefect *d;
  GstStructure *details;

  d = gst_av_monitor_defect_new (inject_kind_detected_as (e->kind), event,
      GST_OBJECT_NAME (self), st->id);
  gst_av_monitor_defect_set_stream_type (d, e->kind == INJECT_KIND_AV_OFFSET ?
      GST_AV_MONITOR_STREAM_TYPE_AV : self->stream_type);
  gst_av_monitor_defect_set_stream_id (d, self->stream_id);
  if (event == GST_AV_MONITOR_DEFECT_EVENT_START) {
    gst_av_monitor_defect_set_times (d, st->start_ts, st->start_stream,
        st->start_running);
  } else {
    gst_av_monitor_defect_set_times (d, end_ts, to_stream_time (self, end_ts),
        to_running_time (self, end_ts));
    gst_av_monitor_defect_set_start_times (d, st->start_ts, st->start_stream,
        st->start_running);
    if (GST_CLOCK_TIME_IS_VALID (end_ts) && end_ts >= st->start_ts)
      gst_av_monitor_defect_set_duration (d, end_ts - st->start_ts);
    gst_av_monitor_defect_set_truncated (d, truncated);
  }

  details = gst_av_monitor_defect_writable_details (d);
  gst_structure_set (details, "injected", G_TYPE_STRING,
      inject_kind_name (e->kind), "entry", G_TYPE_UINT, st->index, NULL);

  switch (e->kind) {
    case INJECT_KIND_FREEZE:
    case INJECT_KIND_BLACK:
    case INJECT_KIND_UNIFORM:
    case INJECT_KIND_FRAME_DROP:
      gst_structure_set (details, "frames", G_TYPE_UINT64, st->n_affected,
          NULL);
      if (e->kind == INJECT_KIND_UNIFORM)
        gst_structure_set (details, "color", G_TYPE_UINT, e->color, NULL);
      break;
    case INJECT_KIND_BLOCK_CORRUPTION:{
      gdouble area = st->n_affected ? st->area_sum / st->n_affected : 0.0;

      gst_structure_set (details, GST_AV_MONITOR_DETAIL_AREA, G_TYPE_DOUBLE,
          area, "block", G_TYPE_UINT, e->block, "frames", G_TYPE_UINT64,
          st->n_affected, NULL);
      gst_av_monitor_defect_set_measure (d, area, NAN, "ratio");
      if (st->rx1 > st->rx0)
        gst_av_monitor_defect_set_region (d, st->rx0, st->ry0,
            st->rx1 - st->rx0, st->ry1 - st->ry0);
      break;
    }
    case INJECT_KIND_HISS:
      gst_av_monitor_defect_set_measure (d, e->level_db, NAN, "dBFS");
      gst_structure_set (details, "level", G_TYPE_DOUBLE, e->level_db, NULL);
      break;
    case INJECT_KIND_CHANNEL_SILENCE:
      gst_structure_set (details, GST_AV_MONITOR_DETAIL_CHANNEL_MASK,
          G_TYPE_UINT64, e->channels, NULL);
      break;
    case INJECT_KIND_CLIPPING:
      gst_structure_set (details, GST_AV_MONITOR_DETAIL_CLIPPED_SAMPLES,
          G_TYPE_UINT64, st->n_extra, "gain", G_TYPE_DOUBLE, e->gain_db, NULL);
      gst_av_monitor_defect_set_measure (d, e->gain_db, NAN, "dB");
      break;
    case INJECT_KIND_DROPOUT:
      gst_av_monitor_defect_set_measure (d, e->length / 1e6, NAN, "ms");
      break;
    case INJECT_KIND_LOUDNESS:
      gst_structure_set (details, GST_AV_MONITOR_DETAIL_SUBKIND,
          G_TYPE_STRING, "short-term", "gain", G_TYPE_DOUBLE, e->gain_db,
          NULL);
      gst_av_monitor_defect_set_measure (d, e->gain_db, NAN, "dB");
      break;
    case INJECT_KIND_AUDIO_GAP:
      gst_structure_set (details, "samples", G_TYPE_UINT64, st->n_affected,
          NULL);
      break;
    case INJECT_KIND_BITSTREAM_DAMAGE:
      gst_structure_set (details, "buffers", G_TYPE_UINT64, st->n_affected,
          "bytes", G_TYPE_UINT64, st->n_extra, NULL);
      break;
    case INJECT_KIND_AV_OFFSET:
      gst_av_monitor_defect_set_measure (d, e->offset / 1e6, NAN, "ms");
      gst_structure_set (details, "offset", G_TYPE_INT64, e->offset, NULL);
      break;
    case INJECT_KIND_STALL:
      gst_av_monitor_defect_set_measure (d, st->held / 1e6, NAN, "ms");
      break;
    default:
      break;
  }
  return d;
}

static void
emit (GstAvDefectInject * self, InjectState * st,
    GstAvMonitorDefectEvent event, GstClockTime end_ts, gboolean truncated)
{
  GstAvMonitorDefect *d = make_defect (self, st, event, end_ts, truncated);
  gboolean post;

  if (event == GST_AV_MONITOR_DEFECT_EVENT_END) {
    g_mutex_lock (&self->truth_lock);
    if (self->truth) {
      gchar *json = gst_av_monitor_defect_to_json (d, NULL, NULL);
      gsize len = strlen (json);

      /* the library's record has no `injected` member: append it to the
       * object so a reader needs no details lookup */
      if (len > 0 && json[len - 1] == '}')
        json[len - 1] = '\0';
      fprintf (self->truth, "%s,\"injected\":\"%s\"}\n", json,
          inject_kind_name (st->e.kind));
      fflush (self->truth);
      g_free (json);
    }
    g_mutex_unlock (&self->truth_lock);
  }

  GST_OBJECT_LOCK (self);
  post = self->post_messages;
  GST_OBJECT_UNLOCK (self);
  if (post) {
    GstStructure *s = gst_av_monitor_defect_to_structure (d);

    gst_structure_set_name (s, GST_AV_MONITOR_INJECTED_NAME);
    gst_structure_set (s, "injected", G_TYPE_STRING,
        inject_kind_name (st->e.kind), NULL);
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_element (GST_OBJECT (self), s));
  }
  gst_av_monitor_defect_free (d);
}

static void
span_open (GstAvDefectInject * self, InjectState * st, GstClockTime ts)
{
  st->open = TRUE;
  st->id = ++self->next_id;
  st->start_ts = ts;
  st->start_stream = to_stream_time (self, ts);
  st->start_running = to_running_time (self, ts);
  st->last_end = ts;
  GST_DEBUG_OBJECT (self, "%s span %" G_GUINT64_FORMAT " starts at %"
      GST_TIME_FORMAT, inject_kind_name (st->e.kind), st->id,
      GST_TIME_ARGS (ts));
  emit (self, st, GST_AV_MONITOR_DEFECT_EVENT_START, GST_CLOCK_TIME_NONE,
      FALSE);
}

static void
span_close (GstAvDefectInject * self, InjectState * st, GstClockTime end_ts,
    gboolean truncated)
{
  if (!st->open)
    return;
  GST_DEBUG_OBJECT (self, "%s span %" G_GUINT64_FORMAT " ends at %"
      GST_TIME_FORMAT "%s", inject_kind_name (st->e.kind), st->id,
      GST_TIME_ARGS (end_ts), truncated ? " (truncated)" : "");
  emit (self, st, GST_AV_MONITOR_DEFECT_EVENT_END, end_ts, truncated);
  st->open = FALSE;
  st->finished = TRUE;
  gst_clear_buffer (&st->ref);
}

/* Ends every open span (EOS, flush, stop, new schedule). */
static void
close_all (GstAvDefectInject * self)
{
  guint i;

  for (i = 0; i < self->states->len; i++) {
    InjectState *st = g_ptr_array_index (self->states, i);

    if (st->open)
      span_close (self, st, st->last_end, TRUE);
  }
}

/* schedule -> states */

static gboolean
kind_applies (GstAvDefectInject * self, InjectKind kind)
{
  InjectMedia m = inject_kind_media (kind);

  switch (self->media) {
    case GST_AV_DEFECT_INJECT_MEDIA_RAW_VIDEO:
      return (m & INJECT_MEDIA_RAW_VIDEO) != 0;
    case GST_AV_DEFECT_INJECT_MEDIA_RAW_AUDIO:
      return (m & INJECT_MEDIA_RAW_AUDIO) != 0;
    case GST_AV_DEFECT_INJECT_MEDIA_ENCODED:
      return (m & INJECT_MEDIA_ENCODED) != 0;
    default:
      return FALSE;
  }
}

/* kinds that read or write samples and pixels, so need a known format */
static gboolean
kind_needs_format (InjectKind kind)
{
  switch (kind) {
    case INJECT_KIND_FREEZE:
    case INJECT_KIND_BLACK:
    case INJECT_KIND_UNIFORM:
    case INJECT_KIND_BLOCK_CORRUPTION:
    case INJECT_KIND_SILENCE:
    case INJECT_KIND_HISS:
    case INJECT_KIND_CHANNEL_SILENCE:
    case INJECT_KIND_CLIPPING:
    case INJECT_KIND_DROPOUT:
    case INJECT_KIND_LOUDNESS:
      return TRUE;
    default:
      return FALSE;
  }
}

static void
reset_states (GstAvDefectInject * self, GArray * entries, guint64 seed)
{
  guint i, r;

  g_ptr_array_set_size (self->states, 0);
  gst_clear_buffer (&self->pending_out);
  self->discont_pending = FALSE;
  gst_pad_set_offset (GST_BASE_TRANSFORM_SRC_PAD (self), 0);

  for (i = 0; i < entries->len; i++) {
    const InjectEntry *e = &g_array_index (entries, InjectEntry, i);
    guint runs = e->kind == INJECT_KIND_DROPOUT ? e->count : 1;

    for (r = 0; r < runs; r++) {
      InjectState *st = g_new0 (InjectState, 1);
      guint32 s[3];

      st->e = *e;
      st->index = i;
      if (e->kind == INJECT_KIND_DROPOUT) {
        st->e.start = e->start + r * e->spacing;
        st->e.duration = e->length;
      }
      /* one generator per entry: entries do not disturb each other */
      s[0] = (guint32) seed;
      s[1] = (guint32) (seed >> 32);
      s[2] = i;
      st->rand = g_rand_new_with_seed_array (s, 3);
      st->start_ts = st->last_end = GST_CLOCK_TIME_NONE;
      st->applies = kind_applies (self, e->kind);
      g_ptr_array_add (self->states, st);
    }
  }
}

/* The kinds that write into raw video frames (the others that need a
 * format write audio samples). */
static gboolean
kind_touches_pixels (InjectKind kind)
{
  return kind == INJECT_KIND_FREEZE || kind == INJECT_KIND_BLACK ||
      kind == INJECT_KIND_UNIFORM || kind == INJECT_KIND_BLOCK_CORRUPTION;
}

/* A scheduled kind cannot touch this raw format: say which, and the fix. */
static void
post_format_error (GstAvDefectInject * self, const gchar * kind,
    gboolean video, const gchar * format)
{
  if (video)
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("avdefectinject cannot inject %s into %s video", kind,
            format ? format : "(unknown)"),
        ("supported: 8-bit YUV (I420, YV12, NV12, NV21, NV16, NV61, NV24, "
            "Y41B, Y42B, Y444, YUY2, UYVY, YVYU, AYUV, v308) and GRAY8; "
            "insert videoconvert before avdefectinject"));
  else
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("avdefectinject cannot inject %s into %s audio", kind,
            format ? format : "(unknown)"),
        ("supported: S16LE, S32LE, F32LE, F64LE, interleaved or planar; "
            "insert audioconvert before avdefectinject"));
}

/* Checks the schedule against the negotiated stream. Returns FALSE (and
 * has posted an element error) when a kind that applies cannot handle the
 * format. */
static gboolean
check_schedule (GstAvDefectInject * self, GArray * entries)
{
  guint i, n_apply = 0;
  const gchar *bad_kind = NULL;

  if (self->media == GST_AV_DEFECT_INJECT_MEDIA_NONE)
    return TRUE;

  for (i = 0; i < entries->len; i++) {
    const InjectEntry *e = &g_array_index (entries, InjectEntry, i);

    if (!kind_applies (self, e->kind)) {
      GST_INFO_OBJECT (self, "entry %u (%s) does not apply to this stream: "
          "ignored", i, inject_kind_name (e->kind));
      continue;
    }
    n_apply++;
    if (!self->format_ok && kind_needs_format (e->kind) && bad_kind == NULL)
      bad_kind = inject_kind_name (e->kind);
  }

  if (bad_kind) {
    if (self->media == GST_AV_DEFECT_INJECT_MEDIA_RAW_VIDEO)
      post_format_error (self, bad_kind, TRUE,
          gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (&self->vinfo)));
    else
      post_format_error (self, bad_kind, FALSE,
          gst_audio_format_to_string (GST_AUDIO_INFO_FORMAT (&self->ainfo)));
    return FALSE;
  }

  if (entries->len > 0 && n_apply == 0)
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("none of the %u schedule entries applies to this stream",
            entries->len),
        ("raw video takes freeze, black, uniform, block-corruption, "
            "frame-drop; raw audio takes silence, hiss, channel-silence, "
            "clipping, dropout, loudness, audio-gap; encoded streams take "
            "bitstream-damage; any stream takes av-offset and stall"));
  return TRUE;
}

/* Takes a schedule set while running. Returns FALSE on a format error. */
static gboolean
take_new_schedule (GstAvDefectInject * self)
{
  GArray *entries = NULL;
  guint64 seed = 0;
  gboolean ok;

  GST_OBJECT_LOCK (self);
  if (self->schedule_changed) {
    entries = g_array_ref (self->entries);
    seed = self->seed;
    self->schedule_changed = FALSE;
  }
  GST_OBJECT_UNLOCK (self);
  if (entries == NULL)
    return TRUE;

  GST_INFO_OBJECT (self, "new schedule with %u entries", entries->len);
  close_all (self);
  ok = check_schedule (self, entries);
  reset_states (self, entries, seed);
  g_array_unref (entries);
  return ok;
}

/* video */

#define INJECT_VIDEO_FORMATS "{ I420, YV12, NV12, NV21, NV16, NV61, NV24, " \
  "Y41B, Y42B, Y444, YUY2, UYVY, YVYU, AYUV, v308, GRAY8 }"
#define INJECT_AUDIO_FORMATS "{ S16LE, S32LE, F32LE, F64LE }"

/* When the schedule has to touch pixels or samples, only offer the formats
 * it can touch, so negotiation picks one of them (e.g. I420 rather than a
 * 10-bit format a downstream analyser would also take); other entries and
 * other media keep any caps. */
static GstCaps *
gst_av_defect_inject_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (trans);
  gboolean video_pixels = FALSE, audio_samples = FALSE;
  GstCaps *ret, *narrow;
  guint i;

  GST_OBJECT_LOCK (self);
  for (i = 0; i < self->entries->len; i++) {
    InjectKind kind = g_array_index (self->entries, InjectEntry, i).kind;

    if (!kind_needs_format (kind))
      continue;
    if (kind_touches_pixels (kind))
      video_pixels = TRUE;
    else
      audio_samples = TRUE;
  }
  GST_OBJECT_UNLOCK (self);

  if (gst_caps_is_any (caps) || (!video_pixels && !audio_samples)) {
    ret = gst_caps_ref (caps);
  } else {
    narrow = gst_caps_from_string ("video/x-raw, format=(string)"
        INJECT_VIDEO_FORMATS "; audio/x-raw, format=(string)"
        INJECT_AUDIO_FORMATS);
    ret = gst_caps_new_empty ();
    for (i = 0; i < gst_caps_get_size (caps); i++) {
      GstStructure *st = gst_caps_get_structure (caps, i);
      GstCaps *one = gst_caps_new_full (gst_structure_copy (st), NULL);
      gboolean is_video = gst_structure_has_name (st, "video/x-raw");
      gboolean is_audio = gst_structure_has_name (st, "audio/x-raw");

      gst_caps_set_features (one, 0,
          gst_caps_features_copy (gst_caps_get_features (caps, i)));
      if ((is_video && video_pixels) || (is_audio && audio_samples)) {
        GstCaps *tmp = gst_caps_intersect (one, narrow);

        gst_caps_unref (one);
        one = tmp;
      }
      ret = gst_caps_merge (ret, one);
    }
    gst_caps_unref (narrow);
  }
  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, ret,
        GST_CAPS_INTERSECT_FIRST);

    gst_caps_unref (ret);
    ret = tmp;
  }
  return ret;
}

/* Raw caps refused because the schedule must touch pixels or samples in a
 * format it cannot: say which kind and name the fix, as check_schedule()
 * does when the caps arrive. */
static gboolean
gst_av_defect_inject_accept_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (trans);
  gboolean ret = GST_BASE_TRANSFORM_CLASS (parent_class)->accept_caps (trans,
      direction, caps);
  GstStructure *st;
  const gchar *format, *bad_kind = NULL;
  gboolean video;
  guint i;

  if (ret || direction != GST_PAD_SINK || !gst_caps_is_fixed (caps))
    return ret;
  st = gst_caps_get_structure (caps, 0);
  video = gst_structure_has_name (st, "video/x-raw");
  if (!video && !gst_structure_has_name (st, "audio/x-raw"))
    return ret;
  format = gst_structure_get_string (st, "format");

  GST_OBJECT_LOCK (self);
  for (i = 0; i < self->entries->len && bad_kind == NULL; i++) {
    InjectKind kind = g_array_index (self->entries, InjectEntry, i).kind;
    gboolean video_kind = kind_touches_pixels (kind);

    if (kind_needs_format (kind) && video_kind == video)
      bad_kind = inject_kind_name (kind);
  }
  GST_OBJECT_UNLOCK (self);
  if (bad_kind == NULL)
    return ret;

  post_format_error (self, bad_kind, video, format);
  return ret;
}

static gboolean
video_format_supported (GstVideoFormat f)
{
  switch (f) {
    case GST_VIDEO_FORMAT_I420:
    case GST_VIDEO_FORMAT_YV12:
    case GST_VIDEO_FORMAT_NV12:
    case GST_VIDEO_FORMAT_NV21:
    case GST_VIDEO_FORMAT_NV16:
    case GST_VIDEO_FORMAT_NV61:
    case GST_VIDEO_FORMAT_NV24:
    case GST_VIDEO_FORMAT_Y41B:
    case GST_VIDEO_FORMAT_Y42B:
    case GST_VIDEO_FORMAT_Y444:
    case GST_VIDEO_FORMAT_YUY2:
    case GST_VIDEO_FORMAT_UYVY:
    case GST_VIDEO_FORMAT_YVYU:
    case GST_VIDEO_FORMAT_AYUV:
    case GST_VIDEO_FORMAT_v308:
    case GST_VIDEO_FORMAT_GRAY8:
      return TRUE;
    default:
      return FALSE;
  }
}

/* 0xRRGGBB -> 8-bit Y, U, V in the stream's matrix and range */
static void
rgb_to_yuv (const GstVideoInfo * info, guint32 rgb, guint8 yuv[3])
{
  gdouble r = ((rgb >> 16) & 0xff) / 255.0;
  gdouble g = ((rgb >> 8) & 0xff) / 255.0;
  gdouble b = (rgb & 0xff) / 255.0;
  gdouble kr = 0.299, kb = 0.114, y, pb, pr;
  gint offset[4], scale[4];

  gst_video_color_matrix_get_Kr_Kb (info->colorimetry.matrix, &kr, &kb);
  y = kr * r + (1.0 - kr - kb) * g + kb * b;
  pb = (b - y) / (2.0 * (1.0 - kb));
  pr = (r - y) / (2.0 * (1.0 - kr));
  gst_video_color_range_offsets (info->colorimetry.range, info->finfo,
      offset, scale);
  yuv[0] = CLAMP (lround (offset[0] + y * scale[0]), 0, 255);
  yuv[1] = CLAMP (lround (offset[1] + pb * scale[1]), 0, 255);
  yuv[2] = CLAMP (lround (offset[2] + pr * scale[2]), 0, 255);
}

/* Fills a rectangle (luma coordinates) of component @c with @v. */
static void
fill_comp (GstVideoFrame * frame, guint c, gint x, gint y, gint w, gint h,
    guint8 v)
{
  const GstVideoFormatInfo *finfo = frame->info.finfo;
  guint8 *data = GST_VIDEO_FRAME_COMP_DATA (frame, c);
  gint stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, c);
  gint ps = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, c);
  gint cx = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, x);
  gint cy = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, y);
  gint cw = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, x + w) - cx;
  gint ch = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, y + h) - cy;
  gint i, j;

  for (j = 0; j < ch; j++) {
    guint8 *row = data + (gsize) (cy + j) * stride + (gsize) cx * ps;

    if (ps == 1) {
      memset (row, v, cw);
    } else {
      for (i = 0; i < cw; i++)
        row[i * ps] = v;
    }
  }
}

/* Fills a rectangle with one colour, alpha left alone. */
static void
fill_rect (GstVideoFrame * frame, gint x, gint y, gint w, gint h,
    const guint8 yuv[3])
{
  guint c, n = MIN (GST_VIDEO_FRAME_N_COMPONENTS (frame), 3);

  for (c = 0; c < n; c++)
    fill_comp (frame, c, x, y, w, h, yuv[c]);
}

/* Copies a block (luma coordinates) from (sx, sy) to (dx, dy) in every
 * plane; packed pixels are copied whole, which is why block coordinates
 * stay multiples of 8. */
static void
copy_block (GstVideoFrame * frame, gint sx, gint sy, gint dx, gint dy, gint w,
    gint h)
{
  const GstVideoFormatInfo *finfo = frame->info.finfo;
  guint p, c, nc = GST_VIDEO_FRAME_N_COMPONENTS (frame);

  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (frame); p++) {
    guint8 *base = GST_VIDEO_FRAME_PLANE_DATA (frame, p);
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, p);
    gint ps, psx, psy, pdx, pdy, pw, ph, j;

    for (c = 0; c < nc; c++)
      if (finfo->plane[c] == p)
        break;
    if (c == nc)
      continue;
    ps = finfo->pixel_stride[c];
    psx = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, sx);
    psy = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, sy);
    pdx = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, dx);
    pdy = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, dy);
    pw = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, dx + w) - pdx;
    ph = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, dy + h) - pdy;
    for (j = 0; j < ph; j++)
      memmove (base + (gsize) (pdy + j) * stride + (gsize) pdx * ps,
          base + (gsize) (psy + j) * stride + (gsize) psx * ps,
          (gsize) pw * ps);
  }
}

/* Damages area * (number of blocks) distinct blocks: half of them
 * displaced (a block of the same frame 2 to 6 blocks away, beyond the
 * motion search of a detector), half filled with a foreign flat colour,
 * the two failure looks of a decoder fed a broken bitstream. */
static void
corrupt_blocks (GstAvDefectInject * self, InjectState * st,
    GstVideoFrame * frame)
{
  gint bs = st->e.block;
  gint W = GST_VIDEO_FRAME_WIDTH (frame), H = GST_VIDEO_FRAME_HEIGHT (frame);
  guint nbx = W / bs, nby = H / bs, total = nbx * nby, n, i;

  if (total == 0)
    return;
  if (self->scratch_len < total) {
    g_free (self->scratch);
    self->scratch = g_new (guint32, total);
    self->scratch_len = total;
  }
  for (i = 0; i < total; i++)
    self->scratch[i] = i;
  n = CLAMP ((guint) lround (st->e.area * total), 1, total);

  for (i = 0; i < n; i++) {
    guint j = g_rand_int_range (st->rand, i, total);
    guint32 idx = self->scratch[j];
    gint bx, by, x, y;

    self->scratch[j] = self->scratch[i];
    self->scratch[i] = idx;
    bx = idx % nbx;
    by = idx / nbx;
    x = bx * bs;
    y = by * bs;

    if (g_rand_boolean (st->rand) && (nbx > 2 || nby > 2)) {
      gint sbx, sby, tries = 0;

      do {
        gint ox = g_rand_int_range (st->rand, 2, 7);
        gint oy = g_rand_int_range (st->rand, 2, 7);

        sbx = bx + (g_rand_boolean (st->rand) ? ox : -ox);
        sby = by + (g_rand_boolean (st->rand) ? oy : -oy);
        if (g_rand_boolean (st->rand))
          sby = by;
        else if (g_rand_boolean (st->rand))
          sbx = bx;
        tries++;
      } while ((sbx < 0 || sby < 0 || sbx >= (gint) nbx || sby >= (gint) nby
              || (sbx == bx && sby == by)) && tries < 16);
      if (tries < 16 || (sbx >= 0 && sby >= 0 && sbx < (gint) nbx
              && sby < (gint) nby && (sbx != bx || sby != by))) {
        copy_block (frame, sbx * bs, sby * bs, x, y, bs, bs);
      } else {
        guint8 grey[3] = { 128, 128, 128 };
        fill_rect (frame, x, y, bs, bs, grey);
      }
    } else {
      guint8 yuv[3];

      yuv[0] = g_rand_int_range (st->rand, 16, 236);
      yuv[1] = g_rand_int_range (st->rand, 0, 256);
      yuv[2] = g_rand_int_range (st->rand, 0, 256);
      fill_rect (frame, x, y, bs, bs, yuv);
    }

    if (st->rx1 <= st->rx0) {
      st->rx0 = x;
      st->ry0 = y;
      st->rx1 = x + bs;
      st->ry1 = y + bs;
    } else {
      st->rx0 = MIN (st->rx0, x);
      st->ry0 = MIN (st->ry0, y);
      st->rx1 = MAX (st->rx1, x + bs);
      st->ry1 = MAX (st->ry1, y + bs);
    }
  }
  st->area_sum += (gdouble) n * bs * bs / ((gdouble) W * H);
}

static gboolean
map_video (GstAvDefectInject * self, GstBuffer ** buf, GstVideoFrame * frame,
    gboolean * mapped)
{
  if (*mapped)
    return TRUE;
  *buf = gst_buffer_make_writable (*buf);
  if (!gst_video_frame_map (frame, &self->vinfo, *buf, GST_MAP_READWRITE)) {
    GST_WARNING_OBJECT (self, "could not map the video frame");
    return FALSE;
  }
  *mapped = TRUE;
  return TRUE;
}

/* Returns FALSE to drop the buffer. */
static gboolean
process_video (GstAvDefectInject * self, GstBuffer ** buf, GstClockTime ts,
    GstClockTime t, GstClockTime end_ts)
{
  GstVideoFrame frame;
  gboolean mapped = FALSE;
  GstClockTime dur = GST_CLOCK_TIME_IS_VALID (end_ts) ? end_ts - ts :
      GST_CLOCK_TIME_NONE;
  guint i;

  for (i = 0; i < self->states->len; i++) {
    InjectState *st = g_ptr_array_index (self->states, i);
    GstClockTime s = st->e.start, e = entry_end (&st->e);
    gboolean in = t >= s && t < e;

    if (!st->applies)
      continue;
    if (!in) {
      /* the first frame at or after the end is the first unaffected one */
      if (st->open && t >= e)
        span_close (self, st, ts, FALSE);
      if (!(st->e.kind == INJECT_KIND_FREEZE && !st->open && !st->finished
              && GST_CLOCK_TIME_IS_VALID (dur) && t < s && s < t + dur))
        continue;
    }

    switch (st->e.kind) {
      case INJECT_KIND_FRAME_DROP:
        if (!st->open)
          span_open (self, st, ts);
        st->n_affected++;
        st->last_end = end_ts;
        if (mapped)
          gst_video_frame_unmap (&frame);
        /* a dropped frame is not seen by the later entries */
        return FALSE;
      case INJECT_KIND_FREEZE:
        if (!st->open) {
          if (st->finished)
            break;
          /* the frame on screen at START is the one that stays: the freeze
           * span starts at its PTS (DESIGN.md span conventions) */
          if (mapped) {
            gst_video_frame_unmap (&frame);
            mapped = FALSE;
          }
          st->ref = gst_buffer_copy_deep (*buf);
          span_open (self, st, ts);
        } else {
          GstVideoFrame ref;

          if (!map_video (self, buf, &frame, &mapped))
            break;
          if (gst_video_frame_map (&ref, &self->vinfo, st->ref, GST_MAP_READ)) {
            gst_video_frame_copy (&frame, &ref);
            gst_video_frame_unmap (&ref);
          }
          st->n_affected++;
        }
        st->last_end = end_ts;
        break;
      case INJECT_KIND_BLACK:
      case INJECT_KIND_UNIFORM:{
        guint8 yuv[3];

        if (!map_video (self, buf, &frame, &mapped))
          break;
        if (!st->open)
          span_open (self, st, ts);
        rgb_to_yuv (&self->vinfo, st->e.kind == INJECT_KIND_BLACK ? 0 :
            st->e.color, yuv);
        fill_rect (&frame, 0, 0, GST_VIDEO_FRAME_WIDTH (&frame),
            GST_VIDEO_FRAME_HEIGHT (&frame), yuv);
        st->n_affected++;
        st->last_end = end_ts;
        break;
      }
      case INJECT_KIND_BLOCK_CORRUPTION:
        if (!map_video (self, buf, &frame, &mapped))
          break;
        if (!st->open)
          span_open (self, st, ts);
        corrupt_blocks (self, st, &frame);
        st->n_affected++;
        st->last_end = end_ts;
        break;
      default:
        break;
    }
  }
  if (mapped)
    gst_video_frame_unmap (&frame);
  return TRUE;
}

/* audio */

static gboolean
audio_format_supported (GstAudioFormat f)
{
  return f == GST_AUDIO_FORMAT_S16LE || f == GST_AUDIO_FORMAT_S32LE ||
      f == GST_AUDIO_FORMAT_F32LE || f == GST_AUDIO_FORMAT_F64LE;
}

static inline gdouble
sample_get (GstAudioFormat f, const guint8 * p)
{
  gint16 s16;
  gint32 s32;
  gfloat f32;
  gdouble f64;

  switch (f) {
    case GST_AUDIO_FORMAT_S16LE:
      memcpy (&s16, p, 2);
      return s16;
    case GST_AUDIO_FORMAT_S32LE:
      memcpy (&s32, p, 4);
      return s32;
    case GST_AUDIO_FORMAT_F32LE:
      memcpy (&f32, p, 4);
      return f32;
    default:
      memcpy (&f64, p, 8);
      return f64;
  }
}

/* Writes @v (in the format's own scale), saturating at full scale.
 * Returns TRUE when it had to saturate. */
static inline gboolean
sample_set (GstAudioFormat f, guint8 * p, gdouble v)
{
  gboolean clipped = FALSE;
  gint16 s16;
  gint32 s32;
  gfloat f32;

  switch (f) {
    case GST_AUDIO_FORMAT_S16LE:
      v = round (v);
      if (v >= G_MAXINT16 || v <= G_MININT16) {
        clipped = TRUE;
        v = CLAMP (v, G_MININT16, G_MAXINT16);
      }
      s16 = (gint16) v;
      memcpy (p, &s16, 2);
      break;
    case GST_AUDIO_FORMAT_S32LE:
      v = round (v);
      if (v >= G_MAXINT32 || v <= G_MININT32) {
        clipped = TRUE;
        v = CLAMP (v, G_MININT32, G_MAXINT32);
      }
      s32 = (gint32) v;
      memcpy (p, &s32, 4);
      break;
    case GST_AUDIO_FORMAT_F32LE:
      if (v >= 1.0 || v <= -1.0) {
        clipped = TRUE;
        v = CLAMP (v, -1.0, 1.0);
      }
      f32 = (gfloat) v;
      memcpy (p, &f32, 4);
      break;
    default:
      if (v >= 1.0 || v <= -1.0) {
        clipped = TRUE;
        v = CLAMP (v, -1.0, 1.0);
      }
      memcpy (p, &v, 8);
      break;
  }
  return clipped;
}

static gdouble
full_scale (GstAudioFormat f)
{
  switch (f) {
    case GST_AUDIO_FORMAT_S16LE:
      return 32768.0;
    case GST_AUDIO_FORMAT_S32LE:
      return 2147483648.0;
    default:
      return 1.0;
  }
}

/* Applies @st to samples [i0, i1) of a mapped buffer. */
static void
apply_audio (GstAvDefectInject * self, InjectState * st, GstAudioBuffer * ab,
    gsize i0, gsize i1)
{
  GstAudioFormat f = GST_AUDIO_INFO_FORMAT (&self->ainfo);
  gint bps = GST_AUDIO_INFO_WIDTH (&self->ainfo) / 8;
  gint ch = GST_AUDIO_INFO_CHANNELS (&self->ainfo);
  gboolean planar =
      GST_AUDIO_INFO_LAYOUT (&self->ainfo) == GST_AUDIO_LAYOUT_NON_INTERLEAVED;
  gdouble fs = full_scale (f), gain = pow (10.0, st->e.gain_db / 20.0);
  gdouble amp = pow (10.0, st->e.level_db / 20.0) * sqrt (3.0) * fs;
  gsize i;
  gint c;

  for (c = 0; c < ch; c++) {
    guint8 *base = planar ? ab->planes[c] : (guint8 *) ab->planes[0] +
        (gsize) c * bps;
    gsize step = planar ? (gsize) bps : (gsize) bps * ch;

    if (st->e.kind == INJECT_KIND_CHANNEL_SILENCE && (c >= 64 ||
            !(st->e.channels & (G_GUINT64_CONSTANT (1) << c))))
      continue;

    for (i = i0; i < i1; i++) {
      guint8 *p = base + i * step;

      switch (st->e.kind) {
        case INJECT_KIND_SILENCE:
        case INJECT_KIND_CHANNEL_SILENCE:
        case INJECT_KIND_DROPOUT:
          /* all-zero bytes are 0 in every supported format, floats too */
          memset (p, 0, bps);
          break;
        case INJECT_KIND_HISS:
          /* uniform noise of peak a has an RMS of a / sqrt(3) */
          sample_set (f, p, (g_rand_double (st->rand) * 2.0 - 1.0) * amp);
          break;
        case INJECT_KIND_CLIPPING:
        case INJECT_KIND_LOUDNESS:
          if (sample_set (f, p, sample_get (f, p) * gain))
            st->n_extra++;
          break;
        default:
          break;
      }
    }
  }
}

static inline GstClockTime
sample_to_time (guint64 s, gint rate)
{
  return gst_util_uint64_scale_int (s, GST_SECOND, rate);
}

static inline guint64
time_to_sample (GstClockTime t, gint rate)
{
  return gst_util_uint64_scale_int_round (t, rate, GST_SECOND);
}

static void
process_audio (GstAvDefectInject * self, GstBuffer ** buf, GstClockTime ts)
{
  gint rate = GST_AUDIO_INFO_RATE (&self->ainfo);
  gint bpf = GST_AUDIO_INFO_BPF (&self->ainfo);
  guint64 bs, be;
  GstAudioBuffer ab;
  gboolean mapped = FALSE;
  guint i;

  if (rate <= 0 || bpf <= 0)
    return;
  bs = time_to_sample (ts, rate);
  be = bs + gst_buffer_get_size (*buf) / bpf;

  for (i = 0; i < self->states->len; i++) {
    InjectState *st = g_ptr_array_index (self->states, i);
    guint64 ws, we, a, b;

    if (!st->applies || st->e.kind == INJECT_KIND_AUDIO_GAP ||
        inject_kind_media (st->e.kind) != INJECT_MEDIA_RAW_AUDIO)
      continue;
    ws = time_to_sample (from_stream_time (self, st->e.start), rate);
    we = time_to_sample (from_stream_time (self, entry_end (&st->e)), rate);
    a = MAX (ws, bs);
    b = MIN (we, be);
    if (a < b && !st->finished) {
      if (!mapped) {
        *buf = gst_buffer_make_writable (*buf);
        if (!gst_audio_buffer_map (&ab, &self->ainfo, *buf, GST_MAP_READWRITE)) {
          GST_WARNING_OBJECT (self, "could not map the audio buffer");
          return;
        }
        mapped = TRUE;
      }
      if (!st->open)
        span_open (self, st, sample_to_time (a, rate));
      apply_audio (self, st, &ab, a - bs, b - bs);
      st->n_affected += b - a;
      st->last_end = sample_to_time (b, rate);
      if (b == we)
        span_close (self, st, sample_to_time (we, rate), FALSE);
    } else if (st->open && bs >= we) {
      span_close (self, st, st->last_end, FALSE);
    }
  }
  if (mapped)
    gst_audio_buffer_unmap (&ab);
}

/* Cuts the samples of audio-gap windows out of @buf. Returns the buffer to
 * push now (NULL: nothing) and may leave a tail in self->pending_out. */
static GstBuffer *
process_audio_gap (GstAvDefectInject * self, GstBuffer * buf)
{
  gint rate = GST_AUDIO_INFO_RATE (&self->ainfo);
  gint bpf = GST_AUDIO_INFO_BPF (&self->ainfo);
  guint i;

  if (rate <= 0 || bpf <= 0)
    return buf;

  for (i = 0; i < self->states->len && buf; i++) {
    InjectState *st = g_ptr_array_index (self->states, i);
    GstClockTime ts = buffer_time (buf);
    guint64 bs, be, ws, we, a, b, offset;

    if (!st->applies || st->e.kind != INJECT_KIND_AUDIO_GAP || st->finished ||
        !GST_CLOCK_TIME_IS_VALID (ts))
      continue;
    bs = time_to_sample (ts, rate);
    be = bs + gst_buffer_get_size (buf) / bpf;
    ws = time_to_sample (from_stream_time (self, st->e.start), rate);
    we = time_to_sample (from_stream_time (self, entry_end (&st->e)), rate);
    a = MAX (ws, bs);
    b = MIN (we, be);
    if (a >= b) {
      if (st->open && bs >= we)
        span_close (self, st, st->last_end, FALSE);
      continue;
    }

    if (!st->open)
      span_open (self, st, sample_to_time (a, rate));
    st->n_affected += b - a;
    st->last_end = sample_to_time (b, rate);
    offset = GST_BUFFER_OFFSET (buf);

    if (a > bs && b < be) {
      /* the gap lies inside the buffer: push the head now, keep the tail */
      GstBuffer *head = gst_audio_buffer_truncate (gst_buffer_copy (buf), bpf,
          0, a - bs);
      GstBuffer *tail = gst_audio_buffer_truncate (buf, bpf, b - bs, be - b);

      /* gst_audio_buffer_truncate() unsets the timestamps */
      GST_BUFFER_PTS (head) = ts;
      GST_BUFFER_DURATION (head) = sample_to_time (a, rate) - ts;
      if (offset != GST_BUFFER_OFFSET_NONE)
        GST_BUFFER_OFFSET_END (head) = offset + (a - bs);
      GST_BUFFER_PTS (tail) = sample_to_time (b, rate);
      GST_BUFFER_DURATION (tail) = sample_to_time (be, rate) -
          sample_to_time (b, rate);
      if (offset != GST_BUFFER_OFFSET_NONE) {
        GST_BUFFER_OFFSET (tail) = offset + (b - bs);
        GST_BUFFER_OFFSET_END (tail) = offset + (be - bs);
      }
      GST_BUFFER_FLAG_SET (tail, GST_BUFFER_FLAG_DISCONT);
      gst_clear_buffer (&self->pending_out);
      self->pending_out = tail;
      span_close (self, st, sample_to_time (we, rate), FALSE);
      return head;
    } else if (a == bs && b == be) {
      gst_buffer_unref (buf);
      buf = NULL;
      /* the first buffer after the hole says so */
      self->discont_pending = TRUE;
    } else if (a == bs) {
      buf = gst_audio_buffer_truncate (buf, bpf, b - bs, be - b);
      GST_BUFFER_PTS (buf) = sample_to_time (b, rate);
      GST_BUFFER_DURATION (buf) = sample_to_time (be, rate) -
          sample_to_time (b, rate);
      if (offset != GST_BUFFER_OFFSET_NONE) {
        GST_BUFFER_OFFSET (buf) = offset + (b - bs);
        GST_BUFFER_OFFSET_END (buf) = offset + (be - bs);
      }
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
    } else {
      buf = gst_audio_buffer_truncate (buf, bpf, 0, a - bs);
      GST_BUFFER_PTS (buf) = ts;
      GST_BUFFER_DURATION (buf) = sample_to_time (a, rate) - ts;
      if (offset != GST_BUFFER_OFFSET_NONE)
        GST_BUFFER_OFFSET_END (buf) = offset + (a - bs);
    }
    if (b == we)
      span_close (self, st, sample_to_time (we, rate), FALSE);
  }
  if (buf && self->discont_pending) {
    buf = gst_buffer_make_writable (buf);
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
    self->discont_pending = FALSE;
  }
  return buf;
}

/* encoded */

/* Bytes a damage must not touch: the first @keep bytes of the buffer and
 * of every NAL after a 00 00 01 start code, and every 00 or 01 byte, so
 * start codes survive and no new one appears (framing is kept). */
static gboolean
byte_protected (const guint8 * d, gsize pos, guint keep)
{
  gsize q, lo;

  if (pos < keep || d[pos] <= 0x01)
    return TRUE;
  lo = pos >= (gsize) keep + 3 ? pos - keep - 3 + 1 : 0;
  for (q = lo; q + 2 < pos; q++)
    if (d[q] == 0 && d[q + 1] == 0 && d[q + 2] == 1 && pos < q + 3 + keep)
      return TRUE;
  return FALSE;
}

static void
damage_bytes (GstAvDefectInject * self, InjectState * st, GstBuffer ** buf)
{
  GstMapInfo map;
  gsize n, k, done = 0, tries;

  *buf = gst_buffer_make_writable (*buf);
  if (!gst_buffer_map (*buf, &map, GST_MAP_READWRITE))
    return;
  n = map.size;
  if (n > st->e.keep) {
    k = MAX (1, (gsize) lround (st->e.rate * (n - st->e.keep)));
    for (tries = 0; done < k && tries < 8 * k + 32; tries++) {
      gsize pos = st->e.keep + (gsize) (g_rand_double (st->rand) *
          (n - st->e.keep));
      guint8 v;

      if (pos >= n || byte_protected (map.data, pos, st->e.keep))
        continue;
      do {
        v = map.data[pos] ^ (guint8) g_rand_int_range (st->rand, 1, 256);
      } while (v <= 0x01);
      map.data[pos] = v;
      done++;
    }
  }
  gst_buffer_unmap (*buf, &map);
  st->n_extra += done;
  GST_LOG_OBJECT (self, "damaged %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
      " bytes", done, n);
}

static void
process_encoded (GstAvDefectInject * self, GstBuffer ** buf, GstClockTime ts,
    GstClockTime t, GstClockTime end_ts)
{
  guint i;
  gboolean keyframe = !GST_BUFFER_FLAG_IS_SET (*buf,
      GST_BUFFER_FLAG_DELTA_UNIT);

  for (i = 0; i < self->states->len; i++) {
    InjectState *st = g_ptr_array_index (self->states, i);
    GstClockTime s = st->e.start, e = entry_end (&st->e);

    if (!st->applies || st->e.kind != INJECT_KIND_BITSTREAM_DAMAGE)
      continue;
    if (t >= e) {
      /* the damage lives on through prediction until the next keyframe:
       * that is the first unaffected frame */
      if (st->open && keyframe)
        span_close (self, st, ts, FALSE);
      continue;
    }
    if (t < s || GST_BUFFER_FLAG_IS_SET (*buf, GST_BUFFER_FLAG_HEADER))
      continue;
    if (st->e.buffers < 1.0 && g_rand_double (st->rand) >= st->e.buffers)
      continue;
    if (!st->open)
      span_open (self, st, ts);
    damage_bytes (self, st, buf);
    st->n_affected++;
    st->last_end = GST_CLOCK_TIME_IS_VALID (end_ts) ? end_ts : ts;
  }
}

/* stall, av-offset */

static gboolean
do_stall (GstAvDefectInject * self, InjectState * st, GstClockTime ts)
{
  gint64 start, now, deadline;
  gboolean interrupted;

  span_open (self, st, ts);
  g_mutex_lock (&self->stall_lock);
  start = now = g_get_monotonic_time ();
  deadline = start + (gint64) (st->e.duration / GST_USECOND);
  while (!self->unblock && now < deadline) {
    g_cond_wait_until (&self->stall_cond, &self->stall_lock, deadline);
    now = g_get_monotonic_time ();
  }
  interrupted = self->unblock;
  g_mutex_unlock (&self->stall_lock);

  st->held = (GstClockTime) (MIN (now, deadline) - start) * GST_USECOND;
  st->last_end = ts + st->held;
  span_close (self, st, ts + st->held, interrupted);
  return !interrupted;
}

static void
process_av_offset (GstAvDefectInject * self, GstClockTime ts, GstClockTime t)
{
  guint i;

  for (i = 0; i < self->states->len; i++) {
    InjectState *st = g_ptr_array_index (self->states, i);
    GstClockTime e = entry_end (&st->e);

    if (!st->applies || st->e.kind != INJECT_KIND_AV_OFFSET)
      continue;
    if (!st->open && !st->finished && t >= st->e.start && t < e) {
      /* BT.1359: offset = video time - audio time. Audio leading by X puts
       * audio X earlier, or video X later. */
      gint64 shift = self->stream_type == GST_AV_MONITOR_STREAM_TYPE_AUDIO ?
          -st->e.offset : st->e.offset;

      GST_INFO_OBJECT (self, "shifting the stream by %" G_GINT64_FORMAT
          " ns", shift);
      gst_pad_set_offset (GST_BASE_TRANSFORM_SRC_PAD (self), shift);
      span_open (self, st, ts);
    } else if (st->open && t >= e) {
      gst_pad_set_offset (GST_BASE_TRANSFORM_SRC_PAD (self), 0);
      span_close (self, st, ts, FALSE);
    }
  }
}

static GstFlowReturn
process (GstAvDefectInject * self, GstBuffer * buf, GstBuffer ** outbuf)
{
  GstClockTime ts = buffer_time (buf), t, end_ts = GST_CLOCK_TIME_NONE;
  guint i;

  if (!GST_CLOCK_TIME_IS_VALID (ts)) {
    if (!self->warned_no_pts) {
      GST_WARNING_OBJECT (self, "buffers without timestamps pass untouched");
      self->warned_no_pts = TRUE;
    }
    *outbuf = buf;
    return GST_FLOW_OK;
  }
  t = to_stream_time (self, ts);
  if (!GST_CLOCK_TIME_IS_VALID (t)) {
    *outbuf = buf;
    return GST_FLOW_OK;
  }
  if (GST_BUFFER_DURATION_IS_VALID (buf))
    end_ts = ts + GST_BUFFER_DURATION (buf);
  else if (self->media == GST_AV_DEFECT_INJECT_MEDIA_RAW_VIDEO &&
      self->vinfo.fps_n > 0)
    end_ts = ts + gst_util_uint64_scale_int (GST_SECOND, self->vinfo.fps_d,
        self->vinfo.fps_n);
  else if (self->media == GST_AV_DEFECT_INJECT_MEDIA_RAW_AUDIO &&
      GST_AUDIO_INFO_BPF (&self->ainfo) > 0)
    end_ts = ts + gst_util_uint64_scale_int (gst_buffer_get_size (buf) /
        GST_AUDIO_INFO_BPF (&self->ainfo), GST_SECOND,
        GST_AUDIO_INFO_RATE (&self->ainfo));

  for (i = 0; i < self->states->len; i++) {
    InjectState *st = g_ptr_array_index (self->states, i);

    if (st->applies && st->e.kind == INJECT_KIND_STALL && !st->finished &&
        t >= st->e.start && t < entry_end (&st->e)) {
      if (!do_stall (self, st, ts)) {
        gst_buffer_unref (buf);
        return GST_FLOW_FLUSHING;
      }
    }
  }
  process_av_offset (self, ts, t);

  switch (self->media) {
    case GST_AV_DEFECT_INJECT_MEDIA_RAW_VIDEO:
      if (!process_video (self, &buf, ts, t, end_ts)) {
        gst_buffer_unref (buf);
        buf = NULL;
      }
      break;
    case GST_AV_DEFECT_INJECT_MEDIA_RAW_AUDIO:
      if (self->format_ok)
        process_audio (self, &buf, ts);
      buf = process_audio_gap (self, buf);
      break;
    case GST_AV_DEFECT_INJECT_MEDIA_ENCODED:
      process_encoded (self, &buf, ts, t, end_ts);
      break;
    default:
      break;
  }

  /* spans that outlive their window (bitstream damage until a keyframe,
   * av-offset until the end) end at the last buffer if EOS cuts them */
  for (i = 0; i < self->states->len; i++) {
    InjectState *st = g_ptr_array_index (self->states, i);

    if (st->open && (st->e.kind == INJECT_KIND_AV_OFFSET ||
            st->e.kind == INJECT_KIND_BITSTREAM_DAMAGE))
      st->last_end = GST_CLOCK_TIME_IS_VALID (end_ts) ? end_ts : ts;
  }
  *outbuf = buf;
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_av_defect_inject_generate_output (GstBaseTransform * trans,
    GstBuffer ** outbuf)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (trans);
  GstBuffer *buf;

  *outbuf = NULL;
  if (self->pending_out) {
    buf = self->pending_out;
    self->pending_out = NULL;
    /* a tail may hold the start of the next gap */
    *outbuf = process_audio_gap (self, buf);
    if (*outbuf == NULL && self->pending_out) {
      *outbuf = self->pending_out;
      self->pending_out = NULL;
    }
    return GST_FLOW_OK;
  }

  buf = trans->queued_buf;
  trans->queued_buf = NULL;
  if (buf == NULL)
    return GST_FLOW_OK;

  if (!take_new_schedule (self)) {
    gst_buffer_unref (buf);
    return GST_FLOW_NOT_NEGOTIATED;
  }
  return process (self, buf, outbuf);
}

/* GstBaseTransform picks its in-place mode from the presence of
 * transform_ip; the work is done in generate_output, which does not call
 * it. */
static GstFlowReturn
gst_av_defect_inject_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  return GST_FLOW_OK;
}

/* caps and events */

static gboolean
gst_av_defect_inject_set_caps (GstBaseTransform * trans, GstCaps * incaps,
    GstCaps * outcaps)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (trans);
  GstStructure *s = gst_caps_get_structure (incaps, 0);
  const gchar *name = gst_structure_get_name (s);
  GArray *entries;
  gboolean ok;

  self->format_ok = FALSE;
  if (g_str_equal (name, "video/x-raw")) {
    self->media = GST_AV_DEFECT_INJECT_MEDIA_RAW_VIDEO;
    self->stream_type = GST_AV_MONITOR_STREAM_TYPE_VIDEO;
    if (gst_video_info_from_caps (&self->vinfo, incaps) &&
        !gst_caps_features_contains (gst_caps_get_features (incaps, 0),
            "memory:DMABuf"))
      self->format_ok =
          video_format_supported (GST_VIDEO_INFO_FORMAT (&self->vinfo));
  } else if (g_str_equal (name, "audio/x-raw")) {
    self->media = GST_AV_DEFECT_INJECT_MEDIA_RAW_AUDIO;
    self->stream_type = GST_AV_MONITOR_STREAM_TYPE_AUDIO;
    if (gst_audio_info_from_caps (&self->ainfo, incaps))
      self->format_ok =
          audio_format_supported (GST_AUDIO_INFO_FORMAT (&self->ainfo));
    else
      gst_audio_info_init (&self->ainfo);
  } else {
    self->media = GST_AV_DEFECT_INJECT_MEDIA_ENCODED;
    self->stream_type = g_str_has_prefix (name, "video/") ?
        GST_AV_MONITOR_STREAM_TYPE_VIDEO : g_str_has_prefix (name, "audio/") ?
        GST_AV_MONITOR_STREAM_TYPE_AUDIO : GST_AV_MONITOR_STREAM_TYPE_UNKNOWN;
    self->format_ok = TRUE;
  }
  GST_DEBUG_OBJECT (self, "caps %" GST_PTR_FORMAT ", format %s", incaps,
      self->format_ok ? "supported" : "not supported");

  GST_OBJECT_LOCK (self);
  entries = g_array_ref (self->entries);
  GST_OBJECT_UNLOCK (self);
  ok = check_schedule (self, entries);
  g_array_unref (entries);

  {
    guint i;

    for (i = 0; i < self->states->len; i++) {
      InjectState *st = g_ptr_array_index (self->states, i);

      st->applies = kind_applies (self, st->e.kind);
    }
  }
  return ok;
}

static void
unblock (GstAvDefectInject * self, gboolean on)
{
  g_mutex_lock (&self->stall_lock);
  self->unblock = on;
  g_cond_broadcast (&self->stall_cond);
  g_mutex_unlock (&self->stall_lock);
}

static gboolean
gst_av_defect_inject_sink_event (GstBaseTransform * trans, GstEvent * event)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (trans);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:{
      const gchar *sid = NULL;

      gst_event_parse_stream_start (event, &sid);
      g_free (self->stream_id);
      self->stream_id = g_strdup (sid);
      break;
    }
    case GST_EVENT_FLUSH_START:
      unblock (self, TRUE);
      break;
    case GST_EVENT_FLUSH_STOP:{
      GArray *entries;
      guint64 seed;

      unblock (self, FALSE);
      /* nothing can be pushed any more in this segment: end the spans with
       * messages and truth lines, and let the schedule apply again to the
       * new segment */
      close_all (self);
      GST_OBJECT_LOCK (self);
      entries = g_array_ref (self->entries);
      seed = self->seed;
      self->schedule_changed = FALSE;
      GST_OBJECT_UNLOCK (self);
      reset_states (self, entries, seed);
      g_array_unref (entries);
      break;
    }
    case GST_EVENT_EOS:
      /* end events before EOS, as the detectors do */
      close_all (self);
      break;
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static gboolean
gst_av_defect_inject_start (GstBaseTransform * trans)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (trans);
  gchar *error, *location;
  GArray *entries;
  guint64 seed;

  GST_OBJECT_LOCK (self);
  error = g_strdup (self->schedule_error);
  location = g_strdup (self->truth_location);
  entries = g_array_ref (self->entries);
  seed = self->seed;
  self->schedule_changed = FALSE;
  GST_OBJECT_UNLOCK (self);

  if (error) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
        ("%s", error),
        ("the schedule property refused the last value it was given"));
    g_free (error);
    g_free (location);
    g_array_unref (entries);
    return FALSE;
  }

  if (location && *location) {
    FILE *f = fopen (location, "w");

    if (f == NULL) {
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
          ("could not open the truth file \"%s\" for writing", location),
          GST_ERROR_SYSTEM);
      g_free (location);
      g_array_unref (entries);
      return FALSE;
    }
    g_mutex_lock (&self->truth_lock);
    self->truth = f;
    g_mutex_unlock (&self->truth_lock);
  }
  g_free (location);

  self->media = GST_AV_DEFECT_INJECT_MEDIA_NONE;
  self->stream_type = GST_AV_MONITOR_STREAM_TYPE_UNKNOWN;
  self->next_id = 0;
  self->warned_no_pts = FALSE;
  reset_states (self, entries, seed);
  g_array_unref (entries);
  return TRUE;
}

static gboolean
gst_av_defect_inject_stop (GstBaseTransform * trans)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (trans);

  close_all (self);
  g_ptr_array_set_size (self->states, 0);
  gst_clear_buffer (&self->pending_out);
  gst_pad_set_offset (GST_BASE_TRANSFORM_SRC_PAD (self), 0);

  g_mutex_lock (&self->truth_lock);
  if (self->truth) {
    fclose (self->truth);
    self->truth = NULL;
  }
  g_mutex_unlock (&self->truth_lock);
  return TRUE;
}

static GstStateChangeReturn
gst_av_defect_inject_change_state (GstElement * element,
    GstStateChange transition)
{
  GstAvDefectInject *self = GST_AV_DEFECT_INJECT (element);

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      unblock (self, FALSE);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* a stall must never hold up the state change: wake it before the
       * base class takes the stream lock */
      unblock (self, TRUE);
      break;
    default:
      break;
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}
