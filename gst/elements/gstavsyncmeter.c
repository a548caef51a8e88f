/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-avsyncmeter
 * @title: avsyncmeter
 *
 * Measures the offset between an audio and a video stream while they flow,
 * and reports `av-sync` defects when it leaves the tolerance of a
 * `sync-profile`. Both pad pairs are pass-through: buffers are forwarded
 * unchanged, with no added latency, and neither stream ever waits for the
 * other.
 *
 * Three measures, chosen by #GstAvSyncMeter:mode:
 * - timestamps (always computed): start offset, gaps and overlaps, drift of
 *   each stream against its sample or frame count, arrival skew;
 * - markers: white flashes in a region of the picture against beeps
 *   (test signals, e.g. FFmpeg's avsynctest), to the audio sample;
 * - content: visual events (cuts, bursts of change, turns of a moving
 *   object) against audio onsets,
 *   with a confidence gate: no conclusive cue, no measurement.
 *
 * Sign (ITU-R BT.1359): offset = running time of the video event - running
 * time of the matching audio event; positive = audio leads.
 *
 * Every #GstAvSyncMeter:interval it posts an `avmonitor-sync` element
 * message (timestamp, stream-time, running-time, duration, valid, offset,
 * offset-ms, confidence, method, n-events, stddev-ms, drift-ppm and the
 * timestamp fields documented in docs/avsyncmeter.md) and pushes the same
 * structure as a custom downstream event on video_src. `av-sync` defect
 * spans (`avmonitor-defect`, stream-type `av`) are posted and pushed on
 * video_src only. Defect events arriving on either sink pad are forwarded
 * on their own pair.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -m avsyncmeter name=m mode=timestamps \
 *   videotestsrc num-buffers=100 ! video/x-raw,framerate=25/1 ! m.video_sink \
 *   m.video_src ! fakesink \
 *   audiotestsrc num-buffers=200 ! m.audio_sink m.audio_src ! fakesink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstavmonitorelements.h"
#include "gstavsyncmeter.h"
#include "avmonitor.h"

GST_DEBUG_CATEGORY_STATIC (gst_av_sync_meter_debug);
#define GST_CAT_DEFAULT gst_av_sync_meter_debug

/* Fields of the avmonitor-sync structure, from the library header */
#define FIELD_VALID       GST_AV_MONITOR_SYNC_VALID
#define FIELD_OFFSET      GST_AV_MONITOR_SYNC_OFFSET
#define FIELD_OFFSET_MS   GST_AV_MONITOR_SYNC_OFFSET_MS
#define FIELD_METHOD      GST_AV_MONITOR_SYNC_METHOD
#define FIELD_N_EVENTS    GST_AV_MONITOR_SYNC_N_EVENTS
#define FIELD_STDDEV_MS   GST_AV_MONITOR_SYNC_STDDEV_MS
#define FIELD_DRIFT_PPM   GST_AV_MONITOR_SYNC_DRIFT_PPM

#define DEFAULT_INTERVAL        GST_SECOND
#define DEFAULT_MODE            GST_AV_SYNC_METER_MODE_AUTO
#define DEFAULT_PROFILE         GST_AV_SYNC_METER_PROFILE_ITU_BT1359
#define DEFAULT_LEAD_WARNING    45.0
#define DEFAULT_LAG_WARNING     125.0
#define DEFAULT_LEAD_ERROR      90.0
#define DEFAULT_LAG_ERROR       185.0
#define DEFAULT_PERSISTENCE     3
#define DEFAULT_WINDOW          (10 * GST_SECOND)
#define DEFAULT_MAX_OFFSET      GST_SECOND
#define DEFAULT_FLASH_X         0.0
#define DEFAULT_FLASH_Y         0.0
#define DEFAULT_FLASH_WIDTH     1.0
#define DEFAULT_FLASH_HEIGHT    1.0
#define DEFAULT_FLASH_THRESHOLD 0.04
#define DEFAULT_BEEP_FREQUENCY  0.0
#define DEFAULT_BEEP_THRESHOLD  -50.0
#define DEFAULT_MIN_CONFIDENCE  0.5
#define DEFAULT_STALL_TIMEOUT   (2 * GST_SECOND)
#define DEFAULT_GAP_TOLERANCE   (40 * GST_MSECOND)

#define CHUNK 1024
#define MAX_PENDING 256

enum
{
  PROP_0,
  PROP_INTERVAL,
  PROP_MODE,
  PROP_SYNC_PROFILE,
  PROP_LEAD_WARNING,
  PROP_LAG_WARNING,
  PROP_LEAD_ERROR,
  PROP_LAG_ERROR,
  PROP_PERSISTENCE,
  PROP_WINDOW,
  PROP_MAX_OFFSET,
  PROP_FLASH_X,
  PROP_FLASH_Y,
  PROP_FLASH_WIDTH,
  PROP_FLASH_HEIGHT,
  PROP_FLASH_THRESHOLD,
  PROP_BEEP_FREQUENCY,
  PROP_BEEP_THRESHOLD,
  PROP_MIN_CONFIDENCE,
  PROP_STALL_TIMEOUT,
  PROP_GAP_TOLERANCE,
  PROP_AV_SYNC_ENABLED,
};

typedef struct
{
  GstClockTime interval;
  GstAvSyncMeterMode mode;
  gdouble lead_warn, lag_warn, lead_err, lag_err;
  guint persistence;
  GstClockTime window, max_offset, stall_timeout, gap_tolerance;
  gdouble min_confidence;
  gboolean av_sync_enabled;
} Settings;

/* Everything both streaming threads touch, under GstAvSyncMeter.lock. */
typedef struct
{
  AvmTimeTrack vtime, atime;
  gint64 v_done, a_done;        /* running time reached by each stream */
  gint64 v_arrival, a_arrival;  /* monotonic time of the last buffer, us */
  gboolean v_eos, a_eos;
  gboolean v_seen, a_seen;
  gint64 frame_duration;
  AvmMarkerPairer pairer;
  AvmEventRing vevents, aevents;        /* content cues */
  /* timestamp jumps of continuous content, by running time, so that a
   * measurement only counts those before its end (one stream may run
   * ahead of the other by seconds) */
  AvmEventRing vslips, aslips;
  gint64 vslip_base, aslip_base;
  gint64 next_tick;
  gboolean have_tick;
  GstSegment vseg, aseg;
  gchar *stream_id;

  /* arrival skew over the current interval */
  gint64 vskew_sum, askew_sum;
  guint vskew_n, askew_n;

  /* the av-sync span */
  guint run_bad, run_err, run_good;
  gint64 bad_since, err_since, good_since;
  gboolean span_open, spans_closed;
  guint64 span_id;
  GstAvMonitorSeverity span_severity;
  gint64 span_start;
  gdouble span_worst, span_threshold, span_confidence;

  /* in-band events for video_src made on the audio thread */
  GQueue pending;
} SharedState;

struct _GstAvSyncMeter
{
  GstElement parent;

  GstPad *video_sinkpad, *video_srcpad, *audio_sinkpad, *audio_srcpad;

  /* properties, under the object lock */
  Settings set;
  GstAvSyncMeterProfile profile;
  gdouble flash_x, flash_y, flash_w, flash_h, flash_threshold;
  gdouble beep_frequency, beep_threshold;

  /* video streaming thread only */
  GstSegment vsegment;
  GstVideoInfo vinfo;
  gboolean have_vinfo;
  gint v_live;                  /* -1 unknown, else upstream is live */
  AvmFlashDetector flash;
  AvmVideoNovelty novelty;
  float thumb[AVM_THUMB_SIZE];

  /* audio streaming thread only */
  GstSegment asegment;
  GstAudioInfo ainfo;
  gboolean have_ainfo;
  gint a_live;
  AvmBeepDetector *beep;        /* 64 kB of history: off the instance */
  gdouble beep_freq_set, beep_level_set;
  AvmAudioOnset onset;
  gint64 a_index;
  float mono[CHUNK];

  GMutex lock;
  SharedState st;
};

#define gst_av_sync_meter_parent_class parent_class
G_DEFINE_TYPE (GstAvSyncMeter, gst_av_sync_meter, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (avsyncmeter, "avsyncmeter",
    GST_RANK_NONE, GST_TYPE_AV_SYNC_METER, avmonitor_element_init (plugin));

#define VIDEO_FORMATS "{ GRAY8, I420, YV12, NV12, NV21, NV16, Y42B, Y444, " \
    "YUY2, UYVY, I420_10LE, I422_10LE, P010_10LE }"
#define AUDIO_FORMATS "{ S16LE, S32LE, F32LE, F64LE }"

static GstStaticPadTemplate video_sink_template =
GST_STATIC_PAD_TEMPLATE ("video_sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));
static GstStaticPadTemplate video_src_template =
GST_STATIC_PAD_TEMPLATE ("video_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));
static GstStaticPadTemplate audio_sink_template =
GST_STATIC_PAD_TEMPLATE ("audio_sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("audio/x-raw, format = (string) " AUDIO_FORMATS
        ", rate = (int) [ 8000, 192000 ], channels = (int) [ 1, 64 ], "
        "layout = (string) { interleaved, non-interleaved }"));
static GstStaticPadTemplate audio_src_template =
GST_STATIC_PAD_TEMPLATE ("audio_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("audio/x-raw, format = (string) " AUDIO_FORMATS
        ", rate = (int) [ 8000, 192000 ], channels = (int) [ 1, 64 ], "
        "layout = (string) { interleaved, non-interleaved }"));

static GType
gst_av_sync_meter_mode_get_type (void)
{
  static gsize id = 0;
  static const GEnumValue values[] = {
    {GST_AV_SYNC_METER_MODE_AUTO, "Markers, else content, else timestamps",
        "auto"},
    {GST_AV_SYNC_METER_MODE_MARKERS, "Flash/beep test signals", "markers"},
    {GST_AV_SYNC_METER_MODE_CONTENT, "Content cues", "content"},
    {GST_AV_SYNC_METER_MODE_TIMESTAMPS, "Timestamps", "timestamps"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&id))
    g_once_init_leave (&id, g_enum_register_static ("GstAvSyncMeterMode",
            values));
  return id;
}

static GType
gst_av_sync_meter_profile_get_type (void)
{
  static gsize id = 0;
  static const GEnumValue values[] = {
    {GST_AV_SYNC_METER_PROFILE_ITU_BT1359,
        "ITU-R BT.1359 (45/125 ms warning, 90/185 ms error)", "itu-bt1359"},
    {GST_AV_SYNC_METER_PROFILE_EBU_R37, "EBU R37 (40 ms lead / 60 ms lag)",
        "ebu-r37"},
    {GST_AV_SYNC_METER_PROFILE_ATSC_IS191,
        "ATSC IS-191 (15 ms lead / 45 ms lag)", "atsc-is191"},
    {GST_AV_SYNC_METER_PROFILE_CUSTOM, "The threshold properties", "custom"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&id))
    g_once_init_leave (&id, g_enum_register_static ("GstAvSyncMeterProfile",
            values));
  return id;
}

static void gst_av_sync_meter_finalize (GObject * object);
static void gst_av_sync_meter_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_av_sync_meter_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_av_sync_meter_change_state (GstElement *
    element, GstStateChange transition);
static GstFlowReturn video_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buf);
static GstFlowReturn audio_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buf);
static gboolean sink_event (GstPad * pad, GstObject * parent, GstEvent * event);
static GstIterator *iterate_internal_links (GstPad * pad, GstObject * parent);

