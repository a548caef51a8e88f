/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-avqualitydetect
 * @title: avqualitydetect
 *
 * Per-stream audio or video defect detectors. One instance per stream; the
 * caps decide whether it watches video (freeze, black, uniform picture,
 * block corruption, frame gaps, timestamp discontinuities, stall) or audio
 * (silence, channel silence, clipping, dropouts, loudness and true peak,
 * discontinuities, stall). It is pass-through: buffers are read in place,
 * never modified or copied, and no latency is added.
 *
 * Every defect is a span. When a span starts (as soon as it is certain) the
 * element posts an `avmonitor-defect` element message and pushes the same
 * structure downstream as a serialized custom event, for defectsink; when
 * it ends, the same with `event=end`. At EOS open spans are ended
 * (`truncated=true`) and their end events pushed before EOS. On a flush or
 * stop the end messages are posted on the bus only. The fields are those
 * of the gst-avmonitor defect contract (docs/avqualitydetect.md).
 *
 * Every `interval` it also posts `avmonitor-stats` with the four time fields
 * and, for video, `luma-mean`, `motion`, `blockiness`, `black-ratio`,
 * `frames`, `fps`; for audio, `rms` and `peak` (arrays of dBFS per channel),
 * `momentary-loudness`, `short-term-loudness`, `integrated-loudness` (LUFS),
 * `loudness-range` (LU) and `true-peak` (dBTP).
 *
 * Unsupported raw formats are refused at negotiation: insert videoconvert
 * or audioconvert in front (a queue too, so detection does not run on the
 * decoder's thread).
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=300 ! video/x-raw,framerate=25/1 ! \
 *     avdefectinject schedule="freeze@3s+4s" ! queue ! avqualitydetect ! \
 *     defectsink location=-
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "avqd-private.h"
#include "gstavmonitorelements.h"

#include <math.h>
#include <string.h>

GST_DEBUG_CATEGORY (av_quality_detect_debug);
#define GST_CAT_DEFAULT av_quality_detect_debug

#define DEFAULT_INTERVAL              GST_SECOND
#define DEFAULT_STALL_TIMEOUT         (2 * GST_SECOND)
#define DEFAULT_BLOCK_CORRUPTION_HOLD (2 * GST_SECOND)
#define DEFAULT_BLOCK_CORRUPTION_TEXTURE 0.0
#define DEFAULT_BLOCK_CORRUPTION_TEXTURE_MAX_PIXELS (1280 * 720)
#define DEFAULT_BLOCK_CORRUPTION_SCAN FALSE
#define DEFAULT_BLOCK_CORRUPTION_SCAN_MAX_PIXELS (1280 * 720)
#define DEFAULT_BLOCK_CORRUPTION_REPEAT TRUE
#define DEFAULT_BLOCK_CORRUPTION_STAND TRUE
#define DEFAULT_BLACK_PIXEL_THRESHOLD 0.10
#define DEFAULT_LOUDNESS_PROFILE      GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_EBU_R128
#define DEFAULT_LOUDNESS_TARGET       -23.0
#define DEFAULT_LOUDNESS_TOLERANCE    5.0
#define DEFAULT_TRUE_PEAK_CEILING     -1.0
#define DEFAULT_LOUDNESS_GROUPS       NULL

/* Which of the three per-kind properties a kind has. */
#define HAS_THRESHOLD (1 << 0)
#define HAS_DURATION  (1 << 1)

typedef struct
{
  const gchar *name;            /* property prefix = defect kind nick */
  GstAvMonitorDefectKind kind;
  guint flags;
  gboolean enabled;
  gdouble threshold, min, max;
  GstClockTime duration;
  const gchar *unit;
  const gchar *threshold_blurb;
  const gchar *duration_blurb;
} AvqdKindInfo;

/* Defaults: docs/defects.md says where each comes from. */
static const AvqdKindInfo kind_info[AVQD_N_KINDS] = {
  [AVQD_FREEZE] = {"freeze", GST_AV_MONITOR_DEFECT_KIND_FREEZE,
        HAS_THRESHOLD | HAS_DURATION, TRUE, 0.0015, 0.0, 1.0, 2 * GST_SECOND,
        "ratio",
        "Mean absolute luma change between frames (0..1 of full scale) "
        "below which the picture is still",
      "Minimum freeze length in ns"},
  [AVQD_BLACK] = {"black", GST_AV_MONITOR_DEFECT_KIND_BLACK,
        HAS_THRESHOLD | HAS_DURATION, TRUE, 0.98, 0.0, 1.0, 2 * GST_SECOND,
        "ratio", "Share of black pixels that makes a black picture",
      "Minimum black length in ns"},
  [AVQD_UNIFORM] = {"uniform", GST_AV_MONITOR_DEFECT_KIND_UNIFORM,
        HAS_THRESHOLD | HAS_DURATION, TRUE, 0.98, 0.0, 1.0, 2 * GST_SECOND,
        "ratio",
        "Share of pixels at one flat level that makes a uniform picture",
      "Minimum uniform-picture length in ns"},
  [AVQD_BLOCK_CORRUPTION] = {"block-corruption",
        GST_AV_MONITOR_DEFECT_KIND_BLOCK_CORRUPTION,
        HAS_THRESHOLD | HAS_DURATION, TRUE, 0.01, 0.0, 1.0, 0, "ratio",
        "Damaged share of the picture that makes a corrupted frame",
      "Minimum corruption span in ns (0: one frame)"},
  [AVQD_FRAME_GAP] = {"frame-gap", GST_AV_MONITOR_DEFECT_KIND_FRAME_GAP,
        HAS_THRESHOLD | HAS_DURATION, TRUE, 1.5, 1.01, 100.0, 0, "frames",
        "Timestamp step, in frame durations, beyond which frames are missing",
      "Minimum gap length in ns"},
  [AVQD_DISCONTINUITY] = {"discontinuity",
        GST_AV_MONITOR_DEFECT_KIND_DISCONTINUITY, HAS_THRESHOLD, TRUE,
        40.0, 0.0, 10000.0, 0, "ms",
        "Audio timestamp gap or overlap (ms) tolerated before it is a "
        "discontinuity (video: any backwards or repeated timestamp)",
      NULL},
  [AVQD_SILENCE] = {"silence", GST_AV_MONITOR_DEFECT_KIND_SILENCE,
        HAS_THRESHOLD | HAS_DURATION, TRUE, -60.0, -200.0, 0.0,
        2 * GST_SECOND, "dBFS",
        "RMS level (dBFS, short windows) below which the programme is silent",
      "Minimum silence length in ns"},
  [AVQD_CHANNEL_SILENCE] = {"channel-silence",
        GST_AV_MONITOR_DEFECT_KIND_CHANNEL_SILENCE,
        HAS_THRESHOLD | HAS_DURATION, TRUE, -60.0, -200.0, 0.0,
        2 * GST_SECOND, "dBFS",
        "RMS level (dBFS) below which a channel is dead while others play",
      "Minimum channel-silence length in ns"},
  [AVQD_CLIPPING] = {"clipping", GST_AV_MONITOR_DEFECT_KIND_CLIPPING,
        HAS_THRESHOLD | HAS_DURATION, TRUE, 3.0, 1.0, 1000.0, GST_SECOND,
        "samples",
        "Run of consecutive full-scale samples (integer formats) that is "
        "clipping; overs above full scale (float) always count",
      "Clipped runs closer than this (ns) merge into one span"},
  [AVQD_DROPOUT] = {"dropout", GST_AV_MONITOR_DEFECT_KIND_DROPOUT,
        HAS_THRESHOLD | HAS_DURATION, TRUE, -80.0, -200.0, -20.0,
        5 * GST_MSECOND, "dBFS",
        "Level (dBFS) under which samples inside signal count as a hole",
      "Minimum dropout length in ns"},
  [AVQD_LOUDNESS] = {"loudness", GST_AV_MONITOR_DEFECT_KIND_LOUDNESS,
        HAS_DURATION, TRUE, 0, 0, 0, 10 * GST_SECOND, "LUFS", NULL,
      "Minimum time short-term loudness stays outside target +/- tolerance"},
  [AVQD_TRUE_PEAK] = {"true-peak", GST_AV_MONITOR_DEFECT_KIND_LOUDNESS,
      0, TRUE, 0, 0, 0, 0, "dBTP", NULL, NULL},
  [AVQD_STALL] = {"stall", GST_AV_MONITOR_DEFECT_KIND_STALL, 0, TRUE,
      0, 0, 0, 0, "ms", NULL, NULL},
};

enum
{
  PROP_0,
  PROP_INTERVAL,
  PROP_STALL_TIMEOUT,
  PROP_BLACK_PIXEL_THRESHOLD,
  PROP_LOUDNESS_PROFILE,
  PROP_LOUDNESS_TARGET,
  PROP_LOUDNESS_TOLERANCE,
  PROP_TRUE_PEAK_CEILING,
  PROP_LOUDNESS_GROUPS,
  PROP_BLOCK_CORRUPTION_HOLD,
  PROP_BLOCK_CORRUPTION_TEXTURE,
  PROP_BLOCK_CORRUPTION_TEXTURE_MAX_PIXELS,
  PROP_BLOCK_CORRUPTION_SCAN,
  PROP_BLOCK_CORRUPTION_SCAN_MAX_PIXELS,
  PROP_BLOCK_CORRUPTION_REPEAT,
  PROP_BLOCK_CORRUPTION_STAND,
  PROP_KIND_BASE,
};

#define KIND_PROP(kind, what) (PROP_KIND_BASE + (kind) * 3 + (what))

#define VIDEO_FORMATS "{ I420, YV12, NV12, NV21, NV16, Y42B, Y444, GRAY8, " \
  "YUY2, UYVY, I420_10LE, I422_10LE, P010_10LE, v210 }"

#define SUPPORTED_CAPS \
  "video/x-raw, format=(string)" VIDEO_FORMATS ", " \
  "width=(int)[ 16, 8192 ], height=(int)[ 16, 8192 ], " \
  "framerate=(fraction)[ 0/1, MAX ]; " \
  "audio/x-raw, format=(string){ S16LE, S32LE, F32LE, F64LE }, " \
  "layout=(string){ interleaved, non-interleaved }, " \
  "rate=(int)[ 8000, 192000 ], channels=(int)[ 1, 64 ]"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (SUPPORTED_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (SUPPORTED_CAPS));

#define GST_TYPE_AV_QUALITY_DETECT_LOUDNESS_PROFILE \
  (gst_av_quality_detect_loudness_profile_get_type ())
static GType
gst_av_quality_detect_loudness_profile_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_EBU_R128,
        "EBU R128: -23 LUFS, -1 dBTP", "ebu-r128"},
    {GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_ATSC_A85,
        "ATSC A/85: -24 LKFS, -2 dBTP", "atsc-a85"},
    {GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_CUSTOM,
        "loudness-target and true-peak-ceiling as set", "custom"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstAvQualityDetectLoudnessProfile",
        values);
    g_once_init_leave (&type, t);
  }
  return type;
}

