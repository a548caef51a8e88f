/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/* Replays raw GRAY8 frames (as `accuracy.py realdamage --keep DIR` leaves
 * them: *.twin.gray, *.dmg.gray) through the video analysis and prints the
 * block-corruption measures of every frame, for tuning blocks.c without a
 * pipeline:
 *
 *   blocks-replay FILE WIDTH HEIGHT [all] [area=A] [ratio=R] [edge=E]
 *       [minres=M]
 *
 * One line per frame with damaged blocks (every frame with `all`):
 * `frame N area A blocks B median M searched S cut C ...`, and for every
 * span event `span N start|end F`: the frame N that reports it and the
 * span's own start or end F, in frames (the end of the file ends an open
 * span). */

#include "videoanalysis.h"
#include "gridstep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main (int argc, char **argv)
{
  AvmVideoFormat fmt;
  AvmVideoConfig cfg;
  AvmVideoAnalysis a;
  AvmVideoResult r;
  AvmLumaPlane plane;
  FILE *f;
  uint8_t *buf;
  size_t fs;
  int w, h, all, dump = 0, scan = 0, freeze = 0, scan_borders = 2, cuts = 0;
  double prev_med = 0.0;
  double scan_ratio = 6.0, scan_inner = 1.0;
  uint64_t n = 0, dur = AVM_SECOND / 25;

  if (argc < 4) {
    fprintf (stderr, "usage: %s FILE WIDTH HEIGHT [all] [dump] [scan] "
        "[scanpos] [scanratio=R] [scaninner=0|1] [scanborders=N] "
        "[freeze] [area=A] [ratio=R] [edge=E] [minres=M] "
        "[minblocks=N] [duration=S] [hold=S] [gridratio=R] [gridmin=N] "
        "[texture=K] [texmax=PIXELS] [gridscan=0|1] [scanmax=PIXELS] [repeat=0|1] [stand=0|1] [boundary=S]\n",
        argv[0]);
    return 2;
  }
  w = atoi (argv[2]);
  h = atoi (argv[3]);
  all = 0;
  f = fopen (argv[1], "rb");
  if (!f || w < 16 || h < 16) {
    fprintf (stderr, "cannot read %s at %dx%d\n", argv[1], w, h);
    return 2;
  }
  memset (&fmt, 0, sizeof (fmt));
  fmt.width = w;
  fmt.height = h;
  fmt.layout = AVM_LUMA_Y8;
  fmt.frame_duration = dur;
  avm_video_config_default (&cfg);
  for (int k = 4; k < argc; k++) {
    if (strcmp (argv[k], "all") == 0)
      all = 1;
    else if (strcmp (argv[k], "dump") == 0)
      dump = 1;
    else if (strcmp (argv[k], "scan") == 0)
      scan = 1;
    else if (strcmp (argv[k], "scanpos") == 0)
      scan = 2;
    else if (strncmp (argv[k], "scanratio=", 10) == 0)
      scan_ratio = atof (argv[k] + 10);
    else if (strncmp (argv[k], "scaninner=", 10) == 0)
      scan_inner = atof (argv[k] + 10);
    else if (strncmp (argv[k], "scanborders=", 12) == 0)
      scan_borders = atoi (argv[k] + 12);
    else if (strcmp (argv[k], "freeze") == 0)
      freeze = 1;
    else if (strcmp (argv[k], "cuts") == 0)
      cuts = 1;
    else if (strncmp (argv[k], "area=", 5) == 0)
      cfg.blocks.area_threshold = atof (argv[k] + 5);
    else if (strncmp (argv[k], "ratio=", 6) == 0)
      cfg.blocks.residual_ratio = atof (argv[k] + 6);
    else if (strncmp (argv[k], "edge=", 5) == 0)
      cfg.blocks.edge_ratio = atof (argv[k] + 5);
    else if (strncmp (argv[k], "minres=", 7) == 0)
      cfg.blocks.min_residual = atof (argv[k] + 7);
    else if (strncmp (argv[k], "minblocks=", 10) == 0)
      cfg.blocks.min_blocks = atoi (argv[k] + 10);
    else if (strncmp (argv[k], "duration=", 9) == 0)
      cfg.blocks.duration = (uint64_t) (atof (argv[k] + 9) * AVM_SECOND);
    else if (strncmp (argv[k], "gridratio=", 10) == 0)
      cfg.blocks.grid_ratio = atof (argv[k] + 10);
    else if (strncmp (argv[k], "gridmin=", 8) == 0)
      cfg.blocks.grid_min_blocks = atoi (argv[k] + 8);
    else if (strncmp (argv[k], "gridscan=", 9) == 0)
      cfg.blocks.scan = atoi (argv[k] + 9);
    else if (strncmp (argv[k], "scanmax=", 8) == 0)
      cfg.blocks.scan_max_pixels = atoi (argv[k] + 8);
    else if (strncmp (argv[k], "boundary=", 9) == 0)
      cfg.blocks.boundary_share = atof (argv[k] + 9);
    else if (strncmp (argv[k], "repeat=", 7) == 0)
      cfg.blocks.repeat = atoi (argv[k] + 7);
    else if (strncmp (argv[k], "stand=", 6) == 0)
      cfg.blocks.stand = atoi (argv[k] + 6);
    else if (strncmp (argv[k], "texture=", 8) == 0)
      cfg.blocks.texture_ratio = atof (argv[k] + 8);
    else if (strncmp (argv[k], "texmax=", 7) == 0)
      cfg.blocks.texture_max_pixels = atoi (argv[k] + 7);
    else if (strncmp (argv[k], "hold=", 5) == 0)
      cfg.blocks.hold = (uint64_t) (atof (argv[k] + 5) * AVM_SECOND);
  }
  if (avm_video_analysis_init (&a, &fmt, &cfg) != 0)
    return 2;
  fs = (size_t) w * h;
  buf = malloc (fs);
  plane.data = buf;
  plane.stride = (size_t) w;
  plane.width = w;
  plane.height = h;
  plane.layout = AVM_LUMA_Y8;
  while (buf && fread (buf, 1, fs, f) == fs) {
    const AvmBlocksFrame *b = &r.blocks;

    avm_video_analysis_process (&a, &plane, NULL, n * dur, dur, 0, &r);
    if (freeze)
      printf ("freeze %llu motion %.5f static %.5f open %d%s%s\n",
          (unsigned long long) n, r.freeze.motion, r.freeze.static_diff,
          r.freeze.in_freeze, r.freeze_ev.started ? " START" : "",
          r.freeze_ev.ended ? " END" : "");
    if (scan) {
      /* the grid test on every block, whatever the temporal tests say */
      int nb = 0, bx, by;
      for (by = 0; by < h / 16; by++)
        for (bx = 0; bx < w / 16; bx++) {
          AvmGridStep g;
          int b, nn = 0;
          if (avm_grid_step (&plane, bx, by, &g) < 0)
            continue;
          for (b = 0; b < 4; b++)
            nn += g.step[b] > 0.0 &&
                g.step[b] >= scan_ratio * (g.step_beside[b] +
                scan_inner * g.inner + 1.0) &&
                g.step[b] >= scan_ratio * (g.neighbour_step[b / 2] + 1.0);
          nb += nn >= scan_borders;
          if (nn >= scan_borders && scan > 1)
            printf ("pass %llu %d %d\n", (unsigned long long) n, bx, by);
        }
      printf ("scan %llu %d\n", (unsigned long long) n, nb);
    }
    if (cuts && b->cut) {
      /* what a cut leaves unchanged: per block row, tenths of the
       * textured blocks whose residual stayed within twice the last
       * median (at least 2 codes) */
      const AvmBlocksDetector *d = &a.blocks;
      double lim = 16.0 * (2.0 * prev_med > 2.0 ? 2.0 * prev_med : 2.0);
      int tex = 0, kept = 0;
      printf ("cut %llu median %.1f last %.1f rows ", (unsigned long long) n,
          b->median_residual, prev_med);
      for (int by = 0; by < d->bh; by++) {
        int rt = 0, rk = 0;
        for (int bx = 0; bx < d->bw; bx++) {
          long g = 0;
          for (int y = 16 * by; y < 16 * by + 16; y++)
            for (int x = 16 * bx; x < 16 * bx + 15; x++)
              g += abs (buf[y * w + x] - buf[y * w + x + 1]);
          if (g < 3 * 16 * 15)
            continue;
          rt++;
          rk += d->res[by * d->bw + bx] <= lim;
        }
        tex += rt;
        kept += rk;
        printf ("%c", rt ? '0' + (rk * 9 + rt / 2) / rt : '.');
      }
      printf (" textured %d kept %d (%.2f)\n", tex, kept,
          tex ? (double) kept / tex : 0.0);
    }
    if (!b->cut)
      prev_med = b->median_residual;
    if (dump) {
      /* every damaged block with its grid measures, for tuning */
      const AvmBlocksDetector *d = &a.blocks;
      for (int i = 0; i < d->nblocks; i++) {
        AvmGridStep g;
        if (d->flag[i] != 2 ||
            avm_grid_step (&plane, i % d->bw, i / d->bw, &g) < 0)
          continue;
        printf ("block %llu %d %d", (unsigned long long) n, i % d->bw,
            i / d->bw);
        for (int b = 0; b < 4; b++)
          printf (" %.2f %.2f", g.step[b], g.step_beside[b]);
        printf (" %.2f %.2f %.2f %.0f\n", g.inner, g.neighbour_step[0],
            g.neighbour_step[1], (double) d->res[i] / 16.0);
      }
    }
    if (all || b->damaged_blocks > 0 || b->texture_blocks > 0 || b->repeated
        || b->broken || b->stand_blocks > 0
        || b->boundary_blocks > 0 || r.blocks_ev.started || r.blocks_ev.ended)
      printf ("frame %llu area %.4f blocks %d median %.2f searched %d "
          "cut %d box %d,%d %dx%d grid %d texture %d scan %d repeat %d "
          "boundary %d (%d %d/%d) blockiness %.3f kept %.2f broken %d "
          "stand %d%s%s\n",
          (unsigned long long) n,
          b->area, b->damaged_blocks, b->median_residual, b->searched_blocks,
          b->cut,
          b->bbox.x, b->bbox.y, b->bbox.width, b->bbox.height,
          b->grid_blocks, b->texture_blocks, b->scan_blocks, b->repeated,
          b->boundary_blocks, b->boundary_changed, b->boundary_aligned,
          b->boundary_borders, r.luma.blockiness, b->cut_kept, b->broken,
          b->stand_blocks, r.blocks_ev.started ? " START" : "",
          r.blocks_ev.ended ? " END" : "");
    /* the span's own times, in frames: an end can lie before the frame
     * that reports it (where its damage was seen to go away) */
    if (r.blocks_ev.started || r.blocks_ev.ended)
      printf ("span %llu %s %llu\n", (unsigned long long) n,
          r.blocks_ev.ended ? "end" : "start",
          (unsigned long long) ((r.blocks_ev.ended ? r.blocks_ev.end :
                  r.blocks_ev.start) / dur));
    n++;
  }
  /* the end of the file is EOS: an open span ends there, as in the
   * element */
  avm_video_analysis_finish (&a, AVM_TIME_NONE, &r);
  if (r.blocks_ev.ended)
    printf ("span %llu end %llu\n", (unsigned long long) n,
        (unsigned long long) (r.blocks_ev.end / dur));
  avm_video_analysis_clear (&a);
  free (buf);
  fclose (f);
  return 0;
}
