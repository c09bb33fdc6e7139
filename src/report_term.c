/* report_term: the terminal rendering of a view written in Markdown (applicant, ethics): the document is parsed
 * with cmark and walked, so the reader sees text, not Markdown (no escapes such as `2\.2/1-1`, no `**`):
 * headings underlined to their display width (East Asian Width: texttable.h sh_display_width), list items with bullets
 * and indentation, code spans as their text. Nothing here interprets evidence text: it arrives as cmark's TEXT
 * nodes and is copied as is (standard output cleans control characters on a terminal: util.h sh_term_clean). */
#include "report_views.h"
#include "report_cells.h"
#include "texttable.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  sh_buf *out;
  sh_buf line;  /* the paragraph or heading being collected */
  int depth;    /* list nesting */
  bool in_item_first; /* the next paragraph is an item's first: gets the bullet */
} term;

static void flush_para(term *t, const char *first_prefix, const char *prefix) {
  const char *s = sh_buf_str(&t->line);
  sh_buf_puts(t->out, first_prefix);
  for (const char *p = s; *p; p++) {
    sh_buf_putc(t->out, *p);
    if (*p == '\n' && p[1]) sh_buf_puts(t->out, prefix);
  }
  sh_buf_putc(t->out, '\n');
  t->line.len = 0;
  if (t->line.data) t->line.data[0] = 0;
}

char *sh_md_to_term(const char *md) {
  cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
  sh_buf out = {0};
  term t = {.out = &out};
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type ty = cmark_node_get_type(n);
    bool enter = ev == CMARK_EVENT_ENTER;
    switch (ty) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
    case CMARK_NODE_HTML_INLINE:
      sh_buf_puts(&t.line, cmark_node_get_literal(n));
      break;
    case CMARK_NODE_SOFTBREAK: sh_buf_putc(&t.line, ' '); break;
    case CMARK_NODE_LINEBREAK: sh_buf_putc(&t.line, '\n'); break;
    case CMARK_NODE_HEADING:
      if (!enter) {
        int level = cmark_node_get_heading_level(n);
        char *h = sh_strdup(sh_buf_str(&t.line));
        t.line.len = 0;
        if (level >= 3) sh_buf_printf(&out, "■ %s\n", h);
        else {
          sh_buf_printf(&out, "%s\n", h);
          size_t w = sh_display_width(h);
          for (size_t k = 0; k < w; k++) sh_buf_puts(&out, level == 1 ? "=" : "-");
          sh_buf_putc(&out, '\n');
        }
        sh_buf_putc(&out, '\n');
        free(h);
      }
      break;
    case CMARK_NODE_PARAGRAPH:
      if (!enter) {
        int ind = t.depth * 2;
        char *prefix = sh_printf("%*s", ind + (t.depth ? 2 : 0), "");
        if (t.depth && t.in_item_first) {
          char *first = sh_printf("%*s• ", ind, "");
          flush_para(&t, first, prefix);
          free(first);
          t.in_item_first = false;
        } else {
          flush_para(&t, prefix, prefix);
        }
        free(prefix);
        if (!t.depth) sh_buf_putc(&out, '\n');
      }
      break;
    case CMARK_NODE_LIST:
      if (enter) t.depth++;
      else {
        t.depth--;
        if (!t.depth) sh_buf_putc(&out, '\n');
      }
      break;
    case CMARK_NODE_ITEM:
      if (enter) t.in_item_first = true;
      break;
    case CMARK_NODE_THEMATIC_BREAK:
      sh_buf_puts(&out, "----------------------------------------\n\n");
      break;
    default: break;
    }
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  sh_buf_free(&t.line);
  /* one blank line at the end at most */
  while (out.len >= 2 && out.data[out.len - 1] == '\n' && out.data[out.len - 2] == '\n') out.data[--out.len] = 0;
  return sh_buf_steal(&out);
}
