/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __INJECT_SCHEDULE_H__
#define __INJECT_SCHEDULE_H__

#include <gst/gst.h>

#include "avmonitor.h"

G_BEGIN_DECLS

/* The kinds a schedule entry can name (docs/avdefectinject.md). */
typedef enum
{
  INJECT_KIND_FREEZE = 0,
  INJECT_KIND_BLACK,
  INJECT_KIND_UNIFORM,
  INJECT_KIND_BLOCK_CORRUPTION,
  INJECT_KIND_FRAME_DROP,
  INJECT_KIND_SILENCE,
  INJECT_KIND_HISS,
  INJECT_KIND_CHANNEL_SILENCE,
  INJECT_KIND_CLIPPING,
  INJECT_KIND_DROPOUT,
  INJECT_KIND_LOUDNESS,
  INJECT_KIND_AUDIO_GAP,
  INJECT_KIND_BITSTREAM_DAMAGE,
  INJECT_KIND_AV_OFFSET,
  INJECT_KIND_STALL,
  INJECT_KIND_COUNT
} InjectKind;

/* Which streams a kind applies to. */
typedef enum
{
  INJECT_MEDIA_RAW_VIDEO = 1 << 0,
  INJECT_MEDIA_RAW_AUDIO = 1 << 1,
  INJECT_MEDIA_ENCODED = 1 << 2,
  INJECT_MEDIA_ANY = 0x7
} InjectMedia;

/* One parsed schedule entry. Times are nanoseconds of stream time. Only
 * the parameters of the entry's kind are meaningful; every one has its
 * default when the key is not given. */
typedef struct
{
  InjectKind kind;
  GstClockTime start;
  /* 0 only for av-offset, where it means "until the end of the stream" */
  GstClockTime duration;
  /* 0-based character offset of the entry in the schedule string */
  guint position;

  gdouble area;                 /* block-corruption: share of the picture */
  guint block;                  /* block-corruption: 8 or 16 pixels */
  guint32 color;                /* uniform: 0xRRGGBB */
  guint64 channels;             /* channel-silence: channel mask */
  gdouble gain_db;              /* clipping, loudness */
  gdouble level_db;             /* hiss: RMS level in dBFS */
  GstClockTime length;          /* dropout: length of one zero run */
  guint count;                  /* dropout: number of runs */
  GstClockTime spacing;         /* dropout: start-to-start distance */
  gdouble rate;                 /* bitstream-damage: share of bytes */
  gdouble buffers;              /* bitstream-damage: share of buffers */
  guint keep;                   /* bitstream-damage: bytes kept per NAL */
  gint64 offset;                /* av-offset: BT.1359 sign, ns */
} InjectEntry;

#define INJECT_DEFAULT_AREA       0.05
#define INJECT_DEFAULT_BLOCK      16
#define INJECT_DEFAULT_COLOR      0x0000ff
#define INJECT_DEFAULT_CHANNELS   0x1
#define INJECT_DEFAULT_CLIP_GAIN  20.0
#define INJECT_DEFAULT_LOUD_GAIN  12.0
#define INJECT_DEFAULT_HISS_LEVEL (-70.0)
#define INJECT_DEFAULT_LENGTH     (10 * GST_MSECOND)
#define INJECT_DEFAULT_RATE       0.002
#define INJECT_DEFAULT_BUFFERS    1.0
#define INJECT_DEFAULT_KEEP       8

G_GNUC_INTERNAL
GArray *inject_schedule_parse (const gchar * text, gchar ** error);

G_GNUC_INTERNAL
gboolean inject_parse_time (const gchar * text, gboolean allow_negative,
    gint64 * out, const gchar ** reason);

G_GNUC_INTERNAL
const gchar *inject_kind_name (InjectKind kind);

G_GNUC_INTERNAL
InjectMedia inject_kind_media (InjectKind kind);

G_GNUC_INTERNAL
GstAvMonitorDefectKind inject_kind_detected_as (InjectKind kind);

G_END_DECLS

#endif /* __INJECT_SCHEDULE_H__ */
