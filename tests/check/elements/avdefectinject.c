/* placeholder: being written */
#include <gst/check/gstcheck.h>
static Suite *
avdefectinject_suite (void)
{
  return suite_create ("avdefectinject");
}
GST_CHECK_MAIN (avdefectinject);
