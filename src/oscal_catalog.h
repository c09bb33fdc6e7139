/* oscal_catalog: `shinsa import oscal`: an OSCAL catalog (XML, JSON or YAML; OSCAL 1.0 to 1.2) becomes a
 * shinsa framework file (docs/formats.md §3). Groups become sections, controls and control enhancements
 * become manual items (id = the control id), the statement parts with their parameters inserted become the
 * text, withdrawn controls are left out and counted, BSI modal verbs give the strength. The rules are in
 * docs/oscal.md. The YAML writer used for the output (double-quoted scalars) is shared with the mapping
 * importer. */
#ifndef SHINSA_OSCAL_CATALOG_H
#define SHINSA_OSCAL_CATALOG_H

#include "framework.h"
#include "oscal_doc.h"

typedef struct {
  sh_oscal_format format;   /* what was read */
  char oscal_version[32];   /* metadata/oscal-version, "" when absent */
  size_t controls;          /* controls and enhancements in the catalog */
  size_t items;             /* written as items */
  size_t withdrawn;         /* left out: status withdrawn (and their enhancements) */
  size_t sections;          /* groups written as sections */
  size_t strength[3];       /* items per strength (must, should, effort) */
  size_t modal[3];          /* of those, how many got it from a modal verb */
} sh_oscal_import_stats;

/* Reads the catalog at path and appends a framework file with the given id to out. Returns 0, or -1 with
 * located errors (FILE:LINE:COL) in d and nothing appended. stats may be NULL. */
int sh_oscal_catalog_import(const char *path, const char *id, sh_buf *out, sh_oscal_import_stats *stats,
                            sh_diags *d);

/* The strength a modal verb gives (MUSS / DARF NICHT -> must, SOLLTE / SOLLTE NICHT -> should, KANN -> effort;
 * the English MUST/SHALL/SHOULD/MAY likewise; any case). False for another word. */
bool sh_oscal_modal_strength(const char *verb, sh_strength *out);

/* Appends s as a YAML double-quoted scalar that libyaml reads back whatever s holds (C0/C1 controls escaped,
 * invalid UTF-8 replaced by U+FFFD; answers.c's sh_yaml_quote assumes valid text). */
void sh_oscal_yaml_quote(sh_buf *b, const char *s);

#endif
