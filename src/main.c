/* main: the shinsa program: dispatches through the command table (src/cmd/table.c) with the
 * table-driven parser (cli.h). Each command lives in src/cmd/NAME.c; everything else in libshinsa. */
#include "cmd/cmd.h"

#include "config.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  sh_i18n_init();
  const char *first = argc >= 2 ? argv[1] : "";
  if (strcmp(first, "--version") == 0 || strcmp(first, "version") == 0) {
    printf("shinsa %s\n", SHINSA_VERSION);
    return SH_EXIT_OK;
  }
  /* Hidden modes used by the build: the man page (English, or in the language given: --dump-man ja) and the
   * bash completion, from the same tables. They never follow the locale. */
  if (strcmp(first, "--dump-man") == 0 || strcmp(first, "--dump-completion") == 0) {
    const char *lang = argc >= 3 && strcmp(argv[2], "ja") == 0 ? "ja" : "en";
    if (strcmp(lang, "ja") == 0 && strcmp(sh_tr("ja", "Options:"), "Options:") == 0) {
      fprintf(stderr, "shinsa: error: no Japanese catalog in %s: cannot write the Japanese man page\n",
              sh_i18n_localedir());
      return SH_EXIT_USAGE;
    }
    char *s = first[7] == 'm' ? sh_cli_man(&sh_cmd_root, SHINSA_VERSION, lang)
                              : sh_cli_bash_completion(sh_commands);
    fputs(s, stdout);
    free(s);
    return SH_EXIT_OK;
  }
  /* `shinsa help CMD [SUB]` is `shinsa CMD [SUB] --help`. */
  if (strcmp(first, "help") == 0) {
    char **v = calloc((size_t)argc, sizeof *v);
    if (!v) return SH_EXIT_USAGE;
    int n = 0;
    for (int i = 2; i < argc; i++) v[n++] = argv[i];
    v[n++] = "--help";
    int rc = sh_cli_dispatch(&sh_cmd_root, "shinsa", n, v);
    free(v);
    return rc;
  }
  return sh_cli_dispatch(&sh_cmd_root, "shinsa", argc - 1, argv + 1);
}
