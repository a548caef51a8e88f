/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Small fixed-size building blocks of the A/V sync measures: a ring of
 * timed events, robust statistics, an incremental least-squares line, and
 * the pairing of video flashes with audio beeps. No allocation. */

#ifndef __AVM_SYNC_STATS_H__
#define __AVM_SYNC_STATS_H__

#include <stdint.h>

#define AVM_SYNC_RING 128

/* Times are signed nanoseconds of running time; values are free. */
typedef struct
{
  int64_t t[AVM_SYNC_RING];
  double v[AVM_SYNC_RING];
  unsigned head;                /* index of the oldest entry */
  unsigned count;
} AvmEventRing;

void avm_event_ring_clear (AvmEventRing * r);
/* Appends; when full the oldest entry is dropped (memory stays bounded when
 * the other stream stalls). */
void avm_event_ring_push (AvmEventRing * r, int64_t t, double v);
void avm_event_ring_pop (AvmEventRing * r);
/* i = 0 is the oldest entry */
int64_t avm_event_ring_time (const AvmEventRing * r, unsigned i);
double avm_event_ring_value (const AvmEventRing * r, unsigned i);

/* Sorts v[0..n) in place and returns its median (0 for n = 0). */
double avm_median (double *v, unsigned n);
/* Sample standard deviation around the mean (0 for n < 2). */
double avm_stddev (const double *v, unsigned n);

/* Incremental least squares y = a + b x. x is centred on the first sample
 * so that long runs keep their precision. */
typedef struct
{
  double n, sx, sy, sxx, sxy;
  double x0, y0;
} AvmLinFit;

void avm_linfit_clear (AvmLinFit * f);
void avm_linfit_add (AvmLinFit * f, double x, double y);
/* Returns 0 when the slope is undetermined (fewer than 2 points or no
 * spread in x). */
int avm_linfit_slope (const AvmLinFit * f, double *slope);
/* spread of x seen so far */
double avm_linfit_x_span (const AvmLinFit * f);

typedef struct
{
  int valid;
  double offset;                /* ns, video - audio (BT.1359 sign) */
  double stddev;                /* ns */
  unsigned n_events;
  double confidence;            /* 0..1 */
  int have_drift;
  double drift_ppm;
} AvmSyncResult;

/* Pairs flashes (video running time) with beeps (audio running time). A
 * flash is paired once the audio has been seen far enough past it that no
 * nearer beep can still arrive; so the streams never wait for each other. */
typedef struct
{
  AvmEventRing pending;         /* flashes not yet paired */
  AvmEventRing beeps;
  AvmEventRing pairs;           /* t = flash time, v = offset ns */
  AvmEventRing flash_times;     /* for the period estimate */
  int64_t max_offset;           /* ns, upper bound of the pairing window */
  int64_t beep_hold;            /* beeps used by a pair are marked */
} AvmMarkerPairer;

void avm_marker_pairer_init (AvmMarkerPairer * p, int64_t max_offset);
void avm_marker_pairer_reset (AvmMarkerPairer * p);
void avm_marker_pairer_add_flash (AvmMarkerPairer * p, int64_t t);
void avm_marker_pairer_add_beep (AvmMarkerPairer * p, int64_t t);
/* Half the marker period as estimated from the flashes, capped by
 * max_offset (max_offset until two intervals are known). */
int64_t avm_marker_pairer_half_window (const AvmMarkerPairer * p);
/* Pairs every pending flash f with f + half window <= audio_done (or all
 * of them when audio_done is INT64_MAX). Returns the number of new pairs. */
unsigned avm_marker_pairer_update (AvmMarkerPairer * p, int64_t audio_done);
/* Median, spread and count of the pairs whose flash lies in [from, to). */
void avm_marker_pairer_result (const AvmMarkerPairer * p, int64_t from,
    int64_t to, AvmSyncResult * res);

#endif /* __AVM_SYNC_STATS_H__ */
