/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_AV_SYNC_METER_H__
#define __GST_AV_SYNC_METER_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/audio/audio.h>

#include "syncstats.h"
#include "synctime.h"
#include "syncmarker.h"
#include "synccontent.h"

G_BEGIN_DECLS

#define GST_TYPE_AV_SYNC_METER (gst_av_sync_meter_get_type ())
G_DECLARE_FINAL_TYPE (GstAvSyncMeter, gst_av_sync_meter, GST, AV_SYNC_METER,
    GstElement)

/**
 * GstAvSyncMeterMode:
 * @GST_AV_SYNC_METER_MODE_AUTO: markers when test signals are found, else
 *   content cues when they are conclusive, else timestamps
 * @GST_AV_SYNC_METER_MODE_MARKERS: flash/beep test signals only
 * @GST_AV_SYNC_METER_MODE_CONTENT: programme content cues only
 * @GST_AV_SYNC_METER_MODE_TIMESTAMPS: timestamps only
 */
typedef enum
{
  GST_AV_SYNC_METER_MODE_AUTO,
  GST_AV_SYNC_METER_MODE_MARKERS,
  GST_AV_SYNC_METER_MODE_CONTENT,
  GST_AV_SYNC_METER_MODE_TIMESTAMPS,
} GstAvSyncMeterMode;

/**
 * GstAvSyncMeterProfile:
 * @GST_AV_SYNC_METER_PROFILE_ITU_BT1359: ITU-R BT.1359: warning 45 ms lead /
 *   125 ms lag, error 90 / 185 ms
 * @GST_AV_SYNC_METER_PROFILE_EBU_R37: EBU R37: 40 ms lead / 60 ms lag
 * @GST_AV_SYNC_METER_PROFILE_ATSC_IS191: ATSC IS-191: 15 ms lead / 45 ms lag
 * @GST_AV_SYNC_METER_PROFILE_CUSTOM: the four threshold properties
 */
typedef enum
{
  GST_AV_SYNC_METER_PROFILE_ITU_BT1359,
  GST_AV_SYNC_METER_PROFILE_EBU_R37,
  GST_AV_SYNC_METER_PROFILE_ATSC_IS191,
  GST_AV_SYNC_METER_PROFILE_CUSTOM,
} GstAvSyncMeterProfile;

G_END_DECLS

#endif /* __GST_AV_SYNC_METER_H__ */
