/* The message catalogs (src/i18n.c, po/): the language a report is written in and the one messages are
 * written in, each from --lang and the locale; translation both ways in one process; the catalog found in
 * the build tree; po/ja.po well-formed with every printf conversion matching its msgid. */
#include "i18n.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void clear_locale_env(void) {
  unsetenv("LANGUAGE");
  unsetenv("LC_ALL");
  unsetenv("LC_MESSAGES");
  unsetenv("LANG");
}

Test(i18n, report_language_from_option_then_locale_then_ja) {
  clear_locale_env();
  cr_assert_str_eq(sh_report_lang(NULL), "ja");
  cr_assert_str_eq(sh_report_lang("en"), "en");
  setenv("LANG", "en_US.UTF-8", 1);
  cr_assert_str_eq(sh_report_lang(NULL), "en");
  cr_assert_str_eq(sh_report_lang("ja"), "ja", "--lang wins over the locale");
  setenv("LC_MESSAGES", "ja_JP.UTF-8", 1);
  cr_assert_str_eq(sh_report_lang(NULL), "ja", "LC_MESSAGES comes before LANG");
  setenv("LC_ALL", "en_GB.UTF-8", 1);
  cr_assert_str_eq(sh_report_lang(NULL), "en", "LC_ALL comes before LC_MESSAGES");
  setenv("LANGUAGE", "fr:ja", 1);
  cr_assert_str_eq(sh_report_lang(NULL), "ja", "the first ja/en entry of LANGUAGE");
  setenv("LC_ALL", "C", 1);
  cr_assert_str_eq(sh_report_lang(NULL), "ja", "LANGUAGE does not count under the C locale; C gives the default");
  cr_assert_str_eq(sh_msg_lang(), "en", "messages under the C locale are the source text");
  setenv("LC_ALL", "de_DE.UTF-8", 1);
  unsetenv("LANGUAGE");
  cr_assert_str_eq(sh_report_lang(NULL), "ja", "a language shinsa has no catalog for gives the default");
  cr_assert_str_eq(sh_msg_lang(), "en");
  clear_locale_env();
}

Test(i18n, locale_values) {
  cr_assert_str_eq(sh_lang_of_locale("ja_JP.UTF-8"), "ja");
  cr_assert_str_eq(sh_lang_of_locale("en"), "en");
  cr_assert_str_eq(sh_lang_of_locale("de_DE:en_US"), "en");
  cr_assert_null(sh_lang_of_locale("jav_ID"), "jav is not ja");
  cr_assert_null(sh_lang_of_locale("C.UTF-8"));
  cr_assert_null(sh_lang_of_locale(""));
}

Test(i18n, both_languages_in_one_process_and_the_environment_left_alone) {
  setenv("LANGUAGE", "fr", 1);
  cr_assert_str_eq(sh_tr("ja", "Examination report"), "審査結果報告書");
  cr_assert_str_eq(sh_tr("en", "Examination report"), "Examination report");
  cr_assert_str_eq(sh_tr("ja", "Examination report"), "審査結果報告書");
  cr_assert_str_eq(getenv("LANGUAGE"), "fr", "LANGUAGE is restored after a lookup");
  unsetenv("LANGUAGE");
  cr_assert_str_eq(sh_tr("ja", "Applicant"), "申請者");
  cr_assert_null(getenv("LANGUAGE"));
  cr_assert_str_eq(sh_tr("ja", "no such message in the catalog"), "no such message in the catalog");
}

Test(i18n, catalog_found_in_the_build_tree) {
  unsetenv("SHINSA_LOCALEDIR");
  const char *dir = sh_i18n_localedir();
  size_t n = strlen(dir);
  cr_assert(n > 3 && strcmp(dir + n - 3, "/po") == 0, "a test binary of the build tree reads build/po, not %s", dir);
  char mo[4096];
  snprintf(mo, sizeof mo, "%s/ja/LC_MESSAGES/shinsa.mo", dir);
  FILE *f = fopen(mo, "rb");
  cr_assert_not_null(f, "%s", mo);
  fclose(f);
}

Test(i18n, catalog_is_well_formed) {
  const char *root = getenv("SHINSA_SOURCE_ROOT");
  cr_assert_not_null(root);
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "msgfmt --check -o /dev/null '%s/po/ja.po' 2>&1", root);
  FILE *p = popen(cmd, "r");
  cr_assert_not_null(p);
  char out[4096] = "";
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = '\0';
  cr_assert_eq(pclose(p), 0, "msgfmt --check po/ja.po:\n%s", out);
}

Test(i18n, message_language_set_in_place_of_the_locale_and_restored) {
  clear_locale_env();
  setenv("LC_ALL", "ja_JP.UTF-8", 1);
  cr_assert_str_eq(sh_msg_lang(), "ja");
  const char *was = sh_msg_lang_set("en");
  cr_assert_null(was);
  cr_assert_str_eq(sh_msg_lang(), "en");
  cr_assert_str_eq(_("Examination report"), "Examination report");
  cr_assert_null(getenv("LANGUAGE"), "the environment is left alone");
  sh_msg_lang_set(was);
  cr_assert_str_eq(sh_msg_lang(), "ja", "the locale's language again");
  cr_assert_str_eq(_("Examination report"), "審査結果報告書");
  clear_locale_env();
}
