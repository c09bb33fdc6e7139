/* Fuzz target: the checksheet and mapping importers of `shinsa import` (import_sheet.h) on CSV input.
 * Property checked: whatever `import checksheet` accepts, the framework loader accepts too (the YAML it
 * writes is always a valid framework file with the same number of items). The same bytes then go
 * through `import mapping` between two bundled frameworks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "import_sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const sh_registry *reg = fz_registry();
  const char *p = fz_write("sheet.csv", data, size);
  sh_diags d = {0};
  sh_checksheet_opts o = {.path = p, .id = "fuzz"};
  sh_import_stats st;
  char *yaml = sh_import_checksheet(&o, &st, &d);
  if (yaml) {
    const char *fp = fz_write("fuzz.yaml", (const uint8_t *)yaml, strlen(yaml));
    sh_diags fd = {0};
    sh_framework *fw = sh_framework_load(reg->vocab, fp, &fd);
    if (!fw || fw->items.n != st.items) {
      sh_diags_print(&fd, stderr, false);
      fprintf(stderr, "imported YAML does not load back:\n%s\n", yaml);
      abort();
    }
    sh_framework_free(fw);
    sh_diags_free(&fd);
    free(yaml);
    free(st.sheet);
  }
  sh_diags_free(&d);
  const sh_framework *from = sh_registry_find(reg, "infobank-v3"), *to = sh_registry_find(reg, "phr-2023");
  if (from && to) {
    sh_diags md = {0};
    size_t counts[5];
    sh_mapping_opts mo = {.path = p, .from = from, .to = to};
    free(sh_import_mapping(&mo, counts, &md));
    sh_diags_free(&md);
  }
  return 0;
}
