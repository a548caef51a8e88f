/* placeholder: being written */
#include "gstavmonitorelements.h"
static gboolean
avdefectinject_register (GstPlugin * plugin)
{
  return TRUE;
}
GST_ELEMENT_REGISTER_DEFINE_CUSTOM (avdefectinject, avdefectinject_register);
