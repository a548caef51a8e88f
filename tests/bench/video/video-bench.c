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
/* video-bench: speed of the video detectors, one thread, on synthetic
 * moving content (a textured picture panning 3 px per frame back and forth,
 * with a textured sprite moving across it), I420, one line per case:
 *   bench video detector=all size=1920x1080 frames=N fps=F ns_per_pixel=P
 * detector=luma is the one pass over the plane; the others run on its
 * thumbnails, but for the gridscan cases: the block detector's grid scan
 * alone, on the full plane as 8-bit, YUY2 and 10-bit.
 * Usage: video-bench [seconds-per-case, default 1] [filter]:
 * with a filter, only the cases whose "detector=D size=WxH" contains it
 * (e.g. "all size=1920x1080", to profile one case). */

#include "videoanalysis.h"
#include "synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef __OPTIMIZE__
int
main (void)
{
  fprintf (stderr, "video-bench: built without optimisation; numbers would "
      "be meaningless (use buildtype=debugoptimized or release)\n");
  return 2;
}
#else

#define NFRAMES 8

static const char *filter;

/* TRUE when the case @det at @w x @h passes the command-line filter */
static int
want (const char *det, int w, int h)
{
  char name[64];

  if (!filter)
    return 1;
  snprintf (name, sizeof (name), "detector=%s size=%dx%d", det, w, h);
  return strstr (name, filter) != NULL;
}

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct
{
  int w, h;
  uint8_t *y[NFRAMES];
  uint8_t *chroma;              /* flat 4:2:0 chroma, shared */
  uint8_t *thumb[NFRAMES];
  AvmLumaStats stats[NFRAMES];
  int tw, th;
} Content;

/* ping-pong through the frames so motion never jumps */
static int
frame_at (uint64_t i)
{
  int k = (int) (i % (2 * NFRAMES - 2));
  return k < NFRAMES ? k : 2 * NFRAMES - 2 - k;
}

static void
content_init (Content * c, int w, int h)
{
  SynthTexture tex, spr;
  AvmLuma l;
  int i;

  c->w = w;
  c->h = h;
  synth_texture_init (&tex, w + 64, h, 7);
  synth_texture_init (&spr, 256, 256, 99);
  avm_luma_init (&l, w, h, AVM_LUMA_Y8, 0, 0.1);
  avm_luma_thumb_size (&l, &c->tw, &c->th);
  for (i = 0; i < NFRAMES; i++) {
    AvmLumaPlane p;
    c->y[i] = malloc ((size_t) w * h);
    c->thumb[i] = malloc ((size_t) c->tw * c->th);
    synth_pan (&tex, c->y[i], (size_t) w, w, h, 3 * i, 0);
    synth_sprite (&spr, c->y[i], (size_t) w, w, h, w / 4 + 10 * i, h / 3 +
        4 * i, w / 8, h / 8, 0, 0);
    p.data = c->y[i];
    p.stride = (size_t) w;
    p.width = w;
    p.height = h;
    p.layout = AVM_LUMA_Y8;
    avm_luma_process (&l, &p, c->thumb[i], &c->stats[i]);
  }
  c->chroma = malloc ((size_t) ((w + 1) / 2) * ((h + 1) / 2));
  memset (c->chroma, 128, (size_t) ((w + 1) / 2) * ((h + 1) / 2));
  avm_luma_clear (&l);
  synth_texture_free (&tex);
  synth_texture_free (&spr);
}

static void
content_free (Content * c)
{
  int i;
  for (i = 0; i < NFRAMES; i++) {
    free (c->y[i]);
    free (c->thumb[i]);
  }
  free (c->chroma);
}

static void
report (const char *det, const Content * c, uint64_t n, double dt)
{
  double fps = n / dt;
  printf ("bench video detector=%s size=%dx%d frames=%llu fps=%.1f "
      "ns_per_pixel=%.4f\n", det, c->w, c->h, (unsigned long long) n, fps,
      dt * 1e9 / ((double) n * c->w * c->h));
  fflush (stdout);
}

#define FRAME_NS ((uint64_t) 40000000)

/* Runs @body until @secs have passed, checking the clock every 16 frames. */
#define TIMED(secs, n, dt, ...) do { \
    double t0_ = now (), t1_; \
    n = 0; \
    do { \
      int k_; \
      for (k_ = 0; k_ < 16; k_++, n++) { __VA_ARGS__; } \
      t1_ = now (); \
    } while (t1_ - t0_ < (secs)); \
    dt = t1_ - t0_; \
  } while (0)

