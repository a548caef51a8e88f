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
#include "videoanalysis.h"

#include <stdlib.h>
#include <string.h>

void
avm_video_config_default (AvmVideoConfig * cfg)
{
  memset (cfg, 0, sizeof (*cfg));
  cfg->freeze_enabled = cfg->black_enabled = cfg->uniform_enabled = 1;
  cfg->blocks_enabled = cfg->timing_enabled = 1;
  cfg->black_pixel_threshold = 0.10;
  avm_freeze_config_default (&cfg->freeze);
  avm_black_config_default (&cfg->black);
  avm_blocks_config_default (&cfg->blocks);
}

int
avm_video_analysis_init (AvmVideoAnalysis * a, const AvmVideoFormat * fmt,
    const AvmVideoConfig * cfg)
{
  size_t tsize;

  memset (a, 0, sizeof (*a));
  if (fmt->width < 16 || fmt->height < 16)
    return -1;
  a->fmt = *fmt;
  a->cfg = *cfg;
  if (avm_luma_init (&a->luma, fmt->width, fmt->height, fmt->layout,
          fmt->full_range, cfg->black_pixel_threshold) < 0)
    return -1;
  tsize = (size_t) a->luma.tw * a->luma.th;
  a->thumb[0] = malloc (tsize);
  a->thumb[1] = malloc (tsize);
  if (!a->thumb[0] || !a->thumb[1] ||
      avm_black_init (&a->black, fmt->width, fmt->height, &cfg->black) < 0 ||
      avm_freeze_init (&a->freeze, fmt->width, fmt->height,
          &cfg->freeze) < 0 ||
      avm_blocks_init (&a->blocks, fmt->width, fmt->height, &cfg->blocks) < 0) {
    avm_video_analysis_clear (a);
    return -1;
  }
  avm_frame_timing_init (&a->timing, fmt->frame_duration);
  avm_video_analysis_reset (a);
  return 0;
}

void
avm_video_analysis_set_config (AvmVideoAnalysis * a, const AvmVideoConfig * cfg)
{
  double bpt = a->cfg.black_pixel_threshold;
  int blocks_back = !a->cfg.blocks_enabled && cfg->blocks_enabled;

  a->cfg = *cfg;
  a->cfg.black_pixel_threshold = bpt;
  avm_freeze_set_config (&a->freeze, &cfg->freeze);
  avm_black_set_config (&a->black, &cfg->black);
  avm_blocks_set_config (&a->blocks, &cfg->blocks);
  /* the block detector saw none of the frames while it was off: its
   * previous frame and any span it had are stale */
  if (blocks_back)
    avm_blocks_reset (&a->blocks);
}

void
avm_video_analysis_reset (AvmVideoAnalysis * a)
{
  a->have_prev = 0;
  a->last_pts = AVM_TIME_NONE;
  a->last_dur = AVM_TIME_NONE;
  avm_black_reset (&a->black);
  avm_freeze_reset (&a->freeze);
  avm_blocks_reset (&a->blocks);
  avm_frame_timing_reset (&a->timing);
}

void
avm_video_analysis_clear (AvmVideoAnalysis * a)
{
  avm_luma_clear (&a->luma);
  avm_freeze_clear (&a->freeze);
  avm_blocks_clear (&a->blocks);
  free (a->thumb[0]);
  free (a->thumb[1]);
  a->thumb[0] = a->thumb[1] = NULL;
}

size_t
avm_video_analysis_memory (const AvmVideoAnalysis * a)
{
  size_t t = (size_t) a->luma.tw * a->luma.th;
  size_t w = (size_t) a->fmt.width + 16;
  size_t nb = (size_t) a->blocks.nblocks;

  return 2 * t                  /* thumbnails */
      + 2 * w * sizeof (uint16_t) + (a->luma.rows ? 2 * (2 * w + 16) : 0)
      + t + (size_t) a->freeze.ncells * 13      /* freeze */
      /* blocks: half thumbnails, the frame before the last damaged one;
       * per block residual and scratch (2 + 2), vectors (4), flag, undo,
       * texture support, changed, still; the stand test's two
       * differences, motion, age and marks (blockstand.h) */
      + 2 * (size_t) a->blocks.hw * a->blocks.hh
      + (size_t) a->blocks.tw * a->blocks.th + nb * (13 + 5)
      + avm_texture_memory (&a->blocks.tex)
      /* the grid scan's border history and grid lines */
      + avm_grid_scan_memory (&a->blocks.scan)
      + sizeof (*a);
}

