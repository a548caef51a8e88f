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

/* All audio detectors and meters of one stream behind one call per buffer.
 *
 * The element maps a buffer and calls avm_audio_monitor_process () with its
 * plane pointers and sample offset; the monitor converts it to float chunk
 * by chunk (1024 frames, scratch allocated once in new) and runs every
 * enabled detector on each chunk: silence, channel-silence, clipping,
 * dropout, loudness per channel group (momentary, short-term, integrated,
 * range, short-term defect) and true peak.  Spans arrive through the
 * callback, synchronously, in sample positions.  The same monitor also
 * gathers per-channel RMS and sample peak for the stats messages.
 *
 * Results never depend on how the stream is cut into buffers. */

#ifndef __AVM_AUDIOMONITOR_H__
#define __AVM_AUDIOMONITOR_H__

#include "audiospan.h"
#include "samples.h"
#include "silence.h"
#include "clipping.h"
#include "dropout.h"
#include "loudness.h"
#include "truepeak.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AVM_AUDIO_MONITOR_CHUNK 1024
#define AVM_AUDIO_MONITOR_MAX_GROUPS 64

typedef struct {
  int silence_enabled;
  int channel_silence_enabled;
  double silence_threshold;     /* dBFS RMS, default -60 */
  double silence_duration;      /* s, default 2 */
  double channel_silence_threshold;     /* dBFS RMS, default -60 */
  double channel_silence_duration;      /* s, default 2 */
  int clipping_enabled;
  unsigned clipping_run;        /* samples, default 3 */
  double clipping_merge;        /* s, default 1 */
  int dropout_enabled;
  double dropout_threshold;     /* dBFS near-zero level, default -80 */
  double dropout_edge;          /* dBFS, default -50 */
  double dropout_duration;      /* s, default 0.005 */
  int loudness_enabled;         /* short-term defect; meters always run */
  double loudness_target;       /* LUFS, default -23 */
  double loudness_tolerance;    /* LU, default 5 */
  double loudness_duration;     /* s, default 10 */
  int true_peak_enabled;        /* true-peak defect; meter always runs */
  double true_peak_ceiling;     /* dBTP, default -1 */
} AvmAudioMonitorConfig;

/* Fills in the defaults (EBU R128 profile). */
void avm_audio_monitor_config_init (AvmAudioMonitorConfig * cfg);
/* Sets the loudness target and true-peak ceiling of a profile. */
void avm_audio_monitor_config_set_profile (AvmAudioMonitorConfig * cfg,
    AvmLoudnessProfile profile);

typedef struct _AvmAudioMonitor AvmAudioMonitor;

/* channels 1-64, rate 8000-384000.
 * weights: BS.1770 weight per channel (NULL: 1.0 each; give 0.0 for LFE,
 *   1.41 for surrounds).
 * groups: loudness group index per channel (0 .. n-1, each group used);
 *   NULL: one group when channels <= 8, stereo pairs (0-1, 2-3, ...) above.
 * Returns NULL on bad arguments or out of memory. */
AvmAudioMonitor *avm_audio_monitor_new (const AvmAudioMonitorConfig * cfg,
    AvmSampleFormat format, int interleaved, unsigned channels,
    unsigned rate, const double *weights, const unsigned *groups,
    AvmAudioSpanFunc func, void *user_data);
void avm_audio_monitor_free (AvmAudioMonitor * m);

/* Applies new thresholds, durations and enables (live changes). */
void avm_audio_monitor_set_config (AvmAudioMonitor * m,
    const AvmAudioMonitorConfig * cfg);

/* planes: as avm_samples_read (); frames: any number; offset: the sample
 * position of the first frame, read on the first call after new/finish
 * (later buffers are taken as contiguous: call finish on a discontinuity). */
void avm_audio_monitor_process (AvmAudioMonitor * m,
    const void *const *planes, size_t frames, uint64_t offset);

/* A GAP buffer or GAP event: `frames` of digital silence, not read. */
void avm_audio_monitor_process_silence (AvmAudioMonitor * m, size_t frames,
    uint64_t offset);

/* EOS, flush or discontinuity: ends every open span (truncated) and
 * restarts the detectors; loudness meters keep their integrated and range
 * values (call avm_loudness_reset () on them for a new programme). */
void avm_audio_monitor_finish (AvmAudioMonitor * m);

/* Per-channel RMS and sample peak (dBFS, AVM_AUDIO_DB_FLOOR for zeros)
 * since the previous call; arrays of `channels` doubles, either may be
 * NULL.  Resets the interval. */
void avm_audio_monitor_take_levels (AvmAudioMonitor * m, double *rms_db,
    double *peak_db);

unsigned avm_audio_monitor_n_groups (const AvmAudioMonitor * m);
/* The meters, owned by the monitor (read values, do not free). */
AvmLoudness *avm_audio_monitor_loudness (AvmAudioMonitor * m,
    unsigned group);
AvmTruePeak *avm_audio_monitor_true_peak (AvmAudioMonitor * m);

#ifdef __cplusplus
}
#endif
#endif /* __AVM_AUDIOMONITOR_H__ */
