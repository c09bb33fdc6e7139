/* Fuzz target: an OSCAL catalog through the OSCAL document loader (XML, JSON or YAML by FZ_OSCAL_SUFFIX) and the
 * catalog importer of `shinsa import oscal` (oscal_catalog.h), which writes a framework file. */
#include "fuzz_common.h"
#include "oscal_catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p = fz_write("catalog" FZ_OSCAL_SUFFIX, data, size);
  sh_diags d = {0};
  sh_buf out = {0};
  sh_oscal_import_stats st;
  (void)sh_oscal_catalog_import(p, "fuzz", &out, &st, &d);
  sh_buf_free(&out);
  sh_diags_free(&d);
  return 0;
}
