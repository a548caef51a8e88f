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
 */

#ifndef __GST_AV_MONITOR_PRELUDE_H__
#define __GST_AV_MONITOR_PRELUDE_H__

#include <gst/gst.h>

#ifndef GST_AV_MONITOR_API
# ifdef BUILDING_GST_AV_MONITOR
#  define GST_AV_MONITOR_API GST_API_EXPORT
# else
#  define GST_AV_MONITOR_API GST_API_IMPORT
# endif
#endif

#endif /* __GST_AV_MONITOR_PRELUDE_H__ */
