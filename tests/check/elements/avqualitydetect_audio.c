/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 *
 * You should have received a copy of the GNU Library General Public
 * License along with this library; if not, write to the
 * Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
 * Boston, MA 02110-1301, USA.
 */

/* avqualitydetect on audio, through GstHarness with a private bus: every
 * span is checked twice, as the bus message and as the custom downstream
 * event, and the two sequences must agree (same kind, edge, id, times).
 *
 * The signal is synthesised here, sample by sample, so the truth is exact:
 * a 1 kHz sine (its peaks fall on whole samples at 8, 48 and 192 kHz, which
 * lets dropout edges be checked to the sample) with the defects cut into it.
 *
 * Tests marked ELEMENT BUG fail on the element as it is; the fix is in the
 * comment above each and in the report to the lead. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/audio/audio.h>

#include "avmonitor.h"

#define MS GST_MSECOND
/* DESIGN.md: audio span edges within 10 ms of the truth */
#define EDGE_TOL (10 * GST_MSECOND)
#define FREQ 1000.0

/* the signal */

typedef struct
{
  guint rate;
  guint channels;
  gdouble amp;                  /* sine amplitude, every channel */
  gdouble amp_step;             /* channel c gets amp / (1 + c * amp_step) */
  gdouble phase;                /* of the sine, radians */
  gdouble freq;                 /* 0: FREQ */
  /* [start, end) in frames; end 0 = none */
  guint64 sil_start, sil_end;   /* every channel digital zero */
  guint64 cs_start, cs_end;     /* channels of cs_mask zero */
  guint64 cs_mask;
  gdouble cs_gain;              /* 0: the channels are digital zero */
  guint64 clip_start, clip_end; /* gain, then limited to +-clip_limit */
  gdouble clip_gain, clip_limit;
  guint64 clip_mask;            /* 0: every channel */
  guint64 drop_start, drop_end; /* every channel zero (a short hole) */
} Sig;

static void
sig_init (Sig * s, guint channels, guint rate)
{
  memset (s, 0, sizeof (*s));
  s->rate = rate;
  s->channels = channels;
  /* -20 dBFS peak: about -20 LUFS in stereo, inside -23 +/- 5 */
  s->amp = 0.1;
  s->freq = FREQ;
}

static gboolean
in (guint64 i, guint64 a, guint64 b)
{
  return b > a && i >= a && i < b;
}

static gdouble
sig_sample (const Sig * s, guint c, guint64 i)
{
  gdouble a = s->amp / (1.0 + c * s->amp_step);
  gdouble x = a * sin (2.0 * G_PI * s->freq * (gdouble) i / s->rate +
      s->phase);

  if (in (i, s->sil_start, s->sil_end) || in (i, s->drop_start, s->drop_end))
    return 0.0;
  if (c < 64 && (s->cs_mask & (G_GUINT64_CONSTANT (1) << c)) &&
      in (i, s->cs_start, s->cs_end))
    return x * s->cs_gain;
  if (in (i, s->clip_start, s->clip_end) && (s->clip_mask == 0 ||
          (c < 64 && (s->clip_mask & (G_GUINT64_CONSTANT (1) << c)))))
    x = CLAMP (x * s->clip_gain, -s->clip_limit, s->clip_limit);
  return x;
}

static guint64
frames_of (guint rate, GstClockTime t)
{
  return gst_util_uint64_scale_round (t, rate, GST_SECOND);
}

static GstClockTime
time_of (guint rate, guint64 frames)
{
  return gst_util_uint64_scale_int (frames, GST_SECOND, rate);
}

/* Writes one sample in the stream's format, full scale = 1.0; integers are
 * rounded and saturate as a real converter does. */
static void
put_sample (GstAudioFormat fmt, guint8 * p, gdouble x)
{
  switch (fmt) {
    case GST_AUDIO_FORMAT_S16LE:{
      gint16 v = (gint16) CLAMP (lrint (x * 32768.0), -32768, 32767);
      GST_WRITE_UINT16_LE (p, (guint16) v);
      break;
    }
    case GST_AUDIO_FORMAT_S32LE:{
      gint32 v = (gint32) CLAMP (llrint (x * 2147483648.0),
          G_MININT32, G_MAXINT32);
      GST_WRITE_UINT32_LE (p, (guint32) v);
      break;
    }
    case GST_AUDIO_FORMAT_F32LE:
      GST_WRITE_FLOAT_LE (p, (gfloat) x);
      break;
    case GST_AUDIO_FORMAT_F64LE:
      GST_WRITE_DOUBLE_LE (p, x);
      break;
    default:
      g_assert_not_reached ();
  }
}

/* the harness and what comes out of it */

typedef struct
{
  GstHarness *h;
  GstElement *e;
  GstBus *bus;
  GstAudioInfo info;
  /* what the element said, in order */
  GPtrArray *msgs;              /* GstAvMonitorDefect, from the bus */
  GPtrArray *evs;               /* GstAvMonitorDefect, from downstream */
  GPtrArray *stats;             /* GstStructure */
  GPtrArray *warnings;          /* gchar *, warning and error texts */
  /* position of other events among evs: index of the first defect event
   * after them, -1 = not seen */
  gint eos_at, caps_at;
} Ctx;

static void
ctx_set_caps (Ctx * t, GstAudioFormat fmt, GstAudioLayout layout,
    guint channels, guint rate)
{
  GstCaps *caps;

  gst_audio_info_init (&t->info);
  gst_audio_info_set_format (&t->info, fmt, rate, channels, NULL);
  t->info.layout = layout;
  caps = gst_audio_info_to_caps (&t->info);
  gst_harness_set_src_caps (t->h, caps);
}

/* The element with stall off (tests run in PLAYING on the real clock; a
 * slow machine must not turn a pause between two pushes into a stall) and
 * the stats off, unless a test wants them. */
static Ctx *
ctx_new (GstAudioFormat fmt, GstAudioLayout layout, guint channels,
    guint rate)
{
  Ctx *t = g_new0 (Ctx, 1);

  t->e = gst_element_factory_make ("avqualitydetect", "aqd");
  fail_unless (t->e != NULL);
  g_object_set (t->e, "stall-enabled", FALSE, "interval", (guint64) 0, NULL);
  t->bus = gst_bus_new ();
  gst_element_set_bus (t->e, t->bus);
  t->h = gst_harness_new_with_element (t->e, "sink", "src");
  t->msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_av_monitor_defect_free);
  t->evs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_av_monitor_defect_free);
  t->stats = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  t->warnings = g_ptr_array_new_with_free_func (g_free);
  t->eos_at = t->caps_at = -1;
  if (fmt != GST_AUDIO_FORMAT_UNKNOWN)
    ctx_set_caps (t, fmt, layout, channels, rate);
  return t;
}

static void
ctx_free (Ctx * t)
{
  gst_harness_teardown (t->h);
  gst_element_set_bus (t->e, NULL);
  gst_object_unref (t->e);
  gst_bus_set_flushing (t->bus, TRUE);
  gst_object_unref (t->bus);
  g_ptr_array_unref (t->msgs);
  g_ptr_array_unref (t->evs);
  g_ptr_array_unref (t->stats);
  g_ptr_array_unref (t->warnings);
  g_free (t);
}

static void
collect_messages (Ctx * t)
{
  GstMessage *m;

  while ((m = gst_bus_pop (t->bus))) {
    const GstStructure *s = gst_message_get_structure (m);

    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT && s) {
      if (gst_structure_has_name (s, GST_AV_MONITOR_DEFECT_NAME)) {
        GstAvMonitorDefect *d = gst_av_monitor_defect_new_from_message (m);

        fail_unless (d != NULL);
        g_ptr_array_add (t->msgs, d);
      } else if (gst_structure_has_name (s, GST_AV_MONITOR_STATS_NAME)) {
        g_ptr_array_add (t->stats, gst_structure_copy (s));
      }
    } else if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_WARNING ||
        GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      GError *err = NULL;
      gchar *dbg = NULL;

      if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_WARNING)
        gst_message_parse_warning (m, &err, &dbg);
      else
        gst_message_parse_error (m, &err, &dbg);
      g_ptr_array_add (t->warnings, g_strdup (err->message));
      g_error_free (err);
      g_free (dbg);
    }
    gst_message_unref (m);
  }
}

static void
collect_events (Ctx * t)
{
  GstEvent *ev;

  while ((ev = gst_harness_try_pull_event (t->h))) {
    const GstStructure *s = gst_event_get_structure (ev);

    if (GST_EVENT_TYPE (ev) == GST_EVENT_CUSTOM_DOWNSTREAM && s &&
        gst_structure_has_name (s, GST_AV_MONITOR_DEFECT_NAME)) {
      GstAvMonitorDefect *d = gst_av_monitor_defect_new_from_event (ev);

      fail_unless (d != NULL);
      g_ptr_array_add (t->evs, d);
    } else if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS) {
      t->eos_at = t->evs->len;
    } else if (GST_EVENT_TYPE (ev) == GST_EVENT_CAPS) {
      t->caps_at = t->evs->len;
    }
    gst_event_unref (ev);
  }
}

static void
drain_buffers (Ctx * t)
{
  GstBuffer *b;

  while ((b = gst_harness_try_pull (t->h)))
    gst_buffer_unref (b);
}

static void
collect (Ctx * t)
{
  drain_buffers (t);
  collect_events (t);
  collect_messages (t);
}

/* One buffer of frames [from, from + n) of the signal. */
static GstBuffer *
make_buffer (Ctx * t, const Sig * s, guint64 from, guint n)
{
  GstAudioInfo *info = &t->info;
  guint ch = GST_AUDIO_INFO_CHANNELS (info);
  guint w = GST_AUDIO_INFO_WIDTH (info) / 8;
  gboolean planar = GST_AUDIO_INFO_LAYOUT (info) ==
      GST_AUDIO_LAYOUT_NON_INTERLEAVED;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, (gsize) n * ch * w, NULL);
  GstMapInfo map;
  guint c, i;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_WRITE));
  for (i = 0; i < n; i++)
    for (c = 0; c < ch; c++) {
      gsize idx = planar ? (gsize) c * n + i : (gsize) i * ch + c;
      put_sample (GST_AUDIO_INFO_FORMAT (info), map.data + idx * w,
          sig_sample (s, c, from + i));
    }
  gst_buffer_unmap (buf, &map);
  if (planar)
    gst_buffer_add_audio_meta (buf, info, n, NULL);
  GST_BUFFER_PTS (buf) = time_of (s->rate, from);
  GST_BUFFER_DURATION (buf) = time_of (s->rate, from + n) -
      time_of (s->rate, from);
  GST_BUFFER_OFFSET (buf) = from;
  return buf;
}

