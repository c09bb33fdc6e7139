/* Fuzz target: the MHLW checkup item-code table (XMLhc24tab.csv layout) read by `shinsa cda --items`. */
#include "cda.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p = fz_write("items.csv", data, size);
  sh_diags d = {0};
  sh_cda_table_free(sh_cda_table_load(p, &d));
  sh_diags_free(&d);
  return 0;
}
