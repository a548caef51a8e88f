/* placeholder: being written */
#include "gstavmonitorelements.h"
static gboolean
avsyncmeter_register (GstPlugin * plugin)
{
  return TRUE;
}
GST_ELEMENT_REGISTER_DEFINE_CUSTOM (avsyncmeter, avsyncmeter_register);
