/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* avqualitydetect on video: maps each frame read-only, hands the luma (and
 * chroma, for uniform pictures) to gst/analysis/video and turns the
 * detectors' span edges into defects. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "avqd-private.h"

#include <math.h>
#include <string.h>

#define GST_CAT_DEFAULT av_quality_detect_debug

static gboolean
luma_layout (GstVideoFormat format, AvmLumaLayout * layout)
{
  switch (format) {
    case GST_VIDEO_FORMAT_I420:
    case GST_VIDEO_FORMAT_YV12:
    case GST_VIDEO_FORMAT_NV12:
    case GST_VIDEO_FORMAT_NV21:
    case GST_VIDEO_FORMAT_NV16:
    case GST_VIDEO_FORMAT_Y42B:
    case GST_VIDEO_FORMAT_Y444:
    case GST_VIDEO_FORMAT_GRAY8:
      *layout = AVM_LUMA_Y8;
      return TRUE;
    case GST_VIDEO_FORMAT_YUY2:
      *layout = AVM_LUMA_YUY2;
      return TRUE;
    case GST_VIDEO_FORMAT_UYVY:
      *layout = AVM_LUMA_UYVY;
      return TRUE;
    case GST_VIDEO_FORMAT_I420_10LE:
    case GST_VIDEO_FORMAT_I422_10LE:
      *layout = AVM_LUMA_Y10LE;
      return TRUE;
    case GST_VIDEO_FORMAT_P010_10LE:
      *layout = AVM_LUMA_P010LE;
      return TRUE;
    case GST_VIDEO_FORMAT_v210:
      *layout = AVM_LUMA_V210;
      return TRUE;
    default:
      return FALSE;
  }
}

/* Chroma as the uniform-picture test reads it; FALSE for formats whose
 * chroma is packed with luma (YUY2, UYVY, v210) or absent (GRAY8): the test
 * then judges luma alone. */
static gboolean
chroma_planes (GstVideoFrame * frame, AvmChromaPlanes * c)
{
  GstVideoInfo *info = &frame->info;

  c->width = GST_VIDEO_INFO_COMP_WIDTH (info, 1);
  c->height = GST_VIDEO_INFO_COMP_HEIGHT (info, 1);
  /* component 1 is U and 2 is V whatever the plane order (YV12, NV21) */
  c->data[0] = GST_VIDEO_FRAME_COMP_DATA (frame, 1);
  c->data[1] = GST_VIDEO_FRAME_COMP_DATA (frame, 2);
  c->stride[0] = GST_VIDEO_FRAME_COMP_STRIDE (frame, 1);
  c->stride[1] = GST_VIDEO_FRAME_COMP_STRIDE (frame, 2);
  switch (GST_VIDEO_INFO_FORMAT (info)) {
    case GST_VIDEO_FORMAT_I420:
    case GST_VIDEO_FORMAT_YV12:
    case GST_VIDEO_FORMAT_Y42B:
    case GST_VIDEO_FORMAT_Y444:
      c->sample = AVM_CHROMA_8BIT;
      c->pixel_stride = 1;
      return TRUE;
    case GST_VIDEO_FORMAT_NV12:
    case GST_VIDEO_FORMAT_NV16:
    case GST_VIDEO_FORMAT_NV21:
      c->sample = AVM_CHROMA_8BIT;
      c->pixel_stride = 2;
      return TRUE;
    case GST_VIDEO_FORMAT_I420_10LE:
    case GST_VIDEO_FORMAT_I422_10LE:
      c->sample = AVM_CHROMA_16LE_LOW10;
      c->pixel_stride = 2;
      return TRUE;
    case GST_VIDEO_FORMAT_P010_10LE:
      c->sample = AVM_CHROMA_16LE_HIGH10;
      c->pixel_stride = 4;
      return TRUE;
    default:
      return FALSE;
  }
}