static void
gst_av_sync_meter_class_init (GstAvSyncMeterClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  GParamFlags live = rw | GST_PARAM_MUTABLE_PLAYING;

  GST_DEBUG_CATEGORY_INIT (gst_av_sync_meter_debug, "avsyncmeter", 0,
      "audio/video sync meter");

  gobject_class->finalize = gst_av_sync_meter_finalize;
  gobject_class->set_property = gst_av_sync_meter_set_property;
  gobject_class->get_property = gst_av_sync_meter_get_property;

  /**
   * GstAvSyncMeter:interval:
   *
   * Time between two `avmonitor-sync` messages, in nanoseconds of running
   * time. Default 1 s.
   */
  g_object_class_install_property (gobject_class, PROP_INTERVAL,
      g_param_spec_uint64 ("interval", "Interval",
          "Time between measurements (ns)", 10 * GST_MSECOND,
          G_MAXUINT64 / 4, DEFAULT_INTERVAL, live));
  /**
   * GstAvSyncMeter:mode:
   *
   * Which measure the `offset` comes from. Default auto (markers, else
   * content, else timestamps).
   */
  g_object_class_install_property (gobject_class, PROP_MODE,
      g_param_spec_enum ("mode", "Mode", "Source of the measurement",
          gst_av_sync_meter_mode_get_type (), DEFAULT_MODE, live));
  /**
   * GstAvSyncMeter:sync-profile:
   *
   * Tolerance profile. Setting a named profile loads its four thresholds;
   * setting any threshold switches to custom (so set the profile first).
   * Default itu-bt1359.
   */
  g_object_class_install_property (gobject_class, PROP_SYNC_PROFILE,
      g_param_spec_enum ("sync-profile", "Sync profile",
          "Tolerance profile for av-sync defects",
          gst_av_sync_meter_profile_get_type (), DEFAULT_PROFILE, live));
  /**
   * GstAvSyncMeter:lead-warning-threshold:
   *
   * Audio lead (positive offset), in ms, beyond which a warning span starts.
   * Default 45 (BT.1359 detectability).
   */
  g_object_class_install_property (gobject_class, PROP_LEAD_WARNING,
      g_param_spec_double ("lead-warning-threshold", "Lead warning threshold",
          "Audio lead (ms) that raises a warning", 0, 10000,
          DEFAULT_LEAD_WARNING, live));
  /**
   * GstAvSyncMeter:lag-warning-threshold:
   *
   * Audio lag (negative offset, given as a positive number of ms) beyond
   * which a warning span starts. Default 125.
   */
  g_object_class_install_property (gobject_class, PROP_LAG_WARNING,
      g_param_spec_double ("lag-warning-threshold", "Lag warning threshold",
          "Audio lag (ms) that raises a warning", 0, 10000,
          DEFAULT_LAG_WARNING, live));
  /**
   * GstAvSyncMeter:lead-error-threshold:
   *
   * Audio lead in ms beyond which the span is an error. Default 90.
   */
  g_object_class_install_property (gobject_class, PROP_LEAD_ERROR,
      g_param_spec_double ("lead-error-threshold", "Lead error threshold",
          "Audio lead (ms) that raises an error", 0, 10000,
          DEFAULT_LEAD_ERROR, live));
  /**
   * GstAvSyncMeter:lag-error-threshold:
   *
   * Audio lag in ms beyond which the span is an error. Default 185.
   */
  g_object_class_install_property (gobject_class, PROP_LAG_ERROR,
      g_param_spec_double ("lag-error-threshold", "Lag error threshold",
          "Audio lag (ms) that raises an error", 0, 10000,
          DEFAULT_LAG_ERROR, live));
  /**
   * GstAvSyncMeter:persistence:
   *
   * Consecutive valid measurements out of (or back in) tolerance before a
   * span starts (or ends). Default 3.
   */
  g_object_class_install_property (gobject_class, PROP_PERSISTENCE,
      g_param_spec_uint ("persistence", "Persistence",
          "Consecutive measurements out of tolerance before a span starts",
          1, 1000, DEFAULT_PERSISTENCE, live));
  /**
   * GstAvSyncMeter:av-sync-enabled:
   *
   * Report `av-sync` defect spans (the measurements are posted either
   * way). Switching it off ends an open span. Default TRUE.
   */
  g_object_class_install_property (gobject_class, PROP_AV_SYNC_ENABLED,
      g_param_spec_boolean ("av-sync-enabled", "av-sync enabled",
          "Detect and report av-sync defects", TRUE, live));
  /**
   * GstAvSyncMeter:window:
   *
   * Length of history (ns) the marker and content measures use. Default
   * 10 s.
   */
  g_object_class_install_property (gobject_class, PROP_WINDOW,
      g_param_spec_uint64 ("window", "Window",
          "History used by the marker and content measures (ns)",
          GST_SECOND, 120 * GST_SECOND, DEFAULT_WINDOW, live));
  /**
   * GstAvSyncMeter:max-offset:
   *
   * Largest offset searched (ns): the content lag range, and the cap of
   * the flash/beep pairing window (which is otherwise half the marker
   * period). Default 1 s.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_OFFSET,
      g_param_spec_uint64 ("max-offset", "Max offset",
          "Largest offset searched (ns)", 40 * GST_MSECOND,
          10 * GST_SECOND, DEFAULT_MAX_OFFSET, live));
  /**
   * GstAvSyncMeter:flash-x:
   *
   * Left edge of the flash region, as a fraction of the width. Default 0.
   */
  g_object_class_install_property (gobject_class, PROP_FLASH_X,
      g_param_spec_double ("flash-x", "Flash x",
          "Left of the flash region (fraction of the width)", 0, 1,
          DEFAULT_FLASH_X, live));
  /**
   * GstAvSyncMeter:flash-y:
   *
   * Top edge of the flash region, as a fraction of the height. Default 0.
   */
  g_object_class_install_property (gobject_class, PROP_FLASH_Y,
      g_param_spec_double ("flash-y", "Flash y",
          "Top of the flash region (fraction of the height)", 0, 1,
          DEFAULT_FLASH_Y, live));
  /**
   * GstAvSyncMeter:flash-width:
   *
   * Width of the flash region, as a fraction of the width. Default 1.
   */
  g_object_class_install_property (gobject_class, PROP_FLASH_WIDTH,
      g_param_spec_double ("flash-width", "Flash width",
          "Width of the flash region (fraction)", 0.01, 1,
          DEFAULT_FLASH_WIDTH, live));
  /**
   * GstAvSyncMeter:flash-height:
   *
   * Height of the flash region, as a fraction of the height. Default 1.
   */
  g_object_class_install_property (gobject_class, PROP_FLASH_HEIGHT,
      g_param_spec_double ("flash-height", "Flash height",
          "Height of the flash region (fraction)", 0.01, 1,
          DEFAULT_FLASH_HEIGHT, live));
  /**
   * GstAvSyncMeter:flash-threshold:
   *
   * Rise of the region's mean luma (fraction of full scale) that makes a
   * flash. Default 0.04.
   */
  g_object_class_install_property (gobject_class, PROP_FLASH_THRESHOLD,
      g_param_spec_double ("flash-threshold", "Flash threshold",
          "Jump of the mean luma of the region that makes a flash (0..1)",
          0.001, 1, DEFAULT_FLASH_THRESHOLD, live));
  /**
   * GstAvSyncMeter:beep-frequency:
   *
   * Frequency of the beep in Hz, or 0 for any (broadband) onset after
   * quiet. Default 0.
   */
  g_object_class_install_property (gobject_class, PROP_BEEP_FREQUENCY,
      g_param_spec_double ("beep-frequency", "Beep frequency",
          "Beep frequency in Hz (0 = broadband)", 0, 96000,
          DEFAULT_BEEP_FREQUENCY, live));
  /**
   * GstAvSyncMeter:beep-threshold:
   *
   * Lowest RMS level of a beep, in dBFS. Default -50.
   */
  g_object_class_install_property (gobject_class, PROP_BEEP_THRESHOLD,
      g_param_spec_double ("beep-threshold", "Beep threshold",
          "Lowest level of a beep (dBFS RMS)", -120, 0,
          DEFAULT_BEEP_THRESHOLD, live));
  /**
   * GstAvSyncMeter:min-confidence:
   *
   * Content measurements with a lower confidence are reported as
   * valid=FALSE. Default 0.5.
   */
  g_object_class_install_property (gobject_class, PROP_MIN_CONFIDENCE,
      g_param_spec_double ("min-confidence", "Min confidence",
          "Lowest confidence of a valid content measurement", 0, 1,
          DEFAULT_MIN_CONFIDENCE, live));
  /**
   * GstAvSyncMeter:stall-timeout:
   *
   * How far (ns of running time) one stream may run ahead of the other
   * before the other is reported stalled and measurements go on without
   * it. Default 2 s.
   */
  g_object_class_install_property (gobject_class, PROP_STALL_TIMEOUT,
      g_param_spec_uint64 ("stall-timeout", "Stall timeout",
          "Lead of one stream after which the other is stalled (ns)",
          10 * GST_MSECOND, G_MAXUINT64 / 4, DEFAULT_STALL_TIMEOUT, live));
  /**
   * GstAvSyncMeter:gap-tolerance:
   *
   * Audio timestamp jumps up to this size (ns) are jitter, not gaps or
   * overlaps (video uses half a frame). Default 40 ms, as audio sinks.
   */
  g_object_class_install_property (gobject_class, PROP_GAP_TOLERANCE,
      g_param_spec_uint64 ("gap-tolerance", "Gap tolerance",
          "Audio timestamp jumps below this are jitter (ns)", 0,
          10 * GST_SECOND, DEFAULT_GAP_TOLERANCE, rw));

  gst_element_class_add_static_pad_template (element_class,
      &video_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &video_src_template);
  gst_element_class_add_static_pad_template (element_class,
      &audio_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &audio_src_template);
  gst_element_class_set_static_metadata (element_class, "A/V sync meter",
      "Filter/Analyzer/Audio/Video",
      "Measures the audio/video offset from timestamps, test signals or "
      "content, and reports av-sync defects", "the gst-avmonitor authors");
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_av_sync_meter_change_state);

  gst_type_mark_as_plugin_api (gst_av_sync_meter_mode_get_type (), 0);
  gst_type_mark_as_plugin_api (gst_av_sync_meter_profile_get_type (), 0);
}