static void
push (Ctx * t, GstBuffer * buf)
{
  fail_unless_equals_int (gst_harness_push (t->h, buf), GST_FLOW_OK);
  drain_buffers (t);
}

/* Frames [from, to) in buffers of `chunk` frames, timestamped from the
 * sample count plus `shift`. */
static void
push_range (Ctx * t, const Sig * s, guint64 from, guint64 to, guint chunk,
    GstClockTimeDiff shift)
{
  while (from < to) {
    guint n = (guint) MIN ((guint64) chunk, to - from);
    GstBuffer *buf = make_buffer (t, s, from, n);

    GST_BUFFER_PTS (buf) += shift;
    push (t, buf);
    from += n;
  }
}

static void
push_eos (Ctx * t)
{
  fail_unless (gst_harness_push_event (t->h, gst_event_new_eos ()));
  collect (t);
}

/* checks */

static const gchar *
kind_of (const GstAvMonitorDefect * d)
{
  return gst_av_monitor_defect_get_kind_nick (d);
}

static const gchar *
subkind_of (const GstAvMonitorDefect * d)
{
  const GstStructure *det = gst_av_monitor_defect_get_details (d);

  return det ? gst_structure_get_string (det,
      GST_AV_MONITOR_DETAIL_SUBKIND) : NULL;
}

/* kind "loudness" with a subkind matches "loudness/true-peak" etc. */
static gboolean
kind_is (const GstAvMonitorDefect * d, const gchar * kind)
{
  const gchar *slash = strchr (kind, '/');
  const gchar *sub;

  if (slash == NULL)
    return g_str_equal (kind_of (d), kind);
  sub = subkind_of (d);
  return strncmp (kind_of (d), kind, slash - kind) == 0 &&
      kind_of (d)[slash - kind] == '\0' && sub && g_str_equal (sub,
      slash + 1);
}

static guint
count_kind (GPtrArray * list, const gchar * kind)
{
  guint i, n = 0;

  for (i = 0; i < list->len; i++)
    if (kind_is (g_ptr_array_index (list, i), kind))
      n++;
  return n;
}

/* The nth span (start and end edge, paired by id) of a kind. */
static gboolean
find_span (GPtrArray * list, const gchar * kind, guint nth,
    GstAvMonitorDefect ** start, GstAvMonitorDefect ** end)
{
  guint i, j, k = 0;

  *start = *end = NULL;
  for (i = 0; i < list->len; i++) {
    GstAvMonitorDefect *d = g_ptr_array_index (list, i);

    if (!kind_is (d, kind) || gst_av_monitor_defect_get_event (d) !=
        GST_AV_MONITOR_DEFECT_EVENT_START)
      continue;
    if (k++ < nth)
      continue;
    *start = d;
    for (j = i + 1; j < list->len; j++) {
      GstAvMonitorDefect *e = g_ptr_array_index (list, j);

      if (gst_av_monitor_defect_get_id (e) == gst_av_monitor_defect_get_id (d)
          && gst_av_monitor_defect_get_event (e) ==
          GST_AV_MONITOR_DEFECT_EVENT_END) {
        *end = e;
        break;
      }
    }
    return TRUE;
  }
  return FALSE;
}

static void
assert_near (GstClockTime got, GstClockTime want, GstClockTime tol,
    const gchar * what)
{
  fail_unless (GST_CLOCK_TIME_IS_VALID (got), "%s: no time", what);
  fail_unless (ABS (GST_CLOCK_DIFF (got, want)) <= (GstClockTimeDiff) tol,
      "%s: %" GST_TIME_FORMAT ", want %" GST_TIME_FORMAT " +/- %"
      GST_TIME_FORMAT, what, GST_TIME_ARGS (got), GST_TIME_ARGS (want),
      GST_TIME_ARGS (tol));
}

static guint64
detail_u64 (const GstAvMonitorDefect * d, const gchar * field)
{
  const GstStructure *det = gst_av_monitor_defect_get_details (d);
  guint64 v = 0;

  fail_unless (det != NULL, "%s: no details", kind_of (d));
  fail_unless (gst_structure_get_uint64 (det, field, &v), "%s: no %s",
      kind_of (d), field);
  return v;
}

/* The nth span of a kind, found on the bus and downstream alike, with its
 * edges, the end's copy of the start and the common fields checked. */
static void
check_span (Ctx * t, const gchar * kind, guint nth, GstClockTime start,
    GstClockTime end, GstClockTime tol, GstAvMonitorSeverity severity,
    gboolean truncated, GstAvMonitorDefect ** out_start,
    GstAvMonitorDefect ** out_end)
{
  GstAvMonitorDefect *s, *e, *es, *ee;

  fail_unless (find_span (t->msgs, kind, nth, &s, &e),
      "no %s span #%u on the bus", kind, nth);
  fail_unless (e != NULL, "%s span #%u has no end message", kind, nth);
  fail_unless (find_span (t->evs, kind, nth, &es, &ee),
      "no %s span #%u downstream", kind, nth);
  fail_unless (ee != NULL, "%s span #%u has no end event", kind, nth);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_id (es),
      gst_av_monitor_defect_get_id (s));

  assert_near (gst_av_monitor_defect_get_timestamp (s), start, tol, "start");
  assert_near (gst_av_monitor_defect_get_timestamp (e), end, tol, "end");
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_start_timestamp (e),
      gst_av_monitor_defect_get_timestamp (s));
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_duration (e),
      gst_av_monitor_defect_get_timestamp (e) -
      gst_av_monitor_defect_get_timestamp (s));
  /* harness segment: stream and running time are the timestamp */
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_running_time (s),
      gst_av_monitor_defect_get_timestamp (s));
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_stream_time (e),
      gst_av_monitor_defect_get_timestamp (e));
  fail_unless_equals_int (gst_av_monitor_defect_get_severity (s), severity);
  fail_unless_equals_int (gst_av_monitor_defect_get_severity (e), severity);
  fail_unless_equals_int (gst_av_monitor_defect_get_stream_type (s),
      GST_AV_MONITOR_STREAM_TYPE_AUDIO);
  fail_unless_equals_string (gst_av_monitor_defect_get_source (s), "aqd");
  fail_unless (!gst_av_monitor_defect_get_truncated (e) == !truncated,
      "%s: truncated=%d", kind, gst_av_monitor_defect_get_truncated (e));
  if (out_start)
    *out_start = s;
  if (out_end)
    *out_end = e;
}

/* The bus and downstream tell the same story, edge by edge. */
static void
check_events_match_messages (Ctx * t)
{
  guint i;

  fail_unless_equals_int (t->evs->len, t->msgs->len);
  for (i = 0; i < t->msgs->len; i++) {
    GstAvMonitorDefect *m = g_ptr_array_index (t->msgs, i);
    GstAvMonitorDefect *e = g_ptr_array_index (t->evs, i);

    fail_unless_equals_string (kind_of (e), kind_of (m));
    fail_unless_equals_uint64 (gst_av_monitor_defect_get_id (e),
        gst_av_monitor_defect_get_id (m));
    fail_unless_equals_int (gst_av_monitor_defect_get_event (e),
        gst_av_monitor_defect_get_event (m));
    fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (e),
        gst_av_monitor_defect_get_timestamp (m));
  }
}

static void
dump (Ctx * t)
{
  guint i;

  for (i = 0; i < t->msgs->len; i++) {
    gchar *j = gst_av_monitor_defect_to_json (g_ptr_array_index (t->msgs, i),
        NULL, NULL);
    GST_INFO ("message %u: %s", i, j);
    g_free (j);
  }
}

/* Exactly these kinds, each `n` spans (start + end edges). */
static void
check_only (Ctx * t, const gchar * const *kinds, const guint * n)
{
  guint i, total = 0;

  dump (t);
  for (i = 0; kinds[i]; i++) {
    fail_unless_equals_int (count_kind (t->msgs, kinds[i]), 2 * n[i]);
    total += 2 * n[i];
  }
  if (t->msgs->len != total) {
    for (i = 0; i < t->msgs->len; i++)
      g_printerr ("unexpected? %s %s\n",
          kind_of (g_ptr_array_index (t->msgs, i)),
          subkind_of (g_ptr_array_index (t->msgs, i)) ?
          subkind_of (g_ptr_array_index (t->msgs, i)) : "");
  }
  fail_unless_equals_int (t->msgs->len, total);
}

#define S(x) ((GstClockTime) ((x) * GST_SECOND))

/* silence */

GST_START_TEST (test_silence)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  const gchar *kinds[] = { "silence", NULL };
  const guint n[] = { 1 };
  Sig sig;

  sig_init (&sig, 2, 48000);
  sig.sil_start = frames_of (48000, S (1.0));
  sig.sil_end = frames_of (48000, S (4.0));
  push_range (t, &sig, 0, frames_of (48000, S (2.9)), 1024, 0);
  collect (t);
  /* not certain before it has lasted 2 s */
  fail_unless_equals_int (t->msgs->len, 0);
  push_range (t, &sig, frames_of (48000, S (2.9)), frames_of (48000,
          S (3.1)), 1024, 0);
  collect (t);
  fail_unless_equals_int (t->msgs->len, 1);
  fail_unless_equals_int (t->evs->len, 1);
  push_range (t, &sig, frames_of (48000, S (3.1)), frames_of (48000,
          S (5.0)), 1024, 0);
  push_eos (t);

  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "silence", 0, S (1.0), S (4.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, &s, &e);
  fail_unless_equals_int (t->eos_at, 2);
  fail_unless_equals_string (gst_av_monitor_defect_get_unit (s), "dBFS");
  fail_unless_equals_float (gst_av_monitor_defect_get_threshold (s), -60.0);
  /* digital zero: the floor, a finite number */
  fail_unless (gst_av_monitor_defect_get_value (e) <= -60.0);
  fail_unless (isfinite (gst_av_monitor_defect_get_value (e)));
  fail_unless_equals_uint64 (detail_u64 (s,
          GST_AV_MONITOR_DETAIL_CHANNEL_MASK), 0x3);
  fail_unless_equals_uint64 (detail_u64 (e,
          GST_AV_MONITOR_DETAIL_CHANNEL_MASK), 0x3);
  ctx_free (t);
}

