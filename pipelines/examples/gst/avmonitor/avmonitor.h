/* gst-avmonitor
 * Copyright (C) 2026 the gst-avmonitor authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* In-tree stand-in for the installed <gst/avmonitor/avmonitor.h>, so the
 * examples are built from the source tree exactly as a user writes them
 * against an installed gst-avmonitor. Not installed. */
#include "../../../../gst/avmonitor-lib/avmonitor.h"
