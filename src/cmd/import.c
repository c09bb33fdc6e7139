/* cmd/import: the `shinsa import` group: bring someone else's documents into shinsa's formats.
 * `import checksheet` (a spreadsheet checksheet -> framework file) and `import mapping` (a curated
 * comparison table -> crosswalk file) are here; other importers add their sh_cli_cmd to subs[] below.
 * The work is done by import_sheet.c; nothing is written unless the whole input is valid. */
#include "cmd.h"

#include "framework.h"
#include "import_sheet.h"
#include "oscal_mapping.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* ---------- import checksheet ---------- */

typedef struct {
  const char *id, *sheet, *columns, *title, *version, *encoding, *out;
} checksheet_opts;

static const sh_cli_opt checksheet_table[] = {
  {"id", 0, SH_CLI_STR, offsetof(checksheet_opts, id), "ID", NULL,
   N_("id of the framework to write (lower-case letters, digits, '.', '-')"), NULL, true},
  {"sheet", 0, SH_CLI_STR, offsetof(checksheet_opts, sheet), "NAME", NULL,
   N_("the sheet to read (default: the first with a recognisable header row)"), NULL, false},
  {"columns", 0, SH_CLI_STR, offsetof(checksheet_opts, columns), "SPEC", NULL,
   N_("columns as id=A,section=B,text=D,strength=E (letters or header names; section may repeat)"), NULL, false},
  {"title", 0, SH_CLI_STR, offsetof(checksheet_opts, title), "TEXT", NULL, N_("framework title (default: the file name)"),
   NULL, false},
  {"version", 0, SH_CLI_STR, offsetof(checksheet_opts, version), "V", "imported",
   N_("framework version (overlays name the version they were written for)"), NULL, false},
  {"encoding", 0, SH_CLI_STR, offsetof(checksheet_opts, encoding), "ENC", "auto",
   N_("CSV encoding: auto (UTF-8 with or without BOM, else CP932), UTF-8, CP932, SHIFT_JIS, ..."), NULL, false},
  SH_OPT_OUT(checksheet_opts),
  SH_CLI_OPT_END,
};

static void run_checksheet(void *vo, const sh_cli_args *pos, sh_diags *d) {
  checksheet_opts *o = vo;
  sh_checksheet_opts co = {.path = pos->v[0], .id = o->id, .sheet = o->sheet, .columns = o->columns,
                           .title = o->title, .version = o->version, .encoding = o->encoding};
  sh_import_stats st;
  size_t before = d->nerrors;
  char *yaml = sh_import_checksheet(&co, &st, d);
  if (yaml && d->nerrors == before) {
    size_t len = strlen(yaml);
    sh_buf out = {.data = yaml, .len = len, .cap = len + 1}; /* borrowed: no copy of a large text */
    if (sh_report_output(o->out, &out, d) == 0)
      fprintf(stderr, _("shinsa: %zu items in %zu sections from %s (sheet %s, %zu hidden) -> %s\n"), st.items,
              st.sections, pos->v[0], st.sheet, st.hidden, o->out ? o->out : _("standard output"));
  }
  free(yaml);
  free(st.sheet);
}

static const sh_cli_cmd import_checksheet = {
  .name = "checksheet",
  .summary = N_("turn a checksheet spreadsheet (.xlsx, .ods, .csv) into a framework file"),
  .usage = "--id ID [OPTIONS] FILE",
  .description =
    N_("Reads a checksheet (.xlsx, .ods, or .csv in UTF-8 or CP932) and writes a framework file that 'shinsa\n"
    "lint' accepts. Columns are found from the header row (項番/No./番号, 分類/大項目/中項目/項目,\n"
    "確認事項/チェック項目/内容/要求事項, 必須/区分) or given with --columns. A row holding one value (or one\n"
    "merged value) is a heading and opens a section; a merged section column applies to every row it covers.\n"
    "Ids and texts are kept as written (matching elsewhere ignores full-width forms and spaces, NFKC). Every\n"
    "item is manual, with {document, sheet, row, form: verbatim} as its source, until an overlay gives it a\n"
    "require. Errors name FILE:SHEET!CELL (FILE:LINE for CSV); nothing is written unless all is valid.\n"),
  .opts = checksheet_table,
  .opts_size = sizeof(checksheet_opts),
  .min_pos = 1,
  .max_pos = 1,
  .pos_complete = "file",
  .run = run_checksheet,
  .examples = (const sh_cli_example[]){
    {"import checksheet --id phr-official --version 2023-04 -o ~/.local/share/shinsa/checklists/phr-official.yaml "
     "checksheet.xlsx",
     N_("imports the official checksheet into the user data folder")},
    {"import checksheet --id my-sheet --sheet チェックシート --columns id=A,section=B,text=D sheet.ods",
     N_("names the sheet and the columns")},
    {"import checksheet --id x --encoding CP932 list.csv", N_("a Shift_JIS CSV saved by Japanese Excel")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("written")}, {2, N_("usage or I/O error")}, {3, N_("invalid spreadsheet")}, {0, NULL}},
};

