/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Timestamp bookkeeping of one stream: where its first unit (sample or
 * frame) sits in running time, jumps of its timestamps against its unit
 * count (gaps, overlaps), and the drift of the timestamps against the
 * nominal rate. Exact integer arithmetic for the jumps. */

#ifndef __AVM_SYNC_TIME_H__
#define __AVM_SYNC_TIME_H__

#include <stdint.h>

#include "syncstats.h"

typedef enum
{
  AVM_TIME_CONTINUOUS = 0,
  AVM_TIME_FIRST,
  AVM_TIME_GAP,
  AVM_TIME_OVERLAP,
} AvmTimeJump;

typedef struct
{
  int rate_num, rate_den;       /* units per second */
  int64_t tolerance;            /* ns: smaller jumps are jitter */

  int started;
  int64_t first;                /* running time of the first unit */
  int64_t expected;             /* running time the next unit should have */
  uint64_t units;               /* since the first */
  int64_t jump_total;           /* sum of the gaps and overlaps */
  int64_t slip;                 /* the jumps the caller counted as slips */

  uint64_t n_gaps, n_overlaps;
  int64_t gap_total, overlap_total;     /* ns, both >= 0 */

  AvmLinFit fit;                /* running time vs nominal time */
} AvmTimeTrack;

/* a * b / c with a 128-bit intermediate, rounded down (c > 0) */
int64_t avm_scale (int64_t a, int64_t b, int64_t c);

void avm_time_track_init (AvmTimeTrack * t, int rate_num, int rate_den,
    int64_t tolerance);
/* Forgets the history (new segment after a flush, new caps). */
void avm_time_track_reset (AvmTimeTrack * t);
/* Feeds a buffer of n units starting at running time rt. *jump gets the
 * signed jump against the previous buffer's end (0 when continuous). */
AvmTimeJump avm_time_track_push (AvmTimeTrack * t, int64_t rt,
    uint64_t n, int64_t * jump);
/* Adds a jump as a slip of the content against its timestamps. */
void avm_time_track_add_slip (AvmTimeTrack * t, int64_t jump);
/* Timestamps against unit count, in ppm: > 0 means the timestamps advance
 * faster than the nominal rate says (fewer units per second than the caps
 * claim). Needs >= 2 s of history. Returns 0 when not known yet. */
int avm_time_track_drift_ppm (const AvmTimeTrack * t, double *ppm);
/* running time of the end of the last unit seen */
int64_t avm_time_track_end (const AvmTimeTrack * t);

#endif /* __AVM_SYNC_TIME_H__ */