static GstPad *
make_pad (GstAvSyncMeter * self, GstStaticPadTemplate * templ)
{
  GstPad *pad = gst_pad_new_from_static_template (templ, templ->name_template);

  gst_pad_set_iterate_internal_links_function (pad, iterate_internal_links);
  GST_PAD_SET_PROXY_CAPS (pad);
  GST_PAD_SET_PROXY_ALLOCATION (pad);
  GST_PAD_SET_PROXY_SCHEDULING (pad);
  if (templ->direction == GST_PAD_SINK)
    gst_pad_set_event_function (pad, sink_event);
  gst_element_add_pad (GST_ELEMENT (self), pad);
  return pad;
}

static void
reset_shared (GstAvSyncMeter * self)
{
  SharedState *st = &self->st;

  avm_time_track_reset (&st->vtime);
  avm_time_track_reset (&st->atime);
  st->v_done = st->a_done = G_MININT64;
  st->v_eos = st->a_eos = FALSE;
  st->v_seen = st->a_seen = FALSE;
  st->v_arrival = st->a_arrival = g_get_monotonic_time ();
  avm_marker_pairer_reset (&st->pairer);
  avm_event_ring_clear (&st->vevents);
  avm_event_ring_clear (&st->aevents);
  avm_event_ring_clear (&st->vslips);
  avm_event_ring_clear (&st->aslips);
  st->vslip_base = st->aslip_base = 0;
  st->have_tick = FALSE;
  st->vskew_sum = st->askew_sum = 0;
  st->vskew_n = st->askew_n = 0;
  st->run_bad = st->run_err = st->run_good = 0;
  st->span_open = FALSE;
  st->spans_closed = FALSE;
  g_queue_clear_full (&st->pending, (GDestroyNotify) gst_event_unref);
}

static void
gst_av_sync_meter_init (GstAvSyncMeter * self)
{
  self->video_sinkpad = make_pad (self, &video_sink_template);
  self->video_srcpad = make_pad (self, &video_src_template);
  self->audio_sinkpad = make_pad (self, &audio_sink_template);
  self->audio_srcpad = make_pad (self, &audio_src_template);
  gst_pad_set_chain_function (self->video_sinkpad, video_chain);
  gst_pad_set_chain_function (self->audio_sinkpad, audio_chain);

  self->set.interval = DEFAULT_INTERVAL;
  self->set.mode = DEFAULT_MODE;
  self->profile = DEFAULT_PROFILE;
  self->set.lead_warn = DEFAULT_LEAD_WARNING;
  self->set.lag_warn = DEFAULT_LAG_WARNING;
  self->set.lead_err = DEFAULT_LEAD_ERROR;
  self->set.lag_err = DEFAULT_LAG_ERROR;
  self->set.persistence = DEFAULT_PERSISTENCE;
  self->set.av_sync_enabled = TRUE;
  self->set.window = DEFAULT_WINDOW;
  self->set.max_offset = DEFAULT_MAX_OFFSET;
  self->set.stall_timeout = DEFAULT_STALL_TIMEOUT;
  self->set.gap_tolerance = DEFAULT_GAP_TOLERANCE;
  self->set.min_confidence = DEFAULT_MIN_CONFIDENCE;
  self->flash_x = DEFAULT_FLASH_X;
  self->flash_y = DEFAULT_FLASH_Y;
  self->flash_w = DEFAULT_FLASH_WIDTH;
  self->flash_h = DEFAULT_FLASH_HEIGHT;
  self->flash_threshold = DEFAULT_FLASH_THRESHOLD;
  self->beep_frequency = DEFAULT_BEEP_FREQUENCY;
  self->beep_threshold = DEFAULT_BEEP_THRESHOLD;

  gst_segment_init (&self->vsegment, GST_FORMAT_TIME);
  gst_segment_init (&self->asegment, GST_FORMAT_TIME);
  self->v_live = self->a_live = -1;
  avm_flash_init (&self->flash, DEFAULT_FLASH_THRESHOLD);
  avm_video_novelty_init (&self->novelty, 0.02);
  self->beep = g_new0 (AvmBeepDetector, 1);
  avm_beep_init (self->beep, 48000, 0, DEFAULT_BEEP_THRESHOLD);
  avm_audio_onset_init (&self->onset, 48000);

  g_mutex_init (&self->lock);
  g_queue_init (&self->st.pending);
  avm_time_track_init (&self->st.vtime, 0, 1, 0);
  avm_time_track_init (&self->st.atime, 0, 1, DEFAULT_GAP_TOLERANCE);
  avm_marker_pairer_init (&self->st.pairer, DEFAULT_MAX_OFFSET);
  gst_segment_init (&self->st.vseg, GST_FORMAT_TIME);
  gst_segment_init (&self->st.aseg, GST_FORMAT_TIME);
  self->st.frame_duration = 40 * GST_MSECOND;
  reset_shared (self);
}