/* ---------- import mapping ---------- */

typedef struct {
  const char *from, *to, *sheet, *columns, *encoding, *out, *data_dir, *oscal;
  sh_vec framework;
} mapping_opts;

static const sh_cli_opt mapping_table[] = {
  {"from", 0, SH_CLI_STR, offsetof(mapping_opts, from), "S", NULL,
   N_("source framework (whose items the table names as sources): an id or a framework file"), NULL, true},
  {"to", 0, SH_CLI_STR, offsetof(mapping_opts, to), "T", NULL, N_("target framework: an id or a framework file"), NULL,
   true},
  {"framework", 'f', SH_CLI_LIST, offsetof(mapping_opts, framework), "PATH", NULL,
   N_("also load this framework or overlay file"), NULL, false},
  {"sheet", 0, SH_CLI_STR, offsetof(mapping_opts, sheet), "NAME", NULL, N_("the sheet to read"), NULL, false},
  {"columns", 0, SH_CLI_STR, offsetof(mapping_opts, columns), "SPEC", NULL,
   N_("columns as target=A,sources=B,relation=C,rationale=D (letters or header names)"), NULL, false},
  {"encoding", 0, SH_CLI_STR, offsetof(mapping_opts, encoding), "ENC", "auto", N_("CSV encoding (as for checksheet)"),
   NULL, false},
  {"oscal", 0, SH_CLI_STR, offsetof(mapping_opts, oscal), "FILE", NULL,
   N_("read an OSCAL 1.2 mapping-collection (XML, JSON or YAML) instead of a table (docs/oscal.md)"), NULL, false},
  SH_OPT_OUT(mapping_opts),
  SH_OPT_DATA_DIR(mapping_opts),
  SH_CLI_OPT_END,
};

/* --oscal FILE: the maps of an OSCAL mapping-collection as curated relations (oscal_mapping.h). S and T need not
 * be installed (a mapping from a framework shinsa does not have, e.g. BSI IT-Grundschutz 2023): their ids are then
 * written as given and `shinsa lint` checks them later. */
static void run_mapping_oscal(mapping_opts *o, sh_diags *d) {
  sh_vec args = {0}, ids = {0};
  for (size_t i = 0; i < o->framework.n; i++) sh_vec_push(&args, o->framework.v[i]);
  sh_vec_push(&args, (void *)o->from);
  sh_vec_push(&args, (void *)o->to);
  sh_registry *reg = sh_cmd_registry(o->data_dir, &args, false, &ids, d);
  if (reg) {
    const char *from = ids.n == args.n ? ids.v[args.n - 2] : o->from, *to = ids.n == args.n ? ids.v[args.n - 1] : o->to;
    const sh_framework *S = sh_registry_find(reg, from), *T = sh_registry_find(reg, to);
    if (!S) sh_diag_add(d, SH_SEV_NOTE, NULL, 0, 0, "framework '%s' is not installed: source ids are not checked", from);
    if (!T) sh_diag_add(d, SH_SEV_NOTE, NULL, 0, 0, "framework '%s' is not installed: target ids are not checked", to);
    sh_buf out = {0};
    sh_oscal_mapping_import_stats st;
    if (sh_oscal_mapping_import(o->oscal, from, to, S, T, &out, &st, d) == 0 && sh_report_output(o->out, &out, d) == 0)
      sh_diag_add(d, SH_SEV_NOTE, o->oscal, 0, 0,
                  "%zu maps -> %zu relations %s -> %s (A %zu, B %zu, C %zu, D %zu); %zu maps skipped (target or "
                  "every source not in the frameworks)",
                  st.maps, st.relations, from, to, st.per_class[0], st.per_class[1], st.per_class[2], st.per_class[3],
                  st.skipped);
    sh_buf_free(&out);
  }
  sh_vec_free(&args);
  sh_vec_free(&ids);
  sh_registry_free(reg);
}