static void
make_config (GstAvQualityDetect * self, const AvqdSettings * s,
    AvmVideoConfig * cfg)
{
  avm_video_config_default (cfg);
  cfg->freeze_enabled = s[AVQD_FREEZE].enabled;
  cfg->black_enabled = s[AVQD_BLACK].enabled;
  cfg->uniform_enabled = s[AVQD_UNIFORM].enabled;
  cfg->blocks_enabled = s[AVQD_BLOCK_CORRUPTION].enabled;
  cfg->timing_enabled = s[AVQD_FRAME_GAP].enabled ||
      s[AVQD_DISCONTINUITY].enabled;
  GST_OBJECT_LOCK (self);
  cfg->black_pixel_threshold = self->black_pixel_threshold;
  cfg->blocks.hold = self->block_corruption_hold;
  cfg->blocks.texture_ratio = self->block_corruption_texture;
  cfg->blocks.texture_max_pixels =
      (int) self->block_corruption_texture_max_pixels;
  cfg->blocks.scan = self->block_corruption_scan;
  cfg->blocks.scan_max_pixels = (int) self->block_corruption_scan_max_pixels;
  cfg->blocks.repeat = self->block_corruption_repeat;
  cfg->blocks.stand = self->block_corruption_stand;
  GST_OBJECT_UNLOCK (self);
  cfg->freeze.threshold = s[AVQD_FREEZE].threshold;
  cfg->freeze.duration = s[AVQD_FREEZE].duration;
  cfg->black.threshold = s[AVQD_BLACK].threshold;
  cfg->black.duration = s[AVQD_BLACK].duration;
  cfg->black.uniform_threshold = s[AVQD_UNIFORM].threshold;
  cfg->black.uniform_duration = s[AVQD_UNIFORM].duration;
  cfg->blocks.area_threshold = s[AVQD_BLOCK_CORRUPTION].threshold;
  cfg->blocks.duration = s[AVQD_BLOCK_CORRUPTION].duration;
}

static GstClockTime
to_running_time (GstAvQualityDetect * self, GstClockTime pts)
{
  GstSegment *seg = &GST_BASE_TRANSFORM (self)->segment;

  if (!GST_CLOCK_TIME_IS_VALID (pts) || seg->format != GST_FORMAT_TIME)
    return GST_CLOCK_TIME_NONE;
  return gst_segment_to_running_time (seg, GST_FORMAT_TIME, pts);
}

static void
apply_settings (GstAvQualityDetect * self, const AvqdSettings * s)
{
  AvmVideoConfig cfg;

  make_config (self, s, &cfg);
  avm_video_analysis_set_config (&self->video.analysis, &cfg);
  self->video.analysis.timing.gap_factor = s[AVQD_FRAME_GAP].threshold;
}

void
avqd_video_clear (GstAvQualityDetect * self)
{
  AvqdVideo *v = &self->video;

  if (!v->ready)
    return;
  avm_video_analysis_clear (&v->analysis);
  v->ready = FALSE;
}

gboolean
avqd_video_configure (GstAvQualityDetect * self, const GstVideoInfo * info)
{
  AvqdVideo *v = &self->video;
  AvqdSettings s[AVQD_N_KINDS];
  AvmVideoFormat fmt;
  AvmVideoConfig cfg;

  if (!luma_layout (GST_VIDEO_INFO_FORMAT (info), &fmt.layout)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("avqualitydetect does not read %s video; insert videoconvert "
            "before it.", GST_VIDEO_INFO_NAME (info)), (NULL));
    return FALSE;
  }

  /* a renegotiation ends what the old format was showing */
  if (v->ready)
    avqd_video_finish (self, GST_CLOCK_TIME_NONE);
  avqd_video_clear (self);

  fmt.width = GST_VIDEO_INFO_WIDTH (info);
  fmt.height = GST_VIDEO_INFO_HEIGHT (info);
  fmt.full_range = info->colorimetry.range == GST_VIDEO_COLOR_RANGE_0_255;
  fmt.frame_duration = 0;
  if (GST_VIDEO_INFO_FPS_N (info) > 0 && GST_VIDEO_INFO_FPS_D (info) > 0)
    fmt.frame_duration = gst_util_uint64_scale_int (GST_SECOND,
        GST_VIDEO_INFO_FPS_D (info), GST_VIDEO_INFO_FPS_N (info));
  avqd_get_settings (self, s, NULL);
  make_config (self, s, &cfg);
  if (avm_video_analysis_init (&v->analysis, &fmt, &cfg) != 0) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot analyse %dx%d %s video.", fmt.width, fmt.height,
            GST_VIDEO_INFO_NAME (info)), (NULL));
    return FALSE;
  }
  v->analysis.timing.gap_factor = s[AVQD_FRAME_GAP].threshold;
  v->info = *info;
  v->ready = TRUE;
  self->span_time_running = TRUE;
  memset (&v->stats, 0, sizeof (v->stats));
  v->stats.start_rt = GST_CLOCK_TIME_NONE;
  GST_INFO_OBJECT (self, "watching %s %dx%d, %" G_GSIZE_FORMAT " bytes of "
      "state", GST_VIDEO_INFO_NAME (info), fmt.width, fmt.height,
      avm_video_analysis_memory (&v->analysis));
  return TRUE;
}