/* Times every detector through avm_video_analysis_process() with @cfg, as
 * the element calls it; @memory: also print the stream's memory. */
static void
time_all (const Content * c, const AvmVideoFormat * fmt,
    const AvmVideoConfig * cfg, const AvmChromaPlanes * ch, const char *name,
    double secs, int memory)
{
  AvmVideoAnalysis a;
  AvmVideoResult r;
  uint64_t n;
  double dt;
  volatile double sink = 0.0;
  int w = c->w, h = c->h;

  if (!want (name, w, h))
    return;
  if (avm_video_analysis_init (&a, fmt, cfg) < 0) {
    fprintf (stderr, "init failed\n");
    exit (1);
  }
  TIMED (secs, n, dt, {
        AvmLumaPlane p = { c->y[frame_at (n)], (size_t) w, w, h,
          AVM_LUMA_Y8 };
        avm_video_analysis_process (&a, &p, ch, n * FRAME_NS, FRAME_NS, 0,
            &r);
        sink += r.blocks.area + r.motion;
      });
  report (name, c, n, dt);
  if (memory)
    printf ("bench video memory size=%dx%d bytes=%zu\n", w, h,
        avm_video_analysis_memory (&a));
  avm_video_analysis_clear (&a);
}

/* The block detector's grid scan alone (gridscan.h) on the content's
 * luma in @layout: 8-bit planes are read in place, the packed and 10-bit
 * layouts a sample at a time. */
static void
time_gridscan (const Content * c, const char *name, AvmLumaLayout layout,
    double secs)
{
  int w = c->w, h = c->h, i, j, x;
  size_t stride = layout == AVM_LUMA_Y8 ? (size_t) w : 2 * (size_t) w;
  uint8_t *buf[NFRAMES];
  AvmGridScan s;
  AvmGridScanFrame f;
  uint64_t n;
  double dt;
  volatile int sink = 0;

  if (!want (name, w, h))
    return;
  for (i = 0; i < NFRAMES; i++) {
    if (layout == AVM_LUMA_Y8) {
      buf[i] = c->y[i];
      continue;
    }
    buf[i] = malloc (stride * h);
    for (j = 0; j < h; j++) {
      const uint8_t *src = c->y[i] + (size_t) j * w;
      uint8_t *dst = buf[i] + (size_t) j * stride;

      for (x = 0; x < w; x++) {
        if (layout == AVM_LUMA_YUY2) {
          dst[2 * x] = src[x];
          dst[2 * x + 1] = 128;
        } else {                /* AVM_LUMA_Y10LE: the same picture */
          dst[2 * x] = (uint8_t) (src[x] << 2);
          dst[2 * x + 1] = (uint8_t) (src[x] >> 6);
        }
      }
    }
  }
  if (avm_grid_scan_init (&s, w, h, 6.0) < 0) {
    fprintf (stderr, "init failed\n");
    exit (1);
  }
  TIMED (secs, n, dt, {
        AvmLumaPlane p = { buf[frame_at (n)], stride, w, h, layout };
        avm_grid_scan_process (&s, &p, 0, &f);
        sink += f.blocks;
      });
  report (name, c, n, dt);
  avm_grid_scan_clear (&s);
  if (layout != AVM_LUMA_Y8)
    for (i = 0; i < NFRAMES; i++)
      free (buf[i]);
  (void) sink;
}

