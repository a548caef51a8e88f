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
 * chroma is packed with luma (YUY2, UYVY, v210) or absent (GRAY8). */
static gboolean
chroma_planes (GstVideoFrame * frame, AvmChromaPlanes * c)
{
  GstVideoInfo *info = &frame->info;
  guint8 *u, *v;
  gint stride;

  c->width = GST_VIDEO_INFO_COMP_WIDTH (info, 1);
  c->height = GST_VIDEO_INFO_COMP_HEIGHT (info, 1);
  switch (GST_VIDEO_INFO_FORMAT (info)) {
    case GST_VIDEO_FORMAT_I420:
    case GST_VIDEO_FORMAT_YV12:
    case GST_VIDEO_FORMAT_Y42B:
    case GST_VIDEO_FORMAT_Y444:
      c->sample = AVM_CHROMA_8BIT;
      c->pixel_stride = 1;
      break;
    case GST_VIDEO_FORMAT_I420_10LE:
    case GST_VIDEO_FORMAT_I422_10LE:
      c->sample = AVM_CHROMA_16LE_LOW10;
      c->pixel_stride = 2;
      break;
    case GST_VIDEO_FORMAT_NV12:
    case GST_VIDEO_FORMAT_NV16:
    case GST_VIDEO_FORMAT_NV21:
      stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, 1);
      u = GST_VIDEO_FRAME_COMP_DATA (frame, 1);
      v = GST_VIDEO_FRAME_COMP_DATA (frame, 2);
      c->data[0] = u;
      c->data[1] = v;
      c->stride[0] = c->stride[1] = stride;
      c->pixel_stride = 2;
      c->sample = AVM_CHROMA_8BIT;
      return TRUE;
    case GST_VIDEO_FORMAT_P010_10LE:
      stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, 1);
      c->data[0] = GST_VIDEO_FRAME_COMP_DATA (frame, 1);
      c->data[1] = GST_VIDEO_FRAME_COMP_DATA (frame, 2);
      c->stride[0] = c->stride[1] = stride;
      c->pixel_stride = 4;
      c->sample = AVM_CHROMA_16LE_HIGH10;
      return TRUE;
    default:
      return FALSE;
  }
  c->data[0] = GST_VIDEO_FRAME_COMP_DATA (frame, 1);
  c->data[1] = GST_VIDEO_FRAME_COMP_DATA (frame, 2);
  c->stride[0] = GST_VIDEO_FRAME_COMP_STRIDE (frame, 1);
  c->stride[1] = GST_VIDEO_FRAME_COMP_STRIDE (frame, 2);
  return TRUE;
}

static void
apply_settings (GstAvQualityDetect * self, const AvqdSettings * s)
{
  AvqdVideo *v = &self->video;
  AvmFreezeConfig fc;
  AvmBlackConfig bc;
  AvmBlocksConfig kc;

  avm_freeze_config_default (&fc);
  fc.threshold = s[AVQD_FREEZE].threshold;
  fc.duration = s[AVQD_FREEZE].duration;
  avm_freeze_set_config (&v->freeze, &fc);

  avm_black_config_default (&bc);
  bc.threshold = s[AVQD_BLACK].threshold;
  bc.duration = s[AVQD_BLACK].duration;
  bc.uniform_threshold = s[AVQD_UNIFORM].threshold;
  bc.uniform_duration = s[AVQD_UNIFORM].duration;
  avm_black_set_config (&v->black, &bc);

  avm_blocks_config_default (&kc);
  kc.area_threshold = s[AVQD_BLOCK_CORRUPTION].threshold;
  kc.duration = s[AVQD_BLOCK_CORRUPTION].duration;
  avm_blocks_set_config (&v->blocks, &kc);

  v->timing.gap_factor = s[AVQD_FRAME_GAP].threshold;
}

void
avqd_video_clear (GstAvQualityDetect * self)
{
  AvqdVideo *v = &self->video;

  if (!v->ready)
    return;
  avm_luma_clear (&v->luma);
  avm_freeze_clear (&v->freeze);
  avm_blocks_clear (&v->blocks);
  g_free (v->thumb[0]);
  g_free (v->thumb[1]);
  v->thumb[0] = v->thumb[1] = NULL;
  v->ready = FALSE;
}

