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

/*
 * ingest: how a broadcast ingest application embeds gst-avmonitor.
 *
 * The pipeline stands in for an ingest: a test pattern and a tone (where a
 * real application has its capture or network source), avdefectinject
 * putting known defects in, then one avqualitydetect per stream, in front of
 * whatever the application does with the media (here fakesink, or
 * defectsink with --report). The application reacts to the defects on the
 * bus through the library: gst_av_monitor_defect_new_from_message().
 *
 * It exits 0 when every expected defect kind was reported, 1 when one was
 * not, 2 on a pipeline error.
 *
 * Build against an installed gst-avmonitor:
 *   cc ingest.c -o ingest $(pkg-config --cflags --libs gstreamer-avmonitor-1.0)
 * Run:
 *   ./ingest                          # expects black and silence
 *   ./ingest --expect frame-gap --schedule "frame-drop@2s+500ms"
 *   ./ingest --report report.jsonl    # also writes the JSON Lines report
 */

#include <math.h>
#include <glib-unix.h>
#include <gst/gst.h>
#include <gst/avmonitor/avmonitor.h>

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  gchar **expected;
  GHashTable *seen;             /* kind nick -> count of spans started */
  gint status;
} App;

static void
print_defect (const GstAvMonitorDefect * d)
{
  gboolean start =
      gst_av_monitor_defect_get_event (d) == GST_AV_MONITOR_DEFECT_EVENT_START;
  gdouble value = gst_av_monitor_defect_get_value (d);
  const gchar *unit = gst_av_monitor_defect_get_unit (d);

  g_print ("%-8s %-16s %-5s at %" GST_TIME_FORMAT " %-7s",
      gst_av_monitor_defect_get_source (d),
      gst_av_monitor_defect_get_kind_nick (d), start ? "start" : "end",
      GST_TIME_ARGS (gst_av_monitor_defect_get_stream_time (d)),
      gst_av_monitor_severity_to_string (gst_av_monitor_defect_get_severity
          (d)));
  /* NaN means the detector had no measure to give */
  if (!isnan (value))
    g_print (" value %g %s", value, unit ? unit : "");
  if (!start && GST_CLOCK_TIME_IS_VALID (gst_av_monitor_defect_get_duration
          (d)))
    g_print (" lasted %.3f s",
        gst_av_monitor_defect_get_duration (d) / (gdouble) GST_SECOND);
  g_print ("\n");
}

static gboolean
on_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  App *app = user_data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ELEMENT:{
      /* NULL for every element message that is not a defect (stats, the
       * injector's own records, other plugins' messages) */
      GstAvMonitorDefect *d = gst_av_monitor_defect_new_from_message (msg);

      if (d == NULL)
        break;
      print_defect (d);
      if (gst_av_monitor_defect_get_event (d) ==
          GST_AV_MONITOR_DEFECT_EVENT_START) {
        const gchar *kind = gst_av_monitor_defect_get_kind_nick (d);

        g_hash_table_insert (app->seen, g_strdup (kind),
            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup
                    (app->seen, kind)) + 1));
      }
      gst_av_monitor_defect_free (d);
      break;
    }
    case GST_MESSAGE_ERROR:{
      GError *err = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (msg, &err, &debug);
      g_printerr ("error from %s: %s\n%s\n", GST_OBJECT_NAME (msg->src),
          err->message, debug ? debug : "");
      g_clear_error (&err);
      g_free (debug);
      app->status = 2;
      g_main_loop_quit (app->loop);
      break;
    }
    case GST_MESSAGE_EOS:
      g_main_loop_quit (app->loop);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

/* Ctrl-C ends the streams with EOS, so the detectors close their open spans
 * and the report is complete. */
