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

/* Clipping, from the samples alone.
 *
 * A clipped sample is either part of a run of at least min_run consecutive
 * samples of one channel at full scale with the same sign (a flat top: at
 * or above the format's full_scale, or at or below -1.0), or, for float
 * formats, an over: |x| > 1.0.  Lossy coding smooths flat tops into overs,
 * so overs are the only trace of clipping left in decoded float audio.
 * A single full-scale sample, or a sine peaking just below full scale, is
 * not clipping.
 *
 * Clipped samples closer than merge_gap to the previous ones (any channel)
 * extend the current span; the span ends merge_gap after the last clipped
 * sample, at the sample after it.  Spans are exact to the sample. */

#ifndef __AVM_CLIPPING_H__
#define __AVM_CLIPPING_H__

#include "audiospan.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AVM_CLIPPING_DEFAULT_MIN_RUN 3
#define AVM_CLIPPING_DEFAULT_MERGE_S 1.0

typedef struct _AvmClipping AvmClipping;

/* full_scale: avm_sample_format_full_scale () of the input format;
 * overs: 1 to count overs (float formats); min_run: samples (>= 1);
 * merge_gap: seconds.  NULL on bad arguments (channels 1-64). */
AvmClipping *avm_clipping_new (unsigned channels, unsigned rate,
    float full_scale, int overs, unsigned min_run, double merge_gap,
    AvmAudioSpanFunc func, void *user_data);
void avm_clipping_free (AvmClipping * c);
void avm_clipping_set_params (AvmClipping * c, unsigned min_run,
    double merge_gap);

/* As avm_silence_process (): pos is read after new/finish only. */
void avm_clipping_process (AvmClipping * c, const float *const *ch,
    size_t n, uint64_t pos);

/* Ends an open span (truncated) and resets. */
void avm_clipping_finish (AvmClipping * c);

/* Clipped samples counted since new (all channels). */
uint64_t avm_clipping_total (const AvmClipping * c);

#ifdef __cplusplus
}
#endif
#endif /* __AVM_CLIPPING_H__ */