static void
gst_av_sync_meter_finalize (GObject * object)
{
  GstAvSyncMeter *self = GST_AV_SYNC_METER (object);

  g_queue_clear_full (&self->st.pending, (GDestroyNotify) gst_event_unref);
  g_free (self->st.stream_id);
  g_free (self->beep);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
load_profile (GstAvSyncMeter * self, GstAvSyncMeterProfile profile)
{
  static const gdouble t[3][4] = {
    {45, 125, 90, 185}, {40, 60, 40, 60}, {15, 45, 15, 45}
  };

  self->profile = profile;
  if (profile == GST_AV_SYNC_METER_PROFILE_CUSTOM)
    return;
  /* EBU R37 and ATSC IS-191 give one tolerance: it is the error level,
   * and warnings start at the same place */
  self->set.lead_warn = t[profile][0];
  self->set.lag_warn = t[profile][1];
  self->set.lead_err = t[profile][2];
  self->set.lag_err = t[profile][3];
}

static void
gst_av_sync_meter_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAvSyncMeter *self = GST_AV_SYNC_METER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_INTERVAL:
      self->set.interval = g_value_get_uint64 (value);
      break;
    case PROP_MODE:
      self->set.mode = g_value_get_enum (value);
      break;
    case PROP_SYNC_PROFILE:
      load_profile (self, g_value_get_enum (value));
      break;
    case PROP_LEAD_WARNING:
      self->set.lead_warn = g_value_get_double (value);
      self->profile = GST_AV_SYNC_METER_PROFILE_CUSTOM;
      break;
    case PROP_LAG_WARNING:
      self->set.lag_warn = g_value_get_double (value);
      self->profile = GST_AV_SYNC_METER_PROFILE_CUSTOM;
      break;
    case PROP_LEAD_ERROR:
      self->set.lead_err = g_value_get_double (value);
      self->profile = GST_AV_SYNC_METER_PROFILE_CUSTOM;
      break;
    case PROP_LAG_ERROR:
      self->set.lag_err = g_value_get_double (value);
      self->profile = GST_AV_SYNC_METER_PROFILE_CUSTOM;
      break;
    case PROP_AV_SYNC_ENABLED:
      self->set.av_sync_enabled = g_value_get_boolean (value);
      break;
    case PROP_PERSISTENCE:
      self->set.persistence = g_value_get_uint (value);
      break;
    case PROP_WINDOW:
      self->set.window = g_value_get_uint64 (value);
      break;
    case PROP_MAX_OFFSET:
      self->set.max_offset = g_value_get_uint64 (value);
      break;
    case PROP_FLASH_X:
      self->flash_x = g_value_get_double (value);
      break;
    case PROP_FLASH_Y:
      self->flash_y = g_value_get_double (value);
      break;
    case PROP_FLASH_WIDTH:
      self->flash_w = g_value_get_double (value);
      break;
    case PROP_FLASH_HEIGHT:
      self->flash_h = g_value_get_double (value);
      break;
    case PROP_FLASH_THRESHOLD:
      self->flash_threshold = g_value_get_double (value);
      break;
    case PROP_BEEP_FREQUENCY:
      self->beep_frequency = g_value_get_double (value);
      break;
    case PROP_BEEP_THRESHOLD:
      self->beep_threshold = g_value_get_double (value);
      break;
    case PROP_MIN_CONFIDENCE:
      self->set.min_confidence = g_value_get_double (value);
      break;
    case PROP_STALL_TIMEOUT:
      self->set.stall_timeout = g_value_get_uint64 (value);
      break;
    case PROP_GAP_TOLERANCE:
      self->set.gap_tolerance = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_av_sync_meter_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAvSyncMeter *self = GST_AV_SYNC_METER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_INTERVAL:
      g_value_set_uint64 (value, self->set.interval);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->set.mode);
      break;
    case PROP_SYNC_PROFILE:
      g_value_set_enum (value, self->profile);
      break;
    case PROP_LEAD_WARNING:
      g_value_set_double (value, self->set.lead_warn);
      break;
    case PROP_LAG_WARNING:
      g_value_set_double (value, self->set.lag_warn);
      break;
    case PROP_LEAD_ERROR:
      g_value_set_double (value, self->set.lead_err);
      break;
    case PROP_LAG_ERROR:
      g_value_set_double (value, self->set.lag_err);
      break;
    case PROP_AV_SYNC_ENABLED:
      g_value_set_boolean (value, self->set.av_sync_enabled);
      break;
    case PROP_PERSISTENCE:
      g_value_set_uint (value, self->set.persistence);
      break;
    case PROP_WINDOW:
      g_value_set_uint64 (value, self->set.window);
      break;
    case PROP_MAX_OFFSET:
      g_value_set_uint64 (value, self->set.max_offset);
      break;
    case PROP_FLASH_X:
      g_value_set_double (value, self->flash_x);
      break;
    case PROP_FLASH_Y:
      g_value_set_double (value, self->flash_y);
      break;
    case PROP_FLASH_WIDTH:
      g_value_set_double (value, self->flash_w);
      break;
    case PROP_FLASH_HEIGHT:
      g_value_set_double (value, self->flash_h);
      break;
    case PROP_FLASH_THRESHOLD:
      g_value_set_double (value, self->flash_threshold);
      break;
    case PROP_BEEP_FREQUENCY:
      g_value_set_double (value, self->beep_frequency);
      break;
    case PROP_BEEP_THRESHOLD:
      g_value_set_double (value, self->beep_threshold);
      break;
    case PROP_MIN_CONFIDENCE:
      g_value_set_double (value, self->set.min_confidence);
      break;
    case PROP_STALL_TIMEOUT:
      g_value_set_uint64 (value, self->set.stall_timeout);
      break;
    case PROP_GAP_TOLERANCE:
      g_value_set_uint64 (value, self->set.gap_tolerance);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstIterator *
iterate_internal_links (GstPad * pad, GstObject * parent)
{
  GstAvSyncMeter *self = GST_AV_SYNC_METER (parent);
  GstPad *other = NULL;
  GstIterator *it;
  GValue v = G_VALUE_INIT;

  if (pad == self->video_sinkpad)
    other = self->video_srcpad;
  else if (pad == self->video_srcpad)
    other = self->video_sinkpad;
  else if (pad == self->audio_sinkpad)
    other = self->audio_srcpad;
  else if (pad == self->audio_srcpad)
    other = self->audio_sinkpad;
  if (other == NULL)
    return NULL;
  g_value_init (&v, GST_TYPE_PAD);
  g_value_set_object (&v, other);
  it = gst_iterator_new_single (GST_TYPE_PAD, &v);
  g_value_unset (&v);
  return it;
}

static Settings
get_settings (GstAvSyncMeter * self)
{
  Settings s;

  GST_OBJECT_LOCK (self);
  s = self->set;
  GST_OBJECT_UNLOCK (self);
  return s;
}

/* Output of one pass under the lock, posted and pushed once it is
 * dropped. */
typedef struct
{
  GPtrArray *messages;          /* GstStructure, posted as element messages */
  GPtrArray *events;            /* GstEvent for video_src */
} Outbox;

static void
outbox_init (Outbox * o)
{
  o->messages = NULL;
  o->events = NULL;
}

static void
outbox_add (Outbox * o, GstStructure * s, gboolean in_band)
{
  if (o->messages == NULL)
    o->messages = g_ptr_array_new ();
  if (in_band) {
    if (o->events == NULL)
      o->events = g_ptr_array_new ();
    g_ptr_array_add (o->events,
        gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
            gst_structure_copy (s)));
  }
  g_ptr_array_add (o->messages, s);
}

/* Posts the messages; the events are pushed on video_src when @push, else
 * queued for the video thread (an audio thread must not push on the video
 * stream). Called without the lock. */
static void
outbox_flush (GstAvSyncMeter * self, Outbox * o, gboolean push)
{
  guint i;

  if (o->messages) {
    for (i = 0; i < o->messages->len; i++)
      gst_element_post_message (GST_ELEMENT (self),
          gst_message_new_element (GST_OBJECT (self),
              g_ptr_array_index (o->messages, i)));
    g_ptr_array_free (o->messages, TRUE);
  }
  if (o->events) {
    if (push) {
      for (i = 0; i < o->events->len; i++)
        gst_pad_push_event (self->video_srcpad,
            g_ptr_array_index (o->events, i));
    } else {
      g_mutex_lock (&self->lock);
      for (i = 0; i < o->events->len; i++) {
        if (self->st.spans_closed) {
          gst_event_unref (g_ptr_array_index (o->events, i));
          continue;
        }
        g_queue_push_tail (&self->st.pending, g_ptr_array_index (o->events, i));
        /* a stalled video stream must not make this grow without bound:
         * drop the oldest */
        if (self->st.pending.length > MAX_PENDING)
          gst_event_unref (g_queue_pop_head (&self->st.pending));
      }
      g_mutex_unlock (&self->lock);
    }
    g_ptr_array_free (o->events, TRUE);
  }
  outbox_init (o);
}

static void
push_pending (GstAvSyncMeter * self)
{
  GQueue q = G_QUEUE_INIT;
  GstEvent *ev;

  g_mutex_lock (&self->lock);
  if (self->st.pending.length > 0) {
    q = self->st.pending;
    g_queue_init (&self->st.pending);
  }
  g_mutex_unlock (&self->lock);
  while ((ev = g_queue_pop_head (&q)))
    gst_pad_push_event (self->video_srcpad, ev);
}

/* the four time fields of a running time, through the video segment (the
 * audio one when video has none yet) */
static void
times_of (SharedState * st, gint64 rt, GstClockTime * ts, GstClockTime * stt,
    GstClockTime * rtt)
{
  GstSegment *seg = st->v_seen ? &st->vseg : &st->aseg;
  GstClockTime pos = GST_CLOCK_TIME_NONE;

  *ts = *stt = *rtt = GST_CLOCK_TIME_NONE;
  if (rt < 0)
    return;
  *rtt = (GstClockTime) rt;
  if (seg->format == GST_FORMAT_TIME)
    pos = gst_segment_position_from_running_time (seg, GST_FORMAT_TIME, rt);
  if (GST_CLOCK_TIME_IS_VALID (pos)) {
    *ts = pos;
    *stt = gst_segment_to_stream_time (seg, GST_FORMAT_TIME, pos);
  }
}