GST_END_TEST;

/* Hiss at -70 dBFS is silence, its value the measured level; at -50 dBFS it
 * is programme. */
GST_START_TEST (test_silence_hiss_level)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_S16LE, GST_AUDIO_LAYOUT_INTERLEAVED, 1,
      48000);
  GstAvMonitorDefect *s, *e;
  const gchar *kinds[] = { "silence", NULL };
  const guint n[] = { 1 };
  Sig sig;

  g_object_set (t->e, "loudness-enabled", FALSE, NULL);
  sig_init (&sig, 1, 48000);
  /* -70 dBFS RMS sine */
  sig.amp = sqrt (2.0) * pow (10.0, -70.0 / 20.0);
  push_range (t, &sig, 0, frames_of (48000, S (3.0)), 4800, 0);
  sig.amp = sqrt (2.0) * pow (10.0, -50.0 / 20.0);
  push_range (t, &sig, frames_of (48000, S (3.0)), frames_of (48000,
          S (6.0)), 4800, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_span (t, "silence", 0, 0, S (3.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, &s, &e);
  fail_unless (fabs (gst_av_monitor_defect_get_value (e) + 70.0) < 0.5,
      "value %f", gst_av_monitor_defect_get_value (e));
  ctx_free (t);
}

GST_END_TEST;

GST_START_TEST (test_channel_silence)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_S32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 6,
      48000);
  GstAvMonitorDefect *s, *e;
  const gchar *kinds[] = { "channel-silence", NULL };
  const guint n[] = { 1 };
  Sig sig;

  sig_init (&sig, 6, 48000);
  sig.cs_start = frames_of (48000, S (1.0));
  sig.cs_end = frames_of (48000, S (4.0));
  sig.cs_mask = 0x12;           /* channels 1 and 4 */
  push_range (t, &sig, 0, frames_of (48000, S (5.0)), 960, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "channel-silence", 0, S (1.0), S (4.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, &s, &e);
  fail_unless_equals_uint64 (detail_u64 (s,
          GST_AV_MONITOR_DETAIL_CHANNEL_MASK), 0x12);
  fail_unless_equals_uint64 (detail_u64 (e,
          GST_AV_MONITOR_DETAIL_CHANNEL_MASK), 0x12);
  fail_unless_equals_string (gst_av_monitor_defect_get_unit (s), "dBFS");
  fail_unless_equals_float (gst_av_monitor_defect_get_threshold (s), -60.0);
  fail_unless (gst_av_monitor_defect_get_value (e) <= -60.0);
  ctx_free (t);
}

GST_END_TEST;

/* A silent programme is silence only, not channel-silence on every
 * channel. */
GST_START_TEST (test_silence_not_channel_silence)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  const gchar *kinds[] = { "silence", "channel-silence", NULL };
  const guint n[] = { 1, 0 };
  Sig sig;

  sig_init (&sig, 2, 48000);
  sig.sil_start = frames_of (48000, S (0.5));
  sig.sil_end = frames_of (48000, S (3.5));
  push_range (t, &sig, 0, frames_of (48000, S (4.0)), 1024, 0);
  push_eos (t);
  check_only (t, kinds, n);
  ctx_free (t);
}

GST_END_TEST;

/* ELEMENT BUG (avqd-audio.c, fill_config): channel-silence-threshold and
 * channel-silence-duration are ignored; the channel-silence detector runs
 * on silence-threshold / silence-duration.  Fix: map them to the monitor's
 * channel_silence_threshold / channel_silence_duration.  Here silence keeps
 * its -60 dBFS, 2 s defaults and one channel drops to -50 dBFS for 0.5 s:
 * dead by a -40 dBFS, 200 ms channel-silence setting. */
GST_START_TEST (test_channel_silence_own_properties)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  const gchar *kinds[] = { "channel-silence", NULL };
  const guint n[] = { 1 };
  Sig sig;

  g_object_set (t->e, "channel-silence-duration", (guint64) (200 * MS),
      "channel-silence-threshold", -40.0, NULL);
  sig_init (&sig, 2, 48000);
  sig.cs_start = frames_of (48000, S (1.0));
  sig.cs_end = frames_of (48000, S (1.5));
  sig.cs_mask = 0x1;
  sig.cs_gain = pow (10.0, -27.0 / 20.0);      /* -23 -> -50 dBFS RMS */
  push_range (t, &sig, 0, frames_of (48000, S (2.0)), 1024, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "channel-silence", 0, S (1.0), S (1.5), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, &s, &e);
  fail_unless_equals_float (gst_av_monitor_defect_get_threshold (s), -40.0);
  fail_unless (fabs (gst_av_monitor_defect_get_value (e) + 50.0) < 0.5);
  ctx_free (t);
}

GST_END_TEST;

/* clipping */

static guint64
count_full_scale (Ctx * t, const Sig * s, guint64 from, guint64 to)
{
  guint64 i, n = 0;
  guint c;
  guint8 b[8];

  for (i = from; i < to; i++)
    for (c = 0; c < s->channels; c++) {
      gdouble x = sig_sample (s, c, i);

      put_sample (GST_AUDIO_INFO_FORMAT (&t->info), b, x);
      switch (GST_AUDIO_INFO_FORMAT (&t->info)) {
        case GST_AUDIO_FORMAT_S16LE:{
          gint16 v = (gint16) GST_READ_UINT16_LE (b);
          n += v == 32767 || v == -32768;
          break;
        }
        default:
          n += fabs (x) >= 1.0;
          break;
      }
    }
  return n;
}

GST_START_TEST (test_clipping_s16)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_S16LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  const gchar *kinds[] = { "clipping", "loudness", NULL };
  const guint n[] = { 1, 1 };
  guint64 expected;
  Sig sig;

  sig_init (&sig, 2, 48000);
  sig.clip_start = frames_of (48000, S (2.0));
  sig.clip_end = frames_of (48000, S (2.5));
  sig.clip_gain = 20.0;         /* 0.1 -> 2.0: flat tops at full scale */
  sig.clip_limit = 1.0;
  push_range (t, &sig, 0, frames_of (48000, S (4.0)), 1024, 0);
  push_eos (t);
  /* the clipped burst is also a true peak over -1 dBTP */
  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "clipping", 0, S (2.0), S (2.5), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_WARNING, FALSE, &s, &e);
  expected = count_full_scale (t, &sig, sig.clip_start, sig.clip_end);
  fail_unless (expected > 10000);
  fail_unless_equals_uint64 (detail_u64 (e,
          GST_AV_MONITOR_DETAIL_CLIPPED_SAMPLES), expected);
  fail_unless_equals_uint64 (detail_u64 (e,
          GST_AV_MONITOR_DETAIL_CHANNEL_MASK), 0x3);
  fail_unless_equals_string (gst_av_monitor_defect_get_unit (e), "dBFS");
  fail_unless (fabs (gst_av_monitor_defect_get_value (e)) < 0.01);
  fail_unless (fabs (gst_av_monitor_defect_get_threshold (e)) < 0.01);
  check_span (t, "loudness/true-peak", 0, S (2.0), S (2.5), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_WARNING, FALSE, NULL, NULL);
  ctx_free (t);
}

GST_END_TEST;

/* Float overs (what clipping leaves after lossy coding) on one channel of
 * planar F64: value above 0 dBFS, mask of that channel. */
GST_START_TEST (test_clipping_float_overs)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F64LE,
      GST_AUDIO_LAYOUT_NON_INTERLEAVED, 2, 48000);
  GstAvMonitorDefect *s, *e;
  Sig sig;

  g_object_set (t->e, "true-peak-enabled", FALSE, NULL);
  sig_init (&sig, 2, 48000);
  sig.amp_step = 9.0;           /* channel 1 at 0.01: never over */
  sig.clip_start = frames_of (48000, S (1.0));
  sig.clip_end = frames_of (48000, S (1.2));
  sig.clip_gain = 15.0;         /* 0.1 -> 1.5 peaks: overs, no flat tops */
  sig.clip_limit = 10.0;
  push_range (t, &sig, 0, frames_of (48000, S (3.0)), 1000, 0);
  push_eos (t);
  check_events_match_messages (t);
  fail_unless_equals_int (count_kind (t->msgs, "clipping"), 2);
  check_span (t, "clipping", 0, S (1.0), S (1.2), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_WARNING, FALSE, &s, &e);
  fail_unless (fabs (gst_av_monitor_defect_get_value (e) -
          20.0 * log10 (1.5)) < 0.05, "value %f",
      gst_av_monitor_defect_get_value (e));
  fail_unless_equals_uint64 (detail_u64 (e,
          GST_AV_MONITOR_DETAIL_CHANNEL_MASK), 0x1);
  fail_unless_equals_uint64 (detail_u64 (e,
          GST_AV_MONITOR_DETAIL_CLIPPED_SAMPLES),
      count_full_scale (t, &sig, sig.clip_start, sig.clip_end));
  ctx_free (t);
}

GST_END_TEST;

/* dropout */

GST_START_TEST (test_dropout)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  const gchar *kinds[] = { "dropout", NULL };
  const guint n[] = { 1 };
  Sig sig;

  sig_init (&sig, 2, 48000);
  /* at a sine peak (48 samples a period): the samples around the hole are
   * far from zero, so its edges are exact */
  sig.drop_start = 48000 + 12;
  sig.drop_end = sig.drop_start + 480;  /* 10 ms */
  push_range (t, &sig, 0, 2 * 48000, 1024, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  /* to the sample */
  check_span (t, "dropout", 0, time_of (48000, sig.drop_start),
      time_of (48000, sig.drop_end), 0, GST_AV_MONITOR_SEVERITY_WARNING,
      FALSE, &s, &e);
  fail_unless_equals_string (gst_av_monitor_defect_get_unit (e), "ms");
  fail_unless_equals_float (gst_av_monitor_defect_get_value (e), 10.0);
  fail_unless_equals_float (gst_av_monitor_defect_get_threshold (e), 5.0);
  fail_unless_equals_uint64 (detail_u64 (e,
          GST_AV_MONITOR_DETAIL_CHANNEL_MASK), 0x3);
  ctx_free (t);
}

GST_END_TEST;

