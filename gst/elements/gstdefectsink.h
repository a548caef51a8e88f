/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_DEFECT_SINK_H__
#define __GST_DEFECT_SINK_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_DEFECT_SINK (gst_defect_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstDefectSink, gst_defect_sink, GST, DEFECT_SINK, GstBin);

G_END_DECLS

#endif /* __GST_DEFECT_SINK_H__ */
