/* checksheet: the columns of the filled checksheet (report_xlsx.c writes it, the answers importer reads it
 * back): one row per item, a header row whose texts name the columns in Japanese or English (the message
 * catalog), and the
 * columns the applicant fills (status, planned date or reason, answer). Static data only. */
#ifndef SHINSA_CHECKSHEET_H
#define SHINSA_CHECKSHEET_H

#include <stdbool.h>

typedef enum {
  SH_CS_ITEM,      /* official item id */
  SH_CS_SECTION,
  SH_CS_QUESTION,
  SH_CS_STRENGTH,  /* in the report language */
  SH_CS_STATUS,    /* applicant: implemented | partial | planned | not_applicable (label) */
  SH_CS_DETAIL,    /* applicant: planned_by date (planned) or reason (not_applicable) */
  SH_CS_ANSWER,    /* applicant: answer text */
  SH_CS_EVIDENCE,  /* answer refs and documents with SHA-256, evidence a reviewer examines */
  SH_CS_VERDICT,
  SH_CS_REVIEWER,  /* reviewer decisions, quorum, waiver */
  SH_CS_NOTES,     /* auditor: reasons; applicant: what would satisfy the item */
  SH_CS_KEY,       /* hidden: FRAMEWORK:ITEM, how the importer finds the item */
  SH_CS__COUNT
} sh_cs_col;

typedef struct {
  const char *name;        /* header text in English (the msgid; sh_cs_header gives it in a language) */
  double width;            /* column width in character units */
  bool applicant;          /* filled by the applicant: marked and unlocked */
} sh_cs_column;

/* The column table, indexed by sh_cs_col. */
extern const sh_cs_column sh_cs_columns[SH_CS__COUNT];
/* The header text of NOTES depends on the view (auditor: reasons; applicant: actions). */
const char *sh_cs_header(sh_cs_col c, const char *lang, bool applicant_view);
/* The column whose header is text (either language, either view), or -1. */
int sh_cs_find_header(const char *text);

#endif
