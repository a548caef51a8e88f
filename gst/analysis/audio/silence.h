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

/* Silence and channel-silence.
 *
 * Level is the RMS over consecutive 5 ms windows per channel, not the sample
 * peak: a -70 dBFS noise floor has peaks more than 10 dB above its RMS.  A
 * window is quiet on a channel when its RMS is below the threshold.
 *
 * - silence: every channel quiet for at least min_duration.
 * - channel-silence: one or more channels quiet for at least min_duration
 *   while the programme is not silent; the mask is the union of those
 *   channels over the span.  A silent programme is reported as silence only:
 *   an open channel-silence span ends where the silence begins.  Its
 *   threshold and minimum duration are its own (by default the silence
 *   ones); when every channel is quiet by the channel threshold for its
 *   minimum duration, the programme is quiet, not missing a channel, and no
 *   channel-silence is reported either.
 *
 * Edges are exact to the window: a span starts at the first window that is
 * wholly quiet and ends at the first window that is not, so both are within
 * 5 ms of the true edge (windows are aligned to the first sample fed). */

#ifndef __AVM_SILENCE_H__
#define __AVM_SILENCE_H__

#include "audiospan.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AVM_SILENCE_DEFAULT_THRESHOLD_DB (-60.0)
#define AVM_SILENCE_DEFAULT_DURATION_S 2.0
#define AVM_SILENCE_WINDOW_S 0.005

typedef struct _AvmSilence AvmSilence;

/* Returns NULL on bad arguments (channels 1-64, rate 1-768000) or when out
 * of memory.  threshold_db: RMS in dBFS (a full-scale square wave is 0);
 * min_duration: seconds. */
AvmSilence *avm_silence_new (unsigned channels, unsigned rate,
    double threshold_db, double min_duration, AvmAudioSpanFunc func,
    void *user_data);
void avm_silence_free (AvmSilence * s);

/* Thresholds may change between calls; they apply from the next window.
 * Sets both kinds: silence and channel-silence. */
void avm_silence_set_threshold (AvmSilence * s, double threshold_db,
    double min_duration);

/* The channel-silence threshold and minimum alone (call after
 * avm_silence_set_threshold, which resets them to the silence values). */
void avm_silence_set_channel_threshold (AvmSilence * s, double threshold_db,
    double min_duration);

/* Enables or disables each kind; a disabled kind ends its open span (not
 * truncated) and reports nothing. */
void avm_silence_set_enabled (AvmSilence * s, int silence, int channel);

/* ch[c][0..n) are the samples of channel c; pos is the position of
 * ch[c][0], read on the first call after new or finish only: later calls
 * continue where the previous one ended (call finish on a timestamp jump).
 * Any n, including 0 and 1. */
void avm_silence_process (AvmSilence * s, const float *const *ch, size_t n,
    uint64_t pos);

/* Ends open spans at the position after the last sample fed, truncated, and
 * restarts from a clean state (for EOS, flush, or a timestamp jump). */
void avm_silence_finish (AvmSilence * s);

/* 1 if a silence / channel-silence span is open. */
int avm_silence_is_silent (const AvmSilence * s);
int avm_silence_channel_is_open (const AvmSilence * s);

#ifdef __cplusplus
}
#endif
#endif /* __AVM_SILENCE_H__ */
