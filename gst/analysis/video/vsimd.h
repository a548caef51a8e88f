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

/* Private to gst/analysis/video: how hot kernels are compiled. */

#ifndef __AVM_VSIMD_H__
#define __AVM_VSIMD_H__

/* Debian targets plain x86-64 (SSE2).  The few kernels that touch every
 * pixel get an AVX2 clone chosen at load time by GCC's target_clones
 * (an ifunc resolver asks the CPU once); elsewhere they stay generic.
 * AVM_NO_CLONES builds without the clones, to compare. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__linux__) && !defined(AVM_NO_CLONES)
#define AVM_SIMD_CLONES __attribute__ ((target_clones ("avx2", "default")))
/* hand-written AVX2 kernels, chosen at run time (__builtin_cpu_supports) */
#define AVM_HAVE_AVX2_TARGET 1
#else
#define AVM_SIMD_CLONES
#endif

#endif /* __AVM_VSIMD_H__ */
