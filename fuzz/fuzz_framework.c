/* Fuzz target: a framework file (checklists/*.yaml format, docs/formats.md §3) against the bundled vocabulary. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const sh_registry *reg = fz_registry();
  const char *p = fz_write("framework.yaml", data, size);
  sh_diags d = {0};
  sh_framework_free(sh_framework_load(reg->vocab, p, &d));
  sh_diags_free(&d);
  return 0;
}
