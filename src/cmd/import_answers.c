/* cmd/import_answers: `shinsa import answers FILE.xlsx --into DIR`: the filled checksheet's answers into the
 * package (answers_import.c). A subcommand of the `import` group (import.c). */
#include "cmd.h"

#include "answers_import.h"
#include "framework.h"

typedef struct {
  const char *into, *data_dir;
} answers_opts;

static const sh_cli_opt opts[] = {
  {"into", 0, SH_CLI_STR, offsetof(answers_opts, into), "DIR", NULL, N_("the evidence package to update"), NULL, true},
  SH_OPT_DATA_DIR(answers_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  answers_opts *o = vo;
  sh_registry *reg = sh_cmd_registry(o->data_dir, NULL, false, NULL, d); /* with the user data folders */
  if (!reg) return;
  sh_answers_import_stats st;
  if (sh_answers_import(reg, pos->v[0], o->into, &st, d) == 0) {
    if (!st.changed) {
      printf(_("shinsa: %zu items read, no answer changed\n"), st.rows);
    } else {
      printf(st.changed == 1 ? _("shinsa: %zu items read, %zu answer imported into %s/%s%s:\n")
                             : _("shinsa: %zu items read, %zu answers imported into %s/%s%s:\n"),
             st.rows, st.changed, o->into, st.answers_file,
             st.appended ? _(" (answers_file: added to evidence.yaml)") : "");
      for (size_t k = 0; k < st.keys.n; k++) printf("  %s\n", (const char *)st.keys.v[k]);
    }
    sh_answers_import_stats_free(&st);
  }
  sh_registry_free(reg);
}

const sh_cli_cmd sh_cmd_import_answers = {
  .name = "answers",
  .summary = N_("read a filled checksheet (xlsx) back into the package's answers"),
  .usage = "--into DIR FILE",
  .description = N_("Reads the checksheet written by 'shinsa check --format xlsx' after the applicant filled in the\n"
                 "status, planned date or reason and answer columns (in Excel or LibreOffice; .ods and .csv with\n"
                 "the same header row work too) and writes the answers that differ from the package's to its\n"
                 "answers file (answers_file:, default DIR/answers.yaml). evidence.yaml keeps every comment and\n"
                 "line; one 'answers_file:' line is appended when it has none. Nothing is written unless every\n"
                 "row is valid and the package loads with the new answers.\n"),
  .opts = opts,
  .opts_size = sizeof(answers_opts),
  .min_pos = 1,
  .max_pos = 1,
  .pos_complete = "file",
  .run = run,
  .examples = (const sh_cli_example[]){
    {"import answers checksheet.xlsx --into my-package", N_("imports the applicant's answers")},
    {"import answers checksheet.ods --into my-package --data-dir ./data", N_("the same from LibreOffice's own format")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("imported (or nothing changed)")}, {2, N_("usage or I/O error")},
                                 {3, N_("invalid data (FILE:SHEET!CELL)")}, {0, NULL}},
};
