/* Fuzz target: an HL7 CDA document through the safe XML parser (no DTD, no entities, bounds) and the
 * item-code extraction. Schema validation too when SHINSA_FUZZ_CDA_XSD names the hc08 schema (for
 * example $SHINSA_SHARED/data/mhlw-checkup-cda/hc08_V08.xsd); without it, well-formedness and codes only. */
#include <stdlib.h>

#include "cda.h"
#include "fuzz_common.h"

static sh_cda_schema *schema;
static bool tried;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!tried) {
    tried = true;
    const char *xsd = getenv("SHINSA_FUZZ_CDA_XSD");
    if (xsd && *xsd) {
      sh_diags d0 = {0};
      schema = sh_cda_schema_load(xsd, &d0);
      sh_diags_free(&d0);
    }
  }
  const char *p = fz_write("doc.xml", data, size);
  sh_diags d = {0};
  sh_cda_doc_free(sh_cda_check(schema, NULL, p, &d));
  sh_diags_free(&d);
  return 0;
}
