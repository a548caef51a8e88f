/* placeholder: being written */
#include "gstavmonitorelements.h"
static gboolean
defectsink_register (GstPlugin * plugin)
{
  return TRUE;
}
GST_ELEMENT_REGISTER_DEFINE_CUSTOM (defectsink, defectsink_register);