static void
bench_size (int w, int h, double secs)
{
  Content c;
  AvmVideoFormat fmt = { w, h, AVM_LUMA_Y8, 0, FRAME_NS };
  AvmVideoConfig cfg;
  AvmChromaPlanes ch;
  uint64_t n;
  double dt;
  volatile double sink = 0.0;
  static const char *const dets[] = { "all", "all-texture", "all-scan",
    "all-norepeat", "luma", "black", "freeze", "blocks", "gridscan", "gridscan-yuy2",
    "gridscan-y10le", "frametiming"
  };
  size_t k;

  for (k = 0; k < sizeof (dets) / sizeof (dets[0]); k++)
    if (want (dets[k], w, h))
      break;
  if (k == sizeof (dets) / sizeof (dets[0]))
    return;
  content_init (&c, w, h);
  avm_video_config_default (&cfg);
  memset (&ch, 0, sizeof (ch));
  ch.data[0] = ch.data[1] = c.chroma;
  ch.stride[0] = ch.stride[1] = (size_t) ((w + 1) / 2);
  ch.pixel_stride = 1;
  ch.width = (w + 1) / 2;
  ch.height = (h + 1) / 2;

  /* all detectors, as the element calls them; then with the block
   * detector's texture test (its measured setting) and its grid scan
   * forced on, both on by default only up to 1280x720, for their cost
   * (at 720p these runs time what "all" does); and without its repeat
   * test (on by default), for its */
  time_all (&c, &fmt, &cfg, &ch, "all", secs, 1);
  {
    AvmVideoConfig v = cfg;
    v.blocks.texture_ratio = 3.0;
    time_all (&c, &fmt, &v, &ch, "all-texture", secs, 0);
  }
  {
    AvmVideoConfig v = cfg;
    v.blocks.scan = 1;
    time_all (&c, &fmt, &v, &ch, "all-scan", secs, 0);
  }
  {
    AvmVideoConfig v = cfg;
    v.blocks.repeat = 0;
    time_all (&c, &fmt, &v, &ch, "all-norepeat", secs, 0);
  }

  if (want ("luma", w, h)) {
    AvmLuma l;
    uint8_t *t = malloc ((size_t) c.tw * c.th);
    AvmLumaStats st;
    avm_luma_init (&l, w, h, AVM_LUMA_Y8, 0, 0.1);
    TIMED (secs, n, dt, {
          AvmLumaPlane p = { c.y[frame_at (n)], (size_t) w, w, h,
            AVM_LUMA_Y8 };
          avm_luma_process (&l, &p, t, &st);
          sink += st.mean;
        });
    report ("luma", &c, n, dt);
    avm_luma_clear (&l);
    free (t);
  }
  if (want ("black", w, h)) {
    AvmBlackDetector b;
    AvmBlackFrame bf;
    AvmSpanEvent e1, e2;
    avm_black_init (&b, w, h, &cfg.black);
    TIMED (secs, n, dt, {
          int i = frame_at (n);
          avm_black_classify (&b, c.thumb[i], &c.stats[i], &ch, &bf);
          avm_black_update (&b, &bf, n * FRAME_NS, FRAME_NS, &e1, &e2);
          sink += bf.uniform_share;
        });
    report ("black", &c, n, dt);
  }
  if (want ("freeze", w, h)) {
    AvmFreezeDetector f;
    AvmFreezeFrame ff;
    AvmSpanEvent e;
    avm_freeze_init (&f, w, h, &cfg.freeze);
    TIMED (secs, n, dt, {
          avm_freeze_process (&f, c.thumb[frame_at (n)],
              n ? c.thumb[frame_at (n - 1)] : NULL, n * FRAME_NS, FRAME_NS,
              0, &e, &ff);
          sink += ff.motion;
        });
    report ("freeze", &c, n, dt);
    avm_freeze_clear (&f);
  }
  if (want ("blocks", w, h)) {
    AvmBlocksDetector bd;
    AvmBlocksFrame bf;
    AvmSpanEvent e;
    avm_blocks_init (&bd, w, h, &cfg.blocks);
    TIMED (secs, n, dt, {
          avm_blocks_process (&bd, c.thumb[frame_at (n)],
              n ? c.thumb[frame_at (n - 1)] : NULL, NULL, n * FRAME_NS,
              FRAME_NS, 0, &e, &bf);
          sink += bf.area;
        });
    report ("blocks", &c, n, dt);
    avm_blocks_clear (&bd);
  }
  time_gridscan (&c, "gridscan", AVM_LUMA_Y8, secs);
  time_gridscan (&c, "gridscan-yuy2", AVM_LUMA_YUY2, secs);
  time_gridscan (&c, "gridscan-y10le", AVM_LUMA_Y10LE, secs);
  if (want ("frametiming", w, h)) {
    AvmFrameTiming ft;
    AvmTimingEvent e;
    avm_frame_timing_init (&ft, FRAME_NS);
    TIMED (secs, n, dt, {
          avm_frame_timing_process (&ft, n * FRAME_NS, FRAME_NS, &e);
          sink += e.value_ms;
        });
    report ("frametiming", &c, n, dt);
  }
  (void) sink;
  content_free (&c);
}

int
main (int argc, char **argv)
{
  double secs = argc > 1 ? atof (argv[1]) : 1.0;

  if (secs <= 0.0)
    secs = 1.0;
  if (argc > 2)
    filter = argv[2];
  bench_size (1280, 720, secs);
  bench_size (1920, 1080, secs);
  bench_size (3840, 2160, secs);
  return 0;
}
#endif
