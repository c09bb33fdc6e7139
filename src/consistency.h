/* consistency: package-level findings where an evidence package contradicts itself or asks a reviewer to look:
 * recipients other than the person listed in data_items while third_party_provision.performed is false; a data
 * item whose declared level the MHLW item-code table contradicts; one name holding several officer roles; a
 * data ethics board whose counts of members of one kind exceed its members (or its natural-science experts,
 * who include the medical professionals).
 * The findings are appended to `findings` as sh_reason messages (the caller owns and frees them). */
#ifndef SHINSA_CONSISTENCY_H
#define SHINSA_CONSISTENCY_H

#include "evidence.h"
#include "util.h"

void sh_consistency_findings(const sh_evidence *ev, sh_vec *findings);

#endif
