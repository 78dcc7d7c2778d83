// Whose book a work list shows (Reviews, Handoffs): the actor's own accounts, their team's, or
// the whole book. "Mine" is the accounts the actor owns (AM) or covers as CSM; "team" adds those
// of the people who report to the actor (a manager's team). The filter is SQL over the accounts
// table, so a list is narrowed before it is counted and paged.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "service/actor.h"
#include "store/database.h"

namespace orchard::service {

enum class Book { kAll, kMine, kTeam };

// "mine", "team" or "all"; anything else is an error naming `field`.
Result<Book> ParseBook(std::string_view text, std::string_view field = "book");
std::string_view ToString(Book book);
// The book a role sees first: AMs and CSMs their own, managers their team, others all of it.
Book DefaultBook(Role role);

// " AND (…)" restricting `accounts_alias` (an alias of the accounts table) to `book` of `actor`,
// with its parameters appended to `params`; empty for the whole book.
std::string BookClause(Book book, const Actor& actor, std::string_view accounts_alias,
                       std::vector<store::SqlValue>& params);

}  // namespace orchard::service