static void run_mapping(void *vo, const sh_cli_args *pos, sh_diags *d) {
  mapping_opts *o = vo;
  if (o->oscal) {
    if (pos->n) sh_error_usage(d, "give either a table FILE or --oscal FILE, not both");
    else run_mapping_oscal(o, d);
    return;
  }
  if (pos->n != 1) {
    sh_error_usage(d, "give the table FILE (or --oscal FILE)");
    return;
  }
  sh_vec args = {0}, ids = {0};
  for (size_t i = 0; i < o->framework.n; i++) sh_vec_push(&args, o->framework.v[i]);
  sh_vec_push(&args, (void *)o->from);
  sh_vec_push(&args, (void *)o->to);
  sh_registry *reg = sh_cmd_registry(o->data_dir, &args, false, &ids, d);
  if (reg) {
    const char *from = ids.n == args.n ? ids.v[args.n - 2] : o->from, *to = ids.n == args.n ? ids.v[args.n - 1] : o->to;
    const sh_framework *S = sh_registry_find(reg, from), *T = sh_registry_find(reg, to);
    if (!S || !T) {
      sh_error_usage(d, "unknown framework '%s' (see 'shinsa frameworks')", S ? to : from);
    } else {
      sh_mapping_opts mo = {.path = pos->v[0], .from = S, .to = T, .sheet = o->sheet, .columns = o->columns,
                            .encoding = o->encoding};
      size_t counts[5];
      size_t before = d->nerrors;
      char *yaml = sh_import_mapping(&mo, counts, d);
      if (yaml && d->nerrors == before) {
        sh_buf out = {0};
        sh_buf_puts(&out, yaml);
        if (sh_report_output(o->out, &out, d) == 0)
          fprintf(stderr, _("shinsa: %zu relations %s -> %s (A %zu, B %zu, C %zu, D %zu) from %s -> %s\n"),
                  counts[0] + counts[1] + counts[2] + counts[3], S->id, T->id, counts[0], counts[1], counts[2],
                  counts[3], pos->v[0], o->out ? o->out : _("standard output"));
        sh_buf_free(&out);
      }
      free(yaml);
    }
  }
  sh_vec_free(&args);
  sh_vec_free(&ids);
  sh_registry_free(reg);
}

static const sh_cli_cmd import_mapping = {
  .name = "mapping",
  .summary = N_("turn a curated comparison table into a crosswalk file (rules/crosswalks format)"),
  .usage = "--from S --to T [OPTIONS] FILE | --from S --to T --oscal FILE",
  .description =
    N_("Reads a curated crosswalk table (.xlsx, .ods, .csv): one row per target item with its source items and\n"
    "a class A/B/C/D or a NIST IR 8477 relation (equal, subset-of, superset-of, intersects-with,\n"
    "no-relationship), and optionally a rationale (syntactic/semantic/functional) or a note. Ids are matched\n"
    "to the two frameworks ignoring full-width forms and spaces and written as the frameworks spell them.\n"
    "Put the output in rules/crosswalks/ of a data folder (or pass it with 'crosswalk --mapping'):\n"
    "'shinsa crosswalk' then shows the table's totals next to the derived ones and 'shinsa lint' names each\n"
    "disagreement.\n"
    "With --oscal FILE, reads an OSCAL 1.2 mapping-collection instead (XML, JSON or YAML): each map becomes\n"
    "a relation (superset-of A, equivalent-to/equal-to B, subset-of and intersects-with C, no-relationship D);\n"
    "keys OSCAL does not define and a missing provenance are refused at FILE:LINE:COL (docs/oscal.md §4).\n"),
  .opts = mapping_table,
  .opts_size = sizeof(mapping_opts),
  .min_pos = 0, /* FILE, or none with --oscal (checked in run_mapping) */
  .max_pos = 1,
  .pos_complete = "file",
  .run = run_mapping,
  .examples = (const sh_cli_example[]){
    {"import mapping --from infobank-v3 --to phr-official -o ~/.local/share/shinsa/rules/crosswalks/ib-phr.yaml "
     "comparison.xlsx",
     N_("imports the official A/B/C/D comparison")},
    {"import mapping --from infobank-v3 --to ./phr.yaml --columns target=A,sources=C,relation=E table.csv",
     N_("a target framework from a file, columns given")},
    {"import mapping --from itgs-2023 --to bsi-kernel --oscal ITGS-to-GS++-mapping_collection.json",
     N_("BSI's OSCAL mapping of IT-Grundschutz to the Grundschutz++ kernel")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("written")}, {2, N_("usage or I/O error")}, {3, N_("invalid table")}, {0, NULL}},
};

/* ---------- the group ---------- */

const sh_cli_cmd sh_cmd_import = {
  .name = "import",
  .summary = N_("import checksheets and comparison tables from spreadsheets, and OSCAL catalogs"),
  .usage = "COMMAND [OPTIONS] FILE",
  .description = N_("Brings documents held by the user into shinsa's formats (docs/import.md).\n"),
  /* importers: one line each */
  .subs = (const sh_cli_cmd *const[]){&import_checksheet, &import_mapping, &sh_cmd_import_oscal, &sh_cmd_import_answers, NULL},
  .examples = (const sh_cli_example[]){
    {"import checksheet --id phr-official -o phr-official.yaml checksheet.xlsx", N_("a checksheet to a framework file")},
    {"help import mapping", N_("the help of 'import mapping'")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("written")}, {2, N_("usage or I/O error")}, {3, N_("invalid input")}, {0, NULL}},
};
