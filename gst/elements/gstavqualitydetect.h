/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_AV_QUALITY_DETECT_H__
#define __GST_AV_QUALITY_DETECT_H__

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

#define GST_TYPE_AV_QUALITY_DETECT (gst_av_quality_detect_get_type ())
G_DECLARE_FINAL_TYPE (GstAvQualityDetect, gst_av_quality_detect, GST,
    AV_QUALITY_DETECT, GstBaseTransform);

/**
 * GstAvQualityDetectLoudnessProfile:
 * @GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_EBU_R128: -23 LUFS, -1 dBTP
 * @GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_ATSC_A85: -24 LKFS, -2 dBTP
 * @GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_CUSTOM: loudness-target and
 *   true-peak-ceiling as set
 */
typedef enum
{
  GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_EBU_R128,
  GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_ATSC_A85,
  GST_AV_QUALITY_DETECT_LOUDNESS_PROFILE_CUSTOM,
} GstAvQualityDetectLoudnessProfile;

G_END_DECLS

#endif /* __GST_AV_QUALITY_DETECT_H__ */
