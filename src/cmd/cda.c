/* cmd/cda: `shinsa cda`: validate HL7 CDA checkup documents and classify their item codes. */
#include "cmd.h"

#include "cda.h"

typedef struct {
  const char *schema, *items;
} cda_opts;

static const sh_cli_opt opts[] = {
  {"schema", 0, SH_CLI_STR, offsetof(cda_opts, schema), "XSD", NULL, "the XML schema (e.g. the MHLW hc08 set)", NULL,
   true},
  {"items", 0, SH_CLI_STR, offsetof(cda_opts, items), "CSV", NULL,
   "the MHLW item-code table (XMLhc24tab.csv layout): classify each code", NULL, false},
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  cda_opts *o = vo;
  sh_cda_run((const char *const *)pos->v, pos->n, o->schema, o->items, stdout, d);
}

const sh_cli_cmd sh_cmd_cda = {
  .name = "cda",
  .summary = "validate HL7 CDA checkup documents and classify their item codes",
  .usage = "--schema XSD [--items CSV] FILE...",
  .description =
    "Validates HL7 CDA checkup documents against the XML schema XSD (e.g. the MHLW hc08 set), reporting\n"
    "each error with FILE:LINE, and lists the checkup item codes (17-digit, OID 1.2.392.200119.6.1005).\n"
    "With --items (the MHLW item-code table, XMLhc24tab.csv layout) each code is classified: level2\n"
    "(specific-checkup item, provided via Mynaportal), outside-mynaportal, or unknown-code (flagged).\n"
    "Documents are parsed without network access and with no DTD: a DOCTYPE is refused.\n"
    "There is no limit on the number of files.\n",
  .opts = opts,
  .opts_size = sizeof(cda_opts),
  .min_pos = 1,
  .max_pos = SH_CLI_MANY,
  .pos_complete = "file",
  .run = run,
  .examples = (const sh_cli_example[]){
    {"cda --schema hc08/XSD/hc08_V08.xsd exports/*.xml", "validates every export against the schema"},
    {"cda --schema hc08/XSD/hc08_V08.xsd --items XMLhc24tab.csv sample.xml",
     "also classifies the sample's item codes against the MHLW table"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "all valid and no flagged item"},
                                 {1, "schema errors or flagged items"},
                                 {2, "usage or I/O error"},
                                 {3, "malformed or refused XML"},
                                 {0, NULL}},
};