static GstAvMonitorDefect *
make_defect (GstAvSyncMeter * self, GstAvMonitorDefectEvent event, gint64 at)
{
  SharedState *st = &self->st;
  GstAvMonitorDefect *d;
  GstClockTime ts, stt, rtt;
  /* fetched here, not per buffer: defects are rare, buffers are not */
  gchar *name = gst_object_get_name (GST_OBJECT (self));

  d = gst_av_monitor_defect_new (GST_AV_MONITOR_DEFECT_KIND_AV_SYNC, event,
      name, st->span_id);
  g_free (name);
  gst_av_monitor_defect_set_stream_type (d, GST_AV_MONITOR_STREAM_TYPE_AV);
  gst_av_monitor_defect_set_stream_id (d, st->stream_id);
  times_of (st, at, &ts, &stt, &rtt);
  gst_av_monitor_defect_set_times (d, ts, stt, rtt);
  if (event == GST_AV_MONITOR_DEFECT_EVENT_END) {
    times_of (st, st->span_start, &ts, &stt, &rtt);
    gst_av_monitor_defect_set_start_times (d, ts, stt, rtt);
    gst_av_monitor_defect_set_duration (d, at >= st->span_start ?
        (GstClockTime) (at - st->span_start) : 0);
  }
  gst_av_monitor_defect_set_severity (d, st->span_severity);
  gst_av_monitor_defect_set_measure (d, st->span_worst, st->span_threshold,
      "ms");
  gst_av_monitor_defect_set_confidence (d, st->span_confidence);
  return d;
}

static void
span_open (GstAvSyncMeter * self, Outbox * o,
    gint64 at, GstAvMonitorSeverity sev, gdouble value, gdouble threshold,
    gdouble confidence)
{
  SharedState *st = &self->st;
  GstAvMonitorDefect *d;

  st->span_open = TRUE;
  st->span_id++;
  st->span_start = at;
  st->span_severity = sev;
  st->span_worst = value;
  st->span_threshold = threshold;
  st->span_confidence = confidence;
  d = make_defect (self, GST_AV_MONITOR_DEFECT_EVENT_START, at);
  outbox_add (o, gst_av_monitor_defect_to_structure (d), TRUE);
  gst_av_monitor_defect_free (d);
}

static void
span_close (GstAvSyncMeter * self, Outbox * o,
    gint64 at, gboolean truncated, gboolean in_band)
{
  SharedState *st = &self->st;
  GstAvMonitorDefect *d;

  if (!st->span_open)
    return;
  st->span_open = FALSE;
  d = make_defect (self, GST_AV_MONITOR_DEFECT_EVENT_END, at);
  gst_av_monitor_defect_set_truncated (d, truncated);
  outbox_add (o, gst_av_monitor_defect_to_structure (d), in_band);
  gst_av_monitor_defect_free (d);
}

/* Classifies a valid offset: 0 in tolerance, 1 warning, 2 error, with the
 * threshold crossed (ms, signed like the offset). */
static gint
classify (const Settings * s, gdouble off_ms, gdouble * thr)
{
  if (off_ms >= 0) {
    if (off_ms > s->lead_err) {
      *thr = s->lead_err;
      return 2;
    }
    if (off_ms > s->lead_warn) {
      *thr = s->lead_warn;
      return 1;
    }
    return 0;
  }
  if (-off_ms > s->lag_err) {
    *thr = -s->lag_err;
    return 2;
  }
  if (-off_ms > s->lag_warn) {
    *thr = -s->lag_warn;
    return 1;
  }
  return 0;
}

static void
update_span (GstAvSyncMeter * self, const Settings * s, Outbox * o,
    gint64 at, gdouble off_ms, gdouble confidence)
{
  SharedState *st = &self->st;
  gdouble thr = 0;
  gint level = classify (s, off_ms, &thr);

  if (level > 0) {
    if (st->run_bad++ == 0)
      st->bad_since = at;
    st->run_good = 0;
  } else {
    if (st->run_good++ == 0)
      st->good_since = at;
    st->run_bad = 0;
  }
  if (level == 2) {
    if (st->run_err++ == 0)
      st->err_since = at;
  } else {
    st->run_err = 0;
  }
  if (st->spans_closed)
    return;
  if (!s->av_sync_enabled) {
    if (st->span_open)
      span_close (self, o, at, TRUE, TRUE);
    return;
  }

  if (!st->span_open && st->run_bad >= s->persistence) {
    gboolean err = st->run_err >= s->persistence;

    span_open (self, o, err ? st->err_since : st->bad_since,
        err ? GST_AV_MONITOR_SEVERITY_ERROR : GST_AV_MONITOR_SEVERITY_WARNING,
        off_ms, thr, confidence);
  } else if (st->span_open && st->span_severity ==
      GST_AV_MONITOR_SEVERITY_WARNING && st->run_err >= s->persistence) {
    /* escalate: the warning ends where the error begins */
    span_close (self, o, st->err_since, FALSE, TRUE);
    span_open (self, o, st->err_since, GST_AV_MONITOR_SEVERITY_ERROR,
        off_ms, thr, confidence);
  } else if (st->span_open && st->run_good >= s->persistence) {
    span_close (self, o, st->good_since, FALSE, TRUE);
  } else if (st->span_open && level > 0
      && fabs (off_ms) > fabs (st->span_worst)) {
    st->span_worst = off_ms;
    st->span_threshold = thr;
  }
}

static gint64
ring_collect (const AvmEventRing * r, gint64 from, gint64 to, gint64 * out,
    guint max)
{
  guint i, n = 0;

  for (i = 0; i < r->count && n < max; i++) {
    gint64 t = avm_event_ring_time (r, i);

    if (t >= from && t < to)
      out[n++] = t;
  }
  return n;
}

static void
add_slip (AvmEventRing * r, gint64 * base, gint64 t, gint64 jump)
{
  if (r->count == AVM_SYNC_RING) {
    *base += (gint64) avm_event_ring_value (r, 0);
    avm_event_ring_pop (r);
  }
  avm_event_ring_push (r, t, (gdouble) jump);
}

static gint64
slip_before (const AvmEventRing * r, gint64 base, gint64 t)
{
  guint i;

  for (i = 0; i < r->count; i++)
    if (avm_event_ring_time (r, i) < t)
      base += (gint64) avm_event_ring_value (r, i);
  return base;
}