void
avqd_video_reset (GstAvQualityDetect * self)
{
  AvqdVideo *v = &self->video;

  if (!v->ready)
    return;
  avm_video_analysis_reset (&v->analysis);
  v->stats.start_rt = GST_CLOCK_TIME_NONE;
}

static GstStructure *
freeze_details (AvqdVideo * v, AvmRect * region)
{
  AvmFreezeRegion r;
  gboolean partial = avm_freeze_get_region (&v->analysis.freeze, &r) &&
      r.partial;

  region->x = region->y = region->width = region->height = 0;
  if (partial)
    *region = r.region;
  return gst_structure_new ("details",
      GST_AV_MONITOR_DETAIL_PARTIAL, G_TYPE_BOOLEAN, partial,
      GST_AV_MONITOR_DETAIL_MOVING_RATIO, G_TYPE_DOUBLE,
      partial ? r.moving_ratio : 0.0, NULL);
}

static GstStructure *
kind_details (AvqdVideo * v, AvqdKind kind, const AvmSpanEvent * ev,
    AvmRect * region)
{
  region->x = region->y = region->width = region->height = 0;
  if (kind == AVQD_FREEZE)
    return freeze_details (v, region);
  if (kind == AVQD_BLOCK_CORRUPTION) {
    avm_blocks_get_region (&v->analysis.blocks, region);
    return gst_structure_new ("details", GST_AV_MONITOR_DETAIL_AREA,
        G_TYPE_DOUBLE, ev->value, NULL);
  }
  return NULL;
}

/* Turns one AvmSpanEvent into defect edges (videotypes.h: an open span may
 * end and another start on one frame). */
static void
emit (GstAvQualityDetect * self, AvqdKind kind, const AvmSpanEvent * ev,
    gdouble threshold, gboolean truncated)
{
  AvqdVideo *v = &self->video;
  gboolean was_open = self->spans[kind].open;
  AvmRect region;
  GstStructure *details;

  if (ev->ended && was_open) {
    details = kind_details (v, kind, ev, &region);
    avqd_span_end (self, kind, ev->end, ev->value, truncated, details, &region);
  }
  if (ev->started) {
    details = kind_details (v, kind, ev, &region);
    avqd_span_start (self, kind, ev->start, ev->value, threshold, "ratio",
        ev->confidence, details, &region);
    if (ev->complete || (ev->ended && !was_open))
      avqd_span_end (self, kind, ev->end, ev->value, truncated, NULL, &region);
  }
}

static void
timing_event (GstAvQualityDetect * self, const AvqdSettings * s,
    const AvmTimingEvent * tev)
{
  GstStructure *details;

  if (tev->kind == AVM_TIMING_GAP) {
    if (!s[AVQD_FRAME_GAP].enabled ||
        tev->end - tev->start < s[AVQD_FRAME_GAP].duration)
      return;
    details = gst_structure_new ("details", "missing-frames", G_TYPE_UINT64,
        (guint64) tev->missing_frames, NULL);
    avqd_span_complete (self, AVQD_FRAME_GAP, tev->start, tev->end,
        tev->value_ms, tev->threshold_ms, "ms", details);
  } else if (tev->kind == AVM_TIMING_DUPLICATE ||
      tev->kind == AVM_TIMING_BACKWARDS) {
    if (!s[AVQD_DISCONTINUITY].enabled)
      return;
    details = gst_structure_new ("details", "cause", G_TYPE_STRING,
        tev->kind == AVM_TIMING_DUPLICATE ? "duplicate" : "backwards", NULL);
    avqd_span_complete (self, AVQD_DISCONTINUITY, tev->start, tev->start,
        tev->value_ms, 0.0, "ms", details);
  }
}

