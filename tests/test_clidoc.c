/* Tests that help, man page and bash completion come from the same command tables: every option of
 * every command (walking the table, so commands added later are covered) appears in `--help`, in the
 * man page section of that command and in the completion of that command; `shinsa help CMD` equals
 * `shinsa CMD --help`; every help ends with 2-3 examples and the command's exit codes. The generated
 * completion is also run in bash. Under a Japanese locale (LANG=ja_JP.UTF-8, with no ja locale installed on
 * the machine) every command's help is Japanese: every text of its table is in the catalog and shown
 * translated, none left in English, and `help CMD` equals `CMD --help` there too. */
#include "cmd.h"
#include "helpers.h"
#include "i18n.h"
#include "report.h"
#include "report_cells.h"
#include "texttable.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static char *man, *completion;

static void load_generated(void) {
  const char *mp = getenv("SHINSA_MAN"), *cp = getenv("SHINSA_COMPLETION");
  cr_assert(mp && cp, "SHINSA_MAN and SHINSA_COMPLETION are set by tests/meson.build");
  size_t len;
  cr_assert_eq(sh_read_file(mp, 1 << 22, &man, &len), 0, "man page %s", mp);
  cr_assert_eq(sh_read_file(cp, 1 << 22, &completion, &len), 0, "completion %s", cp);
}

static void free_generated(void) {
  free(man);
  free(completion);
}

TestSuite(clidoc, .init = load_generated, .fini = free_generated);

/* The text of s from the line equal to start up to the next line beginning with next_prefix. */
static char *section(const char *s, const char *start, const char *next_prefix) {
  const char *a = strstr(s, start);
  if (!a) return NULL;
  const char *p = a + strlen(start), *b = NULL;
  while ((p = strchr(p, '\n'))) {
    p++;
    if (sh_str_startswith(p, next_prefix)) {
      b = p;
      break;
    }
  }
  return b ? sh_strndup(a, (size_t)(b - a)) : sh_strdup(a);
}

/* Roff form of a long option: \-\-data\-dir */
static char *roff_opt(const char *name) {
  sh_buf b = {0};
  sh_buf_puts(&b, "\\-\\-");
  for (const char *p = name; *p; p++) {
    if (*p == '-') sh_buf_puts(&b, "\\-");
    else sh_buf_putc(&b, *p);
  }
  return sh_buf_steal(&b);
}

static size_t ncommands;

/* The arguments of `CMD... --help` (a1) and `help CMD...` (a2) for the command path words[0..n). */
static void help_argv(const char **words, size_t n, const char *a1[8], const char *a2[8]) {
  cr_assert(n < 6);
  a2[0] = "help";
  for (size_t i = 0; i < n; i++) a1[i] = words[i], a2[i + 1] = words[i];
  a1[n] = "--help";
}