#define gst_av_quality_detect_parent_class parent_class
G_DEFINE_TYPE (GstAvQualityDetect, gst_av_quality_detect,
    GST_TYPE_BASE_TRANSFORM);

static gboolean
avqualitydetect_element_init (GstPlugin * plugin)
{
  avmonitor_element_init (plugin);
  gst_type_mark_as_plugin_api (GST_TYPE_AV_QUALITY_DETECT_LOUDNESS_PROFILE, 0);
  return gst_element_register (plugin, "avqualitydetect", GST_RANK_NONE,
      GST_TYPE_AV_QUALITY_DETECT);
}

GST_ELEMENT_REGISTER_DEFINE_CUSTOM (avqualitydetect,
    avqualitydetect_element_init);

static void gst_av_quality_detect_finalize (GObject * object);
static void gst_av_quality_detect_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_av_quality_detect_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static gboolean gst_av_quality_detect_set_caps (GstBaseTransform * trans,
    GstCaps * incaps, GstCaps * outcaps);
static gboolean gst_av_quality_detect_query (GstBaseTransform * trans,
    GstPadDirection direction, GstQuery * query);
static GstFlowReturn gst_av_quality_detect_transform_ip (GstBaseTransform *
    trans, GstBuffer * buf);
static gboolean gst_av_quality_detect_sink_event (GstBaseTransform * trans,
    GstEvent * event);
static gboolean gst_av_quality_detect_start (GstBaseTransform * trans);
static gboolean gst_av_quality_detect_stop (GstBaseTransform * trans);
static GstStateChangeReturn gst_av_quality_detect_change_state (GstElement *
    element, GstStateChange transition);

static void
install_kind_properties (GObjectClass * gobject_class)
{
  guint k;

  for (k = 0; k < AVQD_N_KINDS; k++) {
    const AvqdKindInfo *info = &kind_info[k];
    gchar *name, *nick, *blurb;

    name = g_strdup_printf ("%s-enabled", info->name);
    nick = g_strdup_printf ("%s enabled", info->name);
    blurb = g_strdup_printf ("Detect and report %s", info->name);
    g_object_class_install_property (gobject_class, KIND_PROP (k, 0),
        g_param_spec_boolean (g_intern_string (name), g_intern_string (nick),
            g_intern_string (blurb), info->enabled, G_PARAM_READWRITE |
            G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));
    g_free (name);
    g_free (nick);
    g_free (blurb);

    if (info->flags & HAS_THRESHOLD) {
      name = g_strdup_printf ("%s-threshold", info->name);
      nick = g_strdup_printf ("%s threshold", info->name);
      blurb = g_strdup_printf ("%s (%s)", info->threshold_blurb, info->unit);
      g_object_class_install_property (gobject_class, KIND_PROP (k, 1),
          g_param_spec_double (g_intern_string (name), g_intern_string (nick),
              g_intern_string (blurb), info->min, info->max, info->threshold,
              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_PLAYING));
      g_free (name);
      g_free (nick);
      g_free (blurb);
    }
    if (info->flags & HAS_DURATION) {
      name = g_strdup_printf ("%s-duration", info->name);
      nick = g_strdup_printf ("%s duration", info->name);
      g_object_class_install_property (gobject_class, KIND_PROP (k, 2),
          g_param_spec_uint64 (g_intern_string (name), g_intern_string (nick),
              info->duration_blurb, 0, G_MAXUINT64, info->duration,
              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_PLAYING));
      g_free (name);
      g_free (nick);
    }
  }
}