static void
post_stats (GstAvQualityDetect * self, GstClockTime ts, GstClockTime rt)
{
  AvqdVideoStats *st = &self->video.stats;
  GstClockTime elapsed = rt - st->start_rt;
  GstStructure *s;
  gdouble n = st->frames;
  GstClockTime start_ts;

  if (st->frames == 0)
    return;
  s = gst_structure_new (GST_AV_MONITOR_STATS_NAME,
      GST_AV_MONITOR_STATS_LUMA_MEAN, G_TYPE_DOUBLE, st->luma / n,
      GST_AV_MONITOR_STATS_MOTION, G_TYPE_DOUBLE, st->motion / n,
      GST_AV_MONITOR_STATS_BLOCKINESS, G_TYPE_DOUBLE, st->blockiness / n,
      GST_AV_MONITOR_STATS_BLACK_RATIO, G_TYPE_DOUBLE, st->black / n,
      GST_AV_MONITOR_STATS_FRAMES, G_TYPE_UINT64, st->frames,
      GST_AV_MONITOR_STATS_FPS, G_TYPE_DOUBLE,
      elapsed > 0 ? n * GST_SECOND / elapsed : 0.0, NULL);
  start_ts = ts >= elapsed ? ts - elapsed : 0;
  avqd_stats_fill_times (self, s, start_ts, elapsed);
  g_queue_push_tail (&self->pending_messages, s);
  memset (st, 0, sizeof (*st));
  st->start_rt = rt;
}

/* At EOS: the partial interval since the last stats message. */
void
avqd_video_post_stats (GstAvQualityDetect * self)
{
  AvqdVideo *v = &self->video;
  AvqdVideoStats *st = &v->stats;
  GstSegment *seg = &GST_BASE_TRANSFORM (self)->segment;
  GstClockTime end, rt;

  if (!v->ready || st->frames == 0 || !GST_CLOCK_TIME_IS_VALID (st->start_rt)
      || !GST_CLOCK_TIME_IS_VALID (v->analysis.last_pts) ||
      seg->format != GST_FORMAT_TIME)
    return;
  rt = v->analysis.last_pts;
  if (v->analysis.last_dur != AVM_TIME_NONE)
    rt += v->analysis.last_dur;
  end = gst_segment_position_from_running_time (seg, GST_FORMAT_TIME, rt);
  if (GST_CLOCK_TIME_IS_VALID (end) && rt >= st->start_rt)
    post_stats (self, end, rt);
}

static void
accumulate_stats (GstAvQualityDetect * self, GstClockTime pts,
    const AvmVideoResult * r)
{
  AvqdVideoStats *st = &self->video.stats;
  GstSegment *seg = &GST_BASE_TRANSFORM (self)->segment;
  GstClockTime interval, rt;

  interval = self->stats_interval;
  if (interval == 0 || !GST_CLOCK_TIME_IS_VALID (pts) ||
      seg->format != GST_FORMAT_TIME)
    return;
  rt = gst_segment_to_running_time (seg, GST_FORMAT_TIME, pts);
  if (!GST_CLOCK_TIME_IS_VALID (rt))
    return;
  if (!GST_CLOCK_TIME_IS_VALID (st->start_rt) || rt < st->start_rt) {
    memset (st, 0, sizeof (*st));
    st->start_rt = rt;
  }
  /* the interval runs up to this frame; this frame opens the next one */
  if (rt - st->start_rt >= interval)
    post_stats (self, pts, rt);
  st->frames++;
  st->luma += r->luma.mean;
  st->motion += r->motion;
  st->blockiness += r->luma.blockiness;
  st->black += r->luma.black_ratio;
}

