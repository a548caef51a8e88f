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

/* Spans reported by the audio detectors.
 *
 * Every audio detector reports defects as spans in sample positions: the
 * caller feeds each buffer with the position of its first frame (its sample
 * offset) and turns `start` / `end` into time.  A start is reported as soon
 * as the defect is certain (for silence: once it has lasted the minimum
 * duration), but it always carries the position where the defect began.  An
 * end carries both positions again, so a reader that missed the start still
 * has the whole span. */

#ifndef __AVM_AUDIO_SPAN_H__
#define __AVM_AUDIO_SPAN_H__

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Levels of digital zero are reported as this instead of -inf, so that
 * every value stays a finite number in messages and JSON. */
#define AVM_AUDIO_DB_FLOOR (-200.0)

/* Marks a position that is not set. */
#define AVM_AUDIO_POS_NONE UINT64_MAX

typedef enum {
  AVM_AUDIO_DEFECT_SILENCE,           /* value: highest 5 ms RMS, dBFS */
  AVM_AUDIO_DEFECT_CHANNEL_SILENCE,   /* value: highest 5 ms RMS of the
                                       * silent channels, dBFS */
  AVM_AUDIO_DEFECT_CLIPPING,          /* value: highest |sample|, dBFS
                                       * (> 0 for overs) */
  AVM_AUDIO_DEFECT_DROPOUT,           /* value: span length, ms */
  AVM_AUDIO_DEFECT_LOUDNESS_SHORT_TERM,       /* value: short-term loudness
                                               * furthest from target, LUFS */
  AVM_AUDIO_DEFECT_TRUE_PEAK          /* value: highest true peak, dBTP */
} AvmAudioDefect;

typedef enum {
  AVM_AUDIO_SPAN_START,
  AVM_AUDIO_SPAN_END
} AvmAudioSpanEvent;

typedef struct {
  AvmAudioDefect kind;
  AvmAudioSpanEvent event;
  /* first affected sample (absolute position, as fed by the caller) */
  uint64_t start;
  /* END only: first unaffected sample; duration is end - start samples */
  uint64_t end;
  /* the worst measure so far (see AvmAudioDefect for the unit) */
  double value;
  /* the threshold it crossed, same unit as value */
  double threshold;
  /* bit c set = channel c of the detector's input affected (channels 0-63);
   * for loudness: the channels of the meter's group */
  uint64_t channel_mask;
  /* clipping only: samples at full scale or over it, summed over channels */
  uint64_t clipped_samples;
  /* loudness and true peak: index of the meter (channel group) */
  unsigned group;
  /* END only: 1 if the end was forced by finish() (EOS, flush), not by
   * recovery */
  int truncated;
} AvmAudioSpan;

/* Called synchronously from the process and finish functions.  The span is
 * only valid during the call.  Must not call back into the detector. */
typedef void (*AvmAudioSpanFunc) (const AvmAudioSpan * span, void *user_data);

#ifdef __cplusplus
}
#endif
#endif /* __AVM_AUDIO_SPAN_H__ */