static gboolean
on_sigint (gpointer user_data)
{
  App *app = user_data;

  gst_element_send_event (app->pipeline, gst_event_new_eos ());
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  gchar **expected = NULL, *schedule = NULL, *report = NULL;
  gint seconds = 8;
  gboolean live = FALSE;
  GOptionEntry entries[] = {
    {"expect", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &expected,
        "Defect kind that must be reported (repeatable; default black and "
          "silence)", "KIND"},
    {"schedule", 's', 0, G_OPTION_ARG_STRING, &schedule,
        "avdefectinject schedule for both streams", "SCHEDULE"},
    {"seconds", 'n', 0, G_OPTION_ARG_INT, &seconds,
        "Length of the stream (default 8)", "SECONDS"},
    {"report", 'r', 0, G_OPTION_ARG_FILENAME, &report,
        "Write a JSON Lines report through defectsink", "FILE"},
    {"live", 'l', 0, G_OPTION_ARG_NONE, &live,
        "Run in real time, like a capture", NULL},
    {NULL}
  };
  GOptionContext *ctx;
  GError *err = NULL;
  gchar *desc, *sinks;
  App app = { 0 };
  GstBus *bus;
  guint i, watch;

  ctx = g_option_context_new ("- gst-avmonitor ingest example");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    g_clear_error (&err);
    g_option_context_free (ctx);
    return 2;
  }
  g_option_context_free (ctx);

  if (schedule == NULL)
    schedule = g_strdup ("black@2s+3s; silence@2s+3s");
  if (expected == NULL) {
    expected = g_new0 (gchar *, 3);
    expected[0] = g_strdup ("black");
    expected[1] = g_strdup ("silence");
  }

  /* Where the application's own branches would be (encoders, muxers,
   * outputs): the detectors are pass-through, so they sit in front of them
   * without changing what flows. */
  if (report)
    sinks = g_strdup_printf ("defectsink name=report location=\"%s\"", report);
  else
    sinks = g_strdup ("fakesink name=vout sync=false "
        "fakesink name=aout sync=false");
  desc = g_strdup_printf ("videotestsrc is-live=%d num-buffers=%d "
      "pattern=smpte horizontal-speed=4 ! "
      "video/x-raw,format=I420,width=320,height=180,framerate=25/1 ! "
      "avdefectinject schedule=\"%s\" ! queue ! avqualitydetect name=video ! "
      "%s "
      "audiotestsrc is-live=%d num-buffers=%d samplesperbuffer=960 "
      "volume=0.1 ! audio/x-raw,format=S16LE,rate=48000,channels=2 ! "
      "avdefectinject schedule=\"%s\" ! queue ! avqualitydetect name=audio ! "
      "%s %s", live, seconds * 25, schedule, report ? "report." : "vout.",
      live, seconds * 50, schedule, report ? "report." : "aout.", sinks);

  app.pipeline = gst_parse_launch (desc, &err);
  g_free (desc);
  g_free (sinks);
  if (app.pipeline == NULL) {
    /* a missing element here is a missing or uninstalled plugin */
    g_printerr ("cannot build the pipeline: %s\n", err->message);
    g_clear_error (&err);
    return 2;
  }

  app.loop = g_main_loop_new (NULL, FALSE);
  app.expected = expected;
  app.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  bus = gst_element_get_bus (app.pipeline);
  watch = gst_bus_add_watch (bus, on_message, &app);
  gst_object_unref (bus);
  g_unix_signal_add (SIGINT, on_sigint, &app);

  if (gst_element_set_state (app.pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_printerr ("the pipeline does not start (see the errors above)\n");
    app.status = 2;
  } else {
    g_main_loop_run (app.loop);
  }
  gst_element_set_state (app.pipeline, GST_STATE_NULL);

  if (app.status == 0) {
    for (i = 0; expected[i]; i++) {
      if (!g_hash_table_contains (app.seen, expected[i])) {
        g_printerr ("expected defect not reported: %s\n", expected[i]);
        app.status = 1;
      }
    }
    if (app.status == 0)
      g_print ("every expected defect was reported\n");
  }

  g_source_remove (watch);
  g_hash_table_unref (app.seen);
  g_main_loop_unref (app.loop);
  gst_object_unref (app.pipeline);
  g_strfreev (expected);
  g_free (schedule);
  g_free (report);
  return app.status;
}