gboolean
avqd_video_configure (GstAvQualityDetect * self, const GstVideoInfo * info)
{
  AvqdVideo *v = &self->video;
  AvmLumaLayout layout;
  AvqdSettings settings[AVQD_N_KINDS];
  gdouble black_px;
  gint w = GST_VIDEO_INFO_WIDTH (info), h = GST_VIDEO_INFO_HEIGHT (info);
  gint tw, th;
  guint64 frame_dur = 0;

  if (!luma_layout (GST_VIDEO_INFO_FORMAT (info), &layout)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("avqualitydetect does not read %s video; insert videoconvert "
            "before it.", GST_VIDEO_INFO_NAME (info)), (NULL));
    return FALSE;
  }

  /* a renegotiation ends what the old format was showing */
  if (v->ready)
    avqd_video_finish (self, GST_CLOCK_TIME_NONE);
  avqd_video_clear (self);

  GST_OBJECT_LOCK (self);
  black_px = self->black_pixel_threshold;
  GST_OBJECT_UNLOCK (self);
  avqd_get_settings (self, settings, NULL);

  if (avm_luma_init (&v->luma, w, h, layout,
          info->colorimetry.range == GST_VIDEO_COLOR_RANGE_0_255,
          black_px) != 0) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot analyse %dx%d video.", w, h), (NULL));
    return FALSE;
  }
  avm_luma_thumb_size (&v->luma, &tw, &th);
  v->thumb[0] = g_malloc0 ((gsize) tw * th);
  v->thumb[1] = g_malloc0 ((gsize) tw * th);
  v->cur = 0;
  v->have_prev = FALSE;
  avm_freeze_init (&v->freeze, w, h, NULL);
  avm_black_init (&v->black, w, h, NULL);
  avm_blocks_init (&v->blocks, w, h, NULL);
  if (GST_VIDEO_INFO_FPS_N (info) > 0 && GST_VIDEO_INFO_FPS_D (info) > 0)
    frame_dur = gst_util_uint64_scale_int (GST_SECOND,
        GST_VIDEO_INFO_FPS_D (info), GST_VIDEO_INFO_FPS_N (info));
  avm_frame_timing_init (&v->timing, frame_dur);
  v->info = *info;
  v->ready = TRUE;
  apply_settings (self, settings);
  memset (&v->stats, 0, sizeof (v->stats));
  v->stats.start_rt = GST_CLOCK_TIME_NONE;
  GST_INFO_OBJECT (self, "watching %s %dx%d (thumbnail %dx%d)",
      GST_VIDEO_INFO_NAME (info), w, h, tw, th);
  return TRUE;
}

void
avqd_video_reset (GstAvQualityDetect * self)
{
  AvqdVideo *v = &self->video;

  if (!v->ready)
    return;
  v->have_prev = FALSE;
  avm_freeze_reset (&v->freeze);
  avm_black_reset (&v->black);
  avm_blocks_reset (&v->blocks);
  avm_frame_timing_reset (&v->timing);
  v->stats.start_rt = GST_CLOCK_TIME_NONE;
}

static GstStructure *
freeze_details (AvqdVideo * v, AvmRect * region)
{
  AvmFreezeRegion r;
  gboolean partial = avm_freeze_get_region (&v->freeze, &r) && r.partial;

  region->width = region->height = 0;
  if (partial)
    *region = r.region;
  return gst_structure_new ("details",
      GST_AV_MONITOR_DETAIL_PARTIAL, G_TYPE_BOOLEAN, partial,
      GST_AV_MONITOR_DETAIL_MOVING_RATIO, G_TYPE_DOUBLE,
      partial ? r.moving_ratio : 0.0, NULL);
}

/* Turns one AvmSpanEvent into defect edges (videotypes.h: an open span may
 * end and another start on one frame). */
static void
emit (GstAvQualityDetect * self, AvqdKind kind, gboolean enabled,
    const AvmSpanEvent * ev, gdouble threshold, const gchar * unit)
{
  AvqdVideo *v = &self->video;
  gboolean was_open = self->spans[kind].open;
  AvmRect region = { 0, 0, 0, 0 };
  GstStructure *details = NULL;

  if (ev->ended && was_open) {
    if (kind == AVQD_FREEZE)
      details = freeze_details (v, &region);
    else if (kind == AVQD_BLOCK_CORRUPTION) {
      avm_blocks_get_region (&v->blocks, &region);
      details = gst_structure_new ("details", GST_AV_MONITOR_DETAIL_AREA,
          G_TYPE_DOUBLE, ev->value, NULL);
    }
    avqd_span_end (self, kind, ev->end, ev->value, FALSE, details, &region);
    details = NULL;
  }
  if (ev->started && enabled) {
    if (kind == AVQD_FREEZE)
      details = freeze_details (v, &region);
    else if (kind == AVQD_BLOCK_CORRUPTION) {
      avm_blocks_get_region (&v->blocks, &region);
      details = gst_structure_new ("details", GST_AV_MONITOR_DETAIL_AREA,
          G_TYPE_DOUBLE, ev->value, NULL);
    }
    avqd_span_start (self, kind, ev->start, ev->value, threshold, unit,
        ev->confidence, details, &region);
    if (ev->complete || (ev->ended && !was_open))
      avqd_span_end (self, kind, ev->end, ev->value, FALSE, NULL, &region);
  }
}

