/* oscal_out: one writer for OSCAL documents in XML and in JSON, driven by the same calls, so that the
 * assessment-results and mapping-collection exports describe their content once. The caller emits in the
 * order the XML Schema demands (flags first, then fields, in schema order); JSON ignores the order.
 * Model rules followed: a flag is an XML attribute and a JSON key; a field is an XML element with text and a
 * JSON key with a string; a markup-multiline field is <name><p>..</p></name> in XML and a string in JSON;
 * a list of repeated elements has no wrapper in XML and is a JSON array under its group name.
 * Also: random v4 UUIDs (libcrypto RAND_bytes) and OSCAL tokens made from shinsa ids. */
#ifndef SHINSA_OSCAL_OUT_H
#define SHINSA_OSCAL_OUT_H

#include "json.h"

typedef struct {
  bool xml;
  sh_buf *out;          /* borrowed */
  sh_json j;
  int depth;
  const char *names[64]; /* open XML elements */
  bool open_tag;        /* XML: a start tag waits for '>' */
  bool has_child[64];
  bool in_list[64];     /* JSON: the current container is an array */
} sh_oscal_out;

/* Starts a document whose root element / top key is root (e.g. "assessment-results"). */
void sh_oo_begin(sh_oscal_out *o, sh_buf *out, bool xml, const char *root);
/* Closes everything; ends with a newline. */
void sh_oo_end(sh_oscal_out *o);
/* An object (assembly) named name (the singular element name; inside a list JSON ignores it). */
void sh_oo_open(sh_oscal_out *o, const char *name);
void sh_oo_close(sh_oscal_out *o);
/* A flag (XML attribute): must follow sh_oo_open directly. NULL v writes nothing. */
void sh_oo_flag(sh_oscal_out *o, const char *name, const char *v);
/* A field with text content. NULL v writes nothing. Inside a list, JSON writes just the string. */
void sh_oo_field(sh_oscal_out *o, const char *name, const char *v);
/* A field with flags and a value: XML <name flag="..">v</name>, JSON {flags..., "value": v}. Call
 * sh_oo_open, sh_oo_flag..., then sh_oo_value, then sh_oo_close. */
void sh_oo_value(sh_oscal_out *o, const char *v);
/* A markup-multiline field: paragraphs separated by "\n\n" become <p> elements in XML. */
void sh_oo_markup(sh_oscal_out *o, const char *name, const char *text);
/* A list of repeated elements; group is the JSON name (e.g. "props" for prop). */
void sh_oo_list(sh_oscal_out *o, const char *group);
void sh_oo_list_end(sh_oscal_out *o);
/* A prop <prop name=".." value=".." ns=".."/> (ns may be NULL) inside a "props" list the caller opened;
 * an empty or NULL value writes nothing. */
void sh_oo_prop(sh_oscal_out *o, const char *name, const char *value, const char *ns);

/* A random version 4 UUID (RFC 4122) from RAND_bytes into buf[37]. */
void sh_uuid4(char buf[37]);
/* An OSCAL token (\p{L}|_)(\p{L}|\p{N}|[.\-_])* for a shinsa id: the id itself when it is one, else "id_"
 * followed by the id with each character that is not a letter, digit, '.' or '-' written as "_" and two
 * upper-case hex digits per UTF-8 byte ("2.2/1-1" -> "id_2.2_2F1-1"). Caller frees. */
char *sh_oscal_token(const char *id);
/* The reverse of sh_oscal_token for a token starting with "id_"; NULL for anything else. Caller frees. */
char *sh_oscal_untoken(const char *token);
/* Now as an OSCAL date-time with time zone ("2026-12-01T15:04:05Z"; SHINSA_NOW honoured). */
void sh_oscal_now(char buf[32]);

/* The shinsa namespace of the props it adds (a URN: shinsa publishes no web page for it). */
#define SH_OSCAL_NS "urn:shinsa:oscal"

#endif
