/* Fuzz target: a fact vocabulary file (rules/facts.yaml format, docs/formats.md §1). */
#include "fuzz_common.h"
#include "vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p = fz_write("facts.yaml", data, size);
  sh_diags d = {0};
  sh_vocab_free(sh_vocab_load(&p, 1, &d));
  sh_diags_free(&d);
  return 0;
}
