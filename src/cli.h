/* cli: a table-driven command-line parser in the spirit of git's parse-options.
 *
 * Each command is described by one sh_cli_cmd: its name, a one-line summary, the usage line, a
 * description, its options (sh_cli_opt, each with long name, optional short alias, argument name,
 * default, help text and a typed destination inside the command's own options struct), examples and
 * the exit codes it can return. The same table parses the arguments, applies defaults, and writes the
 * `--help` text, the man page section and the bash completion, so these cannot drift apart.
 * A command either runs (run != NULL) or groups subcommands (subs != NULL: `shinsa log verify`).
 *
 * Ownership: the tables are static data. sh_cli_parse fills an options struct whose strings are
 * borrowed from argv or the table; sh_cli_opts_free releases the sh_vec lists it allocated. */
#ifndef SHINSA_CLI_H
#define SHINSA_CLI_H

#include "diag.h"

#include <stddef.h>

typedef enum {
  SH_CLI_FLAG, /* bool: present or not, takes no value */
  SH_CLI_STR,  /* const char *: one value (given twice is an error) */
  SH_CLI_LIST, /* sh_vec of const char *: repeatable, in order */
  SH_CLI_INT,  /* int64_t: one integer value */
} sh_cli_type;

typedef struct {
  const char *name;           /* long name without "--"; NULL ends the table */
  char short_name;            /* one-letter alias ("-o"), 0 when none */
  sh_cli_type type;
  size_t offset;              /* offsetof(options struct, field) of the destination */
  const char *arg;            /* argument name in help ("FILE"); NULL for flags */
  const char *def;            /* default value (text, applied before parsing), NULL for none; "$VAR": the value of
                               * environment variable VAR when it is set and not empty */
  const char *help;           /* one sentence; continuation allowed with '\n' */
  const char *const *choices; /* allowed values (NULL-terminated), NULL when free-form */
  bool required;              /* missing -> usage error "--NAME ARG is required" */
} sh_cli_opt;

/* One example of a help text: the command line (without "shinsa ") and what it does. */
typedef struct {
  const char *args;
  const char *what;
} sh_cli_example;

/* One exit code a command can return, with its meaning for this command. */
typedef struct {
  int code; /* an sh_exit_code */
  const char *meaning;
} sh_cli_exit;

/* Positional arguments after parsing (borrowed from argv). */
typedef struct {
  char **v;
  size_t n;
} sh_cli_args;

typedef struct sh_cli_cmd sh_cli_cmd;

/* Runs a command: o is the filled options struct, pos the positional arguments. Everything that
 * goes wrong goes into d with its class; the exit code is computed from d by the caller
 * (sh_diags_exit_code). */
typedef void (*sh_cli_run_fn)(void *o, const sh_cli_args *pos, sh_diags *d);

struct sh_cli_cmd {
  const char *name;              /* "check", or "verify" inside the group "log" */
  const char *summary;           /* one line, shown in the list of commands */
  const char *usage;             /* after "shinsa NAME ": "[OPTIONS] EVIDENCE_DIR" */
  const char *description;       /* paragraphs, lines up to ~100 columns, ending in '\n' */
  const sh_cli_opt *opts;        /* NULL-name terminated; NULL for none */
  size_t opts_size;              /* sizeof the options struct run receives */
  size_t min_pos, max_pos;       /* positional argument count bounds (SH_CLI_MANY: no upper bound) */
  const char *pos_complete;      /* completion of positionals: "file", "dir" or NULL (none) */
  sh_cli_run_fn run;             /* NULL for a group */
  const sh_cli_cmd *const *subs; /* NULL-terminated subcommands of a group, else NULL */
  const sh_cli_example *examples; /* NULL-args terminated; 2 or 3 */
  const sh_cli_exit *exits;       /* NULL-meaning terminated */
};

#define SH_CLI_MANY ((size_t)-1)

/* Parses argv (the arguments after the command name) into o (opts_size bytes, zeroed and given
 * the defaults first) and pos. Accepts --name VALUE, --name=VALUE, -x VALUE, "--" (the rest is
 * positional) and "-" as a positional. Sets *help for -h/--help. Returns 0, or -1 after a usage
 * error in d. The caller frees with sh_cli_opts_free (also after an error). */
int sh_cli_parse(const sh_cli_cmd *cmd, int argc, char **argv, void *o, sh_cli_args *pos, bool *help, sh_diags *d);
void sh_cli_opts_free(const sh_cli_cmd *cmd, void *o, sh_cli_args *pos);

/* Finds a subcommand (or command) by name in a NULL-terminated list. NULL when absent. */
const sh_cli_cmd *sh_cli_find(const sh_cli_cmd *const *list, const char *name);

/* Runs cmd (or the subcommand of a group named by argv[0]) with argv: parses, prints --help, runs,
 * prints the diagnostics to stderr (with "Try 'shinsa PATH --help'." after a usage error) and
 * returns the exit code from the diagnostics. path is the command path so far ("log"). */
int sh_cli_dispatch(const sh_cli_cmd *cmd, const char *path, int argc, char **argv);

/* Help text of cmd (path: "check", "log verify") in the message language (sh_msg_lang: the locale's, English
 * under C), or in lang ("ja", "en"). The table's texts (summary, description, option help, examples' and exit
 * codes' meanings) are catalog messages, marked N_() in the tables and translated here; names, usage lines,
 * argument names, defaults, choices and example command lines are not translated. Caller frees. */
char *sh_cli_help(const sh_cli_cmd *cmd, const char *path);
char *sh_cli_help_lang(const sh_cli_cmd *cmd, const char *path, const char *lang);
/* The man page (roff, ASCII: other characters as \[uXXXX]) of the program described by root (a group: its
 * summary, usage, description, examples and exit codes head the page), one subsection per command and
 * subcommand, in lang ("en": the English page the build installs in man1; "ja": man/ja/man1). Caller frees. */
char *sh_cli_man(const sh_cli_cmd *root, const char *version, const char *lang);
/* A bash completion script for the program. Caller frees. */
char *sh_cli_bash_completion(const sh_cli_cmd *const *top);

/* Ends an option table. */
#define SH_CLI_OPT_END {NULL, 0, SH_CLI_FLAG, 0, NULL, NULL, NULL, NULL, false}

#endif