/* One measurement over [end - duration, end). Under the lock. */
static void
measure (GstAvSyncMeter * self, const Settings * s, Outbox * o,
    gint64 end, gint64 duration, gboolean v_stalled, gboolean a_stalled)
{
  SharedState *st = &self->st;
  AvmSyncResult mk, ct, ts, *res = NULL;
  const gchar *method = "timestamps";
  gint64 win = (gint64) s->window, mo = (gint64) s->max_offset;
  gint64 vev[AVM_CONTENT_MAX_EVENTS], aev[AVM_CONTENT_MAX_EVENTS];
  guint nv, na;
  AvmContentParams cp;
  gdouble vppm = 0, appm = 0;
  gboolean have_vppm, have_appm, both = st->v_seen && st->a_seen;
  GstClockTime t_ts, t_st, t_rt;
  GstStructure *msg;
  gint64 start = end - duration;

  st->pairer.max_offset = mo;
  avm_marker_pairer_update (&st->pairer, st->a_eos || a_stalled ?
      G_MAXINT64 : st->a_done);
  avm_marker_pairer_result (&st->pairer, end - win, end, &mk);

  avm_content_params_default (&cp);
  cp.max_offset = mo;
  cp.tolerance = st->frame_duration * 3 / 4 + 5 * GST_MSECOND;
  nv = ring_collect (&st->vevents, end - win, end - mo, vev,
      AVM_CONTENT_MAX_EVENTS);
  na = ring_collect (&st->aevents, end - win - mo, end, aev,
      AVM_CONTENT_MAX_EVENTS);
  avm_content_correlate (vev, nv, aev, na, &cp, &ct);
  if (ct.confidence < s->min_confidence)
    ct.valid = 0;

  have_vppm = avm_time_track_drift_ppm (&st->vtime, &vppm);
  have_appm = avm_time_track_drift_ppm (&st->atime, &appm);
  memset (&ts, 0, sizeof (ts));
  ts.valid = both;
  ts.offset = (gdouble) (slip_before (&st->vslips, st->vslip_base, end) -
      slip_before (&st->aslips, st->aslip_base, end));
  ts.confidence = both ? 1.0 : 0.0;

  if (v_stalled || a_stalled) {
    mk.valid = ct.valid = 0;
  }
  switch (s->mode) {
    case GST_AV_SYNC_METER_MODE_MARKERS:
      res = &mk;
      method = "markers";
      break;
    case GST_AV_SYNC_METER_MODE_CONTENT:
      res = &ct;
      method = "content";
      break;
    case GST_AV_SYNC_METER_MODE_TIMESTAMPS:
      res = &ts;
      break;
    default:
      if (mk.valid) {
        res = &mk;
        method = "markers";
      } else if (ct.valid) {
        res = &ct;
        method = "content";
      } else {
        res = &ts;
      }
      break;
  }
  if (!res->have_drift && have_vppm && have_appm) {
    /* the offset moves at the rate video time outruns audio time */
    res->drift_ppm = vppm - appm;
  }

  times_of (st, start, &t_ts, &t_st, &t_rt);
  msg = gst_structure_new (GST_AV_MONITOR_SYNC_NAME,
      GST_AV_MONITOR_FIELD_TIMESTAMP, G_TYPE_UINT64, t_ts,
      GST_AV_MONITOR_FIELD_STREAM_TIME, G_TYPE_UINT64, t_st,
      GST_AV_MONITOR_FIELD_RUNNING_TIME, G_TYPE_UINT64, t_rt,
      GST_AV_MONITOR_FIELD_DURATION, G_TYPE_UINT64, (guint64) duration,
      FIELD_VALID, G_TYPE_BOOLEAN, res->valid ? TRUE : FALSE,
      FIELD_OFFSET, G_TYPE_INT64, res->valid ? (gint64) llround (res->offset)
      : (gint64) 0,
      FIELD_OFFSET_MS, G_TYPE_DOUBLE, res->valid ? res->offset / 1e6 : 0.0,
      GST_AV_MONITOR_FIELD_CONFIDENCE, G_TYPE_DOUBLE,
      CLAMP (res->confidence, 0.0, 1.0),
      FIELD_METHOD, G_TYPE_STRING, method,
      FIELD_N_EVENTS, G_TYPE_UINT, res->n_events,
      FIELD_STDDEV_MS, G_TYPE_DOUBLE, res->stddev / 1e6,
      FIELD_DRIFT_PPM, G_TYPE_DOUBLE, res->drift_ppm,
      "start-offset", G_TYPE_INT64, both ?
      st->vtime.first - st->atime.first : (gint64) 0,
      "video-drift-ppm", G_TYPE_DOUBLE, have_vppm ? vppm : 0.0,
      "audio-drift-ppm", G_TYPE_DOUBLE, have_appm ? appm : 0.0,
      "video-gaps", G_TYPE_UINT64, st->vtime.n_gaps,
      "video-overlaps", G_TYPE_UINT64, st->vtime.n_overlaps,
      "video-gap-time", G_TYPE_UINT64, (guint64) st->vtime.gap_total,
      "video-overlap-time", G_TYPE_UINT64, (guint64) st->vtime.overlap_total,
      "audio-gaps", G_TYPE_UINT64, st->atime.n_gaps,
      "audio-overlaps", G_TYPE_UINT64, st->atime.n_overlaps,
      "audio-gap-time", G_TYPE_UINT64, (guint64) st->atime.gap_total,
      "audio-overlap-time", G_TYPE_UINT64, (guint64) st->atime.overlap_total,
      "video-stalled", G_TYPE_BOOLEAN, v_stalled,
      "audio-stalled", G_TYPE_BOOLEAN, a_stalled,
      "video-eos", G_TYPE_BOOLEAN, st->v_eos,
      "audio-eos", G_TYPE_BOOLEAN, st->a_eos, NULL);
  if (st->vskew_n > 0 || st->askew_n > 0) {
    gst_structure_set (msg,
        "video-arrival-skew", G_TYPE_INT64, st->vskew_n ?
        st->vskew_sum / (gint64) st->vskew_n : (gint64) 0,
        "audio-arrival-skew", G_TYPE_INT64, st->askew_n ?
        st->askew_sum / (gint64) st->askew_n : (gint64) 0, NULL);
    st->vskew_sum = st->askew_sum = 0;
    st->vskew_n = st->askew_n = 0;
  }
  GST_LOG_OBJECT (self, "%s valid %d offset %.3f ms n %u conf %.2f", method,
      res->valid, res->offset / 1e6, res->n_events, res->confidence);
  outbox_add (o, msg, TRUE);

  if (res->valid)
    update_span (self, s, o, start, res->offset / 1e6, res->confidence);
}

/* Runs every measurement that is due. A tick at T is due once both
 * streams reached T, or one of them is done, or one is ahead of T by the
 * stall timeout (then the other is reported stalled): never a wait. */
static void
run_ticks (GstAvSyncMeter * self, const Settings * s, Outbox * o)
{
  SharedState *st = &self->st;
  gint64 iv = (gint64) s->interval, stall = (gint64) s->stall_timeout;
  gint64 now_us = g_get_monotonic_time ();
  /* behind in running time is not stalled while buffers still arrive (a
   * queue upstream, a non-live pipeline racing ahead): only silence in
   * wall-clock time is */
  gboolean v_quiet = now_us - st->v_arrival >= stall / 1000;
  gboolean a_quiet = now_us - st->a_arrival >= stall / 1000;
  guint guard = 0;

  if (!st->have_tick)
    return;
  while (guard++ < 64) {
    gint64 t = st->next_tick;
    gboolean v_ok = st->v_eos || st->v_done >= t;
    gboolean a_ok = st->a_eos || st->a_done >= t;
    gboolean v_stalled = FALSE, a_stalled = FALSE;

    if (!v_ok && v_quiet && st->a_done >= t + stall && !st->a_eos)
      v_stalled = TRUE;
    if (!a_ok && a_quiet && st->v_done >= t + stall && !st->v_eos)
      a_stalled = TRUE;
    if (st->v_eos && st->a_eos)
      break;
    if (!((v_ok || v_stalled) && (a_ok || a_stalled)))
      break;
    if (v_stalled || a_stalled)
      GST_WARNING_OBJECT (self, "%s stream stalled at %" GST_TIME_FORMAT,
          v_stalled ? "video" : "audio", GST_TIME_ARGS (t));
    measure (self, s, o, t, iv, v_stalled, a_stalled);
    st->next_tick += iv;
  }
  if (guard >= 64) {
    /* a jump far ahead: resume at the present, not interval by interval */
    gint64 now = MAX (st->v_done, st->a_done);

    if (now > st->next_tick)
      st->next_tick = now - (now - st->next_tick) % iv + iv;
  }
}

static void
start_ticks (SharedState * st, gint64 rt, const Settings * s)
{
  if (!st->have_tick) {
    st->have_tick = TRUE;
    st->next_tick = rt + (gint64) s->interval;
  }
}

static gint64
arrival_skew (GstAvSyncMeter * self, GstPad * sinkpad, gint * live,
    gint64 rt, gboolean * ok)
{
  GstClock *clock;
  gint64 skew = 0;

  *ok = FALSE;
  if (*live < 0) {
    /* asked once per stream: in a non-live pipeline buffers arrive as
     * early as the queues allow, and the skew means nothing */
    GstQuery *q = gst_query_new_latency ();
    gboolean is_live = FALSE;

    if (gst_pad_peer_query (sinkpad, q))
      gst_query_parse_latency (q, &is_live, NULL, NULL);
    gst_query_unref (q);
    *live = is_live ? 1 : 0;
  }
  if (!*live || GST_STATE (self) != GST_STATE_PLAYING)
    return 0;
  clock = gst_element_get_clock (GST_ELEMENT (self));
  if (clock) {
    GstClockTime now = gst_clock_get_time (clock);
    GstClockTime base = gst_element_get_base_time (GST_ELEMENT (self));

    if (GST_CLOCK_TIME_IS_VALID (now) && GST_CLOCK_TIME_IS_VALID (base)) {
      skew = (gint64) (now - base) - rt;
      *ok = TRUE;
    }
    gst_object_unref (clock);
  }
  return skew;
}

/* video */

static gboolean
scan_frame (GstAvSyncMeter * self, GstBuffer * buf, double *mean)
{
  GstVideoFrame frame;
  AvmLumaPlane p;
  const GstVideoFormatInfo *fi;
  gdouble fx, fy, fw, fh;
  gint rx, ry, rw, rh;

  if (!gst_video_frame_map (&frame, &self->vinfo, buf, GST_MAP_READ))
    return FALSE;
  fi = self->vinfo.finfo;
  p.data = GST_VIDEO_FRAME_COMP_DATA (&frame, 0);
  p.stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, 0);
  p.pstride = GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, 0);
  p.width = GST_VIDEO_FRAME_COMP_WIDTH (&frame, 0);
  p.height = GST_VIDEO_FRAME_COMP_HEIGHT (&frame, 0);
  p.bytes = GST_VIDEO_FORMAT_INFO_DEPTH (fi, 0) > 8 ? 2 : 1;
  p.shift = GST_VIDEO_FORMAT_INFO_SHIFT (fi, 0);
  p.maxval = (1 << GST_VIDEO_FORMAT_INFO_DEPTH (fi, 0)) - 1;

  GST_OBJECT_LOCK (self);
  fx = self->flash_x;
  fy = self->flash_y;
  fw = self->flash_w;
  fh = self->flash_h;
  GST_OBJECT_UNLOCK (self);
  rx = (gint) (fx * p.width);
  ry = (gint) (fy * p.height);
  rw = MAX (1, (gint) (fw * p.width + 0.5));
  rh = MAX (1, (gint) (fh * p.height + 0.5));
  avm_luma_scan (&p, rx, ry, rw, rh, mean, self->thumb);
  gst_video_frame_unmap (&frame);
  return TRUE;
}