/* A 3 ms hole is below the 5 ms minimum; a changed minimum finds it. */
GST_START_TEST (test_dropout_short)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_S16LE, GST_AUDIO_LAYOUT_INTERLEAVED, 1,
      48000);
  Sig sig;

  sig_init (&sig, 1, 48000);
  sig.drop_start = 24000 + 12;
  sig.drop_end = sig.drop_start + 144;  /* 3 ms */
  push_range (t, &sig, 0, 48000, 480, 0);
  collect (t);
  fail_unless_equals_int (count_kind (t->msgs, "dropout"), 0);
  g_object_set (t->e, "dropout-duration", (guint64) (2 * MS), NULL);
  push_range (t, &sig, 48000, 96000, 480, 0);
  sig.drop_start = 120000 + 12;
  sig.drop_end = sig.drop_start + 144;
  push_range (t, &sig, 96000, 144000, 480, 0);
  push_eos (t);
  fail_unless_equals_int (count_kind (t->msgs, "dropout"), 2);
  check_span (t, "dropout", 0, time_of (48000, sig.drop_start),
      time_of (48000, sig.drop_end), 0, GST_AV_MONITOR_SEVERITY_WARNING,
      FALSE, NULL, NULL);
  ctx_free (t);
}

GST_END_TEST;

/* loudness */

GST_START_TEST (test_loudness_short_term)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  const gchar *kinds[] = { "loudness/short-term", NULL };
  const guint n[] = { 1 };
  const GstStructure *det;
  Sig sig;

  g_object_set (t->e, "loudness-duration", (guint64) GST_SECOND, NULL);
  sig_init (&sig, 2, 48000);
  sig.amp = 0.5;                /* -6 LUFS, true peak -6 dBTP */
  push_range (t, &sig, 0, frames_of (48000, S (5.0)), 4800, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  /* short-term needs 3 s of signal; open at EOS */
  fail_unless (find_span (t->msgs, "loudness/short-term", 0, &s, &e));
  fail_unless (e != NULL);
  fail_unless (gst_av_monitor_defect_get_timestamp (s) <= S (3.0));
  check_span (t, "loudness/short-term", 0,
      gst_av_monitor_defect_get_timestamp (s), S (5.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_WARNING, TRUE, NULL, NULL);
  fail_unless (t->eos_at == 2);
  fail_unless_equals_string (gst_av_monitor_defect_get_unit (s), "LUFS");
  fail_unless_equals_float (gst_av_monitor_defect_get_threshold (s), -18.0);
  fail_unless (fabs (gst_av_monitor_defect_get_value (e) -
          10.0 * log10 (0.25)) < 0.2, "value %f",
      gst_av_monitor_defect_get_value (e));
  det = gst_av_monitor_defect_get_details (s);
  fail_unless_equals_string (gst_structure_get_string (det,
          GST_AV_MONITOR_DETAIL_SUBKIND), "short-term");
  fail_unless_equals_uint64 (detail_u64 (s,
          GST_AV_MONITOR_DETAIL_CHANNEL_MASK), 0x3);
  ctx_free (t);
}

GST_END_TEST;

/* 16 channels (SDI): loudness is measured per stereo pair by default, so
 * one loud pair is a loudness span of its own group and channels. With
 * loudness-groups="8,8" there are two programmes of eight channels, each
 * loud as a whole (eight -20 dBFS channels sum to about -15 LUFS). */
GST_START_TEST (test_loudness_groups)
{
  const gchar *groups[] = { NULL, "8,8" };
  const guint n_spans[] = { 1, 2 };
  const guint64 masks[][2] = { {0xC0, 0}, {0xFF, 0xFF00} };
  guint g, k;

  for (g = 0; g < G_N_ELEMENTS (groups); g++) {
    Ctx *t = ctx_new (GST_AUDIO_FORMAT_UNKNOWN, 0, 0, 0);
    GstAvMonitorDefect *s, *e;
    guint group, seen = 0;
    Sig sig;

    g_object_set (t->e, "loudness-duration", (guint64) GST_SECOND,
        "loudness-groups", groups[g], NULL);
    ctx_set_caps (t, GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED,
        16, 48000);
    sig_init (&sig, 16, 48000);
    /* channels 6 and 7 about 14 dB louder than the others, all along */
    sig.cs_mask = 0xC0;
    sig.cs_gain = 5.0;
    sig.cs_start = 0;
    sig.cs_end = G_MAXUINT64;
    push_range (t, &sig, 0, frames_of (48000, S (5.0)), 4800, 0);
    push_eos (t);
    fail_unless (count_kind (t->msgs, "loudness/short-term") ==
        2 * n_spans[g], "groups %s: %u loudness edges",
        groups[g] ? groups[g] : "(default)",
        count_kind (t->msgs, "loudness/short-term"));
    for (k = 0; k < n_spans[g]; k++) {
      fail_unless (find_span (t->msgs, "loudness/short-term", k, &s, &e));
      fail_unless (gst_structure_get_uint (gst_av_monitor_defect_get_details
              (s), "group", &group));
      fail_unless (group < 8);
      seen |= 1u << group;
      fail_unless_equals_uint64 (detail_u64 (s,
              GST_AV_MONITOR_DETAIL_CHANNEL_MASK),
          g == 0 ? masks[0][0] : masks[1][group]);
    }
    /* the default grouping makes pair 3 (channels 6-7) the loud one */
    fail_unless_equals_int (seen, g == 0 ? 1u << 3 : 0x3);
    ctx_free (t);
  }
}

GST_END_TEST;

/* A 12 kHz sine at 45 degrees: samples at 0.707 (-3 dBFS, no clipping),
 * true peak 0 dBTP between them. */
GST_START_TEST (test_true_peak)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  const gchar *kinds[] = { "loudness/true-peak", "clipping", NULL };
  const guint n[] = { 1, 0 };
  Sig sig;

  sig_init (&sig, 2, 48000);
  push_range (t, &sig, 0, 48000, 1024, 0);
  sig.amp = 1.0;
  sig.freq = 12000.0;
  sig.phase = G_PI / 4;
  push_range (t, &sig, 48000, 72000, 1024, 0);
  sig.amp = 0.1;
  sig.freq = FREQ;
  sig.phase = 0;
  push_range (t, &sig, 72000, 4 * 48000, 1024, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "loudness/true-peak", 0, S (1.0), S (1.5), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_WARNING, FALSE, &s, &e);
  fail_unless_equals_string (gst_av_monitor_defect_get_unit (e), "dBTP");
  fail_unless_equals_float (gst_av_monitor_defect_get_threshold (e), -1.0);
  fail_unless (fabs (gst_av_monitor_defect_get_value (e)) < 0.5,
      "value %f", gst_av_monitor_defect_get_value (e));
  ctx_free (t);
}

GST_END_TEST;

/* atsc-a85 sets -24 LKFS and -2 dBTP, and the detector uses them: a true
 * peak of -1.5 dBTP is fine under EBU R128 and a defect under A/85. */
static guint
true_peaks_at_minus_1_5 (gint profile, gdouble * threshold)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  guint n;
  Sig sig;

  if (profile >= 0) {
    gdouble target, ceiling;

    gst_util_set_object_arg (G_OBJECT (t->e), "loudness-profile",
        profile == 1 ? "atsc-a85" : "ebu-r128");
    g_object_get (t->e, "loudness-target", &target, "true-peak-ceiling",
        &ceiling, NULL);
    fail_unless_equals_float (target, profile == 1 ? -24.0 : -23.0);
    fail_unless_equals_float (ceiling, profile == 1 ? -2.0 : -1.0);
  }
  sig_init (&sig, 2, 48000);
  sig.amp = pow (10.0, -1.5 / 20.0);
  push_range (t, &sig, 0, 48000, 1024, 0);
  push_eos (t);
  n = count_kind (t->msgs, "loudness/true-peak") / 2;
  if (n && threshold) {
    fail_unless (find_span (t->msgs, "loudness/true-peak", 0, &s, &e));
    *threshold = gst_av_monitor_defect_get_threshold (s);
  }
  ctx_free (t);
  return n;
}

GST_START_TEST (test_loudness_profile)
{
  gdouble thr = 0.0;

  fail_unless_equals_int (true_peaks_at_minus_1_5 (-1, NULL), 0);
  fail_unless_equals_int (true_peaks_at_minus_1_5 (0, NULL), 0);
  fail_unless_equals_int (true_peaks_at_minus_1_5 (1, &thr), 1);
  fail_unless_equals_float (thr, -2.0);
}

GST_END_TEST;

/* Short-term loudness against the A/85 target: -24 +/- 5 with the same
 * -17.5 LUFS programme is fine under R128's -23 +/- 5 too, so set a 3 LU
 * tolerance: above -21 (A/85) but inside -20 (R128). */
GST_START_TEST (test_loudness_profile_target)
{
  guint p;

  for (p = 0; p < 2; p++) {
    Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
        48000);
    Sig sig;

    gst_util_set_object_arg (G_OBJECT (t->e), "loudness-profile",
        p ? "atsc-a85" : "ebu-r128");
    g_object_set (t->e, "loudness-tolerance", 3.0, "loudness-duration",
        (guint64) GST_SECOND, NULL);
    sig_init (&sig, 2, 48000);
    sig.amp = pow (10.0, -20.5 / 20.0);       /* -20.5 LUFS */
    push_range (t, &sig, 0, frames_of (48000, S (5.0)), 4800, 0);
    push_eos (t);
    fail_unless_equals_int (count_kind (t->msgs, "loudness/short-term"),
        p ? 2 : 0);
    ctx_free (t);
  }
}

GST_END_TEST;

/* formats, layouts, channels, rates */

typedef struct
{
  guint channels, rate;
} Shape;

/* Every format and layout at 1..64 channels, 8 to 192 kHz: a silence, then
 * clipping on the *last* channel only, so the planar and interleaved
 * readers are checked on the channel furthest from the start. */
