/* sources: the seed documents bundled content cites, by file name (rules/sources.yaml of the data folder): their
 * titles and where the title was read, so that reports cite a source by title and place and give the file name
 * only in a note. An sh_sources owns the loaded file; strings returned are borrowed from it. */
#ifndef SHINSA_SOURCES_H
#define SHINSA_SOURCES_H

typedef struct sh_sources sh_sources;

/* Loads data_dir/rules/sources.yaml. Never NULL: a missing or invalid file (or data_dir NULL) gives an empty set,
 * and sources are then cited by file name. Free with sh_sources_free. */
sh_sources *sh_sources_load(const char *data_dir);
/* A field ("title", "lines", "form") of the entry for file, or NULL. */
const char *sh_sources_field(const sh_sources *s, const char *file, const char *key);
void sh_sources_free(sh_sources *s);

#endif
