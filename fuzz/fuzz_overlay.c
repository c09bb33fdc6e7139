/* Fuzz target: an overlay file (kind: overlay, overlay.h) loaded and applied to a fresh copy of the bundled
 * phr-2023 framework (whatever framework it names), against the bundled vocabulary. */
#include <stdlib.h>

#include "fuzz_common.h"
#include "overlay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const sh_registry *reg = fz_registry();
  const sh_framework *phr = sh_registry_find(reg, "phr-2023");
  if (!phr) return 0;
  const char *p = fz_write("overlay.yaml", data, size);
  sh_diags d = {0};
  sh_overlay *o = sh_overlay_load(p, &d);
  if (o) {
    sh_framework *fw = sh_framework_load(reg->vocab, phr->file, &d);
    if (fw) {
      sh_overlay_apply(o, reg->vocab, fw, size % 2 == 0, &d);
      sh_framework_free(fw);
    }
    sh_overlay_free(o);
  }
  sh_diags_free(&d);
  return 0;
}