GST_START_TEST (test_formats)
{
  const GstAudioFormat fmts[] = { GST_AUDIO_FORMAT_S16LE,
    GST_AUDIO_FORMAT_S32LE, GST_AUDIO_FORMAT_F32LE, GST_AUDIO_FORMAT_F64LE
  };
  const Shape shapes[] = { {1, 8000}, {2, 192000}, {3, 44100}, {8, 8000},
  {64, 8000}, {64, 192000}
  };
  guint f, l, k;

  for (f = 0; f < G_N_ELEMENTS (fmts); f++)
    for (l = 0; l < 2; l++)
      for (k = 0; k < G_N_ELEMENTS (shapes); k++) {
        guint ch = shapes[k].channels, rate = shapes[k].rate;
        guint64 last = G_GUINT64_CONSTANT (1) << (ch - 1);
        const gchar *kinds[] = { "silence", "clipping", NULL };
        const guint n[] = { 1, 1 };
        GstAvMonitorDefect *s, *e;
        Ctx *t;
        Sig sig;

        GST_INFO ("%s %s %u ch %u Hz", gst_audio_format_to_string (fmts[f]),
            l ? "planar" : "interleaved", ch, rate);
        t = ctx_new (fmts[f], l ? GST_AUDIO_LAYOUT_NON_INTERLEAVED :
            GST_AUDIO_LAYOUT_INTERLEAVED, ch, rate);
        g_object_set (t->e, "silence-duration", (guint64) (200 * MS),
            "clipping-duration", (guint64) (50 * MS), "true-peak-enabled",
            FALSE, NULL);
        sig_init (&sig, ch, rate);
        sig.sil_start = frames_of (rate, S (0.3));
        sig.sil_end = frames_of (rate, S (0.7));
        sig.clip_start = frames_of (rate, S (0.8));
        sig.clip_end = frames_of (rate, S (0.85));
        sig.clip_gain = 20.0;
        sig.clip_limit = 1.0;
        sig.clip_mask = last;
        push_range (t, &sig, 0, frames_of (rate, S (1.0)), rate / 10 + 3, 0);
        push_eos (t);
        check_only (t, kinds, n);
        check_events_match_messages (t);
        check_span (t, "silence", 0, S (0.3), S (0.7), EDGE_TOL,
            GST_AV_MONITOR_SEVERITY_ERROR, FALSE, &s, &e);
        fail_unless_equals_uint64 (detail_u64 (e,
                GST_AV_MONITOR_DETAIL_CHANNEL_MASK), ch == 64 ?
            G_MAXUINT64 : last * 2 - 1);
        check_span (t, "clipping", 0, S (0.8), S (0.85), EDGE_TOL,
            GST_AV_MONITOR_SEVERITY_WARNING, FALSE, &s, &e);
        fail_unless_equals_uint64 (detail_u64 (e,
                GST_AV_MONITOR_DETAIL_CHANNEL_MASK), last);
        ctx_free (t);
      }
}

GST_END_TEST;

/* Clean programme in every format: nothing at all. */
GST_START_TEST (test_clean)
{
  const GstAudioFormat fmts[] = { GST_AUDIO_FORMAT_S16LE,
    GST_AUDIO_FORMAT_S32LE, GST_AUDIO_FORMAT_F32LE, GST_AUDIO_FORMAT_F64LE
  };
  guint f, l;

  for (f = 0; f < G_N_ELEMENTS (fmts); f++)
    for (l = 0; l < 2; l++) {
      Ctx *t = ctx_new (fmts[f], l ? GST_AUDIO_LAYOUT_NON_INTERLEAVED :
          GST_AUDIO_LAYOUT_INTERLEAVED, 2, 48000);
      Sig sig;

      sig_init (&sig, 2, 48000);
      sig.amp = 0.12;
      push_range (t, &sig, 0, frames_of (48000, S (4.0)), 1000, 0);
      push_eos (t);
      dump (t);
      fail_unless_equals_int (t->msgs->len, 0);
      fail_unless_equals_int (t->evs->len, 0);
      fail_unless_equals_int (t->warnings->len, 0);
      fail_unless_equals_int (t->eos_at, 0);
      ctx_free (t);
    }
}

GST_END_TEST;

/* Buffers of one sample: the same spans as big buffers, dropout to the
 * sample. */
GST_START_TEST (test_one_sample_buffers)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_S16LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      8000);
  const gchar *kinds[] = { "silence", "dropout", NULL };
  const guint n[] = { 1, 1 };
  Sig sig;

  g_object_set (t->e, "silence-duration", (guint64) (300 * MS), NULL);
  sig_init (&sig, 2, 8000);
  sig.sil_start = 4000;
  sig.sil_end = 10400;
  /* 1 kHz at 8 kHz: peaks at 2 mod 8 */
  sig.drop_start = 11202;
  sig.drop_end = 11282;         /* 10 ms */
  push_range (t, &sig, 0, 12800, 1, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "silence", 0, S (0.5), S (1.3), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, NULL, NULL);
  check_span (t, "dropout", 0, time_of (8000, sig.drop_start),
      time_of (8000, sig.drop_end), 0, GST_AV_MONITOR_SEVERITY_WARNING,
      FALSE, NULL, NULL);
  ctx_free (t);
}

GST_END_TEST;

/* Caps change in the middle of a silence: the span ends (truncated) at the
 * change, before the new caps go downstream, and the detectors start again
 * on the new format. */
GST_START_TEST (test_caps_change)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  const gchar *kinds[] = { "silence", NULL };
  const guint n[] = { 2 };
  Sig sig;
  guint64 i;

  sig_init (&sig, 2, 48000);
  sig.sil_start = frames_of (48000, S (0.5));
  sig.sil_end = frames_of (48000, S (10.0));
  push_range (t, &sig, 0, frames_of (48000, S (3.0)), 1024, 0);
  collect (t);
  fail_unless_equals_int (t->msgs->len, 1);
  /* drop the events so far: caps_at then marks the new caps */
  t->caps_at = -1;

  ctx_set_caps (t, GST_AUDIO_FORMAT_S16LE, GST_AUDIO_LAYOUT_NON_INTERLEAVED,
      1, 44100);
  /* harness caps go out with the next buffer's events: look at them now */
  sig_init (&sig, 1, 44100);
  sig.sil_start = frames_of (44100, S (0.5));
  sig.sil_end = frames_of (44100, S (3.0));
  for (i = 0; i < frames_of (44100, S (3.5)); i += 441) {
    GstBuffer *b = make_buffer (t, &sig, i, 441);

    GST_BUFFER_PTS (b) += S (3.0);
    push (t, b);
  }
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "silence", 0, S (0.5), S (3.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, TRUE, &s, &e);
  /* the end went out before the new caps */
  fail_unless (t->caps_at >= 2, "caps at %d", t->caps_at);
  check_span (t, "silence", 1, S (3.5), S (6.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, NULL, NULL);
  fail_unless_equals_uint64 (detail_u64 (e,
          GST_AV_MONITOR_DETAIL_CHANNEL_MASK), 0x3);
  fail_unless (find_span (t->msgs, "silence", 1, &s, &e));
  fail_unless_equals_uint64 (detail_u64 (e,
          GST_AV_MONITOR_DETAIL_CHANNEL_MASK), 0x1);
  ctx_free (t);
}

GST_END_TEST;

/* GAP */

/* A GAP buffer is silence by contract and is not read: its content here is
 * garbage that would be clipping (and a huge true peak) if it were. */
GST_START_TEST (test_gap_buffer)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  const gchar *kinds[] = { "silence", NULL };
  const guint n[] = { 1 };
  GstBuffer *gap;
  GstMapInfo map;
  guint64 i;
  Sig sig;

  sig_init (&sig, 2, 48000);
  push_range (t, &sig, 0, 24000, 1200, 0);
  for (i = 24000; i < 24000 + 2 * 60000; i += 60000) {
    gap = make_buffer (t, &sig, i, 60000);
    fail_unless (gst_buffer_map (gap, &map, GST_MAP_WRITE));
    memset (map.data, 0x7f, map.size);  /* 3.4e38 in every sample */
    gst_buffer_unmap (gap, &map);
    GST_BUFFER_FLAG_SET (gap, GST_BUFFER_FLAG_GAP);
    push (t, gap);
  }
  push_range (t, &sig, 144000, 192000, 1200, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "silence", 0, S (0.5), S (3.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, NULL, NULL);
  ctx_free (t);
}

GST_END_TEST;

GST_START_TEST (test_gap_event)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_S16LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  const gchar *kinds[] = { "silence", "discontinuity", NULL };
  const guint n[] = { 1, 0 };
  Sig sig;

  sig_init (&sig, 2, 48000);
  push_range (t, &sig, 0, 24000, 1200, 0);
  fail_unless (gst_harness_push_event (t->h, gst_event_new_gap (S (0.5),
              S (2.5))));
  push_range (t, &sig, 144000, 192000, 1200, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "silence", 0, S (0.5), S (3.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, NULL, NULL);
  ctx_free (t);
}

GST_END_TEST;

/* A GAP event whose timestamp is not where the stream was expected (here
 * 0.5 s of nothing, then a GAP event from 1.0 s) is checked for continuity
 * like a buffer: the hole is a discontinuity and the silence is dated from
 * the GAP, not from the samples before it. */
GST_START_TEST (test_gap_event_jump)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_S16LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  const gchar *kinds[] = { "silence", "discontinuity", NULL };
  const guint n[] = { 1, 1 };
  Sig sig;

  sig_init (&sig, 2, 48000);
  push_range (t, &sig, 0, 24000, 1200, 0);
  fail_unless (gst_harness_push_event (t->h, gst_event_new_gap (S (1.0),
              S (2.5))));
  push_range (t, &sig, 168000, 216000, 1200, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_span (t, "discontinuity", 0, S (0.5), S (1.0), 0,
      GST_AV_MONITOR_SEVERITY_WARNING, FALSE, NULL, NULL);
  check_span (t, "silence", 0, S (1.0), S (3.5), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, NULL, NULL);
  ctx_free (t);
}

GST_END_TEST;

/* A GAP event of absurd length (sparse or live streams send hours) costs
 * bounded work: without the cap this test hangs until its timeout. */
GST_START_TEST (test_gap_event_huge)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_S16LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  Sig sig;

  sig_init (&sig, 2, 48000);
  push_range (t, &sig, 0, 24000, 1200, 0);
  fail_unless (gst_harness_push_event (t->h, gst_event_new_gap (S (0.5),
              G_MAXINT64)));
  push_eos (t);
  ctx_free (t);
}

GST_END_TEST;

/* Running and stream time come from the segment, not the timestamp. */
GST_START_TEST (test_segment_times)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  GstSegment seg;
  Sig sig;

  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.start = S (10.0);
  seg.time = S (100.0);
  seg.base = S (1.0);
  fail_unless (gst_harness_push_event (t->h, gst_event_new_segment (&seg)));
  sig_init (&sig, 2, 48000);
  sig.drop_start = 48000 + 12;
  sig.drop_end = 48000 + 12 + 480;
  push_range (t, &sig, 0, 2 * 48000, 960, S (10.0));
  push_eos (t);
  fail_unless (find_span (t->msgs, "dropout", 0, &s, &e));
  fail_unless (e != NULL);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (s),
      S (10.0) + time_of (48000, sig.drop_start));
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_running_time (s),
      S (1.0) + time_of (48000, sig.drop_start));
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_stream_time (s),
      S (100.0) + time_of (48000, sig.drop_start));
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_start_running_time
      (e), S (1.0) + time_of (48000, sig.drop_start));
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_running_time (e),
      S (1.0) + time_of (48000, sig.drop_end));
  ctx_free (t);
}

