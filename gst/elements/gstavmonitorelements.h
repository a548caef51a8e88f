/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_AV_MONITOR_ELEMENTS_H__
#define __GST_AV_MONITOR_ELEMENTS_H__

#include <gst/gst.h>

G_BEGIN_DECLS

G_GNUC_INTERNAL void avmonitor_element_init (GstPlugin * plugin);

GST_ELEMENT_REGISTER_DECLARE (defectsink);
GST_ELEMENT_REGISTER_DECLARE (avdefectinject);
GST_ELEMENT_REGISTER_DECLARE (avsyncmeter);
GST_ELEMENT_REGISTER_DECLARE (avqualitydetect);

G_END_DECLS

#endif /* __GST_AV_MONITOR_ELEMENTS_H__ */
