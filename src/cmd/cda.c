/* cmd/cda: `shinsa cda`: validate HL7 CDA checkup documents and classify their item codes. */
#include "cmd.h"

#include "cda.h"

#include <stdlib.h>
#include <unistd.h>

typedef struct {
  const char *schema, *items, *format;
} cda_opts;

static const sh_cli_opt opts[] = {
  {"schema", 0, SH_CLI_STR, offsetof(cda_opts, schema), "XSD", NULL, N_("the XML schema (e.g. the MHLW hc08 set)"), NULL,
   true},
  {"items", 0, SH_CLI_STR, offsetof(cda_opts, items), "CSV", NULL,
   N_("the MHLW item-code table (XMLhc24tab.csv layout): classify each code"), NULL, false},
  SH_OPT_FORMAT_TEXT_JSON(cda_opts),
  SH_CLI_OPT_END,
};

/* Progress on stderr, only when it is a terminal: one line rewritten in place. */
static void progress(void *ctx, size_t i, size_t n, const char *file) {
  (void)ctx;
  (void)file;
  fprintf(stderr, "\rshinsa cda: %zu/%zu", i + 1, n);
  if (i + 1 == n) fputs("\n", stderr);
  fflush(stderr);
}

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  cda_opts *o = vo;
  sh_vec files = {0};
  if (sh_cda_expand_inputs((const char *const *)pos->v, pos->n, stdin, &files, d) == 0) {
    if (files.n == 0) sh_error_usage(d, "no file to check (the folders and the list given hold no .xml file)");
    else {
      sh_cda_batch_opts bo = {.json = o->format[0] == 'j', .progress = isatty(2) ? progress : NULL};
      sh_cda_batch((const char *const *)files.v, files.n, o->schema, o->items, &bo, stdout, NULL, d);
    }
  }
  sh_vec_free_all(&files, free);
}

const sh_cli_cmd sh_cmd_cda = {
  .name = "cda",
  .summary = N_("validate HL7 CDA checkup documents and classify their item codes"),
  .usage = "--schema XSD [--items CSV] [--format text|json] FILE|DIR|-...",
  .description =
    N_("Validates HL7 CDA checkup documents against the XML schema XSD (e.g. the MHLW hc08 set), reporting\n"
    "each error with FILE:LINE, and lists the checkup item codes (17-digit, OID 1.2.392.200119.6.1005).\n"
    "With --items (the MHLW item-code table, XMLhc24tab.csv layout) each code is classified: level2\n"
    "(specific-checkup item, provided via Mynaportal), outside-mynaportal, or unknown-code (flagged).\n"
    "Documents are parsed without network access and with no DTD: a DOCTYPE is refused.\n"
    "A folder stands for every .xml file under it (recursively, in name order); '-' reads a list of files\n"
    "from standard input, one per line. Totals close the output; on a terminal, progress shows on\n"
    "standard error. There is no limit on the number of files. The exit status is that of the worst file.\n"),
  .opts = opts,
  .opts_size = sizeof(cda_opts),
  .min_pos = 1,
  .max_pos = SH_CLI_MANY,
  .pos_complete = "file",
  .run = run,
  .examples = (const sh_cli_example[]){
    {"cda --schema hc08/XSD/hc08_V08.xsd exports/*.xml", N_("validates every export against the schema")},
    {"cda --schema hc08/XSD/hc08_V08.xsd --format json exports/", N_("every .xml under exports/, as JSON with totals")},
    {"cda --schema hc08/XSD/hc08_V08.xsd - < list.txt", N_("the files named in list.txt, one per line")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("all valid and no flagged item")},
                                 {1, N_("schema errors or flagged items")},
                                 {2, N_("usage or I/O error")},
                                 {3, N_("malformed or refused XML")},
                                 {0, NULL}},
};
