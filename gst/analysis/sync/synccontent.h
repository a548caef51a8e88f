/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Content cues for A/V sync without a test signal: visual events (cuts,
 * bursts of change) from thumbnail differences, audio onsets from the
 * spectral flux of a small filter bank, and a robust lag search between
 * the two event trains with a confidence that refuses to guess. */

#ifndef __AVM_SYNC_CONTENT_H__
#define __AVM_SYNC_CONTENT_H__

#include <stdint.h>

#include "syncmarker.h"
#include "syncstats.h"

typedef struct
{
  float prev[AVM_THUMB_SIZE];
  int have_prev;
  double baseline;              /* typical novelty between events */
  int frames;
  double min_novelty;
  double ratio;
  double last_novelty;
  /* motion reversal: centroid of the change, last clear velocity per axis */
  int have_centroid;
  double cx, cy;
  double last_v[2];
  int last_v_age[2];
} AvmVideoNovelty;

typedef enum
{
  AVM_VIDEO_EVENT_NONE = 0,
  /* a cut or burst of change: the event is this frame */
  AVM_VIDEO_EVENT_CHANGE,
  /* the moving part of the picture turned back (a bounce, an impact): the
   * turn happened about 1.5 frames before this frame */
  AVM_VIDEO_EVENT_REVERSAL,
} AvmVideoEvent;

void avm_video_novelty_init (AvmVideoNovelty * v, double min_novelty);
void avm_video_novelty_reset (AvmVideoNovelty * v);
/* Returns the visual event this frame shows, if any; *novelty gets the
 * mean absolute thumbnail difference (0..1). */
AvmVideoEvent avm_video_novelty_push (AvmVideoNovelty * v, const float *thumb,
    double *novelty);

#define AVM_ONSET_BANDS 8

typedef struct
{
  double rate;
  int nbands;
  double b0[AVM_ONSET_BANDS], a1[AVM_ONSET_BANDS], a2[AVM_ONSET_BANDS];
  double z1[AVM_ONSET_BANDS], z2[AVM_ONSET_BANDS];
  double acc[AVM_ONSET_BANDS];
  double total;
  int hop, pos;
  double db[4][AVM_ONSET_BANDS];        /* last hops, per band */
  double dev[AVM_ONSET_BANDS];  /* typical hop-to-hop change, per band */
  int hops;
  double flux_mean;
  double min_flux;              /* dB summed over bands */
  double floor_ms;              /* linear mean square of -60 dBFS */
  int64_t next;
  int64_t hop_start;
  int64_t last_onset;
} AvmAudioOnset;

void avm_audio_onset_init (AvmAudioOnset * o, double rate);
void avm_audio_onset_reset (AvmAudioOnset * o);
/* Feeds mono samples first .. first + n - 1; writes the sample index of
 * each onset (start of the 5 ms hop where the flux peaks) to onsets. */
int avm_audio_onset_push (AvmAudioOnset * o, const float *x, int n,
    int64_t first, int64_t * onsets, int max);

typedef struct
{
  int64_t max_offset;           /* ns: lags searched in [-max, +max] */
  int64_t tolerance;            /* ns: a match is within +/- tolerance */
  unsigned min_matches;         /* default 4 */
  double min_coverage;          /* share of the sparser train matched */
  double max_ambiguity;         /* second peak / best peak */
  double max_chance;            /* family-wise chance probability */
} AvmContentParams;

void avm_content_params_default (AvmContentParams * p);

#define AVM_CONTENT_MAX_EVENTS 128

/* Lag between the visual events v (running time) and the audio onsets a.
 * res->offset = v - a; res->valid only when the matches are many, cover
 * most events, are unambiguous and unlikely by chance; res->confidence is
 * filled in either case. */
void avm_content_correlate (const int64_t * v, unsigned nv,
    const int64_t * a, unsigned na, const AvmContentParams * p,
    AvmSyncResult * res);

#endif /* __AVM_SYNC_CONTENT_H__ */
