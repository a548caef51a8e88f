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

/* True peak (ITU-R BS.1770-4 Annex 2): the peak of the reconstructed
 * waveform, estimated by 4x oversampling with a polyphase FIR interpolator
 * (AVM_TRUE_PEAK_TAPS taps per phase, a Kaiser-windowed sinc designed at
 * init for this rate; phase 0 is the sample itself).  No DC blocking or
 * pre-emphasis (both optional in BS.1770).
 *
 * Only slices that can raise a maximum or cross the ceiling are
 * interpolated: an output is a weighted sum of AVM_TRUE_PEAK_TAPS samples,
 * so it cannot exceed max|x| over them times the largest sum of |h| of a
 * phase.  Slices whose bound is below both the ceiling and the channel's
 * current interval maximum are skipped.  The bound is exact arithmetic, so
 * skipping never changes a result; it only saves time on programme audio.
 *
 * The interpolated value between samples n and n+1 is known after
 * AVM_TRUE_PEAK_TAPS / 2 more samples: results lag the input by that many
 * samples, and the last ones of a stream count with their sample peak only.
 *
 * Defect spans (AVM_AUDIO_DEFECT_TRUE_PEAK): interpolated values over the
 * ceiling, attributed to the sample before them, merged when closer than
 * merge_gap; end = sample after the last over. */

#ifndef __AVM_TRUEPEAK_H__
#define __AVM_TRUEPEAK_H__

#include "audiospan.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AVM_TRUE_PEAK_TAPS 24
#define AVM_TRUE_PEAK_OVERSAMPLING 4
#define AVM_TRUE_PEAK_DEFAULT_MERGE_S 1.0

typedef struct _AvmTruePeak AvmTruePeak;

/* ceiling_dbtp: dBTP (EBU R128: -1, ATSC A/85: -2); merge_gap: seconds;
 * group: copied to the spans.  NULL on bad arguments (channels 1-64,
 * rate 1-768000). */
AvmTruePeak *avm_true_peak_new (unsigned channels, unsigned rate,
    double ceiling_dbtp, double merge_gap, unsigned group,
    AvmAudioSpanFunc func, void *user_data);
void avm_true_peak_free (AvmTruePeak * t);
void avm_true_peak_set_ceiling (AvmTruePeak * t, double ceiling_dbtp,
    double merge_gap);
/* 0 = measure only: no spans (an open one ends, not truncated). */
void avm_true_peak_set_enabled (AvmTruePeak * t, int enabled);

/* As avm_silence_process (): pos is read after new/finish only. */
void avm_true_peak_process (AvmTruePeak * t, const float *const *ch,
    size_t n, uint64_t pos);

/* Highest true peak since new, dBTP, of one channel or of all
 * (channel < 0); AVM_AUDIO_DB_FLOOR when nothing but zeros. */
double avm_true_peak_max (const AvmTruePeak * t, int channel);

/* Highest true peak since the previous call (the stats interval), dBTP:
 * returns the maximum over channels; per_channel (may be NULL) receives one
 * value per channel.  Resets the interval. */
double avm_true_peak_take_interval (AvmTruePeak * t, double *per_channel);

/* Ends an open span (truncated) and forgets the stream (for EOS, flush,
 * a discontinuity); the maxima stay readable until new. */
void avm_true_peak_finish (AvmTruePeak * t);

/* The interpolator, for tests: taps of phase p (1-3), AVM_TRUE_PEAK_TAPS
 * floats; applied to x[n - TAPS/2 + 1 + k] it gives x(n + p/4). */
const float *avm_true_peak_taps (const AvmTruePeak * t, unsigned phase);

#ifdef __cplusplus
}
#endif
#endif /* __AVM_TRUEPEAK_H__ */
