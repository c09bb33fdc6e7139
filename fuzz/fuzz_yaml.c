/* Fuzz target: the positioned YAML loader (yamldoc) from memory, plus every checked accessor. */
#include "fuzz_common.h"
#include "yamldoc.h"

static void walk(const sh_ydoc *doc, const sh_ynode *n, sh_diags *d, int depth) {
  if (!n || depth > 80) return;
  bool b;
  int64_t i;
  sh_date dt;
  char *ja, *en;
  switch (n->kind) {
  case SH_Y_SCALAR:
    (void)sh_y_str(doc, n, "x", d);
    (void)sh_y_bool(doc, n, &b, "x", d);
    (void)sh_y_int(doc, n, &i, "x", d);
    (void)sh_y_date(doc, n, &dt, "x", d);
    break;
  case SH_Y_SEQ:
    for (size_t k = 0; k < n->n; k++) walk(doc, n->items[k], d, depth + 1);
    break;
  case SH_Y_MAP:
    if (sh_y_text(doc, n, &ja, &en, "x", d)) free(ja), free(en);
    for (size_t k = 0; k < n->n; k++) walk(doc, n->pairs[k].val, d, depth + 1);
    break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sh_diags d = {0};
  sh_ydoc *doc = sh_ydoc_load_string("fuzz.yaml", (const char *)data, size, &d);
  if (doc) walk(doc, doc->root, &d, 0);
  sh_ydoc_free(doc);
  sh_diags_free(&d);
  return 0;
}