/* A kind switched off while its span is open: end it now. */
static void
end_if_disabled (GstAvQualityDetect * self, const AvqdSettings * s,
    GstClockTime ts)
{
  guint k;

  for (k = 0; k < AVQD_N_KINDS; k++)
    if (!s[k].enabled && self->spans[k].open)
      avqd_span_end (self, k, ts, NAN, TRUE, NULL, NULL);
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

  if (st->frames == 0)
    return;
  s = gst_structure_new (GST_AV_MONITOR_STATS_NAME,
      "luma-mean", G_TYPE_DOUBLE, st->luma / n,
      "motion", G_TYPE_DOUBLE, st->motion / n,
      "blockiness", G_TYPE_DOUBLE, st->blockiness / n,
      "black-ratio", G_TYPE_DOUBLE, st->black / n,
      "frames", G_TYPE_UINT64, st->frames,
      "fps", G_TYPE_DOUBLE, elapsed > 0 ? n * GST_SECOND / elapsed : 0.0,
      NULL);
  avqd_stats_fill_times (self, s, ts, elapsed);
  g_queue_push_tail (&self->pending_messages, s);
  memset (st, 0, sizeof (*st));
  st->start_rt = rt;
}

static void
accumulate_stats (GstAvQualityDetect * self, GstClockTime pts,
    const AvmLumaStats * ls, gdouble motion)
{
  AvqdVideoStats *st = &self->video.stats;
  GstSegment *seg = &GST_BASE_TRANSFORM (self)->segment;
  GstClockTime interval, rt;

  GST_OBJECT_LOCK (self);
  interval = self->interval;
  GST_OBJECT_UNLOCK (self);
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
  /* the interval is measured up to this frame, then this frame opens the
   * next one */
  if (rt - st->start_rt >= interval)
    post_stats (self, pts, rt);
  st->frames++;
  st->luma += ls->mean;
  st->motion += motion;
  st->blockiness += ls->blockiness;
  st->black += ls->black_ratio;
}

