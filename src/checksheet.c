/* checksheet: column table of the filled checksheet. See checksheet.h. */
#include "checksheet.h"

#include <string.h>

const sh_cs_column sh_cs_columns[SH_CS__COUNT] = {
  [SH_CS_ITEM] = {"項目番号", "Item", 10, false},
  [SH_CS_SECTION] = {"節", "Section", 12, false},
  [SH_CS_QUESTION] = {"確認事項", "Question", 42, false},
  [SH_CS_STRENGTH] = {"強度", "Strength", 6, false},
  [SH_CS_STATUS] = {"対応状況【申請者記入】", "Status [applicant]", 11, true},
  [SH_CS_DETAIL] = {"予定日・理由【申請者記入】", "Planned date / reason [applicant]", 13, true},
  [SH_CS_ANSWER] = {"回答【申請者記入】", "Answer [applicant]", 36, true},
  [SH_CS_EVIDENCE] = {"証跡（SHA-256）", "Evidence (SHA-256)", 30, false},
  [SH_CS_VERDICT] = {"判定", "Verdict", 10, false},
  [SH_CS_REVIEWER] = {"審査員の判断", "Reviewer decision", 18, false},
  [SH_CS_NOTES] = {"判定の理由", "Reasons", 48, false}, /* on screen only: wide, so rows stay low */
  [SH_CS_KEY] = {"キー", "Key", 20, false},
};

static const char notes_applicant_ja[] = "充足するには", notes_applicant_en[] = "To satisfy";

const char *sh_cs_header(sh_cs_col c, bool en, bool applicant_view) {
  if (c == SH_CS_NOTES && applicant_view) return en ? notes_applicant_en : notes_applicant_ja;
  return en ? sh_cs_columns[c].en : sh_cs_columns[c].ja;
}

int sh_cs_find_header(const char *text) {
  if (!text) return -1;
  for (int c = 0; c < SH_CS__COUNT; c++)
    if (strcmp(text, sh_cs_columns[c].ja) == 0 || strcmp(text, sh_cs_columns[c].en) == 0) return c;
  if (strcmp(text, notes_applicant_ja) == 0 || strcmp(text, notes_applicant_en) == 0) return SH_CS_NOTES;
  return -1;
}