/* words: the command path as arguments ("log", "verify"), n of them. */
static void check_cmd(const sh_cli_cmd *cmd, const char **words, size_t n) {
  ncommands++;
  sh_buf path = {0};
  for (size_t i = 0; i < n; i++) sh_buf_printf(&path, "%s%s", i ? " " : "", words[i]);
  const char *P = sh_buf_str(&path);

  /* help CMD == CMD --help */
  const char *a1[8] = {0}, *a2[8] = {0};
  help_argv(words, n, a1, a2);
  char *out1, *err1, *out2, *err2;
  cr_assert_eq(th_run(&out1, &err1, a1), 0, "shinsa %s --help: %s", P, err1);
  cr_assert_eq(th_run(&out2, &err2, a2), 0, "shinsa help %s: %s", P, err2);
  cr_assert_str_eq(out1, out2, "shinsa help %s differs from shinsa %s --help", P, P);
  char *usage = sh_printf("Usage: shinsa %s ", P);
  cr_assert(sh_str_startswith(out1, usage), "%s", out1);
  free(usage);

  /* examples and exit codes, in the table and in the help */
  size_t nex = 0, nexit = 0;
  while (cmd->examples && cmd->examples[nex].args) nex++;
  while (cmd->exits && cmd->exits[nexit].meaning) nexit++;
  cr_expect(nex >= 2 && nex <= 3, "shinsa %s has %zu examples (2 or 3 expected)", P, nex);
  cr_expect(nexit >= 1, "shinsa %s states no exit code", P);
  cr_expect(strstr(out1, "\nExamples:\n  shinsa "), "shinsa %s --help lacks examples", P);
  cr_expect(strstr(out1, "\nExit status:\n  "), "shinsa %s --help lacks the exit codes", P);
  for (size_t i = 0; i < nexit; i++) {
    char *line = sh_printf("  %d  %s\n", cmd->exits[i].code, cmd->exits[i].meaning);
    cr_expect(strstr(out1, line), "shinsa %s --help lacks exit line %s", P, line);
    free(line);
  }

  /* the man page section of this command, and its completion case */
  char *ss = sh_printf(".SS \"shinsa %s\"\n", P);
  char *mansec = section(man, ss, ".SS ");
  cr_assert(mansec, "man page lacks %s", ss);
  char *cs = sh_printf("    \"%s\")\n", P);
  char *compsec = section(completion, cs, "    \"");
  cr_assert(compsec, "completion lacks the case %s", cs);

  for (size_t k = 0; cmd->opts && cmd->opts[k].name; k++) {
    const sh_cli_opt *op = &cmd->opts[k];
    char *lo = sh_printf("--%s", op->name);
    char *lo_sp = sh_printf("--%s ", op->name);
    cr_expect(strstr(out1, lo), "shinsa %s --help lacks %s", P, lo);
    char *ro = roff_opt(op->name);
    cr_expect(strstr(mansec, ro), "man page section of shinsa %s lacks %s", P, lo);
    cr_expect(strstr(compsec, lo_sp), "completion of shinsa %s lacks %s", P, lo);
    if (op->short_name) {
      char *so = sh_printf("-%c, --%s", op->short_name, op->name);
      cr_expect(strstr(out1, so), "shinsa %s --help lacks %s", P, so);
      free(so);
    }
    free(lo), free(lo_sp), free(ro);
  }
  for (size_t i = 0; cmd->subs && cmd->subs[i]; i++) {
    char *line = sh_printf("  %-12s %s\n", cmd->subs[i]->name, cmd->subs[i]->summary);
    cr_expect(strstr(out1, line), "shinsa %s --help does not list %s", P, cmd->subs[i]->name);
    free(line);
    words[n] = cmd->subs[i]->name;
    check_cmd(cmd->subs[i], words, n + 1);
  }
  free(ss), free(mansec), free(cs), free(compsec);
  free(out1), free(err1), free(out2), free(err2);
  sh_buf_free(&path);
}

Test(clidoc, every_option_in_help_man_and_completion) {
  const char *words[8];
  for (size_t i = 0; sh_commands[i]; i++) {
    words[0] = sh_commands[i]->name;
    check_cmd(sh_commands[i], words, 1);
    /* listed in `shinsa --help` and in the man page's NAME/COMMANDS */
  }
  cr_assert_geq(ncommands, 13, "walked %zu commands", ncommands);
  char *out, *err;
  cr_assert_eq(th_run(&out, &err, (const char *const[]){"--help", NULL}), 0);
  for (size_t i = 0; sh_commands[i]; i++) {
    char *line = sh_printf("  %-12s %s\n", sh_commands[i]->name, sh_commands[i]->summary);
    cr_expect(strstr(out, line), "shinsa --help does not list %s", sh_commands[i]->name);
    free(line);
  }
  free(out), free(err);
}

