/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_AV_DEFECT_INJECT_H__
#define __GST_AV_DEFECT_INJECT_H__

#include <stdio.h>

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>
#include <gst/video/video.h>
#include <gst/audio/audio.h>

#include "avmonitor.h"

G_BEGIN_DECLS

#define GST_TYPE_AV_DEFECT_INJECT (gst_av_defect_inject_get_type ())
G_DECLARE_FINAL_TYPE (GstAvDefectInject, gst_av_defect_inject, GST,
    AV_DEFECT_INJECT, GstBaseTransform)

typedef enum
{
  GST_AV_DEFECT_INJECT_MEDIA_NONE = 0,
  GST_AV_DEFECT_INJECT_MEDIA_RAW_VIDEO = 1 << 0,
  GST_AV_DEFECT_INJECT_MEDIA_RAW_AUDIO = 1 << 1,
  GST_AV_DEFECT_INJECT_MEDIA_ENCODED = 1 << 2,
} GstAvDefectInjectMedia;

struct _GstAvDefectInject
{
  GstBaseTransform parent;

  /* properties, under the object lock */
  gchar *schedule;
  GArray *entries;              /* InjectEntry, parsed schedule */
  gboolean schedule_changed;
  gchar *schedule_error;        /* the last refused schedule's message */
  guint64 seed;
  gchar *truth_location;
  gboolean post_messages;

  /* streaming thread */
  GstAvDefectInjectMedia media;
  GstVideoInfo vinfo;
  GstAudioInfo ainfo;
  gboolean format_ok;
  GstAvMonitorStreamType stream_type;
  gchar *stream_id;
  GPtrArray *states;            /* InjectState, one per span source */
  guint64 next_id;
  guint32 *scratch;
  guint scratch_len;
  GstBuffer *pending_out;       /* tail of a buffer cut by audio-gap */
  gboolean discont_pending;     /* audio-gap dropped whole buffers */
  gboolean warned_no_pts;

  /* truth file */
  GMutex truth_lock;
  FILE *truth;

  /* stall: woken by flush and stop */
  GMutex stall_lock;
  GCond stall_cond;
  gboolean unblock;
};

G_END_DECLS

#endif /* __GST_AV_DEFECT_INJECT_H__ */
