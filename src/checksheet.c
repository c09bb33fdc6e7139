/* checksheet: column table of the filled checksheet. See checksheet.h. */
#include "checksheet.h"

#include "i18n.h"

#include <string.h>

/* TRANSLATORS: the header row of the filled checksheet (xlsx). The importer recognises a column by its header in
 * either language, so a changed translation no longer reads sheets written before the change. */
const sh_cs_column sh_cs_columns[SH_CS__COUNT] = {
  [SH_CS_ITEM] = {N_("Item no."), 10, false},
  [SH_CS_SECTION] = {N_("Section"), 12, false},
  [SH_CS_QUESTION] = {N_("Question"), 42, false},
  [SH_CS_STRENGTH] = {N_("Strength"), 6, false},
  [SH_CS_STATUS] = {N_("Status [applicant]"), 11, true},
  [SH_CS_DETAIL] = {N_("Planned date / reason [applicant]"), 13, true},
  [SH_CS_ANSWER] = {N_("Answer [applicant]"), 36, true},
  [SH_CS_EVIDENCE] = {N_("Evidence (SHA-256)"), 30, false},
  [SH_CS_VERDICT] = {N_("Verdict"), 10, false},
  [SH_CS_REVIEWER] = {N_("Reviewer decision"), 18, false},
  [SH_CS_NOTES] = {N_("Reasons for the verdict"), 48, false}, /* on screen only: wide, so rows stay low */
  [SH_CS_KEY] = {N_("Key"), 20, false},
};

static const char notes_applicant[] = N_("To satisfy");

const char *sh_cs_header(sh_cs_col c, const char *lang, bool applicant_view) {
  return sh_tr(lang, c == SH_CS_NOTES && applicant_view ? notes_applicant : sh_cs_columns[c].name);
}

static bool names(const char *text, const char *msgid) {
  return strcmp(text, msgid) == 0 || strcmp(text, sh_tr("ja", msgid)) == 0;
}

int sh_cs_find_header(const char *text) {
  if (!text) return -1;
  for (int c = 0; c < SH_CS__COUNT; c++)
    if (names(text, sh_cs_columns[c].name)) return c;
  if (names(text, notes_applicant)) return SH_CS_NOTES;
  return -1;
}