GST_END_TEST;

/* timestamps */

/* Only the first buffer has a timestamp: times follow the sample count. */
GST_START_TEST (test_missing_timestamps)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  const gchar *kinds[] = { "silence", NULL };
  const guint n[] = { 1 };
  guint64 i;
  Sig sig;

  sig_init (&sig, 2, 48000);
  sig.sil_start = 48000;
  sig.sil_end = 4 * 48000;
  for (i = 0; i < 5 * 48000; i += 1000) {
    GstBuffer *b = make_buffer (t, &sig, i, 1000);

    /* the first keeps a timestamp of 7 s */
    if (i > 0)
      GST_BUFFER_PTS (b) = GST_BUFFER_DURATION (b) = GST_CLOCK_TIME_NONE;
    else
      GST_BUFFER_PTS (b) = S (7.0);
    push (t, b);
  }
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "silence", 0, S (8.0), S (11.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, NULL, NULL);
  ctx_free (t);
}

GST_END_TEST;

/* No timestamp at all: still found, with unknown times. */
GST_START_TEST (test_no_timestamps)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  const gchar *kinds[] = { "silence", NULL };
  const guint n[] = { 1 };
  GstAvMonitorDefect *s, *e;
  guint64 i;
  Sig sig;

  sig_init (&sig, 2, 48000);
  sig.sil_start = 48000;
  sig.sil_end = 4 * 48000;
  for (i = 0; i < 5 * 48000; i += 1000) {
    GstBuffer *b = make_buffer (t, &sig, i, 1000);

    GST_BUFFER_PTS (b) = GST_BUFFER_DURATION (b) = GST_CLOCK_TIME_NONE;
    push (t, b);
  }
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  fail_unless (find_span (t->msgs, "silence", 0, &s, &e));
  fail_unless (e != NULL);
  fail_if (GST_CLOCK_TIME_IS_VALID (gst_av_monitor_defect_get_timestamp (s)));
  fail_if (GST_CLOCK_TIME_IS_VALID (gst_av_monitor_defect_get_timestamp (e)));
  fail_if (GST_CLOCK_TIME_IS_VALID (gst_av_monitor_defect_get_running_time
          (e)));
  ctx_free (t);
}

GST_END_TEST;

/* Gaps and overlaps beyond 40 ms are discontinuities (a gap covers the
 * missing interval, an overlap is a point); within 40 ms nothing; a
 * DISCONT flag is one too. */
GST_START_TEST (test_discontinuity)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  const gchar *kinds[] = { "discontinuity", NULL };
  const guint n[] = { 3 };
  GstAvMonitorDefect *s, *e;
  GstBuffer *b;
  Sig sig;

  sig_init (&sig, 2, 48000);
  /* 0 - 1 s, then 1.0 s of samples stamped from 1.1 s: 100 ms gap */
  push_range (t, &sig, 0, 48000, 480, 0);
  push_range (t, &sig, 48000, 96000, 480, 100 * MS);
  /* back by 100 ms: overlap at 2.0 s */
  push_range (t, &sig, 96000, 144000, 480, 0);
  /* +30 ms, then back: within tolerance */
  push_range (t, &sig, 144000, 192000, 480, 30 * MS);
  push_range (t, &sig, 192000, 240000, 480, 0);
  /* a DISCONT flag at 5.0 s on a continuous buffer */
  b = make_buffer (t, &sig, 240000, 480);
  GST_BUFFER_FLAG_SET (b, GST_BUFFER_FLAG_DISCONT);
  push (t, b);
  push_range (t, &sig, 240480, 288000, 480, 0);
  push_eos (t);

  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "discontinuity", 0, S (1.0), S (1.1), 0,
      GST_AV_MONITOR_SEVERITY_WARNING, FALSE, &s, &e);
  fail_unless_equals_string (gst_av_monitor_defect_get_unit (s), "ms");
  fail_unless_equals_float (gst_av_monitor_defect_get_value (s), 100.0);
  fail_unless_equals_float (gst_av_monitor_defect_get_threshold (s), 40.0);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_duration (e),
      100 * MS);
  fail_unless_equals_string (gst_structure_get_string
      (gst_av_monitor_defect_get_details (s), "cause"), "gap");

  check_span (t, "discontinuity", 1, S (2.0), S (2.0), 0,
      GST_AV_MONITOR_SEVERITY_WARNING, FALSE, &s, &e);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_duration (e), 0);
  fail_unless_equals_string (gst_structure_get_string
      (gst_av_monitor_defect_get_details (s), "cause"), "overlap");

  check_span (t, "discontinuity", 2, S (5.0), S (5.0), 0,
      GST_AV_MONITOR_SEVERITY_WARNING, FALSE, &s, &e);
  fail_unless_equals_string (gst_structure_get_string
      (gst_av_monitor_defect_get_details (s), "cause"), "discont-flag");
  ctx_free (t);
}

GST_END_TEST;

/* The threshold is a property: 150 ms hides the 100 ms gap. */
GST_START_TEST (test_discontinuity_threshold)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  Sig sig;

  g_object_set (t->e, "discontinuity-threshold", 150.0, NULL);
  sig_init (&sig, 2, 48000);
  push_range (t, &sig, 0, 48000, 480, 0);
  push_range (t, &sig, 48000, 96000, 480, 100 * MS);
  push_range (t, &sig, 96000, 144000, 480, 300 * MS);
  push_eos (t);
  fail_unless_equals_int (count_kind (t->msgs, "discontinuity"), 2);
  ctx_free (t);
}

GST_END_TEST;

/* EOS and flush */

GST_START_TEST (test_eos_in_silence)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  const gchar *kinds[] = { "silence", NULL };
  const guint n[] = { 1 };
  Sig sig;

  sig_init (&sig, 2, 48000);
  sig.sil_start = 24000;
  sig.sil_end = 10 * 48000;
  push_range (t, &sig, 0, 3 * 48000, 1024, 0);
  push_eos (t);
  check_only (t, kinds, n);
  check_events_match_messages (t);
  check_span (t, "silence", 0, S (0.5), S (3.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, TRUE, NULL, NULL);
  /* start, end, then EOS */
  fail_unless_equals_int (t->eos_at, 2);
  ctx_free (t);
}

GST_END_TEST;

GST_START_TEST (test_flush_in_silence)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  GstSegment seg;
  Sig sig;

  sig_init (&sig, 2, 48000);
  sig.sil_start = 24000;
  sig.sil_end = 10 * 48000;
  push_range (t, &sig, 0, 3 * 48000, 1024, 0);
  fail_unless (gst_harness_push_event (t->h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (t->h, gst_event_new_flush_stop (TRUE)));
  collect (t);
  fail_unless_equals_int (t->msgs->len, 2);
  fail_unless (find_span (t->msgs, "silence", 0, &s, &e));
  fail_unless (e != NULL);
  fail_unless (gst_av_monitor_defect_get_truncated (e));
  assert_near (gst_av_monitor_defect_get_timestamp (e), S (3.0), EDGE_TOL,
      "end");
  /* the start went downstream, the end could not */
  fail_unless_equals_int (t->evs->len, 1);
  fail_unless_equals_int (gst_av_monitor_defect_get_event (g_ptr_array_index
          (t->evs, 0)), GST_AV_MONITOR_DEFECT_EVENT_START);

  /* after the flush: a new segment and a fresh start */
  gst_segment_init (&seg, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (t->h, gst_event_new_segment (&seg)));
  sig.sil_start = 0;
  sig.sil_end = 0;
  push_range (t, &sig, 0, 48000, 1024, 0);
  push_eos (t);
  fail_unless_equals_int (t->msgs->len, 2);
  fail_unless_equals_int (t->evs->len, 1);
  fail_unless_equals_int (t->eos_at, 1);
  ctx_free (t);
}

GST_END_TEST;

/* stall */

static GstAvMonitorDefect *
wait_for_message (Ctx * t, const gchar * kind, GstClockTime timeout)
{
  gint64 end = g_get_monotonic_time () + timeout / 1000;

  while (g_get_monotonic_time () < end) {
    guint i;

    collect_messages (t);
    for (i = 0; i < t->msgs->len; i++)
      if (kind_is (g_ptr_array_index (t->msgs, i), kind))
        return g_ptr_array_index (t->msgs, i);
    g_usleep (5000);
  }
  return NULL;
}

GST_START_TEST (test_stall)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_UNKNOWN, 0, 0, 0);
  GstAvMonitorDefect *d, *s, *e;
  Sig sig;
  gint64 waited_us;

  g_object_set (t->e, "stall-enabled", TRUE, "stall-timeout",
      (guint64) (100 * MS), "discontinuity-enabled", FALSE, NULL);
  ctx_set_caps (t, GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  sig_init (&sig, 2, 48000);
  push_range (t, &sig, 0, 9600, 960, 0);
  waited_us = g_get_monotonic_time ();
  /* nothing pushed: the timer posts the start, and pushes nothing */
  d = wait_for_message (t, "stall", 2 * GST_SECOND);
  fail_unless (d != NULL, "no stall message");
  fail_unless_equals_int (gst_av_monitor_defect_get_event (d),
      GST_AV_MONITOR_DEFECT_EVENT_START);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (d),
      S (0.2));
  fail_unless_equals_int (gst_av_monitor_defect_get_severity (d),
      GST_AV_MONITOR_SEVERITY_ERROR);
  collect_events (t);
  fail_unless_equals_int (count_kind (t->evs, "stall"), 0);
  /* one stall, one start: the timer does not post it again */
  g_usleep (300 * 1000);
  collect_messages (t);
  fail_unless_equals_int (count_kind (t->msgs, "stall"), 1);

  /* data resumes (a live source: at 0.5 s): start and end go downstream.
   * The stall lasted as long as no data came: at least the 0.3 s the
   * timestamps skipped, and at least the wall time waited here. */
  waited_us = g_get_monotonic_time () - waited_us;
  push_range (t, &sig, 24000, 28800, 960, 0);
  collect (t);
  fail_unless_equals_int (count_kind (t->evs, "stall"), 2);
  fail_unless (find_span (t->evs, "stall", 0, &s, &e));
  fail_unless (e != NULL);
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_timestamp (s),
      S (0.2));
  fail_unless (gst_av_monitor_defect_get_timestamp (e) >= S (0.5));
  fail_unless (gst_av_monitor_defect_get_duration (e) >= S (0.3));
  fail_unless (gst_av_monitor_defect_get_duration (e) >=
      (GstClockTime) waited_us * GST_USECOND);
  fail_unless (!gst_av_monitor_defect_get_truncated (e));
  fail_unless (find_span (t->msgs, "stall", 0, &s, &e));
  fail_unless (e != NULL, "no stall end message");
  fail_unless_equals_uint64 (gst_av_monitor_defect_get_id (e),
      gst_av_monitor_defect_get_id (d));
  push_eos (t);
  fail_unless_equals_int (count_kind (t->msgs, "stall"), 2);
  ctx_free (t);
}

