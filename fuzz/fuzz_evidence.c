/* Fuzz target: an evidence package's evidence.yaml (docs/formats.md §4) against the bundled vocabulary,
 * then the derived facts. Documents it names are looked up in the scratch package folder. */
#include "fuzz_common.h"
#include "evidence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const sh_registry *reg = fz_registry();
  const char *p = fz_write("pkg/evidence.yaml", data, size);
  char *dir = sh_path_dirname(p);
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  if (ev) sh_evidence_derive(ev);
  sh_evidence_free(ev);
  sh_diags_free(&d);
  free(dir);
  return 0;
}