static void
gst_av_quality_detect_class_init (GstAvQualityDetectClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (av_quality_detect_debug, "avqualitydetect", 0,
      "gst-avmonitor audio/video defect detectors");

  gobject_class->finalize = gst_av_quality_detect_finalize;
  gobject_class->set_property = gst_av_quality_detect_set_property;
  gobject_class->get_property = gst_av_quality_detect_get_property;

  /**
   * avqualitydetect:interval:
   *
   * Period of the `avmonitor-stats` messages, in ns of running time.
   */
  g_object_class_install_property (gobject_class, PROP_INTERVAL,
      g_param_spec_uint64 ("interval", "Interval",
          "Period of avmonitor-stats messages in ns (0 = none)", 0,
          G_MAXUINT64, DEFAULT_INTERVAL, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * avqualitydetect:stall-timeout:
   *
   * In PLAYING, no buffer for this long (ns, wall clock) starts a `stall`
   * span. A timer posts the start on the bus; the in-band events follow
   * when data resumes or at EOS.
   */
  g_object_class_install_property (gobject_class, PROP_STALL_TIMEOUT,
      g_param_spec_uint64 ("stall-timeout", "Stall timeout",
          "No buffer for this long (ns) in PLAYING is a stall",
          10 * GST_MSECOND, G_MAXUINT64, DEFAULT_STALL_TIMEOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * avqualitydetect:black-pixel-threshold:
   *
   * A pixel is black when its luma is at most this share of the range
   * above black level (FFmpeg blackdetect's pix_th).
   */
  g_object_class_install_property (gobject_class, PROP_BLACK_PIXEL_THRESHOLD,
      g_param_spec_double ("black-pixel-threshold", "Black pixel threshold",
          "Luma at or below this share of the range is black (0..1)",
          0.0, 1.0, DEFAULT_BLACK_PIXEL_THRESHOLD, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));

  /**
   * avqualitydetect:loudness-profile:
   *
   * Sets loudness-target and true-peak-ceiling from a standard. Setting
   * either of those by hand switches the profile to custom.
   */
  g_object_class_install_property (gobject_class, PROP_LOUDNESS_PROFILE,
      g_param_spec_enum ("loudness-profile", "Loudness profile",
          "Loudness standard for target and true-peak ceiling",
          GST_TYPE_AV_QUALITY_DETECT_LOUDNESS_PROFILE,
          DEFAULT_LOUDNESS_PROFILE, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  g_object_class_install_property (gobject_class, PROP_LOUDNESS_TARGET,
      g_param_spec_double ("loudness-target", "Loudness target",
          "Programme loudness target in LUFS", -70.0, 0.0,
          DEFAULT_LOUDNESS_TARGET, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_PLAYING));

  g_object_class_install_property (gobject_class, PROP_LOUDNESS_TOLERANCE,
      g_param_spec_double ("loudness-tolerance", "Loudness tolerance",
          "Short-term loudness may stray this many LU from the target",
          0.0, 40.0, DEFAULT_LOUDNESS_TOLERANCE, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  g_object_class_install_property (gobject_class, PROP_TRUE_PEAK_CEILING,
      g_param_spec_double ("true-peak-ceiling", "True peak ceiling",
          "True peak above this (dBTP) is a defect", -30.0, 6.0,
          DEFAULT_TRUE_PEAK_CEILING, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_PLAYING));

  /**
   * avqualitydetect:loudness-groups:
   *
   * For more than 8 channels: how channels are grouped into programmes
   * measured separately, as a list of channel counts ("2,2,2,2,2,2,2,2"
   * for 16 channels as stereo pairs, "6,2" for 5.1 plus stereo). Unset:
   * stereo pairs above 8 channels, one programme otherwise.
   */
  g_object_class_install_property (gobject_class, PROP_LOUDNESS_GROUPS,
      g_param_spec_string ("loudness-groups", "Loudness groups",
          "Channel counts of the programmes measured separately, e.g. "
          "\"6,2\" (unset = stereo pairs above 8 channels)",
          DEFAULT_LOUDNESS_GROUPS, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));

  /**
   * avqualitydetect:block-corruption-hold:
   *
   * A block-corruption span stays open this long (ns) after the last
   * frame seen damaged. A decoder propagates damage by prediction until
   * its next refresh (the key frame interval), and most of that damage is
   * no longer visible as a change from frame to frame; set it to the
   * stream's key frame interval when known. A scene cut ends the span
   * at once.
   */
  g_object_class_install_property (gobject_class, PROP_BLOCK_CORRUPTION_HOLD,
      g_param_spec_uint64 ("block-corruption-hold", "Block corruption hold",
          "A block-corruption span lasts this long (ns) after the last "
          "damaged frame (damage propagates until the next key frame)", 0,
          600 * GST_SECOND, DEFAULT_BLOCK_CORRUPTION_HOLD, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * avqualitydetect:block-corruption-texture:
   *
   * The block-corruption detector's full-resolution texture test, for
   * damage the thumbnails cannot see (fine detail concealed by a smooth
   * fill, garbage texture in a flat area): a macroblock whose texture is
   * this many times over or under all of its 3x3 neighbourhood's in the
   * previous frame, in 3 blocks at least, at every picture size. 3 is the
   * measured setting (docs/defects.md). 0 (the default) leaves the test
   * to #avqualitydetect:block-corruption-texture-max-pixels: pictures up
   * to that size get it at 3, larger ones not, for its cost (it reads
   * half the luma rows again: at 1080p about 0.15 ms per frame).
   */
  g_object_class_install_property (gobject_class,
      PROP_BLOCK_CORRUPTION_TEXTURE,
      g_param_spec_double ("block-corruption-texture",
          "Block corruption texture ratio",
          "Texture test of block corruption: a block's texture this many "
          "times over or under its neighbourhood's in the previous frame, "
          "at every size (3 = measured setting; 0 = only up to "
          "block-corruption-texture-max-pixels, at 3)", 0.0, 100.0,
          DEFAULT_BLOCK_CORRUPTION_TEXTURE, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * avqualitydetect:block-corruption-texture-max-pixels:
   *
   * Pictures of at most this many pixels get the texture test at its
   * measured ratio, 3, when #avqualitydetect:block-corruption-texture is
   * 0. The default, 1280 x 720, covers SD and 720p, where a frame costs
   * well under 0.1 ms; on the kept real-damage sets of docs/accuracy.md
   * it finds 2 to 5 more damaged runs and takes the damaged frames inside
   * spans from 0.64 to 0.68 and from 0.72 to 0.74, with no new false
   * alarm. 0 leaves the test to #avqualitydetect:block-corruption-texture
   * alone.
   */
  g_object_class_install_property (gobject_class,
      PROP_BLOCK_CORRUPTION_TEXTURE_MAX_PIXELS,
      g_param_spec_uint ("block-corruption-texture-max-pixels",
          "Block corruption texture test size",
          "Pictures of at most this many pixels get the texture test at 3 "
          "with block-corruption-texture at 0 (0 = none)", 0, G_MAXINT,
          DEFAULT_BLOCK_CORRUPTION_TEXTURE_MAX_PIXELS, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * avqualitydetect:block-corruption-scan:
   *
   * The block-corruption detector's grid scan, for damage that a decoder
   * carries by prediction until its next refresh (a torn picture that
   * moves with the content, which the temporal tests pass): every
   * macroblock of every frame gets the grid test, and a frame where more
   * macroblocks newly step on the 16 px grid than the stream's own level
   * explains (4 at least, and 3 times its ~10 s mean + 4) is damaged. It
   * reads the whole luma plane at full resolution: about 0.16 ms per
   * 1080p frame of textured motion, 0.1-0.37 ms per 1280x720 frame of
   * real encodes (docs/bench.md), which takes all detectors below 4000
   * fps at 1080p, hence off by default at 1080p and above; on pictures
   * of at most #avqualitydetect:block-corruption-scan-max-pixels it runs
   * whatever this says. Not judged in the 25 frames after it is turned
   * on, while the level is learnt, nor on a cut and the 3 frames after.
   */
  g_object_class_install_property (gobject_class,
      PROP_BLOCK_CORRUPTION_SCAN,
      g_param_spec_boolean ("block-corruption-scan",
          "Block corruption grid scan",
          "Grid scan of block corruption: every macroblock of every frame "
          "against the stream's own level of blocks stepping on the grid "
          "(finds damage carried by prediction; about 0.2 ms per 1080p "
          "frame; always on up to block-corruption-scan-max-pixels)",
          DEFAULT_BLOCK_CORRUPTION_SCAN, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * avqualitydetect:block-corruption-scan-max-pixels:
   *
   * Pictures of at most this many pixels get the grid scan (see
   * #avqualitydetect:block-corruption-scan) even with that property off.
   * The default, 1280 x 720, covers SD and 720p: there MPEG-2, which has
   * no deblocking filter, leaves most of its damage on the macroblock
   * grid (on the kept real-damage sets of docs/accuracy.md the scan takes
   * MPEG-2's damaged frames inside spans from 0.38-0.42 to 0.52-0.62),
   * and a frame costs under 0.4 ms. 0 leaves the scan to
   * #avqualitydetect:block-corruption-scan alone.
   */
  g_object_class_install_property (gobject_class,
      PROP_BLOCK_CORRUPTION_SCAN_MAX_PIXELS,
      g_param_spec_uint ("block-corruption-scan-max-pixels",
          "Block corruption grid scan size",
          "Pictures of at most this many pixels get the grid scan even "
          "with block-corruption-scan off (0 = none)", 0, G_MAXINT,
          DEFAULT_BLOCK_CORRUPTION_SCAN_MAX_PIXELS, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * avqualitydetect:block-corruption-repeat:
   *
   * The block-corruption detector's repeat test: a picture that stands
   * for 1 to 12 frames in steady motion, motion then resuming, is the
   * stutter a decoder leaves when it conceals a lost picture by showing
   * the last one again, or predicts from a reference frames old; the
   * blocks themselves are whole, so the other tests see nothing. The span
   * starts at the first standing frame and is posted when the motion
   * resumes. A longer stand is a pause or a freeze (the freeze
   * detector's), a repeat that ends at a cut tells nothing, and from the
   * third repeat at a steady interval (frame rate conversion by
   * repetition) they are taken for a cadence. The same test runs on the
   * picture's moving part alone (a still picture under a running clock
   * or a ticker, whose clock stops when the decoder loses frames), there
   * only for a stand that copies it (down to a tenth of its motion at
   * least once). A repeat's frames count the whole picture (area 1.0). It
   * costs nothing measurable.
   */
  g_object_class_install_property (gobject_class,
      PROP_BLOCK_CORRUPTION_REPEAT,
      g_param_spec_boolean ("block-corruption-repeat",
          "Block corruption repeat test",
          "Repeat test of block corruption: a picture that stands for 1-12 "
          "frames in steady motion (of the whole picture, or of its moving "
          "part), motion then resuming (a decoder concealing a lost "
          "picture), is damaged from its first frame",
          DEFAULT_BLOCK_CORRUPTION_REPEAT, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * avqualitydetect:block-corruption-stand:
   *
   * The block-corruption detector's stand test: a region of 16 or more
   * textured macroblocks that stands for one frame while it and the
   * blocks around it move steadily is what a decoder leaves where it
   * fills a lost slice from the last picture; the frames after it
   * predict from that picture correctly, so the region lags unseen. The
   * span starts at the standing frame and is posted one frame later.
   * Content that moves at a cadence, or that moved for less than about
   * 2 s (after a cut or a start), is not judged. It costs nothing
   * measurable.
   */
  g_object_class_install_property (gobject_class,
      PROP_BLOCK_CORRUPTION_STAND,
      g_param_spec_boolean ("block-corruption-stand",
          "Block corruption stand test",
          "Stand test of block corruption: a region of 16 or more textured "
          "macroblocks that stands for one frame in steady motion (a "
          "decoder concealing a lost slice from the last picture) is "
          "damaged from that frame",
          DEFAULT_BLOCK_CORRUPTION_STAND, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  install_kind_properties (gobject_class);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Audio/video defect detector", "Filter/Analyzer/Audio/Video",
      "Detects freezes, black, block corruption, frame gaps, silence, "
      "channel loss, clipping, dropouts, loudness and stalls, and reports "
      "them as defect spans", "the gst-avmonitor authors");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_av_quality_detect_change_state);
  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_av_quality_detect_set_caps);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_av_quality_detect_query);
  trans_class->transform_ip =
      GST_DEBUG_FUNCPTR (gst_av_quality_detect_transform_ip);
  trans_class->sink_event =
      GST_DEBUG_FUNCPTR (gst_av_quality_detect_sink_event);
  trans_class->start = GST_DEBUG_FUNCPTR (gst_av_quality_detect_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_av_quality_detect_stop);
  trans_class->passthrough_on_same_caps = TRUE;
  trans_class->transform_ip_on_passthrough = TRUE;
}

static void
gst_av_quality_detect_init (GstAvQualityDetect * self)
{
  guint k;

  for (k = 0; k < AVQD_N_KINDS; k++) {
    self->settings[k].enabled = kind_info[k].enabled;
    self->settings[k].threshold = kind_info[k].threshold;
    self->settings[k].duration = kind_info[k].duration;
  }
  self->black_pixel_threshold = DEFAULT_BLACK_PIXEL_THRESHOLD;
  self->interval = self->stats_interval = DEFAULT_INTERVAL;
  self->stall_timeout = DEFAULT_STALL_TIMEOUT;
  self->block_corruption_hold = DEFAULT_BLOCK_CORRUPTION_HOLD;
  self->block_corruption_texture = DEFAULT_BLOCK_CORRUPTION_TEXTURE;
  self->block_corruption_texture_max_pixels =
      DEFAULT_BLOCK_CORRUPTION_TEXTURE_MAX_PIXELS;
  self->block_corruption_scan = DEFAULT_BLOCK_CORRUPTION_SCAN;
  self->block_corruption_scan_max_pixels =
      DEFAULT_BLOCK_CORRUPTION_SCAN_MAX_PIXELS;
  self->block_corruption_repeat = DEFAULT_BLOCK_CORRUPTION_REPEAT;
  self->block_corruption_stand = DEFAULT_BLOCK_CORRUPTION_STAND;
  self->loudness_profile = DEFAULT_LOUDNESS_PROFILE;
  self->loudness_target = DEFAULT_LOUDNESS_TARGET;
  self->loudness_tolerance = DEFAULT_LOUDNESS_TOLERANCE;
  self->true_peak_ceiling = DEFAULT_TRUE_PEAK_CEILING;
  g_queue_init (&self->pending);
  g_queue_init (&self->pending_messages);
  g_mutex_init (&self->stall_lock);

  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
}

static void
clear_spans (GstAvQualityDetect * self)
{
  guint k;

  for (k = 0; k < AVQD_N_KINDS; k++) {
    g_clear_pointer (&self->spans[k].start, gst_av_monitor_defect_free);
    self->spans[k].open = FALSE;
  }
}

static void
gst_av_quality_detect_finalize (GObject * object)
{
  GstAvQualityDetect *self = GST_AV_QUALITY_DETECT (object);

  avqd_video_clear (self);
  avqd_audio_clear (self);
  clear_spans (self);
  g_queue_clear_full (&self->pending,
      (GDestroyNotify) gst_av_monitor_defect_free);
  g_queue_clear_full (&self->pending_messages,
      (GDestroyNotify) gst_structure_free);
  g_free (self->stream_id);
  g_free (self->loudness_groups);
  g_free (self->warned_caps);
  g_clear_pointer (&self->stall_start, gst_av_monitor_defect_free);
  g_mutex_clear (&self->stall_lock);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
apply_loudness_profile (GstAvQualityDetect * self)
{
  switch (self->loudness_profile) {
    case GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_EBU_R128:
      self->loudness_target = -23.0;
      self->true_peak_ceiling = -1.0;
      break;
    case GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_ATSC_A85:
      self->loudness_target = -24.0;
      self->true_peak_ceiling = -2.0;
      break;
    default:
      break;
  }
}

static void
gst_av_quality_detect_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstAvQualityDetect *self = GST_AV_QUALITY_DETECT (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_INTERVAL:
      self->interval = g_value_get_uint64 (value);
      break;
    case PROP_STALL_TIMEOUT:
      self->stall_timeout = g_value_get_uint64 (value);
      break;
    case PROP_BLACK_PIXEL_THRESHOLD:
      self->black_pixel_threshold = g_value_get_double (value);
      break;
    case PROP_LOUDNESS_PROFILE:
      self->loudness_profile = g_value_get_enum (value);
      apply_loudness_profile (self);
      break;
    case PROP_LOUDNESS_TARGET:
      self->loudness_target = g_value_get_double (value);
      self->loudness_profile = GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_CUSTOM;
      break;
    case PROP_LOUDNESS_TOLERANCE:
      self->loudness_tolerance = g_value_get_double (value);
      break;
    case PROP_TRUE_PEAK_CEILING:
      self->true_peak_ceiling = g_value_get_double (value);
      self->loudness_profile = GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_CUSTOM;
      break;
    case PROP_BLOCK_CORRUPTION_TEXTURE:
      self->block_corruption_texture = g_value_get_double (value);
      break;
    case PROP_BLOCK_CORRUPTION_TEXTURE_MAX_PIXELS:
      self->block_corruption_texture_max_pixels = g_value_get_uint (value);
      break;
    case PROP_BLOCK_CORRUPTION_SCAN:
      self->block_corruption_scan = g_value_get_boolean (value);
      break;
    case PROP_BLOCK_CORRUPTION_SCAN_MAX_PIXELS:
      self->block_corruption_scan_max_pixels = g_value_get_uint (value);
      break;
    case PROP_BLOCK_CORRUPTION_REPEAT:
      self->block_corruption_repeat = g_value_get_boolean (value);
      break;
    case PROP_BLOCK_CORRUPTION_STAND:
      self->block_corruption_stand = g_value_get_boolean (value);
      break;
    case PROP_BLOCK_CORRUPTION_HOLD:
      self->block_corruption_hold = g_value_get_uint64 (value);
      break;
    case PROP_LOUDNESS_GROUPS:
      g_free (self->loudness_groups);
      self->loudness_groups = g_value_dup_string (value);
      break;
    default:
      if (prop_id >= PROP_KIND_BASE && prop_id < KIND_PROP (AVQD_N_KINDS, 0)) {
        guint k = (prop_id - PROP_KIND_BASE) / 3;

        switch ((prop_id - PROP_KIND_BASE) % 3) {
          case 0:
            self->settings[k].enabled = g_value_get_boolean (value);
            break;
          case 1:
            self->settings[k].threshold = g_value_get_double (value);
            break;
          default:
            self->settings[k].duration = g_value_get_uint64 (value);
            break;
        }
      } else {
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      }
      break;
  }
  self->settings_changed = TRUE;
  GST_OBJECT_UNLOCK (self);
}

static void
gst_av_quality_detect_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstAvQualityDetect *self = GST_AV_QUALITY_DETECT (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_INTERVAL:
      g_value_set_uint64 (value, self->interval);
      break;
    case PROP_STALL_TIMEOUT:
      g_value_set_uint64 (value, self->stall_timeout);
      break;
    case PROP_BLACK_PIXEL_THRESHOLD:
      g_value_set_double (value, self->black_pixel_threshold);
      break;
    case PROP_BLOCK_CORRUPTION_TEXTURE:
      g_value_set_double (value, self->block_corruption_texture);
      break;
    case PROP_BLOCK_CORRUPTION_TEXTURE_MAX_PIXELS:
      g_value_set_uint (value, self->block_corruption_texture_max_pixels);
      break;
    case PROP_BLOCK_CORRUPTION_SCAN:
      g_value_set_boolean (value, self->block_corruption_scan);
      break;
    case PROP_BLOCK_CORRUPTION_SCAN_MAX_PIXELS:
      g_value_set_uint (value, self->block_corruption_scan_max_pixels);
      break;
    case PROP_BLOCK_CORRUPTION_REPEAT:
      g_value_set_boolean (value, self->block_corruption_repeat);
      break;
    case PROP_BLOCK_CORRUPTION_STAND:
      g_value_set_boolean (value, self->block_corruption_stand);
      break;
    case PROP_BLOCK_CORRUPTION_HOLD:
      g_value_set_uint64 (value, self->block_corruption_hold);
      break;
    case PROP_LOUDNESS_PROFILE:
      g_value_set_enum (value, self->loudness_profile);
      break;
    case PROP_LOUDNESS_TARGET:
      g_value_set_double (value, self->loudness_target);
      break;
    case PROP_LOUDNESS_TOLERANCE:
      g_value_set_double (value, self->loudness_tolerance);
      break;
    case PROP_TRUE_PEAK_CEILING:
      g_value_set_double (value, self->true_peak_ceiling);
      break;
    case PROP_LOUDNESS_GROUPS:
      g_value_set_string (value, self->loudness_groups);
      break;
    default:
      if (prop_id >= PROP_KIND_BASE && prop_id < KIND_PROP (AVQD_N_KINDS, 0)) {
        guint k = (prop_id - PROP_KIND_BASE) / 3;

        switch ((prop_id - PROP_KIND_BASE) % 3) {
          case 0:
            g_value_set_boolean (value, self->settings[k].enabled);
            break;
          case 1:
            g_value_set_double (value, self->settings[k].threshold);
            break;
          default:
            g_value_set_uint64 (value, self->settings[k].duration);
            break;
        }
      } else {
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      }
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

void
avqd_get_settings (GstAvQualityDetect * self, AvqdSettings * settings,
    gboolean * changed)
{
  GST_OBJECT_LOCK (self);
  memcpy (settings, self->settings, sizeof (self->settings));
  self->stats_interval = self->interval;
  if (changed)
    *changed = self->settings_changed;
  self->settings_changed = FALSE;
  GST_OBJECT_UNLOCK (self);
}

/* span edges */

static GstAvMonitorStreamType
stream_type (GstAvQualityDetect * self)
{
  if (self->media == AVQD_MEDIA_VIDEO)
    return GST_AV_MONITOR_STREAM_TYPE_VIDEO;
  if (self->media == AVQD_MEDIA_AUDIO)
    return GST_AV_MONITOR_STREAM_TYPE_AUDIO;
  return GST_AV_MONITOR_STREAM_TYPE_UNKNOWN;
}

static void
to_times (GstAvQualityDetect * self, GstClockTime ts, GstClockTime * st,
    GstClockTime * rt)
{
  GstSegment *seg = &GST_BASE_TRANSFORM (self)->segment;

  *st = *rt = GST_CLOCK_TIME_NONE;
  if (!GST_CLOCK_TIME_IS_VALID (ts) || seg->format != GST_FORMAT_TIME)
    return;
  *st = gst_segment_to_stream_time (seg, GST_FORMAT_TIME, ts);
  *rt = gst_segment_to_running_time (seg, GST_FORMAT_TIME, ts);
}

/* The three times of a span edge from what the adapter gives: a running
 * time (video) or a PTS (audio). */
static void
resolve_times (GstAvQualityDetect * self, GstClockTime t, GstClockTime * ts,
    GstClockTime * st, GstClockTime * rt)
{
  GstSegment *seg = &GST_BASE_TRANSFORM (self)->segment;

  if (!self->span_time_running) {
    *ts = t;
    to_times (self, t, st, rt);
    return;
  }
  *rt = t;
  *ts = *st = GST_CLOCK_TIME_NONE;
  if (!GST_CLOCK_TIME_IS_VALID (t) || seg->format != GST_FORMAT_TIME)
    return;
  /* NONE for a time before the current segment (a span that began in the
   * previous one): its running time still says when */
  *ts = gst_segment_position_from_running_time (seg, GST_FORMAT_TIME, t);
  if (GST_CLOCK_TIME_IS_VALID (*ts))
    *st = gst_segment_to_stream_time (seg, GST_FORMAT_TIME, *ts);
}

static GstAvMonitorDefect *
new_edge (GstAvQualityDetect * self, AvqdKind kind,
    GstAvMonitorDefectEvent event, guint64 id)
{
  GstAvMonitorDefect *d = gst_av_monitor_defect_new (kind_info[kind].kind,
      event, GST_OBJECT_NAME (self), id);

  gst_av_monitor_defect_set_stream_type (d, stream_type (self));
  gst_av_monitor_defect_set_stream_id (d, self->stream_id);
  return d;
}

void
avqd_span_start (GstAvQualityDetect * self, AvqdKind kind, GstClockTime ts,
    gdouble value, gdouble threshold, const gchar * unit, gdouble confidence,
    GstStructure * details, const AvmRect * region)
{
  avqd_span_start_in (self, kind, &self->spans[kind], ts, value, threshold,
      unit, confidence, details, region);
}

void
avqd_span_start_in (GstAvQualityDetect * self, AvqdKind kind, AvqdSpan * span,
    GstClockTime t, gdouble value, gdouble threshold, const gchar * unit,
    gdouble confidence, GstStructure * details, const AvmRect * region)
{
  GstAvMonitorDefect *d;
  GstClockTime ts, st, rt;
  guint64 id;

  if (span->open) {
    /* a detector restarting a span it never ended: close the old one */
    avqd_span_end_in (self, span, t, NAN, TRUE, NULL, NULL);
  }
  resolve_times (self, t, &ts, &st, &rt);
  g_mutex_lock (&self->stall_lock);
  id = ++self->next_id;
  g_mutex_unlock (&self->stall_lock);
  d = new_edge (self, kind, GST_AV_MONITOR_DEFECT_EVENT_START, id);
  gst_av_monitor_defect_set_times (d, ts, st, rt);
  gst_av_monitor_defect_set_measure (d, value, threshold, unit);
  gst_av_monitor_defect_set_confidence (d, confidence);
  if (details)
    gst_av_monitor_defect_set_details (d, details);
  if (region && region->width > 0 && region->height > 0)
    gst_av_monitor_defect_set_region (d, region->x, region->y, region->width,
        region->height);

  span->open = TRUE;
  span->id = id;
  span->start_ts = ts;
  span->start_st = st;
  span->start_rt = rt;
  g_clear_pointer (&span->start, gst_av_monitor_defect_free);
  span->start = gst_av_monitor_defect_copy (d);
  g_queue_push_tail (&self->pending, d);
}

/* End times and duration of an end edge. The duration is measured in
 * running time, which keeps counting across segment changes (concat, HLS
 * discontinuities, PTS wrap) where PTS do not; an end that would come
 * before its start is moved to the start (zero length). */
static void
set_end_times (GstAvMonitorDefect * d, GstClockTime ts, GstClockTime st,
    GstClockTime rt, GstClockTime start_ts, GstClockTime start_st,
    GstClockTime start_rt)
{
  GstClockTime dur = GST_CLOCK_TIME_NONE;

  if (GST_CLOCK_TIME_IS_VALID (rt) && GST_CLOCK_TIME_IS_VALID (start_rt)) {
    if (rt < start_rt) {
      ts = start_ts;
      st = start_st;
      rt = start_rt;
    }
    dur = rt - start_rt;
  } else if (GST_CLOCK_TIME_IS_VALID (ts) && GST_CLOCK_TIME_IS_VALID (start_ts)) {
    if (ts < start_ts) {
      ts = start_ts;
      st = start_st;
    }
    dur = ts - start_ts;
  } else if (!GST_CLOCK_TIME_IS_VALID (ts)) {
    ts = start_ts;
    st = start_st;
    rt = start_rt;
    dur = GST_CLOCK_TIME_IS_VALID (start_ts) ? 0 : GST_CLOCK_TIME_NONE;
  }
  gst_av_monitor_defect_set_times (d, ts, st, rt);
  gst_av_monitor_defect_set_start_times (d, start_ts, start_st, start_rt);
  gst_av_monitor_defect_set_duration (d, dur);
}

void
avqd_span_end (GstAvQualityDetect * self, AvqdKind kind, GstClockTime ts,
    gdouble value, gboolean truncated, GstStructure * details,
    const AvmRect * region)
{
  avqd_span_end_in (self, &self->spans[kind], ts, value, truncated, details,
      region);
}

void
avqd_span_end_in (GstAvQualityDetect * self, AvqdSpan * span,
    GstClockTime t, gdouble value, gboolean truncated,
    GstStructure * details, const AvmRect * region)
{
  GstAvMonitorDefect *d;
  GstClockTime ts, st, rt;

  if (!span->open) {
    if (details)
      gst_structure_free (details);
    return;
  }
  resolve_times (self, t, &ts, &st, &rt);
  d = gst_av_monitor_defect_copy (span->start);
  gst_av_monitor_defect_set_event (d, GST_AV_MONITOR_DEFECT_EVENT_END);
  set_end_times (d, ts, st, rt, span->start_ts, span->start_st, span->start_rt);
  if (!isnan (value))
    gst_av_monitor_defect_set_measure (d, value,
        gst_av_monitor_defect_get_threshold (span->start),
        gst_av_monitor_defect_get_unit (span->start));
  gst_av_monitor_defect_set_truncated (d, truncated);
  if (details)
    gst_av_monitor_defect_set_details (d, details);
  if (region && region->width > 0 && region->height > 0)
    gst_av_monitor_defect_set_region (d, region->x, region->y, region->width,
        region->height);

  span->open = FALSE;
  g_clear_pointer (&span->start, gst_av_monitor_defect_free);
  g_queue_push_tail (&self->pending, d);
}

void
avqd_span_complete (GstAvQualityDetect * self, AvqdKind kind,
    GstClockTime start, GstClockTime end, gdouble value, gdouble threshold,
    const gchar * unit, GstStructure * details)
{
  avqd_span_start (self, kind, start, value, threshold, unit, 1.0,
      details ? gst_structure_copy (details) : NULL, NULL);
  avqd_span_end (self, kind, end, value, FALSE, details, NULL);
}

void
avqd_stats_fill_times (GstAvQualityDetect * self, GstStructure * s,
    GstClockTime ts, GstClockTime duration)
{
  GstClockTime st, rt;

  to_times (self, ts, &st, &rt);
  gst_structure_set (s, "timestamp", G_TYPE_UINT64, ts,
      "stream-time", G_TYPE_UINT64, st, "running-time", G_TYPE_UINT64, rt,
      "duration", G_TYPE_UINT64, duration, NULL);
}

/* Posts (and pushes, from the streaming thread) what the detectors found.
 * Called with no lock held. */
static void
flush_pending (GstAvQualityDetect * self, gboolean push)
{
  GstAvMonitorDefect *d;
  GstStructure *s;

  while ((d = g_queue_pop_head (&self->pending))) {
    gst_av_monitor_defect_post (d, GST_ELEMENT_CAST (self));
    if (push)
      gst_pad_push_event (GST_BASE_TRANSFORM_SRC_PAD (self),
          gst_av_monitor_defect_new_event (d));
    gst_av_monitor_defect_free (d);
  }
  while ((s = g_queue_pop_head (&self->pending_messages))) {
    /* audio measurements also go in-band, so defectsink can put the
     * programme's loudness in its summary */
    if (push && gst_structure_has_field (s,
            GST_AV_MONITOR_STATS_INTEGRATED_LOUDNESS))
      gst_pad_push_event (GST_BASE_TRANSFORM_SRC_PAD (self),
          gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
              gst_structure_copy (s)));
    gst_element_post_message (GST_ELEMENT_CAST (self),
        gst_message_new_element (GST_OBJECT_CAST (self), s));
  }
}

/* stall */

static gboolean
stall_clock_cb (GstClock * clock, GstClockTime time, GstClockID id,
    gpointer user_data)
{
  GstAvQualityDetect *self = user_data;
  GstAvMonitorDefect *d = NULL;
  GstClockTime timeout;
  gboolean enabled;

  GST_OBJECT_LOCK (self);
  timeout = self->stall_timeout;
  enabled = self->settings[AVQD_STALL].enabled;
  GST_OBJECT_UNLOCK (self);

  g_mutex_lock (&self->stall_lock);
  if (enabled && !self->stalled && !self->eos && self->stall_clock_id &&
      (guint64) (g_get_monotonic_time () - self->last_buffer_us) * 1000 >=
      timeout) {
    self->stalled = TRUE;
    self->stall_id = ++self->next_id;
    d = new_edge (self, AVQD_STALL, GST_AV_MONITOR_DEFECT_EVENT_START,
        self->stall_id);
    gst_av_monitor_defect_set_times (d, self->stall_start_ts,
        self->stall_start_st, self->stall_start_rt);
    gst_av_monitor_defect_set_measure (d, timeout / 1e6, timeout / 1e6, "ms");
    g_clear_pointer (&self->stall_start, gst_av_monitor_defect_free);
    self->stall_start = gst_av_monitor_defect_copy (d);
  }
  g_mutex_unlock (&self->stall_lock);

  /* the clock thread only posts: in-band events come from the streaming
   * thread when data resumes or at EOS */
  if (d) {
    GST_WARNING_OBJECT (self, "no buffer for %" GST_TIME_FORMAT,
        GST_TIME_ARGS (timeout));
    gst_av_monitor_defect_post (d, GST_ELEMENT_CAST (self));
    gst_av_monitor_defect_free (d);
  }
  return TRUE;
}

static void
stall_watch_start (GstAvQualityDetect * self)
{
  GstClock *clock = gst_system_clock_obtain ();
  GstClockTime timeout, period;

  GST_OBJECT_LOCK (self);
  timeout = self->stall_timeout;
  GST_OBJECT_UNLOCK (self);
  period = CLAMP (timeout / 8, 10 * GST_MSECOND, 250 * GST_MSECOND);

  g_mutex_lock (&self->stall_lock);
  /* count from now: time spent paused is not a stall, and an input that
   * never delivers a first buffer is one */
  self->last_buffer_us = g_get_monotonic_time ();
  if (self->stall_clock_id == NULL) {
    self->stall_clock_id = gst_clock_new_periodic_id (clock,
        gst_clock_get_time (clock) + period, period);
    gst_clock_id_wait_async (self->stall_clock_id, stall_clock_cb,
        gst_object_ref (self), (GDestroyNotify) gst_object_unref);
  }
  g_mutex_unlock (&self->stall_lock);
  gst_object_unref (clock);
}

static void
stall_watch_stop (GstAvQualityDetect * self)
{
  GstClockID id;

  g_mutex_lock (&self->stall_lock);
  id = self->stall_clock_id;
  self->stall_clock_id = NULL;
  g_mutex_unlock (&self->stall_lock);
  if (id) {
    gst_clock_id_unschedule (id);
    gst_clock_id_unref (id);
  }
}

/* From the streaming thread: a stall that was posted is over (data resumed
 * at @ts, or EOS/flush/stop). The start event could not be pushed from the
 * clock thread, so it goes now, then the end. */
static void
stall_resolve (GstAvQualityDetect * self, GstClockTime ts, gboolean truncated,
    gboolean push)
{
  GstAvMonitorDefect *start = NULL, *end;
  GstClockTime st, rt, start_ts, start_rt;

  g_mutex_lock (&self->stall_lock);
  if (self->stalled) {
    /* the very start that was posted, so the in-band copy is identical */
    start = self->stall_start;
    self->stall_start = NULL;
    self->stalled = FALSE;
  }
  g_mutex_unlock (&self->stall_lock);
  if (start == NULL)
    return;

  start_ts = gst_av_monitor_defect_get_timestamp (start);
  start_rt = gst_av_monitor_defect_get_running_time (start);
  to_times (self, ts, &st, &rt);
  end = gst_av_monitor_defect_copy (start);
  gst_av_monitor_defect_set_event (end, GST_AV_MONITOR_DEFECT_EVENT_END);
  set_end_times (end, ts, st, rt, start_ts,
      gst_av_monitor_defect_get_stream_time (start), start_rt);
  gst_av_monitor_defect_set_truncated (end, truncated);

  if (push)
    gst_pad_push_event (GST_BASE_TRANSFORM_SRC_PAD (self),
        gst_av_monitor_defect_new_event (start));
  gst_av_monitor_defect_post (end, GST_ELEMENT_CAST (self));
  if (push)
    gst_pad_push_event (GST_BASE_TRANSFORM_SRC_PAD (self),
        gst_av_monitor_defect_new_event (end));
  gst_av_monitor_defect_free (start);
  gst_av_monitor_defect_free (end);
}

/* Notes the buffer for the stall watch, and says (in one locked section,
 * as this is per buffer) whether a stall was open and where the data
 * before it ended. */
static void
note_buffer_arrival (GstAvQualityDetect * self, GstBuffer * buf,
    gboolean * stalled, GstClockTime * prev_end, gint64 * prev_us)
{
  GstClockTime ts = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf) :
      GST_BUFFER_DTS (buf);
  GstClockTime end = ts;

  if (GST_CLOCK_TIME_IS_VALID (ts) && GST_BUFFER_DURATION_IS_VALID (buf))
    end = ts + GST_BUFFER_DURATION (buf);

  g_mutex_lock (&self->stall_lock);
  *stalled = self->stalled;
  *prev_end = self->last_end_ts;
  *prev_us = self->last_buffer_us;
  self->last_buffer_us = g_get_monotonic_time ();
  if (GST_CLOCK_TIME_IS_VALID (end)) {
    self->last_end_ts = end;
    self->stall_start_ts = end;
    to_times (self, end, &self->stall_start_st, &self->stall_start_rt);
  }
  g_mutex_unlock (&self->stall_lock);
}

/* caps */

static gboolean
gst_av_quality_detect_set_caps (GstBaseTransform * trans, GstCaps * incaps,
    GstCaps * outcaps)
{
  GstAvQualityDetect *self = GST_AV_QUALITY_DETECT (trans);
  GstStructure *s = gst_caps_get_structure (incaps, 0);
  gboolean ok;

  if (gst_structure_has_name (s, "video/x-raw")) {
    GstVideoInfo info;

    if (!gst_video_info_from_caps (&info, incaps)) {
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
          ("Invalid video caps %" GST_PTR_FORMAT, incaps), (NULL));
      return FALSE;
    }
    if (self->media == AVQD_MEDIA_AUDIO)
      avqd_audio_finish (self);
    g_mutex_lock (&self->stall_lock);
    self->media = AVQD_MEDIA_VIDEO;
    g_mutex_unlock (&self->stall_lock);
    ok = avqd_video_configure (self, &info);
  } else {
    GstAudioInfo info;

    if (!gst_audio_info_from_caps (&info, incaps)) {
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
          ("Invalid audio caps %" GST_PTR_FORMAT, incaps), (NULL));
      return FALSE;
    }
    if (self->media == AVQD_MEDIA_VIDEO)
      avqd_video_finish (self, GST_CLOCK_TIME_NONE);
    g_mutex_lock (&self->stall_lock);
    self->media = AVQD_MEDIA_AUDIO;
    g_mutex_unlock (&self->stall_lock);
    ok = avqd_audio_configure (self, &info);
  }
  /* spans ended by a media change are pushed before the new caps go out */
  flush_pending (self, TRUE);
  return ok;
}

/* Refused caps get a message that names the fix, once per format. */
static gboolean
gst_av_quality_detect_query (GstBaseTransform * trans,
    GstPadDirection direction, GstQuery * query)
{
  GstAvQualityDetect *self = GST_AV_QUALITY_DETECT (trans);
  gboolean ret = GST_BASE_TRANSFORM_CLASS (parent_class)->query (trans,
      direction, query);

  if (GST_QUERY_TYPE (query) == GST_QUERY_ACCEPT_CAPS &&
      direction == GST_PAD_SINK) {
    GstCaps *caps;
    gboolean accepted;
    gchar *str;

    gst_query_parse_accept_caps (query, &caps);
    gst_query_parse_accept_caps_result (query, &accepted);
    str = caps ? gst_caps_to_string (caps) : NULL;

    /* negotiation asks the same question many times: warn once */
    if (!accepted && caps && gst_caps_is_fixed (caps) &&
        g_strcmp0 (str, self->warned_caps) != 0) {
      GstStructure *s = gst_caps_get_structure (caps, 0);
      const gchar *name = gst_structure_get_name (s);
      const gchar *format = gst_structure_get_string (s, "format");

      if (g_str_equal (name, "video/x-raw") ||
          g_str_equal (name, "audio/x-raw")) {
        gboolean video = g_str_equal (name, "video/x-raw");

        GST_ELEMENT_WARNING (self, STREAM, FORMAT,
            ("avqualitydetect does not read %s %s; insert %s before it.",
                name, format ? format : "(no format)",
                video ? "videoconvert" : "audioconvert"),
            ("refused %" GST_PTR_FORMAT, caps));
      } else {
        GST_ELEMENT_WARNING (self, STREAM, FORMAT,
            ("avqualitydetect reads raw audio or video, not %s; put it "
                "after the decoder (e.g. decodebin ! %s ! queue ! "
                "avqualitydetect).", name,
                g_str_has_prefix (name, "audio/") ? "audio/x-raw" :
                "video/x-raw"), ("refused %" GST_PTR_FORMAT, caps));
      }
      g_free (self->warned_caps);
      self->warned_caps = g_strdup (str);
    }
    g_free (str);
  }
  return ret;
}

/* Where a stall ends: as long after the last buffer as the wall clock
 * says no data came (what a stall is), in stream time. */
static GstClockTime
stall_end_now (GstAvQualityDetect * self, GstClockTime last_end,
    gint64 last_buffer_us)
{
  gint64 elapsed_us = g_get_monotonic_time () - last_buffer_us;

  if (!GST_CLOCK_TIME_IS_VALID (last_end) || last_buffer_us <= 0 ||
      elapsed_us <= 0)
    return last_end;
  return last_end + (GstClockTime) elapsed_us *GST_USECOND;
}

/* data */

static GstFlowReturn
gst_av_quality_detect_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstAvQualityDetect *self = GST_AV_QUALITY_DETECT (trans);
  GstClockTime ts = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf) :
      GST_BUFFER_DTS (buf);
  GstFlowReturn ret = GST_FLOW_OK;
  GstClockTime last_end, outage_end;
  gint64 last_us;
  gboolean stalled;

  /* A stall ends here. It lasted as long as no data came (wall clock):
   * more than the timestamps say when the source held its buffers rather
   * than skipping time. */
  note_buffer_arrival (self, buf, &stalled, &last_end, &last_us);
  if (stalled) {
    outage_end = stall_end_now (self, last_end, last_us);
    if (GST_CLOCK_TIME_IS_VALID (ts) && (!GST_CLOCK_TIME_IS_VALID (outage_end)
            || ts > outage_end))
      outage_end = ts;
    stall_resolve (self, outage_end, FALSE, TRUE);
  }

  if (self->media == AVQD_MEDIA_VIDEO)
    ret = avqd_video_process (self, buf);
  else if (self->media == AVQD_MEDIA_AUDIO)
    ret = avqd_audio_process (self, buf);

  flush_pending (self, TRUE);
  return ret;
}

static void
finish_detectors (GstAvQualityDetect * self, gboolean push)
{
  GstClockTime end;
  gboolean stalled;
  gint64 last_us;

  g_mutex_lock (&self->stall_lock);
  end = self->last_end_ts;
  stalled = self->stalled;
  last_us = self->last_buffer_us;
  g_mutex_unlock (&self->stall_lock);

  stall_resolve (self, stalled ? stall_end_now (self, end, last_us) : end,
      TRUE, push);
  if (self->media == AVQD_MEDIA_VIDEO)
    avqd_video_finish (self, end);
  else if (self->media == AVQD_MEDIA_AUDIO)
    avqd_audio_finish (self);
  flush_pending (self, push);
}

static gboolean
gst_av_quality_detect_sink_event (GstBaseTransform * trans, GstEvent * event)
{
  GstAvQualityDetect *self = GST_AV_QUALITY_DETECT (trans);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:{
      const gchar *id = NULL;

      gst_event_parse_stream_start (event, &id);
      /* the stall timer reads it from the clock thread */
      g_mutex_lock (&self->stall_lock);
      g_free (self->stream_id);
      self->stream_id = g_strdup (id);
      self->eos = FALSE;
      g_mutex_unlock (&self->stall_lock);
      break;
    }
    case GST_EVENT_GAP:{
      GstClockTime ts, dur;

      gst_event_parse_gap (event, &ts, &dur);
      /* a GAP says "nothing here, on purpose": audio is silence (not
       * read), video is a known hole rather than missing frames */
      if (self->media == AVQD_MEDIA_AUDIO)
        avqd_audio_gap (self, ts, dur);
      else if (self->media == AVQD_MEDIA_VIDEO)
        avqd_video_gap (self, ts, dur);
      g_mutex_lock (&self->stall_lock);
      self->last_buffer_us = g_get_monotonic_time ();
      if (GST_CLOCK_TIME_IS_VALID (ts))
        self->last_end_ts = (GST_CLOCK_TIME_IS_VALID (dur) &&
            dur <= G_MAXUINT64 - 1 - ts) ? ts + dur : ts;
      g_mutex_unlock (&self->stall_lock);
      flush_pending (self, TRUE);
      break;
    }
    case GST_EVENT_EOS:
      /* the last partial stats interval, before the analysis forgets it */
      if (self->media == AVQD_MEDIA_VIDEO)
        avqd_video_post_stats (self);
      /* end events must go out before EOS */
      finish_detectors (self, TRUE);
      if (self->media == AVQD_MEDIA_AUDIO)
        avqd_audio_post_stats (self, TRUE);
      flush_pending (self, TRUE);
      g_mutex_lock (&self->stall_lock);
      self->eos = TRUE;
      g_mutex_unlock (&self->stall_lock);
      break;
    case GST_EVENT_FLUSH_STOP:
      /* nothing can be pushed across a flush: end messages only */
      finish_detectors (self, FALSE);
      if (self->media == AVQD_MEDIA_VIDEO)
        avqd_video_reset (self);
      else if (self->media == AVQD_MEDIA_AUDIO)
        avqd_audio_reset (self);
      g_mutex_lock (&self->stall_lock);
      self->eos = FALSE;
      /* data that never resumes after a seek is a stall too */
      self->last_buffer_us = g_get_monotonic_time ();
      g_mutex_unlock (&self->stall_lock);
      break;
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static gboolean
gst_av_quality_detect_start (GstBaseTransform * trans)
{
  GstAvQualityDetect *self = GST_AV_QUALITY_DETECT (trans);

  /* ids stay unique for the element's lifetime (a restarted branch must
   * not reuse the ids of spans a running defectsink still holds) */
  self->media = AVQD_MEDIA_NONE;
  g_mutex_lock (&self->stall_lock);
  self->last_buffer_us = 0;
  self->last_end_ts = GST_CLOCK_TIME_NONE;
  self->stall_start_ts = self->stall_start_st = self->stall_start_rt =
      GST_CLOCK_TIME_NONE;
  self->stalled = FALSE;
  self->eos = FALSE;
  g_mutex_unlock (&self->stall_lock);
  return TRUE;
}

static gboolean
gst_av_quality_detect_stop (GstBaseTransform * trans)
{
  GstAvQualityDetect *self = GST_AV_QUALITY_DETECT (trans);

  finish_detectors (self, FALSE);
  avqd_video_clear (self);
  avqd_audio_clear (self);
  clear_spans (self);
  self->media = AVQD_MEDIA_NONE;
  return TRUE;
}

static GstStateChangeReturn
gst_av_quality_detect_change_state (GstElement * element,
    GstStateChange transition)
{
  GstAvQualityDetect *self = GST_AV_QUALITY_DETECT (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_PAUSED_TO_PLAYING)
    stall_watch_start (self);
  else if (transition == GST_STATE_CHANGE_PLAYING_TO_PAUSED)
    stall_watch_stop (self);

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    stall_watch_stop (self);
  return ret;
}
