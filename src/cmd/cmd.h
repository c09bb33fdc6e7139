/* cmd: the shinsa subcommands, one file each (src/cmd/NAME.c), each defining one sh_cli_cmd table
 * (options, help, examples, exit codes) and its run function. table.c lists them in the order of
 * `shinsa --help`. Shared option definitions and small helpers are here and in common.c.
 * How to add a command or an option: src/cmd/README.md. */
#ifndef SHINSA_CMD_H
#define SHINSA_CMD_H

#include "cli.h"
#include "i18n.h"
#include "framework.h"
#include "store.h"

#include <stddef.h>

/* Every top-level command, NULL-terminated, in the order of `shinsa --help` (table.c). */
extern const sh_cli_cmd *const sh_commands[];
/* The program itself as a group of sh_commands (its help is `shinsa --help`). */
extern const sh_cli_cmd sh_cmd_root;

extern const sh_cli_cmd sh_cmd_check, sh_cmd_probe, sh_cmd_cda, sh_cmd_lint, sh_cmd_frameworks, sh_cmd_history,
    sh_cmd_crosswalk, sh_cmd_report, sh_cmd_review, sh_cmd_waive, sh_cmd_diff, sh_cmd_log, sh_cmd_import, sh_cmd_db;
extern const sh_cli_cmd sh_cmd_init, sh_cmd_facts; /* scaffold.c: a starting package, the facts frameworks use */
extern const sh_cli_cmd sh_cmd_import_answers;     /* a subcommand of import (import.c) */
extern const sh_cli_cmd sh_cmd_reviewer, sh_cmd_waiver; /* roster.c: the reviewer roster, waivers */

/* Choices shared by several commands. */
extern const char *const sh_cmd_langs[];     /* ja, en */
extern const char *const sh_cmd_text_json[]; /* text, json */

/* Options shared by several commands; T is the command's options struct, which names the field
 * as the option (data_dir, lang, db, out, format). */
#define SH_OPT_DATA_DIR(T)                                                                                     \
  {"data-dir", 0, SH_CLI_STR, offsetof(T, data_dir), "DIR", NULL,                                              \
   N_("where rules/ and checklists/ are (default: $SHINSA_DATA_DIR or the installed data)"), NULL, false}
#define SH_OPT_LANG(T)                                                                                         \
  {"lang", 0, SH_CLI_STR, offsetof(T, lang), "LANG", NULL,                                                     \
   N_("language of the output (ja, en); default: the locale's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) when ja or en, "\
   "else ja"), sh_cmd_langs, false}
#define SH_OPT_DB(T, REQUIRED)                                                                                 \
  {"db", 0, SH_CLI_STR, offsetof(T, db), "DB", "$SHINSA_DB", N_("the store: a SQLite file or a postgresql:// URL"), NULL,   \
   REQUIRED}
/* check and report: repeatable --out (sh_report_plan) and --format for standard output */
#define SH_OPT_REPORT_OUT(T)                                                                                   \
  {"out", 'o', SH_CLI_LIST, offsetof(T, out), "FILE", NULL,                                                    \
   N_("write the report to FILE, in the format its extension names (.txt .json .md .html .csv .xlsx .oscal.xml\n" \
   ".oscal.json); all files or none are written; '-' is standard output"), NULL, false},             \
  {"format", 0, SH_CLI_STR, offsetof(T, format), "FMT", NULL,                                                  \
   N_("format of standard output (default text), or of the one --out FILE"), sh_report_format_names, false}
#define SH_OPT_OUT(T)                                                                                          \
  {"out", 'o', SH_CLI_STR, offsetof(T, out), "FILE",                                                           \
   NULL, N_("write to FILE (atomically) instead of standard output"), NULL, false}
#define SH_OPT_FORMAT_TEXT_JSON(T)                                                                             \
  {"format", 0, SH_CLI_STR, offsetof(T, format), "FMT", "text", N_("output format"), sh_cmd_text_json, false}

/* The data directory: the option's value, else sh_data_dir_default(). */
const char *sh_cmd_data_dir(const char *opt);
/* Loads the registry for a command: the data folder (the option, else the default), the user folders
 * ($XDG_DATA_HOME/shinsa, SHINSA_DATA_PATH) and every framework or overlay file among fw_args (the
 * --framework values that are paths). When ids is given, appends (borrowed) the framework id of each
 * fw_arg: an id as given, a path as the id of the framework it loaded (an overlay: the framework it
 * extends). strict: lint's rules for overlays. NULL after errors. */
sh_registry *sh_cmd_registry(const char *data_dir_opt, const sh_vec *fw_args, bool strict, sh_vec *ids, sh_diags *d);
/* The same as a lazy registry (framework.h): frameworks found in folders are parsed when sh_registry_need asks. */
sh_registry *sh_cmd_registry_lazy(const char *data_dir_opt, const sh_vec *fw_args, sh_vec *ids, sh_diags *d);
/* Appends (borrowed) to fws the framework of each id in ids (from sh_cmd_registry), once each: a framework
 * file and its overlay name the same framework. False after a usage error in d for an unknown id. */
bool sh_cmd_resolve_frameworks(const sh_registry *reg, const sh_vec *ids, sh_vec *fws, sh_diags *d);
/* Parses a run number (a positive integer); false after a usage error in d. */
bool sh_cmd_run_id(const char *s, int64_t *out, sh_diags *d);
/* Opens an existing store (a missing file is an I/O error, not a new database). NULL after errors. */
sh_store *sh_cmd_open_existing_store(const char *db, sh_diags *d);
/* Opens an existing store read only (SH_STORE_READ: no migration, no write; history, report, diff, log verify). */
sh_store *sh_cmd_open_store_readonly(const char *db, sh_diags *d);

/* Subcommands of the import group kept in their own file (import_NAME.c). */
extern const sh_cli_cmd sh_cmd_import_oscal;

#endif