Test(clidoc, man_page_is_valid_roff) {
  cr_assert(sh_str_startswith(man, ".TH SHINSA 1 "));
  for (const char *p = man; *p; p++) cr_assert((unsigned char)*p < 0x80, "non-ASCII byte in the man page");
  cr_assert(strstr(man, "\n.SH EXIT STATUS\n"));
}

/* Runs the completion in bash for the words typed so far (the last one being completed). */
static char *complete(const char *line) {
  char *tmp = th_tmpdir();
  char *script = sh_printf("source '%s'\nread -ra COMP_WORDS <<<\"$1\"\n[[ \"$1\" == *' ' ]] && COMP_WORDS+=('')\n"
                           "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n_shinsa\necho \"${COMPREPLY[*]}\"\n",
                           getenv("SHINSA_COMPLETION"));
  char *sp = th_write(tmp, "c.sh", script);
  char *cmd = sh_printf("bash '%s' '%s' 2>&1", sp, line);
  FILE *f = popen(cmd, "r");
  cr_assert(f);
  char buf[4096] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  pclose(f);
  free(tmp), free(script), free(sp), free(cmd);
  return sh_strdup(buf);
}

Test(clidoc, completion_runs_in_bash) {
  char *r = complete("shinsa ch");
  cr_expect_str_eq(r, "check\n");
  free(r);
  /* an option's choices, from the same list the parser checks */
  sh_buf want = {0};
  for (size_t i = 0; sh_report_format_names[i]; i++) sh_buf_printf(&want, "%s%s", i ? " " : "", sh_report_format_names[i]);
  sh_buf_putc(&want, '\n');
  r = complete("shinsa check --format ");
  cr_expect_str_eq(r, sh_buf_str(&want));
  free(r);
  sh_buf_free(&want);
  r = complete("shinsa log ");
  cr_expect_str_eq(r, "verify anchor --help\n");
  free(r);
  r = complete("shinsa log verify --d");
  cr_expect_str_eq(r, "--db\n");
  free(r);
  /* every top-level command is offered */
  r = complete("shinsa ");
  for (size_t i = 0; sh_commands[i]; i++) {
    char *w = sh_printf("%s ", sh_commands[i]->name);
    cr_expect(strstr(r, w), "completion does not offer %s: %s", sh_commands[i]->name, r);
    free(w);
  }
  free(r);
}

/* The --format choices are exactly the formats the report module renders. */
Test(clidoc, format_choices_match_the_writers) {
  size_t n = 0;
  const sh_report_view *auditor = sh_report_view_find("auditor");
  for (; sh_report_format_names[n]; n++) {
    cr_expect_eq(sh_report_format_parse(sh_report_format_names[n]), (int)n);
    /* every format has a renderer in the dispatcher's table (html: the view's Markdown as a page) */
    cr_expect(auditor->fn[n] || (n == SH_RF_HTML && auditor->fn[SH_RF_MD]), "format %s has no writer",
              sh_report_format_names[n]);
  }
  cr_expect_eq(n, (size_t)SH_RF__COUNT);
  sh_buf want = {0};
  for (size_t i = 0; i < n; i++) sh_buf_printf(&want, "%s%s", i ? ", " : "", sh_report_format_names[i]);
  cr_expect_str_eq(sh_report_formats(), sh_buf_str(&want));
  sh_buf_free(&want);
}

/* ---------- help in Japanese ---------- */

/* The environment of a Japanese user: LANG=ja_JP.UTF-8, no LC_ALL (the suite's C.UTF-8 would win), no LANGUAGE.
 * Criterion runs each test in its own process: the change ends with the test. */
static void japanese_locale(void) {
  unsetenv("LC_ALL");
  unsetenv("LC_MESSAGES");
  unsetenv("LANGUAGE");
  setenv("LANG", "ja_JP.UTF-8", 1);
}

/* s without spaces and line breaks: wrapping moves breaks and drops the spaces it breaks at. */
static char *squeeze(const char *s) {
  sh_buf b = {0};
  for (; *s; s++)
    if (*s != ' ' && *s != '\n') sh_buf_putc(&b, *s);
  return sh_buf_steal(&b);
}

