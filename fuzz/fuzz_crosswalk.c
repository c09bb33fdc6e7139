/* Fuzz target: a curated crosswalk relations file (rules/crosswalks/*.yaml, docs/formats.md §6). */
#include "crosswalk.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p = fz_write("from__to.yaml", data, size);
  sh_diags d = {0};
  sh_xw_curated_file_free(sh_xw_curated_load_file(p, &d));
  sh_diags_free(&d);
  return 0;
}
