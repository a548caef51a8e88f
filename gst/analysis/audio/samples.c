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

#include "samples.h"

#include <string.h>

size_t
avm_sample_format_width (AvmSampleFormat format)
{
  switch (format) {
    case AVM_SAMPLE_S16LE:
      return 2;
    case AVM_SAMPLE_S32LE:
    case AVM_SAMPLE_F32LE:
      return 4;
    case AVM_SAMPLE_F64LE:
      return 8;
  }
  return 0;
}

int
avm_sample_format_is_float (AvmSampleFormat format)
{
  return format == AVM_SAMPLE_F32LE || format == AVM_SAMPLE_F64LE;
}

float
avm_sample_format_full_scale (AvmSampleFormat format)
{
  switch (format) {
    case AVM_SAMPLE_S16LE:
      return 32767.0f / 32768.0f;
    case AVM_SAMPLE_S32LE:
      return (float) (2147483647.0 / 2147483648.0);
    default:
      return 1.0f;
  }
}

#if defined (__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define AVM_BIG_ENDIAN 1
#else
#define AVM_BIG_ENDIAN 0
#endif

/* memcpy keeps unaligned and aliased reads defined; GCC turns it into plain
 * loads, and the loops below still vectorise. */
static inline int16_t
rd_s16 (const uint8_t * p)
{
  uint16_t v;
  memcpy (&v, p, 2);
#if AVM_BIG_ENDIAN
  v = __builtin_bswap16 (v);
#endif
  return (int16_t) v;
}

static inline int32_t
rd_s32 (const uint8_t * p)
{
  uint32_t v;
  memcpy (&v, p, 4);
#if AVM_BIG_ENDIAN
  v = __builtin_bswap32 (v);
#endif
  return (int32_t) v;
}

static inline float
rd_f32 (const uint8_t * p)
{
  uint32_t v;
  float f;
  memcpy (&v, p, 4);
#if AVM_BIG_ENDIAN
  v = __builtin_bswap32 (v);
#endif
  memcpy (&f, &v, 4);
  return f;
}

static inline double
rd_f64 (const uint8_t * p)
{
  uint64_t v;
  double d;
  memcpy (&v, p, 8);
#if AVM_BIG_ENDIAN
  v = __builtin_bswap64 (v);
#endif
  memcpy (&d, &v, 8);
  return d;
}

/* One strided channel; stride in samples.  Separate loops per format so
 * each one is a simple loop the compiler can vectorise. */
static void
read_channel (AvmSampleFormat format, const uint8_t * src, size_t stride,
    size_t n, float *restrict dst)
{
  size_t i;

  switch (format) {
    case AVM_SAMPLE_S16LE:
      for (i = 0; i < n; i++)
        dst[i] = (float) rd_s16 (src + 2 * i * stride) * (1.0f / 32768.0f);
      break;
    case AVM_SAMPLE_S32LE:
      for (i = 0; i < n; i++)
        dst[i] = (float) rd_s32 (src + 4 * i * stride) *
            (1.0f / 2147483648.0f);
      break;
    case AVM_SAMPLE_F32LE:
      for (i = 0; i < n; i++)
        dst[i] = rd_f32 (src + 4 * i * stride);
      break;
    case AVM_SAMPLE_F64LE:
      for (i = 0; i < n; i++)
        dst[i] = (float) rd_f64 (src + 8 * i * stride);
      break;
  }
}

static void
read_stereo_f32 (const uint8_t * src, size_t n, float *restrict l,
    float *restrict r)
{
  size_t i;

  for (i = 0; i < n; i++) {
    l[i] = rd_f32 (src + 8 * i);
    r[i] = rd_f32 (src + 8 * i + 4);
  }
}

void
avm_samples_read (AvmSampleFormat format, int interleaved,
    const void *const *planes, unsigned channels, size_t first,
    size_t n_frames, float *const *out)
{
  size_t width = avm_sample_format_width (format);
  unsigned c;

  if (n_frames == 0 || channels == 0)
    return;

  if (!interleaved) {
    for (c = 0; c < channels; c++)
      read_channel (format, (const uint8_t *) planes[c] + first * width, 1,
          n_frames, out[c]);
    return;
  }

  /* The common stereo float case gets a loop of its own: the generic
   * strided loop does not vectorise. */
  if (channels == 2 && format == AVM_SAMPLE_F32LE) {
    read_stereo_f32 ((const uint8_t *) planes[0] + first * 8, n_frames,
        out[0], out[1]);
    return;
  }

  for (c = 0; c < channels; c++)
    read_channel (format,
        (const uint8_t *) planes[0] + (first * channels + c) * width,
        channels, n_frames, out[c]);
}
