/* oscal_doc: reading any OSCAL document (XML with libxml2, JSON with json-c, YAML with libyaml through
 * yamldoc) into one positioned tree in the shape of OSCAL's JSON/YAML model, so that the catalog and
 * mapping importers read all three formats with one code path.
 *
 * The tree is an sh_ydoc (yamldoc.h): maps, sequences and scalars with their line and column, owned by
 * the document (free with sh_ydoc_free). XML is converted by OSCAL's XML-to-JSON rules as far as the
 * importers need them: attributes and simple child elements become keys, repeated elements become arrays
 * under their JSON group name (prop -> props, part -> parts, control -> controls, map -> maps, ...),
 * the markup of a part or guideline becomes its `prose` string and inline markup becomes Markdown
 * (em -> *x*, strong -> **x**, q -> "x", code -> `x`, a -> [x](href), insert -> {{ insert: param, ID }}).
 * Positions: YAML nodes carry libyaml's; JSON nodes are located by a scan of the text that json-c
 * accepted; XML nodes carry the line and column where the element's start tag ends (libxml2's SAX2 events
 * carry no start column). XML is read from SAX2 events straight into the tree (no DOM: as fast as
 * `xmllint --noout`, see bench/oscal-bench.sh). No DTD, no entity, no network access; bounded size and depth. */
#ifndef SHINSA_OSCAL_DOC_H
#define SHINSA_OSCAL_DOC_H

#include "yamldoc.h"

#define SH_OSCAL_MAX_BYTES (64u * 1024u * 1024u) /* XML and JSON; YAML has yamldoc's limit */
#define SH_OSCAL_MAX_DEPTH 64                   /* JSON nesting; XML elements (same as YAML) */

typedef enum { SH_OSCAL_XML, SH_OSCAL_JSON, SH_OSCAL_YAML } sh_oscal_format;

/* Loads path; the format comes from the extension (.xml, .json, .yaml/.yml), else from the first
 * non-blank byte ('<' XML, '{' JSON, otherwise YAML). Returns a new document, or NULL after a located
 * error (FILE:LINE:COL) in d. fmt_out (may be NULL) receives the format read. */
enum { SH_OSCAL_STATEMENTS = 1 }; /* XML: leave out back-matter, links, guidelines and control parts other than
                                     the statement (what the catalog importer never reads; saves time) */
sh_ydoc *sh_oscal_load(const char *path, sh_oscal_format *fmt_out, unsigned flags, sh_diags *d);
/* The same from memory (name is used in diagnostics). */
sh_ydoc *sh_oscal_load_string(const char *name, const char *text, size_t len, sh_oscal_format fmt, unsigned flags,
                              sh_diags *d);
const char *sh_oscal_format_name(sh_oscal_format f); /* "XML", "JSON", "YAML" */

/* The scalar string of map[key], or NULL when absent or not a scalar. */
const char *sh_oscal_str(const sh_ynode *map, const char *key);
/* Collapses runs of white space to one space and trims both ends, in place. Returns s. */
char *sh_oscal_squash(char *s);

#endif
