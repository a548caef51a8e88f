/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_AV_MONITOR_H__
#define __GST_AV_MONITOR_H__

#include "avmonitor-prelude.h"
#include "avmonitor-types.h"
#include "avmonitor-enumtypes.h"
#include "avmonitor-defect.h"

#endif /* __GST_AV_MONITOR_H__ */