GST_END_TEST;

/* A stall still open at EOS: start and truncated end before EOS. */
GST_START_TEST (test_stall_eos)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_UNKNOWN, 0, 0, 0);
  GstAvMonitorDefect *s, *e;
  Sig sig;

  g_object_set (t->e, "stall-enabled", TRUE, "stall-timeout",
      (guint64) (50 * MS), NULL);
  ctx_set_caps (t, GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  sig_init (&sig, 2, 48000);
  push_range (t, &sig, 0, 4800, 960, 0);
  fail_unless (wait_for_message (t, "stall", 2 * GST_SECOND) != NULL);
  push_eos (t);
  fail_unless (find_span (t->evs, "stall", 0, &s, &e));
  fail_unless (e != NULL);
  fail_unless (gst_av_monitor_defect_get_truncated (e));
  /* the stall lasted until EOS, not zero time */
  fail_unless (gst_av_monitor_defect_get_duration (e) > 0);
  /* the in-band start is the one the timer posted, measure included */
  fail_unless_equals_string (gst_av_monitor_defect_get_unit (s), "ms");
  fail_unless_equals_int (t->eos_at, 2);
  ctx_free (t);
}

GST_END_TEST;

/* stats */

static gdouble
array_double (const GstStructure * s, const gchar * field, guint i)
{
  const GValue *arr = gst_structure_get_value (s, field);

  fail_unless (arr != NULL && GST_VALUE_HOLDS_ARRAY (arr), "no %s", field);
  fail_unless (i < gst_value_array_get_size (arr));
  return g_value_get_double (gst_value_array_get_value (arr, i));
}

static gdouble
field_double (const GstStructure * s, const gchar * field)
{
  gdouble v;

  fail_unless (gst_structure_get_double (s, field, &v), "no %s", field);
  return v;
}

/* 5.1 from the caps' channel positions: surrounds weigh +1.5 dB, the LFE
 * nothing (BS.1770). A -20 dBFS peak 1 kHz sine on the two surrounds only:
 * 10 log10 (2 x 1.41 x 0.005) = -18.50 LUFS (-20.0 unweighted); on the LFE
 * only: nothing to measure. */
GST_START_TEST (test_channel_weights_5_1)
{
  const GstAudioChannelPosition pos51[6] = {
    GST_AUDIO_CHANNEL_POSITION_FRONT_LEFT,
    GST_AUDIO_CHANNEL_POSITION_FRONT_RIGHT,
    GST_AUDIO_CHANNEL_POSITION_FRONT_CENTER,
    GST_AUDIO_CHANNEL_POSITION_LFE1,
    GST_AUDIO_CHANNEL_POSITION_REAR_LEFT,
    GST_AUDIO_CHANNEL_POSITION_REAR_RIGHT,
  };
  /* channels silenced: all but the surrounds, then all but the LFE */
  const guint64 silenced[2] = { 0x0F, 0x37 };
  guint k;

  for (k = 0; k < 2; k++) {
    Ctx *t = ctx_new (GST_AUDIO_FORMAT_UNKNOWN, 0, 0, 0);
    const GstStructure *st;
    GstCaps *caps;
    gdouble i;
    Sig sig;

    g_object_set (t->e, "interval", (guint64) GST_SECOND,
        "loudness-enabled", FALSE, "channel-silence-enabled", FALSE, NULL);
    gst_audio_info_init (&t->info);
    gst_audio_info_set_format (&t->info, GST_AUDIO_FORMAT_F32LE, 48000, 6,
        pos51);
    caps = gst_audio_info_to_caps (&t->info);
    gst_harness_set_src_caps (t->h, caps);
    sig_init (&sig, 6, 48000);
    sig.cs_mask = silenced[k];
    sig.cs_gain = 0.0;
    sig.cs_start = 0;
    sig.cs_end = G_MAXUINT64;
    push_range (t, &sig, 0, frames_of (48000, S (3.0)), 4800, 0);
    push_eos (t);
    fail_unless (t->stats->len >= 3);
    st = g_ptr_array_index (t->stats, t->stats->len - 1);
    i = field_double (st, "integrated-loudness");
    if (k == 0)
      fail_unless (fabs (i + 18.50) < 0.1, "surrounds: I %f", i);
    else
      fail_unless (i < -70.0, "LFE: I %f", i);
    ctx_free (t);
  }
}

GST_END_TEST;

GST_START_TEST (test_stats)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  const GstStructure *st;
  GstClockTime ts, dur;
  guint i;
  Sig sig;

  g_object_set (t->e, "interval", (guint64) (100 * MS), NULL);
  sig_init (&sig, 2, 48000);
  sig.amp_step = 1.0;           /* channel 1 at half: 6 dB down */
  push_range (t, &sig, 0, frames_of (48000, S (1.05)), 480, 0);
  collect (t);
  fail_unless_equals_int (t->stats->len, 10);
  push_eos (t);
  /* and a last one for the 50 ms left at EOS */
  fail_unless_equals_int (t->stats->len, 11);
  for (i = 0; i < t->stats->len; i++) {
    st = g_ptr_array_index (t->stats, i);
    fail_unless (gst_structure_get_clock_time (st, "timestamp", &ts));
    fail_unless (gst_structure_get_clock_time (st, "duration", &dur));
    fail_unless_equals_uint64 (ts, i * 100 * MS);
    fail_unless_equals_uint64 (dur, i < 10 ? 100 * MS : 50 * MS);
    fail_unless (gst_structure_get_clock_time (st, "running-time", &ts));
    fail_unless (gst_structure_get_clock_time (st, "stream-time", &ts));
    fail_unless_equals_int (gst_value_array_get_size
        (gst_structure_get_value (st, "rms")), 2);
    fail_unless_equals_int (gst_value_array_get_size
        (gst_structure_get_value (st, "peak")), 2);
    /* 1 kHz: whole periods in every interval, peaks on samples */
    fail_unless (fabs (array_double (st, "rms", 0) + 23.01) < 0.05);
    fail_unless (fabs (array_double (st, "rms", 1) + 29.03) < 0.05);
    fail_unless (fabs (array_double (st, "peak", 0) + 20.0) < 0.01);
    fail_unless (fabs (array_double (st, "peak", 1) + 26.02) < 0.01);
    fail_unless (fabs (field_double (st, "true-peak") + 20.0) < 0.1,
        "true peak %f", field_double (st, "true-peak"));
    field_double (st, "short-term-loudness");
    field_double (st, "loudness-range");
    if (i >= 4) {
      /* mean squares 0.005 + 0.00125: -22.04 LUFS */
      fail_unless (fabs (field_double (st, "momentary-loudness") + 22.04) <
          0.1, "M %f", field_double (st, "momentary-loudness"));
      fail_unless (fabs (field_double (st, "integrated-loudness") + 22.04) <
          0.1, "I %f", field_double (st, "integrated-loudness"));
    }
  }
  ctx_free (t);
}

GST_END_TEST;

/* properties */

/* Thresholds, enables and durations changed in PLAYING apply from then
 * on. */
GST_START_TEST (test_properties_live)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  GstAvMonitorDefect *s, *e;
  Sig sig;

  fail_unless_equals_int (GST_STATE (t->e), GST_STATE_PLAYING);
  g_object_set (t->e, "silence-duration", (guint64) (500 * MS),
      "loudness-enabled", FALSE, "clipping-enabled", FALSE, NULL);
  sig_init (&sig, 2, 48000);
  sig.amp = 0.01;               /* -43 dBFS RMS: not silence at -60 */
  sig.clip_start = 24000;
  sig.clip_end = 48000;
  sig.clip_gain = 200.0;
  sig.clip_limit = 1.0;
  push_range (t, &sig, 0, 48000, 480, 0);
  collect (t);
  fail_unless_equals_int (count_kind (t->msgs, "clipping"), 0);
  fail_unless_equals_int (count_kind (t->msgs, "silence"), 0);
  /* -43 dBFS is silence under a -30 dBFS threshold */
  g_object_set (t->e, "silence-threshold", -30.0, "clipping-enabled", TRUE,
      NULL);
  sig.clip_start = 3 * 48000;
  sig.clip_end = 3 * 48000 + 4800;
  /* past the 1 s merge gap, so the clipping span ends by itself */
  push_range (t, &sig, 48000, 4 * 48000 + 24000, 480, 0);
  push_eos (t);
  check_span (t, "silence", 0, S (1.0), S (3.0), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_ERROR, FALSE, &s, &e);
  fail_unless_equals_float (gst_av_monitor_defect_get_threshold (s), -30.0);
  /* the clipped burst is loud, not silent: the silence ends there */
  check_span (t, "clipping", 0, S (3.0), S (3.1), EDGE_TOL,
      GST_AV_MONITOR_SEVERITY_WARNING, FALSE, NULL, NULL);
  fail_unless_equals_int (count_kind (t->msgs, "clipping"), 2);
  ctx_free (t);
}

GST_END_TEST;