GstFlowReturn
avqd_video_process (GstAvQualityDetect * self, GstBuffer * buf)
{
  AvqdVideo *v = &self->video;
  AvqdSettings s[AVQD_N_KINDS];
  gboolean changed;
  GstVideoFrame frame;
  AvmLumaPlane plane;
  AvmLumaStats ls;
  AvmChromaPlanes chroma;
  AvmBlackFrame bf;
  AvmFreezeFrame ff;
  AvmBlocksFrame kf;
  AvmSpanEvent bev, uev, fev, kev;
  AvmTimingEvent tev;
  uint8_t *thumb, *prev;
  GstClockTime pts = GST_BUFFER_PTS (buf), dur = GST_BUFFER_DURATION (buf);
  gboolean have_chroma;

  if (!v->ready)
    return GST_FLOW_OK;

  memset (&ff, 0, sizeof (ff));
  memset (&kf, 0, sizeof (kf));
  avqd_get_settings (self, s, &changed);
  if (changed)
    apply_settings (self, s);
  end_if_disabled (self, s, pts);

  if (GST_BUFFER_IS_DISCONT (buf))
    avm_frame_timing_reset (&v->timing);
  if (avm_frame_timing_process (&v->timing, pts, dur, &tev) != AVM_TIMING_OK)
    timing_event (self, s, &tev);

  /* gst_video_frame_map checks the buffer against the caps: a short buffer
   * is never read */
  if (!gst_video_frame_map (&frame, &v->info, buf, GST_MAP_READ)) {
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("A video buffer is smaller than its caps say; it was not analysed."),
        ("buffer %" GST_PTR_FORMAT ", caps size %" G_GSIZE_FORMAT, buf,
            GST_VIDEO_INFO_SIZE (&v->info)));
    return GST_FLOW_OK;
  }

  plane.data = GST_VIDEO_FRAME_COMP_DATA (&frame, 0);
  plane.stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, 0);
  plane.width = GST_VIDEO_FRAME_WIDTH (&frame);
  plane.height = GST_VIDEO_FRAME_HEIGHT (&frame);
  plane.layout = v->luma.layout;
  thumb = v->thumb[v->cur];
  prev = v->have_prev ? v->thumb[!v->cur] : NULL;
  avm_luma_process (&v->luma, &plane, thumb, &ls);
  have_chroma = chroma_planes (&frame, &chroma);

  memset (&bev, 0, sizeof (bev));
  memset (&uev, 0, sizeof (uev));
  avm_black_classify (&v->black, thumb, &ls, have_chroma ? &chroma : NULL,
      &bf);
  gst_video_frame_unmap (&frame);

  avm_black_update (&v->black, &bf, pts, dur, &bev, &uev);
  emit (self, AVQD_BLACK, s[AVQD_BLACK].enabled, &bev,
      s[AVQD_BLACK].threshold, "ratio");
  emit (self, AVQD_UNIFORM, s[AVQD_UNIFORM].enabled, &uev,
      s[AVQD_UNIFORM].threshold, "ratio");

  /* a black or uniform picture is reported as such, never also as freeze */
  memset (&fev, 0, sizeof (fev));
  avm_freeze_process (&v->freeze, thumb, prev, pts, dur,
      bf.black || bf.uniform, &fev, &ff);
  emit (self, AVQD_FREEZE, s[AVQD_FREEZE].enabled, &fev,
      s[AVQD_FREEZE].threshold, "ratio");

  memset (&kev, 0, sizeof (kev));
  avm_blocks_process (&v->blocks, thumb, prev, pts, dur,
      GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_CORRUPTED), &kev, &kf);
  emit (self, AVQD_BLOCK_CORRUPTION, s[AVQD_BLOCK_CORRUPTION].enabled, &kev,
      s[AVQD_BLOCK_CORRUPTION].threshold, "ratio");

  accumulate_stats (self, pts, &ls, ff.motion);

  v->cur = !v->cur;
  v->have_prev = TRUE;
  return GST_FLOW_OK;
}

void
avqd_video_gap (GstAvQualityDetect * self, GstClockTime ts,
    GstClockTime duration)
{
  AvqdVideo *v = &self->video;

  /* the next frame after a GAP is not a missing-frames jump */
  if (v->ready)
    avm_frame_timing_reset (&v->timing);
}

void
avqd_video_finish (GstAvQualityDetect * self, GstClockTime end)
{
  AvqdVideo *v = &self->video;
  AvmSpanEvent ev;
  AvmRect region;
  guint k;

  if (!v->ready)
    return;
  if (self->spans[AVQD_FREEZE].open) {
    GstStructure *details = freeze_details (v, &region);

    memset (&ev, 0, sizeof (ev));
    avm_freeze_finish (&v->freeze, end, &ev);
    avqd_span_end (self, AVQD_FREEZE, end, ev.ended ? ev.value : NAN, TRUE,
        details, &region);
  }
  memset (&ev, 0, sizeof (ev));
  {
    AvmSpanEvent uev;

    memset (&uev, 0, sizeof (uev));
    avm_black_finish (&v->black, end, &ev, &uev);
    avqd_span_end (self, AVQD_BLACK, end, ev.ended ? ev.value : NAN, TRUE,
        NULL, NULL);
    avqd_span_end (self, AVQD_UNIFORM, end, uev.ended ? uev.value : NAN, TRUE,
        NULL, NULL);
  }
  if (self->spans[AVQD_BLOCK_CORRUPTION].open) {
    memset (&ev, 0, sizeof (ev));
    region.width = region.height = 0;
    avm_blocks_get_region (&v->blocks, &region);
    avm_blocks_finish (&v->blocks, end, &ev);
    avqd_span_end (self, AVQD_BLOCK_CORRUPTION, end,
        ev.ended ? ev.value : NAN, TRUE, NULL, &region);
  }
  /* anything else still open (none for video today) */
  for (k = 0; k < AVQD_N_KINDS; k++)
    if (self->spans[k].open)
      avqd_span_end (self, k, end, NAN, TRUE, NULL, NULL);
  avm_freeze_reset (&v->freeze);
  avm_black_reset (&v->black);
  avm_blocks_reset (&v->blocks);
  v->have_prev = FALSE;
}