/* The option labels of a help text ("-o, --out FILE"), one per line, in order. */
static char *labels(const char *help) {
  sh_buf b = {0};
  for (const char *p = help; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    if (!sh_str_startswith(p, "  -")) continue;
    size_t n = strcspn(p + 2, "\n");
    const char *gap = strstr(p + 2, "  ");
    if (gap && (size_t)(gap - (p + 2)) < n) n = (size_t)(gap - (p + 2));
    sh_buf_put(&b, p + 2, n);
    sh_buf_putc(&b, '\n');
  }
  return sh_buf_steal(&b);
}

static size_t nja, ntexts;

/* Checks that text (a table string) is in the catalog and that the Japanese help (squeezed; NULL: the text is not
 * shown in this help) shows it translated and does not show the English. */
static void expect_translated(const char *P, const char *what, const char *text, const char *ja_help_sq) {
  if (!text || !*text) return;
  ntexts++;
  const char *ja = sh_tr("ja", text);
  cr_expect(ja != text && strcmp(ja, text) != 0, "shinsa %s: the %s has no Japanese in po/ja.po: \"%s\"", P, what, text);
  char *jsq = squeeze(ja), *esq = squeeze(text);
  if (ja_help_sq) cr_expect(strstr(ja_help_sq, jsq), "shinsa %s: the Japanese help lacks the %s \"%s\"", P, what, ja);
  /* the English must be gone (short words such as "why" could occur inside other text: only sentences) */
  if (ja_help_sq && strchr(text, ' ')) cr_expect(!strstr(ja_help_sq, esq), "shinsa %s: the %s is still English: \"%s\"", P, what, text);
  free(jsq), free(esq);
}

static void check_cmd_ja(const sh_cli_cmd *cmd, const char **words, size_t n) {
  nja++;
  sh_buf path = {0};
  for (size_t i = 0; i < n; i++) sh_buf_printf(&path, "%s%s", i ? " " : "", words[i]);
  const char *P = sh_buf_str(&path);
  const char *a1[8] = {0}, *a2[8] = {0};
  help_argv(words, n, a1, a2);
  char *ja1, *ja2, *en, *err;
  cr_assert_eq(th_run(&ja1, &err, a1), 0, "shinsa %s --help: %s", P, err);
  free(err);
  cr_assert_eq(th_run(&ja2, &err, a2), 0, "shinsa help %s: %s", P, err);
  free(err);
  cr_expect_str_eq(ja1, ja2, "under ja: shinsa help %s differs from shinsa %s --help", P, P);
  char *usage = sh_printf("使い方: shinsa %s ", P);
  cr_expect(sh_str_startswith(ja1, usage), "shinsa %s --help under LANG=ja_JP.UTF-8:\n%s", P, ja1);
  free(usage);
  cr_expect(strstr(ja1, "\nオプション:\n") && strstr(ja1, "\n例:\n  shinsa ") && strstr(ja1, "\n終了ステータス:\n  "),
            "shinsa %s --help: Japanese headings missing:\n%s", P, ja1);
  /* the same options, examples and exit codes as the English help */
  setenv("LC_ALL", "C.UTF-8", 1);
  cr_assert_eq(th_run(&en, &err, a1), 0);
  free(err);
  unsetenv("LC_ALL");
  cr_expect(sh_str_startswith(en, "Usage: shinsa "), "the C locale gives the English help:\n%s", en);
  char *lj = labels(ja1), *le = labels(en);
  cr_expect_str_eq(lj, le, "shinsa %s: the Japanese help lists other options than the English one", P);
  free(lj), free(le);
  for (size_t i = 0; cmd->examples && cmd->examples[i].args; i++) {
    char *line = sh_printf("\n  shinsa %s\n", cmd->examples[i].args);
    cr_expect(strstr(ja1, line), "shinsa %s: the Japanese help lacks the example %s", P, line);
    free(line);
  }
  /* every text of the table, translated */
  char *sq = squeeze(ja1);
  expect_translated(P, "summary", cmd->summary, NULL); /* shown in the parent's list (checked there) */
  expect_translated(P, "description", cmd->description, sq);
  for (size_t k = 0; cmd->opts && cmd->opts[k].name; k++) {
    char *what = sh_printf("help of --%s", cmd->opts[k].name);
    expect_translated(P, what, cmd->opts[k].help, sq);
    free(what);
  }
  for (size_t i = 0; cmd->examples && cmd->examples[i].args; i++)
    expect_translated(P, "example's explanation", cmd->examples[i].what, sq);
  for (size_t i = 0; cmd->exits && cmd->exits[i].meaning; i++) {
    expect_translated(P, "exit code's meaning", cmd->exits[i].meaning, sq);
    char *line = sh_printf("  %d  %s\n", cmd->exits[i].code, sh_tr("ja", cmd->exits[i].meaning));
    cr_expect(strstr(ja1, line), "shinsa %s: the Japanese help lacks the exit line %s", P, line);
    free(line);
  }
  for (size_t i = 0; cmd->subs && cmd->subs[i]; i++) {
    char *line = sh_printf("  %-12s %s\n", cmd->subs[i]->name, sh_tr("ja", cmd->subs[i]->summary));
    cr_expect(strstr(ja1, line), "shinsa %s --help (ja) does not list %s in Japanese", P, cmd->subs[i]->name);
    free(line);
    words[n] = cmd->subs[i]->name;
    check_cmd_ja(cmd->subs[i], words, n + 1);
  }
  free(sq);
  free(ja1), free(ja2), free(en);
  sh_buf_free(&path);
}

