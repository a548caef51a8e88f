/* placeholder: being written */
#include <gst/check/gstcheck.h>
static Suite *
avqualitydetect_audio_suite (void)
{
  return suite_create ("avqualitydetect_audio");
}
GST_CHECK_MAIN (avqualitydetect_audio);