GST_START_TEST (test_disabled_kinds)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_F32LE, GST_AUDIO_LAYOUT_INTERLEAVED, 2,
      48000);
  Sig sig;

  g_object_set (t->e, "silence-enabled", FALSE, "dropout-enabled", FALSE,
      "clipping-enabled", FALSE, "true-peak-enabled", FALSE,
      "channel-silence-enabled", FALSE, NULL);
  sig_init (&sig, 2, 48000);
  sig.sil_start = 24000;
  sig.sil_end = 4 * 48000;
  sig.clip_start = 4 * 48000;
  sig.clip_end = 5 * 48000;
  sig.clip_gain = 20;
  sig.clip_limit = 1.0;
  sig.drop_start = 5 * 48000 + 12;
  sig.drop_end = 5 * 48000 + 12 + 960;
  sig.cs_start = 6 * 48000;
  sig.cs_end = 9 * 48000;
  sig.cs_mask = 1;
  push_range (t, &sig, 0, 9 * 48000, 4800, 0);
  push_eos (t);
  dump (t);
  fail_unless_equals_int (t->msgs->len, 0);
  ctx_free (t);
}

GST_END_TEST;

/* negotiation */

static gboolean
accepts (Ctx * t, const gchar * caps_str)
{
  GstPad *pad = gst_element_get_static_pad (t->e, "sink");
  GstCaps *caps = gst_caps_from_string (caps_str);
  gboolean ok = gst_pad_query_accept_caps (pad, caps);

  gst_caps_unref (caps);
  gst_object_unref (pad);
  return ok;
}

#define ACAPS(fmt, ch, rate, mask) "audio/x-raw, format=" fmt \
  ", layout=interleaved, rate=" #rate ", channels=" #ch \
  ", channel-mask=(bitmask)" mask

GST_START_TEST (test_unsupported_caps)
{
  Ctx *t = ctx_new (GST_AUDIO_FORMAT_UNKNOWN, 0, 0, 0);
  GstBuffer *b;
  guint i;
  gboolean named = FALSE;

  fail_unless (accepts (t, ACAPS ("S16LE", 2, 48000, "0x3")));
  fail_unless (accepts (t, ACAPS ("F64LE", 64, 192000, "0x0")));
  fail_unless (accepts (t, ACAPS ("S32LE", 1, 8000, "0x0")));
  fail_if (accepts (t, ACAPS ("S24LE", 2, 48000, "0x3")));
  fail_if (accepts (t, ACAPS ("U8", 2, 48000, "0x3")));
  fail_if (accepts (t, ACAPS ("S16BE", 2, 48000, "0x3")));
  fail_if (accepts (t, ACAPS ("S16LE", 2, 4000, "0x3")));
  fail_if (accepts (t, ACAPS ("F32LE", 2, 384000, "0x3")));
  collect_messages (t);
  for (i = 0; i < t->warnings->len; i++)
    named |= strstr (g_ptr_array_index (t->warnings, i),
        "audioconvert") != NULL;
  fail_unless (named, "no message naming audioconvert");

  /* data with refused caps is not negotiated */
  gst_harness_set_src_caps_str (t->h, ACAPS ("U8", 2, 48000, "0x3"));
  b = gst_buffer_new_allocate (NULL, 200, NULL);
  GST_BUFFER_PTS (b) = 0;
  fail_unless_equals_int (gst_harness_push (t->h, b),
      GST_FLOW_NOT_NEGOTIATED);
  ctx_free (t);
}

GST_END_TEST;

/* The same in a pipeline: audiotestsrc cannot negotiate S24LE with it. */
GST_START_TEST (test_unsupported_caps_pipeline)
{
  GstElement *p = gst_parse_launch ("audiotestsrc num-buffers=3 ! "
      "audio/x-raw,format=S24LE ! avqualitydetect ! fakesink", NULL);
  GstBus *bus;
  GstMessage *m;

  fail_unless (p != NULL);
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (m != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_ERROR);
  gst_message_unref (m);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
}

GST_END_TEST;

/* With avdefectinject: what it says it injected is what is found. */
GST_START_TEST (test_inject_pipeline)
{
  GstElement *p;
  GstBus *bus;
  GstMessage *m;
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_av_monitor_defect_free);
  GPtrArray *truth = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_av_monitor_defect_free);
  gboolean eos = FALSE;
  guint i, j;

  p = gst_parse_launch ("audiotestsrc num-buffers=700 wave=pink-noise "
      "volume=0.3 ! audio/x-raw,format=F32LE,rate=48000,channels=2 ! "
      "avdefectinject name=inj schedule=\"silence@3s+3s;"
      "clipping@8s+0.5s,gain=20;dropout@10s+1s,length=20ms\" ! "
      "avqualitydetect name=aqd stall-enabled=false ! fakesink sync=false",
      NULL);
  fail_unless (p != NULL);
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  while (!eos && (m = gst_bus_timed_pop (bus, 20 * GST_SECOND))) {
    const GstStructure *s = gst_message_get_structure (m);

    fail_if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR);
    eos = GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS;
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT && s) {
      if (gst_structure_has_name (s, GST_AV_MONITOR_DEFECT_NAME))
        g_ptr_array_add (found, gst_av_monitor_defect_new_from_message (m));
      else if (gst_structure_has_name (s, GST_AV_MONITOR_INJECTED_NAME)) {
        GstStructure *c = gst_structure_copy (s);
        GstAvMonitorDefect *d;

        gst_structure_set_name (c, GST_AV_MONITOR_DEFECT_NAME);
        d = gst_av_monitor_defect_new_from_structure (c);
        gst_structure_free (c);
        fail_unless (d != NULL);
        if (gst_av_monitor_defect_get_event (d) ==
            GST_AV_MONITOR_DEFECT_EVENT_END)
          g_ptr_array_add (truth, d);
        else
          gst_av_monitor_defect_free (d);
      }
    }
    gst_message_unref (m);
  }
  fail_unless (eos);
  gst_element_set_state (p, GST_STATE_NULL);

  /* 3 truths, each found once with both edges within 10 ms */
  fail_unless (truth->len >= 3, "%u injected spans", truth->len);
  for (i = 0; i < truth->len; i++) {
    GstAvMonitorDefect *tr = g_ptr_array_index (truth, i);
    const gchar *kind = kind_of (tr);
    GstClockTime ts = gst_av_monitor_defect_get_start_timestamp (tr);
    GstClockTime te = gst_av_monitor_defect_get_timestamp (tr);
    gboolean hit = FALSE;

    for (j = 0; j < found->len; j++) {
      GstAvMonitorDefect *f = g_ptr_array_index (found, j);

      if (g_str_equal (kind_of (f), kind) &&
          gst_av_monitor_defect_get_event (f) ==
          GST_AV_MONITOR_DEFECT_EVENT_END) {
        assert_near (gst_av_monitor_defect_get_start_timestamp (f), ts,
            /* clipping ends at the last full-scale sample, which on
             * noise can fall tens of ms before the gain window's end */
            g_str_equal (kind, "clipping") ? 60 * MS : EDGE_TOL, kind);
        assert_near (gst_av_monitor_defect_get_timestamp (f), te,
            /* clipping ends at the last full-scale sample, which on
             * noise can fall up to about 100 ms before the gain window's
             * end (audiotestsrc's noise is not seeded: measured 90 ms) */
            g_str_equal (kind, "clipping") ? 150 * MS : EDGE_TOL, kind);
        fail_if (hit, "%s found twice", kind);
        hit = TRUE;
      }
    }
    fail_unless (hit, "%s at %" GST_TIME_FORMAT " not found", kind,
        GST_TIME_ARGS (ts));
  }
  /* nothing but what was injected (and its true peak) */
  for (j = 0; j < found->len; j++) {
    GstAvMonitorDefect *f = g_ptr_array_index (found, j);
    const gchar *sub = subkind_of (f);

    fail_unless (g_str_equal (kind_of (f), "silence") ||
        g_str_equal (kind_of (f), "clipping") ||
        g_str_equal (kind_of (f), "dropout") ||
        (sub && g_str_equal (sub, "true-peak")), "unexpected %s",
        kind_of (f));
  }
  g_ptr_array_unref (found);
  g_ptr_array_unref (truth);
  gst_object_unref (bus);
  gst_object_unref (p);
}

GST_END_TEST;

static Suite *
avqualitydetect_audio_suite (void)
{
  Suite *s = suite_create ("avqualitydetect_audio");
  TCase *tc = tcase_create ("kinds");
  TCase *tf = tcase_create ("formats");
  TCase *tt = tcase_create ("timing");
  TCase *tp = tcase_create ("properties");
  TCase *tb = tcase_create ("element_regressions");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_silence);
  tcase_add_test (tc, test_silence_hiss_level);
  tcase_add_test (tc, test_channel_silence);
  tcase_add_test (tc, test_silence_not_channel_silence);
  tcase_add_test (tc, test_clipping_s16);
  tcase_add_test (tc, test_clipping_float_overs);
  tcase_add_test (tc, test_dropout);
  tcase_add_test (tc, test_dropout_short);
  tcase_add_test (tc, test_loudness_short_term);
  tcase_add_test (tc, test_loudness_groups);
  tcase_add_test (tc, test_channel_weights_5_1);
  tcase_add_test (tc, test_true_peak);
  tcase_add_test (tc, test_inject_pipeline);

  suite_add_tcase (s, tf);
  tcase_add_test (tf, test_formats);
  tcase_add_test (tf, test_clean);
  tcase_add_test (tf, test_one_sample_buffers);
  tcase_add_test (tf, test_caps_change);
  tcase_add_test (tf, test_unsupported_caps);
  tcase_add_test (tf, test_unsupported_caps_pipeline);

  suite_add_tcase (s, tt);
  tcase_add_test (tt, test_gap_buffer);
  tcase_add_test (tt, test_gap_event);
  tcase_add_test (tt, test_segment_times);
  tcase_add_test (tt, test_missing_timestamps);
  tcase_add_test (tt, test_no_timestamps);
  tcase_add_test (tt, test_discontinuity);
  tcase_add_test (tt, test_discontinuity_threshold);
  tcase_add_test (tt, test_eos_in_silence);
  tcase_add_test (tt, test_flush_in_silence);
  tcase_add_test (tt, test_stall);
  tcase_add_test (tt, test_stall_eos);
  tcase_add_test (tt, test_stats);

  suite_add_tcase (s, tp);
  tcase_add_test (tp, test_properties_live);
  tcase_add_test (tp, test_disabled_kinds);
  tcase_add_test (tp, test_loudness_profile);
  tcase_add_test (tp, test_loudness_profile_target);

  suite_add_tcase (s, tb);
  tcase_add_test (tb, test_channel_silence_own_properties);
  tcase_add_test (tb, test_gap_event_jump);
  tcase_add_test (tt, test_gap_event_huge);
  return s;
}

GST_CHECK_MAIN (avqualitydetect_audio);