Test(clidoc, every_help_in_japanese_under_a_japanese_locale) {
  japanese_locale();
  const char *words[8];
  for (size_t i = 0; sh_commands[i]; i++) {
    words[0] = sh_commands[i]->name;
    check_cmd_ja(sh_commands[i], words, 1);
  }
  cr_assert_geq(nja, 13);
  cr_assert_geq(ntexts, 200, "only %zu table texts checked", ntexts);
  /* shinsa --help: the program's own texts and every command's summary */
  char *out, *err;
  cr_assert_eq(th_run(&out, &err, (const char *const[]){"--help", NULL}), 0);
  char *sq = squeeze(out);
  expect_translated("", "description", sh_cmd_root.description, sq);
  for (size_t i = 0; sh_cmd_root.exits[i].meaning; i++) expect_translated("", "exit code", sh_cmd_root.exits[i].meaning, sq);
  for (size_t i = 0; sh_commands[i]; i++) {
    char *line = sh_printf("  %-12s %s\n", sh_commands[i]->name, sh_tr("ja", sh_commands[i]->summary));
    cr_expect(strstr(out, line), "shinsa --help (ja) does not list %s in Japanese:\n%s", sh_commands[i]->name, out);
    free(line);
  }
  free(sq), free(out), free(err);
}

/* Help lines fit 100 display columns, also in Japanese (a Japanese character takes two columns): option help and
 * examples are wrapped, descriptions written so. Command lines (usage, examples) are left as they are. */
Test(clidoc, japanese_help_fits_100_columns) {
  japanese_locale();
  for (size_t i = 0; sh_commands[i]; i++) {
    char *out, *err;
    cr_assert_eq(th_run(&out, &err, (const char *const[]){sh_commands[i]->name, "--help", NULL}), 0);
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
      if (sh_str_startswith(line, "  shinsa ") || sh_str_startswith(line, "使い方: ")) continue; /* command lines */
      cr_expect_leq(sh_display_width(line), 100, "shinsa %s --help: a line of %zu columns: %s", sh_commands[i]->name,
                    sh_display_width(line), line);
    }
    free(out), free(err);
  }
}