int
avm_video_analysis_process (AvmVideoAnalysis * a, const AvmLumaPlane * luma,
    const AvmChromaPlanes * chroma, uint64_t pts, uint64_t dur,
    int decoder_corrupted, AvmVideoResult * r)
{
  const AvmVideoConfig *cfg = &a->cfg;
  uint8_t *cur = a->thumb[a->cur ^ 1];
  const uint8_t *prev = a->have_prev ? a->thumb[a->cur] : NULL;
  uint64_t spts = pts, sdur = dur;
  AvmSpanEvent black_ev, uniform_ev;
  uint16_t *texture = NULL;

  memset (r, 0, sizeof (*r));
  /* the texture test's map comes from the luma pass where it can */
  if (cfg->blocks_enabled)
    texture = avm_texture_next_map (&a->blocks.tex);
  switch (avm_luma_process_texture (&a->luma, luma, cur, texture, &r->luma)) {
    case -1:
      return -1;
    case 1:
      avm_texture_map_filled (&a->blocks.tex);
      break;
    default:
      break;
  }

  if (cfg->timing_enabled)
    avm_frame_timing_process (&a->timing, pts, dur, &r->timing);

  /* the span detectors need a time for every frame */
  if (sdur == AVM_TIME_NONE) {
    sdur = avm_frame_timing_duration (&a->timing);
    if (sdur == 0)
      sdur = a->last_dur;
  }
  if (spts == AVM_TIME_NONE) {
    if (a->last_pts != AVM_TIME_NONE && a->last_dur != AVM_TIME_NONE)
      spts = a->last_pts + a->last_dur;
    else
      spts = a->last_pts == AVM_TIME_NONE ? 0 : a->last_pts;
  }
  a->last_pts = spts;
  a->last_dur = sdur;

  avm_black_classify (&a->black, cur, &r->luma,
      cfg->uniform_enabled ? chroma : NULL, &r->black);
  if (!cfg->uniform_enabled)
    r->black.uniform = 0;
  avm_black_update (&a->black, &r->black, spts, sdur, &black_ev, &uniform_ev);
  if (cfg->black_enabled)
    r->black_ev = black_ev;
  if (cfg->uniform_enabled)
    r->uniform_ev = uniform_ev;

  /* always run: it measures motion for the stats */
  avm_freeze_process (&a->freeze, cur, prev, spts, sdur,
      r->black.black || r->black.uniform, &r->freeze_ev, &r->freeze);
  r->motion = r->freeze.motion;
  if (!cfg->freeze_enabled)
    memset (&r->freeze_ev, 0, sizeof (r->freeze_ev));

  if (cfg->blocks_enabled)
    avm_blocks_process (&a->blocks, cur, prev, luma, spts, sdur,
        decoder_corrupted, &r->blocks_ev, &r->blocks);

  a->cur ^= 1;
  a->have_prev = 1;
  a->frames++;
  return 0;
}

void
avm_video_analysis_finish (AvmVideoAnalysis * a, uint64_t end,
    AvmVideoResult * r)
{
  memset (r, 0, sizeof (*r));
  if (end == AVM_TIME_NONE) {
    end = a->last_pts;
    if (end != AVM_TIME_NONE && a->last_dur != AVM_TIME_NONE)
      end += a->last_dur;
    if (end == AVM_TIME_NONE)
      end = 0;
  }
  avm_freeze_finish (&a->freeze, end, &r->freeze_ev);
  avm_black_finish (&a->black, end, &r->black_ev, &r->uniform_ev);
  avm_blocks_finish (&a->blocks, end, &r->blocks_ev);
  if (!a->cfg.freeze_enabled)
    memset (&r->freeze_ev, 0, sizeof (r->freeze_ev));
  if (!a->cfg.black_enabled)
    memset (&r->black_ev, 0, sizeof (r->black_ev));
  if (!a->cfg.uniform_enabled)
    memset (&r->uniform_ev, 0, sizeof (r->uniform_ev));
  if (!a->cfg.blocks_enabled)
    memset (&r->blocks_ev, 0, sizeof (r->blocks_ev));
  avm_video_analysis_reset (a);
}
