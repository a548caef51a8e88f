/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstavmonitorelements.h"

#include "avmonitor.h"

/* Shared once-only init of every element's registration: the library's
 * enums appear in element properties and messages, so gst-inspect and the
 * docs tooling must know them. */
void
avmonitor_element_init (GstPlugin * plugin)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    gst_type_mark_as_plugin_api (GST_TYPE_AV_MONITOR_DEFECT_KIND, 0);
    gst_type_mark_as_plugin_api (GST_TYPE_AV_MONITOR_SEVERITY, 0);
    g_once_init_leave (&done, 1);
  }
}

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (defectsink, plugin);
  ret |= GST_ELEMENT_REGISTER (avdefectinject, plugin);
  ret |= GST_ELEMENT_REGISTER (avsyncmeter, plugin);
  ret |= GST_ELEMENT_REGISTER (avqualitydetect, plugin);

  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, avmonitor,
    "Real-time audio/video defect monitoring: detectors, lip-sync meter, "
    "defect injection and reports", plugin_init, VERSION, GST_LICENSE,
    GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