/* A usage error under a Japanese locale: the message, the severity word and the hint in Japanese, exit 2 as in
 * English; the C locale keeps the English. */
Test(clidoc, usage_error_follows_the_locale) {
  const char *args[] = {"history", "--nope", NULL};
  char *out, *err;
  cr_assert_eq(th_run(&out, &err, args), 2);
  cr_expect_str_eq(err, "shinsa: error: unknown option '--nope'\nTry 'shinsa history --help'.\n");
  free(out), free(err);
  japanese_locale();
  cr_assert_eq(th_run(&out, &err, args), 2);
  cr_expect_str_eq(err, "shinsa: エラー: 不明なオプション '--nope'\n詳しくは 'shinsa history --help' を参照してください。\n");
  free(out), free(err);
  /* the three severity words */
  const char *sevs[][2] = {{"shinsa: エラー: x", "shinsa: error: x"}, {"shinsa: 警告: x", "shinsa: warning: x"},
                           {"shinsa: 注記: x", "shinsa: note: x"}};
  for (int k = 0; k < 3; k++) {
    sh_diag dg = {k == 0 ? SH_SEV_ERROR : k == 1 ? SH_SEV_WARNING : SH_SEV_NOTE, SH_DIAG_DATA, NULL, 0, 0, (char *)"x"};
    char *f = sh_diag_format(&dg);
    cr_expect_str_eq(f, sevs[k][0]);
    free(f);
  }
  /* LANGUAGE picks the language when the locale is not C (as gettext does); under C it is ignored */
  unsetenv("LANG");
  setenv("LC_ALL", "en_US.UTF-8", 1);
  setenv("LANGUAGE", "ja", 1);
  cr_assert_eq(th_run(&out, &err, args), 2);
  cr_expect(sh_str_startswith(err, "shinsa: エラー: "), "%s", err);
  free(out), free(err);
  setenv("LC_ALL", "C.UTF-8", 1);
  cr_assert_eq(th_run(&out, &err, args), 2);
  cr_expect(sh_str_startswith(err, "shinsa: error: "), "%s", err);
  free(out), free(err);
  for (int k = 0; k < 3; k++) {
    sh_diag dg = {k == 0 ? SH_SEV_ERROR : k == 1 ? SH_SEV_WARNING : SH_SEV_NOTE, SH_DIAG_DATA, NULL, 0, 0, (char *)"x"};
    char *f = sh_diag_format(&dg);
    cr_expect_str_eq(f, sevs[k][1]);
    free(f);
  }
}

/* The man page and the completion do not follow the locale: --dump-man is English unless asked for ja. */
Test(clidoc, man_page_english_whatever_the_locale) {
  japanese_locale();
  char *out, *err;
  cr_assert_eq(th_run(&out, &err, (const char *const[]){"--dump-man", NULL}), 0);
  cr_expect_str_eq(out, man, "--dump-man under LANG=ja_JP.UTF-8 differs from the page the build made");
  free(out), free(err);
  cr_assert_eq(th_run(&out, &err, (const char *const[]){"--dump-completion", NULL}), 0);
  cr_expect_str_eq(out, completion);
  free(out), free(err);
  cr_assert_eq(th_run(&out, &err, (const char *const[]){"--dump-man", "ja", NULL}), 0);
  cr_expect(sh_str_startswith(out, ".TH SHINSA 1 "));
  for (const char *p = out; *p; p++) cr_assert((unsigned char)*p < 0x80, "non-ASCII byte in the Japanese man page");
  /* NAME is 名前 (U+540D U+524D, a break allowed between them), the option headings Japanese */
  cr_expect(strstr(out, "\n.SH \"\\[u540D]\\:\\[u524D]\"\n"), "the Japanese page's NAME section is not 名前");
  cr_expect(!strstr(out, "\nOptions:\n"), "the Japanese page has English headings");
  free(out), free(err);
}
