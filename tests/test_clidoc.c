/* Tests that help, man page and bash completion come from the same command tables: every option of
 * every command (walking the table, so commands added later are covered) appears in `--help`, in the
 * man page section of that command and in the completion of that command; `shinsa help CMD` equals
 * `shinsa CMD --help`; every help ends with 2-3 examples and the command's exit codes. The generated
 * completion is also run in bash. */
#include "cmd.h"
#include "helpers.h"
#include "report.h"

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

/* words: the command path as arguments ("log", "verify"), n of them. */
static void check_cmd(const sh_cli_cmd *cmd, const char **words, size_t n) {
  ncommands++;
  sh_buf path = {0};
  for (size_t i = 0; i < n; i++) sh_buf_printf(&path, "%s%s", i ? " " : "", words[i]);
  const char *P = sh_buf_str(&path);

  /* help CMD == CMD --help */
  const char *a1[8] = {0}, *a2[8] = {0};
  cr_assert(n < 6);
  a2[0] = "help";
  for (size_t i = 0; i < n; i++) a1[i] = words[i], a2[i + 1] = words[i];
  a1[n] = "--help";
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