static GstFlowReturn
video_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstAvSyncMeter *self = GST_AV_SYNC_METER (parent);
  SharedState *st = &self->st;
  GstClockTime pts = GST_BUFFER_PTS (buf), dur = GST_BUFFER_DURATION (buf);
  guint64 rt;
  gboolean flash = FALSE, skew_ok;
  AvmVideoEvent cue = AVM_VIDEO_EVENT_NONE;
  gdouble mean = 0, nov, thr;
  gint64 skew;
  Settings s;
  Outbox o;

  if (!GST_CLOCK_TIME_IS_VALID (pts) ||
      gst_segment_to_running_time_full (&self->vsegment, GST_FORMAT_TIME,
          pts, &rt) != 1)
    goto forward;

  GST_OBJECT_LOCK (self);
  thr = self->flash_threshold;
  GST_OBJECT_UNLOCK (self);
  self->flash.min_jump = thr;
  if (self->have_vinfo && !GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP)
      && scan_frame (self, buf, &mean)) {
    flash = avm_flash_push (&self->flash, mean);
    cue = avm_video_novelty_push (&self->novelty, self->thumb, &nov);
  }
  if (!GST_CLOCK_TIME_IS_VALID (dur))
    dur = st->frame_duration;
  skew = arrival_skew (self, self->video_sinkpad, &self->v_live, (gint64) rt,
      &skew_ok);

  s = get_settings (self);
  outbox_init (&o);
  g_mutex_lock (&self->lock);
  st->v_seen = TRUE;
  st->v_arrival = g_get_monotonic_time ();
  if (st->vtime.rate_num > 0) {
    gint64 jump;

    st->vtime.tolerance = st->frame_duration / 2;
    /* frames shown again earlier: the content moved against time (a
     * missing frame is a loss, and is not counted) */
    if (avm_time_track_push (&st->vtime, (gint64) rt, 1, &jump) ==
        AVM_TIME_OVERLAP) {
      avm_time_track_add_slip (&st->vtime, jump);
      add_slip (&st->vslips, &st->vslip_base, (gint64) rt, jump);
    }
  } else if (!st->vtime.started) {
    st->vtime.started = 1;
    st->vtime.first = (gint64) rt;
  }
  st->v_done = MAX (st->v_done, (gint64) (rt + dur));
  if (flash) {
    GST_DEBUG_OBJECT (self, "flash at %" GST_TIME_FORMAT, GST_TIME_ARGS (rt));
    avm_marker_pairer_add_flash (&st->pairer, (gint64) rt);
  }
  if (cue == AVM_VIDEO_EVENT_CHANGE)
    avm_event_ring_push (&st->vevents, (gint64) rt, nov);
  else if (cue == AVM_VIDEO_EVENT_REVERSAL)
    avm_event_ring_push (&st->vevents,
        (gint64) rt - st->frame_duration * 3 / 2, nov);
  if (skew_ok) {
    st->vskew_sum += skew;
    st->vskew_n++;
  }
  start_ticks (st, (gint64) rt, &s);
  run_ticks (self, &s, &o);
  g_mutex_unlock (&self->lock);

  push_pending (self);
  outbox_flush (self, &o, TRUE);

forward:
  return gst_pad_push (self->video_srcpad, buf);
}

/* audio */

static void
mix_chunk (GstAvSyncMeter * self, GstAudioBuffer * ab, gsize off, gint n)
{
  const GstAudioInfo *info = &self->ainfo;
  gint ch = GST_AUDIO_INFO_CHANNELS (info), c, i;
  gboolean planar =
      GST_AUDIO_INFO_LAYOUT (info) == GST_AUDIO_LAYOUT_NON_INTERLEAVED;
  gfloat *m = self->mono;
  gfloat k = 1.0f / ch;

  memset (m, 0, sizeof (gfloat) * n);
  for (c = 0; c < ch; c++) {
    gint step = planar ? 1 : ch;
    gsize base = planar ? off : off * ch + c;
    gconstpointer p = planar ? ab->planes[c] : ab->planes[0];

    switch (GST_AUDIO_INFO_FORMAT (info)) {
      case GST_AUDIO_FORMAT_S16LE:{
        const gint16 *x = (const gint16 *) p + base;

        for (i = 0; i < n; i++)
          m[i] += x[(gsize) i * step] * (k / 32768.0f);
        break;
      }
      case GST_AUDIO_FORMAT_S32LE:{
        const gint32 *x = (const gint32 *) p + base;

        for (i = 0; i < n; i++)
          m[i] += (gfloat) (x[(gsize) i * step] * (1.0 / 2147483648.0)) * k;
        break;
      }
      case GST_AUDIO_FORMAT_F32LE:{
        const gfloat *x = (const gfloat *) p + base;

        for (i = 0; i < n; i++)
          m[i] += x[(gsize) i * step] * k;
        break;
      }
      case GST_AUDIO_FORMAT_F64LE:{
        const gdouble *x = (const gdouble *) p + base;

        for (i = 0; i < n; i++)
          m[i] += (gfloat) x[(gsize) i * step] * k;
        break;
      }
      default:
        break;
    }
  }
}

static GstFlowReturn
audio_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstAvSyncMeter *self = GST_AV_SYNC_METER (parent);
  SharedState *st = &self->st;
  GstClockTime pts = GST_BUFFER_PTS (buf);
  guint64 rt;
  gint rate, n_onsets = 0, n_beeps = 0, i;
  gint64 beeps[16], onsets[64], first_index, skew;
  gsize frames, off;
  GstAudioBuffer ab;
  gboolean gap, skew_ok;
  gdouble freq, level;
  Settings s;
  Outbox o;

  if (!self->have_ainfo || !GST_CLOCK_TIME_IS_VALID (pts) ||
      gst_segment_to_running_time_full (&self->asegment, GST_FORMAT_TIME,
          pts, &rt) != 1)
    goto forward;

  rate = GST_AUDIO_INFO_RATE (&self->ainfo);
  GST_OBJECT_LOCK (self);
  freq = self->beep_frequency;
  level = self->beep_threshold;
  GST_OBJECT_UNLOCK (self);
  if (freq != self->beep_freq_set || level != self->beep_level_set) {
    /* changed in PLAYING: a new detector, the next beep is measured */
    avm_beep_init (self->beep, rate, freq, level);
    self->beep->next = self->a_index;
    self->beep_freq_set = freq;
    self->beep_level_set = level;
  }
  frames = gst_buffer_get_size (buf) / GST_AUDIO_INFO_BPF (&self->ainfo);
  first_index = self->a_index;
  gap = GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP);
  if (gap || gst_audio_buffer_map (&ab, &self->ainfo, buf, GST_MAP_READ)) {
    for (off = 0; off < frames; off += CHUNK) {
      gint n = (gint) MIN (CHUNK, frames - off);

      if (gap)
        memset (self->mono, 0, sizeof (gfloat) * n);
      else
        mix_chunk (self, &ab, off, n);
      n_beeps += avm_beep_push (self->beep, self->mono, n, self->a_index,
          beeps + n_beeps, G_N_ELEMENTS (beeps) - n_beeps);
      n_onsets += avm_audio_onset_push (&self->onset, self->mono, n,
          self->a_index, onsets + n_onsets, G_N_ELEMENTS (onsets) - n_onsets);
      self->a_index += n;
    }
    if (!gap)
      gst_audio_buffer_unmap (&ab);
  }
  skew = arrival_skew (self, self->audio_sinkpad, &self->a_live, (gint64) rt,
      &skew_ok);

  s = get_settings (self);
  outbox_init (&o);
  g_mutex_lock (&self->lock);
  st->a_seen = TRUE;
  st->a_arrival = g_get_monotonic_time ();
  {
    gint64 jump;
    AvmTimeJump j;

    st->atime.tolerance = (gint64) s.gap_tolerance;
    j = avm_time_track_push (&st->atime, (gint64) rt, frames, &jump);
    /* audio is continuous: a jump without DISCONT moved the sound against
     * the clock; with DISCONT the samples in between were lost */
    if ((j == AVM_TIME_GAP || j == AVM_TIME_OVERLAP) &&
        !GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT)) {
      avm_time_track_add_slip (&st->atime, jump);
      add_slip (&st->aslips, &st->aslip_base, (gint64) rt, jump);
    }
  }
  st->a_done = MAX (st->a_done,
      (gint64) (rt + gst_util_uint64_scale_int (frames, GST_SECOND, rate)));
  /* onsets may lie in an earlier buffer: extrapolate with the nominal
   * rate from this one */
  for (i = 0; i < n_beeps; i++) {
    gint64 t = (gint64) rt + avm_scale (beeps[i] - first_index, GST_SECOND,
        rate);

    GST_DEBUG_OBJECT (self, "beep at %" GST_STIME_FORMAT, GST_STIME_ARGS (t));
    avm_marker_pairer_add_beep (&st->pairer, t);
  }
  for (i = 0; i < n_onsets; i++)
    avm_event_ring_push (&st->aevents, (gint64) rt +
        avm_scale (onsets[i] - first_index, GST_SECOND, rate), 1.0);
  if (skew_ok) {
    st->askew_sum += skew;
    st->askew_n++;
  }
  start_ticks (st, (gint64) rt, &s);
  run_ticks (self, &s, &o);
  g_mutex_unlock (&self->lock);

  outbox_flush (self, &o, FALSE);

