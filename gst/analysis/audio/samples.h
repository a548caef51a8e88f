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

/* Reading raw audio samples into float, one array per channel.
 *
 * The detectors work on float samples in [-1, 1] (full scale), one array per
 * channel.  These functions convert a slice of a mapped buffer into arrays
 * the caller owns (scratch allocated once per configuration), so a buffer is
 * read once, in place, chunk by chunk, with no allocation. */

#ifndef __AVM_SAMPLES_H__
#define __AVM_SAMPLES_H__

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  AVM_SAMPLE_S16LE,
  AVM_SAMPLE_S32LE,
  AVM_SAMPLE_F32LE,
  AVM_SAMPLE_F64LE
} AvmSampleFormat;

/* Bytes per sample of one channel. */
size_t avm_sample_format_width (AvmSampleFormat format);

/* 1 for float formats: only they can carry overs (|x| > 1.0). */
int avm_sample_format_is_float (AvmSampleFormat format);

/* The converted value of the highest positive code: integer formats are
 * asymmetric (S16: +32767 -> 32767/32768), so a flat top at the highest code
 * is full scale although it is below 1.0.  S32 converts to float with 24-bit
 * precision, so its highest 128 codes all read as 1.0. */
float avm_sample_format_full_scale (AvmSampleFormat format);

/* Converts frames [first, first + n_frames) of every channel to float.
 *
 * planes: interleaved: planes[0] is the buffer (frame f, channel c at sample
 *   index f * channels + c); planar (non-interleaved): planes[c] is channel
 *   c's plane.  Samples are little-endian as the format says; the pointers
 *   need no alignment.
 * out: out[c] receives n_frames floats for channel c (caller-owned).
 * Integer samples are scaled by 2^-15 / 2^-31, so the lowest code is -1.0. */
void avm_samples_read (AvmSampleFormat format, int interleaved,
    const void *const *planes, unsigned channels, size_t first,
    size_t n_frames, float *const *out);

#ifdef __cplusplus
}
#endif
#endif /* __AVM_SAMPLES_H__ */
