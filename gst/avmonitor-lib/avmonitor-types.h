/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_AV_MONITOR_TYPES_H__
#define __GST_AV_MONITOR_TYPES_H__

#include "avmonitor-prelude.h"

G_BEGIN_DECLS

/**
 * GstAvMonitorDefectKind:
 * @GST_AV_MONITOR_DEFECT_KIND_UNKNOWN: a kind this version does not know
 *   (readers map unknown nicks here; newer writers add kinds)
 * @GST_AV_MONITOR_DEFECT_KIND_FREEZE: the picture stopped changing
 * @GST_AV_MONITOR_DEFECT_KIND_BLACK: the picture is black
 * @GST_AV_MONITOR_DEFECT_KIND_BLOCK_CORRUPTION: decoder damage from a broken
 *   bitstream (misplaced or foreign macroblocks)
 * @GST_AV_MONITOR_DEFECT_KIND_UNIFORM: the picture is one flat, non-black
 *   colour (blue/green screen, no-signal slate)
 * @GST_AV_MONITOR_DEFECT_KIND_FRAME_GAP: video frames are missing
 *   (timestamps jump)
 * @GST_AV_MONITOR_DEFECT_KIND_SILENCE: the whole programme is silent
 * @GST_AV_MONITOR_DEFECT_KIND_CHANNEL_SILENCE: some channels are silent while
 *   others carry signal
 * @GST_AV_MONITOR_DEFECT_KIND_CLIPPING: samples at or over full scale
 * @GST_AV_MONITOR_DEFECT_KIND_DROPOUT: a short hole of zero samples inside
 *   signal
 * @GST_AV_MONITOR_DEFECT_KIND_LOUDNESS: loudness or true peak outside the
 *   target
 * @GST_AV_MONITOR_DEFECT_KIND_AV_SYNC: audio/video offset outside the
 *   acceptability range
 * @GST_AV_MONITOR_DEFECT_KIND_STALL: no data arrives any more
 * @GST_AV_MONITOR_DEFECT_KIND_DISCONTINUITY: timestamp gaps, overlaps or
 *   backwards steps
 *
 * The kinds of defect. The nick of each value ("freeze", "block-corruption",
 * ...) is the `kind` field of the `avmonitor-defect` structure.
 */
typedef enum
{
  GST_AV_MONITOR_DEFECT_KIND_UNKNOWN = 0,
  GST_AV_MONITOR_DEFECT_KIND_FREEZE,
  GST_AV_MONITOR_DEFECT_KIND_BLACK,
  GST_AV_MONITOR_DEFECT_KIND_BLOCK_CORRUPTION,
  GST_AV_MONITOR_DEFECT_KIND_UNIFORM,
  GST_AV_MONITOR_DEFECT_KIND_FRAME_GAP,
  GST_AV_MONITOR_DEFECT_KIND_SILENCE,
  GST_AV_MONITOR_DEFECT_KIND_CHANNEL_SILENCE,
  GST_AV_MONITOR_DEFECT_KIND_CLIPPING,
  GST_AV_MONITOR_DEFECT_KIND_DROPOUT,
  GST_AV_MONITOR_DEFECT_KIND_LOUDNESS,
  GST_AV_MONITOR_DEFECT_KIND_AV_SYNC,
  GST_AV_MONITOR_DEFECT_KIND_STALL,
  GST_AV_MONITOR_DEFECT_KIND_DISCONTINUITY,
} GstAvMonitorDefectKind;

/**
 * GstAvMonitorSeverity:
 * @GST_AV_MONITOR_SEVERITY_WARNING: noticeable, worth a look
 * @GST_AV_MONITOR_SEVERITY_ERROR: the service is broken for the viewer
 *
 * How bad a defect is. The nick is the `severity` field.
 */
typedef enum
{
  GST_AV_MONITOR_SEVERITY_WARNING = 0,
  GST_AV_MONITOR_SEVERITY_ERROR,
} GstAvMonitorSeverity;

/**
 * GstAvMonitorDefectEvent:
 * @GST_AV_MONITOR_DEFECT_EVENT_START: the span starts
 * @GST_AV_MONITOR_DEFECT_EVENT_END: the span ends
 *
 * Which edge of a defect span a message or event carries. The nick is the
 * `event` field.
 */
typedef enum
{
  GST_AV_MONITOR_DEFECT_EVENT_START = 0,
  GST_AV_MONITOR_DEFECT_EVENT_END,
} GstAvMonitorDefectEvent;

/**
 * GstAvMonitorStreamType:
 * @GST_AV_MONITOR_STREAM_TYPE_UNKNOWN: not said, or a type this version does
 *   not know
 * @GST_AV_MONITOR_STREAM_TYPE_VIDEO: a video stream
 * @GST_AV_MONITOR_STREAM_TYPE_AUDIO: an audio stream
 * @GST_AV_MONITOR_STREAM_TYPE_AV: an audio/video pair (lip sync)
 *
 * The stream a defect belongs to. The nick is the `stream-type` field.
 */
typedef enum
{
  GST_AV_MONITOR_STREAM_TYPE_UNKNOWN = 0,
  GST_AV_MONITOR_STREAM_TYPE_VIDEO,
  GST_AV_MONITOR_STREAM_TYPE_AUDIO,
  GST_AV_MONITOR_STREAM_TYPE_AV,
} GstAvMonitorStreamType;

G_END_DECLS

#endif /* __GST_AV_MONITOR_TYPES_H__ */