forward:
  return gst_pad_push (self->audio_srcpad, buf);
}

/* events */

static void
setup_audio (GstAvSyncMeter * self, GstCaps * caps)
{
  GstAudioInfo info;
  gdouble freq, level;

  if (!gst_audio_info_from_caps (&info, caps))
    return;
  /* sticky events come again after a pad offset change: same caps, same
   * stream, keep the history */
  if (self->have_ainfo && gst_audio_info_is_equal (&info, &self->ainfo))
    return;
  self->ainfo = info;
  self->have_ainfo = TRUE;
  GST_OBJECT_LOCK (self);
  freq = self->beep_frequency;
  level = self->beep_threshold;
  GST_OBJECT_UNLOCK (self);
  avm_beep_init (self->beep, info.rate, freq, level);
  self->beep_freq_set = freq;
  self->beep_level_set = level;
  avm_audio_onset_init (&self->onset, info.rate);
  self->a_index = 0;
  g_mutex_lock (&self->lock);
  avm_time_track_init (&self->st.atime, info.rate, 1, self->st.atime.tolerance);
  g_mutex_unlock (&self->lock);
}

static void
setup_video (GstAvSyncMeter * self, GstCaps * caps)
{
  GstVideoInfo info;

  if (!gst_video_info_from_caps (&info, caps))
    return;
  if (self->have_vinfo && gst_video_info_is_equal (&info, &self->vinfo))
    return;
  self->vinfo = info;
  self->have_vinfo = TRUE;
  avm_flash_reset (&self->flash);
  avm_video_novelty_reset (&self->novelty);
  g_mutex_lock (&self->lock);
  if (info.fps_n > 0 && info.fps_d > 0) {
    self->st.frame_duration = gst_util_uint64_scale_int (GST_SECOND,
        info.fps_d, info.fps_n);
    avm_time_track_init (&self->st.vtime, info.fps_n, info.fps_d,
        self->st.frame_duration / 2);
  } else {
    /* variable frame rate: no frame count to check timestamps against */
    avm_time_track_init (&self->st.vtime, 0, 1, 0);
  }
  g_mutex_unlock (&self->lock);
}

/* The measurement of the interval the last ticks left over, up to the end
 * of the video. */
static void
final_partial (GstAvSyncMeter * self, const Settings * s, Outbox * o)
{
  SharedState *st = &self->st;

  if (st->have_tick && st->v_done > st->next_tick - (gint64) s->interval
      && st->a_seen) {
    gint64 from = st->next_tick - (gint64) s->interval;

    measure (self, s, o, st->v_done, st->v_done - from, FALSE,
        !st->a_eos && st->a_done < st->v_done);
    st->next_tick = st->v_done + (gint64) s->interval;
  }
}

/* End of the video stream: a last, partial measurement, then the open span
 * ends (truncated) and its end is pushed before EOS. */
static void
finish_video (GstAvSyncMeter * self)
{
  SharedState *st = &self->st;
  Settings s = get_settings (self);
  Outbox o;

  outbox_init (&o);
  g_mutex_lock (&self->lock);
  st->v_eos = TRUE;
  run_ticks (self, &s, &o);
  /* The last, partial interval: now if the audio is done or has gone
   * quiet; otherwise the audio thread goes on measuring up to the video's
   * end as it catches up (a non-live pipeline lets one stream race ahead:
   * that is not a stall) and makes the partial one at its EOS. */
  if (st->a_eos || g_get_monotonic_time () - st->a_arrival >=
      (gint64) (s.stall_timeout / 1000))
    final_partial (self, &s, &o);
  span_close (self, &o, st->v_done, TRUE, TRUE);
  st->spans_closed = TRUE;
  g_mutex_unlock (&self->lock);

  push_pending (self);
  outbox_flush (self, &o, TRUE);
}

/* Flush or stop: nothing can be pushed, so only the end message goes
 * out. */
static void
abandon_span (GstAvSyncMeter * self)
{
  SharedState *st = &self->st;
  Outbox o;

  outbox_init (&o);
  g_mutex_lock (&self->lock);
  span_close (self, &o, MAX (st->v_done, st->span_start), TRUE, FALSE);
  g_queue_clear_full (&st->pending, (GDestroyNotify) gst_event_unref);
  g_mutex_unlock (&self->lock);
  outbox_flush (self, &o, FALSE);
}

static gboolean
sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstAvSyncMeter *self = GST_AV_SYNC_METER (parent);
  gboolean video = pad == self->video_sinkpad;
  GstPad *srcpad = video ? self->video_srcpad : self->audio_srcpad;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      if (video)
        setup_video (self, caps);
      else
        setup_audio (self, caps);
      break;
    }
    case GST_EVENT_SEGMENT:{
      GstSegment *seg = video ? &self->vsegment : &self->asegment;

      gst_event_copy_segment (event, seg);
      GST_DEBUG_OBJECT (pad, "segment %" GST_SEGMENT_FORMAT, seg);
      if (seg->format != GST_FORMAT_TIME) {
        GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
            ("avsyncmeter needs TIME segments"));
        gst_event_unref (event);
        return FALSE;
      }
      g_mutex_lock (&self->lock);
      if (video)
        self->st.vseg = *seg;
      else
        self->st.aseg = *seg;
      g_mutex_unlock (&self->lock);
      break;
    }
    case GST_EVENT_STREAM_START:
      if (video) {
        const gchar *id = NULL;

        gst_event_parse_stream_start (event, &id);
        g_mutex_lock (&self->lock);
        g_free (self->st.stream_id);
        self->st.stream_id = g_strdup (id);
        g_mutex_unlock (&self->lock);
      }
      break;
    case GST_EVENT_FLUSH_START:
      abandon_span (self);
      break;
    case GST_EVENT_FLUSH_STOP:
      /* the running times start again: forget both streams' history */
      if (video) {
        gst_segment_init (&self->vsegment, GST_FORMAT_TIME);
        avm_flash_reset (&self->flash);
        avm_video_novelty_reset (&self->novelty);
      } else {
        gst_segment_init (&self->asegment, GST_FORMAT_TIME);
        avm_beep_reset (self->beep);
        avm_audio_onset_reset (&self->onset);
      }
      g_mutex_lock (&self->lock);
      reset_shared (self);
      g_mutex_unlock (&self->lock);
      break;
    case GST_EVENT_GAP:{
      GstClockTime ts, dur;
      guint64 rt;
      GstSegment *seg = video ? &self->vsegment : &self->asegment;

      /* a gap keeps the stream alive for the tick logic */
      gst_event_parse_gap (event, &ts, &dur);
      if (GST_CLOCK_TIME_IS_VALID (ts) &&
          gst_segment_to_running_time_full (seg, GST_FORMAT_TIME, ts,
              &rt) == 1) {
        gint64 end = (gint64) rt +
            (GST_CLOCK_TIME_IS_VALID (dur) ? (gint64) dur : 0);

        g_mutex_lock (&self->lock);
        if (video)
          self->st.v_done = MAX (self->st.v_done, end);
        else
          self->st.a_done = MAX (self->st.a_done, end);
        g_mutex_unlock (&self->lock);
      }
      break;
    }
    case GST_EVENT_EOS:
      if (video) {
        finish_video (self);
      } else {
        Settings s = get_settings (self);
        Outbox o;

        outbox_init (&o);
        g_mutex_lock (&self->lock);
        self->st.a_eos = TRUE;
        run_ticks (self, &s, &o);
        /* the video ended first and left its partial interval to us */
        if (self->st.v_eos)
          final_partial (self, &s, &o);
        g_mutex_unlock (&self->lock);
        outbox_flush (self, &o, FALSE);
      }
      break;
    default:
      break;
  }
  /* everything else, avmonitor-defect events included, goes on along its
   * own pair */
  return gst_pad_push_event (srcpad, event);
}

static GstStateChangeReturn
gst_av_sync_meter_change_state (GstElement * element, GstStateChange transition)
{
  GstAvSyncMeter *self = GST_AV_SYNC_METER (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    gst_segment_init (&self->vsegment, GST_FORMAT_TIME);
    gst_segment_init (&self->asegment, GST_FORMAT_TIME);
    avm_flash_reset (&self->flash);
    avm_video_novelty_reset (&self->novelty);
    avm_beep_reset (self->beep);
    avm_audio_onset_reset (&self->onset);
    self->a_index = 0;
    self->v_live = self->a_live = -1;
    g_mutex_lock (&self->lock);
    reset_shared (self);
    gst_segment_init (&self->st.vseg, GST_FORMAT_TIME);
    gst_segment_init (&self->st.aseg, GST_FORMAT_TIME);
    g_mutex_unlock (&self->lock);
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    abandon_span (self);
    g_mutex_lock (&self->lock);
    reset_shared (self);
    g_mutex_unlock (&self->lock);
    self->have_vinfo = self->have_ainfo = FALSE;
  }
  return ret;
}