GstFlowReturn
avqd_video_process (GstAvQualityDetect * self, GstBuffer * buf)
{
  AvqdVideo *v = &self->video;
  AvqdSettings s[AVQD_N_KINDS];
  gboolean changed, have_chroma;
  GstVideoFrame frame;
  AvmLumaPlane plane;
  AvmChromaPlanes chroma;
  AvmVideoResult r;
  GstClockTime pts = GST_BUFFER_PTS (buf), dur = GST_BUFFER_DURATION (buf);
  GstClockTime rt = to_running_time (self, pts);
  guint k;
  gint ret;

  if (!v->ready)
    return GST_FLOW_OK;

  avqd_get_settings (self, s, &changed);
  if (changed)
    apply_settings (self, s);
  /* a kind switched off while its span is open ends now */
  for (k = 0; k < AVQD_N_KINDS; k++)
    if (!s[k].enabled && self->spans[k].open)
      avqd_span_end (self, k, rt, NAN, TRUE, NULL, NULL);

  /* gst_video_frame_map checks the buffer against the caps: a short buffer
   * is never read */
  if (!gst_video_frame_map (&frame, &v->info, buf, GST_MAP_READ)) {
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("A video buffer is smaller than its caps say; it was not analysed."),
        ("buffer %" GST_PTR_FORMAT ", caps size %" G_GSIZE_FORMAT, buf,
            GST_VIDEO_INFO_SIZE (&v->info)));
    return GST_FLOW_OK;
  }
  /* the plane, not component 0: packed layouts (UYVY) find luma inside
   * the pixel group themselves */
  plane.data = GST_VIDEO_FRAME_PLANE_DATA (&frame, 0);
  plane.stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
  plane.width = GST_VIDEO_FRAME_WIDTH (&frame);
  plane.height = GST_VIDEO_FRAME_HEIGHT (&frame);
  plane.layout = v->analysis.fmt.layout;
  have_chroma = chroma_planes (&frame, &chroma);

  if (GST_BUFFER_IS_DISCONT (buf))
    avm_frame_timing_reset (&v->analysis.timing);
  /* the analysis runs on running time: monotonic across segment changes
   * (concatenated files, HLS discontinuities), where PTS may restart */
  ret = avm_video_analysis_process (&v->analysis, &plane,
      have_chroma ? &chroma : NULL, rt, dur,
      GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_CORRUPTED), &r);
  gst_video_frame_unmap (&frame);
  if (ret != 0) {
    GST_WARNING_OBJECT (self, "frame does not match the caps, not analysed");
    return GST_FLOW_OK;
  }

  if (r.timing.kind != AVM_TIMING_OK)
    timing_event (self, s, &r.timing);
  /* black/uniform first: a picture that is black is never also frozen (the
   * analysis suppresses the freeze itself) */
  emit (self, AVQD_BLACK, &r.black_ev, s[AVQD_BLACK].threshold, FALSE);
  emit (self, AVQD_UNIFORM, &r.uniform_ev, s[AVQD_UNIFORM].threshold, FALSE);
  emit (self, AVQD_FREEZE, &r.freeze_ev, s[AVQD_FREEZE].threshold, FALSE);
  emit (self, AVQD_BLOCK_CORRUPTION, &r.blocks_ev,
      s[AVQD_BLOCK_CORRUPTION].threshold, FALSE);
  accumulate_stats (self, pts, &r);
  return GST_FLOW_OK;
}

void
avqd_video_gap (GstAvQualityDetect * self, GstClockTime ts,
    GstClockTime duration)
{
  AvqdVideo *v = &self->video;

  /* the next frame after a GAP is not a missing-frames jump */
  if (v->ready)
    avm_frame_timing_reset (&v->analysis.timing);
}

void
avqd_video_finish (GstAvQualityDetect * self, GstClockTime end)
{
  AvqdVideo *v = &self->video;
  AvqdSettings s[AVQD_N_KINDS];
  AvmVideoResult r;
  guint k;

  if (!v->ready)
    return;
  avqd_get_settings (self, s, NULL);
  memset (&r, 0, sizeof (r));
  end = to_running_time (self, end);
  avm_video_analysis_finish (&v->analysis,
      GST_CLOCK_TIME_IS_VALID (end) ? end : AVM_TIME_NONE, &r);
  emit (self, AVQD_BLACK, &r.black_ev, s[AVQD_BLACK].threshold, TRUE);
  emit (self, AVQD_UNIFORM, &r.uniform_ev, s[AVQD_UNIFORM].threshold, TRUE);
  emit (self, AVQD_FREEZE, &r.freeze_ev, s[AVQD_FREEZE].threshold, TRUE);
  emit (self, AVQD_BLOCK_CORRUPTION, &r.blocks_ev,
      s[AVQD_BLOCK_CORRUPTION].threshold, TRUE);
  /* anything still open (a span the analysis no longer knows) */
  for (k = 0; k < AVQD_N_KINDS; k++)
    if (self->spans[k].open)
      avqd_span_end (self, k, end, NAN, TRUE, NULL, NULL);
}
