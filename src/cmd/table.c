/* cmd/table: the list of shinsa's commands, in the order of `shinsa --help` (one line each), and the
 * program itself as the group holding them. */
#include "cmd.h"

const sh_cli_cmd *const sh_commands[] = {
  &sh_cmd_init,
  &sh_cmd_facts,
  &sh_cmd_check,
  &sh_cmd_probe,
  &sh_cmd_cda,
  &sh_cmd_lint,
  &sh_cmd_frameworks,
  &sh_cmd_history,
  &sh_cmd_crosswalk,
  &sh_cmd_report,
  &sh_cmd_review,
  &sh_cmd_waive,
  &sh_cmd_reviewer,
  &sh_cmd_waiver,
  &sh_cmd_diff,
  &sh_cmd_log,
  &sh_cmd_import,
  &sh_cmd_db,
  /* more commands: one line each, here and in cmd.h */
  NULL,
};

const sh_cli_cmd sh_cmd_root = {
  .name = "shinsa",
  .summary = N_("check evidence against Japanese personal-data trust frameworks"),
  .usage = "COMMAND [OPTIONS] [ARGS]",
  .description = N_("shinsa (審査) checks an operator's evidence against Japanese personal-data trust\n"
                 "frameworks (情報銀行, PHR, 次世代医療基盤法), item by item.\n"
                 "\n"
                 "Run 'shinsa help COMMAND' or 'shinsa COMMAND --help' for a command's options;\n"
                 "'shinsa --version' prints the version.\n"
                 "Environment: SHINSA_DATA_DIR overrides where rules/ and checklists/ are found.\n"),
  .subs = sh_commands,
  .examples = (const sh_cli_example[]){
    {"check examples/infobank-health", N_("checks the bundled example")},
    {"help check", N_("the options of 'check'")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success (every applicable must item satisfied)")},
                                 {1, N_("findings")},
                                 {2, N_("usage or I/O error")},
                                 {3, N_("invalid input data")},
                                 {0, NULL}},
};
