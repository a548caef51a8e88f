/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 *
 * You should have received a copy of the GNU Library General Public
 * License along with this library; if not, write to the
 * Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
 * Boston, MA 02110-1301, USA.
 */

/* Loudness: ITU-R BS.1770-4 / EBU R128 (EBU Tech 3341, 3342).
 *
 * One AvmLoudness is one meter over one group of channels (a programme, or
 * a stereo pair of a 16-channel SDI stream): create one per group.  A meter
 * costs its channels' K-weighting filters plus a few hundred bytes of block
 * state and two fixed histograms (about 44 KB), whatever the duration.
 *
 * - K-weighting: the two BS.1770 biquads (high shelf, high pass), derived
 *   from their analog prototype for the meter's sample rate by the bilinear
 *   transform (at 48 kHz they equal the BS.1770 table to 1e-8).
 * - Channel weights are the caller's: BS.1770-4 gives 1.0 for left, right,
 *   centre (|azimuth| < 60 degrees), 1.41 (+1.5 dB) for the surrounds
 *   (60 to 120 degrees), and excludes LFE (weight 0).
 * - Mean squares are summed over 100 ms sub-blocks (sub-block k ends at
 *   sample floor ((k + 1) * rate / 10), so any rate works); momentary
 *   (400 ms) and short-term (3 s) loudness are updated at the end of every
 *   sub-block.  Before a window is full the missing part counts as silence.
 * - Integrated: 400 ms gating blocks every 100 ms (75 % overlap), absolute
 *   gate -70 LUFS, relative gate -10 LU; the gated blocks go into a 0.01 LU
 *   histogram, so the result is within 0.01 LU of the exact mean while the
 *   memory stays fixed over hours.
 * - Loudness range (EBU Tech 3342): the short-term values (every 100 ms,
 *   once 3 s have been measured), absolute gate -70 LUFS, relative gate
 *   -20 LU, 95th minus 10th percentile, from a 0.05 LU histogram.
 * - Defect: short-term loudness outside target +/- tolerance for at least
 *   min_duration (AVM_AUDIO_DEFECT_LOUDNESS_SHORT_TERM).  The span starts
 *   at the end of the first sub-block whose short-term value was out of
 *   range and ends at the end of the first one back in range.  Values below
 *   the absolute gate (-70 LUFS) are not judged: that is silence, reported
 *   by the silence detector.
 *
 * Loudness values are LUFS; when nothing has been measured (or all blocks
 * were gated out) they are -INFINITY. */

#ifndef __AVM_LOUDNESS_H__
#define __AVM_LOUDNESS_H__

#include "audiospan.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AVM_LOUDNESS_WEIGHT_FRONT 1.0
#define AVM_LOUDNESS_WEIGHT_SURROUND 1.41
#define AVM_LOUDNESS_WEIGHT_LFE 0.0

#define AVM_LOUDNESS_DEFAULT_TOLERANCE_LU 5.0
#define AVM_LOUDNESS_DEFAULT_DURATION_S 10.0

typedef enum {
  AVM_LOUDNESS_PROFILE_EBU_R128,        /* -23 LUFS, -1 dBTP */
  AVM_LOUDNESS_PROFILE_ATSC_A85         /* -24 LKFS, -2 dBTP */
} AvmLoudnessProfile;

/* Target loudness (LUFS) and true-peak ceiling (dBTP) of a profile. */
void avm_loudness_profile_values (AvmLoudnessProfile profile,
    double *target_lufs, double *ceiling_dbtp);

typedef struct _AvmLoudness AvmLoudness;

/* channels: 1-64 in this group; rate: 8000-384000 Hz; weights: one per
 * channel (NULL = all 1.0), copied; mask: channel mask reported in spans
 * (the group's channels in the caller's numbering); group: copied to the
 * spans.  Target -23 LUFS +/- 5 LU for 10 s until set otherwise.  NULL on
 * bad arguments. */
AvmLoudness *avm_loudness_new (unsigned channels, unsigned rate,
    const double *weights, uint64_t mask, unsigned group,
    AvmAudioSpanFunc func, void *user_data);
void avm_loudness_free (AvmLoudness * l);

/* target_lufs, tolerance_lu: the accepted short-term range;
 * min_duration: seconds. */
void avm_loudness_set_target (AvmLoudness * l, double target_lufs,
    double tolerance_lu, double min_duration);
/* 0 = measure only: no spans (an open one ends, not truncated). */
void avm_loudness_set_enabled (AvmLoudness * l, int enabled);

/* ch[c][0..n): samples of the group's channels (float, full scale 1.0);
 * pos: as avm_silence_process (), read after new/reset only. */
void avm_loudness_process (AvmLoudness * l, const float *const *ch,
    size_t n, uint64_t pos);

/* Values at the end of the last complete 100 ms sub-block. */
double avm_loudness_momentary (const AvmLoudness * l);
double avm_loudness_short_term (const AvmLoudness * l);
/* Highest momentary / short-term value since new or reset. */
double avm_loudness_momentary_max (const AvmLoudness * l);
double avm_loudness_short_term_max (const AvmLoudness * l);
/* Integrated loudness so far (LUFS), loudness range so far (LU, 0 when
 * fewer than two short-term values passed the gates).  O(histogram):
 * call them per stats interval, not per sample. */
double avm_loudness_integrated (const AvmLoudness * l);
double avm_loudness_range (const AvmLoudness * l);
/* Number of completed 100 ms sub-blocks (updates) since new or reset. */
uint64_t avm_loudness_updates (const AvmLoudness * l);

/* Ends an open span (truncated) and keeps measuring (for EOS: integrated
 * and range stay readable). */
void avm_loudness_finish (AvmLoudness * l);
/* Ends an open span (truncated) and forgets everything (new programme). */
void avm_loudness_reset (AvmLoudness * l);

/* The K-weighting biquads for a rate: b[stage][0..2], a[stage][1..2]
 * (a0 = 1), stage 0 the high shelf, 1 the high pass.  For tests. */
void avm_loudness_k_weighting (unsigned rate, double b[2][3],
    double a[2][3]);

#ifdef __cplusplus
}
#endif
#endif /* __AVM_LOUDNESS_H__ */
