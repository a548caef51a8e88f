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

/* Dropouts: short holes inside signal.
 *
 * A hole is a run of samples of one channel with |x| below the near-zero
 * level (default -80 dBFS, 1e-4: a zero fill, even dithered S16, stays
 * below it, while a signal at -50 dBFS or more is above it at all but a few
 * samples around its zero crossings), lasting from min_duration (5 ms) to
 * max_duration (2 s: longer holes are silence or channel-silence).
 *
 * A hole is a dropout only when its edges are abrupt: some sample within
 * edge_window (10 ms) before it and some sample within edge_window after it
 * reach the edge level (default -50 dBFS, 30 dB above near-zero).  A pause
 * that decays naturally, a fade or a quiet passage reaches near-zero through
 * a gradual decay, so the 10 ms before the hole never hold a sample 30 dB
 * above it: no false alarm on them.  The price: a hole in a passage quieter
 * than the edge level is not found.
 *
 * Holes of different channels that overlap are merged into one span with
 * the channels in the mask.  A span is reported (start and end together)
 * once the signal after it has been seen; it is exact to the sample: start
 * is the first near-zero sample, end the first sample after the hole. */

#ifndef __AVM_DROPOUT_H__
#define __AVM_DROPOUT_H__

#include "audiospan.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AVM_DROPOUT_DEFAULT_THRESHOLD_DB (-80.0)
#define AVM_DROPOUT_DEFAULT_EDGE_DB (-50.0)
#define AVM_DROPOUT_DEFAULT_DURATION_S 0.005
#define AVM_DROPOUT_DEFAULT_MAX_DURATION_S 2.0
#define AVM_DROPOUT_EDGE_WINDOW_S 0.010

typedef struct _AvmDropout AvmDropout;

/* threshold_db: near-zero level, dBFS (sample magnitude); edge_db: level an
 * edge sample must reach, dBFS; min_duration, max_duration: seconds.
 * NULL on bad arguments (channels 1-64). */
AvmDropout *avm_dropout_new (unsigned channels, unsigned rate,
    double threshold_db, double edge_db, double min_duration,
    double max_duration, AvmAudioSpanFunc func, void *user_data);
void avm_dropout_free (AvmDropout * d);
void avm_dropout_set_params (AvmDropout * d, double threshold_db,
    double edge_db, double min_duration, double max_duration);

/* As avm_silence_process (): pos is read after new/finish only. */
void avm_dropout_process (AvmDropout * d, const float *const *ch, size_t n,
    uint64_t pos);

/* Reports a confirmed span still held for merging, drops holes whose end
 * has not been seen (a hole at EOS is not a dropout) and resets. */
void avm_dropout_finish (AvmDropout * d);

#ifdef __cplusplus
}
#endif
#endif /* __AVM_DROPOUT_H__ */
